"""Layers: the building blocks of every network in the book, from the MLP to the GPT.

A Module is anything with parameters and a forward(); calling it runs forward.
Its parameters are found by looking at its attributes, in the order they were
set: a Tensor that requires grad is a parameter, a Module is searched in turn,
and so is each Module in a list or tuple. That order names every parameter
("blocks.0.attn.c_attn.W"), which is how checkpoints find them again.

Parameters are float32. Gradient checks call `model.astype(np.float64)` first.
"""

import math

import numpy as np

from nnlib.checks import check_rng, check_size
from nnlib.fused import layer_norm, linear
from nnlib.tensor import Tensor


class Module:
    """Base class: parameters, names, gradients and state for any network."""

    def __call__(self, *args):
        return self.forward(*args)

    def forward(self, *args):
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def named_parameters(self, prefix=""):
        """[(dotted name, Tensor)] in attribute order; a Tensor two layers share appears once."""
        named, seen = [], set()
        for name, p in self._walk(prefix):
            if id(p) not in seen:
                seen.add(id(p))
                named.append((name, p))
        return named

    def _walk(self, prefix):
        for name, value in vars(self).items():
            yield from _walk_value(value, prefix + name)

    def parameters(self):
        return [p for _, p in self.named_parameters()]

    def n_params(self):
        """How many numbers training adjusts (weights and biases), e.g. 13,002 for 784-16-16-10."""
        return sum(p.size for p in self.parameters())

    def zero_grad(self):
        for p in self.parameters():
            p.grad = None

    def astype(self, dtype):
        """Convert every parameter to `dtype` (np.float64 for gradient checks); returns self."""
        for p in self.parameters():
            p.data = p.data.astype(dtype)
            p.grad = None
        return self

    def state_dict(self):
        """{name: copy of the parameter's array}: everything needed to rebuild the trained model."""
        return {name: p.data.copy() for name, p in self.named_parameters()}

    def load_state_dict(self, state):
        """Copy arrays from `state` into the parameters, after checking every name and shape.

        Nothing is changed unless everything fits: missing or unexpected names,
        or a shape that differs, raise ValueError saying which and how.
        """
        named = dict(self.named_parameters())
        missing = [k for k in named if k not in state]
        unexpected = [k for k in state if k not in named]
        if missing or unexpected:
            raise ValueError(
                f"{type(self).__name__}.load_state_dict: missing keys {missing}, "
                f"unexpected keys {unexpected}"
            )
        for name, p in named.items():
            value = np.asarray(state[name])
            if value.shape != p.shape:
                raise ValueError(
                    f"parameter '{name}': checkpoint has shape {value.shape}, model has {p.shape}"
                )
            if value.dtype.kind not in "fiu":
                raise ValueError(f"parameter '{name}': checkpoint holds {value.dtype}, not numbers")
        for name, p in named.items():
            p.data = np.array(state[name], dtype=p.dtype)
            p.grad = None

    def extra_repr(self):
        """What goes between the parentheses of a leaf layer, e.g. '784, 16' for Linear(784, 16)."""
        return ""

    def __repr__(self):
        children = []
        for name, value in vars(self).items():
            if isinstance(value, Module):
                children.append((name, value))
            elif isinstance(value, (list, tuple)):
                modules = [(f"{name}.{i}", v) for i, v in enumerate(value) if isinstance(v, Module)]
                children += modules
        head = f"{type(self).__name__}({self.extra_repr()}"
        if not children:
            return head + ")"
        lines = [f"  ({name}): " + repr(m).replace("\n", "\n  ") for name, m in children]
        return head + "\n" + "\n".join(lines) + "\n)"


def _walk_value(value, name):
    """The parameters held by one attribute, found wherever a model keeps them: a Tensor that
    requires a gradient, a Module, or a list, tuple or dict of these, nested to any depth.
    Names follow the path: "blocks.0.attn.c_attn.W", "heads.query.W"."""
    if isinstance(value, Tensor):
        if value.requires_grad:
            yield name, value
    elif isinstance(value, Module):
        yield from value._walk(name + ".")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _walk_value(item, f"{name}.{i}")
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, (str, int)) and _holds_parameters(item):
                raise TypeError(
                    f"parameters under {name}[{key!r}] need a str or int key to be named"
                )
            yield from _walk_value(item, f"{name}.{key}")


def _holds_parameters(value):
    return any(True for _ in _walk_value(value, ""))


def _as_tensor(x, dtype=None):
    """Input data joins the graph as a constant: no gradient is ever computed for it.

    dtype None keeps a float array's own precision (float32 for anything else).
    """
    if isinstance(x, Tensor):
        return x
    if dtype is None:
        x = np.asarray(x)
        dtype = x.dtype if np.issubdtype(x.dtype, np.floating) else np.float32
    return Tensor(x, requires_grad=False, dtype=dtype)


class Linear(Module):
    """A fully connected layer: z = W x + b for one example, Z = X W^T + b for a batch.

    W: (n_out, n_in), so W[m, n] is w_mn, the weight from neuron n of one layer
    to neuron m of the next; b: (n_out,).
    Initial weights are uniform in (-1/sqrt(n_in), 1/sqrt(n_in)) (PyTorch's
    default), which keeps z of order 1 whatever n_in is; or normal(0, init_std)
    if init_std is given (GPT-2 uses 0.02). Biases start at zero.
    X: (n_in,), (B, n_in) or (B, T, n_in) -> Z: same leading axes, last n_out
    """

    def __init__(self, n_in, n_out, rng, bias=True, init_std=None):
        check_size(n_in, "n_in", "Linear")
        check_size(n_out, "n_out", "Linear")
        check_rng(rng, "Linear")
        self.n_in, self.n_out = n_in, n_out
        if init_std is None:
            bound = 1 / math.sqrt(n_in)
            W = rng.uniform(-bound, bound, size=(n_out, n_in))
        else:
            W = rng.normal(0.0, init_std, size=(n_out, n_in))
        self.W = Tensor(W)
        self.b = Tensor(np.zeros(n_out)) if bias else None

    def forward(self, X):
        shape = X.shape if isinstance(X, Tensor) else np.shape(X)
        if len(shape) == 0 or shape[-1] != self.n_in:
            hint = ""
            if len(shape) >= 2 and math.prod(shape[1:]) == self.n_in:
                hint = " Did you flatten the images?"
            raise ValueError(
                f"Linear({self.n_in}, {self.n_out}) expects X of shape (..., {self.n_in}), "
                f"got {tuple(shape)}.{hint}"
            )
        return linear(X, self.W, self.b)  # X @ W.T + b as one node (nnlib.fused)

    def extra_repr(self):
        return f"{self.n_in}, {self.n_out}" + ("" if self.b is not None else ", bias=False")


class Embedding(Module):
    """A lookup table: token id i -> row W[i], a learned vector of n_embd numbers.

    It equals one_hot(i) @ W, but indexing skips the multiplications by zero.
    W: (n_vocab, n_embd), initialised normal(0, init_std).
    ids: integer array of any shape (...) -> (..., n_embd)
    """

    def __init__(self, n_vocab, n_embd, rng, init_std=1.0):
        check_size(n_vocab, "n_vocab", "Embedding")
        check_size(n_embd, "n_embd", "Embedding")
        check_rng(rng, "Embedding")
        self.n_vocab, self.n_embd = n_vocab, n_embd
        self.W = Tensor(rng.normal(0.0, init_std, size=(n_vocab, n_embd)))

    def forward(self, ids):
        if isinstance(ids, Tensor):
            raise ValueError("Embedding expects an integer ndarray of ids, got a Tensor")
        ids = np.asarray(ids)
        if not np.issubdtype(ids.dtype, np.integer):
            raise ValueError(f"Embedding expects integer ids, got dtype {ids.dtype}")
        bad = ids[(ids < 0) | (ids >= self.n_vocab)]
        if bad.size:
            raise ValueError(
                f"Embedding ids must lie in [0, {self.n_vocab}) (vocabulary size "
                f"{self.n_vocab}), got {np.unique(bad)[:10].tolist()}"
            )
        return self.W[ids]  # (...) -> (..., n_embd)

    def extra_repr(self):
        return f"{self.n_vocab}, {self.n_embd}"


class LayerNorm(Module):
    """Normalise each vector over its last axis, then scale and shift it.

    y = g * (x - mean) / sqrt(var + eps) + b,  mean and var over the last axis
    so every position enters the next layer with mean 0 and variance 1 before
    the learned gain g (ones) and bias b (zeros) reshape it. bias=False leaves b out
    (b is None), as nanoGPT's LayerNorm(bias=False).
    x: (..., n) -> y: (..., n)
    """

    def __init__(self, n, eps=1e-5, bias=True):
        self.n, self.eps = n, eps
        self.g = Tensor(np.ones(n))
        self.b = Tensor(np.zeros(n)) if bias else None

    def forward(self, x):
        shape = x.shape if isinstance(x, Tensor) else np.shape(x)
        if len(shape) == 0 or shape[-1] != self.n:
            raise ValueError(f"LayerNorm({self.n}) expects x of shape (..., {self.n}), got {shape}")
        return layer_norm(x, self.g, self.b, self.eps)  # one node (nnlib.fused)

    def extra_repr(self):
        return f"{self.n}" + ("" if self.b is not None else ", bias=False")


class ReLU(Module):
    """a = max(0, z), elementwise."""

    def forward(self, z):
        return _as_tensor(z).relu()


class Sigmoid(Module):
    """a = 1 / (1 + exp(-z)), elementwise."""

    def forward(self, z):
        return _as_tensor(z).sigmoid()


class Tanh(Module):
    """a = tanh(z), elementwise."""

    def forward(self, z):
        return _as_tensor(z).tanh()


class GELU(Module):
    """a = 0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3))), elementwise (GPT-2's form)."""

    def forward(self, z):
        return _as_tensor(z).gelu()


ACTIVATION_LAYERS = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh, "gelu": GELU}


class Sequential(Module):
    """Layers applied one after the other: a = layer_L(... layer_2(layer_1(x)))."""

    def __init__(self, *layers):
        self.layers = list(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def __getitem__(self, i):
        return Sequential(*self.layers[i]) if isinstance(i, slice) else self.layers[i]

    def __len__(self):
        return len(self.layers)


def count_parameters(sizes):
    """How many weights and biases MLP(sizes) has, counted from the layer sizes alone.

    Between layers of n_in and n_out neurons: an (n_out, n_in) weight matrix and n_out biases,
    so the total is sum over layers of n_out * n_in + n_out.
    sizes: like [784, 16, 16, 10] -> 784*16+16 + 16*16+16 + 16*10+10 = 13002
    """
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"count_parameters expects at least two layer sizes, got {sizes}")
    return sum(n_out * n_in + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True))


class MLP(Sequential):
    """A multilayer perceptron: Linear layers of the given sizes, an activation after each.

    MLP([784, 16, 16, 10], rng=rng, activation="sigmoid") is the chapter's
    network: 784*16 + 16 + 16*16 + 16 + 16*10 + 10 = 13,002 weights and biases.
    The last Linear is followed by `final_activation` (None: raw scores, the
    logits a softmax cross-entropy loss expects).
    activation, final_activation: "relu", "sigmoid", "tanh", "gelu" (or None for the last)
    """

    def __init__(self, sizes, rng, activation="relu", final_activation=None):
        sizes = list(sizes)
        if len(sizes) < 2:
            raise ValueError(f"MLP needs at least two layer sizes (inputs, outputs), got {sizes}")
        for name in (activation, final_activation):
            if name is not None and name not in ACTIVATION_LAYERS:
                raise ValueError(
                    f"unknown activation {name!r}; choose from {list(ACTIVATION_LAYERS)}"
                )
        layers = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
            layers.append(Linear(n_in, n_out, rng))
            last = i == len(sizes) - 2
            name = final_activation if last else activation
            if name is not None:
                layers.append(ACTIVATION_LAYERS[name]())
        super().__init__(*layers)

    def linears(self):
        """The Linear layers, first to last (the activations between them hold no weights)."""
        return [layer for layer in self.layers if isinstance(layer, Linear)]

    def weights_and_biases(self, dtype=np.float64):
        """Copies of every layer's W and b as two lists (Ws, bs), the chapters' notation.

        Ws[l] is the (n_out, n_in) matrix of layer l + 1 and bs[l] its (n_out,) biases.
        """
        linears = self.linears()
        return [m.W.data.astype(dtype) for m in linears], [m.b.data.astype(dtype) for m in linears]
