"""Worked solutions to chapter 07's exercises (kept out of the chapter and of the package).

`python scripts/exercises.py solution 07.3` prints one; `solutions` checks them all; `key DIR`
writes the chapters with these filled in. A function here has the same name as the stub the
reader fills in; a number is the answer to a predict or explore exercise.
"""

import numpy as np


def allowed_mask(T):
    return np.tril(np.ones((T, T), dtype=bool))  # s <= t: on and below the diagonal


def attend(q, k, v):
    T, d = q.shape
    S = q @ k.T / np.sqrt(d)  # (T, T) scaled scores
    S = np.where(np.tril(np.ones((T, T), dtype=bool)), S, -np.inf)  # hide the future
    A = np.exp(S - S.max(axis=1, keepdims=True))  # e^-inf = 0; no overflow
    return (A / A.sum(axis=1, keepdims=True)) @ v  # each row of A sums to 1


def split_into_heads(X, H):
    T, C = X.shape
    return X.reshape(T, H, C // H).swapaxes(0, 1)  # (T, H, hs) -> (H, T, hs)


SOLUTIONS = {
    "07.1": 256,  # d products of variance 1
    "07.2": allowed_mask,
    "07.3": attend,
    "07.4": split_into_heads,
    "07.5": 3.871,  # log 48: positions 0 to 47 share equally
    "07.6": 3.7,  # the first slider value whose readout says 0.90
    "07.7": 39,  # positions 10 to 48
}
