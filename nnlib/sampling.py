"""From a trained GPT to text: the pure functions behind chapter 08 and its widgets.

nnlib.gpt holds the model; this module turns its scores into text. It holds the sampling
loop (next_token_probs, generate_stream, generate) and the pieces the chapter takes apart:

- the two knobs of sampling, applied one at a time to the model's scores z (logits):
  keep_top_k (everything but the k largest scores becomes -inf) and probs_from_scores
  (p = softmax(z / temperature); temperature 0 means "always the top score", greedy);
- encode_prompt: text -> ids with the chapter's rules for the cases a reader will hit
  (unknown characters are an error that names them, an empty prompt starts from a newline,
  a prompt longer than the block keeps only its last block_size characters);
- trace_shapes: the forward pass walked step by step, recording every shape;
- sample_text: generate with a callback after each new character (progress bars, streaming);
- load_char_gpt: the committed checkpoint as (model, tokenizer, meta).

Everything here is numpy and nnlib only: no matplotlib, no widgets, no printing.
"""

import math
import os
from pathlib import Path

import numpy as np

from nnlib import checkpoint
from nnlib import functional as F
from nnlib.checks import check_rng
from nnlib.gpt import GPT, GPTConfig
from nnlib.tensor import no_grad
from nnlib.tokenizers import CharTokenizer

# The trained GPT the book ships, inside the package: a checkout and an installed wheel have it.
CHECKPOINT = Path(__file__).resolve().parent / "bundled" / "shakespeare_char.npz"
START_CHAR = "\n"  # what an empty prompt starts from: a text that begins after a line break


def checkpoint_path():
    """The GPT checkpoint the book loads: $NNLIB_CHECKPOINT if set, else CHECKPOINT."""
    return Path(os.environ.get("NNLIB_CHECKPOINT") or CHECKPOINT)


def load_char_gpt(path=None):
    """The character-level GPT saved by scripts/train_gpt.py: (model, tokenizer, meta).

    path: the .npz file; default checkpoint_path() (the repository's, or $NNLIB_CHECKPOINT).
    meta holds the config, the tokenizer's characters, the iterations and the losses.
    The model is rebuilt from meta["config"] and its weights are loaded from the file.
    """
    path = checkpoint_path() if path is None else path
    meta = checkpoint.load_meta(path)
    config, tokenizer = _config_and_tokenizer(meta, path)  # checked before any allocation
    model = GPT(config, np.random.default_rng(0))  # its random weights are overwritten next
    checkpoint.load(model, path)
    return model, tokenizer, meta


MAX_WEIGHTS = 200_000_000  # far above the book's 0.8 M; a damaged size cannot ask for gigabytes


def _config_and_tokenizer(meta, path):
    """The GPTConfig and CharTokenizer a checkpoint's meta describes, checked against each other."""
    damaged = f"{path} does not describe a character GPT of nnlib's, or is damaged"
    if not isinstance(meta.get("config"), dict) or "tokenizer" not in meta:
        raise ValueError(f"{damaged}: its meta needs a 'config' dict and a 'tokenizer'")
    try:
        config = GPTConfig.from_dict(meta["config"])  # knows the defaults of older checkpoints
        tokenizer = CharTokenizer.from_state(meta["tokenizer"])
    except (TypeError, ValueError, KeyError) as error:
        raise ValueError(f"{damaged}: {error}") from error
    if tokenizer.vocab_size != config.vocab_size:
        raise ValueError(
            f"{damaged}: its tokenizer has {tokenizer.vocab_size} characters but its model "
            f"{config.vocab_size} token ids"
        )
    C, L = config.n_embd, config.n_layer
    per_block = (4 + 2 * config.mlp_ratio) * C * C  # attention's 4 C x C, the MLP's 2 x 4C x C
    weights = (2 * config.vocab_size + config.block_size) * C + L * per_block
    if weights > MAX_WEIGHTS:
        raise ValueError(
            f"{damaged}: its config asks for about {weights:,} weights, more than the "
            f"{MAX_WEIGHTS:,} this book's models stay far below"
        )
    return config, tokenizer


def model_or_checkpoint(model=None, tokenizer=None):
    """(model, tokenizer) as given, or the committed checkpoint's when both are None.

    The chapters' widgets take an optional model; this is the one rule for the default.
    """
    if model is None and tokenizer is None:
        model, tokenizer, _ = load_char_gpt()
    elif model is None or tokenizer is None:
        raise ValueError(
            "give both model and tokenizer (the tokenizer the model was trained with), "
            "or neither for the trained Shakespeare GPT"
        )
    return model, tokenizer


def counting_losses(train_ids, val_ids, V):
    """Two models with no network, only counts: their loss on val_ids. -> (unigram, bigram)

    unigram: p(next = j) = how often j occurs in train_ids (its share of all tokens);
    bigram:  p(next = j | this = i) = how often j follows i, over how often i is followed.
    Every count starts at 1 (add-one smoothing), so no pair seen in validation but not in
    training gets probability 0 and an infinite loss. A network that predicts the next token
    should beat both: the unigram knows which tokens are common, the bigram also what tends to
    follow what (chapter 06's table).
    train_ids, val_ids: 1-D int arrays of token ids in 0 .. V-1.
    """
    train_ids, val_ids = np.asarray(train_ids), np.asarray(val_ids)
    if len(train_ids) < 2 or len(val_ids) < 2:
        raise ValueError(
            f"counting_losses needs at least 2 training and 2 validation tokens, got "
            f"{len(train_ids)} and {len(val_ids)}"
        )
    counts = np.bincount(train_ids, minlength=V) + 1.0  # (V,)
    unigram = -np.log(counts[val_ids[1:]] / counts.sum()).mean()
    pairs = np.ones((V, V))  # pairs[i, j]: how often j followed i, plus 1
    np.add.at(pairs, (train_ids[:-1], train_ids[1:]), 1)
    p_next = pairs / pairs.sum(axis=1, keepdims=True)  # (V, V), each row sums to 1
    bigram = -np.log(p_next[val_ids[:-1], val_ids[1:]]).mean()
    return float(unigram), float(bigram)


def uniform_loss(V):
    """The loss of a model that gives every one of V tokens probability 1/V: -log(1/V) = ln V.

    An untrained GPT is close to this, so a training curve starts near ln 65 = 4.17.
    """
    if V < 1:
        raise ValueError(f"uniform_loss needs a vocabulary of at least 1 token, got V = {V}")
    return math.log(V)


# ---- the knobs of sampling ----------------------------------------------------------------


def keep_top_k(z, top_k):
    """Keep the top_k largest scores and set the others to -inf (probability 0 after softmax).

    top_k None keeps everything; top_k >= V is clipped to V (again everything). Scores tied
    with the k-th largest are all kept, so the result never depends on the order of the ids.
    z: (V,) -> (V,) float64
    """
    z = np.asarray(z, dtype=np.float64)
    if z.ndim != 1 or len(z) == 0:
        raise ValueError(f"keep_top_k expects scores z of shape (V,), got {z.shape}")
    if top_k is None:
        return z.copy()
    if isinstance(top_k, bool) or not isinstance(top_k, (int, np.integer)) or top_k < 1:
        raise ValueError(f"top_k must be None or a whole number >= 1, got {top_k!r}")
    k = min(int(top_k), len(z))  # more than V tokens cannot be kept: clip to V
    kth = np.sort(z)[-k]  # the k-th largest score
    return np.where(z < kth, -np.inf, z)


def probs_from_scores(z, temperature=1.0, top_k=None):
    """Sampling probabilities from scores: p = softmax(keep_top_k(z) / temperature).

    temperature < 1 sharpens the distribution (the top token gains), > 1 flattens it (the
    rare ones gain). temperature 0 is the limit: all probability on the largest score
    (greedy decoding), computed with argmax, so nothing is divided by zero.
    next_token_probs applies it to the model's scores for the last position.
    z: (V,) -> p: (V,) float64 summing to 1
    """
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float, np.number)):
        raise TypeError(
            f"temperature must be a number >= 0 (1 leaves p as it is), got {temperature!r}"
        )
    if not temperature >= 0 or temperature == math.inf:  # also rejects NaN
        raise ValueError(f"temperature must be a finite number >= 0, got {temperature}")
    z = keep_top_k(z, top_k)
    p = np.zeros_like(z)
    if temperature == 0:
        p[np.argmax(z)] = 1.0  # greedy
        return p
    e = np.exp((z - z.max()) / temperature)  # the largest entry is exp(0) = 1: no overflow
    return e / e.sum()


# ---- the sampling loop ---------------------------------------------------------------------


def next_token_probs(model, prompt_ids, temperature=1.0, top_k=None):
    """The model's probabilities for the token after prompt_ids: p = softmax(z / temperature).

    Only the last block_size ids are read (the model has no more positions). top_k keeps
    the k most likely tokens and renormalises (k larger than V is clipped to V).
    temperature 0 puts all the probability on the most likely token (greedy; no division).
    prompt_ids: (T,) ints, T >= 1 -> p: (V,) float64, summing to 1
    """
    ids = _prompt(prompt_ids, model.config)
    if len(ids) == 0:
        raise ValueError("next_token_probs needs at least one prompt id, got an empty prompt")
    with no_grad():
        z = model(ids[None, -model.config.block_size :]).data[0, -1]  # (1, T, V) -> (V,)
    return probs_from_scores(z, temperature, top_k)


def generate_stream(model, prompt_ids, n, temperature=1.0, top_k=None, rng=None, start_id=0):
    """Yield n new token ids one at a time, each drawn from next_token_probs and fed back.

    The context is always the last block_size ids. An empty prompt starts from the single
    token start_id (default 0, which for the Shakespeare CharTokenizer is "\\n", the way a
    text begins after a line break); start_id is context only, it is not yielded.
    rng (a np.random.Generator) is required when sampling, i.e. when temperature > 0.
    """
    n = _check_n(n)
    context = _prompt(prompt_ids, model.config)
    if len(context) == 0:
        context = np.array([start_id], dtype=np.int64)
        _prompt(context, model.config)  # start_id must be a valid id too
    probs_from_scores(np.zeros(1), temperature, top_k)  # check both knobs before any work
    if temperature > 0:
        check_rng(rng, "generate (to sample at temperature > 0)")
    for _ in range(n):
        p = next_token_probs(model, context[-model.config.block_size :], temperature, top_k)
        if temperature == 0:
            new_id = int(np.argmax(p))  # greedy: deterministic, no rng needed
        else:
            new_id = int(rng.choice(len(p), p=p))
        context = np.append(context, new_id)  # (T,) -> (T + 1,)
        yield new_id


def generate(model, prompt_ids, n, temperature=1.0, top_k=None, rng=None, start_id=0):
    """n new token ids after prompt_ids (not including the prompt): np.ndarray (n,) int64.

    See generate_stream for the rules (context cropping, empty prompt, temperature, top_k).
    """
    n = _check_n(n)
    stream = generate_stream(model, prompt_ids, n, temperature, top_k, rng, start_id)
    return np.fromiter(stream, dtype=np.int64, count=n)


MAX_NEW_TOKENS = 1_000_000  # far more than any chapter asks for; a typo of 1e12 is caught


def _check_n(n):
    """How many tokens to generate: a whole number from 0 to MAX_NEW_TOKENS."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"n (how many tokens to generate) must be a whole number, got {n!r}")
    if not 0 <= n <= MAX_NEW_TOKENS:
        raise ValueError(
            f"n (how many tokens to generate) must lie in 0..{MAX_NEW_TOKENS}, got {n}"
        )
    return int(n)


def _prompt(prompt_ids, config):
    """A prompt as a 1-D int64 array of valid ids (it may be empty)."""
    ids = np.asarray(prompt_ids)
    if ids.size == 0:
        return np.zeros(0, dtype=np.int64)
    if ids.ndim != 1 or ids.dtype.kind not in "iu":
        raise ValueError(
            f"a prompt must be a 1-D sequence of integer ids, got shape {ids.shape} {ids.dtype}"
        )
    if ids.min() < 0 or ids.max() >= config.vocab_size:
        bad = ids[(ids < 0) | (ids >= config.vocab_size)][0]
        raise ValueError(f"prompt id {bad} is outside the vocabulary 0..{config.vocab_size - 1}")
    return ids.astype(np.int64)


def effective_choices(p):
    """exp(H): how many equally likely tokens would be as uncertain as p.

    1 for greedy (one token is certain), V for the uniform distribution over V tokens.
    """
    return math.exp(F.entropy(p))


def top_tokens(p, k=15):
    """The ids of the k most likely tokens, most likely first (ties: smaller id first).

    p: (V,) -> ids: (min(k, V),) int64
    """
    p = np.asarray(p, dtype=np.float64)
    if p.ndim != 1:
        raise ValueError(f"top_tokens expects probabilities p of shape (V,), got {p.shape}")
    order = np.lexsort((np.arange(len(p)), -p))  # by -p, then by id
    return order[: max(0, int(k))].astype(np.int64)


# ---- prompts --------------------------------------------------------------------------------


def encode_prompt(tokenizer, text, block_size=None, start=START_CHAR):
    """A prompt string as the ids the model will read: (T,) int64 with 1 <= T <= block_size.

    - Unknown characters: ValueError from the tokenizer, naming every unknown character.
    - Empty text: the ids of `start` (a newline by default): the model continues a text that
      begins after a line break, the most common way a Shakespeare passage begins.
    - Longer than block_size: only the last block_size ids are kept (the model has only that
      many positions, and the most recent characters matter most for the next one).
    """
    if not isinstance(text, str):
        raise TypeError(f"encode_prompt expects the prompt as a str, got {type(text).__name__}")
    ids = tokenizer.encode(text if text else start)  # raises on unknown characters
    if block_size is not None:
        ids = ids[-block_size:]  # (T,) -> (min(T, block_size),)
    return ids


def sample_text(model, tokenizer, prompt, n, temperature=1.0, top_k=None, rng=None, on_token=None):
    """n new characters after the prompt, one at a time, each fed back in: a str of length n.

    The prompt follows encode_prompt's rules (the context is cropped to the block).
    on_token(i, ch), if given, is called after each new character, with i = 1..n: a
    progress bar or a streaming text box can follow along. rng is needed if temperature > 0.
    """
    ids = encode_prompt(tokenizer, prompt)
    out = []
    for i, new_id in enumerate(generate_stream(model, ids, n, temperature, top_k, rng), start=1):
        ch = tokenizer.decode([new_id])
        out.append(ch)
        if on_token is not None:
            on_token(i, ch)
    return "".join(out)


# ---- the forward pass, step by step -----------------------------------------------------------


def trace_shapes(model, ids):
    """Run model(ids) one stage at a time and record what each stage makes.

    Returns (steps, logits): steps is a list of (name, shape) pairs in the order of the
    forward pass, logits the (B, T, V) array at the end, equal to model(ids).data.
    ids: (B, T) or (T,) ints.
    """
    ids = np.asarray(ids)
    if ids.ndim == 1:
        ids = ids[None, :]  # (T,) -> (1, T)
    if ids.ndim != 2 or not 1 <= ids.shape[1] <= model.config.block_size:
        raise ValueError(
            f"trace_shapes expects ids of shape (B, T) with 1 <= T <= block_size "
            f"{model.config.block_size}, got {ids.shape}"
        )
    B, T = ids.shape
    steps = [("ids", ids.shape)]
    with no_grad():
        tok = model.wte(ids)  # (B, T) -> (B, T, C)
        steps.append(("token embedding wte[ids]", tok.shape))
        pos = model.wpe(np.arange(T))  # (T,) -> (T, C)
        steps.append(("position embedding wpe[0..T-1]", pos.shape))
        x = tok + pos  # (B, T, C)
        steps.append(("x = token + position", x.shape))
        for i, block in enumerate(model.blocks):
            a, P = block.attn.forward_with_weights(block.ln_1(x))  # (B, T, C), (B, H, T, T)
            steps.append((f"block {i}: attention weights", P.shape))
            x = x + a
            steps.append((f"block {i}: x + attn(ln1(x))", x.shape))
            h = block.mlp.c_fc(block.ln_2(x)).gelu()  # (B, T, C) -> (B, T, 4C)
            steps.append((f"block {i}: MLP hidden gelu(up(ln2(x)))", h.shape))
            x = x + block.mlp.c_proj(h)  # (B, T, 4C) -> (B, T, C)
            steps.append((f"block {i}: x + down(hidden)", x.shape))
        x = model.ln_f(x)  # (B, T, C)
        steps.append(("final LayerNorm ln_f(x)", x.shape))
        logits = model.head(x).data  # (B, T, C) -> (B, T, V)
        steps.append(("logits = unembedding(x)", logits.shape))
    return steps, logits
