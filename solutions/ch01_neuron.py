"""Worked solutions to chapter 01's exercises (kept out of the chapter and of the package).

`python scripts/exercises.py solution 01.2` prints one; `solutions` checks them all; `key DIR`
writes the chapters with these filled in. A function here has the same name as the stub the
reader fills in; a number or a shape is the answer to a predict or explore exercise.
"""

import numpy as np

from nnlib import functional as F


def sigmoid_slope(z):
    s = F.sigmoid(z)
    return s * (1 - s)


def sigmoid_layer(X, W, b):
    Z = X @ W.T + b  # (B, n_in) @ (n_in, n_out) -> (B, n_out)
    return F.sigmoid(Z)


def n_parameters(sizes):
    total = 0
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        total += n_out * n_in + n_out  # a weight matrix (n_out, n_in) and n_out biases
    return total


SOLUTIONS = {
    "01.1": 0,  # z = 10 - 10 = 0, and the step fires only where z > 0
    "01.2": sigmoid_slope,
    "01.3": -9.9,  # 76 of 80 points on their side (so does -9.8)
    "01.4": (3, 2),  # one row per example, one column per output neuron
    "01.5": sigmoid_layer,
    "01.6": n_parameters,
}

_ = np  # numpy arrays arrive as arguments; imported for a reader who runs a solution alone
