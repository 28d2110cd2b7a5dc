"""Chapter 03's exercises: one step downhill, the loop, the edge of divergence, two valleys,
a measured gradient, the mini-batches of an epoch, and Adam's first step.

Each judge compares the reader's answer with the chapter's own math (nnlib.chapters.
ch03_gradient_descent) on several inputs and, when it is wrong, names the likely mistake.
The notebook calls check(id, answer) and hint(id).
"""

import functools

import numpy as np

from nnlib.chapters import ch03_gradient_descent as descent
from nnlib.exercises import Checker, Exercise, call, close, number, right, wrong

LR_NOTCH = 10**0.05  # the learning-rate slider moves by this factor per notch
W0_NOTCH = 0.05  # the start slider moves by this much per notch


# ---- 03.1 one step from w = 3 --------------------------------------------------------------


def _predict_one_step(answer):
    try:
        guess = number(answer)
    except TypeError:
        return wrong(f"enter a number such as 2.5, not {answer!r}")
    w, lr = 3.0, 0.3
    slope = float(descent.bowl_slope(w))  # 2 (w - 1) = 4
    if close(guess, w - lr * slope, 1e-3):
        return right(
            f"the slope at w = 3 is +{slope:g}, so the step goes left by lr x slope = "
            f"{lr * slope:.1f}: 3 - 1.2 = 1.8, closer to the minimum at 1"
        )
    if close(guess, w + lr * slope, 1e-3):
        return wrong(
            "wrong sign: you added lr x slope. A positive slope means the cost rises to the "
            "right, so the step goes left: w - lr * dL/dw"
        )
    if close(guess, w - slope, 1e-3):
        return wrong(
            "that is w minus the whole slope: you forgot the learning rate; the step is "
            "lr times the slope"
        )
    if close(guess, w - lr, 1e-3):
        return wrong("that step is lr itself; the step is lr times the slope, 2(w - 1) at w = 3")
    if close(guess, w - lr * (w - 1), 1e-3):
        return wrong(
            "that takes w - 1 as the slope; the slope of (w - 1)^2 is 2(w - 1), twice as much"
        )
    if close(guess, 1.0, 1e-3):
        return wrong(
            "1 is the minimum, but one step does not jump straight there: it moves by "
            "lr times the slope and lands short of it"
        )
    return wrong("not quite; use w <- w - lr * dL/dw with w = 3, lr = 0.3 and dL/dw = 2(w - 1)")


# ---- 03.2 the loop -------------------------------------------------------------------------


def _loop(slope, w0, lr, n_steps, rule):
    w, path = float(w0), [float(w0)]
    for _ in range(n_steps):
        w = rule(w, slope, lr, w0)
        path.append(w)
    return np.array(path)


MISTAKES_LOOP = {  # the name of a mistake -> the step it takes instead of w - lr * slope(w)
    "wrong sign": lambda w, s, lr, w0: w + lr * float(s(w)),
    "no lr": lambda w, s, lr, w0: w - float(s(w)),
    "slope at the start": lambda w, s, lr, w0: w - lr * float(s(w0)),
}
LOOP_CASES = [  # slope function, w0, lr, n_steps
    (descent.bowl_slope, -1.5, 0.3, 12),
    (descent.bowl_slope, 3.0, 0.85, 5),  # overshoots
    (descent.two_valleys_slope, 0.5, 0.05, 6),
    (lambda w: 2.0, 0.0, 0.5, 3),  # a constant slope: -1 per step
    (descent.bowl_slope, 2.0, 0.1, 0),  # no steps: the path is the start alone
]


def _judge_descend(f):
    for slope, w0, lr, n_steps in LOOP_CASES:
        got = call(f, slope, w0, lr, n_steps)
        if got is None:
            return None
        want = _loop(slope, w0, lr, n_steps, lambda w, s, lr, w0: w - lr * float(s(w)))
        try:
            got = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return wrong(f"return a list of numbers w_0, ..., w_n; got {type(got).__name__}")
        if got.ndim == 0:
            return wrong(
                "you returned one number; return the whole path, a list that starts with w0 "
                "and holds every w after it"
            )
        if got.ndim != 1:
            return wrong(f"return a flat list of numbers; got an array of shape {got.shape}")
        n = len(want)
        if len(got) == n - 1 and np.allclose(got, want[1:]):
            return wrong(f"the path must start with w0 itself; with {n_steps} steps it holds {n}")
        if len(got) == n - 1 and np.allclose(got, want[:-1]):
            return wrong(f"one step short: {n_steps} steps make {n} points, w_0 to w_{n_steps}")
        if len(got) == n + 1:
            return wrong(f"one step too many: {n_steps} steps make {n} points, w_0 to w_{n_steps}")
        if len(got) != n:
            return wrong(f"with n_steps = {n_steps} the path holds {n} points, got {len(got)}")
        if np.allclose(got, want):
            continue
        for mistake, rule in MISTAKES_LOOP.items():
            if np.allclose(got, _loop(slope, w0, lr, n_steps, rule)):
                return wrong(
                    {
                        "wrong sign": "wrong sign: your path climbs. Subtract lr x slope",
                        "no lr": "you forgot the learning rate: the step is lr x slope",
                        "slope at the start": (
                            "you used the slope at w0 for every step; ask for the slope again "
                            "at each new w"
                        ),
                    }[mistake]
                )
        return wrong(
            f"for w0 = {w0}, lr = {lr} the path should go {np.round(want[:3], 4).tolist()}..., "
            f"got {np.round(got[:3], 4).tolist()}..."
        )
    return right(
        "right on the bowl, with overshooting, on the two valleys, for a constant slope and "
        "for zero steps"
    )


# ---- 03.3 where descent on the bowl starts to diverge --------------------------------------


def _explore_diverge(answer):
    try:
        lr = number(answer)
    except TypeError:
        return wrong(f"enter the slider's number, such as 0.5, not {answer!r}")
    # Each step multiplies the distance to the minimum by r = 1 - lr * L'' (L'' = 2 on the bowl):
    # |r| > 1 grows, so the edge is lr = 2 / L'' = 1. One notch of the slider is the tolerance.
    edge = 2 / 2.0
    r = 1 - 2 * lr
    if edge - 1e-9 <= lr <= edge * LR_NOTCH + 1e-9:
        return right(
            "at lr = 1 the factor r = 1 - 2 lr is -1: each jump lands exactly as far from 1 as "
            "the last, forever; above 1, |r| > 1 and every jump lands farther out"
        )
    if lr > edge:
        return wrong(
            f"it diverges there (r = {r:.2f}, |r| > 1), but so do smaller learning rates: move "
            "left, one notch at a time, until the label stops saying diverging"
        )
    if 0.5 / LR_NOTCH <= lr <= 0.5 * LR_NOTCH:
        return wrong(
            "near 0.5 the factor r = 1 - 2 lr is 0: one step lands right on the minimum, and "
            "above it the runs start to overshoot; diverging starts later, where r reaches -1"
        )
    if lr > 0.5:
        return wrong(
            f"at {lr:g} it overshoots but still converges: r = 1 - 2 lr = {r:.2f}, so each jump "
            "lands closer; raise the learning rate further"
        )
    if lr > 0:
        return wrong(
            f"at {lr:g} it does not even jump past the minimum (r = {r:.2f} > 0); raise the "
            "learning rate until the label says diverging"
        )
    return wrong("a learning rate is a positive number; read it off the slider")


# ---- 03.4 where the run switches valleys ---------------------------------------------------


def _hump():
    """The top of the hump: the middle root of dL/dw = w^3 - 2w + 0.3."""
    return float(np.sort(np.roots([1.0, 0.0, -2.0, 0.3]).real)[1])


def _valley_of(w0):
    path, _ = descent.gradient_descent_1d(descent.two_valleys_slope, w0, 0.05, 300)
    left, _ = descent.two_valleys_minima()
    return "left" if abs(path[-1] - left) < 0.1 else "right"


def _explore_switch(answer):
    try:
        w0 = number(answer)
    except TypeError:
        return wrong(f"enter the slider's number, such as 0.5, not {answer!r}")
    hump = _hump()
    left, right_min = descent.two_valleys_minima()
    if abs(w0 - hump) <= W0_NOTCH + 1e-9:
        return right(
            f"the runs switch at the top of the hump, w = {hump:.3f}, where the slope "
            "w^3 - 2w + 0.3 is zero: left of it the slope is positive and descent rolls left, "
            "right of it descent rolls right"
        )
    if abs(w0 - left) < 0.1 or abs(w0 - right_min) < 0.1:
        return wrong(
            "that is the bottom of a valley, where a run ends; look for the start where the "
            "ending valley changes"
        )
    if abs(w0) < 0.1:
        return wrong(
            "close, but the hump is not at 0: the term 0.3 w tilts the curve, and at w = 0 the "
            "slope is +0.3, so a start there still rolls left; move right"
        )
    side = _valley_of(w0)
    return wrong(
        f"a start at {w0:g} ends in the {side} valley; move the start towards the hump, a notch "
        "at a time, until the run ends in the other valley"
    )


# ---- 03.5 the gradient, measured -----------------------------------------------------------


def _cubic(theta):  # L(w, b) = w^3 + 2 w b - b^2
    return theta[0] ** 3 + 2 * theta[0] * theta[1] - theta[1] ** 2


def _three(theta):  # three parameters, each with its own curvature
    return np.sin(theta[0]) * theta[1] + 0.5 * theta[2] ** 2 + theta[0] * theta[2]


def _one(theta):
    return np.exp(theta[0])


GRAD_CASES = [  # cost, theta, h
    (_cubic, np.array([1.0, -2.0]), 1e-3),
    (_three, np.array([0.4, -1.0, 2.0]), 1e-3),
    (_one, np.array([0.5]), 1e-3),
    (_cubic, np.array([-2.0, 4.0]), 1e-4),
]


def _measure(cost, theta, h, one_sided=False, all_at_once=False, over=2.0):
    grad = np.zeros_like(theta)
    for i in range(len(theta)):
        e = np.ones_like(theta) if all_at_once else np.eye(len(theta))[i]
        if one_sided:
            grad[i] = (cost(theta + h * e) - cost(theta)) / h
        else:
            grad[i] = (cost(theta + h * e) - cost(theta - h * e)) / (over * h)
    return grad


def _judge_gradient(f):
    for cost, theta, h in GRAD_CASES:
        given = theta.copy()
        got = call(f, cost, given, h)
        if got is None:
            return None
        if not np.allclose(given, theta, rtol=1e-12, atol=1e-12):  # put back exactly is fine
            return wrong(
                "your function changed the theta it was given; nudge a copy "
                "(theta.copy()), so the caller's parameters stay where they were"
            )
        try:
            got = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            return wrong(f"return an array of numbers, one per parameter; got {got!r}")
        if got.shape != theta.shape:
            return wrong(
                f"the gradient has one entry per parameter: shape {theta.shape} for theta "
                f"of shape {theta.shape}, got {got.shape}"
            )
        want = _measure(cost, theta, h)
        if np.allclose(got, want, rtol=1e-7, atol=1e-9):
            continue
        if np.allclose(got, 2 * want, rtol=1e-6):
            return wrong("twice too large: the two points theta - h and theta + h are 2h apart")
        if np.allclose(got, _measure(cost, theta, h, one_sided=True), rtol=1e-7):
            return wrong(
                "that is the one-sided difference (L(theta + h) - L(theta)) / h; look both ways, "
                "L(theta + h) - L(theta - h), and divide by 2h: it is far more accurate"
            )
        if np.allclose(got, _measure(cost, theta, h, all_at_once=True), rtol=1e-6):
            return wrong(
                "you nudged every parameter at once; a partial derivative nudges one "
                "parameter and holds the others still"
            )
        return wrong(
            f"for theta = {theta.tolist()} and h = {h} the measured gradient should be "
            f"{np.round(want, 5).tolist()}, got {np.round(got, 5).tolist()}"
        )
    return right("right for two, three and one parameters: one parameter nudged at a time")


# ---- 03.6 the mini-batches of one epoch ----------------------------------------------------

BATCH_CASES = [(2115, 16), (10, 3), (12, 4), (7, 1), (5, 5)]  # (n examples, batch size)


def _judge_batches(f):
    for n, batch_size in BATCH_CASES:
        got = call(f, n, batch_size, np.random.default_rng(1))
        if got is None:
            return None
        try:
            batches = [np.asarray(b) for b in got]
        except TypeError:
            return wrong(f"return a list of index arrays, one per batch; got {got!r}")
        if any(b.ndim != 1 for b in batches):
            return wrong("each batch is a 1-D array of example indices")
        sizes = [len(b) for b in batches]
        n_batches = n // batch_size
        if len(batches) == n_batches + 1 and sizes[-1] == n % batch_size:
            return wrong(
                f"you kept the short batch of {n % batch_size} at the end; the chapter takes "
                f"{n_batches} batches of exactly {batch_size} and leaves the rest for the next "
                "epoch's shuffle"
            )
        if any(s != batch_size for s in sizes):
            return wrong(f"for batch_size = {batch_size} every batch must hold {batch_size}")
        if len(batches) != n_batches:
            return wrong(f"{n} examples make {n_batches} batches of {batch_size}, got {sizes}")
        every = np.concatenate(batches) if batches else np.zeros(0, int)
        if not np.issubdtype(every.dtype, np.integer):
            return wrong("the indices must be integers, to pick rows with x[idx]")
        if every.min() < 0 or every.max() >= n:
            return wrong(f"indices of {n} examples run from 0 to {n - 1}")
        if len(np.unique(every)) < len(every):
            return wrong(
                "an example appears twice in one epoch. Drawing each batch afresh (as the "
                "chapter's first SGD loop does) repeats examples; an epoch shuffles once and "
                "then cuts the shuffled order into batches"
            )
        if n_batches > 1 and np.array_equal(every, np.arange(len(every))):
            return wrong("the batches take the examples in order; shuffle them first, with rng")
        again = call(f, n, batch_size, np.random.default_rng(1))
        if not all(np.array_equal(a, np.asarray(b)) for a, b in zip(batches, again, strict=False)):
            return wrong(
                "two calls with the same seed gave different batches: draw the shuffle from "
                "the rng you are given, not from np.random"
            )
    return right(
        "every example at most once per epoch, in shuffled batches of equal size, the same "
        "for the same seed (2115 examples make 132 batches of 16)"
    )


# ---- 03.7 Adam's first step ----------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _start_gradient():
    x, y = descent.load_zeros_and_ones()
    return descent.logistic_gradient(descent.START, x, y)  # both entries positive


def _predict_adam_first(answer):
    try:
        guess = number(answer)
    except TypeError:
        return wrong(f"enter a number such as -2.5, not {answer!r}")
    w0 = float(descent.START[0])
    # The first step: m_hat = g and s_hat = g^2, so each parameter moves by lr * g / |g| = lr.
    if close(guess, w0 - 1.0, 1e-4):
        return right(
            "after one step m_hat = g and s_hat = g^2, so w moves by lr * g / |g|: exactly lr = 1 "
            "against the sign of its gradient, however small the gradient is"
        )
    if close(guess, w0 + 1.0, 1e-4):
        return wrong(
            "the right size, the wrong way: dL/dw is positive at the start, so w goes down"
        )
    if close(guess, w0, 1e-4):
        return wrong("Adam moves at once: m and s start at 0, but the first gradient fills both")
    if close(guess, w0 - 1.0 / np.sqrt(0.1**2 / 0.001), 1e-3) or close(guess, -5.162, 1e-3):
        return wrong(
            "that forgets the bias correction: m = 0.1 g and s = 0.001 g^2 after one step, but "
            "both are divided by 1 - beta^k first, which undoes the start at 0"
        )
    if close(guess, float(descent.START[1]) - 1.0, 1e-4):
        return wrong("3 is where b goes; the question asks for w")
    g_w = float(_start_gradient()[0])
    if close(guess, w0 - g_w, 1e-3):
        return wrong(
            f"that is plain descent's step, lr x dL/dw = {g_w:.3f}; Adam divides the gradient "
            "by the square root of its running square first"
        )
    return wrong("not quite; work out m_hat / sqrt(s_hat) after one step, for one parameter")


EXERCISES = {
    "03.1": Exercise(
        "03.1",
        "predict",
        "predict where one step from w = 3 with lr = 0.3 lands",
        _predict_one_step,
        [
            "First the slope at w = 3: dL/dw = 2(w - 1).",
            "A positive slope means step left, by lr times the slope.",
        ],
    ),
    "03.2": Exercise(
        "03.2",
        "code",
        "write the descent loop: the path w_0 ... w_n for any slope function",
        _judge_descend,
        [
            "Start the path with w0; then, n_steps times, update w and append it.",
            "The update asks slope(w) at the current w, every step: w = w - lr * slope(w).",
        ],
    ),
    "03.3": Exercise(
        "03.3",
        "explore",
        "find the learning rate where descent on the bowl starts to diverge",
        _explore_diverge,
        [
            "Keep the bowl and the start; move only the learning rate, from 0.5 upwards.",
            "Watch the label: it goes from overshooting to diverging at one notch.",
        ],
    ),
    "03.4": Exercise(
        "03.4",
        "explore",
        "find the start w0 where the run switches valleys",
        _explore_switch,
        [
            "Keep lr = 0.05 and move only the start, a notch at a time, between 0 and 0.5.",
            "The switch is where the slope w^3 - 2w + 0.3 changes sign.",
        ],
    ),
    "03.5": Exercise(
        "03.5",
        "code",
        "write numerical_gradient(cost, theta, h) for any number of parameters",
        _judge_gradient,
        [
            "Loop over the parameters; for parameter i build a vector e of zeros with a 1 at i.",
            "Entry i is (cost(theta + h e) - cost(theta - h e)) / (2h).",
        ],
    ),
    "03.6": Exercise(
        "03.6",
        "code",
        "write epoch_batches(n, batch_size, rng): one epoch of shuffled mini-batches",
        _judge_batches,
        [
            "Shuffle all n indices once with rng.permutation(n).",
            "Then cut that order into pieces of batch_size; n // batch_size of them.",
        ],
    ),
    "03.7": Exercise(
        "03.7",
        "predict",
        "predict w after Adam's first step from the start, lr = 1",
        _predict_adam_first,
        [
            "After one step, what are m and s (with beta1 = 0.9, beta2 = 0.999), and m_hat "
            "and s_hat after the division by 1 - beta^1?",
            "m_hat / sqrt(s_hat) for one number g is g / |g|.",
        ],
    ),
}

checker = Checker(EXERCISES)  # counts the hints shown in this session
check, hint = checker.check, checker.hint  # what the notebook calls
