"""Tests for nnlib.chapters.ch03_gradient_descent.

Exact paths, divergence, regimes, gradients, optimizer rules.
"""

import warnings

import numpy as np
import pytest

from nnlib.chapters import ch03_gradient_descent as descent
from nnlib.gradcheck import central_difference, numerical_grad
from nnlib.optim import SGD, Adam
from nnlib.tensor import Tensor


@pytest.fixture(scope="module")
def zeros_and_ones():
    return descent.load_zeros_and_ones()


@pytest.mark.parametrize("a, lr", [(1.0, 0.1), (2.0, 0.3), (0.5, 1.5), (1.0, 0.75)])
def test_quadratic_path_is_geometric(a, lr):
    # L = a w^2 -> dL/dw = 2 a w -> w_k = (1 - 2 lr a)^k w_0 exactly
    path, status = descent.gradient_descent_1d(lambda w: 2 * a * w, 3.0, lr, 10)
    expected = (1 - 2 * lr * a) ** np.arange(11) * 3.0
    assert status == "ok"
    np.testing.assert_allclose(path, expected, rtol=1e-12)


def test_divergence_is_detected_and_stops_without_warnings():
    # r = 1 - 2 * 5 = -9: |w| = 9^k > 1e6 first at k = 7 (9^7 ~ 4.8e6)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path, status = descent.gradient_descent_1d(lambda w: 2 * w, 1.0, 5.0, 100)
    assert status == "diverged"
    assert len(path) == 7  # w_0 .. w_6 kept; the 7th step left the bound
    assert np.all(np.isfinite(path)) and np.abs(path).max() <= descent.BOUND


def test_overflowing_slope_diverges_quietly():
    # The slope w^7 overflows float64 within a few steps if nothing stops it.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path, status = descent.gradient_descent_1d(lambda w: w**7, 2.0, 10.0, 1000, bound=np.inf)
    assert status == "diverged" and np.all(np.isfinite(path))


def test_zero_steps_and_start_at_minimum():
    path, status = descent.gradient_descent_1d(descent.bowl_slope, 0.5, 0.1, 0)
    assert status == "ok" and path.tolist() == [0.5]
    path, _ = descent.gradient_descent_1d(descent.bowl_slope, 1.0, 0.1, 5)
    assert descent.classify_regime(path, "ok", 1.0) == "good"


@pytest.mark.parametrize(
    "lr, regime", [(0.01, "too slow"), (0.3, "good"), (0.8, "overshooting"), (1.2, "diverging")]
)
def test_regimes_on_the_bowl(lr, regime):
    path, status = descent.gradient_descent_1d(descent.bowl_slope, -1.5, lr, 20)
    assert descent.classify_regime(path, status, 1.0) == regime


def test_slow_growth_without_hitting_the_bound_is_diverging():
    path, status = descent.gradient_descent_1d(descent.bowl_slope, -1.5, 1.05, 5)
    assert status == "ok"  # |r| = 1.1: still far from the bound after 5 steps
    assert descent.classify_regime(path, status, 1.0) == "diverging"


def test_central_differences_match_exact_slopes():
    w = np.linspace(-2, 2, 9)
    for f, slope in [
        (descent.bowl, descent.bowl_slope),
        (descent.two_valleys, descent.two_valleys_slope),
    ]:
        np.testing.assert_allclose(central_difference(f, w, 1e-5), slope(w), atol=1e-8)
    assert central_difference(lambda w: w**3, 2.0, 1e-5) == pytest.approx(12.0, rel=1e-9)


def test_two_valleys_minima_and_start_decides():
    left, right = descent.two_valleys_minima()
    np.testing.assert_allclose(descent.two_valleys_slope(np.array([left, right])), 0, atol=1e-12)
    assert left < -1.4 and 1.3 < right and descent.two_valleys(left) < descent.two_valleys(right)
    for w0, target in [(-0.5, left), (0.5, right)]:
        path, _ = descent.gradient_descent_1d(descent.two_valleys_slope, w0, 0.05, 300)
        assert path[-1] == pytest.approx(target, abs=1e-6)


def test_data_is_the_bundled_zeros_and_ones(zeros_and_ones):
    x, t = zeros_and_ones
    assert x.shape == t.shape == (2115,)  # 980 zeros and 1135 ones among the test digits
    assert t.sum() == 980
    assert 1.3 < x[t == 1].mean() < 1.4 and 0.55 < x[t == 0].mean() < 0.65


def test_logistic_gradient_matches_finite_differences(zeros_and_ones):
    x, t = zeros_and_ones
    for theta in ([0.0, 0.0], [-2.0, 4.0], [11.0, -10.0], [300.0, -200.0]):
        theta = np.array(theta)
        exact = descent.logistic_gradient(theta, x, t)
        numeric = numerical_grad(lambda th=theta: descent.logistic_cost(th, x, t), theta, 1e-5)
        np.testing.assert_allclose(exact, numeric, rtol=1e-6, atol=1e-9)


def test_logistic_cost_by_the_textbook_formula_and_on_a_grid(zeros_and_ones):
    x, t = zeros_and_ones
    p = 1 / (1 + np.exp(-(2.0 * x - 1.0)))
    textbook = np.mean(-t * np.log(p) - (1 - t) * np.log(1 - p))
    assert descent.logistic_cost([2.0, -1.0], x, t) == pytest.approx(textbook, rel=1e-12)
    ws, bs = np.array([0.0, 2.0, 5.0]), np.array([-1.0, 1.0])
    grid = descent.cost_grid(ws, bs, x, t)
    assert grid.shape == (2, 3)
    assert grid[0, 1] == pytest.approx(textbook, rel=1e-12)
    assert descent.logistic_cost([0.0, 0.0], x, t) == pytest.approx(np.log(2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isfinite(descent.logistic_cost([1e6, 1e6], x, t))


def test_shape_errors(zeros_and_ones):
    x, t = zeros_and_ones
    with pytest.raises(ValueError, match="same shape"):
        descent.gradient_function(x, t[:10])
    with pytest.raises(ValueError, match="batch_size"):
        descent.minibatch_gradient(x, t, 0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="optimizer"):
        descent.descend(lambda th: th, [1.0], "rmsprop", 0.1, 3)


def test_update_rules_match_nnlib_optim():
    rng = np.random.default_rng(0)
    grads = rng.normal(size=(6, 2))  # the same six gradients for both
    for make, rule in [
        (lambda p: SGD([p], lr=0.1, momentum=0.9), "momentum"),
        (lambda p: Adam([p], lr=0.1), "adam"),
    ]:
        p = Tensor(np.array([1.0, -2.0]), dtype=np.float64)
        opt = make(p)
        theta, s1, s2 = np.array([1.0, -2.0]), np.zeros(2), np.zeros(2)
        for k, g in enumerate(grads, start=1):
            p.grad = g.copy()
            opt.step()
            if rule == "momentum":
                theta, s1 = descent.momentum_update(theta, g, s1, 0.1, 0.9)
            else:
                theta, s1, s2 = descent.adam_update(theta, g, s1, s2, k, 0.1)
            np.testing.assert_allclose(theta, p.data, rtol=1e-12)


def test_descend_gd_on_a_quadratic_bowl_is_exact():
    a = np.array([1.0, 10.0])  # L = a1 w1^2 + a2 w2^2
    path, status = descent.descend(lambda th: 2 * a * th, [1.0, 1.0], "gd", 0.04, 5)
    expected = (1 - 2 * 0.04 * a) ** np.arange(6)[:, None]  # (6, 2)
    assert status == "ok"
    np.testing.assert_allclose(path, expected, rtol=1e-12)
    path, status = descent.descend(lambda th: 2 * a * th, [1.0, 1.0], "gd", 0.2, 100)
    assert status == "diverged" and len(path) < 100  # 1 - 4 = -3 along w2


def test_momentum_and_adam_beat_gd_in_the_valley(zeros_and_ones):
    x, t = zeros_and_ones
    final = {
        name: descent.run_optimizer_on_surface(x, t, [-2.0, 4.0], name, lr, 100)["final_cost"]
        for name, lr in [("gd", 1.0), ("momentum", 1.0), ("adam", 1.0)]
    }
    assert final["momentum"] < 0.18 and final["adam"] < 0.18 < 0.25 < final["gd"]


def test_sgd_is_seeded_cheap_and_gets_there(zeros_and_ones):
    x, t = zeros_and_ones
    runs = [
        descent.run_optimizer_on_surface(
            x, t, [0.0, 0.0], "sgd", 1.0, 300, 16, np.random.default_rng(1)
        )
        for _ in range(2)
    ]
    np.testing.assert_array_equal(runs[0]["path"], runs[1]["path"])
    assert runs[0]["examples"] == 300 * 16
    gd = descent.run_optimizer_on_surface(x, t, [0.0, 0.0], "gd", 1.0, 300)
    assert gd["examples"] == 300 * 2115
    assert abs(runs[0]["final_cost"] - gd["final_cost"]) < 0.05
    with pytest.raises(ValueError, match="needs batch_size and rng"):
        descent.run_optimizer_on_surface(x, t, [0.0, 0.0], "sgd", 1.0, 3)


def test_minibatches_cover_each_epoch_once():
    # At theta = (0, 0), p = 0.5 for every example, so with one example per batch
    # dL/dw = 0.5 * x[idx] reveals which example it was.
    x, t = np.arange(10.0), np.zeros(10)
    grad_fn = descent.minibatch_gradient(x, t, 1, np.random.default_rng(0))
    used = [int(round(2 * grad_fn(np.zeros(2))[0])) for _ in range(20)]
    assert sorted(used[:10]) == list(range(10)) and sorted(used[10:]) == list(range(10))
    assert used[:10] != used[10:]  # a new shuffle each epoch
    grad_fn = descent.minibatch_gradient(x, t, 3, np.random.default_rng(0))
    sums = [round(2 * 3 * grad_fn(np.zeros(2))[0]) for _ in range(3)]  # 9 distinct examples
    assert 45 - 9 <= sum(sums) <= 45
