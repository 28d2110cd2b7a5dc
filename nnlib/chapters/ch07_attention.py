"""Attention, one step at a time, in plain numpy: the math behind chapter 07.

Every position t of a sequence has a vector x_t (C numbers). Self-attention lets each
position gather information from the others:

    q_t = Wq x_t   a query: what is position t looking for?
    k_s = Wk x_s   a key: what does position s contain?
    v_s = Wv x_s   a value: what position s passes on if it is chosen
    S[t, s] = q_t . k_s / sqrt(d)            scaled dot-product score (d = length of q and k)
    A[t, s] = softmax over s of S[t, s]      with S[t, s] = -inf for s > t (causal mask)
    y_t = sum_s A[t, s] v_s                  a weighted average of the values

Several heads do this side by side on slices of the vector; their outputs are joined
and mixed by an output projection. nnlib.gpt.CausalSelfAttention is the same computation
on Tensors (with autograd); the functions here are for looking at the numbers.

Shapes: T positions, C vector width, H heads, hs = C / H the head size, L layers.
Matrices are (n_out, n_in) as everywhere in nnlib: q = x @ Wq.T.
"""

import numpy as np

from nnlib import functional
from nnlib.checks import check_rng
from nnlib.fused import attention_scores, future_mask, merge_heads, split_heads
from nnlib.tensor import no_grad


def causal_mask(T):
    """allowed[t, s] = (s <= t): position t may look at itself and earlier positions only.

    T: int -> (T, T) bool, True on and below the diagonal: the opposite of future_mask.
    """
    return ~future_mask(T)


def attention_weights(S, scale=1.0, causal=True):
    """A = softmax over s of (scale * S[t, s]), with the future (s > t) left out if causal.

    scale multiplies the scores before the softmax: 0 gives equal weights on every allowed
    position, 1 the model's own weights, large values put (nearly) all weight on the
    largest score. Masked entries of S may hold anything, -inf included: they are replaced
    by -inf after scaling, so scale = 0 never computes 0 * inf.
    S: (..., T, T) -> A: (..., T, T), each row sums to 1, zeros where masked
    """
    S = np.asarray(S, dtype=np.float64)
    if S.ndim < 2 or S.shape[-1] != S.shape[-2]:
        raise ValueError(f"attention_weights expects square scores (..., T, T), got {S.shape}")
    if not np.isfinite(scale) or scale < 0:
        raise ValueError(f"attention_weights expects a scale >= 0, got {scale}")
    allowed = causal_mask(S.shape[-1]) if causal else np.ones(S.shape[-2:], dtype=bool)
    Z = np.where(allowed, scale * np.where(allowed, S, 0.0), -np.inf)  # (..., T, T)
    return functional.softmax(Z, axis=-1)


def scaled_softmax(z, scale=1.0):
    """p = softmax(scale * z) over the last axis: one row of weights with its scores scaled.

    z holds only allowed (finite) scores. scale may be an array that broadcasts against z,
    e.g. scales[:, None] with z (n,) gives one row of weights per scale.
    z: (..., n) -> p: (..., n)
    """
    return functional.softmax(np.asarray(scale) * np.asarray(z, dtype=np.float64), axis=-1)


def single_head_attention(x, Wq, Wk, Wv, bq=0.0, bk=0.0, bv=0.0, causal=True):
    """One head: y_t = sum_s A[t, s] v_s with A = softmax(q k^T / sqrt(hs)), masked.

    q = x Wq^T + bq, k = x Wk^T + bk, v = x Wv^T + bv (biases default to 0).
    x: (T, C); Wq, Wk, Wv: (hs, C); bq, bk, bv: (hs,) -> y: (T, hs), A: (T, T)
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or any(W.shape != (Wq.shape[0], x.shape[1]) for W in (Wq, Wk, Wv)):
        raise ValueError(
            f"single_head_attention expects x (T, C) and Wq, Wk, Wv of one shape (hs, C), "
            f"got x {x.shape}, Wq {Wq.shape}, Wk {Wk.shape}, Wv {Wv.shape}"
        )
    q, k, v = x @ Wq.T + bq, x @ Wk.T + bk, x @ Wv.T + bv  # (T, C) @ (C, hs) -> (T, hs) each
    A = attention_weights(attention_scores(q, k), causal=causal)  # (T, T)
    return A @ v, A  # (T, T) @ (T, hs) -> (T, hs)


def multi_head_attention(x, W_attn, b_attn, W_proj, b_proj, H, causal=True):
    """H heads side by side, joined and projected: what CausalSelfAttention computes.

    [q | k | v] = x W_attn^T + b_attn (all heads' queries, keys and values at once),
    each of q, k, v split into H heads, attention per head, heads joined, then
    y = joined W_proj^T + b_proj.
    x: (T, C); W_attn: (3C, C); b_attn: (3C,); W_proj: (C, C); b_proj: (C,)
    -> y: (T, C), A: (H, T, T)
    """
    x = np.asarray(x, dtype=np.float64)
    T, C = x.shape
    if W_attn.shape != (3 * C, C) or W_proj.shape != (C, C):
        raise ValueError(
            f"multi_head_attention expects W_attn ({3 * C}, {C}) and W_proj ({C}, {C}) "
            f"for x of shape {x.shape}, got {W_attn.shape} and {W_proj.shape}"
        )
    qkv = x @ W_attn.T + b_attn  # (T, C) @ (C, 3C) -> (T, 3C)
    q, k, v = (split_heads(part, H) for part in np.split(qkv, 3, axis=-1))  # (H, T, hs) each
    A = attention_weights(attention_scores(q, k), causal=causal)  # (H, T, T)
    joined = merge_heads(A @ v)  # (H, T, T) @ (H, T, hs) -> (H, T, hs) -> (T, C)
    return joined @ W_proj.T + b_proj, A  # (T, C)


def attention_params(attn):
    """A CausalSelfAttention's numbers as arrays, ready for multi_head_attention:

    (W_attn (3C, C), b_attn (3C,), W_proj (C, C), b_proj (C,)). A layer built without biases
    (GPTConfig.bias False, as in nanoGPT) gets zero biases, which compute the same thing.
    """

    def arrays(linear):
        W = linear.W.data
        b = linear.b.data if linear.b is not None else np.zeros(W.shape[0], dtype=W.dtype)
        return W, b

    return (*arrays(attn.c_attn), *arrays(attn.c_proj))


def random_dot_products(d, n, rng):
    """n dot products q . k of random vectors with independent normal(0, 1) entries.

    Each product is a sum of d terms of variance 1, so its variance is d: the longer the
    vectors, the larger the scores, unless we divide by sqrt(d).
    d: vector length, n: how many pairs, rng: np.random.Generator -> (n,)
    """
    check_rng(rng, "random_dot_products")
    q = rng.normal(size=(n, d))  # (n, d)
    k = rng.normal(size=(n, d))  # (n, d)
    return (q * k).sum(axis=1)  # (n,)


def sinusoidal_positions(T, C):
    """The original Transformer's fixed position vectors (C even):

    P[t, 2i] = sin(t / 10000^(2i / C)),  P[t, 2i + 1] = cos(t / 10000^(2i / C)).
    Early pairs turn quickly with t, late pairs slowly, like the hands of a clock.
    T, C: ints -> P: (T, C)
    """
    if C % 2:
        raise ValueError(f"sinusoidal_positions needs an even width C, got {C}")
    t = np.arange(T)[:, None]  # (T, 1)
    freq = 1.0 / 10000 ** (np.arange(0, C, 2) / C)  # (C/2,)
    P = np.zeros((T, C))
    P[:, 0::2] = np.sin(t * freq)  # (T, C/2)
    P[:, 1::2] = np.cos(t * freq)  # (T, C/2)
    return P


def pattern_strengths(A, text):
    """How much each head follows four simple patterns, as average weights (B = 1).

    For every map A[..., t, s] over the characters of `text` (length T), averaged over t:
      "self":       A[t, t]               the character itself
      "previous":   A[t, t - 1]           the character before (t >= 1)
      "first":      A[t, 0]               the first character of the text (t >= 1)
      "word_start": A[t, w(t)]            the first letter of t's word, w(t) = 1 + the last
                                          space or line break before t (only t >= w(t) + 2,
                                          so it is neither t nor t - 1)
      "uniform":    1 / (t + 1)           what equal weights would give, on the t >= 1 rows
    A: (..., T, T) -> dict name -> (...) array
    """
    A = np.asarray(A)
    T = A.shape[-1]
    if len(text) != T:
        raise ValueError(f"pattern_strengths: A is over {T} positions but text has {len(text)}")
    t = np.arange(1, T)
    starts = np.zeros(T, dtype=int)  # w(t)
    for i in range(1, T):
        starts[i] = i if text[i - 1] in " \n" else starts[i - 1]
    deep = np.flatnonzero(np.arange(T) >= starts + 2)  # rows where w(t) is 2 or more back
    word_start = np.full(A.shape[:-2], np.nan)  # nan if no word is three letters long
    if len(deep):
        word_start = A[..., deep, starts[deep]].mean(-1)
    return {
        "self": A[..., np.arange(T), np.arange(T)].mean(-1),
        "previous": A[..., t, t - 1].mean(-1),
        "first": A[..., t, 0].mean(-1),
        "word_start": word_start,
        "uniform": np.broadcast_to((1.0 / (t + 1)).mean(), A.shape[:-2]),
    }


# ---- the trained GPT ----------------------------------------------------------------------


def encode_text(text, tokenizer, block_size):
    """The text the model can read: its first block_size known characters, and their ids.

    Characters outside the vocabulary are dropped (they are listed in `dropped`).
    -> (kept: str, ids: (T,) int64, dropped: list of str)
    """
    kept = "".join(ch for ch in text if ch in tokenizer.stoi)
    dropped = list(dict.fromkeys(ch for ch in text if ch not in tokenizer.stoi))
    kept = kept[:block_size]
    return kept, tokenizer.encode(kept), dropped


def gpt_attention_weights(model, ids):
    """Every layer's and head's attention weights for one sequence (B = 1).

    The residual stream is run through the blocks, and each block's attention reports its
    weights (CausalSelfAttention.forward_with_weights) on the way.
    ids: (T,) ints -> A: (L, H, T, T); A[l, h, t, s] is how much position t of layer l,
    head h takes from position s.
    """
    ids = np.asarray(ids)
    A = []
    with no_grad():
        x = model.wte(ids[None, :]) + model.wpe(np.arange(len(ids)))  # (1, T, C)
        for block in model.blocks:
            a, P = block.attn.forward_with_weights(block.ln_1(x))  # (1, T, C), (1, H, T, T)
            A.append(P[0])
            x = x + a
            x = x + block.mlp(block.ln_2(x))  # the rest of the block, as Block.forward
    return np.stack(A)  # L x (H, T, T) -> (L, H, T, T)


def gpt_attention_scores(model, ids):
    """Every layer's and head's scaled scores q.k / sqrt(hs), -inf above the diagonal.

    Recomputed from the model's parameters: the residual stream is run through each block,
    and before each block its attention's queries and keys are formed from ln_1(x).
    softmax of each row gives gpt_attention_weights. ids: (T,) ints -> S: (L, H, T, T)
    """
    ids = np.asarray(ids)
    T = len(ids)
    S = []
    with no_grad():
        x = model.wte(ids[None, :]) + model.wpe(np.arange(T))  # (1, T, C)
        for block in model.blocks:
            qkv = block.attn.c_attn(block.ln_1(x)).data[0]  # (T, C) -> (T, 3C)
            q, k, _ = (split_heads(part, block.attn.n_head) for part in np.split(qkv, 3, -1))
            S.append(np.where(causal_mask(T), attention_scores(q, k), -np.inf))  # (H, T, T)
            x = block(x)  # (1, T, C)
    return np.stack(S)  # (L, H, T, T)


# ---- meaning from context: a hand-set word-level example ----------------------------------

# The five directions of the word example, one number each: a hand-made embedding space.
SENSE_FEATURES = ("water", "money", "clear noun", "ambiguous", "other")


def bank_example():
    """Hand-set word vectors and one head's matrices in which "bank" learns its sense.

    Each word is a vector over SENSE_FEATURES (C = 5):
      "river" = water + clear noun,  "money" = money + clear noun (nouns whose sense is plain),
      "bank"  = half water, half money, + ambiguous (it could be either),
      every other word = other (words that say nothing about water or money).
    The head (head size 5, so it divides its scores by sqrt(5)):
      Wq turns "ambiguous" into a query that asks for a clear noun: q = (2.5 * ambiguous) e_0,
      Wk turns "clear noun" into a key that answers it:           k = (2.5 * clear noun) e_0,
      Wv passes on only a word's water and money numbers.
    So an ambiguous word looks at the clear nouns before it, and takes in their sense.
    -> (vectors: dict word -> (C,), Wq, Wk, Wv: (C, C) each)
    """
    e = np.eye(len(SENSE_FEATURES))  # (C, C): row i is the direction of feature i
    water, money, clear, ambiguous, other = e
    vectors = {
        "river": water + clear,
        "money": money + clear,
        "bank": 0.5 * water + 0.5 * money + ambiguous,
    }
    for word in ("walk", "along", "the", "to", "take"):
        vectors[word] = other.copy()
    Wq = np.zeros((5, 5))
    Wq[0, 3] = 2.5  # query number 0 = 2.5 x the "ambiguous" feature
    Wk = np.zeros((5, 5))
    Wk[0, 2] = 2.5  # key number 0 = 2.5 x the "clear noun" feature
    Wv = np.diag([1.0, 1.0, 0.0, 0.0, 0.0])  # the value keeps water and money, drops the rest
    return vectors, Wq, Wk, Wv


def word_in_context(words, vectors, Wq, Wk, Wv):
    """The last word's attention weights and its vector after one head has updated it.

    X = the words' vectors stacked (T, C); y, A = single_head_attention(X, Wq, Wk, Wv);
    the new vector of the last word is x_last + y_last: the head's output is *added* to the
    word's own vector, as a transformer block adds it to its residual stream (chapter 08).
    words: T strings, vectors: dict word -> (C,) -> (weights (T,), new vector (C,))
    """
    unknown = [w for w in words if w not in vectors]
    if unknown:
        raise ValueError(f"word_in_context has no vector for {unknown}")
    X = np.stack([vectors[w] for w in words])  # (T, C)
    y, A = single_head_attention(X, Wq, Wk, Wv)  # (T, C), (T, T)
    return A[-1], X[-1] + y[-1]  # (T,), (C,)
