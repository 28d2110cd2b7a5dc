"""Chapter 08's exercises: each worked solution passes, and each typical wrong answer (a mistake
the chapter warns about) is rejected with its own feedback."""

import math
import sys
from pathlib import Path

import numpy as np
import pytest

from nnlib import functional as F
from nnlib.exercises import ch08_gpt as ex
from nnlib.gpt import GPT3, param_table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from solutions.ch08_gpt import SOLUTIONS  # noqa: E402


def test_the_count_is_the_chapters_and_the_sliders_target_is_measured():
    assert SOLUTIONS["08.6"](50257, 12288, 96, 96) == param_table(GPT3)[-1][3] == 175_181_291_520
    assert 0.1 < ex._tau_at(0.99) < 0.15  # slider values 0.10 and 0.15 are accepted
    assert ex.check("08.4", 0.1).ok is True and ex.check("08.4", 0.2).ok is False


def softmax_no_guard(z, temperature):
    e = np.exp(z / temperature)
    return e / e.sum()


def greedy_as_index(z, temperature):
    return np.argmax(z) if temperature == 0 else F.softmax(z / temperature)


def no_clip(z, k):
    return np.where(z < np.sort(z)[-k], -np.inf, z)  # np.sort(z)[-9] for k = 9 > V fails


def in_place(z, k):
    z[z < np.sort(z)[-min(k, len(z))]] = -np.inf
    return z


def count(V, C, L, H, unembedding=1, head_qkv=None, mlp=8, output=1, blocks=None):
    """A weight count as a reader might write it, with one thing changed."""
    qkv = 3 * C * C if head_qkv is None else head_qkv
    return (1 + unembedding) * V * C + (L if blocks is None else blocks) * (
        qkv + output * C * C + mlp * C * C
    )


WRONG = [  # exercise, wrong answer, words the feedback must contain
    ("08.1", (1, 65), "every position"),
    ("08.1", (1, 15, 128), "width of the stream"),
    ("08.1", (15, 65), "batch axis"),
    ("08.1", (1, 64, 65), "prompt has T = 15"),
    ("08.1", "(1, 15, 65)", "tuple of whole numbers"),
    ("08.2", lambda z, t: F.softmax(z * t) if t else F.softmax(z), "multiplied"),
    ("08.2", lambda z, t: F.softmax(z), "plain softmax"),
    ("08.2", lambda z, t: F.softmax(z) / t, "divided the probabilities"),
    ("08.2", lambda z, t: np.exp(z / t), "divide by their sum"),
    ("08.2", softmax_no_guard, "overflows"),
    ("08.2", lambda z, t: F.softmax(z / t), "treat 0 on its own"),
    ("08.2", greedy_as_index, "single number"),
    ("08.2", lambda z, t: F.softmax(z / (t or 1.0)), "should be greedy"),
    ("08.2", lambda z, t: F.softmax(z / float(t)) if t else 1 / 0, "Temperature 0 means"),
    ("08.3", lambda z, k: np.where(z < np.sort(z)[-k], 0.0, z), "e^0 = 1"),
    ("08.3", lambda z, k: np.where(z > np.sort(z)[k - 1], -np.inf, z), "smallest"),
    ("08.3", lambda z, k: np.where(z <= np.sort(z)[-k], -np.inf, z), "must stay"),
    ("08.3", lambda z, k: np.where(z < np.sort(z)[-k - 1], -np.inf, z), "off by one"),
    ("08.3", no_clip, "min(k, len(z))"),
    ("08.3", in_place, "in place"),
    ("08.3", lambda z, k: np.argsort(z)[-k:], "return all 6 scores"),
    ("08.3", lambda z, k: F.softmax(np.where(z < np.sort(z)[-k], -np.inf, z)), "not probabilities"),
    ("08.4", 0, "by definition"),
    ("08.4", 1.0, "go lower"),
    ("08.4", 0.05, "go back up"),
    ("08.4", 3, "0 to 2"),
    ("08.5", "KING RICHA", "chapter's example"),
    ("08.5", "", "empty prompt"),
    ("08.5", "café", "unknown character"),
    ("08.5", "ROMEO:\nWhat say", "best guess"),
    ("08.5", 3, "string in quotes"),
    ("08.6", lambda V, C, L, H: count(V, C, L, H, unembedding=0), "unembedding"),
    ("08.6", lambda V, C, L, H: count(V, C, L, H, head_qkv=3 * H * C * C), "hs x C"),
    ("08.6", lambda V, C, L, H: count(V, C, L, H, mlp=2), "widens to 4C"),
    ("08.6", lambda V, C, L, H: count(V, C, L, H, output=0), "output matrix"),
    ("08.6", lambda V, C, L, H: count(V, C, L, H, blocks=1), "one block"),
    ("08.6", lambda V, C, L, H: float(count(V, C, L, H)), "as a float"),
    ("08.6", lambda V, C, L, H: count(V, C, L, H) + L * 4 * C, "too many"),
    ("08.6", lambda V, C, L, H: count(V, C, L, H) - V * C - L * C * C, "too few"),
    ("08.7", 1 / 65, "probability of each"),
    ("08.7", 65, "number of characters"),
    ("08.7", math.log2(65), "bits"),
    ("08.7", 1.88, "trained model"),
    ("08.7", 0, "knowing every next"),
]


@pytest.mark.parametrize("exercise_id, answer, words", WRONG)
def test_a_typical_mistake_is_named(exercise_id, answer, words):
    result = ex.check(exercise_id, answer)
    assert result.ok is False, result
    assert words in result.message, result.message


def test_every_exercise_has_at_least_three_named_mistakes_except_the_slider_ones():
    counts = {i: sum(1 for e, _, _ in WRONG if e == i) for i in ex.EXERCISES}
    assert all(n >= 3 for i, n in counts.items() if ex.EXERCISES[i].kind != "explore"), counts
    assert all(n >= 2 for n in counts.values()), counts
