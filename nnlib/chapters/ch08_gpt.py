"""Looking at what the trained GPT learned and wrote: the math behind chapter 08's measurements.

The model itself is in nnlib.gpt and its sampling in nnlib.sampling. This module holds the
few measurements the chapter makes on top of them:

    pca_2d           the first two principal components of a set of vectors (a 2-D map)
    char_groups      the model's characters sorted into vowels, consonants, capitals, punctuation
    group_distances  mean distance inside a group against mean distance to everything else
    case_distance    mean distance between a lowercase letter and its capital
    invented_words   the words of a sample that never occur in the training text
"""

import re

import numpy as np

WORD = re.compile(r"[a-z]+")  # a word: a run of letters (compared in lowercase)


def pca_2d(X):
    """The first two principal components of the rows of X: the best flat 2-D map of them.

    Centre the rows, Xc = X - mean, and take the singular value decomposition
    Xc = U diag(s) Vt. The rows of Vt are the directions of largest spread, so
    Z = Xc @ Vt[:2].T are the points' coordinates along the first two, and s_i^2 / sum s^2
    is the share of all the spread that direction i carries.
    X: (N, C) -> Z: (N, 2), share: (2,)
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or len(X) < 2:
        raise ValueError(f"pca_2d expects at least two rows X (N, C), got shape {X.shape}")
    Xc = X - X.mean(axis=0)  # (N, C): centred
    _, s, Vt = np.linalg.svd(Xc, full_matrices=False)  # s: (min(N, C),), Vt: (., C)
    share = s**2 / np.sum(s**2)
    return Xc @ Vt[:2].T, share[:2]  # (N, C) @ (C, 2) -> (N, 2)


def char_groups(chars):
    """The indices of a vocabulary's characters, by kind.

    "vowels": a e i o u;  "consonants": the other lowercase letters;  "capitals": A to Z;
    "punctuation": everything else except the space, the line break and digits (which fit
    no group and are left out).
    chars: the vocabulary, one character per id -> dict name -> list of ids
    """
    groups = {"vowels": [], "consonants": [], "capitals": [], "punctuation": []}
    for i, ch in enumerate(chars):
        if ch in "aeiou":
            groups["vowels"].append(i)
        elif ch.islower():
            groups["consonants"].append(i)
        elif ch.isupper():
            groups["capitals"].append(i)
        elif not (ch.isspace() or ch.isdigit()):
            groups["punctuation"].append(i)
    return groups


def _distances(A, B):
    """Euclidean distances between every row of A (n, C) and every row of B (m, C) -> (n, m)."""
    return np.linalg.norm(A[:, None, :] - B[None, :, :], axis=-1)


def group_distances(E, groups):
    """For each group of rows of E: the mean distance inside it, and to all other rows.

    within  = mean of |e_i - e_j| over pairs i < j in the group
    between = mean of |e_i - e_k| over i in the group and k not in it
    A group whose rows gather has within < between.
    E: (N, C), groups: dict name -> list of row indices -> dict name -> (within, between)
    """
    E = np.asarray(E, dtype=np.float64)
    result = {}
    for name, members in groups.items():
        if len(members) < 2:
            raise ValueError(f"group_distances: group {name!r} needs two members, has {members}")
        inside = E[members]  # (n, C)
        outside = np.delete(E, members, axis=0)  # (N - n, C)
        D = _distances(inside, inside)  # (n, n)
        within = D[np.triu_indices(len(members), k=1)].mean()
        result[name] = (float(within), float(_distances(inside, outside).mean()))
    return result


def case_distance(E, chars):
    """Mean distance between a lowercase letter's vector and its capital's, and between all pairs.

    -> (mean over letters x with both x and X in chars of |e_x - e_X|,
        mean over all pairs i < j of |e_i - e_j|)
    E: (N, C) one row per character of chars
    """
    E = np.asarray(E, dtype=np.float64)
    index = {ch: i for i, ch in enumerate(chars)}
    pairs = [(index[ch], index[ch.upper()]) for ch in chars if ch.islower() and ch.upper() in index]
    if not pairs:
        raise ValueError("case_distance: the vocabulary has no letter in both cases")
    lower, upper = np.array(pairs).T  # (P,) each
    same_letter = np.linalg.norm(E[lower] - E[upper], axis=1).mean()
    every_pair = _distances(E, E)[np.triu_indices(len(E), k=1)].mean()
    return float(same_letter), float(every_pair)


def words(text):
    """The words of a text, lowercased: runs of letters (an apostrophe splits a word)."""
    return WORD.findall(text.lower())


def invented_words(sample, corpus):
    """The words of `sample` that occur nowhere in `corpus`, in order, repeats kept.

    A word is a run of letters, compared in lowercase. -> (invented: list of str, n_words: int)
    """
    known = set(words(corpus))
    sample_words = words(sample)
    return [w for w in sample_words if w not in known], len(sample_words)
