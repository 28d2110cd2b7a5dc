"""Chapter 06's exercises: the uniform model's loss, one BPE merge, a word built by merges,
an embedding's gradient, skip-gram pairs, the first loss of skip-gram, and cosine similarity.

Each judge compares the reader's answer with the chapter's own math (nnlib.chapters.
ch06_tokens_and_embeddings) on several inputs and, when it is wrong, names the likely
mistake. The notebook calls check(id, answer) and hint(id).
"""

import math
from collections import Counter

import numpy as np

from nnlib.chapters import ch06_tokens_and_embeddings as word2vec
from nnlib.exercises import Checker, Exercise, call, close, number, right, wrong

V_CHARS = 65  # the distinct characters of tiny Shakespeare
# " lord" as BPETokenizer.train(tiny Shakespeare, 1000) cuts it after n merges, at each n where
# the pieces change (tests/test_ch06_tokens_and_embeddings_exercises.py recomputes it).
LORD_PIECES = (
    (0, (" ", "l", "o", "r", "d")),
    (15, (" ", "l", "or", "d")),
    (26, (" l", "or", "d")),
    (95, (" l", "ord")),
    (196, (" lord",)),
)


# ---- 06.1 the loss of a model that knows nothing -------------------------------------------


def _predict_uniform(answer):
    try:
        guess = number(answer)
    except TypeError:
        return wrong(f"enter a number such as 3.5, not {answer!r}")
    want = math.log(V_CHARS)
    if close(guess, want, 2e-3):
        return right(
            f"every next character gets 1/65, so every term is -log(1/65) = log 65 = {want:.3f}, "
            "and so is their average"
        )
    if close(guess, 1 / V_CHARS, 1e-2):
        return wrong("1/65 is the probability it gives; the loss is minus its log, -log(1/65)")
    if close(guess, -want, 2e-3):
        return wrong("wrong sign: log(1/65) is negative, and the loss is minus it")
    if close(guess, math.log2(V_CHARS), 2e-3):
        return wrong("that is log base 2 (bits); the book's log is the natural one, as numpy's")
    if close(guess, math.log10(V_CHARS), 2e-3):
        return wrong("that is log base 10; the book's log is the natural one, as numpy's np.log")
    if close(guess, V_CHARS):
        return wrong("65 is the number of characters; the loss is -log of the probability, 1/65")
    if close(guess, 2.45, 1e-2):
        return wrong("2.45 is the bigram table's score; a model that knows nothing does worse")
    return wrong("not quite; average -log P(actual next character) when every P is 1/65")


# ---- 06.2 one BPE merge --------------------------------------------------------------------


def _merge(ids, pair, new_id, step=2, first_only=False, keep_last=True):
    """The reference merge (left to right) and, with other settings, typical wrong ones."""
    out, i, merged = [], 0, False
    while i < len(ids):
        last = i + 1 >= len(ids)
        if not last and (ids[i], ids[i + 1]) == pair and not (first_only and merged):
            out.append(new_id)
            i += step
            merged = True
        else:
            if not last or keep_last:
                out.append(ids[i])
            i += 1
    return out


MERGE_CASES = [  # ids, pair, new_id
    ([1, 2, 3, 1, 2], (1, 2), 256),
    ([97, 97, 97, 98], (97, 97), 256),  # "aaab": the left "aa" wins
    ([97, 97, 97, 97], (97, 97), 300),
    ([5, 6], (5, 6), 256),  # the pair at the very end
    ([1, 2, 3], (3, 1), 256),  # not there: the list comes back as it was
    ([7], (7, 7), 256),
    ([], (1, 2), 256),
]


def _judge_merge(f):
    for ids, pair, new_id in MERGE_CASES:
        got = call(f, list(ids), pair, new_id)
        if got is None:
            return None
        try:
            got = [int(t) for t in got]
        except (TypeError, ValueError):
            return wrong(f"return a list of token ids; for {ids} you returned {got!r}")
        want = _merge(ids, pair, new_id)
        if got == want:
            continue
        shown = f"merging {pair} -> {new_id} in {ids} gives {want}, you returned {got}"
        if got == _merge(ids, pair, new_id, step=1):
            return wrong(
                f"{shown}: after a merge, skip both tokens of the pair; the second one "
                "must not start another pair"
            )
        if got == _merge(ids, pair, new_id, keep_last=False):
            return wrong(f"{shown}: the last token is missing; a loop over the pairs misses it")
        if got == _merge(ids, pair, new_id, first_only=True):
            return wrong(f"{shown}: you merged only the first occurrence; merge every one")
        if got == _merge(ids[::-1], pair[::-1], new_id)[::-1]:
            return wrong(f"{shown}: you merged from the right; BPE goes left to right")
        notes = []
        if any(a == new_id and b == pair[1] for a, b in zip(got, got[1:], strict=False)):
            notes.append("a merged pair left its second token behind: skip both tokens")
        if ids and len(got) < len(want) + 1 and (not got or got[-1] != want[-1]):
            notes.append("the last token is missing")
        return wrong(f"{shown}" + (": " + "; ".join(notes) if notes else ""))
    return right(
        "right for repeats, overlaps like 'aaa' (the left pair wins), a pair at the end, "
        "a missing pair, and lists of one and no tokens"
    )


# ---- 06.3 the merge that makes " lord" -----------------------------------------------------


def _lord_pieces(n):
    pieces = LORD_PIECES[0][1]
    for at, cut in LORD_PIECES:
        if n >= at:
            pieces = cut
    return pieces


def _explore_lord(answer):
    try:
        n = number(answer)
    except TypeError:
        return wrong(f"enter the slider's number of merges, such as 300, not {answer!r}")
    at = LORD_PIECES[-1][0]
    if n != int(n) or not 0 <= n <= 1000:
        return wrong("the slider counts merges: a whole number from 0 to 1000")
    n = int(n)
    shown = " + ".join(repr(p) for p in _lord_pieces(n))
    if n == at:
        return right(
            f"merge number {at} joins ' l' and 'ord' into ' lord' (token id {255 + at}); "
            "' l' came at merge 26 and 'ord' at 95, from 'or' at 15: a word is built from "
            "pieces that were merged first"
        )
    if n == at - 1:
        return wrong(f"one short: at {n} merges ' lord' is still {shown}")
    if n < at:
        return wrong(f"at {n} merges ' lord' is still {len(_lord_pieces(n))} tokens, {shown}")
    return wrong(
        f"at {n} merges ' lord' is one token already; it became one earlier: move left "
        "until it splits, then one notch back"
    )


# ---- 06.4 an embedding's gradient ----------------------------------------------------------


def _predict_embedding_grad(answer):
    try:
        guess = number(answer)
    except TypeError:
        return wrong(f"enter a number, not {answer!r}")
    if close(guess, 2):
        return right(
            "row 4 was looked up twice, for the first and the third token, and each lookup "
            "passes back a slope of 1 per entry; the shares add, 1 + 1 = 2"
        )
    if close(guess, 1):
        return wrong("one share; but token 4 appears twice in [4, 0, 4], and the shares add up")
    if close(guess, 0):
        return wrong(
            "only the rows never looked up get 0; row 4 was used, and the sum passes a "
            "slope of 1 to every output"
        )
    if close(guess, 3):
        return wrong("3 is all the lookups together; row 4 received two of them")
    if close(guess, 6):
        return wrong("6 is the sum of row 4's three entries; the question asks for one entry")
    return wrong("not quite; count how often row 4 is looked up in [4, 0, 4]")


# ---- 06.5 skip-gram pairs ------------------------------------------------------------------

PAIR_CASES = [  # ids, window: the first has distinct ids, so a pair tells its distance
    (list(range(6)), 2),
    (list(range(7)), 3),
    ([3, 1, 4, 1, 5], 1),
    ([0, 1], 3),  # a window longer than the text
    ([0], 2),
]


def _judge_pairs(f):
    for ids, window in PAIR_CASES:
        got = call(f, list(ids), window)
        if got is None:
            return None
        try:
            got = [(int(c), int(o)) for c, o in got]
        except (TypeError, ValueError):
            return wrong(
                f"return a list of (center, context) pairs; for {ids} you returned {got!r}"
            )
        centers, contexts = word2vec.skipgram_pairs(np.array(ids), window)
        want = list(zip(centers.tolist(), contexts.tolist(), strict=True))
        if Counter(got) == Counter(want):
            continue
        n = f"with window {window}, {ids} makes {len(want)} pairs, you returned {len(got)}"
        if ids != list(range(len(ids))):  # a word appears twice
            return wrong(f"{n}; a word that appears twice makes its pairs each time")
        gaps = Counter(o - c for c, o in got)  # ids are positions here: o - c is the distance
        if gaps[0]:
            return wrong(f"{n}: you paired a word with itself; distances run from 1 to window")
        far = [d for d in gaps if abs(d) > window]
        if far and any(abs(d) > len(ids) - 1 - window for d in far):
            return wrong(
                f"{n}, some of them far apart: at the ends, ids[i - d] with i - d < 0 wraps "
                "around to the end of the list in Python; skip positions outside the text"
            )
        if far:
            return wrong(f"{n}: some are more than {window} apart")
        if all(d > 0 for d in gaps) or all(d < 0 for d in gaps):
            side = "after" if all(d > 0 for d in gaps) else "before"
            return wrong(
                f"{n}: only context words {side} the center; the words on the other side "
                "are its context too"
            )
        if set(abs(d) for d in gaps) == {window} and window > 1:
            return wrong(f"{n}: only pairs exactly {window} apart; every distance 1..{window}")
        if window > 1 and window not in {abs(d) for d in gaps}:
            return wrong(f"{n}: no pairs {window} apart; range(1, window) stops one short")
        missing = Counter(o - c for c, o in want) - gaps
        if missing:
            shown = ", ".join(
                f"{abs(d)} {'after' if d > 0 else 'before'} the center ({k} pairs)"
                for d, k in sorted(missing.items())
            )
            return wrong(f"{n}; missing are contexts {shown}")
        return wrong(n)
    return right(
        "right for windows 1, 2 and 3, repeated words, a window longer than the text and a "
        "single word"
    )


# ---- 06.6 the first loss of skip-gram ------------------------------------------------------


def _predict_first_loss(answer):
    try:
        guess = number(answer)
    except TypeError:
        return wrong(f"enter a number, not {answer!r}")
    K = word2vec.K_NEGATIVES
    if close(guess, (K + 1) * math.log(2), 1e-3):
        return right(
            f"every score is 0 and sigma(0) = 0.5, so each of the K + 1 = {K + 1} yes/no "
            f"questions costs -log 0.5 = log 2: {K + 1} log 2 = {(K + 1) * math.log(2):.3f}"
        )
    if close(guess, math.log(2), 1e-3):
        return wrong(f"log 2 is the real pair's term; each of the {K} negatives adds log 2 too")
    if close(guess, K * math.log(2), 1e-3):
        return wrong("that counts the negatives only; the real pair adds its log 2 too")
    if close(guess, 0.5):
        return wrong("0.5 is the probability sigma(0) of every pair; the loss is -log of it")
    if close(guess, math.log(V_CHARS), 2e-3):
        return wrong(
            "log 65 is the uniform character model of section 1; here every pair is a yes/no "
            "question answered 0.5"
        )
    if close(guess, math.log(word2vec.N_VOCAB), 1e-3):
        return wrong(
            "log 2000 would be a softmax over all 2000 words; negative sampling asks "
            "K + 1 yes/no questions instead"
        )
    return wrong("not quite; put s = 0 into every term of L")


# ---- 06.7 cosine similarity with every word ------------------------------------------------


def _cosines(E, i):
    E_unit = E / np.linalg.norm(E, axis=1, keepdims=True)
    return E_unit @ E_unit[i]


def _judge_cosines(f):
    rng = np.random.default_rng(6)
    cases = [
        (rng.normal(size=(5, 3)) * np.array([[1.0], [3.0], [0.2], [8.0], [1.5]]), 0),
        (rng.normal(size=(7, 4)) * np.geomspace(0.1, 10, 7)[:, None], 4),
        (np.array([[1.0, 0.0], [0.0, 2.0], [-3.0, 0.0], [1.0, 1.0]]), 3),
    ]
    for E, i in cases:
        given = E.copy()
        got = call(f, given, i)
        if got is None:
            return None
        if not np.array_equal(given, E):
            return wrong("your function changed E; divide into a new array (E / lengths)")
        got = np.asarray(got, dtype=float)
        want = _cosines(E, i)
        if got.shape != want.shape:
            if got.size == want.size:
                return wrong(f"the right count in shape {got.shape}; return a flat (V,) array")
            return wrong(f"one cosine per word: shape {want.shape} for E of shape {E.shape}")
        if np.allclose(got, want):
            continue
        lengths = np.linalg.norm(E, axis=1)
        if np.allclose(got, E @ E[i]):
            return wrong("those are dot products; divide by both vectors' lengths")
        if np.allclose(got, E @ E[i] / lengths[i]):
            return wrong("you divided by the length of row i only; each row needs its own length")
        if np.allclose(got, E @ E[i] / lengths):
            return wrong("you divided by each row's length but not by row i's")
        cols = E / np.linalg.norm(E, axis=0, keepdims=True)
        if np.allclose(got, cols @ cols[i]):
            return wrong(
                "you normalised along the wrong axis: axis=0 divides each column; each word is "
                "a row, so take the lengths along axis=1"
            )
        if np.allclose(got, E @ E[i] / (np.linalg.norm(E) * lengths[i])):
            return wrong(
                "np.linalg.norm(E) without an axis is one length for the whole matrix; each "
                "row needs its own length (axis=1)"
            )
        if np.allclose(got, np.linalg.norm(E - E[i], axis=1)):
            return wrong("those are distances; the cosine compares directions, not positions")
        return wrong(f"for row {i} the cosines should be {np.round(want, 3).tolist()}")
    return right("right for rows of very different lengths, and 1 for the word with itself")


EXERCISES = {
    "06.1": Exercise(
        "06.1",
        "predict",
        "predict the cross-entropy of a model that gives every character 1/65",
        _predict_uniform,
        ["Each term of the average is -log P(actual next character); here every P is 1/65."],
    ),
    "06.2": Exercise(
        "06.2",
        "code",
        "write one BPE merge: replace every occurrence of a pair by a new id",
        _judge_merge,
        [
            "Walk through the list with an index i and a while loop, building a new list.",
            "When ids[i] and ids[i + 1] form the pair, how far must i move so that neither "
            "token is used again? And what happens to the last token?",
        ],
    ),
    "06.3": Exercise(
        "06.3",
        "explore",
        "find the number of merges at which ' lord' becomes one token",
        _explore_lord,
        [
            "The default text ends in 'my lord!'; watch ' lord' (drawn ␣lord) below the figure.",
            "Go in big moves first (0, 500, 250, ...), then one notch at a time.",
        ],
    ),
    "06.4": Exercise(
        "06.4",
        "predict",
        "predict one entry of the embedding's gradient after E.sum().backward()",
        _predict_embedding_grad,
        [
            "Which rows did [4, 0, 4] look up, and how often each?",
            "Chapter 05: a value used twice gets two shares of gradient.",
        ],
    ),
    "06.5": Exercise(
        "06.5",
        "code",
        "write the skip-gram pairs of a list of ids",
        _judge_pairs,
        [
            "Two loops: over positions i, and over distances d from 1 to window.",
            "For each, the context sits at i - d and at i + d, if that position is inside "
            "the list (0 <= j < len(ids)).",
        ],
    ),
    "06.6": Exercise(
        "06.6",
        "predict",
        "predict the skip-gram loss at the first training step",
        _predict_first_loss,
        [
            "A fresh model's context vectors are all zero: what is every score u . v?",
            "sigma(0) = 0.5 for the real pair and sigma(-0) = 0.5 for each negative.",
        ],
    ),
    "06.7": Exercise(
        "06.7",
        "code",
        "write the cosine similarity of word i with every word",
        _judge_cosines,
        [
            "Dividing every row by its own length first turns each dot product into a cosine.",
            "np.linalg.norm(E, axis=1, keepdims=True) holds each row's length, as a column.",
        ],
    ),
}

checker = Checker(EXERCISES)  # counts the hints shown in this session
check, hint = checker.check, checker.hint  # what the notebook calls
