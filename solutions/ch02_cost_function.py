"""Worked solutions to chapter 02's exercises (kept out of the chapter and of the package).

`python scripts/exercises.py solution 02.1` prints one; `solutions` checks them all; `key DIR`
writes the chapters with these filled in. A function here has the same name as the stub the
reader fills in; a number is the answer to a predict or explore exercise.
"""

import numpy as np

from nnlib import functional as F


def example_cost(a, y):
    squares = (a - y) ** 2  # (..., K)
    return squares.sum(axis=-1)  # (..., K) -> (...): one cost per example


def my_softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))  # each row's largest logit becomes e^0 = 1
    return e / e.sum(axis=-1, keepdims=True)  # each row adds up to 1


def squared_cost_slope(z):
    a = F.sigmoid(z)
    return 2 * (a - 1) * a * (1 - a)  # d(a - 1)^2/da times da/dz


SOLUTIONS = {
    "02.1": example_cost,
    "02.2": 9,  # (1 - 1)^2 + 9 * (1 - 0)^2
    "02.3": my_softmax,
    "02.4": squared_cost_slope,
    "02.5": 50.5,  # (p - 1) / (-2 p (1 - p)^2) at p = 0.01
    "02.6": 0.98,  # spread 0: 0.7^2 for the right digit + 0.7^2 for its look-alike
}
