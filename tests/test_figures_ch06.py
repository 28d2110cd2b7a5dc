"""Chapter 06's saved figures show the numbers its notebook prints.

scripts/figures/ch06_tokens_and_embeddings.py trains the word vectors with the chapter
module's recipe (word2vec.word_vectors); the notebook trains them in visible cells. These
tests draw the two word-vector figures and compare what they show with the outputs stored in
notebooks/06_tokens_and_embeddings.ipynb, so a figure that drifts from the text fails here.
Training takes a few seconds, once for the whole file.
"""

import ast
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nnlib.chapters import ch06_tokens_and_embeddings as word2vec


@pytest.fixture(scope="module")
def script(figure_script):
    return figure_script("ch06_tokens_and_embeddings")


@pytest.fixture(scope="module")
def printed(stored_output):
    """The text/plain output of the one code cell of the notebook whose source starts so."""
    return lambda starts_with: stored_output("06_tokens_and_embeddings", starts_with)


def bar_texts(fig):
    """{panel title: ["word  0.70", ...]} of a neighbour-bars figure."""
    return {ax.get_title(): [t.get_text() for t in ax.texts] for ax in fig.axes if ax.texts}


def test_the_neighbour_figure_shows_the_neighbours_the_notebook_prints(script, printed):
    fig = script.neighbours()
    shown = bar_texts(fig)
    plt.close(fig)
    assert list(shown) == word2vec.NEIGHBOUR_WORDS
    king = ast.literal_eval(printed("E_word = model.U.W.data"))  # [(word, cosine), ...]
    assert shown["king"] == [f"{w}  {s:.2f}" for w, s in king]
    near = ast.literal_eval(
        printed("near = {w: [n for n, _ in word2vec.neighbours(E_unit, stoi, itos, w, 6)]")
    )
    for word, words in near.items():
        assert [t.split()[0] for t in shown[word]] == words, word


def test_the_pca_map_shows_the_words_and_shares_the_notebook_prints(script, printed):
    fig = script.pca_map()
    ax = fig.axes[0]
    labels = {t.get_text(): t.xy for t in ax.texts}
    xlabel, ylabel = ax.get_xlabel(), ax.get_ylabel()
    plt.close(fig)
    assert list(labels) == word2vec.MAP_WORDS
    explained = [float(v) for v in re.findall(r"\d\.\d+", printed("map_words = "))]
    assert len(explained) == 2
    assert xlabel == f"PC 1 ({explained[0]:.0%} of the variance)"
    assert ylabel == f"PC 2 ({explained[1]:.0%})"
    pc1 = ast.literal_eval(printed("pc1 = "))  # {word: PC 1 rounded to 2 digits}
    for word, x in pc1.items():
        assert np.isclose(labels[word][0], x, atol=0.006), word


def test_the_script_trains_with_the_notebooks_recipe(script, printed):
    """The loss the notebook prints after training is the script's to the last digit shown."""
    _, itos, losses = script.word_vectors()
    assert len(itos) == word2vec.N_VOCAB
    stored = float(printed("assert losses[0] > 4.1"))  # the notebook's final mean loss
    assert round(float(np.mean(losses[-50:])), 3) == stored
