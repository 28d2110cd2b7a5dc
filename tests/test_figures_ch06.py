"""Chapter 06's saved figures show the numbers its notebook prints.

scripts/figures/ch06_tokens_and_embeddings.py trains the word vectors with the chapter
module's recipe (word2vec.word_vectors); the notebook trains them in visible cells. These
tests draw the two word-vector figures and compare what they show with the outputs stored in
notebooks/06_tokens_and_embeddings.ipynb, so a figure that drifts from the text fails here.
Training takes a few seconds, once for the whole file.
"""

import ast
import importlib
import re
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest

from nnlib.chapters import ch06_tokens_and_embeddings as word2vec

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "06_tokens_and_embeddings.ipynb"


@pytest.fixture(scope="module")
def script():
    sys.path.insert(0, str(REPO / "scripts"))  # as scripts/make_figures.py does
    try:
        return importlib.import_module("figures.ch06_tokens_and_embeddings")
    finally:
        sys.path.remove(str(REPO / "scripts"))


def stored_output(starts_with):
    """The text/plain output of the one code cell of the notebook whose source starts so."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    found = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith(starts_with)]
    assert len(found) == 1, f"expected one cell starting {starts_with!r}, found {len(found)}"
    outputs = [o for o in found[0].outputs if "text/plain" in o.get("data", {})]
    return outputs[-1]["data"]["text/plain"]


def bar_texts(fig):
    """{panel title: ["word  0.70", ...]} of a neighbour-bars figure."""
    return {ax.get_title(): [t.get_text() for t in ax.texts] for ax in fig.axes if ax.texts}


def test_the_neighbour_figure_shows_the_neighbours_the_notebook_prints(script):
    fig = script.neighbours()
    shown = bar_texts(fig)
    plt.close(fig)
    assert list(shown) == word2vec.NEIGHBOUR_WORDS
    king = ast.literal_eval(stored_output("E_word = model.U.W.data"))  # [(word, cosine), ...]
    assert shown["king"] == [f"{w}  {s:.2f}" for w, s in king]
    near = ast.literal_eval(
        stored_output("near = {w: [n for n, _ in word2vec.neighbours(E_unit, stoi, itos, w, 6)]")
    )
    for word, words in near.items():
        assert [t.split()[0] for t in shown[word]] == words, word


def test_the_pca_map_shows_the_words_and_shares_the_notebook_prints(script):
    fig = script.pca_map()
    ax = fig.axes[0]
    labels = {t.get_text(): t.xy for t in ax.texts}
    xlabel, ylabel = ax.get_xlabel(), ax.get_ylabel()
    plt.close(fig)
    assert list(labels) == word2vec.MAP_WORDS
    explained = [float(v) for v in re.findall(r"\d\.\d+", stored_output("map_words = "))]
    assert len(explained) == 2
    assert xlabel == f"PC 1 ({explained[0]:.0%} of the variance)"
    assert ylabel == f"PC 2 ({explained[1]:.0%})"
    pc1 = ast.literal_eval(stored_output("pc1 = "))  # {word: PC 1 rounded to 2 digits}
    for word, x in pc1.items():
        assert np.isclose(labels[word][0], x, atol=0.006), word


def test_the_script_trains_with_the_notebooks_recipe(script):
    """The loss the notebook prints after training is the script's to the last digit shown."""
    _, itos, losses = script.word_vectors()
    assert len(itos) == word2vec.N_VOCAB
    stored = float(stored_output("assert losses[0] > 4.1"))  # the notebook's final mean loss
    assert round(float(np.mean(losses[-50:])), 3) == stored
