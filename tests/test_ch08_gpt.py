"""Tests for nnlib.chapters.ch08_gpt: the measurements chapter 08 makes on the trained GPT."""

import numpy as np
import pytest

from nnlib.chapters import ch08_gpt as gpt_math


def test_pca_2d_finds_the_directions_of_largest_spread():
    rng = np.random.default_rng(0)
    # 200 points spread 10 along one direction, 3 along a second, 0.1 along a third
    directions, _ = np.linalg.qr(rng.normal(size=(5, 3)))  # (5, 3) orthonormal columns
    coords = rng.normal(size=(200, 3)) * [10.0, 3.0, 0.1]
    X = coords @ directions.T + 7.0  # (200, 5), shifted: pca_2d must centre
    Z, share = gpt_math.pca_2d(X)
    assert Z.shape == (200, 2) and share.shape == (2,)
    assert np.allclose(Z.mean(axis=0), 0, atol=1e-9)
    assert share[0] > share[1] > 0 and share.sum() > 0.99
    # the map keeps the distances of the two big directions (up to the sign of each axis)
    centred = coords[:, :2] - coords[:, :2].mean(axis=0)
    for k in range(2):
        assert abs(np.corrcoef(Z[:, k], centred[:, k])[0, 1]) > 0.999


def test_pca_2d_rejects_a_single_row():
    with pytest.raises(ValueError, match="at least two rows"):
        gpt_math.pca_2d(np.ones((1, 4)))


def test_char_groups():
    chars = list("\n !,3AEaeibz")
    groups = gpt_math.char_groups(chars)
    assert groups == {
        "vowels": [7, 8, 9],
        "consonants": [10, 11],
        "capitals": [5, 6],
        "punctuation": [2, 3],
    }


def test_group_distances_by_hand():
    E = np.array([[0.0, 0.0], [0.0, 1.0], [4.0, 0.0], [4.0, 3.0]])
    d = gpt_math.group_distances(E, {"near": [0, 1], "far": [2, 3]})
    # within "near": |(0,0)-(0,1)| = 1; between: (4 + 5 + sqrt(17) + sqrt(20)) / 4
    assert d["near"][0] == pytest.approx(1.0)
    assert d["near"][1] == pytest.approx((4 + 5 + np.sqrt(17) + np.sqrt(20)) / 4)
    assert d["far"][0] == pytest.approx(3.0)
    with pytest.raises(ValueError, match="needs two members"):
        gpt_math.group_distances(E, {"alone": [0]})


def test_case_distance_by_hand():
    chars = ["a", "A", "b", "!"]  # only "a" has both cases
    E = np.array([[0.0, 0.0], [3.0, 4.0], [0.0, 1.0], [1.0, 0.0]])
    same, every = gpt_math.case_distance(E, chars)
    assert same == pytest.approx(5.0)
    pairs = [5.0, 1.0, 1.0, np.sqrt(18), np.sqrt(20), np.sqrt(2)]
    assert every == pytest.approx(np.mean(pairs))
    with pytest.raises(ValueError, match="no letter in both cases"):
        gpt_math.case_distance(E[2:], chars[2:])


def test_invented_words():
    corpus = "To be, or not to be: that is the question.\nROMEO:\nI'll go."
    invented, n = gpt_math.invented_words("To bee or NOT to be, Romeo; queston ll", corpus)
    assert invented == ["bee", "queston"] and n == 9
    assert gpt_math.words("I'll go") == ["i", "ll", "go"]
