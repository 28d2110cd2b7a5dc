"""Chapter 07's exercises: the size of scores, the causal mask, one head, heads, flat or sharp.

Each judge compares the reader's answer with the chapter's own math (nnlib.chapters.
ch07_attention, nnlib.functional) on several inputs and, when it is wrong, names the likely
mistake. The notebook calls check(id, answer) and hint(id). The slider exercise measures the
trained model once (a forward pass of the chapter's line, a few milliseconds) and keeps it.
"""

import functools
import math

import numpy as np

from nnlib import functional as F
from nnlib import sampling
from nnlib.chapters import ch07_attention as attention
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

# The chapter's line (the widgets' DEFAULT_TEXT) and its query: the "o" of the last "Romeo".
TEXT = "JULIET:\nO Romeo, Romeo! wherefore art thou Romeo?"
QUERY = 47


# ---- 07.1 the size of a dot product ---------------------------------------------------------


def _predict_variance(answer):
    try:
        guess = number(answer)
    except TypeError:
        return wrong(f"enter a number such as 10.0, not {answer!r}")
    d = 256
    if abs(guess - d) <= 0.1 * d:  # the cell measures it on 10,000 pairs: within a few units
        return right(
            "each of the 256 products q_i k_i has variance 1, and the variances of "
            "independent terms add up: d terms, variance d = 256"
        )
    if close(guess, math.sqrt(d), 0.05):
        return wrong(
            "16 = sqrt(256) is the typical size of a score (its standard deviation); "
            "the variance is the square of that"
        )
    if close(guess, 1, 0.1):
        return wrong(
            "1 is the variance after dividing by sqrt(d), the column on the right; "
            "the question is about q.k itself"
        )
    if close(guess, d * d, 0.05):
        return wrong(
            "that is d squared; each of the d products has variance 1 and the variances "
            "add, once per product"
        )
    if close(guess, 0, 0.1):
        return wrong("0 is the mean of q.k (positive and negative products cancel on average)")
    return wrong(
        "not quite: q.k is a sum of d = 256 independent products, each of mean 0 and "
        "variance 1; what is the variance of such a sum?"
    )


# ---- 07.2 the causal mask -----------------------------------------------------------------


def _judge_causal_mask(f):
    numbers = False
    for T in (5, 1, 2, 7):
        out = call(f, T)
        if out is None:
            return None
        got = as_array(out)
        want = np.tril(np.ones((T, T), dtype=bool))  # allowed: s <= t
        if got is None or got.shape != (T, T):
            shape = None if got is None else got.shape
            return wrong(f"for T = {T} return a (T, T) array, one row per query; got {shape}")
        if np.isinf(got).any():
            return wrong(
                "that is the mask in its additive form (0 and -inf, to add to the scores); "
                "here return True where position t may look at s, False elsewhere"
            )
        if not np.isin(got, (0, 1)).all():
            return wrong("return True/False (or 1/0) for each pair (t, s), not other numbers")
        allowed = got.astype(bool)
        if np.array_equal(allowed, want):
            numbers = numbers or np.asarray(out).dtype != np.bool_
            continue
        if T == 1:
            return wrong("for T = 1 the single position may look at itself: [[True]]")
        if np.array_equal(allowed, ~want):
            return wrong(
                "you marked the future (s > t): those are the entries the mask forbids; "
                "return where looking is allowed, its opposite"
            )
        if np.array_equal(allowed, want.T):
            return wrong(
                "transposed: row t is the query and column s the key, and t may look at "
                "s <= t, on and below the diagonal; yours allows s >= t"
            )
        if np.array_equal(allowed, np.tril(want, k=-1)):
            return wrong("the diagonal is missing: a position may look at itself (s = t)")
        if allowed.all():
            return wrong("everything is allowed: that is no mask, every position sees the future")
        return wrong(f"for T = {T} the allowed pairs are s <= t: a triangle, diagonal included")
    note = " (as 1/0; dtype=bool lets it pick entries of S directly)" if numbers else ""
    return right(f"s <= t for T = 5, 1, 2 and 7: the diagonal and everything left of it{note}")


# ---- 07.3 one head from queries, keys and values --------------------------------------------


def _attend(
    q, k, v, scale=None, mask="future", axis=-1, transpose=False, fill=-np.inf, weights_T=False
):
    """The chapter's head on given q, k, v, with switches that reproduce typical mistakes."""
    T, d = q.shape
    S = (k @ q.T if transpose else q @ k.T) / (math.sqrt(d) if scale is None else scale)
    future = np.triu(np.ones((T, T), dtype=bool), k=1)
    if mask == "future":
        S = np.where(future, fill, S)
    elif mask == "past":
        S = np.where(np.tril(np.ones((T, T), dtype=bool), k=-1), fill, S)
    A = F.softmax(S, axis=axis)
    if mask == "after":  # the weights of the future zeroed after the softmax, not renormalised
        A = np.where(future, 0.0, A)
    return (A.T if weights_T else A) @ v


def _attend_cases():
    rng = np.random.default_rng(7)
    cases = []
    for T, d, size in ((5, 4, 1.0), (1, 3, 1.0), (6, 16, 1.0), (4, 4, 1000.0)):
        q, k, v = (rng.normal(size=(T, d)) for _ in range(3))
        cases.append((size * q, k, v))  # the last has scores in the thousands
    return cases


def _judge_attend(f):
    for q, k, v in _attend_cases():
        T, d = q.shape
        with np.errstate(all="ignore"):
            out = call(f, q.copy(), k.copy(), v.copy())
        if out is None:
            return None
        if isinstance(out, tuple):
            return wrong("return only y, one array of shape (T, hs); one_head later returns A too")
        got = as_array(out)
        if got is None:
            return wrong(f"return an array of shape {(T, d)}, got {type(out).__name__}")
        want = _attend(q, k, v)
        if got.shape != want.shape:
            if got.shape == (T, T) and T != d:
                return wrong(
                    f"shape (T, T) = {got.shape}: those are the weights A; the output is "
                    "the weighted sum of the values, A @ v"
                )
            return wrong(
                f"for q, k, v of shape {q.shape} y needs shape {want.shape}, got {got.shape}"
            )
        if np.allclose(got, want, atol=1e-8):
            continue
        if not np.isfinite(got).all():
            if q.std() > 100:
                return wrong(
                    "nan or inf for scores in the thousands: exp() overflowed; subtract "
                    "each row's largest score before exp (as chapter 02's softmax does)"
                )
            return wrong("your y has nan or inf in it; is a whole row masked, or -inf times 0?")
        mistakes = [
            (dict(scale=1.0), "forgot to divide the scores by sqrt(d), d = the head size"),
            (dict(scale=d), "divided the scores by d; the text divides by sqrt(d)"),
            (dict(mask=None), "forgot the causal mask: position t also used later positions"),
            (dict(mask="past"), "masked the past (s < t) instead of the future (s > t)"),
            (
                dict(fill=0.0),
                "you set the future scores to 0, but e^0 = 1 still gives them weight: "
                "set them to -inf, so that e^-inf = 0",
            ),
            (
                dict(axis=0),
                "softmax over the wrong axis: each row (one query t) must sum to 1, "
                "yours normalised the columns (axis=0)",
            ),
            (dict(transpose=True), "the scores are transposed: S[t, s] = q_t . k_s is q @ k.T"),
            (
                dict(mask="after"),
                "you masked after the softmax, so the rows no longer sum to 1: set the "
                "future scores to -inf before the softmax",
            ),
            (
                dict(weights_T=True),
                "you used A.T: row t of A holds query t's weights over the keys, so y = A @ v",
            ),
        ]
        for switches, message in mistakes:
            if np.allclose(got, _attend(q, k, v, **switches), atol=1e-8):
                return wrong(message)
        if T > 1 and not np.allclose(got[0], v[0]):
            return wrong(
                "look at row 0: the first position can only see itself, so y_0 must equal "
                "v_0; check the mask and the softmax"
            )
        return wrong(
            f"wrong numbers for T = {T}, d = {d}: S = q k^T / sqrt(d), -inf above the "
            "diagonal, softmax along each row, then A @ v"
        )
    return right(
        "right for four inputs: T = 1, two head sizes, and scores in the thousands "
        "that an unguarded exp() would overflow"
    )


# ---- 07.4 cutting the vectors into heads ----------------------------------------------------


def _judge_split_heads(f):
    rng = np.random.default_rng(8)
    for T, C, H in ((5, 8, 2), (3, 12, 3), (4, 8, 4), (1, 6, 2), (6, 6, 1)):
        X = rng.normal(size=(T, C))
        hs = C // H
        out = call(f, X.copy(), H)
        if out is None:
            return None
        got = as_array(out)
        want = X.reshape(T, H, hs).transpose(1, 0, 2)  # (H, T, hs)
        if got is None:
            return wrong(f"return an array of shape (H, T, C // H), got {type(out).__name__}")
        if got.shape == want.shape and np.allclose(got, want):
            continue
        if got.shape == (T, H, hs) and np.allclose(got, X.reshape(T, H, hs)):
            return wrong(
                f"shape (T, H, hs) = {got.shape}: the cut is right, now swap the first two "
                "axes so that the head comes first, (H, T, hs)"
            )
        if got.shape == want.shape and np.allclose(got, X.reshape(H, T, hs)):
            return wrong(
                "you reshaped straight to (H, T, hs): that reads X row after row, so a "
                "head gets pieces of several positions. Each position's row must be cut into "
                "heads first; which shape does that give?"
            )
        if got.shape == want.shape and np.allclose(got, X.reshape(T, hs, H).transpose(2, 0, 1)):
            return wrong(
                f"head h got every H-th column (h, h + H, ...); it owns a block of "
                f"hs = {hs} columns side by side, h * hs to (h + 1) * hs - 1"
            )
        if got.shape != want.shape:
            return wrong(
                f"for X of shape {(T, C)} and H = {H} the result needs shape "
                f"(H, T, C // H) = {want.shape}, got {got.shape}"
            )
        return wrong(
            f"the right shape but wrong numbers (T = {T}, C = {C}, H = {H}): head h must "
            f"hold X[:, h * hs:(h + 1) * hs]"
        )
    return right("right for five shapes, with H = 1, T = 1 and T = H among them")


# ---- 07.5 the entropy of flat attention -----------------------------------------------------


def _predict_flat_entropy(answer):
    try:
        guess = number(answer)
    except TypeError:
        return wrong(f"enter a number such as 2.5, not {answer!r}")
    n = QUERY + 1  # the query at position 47 may look at positions 0 to 47
    if abs(guess - math.log(n)) < 0.006:
        return right(
            f"at beta = 0 all {n} characters up to the query (positions 0 to {QUERY}) "
            f"share equally, and H = log {n} = {math.log(n):.3f} nats"
        )
    if abs(guess - math.log(n + 1)) < 0.006:
        return wrong(
            f"log {n + 1} counts the whole line; the query at position {QUERY} may only "
            f"look at positions 0 to {QUERY}: {n} characters"
        )
    if abs(guess - math.log(n - 1)) < 0.006:
        return wrong(
            f"log {n - 1} leaves one out: the query at position {QUERY} looks at itself too, "
            f"so positions 0 to {QUERY} share"
        )
    if close(guess, n, 0.03) or close(guess, n + 1, 0.03):
        return wrong("that is how many characters share (e^H); H itself is the log of it")
    if close(guess, math.log2(n), 0.01) or close(guess, math.log2(n + 1), 0.01):
        return wrong("that is in bits (log base 2); the chapter's entropy uses the natural log")
    if min(abs(guess - 1 / n), abs(guess - 1 / (n + 1))) < 0.001:
        return wrong("that is the weight of each character; the entropy is -sum p log p")
    if close(guess, 0, 0.005):
        return wrong("0 is the entropy of sharp attention, all weight on one character")
    return wrong(
        f"not quite: with n characters sharing equally, H = log n (natural log); how many "
        f"characters may the query at position {QUERY} look at?"
    )


# ---- 07.6 the slider: how much beta makes one character win ---------------------------------


@functools.lru_cache(maxsize=1)
def _query_scores():
    """Layer 0, head 1's scores of the query "o" (position 47): (48,), measured once."""
    model, tokenizer, _ = sampling.load_char_gpt()
    S = attention.gpt_attention_scores(model, tokenizer.encode(TEXT))  # (L, H, T, T)
    return S[0, 1, QUERY, : QUERY + 1]


def _largest_weight(beta):
    return float(attention.scaled_softmax(_query_scores(), beta).max())


def _beta_at(level):
    """The beta at which the largest weight reaches `level` (it only grows with beta)."""
    low, high = 0.0, 10.0
    for _ in range(50):
        middle = (low + high) / 2
        low, high = (middle, high) if _largest_weight(middle) < level else (low, middle)
    return high


def _explore_sharp_beta(answer):
    try:
        beta = number(answer)
    except TypeError:
        return wrong(f"enter the slider's number, such as 2.5, not {answer!r}")
    if not 0 <= beta <= 10:
        return wrong(f"the slider runs from 0 to 10; {beta} is not on it")
    target = _beta_at(0.9)
    weight = _largest_weight(beta)
    notches = np.round(np.arange(0, 101) * 0.1, 1)  # the slider: 0 to 10 in steps of 0.1
    first = next(b for b in notches if round(_largest_weight(b), 2) >= 0.90)
    if round(weight, 2) < 0.90 and abs(beta - target) <= 0.15:
        return wrong(
            f"close: at beta = {beta:g} the readout still says {weight:.2f}; one notch further"
        )
    if first - 1e-9 <= beta <= first + 0.1 + 1e-9:  # the first notch that reads 0.90, or the next
        return right(
            f"near beta = {target:.1f} the 'e' before the query takes 0.90 of the weight: "
            f"the model's scores must be multiplied by {target:.1f} before one character "
            "dominates; at beta = 1 it gets only about half"
        )
    if close(beta, 1.0):
        return wrong(
            f"beta = 1 is the model's own weights: the largest is {weight:.2f}; drag "
            "beta up until the readout says 0.90"
        )
    if beta < target:
        return wrong(f"at beta = {beta:g} the largest weight is only {weight:.2f}; go further up")
    return wrong(
        f"at beta = {beta:g} the largest weight is already {weight:.2f}; it passed 0.90 "
        "earlier, go back down to where it first reads 0.90"
    )


# ---- 07.7 which positions move -------------------------------------------------------------


def _predict_moved(answer):
    try:
        guess = number(answer)
    except TypeError:
        return wrong(f"enter a number of positions such as 5, not {answer!r}")
    T, changed = len(TEXT), 10
    if guess == T - changed:
        return right(
            f"positions {changed} to {T - 1}: position {changed} itself and the "
            f"{T - changed - 1} after it, which may look back at it; none before it"
        )
    if guess == 1:
        return wrong("one position is what the MLP gives; attention lets other positions read it")
    if guess == T:
        return wrong(
            "all 49 would move without the mask; with it, positions before 10 cannot see "
            "position 10"
        )
    if guess in (changed, changed + 1):
        return wrong(
            "that counts the positions up to 10; it is the later ones that may look back "
            "at position 10"
        )
    if guess == T - changed - 1:
        return wrong("off by one: position 10 itself moves too, since it looks at itself")
    if guess == T - changed + 1:
        return wrong(
            f"one too many: the positions that may look at position {changed} run from "
            f"{changed} to the last one, {T - 1}; count them again, both ends included"
        )
    return wrong(
        f"count the positions whose query may see position {changed}: s <= t, with "
        f"s = {changed}, out of t = 0 to {T - 1}"
    )


EXERCISES = {
    "07.1": Exercise(
        "07.1",
        "predict",
        "predict the variance of q.k for random vectors of length d = 256",
        _predict_variance,
        [
            "q.k = q_1 k_1 + ... + q_d k_d: how large is the variance of one product?",
            "For independent terms, the variance of a sum is the sum of the variances.",
        ],
    ),
    "07.2": Exercise(
        "07.2",
        "code",
        "write the causal mask: True where position t may look at s",
        _judge_causal_mask,
        [
            "Row t is the query, column s the key. Draw the table for T = 3 by hand first.",
            "numpy has np.tril and np.triu for the two triangles of a matrix.",
        ],
    ),
    "07.3": Exercise(
        "07.3",
        "code",
        "write one head of attention from q, k and v",
        _judge_attend,
        [
            "Three lines: the scaled scores, the masked softmax along each row, A @ v.",
            "Subtract each row's largest score before exp(), or use F.softmax(S, axis=1), "
            "which does it for you.",
        ],
    ),
    "07.4": Exercise(
        "07.4",
        "code",
        "cut (T, C) into H heads of shape (H, T, C // H)",
        _judge_split_heads,
        [
            "Head h owns the columns h * hs to (h + 1) * hs - 1 of every row.",
            "X.reshape(T, H, hs) cuts each row into H pieces; what is left is the order "
            "of the axes.",
        ],
    ),
    "07.5": Exercise(
        "07.5",
        "predict",
        "predict the entropy at beta = 0 of the query 'o' at position 47",
        _predict_flat_entropy,
        [
            "At beta = 0 every allowed character gets the same weight, 1/n.",
            "Positions count from 0, and the query may also look at itself.",
        ],
    ),
    "07.6": Exercise(
        "07.6",
        "explore",
        "find the beta at which the largest weight reaches 0.90",
        _explore_sharp_beta,
        [
            "Keep layer 0, head 1 and the query at 47; drag beta up from 1 and read "
            "'largest weight' under the figure."
        ],
    ),
    "07.7": Exercise(
        "07.7",
        "predict",
        "predict how many of attention's 49 outputs move when position 10 changes",
        _predict_moved,
        [
            "Which queries t may look at key s = 10? The mask allows s <= t.",
            "Count from 10 to 48, both ends included.",
        ],
    ),
}

checker = Checker(EXERCISES)  # counts the hints shown in this session
check, hint = checker.check, checker.hint  # what the notebook calls
