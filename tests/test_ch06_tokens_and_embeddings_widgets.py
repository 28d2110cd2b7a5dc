"""Tests for chapter 06's widgets and figures: build, drive with set(), check the state."""

import warnings

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib import functional as F
from nnlib.chapters import ch06_tokens_and_embeddings as word2vec
from nnlib.tokenizers import BPETokenizer
from nnlib.widgets import ch06_tokens_and_embeddings as wt

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
TRAIN_TEXT = "the cat sat on the mat. the cat ate the rat. that hat is the cat's hat. " * 20


@pytest.fixture(scope="module")
def tok():
    return BPETokenizer.train(TRAIN_TEXT, 20)  # this text has room for 23


@pytest.fixture(scope="module")
def tokenizer_ex(tok):
    return wt.tokenizer_explorer(tok, text="the cat sat")


@pytest.fixture(scope="module")
def embedding():
    rng = np.random.default_rng(0)
    itos = [f"w{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(60)]
    return rng.normal(size=(60, 5)), itos


@pytest.fixture(scope="module")
def neighbour_ex(embedding):
    E, itos = embedding
    return wt.neighbour_explorer(E, itos, word=itos[3], map_words=40)


def test_next_char_counts_by_hand():
    chars, counts = word2vec.next_char_counts("thin then th", "th")
    assert chars == ["e", "i"] and counts.tolist() == [1, 1]  # the final "th" has no next
    chars, counts = word2vec.next_char_counts("aXaYaXa", "a")
    assert chars == ["X", "Y"] and counts.tolist() == [2, 1]
    with pytest.raises(ValueError, match="context"):
        word2vec.next_char_counts("abc", "")


def test_merges_curve_matches_the_tokenizer(tok):
    vocab, n_tokens = wt.merges_curve(tok, "the cat sat", [0, 10, 20])
    assert vocab.tolist() == [256, 266, 276]
    assert n_tokens[0] == len(b"the cat sat")
    assert n_tokens[2] == len(tok.encode("the cat sat"))
    assert np.all(np.diff(n_tokens) <= 0)  # more merges never lengthen this text


def test_token_html_escapes_and_shows_ids():
    out = wt.token_html(["<b>", " x\n"], [7, 300])
    assert "&lt;b&gt;" in out and "<b>" not in out.replace("<br>", "")
    assert "␣x↵" in out and "<small>300</small>" in out  # the book's one look: plot.visible


@pytest.mark.parametrize("n", [0, 1, 10, 20])
def test_tokenizer_explorer_state_equals_the_tokenizer(tokenizer_ex, tok, n):
    text = "the cat's hat, thé 😀"
    state = tokenizer_ex.set(text=text, n_merges=n)
    assert tokenizer_ex.error is None
    sub = tok.with_merges(n)
    np.testing.assert_array_equal(state["ids"], sub.encode(text))
    assert state["pieces"] == sub.token_strings(sub.encode(text))
    assert state["n_chars"] == len(text) and state["n_tokens"] == len(state["ids"])
    assert "True" in tokenizer_ex.outputs["readout"].value  # the round trip holds
    assert tokenizer_ex.png().startswith(PNG_MAGIC)


def test_tokenizer_explorer_empty_and_extreme_inputs(tokenizer_ex):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        state = tokenizer_ex.set(text="", n_merges=0)
        assert tokenizer_ex.error is None and state["n_tokens"] == 0
        state = tokenizer_ex.set(text="\n\n  \t" + "€" * 200, n_merges=20)
        assert tokenizer_ex.error is None and state["n_tokens"] >= 200
    ydata = [line.get_ydata() for line in tokenizer_ex.figure.fig.axes[0].lines]
    assert all(np.all(np.isfinite(y)) for y in ydata)


def test_neighbour_explorer_matches_word2vec(neighbour_ex, embedding):
    E, itos = embedding
    stoi = {w: i for i, w in enumerate(itos)}
    E_unit = F.normalize_rows(E)
    for word, k in [(itos[0], 1), (itos[10], 5), (itos[59], wt.MAX_K)]:
        state = neighbour_ex.set(word=word, k=k)
        assert neighbour_ex.error is None
        assert state["neighbours"] == word2vec.neighbours(E_unit, stoi, itos, word, k)
        assert np.all(np.isfinite(state["xy"]))
        assert neighbour_ex.png().startswith(PNG_MAGIC)
        bars = neighbour_ex.outputs["bars"].value
        assert bars.count("<span") == 3 * k and f"{state['neighbours'][0][1]:.2f}" in bars


def test_neighbour_explorer_unknown_word_is_a_message_not_a_crash(neighbour_ex, embedding):
    _, itos = embedding
    good = neighbour_ex.set(word=itos[2], k=3)
    state = neighbour_ex.set(word="no such word", k=3)
    assert isinstance(neighbour_ex.error, ValueError)
    assert "not in the vocabulary" in neighbour_ex.message.value
    assert state == good  # the last good state is kept
    neighbour_ex.set(word=f"  {itos[2].upper()} ", k=3)  # case and spaces are forgiven
    assert neighbour_ex.error is None


def test_neighbour_bars_html_escapes_and_clips_negative_similarities():
    out = wt.neighbour_bars_html([("<w>", 0.5), ("far", -0.3)])
    assert "&lt;w&gt;" in out and "width:8.00em" in out and "width:0.00em" in out
    assert "-0.30" in out


def test_figures_build(tok, embedding):
    E, itos = embedding
    figures = [
        wt.next_char_figure(TRAIN_TEXT, ("t", "th")),
        wt.vocab_vs_length_figure(tok, TRAIN_TEXT[:300], [0, 10, 20]),
        wt.token_colours_figure(tok, "the cat sat\non the mat", (0, 20)),
        wt.pca_map_figure(E, itos, itos[:12] + ["not a word"]),
        wt.neighbour_bars_figure(F.normalize_rows(E), itos, itos[:4], k=3),
    ]
    for fig in figures:
        assert isinstance(fig, Figure)
        fig.canvas.draw()  # labels and layout render without errors
