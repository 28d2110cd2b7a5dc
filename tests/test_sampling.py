"""nnlib.sampling: the sampling knobs by hand, prompts' edge cases, the traced forward pass."""

import math

import numpy as np
import pytest

from nnlib import functional as F
from nnlib import sampling as S
from nnlib.gpt import GPT, GPTConfig
from nnlib.sampling import generate, next_token_probs
from nnlib.tokenizers import CharTokenizer

TEXT = "First Citizen:\nBefore we proceed any further, hear me speak.\n"


def small(block_size=8, seed=0):
    tok = CharTokenizer(TEXT)
    config = GPTConfig(tok.vocab_size, block_size, n_layer=2, n_head=2, n_embd=16)
    return GPT(config, np.random.default_rng(seed)), tok


def test_uniform_loss_is_log_vocabulary():
    assert S.uniform_loss(65) == pytest.approx(4.174387, abs=1e-6)
    assert S.uniform_loss(1) == 0.0
    with pytest.raises(ValueError, match="at least 1"):
        S.uniform_loss(0)


def test_keep_top_k_by_hand_and_clipped():
    z = np.array([1.0, 3.0, 2.0, 0.5])
    np.testing.assert_array_equal(S.keep_top_k(z, 2), [-np.inf, 3.0, 2.0, -np.inf])
    np.testing.assert_array_equal(S.keep_top_k(z, 1), [-np.inf, 3.0, -np.inf, -np.inf])
    np.testing.assert_array_equal(S.keep_top_k(z, 4), z)
    np.testing.assert_array_equal(S.keep_top_k(z, 1000), z)  # k > V is clipped to V
    np.testing.assert_array_equal(S.keep_top_k(z, None), z)
    # ties with the k-th largest are all kept
    np.testing.assert_array_equal(S.keep_top_k([2.0, 1.0, 2.0], 1), [2.0, -np.inf, 2.0])
    with pytest.raises(ValueError, match="top_k must be"):
        S.keep_top_k(z, 0)
    with pytest.raises(ValueError, match=r"shape \(V,\)"):
        S.keep_top_k(np.zeros((2, 3)), 1)


def test_probs_from_scores_by_hand():
    z = np.array([0.0, np.log(3.0)])  # exp: 1 and 3
    np.testing.assert_allclose(S.probs_from_scores(z), [0.25, 0.75])
    np.testing.assert_allclose(S.probs_from_scores(z, temperature=0.5), [0.1, 0.9])  # 1 : 9
    np.testing.assert_allclose(S.probs_from_scores(z, temperature=1e6), [0.5, 0.5], atol=1e-6)
    np.testing.assert_allclose(S.probs_from_scores(z, top_k=1), [0.0, 1.0])


def test_temperature_zero_is_greedy_without_division():
    z = np.array([0.3, 2.0, -1.0, 1.9])
    with np.errstate(divide="raise", over="raise", invalid="raise"):  # no 1/0, inf or NaN
        p = S.probs_from_scores(z, temperature=0)
        tiny = S.probs_from_scores(z, temperature=1e-9)
    np.testing.assert_array_equal(p, [0.0, 1.0, 0.0, 0.0])
    np.testing.assert_allclose(tiny, p, atol=1e-12)  # the limit T -> 0 is greedy
    with pytest.raises(ValueError, match="temperature"):
        S.probs_from_scores(z, temperature=-0.5)
    with pytest.raises(ValueError, match="temperature"):
        S.probs_from_scores(z, temperature=float("nan"))


def test_same_rule_as_the_model():
    model, tok = small()
    ids = tok.encode("Before")
    z = model(ids[None]).data[0, -1]  # (V,)
    for temperature, top_k in [(1.0, None), (0.7, 5), (0, None), (2.0, 1000), (1.3, 1)]:
        np.testing.assert_allclose(
            S.probs_from_scores(z, temperature, top_k),
            next_token_probs(model, ids, temperature, top_k),
            rtol=1e-6,
            atol=1e-12,
        )


def test_entropy_and_effective_choices():
    assert F.entropy([0.5, 0.5]) == pytest.approx(math.log(2))
    assert F.entropy([1.0, 0.0, 0.0]) == 0.0
    assert S.effective_choices(np.full(65, 1 / 65)) == pytest.approx(65)
    z = np.random.default_rng(0).normal(size=30)
    h = [F.entropy(S.probs_from_scores(z, t)) for t in (0.25, 0.5, 1.0, 2.0)]
    assert h == sorted(h)  # hotter is flatter


def test_top_tokens_order_and_ties():
    p = np.array([0.1, 0.4, 0.1, 0.4])
    np.testing.assert_array_equal(S.top_tokens(p, 3), [1, 3, 0])
    assert len(S.top_tokens(p, 15)) == 4  # k > V: all of them


def test_prompt_edge_cases():
    _, tok = small()
    np.testing.assert_array_equal(S.encode_prompt(tok, "hear"), tok.encode("hear"))
    # empty prompt: a newline
    np.testing.assert_array_equal(S.encode_prompt(tok, ""), tok.encode("\n"))
    # longer than the block: the last block_size characters
    np.testing.assert_array_equal(S.encode_prompt(tok, "Before we", 4), tok.encode("e we"))
    assert len(S.encode_prompt(tok, TEXT, 8)) == 8
    np.testing.assert_array_equal(S.encode_prompt(tok, TEXT, 8), tok.encode(TEXT[-8:]))
    # unknown characters: an error that names each of them
    with pytest.raises(ValueError, match=r"'Z'.*'@'|'@'.*'Z'"):
        S.encode_prompt(tok, "Zoo@")
    with pytest.raises(TypeError, match="str"):
        S.encode_prompt(tok, [1, 2])


def test_sample_text_matches_generate_and_reports_progress():
    model, tok = small()
    seen = []
    text = S.sample_text(
        model,
        tok,
        "Before",
        12,
        0.8,
        10,
        np.random.default_rng(5),
        lambda i, ch: seen.append((i, ch)),
    )
    ids = generate(model, tok.encode("Before"), 12, 0.8, 10, np.random.default_rng(5))
    assert text == tok.decode(ids)
    assert [i for i, _ in seen] == list(range(1, 13)) and "".join(ch for _, ch in seen) == text
    again = S.sample_text(model, tok, "Before", 12, 0.8, 10, np.random.default_rng(5))
    assert again == text  # same seed, same sample


def test_sample_text_edge_cases():
    model, tok = small(block_size=8)
    # empty prompt = a newline prompt
    a = S.sample_text(model, tok, "", 10, rng=np.random.default_rng(1))
    assert a == S.sample_text(model, tok, "\n", 10, rng=np.random.default_rng(1))
    # a prompt longer than the block: only its last 8 characters matter
    long = "Before we proceed any further, hear me"
    b = S.sample_text(model, tok, long, 10, temperature=0)
    assert b == S.sample_text(model, tok, long[-8:], 10, temperature=0)
    # temperature 0 needs no rng and is deterministic; top_k > V is the same as no top_k
    assert b == S.sample_text(model, tok, long, 10, temperature=0, top_k=999)
    c = S.sample_text(model, tok, "hear", 10, 1.0, 10_000, np.random.default_rng(2))
    assert c == S.sample_text(model, tok, "hear", 10, 1.0, None, np.random.default_rng(2))
    with pytest.raises(ValueError, match="unknown character"):
        S.sample_text(model, tok, "xyz!", 3, temperature=0)


def test_trace_shapes_follows_the_forward_pass():
    model, tok = small(block_size=8)
    ids = tok.encode("hear me")[None]  # (1, 7)
    steps, logits = S.trace_shapes(model, ids)
    shapes = dict(steps)
    V, C = tok.vocab_size, 16
    assert steps[0] == ("ids", (1, 7))
    assert shapes["token embedding wte[ids]"] == (1, 7, C)
    assert shapes["position embedding wpe[0..T-1]"] == (7, C)
    assert shapes["block 1: attention weights"] == (1, 2, 7, 7)
    assert shapes["block 0: MLP hidden gelu(up(ln2(x)))"] == (1, 7, 4 * C)
    assert steps[-1] == ("logits = unembedding(x)", (1, 7, V))
    assert len(steps) == 4 + 4 * 2 + 2
    np.testing.assert_allclose(logits, model(ids).data, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="block_size 8"):
        S.trace_shapes(model, np.zeros((1, 9), dtype=np.int64))


def test_load_char_gpt_round_trip(tmp_path):
    from nnlib import checkpoint

    model, tok = small()
    path = tmp_path / "m.npz"
    checkpoint.save(model, path, {"config": model.config.to_dict(), "tokenizer": tok.state()})
    loaded, tok2, meta = S.load_char_gpt(path)
    assert tok2.chars == tok.chars and meta["config"] == model.config.to_dict()
    ids = tok.encode("hear")[None]
    np.testing.assert_array_equal(loaded(ids).data, model(ids).data)


def test_counting_losses_by_hand():
    unigram, bigram = S.counting_losses([0, 1, 0, 1], [0, 1, 0], V=2)
    assert math.isclose(unigram, math.log(2))  # counts 2 + 1 each: p = 1/2
    # pairs plus one: 0 -> 1 three times, 0 -> 0 once; 1 -> 0 twice, 1 -> 1 once
    assert math.isclose(bigram, -(math.log(3 / 4) + math.log(2 / 3)) / 2)


def test_counting_losses_bigram_wins_on_a_predictable_text():
    ids = np.tile(np.arange(5), 200)  # 0 1 2 3 4 0 1 2 ...: each token fixes the next
    unigram, bigram = S.counting_losses(ids[:800], ids[800:], V=5)
    assert math.isclose(unigram, math.log(5), rel_tol=1e-2)
    assert math.log(165 / 161) <= bigram < math.log(164 / 159)  # ~160 right + 5 add-ones a row


def test_counting_losses_unseen_pairs_are_finite_and_short_input_is_an_error():
    unigram, bigram = S.counting_losses([0, 0, 0], [1, 2, 1], V=3)
    assert np.isfinite(unigram) and np.isfinite(bigram)
    with pytest.raises(ValueError, match="at least 2"):
        S.counting_losses([0], [0, 1], V=2)


def test_the_checkpoint_is_found_and_nnlib_checkpoint_overrides_it(tmp_path, monkeypatch):
    assert S.checkpoint_path() == S.CHECKPOINT and S.CHECKPOINT.is_file()
    monkeypatch.setenv("NNLIB_CHECKPOINT", str(tmp_path / "mine.npz"))
    assert S.checkpoint_path() == tmp_path / "mine.npz"


def test_model_or_checkpoint_wants_both_or_neither():
    model = GPT(
        GPTConfig(vocab_size=5, block_size=4, n_layer=1, n_head=1, n_embd=4),
        np.random.default_rng(0),
    )
    with pytest.raises(ValueError, match="give both model and tokenizer"):
        S.model_or_checkpoint(model, None)
    tok = CharTokenizer("abcde")
    assert S.model_or_checkpoint(model, tok) == (model, tok)
