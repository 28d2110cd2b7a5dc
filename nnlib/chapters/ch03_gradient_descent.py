"""Gradient descent: pure numpy pieces behind chapter 03 and its widgets.

The rule is one line: step against the slope,

    w <- w - lr * dL/dw        (lr: the learning rate, alpha in the text)

and with many parameters theta = (w, b, ...) the same with the gradient,
theta <- theta - lr * grad L(theta). This module runs that rule (and its
variants: mini-batches, momentum, Adam) on small costs whose whole landscape
we can draw, and says what happened: converged, too slow, overshooting, or
diverged. Divergence is detected and reported, never left to overflow: every
loop stops as soon as a value leaves a bound or stops being finite.
No matplotlib here: the figures live in nnlib.widgets.ch03_gradient_descent.
"""

import numpy as np

from nnlib import data
from nnlib.checks import check_rng

BOUND = 1e6  # |w| beyond this counts as diverged


# ---- 1-D costs -----------------------------------------------------------------


def bowl(w):
    """The 1-D cost L(w) = (w - 1)^2: one minimum, at w* = 1, where L = 0."""
    return (np.asarray(w, dtype=float) - 1.0) ** 2


def bowl_slope(w):
    """Its exact slope dL/dw = 2 (w - 1)."""
    return 2.0 * (np.asarray(w, dtype=float) - 1.0)


def two_valleys(w):
    """A 1-D cost with two minima: L(w) = w^4/4 - w^2 + 0.3 w + 2.

    The left valley (w ~ -1.48) is deeper than the right one (w ~ 1.33); a hump
    at w ~ 0.15 separates them.
    """
    w = np.asarray(w, dtype=float)
    return 0.25 * w**4 - w**2 + 0.3 * w + 2.0


def two_valleys_slope(w):
    """Its exact slope dL/dw = w^3 - 2 w + 0.3."""
    w = np.asarray(w, dtype=float)
    return w**3 - 2.0 * w + 0.3


def two_valleys_minima():
    """The two minima of two_valleys, left then right (roots of w^3 - 2w + 0.3 with L'' > 0)."""
    roots = np.sort(np.roots([1.0, 0.0, -2.0, 0.3]).real)  # three real roots
    return roots[[0, 2]]  # the middle one is the hump


def gradient_descent_1d(dLdw, w0, lr, n_steps, bound=BOUND):
    """Run w_{k+1} = w_k - lr * dL/dw(w_k) for n_steps steps, stopping if it diverges.

    dLdw: the slope function; lr: the learning rate (alpha in the text).
    Returns (path, status): path (k + 1,) holds w_0 ... w_k, status is "ok" or
    "diverged". It is "diverged" as soon as |w| > bound or w or the slope stops
    being finite; the loop stops there (k < n_steps), so nothing overflows.
    """
    w = np.float64(w0)  # numpy floats overflow to inf (silenced here); Python floats raise
    path = [w]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(int(n_steps)):
            w = w - lr * np.float64(dLdw(w))
            if not (abs(w) <= bound and np.isfinite(w)):  # nan fails every comparison
                return np.array(path), "diverged"
            path.append(w)
    return np.array(path), "ok"


def classify_regime(path, status, w_star, tol=0.05):
    """Name what a 1-D descent did, relative to the minimum w_star it ends nearest to.

    "diverging"    it stopped as diverged, or ended farther from w_star than it began;
    "overshooting" it jumped past w_star at least once (w - w_star changed sign);
    "good"         it came within tol * |w_0 - w_star| of w_star without overshooting;
    "too slow"     it went the right way but did not get there in the steps it had.
    """
    path = np.asarray(path, dtype=float)
    d = path - w_star
    if status == "diverged" or abs(d[-1]) > abs(d[0]):
        return "diverging"
    signs = np.sign(d[np.abs(d) > 1e-12])
    if np.any(signs[1:] != signs[:-1]):
        return "overshooting"
    return "good" if abs(d[-1]) <= tol * abs(d[0]) else "too slow"


# ---- a real 2-parameter cost: "is this digit a 0?" from its ink ----------------------


def load_zeros_and_ones():
    """The 0s and 1s among the 10,000 MNIST test digits that ship with the book.

    Returns (x, y): x (N,) the ink of each image, y (N,) 1.0 for a 0 and 0.0 for a 1.
    Ink = the sum of the 784 pixel values / 100, i.e. how many hundred fully lit
    (white, value 1) pixels' worth of ink the digit holds (a 0 has about 1.35 on
    average, a 1 about 0.60).
    The bundled test files are used on every machine, so the numbers never change.
    """
    names = ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
    paths = [data.find_file(name, "mnist", [], download=False) for name in names]
    if None in paths:
        raise data.MissingDataError(f"{names} not found in {data.search_folders('mnist')}")
    images = data.read_idx(paths[0], data.IMAGES_MAGIC)  # (10000, 28, 28) uint8
    labels = data.read_idx(paths[1], data.LABELS_MAGIC)  # (10000,)
    keep = labels <= 1
    x = images[keep].reshape(keep.sum(), -1).sum(axis=1) / 255.0 / 100.0  # (N,)
    t = (labels[keep] == 0).astype(float)  # (N,)
    return x, t


def logistic_cost(theta, x, t):
    """Cross-entropy of p = sigmoid(w x + b) against labels t, averaged over examples.

    L(w, b) = (1/P) sum_p [ -t_p log p_p - (1 - t_p) log(1 - p_p) ]
            = (1/P) sum_p [ log(1 + exp(z_p)) - t_p z_p ],   z_p = w x_p + b
    The second form never takes log(0). theta: (..., 2) = (w, b) -> L: (...),
    so a whole grid or path of parameter pairs is costed at once.
    """
    theta = np.asarray(theta, dtype=float)
    z = theta[..., 0:1] * x + theta[..., 1:2]  # (..., 1) * (P,) -> (..., P)
    return np.mean(np.logaddexp(0.0, z) - t * z, axis=-1)  # (..., P) -> (...)


def logistic_gradient(theta, x, t):
    """The exact gradient of logistic_cost: dL/dw = mean((p - t) x), dL/db = mean(p - t).

    theta: (2,), x, t: (P,) -> (2,). Derivation: dL/dz_p = (p_p - t_p) / P, and
    z_p = w x_p + b has dz/dw = x_p, dz/db = 1.
    """
    return gradient_function(x, t)(theta)


def gradient_function(x, t):
    """grad_fn(theta) -> the gradient of logistic_cost on (x, t), fast for repeated calls.

    Same numbers as the formula in logistic_gradient, arranged for speed (the widgets
    call it hundreds of times per redraw): with X1 = [x, 1] (P, 2) computed once,
    p - t = 0.5 tanh(z / 2) + (0.5 - t)   (as sigmoid(z) = 0.5 + 0.5 tanh(z / 2),
    which never overflows), and grad = (p - t) @ X1 / P: five numpy calls per gradient.
    """
    X1, half_minus_t = _design(x, t)
    half_X1, X1_over_P = 0.5 * X1, X1 / len(X1)  # (P, 2) each

    def grad_fn(theta):
        r = np.tanh(half_X1 @ theta)  # (P, 2) @ (2,) -> (P,): tanh(z / 2)
        r *= 0.5
        r += half_minus_t  # p - t
        return r @ X1_over_P  # (P,) @ (P, 2) -> (2,)

    return grad_fn


def _design(x, t):
    """X1 = [x, 1] (P, 2), so z = X1 @ (w, b), and 0.5 - t (P,)."""
    x, t = np.asarray(x, dtype=float), np.asarray(t, dtype=float)
    if x.ndim != 1 or x.shape != t.shape:
        raise ValueError(f"expects x and t of the same shape (P,), got {x.shape} and {t.shape}")
    return np.stack([x, np.ones_like(x)], axis=1), 0.5 - t


def cost_grid(ws, bs, x, t):
    """L(w, b) on the grid ws x bs, for contour plots: (len(bs), len(ws)), rows are b."""
    W, B = np.meshgrid(ws, bs)  # (nb, nw) each
    return logistic_cost(np.stack([W, B], axis=-1), x, t)  # (nb, nw, 2) -> (nb, nw)


# ---- update rules and a descent loop for any number of parameters -------------------


def momentum_update(theta, grad, velocity, lr, momentum=0.9):
    """One step of gradient descent with momentum (PyTorch's form, as nnlib.optim.SGD):

    v <- momentum * v + grad          (a running sum of past gradients, old ones fading)
    theta <- theta - lr * v
    Returns (theta, v). theta, grad, velocity: same shape.
    """
    velocity = momentum * velocity + grad
    return theta - lr * velocity, velocity


def adam_update(theta, grad, m, v, k, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    """One step of Adam (step number k = 1, 2, ...), as nnlib.optim.Adam:

    m <- beta1 m + (1 - beta1) grad        running mean of the gradient
    v <- beta2 v + (1 - beta2) grad^2      running mean of its square
    m_hat = m / (1 - beta1^k), v_hat = v / (1 - beta2^k)    (undo the start at 0)
    theta <- theta - lr * m_hat / (sqrt(v_hat) + eps)
    Each parameter's step is about lr in size whatever the scale of its gradient.
    Returns (theta, m, v).
    """
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    m_hat = m / (1 - beta1**k)
    v_hat = v / (1 - beta2**k)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


OPTIMIZERS = ("gd", "momentum", "adam")


def descend(grad_fn, theta0, optimizer, lr, n_steps, momentum=0.9, bound=BOUND):
    """Run an optimizer from theta0 for n_steps steps; stop as soon as it diverges.

    grad_fn(theta) -> the gradient (D,) (a mini-batch gradient makes this SGD);
    optimizer: "gd" (theta <- theta - lr * grad), "momentum" or "adam" (see above).
    Returns (path, status): path (k + 1, D) holds theta_0 ... theta_k and status is
    "ok", or "diverged" if a parameter left [-bound, bound] or stopped being finite.
    """
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {optimizer!r}")
    theta = np.array(theta0, dtype=float)  # (D,)
    path = [theta.copy()]
    state_1, state_2 = np.zeros_like(theta), np.zeros_like(theta)  # velocity, or Adam's m, v
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, int(n_steps) + 1):
            grad = grad_fn(theta)
            if optimizer == "gd":
                theta = theta - lr * grad
            elif optimizer == "momentum":
                theta, state_1 = momentum_update(theta, grad, state_1, lr, momentum)
            else:
                theta, state_1, state_2 = adam_update(theta, grad, state_1, state_2, k, lr)
            largest = np.abs(theta).max()
            if not (largest <= bound and largest < np.inf):  # nan fails every comparison
                return np.array(path), "diverged"
            path.append(theta)  # every rule above returns a new array
    return np.array(path), "ok"


def minibatch_gradient(x, t, batch_size, rng):
    """A gradient function for SGD: each call uses the next mini-batch of examples.

    The examples are shuffled with rng (a np.random.Generator) and taken batch_size
    at a time, so a batch never holds an example twice; when fewer than batch_size
    are left, a new shuffle starts the next epoch (as nnlib.data.minibatches does with
    drop_last). Returns grad_fn(theta) -> logistic_gradient(theta, x[idx], t[idx]).
    """
    check_rng(rng, "minibatch_gradient")
    if not 1 <= batch_size <= len(x):
        raise ValueError(f"batch_size must be in 1..{len(x)}, got {batch_size}")
    X1, half_minus_t = _design(x, t)
    half_X1 = 0.5 * X1  # (P, 2)
    epoch = {"order": rng.permutation(len(X1)), "next": 0}

    def grad_fn(theta):
        start = epoch["next"]
        if start + batch_size > len(X1):  # this epoch is used up: shuffle again
            epoch["order"], start = rng.permutation(len(X1)), 0
        idx = epoch["order"][start : start + batch_size]  # (B,)
        epoch["next"] = start + batch_size
        r = np.tanh(half_X1[idx] @ theta)  # (B, 2) @ (2,) -> (B,)
        r *= 0.5
        r += half_minus_t[idx]  # p - t on the batch
        return r @ X1[idx] / batch_size  # (B,) @ (B, 2) -> (2,)

    return grad_fn


def run_optimizer_on_surface(x, t, theta0, optimizer, lr, n_steps, batch_size=None, rng=None):
    """Descend the logistic cost of (x, t) from theta0 and report the whole run.

    optimizer: "gd" (full batch), "sgd" (plain steps on random mini-batches of
    batch_size examples; needs rng), "momentum" or "adam" (full batch).
    Returns a dict: path (k + 1, 2), final_cost the full cost L at the last point
    (logistic_cost(path, x, t) gives it at every point), status "ok" or "diverged",
    and examples, how many example-gradients were computed
    (the work: n_steps * P for full batch, n_steps * batch_size for SGD).
    """
    if optimizer == "sgd":
        if rng is None or batch_size is None:
            raise ValueError("optimizer 'sgd' needs batch_size and rng")
        grad_fn, rule, per_step = minibatch_gradient(x, t, batch_size, rng), "gd", batch_size
    else:
        grad_fn, rule, per_step = gradient_function(x, t), optimizer, len(x)
    path, status = descend(grad_fn, theta0, rule, lr, n_steps)
    final_cost = float(logistic_cost(path[-1], x, t))
    examples = (len(path) - 1) * per_step
    return {"path": path, "final_cost": final_cost, "status": status, "examples": examples}


START = np.array([-2.0, 4.0])  # (w, b) where every 2-D descent begins
