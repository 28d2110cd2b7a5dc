"""Figures of chapter 07 (attention), drawn by nnlib.widgets.ch07_attention from the trained GPT.

The line, the head and the query are the chapter's: Juliet's line; layer 0, head 1 (the
head that mostly looks at the previous character); the query is the last "o" of the line.
"""

from functools import lru_cache

import numpy as np

from nnlib import sampling
from nnlib.chapters import ch07_attention as attention
from nnlib.widgets import ch07_attention as attention_widgets

TEXT = attention_widgets.DEFAULT_TEXT
QUERY = TEXT.rindex("o")  # position 47, the "o" of the last "Romeo"
LAYER, HEAD = 0, 1  # the head whose scores the step-by-step figures show
SHORT = "Romeo"  # the causal-mask figure's text, a piece of the line


@lru_cache(maxsize=1)
def _trained():
    """The model, its scores S and weights A (L, H, T, T) for the chapter's line."""
    model, tok, _ = sampling.load_char_gpt()
    _, ids, _ = attention.encode_text(TEXT, tok, model.config.block_size)
    return model, tok, attention.gpt_attention_scores(model, ids)


def scores_softmax():
    _, _, S = _trained()
    title = f"layer {LAYER}, head {HEAD}: "
    return attention_widgets.scores_softmax_figure(TEXT, S[LAYER, HEAD, QUERY], QUERY, title)


def dot_products():
    return attention_widgets.dot_products_figure(np.random.default_rng(0))


def causal_mask():
    model, tok, _ = _trained()
    S = attention.gpt_attention_scores(model, tok.encode(SHORT))
    return attention_widgets.causal_mask_figure(SHORT, S[LAYER, HEAD])


def multihead_heatmaps():
    _, _, S = _trained()
    A = attention.attention_weights(S[LAYER])  # (H, T, T)
    return attention_widgets.head_heatmaps_figure(TEXT, A, LAYER)


def flat_vs_sharp():
    _, _, S = _trained()
    return attention_widgets.flat_sharp_figure(TEXT, S[LAYER, HEAD, QUERY], QUERY)


def position_similarity():
    model, _, _ = _trained()
    return attention_widgets.position_similarity_figure(model.wpe.W.data)


SENTENCE = "take the money to the bank"  # the road-to-the-transformer figure's sentence
SENSES = {  # the word example: label -> sentence ending in "bank"
    "beside “river”": "walk along the river to the bank",
    "beside “money”": "take the money to the bank",
}


def rnn_vs_attention():
    return attention_widgets.rnn_vs_attention_figure(SENTENCE.split())


def word_sense():
    vectors, Wq, Wk, Wv = attention.bank_example()
    sentences = [s.split() for s in SENSES.values()]
    results = [attention.word_in_context(w, vectors, Wq, Wk, Wv) for w in sentences]
    weights, afters = zip(*results, strict=True)
    return attention_widgets.word_sense_figure(
        sentences, weights, vectors["bank"], afters, list(SENSES), attention.SENSE_FEATURES
    )


FIGURES = {
    "07_rnn_vs_attention": rnn_vs_attention,
    "07_word_sense": word_sense,
    "07_scores_softmax": scores_softmax,
    "07_dot_products": dot_products,
    "07_causal_mask": causal_mask,
    "07_multihead_heatmaps": multihead_heatmaps,
    "07_flat_vs_sharp": flat_vs_sharp,
    "07_position_similarity": position_similarity,
}
