"""Tests for nnlib.chapters.ch04_backpropagation.

The hand-written backward pass against autograd and finite
differences (float64), the chain and nudge numbers, the quick trainer and gradient norms."""

import warnings

import numpy as np
import pytest

from nnlib import functional as F
from nnlib import losses
from nnlib.chapters import ch04_backpropagation as backprop
from nnlib.data import OfflineMNISTWarning, load_mnist
from nnlib.gradcheck import numerical_grad, rel_error
from nnlib.layers import MLP

SIZES = [784, 16, 16, 10]


@pytest.fixture(scope="module")
def batch():
    rng = np.random.default_rng(1)
    X = rng.uniform(0, 1, size=(32, 784))  # (32, 784) float64 "images"
    y = rng.integers(0, 10, size=32)
    return X, y


def test_sigmoid_prime_is_the_slope_of_the_sigmoid():
    assert backprop.sigmoid_prime(0.0) == pytest.approx(0.25)
    z = np.linspace(-8, 8, 33)
    numeric = (F.sigmoid(z + 1e-6) - F.sigmoid(z - 1e-6)) / 2e-6
    np.testing.assert_allclose(backprop.sigmoid_prime(z), numeric, rtol=1e-6, atol=1e-12)


def test_init_params_draws_the_same_weights_as_mlp():
    Ws, bs = backprop.init_params(SIZES, np.random.default_rng(0))
    net = MLP(SIZES, np.random.default_rng(0), activation="sigmoid", final_activation="sigmoid")
    Ws_net, bs_net = net.weights_and_biases()
    for W, W_net in zip(Ws, Ws_net, strict=True):
        np.testing.assert_allclose(W, W_net, rtol=0, atol=1e-7)  # MLP stores float32
    assert [W.shape for W in Ws] == [(16, 784), (16, 16), (10, 16)]
    assert all(not b.any() for b in bs + bs_net)


def test_forward_matches_the_mlp_and_checks_shapes(batch):
    X, _ = batch
    Ws, bs = backprop.init_params(SIZES, np.random.default_rng(2))
    Zs, As = backprop.forward(Ws, bs, X)
    assert [A.shape for A in As] == [(32, 784), (32, 16), (32, 16), (32, 10)]
    net = backprop.mlp_from_params(Ws, bs)
    np.testing.assert_allclose(As[-1], net(X).data, rtol=1e-12)
    with pytest.raises(ValueError, match=r"expects X of shape \(B, 784\), got \(32, 28, 28\)"):
        backprop.forward(Ws, bs, X.reshape(32, 28, 28))


def test_hand_backprop_equals_autograd_in_float64(batch):
    X, y = batch
    Ws, bs = backprop.init_params(SIZES, np.random.default_rng(3))
    L, dWs, dbs = backprop.gradients(Ws, bs, X, y)
    net = backprop.mlp_from_params(Ws, bs)
    loss = losses.mse(net(X), y)
    loss.backward()
    assert L == pytest.approx(float(loss.data), rel=1e-12)
    layers = net.linears()
    for dW, db, layer in zip(dWs, dbs, layers, strict=True):
        assert layer.W.grad.dtype == np.float64
        assert rel_error(dW, layer.W.grad) < 1e-6
        assert rel_error(db, layer.b.grad) < 1e-6
    assert np.abs(dWs[0]).max() > 0  # not trivially zero


def test_hand_backprop_equals_finite_differences_on_every_parameter():
    rng = np.random.default_rng(4)
    sizes = [6, 5, 4, 3]
    Ws, bs = backprop.init_params(sizes, rng)
    for b in bs:
        b[:] = rng.normal(size=b.shape)  # nonzero biases, so their gradients are tested too
    X, y = rng.uniform(0, 1, size=(7, 6)), rng.integers(0, 3, size=7)
    _, dWs, dbs = backprop.gradients(Ws, bs, X, y)

    def cost():
        return backprop.gradients(Ws, bs, X, y)[0]

    for analytic, param in zip(dWs + dbs, Ws + bs, strict=True):
        assert rel_error(analytic, numerical_grad(cost, param)) < 1e-6


def test_hand_backprop_on_sampled_weights_of_the_digit_network(batch):
    X, y = batch
    rng = np.random.default_rng(5)
    Ws, bs = backprop.init_params(SIZES, rng)
    _, dWs, _ = backprop.gradients(Ws, bs, X, y)

    def cost():
        return backprop.gradients(Ws, bs, X, y)[0]

    picks = [(l, int(n)) for l in range(3) for n in rng.choice(Ws[l].size, 4, replace=False)]
    numeric = [numerical_grad(cost, Ws[l].reshape(-1)[n : n + 1])[0] for l, n in picks]
    hand = [dWs[l].reshape(-1)[n] for l, n in picks]
    assert rel_error(np.array(hand), np.array(numeric)) < 1e-6


def test_chain_one_path_multiplies_three_slopes_and_matches_backprop(batch):
    X, y = batch
    Ws, bs = backprop.init_params(SIZES, np.random.default_rng(6))
    j, k = int(y[0]), 5
    chain = backprop.chain_one_path(Ws, bs, X[0], int(y[0]), j, k)
    a = chain["a"]
    assert chain["y_j"] == 1.0
    assert chain["da_dz"] == pytest.approx(a * (1 - a))
    assert chain["dC_da"] == pytest.approx(2 * (a - 1.0))
    assert chain["dC_dw"] == pytest.approx(chain["dz_dw"] * chain["da_dz"] * chain["dC_da"])
    # backprop of one example (B = 1) gives the same dC/dw for that weight
    _, dWs, _ = backprop.gradients(Ws, bs, X[:1], y[:1])
    assert dWs[-1][j, k] == pytest.approx(chain["dC_dw"], rel=1e-10)


def _tiny():
    """A 2-2-2 network whose numbers are easy to follow by hand."""
    Ws = [np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[2.0, -1.0], [0.5, 0.5]])]
    bs = [np.zeros(2), np.array([0.0, -1.0])]
    return Ws, bs


def test_nudge_effects_by_hand():
    Ws, bs = _tiny()
    x, label, j = np.array([0.0, 0.0]), 0, 0
    a = F.sigmoid(np.zeros(2))  # hidden activations: [0.5, 0.5]
    z = 2 * 0.5 - 0.5  # output 0's weighted sum: 0.5
    effects = backprop.nudge_effects(Ws, bs, x, label, j, eps_a=0.1, eps_w=0.2, eps_b=0.3)
    assert effects["a_j"] == pytest.approx(F.sigmoid(z))
    assert effects["delta_z"] == pytest.approx(
        {"activations": 0.1 * (4 + 1), "weights": 0.2 * (0.25 + 0.25), "bias": 0.3}
    )
    np.testing.assert_allclose(effects["dW"], 0.2 * a)  # in proportion to the activations
    np.testing.assert_allclose(effects["dA"], 0.1 * np.array([2.0, -1.0]))  # to the weights
    for kind, dz in (("activations", 0.5), ("weights", 0.1), ("bias", 0.3)):
        assert effects["delta_a_j"][kind] == pytest.approx(F.sigmoid(z + dz) - F.sigmoid(z))
    # weights and bias of output 0 move only output 0; the activations move output 1 too
    y = np.array([1.0, 0.0])
    out1 = F.sigmoid(0.5 * 0.5 + 0.5 * 0.5 - 1.0)
    for kind, dz in (("weights", 0.1), ("bias", 0.3)):
        expected = (F.sigmoid(z + dz) - y[0]) ** 2 - (F.sigmoid(z) - y[0]) ** 2
        assert effects["delta_C"][kind] == pytest.approx(expected)
    out1_after = F.sigmoid(0.5 * (0.5 + 0.2) + 0.5 * (0.5 - 0.1) - 1.0)
    expected = (F.sigmoid(z + 0.5) - 1) ** 2 + out1_after**2 - (F.sigmoid(z) - 1) ** 2 - out1**2
    assert effects["delta_C"]["activations"] == pytest.approx(expected)


def test_nudge_effects_are_zero_without_nudges_and_follow_the_slope():
    Ws, bs = backprop.init_params(SIZES, np.random.default_rng(7))
    x = np.random.default_rng(8).uniform(0, 1, 784)
    zero = backprop.nudge_effects(Ws, bs, x, 3, 3)
    assert all(v == 0 for v in zero["delta_a_j"].values())
    eps = 1e-6
    small = backprop.nudge_effects(Ws, bs, x, 3, 3, eps_w=eps)
    slope = backprop.sigmoid_prime(np.log(zero["a_j"] / (1 - zero["a_j"])))  # sigma'(z_j)
    expected = slope * np.sum(zero["a_prev"] ** 2) * eps  # d a_j = sigma'(z) |a|^2 eps
    assert small["delta_a_j"]["weights"] == pytest.approx(expected, rel=1e-4)


@pytest.fixture(scope="module")
def digits():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineMNISTWarning)
        mnist = load_mnist(download=False)
    return mnist.X_train[:600], mnist.y_train[:600], mnist.X_test[:300], mnist.y_test[:300]


def test_quick_train_is_deterministic_and_beats_chance(digits):
    def run(seed):
        return backprop.quick_train(*digits, [784, 16, 10], 3.0, 20, 4, np.random.default_rng(seed))

    first, second = run(0), run(0)
    assert first["epoch"] == [1, 2, 3, 4]
    for key in ("loss", "train_acc", "val_acc"):
        assert first[key] == second[key]
    assert first["val_acc"][-1] > 0.6  # chance is 0.1
    assert first["loss"][-1] < first["loss"][0]
    assert run(1)["loss"] != first["loss"]  # another seed, another run


def test_train_epochs_trains_in_place_and_stays_finite_at_huge_learning_rates(digits):
    Ws, bs = backprop.init_params([784, 8, 10], np.random.default_rng(0))
    W0 = Ws[0].copy()
    records = list(backprop.train_epochs(Ws, bs, *digits, 100.0, 16, 2, np.random.default_rng(0)))
    assert len(records) == 2 and not np.array_equal(W0, Ws[0])
    assert all(np.isfinite(r["loss"]) for r in records)
    assert all(np.isfinite(W).all() for W in Ws)


def test_gradient_norms_vanish_with_sigmoid_but_not_with_relu():
    rng = np.random.default_rng(9)
    X, y = rng.uniform(0, 1, size=(64, 784)), rng.integers(0, 10, size=64)
    sig = backprop.gradient_norms_by_layer("sigmoid", X, y, np.random.default_rng(0))
    relu = backprop.gradient_norms_by_layer("relu", X, y, np.random.default_rng(0))
    assert sig.shape == relu.shape == (9,)
    assert sig[0] / sig[-1] < 1e-3  # six layers of sigma' <= 1/4 and more
    assert relu[0] / relu[-1] > 1e-1
    assert np.all(np.isfinite(sig)) and np.all(sig > 0)


def test_training_the_small_network_leaves_the_next_callers_copy_alone():
    Ws, bs = backprop.small_network()
    before = [W.copy() for W in backprop.small_network()[0]]
    X, y, X_test, y_test = backprop.small_data()
    rng = np.random.default_rng(0)
    next(backprop.train_epochs(Ws, bs, X, y, X_test, y_test, 3.0, 16, 1, rng))  # in place
    assert not np.array_equal(Ws[0], before[0])
    for W, W_before in zip(backprop.small_network()[0], before, strict=True):
        np.testing.assert_array_equal(W, W_before)


def _random_reader():
    """An untrained 784-32-10 ReLU network with logit outputs: enough to test the input math."""
    return MLP([784, 32, 10], np.random.default_rng(4), activation="relu")


def test_digit_probabilities_are_the_softmax_of_the_logits():
    net, x = _random_reader(), np.random.default_rng(0).uniform(0, 1, 784)
    p = backprop.digit_probabilities(net, x)
    assert p.shape == (10,) and np.isclose(p.sum(), 1)
    np.testing.assert_allclose(p, F.softmax(net(x[None].astype(np.float32)).data[0]), rtol=1e-6)
    with pytest.raises(ValueError, match=r"one image x of shape \(784,\), got \(28, 28\)"):
        backprop.digit_probabilities(net, np.zeros((28, 28)))


def test_dream_raises_the_target_output_and_is_deterministic_for_a_seed():
    net = _random_reader()
    W_before = net.layers[0].W.data.copy()
    one = backprop.dream(net, 3, np.random.default_rng(5), n_steps=30, lr=5.0)
    two = backprop.dream(net, 3, np.random.default_rng(5), n_steps=30, lr=5.0)
    assert one["p"].shape == (30,) and one["x"].shape == one["x_start"].shape == (784,)
    assert one["p"][-1] > one["p"][0] + 0.2  # the climb
    assert np.all(np.diff(one["p"]) > -1e-6)  # small steps: p_3 never falls
    np.testing.assert_array_equal(one["x"], two["x"])
    assert 0 <= one["x"].min() and one["x"].max() <= 1  # still an image
    np.testing.assert_array_equal(net.layers[0].W.data, W_before)  # weights untouched
    assert all(p.grad is None or not np.any(p.grad) for p in net.parameters())
    p_end = backprop.digit_probabilities(net, one["x"])[3]
    assert p_end >= one["p"][-1]  # p[-1] was measured before the last step


def test_small_reader_reads_the_drawn_three():
    from nnlib import drawing

    net = backprop.small_reader()
    p = backprop.digit_probabilities(net, drawing.mnist_steps(drawing.example_three())["x"])
    assert p.argmax() == 3


def test_small_data_validates_on_held_out_training_digits_never_the_test_set():
    X, y, X_val, y_val = backprop.small_data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", backprop.OfflineMNISTWarning)
        mnist = backprop.load_mnist()
    assert X.shape == (2000, 784) and X_val.shape == (1000, 784)
    flat = {row.tobytes() for row in X}
    assert not any(row.tobytes() in flat for row in X_val[:200])  # no digit in both
    np.testing.assert_array_equal(X_val, mnist.X_train[-1000:])  # training digits, not test


def test_small_data_refuses_overlapping_sets():
    with pytest.raises(ValueError, match="overlap"):
        backprop.small_data.__wrapped__(n_train=8000, n_val=1000)
