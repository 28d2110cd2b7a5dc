"""Chapter 06's exercises: each worked solution passes, and each typical wrong answer (a mistake
the chapter warns about) is rejected with its own feedback."""

import math
import sys
from pathlib import Path

import numpy as np
import pytest

from nnlib.chapters import ch06_tokens_and_embeddings as word2vec
from nnlib.exercises import ch06_tokens_and_embeddings as ex

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from solutions.ch06_tokens_and_embeddings import SOLUTIONS  # noqa: E402


def merge_with(step=2, first_only=False, to_the_end=True):
    """A reader's merge that moves on by `step` after a merge, and other typical slips."""

    def merge(ids, pair, new_id):
        out, i, done = [], 0, False
        stop = len(ids) if to_the_end else len(ids) - 1
        while i < stop:
            if i + 1 < len(ids) and (ids[i], ids[i + 1]) == pair and not (first_only and done):
                out.append(new_id)
                i, done = i + step, True
            else:
                out.append(ids[i])
                i += 1
        return out

    return merge


def merge_from_the_right(ids, pair, new_id):
    backwards = SOLUTIONS["06.2"](ids[::-1], pair[::-1], new_id)
    return backwards[::-1]


def pairs_with(distances, wrap=False):
    """A reader's skip-gram pairs at the given signed distances (a function of window)."""

    def pairs_of(ids, window):
        out = []
        for i in range(len(ids)):
            for d in distances(window):
                j = i + d
                if 0 <= j < len(ids) or (wrap and -len(ids) <= j < 0):
                    out.append((ids[i], ids[j]))
        return out

    return pairs_of


def both_sides(window):
    return [d for k in range(1, window + 1) for d in (-k, k)]


def upper_end_left_out(ids, window):  # range(i - window, i + window) misses i + window
    n = len(ids)
    return [
        (ids[i], ids[j])
        for i in range(n)
        for j in range(max(0, i - window), min(n, i + window))
        if j != i
    ]


def loop_over_pairs_only(ids, pair, new_id):  # no skip after a merge, and no last token
    return [new_id if (a, b) == pair else a for a, b in zip(ids, ids[1:], strict=False)]


def unit_rows_wrong_axis(E, i):
    E_unit = E / np.linalg.norm(E, axis=0, keepdims=True)
    return E_unit @ E_unit[i]


WRONG = [  # exercise, wrong answer, words the feedback must contain
    ("06.1", 1 / 65, "minus its log"),
    ("06.1", math.log2(65), "base 2"),
    ("06.1", 65, "number of characters"),
    ("06.1", -4.174, "wrong sign"),
    ("06.1", 2.45, "bigram"),
    ("06.2", merge_with(step=1), "skip both tokens"),
    ("06.2", merge_with(to_the_end=False), "last token is missing"),
    ("06.2", merge_with(first_only=True), "only the first"),
    ("06.2", merge_from_the_right, "from the right"),
    ("06.2", lambda ids, pair, new_id: 0, "return a list"),
    ("06.3", 195, "one short"),
    ("06.3", 100, "still 2 tokens"),
    ("06.3", 300, "one token already"),
    ("06.3", 196.5, "whole number"),
    ("06.4", 1, "one share"),
    ("06.4", 3, "all the lookups"),
    ("06.4", 6, "sum of row 4"),
    ("06.4", 0, "never looked up"),
    ("06.5", pairs_with(lambda w: range(1, w + 1)), "only context words after"),
    ("06.5", pairs_with(lambda w: range(-w, w + 1)), "with itself"),
    ("06.5", pairs_with(both_sides, wrap=True), "wraps"),
    ("06.5", pairs_with(lambda w: [-w, w]), "exactly"),
    (
        "06.5",
        pairs_with(lambda w: both_sides(w - 1) if w > 1 else both_sides(w)),
        "stops one short",
    ),
    ("06.5", lambda ids, window: sorted(set(pairs_with(both_sides)(ids, window))), "appears twice"),
    ("06.6", math.log(2), "each of the 5 negatives"),
    ("06.6", 5 * math.log(2), "negatives only"),
    ("06.6", 0.5, "-log of it"),
    ("06.6", math.log(65), "log 65"),
    ("06.6", math.log(2000), "softmax over all 2000"),
    ("06.7", lambda E, i: E @ E[i], "dot products"),
    ("06.7", lambda E, i: E @ E[i] / np.linalg.norm(E[i]), "row i only"),
    ("06.7", lambda E, i: E @ E[i] / np.linalg.norm(E, axis=1), "not by row i's"),
    ("06.7", unit_rows_wrong_axis, "wrong axis"),
    ("06.7", lambda E, i: np.linalg.norm(E - E[i], axis=1), "distances"),
    ("06.7", lambda E, i: E @ E[i] / (np.linalg.norm(E) * np.linalg.norm(E[i])), "whole matrix"),
    ("06.5", upper_end_left_out, "missing are contexts 2 after the center"),
    ("06.2", loop_over_pairs_only, "left its second token behind"),
]


@pytest.mark.parametrize("exercise_id, answer, words", WRONG)
def test_a_typical_mistake_is_named(exercise_id, answer, words):
    result = ex.check(exercise_id, answer)
    assert result.ok is False, result
    assert words in result.message, result.message


def test_every_exercise_has_at_least_three_named_mistakes_except_the_slider_one():
    counts = {i: sum(1 for e, _, _ in WRONG if e == i) for i in ex.EXERCISES}
    assert all(n >= 3 for i, n in counts.items() if ex.EXERCISES[i].kind != "explore"), counts
    assert all(n >= 2 for n in counts.values()), counts


def test_the_pieces_of_lord_are_those_of_the_chapters_tokenizer():
    bpe = word2vec.default_tokenizer()  # BPE with 1000 merges on tiny Shakespeare, about 1 s
    changes = {n for at, _ in ex.LORD_PIECES for n in (at - 1, at) if n >= 0}
    for n in sorted(changes | {bpe.n_merges}):  # just before and at each change, and the end
        sub = bpe.with_merges(n)
        assert tuple(sub.token_strings(sub.encode(" lord"))) == ex._lord_pieces(n), n
