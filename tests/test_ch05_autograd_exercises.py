"""Chapter 05's exercises: each worked solution passes, and each typical wrong answer (a mistake
the chapter warns about) is rejected with its own feedback."""

import math
import sys
from pathlib import Path

import numpy as np
import pytest

from nnlib.exercises import ch05_autograd as ex

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from solutions.ch05_autograd import SOLUTIONS  # noqa: E402


def sig(a):
    return 1 / (1 + math.exp(-a))


WRONG = [  # exercise, wrong answer, words the feedback must contain
    ("05.1", lambda a, b: (a / b, (1 / b, a / b**2)), "wrong sign"),
    ("05.1", lambda a, b: (a / b, (b, a)), "multiplication's slopes"),
    ("05.1", lambda a, b: (a / b, (-a / b**2, 1 / b)), "wrong order"),
    ("05.1", lambda a, b: (a / b, (1 / b, -1 / b**2)), "lost its a"),
    ("05.1", lambda a, b: a / b, "return a pair"),
    ("05.2", lambda a: (sig(a), (sig(a),)), "sigmoid itself"),
    ("05.2", lambda a: (sig(a), (-sig(a) * (1 - sig(a)),)), "wrong sign"),
    ("05.2", lambda a: (sig(a), (1 - sig(a) ** 2,)), "tanh's slope"),
    ("05.2", lambda a: (math.tanh(a), (1 - math.tanh(a) ** 2,)), "tanh(a)"),
    ("05.2", lambda a: (sig(a), sig(a) * (1 - sig(a))), "tuple with one local derivative"),
    ("05.3", -1.604, "one share"),
    ("05.3", 3.209, "wrong sign"),
    ("05.3", 1.0, "dL/dL"),
    ("05.3", "minus three", "enter a number"),
    ("05.4", 9, "only the share of the outer product"),
    ("05.4", 18, "adds 9 more"),
    ("05.4", 3, "count the uses"),
    ("05.5", 3, "not yet"),
    ("05.5", 6, "already green"),
    ("05.6", lambda A, B, G: (A.T @ G, G @ B.T), "(dB, dA)"),
    ("05.6", lambda A, B, G: (G @ B, A @ G), "raised ValueError"),
    ("05.6", lambda A, B, G: (G @ B.T, G.T @ A), "shape of B"),
    ("05.6", lambda A, B, G: (G @ B.T * 2, A.T @ G), "wrong numbers"),
    ("05.7", lambda g, shape: g, "still has shape"),
    ("05.7", lambda g, shape: g.sum(axis=0), "keepdims=True"),
    (
        "05.7",
        lambda g, shape: SOLUTIONS["05.7"](g, shape) / (g.size / max(np.prod(shape), 1)),
        "mean",
    ),
    ("05.7", lambda g, shape: g.sum(), "needs shape"),
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
