"""Tests for nnlib.gpt: gradients, causality, shapes, sampling rules, weight counts, checkpoints."""

import numpy as np
import pytest

from nnlib import checkpoint, sampling
from nnlib.data import get_batch, load_shakespeare, train_val_split
from nnlib.gpt import (
    GPT,
    GPT3,
    Block,
    CausalSelfAttention,
    FeedForward,
    GPTConfig,
    param_table,
)
from nnlib.gradcheck import check_grad, numerical_grad, rel_error
from nnlib.layers import LayerNorm
from nnlib.optim import AdamW
from nnlib.sampling import generate, generate_stream, next_token_probs
from nnlib.tensor import Tensor
from nnlib.tokenizers import CharTokenizer

CHECKPOINT = sampling.CHECKPOINT
TINY = GPTConfig(5, 4, 1, 2, 4, bias=False, tie_weights=True)  # nanoGPT's: no bias, tied
TINY_OLD = GPTConfig(5, 4, 1, 2, 4, bias=True, tie_weights=False)  # biases, own head


def small_model(seed=0, **sizes):
    config = GPTConfig(
        **{**dict(vocab_size=7, block_size=8, n_layer=2, n_head=2, n_embd=8), **sizes}
    )
    return GPT(config, np.random.default_rng(seed))


# ---- gradients, float64, B=2, T=3, C=4, H=2 ----------------------------------------


def _check_layer(layer):
    """Relative error of d(sum(R * layer(x))) / d(x and every parameter)."""
    rng = np.random.default_rng(1)
    layer.astype(np.float64)
    x = Tensor(rng.normal(size=(2, 3, 4)), dtype=np.float64)  # (B, T, C)
    R = rng.normal(size=(2, 3, 4))  # a fixed random weighting makes every output count

    def f():
        return (layer(x) * R).sum()

    return check_grad(f, [x, *layer.parameters()])


@pytest.mark.parametrize("config", [TINY, TINY_OLD], ids=["no_bias", "bias"])
def test_attention_gradients(config):
    attn = CausalSelfAttention(config, np.random.default_rng(0))
    assert (attn.c_attn.b is None) == (not config.bias)
    assert _check_layer(attn) < 1e-6


def test_layernorm_in_context_gradients():
    ln = LayerNorm(4)
    rng = np.random.default_rng(2)
    ln.g.data, ln.b.data = rng.normal(size=4), rng.normal(size=4)  # not the trivial 1 and 0
    assert _check_layer(ln) < 1e-6


@pytest.mark.parametrize("config", [TINY, TINY_OLD], ids=["no_bias", "bias"])
def test_feed_forward_gradients(config):
    assert _check_layer(FeedForward(config, np.random.default_rng(0))) < 1e-6


@pytest.mark.parametrize("config", [TINY, TINY_OLD], ids=["no_bias", "bias"])
def test_block_gradients(config):
    block = Block(config, np.random.default_rng(0))
    names = [name for name, _ in block.named_parameters()]
    if config.bias:
        assert "ln_1.b" in names and "attn.c_proj.b" in names
    else:  # only the weight matrices and the LayerNorm gains are trained
        assert names == ["ln_1.g", "attn.c_attn.W", "attn.c_proj.W", "ln_2.g"] + [
            "mlp.c_fc.W",
            "mlp.c_proj.W",
        ]
        assert block.ln_1.b is None  # no shift at all, as nanoGPT's LayerNorm(bias=False)
    assert _check_layer(block) < 1e-6


@pytest.mark.parametrize("config", [TINY, TINY_OLD], ids=["no_bias_tied", "bias_untied"])
def test_whole_model_loss_gradients(config):
    model = GPT(config, np.random.default_rng(0)).astype(np.float64)
    rng = np.random.default_rng(3)
    ids, targets = rng.integers(0, 5, size=(2, 3)), rng.integers(0, 5, size=(2, 3))
    assert check_grad(lambda: model.loss(ids, targets), model.parameters()) < 1e-6


# ---- weight tying ------------------------------------------------------------------------


def test_tied_embedding_gets_the_sum_of_both_gradients():
    """dL/dwte = (its gradient as the embedding) + (its gradient as the unembedding)."""
    rng = np.random.default_rng(4)
    ids, targets = rng.integers(0, 5, size=(2, 4)), rng.integers(0, 5, size=(2, 4))
    tied = GPT(TINY, np.random.default_rng(0)).astype(np.float64)
    # the same model with the two uses of wte split into two matrices of equal value
    split = GPT(GPTConfig(5, 4, 1, 2, 4, bias=False, tie_weights=False), np.random.default_rng(0))
    split.astype(np.float64)
    split.load_state_dict({**tied.state_dict(), "head.W": tied.wte.W.data})
    tied.loss(ids, targets).backward()
    split.loss(ids, targets).backward()
    np.testing.assert_allclose(tied(ids).data, split(ids).data, rtol=1e-12)
    np.testing.assert_allclose(tied.wte.W.grad, split.wte.W.grad + split.head.W.grad, rtol=1e-10)
    assert np.abs(split.head.W.grad).max() > 1e-3 and np.abs(split.wte.W.grad).max() > 1e-3
    # and the sum is the true derivative: central differences on the shared matrix
    numeric = numerical_grad(lambda: tied.loss(ids, targets).item(), tied.wte.W.data)
    assert rel_error(tied.wte.W.grad, numeric) < 1e-6


def test_shared_matrix_is_listed_and_stored_once():
    model = small_model(bias=False, tie_weights=True)
    assert model.head.W is model.wte.W
    names = [name for name, _ in model.named_parameters()]
    assert names.count("wte.W") == 1 and not any(name.startswith("head") for name in names)
    assert len({id(p) for p in model.parameters()}) == len(names)
    assert "head.W" not in model.state_dict()
    untied = small_model(bias=False, tie_weights=False)
    assert untied.n_params() - model.n_params() == 7 * 8  # the head's own V x C
    assert "(head): TiedHead(8, 7, W shared with wte)" in repr(model)


def test_old_config_without_the_new_fields_means_biases_and_an_untied_head(tmp_path):
    old = GPT(TINY_OLD, np.random.default_rng(0))
    meta = {
        "config": {k: v for k, v in TINY_OLD.to_dict().items() if k not in ("bias", "tie_weights")}
    }
    checkpoint.save(old, tmp_path / "old.npz", meta)
    config = GPTConfig.from_dict(checkpoint.load_meta(tmp_path / "old.npz")["config"])
    assert config == TINY_OLD
    again = GPT(config, np.random.default_rng(9))
    checkpoint.load(again, tmp_path / "old.npz")
    ids = np.array([[1, 2, 3, 4]])
    np.testing.assert_array_equal(again(ids).data, old(ids).data)
    for config in (TINY, TINY_OLD):  # new files store both fields
        assert GPTConfig.from_dict(config.to_dict()) == config
    assert GPTConfig(**meta["config"]) == TINY_OLD  # the defaults are that model too


# ---- forward -----------------------------------------------------------------------------


def test_shapes_and_block_size_error():
    model = small_model()
    assert model(np.zeros((3, 5), dtype=np.int64)).shape == (3, 5, 7)  # (B, T, V)
    assert model(np.zeros((2, 8), dtype=np.int64)).shape == (2, 8, 7)  # T = block_size
    with pytest.raises(ValueError, match=r"T = 9.*block_size 8"):
        model(np.zeros((1, 9), dtype=np.int64))
    with pytest.raises(ValueError, match="outside 0..6"):
        model(np.array([[1, 7]]))
    with pytest.raises(ValueError, match=r"expects x of shape \(B, T, 8\), got \(2, 3, 4\)"):
        model.blocks[0].attn(Tensor(np.zeros((2, 3, 4))))
    with pytest.raises(ValueError, match="same shape as ids"):
        model.loss(np.zeros((2, 4), dtype=np.int64), np.zeros((2, 3), dtype=np.int64))


def test_causality_future_tokens_do_not_change_earlier_logits():
    model = small_model()
    ids = np.random.default_rng(0).integers(0, 7, size=(2, 8))
    before = model(ids).data
    changed = ids.copy()
    changed[:, 5] = (changed[:, 5] + 1) % 7
    after = model(changed).data
    np.testing.assert_array_equal(after[:, :5], before[:, :5])
    assert np.abs(after[:, 5:] - before[:, 5:]).max() > 1e-4  # and the later ones do change


def test_forward_with_weights_returns_causal_rows_and_the_same_output():
    model = small_model()
    attn = model.blocks[0].attn
    x = model.wte(np.random.default_rng(0).integers(0, 7, size=(2, 6)))  # (B, T, C)
    y, att = attn.forward_with_weights(x)
    np.testing.assert_array_equal(y.data, attn(x).data)
    assert att.shape == (2, 2, 6, 6)  # (B, H, T, T)
    np.testing.assert_allclose(att.sum(axis=-1), 1, rtol=1e-5)
    assert np.all(att[..., np.triu_indices(6, k=1)[0], np.triu_indices(6, k=1)[1]] == 0)


def test_initial_loss_is_near_uniform():
    model = small_model(vocab_size=65, n_embd=16)
    rng = np.random.default_rng(0)
    loss = model.loss(rng.integers(0, 65, (4, 8)), rng.integers(0, 65, (4, 8))).item()
    assert abs(loss - np.log(65)) < 0.1  # small init: every token about equally likely


# ---- weight counts -----------------------------------------------------------------------


def test_gpt3_table_is_exact():
    rows = {
        kind: (shape, matrices, weights) for kind, shape, matrices, weights in param_table(GPT3)
    }
    assert rows["total"][1:] == (27_938, 175_181_291_520)
    assert rows["embedding"] == ("50,257 x 12,288", 1, 617_558_016)
    assert rows["unembedding"][1:] == (1, 617_558_016)
    for kind in ("key", "query", "value"):
        assert rows[kind][1:] == (96 * 96, 96 * 12_288 * 128 * 96)  # one hs x C matrix per head
    assert rows["key"][0] == "128 x 12,288 per head"  # (outputs x inputs), as Linear's W
    assert rows["output"] == ("12,288 x 12,288", 96, 96 * 12_288 * 12_288)  # one per layer
    assert sum(r[2] for r in param_table(GPT3)[:-1]) == 1 + 96 * (3 * 96 + 3) + 1
    assert rows["up-projection"] == ("49,152 x 12,288", 96, 96 * 49_152 * 12_288)
    assert rows["down-projection"][1:] == (96, 96 * 12_288 * 49_152)
    assert param_table(GPT3.to_dict()) == param_table(GPT3)


def test_our_table_plus_layernorm_positions_is_n_params():
    model = small_model(
        vocab_size=65, block_size=16, n_layer=3, n_head=4, n_embd=32, bias=False, tie_weights=True
    )
    c = model.config
    rows = {kind: rest for kind, *rest in param_table(c)}
    assert rows["unembedding"] == ["shared with the embedding", 0, 0]
    assert rows["total"][1] == 1 + 3 * (3 * 4 + 3)  # no unembedding matrix of its own
    C, L = c.n_embd, c.n_layer
    layernorm = L * 2 * C + C  # g of ln_1, ln_2 per block, then ln_f (no b)
    assert rows["total"][2] + c.block_size * C + layernorm == model.n_params()


def test_old_table_plus_biases_layernorm_positions_is_n_params():
    model = small_model(
        vocab_size=65, block_size=16, n_layer=3, n_head=4, n_embd=32, bias=True, tie_weights=False
    )
    c = model.config
    total = param_table(c)[-1][3]
    assert param_table(c)[-2] == ("unembedding", "65 x 32", 1, 65 * 32)
    C, L = c.n_embd, c.n_layer
    biases = L * (3 * C + C + 4 * C + C) + c.vocab_size  # attention, MLP and head biases
    layernorm = L * 2 * (2 * C) + 2 * C  # g and b of ln_1, ln_2 per block, then ln_f
    assert total + c.block_size * C + biases + layernorm == model.n_params()


def test_config_rejects_uneven_heads():
    with pytest.raises(ValueError, match="divisible"):
        GPTConfig(vocab_size=5, block_size=4, n_layer=1, n_head=3, n_embd=4)


# ---- sampling ----------------------------------------------------------------------------


def test_out_of_vocabulary_prompt_gives_clear_error():
    tok = CharTokenizer("hello world")
    with pytest.raises(ValueError, match=r"unknown character.*'Z'"):
        tok.encode("Zoo")
    with pytest.raises(ValueError, match="outside the vocabulary"):
        generate(small_model(), [1, 99], 3, temperature=0)


def test_long_prompt_is_cropped_to_block_size():
    model = small_model()
    prompt = np.random.default_rng(0).integers(0, 7, size=30)
    long = generate(model, prompt, 6, temperature=0)
    np.testing.assert_array_equal(long, generate(model, prompt[-8:], 6, temperature=0))


def test_temperature_zero_is_greedy_and_deterministic():
    model = small_model()
    prompt = np.array([1, 2, 3])
    ids = generate(model, prompt, 5, temperature=0)  # no rng needed
    np.testing.assert_array_equal(ids, generate(model, prompt, 5, temperature=0))
    context = list(prompt)
    for new_id in ids:
        assert new_id == np.argmax(next_token_probs(model, context))
        context.append(new_id)
    np.testing.assert_array_equal(
        generate(model, prompt, 5, top_k=1, rng=np.random.default_rng(0)), ids
    )


def test_top_k_larger_than_vocabulary_is_clipped():
    model = small_model()
    p = next_token_probs(model, [1, 2], top_k=1000)
    np.testing.assert_allclose(p, next_token_probs(model, [1, 2]))
    p2 = next_token_probs(model, [1, 2], top_k=2)
    assert np.count_nonzero(p2) == 2 and np.isclose(p2.sum(), 1)
    assert len(generate(model, [1], 4, top_k=1000, rng=np.random.default_rng(0))) == 4


def test_empty_prompt_starts_from_start_id():
    model = small_model()
    a = generate(model, [], 5, rng=np.random.default_rng(1))
    b = generate(model, [0], 5, rng=np.random.default_rng(1))
    assert a.shape == (5,) and a.dtype == np.int64
    np.testing.assert_array_equal(a, b)


def test_same_seed_same_sample_and_rng_required():
    model = small_model()
    a = generate(model, [3], 20, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(a, generate(model, [3], 20, rng=np.random.default_rng(7)))
    assert not np.array_equal(a, generate(model, [3], 20, rng=np.random.default_rng(8)))
    np.testing.assert_array_equal(
        a, list(generate_stream(model, [3], 20, rng=np.random.default_rng(7)))
    )
    with pytest.raises(TypeError, match=r"needs rng.*np\.random\.default_rng\(seed\)"):
        generate(model, [3], 2, temperature=1.0)
    with pytest.raises(ValueError, match="temperature"):
        generate(model, [3], 2, temperature=-1, rng=np.random.default_rng(0))


def test_temperature_sharpens_and_flattens():
    model = small_model()
    p1, p_cold, p_hot = (next_token_probs(model, [1, 2], temperature=t) for t in (1.0, 0.5, 2.0))
    entropy = [-(p * np.log(p)).sum() for p in (p_cold, p1, p_hot)]
    assert entropy[0] < entropy[1] < entropy[2]


# ---- training and checkpoints --------------------------------------------------------------


def test_tiny_model_overfits_tiny_text():
    text = "to be or not to be, that is the question. " * 20
    tok = CharTokenizer(text)
    data = tok.encode(text)
    rng = np.random.default_rng(0)
    config = GPTConfig(tok.vocab_size, block_size=8, n_layer=1, n_head=2, n_embd=16)
    model = GPT(config, rng)
    optimizer = AdamW(model.parameters(), lr=1e-2, betas=(0.9, 0.99), weight_decay=0.0)
    losses = []
    for _ in range(100):  # the tied head starts slower: 1.4 after 50 steps, 0.77 after 100
        x, y = get_batch(data, 8, 8, rng)
        loss = model.loss(x, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[0] > 2.5  # about log(vocab_size 15) = 2.7 at the start
    assert np.mean(losses[-5:]) < 0.4 * losses[0]


def test_checkpoint_round_trip(tmp_path):
    model = small_model(seed=0)
    meta = {"config": model.config.to_dict(), "val_loss": 1.5}
    checkpoint.save(model, tmp_path / "gpt.npz", meta)
    stored = checkpoint.load_meta(tmp_path / "gpt.npz")
    other = GPT(GPTConfig.from_dict(stored["config"]), np.random.default_rng(99))
    assert checkpoint.load(other, tmp_path / "gpt.npz") == meta
    ids = np.array([[1, 2, 3, 4]])
    np.testing.assert_array_equal(other(ids).data, model(ids).data)


def test_committed_checkpoint_reaches_the_issue_target():
    """Issue 4: val loss <= 1.88 at the recipe (nanoGPT's figure). Seed 2 is the median of the
    five seeds in scripts/train_gpt.py's docstring (1.866 to 1.886)."""
    meta = checkpoint.load_meta(CHECKPOINT)
    assert meta["val_loss"] <= 1.88
    assert meta["iterations"] == 2000 and meta["eval_batches"] == 200
    issue = dict(n_layer=4, n_head=4, n_embd=128, block_size=64, batch_size=12, lr=1e-3)
    issue.update(max_iters=2000, val_fraction=0.1, dropout=0.0)
    assert {k: meta["recipe"][k] for k in issue} == issue  # at the issue's recipe


def test_committed_checkpoint_loads_and_its_stored_val_loss_is_honest():
    meta = checkpoint.load_meta(CHECKPOINT)
    assert meta["val_loss"] < 1.9  # measured over 200 validation batches
    assert meta["iterations"] == 2000
    config = GPTConfig.from_dict(meta["config"])
    assert config == GPTConfig(**{**config.to_dict(), "bias": True, "tie_weights": False})
    model = GPT(config, np.random.default_rng(0))
    checkpoint.load(model, CHECKPOINT)
    tok = CharTokenizer.from_state(meta["tokenizer"])
    # the stored figure is honest: a fresh look at 10 validation batches agrees with it
    _, val = train_val_split(tok.encode(load_shakespeare(download=False)), 0.1)
    rng = np.random.default_rng(123)
    losses = [model.loss(*get_batch(val, 64, 12, rng)).item() for _ in range(10)]
    assert abs(np.mean(losses) - meta["val_loss"]) < 0.15
    assert len(tok.decode(generate(model, tok.encode("ROMEO:"), 20, temperature=0))) == 20
