"""Chapter 04's exercises: one chain of slopes, the nudges, one layer's backward pass, the
vanishing gradient and choosing settings without the test set.

Each judge compares the reader's answer with the chapter's own math (nnlib.chapters.
ch04_backpropagation) on several inputs and, when it is wrong, names the likely mistake. The
slider and vanishing-gradient answers are measured with the chapter's functions on the
chapter's data, once per session (the small network they need is trained once, in well under a
second, and the notebook has trained it already). The notebook calls check(id, answer) and
hint(id).
"""

import functools
import math

import numpy as np

from nnlib import functional as F
from nnlib.chapters import ch04_backpropagation as backprop
from nnlib.exercises import (
    Checker,
    Exercise,
    ReadersError,
    call,
    close,
    number,
    right,
    wrong,
)


def _near(a, b):
    """Equal to float rounding, also for the tiny slopes of a saturated sigmoid."""
    try:
        return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-12)
    except (TypeError, ValueError):
        return False


# ---- 04.1 the sign of dC/dw -------------------------------------------------------------------


def _sign_word(answer):
    if isinstance(answer, str):
        word = answer.strip().strip(".!").lower()
        for sign, words in (
            ("negative", ("negative", "neg", "-", "minus", "below zero", "< 0")),
            ("positive", ("positive", "pos", "+", "plus", "above zero", "> 0")),
            ("zero", ("zero", "0", "none")),
        ):
            if word in words:
                return sign
        return None
    value = number(answer)  # a number stands for its sign
    return "negative" if value < 0 else "positive" if value > 0 else "zero"


def _predict_sign(answer):
    try:
        sign = _sign_word(answer)
    except TypeError:
        sign = None
    if sign is None:
        return wrong(f'enter the word "positive" or "negative", not {answer!r}')
    if sign == "negative":
        return right(
            "a_k > 0 (a sigmoid's output) and sigma'(z) > 0, while a_j is below its target "
            "y_j = 1, so dC/da_j = 2(a_j - 1) < 0: the product is negative. One step of "
            "gradient descent, w - lr * dC/dw, therefore raises w, and with it a_j"
        )
    if sign == "positive":
        return wrong(
            "two of the three links are positive (a_k is a sigmoid's output, and sigma' > 0), "
            "but the third, dC/da_j = 2(a_j - y_j), is negative: a_j is below its target "
            "y_j = 1, so raising a_j lowers the cost"
        )
    return wrong(
        "it would be 0 only if a_k were 0 or the sigmoid were flat; a sigmoid's output is "
        "never exactly 0, and this output neuron is far from its target y_j = 1"
    )


# ---- 04.2 the chain of three links ---------------------------------------------------------

CHAIN_CASES = [  # (a_k, z, y_j): a right output, a wrong one, a silent neuron, a saturated one
    (0.8, 0.5, 1.0),
    (0.3, -2.0, 0.0),
    (0.6, 1.5, 0.0),
    (0.0, 1.0, 1.0),
    (0.9, 8.0, 1.0),
]


def _judge_chain(f):
    for a_k, z, y_j in CHAIN_CASES:
        got = call(f, a_k, z, y_j)
        if got is None:
            return None
        try:
            got = float(got)
        except (TypeError, ValueError):
            return wrong(f"return one number, dC/dw; for {(a_k, z, y_j)} you returned {got!r}")
        a = float(F.sigmoid(z))
        slope = a * (1 - a)
        want = a_k * slope * 2 * (a - y_j)
        if _near(got, want):
            continue
        where = f"for a_k = {a_k}, z = {z}, y_j = {y_j}"
        mistakes = [
            (a_k * 2 * (a - y_j), "you left out the middle link, da/dz = sigma'(z)"),
            (
                a_k * a * 2 * (a - y_j),
                "the middle link is the sigmoid's slope sigma(z) (1 - sigma(z)), not sigma(z)",
            ),
            (
                a_k * slope * 2 * (y_j - a),
                "wrong sign: C = (a - y)^2, so dC/da = 2(a - y), not 2(y - a)",
            ),
            (a_k * slope * (a - y_j), "you lost the 2: the slope of (a - y)^2 is 2(a - y)"),
            (
                a_k * slope * 2 * (z - y_j),
                "the last link uses the activation a = sigma(z), not the weighted sum z",
            ),
            (slope * 2 * (a - y_j), "you left out the first link, dz/dw = a_k"),
            (a_k + slope + 2 * (a - y_j), "the three slopes multiply; you added them"),
            (
                a_k * slope * 2 * (a - 1),
                "you used the target 1 for every output; y_j is 1 only for the right digit, "
                "0 for the nine others",
            ),
        ]
        for value, message in mistakes:
            if _near(got, value) and not _near(value, want):
                return wrong(f"{where}: {message}")
        return wrong(
            f"{where}, dC/dw = a_k sigma'(z) 2(a - y_j) = {want:.6g}; you returned {got!r}"
        )
    return right(
        "a_k sigma'(z) 2(a - y_j) for a right and a wrong output, a silent neuron (a_k = 0, "
        "so the weight gets no gradient) and a saturated one (sigma' almost 0)"
    )


# ---- 04.3 the nudge explorer ---------------------------------------------------------------

SLIDER = np.round(np.arange(-1.0, 1.0001, 0.05), 2)  # the panel's eps sliders: -1 to 1, step 0.05


@functools.lru_cache(maxsize=1)
def _panel():
    """The digit and output neuron the nudge explorer opens with, on its network."""
    Ws, bs = backprop.small_network()
    X, y = backprop.small_data()[2:]
    i = backprop.least_sure_example(Ws, bs, X, y)
    label = int(y[i])
    return Ws, bs, X[i], label


def _cost_change(eps_a):
    Ws, bs, x, label = _panel()
    return backprop.nudge_effects(Ws, bs, x, label, label, eps_a, 0.0, 0.0)["delta_C"][
        "activations"
    ]


@functools.lru_cache(maxsize=1)
def _best_nudge():
    changes = np.array([_cost_change(e) for e in SLIDER])  # (41,)
    k = int(np.argmin(changes))
    return float(SLIDER[k]), float(changes[k])


def _explore_best_nudge(answer):
    try:
        eps = number(answer)
    except TypeError:
        return wrong(f"enter the slider's number, such as 0.5, not {answer!r}")
    if not -1.0 <= eps <= 1.0:
        return wrong("the activations slider runs from -1 to 1; enter a value in that range")
    best_eps, best = _best_nudge()
    change = _cost_change(eps)
    if change <= 0.8 * best:  # within 80% of the largest drop the slider can reach
        return right(
            f"at {eps:g} the cost falls by {-change:.3f}; the largest drop on the slider is "
            f"{-best:.3f}, at {best_eps:g}. A small nudge lifts a_j enough; a larger one lifts "
            "it to 1 but also raises the other nine outputs, which share the hidden neurons"
        )
    if eps == 0:
        return wrong("at 0 nothing moves; drag the activations slider and read its row of C")
    if abs(eps - 0.3) < 0.026:
        return wrong(
            f"0.3 is where the panel starts: a_j is almost 1 there, yet the cost falls by only "
            f"{-change:.3f}. Try smaller nudges"
        )
    if eps < 0:
        if change < 0:
            return wrong(
                f"the cost does fall there (by {-change:.3f}): pushing the hidden neurons "
                "against w_j pulls the other outputs down too. But a positive nudge, which "
                "raises a_j, lowers it more"
            )
        return wrong(
            f"the cost rises there (by {change:.3f}): a negative nudge lowers a_j, and this "
            "digit's a_j should go up"
        )
    if eps < best_eps:
        return wrong(
            f"the right direction: the cost falls by {-change:.3f}; a slightly larger nudge "
            "lowers it more"
        )
    return wrong(
        f"too large: a_j is close to 1 there, but the cost "
        f"{'falls by only' if change < 0 else 'even rises by'} {abs(change):.3f}, because "
        "the other nine outputs rose as well. Try smaller nudges"
    )


# ---- 04.4 counting the parameters --------------------------------------------------------------

PARAMETER_CASES = [
    [784, 16, 16, 10],
    [784, 32, 10],
    [784, 128, 10],
    [2, 3, 1],
    [784, 10],
    [1, 1],
    [5],
]


def _judge_n_parameters(f):
    for sizes in PARAMETER_CASES:
        try:
            got = call(f, list(sizes))
        except ReadersError as error:
            if isinstance(error.__cause__, IndexError):
                return wrong(
                    f"{error}. Your function must work for any number of layers: go over the "
                    "pairs of neighbouring sizes, however many there are"
                )
            raise
        if got is None:
            return None
        pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
        weights = sum(n_in * n_out for n_in, n_out in pairs)
        want = weights + sum(sizes[1:])
        if isinstance(got, (bool, float, np.floating)) or not isinstance(got, (int, np.integer)):
            if isinstance(got, (float, np.floating)) and got == want:
                return wrong(
                    f"the count is right but it is a float ({got!r}); a number of parameters "
                    "is a whole number: return an int"
                )
            return wrong(f"return one whole number; for {sizes} you returned {got!r}")
        if got == want:
            continue
        mistakes = [
            (weights, "you counted the weights but forgot the biases, one per neuron"),
            (want + sizes[0], "the input pixels have no bias, only the neurons after them do"),
            (
                weights + sum(sizes[:-1]),
                "each bias belongs to a neuron of the layer it feeds: n_out biases, not n_in",
            ),
            (sum(sizes), "that is the number of neurons, not of weights and biases"),
            (math.prod(sizes), "weights connect neighbouring layers only, not all layers at once"),
        ]
        if len(sizes) > 2:
            first = sizes[0] * sizes[1] + sizes[1]
            mistakes.append((first, "that is the first layer alone; add up every layer"))
        for value, message in mistakes:
            if got == value:
                return wrong(f"{message} (for {sizes} the count is {want}, you returned {got})")
        return wrong(
            f"for {sizes} there are {want} parameters, you returned {got}: each layer has "
            "n_in * n_out weights and n_out biases"
        )
    return right(
        "n_in * n_out weights and n_out biases per layer: 13,002 for 784-16-16-10, 101,770 for "
        "784-128-10, and 0 for a network with no layer"
    )


# ---- 04.5 one ReLU layer's backward pass ---------------------------------------------------

LAYER_CASES = [(4, 3, 2), (1, 5, 3), (3, 4, 4), (6, 2, 5)]  # (B, n_in, n_out); one square


def _layer_inputs(B, n_in, n_out, rng):
    delta = rng.normal(size=(B, n_out))  # dL/dZ of this layer
    Z_prev = rng.normal(size=(B, n_in))  # the ReLU layer below: about half negative
    A_prev = np.maximum(Z_prev, 0)  # its activations, this layer's input
    W = rng.normal(size=(n_out, n_in))
    return delta, A_prev, W, Z_prev


def _judge_relu_layer(f):
    rng = np.random.default_rng(4)
    for B, n_in, n_out in LAYER_CASES:
        delta, A_prev, W, Z_prev = _layer_inputs(B, n_in, n_out, rng)
        try:
            out = call(f, delta.copy(), A_prev.copy(), W.copy(), Z_prev.copy())
        except ReadersError as error:
            if isinstance(error.__cause__, ValueError) and "matmul" in str(error.__cause__):
                return wrong(
                    f"a matrix product in your function raised ValueError: its shapes do not "
                    f"fit. Here delta is {delta.shape} (B, n_out), A_prev and Z_prev are "
                    f"{A_prev.shape} (B, n_in) and W is {W.shape} (n_out, n_in); write the "
                    "shapes next to each product"
                )
            raise
        if out is None:
            return None
        if not (isinstance(out, (tuple, list)) and len(out) == 3):
            return wrong("return three arrays: dW, db, delta_prev")
        dW, db, delta_prev = (np.asarray(x, dtype=float) for x in out)
        where = f"(for a batch of {B}, a layer {n_in} -> {n_out})"
        want_W, want_b = delta.T @ A_prev, delta.sum(axis=0)
        active = Z_prev > 0
        want_prev = (delta @ W) * active
        if dW.shape != W.shape or not np.allclose(dW, want_W):
            if dW.shape == (n_in, n_out) and np.allclose(dW, want_W.T):
                return wrong(
                    f"dW is transposed {where}: it must have W's shape (n_out, n_in), "
                    "which delta.T @ A_prev has"
                )
            if dW.shape == W.shape and np.allclose(dW * B, want_W):
                return wrong(
                    f"dW is divided by the batch size {where}: the 1/B is already inside "
                    "delta; the product adds the examples' wishes up"
                )
            if dW.shape != W.shape:
                return wrong(f"dW must have W's shape {W.shape} {where}; got {dW.shape}")
            return wrong(f"dW has the right shape but wrong numbers {where}: dW = delta^T A_prev")
        if db.shape != want_b.shape or not np.allclose(db, want_b):
            if db.shape == (B,) and np.allclose(db, delta.sum(axis=1)):
                return wrong(
                    f"db is summed over the wrong axis {where}: one number per neuron, so add "
                    "the rows of delta up (over the batch, axis=0)"
                )
            if db.shape == want_b.shape and np.allclose(db * B, want_b):
                return wrong(
                    f"db is the mean of the rows {where}; it is their sum (the 1/B is already "
                    "inside delta)"
                )
            if db.size == n_out and np.allclose(db.ravel(), want_b):
                return wrong(
                    f"the right numbers in shape {db.shape} {where}: db has b's shape "
                    f"({n_out},), so sum without keepdims"
                )
            return wrong(f"db must be delta's rows added up, shape ({n_out},) {where}")
        if delta_prev.shape != want_prev.shape:
            return wrong(
                f"delta_prev must have shape (B, n_in) = {want_prev.shape} {where}, got "
                f"{delta_prev.shape}: delta (B, n_out) @ W (n_out, n_in)"
            )
        if np.allclose(delta_prev, want_prev):
            continue
        s = F.sigmoid(Z_prev)
        mistakes = [
            (delta @ W, "you left out ReLU's slope: multiply by 1 where Z_prev > 0, else by 0"),
            (
                (delta @ W) * s * (1 - s),
                "that is the sigmoid's slope; ReLU's is 1 where Z_prev > 0 and 0 elsewhere",
            ),
            (
                (delta @ W) * A_prev,
                "you multiplied by the activation max(0, Z_prev) itself; multiply by its "
                "slope, 1 where Z_prev > 0 and 0 elsewhere",
            ),
            ((delta @ W) * ~active, "the slope is the wrong way round: 1 where Z_prev > 0"),
            ((delta @ W.T) * active if n_in == n_out else None, "use W, not W.T: "),
        ]
        for value, message in mistakes:
            if value is not None and np.allclose(delta_prev, value):
                return wrong(f"{message} {where}")
        return wrong(
            f"delta_prev has the right shape but wrong numbers {where}: "
            "(delta W) times ReLU's slope at Z_prev"
        )
    return right(
        "dW = delta^T A_prev, db = the rows of delta added up, delta_prev = (delta W) times "
        "(Z_prev > 0); right for four layers, one with a single example and one square"
    )


# ---- 04.6 the vanishing gradient -------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _shrink():
    """First layer's gradient norm over the last one's, sigmoid network: the next cell's number."""
    X, y = backprop.small_data()[:2]  # the same first 256 training digits as the chapter's
    norms = backprop.gradient_norms_by_layer(
        "sigmoid", X[:256].astype(np.float64), y[:256], np.random.default_rng(0)
    )
    return float(norms[0] / norms[-1])


def _predict_shrink(answer):
    try:
        guess = number(answer)
    except TypeError:
        return wrong(f"enter a number such as 1e-2, not {answer!r}")
    measured = math.log10(_shrink())
    bound = 8 * math.log10(0.25)  # sigma' <= 1/4, eight hidden layers: (1/4)^8 = 1.5e-5
    if guess <= 0:
        if guess < 0 and guess > -20:
            return wrong(
                f"enter the ratio itself, a positive number: {guess:g} looks like a number of "
                f"factors of ten, and 10**({guess:g}) is the ratio"
            )
        return wrong("a ratio of two sizes (norms) is positive; enter a number such as 1e-2")
    orders = math.log10(guess)
    if abs(orders - measured) <= 1.5:
        return right(
            f"the next cell shows about 10^{measured:.1f}. Each layer back multiplies the error "
            f"by sigma' <= 1/4: eight hidden layers give (1/4)^8 = 10^{bound:.1f} at most, and "
            "the small starting weights shrink it further"
        )
    if close(guess, 1, 0.3):
        return wrong(
            "the same size? Every layer back, the error is multiplied by sigma'(z), which is "
            "at most 1/4"
        )
    if guess > 1:
        return wrong(
            "the first layer is the farthest from the cost: its error has been multiplied by "
            "sigma' <= 1/4 once for every layer on the way back, so its gradient is the smaller"
        )
    if close(guess, 0.25, 0.1):
        return wrong(
            "1/4 is one layer's factor; the error passes back through eight hidden layers, and "
            "the factors multiply"
        )
    if orders > measured:
        return wrong(
            f"the right direction, but not small enough: eight factors of at most 1/4 give "
            f"(1/4)^8 = 10^{bound:.1f} already"
        )
    return wrong(
        f"smaller than that: each layer multiplies by at most 1/4, and (1/4)^8 = 10^{bound:.1f};"
        " the weights shrink it only by a factor of ten or so more"
    )


# ---- 04.7 choosing a setting ----------------------------------------------------------------

SETTINGS = [  # each: setting -> accuracies measured by a colleague, on all three sets
    {
        "lr 0.01, 32 hidden": {"train_acc": 0.13, "val_acc": 0.12, "test_acc": 0.11},
        "lr 3, 32 hidden": {"train_acc": 0.95, "val_acc": 0.915, "test_acc": 0.90},
        "lr 3, 64 hidden": {"train_acc": 0.99, "val_acc": 0.89, "test_acc": 0.895},
        "lr 1, 64 hidden": {"train_acc": 0.94, "val_acc": 0.905, "test_acc": 0.925},
    },
    {
        "4 hidden": {"train_acc": 0.70, "val_acc": 0.68, "test_acc": 0.69},
        "16 hidden": {"train_acc": 0.93, "val_acc": 0.88, "test_acc": 0.91},
        "32 hidden": {"train_acc": 0.97, "val_acc": 0.905, "test_acc": 0.89},
        "64 hidden": {"train_acc": 1.00, "val_acc": 0.895, "test_acc": 0.88},
    },
    {"lr 3": {"train_acc": 0.96, "val_acc": 0.91, "test_acc": 0.90}},
    {  # the usual case: the test set has not been opened yet
        "batch 16": {"train_acc": 0.98, "val_acc": 0.90},
        "batch 64": {"train_acc": 0.95, "val_acc": 0.92},
        "batch 256": {"train_acc": 0.80, "val_acc": 0.79},
    },
]


def _by(results, key, best=max):
    return best(results, key=lambda name: results[name][key])


def _judge_choose(f):
    for results in SETTINGS:
        copy = {name: dict(accs) for name, accs in results.items()}
        try:
            got = call(f, copy)
        except ReadersError as error:
            if isinstance(error.__cause__, KeyError) and "test_acc" in str(error.__cause__):
                return wrong(
                    "your function reads test_acc, which here is not measured yet: you used "
                    "the test set to choose. Choose by validation accuracy alone"
                )
            raise
        if got is None:
            return None
        want = _by(results, "val_acc")
        if isinstance(got, str) and got == want:
            continue
        if isinstance(got, str) and got in results:
            if "test_acc" in results[want] and got == _by(results, "test_acc"):
                return wrong(
                    f"you chose {got!r}, the best on the test set: you used the test set to "
                    "choose, so its number now flatters that setting. Choose by validation "
                    "accuracy; the test set is measured once, at the end"
                )
            if got == _by(results, "train_acc"):
                return wrong(
                    f"you chose {got!r}, the best on its own training digits: that rewards the "
                    "network that memorised them most (overfitting). Compare on the validation "
                    "digits"
                )
            if got == _by(results, "val_acc", min):
                return wrong(f"you chose {got!r}, the lowest validation accuracy; keep the highest")
            return wrong(f"you chose {got!r}; keep the one with the highest validation accuracy")
        if isinstance(got, (int, float, np.number)) and not isinstance(got, bool):
            return wrong(f"you returned a number ({got!r}); return the setting's name, a key")
        if isinstance(got, (tuple, list)) and len(got) == 2 and str(got[0]) in results:
            return wrong(
                "you returned a pair (name, accuracies), as items() gives them; return only "
                "the name"
            )
        if isinstance(got, (tuple, list)):
            return wrong(f"you returned {got!r}; return only the setting's name")
        return wrong(f"return one of the names {sorted(results)}, not {got!r}")
    return right(
        "chosen by validation accuracy alone, also when the test set has not been measured; "
        "the test set stays an honest estimate"
    )


EXERCISES = {
    "04.1": Exercise(
        "04.1",
        "predict",
        "predict the sign of dC/dw for the digit's own output neuron",
        _predict_sign,
        [
            "Look at the three links one at a time: which of them can be negative?",
            "a_j is a sigmoid's output, below 1, and its target y_j is 1.",
        ],
    ),
    "04.2": Exercise(
        "04.2",
        "code",
        "write dC/dw of one last-layer weight from a_k, z and y_j",
        _judge_chain,
        [
            "Compute a = sigma(z) first (F.sigmoid), then the three links.",
            "The links are dz/dw, da/dz and dC/da; the chain rule multiplies them.",
        ],
    ),
    "04.3": Exercise(
        "04.3",
        "explore",
        "find the activation nudge that lowers the example's cost most",
        _explore_best_nudge,
        [
            "Read the row 'activations' in the table under the figure: its change of C.",
            "Go below the starting 0.3 in steps of 0.05 and watch the change of C.",
        ],
    ),
    "04.4": Exercise(
        "04.4",
        "code",
        "write n_parameters(sizes): the number of weights and biases",
        _judge_n_parameters,
        [
            "A layer from n_in to n_out neurons has a W of shape (n_out, n_in) and a b of "
            "shape (n_out,).",
            "zip(sizes[:-1], sizes[1:]) gives the (n_in, n_out) of every layer.",
        ],
    ),
    "04.5": Exercise(
        "04.5",
        "code",
        "write one ReLU layer's backward pass: dW, db and delta_prev",
        _judge_relu_layer,
        [
            "dW and db are the sigmoid network's: only delta_prev changes, through the slope "
            "of the layer below.",
            "ReLU's slope is 1 where Z_prev > 0 and 0 elsewhere; (Z_prev > 0) is that array.",
        ],
    ),
    "04.6": Exercise(
        "04.6",
        "predict",
        "predict how much smaller the first layer's gradient is than the last's",
        _predict_shrink,
        [
            "Count the layers the error passes through on its way back to the first layer.",
            "Each passage multiplies it by sigma'(z), at most 1/4.",
        ],
    ),
    "04.7": Exercise(
        "04.7",
        "code",
        "write choose_setting(results): the setting to keep",
        _judge_choose,
        [
            "Three accuracies per setting: which of them may you use to choose?",
            "max(results, key=...) gives the key whose value is largest.",
        ],
    ),
}

checker = Checker(EXERCISES)  # counts the hints shown in this session
check, hint = checker.check, checker.hint  # what the notebook calls
