"""Figures of chapter 02 (the cost function), made with the chapter's own code."""

import warnings

import numpy as np

from nnlib.chapters import ch02_cost_function as cost
from nnlib.data import OfflineMNISTWarning, load_mnist
from nnlib.layers import MLP
from nnlib.tensor import no_grad
from nnlib.widgets import ch02_cost_function as cost_widgets


def one_example():
    """The random 784-16-16-10 network on the first 3 of the training set, as in the chapter."""
    rng = np.random.default_rng(0)  # the chapter's seed: the network is its first draw
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineMNISTWarning)
        mnist = load_mnist(download=False)
    net = MLP([784, 16, 16, 10], rng, activation="sigmoid", final_activation="sigmoid")
    x = mnist.X_train[np.flatnonzero(mnist.y_train == 3)[0]]  # (784,)
    with no_grad():
        a = net(x).data  # (10,)
    return cost_widgets.one_example_figure(a, np.eye(10)[3], title="a random network on a 3")


def cost_landscape():
    """The tiny 1-2-1 network's cost over w2[0] and b2, on the chapter's data set."""
    rng = np.random.default_rng(0)  # the chapter draws its network first, then the data
    MLP([784, 16, 16, 10], rng, activation="sigmoid", final_activation="sigmoid")
    x, l = cost.tiny_data(rng)
    return cost_widgets.landscape_figure(x, l, i=4, j=6, value_i=3.0, value_j=-1.0)


FIGURES = {
    "02_one_example_cost": one_example,
    "02_cost_landscape": cost_landscape,
    "02_mse_vs_cross_entropy": cost_widgets.slowdown_figure,
}
