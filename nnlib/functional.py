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


def entropy(p, axis=-1):
    """H(p) = -sum_i p_i ln p_i in nats, along the last axis (0 ln 0 counts as 0).

    0 when all the probability is on one entry; ln n when it is spread evenly over n.
    p: (n,) -> float, or (..., n) -> (...) array
    """
    p = np.asarray(p, dtype=np.float64)
    logp = np.log(np.where(p > 0, p, 1.0))  # ln 1 = 0 where p = 0
    H = 0.0 - (p * logp).sum(axis=axis)  # 0.0 - : no "-0.0" for a one-hot p
    return float(H) if H.ndim == 0 else H


def normalize_rows(E):
    """Each row divided by its length, so it has length 1 (rows of zeros stay zero).

    E: (..., C) -> (..., C)
    """
    E = np.asarray(E, dtype=np.float64)
    norms = np.linalg.norm(E, axis=-1, keepdims=True)  # (..., 1)
    return E / np.where(norms > 0, norms, 1.0)


def cosine_similarity(a, b):
    """cos(a, b) = a . b / (|a| |b|): 1 same direction, 0 at right angles, -1 opposite.

    a: (C,) or (N, C), b: (C,) or (M, C) -> a float, (N,), (M,) or (N, M).
    cosine_similarity(P, P)[i, j] compares every row of P with every other.
    """
    a, b = normalize_rows(a), normalize_rows(b)
    return a @ b.T  # (N, C) @ (C, M) -> (N, M)


# ---- labels and losses ----------------------------------------------------------
# These take plain ndarrays and return floats: the early chapters compute costs by hand.
# Training needs the same formulas on Tensors, with gradients: nnlib.losses holds those, and
# tests/test_functional.py checks that each pair agrees.


def _refuse_tensor(x, name):
    """A Tensor here would lose its gradient silently: say where its loss lives instead."""
    if hasattr(x, "backward"):
        raise TypeError(
            f"nnlib.functional.{name} works on numpy arrays and returns a float. To train, use "
            f"nnlib.losses.{name} (it returns a Tensor you can call .backward() on); to only "
            f"look at the number, pass the array: {name}(t.data, ...)."
        )


def check_labels(y, n_classes, name, expected_shape=None):
    """Return y as an integer ndarray, or raise ValueError saying what is wrong with it."""
    y = np.asarray(y)
    if expected_shape is not None and y.shape != tuple(expected_shape):
        raise ValueError(f"{name} expects labels y of shape {tuple(expected_shape)}, got {y.shape}")
    if y.dtype.kind not in "iu":
        raise ValueError(f"{name} expects integer class labels y, got dtype {y.dtype}")
    bad = y[(y < 0) | (y >= n_classes)]
    if bad.size:
        raise ValueError(f"{name}: label {bad.flat[0]} is out of range [0, {n_classes})")
    if y.size == 0:
        raise ValueError(f"{name} got an empty batch (0 examples): give it at least one")
    return y


def one_hot(y, n_classes):
    """Turn integer labels into vectors that are 0 everywhere except a 1 at the label.

    one_hot(y)[p, k] = 1 if y_p == k else 0
    y: (...) integers in [0, n_classes) -> (..., n_classes) float64
    """
    y = np.asarray(y)
    if y.size:
        y = check_labels(y, n_classes, "one_hot")
    return (y[..., None] == np.arange(n_classes)).astype(np.float64)  # (...) -> (..., K)


def mse_targets(y, shape, name="mse"):
    """The targets y_hat is compared with: y itself, or one-hot vectors if y holds labels.

    y: (P, K) targets, or (P,) integer labels for outputs of shape (P, K) -> (P, K) ndarray.
    """
    y = np.asarray(y)
    if len(shape) >= 2 and y.shape == tuple(shape[:-1]):  # labels: (P,) for (P, K)
        return one_hot(check_labels(y, shape[-1], name), shape[-1])
    if len(shape) == 0 or y.shape != tuple(shape):
        expected = f"{shape} (targets)" + (f" or {shape[:-1]} (labels)" if len(shape) >= 2 else "")
        raise ValueError(f"{name} expects y of shape {expected}, got {y.shape}")
    if shape[0] == 0:
        raise ValueError(f"{name} got an empty batch (0 examples): give it at least one")
    return y


def mse(y_hat, y):
    """Mean squared error: L = (1/P) * sum_p sum_k (y_hat[p, k] - y[p, k])^2.

    The squared differences are summed over the K output neurons of each example and
    averaged over the P examples, as in the text's L = (1/P) sum_p ||y_p - l_p||^2.
    y_hat: (P, K) ndarray.  y: (P, K) targets, or (P,) integer labels that are turned into
    one-hot targets.  Returns a float.
    """
    _refuse_tensor(y_hat, "mse")
    y_hat = np.asarray(y_hat)
    y = mse_targets(y.data if hasattr(y, "backward") else y, y_hat.shape)  # a Tensor's numbers
    return float(np.sum((y_hat - y) ** 2) / y_hat.shape[0])


def cross_entropy(logits, y):
    """Mean over examples of -log p_y, where p = softmax(logits): the classification loss.

    L = -(1/N) * sum_n log softmax(z_n)[y_n] = (1/N) * sum_n (logsumexp(z_n) - z_n[y_n])
    Computed from the logits z through log_softmax, so exp() never overflows.
    logits: (N, K) or (B, T, K) ndarray; y: (N,) or (B, T) integer labels.  Returns a float.
    """
    _refuse_tensor(logits, "cross_entropy")
    logits = np.asarray(logits)
    if logits.ndim < 2:
        raise ValueError(
            f"cross_entropy expects logits of shape (N, K) or (B, T, K), got {logits.shape}"
        )
    y = check_labels(y, logits.shape[-1], "cross_entropy", expected_shape=logits.shape[:-1])
    logp = log_softmax(logits, axis=-1)
    return float(-np.take_along_axis(logp, y[..., None], axis=-1).sum() / y.size)


def accuracy(logits_or_probs, y):
    """Fraction of examples whose largest score is at the right label: mean(argmax_k z_k == y).

    logits_or_probs: (N, K) or (B, T, K) ndarray (or a Tensor: no gradient is needed here);
    y: (N,) or (B, T) integer labels.
    """
    scores = logits_or_probs
    scores = np.asarray(scores.data if hasattr(scores, "backward") else scores)
    if scores.ndim < 2:
        raise ValueError(f"accuracy expects scores of shape (N, K), got {scores.shape}")
    y = check_labels(y, scores.shape[-1], "accuracy", expected_shape=scores.shape[:-1])
    return float(np.mean(scores.argmax(axis=-1) == y))
