"""Chapter 01's pure functions, checked against sums worked out by hand."""

import numpy as np
import pytest

from nnlib.chapters import ch01_neuron as N
from nnlib.functional import sigmoid


def test_weighted_sum_by_hand():
    # 2*0.5 + (-1)*1 + 3*0.25 + 0.5 = 1 - 1 + 0.75 + 0.5 = 1.25
    assert N.weighted_sum([0.5, 1.0, 0.25], [2.0, -1.0, 3.0], 0.5) == pytest.approx(1.25)
    # many inputs at once: one row each
    z = N.weighted_sum([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [2.0, -3.0], 1.0)
    np.testing.assert_allclose(z, [3.0, -2.0, 0.0])


def test_weighted_sum_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match=r"got a \(3,\) and w \(2,\)"):
        N.weighted_sum([1.0, 2.0, 3.0], [1.0, 2.0])


def test_bias_is_a_threshold():
    # weights all 1, bias -10: the step neuron fires only once the plain sum exceeds 10
    w = np.ones(4)
    assert N.neuron([2.0, 2.0, 3.0, 3.0], w, -10.0, "step") == 0.0  # sum 10: not past it
    assert N.neuron([2.0, 2.0, 3.0, 3.5], w, -10.0, "step") == 1.0  # sum 10.5
    assert N.neuron([2.0, 2.0, 3.0, 3.0], w, -10.0, "sigmoid") == pytest.approx(0.5)


def test_activations_by_hand():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(N.neuron(z[:, None], [1.0], 0.0, "relu"), [0.0, 0.0, 3.0])
    np.testing.assert_allclose(N.step(z), [0.0, 0.0, 1.0])
    assert N.neuron([0.0], [1.0], np.log(3.0), "sigmoid") == pytest.approx(0.75)  # 1/(1+1/3)
    assert N.activation_fn(np.tanh) is np.tanh
    with pytest.raises(ValueError, match="unknown activation 'tanh'"):
        N.activation_fn("tanh")


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_slope_matches_finite_differences(activation):
    z = np.array([-7.0, -1.3, -0.2, 0.4, 2.0, 9.0])  # away from relu's kink at 0
    f = N.ACTIVATION_FUNCTIONS[activation]
    h = 1e-6
    numeric = (f(z + h) - f(z - h)) / (2 * h)
    np.testing.assert_allclose(N.slope(activation, z), numeric, rtol=1e-6, atol=1e-10)


def test_slope_values_the_chapter_quotes():
    assert N.slope("sigmoid", 0.0) == pytest.approx(0.25)
    assert N.slope("sigmoid", 10.0) == pytest.approx(4.5396e-5, rel=1e-4)
    assert N.slope("sigmoid", -1000.0) == 0.0  # no overflow, no NaN
    np.testing.assert_array_equal(N.slope("relu", [-5.0, 0.0, 5.0, 1000.0]), [0, 0, 1, 1])
    np.testing.assert_array_equal(N.slope("step", [-1.0, 1.0]), [0.0, 0.0])
    with pytest.raises(ValueError, match="unknown activation"):
        N.slope("gelu", 1.0)


def test_layer_3_to_2_written_out_by_hand():
    x = np.array([1.0, 2.0, 3.0])
    W = np.array([[0.1, 0.2, 0.3], [-1.0, 0.0, 1.0]])  # W[m, n] = w_mn
    b = np.array([0.5, -1.0])
    # z_1 = 0.1*1 + 0.2*2 + 0.3*3 + 0.5 = 1.9;  z_2 = -1 + 0 + 3 - 1 = 1
    np.testing.assert_allclose(N.layer(x, W, b, "relu"), [1.9, 1.0])
    np.testing.assert_allclose(N.layer(x, W, b), sigmoid(np.array([1.9, 1.0])))
    # a batch of two examples, one per row, gives one row of outputs each
    X = np.stack([x, np.zeros(3)])
    np.testing.assert_allclose(N.layer(X, W, b, "relu"), [[1.9, 1.0], [0.5, 0.0]])


def test_layer_shape_errors_name_the_shapes():
    W, b = np.zeros((2, 3)), np.zeros(2)
    with pytest.raises(ValueError, match=r"expects x of shape \(3,\) or \(B, 3\), got \(28, 28\)"):
        N.layer(np.zeros((28, 28)), W, b)
    with pytest.raises(ValueError, match=r"got W \(2, 3\) and b \(3,\)"):
        N.layer(np.zeros(3), W, np.zeros(3))


def test_layer_activations_chains_layers():
    W1, b1 = np.array([[1.0, -1.0]]), np.array([0.0])  # 2 -> 1
    W2, b2 = np.array([[2.0], [-2.0]]), np.array([1.0, 1.0])  # 1 -> 2
    acts = N.layer_activations([(W1, b1), (W2, b2)], np.array([3.0, 1.0]), "relu")
    assert [a.shape for a in acts] == [(2,), (1,), (2,)]
    # relu(3 - 1) = 2; then relu(2*2 + 1) = 5, relu(-2*2 + 1) = 0
    np.testing.assert_allclose(acts[1], [2.0])
    np.testing.assert_allclose(acts[2], [5.0, 0.0])
    batch = N.layer_activations([(W1, b1), (W2, b2)], np.ones((4, 2)), "relu")
    assert batch[-1].shape == (4, 2)


def test_grid_and_decision_map():
    grid = N.make_grid(0.0, 1.0, 3)
    assert grid.shape == (3, 3, 2)
    np.testing.assert_allclose(grid[0, 2], [1.0, 0.0])  # row = a_2, column = a_1
    np.testing.assert_allclose(grid[2, 0], [0.0, 1.0])
    m = N.decision_map([1.0, 1.0], -1.0, "step", grid)  # fires where a_1 + a_2 > 1
    np.testing.assert_array_equal(m, [[0, 0, 0], [0, 0, 1], [0, 1, 1]])
    s = N.decision_map([100.0, -100.0], 0.0, "sigmoid", grid)
    assert np.isfinite(s).all() and s.min() >= 0 and s.max() <= 1


@pytest.mark.parametrize("w", [(1.0, 1.0), (0.0, 2.0), (3.0, 0.0), (-2.0, 0.5), (1e-9, -4.0)])
def test_boundary_line_lies_on_z_equals_zero(w):
    a1s, a2s = N.boundary_line(w, -0.4)
    assert a1s.shape == a2s.shape == (2,)
    assert np.isfinite(a1s).all() and np.isfinite(a2s).all()
    np.testing.assert_allclose(w[0] * a1s + w[1] * a2s - 0.4, 0.0, atol=1e-9)


def test_boundary_line_without_weights_is_empty():
    a1s, a2s = N.boundary_line((0.0, 0.0), 1.0)
    assert a1s.size == a2s.size == 0


def test_fires_and_two_blobs():
    X = np.array([[0.2, 0.2], [0.8, 0.9]])
    np.testing.assert_array_equal(N.fires(X, [1.0, 1.0], -1.0), [False, True])
    X, y = N.two_blobs(30, np.random.default_rng(0))
    assert X.shape == (60, 2) and y.shape == (60,)
    assert X.min() >= 0 and X.max() <= 1 and set(y) == {0, 1}
    X2, _ = N.two_blobs(30, np.random.default_rng(0))
    np.testing.assert_array_equal(X, X2)  # same seed, same points
    # the line a_1 + a_2 = 1 separates the two blobs well
    correct = (N.fires(X, [1.0, 1.0], -1.0) == (y == 1)).mean()
    assert correct > 0.85
