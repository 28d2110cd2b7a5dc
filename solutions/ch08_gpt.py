"""Worked solutions to chapter 08's exercises (kept out of the chapter and of the package).

`python scripts/exercises.py solution 08.2` prints one; `solutions` checks them all; `key DIR`
writes the chapters with these filled in. A function here has the same name as the stub the
reader fills in; a tuple, number or string is the answer to a predict or explore exercise.
"""

import numpy as np


def probs_with_temperature(z, temperature):
    if temperature == 0:  # greedy: the limit of ever smaller temperatures
        return np.eye(len(z))[np.argmax(z)]
    scaled = (z - np.max(z)) / temperature  # the largest becomes 0: exp cannot overflow
    return np.exp(scaled) / np.exp(scaled).sum()


def keep_largest(z, k):
    threshold = np.sort(z)[::-1][min(k, len(z)) - 1]  # the k-th largest score
    return np.where(z >= threshold, z, -np.inf)  # a new array; z stays as it was


def count_weights(V, C, L, H):
    hs = C // H
    per_block = 3 * H * hs * C + C * C + 2 * (4 * C) * C  # q, k, v heads, output, MLP
    return 2 * V * C + L * per_block  # embedding and unembedding, then L blocks


SOLUTIONS = {
    "08.1": (1, 15, 65),  # (B, T, V)
    "08.2": probs_with_temperature,
    "08.3": keep_largest,
    "08.4": 0.15,  # the first slider value whose red bar reads 0.99
    "08.5": "KING RICHAR",  # 'D' with 0.92
    "08.6": count_weights,
    "08.7": 4.17,  # ln 65
}
