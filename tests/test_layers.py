"""Tests for nnlib.layers: gradients against finite differences, names, state, errors."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib.gradcheck import check_grad
from nnlib.layers import (
    GELU,
    MLP,
    Embedding,
    LayerNorm,
    Linear,
    Module,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
    count_parameters,
)
from nnlib.tensor import Tensor


def rng():
    return np.random.default_rng(0)


def weighted_sum(y, seed=1):
    """A scalar loss that depends on every output with a different weight."""
    c = np.random.default_rng(seed).normal(size=y.shape)
    return (y * c).sum()


# ---- gradients (float64) -------------------------------------------------------


@pytest.mark.parametrize("shape", [(5,), (4, 5), (2, 3, 5)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear_gradients(shape, bias):
    layer = Linear(5, 3, rng(), bias=bias).astype(np.float64)
    X = Tensor(rng().normal(size=shape), dtype=np.float64)
    tensors = [X, *layer.parameters()]
    assert check_grad(lambda: weighted_sum(layer(X)), tensors) < 1e-6


def test_embedding_gradient_with_repeated_ids():
    emb = Embedding(7, 4, rng()).astype(np.float64)
    ids = np.array([[1, 3, 1], [6, 1, 0]])  # id 1 three times: its row gets three gradients
    assert check_grad(lambda: weighted_sum(emb(ids)), [emb.W]) < 1e-6
    weighted_sum(emb(ids)).backward()
    assert np.all(emb.W.grad[[2, 4, 5]] == 0)  # unused rows get nothing


def test_layernorm_gradients():
    ln = LayerNorm(6).astype(np.float64)
    r = rng()
    ln.g.data = r.normal(size=6)  # non-trivial gain and bias, so their gradients matter
    ln.b.data = r.normal(size=6)
    x = Tensor(r.normal(size=(2, 3, 6)), dtype=np.float64)
    assert check_grad(lambda: weighted_sum(ln(x)), [x, ln.g, ln.b]) < 1e-6


@pytest.mark.parametrize("act", [ReLU, Sigmoid, Tanh, GELU])
def test_activation_gradients(act):
    z = Tensor(rng().normal(size=(3, 4)) + 0.05, dtype=np.float64)  # away from relu's kink
    assert check_grad(lambda: weighted_sum(act()(z)), [z]) < 1e-6


def test_mlp_gradients():
    mlp = MLP([4, 5, 3], rng(), activation="tanh", final_activation="sigmoid").astype(np.float64)
    X = np.random.default_rng(2).normal(size=(6, 4))  # float64 data stays float64
    assert check_grad(lambda: weighted_sum(mlp(X)), mlp.parameters()) < 1e-6


# ---- forward values and shapes ---------------------------------------------------


def test_linear_is_x_at_w_transposed_plus_b():
    layer = Linear(3, 2, rng())
    layer.b.data = np.array([1.0, -1.0], dtype=np.float32)
    x = np.array([1.0, 2.0, 3.0])
    # one example: z_m = sum_n w_mn x_n + b_m
    np.testing.assert_allclose(layer(x).data, layer.W.data @ x + layer.b.data, rtol=1e-6)
    assert layer.W.shape == (2, 3) and layer.b.shape == (2,)
    assert np.all(np.abs(layer.W.data) <= 1 / np.sqrt(3))


def test_linear_init_std_and_data_without_gradient():
    layer = Linear(200, 300, rng(), init_std=0.02)
    assert abs(layer.W.data.std() - 0.02) < 0.001
    assert layer.W.dtype == np.float32
    X = np.ones((2, 200))
    Z = layer(X)
    Z.sum().backward()
    assert layer.W.grad is not None and Z.dtype == np.float32


@settings(max_examples=25, deadline=None)
@given(lead=st.lists(st.integers(1, 4), min_size=0, max_size=3), n_in=st.integers(1, 6))
def test_linear_batch_shapes(lead, n_in):
    layer = Linear(n_in, 3, rng())
    X = np.random.default_rng(3).normal(size=(*lead, n_in))
    Z = layer(X)
    assert Z.shape == (*lead, 3)
    np.testing.assert_allclose(Z.data, X @ layer.W.data.T + layer.b.data, rtol=1e-5, atol=1e-5)


@settings(max_examples=25, deadline=None)
@given(shape=st.lists(st.integers(1, 4), min_size=0, max_size=3), n_vocab=st.integers(1, 9))
def test_embedding_batch_shapes(shape, n_vocab):
    emb = Embedding(n_vocab, 5, rng())
    ids = np.random.default_rng(4).integers(0, n_vocab, size=shape)
    out = emb(ids)
    assert out.shape == (*shape, 5)
    np.testing.assert_array_equal(out.data, emb.W.data[ids])


@settings(max_examples=25, deadline=None)
@given(lead=st.lists(st.integers(1, 4), min_size=0, max_size=3), n=st.integers(2, 8))
def test_layernorm_batch_shapes(lead, n):
    x = np.random.default_rng(5).normal(3.0, 2.0, size=(*lead, n))
    y = LayerNorm(n)(x).data
    assert y.shape == (*lead, n)
    mean, var = x.mean(axis=-1, keepdims=True), x.var(axis=-1, keepdims=True)
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-5), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(y.mean(axis=-1), 0, atol=1e-5)


# ---- names, counts, state ------------------------------------------------------


class TwoBlocks(Module):
    """A small stand-in for GPT's nesting: Modules, lists of Modules, a tied weight."""

    def __init__(self, rng):
        self.wte = Embedding(10, 4, rng)
        self.blocks = [Sequential(Linear(4, 4, rng), ReLU()) for _ in range(2)]
        self.ln_f = LayerNorm(4)
        self.head = Linear(4, 10, rng, bias=False)
        self.head.W = self.wte.W  # weight tying: one Tensor, two uses
        self.mask = Tensor(np.ones(3), requires_grad=False)  # a constant, not a parameter

    def forward(self, ids):
        x = self.wte(ids)
        for block in self.blocks:
            x = block(x)
        return self.head(self.ln_f(x))


def test_named_parameters_order_and_names():
    model = TwoBlocks(rng())
    names = [name for name, _ in model.named_parameters()]
    assert names == [
        "wte.W",
        "blocks.0.layers.0.W",
        "blocks.0.layers.0.b",
        "blocks.1.layers.0.W",
        "blocks.1.layers.0.b",
        "ln_f.g",
        "ln_f.b",
    ]  # the tied head.W is wte.W, listed once; the mask is not a parameter
    assert model.n_params() == 40 + 2 * 20 + 8
    assert model(np.array([[1, 2]])).shape == (1, 2, 10)


def test_mlp_counts_and_repr():
    mlp = MLP([784, 16, 16, 10], rng=rng(), activation="sigmoid")
    assert mlp.n_params() == 13_002
    assert len(mlp) == 5 and isinstance(mlp[1], Sigmoid) and isinstance(mlp[-1], Linear)
    assert "(layers.0): Linear(784, 16)" in repr(mlp) and "Sigmoid()" in repr(mlp)
    assert "bias=False" in repr(Linear(2, 3, rng(), bias=False))
    with pytest.raises(ValueError, match="unknown activation 'softplus'"):
        MLP([2, 2], rng(), activation="softplus")


def test_zero_grad():
    mlp = MLP([3, 2], rng())
    mlp(np.ones((1, 3))).sum().backward()
    assert all(p.grad is not None for p in mlp.parameters())
    mlp.zero_grad()
    assert all(p.grad is None for p in mlp.parameters())


def test_state_dict_round_trip():
    a, b = MLP([4, 3, 2], np.random.default_rng(1)), MLP([4, 3, 2], np.random.default_rng(2))
    state = a.state_dict()
    state["layers.0.W"][0, 0] = 99.0  # a copy: changing it leaves the model alone
    assert a.layers[0].W.data[0, 0] != 99.0
    b.load_state_dict(a.state_dict())
    X = np.random.default_rng(3).normal(size=(5, 4))
    np.testing.assert_array_equal(a(X).data, b(X).data)
    assert b.layers[0].W.dtype == np.float32


def test_load_state_dict_errors():
    model = MLP([4, 3, 2], rng())
    state = model.state_dict()
    del state["layers.2.b"]
    state["layers.9.W"] = np.zeros(2)
    with pytest.raises(ValueError, match=r"missing keys \['layers.2.b'\].*unexpected.*layers.9.W"):
        model.load_state_dict(state)
    wider = MLP([784, 32, 10], rng()).state_dict()
    narrower = MLP([784, 16, 10], rng())
    before = narrower.layers[2].W.data.copy()
    with pytest.raises(ValueError) as err:
        narrower.load_state_dict(wider)
    assert str(err.value) == (
        "parameter 'layers.0.W': checkpoint has shape (32, 784), model has (16, 784)"
    )
    np.testing.assert_array_equal(narrower.layers[2].W.data, before)  # nothing half-loaded


# ---- bad inputs ------------------------------------------------------------------


def test_linear_shape_errors():
    layer = Linear(784, 16, rng())
    with pytest.raises(ValueError, match="expects X of shape") as err:
        layer(np.zeros((32, 28, 28)))
    assert str(err.value) == (
        "Linear(784, 16) expects X of shape (..., 784), got (32, 28, 28). "
        "Did you flatten the images?"
    )
    with pytest.raises(ValueError, match=r"expects X of shape \(\.\.\., 784\), got \(32, 10\)\.$"):
        layer(Tensor(np.zeros((32, 10))))


def test_embedding_errors():
    emb = Embedding(5, 2, rng())
    with pytest.raises(ValueError, match=r"\[0, 5\).*vocabulary size 5.*\[-1, 7\]"):
        emb(np.array([[0, 7], [-1, 2]]))
    with pytest.raises(ValueError, match="integer ids, got dtype float64"):
        emb(np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="got a Tensor"):
        emb(Tensor([1, 2]))


def test_layernorm_shape_error():
    with pytest.raises(ValueError, match=r"LayerNorm\(8\) expects x of shape \(\.\.\., 8\)"):
        LayerNorm(8)(np.zeros((2, 7)))


def test_count_parameters_from_sizes_equals_the_built_mlp():
    assert count_parameters([784, 16, 16, 10]) == 784 * 16 + 16 + 16 * 16 + 16 + 16 * 10 + 10
    assert count_parameters([784, 16, 16, 10]) == 13002
    assert count_parameters([3, 2]) == 8
    for sizes in ([3, 2], [5, 4, 3, 2]):
        assert count_parameters(sizes) == MLP(sizes, np.random.default_rng(0)).n_params()
    with pytest.raises(ValueError, match="at least two"):
        count_parameters([784])


def test_layer_norm_without_bias_has_no_shift_parameter():
    ln = LayerNorm(4, bias=False)
    assert ln.b is None and [name for name, _ in ln.named_parameters()] == ["g"]
    assert repr(ln) == "LayerNorm(4, bias=False)"
    x = np.random.default_rng(0).normal(size=(3, 4))
    np.testing.assert_allclose(ln(x).data, LayerNorm(4)(x).data)  # b = 0 adds nothing
