"""Tests for nnlib.tokenizers: round trips, the worked BPE example, training rules, errors."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib import data
from nnlib.tokenizers import SPLIT_PATTERN, BPETokenizer, CharTokenizer, split_into_chunks


def english_text(n_chars):
    """The first n_chars of tiny Shakespeare, as the repository bundles it in data/."""
    return data.load_shakespeare(download=False)[:n_chars]


TRAIN_TEXT = english_text(60_000)[:50_000]
HELD_OUT = english_text(60_000)[50_000:]
N_MERGES = 200
TRICKY = [
    "",
    "a",
    "hello world",
    "\n\n  \t\r\n",
    "naïve café",
    "e\u0301\u0301 combining",
    "日本語のテキスト",
    "emoji 🙂👍🏽 and 👨‍👩‍👧",
    "don't  stop__now 12345 ...!?",
    "\x00\x7f\u2028\ufeff",
]


@pytest.fixture(scope="module")
def bpe():
    return BPETokenizer.train(TRAIN_TEXT, N_MERGES)


# ---- the worked example and the training rules ----


def test_worked_example_merges():
    tok = BPETokenizer.train("aaabdaaabac", 3)
    assert tok.merges == [((97, 97), 256), ((97, 98), 257), ((256, 257), 258)]
    ids = tok.encode("aaabdaaabac")
    assert ids.tolist() == [258, 100, 258, 97, 99]
    assert ids.dtype == np.intp  # numpy's index type: bincount and indexing need no cast
    assert tok.token_strings(ids) == ["aaab", "d", "aaab", "a", "c"]
    assert tok.vocab[258] == b"aaab" and tok.vocab_size == 259


def test_ties_go_to_the_smallest_pair():
    # every pair occurs once; (97, 98) "ab" is the smallest although it comes last
    assert BPETokenizer.train("cdab", 1).merges == [((97, 98), 256)]


def test_training_stops_when_no_pair_is_left():
    tok = BPETokenizer.train("ab ab", 10)
    assert [tok.vocab[new_id] for _, new_id in tok.merges] == [b"ab", b" ab"]


def test_training_is_deterministic(bpe):
    again = BPETokenizer.train(TRAIN_TEXT, N_MERGES)
    assert again.merges == bpe.merges
    assert len(bpe.merges) == N_MERGES and bpe.vocab_size == 256 + N_MERGES


def test_fewer_merges_are_a_prefix_of_more(bpe):
    assert BPETokenizer.train(TRAIN_TEXT, 40).merges == bpe.merges[:40]


def test_merges_do_not_cross_chunks():
    tok = BPETokenizer.train("dog. dog. dog.", 20)
    assert all(b". " not in v and b"g." not in v for v in tok.vocab.values())


def test_encoding_gets_shorter_as_merges_grow(bpe):
    lengths = [len(bpe.with_merges(k).encode(HELD_OUT)) for k in (0, 10, 50, 100, 200)]
    assert lengths[0] == len(HELD_OUT.encode("utf-8"))
    assert all(a > b for a, b in zip(lengths[:-1], lengths[1:], strict=True)), lengths


def test_with_merges_uses_a_prefix(bpe):
    tok = bpe.with_merges(7)
    assert tok.merges == bpe.merges[:7] and tok.vocab_size == 263
    assert bpe.with_merges(N_MERGES).encode(HELD_OUT).tolist() == bpe.encode(HELD_OUT).tolist()
    assert BPETokenizer().encode("hé").tolist() == [104, 0xC3, 0xA9]


# ---- round trips ----


@pytest.mark.parametrize("s", TRICKY)
def test_bpe_round_trip_tricky_strings(bpe, s):
    assert bpe.decode(bpe.encode(s)) == s
    assert bpe.with_merges(0).decode(bpe.with_merges(0).encode(s)) == s


@settings(max_examples=150, deadline=None)
@given(s=st.text())
def test_bpe_round_trip_any_text(bpe, s):
    ids = bpe.encode(s)
    assert bpe.decode(ids) == s
    assert len(ids) <= len(s.encode("utf-8"))


@settings(max_examples=150, deadline=None)
@given(s=st.text(), k=st.sampled_from([0, 1, 5, 30, 120, N_MERGES]))
def test_bpe_round_trip_with_fewer_merges(bpe, s, k):
    tok = bpe.with_merges(k)
    assert tok.decode(tok.encode(s)) == s


@settings(max_examples=100, deadline=None)
@given(s=st.text())
def test_chunks_cover_the_text(s):
    assert "".join(split_into_chunks(s)) == s


def test_split_into_chunks_example():
    assert split_into_chunks("Hello world!! it's 42") == [
        "Hello",
        " world",
        "!!",
        " it",
        "'s",
        " 42",
    ]


def test_token_strings_show_partial_bytes_as_escapes(bpe):
    raw = BPETokenizer()
    assert raw.token_strings(raw.encode("é")) == ["\\xc3", "\\xa9"]
    assert raw.token_bytes(raw.encode("é")) == [b"\xc3", b"\xa9"]
    ids = bpe.encode(" the king")
    assert "".join(bpe.token_strings(ids)) == " the king"
    assert b"".join(bpe.token_bytes(ids)) == b" the king"


def test_decode_replaces_invalid_bytes():
    assert BPETokenizer().decode([0xE2, 104]) == "\ufffdh"


# ---- CharTokenizer ----


@settings(max_examples=100, deadline=None)
@given(text=st.text(min_size=1))
def test_char_round_trip(text):
    tok = CharTokenizer(text)
    ids = tok.encode(text)
    assert ids.dtype == np.intp and len(ids) == len(text)
    assert tok.decode(ids) == text
    assert tok.chars == sorted(set(text)) and tok.vocab_size == len(set(text))


def test_char_ids_are_sorted_characters():
    tok = CharTokenizer("hello")
    assert tok.chars == ["e", "h", "l", "o"]
    assert tok.encode("hole").tolist() == [1, 3, 2, 0]
    assert tok.encode("").tolist() == []
    assert tok.decode([]) == ""


def test_char_unknown_characters_are_named():
    tok = CharTokenizer("abc ")
    with pytest.raises(
        ValueError, match=r"2 unknown character\(s\): 'z', 'é'\..*vocab_size 4\) is ' abc'"
    ):
        tok.encode("a zéz é")


def test_char_unknown_characters_are_capped_at_ten():
    tok = CharTokenizer("a")
    with pytest.raises(
        ValueError, match=r"'k' and 5 more\. The vocabulary .*vocab_size 1\) is 'a'$"
    ):
        tok.encode("bcdefghijklmnop")


# ---- state ----


def test_char_state_round_trip():
    tok = CharTokenizer(TRAIN_TEXT)
    state = json.loads(json.dumps(tok.state()))
    again = CharTokenizer.from_state(state)
    assert again.chars == tok.chars
    assert again.encode(TRAIN_TEXT[:500]).tolist() == tok.encode(TRAIN_TEXT[:500]).tolist()


def test_bpe_state_round_trip(bpe):
    state = json.loads(json.dumps(bpe.state()))
    again = BPETokenizer.from_state(state)
    assert again.merges == bpe.merges and again.vocab == bpe.vocab
    assert again.encode(HELD_OUT).tolist() == bpe.encode(HELD_OUT).tolist()


def test_from_state_rejects_the_wrong_kind(bpe):
    with pytest.raises(ValueError, match="expected a CharTokenizer state"):
        CharTokenizer.from_state(bpe.state())
    with pytest.raises(ValueError, match="expected a BPETokenizer state"):
        BPETokenizer.from_state(CharTokenizer("ab").state())
    with pytest.raises(ValueError, match=r"merge 0 must join two existing tokens"):
        BPETokenizer([((97, 300), 256)])


@pytest.mark.parametrize(
    "pattern",
    [r"(a+)+$", r"\w+", SPLIT_PATTERN + "|x", 42, None],
    ids=["catastrophic", "other", "altered", "number", "none"],
)
def test_bpe_from_state_accepts_only_nnlib_patterns(bpe, pattern):
    state = {**json.loads(json.dumps(bpe.state())), "pattern": pattern}
    with pytest.raises(ValueError, match="not written by nnlib or was altered"):
        BPETokenizer.from_state(state)


def test_bpe_from_state_names_what_is_missing_or_malformed(bpe):
    state = json.loads(json.dumps(bpe.state()))
    for key in ("pattern", "merges"):
        broken = {k: v for k, v in state.items() if k != key}
        with pytest.raises(ValueError, match=rf"BPETokenizer state has no {key!r}"):
            BPETokenizer.from_state(broken)
    with pytest.raises(ValueError, match=r"merge 3 must be \[a, b, new_id\], got \[1, 2\]"):
        BPETokenizer.from_state({**state, "merges": state["merges"][:3] + [[1, 2]]})
    with pytest.raises(ValueError, match="CharTokenizer state has no 'chars'"):
        CharTokenizer.from_state({"type": "CharTokenizer"})
    for tokenizer in (BPETokenizer, CharTokenizer):
        with pytest.raises(TypeError, match=r"state\(\) returned, got list"):
            tokenizer.from_state(["BPETokenizer"])


# ---- bad inputs ----


@pytest.mark.parametrize("n", [-1, 2.5, "3"])
def test_train_rejects_bad_n_merges(n):
    with pytest.raises(ValueError, match="n_merges must be an integer >= 0"):
        BPETokenizer.train("abc", n)


def test_with_merges_rejects_out_of_range(bpe):
    with pytest.raises(ValueError, match=rf"with_merges expects n in 0..{N_MERGES}, got 201"):
        bpe.with_merges(N_MERGES + 1)
    with pytest.raises(ValueError, match="got -1"):
        bpe.with_merges(-1)


def test_decode_rejects_ids_out_of_range(bpe):
    with pytest.raises(ValueError, match=r"got id 456, .*vocab_size 456"):
        bpe.decode([104, 456])
    with pytest.raises(ValueError, match=r"got id -1, .*vocab_size 456"):
        bpe.token_strings(np.array([-1, 3]))
    with pytest.raises(ValueError, match=r"got id 3, .*vocab_size 3"):
        CharTokenizer("abc").decode([0, 3])


def test_decode_rejects_non_integer_ids():
    with pytest.raises(ValueError, match=r"1-D sequence of integer ids.*\(1, 2\)"):
        CharTokenizer("abc").decode(np.array([[0, 1]]))
    with pytest.raises(ValueError, match="float64"):
        BPETokenizer().decode([1.0, 2.0])


def test_encode_rejects_lone_surrogates():
    with pytest.raises(ValueError, match="lone surrogates"):
        BPETokenizer().encode("a\ud800b")
