"""A GPT in one file: causal self-attention, the transformer block and the model.

The model reads a sequence of token ids and, at every position t, outputs scores (logits)
for the token that comes next. It is nanoGPT's model, written on nnlib.tensor:

    x = wte[ids] + wpe[0..T-1]                      token embedding + learned position embedding
    for each block:  x = x + attn(ln1(x))           tokens look at earlier tokens
                     x = x + mlp(ln2(x))            each token is processed on its own
    logits = ln_f(x) wte^T                          one score per vocabulary entry

Dimensions: B batch, T time (positions), C embedding width (n_embd), H heads,
hs = C / H the head size, V vocabulary size.

Choices: Linear layers and LayerNorms have biases, and the output head is untied (its own
V x C matrix, not the token embedding reused), so the parameter table counts the unembedding
as its own matrix. nanoGPT's train.py leaves the biases out and ties the head; set
GPTConfig(bias=False, tie_weights=True) for that model. Trained with the same recipe from
the same seed (1337), ours reached validation loss 1.886 and nanoGPT's variant 1.906, as
PyTorch does from the same weights and batches (benchmarks/gpt_recipe_reference.py).
Initialisation follows GPT-2: weights normal(0, 0.02), biases zero, and the two projections
that write into the residual stream (attention output, MLP down) normal(0, 0.02 / sqrt(2 L)),
L = n_layer, so the sum of 2 L residual additions keeps its scale at the start.
"""

import math
from dataclasses import asdict, dataclass

import numpy as np

from nnlib import losses
from nnlib.checks import check_size
from nnlib.fused import causal_self_attention, linear
from nnlib.layers import Embedding, LayerNorm, Linear, Module


@dataclass
class GPTConfig:
    """The sizes that define a GPT. The MLP is mlp_ratio * n_embd wide (4 C in GPT-2 and GPT-3).

    bias: whether the Linear layers add a bias b and the LayerNorms a shift b. True, as in
    GPT-2 (nanoGPT's train.py sets False: a little smaller and faster).
    tie_weights: whether the unembedding is the token embedding's matrix (logits = x wte^T)
    rather than a V x C matrix of its own. False here, so the reader meets the unembedding as a
    matrix of its own; GPT-2 and nanoGPT tie it (True).
    Checkpoints written before these two fields existed hold the untied model with biases:
    read configs from checkpoints with GPTConfig.from_dict, which knows that.
    """

    vocab_size: int
    block_size: int  # the longest context the model reads (it has this many position vectors)
    n_layer: int
    n_head: int
    n_embd: int
    mlp_ratio: int = 4
    bias: bool = True
    tie_weights: bool = False

    def __post_init__(self):
        for name in ("vocab_size", "block_size", "n_layer", "n_head", "n_embd", "mlp_ratio"):
            check_size(getattr(self, name), name, "GPTConfig")
        if self.n_embd % self.n_head:
            raise ValueError(
                f"n_embd must be divisible by n_head, got n_embd {self.n_embd} "
                f"and n_head {self.n_head}"
            )

    def to_dict(self):
        return asdict(self)

    @classmethod
    def from_dict(cls, d):
        """The config stored in a checkpoint's meta; a dict without bias and tie_weights comes
        from a file written before they existed, whose model had biases and an untied head."""
        return cls(**{"bias": True, "tie_weights": False, **d})


class CausalSelfAttention(Module):
    """Multi-head causal self-attention.

    For each head: q = x Wq, k = x Wk, v = x Wv (one Linear makes all three for all heads),
    att = softmax(q k^T / sqrt(hs)) with the entries for future positions (s > t) set to
    -inf before the softmax, so position t mixes only the values v of positions s <= t.
    The heads' outputs are joined side by side and projected back: y = join(att v) Wo^T
    (with config.bias, + bo here and a bias in q, k, v too).
    x: (B, T, C) -> y: (B, T, C). forward_with_weights(x) also returns the weights.
    """

    def __init__(self, config, rng):
        C = config.n_embd
        self.n_head = config.n_head
        self.n_embd = C
        bias = config.bias
        self.c_attn = Linear(C, 3 * C, rng, bias, init_std=0.02)  # q, k, v of all heads at once
        proj_std = 0.02 / math.sqrt(2 * config.n_layer)  # it writes into the residual stream
        self.c_proj = Linear(C, C, rng, bias, init_std=proj_std)

    def forward(self, x):
        y, _ = self.forward_with_weights(x)
        return y

    def forward_with_weights(self, x):
        """(y, P): the output (B, T, C) and the attention weights P (B, H, T, T), an array.

        P[b, h, t, s] is how much position t of head h takes from position s.
        """
        if x.ndim != 3 or x.shape[-1] != self.n_embd:
            raise ValueError(
                f"CausalSelfAttention expects x of shape (B, T, {self.n_embd}), got {x.shape}"
            )
        qkv = self.c_attn(x)  # (B, T, C) -> (B, T, 3C): q, k and v side by side
        # The six steps, as fused.causal_self_attention_steps spells them out:
        #   q, k, v = split_heads(...)          (B, H, T, hs) each
        #   S = attention_scores(q, k)          q k^T / sqrt(hs): (B, H, T, T)
        #   S[future_mask(T)] = -inf            no looking ahead
        #   P = softmax(S)                      over the keys s
        #   y = merge_heads(P @ v)              weighted sum of the values, heads side by side
        # done here as one graph node with its backward pass written out (nnlib.fused).
        y, P = causal_self_attention(qkv, self.n_head)  # (B, T, C), (B, H, T, T)
        return self.c_proj(y), P  # (B, T, C)


class FeedForward(Module):
    """The feed-forward part of a block: y = Wdown gelu(Wup x), per position
    (y = Wdown gelu(Wup x + bup) + bdown if config.bias).

    x: (B, T, C) -> (B, T, 4C) -> y: (B, T, C)
    """

    def __init__(self, config, rng):
        C, n_hidden = config.n_embd, config.mlp_ratio * config.n_embd
        self.c_fc = Linear(C, n_hidden, rng, config.bias, init_std=0.02)
        proj_std = 0.02 / math.sqrt(2 * config.n_layer)  # it writes into the residual stream
        self.c_proj = Linear(n_hidden, C, rng, config.bias, init_std=proj_std)

    def forward(self, x):
        h = self.c_fc(x).gelu()  # (B, T, C) -> (B, T, 4C)
        return self.c_proj(h)  # (B, T, 4C) -> (B, T, C)


class Block(Module):
    """One transformer block, pre-LayerNorm as GPT-2:

    x = x + attn(ln1(x))
    x = x + mlp(ln2(x))
    x: (B, T, C) -> (B, T, C). The additions keep a "residual stream" that each part
    reads from and writes a correction into.
    """

    def __init__(self, config, rng):
        self.ln_1 = LayerNorm(config.n_embd, bias=config.bias)
        self.attn = CausalSelfAttention(config, rng)
        self.ln_2 = LayerNorm(config.n_embd, bias=config.bias)
        self.mlp = FeedForward(config, rng)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))  # (B, T, C)
        x = x + self.mlp(self.ln_2(x))  # (B, T, C)
        return x


class GPT(Module):
    """The whole model: ids (B, T) -> logits (B, T, V).

    logits[b, t] are the scores for the token after ids[b, 0..t]; softmax turns them into
    the model's probabilities for it. T may be anything from 1 to block_size.
    """

    def __init__(self, config, rng):
        self.config = config
        C = config.n_embd
        self.wte = Embedding(config.vocab_size, C, rng, init_std=0.02)  # token embedding
        self.wpe = Embedding(config.block_size, C, rng, init_std=0.02)  # position embedding
        self.blocks = [Block(config, rng) for _ in range(config.n_layer)]
        self.ln_f = LayerNorm(config.n_embd, bias=config.bias)
        if config.tie_weights:
            self.head = TiedHead(self.wte)  # unembedding = embedding: no weights of its own
        else:
            self.head = Linear(C, config.vocab_size, rng, config.bias, init_std=0.02)

    def forward(self, ids):
        ids = _check_ids(ids, self.config)
        B, T = ids.shape
        x = self.wte(ids) + self.wpe(np.arange(T))  # (B, T, C) + (T, C) -> (B, T, C)
        for block in self.blocks:
            x = block(x)  # (B, T, C)
        return self.head(self.ln_f(x))  # (B, T, C) -> (B, T, V)

    def loss(self, ids, targets):
        """Mean cross-entropy of the next-token predictions: L = -mean_{b,t} log p[b, t, y[b, t]].

        ids, targets: (B, T) ints, targets[b, t] the token after ids[b, t] -> scalar Tensor.
        """
        targets = np.asarray(targets)
        ids = _check_ids(ids, self.config)
        if targets.shape != ids.shape:
            raise ValueError(
                f"GPT.loss expects targets of the same shape as ids {ids.shape}, "
                f"got {targets.shape}"
            )
        logits = self.forward(ids)  # (B, T, V)
        return losses.cross_entropy(logits, targets)  # targets checked there: ints in 0..V-1


class TiedHead(Module):
    """The unembedding when it is tied to the token embedding: logits = x wte^T.

    self.W is the embedding's Tensor itself, not a copy, so one matrix is used twice (rows
    picked at the input, a product at the output) and backward adds both gradients into it.
    named_parameters lists it once, as "wte.W"; a checkpoint stores it once.
    x: (B, T, C) -> logits: (B, T, V)
    """

    def __init__(self, wte):
        self.W = wte.W  # (V, C), shared

    def forward(self, x):
        return linear(x, self.W)  # (B, T, C) @ (C, V) -> (B, T, V)

    def extra_repr(self):
        return f"{self.W.shape[1]}, {self.W.shape[0]}, W shared with wte"


def _check_ids(ids, config):
    """ids as a 2-D int64 array (B, T) with T <= block_size and every id < vocab_size."""
    ids = np.asarray(ids)
    if ids.ndim == 1:
        ids = ids[None, :]  # (T,) -> (1, T)
    if ids.ndim != 2 or (ids.size and ids.dtype.kind not in "iu"):
        raise ValueError(
            f"GPT expects ids of shape (B, T) of integers, got {ids.shape} {ids.dtype}"
        )
    if ids.shape[1] > config.block_size:
        raise ValueError(
            f"GPT got a sequence of length T = {ids.shape[1]}, longer than its "
            f"block_size {config.block_size} (it has only that many positions)"
        )
    if ids.shape[1] == 0:
        raise ValueError("GPT expects at least one token per sequence, got T = 0")
    if ids.size and (ids.min() < 0 or ids.max() >= config.vocab_size):
        bad = ids[(ids < 0) | (ids >= config.vocab_size)][0]
        raise ValueError(f"GPT got token id {bad}, outside 0..{config.vocab_size - 1}")
    return ids.astype(np.int64)


# ---- counting weights ------------------------------------------------------------

# GPT-3 175B. The published 175,181,291,520 counts the unembedding as a matrix of its own,
# so the table describes it untied (and with biases, which the table does not count).
GPT3 = GPTConfig(
    vocab_size=50257,
    block_size=2048,
    n_layer=96,
    n_head=96,
    n_embd=12288,
    bias=True,
    tie_weights=False,
)


def param_table(config):
    """Where the weights of a GPT are: rows (kind, shape, matrices, weights), then a total row.

    Counted as for GPT-3's 175,181,291,520 weights in 27,938 matrices: weight matrices only
    (no biases, no LayerNorm gains, no position embeddings). Each layer has H key, H query and
    H value matrices of hs x C (one per head; shapes are written
    (outputs x inputs), as Linear's W), one output matrix of C x C that maps the joined
    heads back (our c_proj), an up- and a down-projection. That is 3 H + 3 matrices per layer:
    GPT-3 has 1 + 96 (3 * 96 + 3) + 1 = 27,938. (Counting the output per head instead, as
    H matrices of C x hs, gives the same weights in 1 + 96 (4 * 96 + 2) + 1 = 37,058 matrices.)
    With L = n_layer and n = mlp_ratio C, the weights are
        embedding V C,  key/query/value/output L C^2 each,  up L C n,  down L n C,  unembedding C V.
    A tied model (config.tie_weights) has no unembedding of its own: that row says
    "shared with the embedding" and counts 0 matrices and 0 weights.
    config: a GPTConfig or a dict of its fields (as GPTConfig.from_dict reads it). Our model's
    full count (biases, LayerNorm and position embeddings included) is model.n_params().
    """
    if isinstance(config, dict):
        config = GPTConfig.from_dict(config)
    V, L, H, C = config.vocab_size, config.n_layer, config.n_head, config.n_embd
    hs, n = C // H, config.mlp_ratio * C
    rows = [
        ("embedding", f"{V:,} x {C:,}", 1, V * C),
        ("key", f"{hs:,} x {C:,} per head", L * H, L * H * C * hs),
        ("query", f"{hs:,} x {C:,} per head", L * H, L * H * C * hs),
        ("value", f"{hs:,} x {C:,} per head", L * H, L * H * C * hs),
        ("output", f"{C:,} x {C:,}", L, L * C * C),
        ("up-projection", f"{n:,} x {C:,}", L, L * n * C),
        ("down-projection", f"{C:,} x {n:,}", L, L * C * n),
    ]
    if config.tie_weights:
        rows.append(("unembedding", "shared with the embedding", 0, 0))
    else:
        rows.append(("unembedding", f"{V:,} x {C:,}", 1, V * C))
    rows.append(("total", "", sum(r[2] for r in rows), sum(r[3] for r in rows)))
    return rows
