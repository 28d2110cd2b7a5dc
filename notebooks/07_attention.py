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
# # 07 Attention
#
# Chapter 06 cut text into **tokens** (for us: single characters) and gave every token an
# **embedding**, a vector of numbers that the model learns, so that each position of a text
# becomes a vector. A language model reads those vectors and, at every position, predicts the
# **next token**.
#
# There is a catch. An embedding is looked up for one character on its own: the vector for
# "o" is the same in "Romeo" as in "thou". To guess what follows "Rome", the vector at the
# last "e" needs to know that "R", "o" and "m" came before it. Some step must let the vectors
# of a text exchange information. That step is **attention**, the heart of the transformer.
# This chapter starts with where attention came from, builds it from scratch and then looks
# inside the trained model.
#
# By the end of this chapter you will be able to:
#
# 1. say how language models read text before 2017 (recurrent networks, one word at a time)
#    and what the transformer changed, and how pictures and sound become tokens too;
# 2. compute one attention **head** (one complete attention computation; a layer runs several
#    side by side) step by step: queries, keys and values, scores, the scaling by
#    $\sqrt{d}$, softmax, the causal mask, the weighted sum of values;
# 3. write it in ten lines of numpy and check it against the library, gradients included;
# 4. run several heads side by side and join them with the output projection;
# 5. read what the trained model's heads attend to, with an explorer;
# 6. make attention flat or sharp by scaling the scores, and measure which with entropy;
# 7. tell the **MLP**, where vectors do *not* talk, from attention, where they do;
# 8. explain why attention needs to be told where each token is, and how positions look;
# 9. show, on a small example with words, how attention gives a word its meaning from the
#    words around it: "bank" beside "river" and "bank" beside "money".
#
# Along the way there are seven **exercises**: predict what a cell will show, write a few
# lines of numpy (the causal mask, one head, the cut into heads), or find a number with a
# slider. Each has a check that says at once whether you are right and, if not, what the
# likely mistake is. Stuck? Run `exercises.hint("07.3")` (with the exercise's number) in a new
# cell: one more hint each time.

# %%
# %matplotlib inline
import matplotlib.pyplot as plt  # noqa: F401  (figures are shown inline)
import numpy as np

from nnlib import functional as F
from nnlib import sampling
from nnlib.chapters import ch07_attention as attention
from nnlib.exercises import ch07_attention as exercises
from nnlib.fused import merge_heads, split_heads
from nnlib.gpt import CausalSelfAttention, GPTConfig
from nnlib.gradcheck import check_grad
from nnlib.tensor import Tensor, no_grad
from nnlib.widgets import ch07_attention as attention_widgets

rng = np.random.default_rng(0)

# %% [markdown]
# ## Before attention: reading one word at a time
#
# Until 2017, most language models were **recurrent networks** (RNNs, with a refined kind
# called the LSTM). A recurrent network reads a text the way we follow a ticker: one token
# per step, from left to right. At each step it combines the new token's vector $x_t$ with a
# vector it carries along, its **memory** $h_{t-1}$, and hands an updated memory to the next
# step: $h_t = f(h_{t-1}, x_t)$, where $f$ is a small network with the same weights at every
# step. Whatever the model knows about the text so far has to fit into that one vector.
#
# Two things follow from the design. First, the first word can influence the last only by
# being passed along through every step in between, and each step may overwrite part of the
# memory, so links between distant words are hard to learn. Second, the steps cannot run at
# the same time: step $t$ needs the memory from step $t - 1$. Training on a long text is
# therefore a long chain of small computations, which is slow on hardware built to do many
# things at once.
#
# In 2017 a team at Google (Vaswani and seven colleagues) published "Attention Is All You
# Need". Their model, the **transformer**, was built for translation: an **encoder** read a
# sentence in one language and a **decoder** wrote the translation in another, one word
# after the other. Attention already existed as a helper inside recurrent translators; the
# paper's point, as its title says, was that attention alone is enough. The transformer has
# no recurrence at all. In every layer, every position looks at every other position
# directly, in a single step, and all the positions are computed at once with a few large
# matrix products. The encoder let each word look both ways. The decoder, which must not
# see the words it has not written yet, looked only back, with the **causal mask** of
# section 2. A GPT, the model of this book, is that decoder half on its own.
#
# What to see in the figure, for the sentence "take the money to the bank": on the left, a
# recurrent network reads one word per step, and "take" reaches "bank" only after its memory
# has been handed on five times. On the right, attention's table of all pairs: each row is a
# word looking, each column a word it can look at, and every blue pair is one direct
# connection, all computed in the same step. The grey half is the future, which a GPT hides
# and the 2017 encoder used.

# %%
attention_widgets.rnn_vs_attention_figure("take the money to the bank".split())

# %% [markdown]
# You may come across the description of a transformer as "a recurrent network, only
# better". It is closer to the truth to say that transformers *replaced* recurrent networks.
# A transformer carries no memory from one step to the next. Each time it predicts, it
# reads its whole context afresh (for our model, the last 64 characters) and sees nothing
# outside that window. What made it win was mostly speed of training: since all positions
# are computed together, a transformer can learn from far more text in the same time, and
# more text turned out to matter more than almost anything else. Within a few years
# transformers had taken over from recurrent networks in nearly every language model.
#
# ### Pictures and sound become tokens too
#
# Text is not the only thing networks read. For pictures, the workhorse of the 2010s was
# the **convolutional network** (CNN). Chapter 04's digit network reads an image as a flat
# list of 784 numbers, so it must learn separately that a stroke on the left and the same
# stroke on the right are alike. A convolutional layer instead slides one small set of
# weights, a **filter** of, say, 3 x 3 pixels, across every place in the image, so a
# pattern learned in one spot is found in all of them. Stacks of such layers find edges,
# then strokes and corners, then parts of objects; from 2012 on they were how computers
# recognised what a photograph shows.
#
# Transformers have since moved into pictures and sound with one simple step: turn the
# input into tokens. Cut an image into square **patches**, say 16 x 16 pixels, lay each
# patch's pixel numbers out in a row, and multiply by a learned matrix: each patch becomes
# an embedding, just as a character does in our model, and attention lets the patches look
# at each other (the Vision Transformer of 2020 did exactly this). A recording is cut into
# short slices of time, a few hundredths of a second each, and each slice becomes a vector
# in the same way; speech recognisers such as Whisper hear like that. This is how models
# take in pictures and sound: after the first step, everything is a sequence of vectors,
# and the rest of the machine does not care where the vectors came from.
#
# Here is the cutting for a 28 x 28 image like chapter 04's digits, in patches of 7 x 7
# pixels. Each pixel of our stand-in image holds its own index, so we can see which pixels
# land in which patch: patch 0 holds the first seven pixels of rows 0 to 6.

# %%
image = np.arange(28 * 28).reshape(28, 28)  # a stand-in image: pixel (r, c) holds 28 r + c
patches = image.reshape(4, 7, 4, 7).swapaxes(1, 2).reshape(16, 49)  # (16 patches, 49 pixels)
assert patches[0, :7].tolist() == list(range(7)) and patches[0, 7] == 28 and patches[1, 0] == 7
patches.shape, patches[0, :9]

# %% [markdown]
# Sixteen rows of 49 numbers: multiplied by a learned $(C, 49)$ matrix, the digit would be
# a text of 16 tokens. In this book the tokens stay characters, and from here on we study
# attention on them.

# %% [markdown]
# ## 1. The model and the line
#
# Throughout the chapter we use the small GPT of chapter 08, trained to predict the next
# character on about a million characters of Shakespeare's plays. Its **checkpoint** (a file
# with all its learned numbers) ships with the book, so nothing needs training here; chapter
# 08 shows how it was trained. The configuration says how big it is: a vocabulary of 65
# characters, a context of 64 characters (`block_size`: it reads at most 64 at a time),
# 4 layers (`n_layer`; the code calls them blocks), 4 heads per layer and vectors of width
# 128 (`n_embd`, which we call $C$).

# %%
model, tok, meta = sampling.load_char_gpt()
config = model.config
C = config.n_embd
config, round(meta["val_loss"], 2)

# %% [markdown]
# The validation loss is the cross-entropy of chapters 02 and 06 on text the model never
# trained on: about 1.88 per character, against about 2.5 for chapter 06's bigram table and
# $\log 65 \approx 4.17$ for guessing uniformly among 65 characters. (Losses computed with
# the natural logarithm are measured in **nats**; we meet the unit again in section 6.)
#
# Our line is Juliet's, with the speaker's name and the line break as they appear in the
# training text. It has $T = 49$ characters (positions), each of which becomes one token id.

# %%
text = attention_widgets.DEFAULT_TEXT
ids = tok.encode(text)
T = len(ids)
print(text)
T, ids[:8]

# %% [markdown]
# Each id picks its embedding vector (a row of `wte`, chapter 06's embedding matrix), and the
# model adds a second vector that depends only on the *position* (a row of `wpe`; section 8
# explains why). The first layer then rescales each vector to mean 0 and variance 1 and
# applies a learned scale and shift (a **layer norm**, which chapter 08 discusses). The
# result, one row of $C = 128$ numbers per character, is what the first attention layer
# reads. We call it `x`.

# %%
block = model.blocks[0]
with no_grad():
    x = block.ln_1(model.wte(ids) + model.wpe(np.arange(T))).data  # (T, C)
x.shape

# %% [markdown]
# ## 2. One head of attention, step by step
#
# An attention layer runs several independent copies of one computation side by side; each
# copy is called a **head**. We build a single head first, and put several together in
# section 4.
#
# ### Queries, keys and values
#
# Think of each position as asking the earlier ones a question. Attention gives every
# position three vectors, each made from its own `x` by a learned matrix:
#
# - a **query** $q_t = W_q x_t$: *what am I looking for?*
# - a **key** $k_s = W_k x_s$: *what do I contain?* (what position $s$ offers to be found by)
# - a **value** $v_s = W_v x_s$: *what I pass on* if someone looks at me.
#
# Position $t$ compares its query with the key of every position $s$; where they match
# well, it takes in a lot of that position's value. Query and key are only used for the
# comparison; the value is what actually travels. Keeping the two roles apart lets a
# position be *found* for one reason (say, "I am a vowel") and *pass on* something else
# (say, "I am an o").
#
# One head of our model uses matrices $W_q, W_k, W_v$ of shape $(32, 128)$: they turn
# each 128-number vector into a 32-number query, key and value. (Each also has a bias,
# as in chapter 01.) The model stores the matrices of all its heads, for queries, keys and
# values, stacked in one $(3C, C)$ matrix `c_attn.W`: the first third makes queries, the
# second keys, the third values, and within each third, head $h$ owns rows $32h$ to
# $32h + 31$. We follow head 1 of the first layer (section 5 shows why it is a good one to
# watch).

# %%
attn = block.attn
H = attn.n_head
hs = C // H  # the head size: 32 numbers per query, key and value
W, b, Wo, bo = attention.attention_params(attn)  # (3C, C), (3C,), (C, C), (C,)
head = 1
rows_q, rows_k, rows_v = (
    slice(part * C + head * hs, part * C + (head + 1) * hs) for part in range(3)
)
q = x @ W[rows_q].T + b[rows_q]  # (T, C) @ (C, hs) -> (T, hs)
k = x @ W[rows_k].T + b[rows_k]  # (T, hs)
v = x @ W[rows_v].T + b[rows_v]  # (T, hs)
q.shape, k.shape, v.shape

# %% [markdown]
# ### Scores: how well does each key fit the query?
#
# The fit between query $q_t$ and key $k_s$ is their **dot product**
# $q_t \cdot k_s = \sum_i q_{t,i}\, k_{s,i}$: large when the two vectors point the same way,
# near 0 when they are unrelated, negative when they point apart. Stack the queries as the
# rows of a $(T, 32)$ matrix $q$, and the keys likewise as $k$ (the arrays `q` and `k` above).
# Then all the dot products at once are one matrix product, $q\,k^T$, a $T \times T$ table
# whose row $t$ holds query $t$'s scores against every key. We divide by $\sqrt{d}$, where
# $d = 32$ is the length of the vectors (the head size, `hs` in the code); the next
# subsection shows why.
#
# $$S_{ts} = \frac{q_t \cdot k_s}{\sqrt{d}}$$

# %%
S = q @ k.T / np.sqrt(hs)  # (T, hs) @ (hs, T) -> (T, T)
t = 47  # the query: the "o" of the last "Romeo"
[(ch, round(float(score), 1)) for ch, score in zip(text[40:48], S[t, 40:48], strict=True)]

# %% [markdown]
# ### Why divide by $\sqrt{d}$?
#
# Take two random vectors of length $d$ whose entries have mean 0 and variance 1, and form
# their dot product. How large is it, typically, and how does that depend on $d$?
#
# **Exercise 07.1 (predict, then run).** The cell after the next one measures the variance of
# $q \cdot k$ over 10,000 pairs of such vectors, for $d = 4$, $32$ and $256$. What will it
# show for $d = 256$? Put your prediction in place of `None`, run the check, then read on.

# %% tags=["exercise"]
variance_256 = None  # a number

exercises.check("07.1", variance_256)

# %% [markdown]
# The dot product is a sum of $d$ independent products, each of variance 1, so its variance
# is $d$: its typical size grows like $\sqrt{d}$. Measured:

# %%
for d in (4, 32, 256):
    dots = attention.random_dot_products(d, 10_000, rng)
    print(
        f"d = {d:3d}: variance of q.k {dots.var():6.1f},  of q.k / sqrt(d) {(dots / np.sqrt(d)).var():.2f}"
    )

# %% [markdown]
# Large scores are a problem for the next step, softmax, which turns scores into weights
# (chapter 02 used it for the ten digit probabilities). Softmax exaggerates differences:
# if one score is 20 larger than the rest, it takes practically all the weight. Here are
# eight random keys and one query with $d = 256$, first raw, then scaled:

# %%
d = 256
q_demo, K_demo = rng.normal(size=d), rng.normal(size=(8, d))
raw = K_demo @ q_demo  # (8,) scores of one query against 8 keys
F.softmax(raw).round(3), F.softmax(raw / np.sqrt(d)).round(3)

# %% [markdown]
# Unscaled, the weights are (almost) one-hot: the head can only ever pick a single position,
# and, worse, a saturated softmax has almost no slope, so gradient descent gets almost no
# signal to improve it (the same slowdown chapter 02 met with saturated sigmoids). Dividing
# by $\sqrt{d}$ brings such scores back to variance 1 for every $d$, and training starts from
# soft, learnable weights. What to see in the figure: raw dot products spread wider and
# wider as $d$ grows (left); scaled ones have the same spread for every $d$ (right).

# %%
attention_widgets.dot_products_figure(rng)

# %% [markdown]
# ### Softmax: from scores to weights
#
# Row $t$ of the scores becomes a row of **attention weights** by softmax:
#
# $$A_{ts} = \frac{e^{S_{ts}}}{\sum_{s'} e^{S_{ts'}}}.$$
#
# The weights are positive and sum to 1, so they say *what fraction of its attention*
# position $t$ gives to each position $s$. One more step comes before the softmax, the mask
# of the next subsection; the figure already applies it, so the scores of later positions
# (crossed out) are left out.
# What to see: the top panel holds the scores of our query, the "o" at position 47, against
# every character of the line (the "?" after it is in the future, crossed out). The scores
# rise towards the end of the line, and the highest, 7.8, belongs to the "e" just before the
# query. The bottom panel holds the weights after softmax: the "e" gets half of the
# attention, the "m" before it more than a quarter, the "R" and the "o" itself a little,
# and everything before "Romeo" together about 0.06, because softmax turns differences of
# a few units into large ratios (the space before "Romeo" scores 4.7, and $e^{7.8} /
# e^{4.7}$ is about 22).

# %%
attention_widgets.scores_softmax_figure(text, S[t], t, "layer 0, head 1: ")

# %% [markdown]
# ### The causal mask: only look back
#
# The model is trained to predict, at *every* position, the character that comes next, all
# positions at once. If position $t$ could look at position $t+1$, it could simply read the
# answer off, and it would learn nothing useful. So attention is **causal**: position $t$
# may look at positions $s \le t$ only. We enforce it by setting the scores of the future
# ($s > t$) to $-\infty$ before the softmax; since $e^{-\infty} = 0$, those positions get
# weight exactly 0, and the remaining weights still sum to 1.
#
# What to see: on the left, the mask for the five characters "Romeo": a triangle, each row
# allowed to use its own column and those to its left (ticks, on white), and $-\infty$ in
# the future (grey).
# On the right, the weights that layer 0, head 1 gives them (the model reads "Romeo" on its
# own here): row 0 can only look at itself (weight 1); from then on each row puts most of its
# weight on the character just before it, the habit of this head. There the light grey
# triangle is the forbidden future.

# %%
S_short = attention.gpt_attention_scores(model, tok.encode("Romeo"))  # (L, H, 5, 5)
attention_widgets.causal_mask_figure("Romeo", S_short[0, head])

# %% [markdown]
# **Exercise 07.2 (write the code).** Write `allowed_mask(T)`: a $(T, T)$ array of booleans,
# `True` where position $t$ (the row) may look at position $s$ (the column), `False` in the
# future. The check tries several lengths, $T = 1$ among them.


# %% tags=["exercise"]
def allowed_mask(T): ...  # return a (T, T) array of True/False


exercises.check("07.2", allowed_mask)

# %% [markdown]
# In code the mask is one line: `np.triu` marks the entries above the diagonal, the future.

# %%
future = np.triu(np.ones((T, T), dtype=bool), k=1)  # (T, T): True where s > t
S_masked = np.where(future, -np.inf, S)
A = F.softmax(S_masked, axis=1)  # (T, T); each row sums to 1
assert np.allclose(A.sum(axis=1), 1) and np.all(A[future] == 0)
A[:4, :4].round(2)

# %% [markdown]
# The mask really does make the model blind to the future: change the *last* letter of a
# word, and the model's outputs (its scores for the next character) at every earlier
# position stay exactly the same. Only the last position, which sees the changed letter,
# moves.

# %%
with no_grad():
    out_a = model(tok.encode("wherefore")[None]).data[0]  # (9, V)
    out_b = model(tok.encode("wherefora")[None]).data[0]
changed = np.abs(out_a - out_b).max(axis=1) > 0  # which positions' outputs moved
changed

# %% [markdown]
# ### The weighted sum of values
#
# Finally each position collects the values, weighted by its attention:
#
# $$y_t = \sum_{s \le t} A_{ts}\, v_s,$$
#
# a weighted average, since the weights sum to 1. All positions at once, it is the matrix
# product $A\,v$: $(T, T)$ times $(T, 32)$ gives one new 32-number vector per position,
# made of information from the positions it attended to.

# %%
y0 = A @ v  # (T, T) @ (T, hs) -> (T, hs)
y0.shape

# %% [markdown]
# **Exercise 07.3 (write the code).** Put the steps of this section together: write
# `attend(q, k, v)`, which takes the queries, keys and values of one head (each of shape
# $(T, d)$) and returns the outputs $y$, shape $(T, d)$: scaled scores, the causal mask,
# softmax along each row, the weighted sum of values. The check runs it on several inputs,
# one of them with scores in the thousands. (The next section shows the chapter's version.)


# %% tags=["exercise"]
def attend(q, k, v): ...  # return y, shape (T, d)


exercises.check("07.3", attend)

# %% [markdown]
# ## 3. Ten lines of numpy, checked
#
# Here is the whole head as one function. Every line is a step from above.


# %%
def one_head(x, Wq, bq, Wk, bk, Wv, bv):
    """Causal single-head attention. x: (T, C) -> y: (T, hs), weights A: (T, T)."""
    T = x.shape[0]
    q = x @ Wq.T + bq  # (T, C) @ (C, hs) -> (T, hs)  what each position looks for
    k = x @ Wk.T + bk  # (T, hs)  what each position offers
    v = x @ Wv.T + bv  # (T, hs)  what each position passes on
    S = q @ k.T / np.sqrt(q.shape[1])  # (T, hs) @ (hs, T) -> (T, T) scaled scores
    S[np.triu_indices(T, k=1)] = -np.inf  # the future (s > t) is off limits
    A = np.exp(S - S.max(axis=1, keepdims=True))  # (T, T); subtracting the max avoids overflow
    A = A / A.sum(axis=1, keepdims=True)  # softmax: each row sums to 1
    return A @ v, A  # (T, T) @ (T, hs) -> (T, hs)


params = (W[rows_q], b[rows_q], W[rows_k], b[rows_k], W[rows_v], b[rows_v])
y_ours, A_ours = one_head(x, *params)
assert np.allclose(y_ours, y0) and np.allclose(A_ours, A)
Wq, bq, Wk, bk, Wv, bv = params
y_lib0, _ = attention.single_head_attention(x, Wq, Wk, Wv, bq, bk, bv)  # the library's
assert np.allclose(y_ours, y_lib0, atol=1e-6)
y_ours.shape

# %% [markdown]
# The same function must agree with the library's `CausalSelfAttention`, the layer our GPT
# is built from (it works on Tensors, so it can also backpropagate). We make a small layer
# with one head and random weights, give our function the same weights, and compare. The
# layer's output passes through one more matrix, the output projection, which section 4
# explains; we apply it too.

# %%
small = GPTConfig(vocab_size=1, block_size=8, n_layer=1, n_head=1, n_embd=8, bias=True)
layer = CausalSelfAttention(small, rng)
for p in layer.parameters():
    p.data = rng.normal(scale=0.5, size=p.shape).astype(np.float32)  # random biases too
x_small = rng.normal(size=(6, 8)).astype(np.float32)  # (T, C) = (6, 8)
Wl, bl, Wlo, blo = attention.attention_params(layer)  # (24, 8), (24,), (8, 8), (8,)
y_head, _ = one_head(x_small, Wl[:8], bl[:8], Wl[8:16], bl[8:16], Wl[16:], bl[16:])
with no_grad():
    y_lib = layer(x_small[None]).data[0]  # (1, T, C) -> (T, C)
same_output = bool(np.abs(y_head @ Wlo.T + blo - y_lib).max() < 1e-5)
assert same_output
same_output

# %% [markdown]
# And the library's backward pass through attention (chapter 04's backpropagation, through
# the matrix products, the mask and the softmax) must agree with finite differences. In
# float64, for every input number and every weight and bias of a two-head layer, the largest
# relative error is far below $10^{-6}$:

# %%
two_heads = GPTConfig(vocab_size=1, block_size=8, n_layer=1, n_head=2, n_embd=8, bias=True)
layer64 = CausalSelfAttention(two_heads, rng).astype(np.float64)
x64 = Tensor(rng.normal(size=(1, 5, 8)), dtype=np.float64)  # (B, T, C)
R = rng.normal(size=(1, 5, 8))  # a fixed random weighting, so every output matters


def loss():
    return (layer64(x64) * R).sum()


error = check_grad(loss, [x64, *layer64.parameters()])
assert error < 1e-6
bool(error < 1e-6)  # (here about 1e-9; the exact digits vary from machine to machine)

# %% [markdown]
# ## 4. Several heads, and the output projection
#
# One head computes one pattern of weights: each position gets a single mix of the others.
# But a character may need several things at once, say the character just before it *and*
# the start of its word. So the layer runs $H$ heads side by side. Each head reads the whole
# 128-number vector $x_t$ with its own $W_q, W_k, W_v$ and makes 32-number queries, keys and
# values, so each head attends in its own way. Put together, the $H = 4$ heads make 128
# query numbers (and 128 key and 128 value numbers), cut into 4 pieces of 32, one per head.
# The heads' four 32-number outputs are **joined** side by side into 128 numbers again.
#
# The joined vector has a blind spot: its first 32 numbers came only from head 0, the next
# 32 only from head 1, and so on. A last matrix, the **output projection** $W_o$ ($C \times
# C$, `c_proj`), mixes them, so that every output number can use what every head found:
# $y = W_o\, \text{join}(y^{(0)}, \dots, y^{(H-1)}) + b_o$.
#
# Our `one_head`, run four times on the slices of the real layer's matrices, joined and
# projected, must give exactly what the model's first attention layer gives:

# %%
outputs, maps = [], []
for h in range(H):
    rq, rk, rv = (slice(part * C + h * hs, part * C + (h + 1) * hs) for part in range(3))
    y_h, A_h = one_head(x, W[rq], b[rq], W[rk], b[rk], W[rv], b[rv])  # (T, hs), (T, T)
    outputs.append(y_h)
    maps.append(A_h)
joined = np.concatenate(outputs, axis=1)  # H x (T, hs) -> (T, C)
y_layer = joined @ Wo.T + bo  # the output projection: (T, C)
with no_grad():
    y_model = attn(x[None]).data[0]  # the model's layer: (1, T, C) -> (T, C)
same_output = bool(np.abs(y_layer - y_model).max() < 1e-4)
assert same_output
same_output

# %% [markdown]
# **Exercise 07.4 (write the code).** The loop above cut the queries into heads with slices.
# Do it without a loop: write `split_into_heads(X, H)`, which takes a $(T, C)$ array and
# returns an $(H, T, C/H)$ array whose entry `[h]` holds head $h$'s columns,
# `X[:, h * hs:(h + 1) * hs]`. Reshapes and swapped axes will do it.


# %% tags=["exercise"]
def split_into_heads(X, H): ...  # return shape (H, T, C // H)


exercises.check("07.4", split_into_heads)

# %% [markdown]
# The library does the cutting with reshapes instead of a loop: `split_heads` (from
# `nnlib.fused`, where the GPT's attention uses it too) turns
# $(T, C)$ into $(H, T, 32)$, so one batched matrix product computes every head's scores at
# once, and `merge_heads` joins them again. `attention.multi_head_attention` is this
# section in five lines, and it agrees too.

# %%
q_all = split_heads(x @ W[:C].T + b[:C], H)  # (T, C) -> (H, T, hs)
y_mha, A_mha = attention.multi_head_attention(x, W, b, Wo, bo, H)
assert np.allclose(y_mha, y_model, atol=1e-4) and np.allclose(A_mha, np.stack(maps))
q_all.shape, merge_heads(q_all).shape

# %% [markdown]
# ## 5. What the trained heads look at
#
# Now the interesting part: what did training make the heads do? Each layer's attention
# returns its weights if we ask it to (`forward_with_weights`), and
# `attention.gpt_attention_weights` runs it once on our line and returns all of them: 4
# layers x 4 heads, each a $T \times T$ map.

# %%
A_all = attention.gpt_attention_weights(model, ids)  # (L, H, T, T)
A_all.shape

# %% [markdown]
# What to see in the heatmaps of layer 0's four heads: each row is one character looking
# back (the query), each column a character being looked at (the key); bright means a
# large weight (the colour scale is a square root, so that small weights still show), grey
# is the masked future. The last coloured cell of each row is the character itself; a bright
# line one cell to its left, just below the diagonal, means "look at the previous
# character"; bright vertical stripes mean that many characters look at the same few
# positions.

# %%
attention_widgets.head_heatmaps_figure(text, A_all[0], layer=0)

# %% [markdown]
# Eyes can fool us, so let us measure. For every head, `attention.pattern_strengths` averages
# the weight it gives to the character itself, to the previous character, to the very first
# character, and to the first letter of the current word. For comparison, equal weights on
# all the characters a row may see would give each of them 0.07 on average.

# %%
patterns = attention.pattern_strengths(A_all, text)  # name -> (L, H)
names = ("self", "previous", "first", "word_start")
print("layer head" + "".join(f"{name:>11}" for name in names))
for l in range(config.n_layer):
    for h in range(H):
        print(f"{l:5d} {h:4d}" + "".join(f"{patterns[name][l, h]:11.2f}" for name in names))
round(float(patterns["uniform"][0, 0]), 2)

# %% [markdown]
# The number under the table is the yardstick: equal weights would give 0.07. Against it:
#
# - **Layer 0, head 1 looks at the previous character.** It gives it 0.53 of its attention
#   on average, more than seven times the equal share; in its heatmap that is the bright line
#   just below the diagonal, and in the "Romeo" figure of section 2 it was the pattern of
#   every row. For a model that predicts the next character this is a natural first move:
#   after this head, the vector at "m" knows it is the "m" of "om", which narrows down what
#   comes next far more than "m" alone.
# - **The other three heads of layer 0 read a blurred window of the last few characters.**
#   Heads 0 and 3 give about half their weight to the last three characters (0.19 to the
#   character *two* back); head 2 spreads over about 14 characters (both measured below).
#   None of them has a bright spot that repeats along the line: they average the recent
#   past rather than pick out one position.
# - **No head reliably finds the start of the word.** The best, layer 0 head 3, gives the
#   first letter of the current word 0.17 on average: more than twice the equal share, but
#   far from a rule. We looked for that pattern and did not find it clearly; a bigger model might
#   have one.
# - **Later layers are hard to read this way.** Their weights are broad: the typical row
#   of layers 1 to 3 spreads over about six characters at once, from 3 to 14 depending on
#   the head (the table below; section 6 explains the measure, $e$ to the entropy).
#   Several heads give the character itself a sizeable share (up to 0.38), but none has a
#   pattern as clear as head 1 of layer 0. These layers read vectors that earlier layers
#   have already mixed, so "which character is this?" is no longer quite the right question
#   to ask about a position.

# %%
two_back = A_all[:, :, np.arange(2, T), np.arange(T - 2)].mean(axis=-1)  # (L, H)
two_back[0].round(2)

# %%
# layer 0: each head's share of a row's weight on the last three characters (t-2, t-1, t)
rows = range(10, T)  # rows with at least ten characters to choose from
last_three = np.mean([A_all[0, :, t, t - 2 : t + 1].sum(axis=-1) for t in rows], axis=0)  # (H,)
# how many characters a row spreads over, e^entropy (section 6): the median row of each head
spread = np.exp(np.median(F.entropy(A_all[:, :, 10:]), axis=-1))  # (L, H)
print("layer 0, weight on the last three characters:", last_three.round(2))
print("characters a row spreads over (rows: layers, columns: heads):")
print(spread.round(1))

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
assert patterns["previous"][0, 1] > 0.5 > patterns["previous"][0, [0, 2, 3]].max()
assert patterns["word_start"].max() < 0.2 and patterns["self"].max() < 0.4
assert min(last_three[[0, 3]]) > 0.45 > last_three[2] and spread[0, 2] > 12
assert 4 < np.median(spread[1:]) < 8 and spread[1:].min() > 2.5 and spread[1:].max() < 15

# %% [markdown]
# ### Explore
#
# Pick a layer, a head and a query position (the **query** slider): the bars show that
# character's weights over the line (they sit above the matching columns of the heatmap; the
# red triangle marks the query, and the red frame its row in the heatmap). The line under the
# figure names the character it looks at most. You can also type your own text; it is read
# when you click outside the box. Characters the model has never seen are left out, and only
# the first 64 are read, which is why the axes leave room for 64 characters. Drag the query
# slider along the line and watch where each character looks; then switch heads and see how
# differently they behave.
#
# *(A live widget: it answers after **Run → Run All Cells**, and again after each reopening;
# on GitHub you see a still picture.)*

# %% tags=["nbval-ignore-output"]
attention_widgets.attention_explorer(model, tok, layer=0, head=1, position=t)

# %% [markdown]
# ## 6. Flat or sharp
#
# How concentrated a head's attention is depends on how far apart its scores are. Multiply a
# row of scores by a number $\beta$ (beta; $s$ stays the key's position) before the softmax:
# at $\beta = 0$ every score is 0 and the weights are equal (**flat**: the position takes
# the plain average of itself and everything before it); at $\beta = 1$ we have the model's
# own weights; as $\beta$ grows, the largest score wins more and more, until all the weight
# sits on one position (**sharp**). The scaling by $1/\sqrt{d}$ in section 2 was exactly
# such a multiplier, chosen so that training starts neither flat nor sharp. (Chapter 08 does
# the same to the next-character scores when it samples text, under the name *temperature*
# $\tau$, with $\beta = 1/\tau$.)
#
# We measure how spread out a row of weights $p_1, \dots, p_n$ is by its **entropy**,
# $H = -\sum_j p_j \log p_j$, in nats (this $H$ is the entropy, not the number of heads):
# 0 when one position has all the weight, $\log n$ when $n$ positions share it equally.
# $e^H$ is then "how many positions it effectively looks at".
#
# **Exercise 07.5 (predict, then run).** Our query is the last "o", at position 47 of the
# line. At $\beta = 0$, what will the entropy of its row of weights be, in nats? Enter a
# number (to two decimals at least); the next cells show it.

# %% tags=["exercise"]
entropy_at_beta_0 = None  # a number, in nats

exercises.check("07.5", entropy_at_beta_0)

# %% [markdown]
# What to see: the weights of our query (the last "o") in layer 0, head 1, at $\beta = 0$,
# $1$ and $4$, from flat to sharp, with their entropies.

# %%
attention_widgets.flat_sharp_figure(text, S[t], t)

# %%
p_flat, p_model, p_sharp = (
    attention.scaled_softmax(S[t, : t + 1], beta) for beta in (0.0, 1.0, 4.0)
)
entropies = [float(F.entropy(p)) for p in (p_flat, p_model, p_sharp)]
assert np.isclose(entropies[0], np.log(t + 1)) and entropies[0] > entropies[1] > entropies[2]
np.round(entropies, 2)

# %% [markdown]
# The entropies, printed above: 3.87 nats at $\beta = 0$, which is $\log 48$, all 48
# characters up to the query sharing equally; 1.41 at the model's own $\beta = 1$, about
# $e^{1.41} \approx 4.1$ characters; 0.30 at $\beta = 4$, about $e^{0.30} \approx 1.3$,
# nearly one character.
#
# Drag $\beta$ and watch the bars sharpen and the entropy (right, the red dot on the curve
# of all $\beta$) fall from its ceiling, the dashed line where every character gets an equal
# share. Try other heads and positions: some heads are already sharp at $\beta = 1$, others
# stay broad.
#
# *(A live widget: it answers after **Run → Run All Cells**, and again after each reopening;
# on GitHub you see a still picture.)*

# %% tags=["nbval-ignore-output"]
attention_widgets.sharpness_explorer(model, tok, layer=0, head=1, position=t)

# %% [markdown]
# **Exercise 07.6 (explore with the slider).** At $\beta = 1$ the "e" before our query takes
# about half of the weight. Keep layer 0, head 1 and the query at 47, and drag $\beta$ up:
# at which $\beta$ does the largest weight, in the line under the figure, first read 0.90?
# Enter that $\beta$.

# %% tags=["exercise"]
beta_for_090 = None  # the slider's number

exercises.check("07.6", beta_for_090)

# %% [markdown]
# ## 7. The MLP: the vectors do not talk
#
# A transformer block has two halves. In the attention half, positions exchange
# information. In the second half, a **multilayer perceptron** (MLP), each vector goes
# through the same small network on its own, in parallel. It is an MLP like chapter 01's,
# with one hidden layer: an up-projection to $4C = 512$ numbers, the GELU activation (a
# smooth relative of chapter 01's ReLU: about 0 for large negative inputs, about the input
# itself for large positive ones), and a down-projection back to $C = 128$ ($W_{up}$ is
# $512 \times 128$, $W_{down}$ is $128 \times 512$):
#
# $$\text{mlp}(x_t) = W_{down}\, \text{gelu}(W_{up}\, x_t + b_{up}) + b_{down}.$$
#
# You can read each of the 512 hidden neurons as one question asked of the vector (it might
# be: is this a vowel at the end of a name? a speaker's name before a colon?), with the
# answers, weighted, written back. Attention gathers the facts; the MLP thinks about them,
# one position at a time.
#
# "One position at a time" is easy to test. Change the input vector at position 10 only,
# and see which positions' outputs change, for the MLP and for the attention layer. (We feed
# both layers the same vectors `x` from section 1. In the model the MLP reads what attention
# has already added, but for this test any vectors will do.)
#
# **Exercise 07.7 (predict, then run).** For the MLP, only position 10 will change. How many
# of attention's 49 output positions will change? Enter a number, then run the cell after.

# %% tags=["exercise"]
n_attention_moved = None  # a number of positions

exercises.check("07.7", n_attention_moved)

# %%
x_changed = x.copy()
x_changed[10] += rng.normal(size=C)  # disturb position 10 only
with no_grad():
    mlp_moved = np.abs(block.mlp(x_changed).data - block.mlp(x).data).max(axis=1) > 0
    attn_moved = np.abs(attn(x_changed[None]).data[0] - y_model).max(axis=1) > 0
np.flatnonzero(mlp_moved), np.flatnonzero(attn_moved)

# %% [markdown]
# For the MLP, only position 10 moved. For attention, position 10 and every position after
# it moved, since each of them may look back at position 10; none before it did.

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
assert np.flatnonzero(mlp_moved).tolist() == [10]
assert np.flatnonzero(attn_moved).tolist() == list(range(10, T))

# %% [markdown]
# ## 8. Positions
#
# Look again at the attention formulas: scores are dot products between vectors, and
# neither the softmax nor the weighted sum cares in which order the positions are listed. So
# attention on its own is **blind to order**. Without the mask, shuffling the input
# vectors just shuffles the outputs in the same way. We check this on the first layer's real
# weights, fed with the character embeddings alone (no position vectors):

# %%
with no_grad():
    x_chars = block.ln_1(model.wte(ids)).data  # (T, C): characters only, no positions
weights = (W, b, Wo, bo, H)
shuffle = rng.permutation(T)
y_plain, _ = attention.multi_head_attention(x_chars, *weights, causal=False)
y_shuffled, _ = attention.multi_head_attention(x_chars[shuffle], *weights, causal=False)
shuffled_alike = bool(np.abs(y_shuffled - y_plain[shuffle]).max() < 1e-9)
assert shuffled_alike
shuffled_alike

# %% [markdown]
# With the causal mask, position $t$ sees the *set* of characters up to $t$, still in no
# particular order. The anagrams "vile" and "live" end in the same letter, so the last
# position sees the same four characters, and without positions it cannot tell the words
# apart:


# %%
def last_output(word, with_positions):
    w_ids = tok.encode(word)
    e = model.wte(w_ids) + (model.wpe(np.arange(len(w_ids))) if with_positions else 0)
    with no_grad():
        return attn(block.ln_1(e).data[None]).data[0, -1]  # (C,): the last position


same = np.allclose(last_output("vile", False), last_output("live", False), atol=1e-6)
differ = not np.allclose(last_output("vile", True), last_output("live", True), atol=1e-3)
same, differ

# %% [markdown]
# The first `True`: without positions, "vile" and "live" give the same last output. The
# second: with position vectors added, they differ.
#
# That is why the model adds a **position embedding** to each character's embedding: a
# learned vector for position 0, another for position 1, and so on up to 63 (a $64 \times
# 128$ table, `wpe`, trained like every other weight). With it, an "l" at position 0 is a
# different vector from an "l" at position 2. The original transformer used fixed vectors
# instead, made of sines and cosines of different frequencies
# (`attention.sinusoidal_positions`); GPT-2 and our model simply learn them.
#
# What did ours learn? The figure compares every learned position vector with every other by
# their **cosine similarity** (1: pointing the same way, 0: at right angles, -1: opposite).
# On the right, for comparison, the same picture for the sinusoidal vectors.

# %%
attention_widgets.position_similarity_figure(model.wpe.W.data)

# %%
M = F.cosine_similarity(model.wpe.W.data, model.wpe.W.data)  # (64, 64)
one_apart = np.diag(M, k=1).mean()  # position p against p + 1
far_apart = M[np.triu_indices(64, k=32)].mean()  # pairs 32 or more positions apart
assert one_apart > 0.4 and far_apart < 0
round(float(one_apart), 2), round(float(far_apart), 2)

# %% [markdown]
# Nobody told the model that position 5 lies between 4 and 6; it only ever saw these 64
# vectors added to characters. Yet the learned table (left) has an order in it. Each
# position's vector is most similar to its neighbours' (the dark band along the diagonal:
# 0.54 on average for positions one apart), positions close to the start resemble each
# other and so do those close to the end, and positions 32 or more apart point in
# somewhat opposite directions (blue corners, an average of -0.31). Faint stripes parallel
# to the diagonal hint at a repeating part, a little like the regular waves of the
# sinusoidal vectors on the right. The model arranged its positions this way because it
# helped predict the next character: "how far back" is useful to know, and similar
# vectors for nearby positions make it easy for a query to ask for "a few characters
# back".

# %% [markdown]
# ## 9. Meaning, not only characters
#
# The clearest head we found in section 5 looks at the previous character. That is a
# sensible habit for a small model that reads characters, but it hides what attention is
# mostly for in large models that read whole words: it is where a word's vector picks up
# meaning from the words around it. Take "bank". The vector that the embedding table gives
# "bank" is the same in every sentence, so on its own it cannot say whether the bank is the
# edge of a river or a place that keeps money. The sentence can.
#
# To watch that happen we build a toy with our own hands, no training involved. Every word
# gets five numbers, and we name the five directions ourselves: *water*, *money*, *clear
# noun* (a noun whose sense is plain), *ambiguous* (a word that needs its context) and
# *other*. "river" is water plus clear noun, "money" is money plus clear noun, and "bank" is
# half water, half money, plus ambiguous. The small words are just *other*.

# %%
vectors, Wq_word, Wk_word, Wv_word = attention.bank_example()
print(f"{'':>7}" + "".join(f"{name:>12}" for name in attention.SENSE_FEATURES))
for word in ("river", "money", "bank", "the"):
    print(f"{word:>7}" + "".join(f"{value:12.1f}" for value in vectors[word]))

# %% [markdown]
# One head, with head size 5, has three hand-set matrices, each mostly zeros:
#
# - the query matrix turns *ambiguous* into a query: "I need a clear noun"
#   ($W_q$ has a single 2.5, in row 0, column "ambiguous");
# - the key matrix turns *clear noun* into a key that answers it
#   ($W_k$ has a single 2.5, in row 0, column "clear noun");
# - the value matrix passes on only a word's *water* and *money* numbers.
#
# So the score of "bank" against "river" is $2.5 \cdot 2.5 / \sqrt{5} \approx 2.8$, and
# against every word without a clear sense it is 0. `attention.word_in_context` stacks the
# words' vectors, runs `attention.single_head_attention` (the library's version of our
# `one_head` from section 3) with these matrices, and adds the last word's output to its own
# vector, the way a transformer block adds attention's output to each position's vector
# (chapter 08 calls this the residual stream). We read "bank" at the end of two sentences.
# To see which sense its new vector leans to, we measure its cosine similarity (section 8)
# with the *water* direction and with the *money* direction.

# %%
senses = np.eye(5)[:2]  # (2, C): the water direction and the money direction
sentences = {
    "river": "walk along the river to the bank".split(),
    "money": "take the money to the bank".split(),
}
cos_before = F.cosine_similarity(vectors["bank"], senses)  # (2,)
print(f"bank on its own:  cos to water {cos_before[0]:.2f}, to money {cos_before[1]:.2f}")
bank = {}
for name, words in sentences.items():
    w_bank, new_bank = attention.word_in_context(words, vectors, Wq_word, Wk_word, Wv_word)
    bank[name] = (w_bank, new_bank, F.cosine_similarity(new_bank, senses))
    print(f"beside '{name}': weight on '{name}' {w_bank[words.index(name)]:.2f}, "
          f"cos to water {bank[name][2][0]:.2f}, to money {bank[name][2][1]:.2f}")  # fmt: skip

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
assert np.isclose(cos_before[0], cos_before[1])  # on its own, bank leans neither way
for name, words in sentences.items():
    w_bank = bank[name][0]
    assert np.argmax(w_bank) == words.index(name) and w_bank.max() > 0.7
sense_of = {"river": 0, "money": 1}  # which direction each sentence should pull bank towards
for name, k in sense_of.items():
    cos_after = bank[name][2]
    assert cos_after[k] > 0.7 and cos_after[1 - k] < 0.35

# %% [markdown]
# On its own, "bank" is equally close to both senses (0.41 each). Beside "river" it gives
# "river" 0.73 of its attention, the other six words share the rest, and its new vector
# turns towards water: cosine 0.74 with the water direction, 0.31 with money. Beside
# "money" the same head, with the same matrices, does the opposite: 0.77 of the weight on
# "money", cosine 0.75 with money and 0.31 with water. What to see in the figure: the bars
# are where "bank" looks in each sentence; on the right, the first two of its five numbers
# (water and money) as arrows, before the update in grey, and after it in each sentence.

# %%
attention_widgets.word_sense_figure(
    list(sentences.values()),
    [bank[name][0] for name in sentences],
    vectors["bank"],
    [bank[name][1] for name in sentences],
    ["beside “river”", "beside “money”"],
    attention.SENSE_FEATURES,
)

# %% [markdown]
# A real model is less tidy than our toy in three ways. Nobody names its directions:
# training finds them, and a sense such as "water" is usually spread over many numbers
# rather than sitting in one. The job is shared out among many heads and layers, each
# making a small correction. And a GPT, with its causal mask, can only use words that come
# *before*: in "the bank of the river", the word that settles the sense comes after "bank",
# so the model can only take it into account at the later positions, whereas the 2017
# encoder, which looked both ways, could use it at "bank" itself. The mechanism, though, is
# the one you have just computed: a query that asks, keys that answer, and values that
# carry meaning from one word to another.

# %% [markdown]
# ## Summary
#
# - Before 2017, language models were mostly **recurrent networks**: they read one token per
#   step and carried a single memory vector forward. The transformer of "Attention Is All
#   You Need" (built at Google for translation, with an encoder and a decoder) replaced
#   them: every position looks at every other directly, all positions at once. A GPT is
#   the decoder half. Pictures and sound enter the same machine as tokens: patches of an
#   image, short slices of a recording.
# - Attention lets the vectors of a text exchange information. Each position makes a
#   **query** (what it looks for), a **key** (what it offers) and a **value** (what it
#   passes on), all by learned matrices.
# - **Scores** are dot products of queries and keys, divided by $\sqrt{d}$ so their spread
#   does not grow with the vector length and the softmax does not saturate.
# - **Softmax** turns each row of scores into weights that are positive and sum to 1; the
#   **causal mask** sets future scores to $-\infty$ first, so a position never sees what it
#   must predict.
# - The output at each position is the **weighted sum of values**. Ten lines of numpy do it,
#   and they agree with the library, whose gradients agree with finite differences.
# - **Several heads** attend in different ways, each with its own 32-number slice of the
#   queries, keys and values; their outputs are joined and mixed by the **output projection**.
# - Multiplying the scores by a number makes attention **flat** or **sharp**; entropy
#   measures which.
# - The **MLP** processes each position on its own: changing one input changes one output.
# - Attention is blind to order, so the model adds **learned position embeddings**.
# - In our character model the clearest head looks at the previous character; with words,
#   the same mechanism moves meaning: with hand-set vectors, "bank" gave 0.73 of its
#   attention to "river" and turned towards the water sense, and 0.77 to "money" and
#   turned towards the money sense.
#
# Chapter 08 stacks attention and MLP into blocks, with the residual additions and layer
# norms that let four (or, in GPT-3, ninety-six) of them work together, trains the model
# you just looked inside, and lets it write.
#
# Every term of this chapter in a line or two is in the [glossary](00_glossary.ipynb).
# Next: [08 GPT](08_gpt.ipynb).
