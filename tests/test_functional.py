"""Tests for nnlib.functional (numpy) and nnlib.losses (Tensors): activations, one_hot, losses.

Each loss is tested in both forms on the same numbers: the sanctioned pair must agree.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib import functional as F
from nnlib import losses
from nnlib.gradcheck import check_grad
from nnlib.tensor import Tensor


def t64(a):
    return Tensor(a, dtype=np.float64)


# ---- activations -------------------------------------------------------------------


def test_sigmoid_values_and_no_overflow():
    z = np.array([-1000.0, -1.0, 0.0, 2.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise"):
            s = F.sigmoid(z)
    np.testing.assert_allclose(s, [0.0, 1 / (1 + np.e), 0.5, 1 / (1 + np.exp(-2)), 1.0])


def test_relu_and_gelu():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(F.relu(z), [0.0, 0.0, 3.0])
    np.testing.assert_allclose(F.gelu(np.array([0.0, 10.0, -10.0])), [0.0, 10.0, 0.0], atol=1e-12)
    # gelu(1) = 0.5 * (1 + tanh(sqrt(2/pi) * 1.044715)) = 0.841192 (torch agrees)
    np.testing.assert_allclose(F.gelu(1.0), 0.8411919906082768, rtol=1e-12)


def test_softmax_logsumexp_log_softmax():
    z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    e = np.exp([1.0, 2.0, 3.0])
    np.testing.assert_allclose(F.softmax(z)[0], e / e.sum())
    np.testing.assert_allclose(F.softmax(z)[1], [1 / 3] * 3)
    np.testing.assert_allclose(F.logsumexp(z), [np.log(e.sum()), np.log(3)])
    np.testing.assert_allclose(F.log_softmax(z), np.log(F.softmax(z)))
    np.testing.assert_allclose(F.softmax(z, axis=0).sum(axis=0), 1.0)


# ---- one_hot -------------------------------------------------------------------------


def test_one_hot():
    np.testing.assert_array_equal(F.one_hot(np.array([2, 0, 1]), 3), np.eye(3)[[2, 0, 1]])
    assert F.one_hot(np.zeros((2, 5), dtype=int), 4).shape == (2, 5, 4)
    assert F.one_hot([1, 1], 2).sum() == 2


def test_one_hot_rejects_bad_labels():
    with pytest.raises(ValueError, match=r"label 3 is out of range \[0, 3\)"):
        F.one_hot(np.array([0, 3]), 3)
    with pytest.raises(ValueError, match="label -1 is out of range"):
        F.one_hot(np.array([-1]), 3)
    with pytest.raises(ValueError, match="integer class labels.*float64"):
        F.one_hot(np.array([0.0, 1.5]), 3)


# ---- mse -----------------------------------------------------------------------------

# Two examples with two outputs each, worked out by hand:
# example 1: (0.5 - 1)^2 + (0.2 - 0)^2 = 0.25 + 0.04 = 0.29
# example 2: (0.1 - 0)^2 + (0.9 - 1)^2 = 0.01 + 0.01 = 0.02
# L = (0.29 + 0.02) / 2 = 0.155
Y_HAT = np.array([[0.5, 0.2], [0.1, 0.9]])
TARGETS = np.array([[1.0, 0.0], [0.0, 1.0]])
LABELS = np.array([0, 1])


def test_mse_by_hand():
    assert F.mse(Y_HAT, TARGETS) == pytest.approx(0.155, rel=1e-12)
    assert F.mse(Y_HAT, LABELS) == pytest.approx(0.155, rel=1e-12)  # labels become one-hot
    assert isinstance(F.mse(Y_HAT, TARGETS), float)
    L = losses.mse(t64(Y_HAT), TARGETS)
    assert isinstance(L, Tensor) and L.shape == ()
    assert L.item() == pytest.approx(0.155, rel=1e-12)
    assert losses.mse(t64(Y_HAT), LABELS).item() == pytest.approx(0.155, rel=1e-12)
    assert F.mse(Y_HAT.tolist(), TARGETS.tolist()) == pytest.approx(0.155, rel=1e-12)


def test_mse_one_output_per_example():
    assert F.mse(np.array([1.0, 2.0]), np.array([0.0, 0.0])) == pytest.approx(2.5)


def test_mse_gradient():
    rng = np.random.default_rng(0)
    P, K = 5, 3
    y_hat = t64(rng.normal(size=(P, K)))
    y = rng.normal(size=(P, K))
    assert check_grad(lambda: losses.mse(y_hat, y), [y_hat]) < 1e-6
    y_hat.grad = None
    losses.mse(y_hat, y).backward()
    np.testing.assert_allclose(y_hat.grad, 2 * (y_hat.data - y) / P)  # dL/dy_hat = (2/P)(y_hat - y)
    labels = rng.integers(0, K, P)
    assert check_grad(lambda: losses.mse(y_hat, labels), [y_hat]) < 1e-6


def test_mse_with_a_tensor_target():
    y_hat = t64(Y_HAT)
    y = t64(TARGETS)
    L = losses.mse(y_hat, y)
    L.backward()
    np.testing.assert_allclose(y.grad, -y_hat.grad)
    assert F.mse(Y_HAT, y) == pytest.approx(0.155)


def test_mse_shape_errors():
    with pytest.raises(ValueError, match=r"mse expects y of shape \(2, 2\).*or \(2,\).*got \(3,\)"):
        F.mse(Y_HAT, np.array([0, 1, 1]))
    with pytest.raises(ValueError, match=r"got \(2, 3\)"):
        losses.mse(t64(Y_HAT), np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"label 2 is out of range \[0, 2\)"):
        F.mse(Y_HAT, np.array([0, 2]))
    with pytest.raises(ValueError, match="integer class labels"):
        F.mse(Y_HAT, np.array([0.0, 1.0]))


# ---- cross_entropy -------------------------------------------------------------------


def test_cross_entropy_by_hand():
    # logits [0, log 3]: softmax = [1/4, 3/4]; label 1 -> -log(3/4); label 0 -> -log(1/4)
    logits = np.array([[0.0, np.log(3.0)], [0.0, np.log(3.0)]])
    y = np.array([1, 0])
    want = (-np.log(0.75) - np.log(0.25)) / 2
    assert F.cross_entropy(logits, y) == pytest.approx(want, rel=1e-12)
    assert isinstance(F.cross_entropy(logits, y), float)
    L = losses.cross_entropy(t64(logits), y)
    assert isinstance(L, Tensor) and L.shape == ()
    assert L.item() == pytest.approx(want, rel=1e-12)
    # equal logits over K classes: L = log K
    assert F.cross_entropy(np.zeros((4, 10)), np.arange(4)) == pytest.approx(np.log(10))


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.booleans(), st.integers(0, 2**32 - 1))
def test_cross_entropy_numpy_and_tensor_agree_and_gradient(P, K, batched, seed):
    rng = np.random.default_rng(seed)
    shape = (2, P, K) if batched else (P, K)
    z = rng.normal(size=shape) * 3
    y = rng.integers(0, K, size=shape[:-1])
    logits = t64(z)
    L = losses.cross_entropy(logits, y)
    # the definition, straight: -mean log(softmax(z)[y])
    p = np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)
    want = -np.mean(np.log(np.take_along_axis(p, y[..., None], axis=-1)))
    assert L.item() == pytest.approx(want, rel=1e-10, abs=1e-12)
    assert F.cross_entropy(z, y) == pytest.approx(L.item(), rel=1e-12, abs=1e-15)
    # The exact gradient (p - onehot(y)) / N, at every scale of z, saturated softmax included.
    losses.cross_entropy(logits, y).backward()
    N = y.size
    np.testing.assert_allclose(logits.grad, (p - F.one_hot(y, K)) / N, atol=1e-12)
    # Finite differences on unsaturated logits: when every p_y is near 1 the gradient is tiny
    # and the round-off of L (about 1e-15) over h = 1e-6 is a large part of it (z = [4.1, -4.5]
    # gives 1.7e-6 relative error), which would test the check, not the code.
    unsaturated = t64(z / 3)
    assert check_grad(lambda: losses.cross_entropy(unsaturated, y), [unsaturated]) < 1e-6


def test_cross_entropy_float32_training():
    rng = np.random.default_rng(1)
    logits = Tensor(rng.normal(size=(8, 5)))
    L = losses.cross_entropy(logits, rng.integers(0, 5, 8))
    assert L.dtype == np.float32
    L.backward()
    assert logits.grad.dtype == np.float32
    np.testing.assert_allclose(logits.grad.sum(axis=1), 0.0, atol=1e-6)  # rows of p - one_hot


@pytest.mark.parametrize("scale", [1e4, -1e4])
def test_cross_entropy_is_stable_on_huge_logits(scale):
    z = np.array([[1.0, 0.0, -1.0], [0.0, 1.0, 0.5]]) * scale
    y = np.array([2, 1])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        loss = F.cross_entropy(z, y)
        for dtype in (np.float32, np.float64):
            logits = Tensor(z, dtype=dtype)
            L = losses.cross_entropy(logits, y)
            L.backward()
            assert np.isfinite(L.item()) and np.all(np.isfinite(logits.grad))
            assert L.item() == pytest.approx(loss, rel=1e-6)
    # the right answer: L = mean over rows of (max logit - logit of the label)
    want = np.mean(z.max(axis=1) - z[np.arange(2), y])
    assert loss == pytest.approx(want, rel=1e-12)


def test_cross_entropy_errors():
    z = np.zeros((3, 4))
    with pytest.raises(ValueError, match=r"expects labels y of shape \(3,\), got \(4,\)"):
        F.cross_entropy(z, np.zeros(4, dtype=int))
    with pytest.raises(ValueError, match=r"expects labels y of shape \(2, 3\), got \(6,\)"):
        F.cross_entropy(np.zeros((2, 3, 5)), np.zeros(6, dtype=int))
    with pytest.raises(ValueError, match=r"label 4 is out of range \[0, 4\)"):
        losses.cross_entropy(t64(z), np.array([0, 4, 1]))
    with pytest.raises(ValueError, match="integer class labels.*float"):
        F.cross_entropy(z, np.array([0.0, 1.0, 2.0]))
    with pytest.raises(ValueError, match=r"logits of shape \(N, K\).*got \(4,\)"):
        F.cross_entropy(np.zeros(4), np.array(1))


# ---- accuracy --------------------------------------------------------------------------


def test_accuracy():
    scores = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]])
    y = np.array([1, 0, 0, 0])
    assert F.accuracy(scores, y) == 0.75
    assert isinstance(F.accuracy(scores, y), float)
    assert F.accuracy(Tensor(scores), y) == 0.75
    assert F.accuracy(np.zeros((2, 3, 4)), np.zeros((2, 3), dtype=int)) == 1.0
    with pytest.raises(ValueError, match=r"expects labels y of shape \(4,\), got \(3,\)"):
        F.accuracy(scores, np.array([1, 0, 0]))


# ---- the two forms of each loss, and what a learner mixes up ---------------------------


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_numpy_and_tensor_losses_agree(P, K, seed):
    rng = np.random.default_rng(seed)
    z, y = rng.normal(size=(P, K)), rng.integers(0, K, P)
    assert losses.cross_entropy(t64(z), y).item() == pytest.approx(F.cross_entropy(z, y), rel=1e-12)
    assert losses.mse(t64(z), y).item() == pytest.approx(F.mse(z, y), rel=1e-12)
    targets = rng.normal(size=(P, K))
    assert losses.mse(t64(z), targets).item() == pytest.approx(F.mse(z, targets), rel=1e-12)


def test_a_tensor_given_to_a_numpy_loss_says_where_to_go():
    z, y = t64(np.zeros((2, 3))), np.array([0, 1])
    with pytest.raises(TypeError, match=r"nnlib.losses.cross_entropy.*\.backward\(\)"):
        F.cross_entropy(z, y)
    with pytest.raises(TypeError, match=r"nnlib.losses.mse"):
        F.mse(z, y)
    with pytest.raises(TypeError, match=r"nnlib.functional.cross_entropy"):
        losses.cross_entropy(np.zeros((2, 3)), y)
    with pytest.raises(TypeError, match=r"nnlib.functional.mse"):
        losses.mse(np.zeros((2, 3)), y)


@pytest.mark.parametrize(
    "loss",
    [
        lambda: F.cross_entropy(np.zeros((0, 3)), np.zeros(0, dtype=int)),
        lambda: losses.cross_entropy(t64(np.zeros((0, 3))), np.zeros(0, dtype=int)),
        lambda: F.mse(np.zeros((0, 3)), np.zeros(0, dtype=int)),
        lambda: F.mse(np.zeros((0, 3)), np.zeros((0, 3))),
        lambda: losses.mse(t64(np.zeros((0, 3))), np.zeros((0, 3))),
        lambda: F.accuracy(np.zeros((0, 3)), np.zeros(0, dtype=int)),
    ],
)
def test_an_empty_batch_is_named(loss):
    with pytest.raises(ValueError, match="empty batch"):
        loss()


def test_target_minus_one_is_refused_not_read_as_the_last_class():
    with pytest.raises(ValueError, match=r"label -1 is out of range \[0, 3\)"):
        losses.cross_entropy(t64(np.zeros((2, 3))), np.array([0, -1]))
