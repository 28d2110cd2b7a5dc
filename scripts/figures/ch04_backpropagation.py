"""Figures of chapter 04 (backpropagation), drawn by nnlib.widgets.ch04_backpropagation.

They repeat the chapter's computations with the same settings and np.random.default_rng(0):
the chain and the gradient check on a random 784-16-16-10 sigmoid network, the three nudges
on the widget's small trained network, then the chapter's two training runs (784-16-16-10
sigmoid, squared cost, SGD lr 3, 6,000 steps of 32; 784-128-10 ReLU, cross-entropy, Adam,
2,000 steps of 64) on whichever MNIST load_mnist finds (the offline split here). The drawn 3
(nnlib.drawing.example_three) and gradient ascent on the input use the 784-128-10 network.
"""

import functools
import warnings

import numpy as np

from nnlib import drawing, plot
from nnlib import functional as F
from nnlib.chapters import ch04_backpropagation as backprop
from nnlib.data import OfflineMNISTWarning, load_mnist, minibatches
from nnlib.gradcheck import numerical_grad
from nnlib.layers import MLP
from nnlib.losses import cross_entropy, mse
from nnlib.optim import SGD, Adam
from nnlib.tensor import no_grad
from nnlib.widgets import ch04_backpropagation as wb

SIZES = [784, 16, 16, 10]


@functools.lru_cache(maxsize=1)
def _mnist():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineMNISTWarning)
        return load_mnist()


def _split():
    """The chapter's split: (X_train, y_train) all training digits but the last 1,000, which
    are (X_val, y_val), the validation digits. The test digits are not drawn in any figure."""
    mnist = _mnist()
    return (
        mnist.X_train[:-1000],
        mnist.y_train[:-1000],
        mnist.X_train[-1000:],
        mnist.y_train[-1000:],
    )


def _random_params():
    return backprop.init_params(SIZES, np.random.default_rng(0))


def chain_one_path():
    """One weight of the last layer, followed to the cost: three slopes multiplied."""
    mnist = _mnist()
    Ws, bs = _random_params()
    x, label, k = mnist.X_train[0].astype(np.float64), int(mnist.y_train[0]), 3
    chain = backprop.chain_one_path(Ws, bs, x, label, label, k)

    def cost():
        A = backprop.forward(Ws, bs, x[None])[1][-1]
        return np.sum((A - F.one_hot(np.array([label]), 10)) ** 2)

    numeric = numerical_grad(cost, Ws[2][label].reshape(-1)[k : k + 1])[0]
    return wb.chain_figure(chain, numeric)


def three_nudges():
    """Three ways to raise the right output of the digit the small network is least sure of."""
    Ws, bs = backprop.small_network()
    X, y = backprop.small_data()[2:]
    i = backprop.least_sure_example(Ws, bs, X, y)
    return wb.nudge_figure(Ws, bs, X[i], int(y[i]), int(y[i]))


def hand_vs_autograd():
    """Hand-written backprop against nnlib's autograd and finite differences (float64)."""
    mnist = _mnist()
    Ws, bs = _random_params()
    X, y = mnist.X_train[:64].astype(np.float64), mnist.y_train[:64]
    _, dWs, dbs = backprop.gradients(Ws, bs, X, y)
    net = backprop.mlp_from_params(Ws, bs)
    mse(net(X), y).backward()
    layers = net.linears()
    auto = [layer.W.grad for layer in layers] + [layer.b.grad for layer in layers]
    rng = np.random.default_rng(0)
    picks = [(l, int(n)) for l in range(3) for n in rng.choice(Ws[l].size, 5, replace=False)]

    def cost():
        return backprop.gradients(Ws, bs, X, y)[0]

    numeric = np.array([numerical_grad(cost, Ws[l].reshape(-1)[n : n + 1])[0] for l, n in picks])
    hand = np.array([dWs[l].reshape(-1)[n] for l, n in picks])
    return wb.gradient_check_figure(
        np.concatenate([g.ravel() for g in dWs + dbs]),
        np.concatenate([g.ravel() for g in auto]),
        hand,
        numeric,
    )


def _batches(X, y, batch_size, rng):
    while True:
        yield from minibatches(X, y, batch_size, rng)


@functools.lru_cache(maxsize=1)
def _small_run():
    """The chapter's 784-16-16-10 training run: (net, losses, validation predictions)."""
    (X, y, X_val, _), rng = _split(), np.random.default_rng(0)
    net = MLP(SIZES, rng, activation="sigmoid", final_activation="sigmoid")
    optimizer, losses = SGD(net.parameters(), lr=3.0), []
    stream = _batches(X, y, 32, rng)
    for _ in range(6000):
        X_b, y_b = next(stream)
        loss = mse(net(X_b), y_b)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    with no_grad():
        y_pred = net(X_val).data.argmax(axis=1)
    return net, losses, y_pred


@functools.lru_cache(maxsize=1)
def _big_run():
    """The chapter's 784-128-10 ReLU / cross-entropy / Adam run: the trained network."""
    (X, y, _, _), rng = _split(), np.random.default_rng(1)
    big = MLP([784, 128, 10], rng, activation="relu")
    optimizer = Adam(big.parameters(), lr=1e-3)
    stream = _batches(X, y, 64, rng)
    for _ in range(2000):
        X_b, y_b = next(stream)
        loss = cross_entropy(big(X_b), y_b)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return big


def loss_curve():
    net, losses, y_pred = _small_run()
    acc = np.mean(y_pred == _split()[3])
    title = f"784-16-16-10, SGD lr 3, batch 32: validation accuracy {acc:.1%} ({_mnist().source})"
    return wb.loss_figure(losses, title)


def misclassified():
    _, _, X_val, y_val = _split()
    return wb.misclassified_figure(X_val, y_val, _small_run()[2])


def first_layer_weights():
    return plot.weight_images(_small_run()[0].layers[0].W.data, 8, "784-16-16-10: all 16 neurons")


def first_layer_weights_128():
    W = _big_run().layers[0].W.data[:32]
    return plot.weight_images(W, 8, "784-128-10: 32 of 128 neurons")


def noise_confidence():
    big, rng = _big_run(), np.random.default_rng(0)
    noise = rng.uniform(0, 1, size=(1000, 784)).astype(np.float32)
    with no_grad():
        p_noise = F.softmax(big(noise).data)
        p_digits = F.softmax(big(_split()[2]).data)
    return wb.noise_figure(noise, p_noise, p_digits)


def train_vs_validation():
    """The notebook's overfitting run: 1,000 training digits, 1,000 other ones to validate."""
    mnist = _mnist()
    history = backprop.quick_train(
        mnist.X_train[:1000], mnist.y_train[:1000], mnist.X_train[-1000:], mnist.y_train[-1000:],
        [784, 32, 10], 3.0, 16, 30, np.random.default_rng(0),
    )  # fmt: skip
    return wb.train_val_figure(history, "784-32-10 trained on 1,000 digits")


def vanishing_gradients():
    mnist, rng = _mnist(), np.random.default_rng(0)
    X, y = mnist.X_train[:256].astype(np.float64), mnist.y_train[:256]
    norms_sigmoid = backprop.gradient_norms_by_layer("sigmoid", X, y, rng)
    norms_relu = backprop.gradient_norms_by_layer("relu", X, y, rng)
    return wb.vanishing_figure(norms_sigmoid, norms_relu)


def draw_digit_steps():
    """A 3 drawn as two strokes, prepared step by step as MNIST's digits were, and read."""
    steps = drawing.mnist_steps(drawing.example_three())
    return wb.drawing_figure(steps, backprop.digit_probabilities(_big_run(), steps["x"]))


def what_a_3_looks_like():
    """Gradient ascent on the input for output 3, beside the average 3 of the training set."""
    dreamed = backprop.dream(_big_run(), 3, np.random.default_rng(0), n_steps=200, lr=0.02)
    X, y, _, _ = _split()
    return wb.dream_figure(dreamed, 3, X[y == 3].mean(axis=0))


FIGURES = {
    "04_chain_one_path": chain_one_path,
    "04_three_nudges": three_nudges,
    "04_hand_vs_autograd": hand_vs_autograd,
    "04_loss_curve": loss_curve,
    "04_misclassified": misclassified,
    "04_first_layer_weights": first_layer_weights,
    "04_first_layer_weights_128": first_layer_weights_128,
    "04_noise_confidence": noise_confidence,
    "04_train_vs_validation": train_vs_validation,
    "04_vanishing_gradients": vanishing_gradients,
    "04_draw_digit_steps": draw_digit_steps,
    "04_what_a_3_looks_like": what_a_3_looks_like,
}
