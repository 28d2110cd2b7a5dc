"""Chapter 08's widgets, driven like a reader: type prompts, move sliders, check the state."""

import numpy as np
import pytest

from nnlib import sampling as S
from nnlib.gpt import GPT, GPTConfig
from nnlib.sampling import next_token_probs
from nnlib.tokenizers import CharTokenizer
from nnlib.widgets import ch08_gpt as W

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
TEXT = "ROMEO:\nWhat say you, my lord? Speak, and be brief.\n"


@pytest.fixture(scope="module")
def small():
    tok = CharTokenizer(TEXT)
    config = GPTConfig(tok.vocab_size, block_size=16, n_layer=1, n_head=2, n_embd=16)
    return GPT(config, np.random.default_rng(0)), tok


@pytest.fixture(scope="module")
def bars(small):
    """One next-token explorer for the module (building one draws its figure twice)."""
    return W.next_token_explorer(*small, prompt="ROMEO:")


def fresh(ex, prompt, V):
    """Back to the default sliders with a given prompt."""
    return ex.set(prompt=prompt, temperature=1.0, top_k=V)


def test_next_token_bars_follow_the_prompt(small, bars):
    model, tok = small
    ex = bars
    assert ex.error is None and ex.png().startswith(PNG_MAGIC)
    state = fresh(ex, "What say", tok.vocab_size)
    np.testing.assert_allclose(state["p"], next_token_probs(model, tok.encode("What say")))
    assert state["context"] == "What say"
    patches = ex.figure.fig.axes[0].patches
    np.testing.assert_allclose([b.get_height() for b in patches], state["p"][state["top"]])
    assert len(patches) == len(state["top"]) == 15


def test_next_token_temperature_zero_and_extremes(small, bars):
    model, tok = small
    ex = bars
    fresh(ex, "my lord", tok.vocab_size)
    state = ex.set(temperature=0.0)
    assert ex.error is None
    assert state["p"].max() == 1.0 and np.count_nonzero(state["p"]) == 1  # greedy
    assert state["effective_choices"] == pytest.approx(1.0)
    hot = ex.set(temperature=2.0)
    assert hot["effective_choices"] > 1.0 and np.all(np.isfinite(hot["p"]))
    for bar in ex.figure.fig.axes[0].patches:
        assert np.isfinite(bar.get_height())


def test_next_token_top_k_larger_than_vocabulary_is_clipped(small, bars):
    model, tok = small
    ex = bars
    fresh(ex, "Speak", tok.vocab_size)
    V = tok.vocab_size
    big = ex.set(top_k=ex.controls["top_k"].max)
    assert ex.controls["top_k"].max > V and ex.error is None
    assert big["top_k_used"] == V
    np.testing.assert_allclose(big["p"], next_token_probs(model, tok.encode("Speak")))
    one = ex.set(top_k=1)
    assert np.count_nonzero(one["p"]) == 1


def test_next_token_empty_long_and_unknown_prompts(small, bars):
    model, tok = small
    ex = bars
    fresh(ex, "ROMEO:", tok.vocab_size)
    state = ex.set(prompt="")
    assert ex.error is None and state["context"] == "\n"  # an empty prompt is a new line
    assert "empty prompt" in ex.outputs["context"].value
    long = TEXT * 3
    state = ex.set(prompt=long)
    assert ex.error is None and state["context"] == long[-16:]  # the last block_size characters
    assert "cropped to the last 16" in ex.outputs["context"].value
    good = ex.state
    state = ex.set(prompt="Zebra!")  # 'Z' and 'b' are not in TEXT
    assert isinstance(ex.error, ValueError)
    assert "&#x27;Z&#x27;" in ex.message.value or "'Z'" in ex.message.value
    assert state is good  # the last good state is kept, nothing crashed
    ex.set(prompt="ROMEO:")
    assert ex.error is None and ex.message.value == ""


def test_sampler_is_deterministic_for_a_seed(small):
    model, tok = small
    ex = W.sampler(model, tok, prompt="ROMEO:", n_chars=30)
    first = ex.state["text"]
    assert ex.error is None and len(first) == 30
    assert first == S.sample_text(
        model, tok, "ROMEO:", 30, 0.8, tok.vocab_size, np.random.default_rng(0)
    )
    assert ex.outputs["progress"].value == 30
    assert "ROMEO:" in ex.outputs["text"].value and "<b>" in ex.outputs["text"].value
    other = ex.set(seed=1)["text"]
    assert other != first
    assert ex.set(seed=0)["text"] == first  # back to the same seed: the same text


def test_sampler_edge_cases(small):
    model, tok = small
    ex = W.sampler(model, tok, prompt="What", n_chars=12)
    greedy = ex.set(temperature=0.0)["text"]
    assert ex.error is None
    assert greedy == S.sample_text(model, tok, "What", 12, temperature=0)
    assert ex.set(seed=7)["text"] == greedy  # greedy ignores the seed
    ex.set(temperature=1.0, top_k=ex.controls["top_k"].max)  # top-k > V
    assert ex.error is None and ex.state["top_k"] > tok.vocab_size
    empty = ex.set(prompt="")["text"]
    assert ex.error is None and len(empty) == 12
    assert empty == S.sample_text(model, tok, "\n", 12, 1.0, None, np.random.default_rng(7))
    ex.set(prompt="Xylophone")
    assert isinstance(ex.error, ValueError) and "unknown character" in ex.message.value
    assert ex.state["text"] == empty  # kept


def test_static_figures(small):
    model, tok = small
    for fig in (
        W.next_token_figure(model, tok, "ROMEO:"),
        W.temperature_figure(model, tok, "ROMEO:"),
        W.pipeline_figure(model, tok, "ROMEO:"),
        W.param_table_figure(model.config),
        W.loss_curve_figure(
            4.0 - np.linspace(0, 1, 50),
            tok.vocab_size,
            reference=("val", 2.0),
            baselines=[("unigram", 3.3), ("bigram", 2.5)],
        ),
    ):
        assert len(fig.axes) >= 1


def test_char_embedding_figure(small):
    _, tok = small
    rng = np.random.default_rng(0)
    Z = rng.normal(size=(tok.vocab_size, 2))
    groups = {"letters": [i for i, ch in enumerate(tok.chars) if ch.isalpha()]}
    fig = W.char_embedding_figure(Z, tok.chars, groups, np.array([0.2, 0.1]))
    ax = fig.axes[0]
    assert len(ax.texts) == tok.vocab_size  # one label per character
    assert "20%" in ax.get_xlabel()
