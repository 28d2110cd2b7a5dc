"""The cost function: pure numpy pieces behind chapter 02 and its widgets.

The cost judges a network with one number. For one example with output
activations a (K numbers) and desired outputs y (the label's one-hot vector)
it is the sum of squared differences

    L_p = sum_k (a_k - y_k)^2

and over P training examples it is the average L = (1/P) sum_p L_p. The
functions here compute those pieces one at a time (so the chapter can show
them), compare the squared-difference cost with cross-entropy, and draw the
cost of a tiny 1-2-1 network as a landscape over two of its seven parameters.
No matplotlib here: the figures live in nnlib.widgets.ch02_cost_function.
"""

import numpy as np

from nnlib.checks import check_rng
from nnlib.functional import sigmoid


def squared_error_per_output(a, y):
    """The squared differences (a_k - y_k)^2, one per output neuron.

    a: output activations, y: desired outputs, both (..., K) -> (..., K).
    Summing the last axis gives each example's cost L_p = sum_k (a_k - y_k)^2.
    """
    a, y = np.asarray(a, dtype=float), np.asarray(y, dtype=float)
    if a.shape != y.shape:
        raise ValueError(
            "squared_error_per_output expects a and y of the same shape, "
            f"got {a.shape} and {y.shape}"
        )
    return (a - y) ** 2


def example_cost(a, y):
    """The cost of each example: L_p = sum_k (a_k - y_k)^2.

    a, y: (..., K) -> L_p: (...). For one example (K,) this is a single number.
    """
    return squared_error_per_output(a, y).sum(axis=-1)


def constant_answer_cost(c, n_classes=10):
    """The cost of a 'network' that outputs c on every output neuron, whatever the image.

    The right output wants 1, the n_classes - 1 others want 0, so for every example
    L_p = (1 - c)^2 + (n_classes - 1) * c^2.
    It is smallest at c = 1 / n_classes (0.9 for ten classes at c = 0.1).
    c: any shape -> same shape.
    """
    c = np.asarray(c, dtype=float)
    return (1 - c) ** 2 + (n_classes - 1) * c**2


# ---------------------------------------------------------------- probabilities and the slowdown


def spread_outputs(p, spread, label, rival, n_classes=10):
    """Output probabilities with p on the right class and 1 - p shared by the wrong ones.

    spread = 1 shares 1 - p evenly among the n_classes - 1 wrong classes;
    spread = 0 puts all of it on one wrong class, the `rival` (a digit easily
    mistaken for the label). In between it mixes the two:
        q_k = (1 - p) * (spread / (n_classes - 1) + (1 - spread) * [k == rival])   for k != label
        q_label = p
    The result sums to 1, as a softmax output does.
    p, spread: numbers in [0, 1]; label, rival: different class indices -> q: (n_classes,)
    """
    if not (0 <= p <= 1 and 0 <= spread <= 1):
        raise ValueError(f"spread_outputs expects p and spread in [0, 1], got {p} and {spread}")
    if label == rival or not (0 <= label < n_classes and 0 <= rival < n_classes):
        raise ValueError(
            f"spread_outputs expects two different classes in 0..{n_classes - 1}, "
            f"got label={label} and rival={rival}"
        )
    q = np.full(n_classes, (1 - p) * spread / (n_classes - 1))
    q[rival] += (1 - p) * (1 - spread)
    q[label] = p
    return q


def cross_entropy_of_probability(p, floor=1e-12):
    """Cross-entropy of one example from the probability p of its right class: -log p.

    p is floored at `floor` so that p = 0 gives a large finite number (27.6) instead
    of infinity; the true value there is infinite. p: any shape -> same shape.
    """
    return -np.log(np.maximum(np.asarray(p, dtype=float), floor))


def slowdown_curves(p):
    """Both costs, and their slopes, for one output whose right answer is 1.

    p: the right class's output, in (0, 1). Two ways to produce it:
    - a sigmoid output neuron, p = sigmoid(z). Its squared difference and slope are
          L_p = (p - 1)^2,   dL_p/dz = 2 (p - 1) * sigmoid'(z) = -2 p (1 - p)^2
      (sigmoid'(z) = p (1 - p)). The slope dies out as p -> 0: confidently wrong,
      and hardly any push to change. This is the learning slowdown.
    - a softmax output, p = softmax(z)[right]. Its cross-entropy and slope are
          L_p = -log p,      dL_p/dz_right = p - 1
      The slope is -1, as steep as it gets, when p -> 0.
    Returns a dict of arrays shaped like p: mse, mse_slope, ce, ce_slope.
    """
    p = np.asarray(p, dtype=float)
    return {
        "mse": (p - 1) ** 2,
        "mse_slope": -2 * p * (1 - p) ** 2,
        "ce": cross_entropy_of_probability(p),
        "ce_slope": p - 1,
    }


# ---------------------------------------------------------------- a landscape we can draw

# The tiny network: 1 input x, 2 sigmoid hidden neurons, 1 sigmoid output.
#   h = sigmoid(W1 x + b1)  with W1 (2, 1), b1 (2,)
#   y = sigmoid(W2 h + b2)  with W2 (1, 2), b2 (1,)
# Its seven parameters, in the order of a parameter vector theta:
TINY_PARAM_NAMES = ("w1[0]", "w1[1]", "b1[0]", "b1[1]", "w2[0]", "w2[1]", "b2")
# A good setting: the two hidden neurons switch on at x = -1 and at x = +1, and the
# output subtracts the second from the first, giving a bump between -1 and +1.
TINY_GOOD_THETA = np.array([6.0, 6.0, 6.0, -6.0, 8.0, -8.0, -4.0])


def tiny_network(theta, x):
    """The tiny 1-2-1 sigmoid network's output for every input and every parameter vector.

    theta: (..., 7) parameter vectors in the order TINY_PARAM_NAMES; x: (P,) inputs.
    Returns y: (..., P). A whole grid of parameter vectors goes through at once.
    """
    theta, x = np.asarray(theta, dtype=float), np.asarray(x, dtype=float)
    if theta.shape[-1:] != (7,) or x.ndim != 1:
        raise ValueError(
            f"tiny_network expects theta of shape (..., 7) and x of shape (P,), "
            f"got {theta.shape} and {x.shape}"
        )
    t = theta[..., None, :]  # (..., 1, 7): broadcasts against the P inputs
    h0 = sigmoid(t[..., 0] * x + t[..., 2])  # (..., P) first hidden neuron
    h1 = sigmoid(t[..., 1] * x + t[..., 3])  # (..., P) second hidden neuron
    return sigmoid(t[..., 4] * h0 + t[..., 5] * h1 + t[..., 6])  # (..., P)


def tiny_data(rng, n=40):
    """A small seeded data set for the tiny network: label 1 inside the bump, 0 outside.

    x: n inputs drawn uniformly from [-3, 3]; l = 1 if |x| < 1 else 0, then about
    one label in ten flipped (no setting of the network fits noisy data perfectly,
    as with real data). rng: np.random.Generator. Returns x (n,), l (n,) sorted by x.
    """
    check_rng(rng, "tiny_data")
    x = np.sort(rng.uniform(-3, 3, size=n))
    l = (np.abs(x) < 1).astype(float)
    flip = rng.random(n) < 0.1
    l[flip] = 1 - l[flip]
    return x, l


def tiny_cost(theta, x, l):
    """L = (1/P) sum_p (y_p - l_p)^2 for the tiny network, for each parameter vector.

    theta: (..., 7); x, l: (P,) -> L: (...).
    """
    y = tiny_network(theta, x)  # (..., P)
    return np.mean((y - l) ** 2, axis=-1)


def cost_landscape(cost, theta, i, j, values_i, values_j):
    """The cost over a grid of two parameters, the others held at theta.

    cost: a function of parameter vectors, cost(Theta (..., n) ) -> (...), vectorised.
    theta: (n,) the point we slice through; i, j: the indices of the two parameters
    that vary; values_i: (n_i,) values for parameter i (the horizontal axis),
    values_j: (n_j,) values for parameter j (the vertical axis).
    Returns L: (n_j, n_i), L[r, c] = cost at theta with theta[i] = values_i[c] and
    theta[j] = values_j[r] (rows are the vertical axis, as contour() expects).
    """
    theta = np.asarray(theta, dtype=float)
    if theta.ndim != 1 or i == j or not (0 <= i < len(theta) and 0 <= j < len(theta)):
        raise ValueError(
            f"cost_landscape expects theta of shape (n,) and two different indices below n, "
            f"got theta {theta.shape}, i={i}, j={j}"
        )
    values_i, values_j = np.asarray(values_i, dtype=float), np.asarray(values_j, dtype=float)
    grid = np.broadcast_to(theta, (len(values_j), len(values_i), len(theta))).copy()
    grid[:, :, i] = values_i[None, :]  # (n_j, n_i, n) parameter i varies along columns
    grid[:, :, j] = values_j[:, None]  # parameter j varies along rows
    return cost(grid)
