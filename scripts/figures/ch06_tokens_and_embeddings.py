"""Figures of chapter 06 (tokens and embeddings), drawn by nnlib.widgets.ch06_tokens_and_embeddings.

Every setting comes from the chapter module, which the notebook reads too: the tokenizer is
BPE with 1000 merges trained on the whole tiny Shakespeare text, the merges curve is measured
on word2vec.CURVE_CHARS characters at word2vec.MERGES_CURVE, and the word vectors are
word2vec.word_vectors(text), the chapter's recipe with its own generator
default_rng(word2vec.WORD_VECTORS_SEED). So each figure shows the numbers the notebook prints
(tests/test_figures_ch06.py checks that).
"""

import functools

from nnlib import functional as F
from nnlib.chapters import ch06_tokens_and_embeddings as word2vec
from nnlib.data import load_shakespeare
from nnlib.widgets import ch06_tokens_and_embeddings as tokens


@functools.lru_cache(maxsize=1)
def _text():
    return load_shakespeare()


@functools.lru_cache(maxsize=1)
def word_vectors():
    """The chapter's (E (V, C), itos, losses), trained once per process (a few seconds)."""
    return word2vec.word_vectors(_text())


def next_char():
    return tokens.next_char_figure(_text(), ("q", "th"))


def vocab_vs_length():
    curve_text = _text()[: word2vec.CURVE_CHARS]
    return tokens.vocab_vs_length_figure(
        word2vec.default_tokenizer(), curve_text, word2vec.MERGES_CURVE
    )


def bpe_tokens():
    text = "First Citizen:\nBefore we proceed any further, hear me speak."
    return tokens.token_colours_figure(word2vec.default_tokenizer(), text, (0, 50, 1000))


def pca_map():
    E, itos, _ = word_vectors()
    return tokens.pca_map_figure(E, itos, word2vec.MAP_WORDS)


def neighbours():
    E, itos, _ = word_vectors()
    return tokens.neighbour_bars_figure(F.normalize_rows(E), itos, word2vec.NEIGHBOUR_WORDS)


FIGURES = {
    "06_next_char": next_char,
    "06_vocab_vs_length": vocab_vs_length,
    "06_bpe_tokens": bpe_tokens,
    "06_pca_map": pca_map,
    "06_neighbours": neighbours,
}
