"""Chapter 02's exercises: each worked solution passes, and each typical wrong answer (a mistake
the chapter warns about or invites) is rejected with its own feedback."""

import math
import sys
from pathlib import Path

import numpy as np
import pytest

from nnlib import functional as F
from nnlib.exercises import ch02_cost_function as ex
from nnlib.widgets import ch02_cost_function as cost_widgets

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def softmax_without_the_max(z):
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_over_columns(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def softmax_one_max_for_the_batch(z):
    e = np.exp(z - z.max())
    return e / e.sum(axis=-1, keepdims=True)


def softmax_without_keepdims(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1)


def sig(z):
    return F.sigmoid(z)


def _shifted_softmax(z, shift):
    with np.errstate(all="ignore"):
        e = np.exp(z - shift)
        return e / e.sum(axis=-1, keepdims=True)


WRONG = [  # exercise, wrong answer, words the feedback must contain
    ("02.5", 4.7, "ratio of the costs"),
    ("02.1", lambda a, y: (a - y).sum(axis=-1), "forgot to square"),
    ("02.1", lambda a, y: ((a - y) ** 2).mean(axis=-1), "averaged over the outputs"),
    ("02.1", lambda a, y: ((a - y) ** 2).sum(axis=0), "wrong axis"),
    ("02.1", lambda a, y: ((a - y) ** 2).sum(), "added up the whole batch"),
    ("02.1", lambda a, y: np.abs(a - y).sum(axis=-1), "absolute differences"),
    ("02.1", lambda a, y: (a - y).sum(axis=-1) ** 2, "squared the sum"),
    ("02.1", lambda a, y: ((a - y) ** 2).sum(axis=1), "axis=1 does not exist"),
    ("02.2", 10, "costs 0"),
    ("02.2", 0.9, "averaged over the ten outputs"),
    ("02.2", 1, "always answering 0"),
    ("02.2", "nine", "enter a number"),
    ("02.3", softmax_without_the_max, "largest logit first"),
    ("02.3", lambda z: _shifted_softmax(z, z.min(axis=-1, keepdims=True)), "largest logit first"),
    ("02.3", lambda z: _shifted_softmax(z, z.mean(axis=-1, keepdims=True)), "largest logit first"),
    ("02.3", lambda z: _shifted_softmax(z, z.max(axis=-1)), "subtracted along the columns"),
    ("02.3", softmax_over_columns, "wrong axis"),
    ("02.3", softmax_one_max_for_the_batch, "each row's own largest logit"),
    ("02.3", softmax_without_keepdims, "keepdims"),
    ("02.3", lambda z: np.exp(z - np.max(z)), "divide them by their sum"),
    ("02.3", lambda z: z / z.sum(), "raise e to each one"),
    ("02.4", lambda z: 2 * (sig(z) - 1), "multiply by a's slope"),
    ("02.4", lambda z: -2 * (sig(z) - 1) * sig(z) * (1 - sig(z)), "wrong sign"),
    ("02.4", lambda z: (sig(z) - 1) * sig(z) * (1 - sig(z)), "lost the 2"),
    ("02.4", lambda z: 2 * (sig(z) - 1) * z * (1 - z), "you used z (1 - z)"),
    ("02.4", lambda z: sig(z) - 1, "cross-entropy's slope"),
    ("02.4", lambda z: 2 * (1 / (1 + math.exp(-z)) - 1), "use np.exp"),
    ("02.5", 101, "leave out the 2"),
    ("02.5", 0.0198, "upside down"),
    ("02.5", -0.99, "cross-entropy's slope itself"),
    ("02.5", 1, "divide the second"),
    ("02.6", 0.544, "spread 1"),
    ("02.6", 1.204, "cross-entropy"),
    ("02.6", 0.49, "right digit's square alone"),
    ("02.6", 0.75, "grows further"),
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


def test_the_slider_exercise_reads_what_the_explorer_shows():
    explorer = cost_widgets.cost_explorer()
    for digit, spread in ((3, 0.0), (7, 0.0), (3, 1.0)):
        shown = explorer.set(digit=digit, p=0.3, spread=spread)["mse"]
        assert np.isclose(shown, ex._squared_cost(0.3, spread))
    assert ex.check("02.6", round(explorer.set(spread=0.0)["mse"], 3)).ok is True
    assert ex.check("02.6", round(explorer.set(spread=0.5)["mse"], 3)).ok is False
