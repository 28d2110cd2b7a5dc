"""Chapter 04's saved figures show the runs its notebook prints.

scripts/figures/ch04_backpropagation.py repeats the chapter's two training runs with the same
split (the last 1,000 training digits held out for validation) and the same seeds. These tests
compare what the script computes with the outputs stored in notebooks/04_backpropagation.ipynb,
so a figure that drifts from the text fails here. The two runs take a few seconds.
"""

import ast
import importlib
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

from nnlib import functional as F
from nnlib.tensor import no_grad

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "04_backpropagation.ipynb"


@pytest.fixture(scope="module")
def script():
    sys.path.insert(0, str(REPO / "scripts"))  # as scripts/make_figures.py does
    try:
        return importlib.import_module("figures.ch04_backpropagation")
    finally:
        sys.path.remove(str(REPO / "scripts"))


def stored(starts_with):
    """The value printed by the one code cell whose source starts so (a Python literal)."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    found = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith(starts_with)]
    assert len(found) == 1, f"expected one cell starting {starts_with!r}, found {len(found)}"
    text = [o["data"]["text/plain"] for o in found[0].outputs if "data" in o][-1]  # the value
    return ast.literal_eval(text.replace("array(", "(").replace(", dtype=int64", ""))


def test_the_small_networks_validation_accuracy_is_the_notebooks(script):
    _, _, y_pred = script._small_run()
    _, _, _, y_val = script._split()
    source, accuracy = stored("with no_grad():\n    y_pred = net(X_val)")
    assert round(float(np.mean(y_pred == y_val)), 4) == accuracy


def test_the_big_network_and_its_noise_figure_are_the_notebooks(script):
    big = script._big_run()
    X, y, X_val, y_val = script._split()
    with no_grad():
        val_acc = F.accuracy(big(X_val).data, y_val)
        noise = np.random.default_rng(0).uniform(0, 1, size=(1000, 784)).astype(np.float32)
        p_noise = F.softmax(big(noise).data)
    printed = stored("big_rng = np.random.default_rng(1)")
    assert round(float(val_acc), 4) == printed[1]
    sure, counts = stored("noise = np.random.default_rng(0)")
    assert float(np.mean(p_noise.max(axis=1) > 0.9)) == sure
    assert np.bincount(p_noise.argmax(axis=1), minlength=10).tolist() == list(counts)
