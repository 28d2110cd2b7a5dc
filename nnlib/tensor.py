"""A Tensor: a numpy array that remembers how it was made, so it can be differentiated.

Each operation computes its result `out` and attaches a small `_backward`
function. Given g = dL/d(out), it adds the chain-rule contribution
dL/d(parent) = g * d(out)/d(parent) into each parent's `.grad`.
The function refers to the parents, never to `out` itself: a graph without
reference cycles is freed as soon as the last result goes out of use.
`backward()` visits the graph from the loss back to the inputs, so every
node's gradient is complete before it is passed on. This is micrograd's design,
over arrays instead of single numbers. Arrays bring one new duty: numpy
broadcasting copies an operand along some axes in the forward pass, so the
backward pass must sum the gradient over those axes again (`unbroadcast`).

Tensors are float32 unless you ask for float64 (gradient checks do).
"""

import math
from contextlib import contextmanager

import numpy as np

from nnlib import functional as F

_grad_enabled = [True]  # switched off inside `with no_grad():`


@contextmanager
def no_grad():
    """Evaluate without recording the graph (faster, less memory): for testing and sampling."""
    _grad_enabled.append(False)
    try:
        yield
    finally:
        _grad_enabled.pop()


def unbroadcast(grad, shape):
    """Sum grad over the axes numpy broadcast, so it has `shape` again."""
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, n in enumerate(shape):
        if n == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


class Tensor:
    __array_ufunc__ = None  # make `ndarray + Tensor` call Tensor.__radd__

    def __init__(self, data, requires_grad=True, dtype=np.float32):
        self.data = np.array(data.data if isinstance(data, Tensor) else data, dtype=dtype)
        self._grad, self._pending = None, False
        self.requires_grad = requires_grad
        self._parents = ()
        self._backward = _nothing
        self._op = ""

    @staticmethod
    def _result(data, parents, op):
        """A new node of the graph; it records its parents only if a gradient can flow."""
        out = Tensor.__new__(Tensor)
        out.data, out._op, out._backward = data, op, _nothing
        out._grad, out._pending = None, False
        out.requires_grad = _grad_enabled[-1] and any(p.requires_grad for p in parents)
        out._parents = tuple(p for p in parents if p.requires_grad) if out.requires_grad else ()
        return out

    def _wrap(self, other):
        """Numbers and arrays join the graph as constants of our dtype."""
        if isinstance(other, Tensor):
            return other
        return Tensor(other, requires_grad=False, dtype=self.data.dtype)

    # ---- shape and value -------------------------------------------------
    shape = property(lambda self: self.data.shape)
    ndim = property(lambda self: self.data.ndim)
    dtype = property(lambda self: self.data.dtype)
    size = property(lambda self: self.data.size)
    T = property(lambda self: self.transpose())

    def __len__(self):
        return len(self.data)

    def __repr__(self):
        op = f", op='{self._op}'" if self._op else ""
        return f"Tensor({np.array2string(self.data, precision=4)}, dtype={self.dtype}{op})"

    def item(self):
        return self.data.item()

    # ---- leaving the graph: numbers for display, never a silent loss of the gradient ----
    def __array__(self, dtype=None, copy=None):
        """numpy sees a one-number Tensor as that number (np.mean(losses), plt.plot(losses)).

        Any larger Tensor is refused: numpy would drop the gradient without a word, or fail
        deep inside. Say which you mean: t.data (the numbers) or t.item() (one number).
        """
        if self.data.size != 1:
            raise TypeError(
                f"numpy was given a Tensor of shape {self.shape}; numpy cannot follow its "
                "gradient. Pass t.data for its numbers (e.g. np.argmax(t.data)), or use the "
                "Tensor's own methods (t.sum(), t.mean(), ...) to stay in the graph."
            )
        return np.asarray(self.data, dtype=dtype).reshape(np.shape(self.data))

    def __float__(self):
        if self.data.size != 1:
            raise TypeError(f"float() needs a Tensor with one number, got shape {self.shape}")
        return float(self.data.item())

    def __format__(self, spec):
        """f"{loss:.3f}" formats the number of a one-number Tensor; anything else as repr."""
        if spec and self.data.size == 1:
            return format(self.data.item(), spec)
        return format(repr(self), spec)

    def numpy(self):
        return self.data

    def zero_grad(self):
        self.grad = None

    @property
    def grad(self):
        """dL/d(self), filled by backward(): zeros until a gradient arrives, None outside it.

        During backward() the array is made on first use, so `t.grad += contribution` works
        in every _backward; _add_grad can instead store a first contribution as it is.
        """
        if self._grad is None and self._pending:
            self._grad = np.zeros(self.data.shape, self.data.dtype)
        return self._grad

    @grad.setter
    def grad(self, value):
        self._grad, self._pending = value, False

    # ---- arithmetic ------------------------------------------------------
    def __add__(self, other):
        other = self._wrap(other)
        out = Tensor._result(self.data + other.data, (self, other), "+")

        def _backward(g):
            for t in (self, other):
                if t.requires_grad:
                    t.grad += unbroadcast(g, t.shape)

        out._backward = _backward
        return out

    def __sub__(self, other):
        return self + (-self._wrap(other))

    # ---- a -= b: on a parameter, the one line a learner must not write -------------------
    def _in_place(self, other, symbol, op):
        """a op= b. Inside no_grad() a Tensor without parents changes its numbers in place
        (the update rule). Elsewhere it means a = a op b, a new node of the graph
        (`total += loss` keeps working), except on a parameter, where that would leave the
        model's weights untouched and chain every step onto the last: refuse and show the
        right line."""
        if not self._parents and not _grad_enabled[-1]:
            getattr(self.data, f"__i{op}__")(other.data if isinstance(other, Tensor) else other)
            return self
        if not self._parents and self.requires_grad:
            raise TypeError(
                f"`W {symbol}= ...` on a parameter makes a new Tensor and leaves the model's W "
                f"as it was. To update it, change its numbers: `W.data {symbol}= lr * W.grad` "
                f"(or inside `with no_grad():`), or let an optimizer do it "
                f"(nnlib.optim.SGD(model.parameters(), lr).step()). A running total should "
                f"start from 0, not from a Tensor that requires a gradient."
            )
        return getattr(self, f"__{op}__")(other)

    def __iadd__(self, other):
        return self._in_place(other, "+", "add")

    def __isub__(self, other):
        return self._in_place(other, "-", "sub")

    def __imul__(self, other):
        return self._in_place(other, "*", "mul")

    def __itruediv__(self, other):
        return self._in_place(other, "/", "truediv")

    def __neg__(self):
        out = Tensor._result(-self.data, (self,), "neg")

        def _backward(g):
            self.grad -= g

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = self._wrap(other)
        out = Tensor._result(self.data * other.data, (self, other), "*")

        def _backward(g):
            # d(a*b)/da = b and d(a*b)/db = a; x * x gets both, 2x in all
            if self.requires_grad:
                self.grad += unbroadcast(g * other.data, self.shape)
            if other.requires_grad:
                other.grad += unbroadcast(g * self.data, other.shape)

        out._backward = _backward
        return out

    def __truediv__(self, other):
        other = self._wrap(other)
        q = self.data / other.data
        out = Tensor._result(q, (self, other), "/")

        def _backward(g):
            # d(a/b)/da = 1/b,  d(a/b)/db = -a/b^2 = -q/b
            if self.requires_grad:
                self.grad += unbroadcast(g / other.data, self.shape)
            if other.requires_grad:
                other.grad -= unbroadcast(g * q / other.data, other.shape)

        out._backward = _backward
        return out

    def __pow__(self, p):
        if not isinstance(p, (int, float, np.number)):
            raise ValueError(f"Tensor ** p needs a plain number p, got {type(p).__name__}")
        p = p.item() if isinstance(p, np.number) else p  # np.float64 would make float32 float64
        out = Tensor._result(self.data**p, (self,), f"**{p}")

        def _backward(g):
            self.grad += g * p * self.data ** (p - 1)  # d(x^p)/dx = p x^(p-1)

        out._backward = _backward
        return out

    __radd__ = __add__
    __rmul__ = __mul__

    def __rsub__(self, other):
        return self._wrap(other) - self

    def __rtruediv__(self, other):
        return self._wrap(other) / self

    def __matmul__(self, other):
        other = self._wrap(other)
        out = Tensor._result(self.data @ other.data, (self, other), "@")
        A = self.data[None, :] if self.ndim == 1 else self.data  # (..., n, k)
        B = other.data[:, None] if other.ndim == 1 else other.data  # (..., k, m)

        def _backward(g):
            # Z = A @ B  ->  dA = dZ @ B^T,  dB = A^T @ dZ  (summed over broadcast batch axes)
            dZ = g
            if other.ndim == 1:
                dZ = dZ[..., None]  # put back the m axis numpy dropped
            if self.ndim == 1:
                dZ = dZ[..., None, :]  # put back the n axis
            if self.requires_grad:
                dA = unbroadcast(dZ @ B.swapaxes(-1, -2), A.shape)
                _add_grad(self, dA.reshape(self.shape))
            if other.requires_grad:
                if B.ndim == 2 and A.ndim > 2:  # a stack of rows times one matrix:
                    k, m = B.shape  # one big product instead of a batch of small ones, then a sum
                    dB = A.reshape(-1, k).T @ dZ.reshape(-1, m)
                else:
                    dB = unbroadcast(A.swapaxes(-1, -2) @ dZ, B.shape)
                _add_grad(other, dB.reshape(other.shape))

        out._backward = _backward
        return out

    def __rmatmul__(self, other):
        return self._wrap(other) @ self

    # ---- reductions --------------------------------------------------------
    def sum(self, axis=None, keepdims=False):
        out = Tensor._result(self.data.sum(axis=axis, keepdims=keepdims), (self,), "sum")

        def _backward(g):
            g = g if keepdims or axis is None else np.expand_dims(g, axis)
            self.grad += g  # broadcasting copies the gradient to every summed entry

        out._backward = _backward
        return out

    def mean(self, axis=None, keepdims=False):
        axes = range(self.ndim) if axis is None else np.atleast_1d(axis)
        n = math.prod(self.shape[a] for a in axes)  # how many numbers each mean averages
        if n == 0:
            raise ValueError(f"mean of an empty Tensor (shape {self.shape}): the batch is empty")
        return self.sum(axis=axis, keepdims=keepdims) * (1.0 / n)

    def var(self, axis=None, keepdims=False):
        """Population variance: mean of (x - mean)^2, as LayerNorm uses."""
        d = self - self.mean(axis=axis, keepdims=True)
        return (d * d).mean(axis=axis, keepdims=keepdims)

    def max(self, axis=None, keepdims=False):
        m = self.data.max(axis=axis, keepdims=True)
        out = Tensor._result(m if keepdims else np.squeeze(m, axis=axis), (self,), "max")

        def _backward(g):
            # the gradient goes to the largest entries, shared equally among ties
            hit = self.data == m
            g = g if keepdims or axis is None else np.expand_dims(g, axis)
            self.grad += g * hit / hit.sum(axis=axis, keepdims=True)

        out._backward = _backward
        return out

    # ---- elementwise functions -------------------------------------------------
    def _unary(self, value, local_grad, op):
        """out = f(x) = value; backward adds g * f'(x), with f'(x) from local_grad(value)."""
        out = Tensor._result(value, (self,), op)

        def _backward(g):
            self.grad += g * local_grad(value)

        out._backward = _backward
        return out

    def exp(self):
        return self._unary(np.exp(self.data), lambda e: e, "exp")  # (e^x)' = e^x

    def log(self):
        return self._unary(np.log(self.data), lambda _: 1 / self.data, "log")

    def tanh(self):
        return self._unary(np.tanh(self.data), lambda t: 1 - t * t, "tanh")

    def sigmoid(self):
        return self._unary(F.sigmoid(self.data), lambda s: s * (1 - s), "sigmoid")

    def relu(self):
        return self._unary(F.relu(self.data), lambda _: self.data > 0, "relu")

    def gelu(self):
        """gelu(x) = x s,  s = 0.5 (1 + tanh(c (x + a x^3))),  a = 0.044715,  c = sqrt(2/pi).

        gelu'(x) = s + x (1 - tanh^2) c (1 + 3 a x^2) / 2 = s + 2 c x (1 + 3 a x^2) s (1 - s),
        since 1 - tanh^2 = 4 s (1 - s). s is kept from the forward pass, so the backward pass
        needs no second tanh. Both are computed in place, one array at a time: the MLP's
        activations are the largest arrays of a GPT step.
        """
        x = self.data
        a, c = 0.044715, F.GELU_C
        s = np.square(x, out=np.empty_like(x))  # an array even when x is 0-d
        s *= a * c
        s += c
        s *= x  # c (x + a x^3)
        s = np.tanh(s, out=s)
        s += 1
        s *= 0.5  # s = 0.5 (1 + tanh(c (x + a x^3)))
        out = Tensor._result(x * s, (self,), "gelu")

        def _backward(g):
            slope = np.square(x, out=np.empty_like(x))
            slope *= 6 * a * c
            slope += 2 * c
            slope *= x  # 2 c x (1 + 3 a x^2)
            s_1_s = 1 - s
            s_1_s *= s  # s (1 - s)
            slope *= s_1_s
            slope += s  # gelu'(x)
            slope *= g
            _add_grad(self, slope)

        out._backward = _backward
        return out

    def softmax(self, axis=-1):
        p = F.softmax(self.data, axis=axis)
        out = Tensor._result(p, (self,), "softmax")

        def _backward(g):
            # dz_i = p_i * (dp_i - sum_j dp_j p_j)
            self.grad += p * (g - (g * p).sum(axis=axis, keepdims=True))

        out._backward = _backward
        return out

    def log_softmax(self, axis=-1):
        log_p = F.log_softmax(self.data, axis=axis)
        out = Tensor._result(log_p, (self,), "log_softmax")

        def _backward(g):
            # out_i = z_i - logsumexp(z)  ->  dz_i = dout_i - p_i * sum_j dout_j
            p = np.exp(log_p)
            self.grad += g - p * g.sum(axis=axis, keepdims=True)

        out._backward = _backward
        return out

    # ---- shapes and indexing ---------------------------------------------------
    def reshape(self, *shape):
        out = Tensor._result(self.data.reshape(*shape), (self,), "reshape")

        def _backward(g):
            self.grad += g.reshape(self.shape)

        out._backward = _backward
        return out

    def transpose(self, *axes):
        axes = axes or tuple(reversed(range(self.ndim)))
        axes = tuple(a % self.ndim for a in axes)  # argsort below needs axes counted from 0
        out = Tensor._result(self.data.transpose(axes), (self,), "transpose")

        def _backward(g):
            self.grad += g.transpose(np.argsort(axes))  # the inverse permutation

        out._backward = _backward
        return out

    def swapaxes(self, a, b):
        axes = list(range(self.ndim))
        axes[a], axes[b] = axes[b], axes[a]
        return self.transpose(*axes)

    def __getitem__(self, idx):
        """Slicing, and gathering rows by integer arrays (the embedding lookup W[ids])."""
        idx = idx.data.astype(np.int64) if isinstance(idx, Tensor) else idx
        out = Tensor._result(self.data[idx], (self,), "[]")

        def _backward(g):
            if _is_basic(idx):  # a slice picks each entry at most once
                self.grad[idx] += g
            elif isinstance(idx, np.ndarray) and idx.dtype.kind in "iu" and idx.size:  # W[ids]
                _add_rows(self.grad, idx.ravel() % len(self.data), g.reshape(idx.size, -1))
            else:  # np.add.at adds once per occurrence: a row picked twice gets both gradients
                np.add.at(self.grad, idx, g)

        out._backward = _backward
        return out

    def split(self, n, axis=-1):
        """Cut into n equal Tensors along `axis` (e.g. q, k, v = qkv.split(3))."""
        size = self.shape[axis]
        if size % n:
            raise ValueError(f"cannot split axis {axis} of size {size} into {n} equal parts")
        step, where_ = size // n, [slice(None)] * self.ndim
        parts = []
        for i in range(n):
            where_[axis] = slice(i * step, (i + 1) * step)
            parts.append(self[tuple(where_)])
        return parts

    def masked_fill(self, mask, value):
        """Entries where `mask` is True become `value` and get no gradient (the causal mask)."""
        mask = np.broadcast_to(mask, self.shape)
        out = Tensor._result(np.where(mask, value, self.data).astype(self.dtype), (self,), "fill")

        def _backward(g):
            self.grad += np.where(mask, 0, g)

        out._backward = _backward
        return out

    # ---- backpropagation -------------------------------------------------------
    def backward(self, grad=None):
        """Fill .grad of every tensor this one depends on, from dL/d(self) = grad (default ones)."""
        if not self.requires_grad:  # made under no_grad() or from data only: no graph to walk
            raise RuntimeError("backward() on a Tensor that does not require grad")
        if grad is None and self.data.size != 1:
            raise ValueError(
                f"backward() starts from one number, the loss, but this Tensor has shape "
                f"{self.shape}. Reduce it first, usually with .mean() (or .sum()), or pass "
                f"grad=, an array of that shape holding dL/d(this)."
            )
        if grad is not None and np.shape(grad) != self.shape:
            raise ValueError(
                f"backward(grad=...) needs grad of shape {self.shape}, got {np.shape(grad)}"
            )
        topo = _topological_order(self)
        for node in topo:  # gradients of intermediate results start from zero each time
            if node._parents or node._grad is None:  # (leaves keep theirs: they accumulate)
                node._grad, node._pending = None, True  # zeros, made when first needed
        self.grad += np.ones_like(self.data) if grad is None else np.asarray(grad)
        for node in reversed(topo):
            node._backward(node.grad)


def _add_grad(t, value):
    """t.grad += value, for a value that is a new array of t's shape and dtype held by nothing
    else (a fresh product, say): the first contribution is kept as it is, with no array of
    zeros to add it to. On a large graph that saves a pass over every such array."""
    if t._grad is None:
        value = value if value.dtype == t.data.dtype else value.astype(t.data.dtype)
        t._grad, t._pending = value, False
    else:
        t._grad += value


def _nothing(g):
    pass


def _add_rows(grad, rows, G):
    """grad[rows[i]] += G[i] for every i, a row named twice getting both (as np.add.at, faster):
    sort the rows, sum each run of equal rows with one reduceat, add each sum once.
    grad: (n, ...), rows: (N,) in 0 .. n-1, G: (N, ...) flattened to match."""
    order = np.argsort(rows, kind="stable")
    rows = rows[order]
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])  # where each run begins
    sums = np.add.reduceat(G[order], starts, axis=0)  # (distinct rows, ...)
    grad[rows[starts]] += sums.reshape(len(starts), *grad.shape[1:])


def _is_basic(idx):
    """True for numpy's basic indexing (ints, slices, None, ...), which never repeats an entry."""
    parts = idx if isinstance(idx, tuple) else (idx,)
    return all(isinstance(i, (int, np.integer, slice)) or i is None or i is Ellipsis for i in parts)


def _topological_order(root):
    """Every node before the nodes made from it; iterative, so deep graphs do not recurse."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p in node._parents if id(p) not in seen)
    return order
