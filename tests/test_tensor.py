"""Tests for nnlib.tensor: every op's backward against central differences, and the graph rules.

Each gradient test builds float64 Tensors, reduces the op's output to a scalar with a fixed
random weighting R (so no gradient is identically zero by symmetry), and asks
nnlib.gradcheck.check_grad for the largest relative error against finite differences.
Hypothesis chooses the shapes (at most 4 per axis, so the suite stays fast) and a seed for
the values, which keeps the values well-conditioned (no accidental zeros or ties).
"""

import contextlib
import gc
import sys
import warnings
import weakref

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes

from nnlib.gradcheck import check_grad
from nnlib.tensor import Tensor, no_grad

TOL = 1e-6
FAST = settings(max_examples=25, deadline=None)

shapes = array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)
shapes_1d_up = array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)
seeds = st.integers(0, 2**32 - 1)
pairs = mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=4)


def t64(a):
    return Tensor(a, dtype=np.float64)


def normal(rng, shape, low=0.0):
    """Random values of the given shape, with |value| >= low (away from kinks and zeros)."""
    x = rng.uniform(-2, 2, size=shape)
    return np.where(np.abs(x) < low, np.sign(x + 1e-12) * low, x)


def assert_grad(op, *tensors, seed=0):
    """check_grad of sum(op() * R) for a fixed random R with op()'s shape."""
    R = np.random.default_rng(seed).uniform(0.5, 1.5, size=op().shape)
    err = check_grad(lambda: (op() * R).sum(), list(tensors))
    assert err < TOL, f"relative error {err:.2e}"


def axis_choice(ndim):
    """None, a single (possibly negative) axis, or a tuple of distinct axes."""
    if ndim == 0:
        return st.none()
    single = st.integers(-ndim, ndim - 1)
    several = st.lists(st.integers(0, ndim - 1), unique=True, max_size=ndim).map(tuple)
    return st.one_of(st.none(), single, several)


# ---- arithmetic ------------------------------------------------------------------


@FAST
@given(pairs, seeds, st.sampled_from(["+", "-", "*", "/"]))
def test_binary_ops_with_broadcasting(bshapes, seed, op):
    rng = np.random.default_rng(seed)
    sa, sb = bshapes.input_shapes
    a = t64(normal(rng, sa))
    b = t64(normal(rng, sb, low=0.5))  # divisor away from zero
    ops = {
        "+": lambda: a + b,
        "-": lambda: a - b,
        "*": lambda: a * b,
        "/": lambda: a / b,
    }
    assert ops[op]().shape == bshapes.result_shape
    assert_grad(ops[op], a, b, seed=seed)


@FAST
@given(shapes, seeds, st.sampled_from(["+", "-", "*", "/"]))
def test_numbers_and_arrays_on_either_side(shape, seed, op):
    rng = np.random.default_rng(seed)
    x = t64(normal(rng, shape, low=0.5))
    c = rng.uniform(0.5, 2.0, size=shape[-1:])  # an ndarray that broadcasts against x
    s = float(rng.uniform(0.5, 2.0))
    ops = {
        "+": [lambda: x + c, lambda: c + x, lambda: x + s, lambda: s + x],
        "-": [lambda: x - c, lambda: c - x, lambda: x - s, lambda: s - x],
        "*": [lambda: x * c, lambda: c * x, lambda: x * s, lambda: s * x],
        "/": [lambda: x / c, lambda: c / x, lambda: x / s, lambda: s / x],
    }
    expected = {
        "+": [x.data + c, c + x.data, x.data + s, s + x.data],
        "-": [x.data - c, c - x.data, x.data - s, s - x.data],
        "*": [x.data * c, c * x.data, x.data * s, s * x.data],
        "/": [x.data / c, c / x.data, x.data / s, s / x.data],
    }
    for f, want in zip(ops[op], expected[op], strict=True):
        out = f()
        assert isinstance(out, Tensor)
        np.testing.assert_allclose(out.data, want)
        assert_grad(f, x, seed=seed)


@FAST
@given(shapes, seeds)
def test_negation(shape, seed):
    x = t64(normal(np.random.default_rng(seed), shape))
    assert_grad(lambda: -x, x, seed=seed)


@FAST
@given(shapes, seeds, st.sampled_from([-2, -1, 0, 1, 2, 3, 1.0, 2.0]))
def test_int_powers_any_sign(shape, seed, p):
    x = t64(normal(np.random.default_rng(seed), shape, low=0.5))
    np.testing.assert_allclose((x**p).data, x.data**p)
    assert_grad(lambda: x**p, x, seed=seed)


@FAST
@given(shapes, seeds, st.sampled_from([0.5, -0.5, 1.5, 2.5, -1.3, np.float64(0.7)]))
def test_fractional_powers_of_positive_numbers(shape, seed, p):
    x = t64(np.random.default_rng(seed).uniform(0.5, 2.0, size=shape))
    assert_grad(lambda: x**p, x, seed=seed)


def test_power_needs_a_plain_number():
    x = t64([1.0, 2.0])
    with pytest.raises(ValueError, match="plain number"):
        x ** t64(2.0)


# ---- matrix products -----------------------------------------------------------

sides = st.integers(1, 4)


@FAST
@given(sides, sides, sides, seeds)
def test_matmul_2d(n, k, m, seed):
    rng = np.random.default_rng(seed)
    A, B = t64(rng.normal(size=(n, k))), t64(rng.normal(size=(k, m)))
    np.testing.assert_allclose((A @ B).data, A.data @ B.data)
    assert_grad(lambda: A @ B, A, B, seed=seed)


@FAST
@given(sides, sides, sides, seeds)
def test_linear_layer_broadcast_bias(B_, n_in, n_out, seed):
    """The layer of the text: Z = X @ W.T + b, with X (B, n_in), W (n_out, n_in), b (n_out,)."""
    rng = np.random.default_rng(seed)
    X = t64(rng.normal(size=(B_, n_in)))
    W = t64(rng.normal(size=(n_out, n_in)) / n_in)  # keep z moderate: a saturated tanh has a
    b = t64(rng.normal(size=n_out) / 2)  # slope near 0, which finite differences cannot resolve
    assert_grad(lambda: X @ W.T + b, X, W, b, seed=seed)
    assert_grad(lambda: (X @ W.T + b).tanh(), X, W, b, seed=seed)


@FAST
@given(st.sampled_from(["vec@mat", "mat@vec", "vec@vec", "vec@batch", "batch@vec"]), seeds)
def test_matmul_with_1d_operands(case, seed):
    rng = np.random.default_rng(seed)
    n, k, m, b = rng.integers(1, 5, size=4)
    shapes_ = {
        "vec@mat": ((k,), (k, m)),
        "mat@vec": ((n, k), (k,)),
        "vec@vec": ((k,), (k,)),
        "vec@batch": ((k,), (b, k, m)),
        "batch@vec": ((b, n, k), (k,)),
    }[case]
    A, B = (t64(rng.normal(size=s)) for s in shapes_)
    np.testing.assert_allclose((A @ B).data, A.data @ B.data)
    assert_grad(lambda: A @ B, A, B, seed=seed)


@FAST
@given(
    mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=3), sides, sides, sides, seeds
)
def test_batched_matmul_broadcasts_batch_dims(batch, n, k, m, seed):
    rng = np.random.default_rng(seed)
    sa, sb = batch.input_shapes
    A = t64(rng.normal(size=sa + (n, k)))
    B = t64(rng.normal(size=sb + (k, m)))
    assert (A @ B).shape == batch.result_shape + (n, m)
    assert_grad(lambda: A @ B, A, B, seed=seed)


def test_matmul_with_numpy_on_either_side():
    rng = np.random.default_rng(1)
    W = t64(rng.normal(size=(3, 4)))
    X = rng.normal(size=(2, 4))
    v = rng.normal(size=3)
    assert_grad(lambda: X @ W.T, W)
    assert_grad(lambda: W.T @ v, W)
    assert_grad(lambda: v @ W, W)
    np.testing.assert_allclose((X @ W.T).data, X @ W.data.T)


# ---- reductions ---------------------------------------------------------------------


@FAST
@given(st.data(), shapes, seeds, st.booleans())
def test_sum_mean_var(data, shape, seed, keepdims):
    axis = data.draw(axis_choice(len(shape)))
    x = t64(normal(np.random.default_rng(seed), shape))
    for name in ("sum", "mean", "var"):
        f = getattr(x, name)
        np.testing.assert_allclose(
            f(axis=axis, keepdims=keepdims).data,
            getattr(np, name)(x.data, axis=axis, keepdims=keepdims),
            atol=1e-12,
        )
        assert_grad(lambda f=f: f(axis=axis, keepdims=keepdims), x, seed=seed)


@FAST
@given(st.data(), shapes, seeds, st.booleans())
def test_max_without_ties(data, shape, seed, keepdims):
    axis = data.draw(axis_choice(len(shape)))
    rng = np.random.default_rng(seed)
    size = int(np.prod(shape))
    # distinct values 0.1 apart, far more than the finite-difference step
    x = t64((rng.permutation(size) * 0.1 - 0.05 * size).reshape(shape))
    np.testing.assert_allclose(
        x.max(axis=axis, keepdims=keepdims).data, x.data.max(axis=axis, keepdims=keepdims)
    )
    assert_grad(lambda: x.max(axis=axis, keepdims=keepdims), x, seed=seed)


def test_max_shares_gradient_among_ties():
    x = t64([[1.0, 3.0, 3.0], [2.0, 0.0, -1.0]])
    x.max(axis=1).sum().backward()
    np.testing.assert_allclose(x.grad, [[0, 0.5, 0.5], [1, 0, 0]])


# ---- elementwise functions -------------------------------------------------------------

UNARY = {
    "exp": (lambda x: x.exp(), np.exp, dict(low=0.0)),
    "log": (lambda x: x.log(), np.log, dict(positive=True)),
    "tanh": (lambda x: x.tanh(), np.tanh, dict(low=0.0)),
    "sigmoid": (lambda x: x.sigmoid(), lambda z: 1 / (1 + np.exp(-z)), dict(low=0.0)),
    "relu": (lambda x: x.relu(), lambda z: np.maximum(z, 0), dict(low=0.1)),
    "gelu": (
        lambda x: x.gelu(),
        lambda z: 0.5 * z * (1 + np.tanh(np.sqrt(2 / np.pi) * (z + 0.044715 * z**3))),
        dict(low=0.0),
    ),
}


@FAST
@given(shapes, seeds, st.sampled_from(sorted(UNARY)))
def test_unary_functions(shape, seed, name):
    op, reference, kind = UNARY[name]
    rng = np.random.default_rng(seed)
    if kind.get("positive"):
        values = rng.uniform(0.2, 3.0, size=shape)
    else:
        values = normal(rng, shape, low=kind["low"]) * 1.5
    x = t64(values)
    np.testing.assert_allclose(op(x).data, reference(values), rtol=1e-12, atol=1e-15)
    assert_grad(lambda: op(x), x, seed=seed)


@FAST
@given(st.data(), shapes_1d_up, seeds, st.sampled_from(["softmax", "log_softmax"]))
def test_softmax_and_log_softmax_over_any_axis(data, shape, seed, name):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = t64(normal(np.random.default_rng(seed), shape) * 2)
    out = getattr(x, name)(axis=axis)
    e = np.exp(x.data)
    p = e / e.sum(axis=axis, keepdims=True)
    np.testing.assert_allclose(out.data, p if name == "softmax" else np.log(p), atol=1e-12)
    assert_grad(lambda: getattr(x, name)(axis=axis), x, seed=seed)


# ---- shapes and indexing -------------------------------------------------------------


@FAST
@given(shapes_1d_up, seeds)
def test_reshape(shape, seed):
    rng = np.random.default_rng(seed)
    x = t64(normal(rng, shape))
    new = tuple(int(n) for n in rng.permutation(shape))
    assert x.reshape(*new).shape == new
    assert x.reshape(new).shape == new  # a tuple works too, as in numpy
    assert_grad(lambda: x.reshape(*new), x, seed=seed)
    assert_grad(lambda: x.reshape(-1), x, seed=seed)


@FAST
@given(shapes_1d_up, seeds)
def test_transpose_with_and_without_axes(shape, seed):
    rng = np.random.default_rng(seed)
    x = t64(normal(rng, shape))
    axes = tuple(int(a) for a in rng.permutation(len(shape)))
    negative = tuple(a - len(shape) for a in axes)  # the same permutation, counted from the end
    np.testing.assert_array_equal(x.transpose(*axes).data, x.data.transpose(axes))
    np.testing.assert_array_equal(x.transpose(*negative).data, x.data.transpose(axes))
    np.testing.assert_array_equal(x.transpose().data, x.data.T)
    np.testing.assert_array_equal(x.T.data, x.data.T)
    assert_grad(lambda: x.transpose(*axes), x, seed=seed)
    assert_grad(lambda: x.transpose(*negative), x, seed=seed)
    assert_grad(lambda: x.transpose(), x, seed=seed)
    assert_grad(lambda: x.T, x, seed=seed)


@FAST
@given(st.data(), shapes_1d_up, seeds)
def test_swapaxes(data, shape, seed):
    n = len(shape)
    a = data.draw(st.integers(-n, n - 1))
    b = data.draw(st.integers(-n, n - 1))
    x = t64(normal(np.random.default_rng(seed), shape))
    np.testing.assert_array_equal(x.swapaxes(a, b).data, x.data.swapaxes(a, b))
    assert_grad(lambda: x.swapaxes(a, b), x, seed=seed)


def random_slice(rng, n):
    start, stop = (int(v) for v in rng.integers(-n - 1, n + 1, size=2))
    step = int(rng.choice([-2, -1, 1, 2, 3]))
    return slice(start, stop, step)


@FAST
@given(shapes_1d_up, seeds)
def test_basic_indexing_slices_and_ints(shape, seed):
    rng = np.random.default_rng(seed)
    x = t64(normal(rng, shape))
    idx = tuple(
        int(rng.integers(-n, n)) if rng.random() < 0.3 else random_slice(rng, n) for n in shape
    )
    np.testing.assert_array_equal(x[idx].data, x.data[idx])
    assert_grad(lambda: x[idx], x, seed=seed)
    assert_grad(lambda: x[..., None, :1], x, seed=seed)


@FAST
@given(sides, sides, sides, sides, seeds)
def test_embedding_lookup_with_repeated_ids(V, C, B_, T, seed):
    """W[ids]: rows picked twice must receive both gradients (np.add.at, not +=)."""
    rng = np.random.default_rng(seed)
    W = t64(rng.normal(size=(V, C)))
    ids = rng.integers(0, V, size=(B_, T))
    ids.flat[0] = ids.flat[-1]  # make sure at least one id can repeat
    assert W[ids].shape == (B_, T, C)
    assert_grad(lambda: W[ids], W, seed=seed)
    assert_grad(lambda: W[ids.ravel()], W, seed=seed)


def test_repeated_index_accumulates_exactly():
    W = t64(np.zeros((3, 2)))
    W[np.array([2, 0, 2, 2])].sum().backward()
    np.testing.assert_array_equal(W.grad, [[1, 1], [0, 0], [3, 3]])


def test_advanced_indexing_and_tensor_as_index():
    rng = np.random.default_rng(2)
    x = t64(rng.normal(size=(4, 5)))
    rows, cols = np.array([0, 3, 3, 1]), np.array([4, 0, 0, 2])
    assert_grad(lambda: x[rows, cols], x)  # gather one entry per row: log p[n, y_n]
    assert_grad(lambda: x[:, cols], x)
    assert_grad(lambda: x[x.data > 0], x)  # boolean mask
    ids = Tensor([3, 1, 1], requires_grad=False)  # a Tensor holding integer values
    np.testing.assert_array_equal(x[ids].data, x.data[[3, 1, 1]])
    assert_grad(lambda: x[ids], x)


@FAST
@given(st.data(), shapes_1d_up, seeds)
def test_split(data, shape, seed):
    axis = data.draw(st.integers(-len(shape), len(shape) - 1))
    n = data.draw(st.integers(1, 3))
    shape = list(shape)
    shape[axis] *= n  # make the axis divisible into n parts
    rng = np.random.default_rng(seed)
    x = t64(normal(rng, shape))
    parts = x.split(n, axis=axis)
    assert len(parts) == n
    for got, want in zip(parts, np.split(x.data, n, axis=axis), strict=True):
        np.testing.assert_array_equal(got.data, want)
    weights = rng.uniform(0.5, 2.0, size=n)

    # each part weighted differently, so a mixed-up part would show
    def f():
        return sum(w * p.tanh() for w, p in zip(weights, x.split(n, axis=axis), strict=True))

    assert_grad(f, x)


def test_split_needs_equal_parts():
    with pytest.raises(ValueError, match="cannot split"):
        t64(np.zeros((2, 5))).split(3)


@FAST
@given(shapes, seeds)
def test_masked_fill(shape, seed):
    rng = np.random.default_rng(seed)
    x = t64(normal(rng, shape))
    mask = rng.random(shape) < 0.4
    out = x.masked_fill(mask, -7.0)
    np.testing.assert_array_equal(out.data, np.where(mask, -7.0, x.data))
    assert_grad(lambda: x.masked_fill(mask, -7.0), x, seed=seed)
    x.grad = None
    x.masked_fill(mask, 3.0).sum().backward()
    np.testing.assert_array_equal(x.grad, np.where(mask, 0.0, 1.0))


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 4), st.integers(1, 2), seeds)
def test_causal_mask_then_softmax(T, B_, seed):
    """att.masked_fill(~tril, -inf).softmax(-1): finite, rows sum to 1, future gets no gradient."""
    rng = np.random.default_rng(seed)
    att = t64(rng.normal(size=(B_, T, T)))
    tril = np.tril(np.ones((T, T), dtype=bool))

    def f():
        return att.masked_fill(~tril, -np.inf).softmax(axis=-1)

    p = f().data
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=-1), 1.0)
    assert np.all(p[:, ~tril] == 0)
    assert_grad(f, att, seed=seed)
    assert np.all(att.grad[:, ~tril] == 0)


# ---- fan-out, accumulation, composition -----------------------------------------------


def test_fan_out_x_times_x():
    x = t64([1.0, -2.0, 3.0])
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad, 2 * x.data)
    assert check_grad(lambda: (x * x * x).sum(), [x]) < TOL


def test_fan_out_into_several_branches():
    rng = np.random.default_rng(3)
    x = t64(rng.normal(size=(3, 4)))
    W = t64(rng.normal(size=(2, 4)))

    def f():
        h = x @ W.T  # used three times below: a diamond in the graph
        return (h.tanh() * h + h.exp().mean(axis=0) - x.sum(axis=1, keepdims=True)).sum()

    assert check_grad(f, [x, W]) < TOL


def test_two_backward_calls_accumulate_on_leaves_only():
    x = t64([1.0, 2.0])
    h = x * 3.0
    y = (h * x).sum()
    y.backward()
    first = x.grad.copy()
    np.testing.assert_allclose(first, 6 * x.data)
    y.backward()
    np.testing.assert_allclose(x.grad, 2 * first)  # leaves accumulate, like PyTorch
    np.testing.assert_allclose(h.grad, x.data)  # an intermediate node restarts from zero
    x.zero_grad()
    assert x.grad is None


def test_backward_with_explicit_upstream_gradient():
    x = t64([[1.0, 2.0], [3.0, 4.0]])
    g = np.array([[1.0, -1.0], [0.5, 2.0]])
    (x * x).backward(g)
    np.testing.assert_allclose(x.grad, 2 * x.data * g)


def test_small_network_matches_hand_written_gradients():
    """A two-layer sigmoid network with the backprop equations written out by hand."""
    rng = np.random.default_rng(4)
    X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    W1, b1 = t64(rng.normal(size=(4, 3))), t64(rng.normal(size=4))
    W2, b2 = t64(rng.normal(size=(2, 4))), t64(rng.normal(size=2))
    A1 = (X @ W1.T + b1).sigmoid()
    Y_hat = A1 @ W2.T + b2
    L = ((Y_hat - Y) ** 2).sum() * (1 / 5)
    L.backward()
    dZ2 = 2 * (Y_hat.data - Y) / 5
    dW2, db2 = dZ2.T @ A1.data, dZ2.sum(axis=0)
    dZ1 = (dZ2 @ W2.data) * A1.data * (1 - A1.data)
    dW1, db1 = dZ1.T @ X, dZ1.sum(axis=0)
    for t, hand in [(W1, dW1), (b1, db1), (W2, dW2), (b2, db2)]:
        np.testing.assert_allclose(t.grad, hand, rtol=1e-12, atol=1e-14)


# ---- graph rules ---------------------------------------------------------------------


def test_long_chain_does_not_hit_the_recursion_limit():
    x = Tensor(1.0, dtype=np.float64)
    y = x
    n = max(10_000, 2 * sys.getrecursionlimit())
    for _ in range(n):
        y = y * 1.0001
    y.backward()
    np.testing.assert_allclose(x.grad, 1.0001**n, rtol=1e-9)
    del y  # freeing the chain must not recurse either


def test_wide_graph():
    """x feeds 10,000 nodes, summed pairwise: a graph 10,000 wide and only 14 deep."""
    x = t64(np.ones(3))
    terms = [x * float(i) for i in range(10_000)]
    while len(terms) > 1:
        terms = [a + b for a, b in zip(terms[::2], terms[1::2], strict=False)] + (
            [terms[-1]] if len(terms) % 2 else []
        )
    terms[0].sum().backward()
    np.testing.assert_allclose(x.grad, sum(range(10_000)))


def test_no_grad_records_no_graph():
    x = t64([1.0, 2.0])
    with no_grad():
        y = (x * 2).exp().sum()
        with no_grad():
            pass
        z = x @ x  # still inside the outer block after the inner one ends
    assert not y.requires_grad and y._parents == ()
    assert not z.requires_grad and z._parents == ()
    w = x * 2  # recording is back on afterwards
    assert w.requires_grad and w._parents == (x,)


def test_no_grad_is_restored_after_an_exception():
    x = t64([1.0])
    with pytest.raises(RuntimeError), no_grad():
        raise RuntimeError("boom")
    assert (x * 2).requires_grad


def test_backward_of_a_result_that_needs_no_gradient_raises():
    x = t64([1.0, 2.0])
    (x * 3).sum().backward()
    before = x.grad.copy()
    with no_grad():
        y = x * 3
    with pytest.raises(RuntimeError, match="does not require grad"):
        y.backward()
    np.testing.assert_array_equal(x.grad, before)  # nothing leaked into x.grad
    with pytest.raises(RuntimeError, match="does not require grad"):
        Tensor([1.0], requires_grad=False).backward()


def test_data_tensors_get_no_grad_and_are_left_out_of_the_graph():
    rng = np.random.default_rng(5)
    X = Tensor(rng.normal(size=(4, 3)), requires_grad=False, dtype=np.float64)
    W = t64(rng.normal(size=(2, 3)))
    W_T = W.T
    Z = X @ W_T
    assert Z._parents == (W_T,)  # backward never visits X, so dX is never computed
    L = (Z * Z).sum()
    L.backward()
    assert X.grad is None
    assert W.grad is not None
    only_constants = X * 2 + 1
    assert not only_constants.requires_grad and only_constants._parents == ()


def test_results_require_grad_if_any_input_does():
    a = t64([1.0])
    c = Tensor([2.0], requires_grad=False)
    assert (a + c).requires_grad and (c + a).requires_grad
    assert not (c + c).requires_grad


# ---- dtypes and repr -----------------------------------------------------------------


def test_float32_stays_float32():
    rng = np.random.default_rng(6)
    x = Tensor(rng.normal(size=(3, 4)))
    W = Tensor(rng.normal(size=(2, 4)))
    assert x.dtype == np.float32
    f64 = np.float64(1.5)
    arr64 = rng.normal(size=(3, 4))
    results = [
        x + 1.5, 1.5 + x, x * f64, f64 * x, x - f64, f64 - x, x / f64, f64 / x,
        x + arr64, arr64 + x, x * arr64, arr64 / x, x ** 2, x ** 3,
        Tensor(np.abs(x.data)) ** f64, (x * x) ** np.int64(2), x.mean(), x.var(axis=0),
        x @ W.T, arr64 @ W.T,
        x.softmax(), x.log_softmax(axis=0), x.gelu(), x.sigmoid(), x.exp(), x.tanh(),
        x.masked_fill(arr64 > 0, -np.inf), x[np.array([0, 0])], x.max(axis=1), x.relu(),
    ]  # fmt: skip
    for out in results:
        assert out.dtype == np.float32, out
    L = sum(r.sum() for r in results if np.all(np.isfinite(r.data)))
    L.backward()
    assert x.grad.dtype == np.float32 and W.grad.dtype == np.float32


def test_float64_when_asked():
    x = Tensor([1, 2, 3], dtype=np.float64)
    assert x.dtype == np.float64
    y = (x * np.float32(2) + np.ones(3, dtype=np.float32)).tanh()
    assert y.dtype == np.float64
    y.sum().backward()
    assert x.grad.dtype == np.float64


def test_tensor_copies_its_data_and_reports_its_shape():
    a = np.arange(6.0).reshape(2, 3)
    x = Tensor(a)
    a[0, 0] = 100
    assert x.data[0, 0] == 0
    assert x.shape == (2, 3) and x.ndim == 2 and x.size == 6 and len(x) == 2
    assert Tensor(3.5).item() == 3.5
    assert x.numpy() is x.data


def test_repr():
    assert "Tensor(" in repr(Tensor([1.0, 2.0]))
    assert "Tensor(" in repr(Tensor(2.0))
    assert "op='*'" in repr(Tensor([1.0]) * 2)
    assert "..." in repr(Tensor(np.zeros((100, 100))))  # big arrays are summarized


# ---- numerical stability --------------------------------------------------------------


@pytest.mark.parametrize("scale", [1e4, -1e4])
def test_softmax_and_log_softmax_stay_finite_on_huge_logits(scale):
    z = np.array([[1.0, 0.0, -1.0], [0.5, -0.5, 2.0]]) * scale
    for dtype in (np.float32, np.float64):
        x = Tensor(z, dtype=dtype)
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            p = x.softmax(axis=-1)
            logp = x.log_softmax(axis=-1)
            (p * np.arange(3.0)).sum().backward()
            (logp * np.arange(3.0)).sum().backward()
        for t in (p, logp):
            assert np.all(np.isfinite(t.data))
        assert np.all(np.isfinite(x.grad))
        np.testing.assert_allclose(p.data.sum(axis=-1), 1.0, rtol=1e-6)


def test_sigmoid_on_huge_inputs_does_not_overflow():
    x = Tensor([-1000.0, -50.0, 0.0, 50.0, 1000.0], dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            s = x.sigmoid()
            s.sum().backward()
    np.testing.assert_allclose(s.data, [0.0, 1 / (1 + np.exp(50)), 0.5, 1 / (1 + np.exp(-50)), 1])
    assert np.all(np.isfinite(x.grad))


@pytest.mark.parametrize("grad", [True, False])
def test_a_graph_is_freed_as_soon_as_it_is_unused(grad):
    """No reference cycles: a training step's graph must not wait for the cycle collector
    (a GPT step's graphs piled up to a gigabyte before it ran)."""
    x = t64([1.0, 2.0, 3.0])
    gc.disable()
    try:
        with contextlib.nullcontext() if grad else no_grad():
            h = x * 2.0
            y = (h.tanh() * h + h.softmax() + h.log_softmax() + (h / 3.0).exp()).sum()
        if grad:
            y.backward()
        ref = weakref.ref(h)
        del h, y
        assert ref() is None
    finally:
        gc.enable()


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 6),
    idx_shape=array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=5),
    width=st.sampled_from([(), (3,), (2, 2)]),
    seed=seeds,
)
def test_gathering_rows_sends_each_row_all_its_gradients(n, idx_shape, width, seed):
    """W[ids] with repeated and negative ids: the backward pass equals np.add.at's."""
    rng = np.random.default_rng(seed)
    W = Tensor(rng.normal(size=(n, *width)), dtype=np.float64)
    ids = rng.integers(-n, n, size=idx_shape)
    R = rng.normal(size=(*idx_shape, *width))
    (W[ids] * R).sum().backward()
    expected = np.zeros_like(W.data)
    np.add.at(expected, ids, R)
    np.testing.assert_allclose(W.grad, expected, rtol=1e-12, atol=1e-12)
