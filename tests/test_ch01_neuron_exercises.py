"""Chapter 01's exercises: each worked solution passes, and each typical wrong answer (a mistake
the chapter warns about or invites) is rejected with its own feedback."""

import math
import sys
from pathlib import Path

import numpy as np
import pytest

from nnlib import functional as F
from nnlib.chapters import ch01_neuron as N
from nnlib.exercises import ch01_neuron as ex
from nnlib.widgets import ch01_neuron as neuron_widgets

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from solutions.ch01_neuron import SOLUTIONS  # noqa: E402


def sig(z):
    return 1 / (1 + np.exp(-z))


def pairs(sizes):
    return list(zip(sizes[:-1], sizes[1:], strict=True))


WRONG = [  # exercise, wrong answer, words the feedback must contain
    ("01.1", 1, "not passing it"),
    ("01.1", 0.5, "sigmoid gives at the threshold"),
    ("01.1", 10, "without the bias"),
    ("01.1", "dark", "enter the number"),
    ("01.2", lambda z: F.sigmoid(z), "the sigmoid itself"),
    ("01.2", lambda z: z * (1 - z), "not z itself"),
    ("01.2", lambda z: -F.sigmoid(z) * (1 - F.sigmoid(z)), "wrong sign"),
    ("01.2", lambda z: 1 - F.sigmoid(z) ** 2, "tanh's slope"),
    ("01.2", lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2, "nan or inf"),
    ("01.2", lambda z: 0.25, "shape"),
    ("01.2", lambda z: 1 / (1 + math.exp(-z)), "use np.exp"),
    ("01.3", -10.0, "move b a little toward 0"),
    ("01.3", -8.0, "more negative"),
    ("01.3", 5.0, "needs a negative bias"),
    ("01.3", 76, "outside the bias slider"),
    ("01.4", (2, 3), "transposed"),
    ("01.4", (3, 3), "2 columns"),
    ("01.4", (2,), "one example"),
    ("01.4", "(3, 2)", "without quotes"),
    ("01.5", lambda X, W, b: F.sigmoid(X @ W.T), "forgot the bias"),
    ("01.5", lambda X, W, b: X @ W.T + b, "weighted sums z"),
    ("01.5", lambda X, W, b: F.sigmoid(W @ X.T + b[:, None]), "shapes transposed"),
    ("01.5", lambda X, W, b: F.sigmoid(X @ W + b), "raised ValueError"),
    ("01.5", lambda X, W, b: F.sigmoid(W @ X + b), "so the sums are X @ W.T"),
    ("01.5", lambda X, W, b: F.relu(X @ W.T + b), "ReLU"),
    ("01.6", lambda s: sum(i * o for i, o in pairs(s)), "forgot the biases"),
    ("01.6", lambda s: sum(i * o + o for i, o in pairs(s)) + s[0], "input layer has no biases"),
    ("01.6", lambda s: sum(i * o + i for i, o in pairs(s)), "*into*"),
    ("01.6", lambda s: int(np.prod(s)), "multiplied all the sizes"),
    ("01.6", lambda s: float(sum(i * o + o for i, o in pairs(s))), "return an int"),
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


def test_the_slider_exercise_judges_the_playgrounds_own_points_and_slider_steps():
    # The judge recomputes the chapter's 80 points; they must be the ones the playground shows.
    X, y = ex._playground_points()
    shown = neuron_widgets.neuron_playground().set(w1=10.0, w2=10.0, b=-9.9)
    assert shown["correct"] == ex._on_their_side(X, y, -9.9)
    # Every b the judge accepts is on the slider, and a neighbour a step away is not better.
    counts = [ex._on_their_side(X, y, b) for b in ex.BIAS_SLIDER]
    assert max(counts) == 76 and list(ex.BIAS_SLIDER[np.array(counts) == 76]) == [-9.9, -9.8]


def test_the_predicted_shape_is_what_the_chapter_computes():
    X_batch, W = np.zeros((3, 3)), np.zeros((2, 3))
    assert (X_batch @ W.T + np.zeros(2)).shape == SOLUTIONS["01.4"]
    assert N.neuron([2.5] * 4, np.ones(4), -10.0, "step") == SOLUTIONS["01.1"]
    z = np.array([0.0, 3.0])
    assert np.allclose(SOLUTIONS["01.2"](z), sig(z) * (1 - sig(z)))
