"""Tests for nnlib.optim: hand-computed steps, and each optimizer minimising a quadratic."""

import numpy as np
import pytest

from nnlib.layers import LayerNorm, Linear
from nnlib.optim import SGD, Adam, AdamW, clip_grad_norm
from nnlib.tensor import Tensor


def param(values):
    return Tensor(np.array(values, dtype=np.float32))


def test_sgd_one_step():
    p = param([1.0, -2.0])
    p.grad = np.array([0.5, -1.0], dtype=np.float32)
    SGD([p], lr=0.1).step()
    np.testing.assert_allclose(p.data, [1.0 - 0.05, -2.0 + 0.1], rtol=1e-6)
    assert p.dtype == np.float32


def test_sgd_momentum_two_steps():
    p = param([1.0])
    opt = SGD([p], lr=0.1, momentum=0.9)
    p.grad = np.array([2.0], dtype=np.float32)
    opt.step()  # v = 2, p = 1 - 0.2 = 0.8
    np.testing.assert_allclose(p.data, [0.8], rtol=1e-6)
    p.grad = np.array([1.0], dtype=np.float32)
    opt.step()  # v = 0.9 * 2 + 1 = 2.8, p = 0.8 - 0.28 = 0.52
    np.testing.assert_allclose(opt.v[0], [2.8], rtol=1e-6)
    np.testing.assert_allclose(p.data, [0.52], rtol=1e-6)


def test_adam_first_step_is_lr_times_sign():
    p = param([1.0, 1.0, 1.0])
    p.grad = np.array([1e-3, -50.0, 2.0], dtype=np.float32)
    Adam([p], lr=0.01).step()
    # m_hat = g and v_hat = g^2 after one step, so the step is lr * g / (|g| + eps)
    np.testing.assert_allclose(p.data, [0.99, 1.01, 0.99], rtol=1e-5)


def test_adam_second_step_by_hand():
    p = param([0.0])
    opt = Adam([p], lr=0.1, betas=(0.5, 0.75), eps=1e-12)  # eps must be > 0; this adds ~1e-12
    p.grad = np.array([1.0], dtype=np.float32)
    opt.step()  # -0.1
    p.grad = np.array([3.0], dtype=np.float32)
    opt.step()
    m = 0.5 * 0.5 * 1 + 0.5 * 3  # 1.75
    v = 0.75 * 0.25 * 1 + 0.25 * 9  # 2.4375
    m_hat, v_hat = m / (1 - 0.5**2), v / (1 - 0.75**2)
    np.testing.assert_allclose(p.data, [-0.1 - 0.1 * m_hat / np.sqrt(v_hat)], rtol=1e-5)


def test_adamw_decays_matrices_not_biases_or_gains():
    rng = np.random.default_rng(0)
    layer, ln = Linear(3, 2, rng), LayerNorm(2)
    layer.b.data[:] = 1.0
    params = [layer.W, layer.b, ln.g, ln.b]
    before = [p.data.copy() for p in params]
    for p in params:
        p.grad = np.zeros_like(p.data)  # zero gradient: the Adam part does nothing
    AdamW(params, lr=0.1, weight_decay=0.5).step()
    np.testing.assert_allclose(layer.W.data, before[0] * (1 - 0.1 * 0.5), rtol=1e-6)
    for p, old in zip(params[1:], before[1:], strict=True):
        np.testing.assert_array_equal(p.data, old)


def test_step_skips_missing_grads_and_zero_grad_clears():
    a, b = param([1.0]), param([1.0])
    a.grad = np.array([1.0], dtype=np.float32)
    for opt in (SGD([a, b], lr=0.1, momentum=0.9), Adam([a, b]), AdamW([a, b])):
        opt.step()
        assert b.data[0] == 1.0 and a.data[0] < 1.0
    opt.zero_grad()
    assert a.grad is None and b.grad is None


@pytest.mark.parametrize(
    "make",
    [
        lambda ps: SGD(ps, lr=0.1),
        lambda ps: SGD(ps, lr=0.05, momentum=0.9),
        lambda ps: Adam(ps, lr=0.05),
        lambda ps: AdamW(ps, lr=0.05, weight_decay=0.0),
    ],
)
def test_minimises_a_quadratic(make):
    """L = sum_i c_i (w_i - t_i)^2 with different curvatures c; the minimum is w = t."""
    c = np.array([[1.0, 3.0], [0.5, 2.0]])
    t = np.array([[2.0, -1.0], [0.5, 3.0]])
    w = Tensor(np.zeros((2, 2)))
    opt = make([w])
    for _ in range(500):
        opt.zero_grad()
        d = w - t
        (d * d * c).sum().backward()
        opt.step()
    np.testing.assert_allclose(w.data, t, atol=1e-2)
    assert w.dtype == np.float32


def test_lr_is_a_plain_attribute():
    p = param([1.0])
    opt = SGD([p], lr=0.1)
    opt.lr = 0.0  # e.g. a schedule's warm-up starting at zero
    p.grad = np.array([1.0], dtype=np.float32)
    opt.step()
    assert p.data[0] == 1.0


def test_clip_grad_norm():
    a, b, c = param([0.0, 0.0]), param([0.0]), param([0.0])
    a.grad = np.array([3.0, 0.0], dtype=np.float32)
    b.grad = np.array([4.0], dtype=np.float32)  # total norm sqrt(9 + 16) = 5; c has no grad
    assert clip_grad_norm([a, b, c], max_norm=10.0) == pytest.approx(5.0)
    np.testing.assert_array_equal(b.grad, [4.0])  # under the limit: unchanged
    assert clip_grad_norm([a, b, c], max_norm=1.0) == pytest.approx(5.0)
    np.testing.assert_allclose(a.grad, [0.6, 0.0], rtol=1e-5)
    np.testing.assert_allclose(b.grad, [0.8], rtol=1e-5)
    assert a.grad.dtype == np.float32
