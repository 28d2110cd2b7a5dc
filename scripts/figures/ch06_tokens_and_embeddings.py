"""Figures of chapter 06 (tokens and embeddings), drawn by nnlib.widgets.ch06_tokens_and_embeddings.

The tokenizer is BPE with 1000 merges trained on the whole tiny Shakespeare text; the
merges curve is measured on its first 100,000 characters. The word vectors follow the
chapter's recipe (2000 words, 48 numbers each, window 2, 5 negatives, batches of 2048,
3 epochs of Adam at lr 0.01) with np.random.default_rng(0) of their own, so they resemble
the notebook's vectors but are not bit-identical to them (the notebook's rng has drawn
other numbers first).
"""

import functools

import numpy as np

from nnlib import functional as F
from nnlib.chapters import ch06_tokens_and_embeddings as word2vec
from nnlib.data import load_shakespeare
from nnlib.optim import Adam
from nnlib.widgets import ch06_tokens_and_embeddings as tokens

MAP_WORDS = [
    "king", "queen", "prince", "duke", "lord", "lady", "father", "mother", "son", "daughter",
    "brother", "sister", "husband", "wife", "day", "night", "morning", "sun", "moon",
    "love", "hate", "joy", "grief", "sword", "blood", "death", "thou", "thee", "thy", "you",
]  # fmt: skip
NEIGHBOUR_WORDS = ["king", "queen", "love", "night", "father", "thou"]


@functools.lru_cache(maxsize=1)
def _text():
    return load_shakespeare()


@functools.lru_cache(maxsize=1)
def _embeddings():
    """Word vectors trained as in the chapter, but from a fresh seed: the chapter's rng has
    drawn other numbers before it trains, so these maps resemble its maps, not equal them."""
    rng = np.random.default_rng(0)
    d = word2vec.training_pairs(_text(), 2000, 2, rng)
    model = word2vec.SkipGram(len(d["itos"]), 48, rng)
    p_neg = word2vec.negative_distribution(d["counts"])
    optimizer = Adam(model.parameters(), lr=0.01)
    word2vec.train(model, optimizer, d["centers"], d["contexts"], p_neg, rng, 3, 2048)
    return model.U.W.data.copy(), d["itos"]


def next_char():
    return tokens.next_char_figure(_text(), ("q", "th"))


def vocab_vs_length():
    ns = [0, 25, 50, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]
    return tokens.vocab_vs_length_figure(word2vec.default_tokenizer(), _text()[:100_000], ns)


def bpe_tokens():
    text = "First Citizen:\nBefore we proceed any further, hear me speak."
    return tokens.token_colours_figure(word2vec.default_tokenizer(), text, (0, 50, 1000))


def pca_map():
    E, itos = _embeddings()
    return tokens.pca_map_figure(E, itos, MAP_WORDS)


def neighbours():
    E, itos = _embeddings()
    return tokens.neighbour_bars_figure(F.normalize_rows(E), itos, NEIGHBOUR_WORDS)


FIGURES = {
    "06_next_char": next_char,
    "06_vocab_vs_length": vocab_vs_length,
    "06_bpe_tokens": bpe_tokens,
    "06_pca_map": pca_map,
    "06_neighbours": neighbours,
}
