"""Chapter 01's exercises: the bias as a threshold, the sigmoid's slope, a layer, and counting.

Each judge compares the reader's answer with the chapter's own math (nnlib.chapters.ch01_neuron,
nnlib.functional, nnlib.layers) on several inputs and, when it is wrong, names the likely
mistake. The notebook calls check(id, answer) and hint(id).
"""

import numpy as np

from nnlib.chapters import ch01_neuron as N
from nnlib.exercises import (
    Checker,
    Exercise,
    as_array,
    call,
    close,
    number,
    right,
    wrong,
)
from nnlib.functional import relu, sigmoid
from nnlib.layers import count_parameters

ADVICE = {  # what a reader's exception most likely means here, by the words in its message
    "converted to Python scalars": "math.exp works on one number only; use np.exp (or "
    "F.sigmoid), which works on whole arrays",
    "matmul": "check the shapes: X is (B, n_in) and W is (n_out, n_in), so the sums are "
    "X @ W.T, (B, n_in) @ (n_in, n_out)",
}


# ---------------------------------------------------------------- 01.1 the step at the threshold


def _predict_step_at_threshold(answer):
    try:
        guess = number(answer)
    except TypeError:
        return wrong(f"enter the number the neuron outputs, 0 or 1, not {answer!r}")
    z = float(N.weighted_sum([2.5, 2.5, 2.5, 2.5], np.ones(4), -10.0))  # = 0
    want = float(N.neuron([2.5, 2.5, 2.5, 2.5], np.ones(4), -10.0, "step"))  # = 0
    if guess == want:
        return right(
            f"the sum 10 minus the threshold 10 gives z = {z:g}, and the step fires only "
            "where z > 0, strictly: exactly at the threshold the neuron stays dark"
        )
    if guess == 1:
        return wrong(
            "z = 10 - 10 = 0, and the step outputs 1 only where z > 0; reaching the "
            "threshold is not passing it"
        )
    if close(guess, 0.5):
        return wrong(
            "0.5 is what the sigmoid gives at the threshold, sigma(0) = 1/2; the step "
            "has nothing in between, only 0 and 1"
        )
    if close(guess, 10):
        return wrong("10 is the weighted sum without the bias; the neuron outputs step(z)")
    return wrong("the step function outputs only 0 or 1: which one, when z = 10 - 10?")


# ---------------------------------------------------------------- 01.2 the sigmoid's slope

SLOPE_CASES = [
    np.array([0.0, 2.0, -3.0, 5.0]),
    np.linspace(-8.0, 8.0, 17),
    0.0,
    np.array([[-1000.0, 1000.0], [0.5, -0.5]]),  # exp(1000) overflows: nan if done carelessly
]


def _judge_sigmoid_slope(f):
    for z in SLOPE_CASES:
        with np.errstate(all="ignore"):  # an overflow warning is not the reader's question
            out = call(f, z, advice=ADVICE)
        if out is None:
            return None
        got, want = as_array(out), N.slope("sigmoid", z)
        if got is None:
            return wrong(f"return numbers, one slope per z; you returned {out!r}")
        if got.shape != np.shape(z):
            return wrong(
                f"for z of shape {np.shape(z)} you returned shape {got.shape}: return one "
                "slope per z, computed elementwise with numpy (np.exp, not math.exp)"
            )
        if np.allclose(got, want, atol=1e-12):
            continue
        s = sigmoid(z)
        if not np.all(np.isfinite(got)):
            return wrong(
                "you returned nan or inf at z = -1000 or 1000: e^1000 overflows there. "
                "Compute s = sigmoid(z) first (nnlib's F.sigmoid never overflows), then s * (1 - s)"
            )
        with np.errstate(all="ignore"):
            mistakes = [
                (s, "that is the sigmoid itself; its slope is sigma(z) * (1 - sigma(z))"),
                (
                    z * (1 - np.asarray(z)),
                    "you used z * (1 - z): the formula takes the sigmoid's value, s = sigma(z), "
                    "not z itself",
                ),
                (-want, "wrong sign: the sigmoid rises everywhere, so its slope is positive"),
                (s * s, "s * s: the second factor is 1 - s, not s"),
                (1 - s * s, "1 - s^2 is tanh's slope; the sigmoid's is s * (1 - s)"),
                (2 * want, "twice the slope: the formula is s * (1 - s), with no factor 2"),
            ]
        for values, message in mistakes:
            if np.allclose(got, values, atol=1e-12):
                return wrong(message)
        if np.allclose(got, 0.25):
            return wrong("0.25 is the slope at z = 0 only; it shrinks as |z| grows")
        return wrong(
            f"for z = {np.round(z, 3).tolist()} the slopes should be "
            f"{np.round(want, 6).tolist()}, got {np.round(got, 6).tolist()}"
        )
    return right(
        "sigma'(z) = sigma(z) (1 - sigma(z)), right for arrays, a single number, and at "
        "z = -1000 and 1000, where the slope is 0"
    )


# ---------------------------------------------------------------- 01.3 the best bias (slider)

PLAYGROUND_W = np.array([10.0, 10.0])
BIAS_SLIDER = np.round(np.arange(-100, 101) / 10, 1)  # the playground's b: -10 to 10, step 0.1


def _playground_points():
    """The playground's 80 points: the chapter draws them first from rng = default_rng(0)."""
    return N.two_blobs(40, np.random.default_rng(0))


def _on_their_side(X, y, b):
    return int((N.fires(X, PLAYGROUND_W, b) == (y == 1)).sum())


def _explore_best_bias(answer):
    try:
        b = number(answer)
    except TypeError:
        return wrong(f"enter the bias b from the slider, such as -5.0, not {answer!r}")
    X, y = _playground_points()
    counts = np.array([_on_their_side(X, y, v) for v in BIAS_SLIDER])
    best = int(counts.max())
    best_b = BIAS_SLIDER[counts == best]
    if not -10 <= b <= 10:
        return wrong(
            f"{answer!r} is outside the bias slider, which runs from -10 to 10; if it is "
            "the count of points on their side, enter the b that gives it instead"
        )
    n = _on_their_side(X, y, b)
    if n == best:
        return right(
            f"{n} of {len(y)} points on their side, the most this line direction allows "
            f"(at b = {', '.join(f'{v:g}' for v in best_b)}): the line a1 + a2 = "
            f"{-b / 10:.2f} runs between the two clouds"
        )
    if b >= 0:
        return wrong(
            f"with b = {b:g} every point of the square has z > 0 (its inputs are not "
            f"negative), so the neuron is lit everywhere and only the {n} red points are "
            "right. A threshold needs a negative bias"
        )
    where = f"{n} of {len(y)} on their side, but {best} is possible with these weights. "
    if b < best_b.min():
        return wrong(
            where + f"The line a1 + a2 = {-b / 10:.2f} sits too far to the upper right, "
            "so some red points are dark: move b a little toward 0"
        )
    return wrong(
        where + f"The line a1 + a2 = {-b / 10:.2f} sits too far to the lower left, so "
        "some blue points are lit: make b a little more negative"
    )


# ---------------------------------------------------------------- 01.4 the shape of a batch


def _predict_batch_shape(answer):
    if isinstance(answer, str):
        return wrong("write the shape as a tuple of numbers, without quotes, like (4, 5)")
    try:
        shape = tuple(int(n) for n in answer)
    except (TypeError, ValueError):
        return wrong(f"enter the shape as a tuple of numbers, like (4, 5), not {answer!r}")
    if shape == (3, 2):
        return right(
            "(3, 3) @ (3, 2) -> (3, 2): one row per example (B = 3), one column per "
            "output neuron (n_out = 2); the bias (2,) is added to every row"
        )
    if shape == (2, 3):
        return wrong(
            "transposed: X W^T keeps the rows of X, one per example, and takes the "
            "columns of W^T, one per output neuron"
        )
    if shape == (3, 3):
        return wrong(
            "a product (a, b) @ (b, c) is (a, c): X_batch is (3, 3) but W.T is (3, 2), "
            "so the result has 2 columns, one per output neuron"
        )
    if shape == (2,):
        return wrong(
            "(2,) is the output of one example, z_layer; the batch holds three examples, "
            "each with its own row"
        )
    if shape == (3,):
        return wrong(
            "each of the 3 examples gets one weighted sum per output neuron, and there are 2"
        )
    return wrong("count the rows (examples) and the output neurons: (B, n_out)")


# ---------------------------------------------------------------- 01.5 a layer for a batch

LAYER_CASES = [(4, 3, 2), (1, 5, 3), (6, 2, 4)]  # (B, n_in, n_out)


def _judge_layer_batch(f):
    rng = np.random.default_rng(1)
    for B, n_in, n_out in LAYER_CASES:
        X = rng.uniform(0, 1, size=(B, n_in))
        W, b = rng.normal(size=(n_out, n_in)), rng.normal(size=n_out)
        out = call(f, X, W, b, advice=ADVICE)
        if out is None:
            return None
        got, want = as_array(out), N.layer(X, W, b)
        if got is None:
            return wrong(f"return an array of activations; you returned {out!r}")
        if got.shape != want.shape:
            if got.shape == want.T.shape:
                return wrong(
                    f"shapes transposed: for X {X.shape} the result must be (B, n_out) = "
                    f"{want.shape}, one row per example; you returned {got.shape}"
                )
            return wrong(
                f"for X {X.shape}, W {W.shape} and b {b.shape} the result must have shape "
                f"(B, n_out) = {want.shape}, got {got.shape}"
            )
        if np.allclose(got, want):
            continue
        z = X @ W.T + b  # (B, n_out)
        mistakes = [
            (sigmoid(X @ W.T), "you forgot the bias: add b to every row before the sigmoid"),
            (z, "those are the weighted sums z; the layer's activations are sigmoid(z)"),
            (sigmoid(X @ W.T - b), "wrong sign on the bias: z = X W^T + b"),
            (relu(z), "that is ReLU; this layer uses the sigmoid"),
            (N.step(z), "that is the step function; this layer uses the sigmoid"),
        ]
        for values, message in mistakes:
            if np.allclose(got, values):
                return wrong(message)
        return wrong(
            f"right shape, wrong numbers for X {X.shape}, W {W.shape}: compare row 0 with "
            "N.layer(X[0], W, b)"
        )
    return right(
        "sigmoid(X W^T + b) for three batches, one with a single example: one row of "
        "activations per example"
    )


# ---------------------------------------------------------------- 01.6 counting parameters

COUNT_CASES = [[784, 16, 16, 10], [784, 32, 10], [3, 1], [2, 3, 1], [1, 1, 1, 1]]


def _judge_n_parameters(f):
    for sizes in COUNT_CASES:
        out = call(f, list(sizes))
        if out is None:
            return None
        want = count_parameters(sizes)
        try:
            n = number(out)
        except TypeError:
            return wrong(f"return one number, the count; for {sizes} you returned {out!r}")
        pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
        weights = sum(n_in * n_out for n_in, n_out in pairs)
        if n != want:
            mistakes = [
                (weights, "those are the weights only: you forgot the biases, one per neuron "
                 "of every layer after the input"),
                (want + sizes[0], "the input layer has no biases: its activations are the "
                 "data themselves"),
                (weights + sum(sizes[:-1]), "one bias per neuron the connections go *into* "
                 "(n_out), not per neuron they come from"),
                (int(np.prod(sizes)), "you multiplied all the sizes; each pair of "
                 "neighbouring layers has n_in * n_out weights, and the pairs add up"),
                (weights + sum(sizes), "the input layer has no biases, only the layers after it"),
            ]  # fmt: skip
            for value, message in mistakes:
                if n == value:
                    return wrong(f"{message} (for {sizes}: {want}, you returned {out!r})")
            return wrong(
                f"for {sizes} the count is {want}, you returned {out!r}: add n_out * n_in "
                "+ n_out for each pair of neighbouring layers"
            )
        if not isinstance(out, (int, np.integer)):
            return wrong(
                f"the right count for {sizes}, but as {type(out).__name__} {out!r}: a number "
                "of parameters is a whole number, return an int"
            )
    return right(
        f"784-32-10 has {count_parameters([784, 32, 10]):,} parameters, and your count is "
        "right for four other networks too, down to a single neuron with 3 inputs (4)"
    )


EXERCISES = {
    "01.1": Exercise(
        "01.1",
        "predict",
        "predict the step neuron's output when the sum is exactly the threshold",
        _predict_step_at_threshold,
        [
            "Work out z = 2.5 + 2.5 + 2.5 + 2.5 - 10 first.",
            "Read the definition of the step again: 1 where z > 0, else 0.",
        ],
    ),
    "01.2": Exercise(
        "01.2",
        "code",
        "write the sigmoid's slope, elementwise",
        _judge_sigmoid_slope,
        [
            "Compute s = F.sigmoid(z) first; F.sigmoid works on arrays and never overflows.",
            "The slope is written with the sigmoid's own value: it is s times (1 - s).",
        ],
    ),
    "01.3": Exercise(
        "01.3",
        "explore",
        "with w1 = w2 = 10, find the bias that puts the most points on their side",
        _explore_best_bias,
        [
            "Set both weight sliders to 10, then move only b and watch the count.",
            "The line is a1 + a2 = -b/10, so b slides it without turning it. Near the best "
            "place single points change side: move b in steps of 0.1.",
        ],
    ),
    "01.4": Exercise(
        "01.4",
        "predict",
        "predict the shape of X_batch @ W.T + b_layer",
        _predict_batch_shape,
        [
            "Write down the shapes: X_batch (3, 3), W (2, 3), so W.T is (3, 2).",
            "A product (a, b) @ (b, c) has shape (a, c).",
        ],
    ),
    "01.5": Exercise(
        "01.5",
        "code",
        "write a sigmoid layer for a batch: one row of activations per example",
        _judge_layer_batch,
        [
            "Follow the batch cell above: the weighted sums are X @ W.T + b.",
            "Then squish them with F.sigmoid; the result has shape (B, n_out).",
        ],
    ),
    "01.6": Exercise(
        "01.6",
        "code",
        "count the parameters of a network from its layer sizes (784-32-10, ...)",
        _judge_n_parameters,
        [
            "Walk over neighbouring pairs: zip(sizes[:-1], sizes[1:]).",
            "Each pair (n_in, n_out) brings an (n_out, n_in) weight matrix and n_out biases.",
        ],
    ),
}

checker = Checker(EXERCISES)  # counts the hints shown in this session
check, hint = checker.check, checker.hint  # what the notebook calls
