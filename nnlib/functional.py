"""Numpy math without autograd: activations, softmax, and the book's losses.

The early chapters use these on plain arrays. `nnlib.tensor` reuses the same
functions for its forward passes, so each formula is written once, here.
"""

import math

import numpy as np


def sigmoid(z):
    """Squish any number into (0, 1): sigma(z) = 1 / (1 + exp(-z)).

    Written so exp() only ever sees -|z|: for z >= 0 we use 1 / (1 + e^-z) and
    for z < 0 the equal form e^z / (1 + e^z). Neither overflows, even at z = -1000.
    z: any shape -> same shape
    """
    z = np.asarray(z)
    e = np.exp(-np.abs(z))  # in (0, 1], never overflows
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def relu(z):
    """Rectified linear unit: relu(z) = max(0, z), elementwise."""
    return np.maximum(z, 0)


GELU_C = math.sqrt(2 / math.pi)


def gelu(z):
    """Gaussian error linear unit, in the tanh form GPT-2 uses.

    gelu(z) = 0.5 * z * (1 + tanh(sqrt(2/pi) * (z + 0.044715 * z^3)))
    Like ReLU for large |z|, but smooth around 0.
    """
    return 0.5 * z * (1 + np.tanh(GELU_C * (z + 0.044715 * z**3)))


def logsumexp(z, axis=-1, keepdims=False):
    """log(sum_j exp(z_j)) along `axis`, without overflow.

    log sum_j exp(z_j) = m + log sum_j exp(z_j - m),  where m = max_j z_j
    """
    m = np.max(z, axis=axis, keepdims=True)
    out = m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=axis)


def softmax(z, axis=-1):
    """Turn scores into probabilities along `axis`.

    p_i = exp(z_i - m) / sum_j exp(z_j - m),  where m = max_j z_j
    Subtracting m leaves p unchanged and keeps exp() from overflowing.
    z: (..., K) -> p: (..., K)
    """
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(z, axis=-1):
    """log p_i = z_i - logsumexp(z): the log of softmax, computed stably.

    z: (..., K) -> log p: (..., K)
    """
    return z - logsumexp(z, axis=axis, keepdims=True)
