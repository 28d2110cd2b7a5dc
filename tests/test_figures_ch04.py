"""Chapter 04's saved figures show the runs its notebook prints.

scripts/figures/ch04_backpropagation.py repeats the chapter's two training runs with the same
split (the last 1,000 training digits held out for validation) and the same seeds. These tests
compare what the script computes with the outputs stored in notebooks/04_backpropagation.ipynb,
so a figure that drifts from the text fails here. The two runs take a few seconds.
"""

import ast

import numpy as np
import pytest

from nnlib import functional as F
from nnlib.tensor import no_grad


@pytest.fixture(scope="module")
def script(figure_script):
    return figure_script("ch04_backpropagation")


@pytest.fixture(scope="module")
def stored(stored_output):
    """The value printed by the one code cell whose source starts so (a Python literal)."""

    def value(starts_with):
        text = stored_output("04_backpropagation", starts_with)
        return ast.literal_eval(text.replace("array(", "(").replace(", dtype=int64", ""))

    return value


def test_the_small_networks_validation_accuracy_is_the_notebooks(script, stored):
    _, _, y_pred = script._small_run()
    _, _, _, y_val = script._split()
    source, accuracy = stored("with no_grad():\n    y_pred = net(X_val)")
    assert round(float(np.mean(y_pred == y_val)), 4) == accuracy


def test_the_big_network_and_its_noise_figure_are_the_notebooks(script, stored):
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
