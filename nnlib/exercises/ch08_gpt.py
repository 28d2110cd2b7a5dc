"""Chapter 08's exercises: shapes through the model, temperature and top-k, the explorer, counting.

Each judge compares the reader's answer with the chapter's own math (nnlib.sampling,
nnlib.gpt.param_table, the trained checkpoint) on several inputs and, when it is wrong, names
the likely mistake. The notebook calls check(id, answer) and hint(id). The two explorer
exercises measure the trained model with one forward pass each (milliseconds); the model is
loaded once, on the first such check.
"""

import functools
import math

import numpy as np

from nnlib import functional as F
from nnlib import sampling
from nnlib.exercises import (
    Checker,
    Exercise,
    ReadersError,
    as_array,
    call,
    close,
    number,
    right,
    wrong,
)
from nnlib.gpt import GPTConfig, param_table
from nnlib.tensor import no_grad

PROMPT = "ROMEO:\nWhat say"  # the chapter's prompt (section 2): T = 15 characters
V, C = 65, 128  # the trained model's vocabulary and width


@functools.lru_cache(maxsize=1)
def _model():
    model, tokenizer, _ = sampling.load_char_gpt()
    return model, tokenizer


# ---- 08.1 the shape of the logits -----------------------------------------------------------


def _predict_logits_shape(answer):
    if not isinstance(answer, (tuple, list)) or not all(
        isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in answer
    ):
        return wrong(
            f"enter a shape as a tuple of whole numbers, such as (2, 3, 4), not {answer!r}"
        )
    shape = tuple(int(n) for n in answer)
    T = len(PROMPT)
    if shape == (1, T, V):
        return right(
            f"(B, T, V) = (1, {T}, {V}): one score per character of the vocabulary, at "
            "every one of the 15 positions, each for the character after it"
        )
    if shape in ((1, V), (V,)):
        return wrong(
            "every position gets its own scores, not only the last: training uses all of "
            "them; for continuing the prompt the chapter then picks logits[0, -1]"
        )
    if shape == (1, T, C):
        return wrong(
            f"{C} is C, the width of the stream; the unembedding turns each vector into "
            f"V = {V} scores"
        )
    if shape == (T, V):
        return wrong("the batch axis stays: B = 1 sequence, so the shape starts with 1")
    if shape == (1, 64, V):
        return wrong(
            f"64 is the most the model can read; this prompt has T = {T} characters, "
            "and the shape follows the prompt"
        )
    if shape == (1, V, T):
        return wrong("the axes are swapped: position first, then the V scores of that position")
    return wrong(
        f"not quite: the stream has shape (B, T, C) = (1, {T}, {C}); what does a V x C "
        "matrix make of each position's vector?"
    )


# ---- 08.2 softmax with a temperature --------------------------------------------------------

Z_SMALL = np.array([2.0, 1.0, 0.5, -1.0, 3.0])  # five characters' scores
Z_LARGE = np.array([1000.0, 998.0, 990.0, 0.0])  # scores whose exp() overflows


def _judge_temperature(f):
    cases = [(Z_SMALL, 1.0), (Z_SMALL, 0.5), (Z_SMALL, 2.0), (Z_LARGE, 1.0), (Z_SMALL, 0)]
    for z, tau in cases:
        try:
            with np.errstate(all="ignore"):  # a reader's exp(1000) or 1 / 0 is judged below
                out = call(f, z.copy(), tau)
        except ReadersError as error:
            if tau == 0:
                return wrong(
                    f"{error}. Temperature 0 means greedy: put all the probability on the "
                    "largest score (np.argmax) instead of dividing by 0"
                )
            raise
        if out is None:
            return None
        want = sampling.probs_from_scores(z, tau)
        if tau == 0 and np.ndim(out) == 0 and not isinstance(out, bool):
            return wrong(
                "at temperature 0 you returned a single number (an index?); return all "
                "the probabilities: 1 at the largest score, 0 elsewhere"
            )
        got = as_array(out)
        if got is None or got.shape != want.shape:
            shape = None if got is None else got.shape
            return wrong(f"return one probability per score, shape {want.shape}; got {shape}")
        if np.allclose(got, want, atol=1e-9):
            continue
        if not np.isfinite(got).all():
            if tau == 0:
                return wrong(
                    "nan or inf at temperature 0: z / 0 is not a number; treat 0 on its own, "
                    "as greedy: all the probability on the largest score"
                )
            return wrong(
                "nan or inf for scores near 1000: exp(1000) overflows; subtract the largest "
                "score before exp (chapter 02), which leaves p unchanged"
            )
        if tau == 0:
            return wrong(
                f"at temperature 0 the result should be greedy, {want.tolist()}: all the "
                f"probability on the largest score; got {np.round(got, 3).tolist()}"
            )
        if np.allclose(got, F.softmax(z), atol=1e-9):
            return wrong(f"at temperature {tau} you returned the plain softmax: divide z by it")
        if np.allclose(got, F.softmax(z * tau), atol=1e-9):
            return wrong(
                "you multiplied the scores by the temperature; divide them: a low "
                "temperature must make the distribution sharper"
            )
        if np.allclose(got, F.softmax(z) / tau, atol=1e-9):
            return wrong(
                "you divided the probabilities by the temperature; divide the scores, "
                "before the softmax"
            )
        if not np.isclose(got.sum(), 1):
            return wrong(
                f"your probabilities add up to {got.sum():.3f}, not 1: divide by their sum"
            )
        return wrong(
            f"for z = {z.tolist()} at temperature {tau} p should be "
            f"{np.round(want, 3).tolist()}; got {np.round(got, 3).tolist()}"
        )
    return right(
        "right at temperatures 1, 0.5 and 2, for scores near 1000, and at 0 (greedy, "
        "with no division by zero)"
    )


# ---- 08.3 top-k -----------------------------------------------------------------------------

Z_TOP = np.array([0.5, 2.0, -1.0, 3.0, 1.0, -0.5])  # no ties, so "the k largest" is clear


def _judge_top_k(f):
    for k in (2, 1, 6, 9):
        z = Z_TOP.copy()
        try:
            out = call(f, z, k)
        except ReadersError as error:
            if k > len(z):
                return wrong(
                    f"{error}. A k larger than the vocabulary keeps every score: use min(k, len(z))"
                )
            raise
        if out is None:
            return None
        want = sampling.keep_top_k(Z_TOP, k)
        got = as_array(out)
        if got is None or got.shape != want.shape:
            shape = None if got is None else got.shape
            return wrong(
                f"return all {len(z)} scores, with -inf in place of the dropped ones, "
                f"shape {want.shape}; got {shape}"
            )
        kept = np.isfinite(got)
        if np.array_equal(got, want):
            if not np.array_equal(z, Z_TOP):
                return wrong(
                    "the result is right, but you changed the caller's z in place; work on a "
                    "copy (np.where makes one), since the model's scores are used again"
                )
            continue
        if np.isclose(got.sum(), 1) and (got >= 0).all():
            return wrong("return the scores, with -inf for the dropped ones, not probabilities")
        best = np.sort(Z_TOP)[::-1]
        if kept.all() and k < len(z):
            dropped = ~np.isin(Z_TOP, best[:k])
            if np.array_equal(got[dropped], np.zeros(dropped.sum())):
                return wrong(
                    "you set the dropped scores to 0, but a score of 0 still gets e^0 = 1 "
                    "in the softmax: set them to -np.inf"
                )
        n_kept = int(kept.sum())
        if n_kept == min(k, len(z)) and np.array_equal(np.sort(got[kept]), np.sort(best[-n_kept:])):
            return wrong(f"you kept the {k} smallest scores; keep the {k} largest")
        if n_kept == min(k, len(z)) - 1:
            return wrong(
                f"for k = {k} you kept {n_kept}: the k-th largest score itself must stay "
                "(keep z >= threshold, not z > threshold)"
            )
        if n_kept != min(k, len(z)):
            return wrong(
                f"for k = {k} keep {min(k, len(z))} scores; you kept {n_kept} (off by one?)"
            )
        return wrong(
            f"for k = {k} the result should be {want.tolist()}; got {got.tolist()}: keep the "
            "k largest scores unchanged"
        )
    return right("right for k = 2 and 1, for k = V (everything) and for k larger than V")


# ---- 08.4 the slider: when is sampling practically greedy? ----------------------------------


@functools.lru_cache(maxsize=16)
def _scores(prompt):
    """The trained model's scores for the character after `prompt`: (V,), one forward pass."""
    model, tokenizer = _model()
    ids = sampling.encode_prompt(tokenizer, prompt, model.config.block_size)  # (T,)
    with no_grad():
        return model(ids[None]).data[0, -1].astype(np.float64)  # (1, T, V) -> (V,)


def _top_probability(tau):
    return float(sampling.probs_from_scores(_scores(PROMPT), tau).max())


def _tau_at(level):
    """The temperature at which the top character's probability falls to `level`."""
    low, high = 1e-6, 2.0  # it falls as the temperature rises
    for _ in range(50):
        middle = (low + high) / 2
        low, high = (middle, high) if _top_probability(middle) > level else (low, middle)
    return low


def _explore_greedy_temperature(answer):
    try:
        tau = number(answer)
    except TypeError:
        return wrong(f"enter the slider's number, such as 0.5, not {answer!r}")
    if not 0 <= tau <= 2:
        return wrong(f"the temperature slider runs from 0 to 2; {tau} is not on it")
    if tau == 0:
        return wrong(
            "at 0 the bar is 1 by definition (greedy); the question is how far above 0 "
            "sampling is already practically greedy: drag down from 1 and stop at 0.99"
        )
    target = _tau_at(0.99)
    top = _top_probability(tau)
    if abs(tau - target) <= 0.05:  # the slider moves in steps of 0.05
        first, second = np.sort(_scores(PROMPT))[-2:][::-1]
        return right(
            f"near temperature {target:.2f} the space takes 0.99: its score leads the "
            f"next one's by {first - second:.2f}, and divided by {target:.2f} that lead is "
            f"{(first - second) / target:.1f}, so sampling is practically greedy long before 0"
        )
    if tau > target:
        return wrong(f"at temperature {tau:g} the red bar is only {top:.2f}; go lower")
    return wrong(
        f"at temperature {tau:g} the red bar is already {top:.3f}; it reached 0.99 a little "
        "higher up, go back up to where it first reads 0.99"
    )


# ---- 08.5 the explorer: a prompt the model is sure about ------------------------------------


def _explore_sure_prompt(answer):
    if not isinstance(answer, str):
        return wrong(f"enter the prompt as a string in quotes, such as 'ROMEO', not {answer!r}")
    model, tokenizer = _model()
    try:
        p = F.softmax(_scores(answer))  # temperature 1: the model's own probabilities
    except ValueError as error:
        return wrong(f"{error}")
    top = int(np.argmax(p))
    shown = tokenizer.chars[top]
    if p[top] > 0.9:
        return right(
            f"after {answer[-20:]!r} the model gives {shown!r} probability {p[top]:.2f}: "
            "the text it learned from nearly always goes on that way"
        )
    if not answer:
        return wrong(
            f"an empty prompt starts from a new line, and what begins a line is open: the "
            f"best guess, {shown!r}, gets only {p[top]:.2f}"
        )
    if answer == "KING RICHA":
        return wrong(
            f"the chapter's example gives {shown!r} {p[top]:.2f}, not quite 0.9; what "
            "might make the model surer still?"
        )
    return wrong(
        f"after {answer[-20:]!r} the best guess is {shown!r} with {p[top]:.2f}; the model "
        "is surest in the middle of a word or name the plays repeat often"
    )


# ---- 08.6 counting the weights --------------------------------------------------------------

SIZES = [(65, 128, 4, 4), (50257, 12288, 96, 96), (65, 32, 2, 2), (10, 8, 1, 2), (7, 12, 3, 3)]


def _judge_count(f):
    for n_vocab, width, n_layer, n_head in SIZES:
        out = call(f, n_vocab, width, n_layer, n_head)
        if out is None:
            return None
        config = GPTConfig(
            vocab_size=n_vocab, block_size=8, n_layer=n_layer, n_head=n_head, n_embd=width
        )
        want = param_table(config)[-1][3]
        try:
            got = number(out)
        except TypeError:
            return wrong(f"return a number, the count of weights; got {out!r}")
        size = f"V = {n_vocab}, C = {width}, L = {n_layer}, H = {n_head}"
        if got == want:
            if not isinstance(out, (int, np.integer)):
                return wrong(
                    "the right count, but as a float: a count is a whole number (did a / "
                    "sneak in? C // H keeps it whole)"
                )
            continue
        VC, CC = n_vocab * width, width * width
        mistakes = [
            (
                VC + 12 * n_layer * CC,
                "you forgot the unembedding: a second V x C matrix at the end",
            ),
            (
                2 * VC + n_layer * (3 * n_head * CC + 9 * CC),
                "each head's key, query and value are hs x C with hs = C / H, not C x C: "
                "together the H heads of one kind hold C x C",
            ),
            (
                2 * VC + 6 * n_layer * CC,
                "the MLP widens to 4C: the up-projection is 4C x C, the down-projection C x 4C",
            ),
            (2 * VC + 11 * n_layer * CC, "you forgot the output matrix (C x C) of each block"),
            (2 * VC + 12 * CC, "that is one block; there are L of them"),
        ]
        for count, message in mistakes:
            if n_layer > 1 and got == count:
                return wrong(message)
        if got > want:
            return wrong(
                f"for {size} that is {got - want:,.0f} too many: count the weight matrices "
                "only, as param_table does (no biases, LayerNorm gains or position vectors)"
            )
        return wrong(
            f"for {size} that is {want - got:,.0f} too few: which of the eight kinds of "
            "matrix is missing, or too small?"
        )
    return right(
        "right for our model (803,072), GPT-3 (175,181,291,520), the tiny one of section 7 "
        "and two more: 2 V C + 12 L C^2"
    )


# ---- 08.7 the loss before training ----------------------------------------------------------


def _predict_first_loss(answer):
    try:
        guess = number(answer)
    except TypeError:
        return wrong(f"enter a number such as 3.0, not {answer!r}")
    loss = math.log(V)
    if abs(guess - loss) <= 0.1:
        return right(
            f"every character gets about 1/65, so the loss is -ln(1/65) = ln 65 = {loss:.2f}, "
            "whatever character comes next"
        )
    if abs(guess - 1 / V) < 0.001:
        return wrong("1/65 is the probability of each character; the loss is -ln of it")
    if close(guess, V, 0.01):
        return wrong("65 is the number of characters; the loss is -ln(1/65)")
    if close(guess, math.log2(V), 0.01):
        return wrong("that is in bits (log base 2); the book's cross-entropy uses ln")
    if close(guess, math.log10(V), 0.01):
        return wrong("that is log base 10; the book's cross-entropy uses ln")
    if abs(guess - 1.88) <= 0.05:
        return wrong("1.88 is the trained model's loss; this one has learned nothing yet")
    if abs(guess - 2.45) <= 0.1:
        return wrong("about 2.5 is what counting pairs reaches; this model knows no counts yet")
    if close(guess, 0, 0.01):
        return wrong("a loss of 0 would mean knowing every next character for certain")
    return wrong(
        "not quite: an untrained model's 65 scores are nearly equal; what probability does "
        "each character get, and what is -ln of it?"
    )


EXERCISES = {
    "08.1": Exercise(
        "08.1",
        "predict",
        "predict the shape of the logits for the 15-character prompt",
        _predict_logits_shape,
        [
            "The stream has shape (B, T, C); the last matrix is V x C.",
            "Which positions get scores: only the last, or every one?",
        ],
    ),
    "08.2": Exercise(
        "08.2",
        "code",
        "write softmax with a temperature, greedy at 0",
        _judge_temperature,
        [
            "Divide the scores by the temperature, then softmax (subtracting the largest "
            "score first).",
            "Temperature 0 needs its own branch: np.argmax(z) gets probability 1.",
        ],
    ),
    "08.3": Exercise(
        "08.3",
        "code",
        "write top-k: keep the k largest scores, -inf for the rest",
        _judge_top_k,
        [
            "Sort a copy of z: the k-th largest score is the threshold.",
            "np.where(condition, z, -np.inf) builds a new array and leaves z alone; "
            "what happens to k when it is larger than len(z)?",
        ],
    ),
    "08.4": Exercise(
        "08.4",
        "explore",
        "find the temperature at which the top character reaches 0.99",
        _explore_greedy_temperature,
        [
            "Use the prompt 'ROMEO:\\nWhat say' (as the explorer starts) and top-k 65 or "
            "more; read the number over the red bar as you drag the temperature down."
        ],
    ),
    "08.5": Exercise(
        "08.5",
        "explore",
        "find a prompt after which the model gives one character more than 0.9",
        _explore_sure_prompt,
        [
            "The chapter's 'KING RICHA' gives 'R' 0.76. Names and long words the plays "
            "repeat are good places to look.",
            "The model is surest near the end of a word it knows well.",
        ],
    ),
    "08.6": Exercise(
        "08.6",
        "code",
        "count a GPT's weights from V, C, L and H",
        _judge_count,
        [
            "Per block: key, query, value and output make 4 C^2, the MLP 2 x 4C x C.",
            "Outside the blocks: the embedding and the unembedding, V x C each.",
        ],
    ),
    "08.7": Exercise(
        "08.7",
        "predict",
        "predict the first loss of the untrained tiny GPT",
        _predict_first_loss,
        [
            "Small random weights make the 65 scores almost equal.",
            "The loss is the mean of -ln p over the true next characters.",
        ],
    ),
}

checker = Checker(EXERCISES)  # counts the hints shown in this session
check, hint = checker.check, checker.hint  # what the notebook calls
