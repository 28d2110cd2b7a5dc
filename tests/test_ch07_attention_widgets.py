"""Tests for chapter 07's widgets and figures: build, drive with set(), check the state.

A small seeded GPT (block size 32, so the default line of 49 characters is cropped) stands
in for the trained one: the widgets only look up what nnlib.chapters.ch07_attention computes.
"""

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib.chapters import ch07_attention as attention
from nnlib.gpt import GPT, GPTConfig
from nnlib.tokenizers import CharTokenizer
from nnlib.widgets import ch07_attention as attention_widgets

TEXT = attention_widgets.DEFAULT_TEXT


@pytest.fixture(scope="module")
def model_and_tokenizer():
    tok = CharTokenizer(TEXT + "abcdefghijklmnopqrstuvwxyz")
    config = GPTConfig(tok.vocab_size, block_size=32, n_layer=2, n_head=2, n_embd=16)
    return GPT(config, np.random.default_rng(0)), tok


@pytest.fixture(scope="module")
def explorer(model_and_tokenizer):
    return attention_widgets.attention_explorer(*model_and_tokenizer)


def test_explorer_looks_up_the_models_weights(model_and_tokenizer, explorer):
    model, tok = model_and_tokenizer
    ex = explorer
    assert ex.error is None
    assert ex.state["text"] == TEXT[:32]  # cropped to the block size
    assert ex.controls["position"].max == 31
    A = attention.gpt_attention_weights(model, tok.encode(TEXT[:32]))
    state = ex.set(layer=1, head=1, position=5)
    assert np.allclose(state["weights"], A[1, 1, 5])
    assert np.all(state["weights"][6:] == 0)  # no weight on the future
    assert state["argmax"] == int(np.argmax(A[1, 1, 5]))
    assert "looks most at" in ex.outputs["readout"].value
    assert ex.png()[:8] == b"\x89PNG\r\n\x1a\n"


def test_explorer_new_text_and_extremes(explorer):
    ex = explorer
    state = ex.set(text="Ro#meo", position=31)  # '#' is not in the vocabulary
    assert ex.error is None
    assert state["text"] == "Romeo" and state["dropped"] == ["#"]
    assert ex.controls["position"].max == 4 and state["position"] == 4
    assert np.isclose(state["weights"].sum(), 1.0) and np.isfinite(state["entropy"])
    state = ex.set(position=0)
    assert np.allclose(state["weights"], [1, 0, 0, 0, 0])  # the first character sees only itself
    before = dict(ex.state)
    ex.set(text="###")  # nothing readable: a message, and the last good picture stays
    assert isinstance(ex.error, ValueError) and ex.state["text"] == before["text"]
    ex.set(text=TEXT)
    assert ex.error is None and len(ex.state["text"]) == 32


def test_sharpness_explorer(model_and_tokenizer):
    model, tok = model_and_tokenizer
    ex = attention_widgets.sharpness_explorer(model, tok, text="JULIET:\nO Romeo", position=10)
    A = attention.gpt_attention_weights(model, tok.encode("JULIET:\nO Romeo"))
    state = ex.set(beta=1.0, head=(1, 0), position=10)
    assert np.allclose(state["weights"], A[1, 0, 10], atol=1e-6)  # beta = 1 is the model
    flat = ex.set(beta=0.0)
    assert np.allclose(flat["weights"][:11], 1 / 11) and np.all(flat["weights"][11:] == 0)
    assert np.isclose(flat["entropy"], np.log(11)) and flat["max_entropy"] == np.log(11)
    sharp = ex.set(beta=10.0)
    assert ex.error is None and np.isfinite(sharp["weights"]).all()
    assert sharp["entropy"] < state["entropy"] < flat["entropy"]
    ex.set(position=0)
    assert np.allclose(ex.state["weights"][:1], 1.0) and ex.state["entropy"] == 0.0


def test_figures_are_figures():
    rng = np.random.default_rng(0)
    text = "To be, or not"
    T = len(text)
    S = np.where(attention.causal_mask(T), rng.normal(size=(T, T)), -np.inf)
    A = attention.attention_weights(np.stack([S, 2 * S]))
    figures = [
        attention_widgets.dot_products_figure(rng, n=200),
        attention_widgets.scores_softmax_figure(text, S[7], 7),
        attention_widgets.causal_mask_figure(text[:6], S[:6, :6]),
        attention_widgets.head_heatmaps_figure(text, A, layer=0),
        attention_widgets.flat_sharp_figure(text, S[9], 9),
        attention_widgets.position_similarity_figure(rng.normal(size=(16, 8))),
        attention_widgets.rnn_vs_attention_figure("take the money to the bank".split()),
    ]
    assert all(isinstance(f, Figure) for f in figures)


def test_explorer_prefix_is_a_slice_of_the_cached_maps(model_and_tokenizer, explorer):
    """Causality: the maps of a prefix are the top-left corner of the longer text's maps."""
    model, tok = model_and_tokenizer
    ex = explorer
    ex.set(text=TEXT, layer=1, head=0)
    state = ex.set(text=TEXT[:10], position=9)  # served from the cache, no new model run
    A = attention.gpt_attention_weights(model, tok.encode(TEXT[:10]))
    assert state["text"] == TEXT[:10]
    assert np.allclose(state["weights"], A[1, 0, 9], atol=1e-6)


def test_explorer_characters_sit_under_their_columns(explorer):
    ex = explorer
    ex.set(text=TEXT)
    renderer = ex.figure.canvas.get_renderer()
    bars_axes = ex.figure.fig.axes[0]
    strip = bars_axes.texts[0].get_window_extent(renderer)
    slot = bars_axes.get_window_extent(renderer).width / 32  # block size 32 here
    assert abs(strip.width - len(ex.state["text"]) * slot) < 0.5 * slot


def test_word_sense_figure_draws_each_sentence_and_arrow():
    vectors, Wq, Wk, Wv = attention.bank_example()
    sentences = [["the", "river", "bank"], ["money", "bank"]]
    results = [attention.word_in_context(w, vectors, Wq, Wk, Wv) for w in sentences]
    weights, afters = zip(*results, strict=True)
    fig = attention_widgets.word_sense_figure(
        sentences, weights, vectors["bank"], afters, ["river", "money"], attention.SENSE_FEATURES
    )
    assert isinstance(fig, Figure) and len(fig.axes) == 3  # two bar panels and the arrows
    assert [len(p) for p in (fig.axes[0].patches, fig.axes[1].patches)] == [3, 2]
