"""Checkpoints: save a trained model's numbers to one file, and load them back.

The file is a plain .npz (a zip of .npy arrays), one array per parameter under
its dotted name ("blocks.0.attn.c_attn.W"), plus a JSON string under "__meta__"
for whatever is needed to rebuild the model (config, vocabulary, val loss).
Two promises:
- writing is atomic (nnlib.files.atomic_write): a crash leaves the old file or
  the new one, never half of one;
- loading never unpickles: np.load(allow_pickle=False), because unpickling a
  file from the internet can run arbitrary code. Arrays of numbers and one
  string are all a checkpoint needs, so save refuses anything else.
A model that keeps its sizes in `config` (a GPT) is loaded only from a file saved
with the same config: another n_head, for one, gives the same shapes but a
different model.
"""

import json
import zipfile
from pathlib import Path

import numpy as np

from nnlib.files import atomic_write

META_KEY = "__meta__"


def save(module, path, meta=None):
    """Write module.state_dict() and `meta` (a JSON-able dict) to `path` as an .npz file.

    Checks everything before writing: meta must be a dict (TypeError), as load_meta
    returns one, and JSON-able (ValueError); every parameter must hold numbers
    (ValueError naming it), since np.savez would pickle an object array and load
    never unpickles, so the file could never be read back.
    """
    meta = {} if meta is None else meta
    if not isinstance(meta, dict):
        raise TypeError(
            f"checkpoint meta must be a dict, such as {{'val_loss': 1.9}}, "
            f"got {type(meta).__name__}: put the value under a key of a dict"
        )
    state = module.state_dict()
    if META_KEY in state:
        raise ValueError(f"a parameter is named {META_KEY!r}, which checkpoints reserve")
    for name, array in state.items():
        if array.dtype.kind not in "fiu":
            raise ValueError(
                f"parameter {name!r} holds dtype {array.dtype}, not numbers: a checkpoint "
                "stores arrays of numbers only (np.savez would pickle this one, and load "
                "never unpickles). Give the parameter a float array, e.g. dtype np.float32"
            )
    try:
        text = json.dumps(meta)
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
    names or shapes do not match the model. If the module has a config (with a
    to_dict method) and the meta holds one, they must agree field by field, or a
    ValueError names each field that differs; fields an older file lacks take the
    defaults of the config class's from_dict, if it has one. Nothing is copied
    into the module unless everything fits.
    """
    state, meta = _read(path, names=None)
    _check_config(module, meta, path)
    module.load_state_dict(state)
    return meta


def _check_config(module, meta, path):
    """Raise ValueError if module.config differs from the config saved in meta."""
    config, saved = getattr(module, "config", None), meta.get("config")
    if not hasattr(config, "to_dict") or not isinstance(saved, dict):
        return  # nothing to compare: a model without a config, or a file without one
    name = type(config).__name__
    if hasattr(type(config), "from_dict"):  # it knows the defaults of older files
        try:
            saved = type(config).from_dict(saved).to_dict()
        except (TypeError, ValueError) as e:
            raise ValueError(
                f"{path} holds a config {name} cannot read ({e}): the file comes from "
                "another version of nnlib, or was altered"
            ) from e
        rebuild = f"{name}.from_dict(checkpoint.load_meta(path)['config'])"
    else:
        rebuild = f"{name}(**checkpoint.load_meta(path)['config'])"
    # Through JSON, as the file went: a tuple in the model's config is a list in the file.
    saved, ours = (json.loads(json.dumps(d, default=str)) for d in (saved, config.to_dict()))
    differ = []
    for k in dict.fromkeys([*ours, *saved]):  # the model's fields first, then any others
        if k not in saved or k not in ours or saved[k] != ours[k]:
            was = repr(saved[k]) if k in saved else "nothing"
            now = repr(ours[k]) if k in ours else "nothing"
            differ.append(f"{k}: saved {was}, model {now}")
    if differ:
        raise ValueError(
            f"{path} was saved from a model with another config, so its numbers would "
            f"compute something else in this one. Fields that differ: {'; '.join(differ)}. "
            f"Build the model from the file's config: {rebuild}"
        )


def load_meta(path):
    """Only the meta dict: read the config first, build the model, then load() into it."""
    return _read(path, names=())[1]


def _read(path, names):
    """({name: array}, meta) from the file; names=() reads no parameters, None reads all."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint file at {path}")
    damaged = f"{path} is not an nnlib checkpoint or is damaged"
    # We open the file and hand np.load the open file, so that it is closed on every path:
    # np.load(path) leaves its own file open when the zip inside turns out to be damaged.
    with open(path, "rb") as f:
        if f.read(4) != b"PK\x03\x04":  # every zip (.npz) file starts with these bytes
            raise ValueError(f"{damaged}: it is not a zip (.npz) archive")
        f.seek(0)
        try:
            with np.load(f, allow_pickle=False) as npz:
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
