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
    return 0.5 * z * (1 + np.tanh(GELU_C * (z + 0.044715 * z * z * z)))


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


# ---- labels and losses ----------------------------------------------------------
# The losses take either a Tensor (training: they return a scalar Tensor you can call
# .backward() on) or a plain ndarray (the early chapters: they return a float). Tensor is
# imported inside the functions because nnlib.tensor itself imports this module.


def _check_labels(y, n_classes, name, expected_shape=None):
    """Return y as an integer ndarray, or raise ValueError saying what is wrong with it."""
    y = np.asarray(y)
    if expected_shape is not None and y.shape != tuple(expected_shape):
        raise ValueError(f"{name} expects labels y of shape {tuple(expected_shape)}, got {y.shape}")
    if y.dtype.kind not in "iu":
        raise ValueError(f"{name} expects integer class labels y, got dtype {y.dtype}")
    bad = y[(y < 0) | (y >= n_classes)]
    if bad.size:
        raise ValueError(f"{name}: label {bad.flat[0]} is out of range [0, {n_classes})")
    return y


def one_hot(y, n_classes):
    """Turn integer labels into vectors that are 0 everywhere except a 1 at the label.

    one_hot(y)[p, k] = 1 if y_p == k else 0
    y: (...) integers in [0, n_classes) -> (..., n_classes) float64
    """
    y = _check_labels(y, n_classes, "one_hot")
    return (y[..., None] == np.arange(n_classes)).astype(np.float64)  # (...) -> (..., K)


def mse(y_hat, y):
    """Mean squared error: L = (1/P) * sum_p sum_k (y_hat[p, k] - y[p, k])^2.

    The squared differences are summed over the K output neurons of each example and
    averaged over the P examples, as in the text's L = (1/P) sum_p ||y_p - l_p||^2.
    y_hat: (P, K) Tensor or ndarray.  y: (P, K) targets, or (P,) integer labels that
    are turned into one-hot targets.  Returns a scalar Tensor, or a float for ndarrays.
    """
    from nnlib.tensor import Tensor

    if not isinstance(y_hat, Tensor):
        y_hat = np.asarray(y_hat)
    y_data = y.data if isinstance(y, Tensor) else np.asarray(y)
    shape = y_hat.shape
    if len(shape) >= 2 and y_data.shape == shape[:-1]:  # labels: (P,) for (P, K)
        y = one_hot(_check_labels(y_data, shape[-1], "mse"), shape[-1])
    elif len(shape) == 0 or y_data.shape != shape:
        expected = f"{shape} (targets)" + (f" or {shape[:-1]} (labels)" if len(shape) >= 2 else "")
        raise ValueError(f"mse expects y of shape {expected}, got {y_data.shape}")
    P = shape[0]
    if isinstance(y_hat, Tensor):
        d = y_hat - y
        return (d * d).sum() * (1.0 / P)
    y = y.data if isinstance(y, Tensor) else y
    return float(np.sum((y_hat - y) ** 2) / P)


def cross_entropy(logits, y):
    """Mean over examples of -log p_y, where p = softmax(logits): the classification loss.

    L = -(1/N) * sum_n log softmax(z_n)[y_n] = (1/N) * sum_n (logsumexp(z_n) - z_n[y_n])
    Computed from the logits z through log_softmax, so exp() never overflows.
    logits: (N, K) or (B, T, K) Tensor or ndarray; y: (N,) or (B, T) integer labels.
    Returns a scalar Tensor (for a Tensor) or a float (for an ndarray).
    """
    from nnlib.tensor import Tensor

    if not isinstance(logits, Tensor):
        logits = np.asarray(logits)
    shape = logits.shape
    if len(shape) < 2:
        raise ValueError(f"cross_entropy expects logits of shape (N, K) or (B, T, K), got {shape}")
    K = shape[-1]
    y = _check_labels(y, K, "cross_entropy", expected_shape=shape[:-1])
    N = y.size
    if isinstance(logits, Tensor):
        logp = logits.reshape(N, K).log_softmax(axis=-1)  # (..., K) -> (N, K)
        return -logp[np.arange(N), y.reshape(N)].sum() * (1.0 / N)  # pick log p_y: (N,)
    logp = log_softmax(logits, axis=-1)
    return float(-np.take_along_axis(logp, y[..., None], axis=-1).sum() / N)


def accuracy(logits_or_probs, y):
    """Fraction of examples whose largest score is at the right label: mean(argmax_k z_k == y).

    logits_or_probs: (N, K) or (B, T, K) Tensor or ndarray; y: (N,) or (B, T) integer labels.
    """
    from nnlib.tensor import Tensor

    scores = logits_or_probs
    scores = np.asarray(scores.data if isinstance(scores, Tensor) else scores)
    if scores.ndim < 2:
        raise ValueError(f"accuracy expects scores of shape (N, K), got {scores.shape}")
    y = _check_labels(y, scores.shape[-1], "accuracy", expected_shape=scores.shape[:-1])
    return float(np.mean(scores.argmax(axis=-1) == y))
