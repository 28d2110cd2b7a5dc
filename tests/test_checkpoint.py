"""Tests for nnlib.checkpoint: round trips, atomic writes, and clear errors for bad files."""

import numpy as np
import pytest

from nnlib import checkpoint
from nnlib.layers import MLP


def mlp(seed=0, sizes=(4, 3, 2)):
    return MLP(list(sizes), np.random.default_rng(seed))


def test_round_trip_with_meta(tmp_path):
    path = tmp_path / "model.npz"
    a, b = mlp(1), mlp(2)
    meta = {"config": {"sizes": [4, 3, 2]}, "vocab": ["a", "é", "\n"], "val_loss": 0.25}
    checkpoint.save(a, path, meta=meta)
    assert checkpoint.load_meta(path) == meta
    assert checkpoint.load(b, path) == meta
    for (name, p), (_, q) in zip(a.named_parameters(), b.named_parameters(), strict=True):
        np.testing.assert_array_equal(p.data, q.data, err_msg=name)
        assert q.dtype == np.float32
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_meta_defaults_and_must_be_json(tmp_path):
    path = tmp_path / "m.npz"
    checkpoint.save(mlp(), path)
    assert checkpoint.load(mlp(), path) == {}
    with pytest.raises(ValueError, match="JSON-able"):
        checkpoint.save(mlp(), tmp_path / "bad.npz", meta={"rng": np.random.default_rng(0)})
    assert not (tmp_path / "bad.npz").exists()


def test_crash_while_writing_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    checkpoint.save(mlp(1), path, meta={"version": 1})
    old_bytes = path.read_bytes()

    def crashing_savez(f, **arrays):
        f.write(b"PK\x03\x04 half a zip")  # some bytes reach the disk, then the crash
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", crashing_savez)
    with pytest.raises(KeyboardInterrupt):
        checkpoint.save(mlp(2), path, meta={"version": 2})
    assert path.read_bytes() == old_bytes
    assert list(tmp_path.iterdir()) == [path]  # the temporary file was removed
    monkeypatch.undo()
    assert checkpoint.load_meta(path) == {"version": 1}


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.npz"):
        checkpoint.load(mlp(), tmp_path / "nope.npz")
    with pytest.raises(FileNotFoundError, match="nope.npz"):
        checkpoint.load_meta(tmp_path / "nope.npz")


def test_truncated_file(tmp_path):
    path = tmp_path / "model.npz"
    checkpoint.save(mlp(), path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="model.npz is not an nnlib checkpoint or is damaged"):
        checkpoint.load(mlp(), path)


def test_corrupted_bytes_fail_the_crc(tmp_path):
    path = tmp_path / "model.npz"
    model = mlp()
    model.layers[0].W.data[:] = 1.0  # known bytes to find and flip inside the archive
    checkpoint.save(model, path)
    data = bytearray(path.read_bytes())
    i = data.index(np.ones(12, dtype=np.float32).tobytes())
    data[i + 5] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="is not an nnlib checkpoint or is damaged.*CRC"):
        checkpoint.load(mlp(), path)


@pytest.mark.parametrize(
    "content",
    [b"", b"hello, this is a text file\n", np.random.default_rng(0).bytes(1000)],
    ids=["empty", "text", "random"],
)
def test_foreign_files(tmp_path, content):
    path = tmp_path / "model.npz"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="not an nnlib checkpoint or is damaged"):
        checkpoint.load(mlp(), path)
    with pytest.raises(ValueError, match="not an nnlib checkpoint or is damaged"):
        checkpoint.load_meta(path)


def test_plain_npz_and_npy_are_not_checkpoints(tmp_path):
    np.savez(tmp_path / "plain.npz", W=np.zeros(3))
    with pytest.raises(ValueError, match="has no '__meta__' entry"):
        checkpoint.load(mlp(), tmp_path / "plain.npz")
    np.save(tmp_path / "one.npy", np.zeros(3))
    with pytest.raises(ValueError, match="not a zip"):
        checkpoint.load(mlp(), tmp_path / "one.npy")


def test_checkpoint_of_another_model(tmp_path):
    path = tmp_path / "wide.npz"
    checkpoint.save(mlp(sizes=(4, 8, 2)), path)
    with pytest.raises(ValueError, match=r"'layers.0.W': checkpoint has shape \(8, 4\), model has"):
        checkpoint.load(mlp(sizes=(4, 3, 2)), path)
    checkpoint.save(mlp(sizes=(4, 3, 3, 2)), path)
    with pytest.raises(ValueError, match=r"unexpected keys \['layers.4.W', 'layers.4.b'\]"):
        checkpoint.load(mlp(sizes=(4, 3, 2)), path)


def test_pickled_objects_are_never_loaded(tmp_path):
    path = tmp_path / "evil.npz"
    state = mlp().state_dict()
    state["layers.0.W"] = np.array([{"a": 1}, None], dtype=object)  # needs pickle to store
    np.savez(path, __meta__=np.array("{}"), **state)
    with pytest.raises(ValueError, match="pickled Python objects, which nnlib never loads"):
        checkpoint.load(mlp(), path)
