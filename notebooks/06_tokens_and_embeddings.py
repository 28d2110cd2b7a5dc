# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 06 Tokens and embeddings
#
# The book has two parts. Part I, chapters 01 to 05, taught a network to read digits: 784
# pixel brightnesses in, ten scores out, and gradient descent with backpropagation to tune
# the weights. Part II, chapters 06 to 08, builds a network that reads and writes *text*, a
# small GPT. Before it can do anything, two questions need answers, and they are the
# subject of this chapter:
#
# - What exactly does a language model compute? It reads the text so far and gives
#   **every possible next piece of text a probability**. Writing is then just picking a
#   piece, appending it, and asking again.
# - How does text become numbers a network can multiply? In two steps: the text is cut into
#   **tokens**, each with an integer id, and each id picks a row of a matrix, a vector of
#   numbers called its **embedding**.
#
# By the end of this chapter you will be able to
#
# 1. build the simplest language model there is, a table of counts, let it write, and score
#    it with the cross-entropy;
# 2. cut text into characters, into words and into byte-pair-encoding tokens, and say what
#    each choice costs;
# 3. turn token ids into vectors with an embedding matrix, and explain why that is a
#    matrix product with a one-hot vector;
# 4. learn word vectors from Shakespeare with skip-gram and negative sampling, then look for
#    meaning in them: nearest neighbours, a 2-D map, and vector arithmetic.
#
# Along the way there are seven **exercises**: predict what a cell will show, write a few
# lines of code, or find something with a slider. Each has a check that says at once whether
# you are right and, if not, what the likely mistake is. Stuck? Run
# `exercises.hint("06.2")` (with the exercise's number) in a new cell: one more hint each time.
# The worked solutions are kept out of the chapters (the README says where, for readers
# working alone and for teachers).

# %%
# %matplotlib inline
from collections import Counter

import matplotlib.pyplot as plt  # noqa: F401  (figures are shown inline)
import numpy as np

from nnlib import functional as F
from nnlib import plot
from nnlib.chapters import ch06_tokens_and_embeddings as word2vec
from nnlib.data import load_shakespeare
from nnlib.exercises import ch06_tokens_and_embeddings as exercises
from nnlib.layers import Embedding
from nnlib.optim import Adam
from nnlib.progress import progress
from nnlib.tokenizers import BPETokenizer, CharTokenizer
from nnlib.widgets import ch06_tokens_and_embeddings as tokens_widgets

rng = np.random.default_rng(0)

# %% [markdown]
# ## 1. A language model gives every next token a probability
#
# Our text for all of Part II (this chapter and the next two) is "tiny Shakespeare": about a million characters of his plays,
# speaker names included, in one string.

# %%
text = load_shakespeare()
print(f"{len(text):,} characters")
print(text[:250])

# %% [markdown]
# The simplest way to cut text into tokens is one token per character. `CharTokenizer`
# collects the distinct characters of the text, sorts them, and numbers them 0, 1, 2, ...;
# that list of all possible tokens is the **vocabulary**, and its size is called $V$.

# %%
char_tok = CharTokenizer(text)
ids = char_tok.encode(text)  # (1115394,) one id per character
V = char_tok.vocab_size
V, "".join(char_tok.chars)

# %% [markdown]
# A **language model** is a function that takes the text so far and returns $V$ numbers, one
# probability for each token that could come next; they are all positive and add up to 1.
# GPT-2 is such a function with over a hundred million weights (GPT-3 has 175 billion). The
# simplest such function looks at the last character only, and gets its probabilities by
# counting: how often did each character follow this one in the text? That is a **bigram
# model** (a bigram is a pair of neighbours).
#
# The counts fit in a $V \times V$ table $N$, where $N[a, b]$ counts the places where
# character $a$ is followed by character $b$. Dividing each row by its sum turns counts into
# probabilities: $P(b \mid a) = N[a, b] / \sum_{b'} N[a, b']$, read "the probability of $b$
# given that $a$ came before". (In this chapter $P$ is this table, not the number of training
# examples of Part I.)

# %%
N = np.zeros((V, V), dtype=np.int64)
np.add.at(N, (ids[:-1], ids[1:]), 1)  # one count per neighbouring pair (a, b)
P = N / N.sum(axis=1, keepdims=True)  # (V, V): row a is P(next | a)
q = char_tok.stoi["q"]
top = np.argsort(-P[q])[:3]
[(char_tok.chars[b], round(float(P[q, b]), 4)) for b in top]

# %% [markdown]
# After a "q" comes a "u", every time. Looking two characters back instead of one (a table
# indexed by the last two characters) we can ask what follows "th". The figure shows both
# distributions as bars; what to see: after "q" the model is certain, after "th" it spreads its
# bets, with "e" likeliest, then a space (drawn as ␣), "a", "i" and "o".

# %%
chars, counts = word2vec.next_char_counts(text, "q")
assert chars == ["u"] and counts[0] == N[q].sum()  # the same count, two ways
tokens_widgets.next_char_figure(text, ("q", "th"))

# %% [markdown]
# A model that outputs probabilities can **write**: draw the next character from its
# distribution (`rng.choice` with `p=`), append it, repeat. Here are 300 characters from the
# bigram model, starting after a newline.


# %%
def sample_bigram(P, start, n, rng):
    """Draw n ids, each from the row of P of the id before it."""
    out = [start]
    for _ in range(n):
        out.append(rng.choice(len(P), p=P[out[-1]]))
    return np.array(out[1:])


print(char_tok.decode(sample_bigram(P, char_tok.stoi["\n"], 300, rng)))

# %% [markdown]
# It has the look of a play, with runs of capitals like the speakers' names, short lines, and
# common pairs like "th" and "he", and it makes no sense at all: one character of memory is far
# too little. The rest of the book replaces this table by networks that look much further back.
#
# How good is a model? We measure it as in Part I, with the **cross-entropy**: the average of
# $-\log P(\text{actual next token})$ over the text; lower is better. This number is the
# loss every language model in the book is trained to make small.
#
# **Exercise 06.1 (predict, then run).** A model that knows nothing gives each of the 65
# characters the probability $1/65$, whatever came before. What is its cross-entropy? Put your
# number in place of `None` and run the check; the cell after it prints the bigram table's
# score and then this one.

# %% tags=["exercise"]
uniform_loss = None  # a number

exercises.check("06.1", uniform_loss)

# %% [markdown]
# The bigram table scores 2.45, a long way below the $\log 65 \approx 4.17$ of knowing nothing:

# %%
L_bigram = -np.log(P[ids[:-1], ids[1:]]).mean()
round(float(L_bigram), 3), round(float(np.log(V)), 3)

# %% [markdown]
# ## 2. Text into tokens
#
# Characters are one way to cut text. There are others, and the choice matters: it fixes
# the vocabulary size $V$ (the number of probabilities the model must output) and the length
# of the sequences it must read.
#
# ### Words
#
# Why not whole words? Lower-case the text, cut it into runs of letters (keeping inner
# apostrophes, as in "o'er"), and count.

# %%
words = word2vec.split_words(text)
word_counts = Counter(words)
n_once = sum(1 for c in word_counts.values() if c == 1)
print(f"{len(words):,} words, {len(word_counts):,} distinct, {n_once:,} of them seen only once")
word_counts.most_common(12)

# %% [markdown]
# A word vocabulary is huge, and it keeps growing with the text: every new play brings new
# names and spellings. Worse, a word the tokenizer has never seen has no id at all. To
# measure how often that happens, build the vocabulary from the first 90% of the words and
# look at the last 10%:

# %%
cut = int(0.9 * len(words))
known = set(words[:cut])
held_out = words[cut:]
unknown = [w for w in held_out if w not in known]
print(f"vocabulary from 90% of the text: {len(known):,} words")
share = len(unknown) / len(held_out)
print(f"last 10%: {len(unknown):,} of {len(held_out):,} words are unknown ({share:.1%})")
sorted(set(unknown))[:12]

# %% [markdown]
# About one word in twenty is unknown, and those are often the interesting ones (names,
# rare verbs). A word-level model must map them all to one "unknown" token and lose them.
# Characters never have this problem, but they make sequences long: "question" is 8 tokens.
# We want something in between.
#
# ### Byte-pair encoding
#
# **Byte-pair encoding** (BPE), the tokenizer of GPT-2 and most models since, gets the best of
# both. It starts from the smallest possible alphabet: text is stored as UTF-8 **bytes**
# (numbers 0 to 255; an "a" is one byte, an "é" two, an emoji four), so the 256 byte values are
# the first 256 tokens, and *any* string can be written with them. Then it learns from a
# training text by repeating one step, a **merge**:
#
# 1. count every pair of neighbouring tokens in the text;
# 2. make the most frequent pair a new token, with the next free id (256, 257, ...);
# 3. replace that pair everywhere by the new token.
#
# Each merge adds one token to the vocabulary and shortens the text. (The text is first cut
# at spaces and punctuation, and merges never cross those cuts, so a token may start with a
# space, like " the", but never spans two words.)
#
# **Exercise 06.2 (write the code).** Write step 3, one merge: `merge(ids, pair, new_id)`
# returns a new list in which every occurrence of `pair` in the list `ids`, read from left to
# right, is replaced by `new_id`. Mind overlaps: in `[97, 97, 97]` ("aaa") the pair
# `(97, 97)` occurs at the start and again one token later, but only the left one can merge.


# %% tags=["exercise"]
def merge(ids, pair, new_id): ...  # return the new list of ids


exercises.check("06.2", merge)

# %% [markdown]
# `BPETokenizer.train` repeats the three steps; 1000 merges
# on the whole text take a few seconds. It returns the tokenizer and, in `merges`, each merged
# pair with its new id; `vocab[id]` holds a token's bytes.

# %%
bpe = BPETokenizer.train(text, 1000)
first = [bpe.vocab[new_id].decode("utf-8") for _, new_id in bpe.merges[:24]]
bpe, first

# %% [markdown]
# The first merges join a space to the letter after it (" t", " a", " s") or two common letters
# ("he", "ou", "in"), and soon make whole words: " the" is merge 12. Later merges build longer
# and rarer pieces, many of them parts of the speakers' names, which stand in capitals before
# every speech:

# %%
[bpe.vocab[new_id].decode("utf-8", errors="replace") for _, new_id in bpe.merges[980:1000]]

# %% [markdown]
# A tokenizer that stops after $n$ merges has $V = 256 + n$ tokens. More merges mean a
# bigger vocabulary (a larger table of probabilities for the model to output) and shorter
# sequences (fewer steps to read the same text). The figure measures that trade on the first
# 50,000 characters (`word2vec.CURVE_CHARS`), at the merge counts in `word2vec.MERGES_CURVE`: what to see is that the first hundred merges already cut the sequence by
# more than a third (to about 0.6 tokens per byte), while the next nine hundred bring it down
# only to 0.4 tokens per byte, that is 2.5 bytes per token: returns diminish quickly.

# %%
curve_text = text[: word2vec.CURVE_CHARS]
tokens_widgets.vocab_vs_length_figure(bpe, curve_text, word2vec.MERGES_CURVE)

# %% [markdown]
# The same sentence with 0, 50 and 1000 merges, each token in its own colour (a space is drawn
# as ␣, a newline as ↵). With no merges every byte is a token; with 1000, most words are one
# token, and "Before", "proceed" and "further" are built from pieces.

# %%
tokens_widgets.token_colours_figure(
    bpe, "First Citizen:\nBefore we proceed any further, hear me speak."
)

# %% [markdown]
# Because the base alphabet is all 256 bytes, text the tokenizer never saw (accents, other
# scripts, emoji) still encodes, at a few tokens per character, and decodes back exactly.
# `token_strings` shows the pieces; a piece that holds only part of a character's bytes is
# shown as byte escapes like `\xf0`.

# %%
for s in ["café naïve", "日本語", "Thou art 😀!"]:
    ids_s = bpe.encode(s)
    assert bpe.decode(ids_s) == s  # the round trip is exact
    print(f"{s!r}: {len(s)} characters, {len(s.encode('utf-8'))} bytes, {len(ids_s)} tokens")
    print("   ", bpe.token_strings(ids_s))

# %% [markdown]
# ### A live tokenizer
#
# Type any text into the box and drag the merges slider from 0 to 1000. The coloured tokens
# below the figure (they appear when the notebook runs) show the ids the model would read; the
# figure shows, for your text, how the number of tokens per byte falls as merges are added,
# and where the slider is. Try Shakespeare, then modern English ("the internet"), then another language or emoji: text unlike the
# training text gets few merges and stays long.
#
# *(A live widget: it answers after **Run → Run All Cells**, and again after each reopening;
# on GitHub you see a still picture.)*

# %% tags=["nbval-ignore-output"]
tokens_widgets.tokenizer_explorer(bpe)

# %% [markdown]
# **Exercise 06.3 (explore with the slider).** The text in the box ends with "my lord!". Move
# the merges slider: at what number of merges does " lord" (with its space, drawn ␣lord)
# first become a single token? Enter the slider's number.

# %% tags=["exercise"]
lord_one_token_at = None  # the slider's number of merges

exercises.check("06.3", lord_one_token_at)

# %% [markdown]
# ## 3. Tokens into vectors: the embedding matrix
#
# A token id is a label, not a quantity: id 300 is not "more" than id 299, so feeding ids to
# a network as numbers would make no sense. Instead each id picks its own row of a matrix
# $W$ of shape $(V, C)$: token $i$ becomes the vector $W[i]$ of $C$ numbers, its
# **embedding**. These numbers are weights like any other and are learned by gradient descent.
#
# Mathematically this is a matrix product we already know. Write token $i$ as a **one-hot**
# vector $x$, like the labels of chapter 02: $V$ zeros with a 1 at position $i$. Then $x W$
# multiplies every row of $W$ by zero except row $i$, so $x W = W[i]$. Multiplying by a one-hot
# vector *is* a row lookup, and the lookup skips all the multiplications by zero. (Note the
# order: $x$ is a row and multiplies from the left, as a batch $X$ does in Part I; $W$ holds
# one row per token, which is why it is $(V, C)$ and not $(n_\text{out}, n_\text{in})$.)

# %%
V_small, C = 6, 3
W = rng.normal(size=(V_small, C))
token_ids = np.array([4, 0, 4])
X = F.one_hot(token_ids, V_small)  # (3, 6): one row per token
assert np.allclose(X @ W, W[token_ids])  # (3, 6) @ (6, 3) == 3 rows of W
X @ W

# %% [markdown]
# nnlib's `Embedding` is exactly this lookup, as a layer with a learnable $W$. Its input is
# an integer array of ids of any shape and its output adds a last axis of size $C$. In the
# backward pass, only the rows that were looked up receive a gradient. To see this we
# backpropagate from the sum of all outputs, whose slope with respect to each output is 1.
#
# **Exercise 06.4 (predict, then run).** The next cell looks up the ids `[4, 0, 4]` and calls
# `E.sum().backward()`. What will `emb.W.grad[4, 0]`, the gradient of the first entry of row
# 4, be? Predict it, check, then run the cell.

# %% tags=["exercise"]
grad_row_4 = None  # a number

exercises.check("06.4", grad_row_4)

# %%
emb = Embedding(V_small, C, rng)
E = emb(token_ids)  # (3,) ids -> (3, C)
assert np.allclose(E.data, F.one_hot(token_ids, V_small) @ emb.W.data)
E.sum().backward()
emb.W.grad  # row 4 was used twice, row 0 once, the others never

# %% [markdown]
# ## 4. Vectors that carry meaning
#
# A network's embeddings start random, and training moves them wherever they help predict.
# What they end up like is a striking discovery: tokens used in similar ways get similar
# vectors. We can watch this happen without a big network, with the classic method to learn
# **word vectors**, word2vec's *skip-gram with negative sampling* (Mikolov and colleagues,
# 2013); both halves of the name are explained below.
#
# The idea behind it: a word is known by the company it keeps. "king" and "duke" appear next
# to the same words (lord, crown, noble, my), "night" and "day" too. So we ask vectors to
# predict neighbours, and words with the same neighbours will need similar vectors.
#
# ### The training pairs
#
# We work with words here, not BPE tokens, so the results are easy to read. The vocabulary is
# the 2000 most frequent words; the rarer ones are dropped from the text. Together they still
# cover most of the text. (The settings of this section, such as `n_vocab`, come from the
# chapter module, `word2vec.N_VOCAB` and its neighbours, because the script that draws the
# book's saved figures trains the very same vectors from them.)

# %%
n_vocab = word2vec.N_VOCAB  # 2000
itos, word_freq = word2vec.build_vocab(words, n_vocab)  # id -> word, most frequent first
stoi = {w: i for i, w in enumerate(itos)}
word_ids = word2vec.encode_words(words, stoi)
print(f"{len(word_ids):,} of {len(words):,} words kept ({len(word_ids) / len(words):.1%})")
itos[:10], itos[-5:]

# %% [markdown]
# Slide over the word sequence. Each word in turn is the **center**; every word at most
# `window` positions before or after it is a **context** word, and (center, context) is a
# true pair. With window 2, "to be or not to be" gives these 18 pairs, first those of
# neighbours one apart, then two apart. (The name **skip-gram** comes from this: like the
# bigrams of section 1 it pairs words, but it may skip over the words between them.)

# %%
toy = "to be or not to be".split()
centers, contexts = word2vec.skipgram_pairs(np.arange(len(toy)), window=2)
[(toy[c], toy[o]) for c, o in zip(centers, contexts, strict=True)]

# %% [markdown]
# **Exercise 06.5 (write the code).** Write `pairs_of(ids, window)`: every (center, context)
# pair of a list of ids, as a list of tuples, in any order. The check compares it with
# `word2vec.skipgram_pairs` on several lists: short ones, ones with a word twice, and a window
# longer than the list.


# %% tags=["exercise"]
def pairs_of(ids, window): ...  # return a list of (center, context) tuples


exercises.check("06.5", pairs_of)

# %% [markdown]
# Very frequent words ("the", "and", "i") would make most of the pairs and teach little, so
# word2vec **subsamples** them: each occurrence of word $w$ is kept with probability
# $\min(1, \sqrt{t/f_w} + t/f_w)$, where $f_w$ is the word's share of the text and $t$ a small
# threshold, here $t = 0.0003$. Words not much more common than $t$ are always kept; "the"
# (3.5% of the text) is kept one time in ten. `training_pairs` does all of this (split,
# vocabulary, subsample, pairs) in one call; the list shows the keep probability of the 1st,
# 2nd, 51st, 501st and 2000th most frequent word.
#
# From here on, the word vectors draw their random numbers from a generator of their own,
# `w2v_rng`, seeded with `word2vec.WORD_VECTORS_SEED` (0). The sections above drew a
# different amount of random numbers from `rng`; with a generator of its own, the vectors
# below depend only on this section's recipe, and the figure script that draws
# `figures/06_neighbours.png` gets exactly the vectors you see here.

# %%
window, t = word2vec.WINDOW, word2vec.SUBSAMPLE_T  # 2, 0.0003
w2v_rng = np.random.default_rng(word2vec.WORD_VECTORS_SEED)  # only for the word vectors
data = word2vec.training_pairs(text, n_vocab, window, w2v_rng, t=t)
assert data["itos"] == itos  # the same vocabulary as above
keep = word2vec.keep_probabilities(data["counts"], t)
print(f"{len(data['centers']):,} (center, context) pairs")
[(itos[i], round(float(keep[i]), 2)) for i in (0, 1, 50, 500, 1999)]

# %% [markdown]
# ### The loss: tell real pairs from random ones
#
# Every word $w$ gets two vectors of $C$ numbers ($C = 48$ here): $u_w$ for when it is the
# center and $v_w$ for when it is a context (two embedding tables, `U` and `Vc`; the "c" keeps
# `Vc` apart from the vocabulary size $V$). The **score** of a pair, center word $c$ and
# context word $o$, is the dot product $s = u_c \cdot v_o$, and $\sigma(s)$, the sigmoid of chapter 01, is read as the
# probability that the pair is real.
#
# For each real pair we also draw $K$ **negatives**: random words $n_1, \dots, n_K$, which are
# almost never real neighbours. The loss rewards a high score for the real pair and low
# scores for the fakes:
#
# $$L = -\log \sigma(u_c \cdot v_o) - \sum_{k=1}^{K} \log \sigma(-u_c \cdot v_{n_k}).$$
#
# (Since $\sigma(-s) = 1 - \sigma(s)$, the second term is $-\log$ of "the fake pair is fake".)
# The direct way to predict a neighbour would be a softmax over all 2000 words, as over the ten
# digits in chapter 04, for every pair; **negative sampling** replaces it with $K + 1$ yes/no
# questions, which is much cheaper. Negatives are drawn in proportion to
# $\text{count}^{0.75}$, a little flatter than the word frequencies, so rare words are drawn
# somewhat more often than they occur. Here is the loss of one pair in numpy, checked against
# nnlib's `SkipGram`, which computes it for a whole batch with two `Embedding` tables. (A fresh
# `SkipGram` starts with all context vectors at zero, as explained under Training, so for this
# check we first fill them with random numbers.)

# %%
C = word2vec.N_EMBD  # 48
model = word2vec.SkipGram(n_vocab, C, rng)  # a model only for this check: the chapter's rng
model.Vc.W.data[:] = rng.normal(0, 0.1, size=(n_vocab, C))  # only for this check
c, o, negs = stoi["king"], stoi["crown"], np.array([stoi["horse"], stoi["night"], stoi["of"]])
u, v = model.U.W.data, model.Vc.W.data
L_ours = -np.log(F.sigmoid(u[c] @ v[o])) - np.log(F.sigmoid(-(v[negs] @ u[c]))).sum()
L_nnlib = model(np.array([c]), np.array([o]), negs[None, :])
assert np.isclose(L_ours, L_nnlib.item(), rtol=1e-5)
round(float(L_ours), 4)  # float32: four digits are all it holds reliably

# %% [markdown]
# ### Training
#
# A fresh model starts with small random center vectors and all-zero context vectors, so every
# score is 0 and every pair gets $\sigma(0) = 0.5$.
#
# **Exercise 06.6 (predict, then run).** With $K = 5$ negatives per pair, what will the loss
# be at the very first step, before any update? Enter your number; the cell after the loss
# curve prints the first loss.

# %% tags=["exercise"]
first_loss = None  # a number

exercises.check("06.6", first_loss)

# %% [markdown]
# The loop is the one from Part I: a shuffled batch of pairs, fresh negatives, forward,
# backward, an Adam step. Three epochs (passes over all the pairs) take a few seconds on a
# laptop. (`word2vec.word_vectors(text)` runs this whole recipe, from the training pairs to
# the last step, in one call; it is what the figure script uses, and it draws its random
# numbers in the same order as the cells here.)

# %% tags=["nbval-ignore-output"]
model = word2vec.SkipGram(n_vocab, C, w2v_rng)
optimizer = Adam(model.parameters(), lr=word2vec.LR)  # lr = 0.01
p_neg = word2vec.negative_distribution(data["counts"])  # (V,) count^0.75, normalised
K = word2vec.K_NEGATIVES  # 5 negatives per real pair
batch_size, n_epochs = word2vec.BATCH_SIZE, word2vec.N_EPOCHS  # 2048 pairs per step, 3 epochs
n_batches = len(data["centers"]) // batch_size
losses = []
for step in progress(range(n_epochs * n_batches), desc="skip-gram"):
    if step % n_batches == 0:
        order = w2v_rng.permutation(len(data["centers"]))  # a new shuffle every epoch
    batch = order[(step % n_batches) * batch_size :][:batch_size]
    negatives = word2vec.sample_negatives(p_neg, (batch_size, K), w2v_rng)  # (B, K)
    L = model(data["centers"][batch], data["contexts"][batch], negatives)
    optimizer.zero_grad()
    L.backward()
    optimizer.step()
    losses.append(L.item())

# %% [markdown]
# The loss falls fast from where it starts and then creeps down to about 2.5: the pairs are
# noisy (many real neighbours are unrelated words), so it never gets near zero. The two small
# steps down, near steps 190 and 380, are where the second and third epochs begin: from there
# on the model meets pairs it has already trained on, and it predicts them a little better.
# The first cell after the curve shows where it started (exercise 06.6).

# %%
fig, ax = plot.figure(size=(6, 2.8))
ax.plot(losses, lw=0.8)
ax.set(xlabel="step", ylabel="loss L", title="skip-gram with negative sampling")
fig

# %%
assert np.isclose(losses[0], (K + 1) * np.log(2), rtol=1e-5)  # every score starts at 0
round(losses[0], 4)  # the loss of the first step

# %%
assert losses[0] > 4.1 and np.mean(losses[-50:]) < 2.7  # it learned
round(float(np.mean(losses[-50:])), 3)

# %% [markdown]
# ### Nearest neighbours by cosine similarity
#
# The rows of `U` are now our word vectors. To compare two vectors $a$ and $b$ we use the
# angle between them rather than their distance, because a vector's length depends a lot on
# how often the word occurs, which is not what we want to compare. The **cosine similarity**
#
# $$\cos(a, b) = \frac{a \cdot b}{\lVert a \rVert \, \lVert b \rVert}$$
#
# is 1 when they point the same way, 0 at right angles and -1 when opposite; $\lVert a \rVert$
# is the length of $a$, the square root of $a \cdot a$. Divide every row by its length once,
# and then the cosine of word $i$ with *all* words is one matrix-vector product. The **nearest
# neighbours** of a word are the words with the largest cosines.
#
# **Exercise 06.7 (write the code).** Before you read our cell, write it as a function:
# `cosine_with_all(E, i)` takes a matrix `E` of word vectors, one row per word, and returns
# the $V$ cosine similarities of row `i` with every row (itself included). Leave `E` as it was.


# %% tags=["exercise"]
def cosine_with_all(E, i): ...  # return an array of shape (V,)


exercises.check("06.7", cosine_with_all)

# %% [markdown]
# Ours, for "king":

# %%
E_word = model.U.W.data  # (V, C) the word vectors
E_unit = E_word / np.linalg.norm(E_word, axis=1, keepdims=True)  # (V, C) unit rows
sims = E_unit @ E_unit[stoi["king"]]  # (V,) cosine of every word with "king"
best = np.argsort(-sims)[1:7]  # [0] is "king" itself
assert np.allclose(E_unit, F.normalize_rows(E_word))
[(itos[i], round(float(sims[i]), 2)) for i in best]

# %% [markdown]
# `word2vec.neighbours` does the same, and the figure draws its answer for six words. What to
# see in the bars: "king" is nearest to names of kings in the history plays (richard, edward)
# and to "kings"; "queen" to names of queens (margaret, elizabeth); the pronoun "thou" sits
# among the verb forms that go with it ("art", "wilt", "mayst", "shouldst", "dost"); "father"
# comes closest to "son"; "night" sits by "light", "afternoon" and "morrow", and by "wedding".
# The vectors were never told any of this; they only saw which words stand near which. Some
# neighbours are plainly noise ("debt" for "queen", "paris" for "night"), and "love", the
# most varied word of the six, has no clear neighbours at all: about 200,000 words is a tiny
# corpus. The cell after the figure checks the claims about "king", "queen", "thou" and
# "father".

# %%
tokens_widgets.neighbour_bars_figure(E_unit, itos, word2vec.NEIGHBOUR_WORDS)

# %%
near = {w: [n for n, _ in word2vec.neighbours(E_unit, stoi, itos, w, 6)] for w in ("queen", "thou")}
assert {"richard", "edward", "kings"} <= {itos[i] for i in best}
assert near["queen"][:2] == ["margaret", "elizabeth"] and {"art", "dost"} <= set(near["thou"])
assert word2vec.neighbours(E_unit, stoi, itos, "father", 1)[0][0] == "son"
near

# %% [markdown]
# ### A map in two dimensions
#
# Our vectors have 48 numbers; we cannot look at 48 axes. **Principal component analysis**
# (PCA) finds the two directions along which a set of points spreads out most, the first two
# *principal components* (PC 1 and PC 2), and gives each point's coordinates along them.
# Subtract the mean row from the points $X$ to get $X_c$; numpy's singular value
# decomposition, `np.linalg.svd`, which we use as a ready-made tool, returns these directions
# as the rows of `Vt`, from the most spread to the least. The coordinates are $X_c$ times the
# first two rows:

# %%
map_words = word2vec.MAP_WORDS  # 30 words: family, time of day, feelings, pronouns
X_map = E_unit[[stoi[w] for w in map_words]]  # (30, C)
Xc = X_map - X_map.mean(axis=0)
_, S, Vt = np.linalg.svd(Xc, full_matrices=False)
Z = Xc @ Vt[:2].T  # (30, C) @ (C, 2) -> (30, 2)
Z_nnlib, _, explained = word2vec.pca(X_map)
assert np.allclose(np.abs(Z), np.abs(Z_nnlib))  # the same up to the sign of each axis
explained.round(3)

# %% [markdown]
# The two directions hold less than a quarter of the spread: the array above gives each
# direction's share of the **variance** (the mean squared distance of the points from their
# mean), 13% and 10%. The other 46 directions hold the rest, so the map is a shadow of the
# real space and distances on it are only a rough guide. Still, what to see: family words
# (father, son, daughter, brother, sister, husband, wife) gather on the right, with "prince"
# and "queen", and the times of day (night, sun, day, morning) on the left. "mother" stays
# near the middle, far from "father", a reminder that two directions cannot show everything.
# The cell after the map checks the two groups by their first coordinate.

# %%
tokens_widgets.pca_map_figure(E_word, itos, map_words)

# %%
pc1 = dict(zip(map_words, Z_nnlib[:, 0].round(2).tolist(), strict=True))  # PC 1 of each word
family = ["father", "son", "daughter", "brother", "sister", "husband", "wife"]
times = ["night", "sun", "day", "morning"]
assert min(pc1[w] for w in family) > 0.2 and max(pc1[w] for w in times) < -0.3
{w: pc1[w] for w in family + times + ["mother"]}

# %% [markdown]
# ### Explore the neighbours
#
# Type a word (any of the 2000; the box suggests them) and set k. The map is a PCA of the 300
# most frequent words (grey), so it is not the map above; it places the word (red) and its k
# nearest words (blue), naming the word and its two nearest. The bars under it (they appear
# when the notebook runs) list all k with their cosine similarities.
# Try "three" and "go": numbers gather with numbers ("four", "twelve", "twenty", "six"), and
# "go" with other words of moving and sending ("fetch", "depart", "bring", "come", "hence").
# The cell after the widget checks these lists.
#
# *(A live widget: it answers after **Run → Run All Cells**, and again after each reopening;
# on GitHub you see a still picture.)*

# %% tags=["nbval-ignore-output"]
tokens_widgets.neighbour_explorer(E_word, itos, word="king")

# %%
near = {w: [n for n, _ in word2vec.neighbours(E_unit, stoi, itos, w, 8)] for w in ("three", "go")}
assert {"four", "twelve", "twenty", "six"} <= set(near["three"])
assert {"fetch", "depart", "bring", "come", "hence"} <= set(near["go"])
near

# %% [markdown]
# ### Vector arithmetic, honestly
#
# Famous word vectors trained on billions of words have a further property: directions mean
# something. The vector from "man" to "king" is close to the one from "woman" to "queen", so
# $\text{king} - \text{man} + \text{woman}$ lands near "queen". `word2vec.analogy(a, b, c)`
# computes $b - a + c$ from the unit vectors and returns the nearest words, leaving out the
# three inputs. Let us test eight such analogies on our vectors:

# %%
tests = [("man", "king", "woman", "queen"), ("he", "his", "she", "her"),
         ("father", "son", "mother", "daughter"), ("brother", "sister", "father", "mother"),
         ("husband", "wife", "king", "queen"), ("day", "night", "sun", "moon"),
         ("thou", "thy", "you", "your"), ("good", "better", "bad", "worse")]  # fmt: skip
ranks = {}  # the wanted word's place among the five nearest, or None
for a, b, c, want in tests:
    found = word2vec.analogy(E_unit, stoi, itos, a, b, c, k=5)
    ranks[want] = [w for w, _ in found].index(want) + 1 if want in [w for w, _ in found] else None
    print(
        f"{b} - {a} + {c} = {found[0][0]:<10} ({found[0][1]:.2f})   {want!r} in top 5 at: {ranks[want]}"
    )
hits = sum(rank == 1 for rank in ranks.values())
assert hits == 1 and ranks["moon"] == 1 and sum(r is not None for r in ranks.values()) == 1
print(f"{hits} of {len(tests)} right at the top")

# %% [markdown]
# Only one of the eight comes out on top: night − day + sun lands on "moon". None of the
# other seven even reaches the top five. It is worth saying plainly why. An analogy needs the difference
# between two words (man to woman) to be learned as the *same* direction in many pairs, and
# that needs each pair to be seen in many sentences. Our corpus is about 200,000 words, under
# 400,000 pairs after subsampling; the famous results used more than a thousand times as much
# text. Shakespeare also mixes several forms for one role ("thou", "thee", "you"), and
# "woman" appears only 57 times, "moon" 27. What our vectors *do* show is the first, simpler
# property: words used in similar places are close. That is the property a language model
# needs, and it is how the GPT of chapter 08 will use its token embeddings: as the first
# layer, learned together with everything else, to predict the next token.
#
# ## Summary
#
# - A language model maps the text so far to a probability for every possible next token; a
#   table of counts is the simplest one, and its cross-entropy (2.45 on characters, against
#   4.17 for uniform guessing) is the number to beat.
# - Tokenizers trade vocabulary size against sequence length. Words make a huge vocabulary
#   with unknown words; characters make long sequences; byte-level BPE starts from the 256
#   bytes (so every string round-trips) and merges frequent pairs into longer tokens.
# - An embedding matrix turns token ids into vectors: a one-hot vector times the matrix,
#   computed as a row lookup.
# - Trained to predict neighbours, word vectors put similar words close together (cosine
#   similarity); PCA draws a rough 2-D map of them; analogies need far more text than ours
#   (one of our eight comes out right).
#
# The [glossary](00_glossary.ipynb) explains the book's main terms in a sentence or two each.
#
# Next, chapter 07 lets the vectors of a sentence look at each other:
# [07 Attention](07_attention.ipynb).
