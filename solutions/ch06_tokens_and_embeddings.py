"""Worked solutions to chapter 06's exercises (kept out of the chapter and of the package).

`python scripts/exercises.py solution 06.2` prints one; `solutions` checks them all; `key DIR`
writes the chapters with these filled in. A function here has the same name as the stub the
reader fills in; a number is the answer to a predict or explore exercise.
"""

import numpy as np


def merge(ids, pair, new_id):
    out = []
    i = 0
    while i < len(ids):
        if i + 1 < len(ids) and (ids[i], ids[i + 1]) == pair:
            out.append(new_id)
            i += 2  # both tokens of the pair are used up
        else:
            out.append(ids[i])
            i += 1
    return out


def pairs_of(ids, window):
    pairs = []
    for i in range(len(ids)):
        for d in range(1, window + 1):
            for j in (i - d, i + d):
                if 0 <= j < len(ids):  # no wrapping round the ends
                    pairs.append((ids[i], ids[j]))
    return pairs


def cosine_with_all(E, i):
    E_unit = E / np.linalg.norm(E, axis=1, keepdims=True)  # (V, C) unit rows
    return E_unit @ E_unit[i]  # (V, C) @ (C,) -> (V,)


SOLUTIONS = {
    "06.1": 4.174,  # log 65
    "06.2": merge,
    "06.3": 196,  # merge 196 joins ' l' and 'ord'
    "06.4": 2,  # row 4 was looked up twice
    "06.5": pairs_of,
    "06.6": 4.159,  # (K + 1) log 2 with K = 5
    "06.7": cosine_with_all,
}
