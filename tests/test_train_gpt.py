"""scripts/train_gpt.py: what a learner's command lines do, on a tiny recipe that trains in seconds.

Every test runs in its own temporary folder with train_gpt.OUT (the committed checkpoint) pointed
at a file there, and a last check makes sure that nnlib/bundled/shakespeare_char.npz is untouched.
"""

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

from nnlib import checkpoint, sampling

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "train_gpt.py"
TINY = {
    "block_size": 8,
    "batch_size": 2,
    "n_layer": 1,
    "n_head": 1,
    "n_embd": 8,
    "max_iters": 3,
    "warmup_iters": 1,
    "lr_decay_iters": 3,
}


def load_script():
    spec = importlib.util.spec_from_file_location("train_gpt", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def train_gpt(tmp_path, monkeypatch):
    """The script with a tiny recipe, run in tmp_path, its committed checkpoint a file there."""
    committed = sampling.CHECKPOINT
    before = committed.stat().st_mtime_ns, committed.read_bytes()
    module = load_script()
    monkeypatch.setattr(module, "RECIPE", {**module.RECIPE, **TINY})
    monkeypatch.setattr(module, "OUT", tmp_path / "bundled" / "shakespeare_char.npz")
    monkeypatch.chdir(tmp_path)
    yield module
    assert (committed.stat().st_mtime_ns, committed.read_bytes()) == before, (
        "a test wrote into nnlib/bundled/"
    )


def parser_error(capsys, main, argv):
    """The message with which argparse refuses argv (exit status 2)."""
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize("flag", ["--max-iters", "--seed"])
@pytest.mark.parametrize("value", ["-1", "2.5", "many"])
def test_negative_or_non_integer_counts_are_refused(train_gpt, capsys, flag, value):
    err = parser_error(capsys, train_gpt.main, [flag, value])
    assert f"argument {flag}: must be a whole number >= 0, got {value!r}" in err


def test_max_iters_zero_evaluates_and_saves_the_untrained_model(train_gpt, tmp_path):
    out = tmp_path / "untrained.npz"
    train_gpt.main(["--max-iters", "0", "--out", str(out)])
    meta = checkpoint.load_meta(out)
    assert meta["iterations"] == 0 and meta["recipe"]["max_iters"] == 0
    # An untrained model guesses about uniformly among the 65 characters: loss about ln 65.
    assert abs(meta["val_loss"] - math.log(65)) < 0.1
    assert abs(meta["train_loss"] - math.log(65)) < 0.1


def test_default_out_is_a_new_file_beside_you_not_the_committed_one(train_gpt, tmp_path, capsys):
    train_gpt.main(["--max-iters", "2", "--seed", "5"])
    out = tmp_path / "shakespeare_char_seed5_2iters.npz"
    meta = checkpoint.load_meta(out)
    assert meta["iterations"] == 2 and meta["recipe"]["seed"] == 5
    assert not train_gpt.OUT.exists()
    assert f"NNLIB_CHECKPOINT={out.resolve()}" in capsys.readouterr().out  # how to use it


def test_out_naming_the_committed_checkpoint_needs_overwrite(train_gpt, capsys):
    err = parser_error(capsys, train_gpt.main, ["--out", str(train_gpt.OUT)])
    assert "is the committed checkpoint" in err and "--overwrite" in err
    assert not train_gpt.OUT.exists()
    err = parser_error(capsys, train_gpt.main, ["--overwrite", "--out", "elsewhere.npz"])
    assert "not allowed with argument" in err
    (train_gpt.OUT.parent / "runs").mkdir(parents=True)
    err = parser_error(capsys, train_gpt.main, ["--out", str(train_gpt.OUT.parent / "runs")])
    assert "runs is a folder; name a file in it" in err


def test_the_real_committed_checkpoint_is_protected_too(train_gpt, monkeypatch):
    monkeypatch.setattr(train_gpt, "OUT", sampling.CHECKPOINT)
    r = train_gpt.RECIPE
    roundabout = sampling.CHECKPOINT.parent / ".." / "bundled" / "shakespeare_char.npz"
    for out in (sampling.CHECKPOINT, roundabout):
        with pytest.raises(ValueError, match="is the committed checkpoint.*--overwrite"):
            train_gpt.output_path(out, False, r)
    assert train_gpt.output_path(None, False, r) == Path("shakespeare_char_seed2_3iters.npz")
    assert train_gpt.output_path(None, True, r) == sampling.CHECKPOINT


def test_overwrite_replaces_the_committed_checkpoint_after_the_full_recipe(train_gpt, capsys):
    err = parser_error(capsys, train_gpt.main, ["--overwrite", "--max-iters", "2"])
    assert "needs the full recipe's 3 iterations, not --max-iters 2" in err
    assert not train_gpt.OUT.exists()
    train_gpt.main(["--overwrite"])
    assert checkpoint.load_meta(train_gpt.OUT)["iterations"] == 3


def test_a_diverged_run_is_stopped_and_nothing_saved(train_gpt, tmp_path, monkeypatch):
    monkeypatch.setattr(train_gpt, "lr_at", lambda it, r: float("nan"))  # the first step ruins it
    with np.errstate(all="ignore"), pytest.raises(SystemExit, match=r"iteration 1: batch loss nan"):
        train_gpt.main(["--out", "diverged.npz"])
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_a_non_finite_evaluated_loss_saves_nothing(train_gpt, tmp_path, monkeypatch, bad):
    monkeypatch.setattr(train_gpt, "mean_loss", lambda model, data, n, r: bad)
    with pytest.raises(SystemExit, match=rf"iteration 0: train loss {bad}, val loss {bad}"):
        train_gpt.main(["--max-iters", "0", "--out", "model.npz"])
    assert not (tmp_path / "model.npz").exists()


def test_refuse_if_diverged_says_what_to_do(train_gpt):
    train_gpt.refuse_if_diverged(7, {"train loss": 1.9, "val loss": 2.0})  # finite: nothing
    with pytest.raises(SystemExit) as exit_:
        train_gpt.refuse_if_diverged(7, {"train loss": 1.9, "val loss": float("inf")})
    message = str(exit_.value)
    assert "iteration 7: train loss 1.9, val loss inf" in message
    assert "nothing was saved" in message and "smaller lr" in message
