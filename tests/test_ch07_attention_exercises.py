"""Chapter 07's exercises: each worked solution passes, and each typical wrong answer (a mistake
the chapter warns about) is rejected with its own feedback."""

import math
import sys
from pathlib import Path

import numpy as np
import pytest

from nnlib import functional as F
from nnlib.exercises import ch07_attention as ex
from nnlib.widgets import ch07_attention as attention_widgets

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def test_the_exercises_read_the_chapters_line():
    assert ex.TEXT == attention_widgets.DEFAULT_TEXT and ex.TEXT[ex.QUERY] == "o"


def head(q, k, v, scale=None, mask=True, fill=-np.inf, axis=-1, naive=False, weights_T=False):
    """One head as a reader might write it, with one thing changed."""
    T, d = q.shape
    S = q @ k.T / (math.sqrt(d) if scale is None else scale)
    if mask:
        S[np.triu_indices(T, k=1)] = fill
    if naive:  # exp without subtracting the largest score
        A = np.exp(S)
        return A / A.sum(axis=1, keepdims=True) @ v
    A = F.softmax(S, axis=axis)
    return (A.T if weights_T else A) @ v


def masked_after_softmax(q, k, v):
    A = F.softmax(q @ k.T / math.sqrt(q.shape[1]), axis=-1)
    return (A * np.tril(np.ones(A.shape))) @ v


def tril(T, k=0):
    return np.tril(np.ones((T, T), dtype=bool), k=k)


def split_rows(X, H):
    return X.reshape(H, X.shape[0], X.shape[1] // H)


WRONG = [  # exercise, wrong answer, words the feedback must contain
    ("07.5", round(math.log(47), 3), "leaves one out"),
    ("07.7", 40, "count them again"),
    ("07.1", 16, "standard deviation"),
    ("07.1", 1.0, "after dividing"),
    ("07.1", 65536, "d squared"),
    ("07.1", 0, "mean"),
    ("07.1", "256", "enter a number"),
    ("07.2", lambda T: ~tril(T), "marked the future"),
    ("07.2", lambda T: tril(T).T, "transposed"),
    ("07.2", lambda T: tril(T, k=-1), "diagonal is missing"),
    ("07.2", lambda T: np.ones((T, T), dtype=bool), "no mask"),
    ("07.2", lambda T: np.where(tril(T), 0.0, -np.inf), "additive form"),
    ("07.2", lambda T: tril(T)[0], "(T, T) array"),
    ("07.3", lambda q, k, v: head(q, k, v, scale=1.0), "sqrt(d)"),
    ("07.3", lambda q, k, v: head(q, k, v, scale=q.shape[1]), "divided the scores by d"),
    ("07.3", lambda q, k, v: head(q, k, v, mask=False), "forgot the causal mask"),
    ("07.3", lambda q, k, v: head(q, k, v, fill=0.0), "e^0 = 1"),
    ("07.3", lambda q, k, v: head(q, k, v, axis=0), "wrong axis"),
    ("07.3", lambda q, k, v: head(q, k, v, naive=True), "overflowed"),
    ("07.3", lambda q, k, v: F.softmax(q @ k.T / 2, axis=-1), "weights A"),
    ("07.3", lambda q, k, v: (head(q, k, v), None), "return only y"),
    ("07.3", lambda q, k, v: head(k, q, v), "transposed"),
    ("07.3", masked_after_softmax, "after the softmax"),
    ("07.3", lambda q, k, v: head(q, k, v, weights_T=True), "A.T"),
    ("07.4", lambda X, H: X.reshape(X.shape[0], H, -1), "swap the first two"),
    ("07.4", split_rows, "reshaped straight"),
    ("07.4", lambda X, H: X.reshape(X.shape[0], -1, H).transpose(2, 0, 1), "every H-th column"),
    ("07.4", lambda X, H: np.stack([X] * H), "needs shape"),
    ("07.4", lambda X, H: X.reshape(X.shape[0], H, X.shape[1] / H), "raised TypeError"),
    ("07.5", math.log(49), "counts the whole line"),
    ("07.5", 48, "e^H"),
    ("07.5", math.log2(48), "bits"),
    ("07.5", 0, "sharp"),
    ("07.5", 1 / 48, "weight of each"),
    ("07.6", 1.0, "model's own"),
    ("07.6", 2.0, "go further up"),
    ("07.6", 8.0, "go back down"),
    ("07.6", 12, "0 to 10"),
    ("07.7", 1, "MLP"),
    ("07.7", 49, "without the mask"),
    ("07.7", 11, "up to 10"),
    ("07.7", 38, "off by one"),
]


@pytest.mark.parametrize("exercise_id, answer, words", WRONG)
def test_a_typical_mistake_is_named(exercise_id, answer, words):
    result = ex.check(exercise_id, answer)
    assert result.ok is False, result
    assert words in result.message, result.message


def test_every_exercise_has_at_least_three_named_mistakes_except_the_slider_one():
    counts = {i: sum(1 for e, _, _ in WRONG if e == i) for i in ex.EXERCISES}
    assert all(n >= 3 for i, n in counts.items() if ex.EXERCISES[i].kind != "explore"), counts
    assert all(n >= 2 for n in counts.values()), counts


def test_the_mask_may_be_given_as_numbers_and_the_slider_has_a_tolerance():
    assert ex.check("07.2", lambda T: np.tril(np.ones((T, T)))).ok is True
    target = ex._beta_at(0.9)
    assert 3.6 < target < 3.8  # the 'e' needs the scores multiplied by about 3.7
    assert ex.check("07.6", 3.7).ok is True and ex.check("07.6", 3.8).ok is True
    assert ex.check("07.6", 3.4).ok is False
    early = ex.check("07.6", 3.6)  # the readout still shows 0.89 there
    assert early.ok is False and "one notch further" in early.message


def test_the_overflow_case_really_overflows_an_unguarded_exp():
    q, k, _ = ex._attend_cases()[-1]
    assert np.abs(q @ k.T / 2).max() > 710  # e^710 is beyond float64
