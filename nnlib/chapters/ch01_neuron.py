"""One neuron, one layer, one network: the pure math behind chapter 01.

A neuron holds one number, its activation. It computes it from the
activations a_1..a_n of the neurons feeding it:

    z = w_1 a_1 + w_2 a_2 + ... + w_n a_n + b      (the weighted sum)
    a = f(z)                                       (squished by an activation f)

A layer is many neurons reading the same inputs, written as one matrix
product: x' = f(W x + b), with W of shape (n_out, n_in) so that W[m, n] is the
weight w_mn from neuron n of one layer to neuron m of the next. A network is
layers one after another.

Everything here is plain numpy (no matplotlib, no autograd), so the chapter's
widgets and figures can call it and the tests can check it by hand.
"""

import numpy as np

from nnlib.checks import check_rng
from nnlib.functional import relu, sigmoid


def step(z):
    """The step function: 1 where z > 0, else 0. The oldest 'neuron fires or not'."""
    return (np.asarray(z) > 0).astype(float)


ACTIVATION_FUNCTIONS = {"sigmoid": sigmoid, "relu": relu, "step": step}


def activation_fn(activation):
    """The function f named by `activation` ("sigmoid", "relu", "step"), or f itself."""
    if callable(activation):
        return activation
    if activation not in ACTIVATION_FUNCTIONS:
        raise ValueError(
            f"unknown activation {activation!r}; expected one of {list(ACTIVATION_FUNCTIONS)}"
        )
    return ACTIVATION_FUNCTIONS[activation]


def slope(activation, z):
    """The slope f'(z) of a named activation, elementwise.

    sigmoid: f'(z) = s (1 - s) with s = sigmoid(z); at most 1/4 (at z = 0) and
             nearly 0 once |z| is large: sigmoid(10) has slope about 4.5e-5.
    relu:    f'(z) = 1 for z > 0, 0 for z < 0 (we take 0 at z = 0).
    step:    f'(z) = 0 everywhere except z = 0, where it is undefined (we take 0).
    """
    z = np.asarray(z, dtype=float)
    if activation == "sigmoid":
        s = sigmoid(z)
        return s * (1 - s)
    if activation == "relu":
        return (z > 0).astype(float)
    if activation == "step":
        return np.zeros_like(z)
    raise ValueError(
        f"unknown activation {activation!r}; expected one of {list(ACTIVATION_FUNCTIONS)}"
    )


def weighted_sum(a, w, b=0.0):
    """z = w_1 a_1 + w_2 a_2 + ... + w_n a_n + b.

    a: (n,) activations, or (..., n) for many inputs at once; w: (n,) weights;
    b: the bias, a number. -> z: a number, or (...)
    """
    a, w = np.asarray(a, dtype=float), np.asarray(w, dtype=float)
    if w.ndim != 1 or a.shape[-1:] != w.shape:
        raise ValueError(
            f"weighted_sum expects a of shape (..., n) and w of shape (n,), "
            f"got a {a.shape} and w {w.shape}"
        )
    return a @ w + b  # (..., n) @ (n,) -> (...)


def neuron(a, w, b, activation="sigmoid"):
    """One neuron's activation: f(w_1 a_1 + ... + w_n a_n + b).

    a: (n,) or (..., n); w: (n,); b: number; activation: a name or a function.
    -> a number, or (...)
    """
    a_out = activation_fn(activation)(weighted_sum(a, w, b))
    return a_out[()] if np.ndim(a_out) == 0 else a_out  # a 0-d array -> a plain number


def layer(x, W, b, activation="sigmoid"):
    """A whole layer at once: x' = f(W x + b).

    W[m, n] is w_mn, the weight from neuron n of this layer to neuron m of the
    next, so row m of W holds the weights of next-layer neuron m.
    x: (n_in,) or a batch X (B, n_in); W: (n_out, n_in); b: (n_out,)
    -> (n_out,) or (B, n_out). A batch holds one example per row: X @ W.T + b.
    """
    x, W, b = (np.asarray(v, dtype=float) for v in (x, W, b))
    if W.ndim != 2 or b.shape != W.shape[:1]:
        raise ValueError(
            f"layer expects W of shape (n_out, n_in) and b of shape (n_out,), "
            f"got W {W.shape} and b {b.shape}"
        )
    n_out, n_in = W.shape
    if x.ndim not in (1, 2) or x.shape[-1] != n_in:
        raise ValueError(
            f"layer with W of shape {W.shape} expects x of shape ({n_in},) or (B, {n_in}), "
            f"got {x.shape}. Did you flatten the images?"
        )
    z = x @ W.T + b  # (n_in,) or (B, n_in) @ (n_in, n_out) -> (n_out,) or (B, n_out)
    return activation_fn(activation)(z)


def layer_activations(params, x, activation="sigmoid"):
    """Every layer's activations, input first: [x, f(W1 x + b1), f(W2 (...) + b2), ...].

    params: list of (W, b) pairs, W (n_out, n_in), one pair per layer.
    x: (n_in,) one input, or (B, n_in) a batch.
    -> list of len(params) + 1 arrays; the last is the output layer.
    The activation is applied to every layer, the output included, so each
    output neuron holds a number in (0, 1) and the answer is the brightest one.
    """
    activations = [np.asarray(x, dtype=float)]
    for W, b in params:
        activations.append(layer(activations[-1], W, b, activation))
    return activations


def make_grid(lo=0.0, hi=1.0, n=101):
    """Points covering the square [lo, hi] x [lo, hi], as an (n, n, 2) array.

    grid[i, j] = (a_1, a_2) with a_1 = the j-th of n values along x and
    a_2 = the i-th along y, so grid[..., 0] can be drawn directly as an image.
    """
    t = np.linspace(lo, hi, n)
    A1, A2 = np.meshgrid(t, t)  # (n, n) each; A1 varies along columns
    return np.stack([A1, A2], axis=-1)  # (n, n, 2)


def decision_map(w, b, activation, grid):
    """A two-input neuron's activation f(w_1 a_1 + w_2 a_2 + b) at every grid point.

    w: (2,); b: number; grid: (..., 2) points (e.g. make_grid()) -> (...)
    """
    return neuron(grid, w, b, activation)


def boundary_line(w, b, lo=0.0, hi=1.0):
    """Two points on the line w_1 a_1 + w_2 a_2 + b = 0, spanning [lo, hi].

    That line is where z = 0: sigmoid gives 1/2 there, the step jumps, ReLU
    starts to rise. We solve for a_2 when the line is flatter than the diagonal
    (|w_2| >= |w_1|), else for a_1, so the answer stays finite even for a
    vertical or horizontal line. -> (a1s, a2s), two arrays of 2 numbers; both
    empty when w = (0, 0) (no line: z = b everywhere).
    """
    w1, w2 = (float(v) for v in w)
    if w1 == 0 and w2 == 0:
        return np.array([]), np.array([])
    ends = np.array([lo, hi], dtype=float)
    if abs(w2) >= abs(w1):
        return ends, -(w1 * ends + b) / w2
    return -(w2 * ends + b) / w1, ends


def fires(X, w, b):
    """Which points land on the neuron's 'on' side: w_1 a_1 + w_2 a_2 + b > 0.

    X: (N, 2) -> (N,) bool
    """
    return weighted_sum(X, w, b) > 0


def two_blobs(n, rng, spread=0.12):
    """A small 2-D data set of two classes, every coordinate in [0, 1].

    Class 1: n points around (0.68, 0.64); class 0: n points around (0.32, 0.38),
    each coordinate with normal noise of standard deviation `spread`, clipped to [0, 1].
    rng: np.random.Generator -> X (2n, 2) float, y (2n,) int in {0, 1}
    """
    check_rng(rng, "two_blobs")
    centers = np.array([[0.32, 0.38], [0.68, 0.64]])  # class 0, class 1
    y = np.repeat([0, 1], n)  # (2n,)
    X = centers[y] + spread * rng.standard_normal((2 * n, 2))  # (2n, 2)
    return np.clip(X, 0.0, 1.0), y
