"""Word vectors from raw text: skip-gram with negative sampling (word2vec), and their uses.

The idea: a word is known by the company it keeps. Give every word two vectors of C numbers,
u_w (the word as a *center*) and v_w (the word as a *context*). Slide over the text; every
word near a center word, at most `window` positions away, makes a true pair (center, context).
Train the vectors so that the dot product u_c . v_o is large for true pairs and small for
pairs whose context is a random word (a *negative* sample). Words that appear in similar
company end up with similar u vectors, which is what "similar meanings sit close" means here.

Loss for one true pair (c, o) with K negatives n_1..n_K:
    L = -log sigmoid(u_c . v_o) - sum_k log sigmoid(-u_c . v_{n_k})
averaged over the batch. sigmoid(s) is read as "the probability that this pair is real".

After training, the rows of U are the word embeddings. This module also holds what the
chapter does with them: cosine similarity, nearest neighbours, a 2-D map by PCA (numpy SVD),
and analogies by vector arithmetic (king - man + woman).
"""

import functools
import re
from collections import Counter

import numpy as np

from nnlib.checks import check_rng
from nnlib.data import load_shakespeare
from nnlib.layers import Embedding, Module
from nnlib.optim import Adam
from nnlib.tokenizers import BPETokenizer

WORD_PATTERN = r"[a-z]+(?:'[a-z]+)?"  # lower-case letters, with one inner apostrophe: "o'er"


def split_words(text):
    """Lower-case the text and cut it into words: "Thou art, O'er!" -> ["thou", "art", "o'er"]."""
    return re.findall(WORD_PATTERN, text.lower())


def build_vocab(words, n_vocab):
    """The n_vocab most frequent words, most frequent first (ties: alphabetical).

    Returns (itos, counts): itos a list of words (id -> word), counts (V,) int64 how often each
    occurs in `words`.
    """
    ranked = sorted(Counter(words).items(), key=lambda wc: (-wc[1], wc[0]))[:n_vocab]
    itos = [w for w, _ in ranked]
    counts = np.array([c for _, c in ranked], dtype=np.int64)
    return itos, counts


def encode_words(words, stoi):
    """Ids of the words that are in the vocabulary; the others are dropped, as word2vec does.

    words: list of str, stoi: dict word -> id  ->  ids: (N,) int64, N <= len(words)
    """
    return np.array([stoi[w] for w in words if w in stoi], dtype=np.int64)


SUBSAMPLE_T = 3e-4  # the subsampling threshold t; one value for the printed list and training


def keep_probabilities(counts, t=SUBSAMPLE_T):
    """Chance of keeping each occurrence of a word when frequent words are thinned out.

    keep_w = min(1, sqrt(t / f_w) + t / f_w), with f_w = count_w / total (word2vec's rule).
    "the" is so common that most of its pairs teach nothing; rare words are always kept.
    counts: (V,) -> (V,) in (0, 1]
    """
    f = counts / counts.sum()
    return np.minimum(1.0, np.sqrt(t / f) + t / f)


def subsample(ids, keep, rng):
    """Drop each occurrence of word w with probability 1 - keep[w]. ids: (N,) -> (M,), M <= N."""
    check_rng(rng, "subsample")
    return ids[rng.random(len(ids)) < keep[ids]]


def skipgram_pairs(ids, window):
    """Every (center, context) pair at distance 1..window in the id sequence, both directions.

    For positions i and j = i + d with 1 <= |d| <= window: (ids[i], ids[j]). A position is
    never paired with itself. For N ids there are sum_d 2 * (N - d) pairs.
    ids: (N,) -> centers (P,), contexts (P,), ordered by distance d, then position.
    """
    ids = np.asarray(ids)
    if ids.ndim != 1:
        raise ValueError(f"skipgram_pairs expects ids of shape (N,), got {ids.shape}")
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")
    centers, contexts = [], []
    for d in range(1, window + 1):
        if d >= len(ids):
            break
        centers += [ids[:-d], ids[d:]]  # the word on the left looks right, and back
        contexts += [ids[d:], ids[:-d]]
    if not centers:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(centers), np.concatenate(contexts)


def negative_distribution(counts, power=0.75):
    """P_neg(w) = count_w^power / sum_v count_v^power: negatives drawn a bit flatter than
    the word frequencies, so rarer words are drawn as negatives more often than they occur."""
    p = np.asarray(counts, dtype=np.float64) ** power
    return p / p.sum()


def sample_negatives(p_neg, shape, rng):
    """Draw word ids from p_neg, an array of the given shape (inverse-CDF sampling, fast)."""
    check_rng(rng, "sample_negatives")
    cdf = np.cumsum(p_neg)
    ids = np.searchsorted(cdf, rng.random(shape) * cdf[-1], side="right")
    return np.minimum(ids, len(p_neg) - 1)  # guard against rounding at the top end


def log_sigmoid(s):
    """log sigmoid(s) of a Tensor, without overflow or log(0).

    log sigmoid(s) = -log(1 + exp(-s)) = min(s, 0) - log(1 + exp(-|s|)),
    and exp(-|s|) <= 1 never overflows. min(s, 0) and |s| are written as s times constant
    masks, so the slope at s = 0 comes out right (0.5); relu's slope of 0 at 0 would lose it,
    and every score starts at exactly 0 here.
    """
    sign = np.where(s.data >= 0, 1.0, -1.0)  # |s| = s * sign
    below = (s.data < 0).astype(s.data.dtype)  # min(s, 0) = s * below
    return s * below - ((s * -sign).exp() + 1.0).log()


class SkipGram(Module):
    """Two embedding tables: U (V, C) for center words and Vc (V, C) for context words.

    U starts small and random, Vc at zero (as in word2vec), so all scores start at 0 and
    every pair starts at sigmoid(0) = 0.5.
    """

    def __init__(self, n_vocab, n_embd, rng, init_std=None):
        check_rng(rng, "SkipGram")
        init_std = 0.5 / n_embd if init_std is None else init_std
        self.U = Embedding(n_vocab, n_embd, rng, init_std=init_std)
        self.Vc = Embedding(n_vocab, n_embd, rng, init_std=0.0)

    def forward(self, centers, contexts, negatives):
        """Mean negative-sampling loss of a batch (a scalar Tensor).

        centers (B,), contexts (B,), negatives (B, K) int arrays.
        The true context and the K negatives are looked up together, as K + 1 candidates
        with labels y = +1 (real) and y = -1 (random); since sigmoid(-s) = 1 - sigmoid(s),
        L = -sum_j log sigmoid(y_j * s_j) is exactly the loss in the module docstring.
        """
        B = len(centers)
        if np.shape(contexts) != (B,) or np.ndim(negatives) != 2 or len(negatives) != B:
            raise ValueError(
                f"SkipGram expects centers (B,), contexts (B,), negatives (B, K); got "
                f"{np.shape(centers)}, {np.shape(contexts)}, {np.shape(negatives)}"
            )
        candidates = np.concatenate([np.reshape(contexts, (B, 1)), negatives], axis=1)  # (B, 1+K)
        y = np.where(np.arange(candidates.shape[1]) == 0, 1.0, -1.0)  # (1+K,) +1 then -1s
        u = self.U(centers)  # (B, C)
        v = self.Vc(candidates)  # (B, 1+K, C)
        s = (u.reshape(B, 1, -1) * v).sum(axis=-1)  # (B, 1, C) * (B, 1+K, C) -> (B, 1+K)
        L = -log_sigmoid(s * y).sum(axis=-1)  # (B,)
        return L.mean()

    def extra_repr(self):
        return f"{self.U.n_vocab}, {self.U.n_embd}"


def nearest(E_unit, query, k, exclude=()):
    """The k rows of E_unit most similar to the vector `query`, best first.

    E_unit: (V, C) unit rows (nnlib.functional.normalize_rows); query: (C,);
    exclude: ids to skip (the word itself).
    Returns (ids (k,), similarities (k,)); ties go to the smaller id.
    """
    E_unit = np.asarray(E_unit)
    query = np.asarray(query, dtype=np.float64)
    if query.shape != E_unit.shape[1:]:
        raise ValueError(f"nearest expects a query of shape {E_unit.shape[1:]}, got {query.shape}")
    q = query / max(np.linalg.norm(query), 1e-300)
    sims = E_unit @ q  # (V, C) @ (C,) -> (V,)
    sims[list(exclude)] = -np.inf
    k = min(k, len(sims) - len(set(exclude)))
    ids = np.argsort(-sims, kind="stable")[:k]
    return ids, sims[ids]


def neighbours(E_unit, stoi, itos, word, k=8):
    """The k nearest words to `word` (itself excluded) as a list of (word, cosine similarity)."""
    if word not in stoi:
        raise ValueError(f"{word!r} is not in the vocabulary of {len(itos)} words")
    i = stoi[word]
    ids, sims = nearest(E_unit, E_unit[i], k, exclude=[i])
    return [(itos[j], float(s)) for j, s in zip(ids, sims, strict=True)]


def analogy(E_unit, stoi, itos, a, b, c, k=5):
    """a is to b as c is to ?: the words nearest to b - a + c (a, b, c themselves excluded).

    analogy(..., "man", "king", "woman") asks king - man + woman -> hopefully "queen".
    Returns a list of (word, cosine similarity) pairs, best first.
    """
    missing = [w for w in (a, b, c) if w not in stoi]
    if missing:
        raise ValueError(f"{missing} not in the vocabulary of {len(itos)} words")
    query = E_unit[stoi[b]] - E_unit[stoi[a]] + E_unit[stoi[c]]  # (C,)
    ids, sims = nearest(E_unit, query, k, exclude=[stoi[a], stoi[b], stoi[c]])
    return [(itos[j], float(s)) for j, s in zip(ids, sims, strict=True)]


def pca(X, n_components=2):
    """Project the rows of X onto their n_components directions of largest variance.

    Center: Xc = X - mean(X). SVD: Xc = U S Vt; the rows of Vt are the principal directions.
    Z = Xc @ Vt[:n].T. Each direction's sign is fixed so that its largest entry (the first of
    equal ones) is positive: SVD may flip signs, and this keeps maps the same run to run.
    X: (N, C) -> Z (N, n), directions (n, C), explained (n,) fraction of the variance.
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or n_components > min(X.shape):
        raise ValueError(
            f"pca expects X of shape (N, C) with N, C >= {n_components}, got {X.shape}"
        )
    Xc = X - X.mean(axis=0)  # (N, C)
    _, S, Vt = np.linalg.svd(Xc, full_matrices=False)
    directions = Vt[:n_components]  # (n, C)
    signs = np.sign(directions[np.arange(n_components), np.abs(directions).argmax(axis=1)])
    directions = directions * signs[:, None]
    explained = S[:n_components] ** 2 / max((S**2).sum(), 1e-300)
    return Xc @ directions.T, directions, explained


def training_pairs(text, n_vocab, window, rng, t=SUBSAMPLE_T):
    """Everything before training, in one place: words, vocabulary, thinned ids, pairs.

    Returns a dict with itos, stoi, counts (V,), ids (N,) (all in-vocabulary words, in order),
    centers (P,) and contexts (P,) from one subsampled pass over ids.
    """
    check_rng(rng, "training_pairs")
    words = split_words(text)
    itos, counts = build_vocab(words, n_vocab)
    stoi = {w: i for i, w in enumerate(itos)}
    ids = encode_words(words, stoi)
    kept = subsample(ids, keep_probabilities(counts, t), rng)
    centers, contexts = skipgram_pairs(kept, window)
    return {
        "itos": itos,
        "stoi": stoi,
        "counts": counts,
        "ids": ids,
        "centers": centers,
        "contexts": contexts,
    }


def train(model, optimizer, centers, contexts, p_neg, rng, n_epochs, batch_size, K=5, steps=None):
    """The chapter's training loop, for the figure script and the widget's default embedding.

    Each epoch shuffles the pairs, and each batch draws K negatives per pair from p_neg.
    steps: an optional iterable wrapper (e.g. tqdm) around range(number of steps).
    Returns the history {"loss": [mean loss per step]}.
    """
    check_rng(rng, "train (the skip-gram loop)")
    P = len(centers)
    n_batches = P // batch_size
    history = {"loss": []}
    order = None
    iterator = range(n_epochs * n_batches)
    for step in steps(iterator) if steps is not None else iterator:
        if step % n_batches == 0:
            order = rng.permutation(P)  # a new shuffle every epoch
        batch = order[(step % n_batches) * batch_size : (step % n_batches + 1) * batch_size]
        negatives = sample_negatives(p_neg, (batch_size, K), rng)  # (B, K)
        L = model(centers[batch], contexts[batch], negatives)
        optimizer.zero_grad()
        L.backward()
        optimizer.step()
        history["loss"].append(L.item())
    return history


def next_char_counts(text, context):
    """How often each character follows `context` in text: the counts of a tiny n-gram model.

    Returns (chars, counts) sorted by count, largest first (ties: by character).
    "thin then" with context "th" -> (["e", "i"], [1, 1]).
    """
    if not context:
        raise ValueError("next_char_counts needs a context of at least one character")
    counts = {}
    start = text.find(context)
    while start != -1:
        after = start + len(context)
        if after < len(text):
            counts[text[after]] = counts.get(text[after], 0) + 1
        start = text.find(context, start + 1)
    ranked = sorted(counts.items(), key=lambda cc: (-cc[1], cc[0]))
    return [c for c, _ in ranked], np.array([n for _, n in ranked], dtype=np.int64)


# ---- the chapter's recipe, shared by the notebook and scripts/figures/ch06 ----------------
# One place for every setting the chapter trains and draws with, so the figures in figures/
# show exactly the numbers the notebook prints (tests/test_figures_ch06.py checks it).

MERGES_CURVE = (0, 25, 50, 100, 200, 400, 700, 1000)  # merge counts of the tokens-per-byte curve
CURVE_CHARS = 50_000  # the curve is measured on the text's first 50,000 characters
N_VOCAB, N_EMBD, WINDOW = 2000, 48, 2  # words kept, numbers per vector, context window
K_NEGATIVES, BATCH_SIZE, N_EPOCHS, LR = 5, 2048, 3, 0.01  # negatives per pair; Adam's loop
WORD_VECTORS_SEED = 0  # the word vectors draw from a generator of their own, default_rng(0)
NEIGHBOUR_WORDS = ["king", "queen", "love", "night", "father", "thou"]
MAP_WORDS = [
    "king", "queen", "prince", "duke", "lord", "lady", "father", "mother", "son", "daughter",
    "brother", "sister", "husband", "wife", "day", "night", "morning", "sun", "moon",
    "love", "hate", "joy", "grief", "sword", "blood", "death", "thou", "thee", "thy", "you",
]  # fmt: skip


def word_vectors(text, seed=WORD_VECTORS_SEED):
    """The chapter's word vectors from start to end, drawing random numbers in its order.

    One generator, default_rng(seed), draws in the order the notebook uses it: the
    subsampling of training_pairs, SkipGram's starting vectors, then each epoch's shuffle
    and each batch's negatives. Returns (E (N_VOCAB, N_EMBD) a copy of U, itos, losses).
    """
    rng = np.random.default_rng(seed)
    d = training_pairs(text, N_VOCAB, WINDOW, rng)
    model = SkipGram(len(d["itos"]), N_EMBD, rng)
    optimizer = Adam(model.parameters(), lr=LR)
    p_neg = negative_distribution(d["counts"])
    history = train(
        model, optimizer, d["centers"], d["contexts"], p_neg, rng, N_EPOCHS, BATCH_SIZE,
        K=K_NEGATIVES,
    )  # fmt: skip
    return model.U.W.data.copy(), d["itos"], history["loss"]


@functools.lru_cache(maxsize=1)
def default_tokenizer(n_merges=1000):
    """BPE trained on the whole Shakespeare text (about 2 s), once per session."""
    return BPETokenizer.train(load_shakespeare(), n_merges)


@functools.lru_cache(maxsize=1)
def default_embeddings(n_vocab=2000, n_embd=48, window=2, n_epochs=1, seed=0):
    """Word vectors for the explorer when none are given: the chapter's recipe, one epoch.

    Trained once per process (a few seconds); returns (E (V, C) a copy, itos).
    """
    rng = np.random.default_rng(seed)
    d = training_pairs(load_shakespeare(), n_vocab, window, rng)
    model = SkipGram(len(d["itos"]), n_embd, rng)
    p_neg = negative_distribution(d["counts"])
    train(
        model,
        Adam(model.parameters(), lr=0.01),
        d["centers"],
        d["contexts"],
        p_neg,
        rng,
        n_epochs,
        batch_size=2048,
    )
    return model.U.W.data.copy(), d["itos"]
