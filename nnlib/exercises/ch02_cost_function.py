"""Chapter 02's exercises: the cost of an example, constant answers, softmax, and the slowdown.

Each judge compares the reader's answer with the chapter's own math (nnlib.chapters.
ch02_cost_function, nnlib.functional) on several inputs and, when it is wrong, names the likely
mistake. The notebook calls check(id, answer) and hint(id).
"""

import math

import numpy as np

from nnlib.chapters import ch02_cost_function as cost
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
from nnlib.functional import sigmoid, softmax

ADVICE = {  # what a reader's exception most likely means here, by the words in its message
    "out of bounds for array of dimension 1": "one example has a single axis, so axis=1 does "
    "not exist; axis=-1, the last axis, is the outputs' axis for one example and for a batch",
    "converted to Python scalars": "math.exp works on one number only; use np.exp (or "
    "F.sigmoid), which works on whole arrays",
    "could not be broadcast": "a sum over axis=-1 loses that axis; keep it with "
    "keepdims=True so each row is divided by its own sum",
}


# ---------------------------------------------------------------- 02.1 the cost of an example


def _cost_cases():
    rng = np.random.default_rng(2)
    one = rng.uniform(0, 1, size=10)  # one example's ten outputs
    batch = rng.uniform(0, 1, size=(4, 10))  # four examples
    square = rng.uniform(0, 1, size=(10, 10))  # as many examples as outputs: axes can be confused
    return [
        (one, np.eye(10)[3]),
        (batch, np.eye(10)[[3, 0, 7, 7]]),
        (square, np.eye(10)[np.arange(10) % 3]),
        (np.eye(10)[[1, 2]], np.eye(10)[[1, 2]]),  # a perfect answer costs 0
    ]


def _judge_example_cost(f):
    for a, y in _cost_cases():
        out = call(f, a.copy(), y.copy(), advice=ADVICE)
        if out is None:
            return None
        got, want = as_array(out), cost.example_cost(a, y)
        if got is None:
            return wrong(f"return numbers, one cost per example; you returned {out!r}")
        where = f"for a of shape {a.shape}"
        if got.shape != want.shape:
            if got.shape == () and a.ndim == 2:
                return wrong(
                    f"{where} return {len(a)} costs, one per example; you added up the whole "
                    "batch. Sum over the outputs only, the last axis (axis=-1)"
                )
            if a.ndim == 2 and got.shape == a.shape[1:]:
                return wrong(
                    f"summed over the wrong axis: {where} the examples are the rows, so sum "
                    "each row over its outputs (axis=-1), not down the columns (axis=0)"
                )
            return wrong(f"{where} the result needs shape {want.shape}, got {got.shape}")
        if np.allclose(got, want):
            continue
        d = a - y
        mistakes = [
            (d.sum(axis=-1), "you forgot to square: differences of both signs cancel out"),
            (np.abs(d).sum(axis=-1), "absolute differences; the cost squares them, so a big "
             "miss counts much more than a small one"),
            ((d**2).mean(axis=-1), "you averaged over the outputs; the cost of one example "
             "adds its squares, it does not divide by their number"),
            (np.sqrt((d**2).sum(axis=-1)), "that is the square root of the cost, the distance "
             "between a and y; leave the sum of squares as it is"),
            (d.sum(axis=-1) ** 2, "you squared the sum; square each difference first, then add"),
            ((d**2).sum(axis=0), "summed over the wrong axis: each row is one example, so sum "
             "each row over its outputs (axis=-1), not down the columns"),
        ]  # fmt: skip
        for values, message in mistakes:
            if values.shape == got.shape and np.allclose(got, values):
                return wrong(message)
        return wrong(f"{where} the costs should be {np.round(want, 4)}, got {np.round(got, 4)}")
    return right(
        "sum_k (a_k - y_k)^2 per example: one number for one example, one per row for a "
        "batch, and 0 for a perfect answer"
    )


# ---------------------------------------------------------------- 02.2 always answering 1


def _predict_always_one(answer):
    try:
        guess = number(answer)
    except TypeError:
        return wrong(f"enter a number, not {answer!r}")
    want = float(cost.constant_answer_cost(1.0))  # (1 - 1)^2 + 9 * 1^2 = 9
    if close(guess, want):
        return right(
            "the right digit's output is 1 as wanted and costs 0, but the nine others "
            "should be 0 and each costs (1 - 0)^2 = 1: 0 + 9 = 9, the worst a constant can do"
        )
    if close(guess, 10):
        return wrong("the right digit's output is 1, exactly what it should be, so it costs 0")
    if close(guess, 0.9):
        return wrong(
            "you averaged over the ten outputs; the cost of an example adds its ten squares "
            "(and 0.9 happens to be the cost of always answering 0.1)"
        )
    if close(guess, 1):
        return wrong(
            "1 is the cost of always answering 0; always answering 1 misses on nine outputs, "
            "and each of those nine squares adds"
        )
    if close(guess, 0):
        return wrong("only one of the ten outputs is right; the nine others should be 0")
    return wrong("fill c = 1 into (1 - c)^2 + 9 c^2: the right output, then the nine wrong ones")


# ---------------------------------------------------------------- 02.3 softmax


def _softmax_cases():
    rng = np.random.default_rng(3)
    return [
        np.array([2.0, -1.0, 0.5, 3.0, 0.0, -2.0, 1.0, 0.0, 1.5, -0.5]),  # the chapter's logits
        np.array([1000.0, 1001.0, 999.0]),  # e^1000 overflows
        rng.normal(size=(3, 3)),  # a batch: each row is one example
        np.array([[1000.0, 1001.0, 999.0], [-1000.0, -999.0, -1001.0]]),  # rows far apart
        np.array([-1000.0, -1000.0]),  # e^-1000 underflows to 0
        np.array([3.0, 1500.0, -5.0]),  # a wide spread: only the largest logit is safe to subtract
        np.array([[3.0, 1500.0, -5.0], [0.0, 1.0, 2.0]]),  # the same, in a batch
    ]


def _judge_softmax(f):
    for z in _softmax_cases():
        with np.errstate(all="ignore"):  # an overflow warning is not the reader's question
            out = call(f, z.copy(), advice=ADVICE)
        if out is None:
            return None
        got, want = as_array(out), softmax(z)
        shown = np.round(z, 2).tolist()
        if got is None:
            return wrong(f"return an array of probabilities; you returned {out!r}")
        if got.shape != z.shape:
            return wrong(
                f"for logits of shape {z.shape} return probabilities of the same shape, "
                f"got {got.shape}"
            )
        if np.allclose(got, want):
            continue
        if not np.all(np.isfinite(got)):
            if z.ndim == 2 and np.all(np.isfinite(got[0])):
                return wrong(
                    "the second row is nan: you subtracted one largest logit for the whole "
                    "batch, and e^(-2000) is 0 for every entry of that row. Subtract each "
                    "row's own largest logit (axis=-1, keepdims=True)"
                )
            return wrong(
                f"nan or inf for the logits {shown}: e to a large number overflows (e^710 is "
                "already too big for a float) and e to a very negative one is 0, so 0/0. Subtract "
                "each example's largest logit first; it leaves the probabilities unchanged"
            )
        if z.ndim == 2:
            e = np.exp(z - z.max(axis=-1, keepdims=True))
            if np.allclose(got.sum(axis=0), 1) and not np.allclose(got.sum(axis=-1), 1):
                return wrong(
                    "summed over the wrong axis: each column adds up to 1, but each row is one "
                    "example and must add up to 1 (axis=-1, keepdims=True)"
                )
            shifted = np.exp(z - z.max(axis=-1)[None, :]) if z.shape[0] == z.shape[1] else None
            if shifted is not None and np.allclose(
                got, shifted / shifted.sum(axis=-1, keepdims=True)
            ):
                return wrong(
                    "the row maxima (shape (3,)) were subtracted along the columns, not one per "
                    "row; keep them as a column, shape (3, 1)"
                )
            if np.allclose(got, e / e.sum(axis=-1)):
                return wrong(
                    "without keepdims=True, the row sums (shape (3,)) are divided along the "
                    "columns; keep them as a column, shape (3, 1)"
                )
            if np.isclose(got.sum(), 1):
                return wrong(
                    "you divided by the sum over the whole batch; each row (one example) must "
                    "add up to 1 by itself (axis=-1, keepdims=True)"
                )
        if np.allclose(got, np.exp(z - np.max(z))):
            return wrong(
                "the exponentials are right, but divide them by their sum so they add to 1"
            )
        if z.ndim == 1 and np.allclose(got, z / z.sum()):
            return wrong("you divided the logits by their sum; raise e to each one first")
        return wrong(f"for the logits {shown} the probabilities should be {np.round(want, 4)}")
    return right(
        "p_k = e^(z_k - max z) / sum_j e^(z_j - max z), row by row: no overflow at 1000, no "
        "0/0 at -1000, and every example's probabilities add up to 1"
    )


# ---------------------------------------------------------------- 02.4 the squared cost's slope

SLOPE_Z = [np.array([-5.0, -1.0, 0.0, 2.0, 6.0]), np.linspace(-10, 10, 9), 0.5]


def _judge_mse_slope(f):
    for z in SLOPE_Z:
        out = call(f, z, advice=ADVICE)
        if out is None:
            return None
        got = as_array(out)
        a = sigmoid(z)
        want = cost.slowdown_curves(a)["mse_slope"]  # -2 a (1 - a)^2
        if got is None:
            return wrong(f"return numbers, one slope per z; you returned {out!r}")
        if got.shape != np.shape(z):
            return wrong(
                f"for z of shape {np.shape(z)} return one slope per z, got shape {got.shape}"
            )
        if np.allclose(got, want, atol=1e-12):
            continue
        zz = np.asarray(z, dtype=float)
        mistakes = [
            (2 * (a - 1), "that is the slope with respect to a; z acts on the cost through "
             "a = sigmoid(z), so multiply by a's slope, a (1 - a) (chapter 01)"),
            (-want, "wrong sign: a larger z brings a closer to 1 and lowers the cost, so the "
             "slope is negative"),
            (want / 2, "you lost the 2 from the parabola's slope: d(a - 1)^2/da = 2 (a - 1)"),
            (2 * (a - 1) * zz * (1 - zz), "you used z (1 - z); the sigmoid's slope is "
             "a (1 - a), with a = sigmoid(z)"),
            (2 * (zz - 1) * a * (1 - a), "the parabola's slope is 2 (a - 1), with the "
             "activation a, not z"),
            (a - 1, "p - 1 is cross-entropy's slope; this is the squared cost on a sigmoid"),
        ]  # fmt: skip
        for values, message in mistakes:
            if np.allclose(got, values, atol=1e-12):
                return wrong(message)
        return wrong(
            f"for z = {np.round(z, 2).tolist()} the slopes should be "
            f"{np.round(want, 5).tolist()}; multiply the two steps' slopes"
        )
    return right(
        "2 (a - 1) times a (1 - a): the chain of two slopes, -2 a (1 - a)^2, which dies out "
        "as z goes to -10 while the answer is still badly wrong"
    )


# ---------------------------------------------------------------- 02.5 how much steeper


def _predict_ratio(answer):
    try:
        guess = number(answer)
    except TypeError:
        return wrong(f"enter a number, not {answer!r}")
    s = cost.slowdown_curves(0.01)
    mse_slope, ce_slope = float(s["mse_slope"]), float(s["ce_slope"])
    ratio = ce_slope / mse_slope  # about 50.5
    if abs(abs(guess) - ratio) <= 0.05 * ratio:
        sign = " (both slopes are negative, so the ratio is positive)" if guess < 0 else ""
        return right(
            f"{ce_slope:.2f} / {mse_slope:.4f} = {ratio:.1f}{sign}: at p = 0.01 cross-entropy "
            "pushes about fifty times harder, exactly where the network is most wrong"
        )
    if abs(abs(guess) - 2 * ratio) <= 0.05 * ratio:
        return wrong(
            "about twice too large: did you leave out the 2? The squared cost's slope is "
            "-2 p (1 - p)^2, with the 2 from the parabola (a - 1)^2"
        )
    if abs(abs(guess) - 1 / ratio) <= 0.05 / ratio:
        return wrong("upside down: that is how much steeper the squared cost is (it is flatter)")
    mse_cost, ce_cost = (1 - 0.01) ** 2, -math.log(0.01)  # the costs themselves at p = 0.01
    if abs(abs(guess) - ce_cost / mse_cost) <= 0.05 * ce_cost / mse_cost:
        return wrong(
            "that is the ratio of the costs; the question is about their slopes, how hard "
            "each one pushes p up"
        )
    if close(abs(guess), abs(ce_slope), 1e-2):
        return wrong(f"{ce_slope:.2f} is cross-entropy's slope itself; divide it by the other one")
    if close(abs(guess), abs(mse_slope), 1e-2):
        return wrong("that is the squared cost's slope itself; divide cross-entropy's by it")
    return wrong(
        "work out both slopes at p = 0.01, -2 p (1 - p)^2 and p - 1, and divide the second "
        "by the first"
    )


# ---------------------------------------------------------------- 02.6 the explorer

SPREAD_SLIDER = np.round(np.arange(0, 21) * 0.05, 2)  # the explorer's spread: 0 to 1, step 0.05


def _squared_cost(p, spread, digit=3, rival=8):
    a = cost.spread_outputs(p, spread, digit, rival)
    return float(cost.example_cost(a, np.eye(10)[digit]))


def _explore_largest_squared(answer):
    try:
        guess = number(answer)
    except TypeError:
        return wrong(f"enter the squared cost the explorer shows, such as 0.5, not {answer!r}")
    costs = [_squared_cost(0.3, s) for s in SPREAD_SLIDER]
    largest = max(costs)  # at spread 0: 0.7^2 + 0.7^2 = 0.98
    at = SPREAD_SLIDER[int(np.argmax(costs))]
    if abs(guess - largest) <= 0.0015:  # the explorer shows three decimals
        return right(
            f"{largest:.3f}, at spread {at:g}: all 0.7 of the wrong probability on one "
            "look-alike digit. The right digit's miss (0.7^2) and the rival's (0.7^2) add, "
            "while cross-entropy stays at -log 0.3 = 1.204"
        )
    even = _squared_cost(0.3, 1.0)
    if abs(guess - even) <= 0.0015:
        return wrong(
            f"{even:.3f} is at spread 1, where nine digits share the wrong 0.7 evenly; "
            "drag the spread to the other end"
        )
    if abs(guess - 1.204) <= 0.0015:
        return wrong(
            "1.204 is cross-entropy, -log 0.3; it does not move with the spread. Read the "
            "squared cost"
        )
    if abs(guess - 0.49) <= 0.0015:
        return wrong("0.49 is the right digit's square alone; the wrong digits' squares add to it")
    if min(costs) < guess < largest:
        return wrong(
            "the squared cost passes that value on the way, but it grows further: drag the "
            "spread all the way to one end and to the other"
        )
    return wrong(
        "set p(right digit) to exactly 0.30, then drag the spread and read the squared cost"
    )


EXERCISES = {
    "02.1": Exercise(
        "02.1",
        "code",
        "write the cost of each example, for one example or a batch",
        _judge_example_cost,
        [
            "Follow the three lines above: differences, squares, sum.",
            "For a batch the outputs of one example are a row: sum over the last axis, "
            "axis=-1, so one example gives one number and a batch one per row.",
        ],
    ),
    "02.2": Exercise(
        "02.2",
        "predict",
        "predict the cost of a network that always answers 1 on every output",
        _predict_always_one,
        [
            "One output should be 1 and nine should be 0. What does each cost if it says 1?",
            "Use the formula in the list above with c = 1.",
        ],
    ),
    "02.3": Exercise(
        "02.3",
        "code",
        "write softmax for one example or a batch, without overflow",
        _judge_softmax,
        [
            "Follow the cell above: subtract the largest logit, exponentiate, divide by the sum.",
            "For a batch, do all three along the last axis, with keepdims=True, so that every "
            "row is handled on its own.",
        ],
    ),
    "02.4": Exercise(
        "02.4",
        "code",
        "write the slope of the squared cost (sigmoid(z) - 1)^2 with respect to z",
        _judge_mse_slope,
        [
            "Two steps: z gives a = sigmoid(z), then a gives the cost (a - 1)^2.",
            "Multiply the two steps' slopes: 2 (a - 1) for the parabola, a (1 - a) for the "
            "sigmoid.",
        ],
    ),
    "02.5": Exercise(
        "02.5",
        "predict",
        "predict how many times steeper cross-entropy is than the squared cost at p = 0.01",
        _predict_ratio,
        [
            "The two slopes are -2 p (1 - p)^2 and p - 1.",
            "Fill in p = 0.01 in both, then divide cross-entropy's by the squared cost's.",
        ],
    ),
    "02.6": Exercise(
        "02.6",
        "explore",
        "at p = 0.3, find the largest squared cost the spread slider can reach",
        _explore_largest_squared,
        [
            "Set p(right digit) to 0.30 and drag 'spread of wrong' from one end to the other.",
            "Watch the squared-differences panel: nine small bars or one big one?",
        ],
    ),
}

checker = Checker(EXERCISES)  # counts the hints shown in this session
check, hint = checker.check, checker.hint  # what the notebook calls
