"""Worked solutions to chapter 03's exercises (kept out of the chapter and of the package).

`python scripts/exercises.py solution 03.2` prints one; `solutions` checks them all; `key DIR`
writes the chapters with these filled in. A function here has the same name as the stub the
reader fills in; a number is the answer to a predict or explore exercise.
"""

import numpy as np


def descend(slope, w0, lr, n_steps):
    w = w0
    path = [w]
    for _ in range(n_steps):
        w = w - lr * slope(w)  # the update rule, with the slope at the current w
        path.append(w)
    return path


def numerical_gradient(cost, theta, h):
    grad = np.zeros(len(theta))
    for i in range(len(theta)):
        e = np.zeros(len(theta))
        e[i] = 1.0  # nudge parameter i only
        grad[i] = (cost(theta + h * e) - cost(theta - h * e)) / (2 * h)
    return grad


def epoch_batches(n, batch_size, rng):
    order = rng.permutation(n)  # one shuffle for the whole epoch
    return [order[k * batch_size : (k + 1) * batch_size] for k in range(n // batch_size)]


SOLUTIONS = {
    "03.1": 1.8,  # 3 - 0.3 * 2 * (3 - 1)
    "03.2": descend,
    "03.3": 1.0,  # r = 1 - 2 lr reaches -1
    "03.4": 0.15,  # the hump, the middle root of w^3 - 2w + 0.3, is at 0.152
    "03.5": numerical_gradient,
    "03.6": epoch_batches,
    "03.7": -3.0,  # Adam's first step moves w by lr = 1 against the sign of dL/dw
}
