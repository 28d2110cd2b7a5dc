"""Losses on Tensors: the numbers training makes small, with their gradients.

Each function here is the Tensor form of the numpy function of the same name in
nnlib.functional, which the early chapters use on plain arrays; the formulas and the checks
of their inputs are the same (tests/test_functional.py says the two agree). Call .backward() on
what they return.
"""

import numpy as np

from nnlib import functional as F
from nnlib.tensor import Tensor


def mse(y_hat, y):
    """Mean squared error: L = (1/P) * sum_p sum_k (y_hat[p, k] - y[p, k])^2.

    y_hat: (P, K) Tensor.  y: (P, K) targets (array or Tensor), or (P,) integer labels that
    become one-hot targets.  Returns a scalar Tensor.
    """
    if not isinstance(y_hat, Tensor):
        raise TypeError(
            f"nnlib.losses.mse expects y_hat as a Tensor, got {type(y_hat).__name__}; "
            "for plain arrays use nnlib.functional.mse"
        )
    if isinstance(y, Tensor):
        F.mse_targets(y.data, y_hat.shape)  # checks the shape only
    else:
        y = F.mse_targets(y, y_hat.shape)
    d = y_hat - y
    return (d * d).sum() * (1.0 / y_hat.shape[0])


def cross_entropy(logits, y):
    """Mean over examples of -log p_y, where p = softmax(logits): the classification loss.

    L = -(1/N) * sum_n log softmax(z_n)[y_n]
    logits: (N, K) or (B, T, K) Tensor; y: (N,) or (B, T) integer labels -> scalar Tensor.
    A 0/1 mask picks log p_y of each example, so the backward pass is one product: dL/dz is
    (p - onehot(y)) / N, with no scatter of gradients into rows.
    """
    if not isinstance(logits, Tensor):
        raise TypeError(
            f"nnlib.losses.cross_entropy expects logits as a Tensor, got "
            f"{type(logits).__name__}; for plain arrays use nnlib.functional.cross_entropy"
        )
    shape = logits.shape
    if len(shape) < 2:
        raise ValueError(f"cross_entropy expects logits of shape (N, K) or (B, T, K), got {shape}")
    K = shape[-1]
    y = F.check_labels(y, K, "cross_entropy", expected_shape=shape[:-1]).reshape(-1)  # (N,)
    N = y.size
    logp = logits.reshape(N, K).log_softmax(axis=-1)  # (..., K) -> (N, K)
    picked = np.zeros((N, K), dtype=bool)  # (N, K): True at (n, y_n)
    picked[np.arange(N), y] = True
    return -(logp * picked).sum() * (1.0 / N)
