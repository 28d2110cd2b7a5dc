"""Tests for nnlib.chapters.ch06_tokens_and_embeddings.

Pairs, the negative-sampling loss and its gradient, similarity,
nearest neighbours, PCA and analogies on hand-made embeddings, and a tiny training run."""

import numpy as np
import pytest

from nnlib import functional as F
from nnlib.chapters import ch06_tokens_and_embeddings as word2vec
from nnlib.gradcheck import check_grad
from nnlib.optim import Adam
from nnlib.tensor import Tensor


def test_split_words_lowercases_and_keeps_inner_apostrophes():
    assert word2vec.split_words("Thou art, O'er the HILL!\nNay-nay 3") == [
        "thou", "art", "o'er", "the", "hill", "nay", "nay",
    ]  # fmt: skip


def test_build_vocab_orders_by_count_then_alphabet():
    itos, counts = word2vec.build_vocab(["b", "a", "c", "a", "b", "d", "a"], 3)
    assert itos == ["a", "b", "c"]  # c and d tie with 1: c first
    assert counts.tolist() == [3, 2, 1]


def test_encode_words_drops_unknown_words():
    ids = word2vec.encode_words(["a", "zzz", "b", "a"], {"a": 0, "b": 1})
    assert ids.tolist() == [0, 1, 0] and ids.dtype == np.int64


def test_skipgram_pairs_window_1_by_hand():
    centers, contexts = word2vec.skipgram_pairs(np.array([10, 11, 12]), window=1)
    pairs = sorted(zip(centers.tolist(), contexts.tolist(), strict=True))
    assert pairs == [(10, 11), (11, 10), (11, 12), (12, 11)]


@pytest.mark.parametrize("N, window", [(1, 2), (2, 2), (7, 1), (7, 3), (20, 5), (4, 10)])
def test_skipgram_pairs_count_shapes_and_no_self_pairs(N, window):
    positions = np.arange(N)  # ids equal positions, so a self-pair would show as c == o
    centers, contexts = word2vec.skipgram_pairs(positions, window)
    expected = sum(2 * (N - d) for d in range(1, min(window, N - 1) + 1))
    assert centers.shape == contexts.shape == (expected,)
    assert np.all(centers != contexts)  # never a position with itself
    assert np.all(np.abs(centers - contexts) <= window)
    assert len(set(zip(centers.tolist(), contexts.tolist(), strict=True))) == expected


def test_skipgram_pairs_rejects_bad_input():
    with pytest.raises(ValueError, match="expects ids of shape"):
        word2vec.skipgram_pairs(np.zeros((2, 3), dtype=np.int64), 2)
    with pytest.raises(ValueError, match="window must be"):
        word2vec.skipgram_pairs(np.arange(5), 0)


def test_keep_probabilities_thin_only_frequent_words():
    counts = np.array([10_000, 100, 1])
    keep = word2vec.keep_probabilities(counts, t=0.02)
    f = counts / counts.sum()
    assert keep[0] == pytest.approx(np.sqrt(0.02 / f[0]) + 0.02 / f[0])
    assert keep[0] < 0.5 and keep[1] == keep[2] == 1.0


def test_subsample_is_seeded_and_drops_only_thinned_words():
    ids = np.array([0, 1] * 500)
    kept = word2vec.subsample(ids, np.array([0.5, 1.0]), np.random.default_rng(0))
    again = word2vec.subsample(ids, np.array([0.5, 1.0]), np.random.default_rng(0))
    assert np.array_equal(kept, again)
    assert np.sum(kept == 1) == 500 and 200 < np.sum(kept == 0) < 300


def test_negative_sampling_follows_count_to_the_three_quarters():
    p = word2vec.negative_distribution(np.array([16, 1]))
    assert p == pytest.approx(np.array([8, 1]) / 9)  # 16^0.75 = 8
    draws = word2vec.sample_negatives(p, (20_000,), np.random.default_rng(0))
    assert draws.min() >= 0 and draws.max() <= 1
    assert np.mean(draws == 1) == pytest.approx(1 / 9, abs=0.01)


def test_log_sigmoid_values_extremes_and_gradient():
    s = Tensor([-800.0, -3.0, 0.0, 2.0, 800.0], dtype=np.float64)
    out = word2vec.log_sigmoid(s)
    expected = [-800.0, -np.log1p(np.exp(3.0)), -np.log(2.0), -np.log1p(np.exp(-2.0)), 0.0]
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-300)
    out.sum().backward()
    sig_neg = 1 / (1 + np.exp(np.clip(s.data, -50, 50)))  # d/ds log sigmoid(s) = sigmoid(-s)
    np.testing.assert_allclose(s.grad, sig_neg, rtol=1e-12, atol=1e-20)
    assert s.grad[2] == pytest.approx(0.5)  # the slope at 0, where every score starts


def _hand_loss(U, Vc, centers, contexts, negatives):
    """L averaged over the batch, straight from the formula in plain numpy."""
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    total = 0.0
    for c, o, negs in zip(centers, contexts, negatives, strict=True):
        total += -np.log(sig(U[c] @ Vc[o])) - sum(np.log(sig(-U[c] @ Vc[n])) for n in negs)
    return total / len(centers)


def test_skipgram_loss_matches_the_formula_and_starts_at_k_plus_1_log_2():
    rng = np.random.default_rng(0)
    model = word2vec.SkipGram(7, 4, rng)
    centers, contexts = np.array([0, 3, 3]), np.array([1, 2, 6])
    negatives = np.array([[4, 5], [0, 0], [6, 1]])  # K = 2, a repeated negative
    assert model(centers, contexts, negatives).item() == pytest.approx(3 * np.log(2))
    model.Vc.W.data[:] = rng.normal(size=(7, 4))
    L = model(centers, contexts, negatives)
    expected = _hand_loss(model.U.W.data, model.Vc.W.data, centers, contexts, negatives)
    assert L.item() == pytest.approx(expected, rel=1e-5)


def test_skipgram_loss_gradient_matches_finite_differences():
    rng = np.random.default_rng(1)
    model = word2vec.SkipGram(6, 3, rng, init_std=0.7).astype(np.float64)
    model.Vc.W.data[:] = rng.normal(size=(6, 3))
    centers, contexts = np.array([0, 2, 2, 5]), np.array([1, 3, 0, 5])
    negatives = rng.integers(0, 6, size=(4, 3))
    err = check_grad(lambda: model(centers, contexts, negatives), model.parameters())
    assert err < 1e-6


def test_skipgram_rejects_mismatched_shapes():
    model = word2vec.SkipGram(5, 2, np.random.default_rng(0))
    with pytest.raises(ValueError, match="negatives"):
        model(np.array([0, 1]), np.array([1, 2]), np.array([1, 2]))
    with pytest.raises(ValueError, match="contexts"):
        model(np.array([0, 1]), np.array([1]), np.array([[1], [2]]))


# A hand-made embedding: 2-D vectors at known angles.
ITOS = ["east", "north", "northeast", "west", "south", "zero"]
E_HAND = np.array([[2.0, 0.0], [0.0, 3.0], [1.0, 1.0], [-1.0, 0.0], [0.0, -0.5], [0.0, 0.0]])
STOI = {w: i for i, w in enumerate(ITOS)}


def test_cosine_similarity_by_hand():
    assert F.cosine_similarity(E_HAND[0], E_HAND[2]) == pytest.approx(1 / np.sqrt(2))
    assert F.cosine_similarity(E_HAND[0], E_HAND[3]) == pytest.approx(-1.0)
    M = F.cosine_similarity(E_HAND[:3], E_HAND[:2])  # (3, 2)
    np.testing.assert_allclose(M, [[1, 0], [0, 1], [2**-0.5, 2**-0.5]], atol=1e-12)
    assert np.all(F.normalize_rows(E_HAND)[5] == 0)  # a zero row stays zero, no NaN


def test_nearest_neighbours_on_a_hand_made_embedding():
    E_unit = F.normalize_rows(E_HAND)
    pairs = word2vec.neighbours(E_unit, STOI, ITOS, "east", k=3)
    assert [w for w, _ in pairs] == ["northeast", "north", "south"]  # cos 0.71, 0, 0 (tie: id)
    np.testing.assert_allclose([s for _, s in pairs], [2**-0.5, 0, 0], atol=1e-12)
    ids, sims = word2vec.nearest(E_unit, np.array([0.0, -1.0]), k=2)
    assert ids.tolist() == [4, 0] and sims[0] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="not in the vocabulary"):
        word2vec.neighbours(E_unit, STOI, ITOS, "up", k=2)
    with pytest.raises(ValueError, match="query of shape"):
        word2vec.nearest(E_unit, np.zeros(3), k=2)


def test_pca_on_a_known_2d_case():
    # Two points far apart along y = x, two close together along y = -x, around (5, 5).
    X = 5.0 + np.array([[-2.0, -2.0], [2.0, 2.0], [-0.1, 0.1], [0.1, -0.1]])
    Z, directions, explained = word2vec.pca(X, 2)
    # signs: each direction's largest entry positive (the first of equal ones)
    np.testing.assert_allclose(directions, [[2**-0.5, 2**-0.5], [2**-0.5, -(2**-0.5)]])
    # coordinates: +-2*sqrt(2) along the first direction, +-0.1*sqrt(2) along the second
    r, q = 2 * np.sqrt(2), 0.1 * np.sqrt(2)
    np.testing.assert_allclose(Z, [[-r, 0], [r, 0], [0, -q], [0, q]], atol=1e-12)
    np.testing.assert_allclose(explained, [16 / 16.04, 0.04 / 16.04])
    Z1, _, _ = word2vec.pca(X, 1)
    np.testing.assert_allclose(Z1[:, 0], Z[:, 0], atol=1e-12)
    with pytest.raises(ValueError, match="pca expects X"):
        word2vec.pca(np.zeros(5))


def test_analogy_works_on_a_hand_made_embedding():
    # Axis 0: royal, axis 1: female, axis 2: person-ness, so king - man + woman = queen.
    itos = ["man", "woman", "king", "queen", "apple"]
    E = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1], [0, 0, -1]], dtype=float)
    E_unit = F.normalize_rows(E)
    stoi = {w: i for i, w in enumerate(itos)}
    best = word2vec.analogy(E_unit, stoi, itos, "man", "king", "woman", k=2)
    assert best[0][0] == "queen" and best[0][1] > 0.9
    assert "king" not in [w for w, _ in best]  # the inputs are left out
    with pytest.raises(ValueError, match="not in the vocabulary"):
        word2vec.analogy(E_unit, stoi, itos, "man", "king", "girl")


def test_tiny_training_run_lowers_the_loss_and_separates_groups():
    # Two "topics": sentences of fruit words and sentences of animal words.
    rng = np.random.default_rng(0)
    topics = [["apple", "pear", "plum", "fig", "lime"], ["cat", "dog", "cow", "pig", "hen"]]
    sentences = [rng.choice(topics[k % 2], 6) for k in range(600)]
    text = ". ".join(" ".join(sentence) for sentence in sentences)
    data = word2vec.training_pairs(text, 10, window=2, rng=rng, t=1.0)
    model = word2vec.SkipGram(len(data["itos"]), 8, rng)
    p_neg = word2vec.negative_distribution(data["counts"])
    history = word2vec.train(
        model, Adam(model.parameters(), lr=0.05), data["centers"], data["contexts"], p_neg,
        rng, n_epochs=3, batch_size=256, K=3,
    )  # fmt: skip
    loss = np.array(history["loss"])
    assert loss[0] == pytest.approx(4 * np.log(2), rel=1e-5)
    assert loss[-10:].mean() < 0.8 * loss[0]
    E_unit = F.normalize_rows(model.U.W.data)
    stoi, itos = data["stoi"], data["itos"]
    same = [w for w, _ in word2vec.neighbours(E_unit, stoi, itos, "apple", 4)]
    assert set(same) == {"pear", "plum", "fig", "lime"}  # its own topic first
