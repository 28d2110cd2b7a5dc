"""Chapter 04's exercises: each worked solution passes, and each typical wrong answer (a mistake
the chapter warns about or invites) is rejected with its own feedback."""

import math
import sys
from pathlib import Path

import numpy as np
import pytest

from nnlib.exercises import ch04_backpropagation as ex

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from solutions.ch04_backpropagation import SOLUTIONS  # noqa: E402


def sig(z):
    return 1 / (1 + math.exp(-z))


def relu_backward_with(slope=None, dW=None, db=None, delta_prev=None):
    """The worked solution with one of its three results replaced by a typical mistake."""

    def f(delta, A_prev, W, Z_prev):
        right = SOLUTIONS["04.5"](delta, A_prev, W, Z_prev)
        parts = [
            dW(delta, A_prev) if dW else right[0],
            db(delta) if db else right[1],
            delta_prev(delta, W, Z_prev, A_prev) if delta_prev else right[2],
        ]
        return tuple(parts)

    return f


def layers(sizes):
    return zip(sizes[:-1], sizes[1:], strict=True)  # (n_in, n_out) of each layer


def choose_by(key, best=max):
    return lambda results: best(results, key=lambda name: results[name][key])


WRONG = [  # exercise, wrong answer, words the feedback must contain
    ("04.1", "positive", "is negative"),
    ("04.1", 0, "only if a_k were 0"),
    ("04.1", "up", "enter the word"),
    ("04.2", lambda a_k, z, y: a_k * 2 * (sig(z) - y), "middle link"),
    ("04.2", lambda a_k, z, y: a_k * sig(z) * 2 * (sig(z) - y), "not sigma(z)"),
    ("04.2", lambda a_k, z, y: a_k * sig(z) * (1 - sig(z)) * 2 * (y - sig(z)), "wrong sign"),
    ("04.2", lambda a_k, z, y: a_k * sig(z) * (1 - sig(z)) * (sig(z) - y), "lost the 2"),
    ("04.2", lambda a_k, z, y: a_k * sig(z) * (1 - sig(z)) * 2 * (z - y), "not the weighted"),
    ("04.2", lambda a_k, z, y: sig(z) * (1 - sig(z)) * 2 * (sig(z) - y), "first link"),
    ("04.2", lambda a_k, z, y: (a_k, z, y), "return one number"),
    ("04.2", lambda a_k, z, y: a_k * sig(z) * (1 - sig(z)) * 2 * (sig(z) - 1), "target 1"),
    ("04.3", 0.3, "where the panel starts"),
    ("04.3", 0.6, "too large"),
    ("04.3", -0.2, "positive nudge"),
    ("04.3", 0.05, "the right direction"),
    ("04.3", 3, "runs from -1 to 1"),
    ("04.4", lambda s: sum(a * b for a, b in layers(s)), "forgot the biases"),
    ("04.4", lambda s: sum(a * b + a for a, b in layers(s)), "n_out biases, not n_in"),
    ("04.4", lambda s: sum(a * b + b for a, b in layers(s)) + s[0], "no bias"),
    ("04.4", lambda s: sum(s), "number of neurons"),
    ("04.4", lambda s: float(sum(a * b + b for a, b in layers(s))), "return an int"),
    ("04.4", lambda s: s[0] * s[1] + s[1], "first layer alone"),
    (
        "04.4",
        lambda s: s[0] * s[1] + s[1] + s[1] * s[2] + s[2] + s[2] * s[3] + s[3],
        "any number of layers",
    ),
    ("04.5", relu_backward_with(dW=lambda d, A: A.T @ d), "transposed"),
    ("04.5", relu_backward_with(dW=lambda d, A: d.T @ A / len(d)), "divided by the batch"),
    ("04.5", relu_backward_with(db=lambda d: d.sum(axis=1)), "wrong axis"),
    ("04.5", relu_backward_with(db=lambda d: d.mean(axis=0)), "mean"),
    ("04.5", relu_backward_with(db=lambda d: d.sum(axis=0, keepdims=True)), "keepdims"),
    ("04.5", relu_backward_with(delta_prev=lambda d, W, Z, A: d @ W), "left out ReLU's slope"),
    (
        "04.5",
        relu_backward_with(delta_prev=lambda d, W, Z, A: (d @ W) * sig_prime_array(Z)),
        "sigmoid's slope",
    ),
    ("04.5", relu_backward_with(delta_prev=lambda d, W, Z, A: (d @ W) * A), "activation"),
    (
        "04.5",
        relu_backward_with(delta_prev=lambda d, W, Z, A: d @ W.T * (Z > 0)),
        "shapes do not fit",
    ),
    ("04.5", lambda d, A, W, Z: (d.T @ A, d.sum(axis=0)), "three arrays"),
    ("04.6", 1.0, "the same size"),
    ("04.6", 100.0, "farthest from the cost"),
    ("04.6", 0.25, "one layer's factor"),
    ("04.6", 1e-2, "not small enough"),
    ("04.6", -6, "ratio itself"),
    ("04.6", 1e-12, "smaller than that"),
    ("04.7", choose_by("test_acc"), "used the test set"),
    ("04.7", lambda r: max(r, key=lambda n: r[n]["val_acc"] + r[n]["test_acc"]), "test set"),
    ("04.7", choose_by("train_acc"), "overfitting"),
    ("04.7", choose_by("val_acc", min), "lowest validation"),
    ("04.7", lambda r: max(r[n]["val_acc"] for n in r), "return the setting's name"),
    ("04.7", lambda r: max(r.items(), key=lambda item: item[1]["val_acc"]), "only the name"),
]


def sig_prime_array(Z):
    s = 1 / (1 + np.exp(-Z))
    return s * (1 - s)


@pytest.mark.parametrize("exercise_id, answer, words", WRONG)
def test_a_typical_mistake_is_named(exercise_id, answer, words):
    result = ex.check(exercise_id, answer)
    assert result.ok is False, result
    assert words in result.message, result.message


def test_every_exercise_has_at_least_three_named_mistakes_except_the_slider_one():
    counts = {i: sum(1 for e, _, _ in WRONG if e == i) for i in ex.EXERCISES}
    assert all(n >= 3 for i, n in counts.items() if ex.EXERCISES[i].kind != "explore"), counts
    assert all(n >= 2 for n in counts.values()), counts


def test_the_slider_answer_is_measured_on_the_panels_own_network_and_digit():
    best_eps, best_change = ex._best_nudge()
    assert -1 <= best_eps <= 1 and best_change < 0
    assert ex._cost_change(0.3) > 0.8 * best_change  # the panel's start is not an answer
    assert ex.check("04.3", best_eps).ok is True


def test_the_vanishing_prediction_is_the_chapters_measurement():
    assert 1e-8 < ex._shrink() < 1e-4  # the chapter's assert: sigmoid shrinks below 1e-4
    assert ex.check("04.6", 0.25**8).ok is True  # the bound from sigma' alone is close enough
