"""nnlib.fused: each one-node layer equals its composition of Tensor primitives, value and
gradient, and its hand-written backward passes a float64 gradient check."""

import math
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib import fused
from nnlib.fused import (
    causal_self_attention,
    causal_self_attention_steps,
    layer_norm,
    layer_norm_steps,
    linear,
    linear_steps,
    matmul_blas,
    matmul_einsum,
    numpy_has_blas,
)
from nnlib.gradcheck import check_grad
from nnlib.tensor import Tensor

TOL = 1e-6


def t64(rng, *shape, scale=1.0):
    return Tensor(scale * rng.standard_normal(shape), dtype=np.float64)


# The compositions the fused nodes replace live beside them in nnlib.fused.
def linear_composed(X, W, b=None):
    return linear_steps(X, W, b)


def layer_norm_composed(x, gain, shift, eps=1e-5):
    return layer_norm_steps(x, gain, shift, eps)


def attention_composed(qkv, H):
    return causal_self_attention_steps(qkv, H)


def same_values_and_gradients(fused, composed, tensors, rng):
    """fused(*tensors) and composed(*tensors) agree, and so do the gradients they send back."""
    out_f, out_c = fused(), composed()
    np.testing.assert_allclose(out_f.data, out_c.data, rtol=1e-10, atol=1e-12)
    R = rng.standard_normal(out_f.shape)  # a random weighting, so no gradient vanishes by symmetry
    grads = []
    for out in (fused(), composed()):
        for t in tensors:
            t.grad = None
        (out * R).sum().backward()
        grads.append([t.grad.copy() for t in tensors])
    for g_f, g_c in zip(*grads, strict=True):
        np.testing.assert_allclose(g_f, g_c, rtol=1e-9, atol=1e-12)


# ---- the matrix product: BLAS or einsum, whichever this numpy does faster ----------------
def test_numpy_from_pip_says_it_has_blas():
    """pip's numpy links OpenBLAS. Should its build record ever stop saying so, the layers
    would quietly multiply with einsum, ten times slower here: this test says it first."""
    assert numpy_has_blas() is True
    assert fused.HAS_BLAS is True


@pytest.mark.parametrize("has_blas", [True, False])
def test_matmul_takes_the_product_numpy_does_faster(has_blas):
    rng = np.random.default_rng(0)
    A, B = rng.standard_normal((4, 3)), rng.standard_normal((3, 5))
    chosen = matmul_blas if has_blas else matmul_einsum
    with (
        mock.patch.object(fused, "HAS_BLAS", has_blas),
        mock.patch.object(fused, chosen.__name__, wraps=chosen) as spy,
    ):
        np.testing.assert_allclose(fused.matmul(A, B), A @ B, rtol=1e-12)
    assert spy.call_count == 1


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 70),
    k=st.integers(1, 70),
    m=st.integers(1, 70),
    transposed=st.tuples(st.booleans(), st.booleans()),
    dtype=st.sampled_from([np.float32, np.float64]),
    seed=st.integers(0, 2**16),
)
def test_both_products_give_the_same_matrix(n, k, m, transposed, dtype, seed):
    """Contiguous or transposed views (the layers pass W.T and G.T), float32 or float64."""
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((k, n) if transposed[0] else (n, k)).astype(dtype)
    B = rng.standard_normal((m, k) if transposed[1] else (k, m)).astype(dtype)
    A, B = (A.T if transposed[0] else A), (B.T if transposed[1] else B)
    by_blas, by_einsum = matmul_blas(A, B), matmul_einsum(A, B)
    assert by_blas.shape == by_einsum.shape == (n, m)
    assert by_blas.dtype == by_einsum.dtype == dtype
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(by_einsum, by_blas, rtol=tol, atol=tol * np.sqrt(k))


# ---- linear --------------------------------------------------------------------------
@pytest.mark.parametrize("has_blas", [True, False])
@settings(max_examples=25, deadline=None)
@given(
    lead=st.lists(st.integers(1, 4), min_size=0, max_size=2),
    n_in=st.integers(1, 5),
    n_out=st.integers(1, 5),
    bias=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_linear_matches_matmul_plus_bias(has_blas, lead, n_in, n_out, bias, seed):
    """With either product: the layer works the same on a numpy with BLAS or without."""
    rng = np.random.default_rng(seed)
    X, W, b = t64(rng, *lead, n_in), t64(rng, n_out, n_in), t64(rng, n_out)
    b = b if bias else None
    tensors = [X, W] + ([b] if bias else [])
    with mock.patch.object(fused, "HAS_BLAS", has_blas):
        same_values_and_gradients(
            lambda: linear(X, W, b), lambda: linear_composed(X, W, b), tensors, rng
        )
        R = rng.standard_normal((*lead, n_out))
        assert check_grad(lambda: (linear(X, W, b) * R).sum(), tensors) < TOL


def test_linear_takes_a_plain_array_as_input():
    rng = np.random.default_rng(0)
    X, W = rng.standard_normal((3, 4)), t64(rng, 2, 4)
    out = linear(X, W)
    np.testing.assert_allclose(out.data, X @ W.data.T)
    out.sum().backward()
    np.testing.assert_allclose(W.grad, np.ones((2, 3)) @ X)


# ---- layer_norm -------------------------------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(
    lead=st.lists(st.integers(1, 3), min_size=0, max_size=2),
    n=st.integers(2, 6),
    seed=st.integers(0, 2**16),
)
def test_layer_norm_matches_its_composition(lead, n, seed):
    rng = np.random.default_rng(seed)
    x, gain, shift = t64(rng, *lead, n, scale=3.0), t64(rng, n), t64(rng, n)
    same_values_and_gradients(
        lambda: layer_norm(x, gain, shift),
        lambda: layer_norm_composed(x, gain, shift),
        [x, gain, shift],
        rng,
    )
    R = rng.standard_normal((*lead, n))
    if n > 2:  # with 2 entries x_hat is +-1 whatever x is: dL/dx ~ eps, below finite differences
        assert check_grad(lambda: (layer_norm(x, gain, shift) * R).sum(), [x, gain, shift]) < TOL


def test_layer_norm_with_a_constant_shift_sends_it_no_gradient():
    rng = np.random.default_rng(1)
    x, gain = t64(rng, 2, 3, 4), t64(rng, 4)
    shift = Tensor(np.zeros(4), requires_grad=False, dtype=np.float64)
    (layer_norm(x, gain, shift) * rng.standard_normal((2, 3, 4))).sum().backward()
    assert shift.grad is None and x.grad is not None and gain.grad is not None


def test_layer_norm_output_has_mean_0_and_variance_1():
    rng = np.random.default_rng(2)
    x = Tensor(5 + 3 * rng.standard_normal((4, 16)), dtype=np.float64)
    ones, zeros = Tensor(np.ones(16), dtype=np.float64), Tensor(np.zeros(16), dtype=np.float64)
    y = layer_norm(x, ones, zeros, eps=0.0).data
    np.testing.assert_allclose(y.mean(axis=-1), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=-1), 1, atol=1e-12)


# ---- causal_self_attention --------------------------------------------------------------
@settings(max_examples=25, deadline=None)
@given(
    B=st.integers(1, 2),
    H=st.integers(1, 3),
    T=st.integers(1, 5),
    d=st.integers(1, 4),
    seed=st.integers(0, 2**16),
)
def test_causal_self_attention_matches_its_composition(B, H, T, d, seed):
    rng = np.random.default_rng(seed)
    qkv = t64(rng, B, T, 3 * H * d)
    same_values_and_gradients(
        lambda: causal_self_attention(qkv, H)[0],
        lambda: attention_composed(qkv, H)[0],
        [qkv],
        rng,
    )
    np.testing.assert_allclose(causal_self_attention(qkv, H)[1], attention_composed(qkv, H)[1])
    R = rng.standard_normal((B, T, H * d))
    assert check_grad(lambda: (causal_self_attention(qkv, H)[0] * R).sum(), [qkv]) < TOL


def test_attention_weights_are_causal_rows_that_sum_to_1():
    rng = np.random.default_rng(3)
    _, P = causal_self_attention(t64(rng, 2, 6, 3 * 2 * 3), 2)  # B 2, T 6, H 2, d 3
    assert P.shape == (2, 2, 6, 6)
    np.testing.assert_allclose(P.sum(axis=-1), 1.0)
    assert np.all(P[..., np.triu(np.ones((6, 6), dtype=bool), k=1)] == 0)


def test_attention_sends_no_gradient_to_the_future():
    """The output at position t must not depend on the queries, keys and values after t."""
    rng = np.random.default_rng(4)
    qkv = t64(rng, 1, 5, 3 * 2 * 3)
    y, _ = causal_self_attention(qkv, 2)
    y[:, 2].sum().backward()  # the output at position 2 only
    assert np.all(qkv.grad[:, 3:] == 0)
    q_grad = qkv.grad[:, :, :6]  # the queries are the first C = 6 columns
    assert np.all(q_grad[:, [0, 1]] == 0) and np.any(q_grad[:, 2] != 0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fused_nodes_keep_the_dtype(dtype):
    rng = np.random.default_rng(5)
    X = Tensor(rng.standard_normal((2, 3, 4)), dtype=dtype)
    W, g, b = (Tensor(rng.standard_normal(s), dtype=dtype) for s in [(5, 4), (4,), (4,)])
    assert linear(X, W).dtype == dtype and layer_norm(X, g, b).dtype == dtype
    qkv = Tensor(rng.standard_normal((1, 3, 12)), dtype=dtype)
    assert causal_self_attention(qkv, 2)[0].dtype == dtype


def test_gradients_of_a_tensor_used_twice_add_up():
    """The first gradient a fused node stores is added to, not replaced, by the next one."""
    rng = np.random.default_rng(6)
    X, W1, W2 = t64(rng, 3, 4), t64(rng, 2, 4), t64(rng, 2, 4)
    gain, shift = t64(rng, 4), t64(rng, 4)

    def fused():
        return linear(X, W1) * linear(X, W2) + linear(layer_norm(X, gain, shift), W1) + X.sum()

    def composed():
        h = layer_norm_composed(X, gain, shift)
        return linear_composed(X, W1) * linear_composed(X, W2) + linear_composed(h, W1) + X.sum()

    same_values_and_gradients(fused, composed, [X, W1, W2, gain, shift], rng)
    R = rng.standard_normal((3, 2))
    assert check_grad(lambda: (fused() * R).sum(), [X, W1, W2, gain, shift]) < TOL


def test_a_float32_weight_keeps_a_float32_gradient_under_float64_inputs():
    rng = np.random.default_rng(7)
    X = Tensor(rng.standard_normal((3, 4)), dtype=np.float64)
    W = Tensor(rng.standard_normal((2, 4)), dtype=np.float32)
    linear(X, W).sum().backward()
    assert W.grad.dtype == np.float32 and X.grad.dtype == np.float64


def test_layer_norm_without_shift_equals_its_steps_and_has_no_shift_parent():
    rng = np.random.default_rng(4)
    x, gain = t64(rng, 3, 5), t64(rng, 5)
    same_values_and_gradients(
        lambda: layer_norm(x, gain, None), lambda: layer_norm_steps(x, gain, None), [x, gain], rng
    )


def test_attention_steps_work_on_plain_arrays_too():
    from nnlib.fused import attention_scores, merge_heads, split_heads

    rng = np.random.default_rng(5)
    X = rng.standard_normal((2, 4, 6))
    heads = split_heads(X, 3)
    np.testing.assert_array_equal(merge_heads(heads), X)
    np.testing.assert_array_equal(split_heads(Tensor(X, dtype=np.float64), 3).data, heads)
    S = attention_scores(heads, heads)
    np.testing.assert_allclose(S, heads @ heads.swapaxes(-1, -2) / math.sqrt(2))
