"""Tests for nnlib.chapters.ch02_cost_function.

Hand-computed costs, shapes, and finite-difference slopes.
"""

import numpy as np
import pytest

from nnlib.chapters import ch02_cost_function as cost
from nnlib.functional import log_softmax, sigmoid
from nnlib.layers import count_parameters


def test_squared_error_per_output_by_hand():
    a = np.array([0.2, 0.5, 0.9])
    y = np.array([0.0, 1.0, 1.0])
    expected = np.array([0.04, 0.25, 0.01])
    assert np.allclose(cost.squared_error_per_output(a, y), expected)
    assert np.isclose(cost.example_cost(a, y), 0.30)


def test_example_cost_of_a_three():
    # The chapter's example: desired output for a 3, and an output that is 0.5 everywhere.
    y = np.zeros(10)
    y[3] = 1.0
    a = np.full(10, 0.5)
    assert np.isclose(cost.example_cost(a, y), 10 * 0.25)
    assert cost.example_cost(y, y) == 0.0


def test_example_cost_shapes_and_shape_error():
    A = np.zeros((5, 10))
    Y = np.eye(10)[[0, 1, 2, 3, 4]]
    assert cost.squared_error_per_output(A, Y).shape == (5, 10)
    assert np.allclose(cost.example_cost(A, Y), np.ones(5))
    with pytest.raises(ValueError, match="same shape"):
        cost.example_cost(np.zeros(10), np.zeros(9))


def test_constant_answer_cost():
    assert np.isclose(cost.constant_answer_cost(0.0), 1.0)
    assert np.isclose(cost.constant_answer_cost(0.1), 0.81 + 9 * 0.01)
    assert np.isclose(cost.constant_answer_cost(0.5), 0.25 + 9 * 0.25)
    c = np.linspace(0, 1, 1001)
    assert np.isclose(c[np.argmin(cost.constant_answer_cost(c))], 0.1)
    # It agrees with the general definition on a real one-hot target.
    y = np.eye(10)[7]
    assert np.isclose(cost.constant_answer_cost(0.3), cost.example_cost(np.full(10, 0.3), y))


def test_the_tiny_network_names_each_of_its_parameters():
    assert count_parameters([1, 2, 1]) == len(cost.TINY_PARAM_NAMES) == 7


def test_spread_outputs():
    q = cost.spread_outputs(0.4, 1.0, label=3, rival=8)
    assert q.shape == (10,)
    assert np.isclose(q.sum(), 1.0)
    assert q[3] == 0.4
    assert np.allclose(np.delete(q, 3), 0.6 / 9)
    q = cost.spread_outputs(0.4, 0.0, label=3, rival=8)
    assert np.isclose(q[8], 0.6) and np.isclose(q.sum(), 1.0)
    assert np.count_nonzero(q) == 2
    for p, spread in [(0.0, 0.0), (1.0, 1.0), (0.0, 1.0), (1.0, 0.0)]:
        q = cost.spread_outputs(p, spread, 0, 1)
        assert np.all(np.isfinite(q)) and np.isclose(q.sum(), 1.0) and q.min() >= 0
    with pytest.raises(ValueError, match="two different classes"):
        cost.spread_outputs(0.5, 0.5, 3, 3)
    with pytest.raises(ValueError, match="in \\[0, 1\\]"):
        cost.spread_outputs(1.5, 0.5, 3, 8)


def test_squared_cost_prefers_spread_out_mistakes():
    # Same p for the right class: cross-entropy is equal, the squared cost is not.
    even = cost.spread_outputs(0.5, 1.0, 3, 8)
    piled = cost.spread_outputs(0.5, 0.0, 3, 8)
    y = np.eye(10)[3]
    assert cost.example_cost(piled, y) > cost.example_cost(even, y)
    assert np.isclose(cost.example_cost(piled, y), 0.25 + 0.25)
    assert np.isclose(cost.example_cost(even, y), 0.25 + 9 * (0.5 / 9) ** 2)


def test_cross_entropy_of_probability():
    assert np.isclose(cost.cross_entropy_of_probability(1.0), 0.0)
    assert np.isclose(cost.cross_entropy_of_probability(0.1), np.log(10))
    assert np.isfinite(cost.cross_entropy_of_probability(0.0))
    assert cost.cross_entropy_of_probability(0.0) > 27


def test_slowdown_curves_values():
    s = cost.slowdown_curves(np.array([0.0, 0.5, 1.0]))
    assert np.allclose(s["mse"], [1.0, 0.25, 0.0])
    assert np.allclose(s["mse_slope"], [0.0, -0.25, 0.0])
    assert np.allclose(s["ce_slope"], [-1.0, -0.5, 0.0])
    assert np.allclose(s["ce"][1:], [np.log(2), 0.0])
    # Confidently wrong: cross-entropy pushes 100x harder than the squared cost.
    s = cost.slowdown_curves(0.005)
    assert abs(s["ce_slope"]) > 100 * abs(s["mse_slope"])


def test_slowdown_slopes_match_finite_differences():
    h = 1e-6
    wrong = np.linspace(-1.0, 1.0, 9)  # nine wrong logits, held fixed
    for z in [-6.0, -2.0, 0.0, 1.5, 4.0]:
        # Squared cost of a sigmoid output whose target is 1, as a function of z.
        def mse_of(z):
            return (sigmoid(z) - 1.0) ** 2

        numeric = (mse_of(z + h) - mse_of(z - h)) / (2 * h)
        assert np.isclose(cost.slowdown_curves(sigmoid(z))["mse_slope"], numeric, rtol=1e-6)

        # Cross-entropy of a softmax output: right logit z, the wrong logits fixed.

        def ce_of(z):
            return -log_softmax(np.concatenate([[z], wrong]))[0]

        p = np.exp(-ce_of(z))
        numeric = (ce_of(z + h) - ce_of(z - h)) / (2 * h)
        assert np.isclose(cost.slowdown_curves(p)["ce_slope"], numeric, rtol=1e-6)
        assert np.isclose(cost.slowdown_curves(p)["ce"], ce_of(z))


def test_tiny_network_shapes_and_good_fit():
    x = np.array([-2.5, 0.0, 2.5])
    y = cost.tiny_network(cost.TINY_GOOD_THETA, x)
    assert y.shape == (3,)
    assert y[1] > 0.95 and y[0] < 0.05 and y[2] < 0.05  # a bump between -1 and 1
    Theta = np.zeros((4, 5, 7))
    assert cost.tiny_network(Theta, x).shape == (4, 5, 3)
    assert np.allclose(cost.tiny_network(Theta, x), 0.5)  # sigmoid(0) everywhere
    with pytest.raises(ValueError, match="theta of shape"):
        cost.tiny_network(np.zeros(6), x)


def test_tiny_network_by_hand():
    theta = np.array([1.0, -1.0, 0.0, 0.5, 2.0, 3.0, -1.0])
    x = 0.7
    h0, h1 = sigmoid(1.0 * x + 0.0), sigmoid(-1.0 * x + 0.5)
    expected = sigmoid(2.0 * h0 + 3.0 * h1 - 1.0)
    assert np.isclose(cost.tiny_network(theta, np.array([x]))[0], expected)


def test_tiny_data_is_seeded():
    x1, l1 = cost.tiny_data(np.random.default_rng(0))
    x2, l2 = cost.tiny_data(np.random.default_rng(0))
    assert np.array_equal(x1, x2) and np.array_equal(l1, l2)
    assert x1.shape == l1.shape == (40,)
    assert np.all(np.diff(x1) >= 0) and set(np.unique(l1)) <= {0.0, 1.0}


def test_tiny_cost_matches_the_formula():
    x, l = cost.tiny_data(np.random.default_rng(1), n=25)
    theta = cost.TINY_GOOD_THETA
    y = cost.tiny_network(theta, x)
    by_hand = sum((y[p] - l[p]) ** 2 for p in range(len(x))) / len(x)
    assert np.isclose(cost.tiny_cost(theta, x, l), by_hand)
    assert np.isclose(cost.tiny_cost(np.zeros(7), x, l), 0.25)  # output 0.5 for every x


def test_cost_landscape_agrees_with_pointwise_cost():
    x, l = cost.tiny_data(np.random.default_rng(2))

    def f(T):
        return cost.tiny_cost(T, x, l)

    theta = cost.TINY_GOOD_THETA
    vi, vj = np.linspace(-4, 4, 5), np.linspace(-2, 2, 3)
    L = cost.cost_landscape(f, theta, 2, 6, vi, vj)
    assert L.shape == (3, 5)
    for r in range(3):
        for c in range(5):
            t = theta.copy()
            t[2], t[6] = vi[c], vj[r]
            assert np.isclose(L[r, c], f(t))
    with pytest.raises(ValueError, match="two different indices"):
        cost.cost_landscape(f, theta, 3, 3, vi, vj)


def test_cost_landscape_generic_quadratic():
    # A cost whose landscape we know exactly: (t0 - 1)^2 + 2 (t1 + 2)^2 + t2^2.
    def f(T):
        return (T[..., 0] - 1) ** 2 + 2 * (T[..., 1] + 2) ** 2 + T[..., 2] ** 2

    v = np.linspace(-3, 3, 61)
    L = cost.cost_landscape(f, np.array([0.0, 0.0, 0.5]), 0, 1, v, v)
    r, c = np.unravel_index(np.argmin(L), L.shape)
    assert np.isclose(v[c], 1.0) and np.isclose(v[r], -2.0)
    assert np.isclose(L.min(), 0.25)
