"""Tests for nnlib.gradcheck: finite differences are right, and check_grad catches bad backwards."""

import numpy as np

from nnlib.gradcheck import check_grad, numerical_grad, rel_error
from nnlib.tensor import Tensor


def test_numerical_grad_of_x_squared_is_2x():
    x = np.array([[-1.5, 0.0, 2.0], [0.25, 3.0, -4.0]])
    grad = numerical_grad(lambda: np.sum(x**2), x)
    np.testing.assert_allclose(grad, 2 * x, rtol=1e-8, atol=1e-8)


def test_numerical_grad_of_sum_of_sines_is_cosine():
    x = np.linspace(-3, 3, 7)
    grad = numerical_grad(lambda: np.sin(x).sum(), x)
    np.testing.assert_allclose(grad, np.cos(x), rtol=1e-8, atol=1e-9)


def test_numerical_grad_restores_x():
    x = np.array([1.0, 2.0, 3.0])
    before = x.copy()
    numerical_grad(lambda: np.prod(x), x)
    np.testing.assert_array_equal(x, before)


def test_numerical_grad_error_shrinks_like_h_squared():
    x = np.array([0.7])
    exact = np.cos(0.7)
    err_big = abs(numerical_grad(lambda: np.sin(x).sum(), x, h=1e-2)[0] - exact)
    err_small = abs(numerical_grad(lambda: np.sin(x).sum(), x, h=1e-3)[0] - exact)
    assert 50 < err_big / err_small < 150  # h ten times smaller -> error about 100 times smaller


def test_rel_error_basics():
    a = np.array([1.0, 2.0, 3.0])
    assert rel_error(a, a) == 0.0
    assert abs(rel_error(a, a + 3e-6) - 1e-6) < 1e-11  # 3e-6 / 3.000003
    assert abs(rel_error(a, 2 * a) - 0.5) < 1e-12  # max |a - 2a| = 3, scale = 6
    assert rel_error(a, -a) == 2.0
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0
    assert rel_error(a, a * (1 + 1e-9)) < 1e-8
    assert rel_error(np.array([1e-20]), np.array([0.0])) < 1e-6  # tiny numbers: nothing to see


def test_check_grad_accepts_a_correct_backward():
    rng = np.random.default_rng(0)
    x = Tensor(rng.normal(size=(3, 2)), dtype=np.float64)
    w = Tensor(rng.normal(size=2), dtype=np.float64)
    assert check_grad(lambda: ((x * w).tanh() * x).sum(), [x, w]) < 1e-7


def square_with_backward(x, backward_factor):
    """A Tensor op out = x^2 whose backward uses d(out)/dx = backward_factor * x (2 is right)."""
    out = Tensor._result(x.data**2, (x,), "square")

    def _backward(g):
        x.grad += g * backward_factor * x.data

    out._backward = _backward
    return out


def test_check_grad_detects_a_wrong_backward():
    x = Tensor([0.5, -1.0, 2.0], dtype=np.float64)
    assert check_grad(lambda: square_with_backward(x, 2.0).sum(), [x]) < 1e-7
    err = check_grad(lambda: square_with_backward(x, 1.0).sum(), [x])  # forgot the factor 2
    assert abs(err - 0.5) < 1e-6  # autograd says x, the truth is 2x
    err = check_grad(lambda: (square_with_backward(x, 2.02) * 3.0).sum(), [x])
    assert err > 5e-3  # even a 1% error stands out


def test_check_grad_detects_a_forgotten_unbroadcast():
    """A bias added with broadcasting must get the gradient summed over the batch."""
    X = Tensor(np.ones((4, 3)), requires_grad=False, dtype=np.float64)
    b = Tensor([0.1, 0.2, 0.3], dtype=np.float64)

    def add_without_unbroadcast():
        out = Tensor._result(X.data + b.data, (X, b), "+")

        def _backward(g):
            b.grad += g[0]  # wrong: takes one row instead of summing the 4 rows

        out._backward = _backward
        return (out * out).sum()

    assert check_grad(add_without_unbroadcast, [b]) > 0.5


def test_check_grad_clears_old_gradients_first():
    x = Tensor([1.0, 2.0], dtype=np.float64)
    x.grad = np.array([100.0, 100.0])  # a stale gradient must not be counted
    assert check_grad(lambda: (x * x).sum(), [x]) < 1e-7


def test_central_difference_is_exact_for_a_parabola_and_elementwise():
    from nnlib.gradcheck import central_difference

    # (w + h)^2 - (w - h)^2 = 4 w h: the central difference of w^2 is 2w for any h
    w = np.array([-1.5, 0.0, 2.0])
    np.testing.assert_allclose(central_difference(lambda v: v**2, w, 0.1), 2 * w, rtol=1e-12)
