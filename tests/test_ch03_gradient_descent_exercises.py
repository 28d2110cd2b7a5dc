"""Chapter 03's exercises: each worked solution passes, and each typical wrong answer (a mistake
the chapter warns about) is rejected with its own feedback."""

import sys
from pathlib import Path

import numpy as np
import pytest

from nnlib.exercises import ch03_gradient_descent as ex

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def path_of(step):
    """A reader's loop with its own update step(w, slope, lr, w0)."""

    def descend(slope, w0, lr, n_steps):
        w, path = w0, [w0]
        for _ in range(n_steps):
            w = step(w, slope, lr, w0)
            path.append(w)
        return path

    return descend


RIGHT_PATH = path_of(lambda w, s, lr, w0: w - lr * s(w))


def gradient_of(entry):
    """A reader's numerical gradient whose entry i is entry(cost, theta, h, e)."""

    def numerical_gradient(cost, theta, h):
        return [entry(cost, theta, h, e) for e in np.eye(len(theta))]

    return numerical_gradient


def nudge_in_place(cost, theta, h):
    grad = []
    for i in range(len(theta)):
        theta[i] += h  # the caller's theta moves, and is never put back
        up = cost(theta)
        theta[i] -= 2 * h
        grad.append((up - cost(theta)) / (2 * h))
    return grad


def fresh_draw_per_batch(n, batch_size, rng):  # the chapter's first SGD loop
    return [rng.choice(n, size=batch_size, replace=False) for _ in range(n // batch_size)]


def keep_the_rest(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[k : k + batch_size] for k in range(0, n, batch_size)]


def in_order(n, batch_size, rng):
    return [np.arange(k, k + batch_size) for k in range(0, n - batch_size + 1, batch_size)]


def global_random(n, batch_size, rng):
    order = np.random.permutation(n)
    return [order[k * batch_size : (k + 1) * batch_size] for k in range(n // batch_size)]


WRONG = [  # exercise, wrong answer, words the feedback must contain
    ("03.1", 4.2, "wrong sign"),
    ("03.1", -1.0, "forgot the learning rate"),
    ("03.1", 2.7, "lr times the slope"),
    ("03.1", 1, "jump straight there"),
    ("03.1", 2.4, "twice as much"),
    ("03.1", "1.8", "enter a number"),
    ("03.2", path_of(lambda w, s, lr, w0: w + lr * s(w)), "wrong sign"),
    ("03.2", path_of(lambda w, s, lr, w0: w - s(w)), "forgot the learning rate"),
    ("03.2", path_of(lambda w, s, lr, w0: w - lr * s(w0)), "slope again"),
    ("03.2", lambda *args: RIGHT_PATH(*args)[1:], "start with w0"),
    ("03.2", lambda *args: RIGHT_PATH(*args)[-1], "one number"),
    ("03.3", 0.5, "start to overshoot"),
    ("03.3", 0.8, "still converges"),
    ("03.3", 3.16, "so do smaller"),
    ("03.3", 0.1, "does not even jump"),
    ("03.4", 1.33, "bottom of a valley"),
    ("03.4", 0.0, "tilts"),
    ("03.4", 0.5, "right valley"),
    ("03.5", gradient_of(lambda c, t, h, e: (c(t + h * e) - c(t - h * e)) / h), "twice too large"),
    ("03.5", gradient_of(lambda c, t, h, e: (c(t + h * e) - c(t)) / h), "one-sided"),
    ("03.5", gradient_of(lambda c, t, h, e: (c(t + h) - c(t - h)) / (2 * h)), "at once"),
    ("03.5", nudge_in_place, "changed the theta"),
    ("03.5", lambda c, t, h: 0.0, "one entry per parameter"),
    ("03.6", fresh_draw_per_batch, "appears twice"),
    ("03.6", keep_the_rest, "short batch"),
    ("03.6", in_order, "in order"),
    ("03.6", global_random, "same seed"),
    ("03.7", -2.0 - 0.1351, "plain descent"),
    ("03.7", -5.162, "bias correction"),
    ("03.7", -1.0, "wrong way"),
    ("03.7", 3.0, "where b goes"),
]


@pytest.mark.parametrize("exercise_id, answer, words", WRONG)
def test_a_typical_mistake_is_named(exercise_id, answer, words):
    result = ex.check(exercise_id, answer)
    assert result.ok is False, result
    assert words in result.message, result.message


def test_every_exercise_has_at_least_three_named_mistakes_except_the_slider_ones():
    counts = {i: sum(1 for e, _, _ in WRONG if e == i) for i in ex.EXERCISES}
    assert all(n >= 3 for i, n in counts.items() if ex.EXERCISES[i].kind != "explore"), counts
    assert all(n >= 2 for n in counts.values()), counts


def test_the_slider_answers_follow_the_chapters_math():
    assert ex.check("03.3", 1.12).ok and not ex.check("03.3", 1.2).ok  # one notch above lr = 1
    assert ex.check("03.4", 0.2).ok and ex.check("03.4", 0.1517).ok  # the hump is at 0.152
    assert not ex.check("03.4", 0.25).ok


def test_nudging_theta_in_place_and_putting_it_back_is_right():
    def numerical_gradient(cost, theta, h):
        grad = np.zeros_like(theta)
        for i in range(len(theta)):
            theta[i] += h
            up = cost(theta)
            theta[i] -= 2 * h
            down = cost(theta)
            theta[i] += h  # back, up to rounding
            grad[i] = (up - down) / (2 * h)
        return grad

    assert ex.check("03.5", numerical_gradient).ok is True
