"""Figures of chapter 01 (the neuron), drawn by nnlib.widgets.ch01_neuron.

The network is the chapter's untrained 784-16-16-10 MLP with a fixed seed and
the digit is the first 7 among the MNIST test digits that load_mnist() returns.
"""

import numpy as np

from nnlib.widgets import ch01_neuron as neuron_widgets


def _first_seven():
    X, y = neuron_widgets.mnist_test_digits()
    i = int(np.flatnonzero(y == 7)[0])
    return X[i], y[i], i


def digit_784():
    """One digit as 28 x 28 pixels, as 784 activations in a row, and their histogram."""
    x, label, _ = _first_seven()
    return neuron_widgets.digit_figure(x, label)


def layer_activations():
    """The untrained network's activations, layer by layer, for that digit."""
    x, label, i = _first_seven()
    return neuron_widgets.layers_figure(x, label, neuron_widgets.chapter_network(), index=i)


FIGURES = {
    "01_bias_threshold": neuron_widgets.bias_threshold_figure,
    "01_sigmoid_relu": neuron_widgets.activations_figure,
    "01_decision_boundary": neuron_widgets.playground_figure,
    "01_digit_784": digit_784,
    "01_layer_activations": layer_activations,
}
