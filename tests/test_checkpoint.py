"""Tests for nnlib.checkpoint: round trips, atomic writes, and clear errors for bad files."""

import contextlib
import gc
import warnings

import numpy as np
import pytest

from nnlib import checkpoint
from nnlib.gpt import GPT, GPTConfig
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


# mistakes a learner can make, each with a clear error


def test_save_refuses_parameters_that_are_not_numbers(tmp_path):
    model = mlp()
    model.layers[0].b.data = np.array([{"a": 1}, None, 3], dtype=object)  # np.savez would pickle
    with pytest.raises(ValueError, match=r"'layers.0.b' holds dtype object, not numbers"):
        checkpoint.save(model, tmp_path / "m.npz")
    model.layers[0].b.data = np.array(["x", "y", "z"])
    with pytest.raises(ValueError, match=r"'layers.0.b' holds dtype <U1, not numbers"):
        checkpoint.save(model, tmp_path / "m.npz")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("meta", [[1, 2], "config", 3.5, ("a", 1)])
def test_save_refuses_meta_that_is_not_a_dict(tmp_path, meta):
    with pytest.raises(TypeError, match=rf"meta must be a dict.*got {type(meta).__name__}"):
        checkpoint.save(mlp(), tmp_path / "m.npz", meta=meta)
    assert list(tmp_path.iterdir()) == []


def unclosed_files_after(action):
    """The ResourceWarnings (files left open) raised while running action and collecting garbage."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        action()
        gc.collect()
    return [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]


@pytest.mark.parametrize("damage", ["truncated", "crc", "no-meta", "pickled", "bad-json"])
def test_damaged_files_are_closed(tmp_path, damage):
    path = tmp_path / "model.npz"
    model = mlp()
    model.layers[0].W.data[:] = 1.0
    checkpoint.save(model, path)
    raw = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif damage == "crc":
        raw = bytearray(raw)
        raw[raw.index(np.ones(12, dtype=np.float32).tobytes()) + 5] ^= 0xFF
        path.write_bytes(bytes(raw))
    elif damage == "no-meta":
        np.savez(path, W=np.zeros(3))
    elif damage == "pickled":
        np.savez(path, __meta__=np.array("{}"), W=np.array([None], dtype=object))
    else:
        np.savez(path, __meta__=np.array("{not json"))

    def load_both():
        with pytest.raises(ValueError, match="not an nnlib checkpoint or is damaged"):
            checkpoint.load(mlp(), path)
        with contextlib.suppress(ValueError):  # the meta alone may still be readable
            checkpoint.load_meta(path)

    assert unclosed_files_after(load_both) == []


def test_every_file_opened_is_closed(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    checkpoint.save(mlp(), path)
    path.write_bytes(path.read_bytes()[:100])
    opened = []
    real_open = open

    def tracking_open(*args, **kwargs):
        f = real_open(*args, **kwargs)
        opened.append(f)
        return f

    monkeypatch.setattr("builtins.open", tracking_open)
    with pytest.raises(ValueError, match="damaged"):
        checkpoint.load(mlp(), path)
    monkeypatch.undo()
    assert opened and all(f.closed for f in opened)


def tiny_gpt(seed=0, **changes):
    config = GPTConfig(**{**TINY, **changes})
    return GPT(config, np.random.default_rng(seed))


TINY = dict(vocab_size=7, block_size=4, n_layer=1, n_head=2, n_embd=8)


def test_load_refuses_a_model_with_another_config_of_the_same_shapes(tmp_path):
    path = tmp_path / "gpt.npz"
    saved = tiny_gpt(seed=0, n_head=2)
    checkpoint.save(saved, path, {"config": saved.config.to_dict()})
    model = tiny_gpt(seed=1, n_head=4)  # the same parameter shapes, another computation
    before = model.state_dict()
    with pytest.raises(ValueError) as error:
        checkpoint.load(model, path)
    message = str(error.value)
    assert "n_head: saved 2, model 4" in message
    assert "GPTConfig.from_dict(checkpoint.load_meta(path)['config'])" in message
    for name, array in model.state_dict().items():  # nothing was copied
        np.testing.assert_array_equal(array, before[name], err_msg=name)
    other = tiny_gpt(seed=1, n_head=4, mlp_ratio=2, bias=False)  # each field is named
    with pytest.raises(ValueError, match=r"n_head: saved 2, model 4.*mlp_ratio: saved 4, model 2"):
        checkpoint.load(other, path)
    again = tiny_gpt(seed=2, n_head=2)
    checkpoint.load(again, path)  # the same config loads
    ids = np.array([[1, 2, 3, 4]])
    np.testing.assert_array_equal(again(ids).data, saved(ids).data)


def test_load_fills_an_older_config_with_the_defaults(tmp_path):
    path = tmp_path / "old.npz"
    saved = tiny_gpt()
    old = {k: v for k, v in saved.config.to_dict().items() if k not in ("bias", "tie_weights")}
    checkpoint.save(saved, path, {"config": old})
    checkpoint.load(tiny_gpt(seed=3), path)  # bias True, tie_weights False: the defaults
    untied_without_bias = tiny_gpt(seed=3, bias=False)
    with pytest.raises(ValueError, match="bias: saved True, model False"):
        checkpoint.load(untied_without_bias, path)


def test_load_reports_a_config_it_cannot_read(tmp_path):
    path = tmp_path / "gpt.npz"
    saved = tiny_gpt()
    checkpoint.save(saved, path, {"config": {**saved.config.to_dict(), "n_heads": 2}})
    with pytest.raises(ValueError, match=r"gpt.npz holds a config GPTConfig cannot read.*n_heads"):
        checkpoint.load(tiny_gpt(), path)


def test_models_without_a_config_load_as_before(tmp_path):
    path = tmp_path / "m.npz"
    checkpoint.save(mlp(1), path, {"config": {"sizes": [4, 3, 2]}})
    assert checkpoint.load(mlp(2), path) == {"config": {"sizes": [4, 3, 2]}}
