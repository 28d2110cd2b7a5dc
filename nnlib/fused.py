"""Three layers as single graph nodes, each with its backward pass worked out by hand.

Built from Tensor's primitives, a Linear layer is four nodes (reshape, transpose, matmul,
add), a LayerNorm nine and attention's core six. Every node allocates its result and a
gradient buffer and walks its arrays once more in the backward pass; on the small arrays of
our GPT that bookkeeping, not the arithmetic, took most of a training step. Here each layer
is one node whose backward applies the derivatives below directly.

Beside each fused node stands its readable composition of Tensor primitives, the reference
it must equal (linear_steps, layer_norm_steps, causal_self_attention_steps): same numbers to
float32 round-off, and the same gradients (tests/test_fused.py checks both, and gradcheck
checks the hand-written backward passes in float64). Attention's steps are named functions
(split_heads, attention_scores, future_mask, merge_heads) that work on numpy arrays and on
Tensors alike; chapter 07 computes attention in numpy with the same functions.

The linear layer's three matrix products (most of the arithmetic of a GPT step) go through
matmul, which uses numpy's @ where numpy has a BLAS library and np.einsum where it has none,
as in the browser edition's Pyodide: there einsum is 1.4 to 6 times faster, and a GPT sampling
step a third quicker (benchmarks/matmul_kernels.py).
"""

import math

import numpy as np

from nnlib.tensor import Tensor, _add_grad


def numpy_has_blas():
    """Whether this numpy multiplies matrices with a BLAS library, as the wheels from pip and
    conda do (their build record says the BLAS was found). Pyodide's numpy, the browser
    edition's, records none: its @ is a plain triple loop, and np.einsum does the same product
    1.4 to 6 times faster there. A numpy too old to keep a build record is taken to have BLAS;
    tests/test_fused.py fails if a native numpy ever stops saying it has one."""
    try:
        return bool(np.__config__.CONFIG["Build Dependencies"]["blas"].get("found", False))
    except (AttributeError, KeyError, TypeError):
        return True


HAS_BLAS = numpy_has_blas()  # asked once, at import


def matmul_blas(A, B):
    """A @ B for matrices (n, k) and (k, m) -> (n, m), through BLAS where numpy has it."""
    return A @ B


def matmul_einsum(A, B):
    """A @ B for matrices (n, k) and (k, m) -> (n, m) as sum_j A[i, j] B[j, l], by np.einsum:
    the faster loop when numpy has no BLAS (see numpy_has_blas)."""
    return np.einsum("ij,jl->il", A, B)


def matmul(A, B):
    """A @ B for matrices, by whichever of the two products is faster on this numpy: the same
    numbers to float32 round-off."""
    return matmul_blas(A, B) if HAS_BLAS else matmul_einsum(A, B)


def _sum_last(M):
    """Sums over the last axis, (..., n) -> (..., 1), as a product with a vector of ones:
    BLAS does it several times faster than numpy's sum on our small rows (without BLAS, in
    the browser edition, the two take about the same time)."""
    n = M.shape[-1]
    return (M.reshape(-1, n) @ np.ones(n, M.dtype)).reshape(*M.shape[:-1], 1)


def _sum_rows(M):
    """The sum of the rows of M, (N, n) -> (n,), as ones^T M, for the same reason."""
    return np.ones(M.shape[0], M.dtype) @ M


def linear_steps(X, W, b=None):
    """The reference for linear: Z = X W^T + b from Tensor primitives (matmul, add)."""
    Z = X @ W.T  # (..., n_in) @ (n_in, n_out) -> (..., n_out)
    return Z if b is None else Z + b


def linear(X, W, b=None):
    """Z = X W^T + b over the last axis: the fully connected layer.

    X: (..., n_in), W: (n_out, n_in), b: (n_out,) or None -> Z: (..., n_out)
    With the leading axes of X flattened (N rows) and G = dL/dZ as an (N, n_out) matrix:
        dL/dX = G W        (N, n_out) @ (n_out, n_in)
        dL/dW = G^T X      (n_out, N) @ (N, n_in): a sum over all N rows
        dL/db = the sum of G's N rows
    """
    X = W._wrap(X)  # an array joins as a constant of W's dtype
    shape = X.shape
    X2 = X.data.reshape(-1, shape[-1])  # (N, n_in)
    Z = matmul(X2, W.data.T)  # (N, n_in) @ (n_in, n_out) -> (N, n_out)
    if b is not None:
        Z += b.data
    parents = (X, W) if b is None else (X, W, b)
    out = Tensor._result(Z.reshape(*shape[:-1], W.shape[0]), parents, "linear")

    def _backward(g):
        G = g.reshape(-1, g.shape[-1])  # (N, n_out)
        if X.requires_grad:
            _add_grad(X, matmul(G, W.data).reshape(shape))
        if W.requires_grad:
            _add_grad(W, matmul(G.T, X2))
        if b is not None and b.requires_grad:
            _add_grad(b, _sum_rows(G))

    out._backward = _backward
    return out


def layer_norm_steps(x, gain, shift=None, eps=1e-5):
    """The reference for layer_norm: centre, divide by the standard deviation, scale, shift."""
    d = x - x.mean(axis=-1, keepdims=True)  # (..., n), mean 0
    var = (d * d).mean(axis=-1, keepdims=True)  # (..., 1)
    y = d * (var + eps) ** -0.5 * gain  # (..., n)
    return y if shift is None else y + shift


def layer_norm(x, gain, shift=None, eps=1e-5):
    """y = gain * x_hat + shift,  x_hat = (x - mean) / sqrt(var + eps), over the last axis.

    x: (..., n), gain and shift: (n,) (shift None: no shift) -> y: (..., n). With
    r = 1/sqrt(var + eps) and
    G = dL/dy, the backward pass is
        dL/dgain  = sum over positions of G * x_hat,   dL/dshift = sum over positions of G
        dL/dx     = r * (D - mean(D) - x_hat * mean(D * x_hat)),   D = G * gain
    (the two means, over the last axis, are what x_hat's own mean and variance take back).
    """
    x = gain._wrap(x)
    n = x.shape[-1]
    # numpy's sum here, not _sum_last: BLAS rounds differently, and the float64 GPT gradient
    # check's finite differences on tiny gradients got noisier with it
    d = x.data - x.data.sum(axis=-1, keepdims=True) / n  # (..., n), centred
    var = np.einsum("...i,...i->...", d, d)[..., None] / n  # (..., 1): sum of d^2 / n
    r = 1.0 / np.sqrt(var + eps)  # (..., 1)
    x_hat = d
    x_hat *= r  # (..., n): mean 0, variance 1
    y = x_hat * gain.data
    if shift is not None:
        y += shift.data
    parents = (x, gain) if shift is None else (x, gain, shift)
    out = Tensor._result(y, parents, "layer_norm")
    rows = x_hat.reshape(-1, n)  # (N, n), the positions as rows

    def _backward(g):
        if gain.requires_grad:
            _add_grad(gain, np.einsum("ti,ti->i", g.reshape(-1, n), rows))  # sum_t G x_hat
        if shift is not None and shift.requires_grad:
            _add_grad(shift, _sum_rows(g.reshape(-1, n)))
        if x.requires_grad:
            D = g * gain.data
            D -= _sum_last(D) / n
            # D's mean is 0 by now; take away its part along x_hat
            D -= x_hat * (np.einsum("...i,...i->...", D, x_hat)[..., None] / n)
            D *= r
            _add_grad(x, D)

    out._backward = _backward
    return out


def split_heads(X, H):
    """Cut each vector into H pieces of hs = C / H numbers, one piece per head.

    Head h gets the columns h*hs .. (h+1)*hs - 1. Works on arrays and Tensors.
    X: (..., T, C) -> (..., H, T, hs)
    """
    *lead, T, C = X.shape
    if C % H:
        raise ValueError(f"split_heads: width C = {C} is not divisible by H = {H}")
    X = X.reshape(*lead, T, H, C // H)  # (..., T, C) -> (..., T, H, hs)
    return X.swapaxes(-2, -3)  # (..., T, H, hs) -> (..., H, T, hs)


def merge_heads(Y):
    """Join the heads' outputs side by side again: the inverse of split_heads.

    Y: (..., H, T, hs) -> (..., T, H * hs)
    """
    *lead, H, T, hs = Y.shape
    return Y.swapaxes(-2, -3).reshape(*lead, T, H * hs)  # (..., T, H, hs) -> (..., T, C)


def attention_scores(q, k):
    """Scaled dot-product scores S = q k^T / sqrt(hs): S[t, s] for query t and key s.

    Dividing by sqrt(hs) keeps the scores of unit-variance vectors at unit variance, whatever
    the head size. q, k: (..., T, hs) arrays or Tensors -> S: (..., T, T)
    """
    if q.ndim < 2 or q.shape != k.shape:
        raise ValueError(
            f"attention_scores expects q and k of one shape (..., T, hs), "
            f"got {q.shape} and {k.shape}"
        )
    return q @ k.swapaxes(-1, -2) * (1.0 / math.sqrt(q.shape[-1]))  # (..., T, T)


def future_mask(T):
    """future[t, s] = (s > t): the positions a causal model may not look at. (T, T) bool."""
    return np.triu(np.ones((T, T), dtype=bool), k=1)


def causal_self_attention_steps(qkv, n_head):
    """The reference for causal_self_attention, one named step at a time, on Tensors.

    qkv: (B, T, 3C) Tensor -> (y (B, T, C) Tensor, P (B, H, T, T) array)
    """
    T = qkv.shape[-2]
    q, k, v = (split_heads(t, n_head) for t in qkv.split(3, axis=-1))  # 3 x (B, H, T, hs)
    S = attention_scores(q, k)  # (B, H, T, T)
    S = S.masked_fill(future_mask(T), -np.inf)  # no looking ahead
    P = S.softmax(axis=-1)  # each row sums to 1 over the allowed keys
    y = merge_heads(P @ v)  # (B, H, T, T) @ (B, H, T, hs) -> (B, H, T, hs) -> (B, T, C)
    return y, P.data


def causal_self_attention(qkv, n_head):
    """Causal multi-head attention from the queries, keys and values side by side.

    qkv: (B, T, 3C), the output of the layer that makes q, k and v -> (y, P):
    y (B, T, C) a Tensor, the heads' outputs side by side; P (B, H, T, T) an array.
    Each of q, k, v (B, T, C) is cut into H heads of d = C/H numbers: (B, H, T, d). Per head
        S = q k^T / sqrt(d)     the scores, S[t, s] for query t and key s
        S[t, s] = -inf for s > t (no looking ahead), P = softmax(S) over s,  y = P v
    Backward, from G = dL/dy per head:
        dL/dv = P^T G,   dP = G v^T,   dS = P * (dP - sum_s dP * P)   (softmax's backward)
        dL/dq = dS k / sqrt(d),   dL/dk = dS^T q / sqrt(d)
    P is 0 at the masked entries, so dS is too: no gradient flows to the future.
    """
    B, T, C3 = qkv.shape
    H, d = n_head, C3 // 3 // n_head
    q, k, v = qkv.data.reshape(B, T, 3, H, d).transpose(2, 0, 3, 1, 4)  # 3 x (B, H, T, d) views
    scale = 1.0 / math.sqrt(d)
    S = (q * scale) @ k.swapaxes(-1, -2)  # (B, H, T, d) @ (B, H, d, T) -> (B, H, T, T)
    S += np.where(future_mask(T), -np.inf, 0.0).astype(S.dtype)  # -inf where s > t
    # softmax over s, in place (S becomes P): subtract the row's largest, exp, divide by sum
    S -= S.max(axis=-1, keepdims=True)
    P = np.exp(S, out=S)
    P /= _sum_last(P)  # (B, H, T, T), rows sum to 1
    y = (P @ v).transpose(0, 2, 1, 3).reshape(B, T, H * d)  # (B, H, T, d) -> (B, T, C)
    out = Tensor._result(y, (qkv,), "attention")

    def _backward(g):
        G = g.reshape(B, T, H, d).transpose(0, 2, 1, 3)  # (B, T, C) -> (B, H, T, d)
        dqkv = np.empty((B, T, 3, H, d), dtype=g.dtype)
        dq, dk, dv = dqkv.transpose(2, 0, 3, 1, 4)  # views: writing them fills dqkv
        np.matmul(P.swapaxes(-1, -2), G, out=dv)  # (B, H, T, T) @ (B, H, T, d)
        dS = G @ v.swapaxes(-1, -2)  # dP: (B, H, T, d) @ (B, H, d, T) -> (B, H, T, T)
        dS -= np.einsum("...ts,...ts->...t", dS, P)[..., None]  # dP - sum_s dP * P
        dS *= P
        np.matmul(dS, k, out=dq)  # (B, H, T, T) @ (B, H, T, d)
        dq *= scale
        np.matmul(dS.swapaxes(-1, -2), q, out=dk)
        dk *= scale
        _add_grad(qkv, dqkv.reshape(B, T, C3))

    out._backward = _backward
    return out, P
