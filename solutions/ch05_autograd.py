"""Worked solutions to chapter 05's exercises (kept out of the chapter and of the package).

`python scripts/exercises.py solution 05.2` prints one; `solutions` checks them all; `key DIR`
writes the chapters with these filled in. A function here has the same name as the stub the
reader fills in; a number is the answer to a predict or explore exercise.
"""

import math

import numpy as np


def sigmoid_op(a):
    s = 1 / (1 + math.exp(-a))
    return s, (s * (1 - s),)


def div(a, b):
    return a / b, (1 / b, -a / b**2)


def unbroadcast_mine(grad, shape):
    while grad.ndim > len(shape):  # axes numpy added in front
        grad = grad.sum(axis=0)
    for axis, n in enumerate(shape):  # axes numpy stretched from length 1
        if n == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


def matmul_grads(A, B, G):
    return G @ B.T, A.T @ G


SOLUTIONS = {
    "05.3": -3.209,  # d.grad = 2d, d = -1.604
    "05.2": sigmoid_op,
    "05.1": div,
    "05.4": 27,  # 3 x^2 at x = 3
    "05.7": unbroadcast_mine,
    "05.6": matmul_grads,
    "05.5": 4,  # L, d, y, a have passed their shares on
}

_ = np  # numpy arrays arrive as arguments; imported for a reader who runs a solution alone
