"""Tests for nnlib.chapters.ch07_attention.

Hand-computed scores and weights, agreement with nnlib.gpt.
"""

import numpy as np
import pytest

from nnlib import functional as F
from nnlib import sampling
from nnlib.chapters import ch07_attention as attention
from nnlib.fused import attention_scores, merge_heads, split_heads
from nnlib.gpt import GPT, CausalSelfAttention, GPTConfig
from nnlib.tensor import no_grad
from nnlib.tokenizers import CharTokenizer


def small_gpt(seed=0, **sizes):
    config = GPTConfig(
        **{**dict(vocab_size=7, block_size=8, n_layer=2, n_head=2, n_embd=8), **sizes}
    )
    return GPT(config, np.random.default_rng(seed))


def randomized_attention(H, C=8, seed=0, bias=True):
    """A CausalSelfAttention with every weight and bias random (biases start at zero)."""
    rng = np.random.default_rng(seed)
    config = GPTConfig(vocab_size=5, block_size=8, n_layer=1, n_head=H, n_embd=C, bias=bias)
    attn = CausalSelfAttention(config, rng)
    for p in attn.parameters():
        p.data = rng.normal(scale=0.5, size=p.shape).astype(p.dtype)
    return attn


def test_scores_by_hand():
    q = np.array([[1.0, 0.0], [0.0, 1.0]])
    k = np.array([[1.0, 1.0], [2.0, 0.0]])
    S = attention_scores(q, k)  # q_t . k_s / sqrt(2)
    assert np.allclose(S, np.array([[1.0, 2.0], [1.0, 0.0]]) / np.sqrt(2))


def test_scores_shape_error():
    with pytest.raises(ValueError, match=r"got \(3, 4\) and \(3, 5\)"):
        attention_scores(np.zeros((3, 4)), np.zeros((3, 5)))


def test_causal_mask():
    assert np.array_equal(
        attention.causal_mask(3),
        np.array([[True, False, False], [True, True, False], [True, True, True]]),
    )


def test_attention_weights_by_hand():
    S = np.array([[5.0, 9.0], [0.0, np.log(3.0)]])
    A = attention.attention_weights(S)
    # row 0 sees only itself; row 1: exp(0) : exp(log 3) = 1 : 3
    assert np.allclose(A, [[1.0, 0.0], [0.25, 0.75]])
    assert np.allclose(attention.attention_weights(S, causal=False)[1], [0.25, 0.75])


def test_attention_weights_scale_extremes():
    rng = np.random.default_rng(0)
    S = rng.normal(size=(2, 5, 5))
    S[..., np.triu_indices(5, 1)[0], np.triu_indices(5, 1)[1]] = -np.inf  # as the model's scores
    flat = attention.attention_weights(S, scale=0.0)
    expected = np.tril(np.ones((5, 5))) / np.arange(1, 6)[:, None]  # equal over s <= t
    assert np.allclose(flat, expected) and not np.isnan(flat).any()
    sharp = attention.attention_weights(S, scale=1e4)
    allowed = np.where(attention.causal_mask(5), S, -np.inf)
    assert np.allclose(sharp, np.eye(5)[np.argmax(allowed, axis=-1)])
    one = attention.attention_weights(S)
    assert np.allclose(one.sum(-1), 1.0) and np.all(np.triu(one[0], 1) == 0)


def test_attention_weights_rejects_bad_input():
    with pytest.raises(ValueError, match="square"):
        attention.attention_weights(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="scale >= 0"):
        attention.attention_weights(np.zeros((2, 2)), scale=-1.0)


def test_scaled_softmax_broadcasts_over_scales():
    z = np.array([1.0, -2.0, 0.5])
    scales = np.array([0.0, 1.0, 3.0])
    P = attention.scaled_softmax(z, scales[:, None])  # (3, 3)
    for p, s in zip(P, scales, strict=True):
        assert np.allclose(p, F.softmax(s * z))
    assert np.allclose(P[0], 1 / 3)


def test_entropy():
    assert F.entropy([1.0, 0.0, 0.0]) == 0.0
    assert not np.signbit(F.entropy([0.0, 1.0]))  # 0, not -0
    assert np.isclose(F.entropy(np.full(8, 1 / 8)), np.log(8))
    assert np.isclose(F.entropy([0.5, 0.25, 0.25]), 1.5 * np.log(2))


def test_single_head_matches_causal_self_attention():
    attn = randomized_attention(H=1)
    x = np.random.default_rng(1).normal(size=(6, 8)).astype(np.float32)  # (T, C)
    with no_grad():
        y_ref = attn(x[None]).data[0]  # (T, C)
    W, b, W_proj, b_proj = attention.attention_params(attn)  # W rows: q, k, v
    y, A = attention.single_head_attention(x, W[:8], W[8:16], W[16:], b[:8], b[8:16], b[16:])
    y = y @ W_proj.T + b_proj
    assert np.allclose(y, y_ref, atol=1e-5)
    assert np.allclose(A.sum(axis=1), 1.0) and np.all(np.triu(A, 1) == 0)


def test_single_head_shape_error():
    with pytest.raises(ValueError, match=r"got x \(4, 3\), Wq \(2, 5\)"):
        attention.single_head_attention(np.zeros((4, 3)), *[np.zeros((2, 5))] * 3)


@pytest.mark.parametrize("H", [1, 2, 4])
def test_multi_head_matches_causal_self_attention(H):
    attn = randomized_attention(H=H, seed=H)
    x = np.random.default_rng(2).normal(size=(7, 8)).astype(np.float32)
    with no_grad():
        y_ref, P = attn.forward_with_weights(x[None])
        y_ref = y_ref.data[0]
    y, A = attention.multi_head_attention(x, *attention.attention_params(attn), H)
    assert A.shape == (H, 7, 7)
    assert np.allclose(A, P[0], atol=1e-6)
    assert np.allclose(y, y_ref, atol=1e-5)


def test_attention_params_without_biases():
    attn = randomized_attention(H=2, bias=False)
    W, b, W_proj, b_proj = attention.attention_params(attn)
    assert W.shape == (24, 8) and np.all(b == 0) and b.shape == (24,)
    assert W_proj.shape == (8, 8) and np.all(b_proj == 0) and b_proj.shape == (8,)
    x = np.random.default_rng(4).normal(size=(5, 8)).astype(np.float32)
    with no_grad():
        y_ref = attn(x[None]).data[0]
    assert np.allclose(
        attention.multi_head_attention(x, W, b, W_proj, b_proj, 2)[0], y_ref, atol=1e-5
    )


def test_multi_head_shape_error():
    with pytest.raises(ValueError, match=r"W_attn \(24, 8\)"):
        attention.multi_head_attention(
            np.zeros((3, 8)), np.zeros((8, 8)), np.zeros(8), np.zeros((8, 8)), np.zeros(8), 2
        )


def test_split_and_merge_heads():
    X = np.arange(2 * 3 * 6).reshape(2, 3, 6)  # (B, T, C)
    heads = split_heads(X, 3)  # (B, H, T, hs)
    assert heads.shape == (2, 3, 3, 2)
    assert np.array_equal(heads[1, 2], X[1, :, 4:6])  # head 2 holds columns 4 and 5
    assert np.array_equal(merge_heads(heads), X)
    with pytest.raises(ValueError, match="C = 6 is not divisible by H = 4"):
        split_heads(X, 4)


def test_attention_without_mask_or_positions_ignores_order():
    attn = randomized_attention(H=2)
    x = np.random.default_rng(3).normal(size=(5, 8))
    perm = np.array([3, 0, 4, 1, 2])
    params = (*attention.attention_params(attn), 2)
    y, _ = attention.multi_head_attention(x, *params, causal=False)
    y_perm, _ = attention.multi_head_attention(x[perm], *params, causal=False)
    assert np.allclose(y_perm, y[perm])
    # with the mask, the last position sees the same set in any order of the earlier ones
    y_c, _ = attention.multi_head_attention(x, *params)
    swap = np.array([1, 0, 3, 2, 4])
    assert np.allclose(attention.multi_head_attention(x[swap], *params)[0][4], y_c[4])


def test_random_dot_products_variance_grows_with_d():
    rng = np.random.default_rng(0)
    for d in (4, 64):
        dots = attention.random_dot_products(d, 20000, rng)
        assert abs(dots.var() / d - 1) < 0.05
        assert abs((dots / np.sqrt(d)).var() - 1) < 0.05


def test_sinusoidal_positions():
    P = attention.sinusoidal_positions(10, 6)
    assert np.allclose(P[0], [0, 1, 0, 1, 0, 1])
    assert np.allclose(P[:, 0], np.sin(np.arange(10)))
    assert np.allclose(P[:, 3], np.cos(np.arange(10) / 10000 ** (2 / 6)))
    assert np.allclose(np.linalg.norm(P, axis=1), np.sqrt(3))  # each (sin, cos) pair has length 1
    with pytest.raises(ValueError, match="even width"):
        attention.sinusoidal_positions(4, 5)


def test_cosine_similarity():
    P = np.array([[1.0, 0.0], [0.0, 2.0], [-3.0, 0.0]])
    assert np.allclose(F.cosine_similarity(P, P), [[1, 0, -1], [0, 1, 0], [-1, 0, 1]])


def test_gpt_attention_weights_and_scores_agree():
    model = small_gpt()
    ids = np.array([1, 5, 2, 2, 0, 6])
    A = attention.gpt_attention_weights(model, ids)
    S = attention.gpt_attention_scores(model, ids)
    assert A.shape == S.shape == (2, 2, 6, 6)
    assert np.allclose(attention.attention_weights(S), A, atol=1e-6)
    assert np.all(np.isneginf(S[..., np.triu_indices(6, 1)[0], np.triu_indices(6, 1)[1]]))
    # the model itself is unchanged: same logits as before
    with no_grad():
        before = model(ids[None]).data
    attention.gpt_attention_weights(model, ids)
    with no_grad():
        assert np.array_equal(model(ids[None]).data, before)


def test_gpt_attention_layer_zero_is_multi_head_attention_on_the_embeddings():
    model = small_gpt(seed=3)
    ids = np.array([4, 4, 1, 3])
    block = model.blocks[0]
    with no_grad():
        x = block.ln_1(model.wte(ids[None]) + model.wpe(np.arange(4))).data[0]  # (T, C)
    _, A = attention.multi_head_attention(x, *attention.attention_params(block.attn), 2)
    assert np.allclose(attention.gpt_attention_weights(model, ids)[0], A, atol=1e-6)


def test_encode_text_crops_and_drops():
    tok = CharTokenizer("abc \n")
    kept, ids, dropped = attention.encode_text("abXc cYba", tok, block_size=5)
    assert kept == "abc c" and dropped == ["X", "Y"]
    assert np.array_equal(ids, tok.encode("abc c"))


@pytest.mark.skipif(not sampling.CHECKPOINT.is_file(), reason="the trained checkpoint is absent")
def test_load_trained_gpt():
    model, tok, meta = sampling.load_char_gpt()
    assert model.config.block_size == meta["config"]["block_size"]
    assert tok.vocab_size == model.config.vocab_size
    kept, ids, _ = attention.encode_text("ROMEO:\nBut soft!", tok, model.config.block_size)
    A = attention.gpt_attention_weights(model, ids)
    assert A.shape == (model.config.n_layer, model.config.n_head, len(kept), len(kept))


def test_pattern_strengths_by_hand():
    text = "ab cde"  # word starts: a b _ c d e -> w = 0 0 0 3 3 3
    T = len(text)
    previous = np.eye(T, k=-1)
    previous[0, 0] = 1.0  # a head that always looks one back
    word = np.zeros((T, T))
    word[np.arange(T), [0, 0, 0, 3, 3, 3]] = 1.0  # a head that looks at its word's start
    p = attention.pattern_strengths(np.stack([previous, word]), text)
    assert np.allclose(p["previous"], [1.0, 2 / 5])  # rows 1..5; the word head hits t=1, t=4
    assert np.allclose(p["self"], [1 / 6, 2 / 6])  # 0->0; and 3->3 for the word head
    assert np.allclose(p["first"], [1 / 5, 2 / 5])
    assert np.allclose(p["word_start"], [0.0, 1.0])  # only t = 2 and t = 5 count
    assert np.allclose(p["uniform"], np.mean(1 / np.arange(2, 7)))
    with pytest.raises(ValueError, match="text has 3"):
        attention.pattern_strengths(np.eye(4), "abc")


def test_single_head_biases():
    rng = np.random.default_rng(5)
    x, Wq, Wk, Wv = rng.normal(size=(4, 3)), *rng.normal(size=(3, 2, 3))
    bq, bk, bv = rng.normal(size=(3, 2))
    y, A = attention.single_head_attention(x, Wq, Wk, Wv, bq, bk, bv)
    q, k, v = x @ Wq.T + bq, x @ Wk.T + bk, x @ Wv.T + bv
    assert np.allclose(y, attention.attention_weights(q @ k.T / np.sqrt(2)) @ v)


def test_bank_takes_the_sense_of_the_clear_noun_before_it():
    vectors, Wq, Wk, Wv = attention.bank_example()
    water, money = np.eye(5)[:2]
    for noun, sense, other in (("river", water, money), ("money", money, water)):
        words = ["walk", "the", noun, "to", "the", "bank"]
        w, new = attention.word_in_context(words, vectors, Wq, Wk, Wv)
        assert w.shape == (6,) and np.isclose(w.sum(), 1) and np.argmax(w) == 2
        # by hand: score of the noun 2.5 * 2.5 / sqrt(5), every other score 0
        e = np.exp(6.25 / np.sqrt(5))
        assert np.isclose(w[2], e / (e + 5))
        assert F.cosine_similarity(new, sense) > 0.7 > 0.35 > F.cosine_similarity(new, other)
    bank = vectors["bank"]
    assert np.isclose(F.cosine_similarity(bank, water), F.cosine_similarity(bank, money))


def test_word_in_context_without_a_clear_noun_changes_nothing_of_the_senses():
    vectors, Wq, Wk, Wv = attention.bank_example()
    w, new = attention.word_in_context(["the", "bank"], vectors, Wq, Wk, Wv)
    assert np.allclose(w, 0.5)  # no key answers the query: equal weights
    assert np.isclose(new[0], new[1])  # water and money still equal
    with pytest.raises(ValueError, match="no vector for"):
        attention.word_in_context(["the", "bank", "vault"], vectors, Wq, Wk, Wv)
