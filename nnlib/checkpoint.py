"""Checkpoints: save a trained model's numbers to one file, and load them back.

The file is a plain .npz (a zip of .npy arrays), one array per parameter under
its dotted name ("blocks.0.attn.c_attn.W"), plus a JSON string under "__meta__"
for whatever is needed to rebuild the model (config, vocabulary, val loss).
Two promises:
- writing is atomic (nnlib.files.atomic_write): a crash leaves the old file or
  the new one, never half of one;
- loading never unpickles: np.load(allow_pickle=False), because unpickling a
  file from the internet can run arbitrary code. Arrays of numbers and one
  string are all a checkpoint needs.
"""

import json
import zipfile
from pathlib import Path

import numpy as np

from nnlib.files import atomic_write

META_KEY = "__meta__"


def save(module, path, meta=None):
    """Write module.state_dict() and `meta` (a JSON-able dict) to `path` as an .npz file."""
    state = module.state_dict()
    if META_KEY in state:
        raise ValueError(f"a parameter is named {META_KEY!r}, which checkpoints reserve")
    try:
        text = json.dumps({} if meta is None else meta)
    except TypeError as e:
        raise ValueError(
            f"checkpoint meta must be JSON-able (numbers, strings, lists, dicts): {e}"
        ) from e
    state[META_KEY] = np.array(text)  # a 0-d unicode array, no pickle needed
    with atomic_write(path) as f:
        np.savez(f, **state)


def load(module, path):
    """Load the parameters saved at `path` into `module`; returns the meta dict.

    Raises FileNotFoundError if there is no file, ValueError if it is not an
    nnlib checkpoint (or is damaged), and load_state_dict's ValueError if the
    names or shapes do not match the model.
    """
    state, meta = _read(path, names=None)
    module.load_state_dict(state)
    return meta


def load_meta(path):
    """Only the meta dict: read the config first, build the model, then load() into it."""
    return _read(path, names=())[1]


def _read(path, names):
    """({name: array}, meta) from the file; names=() reads no parameters, None reads all."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint file at {path}")
    damaged = f"{path} is not an nnlib checkpoint or is damaged"
    with open(path, "rb") as f:
        if f.read(4) != b"PK\x03\x04":  # every zip (.npz) file starts with these bytes
            raise ValueError(f"{damaged}: it is not a zip (.npz) archive")
    try:
        with np.load(path, allow_pickle=False) as npz:
            if META_KEY not in npz.files:
                raise ValueError(f"{damaged}: it has no {META_KEY!r} entry")
            meta = json.loads(str(npz[META_KEY]))
            wanted = [k for k in npz.files if k != META_KEY] if names is None else names
            state = {k: npz[k] for k in wanted}
    except ValueError as e:
        if str(e).startswith(damaged):
            raise
        if "allow_pickle" in str(e):
            raise ValueError(
                f"{damaged}: it holds pickled Python objects, which nnlib never loads "
                "(unpickling can run arbitrary code)"
            ) from e
        raise ValueError(f"{damaged}: {e}") from e
    except (OSError, EOFError, zipfile.BadZipFile, KeyError) as e:
        raise ValueError(f"{damaged}: {e}") from e
    if not isinstance(meta, dict):
        raise ValueError(f"{damaged}: its {META_KEY!r} entry is not a JSON object")
    return state, meta
