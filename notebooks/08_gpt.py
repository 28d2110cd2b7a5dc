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
# # 08 GPT
#
# This is where the book has been going. Chapter 06 turned text into **tokens** (here: single
# characters) and each token into a vector, its **embedding**. Chapter 07 let those vectors
# talk to each other with **attention**: every position makes a query, a key and a value.
# The query of position $t$ is compared with the keys of positions $s \le t$ (the **causal
# mask** hides the future), and a softmax turns the scores into weights; the weighted sum of
# the values is what position $t$ learns from the others. Several **heads** do this side by
# side, a small **MLP** then processes every position on its own, and a **position
# embedding** tells the model where in the text each token sits.
#
# A GPT is nothing more than these parts, stacked, and trained to do one thing: given a piece
# of text, give a probability to every possible next token. (The name says as much:
# **G**enerative **P**retrained **T**ransformer; section 5 takes it apart word by word.)
#
# By the end of this chapter you will be able to:
#
# 1. load a GPT trained on Shakespeare, say why it reads characters rather than words, and
#    follow one prompt through it, shape by shape, from the ids to the probabilities of the
#    next character; and read the map of the 65 character vectors it learned;
# 2. read those probabilities, and use the two knobs of sampling: **temperature** and
#    **top-k**;
# 3. generate text one character at a time, each one fed back in; explain why the same
#    prompt gives different texts, and why some of the words are invented; and handle the
#    cases a reader will hit (unknown characters, long and empty prompts, temperature 0);
# 4. say what each letter of GPT means, what this model is (a *pretrained* predictor) and
#    what chat assistants add to it;
# 5. count the weights, ours beside GPT-3's 175 billion;
# 6. train a tiny GPT live, and watch its loss fall from 4.17, the loss of a blind guess.
#
# Along the way there are seven **exercises**: predict what a cell will show, write a few
# lines of numpy (temperature, top-k, a count of weights), or find something with the
# explorer. Each has a check that says at once whether you are right and, if not, what the
# likely mistake is. Stuck? Run `exercises.hint("08.2")` (with the exercise's number) in a new
# cell: one more hint each time.

# %%
# %matplotlib inline
import math

import matplotlib.pyplot as plt  # noqa: F401  (figures are shown inline)
import numpy as np

from nnlib import functional as F
from nnlib import sampling
from nnlib.chapters import ch08_gpt as measure
from nnlib.data import get_batch, load_shakespeare, train_val_split
from nnlib.exercises import ch08_gpt as exercises
from nnlib.gpt import GPT, GPT3, GPTConfig, param_table
from nnlib.optim import AdamW, clip_grad_norm
from nnlib.progress import progress
from nnlib.sampling import generate, next_token_probs
from nnlib.tensor import no_grad
from nnlib.widgets import ch08_gpt as gpt_widgets

rng = np.random.default_rng(0)

# %% [markdown]
# ## 1. A trained GPT
#
# Training a GPT takes a while, so the book ships one: `nnlib/bundled/shakespeare_char.npz`,
# made by `scripts/train_gpt.py` from the 1,115,394 characters of "tiny Shakespeare" (a
# collection of his plays in one text file). It follows the laptop recipe of **nanoGPT**
# (Andrej Karpathy's small, readable GPT in PyTorch, a reference many learners train first):
# 4 blocks, 4 heads, vectors of $C = 128$ numbers, a context of 64 characters, batches of 12
# windows, 2,000 steps of AdamW with learning rate $10^{-3}$ at its peak, lowered to
# $10^{-4}$ by the end (AdamW is chapter 03's Adam plus **weight decay**, a small pull of
# every weight matrix towards zero at each step). The
# file holds the weights and a small dictionary, `meta`, with the configuration, the model's
# characters and the losses it reached. `sampling.load_char_gpt` rebuilds the model from it.

# %%
model, tokenizer, meta = sampling.load_char_gpt()
config = model.config
V, block_size, C = config.vocab_size, config.block_size, config.n_embd
config

# %% [markdown]
# The vocabulary is the 65 different characters of the text: letters, punctuation, the
# space and the newline (and, as it happens, the digit 3).

# %%
print(repr("".join(tokenizer.chars)))
V

# %% [markdown]
# ### Why characters, and not words?
#
# Chapter 06 built a byte-pair tokenizer and learned word vectors, and this GPT uses
# neither: it reads one character at a time. That is a choice made for a book that trains
# on a laptop. A vocabulary of 65 makes the embedding and the unembedding tiny (section 6
# finds them at 2% of the weights). The training text is small, about a million
# characters. All but three of the 65 characters occur at least a hundred times in it (the
# cell below counts), so each one gets plenty of examples to learn its vector from; a
# vocabulary of tens of thousands of word pieces would leave many of its entries seen only
# a few times. And a small model on a small vocabulary trains in minutes on a CPU.
#
# Real GPTs read **BPE tokens** like chapter 06's, with far bigger vocabularies: GPT-2 and
# GPT-3 use 50,257 tokens, and recent models about 200,000. The price of characters is
# length. The same text takes more tokens, so the model's 64 positions cover less of it:
# in tiny Shakespeare a word, with the space after it, is about five and a half characters
# long, so our context holds only about a dozen words.

# %%
text = load_shakespeare(download=False)
data = tokenizer.encode(text)  # (1115394,) ids: the whole text, one id per character
counts = np.bincount(data, minlength=V)  # how often each character occurs
rare = [tokenizer.chars[i] for i in np.flatnonzero(counts < 100)]
chars_per_word = len(text) / len(text.split())  # characters per word, spaces included
words_in_context = block_size / chars_per_word
assert len(rare) == 3 and 5 < chars_per_word < 6 and 10 < words_in_context < 13
rare, round(chars_per_word, 2), round(words_in_context, 1)

# %% [markdown]
# The three rare characters are "$", "&" and the digit 3. A word takes 5.5 characters, so
# our 64 positions hold 11.6 words.
#
# Chapter 06's tokenizer, with only 1,000 merges, already averaged 2.5 characters per
# token (each character of this text is one byte), so 64 of its tokens would cover about
# two and a half times as much text; with vocabularies like GPT-2's, a token of English is
# often quoted as about four characters on average. Longer sequences cost twice: attention
# compares every position with every other, so its work grows with the square of the
# length, and writing takes one full pass through the model per token, so a text of 300
# characters needs 300 steps, where chapter 06's tokens would need about 120.

# %% [markdown]
# How good is it? The **loss** of chapter 02, here the cross-entropy: the average over many
# positions of $-\ln p$, where $p$ is the probability the model gave to the character that
# really came next. The stored number is measured on the **validation** text, the last 10% of
# the file, which the model never trained on, averaged over 200 random batches of 12 windows.
#
# nanoGPT reports a loss of 1.88 for this recipe. Ours comes to 1.876. The **seed** that
# draws the starting weights and the batches moves that number by about a hundredth: five
# seeds gave 1.866 to 1.886 (three of them below 1.88, a fourth at 1.881), and the book
# ships the median one, seed 2, rather than the best. And nnlib computes what PyTorch
# computes: `benchmarks/gpt_recipe_reference.py` trains the same model in PyTorch from the
# same starting weights on the same batches, and ends on the same loss to four decimals.

# %%
assert meta["val_loss"] <= 1.88  # nanoGPT's published figure for the recipe
round(meta["train_loss"], 3), round(meta["val_loss"], 3)

# %% [markdown]
# A loss of about 1.88 means that the right next character typically gets probability
# around $e^{-1.88} \approx 0.15$, out of 65 candidates (typically in the sense of the
# geometric mean: the loss averages $-\ln p$, not $p$). Not much? Remember that many
# continuations are genuinely possible; the model cannot know which word a character will
# start. A loss of 0 would mean knowing the text by heart.
#
# ## 2. One prompt through the whole model
#
# Let us follow a prompt through the model and print the shape of every intermediate result.
# The letters are the book's usual ones (see the notation page): $B$ sequences in a batch,
# $T$ positions (characters), $C$ numbers per vector, $H$ heads, $V$ vocabulary entries. First
# the tokenizer turns the prompt into ids, one row per sequence, so the shape is
# $(B, T) = (1, 15)$.

# %%
prompt = "ROMEO:\nWhat say"
ids = tokenizer.encode(prompt)[None, :]  # (T,) -> (1, T)
B, T = ids.shape
print(f"{'ids':<34}{ids.shape}")
ids

# %% [markdown]
# **Embedding.** Each id picks a row of the token embedding table `wte` (a $V \times C$
# matrix), and each position $t = 0, \dots, T-1$ picks a row of the position embedding table
# `wpe` (a $64 \times C$ matrix, one row per position the model can read). Their sum is the
# vector $x$ each position starts with. From here on, every position carries one vector of
# $C = 128$ numbers: the **residual stream**.

# %%
with no_grad():
    tok_emb = model.wte(ids)  # (B, T) -> (B, T, C)
    pos_emb = model.wpe(np.arange(T))  # (T,) -> (T, C)
    x = tok_emb + pos_emb  # (B, T, C) + (T, C) -> (B, T, C)
print(f"{'token embedding wte[ids]':<34}{tok_emb.shape}")
print(f"{'position embedding wpe[0..T-1]':<34}{pos_emb.shape}")
print(f"{'x = token + position':<34}{x.shape}")

# %% [markdown]
# **One block.** A block does two things, and after each it *adds* its result to the stream
# instead of replacing it: $x \leftarrow x + \text{attn}(\text{ln}_1(x))$, then
# $x \leftarrow x + \text{mlp}(\text{ln}_2(x))$. These additions are **residual connections**.
# Each part only has to learn a correction to what is already there, and in backpropagation
# (chapter 04) an addition passes the gradient through unchanged, so even the first block of a
# deep stack gets a clear signal.
#
# Before each part sits a **LayerNorm**: for every position it shifts and scales the $C$
# numbers to mean 0 and variance 1, then multiplies by a learned gain and adds a learned bias
# per number. It keeps the inputs of attention and of the MLP in a steady range, however
# large the stream grows. Inside, attention makes $H$ maps of $T \times T$ weights (who looks
# at whom), and the MLP widens each vector to $4C = 512$ numbers and back.

# %%
block = model.blocks[0]
with no_grad():
    a, P = block.attn.forward_with_weights(block.ln_1(x))  # the weights too, to see their shape
    x = x + a  # (B, T, C): attention's correction added
    print(f"{'block 0: attention weights':<34}{P.shape}")  # (B, H, T, T)
    print(f"{'block 0: x + attn(ln1(x))':<34}{x.shape}")
    h = block.mlp.c_fc(block.ln_2(x)).gelu()  # up-projection c_fc: (B, T, C) -> (B, T, 4C)
    print(f"{'block 0: MLP hidden layer':<34}{h.shape}")
    x = x + block.mlp.c_proj(h)  # down-projection c_proj: (B, T, 4C) -> (B, T, C), added
    print(f"{'block 0: x + mlp(ln2(x))':<34}{x.shape}")

# %% [markdown]
# The shape is the same after the block as before it. That is what lets us stack blocks:
# the other three do exactly the same thing with their own weights.

# %%
with no_grad():
    for i, block in enumerate(model.blocks[1:], start=1):
        x = block(x)  # (B, T, C) -> (B, T, C)
        print(f"{f'block {i}':<34}{x.shape}")

# %% [markdown]
# **Exercise 08.1 (predict, then run).** One step is left: a last matrix turns each vector of
# the stream into one score per character of the vocabulary, the **logits**. What shape will
# `logits` have for our prompt? Enter it as a tuple, such as `(2, 3, 4)`, then read on.

# %% tags=["exercise"]
logits_shape = None  # a tuple of whole numbers

exercises.check("08.1", logits_shape)

# %% [markdown]
# **Unembedding.** A last LayerNorm, then one more matrix, the **unembedding** ($V \times C$;
# the code calls it `model.head`, which has nothing to do with attention heads), turns each
# position's vector into $V = 65$ scores, the **logits**: one per character, for the character
# that comes *after* that position. (Many GPTs, GPT-2 and nanoGPT among them, do not learn a
# separate matrix here but use the token embedding `wte` a second time, $z = x\,W_{te}^T$:
# **weight tying**. Ours learns its own, as `tie_weights=False` in the config above says.)
# Softmax (chapter 02) turns the scores into probabilities. Every position predicts its own
# next character (that is what training uses: 64 predictions per window), but for continuing
# the prompt only the last position matters.

# %%
with no_grad():
    logits = model.head(model.ln_f(x)).data  # (B, T, C) -> (B, T, V)
p = F.softmax(logits[0, -1])  # the last position's scores -> (V,) probabilities
print(f"{'logits':<34}{logits.shape}")
print(f"{'p = softmax(logits[0, -1])':<34}{p.shape}")
assert np.allclose(logits, model(ids).data, atol=1e-5)  # our walk == the model's forward
assert np.isclose(p.sum(), 1.0)

# %% [markdown]
# Our walk through the parts gives the same logits as calling `model(ids)`, so nothing is
# hidden. It is worth a pause. You will often hear that a language model is "just math",
# and you have now seen it be true: every step above was a table lookup, a matrix product,
# an addition, a layer norm, a GELU or a softmax, applied to 818,241 stored numbers. There
# is no other ingredient. Like any other arithmetic, it gives the same logits every time it
# is given the same ids. Here is the whole trip as one picture: every box is a stage, on the right the shape
# of what it makes. The four middle rows repeat once per block.

# %%
gpt_widgets.pipeline_figure(model, tokenizer, prompt)

# %% [markdown]
# ### What the first matrix learned: 65 character vectors
#
# The first matrix of the trip, `wte`, holds one learned vector of 128 numbers per
# character. Nobody told the model that "a" and "e" are vowels or that "?" ends a
# sentence; did it find such groups on its own? A map helps us look. Principal component
# analysis (PCA, as in chapter 06) finds the two directions in which the 65 vectors spread
# out most and places each character by its coordinates along them. The computation is a
# centring and one singular value decomposition, `measure.pca_2d`.

# %%
E = model.wte.W.data  # (V, C): one row per character
Z, share = measure.pca_2d(E)  # (V, 2) map coordinates, (2,) share of the spread per axis
groups = measure.char_groups(tokenizer.chars)  # vowels, consonants, capitals, punctuation
Z.shape, share.round(3)

# %% [markdown]
# The two directions carry only 9% and 7% of the spread, so the map is a rough shadow of
# 128 dimensions: two characters that look close may be far apart in the others. What to
# see: each character is drawn where it lands, coloured by its kind. The lowercase vowels
# sit together at the top left, and the capital vowels sit beside them; the punctuation
# marks that end or break a phrase (. , ; : ! ?) sit together at the far left; the other
# letters, lowercase and capital, mix in the middle and to the right.

# %%
gpt_widgets.char_embedding_figure(Z, tokenizer.chars, groups, share)

# %% [markdown]
# Because a map can mislead, we measure in all 128 dimensions. For each group, the mean
# distance between two of its members (within) against the mean distance from a member to
# any character outside the group (between); a group that gathers has within well below
# between. And for every letter in both cases, the distance between its lowercase and its
# capital vector, against the mean distance of all pairs of characters.

# %%
distances = measure.group_distances(E, groups)
for name, (within, between) in distances.items():
    print(f"{name:<12} within {within:.3f}   between {between:.3f}   ratio {within / between:.2f}")
same_letter, any_pair = measure.case_distance(E, tokenizer.chars)
print(f"a letter and its capital {same_letter:.3f}   any two characters {any_pair:.3f}")

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
ratio = {name: within / between for name, (within, between) in distances.items()}
assert ratio["vowels"] < 0.9 and ratio["punctuation"] < 0.9  # these two groups gather
assert 0.9 < ratio["consonants"] < 1.0  # consonants only a little
assert ratio["capitals"] > 0.97  # capitals not at all
assert same_letter < 0.85 * any_pair  # a letter's two cases are close
assert share.sum() < 0.2  # the map shows less than a fifth of the spread

# %% [markdown]
# The numbers agree with the map, and say more. Vowels gather (their mutual distance is
# 0.84 of their distance to the rest) and punctuation does too (0.80). Consonants gather only
# a little (0.94), and the capitals do not form a group at all (1.01): a capital sits with
# its own lowercase letter instead, 0.51 apart on average against 0.64 for any two
# characters. That makes sense for a model that predicts the next character: what follows
# "E" is much like what follows "e", and what follows a vowel differs from what follows a
# consonant. Nobody told the model any of this; it arranged its vectors this way because
# it helped it predict.

# %% [markdown]
# ## 3. The probabilities of the next character
#
# What does the model think comes after "What say"? The bars show the 15 most likely
# characters (␣ is a space, ↵ a new line), most likely first. In the titles of this
# chapter's figures, ↵ marks the line break inside the prompt too.

# %%
gpt_widgets.next_token_figure(model, tokenizer, prompt)

# %%
top = sampling.top_tokens(p, 5)
[(tokenizer.chars[i], round(float(p[i]), 3)) for i in top]

# %% [markdown]
# A space comes first: after "say" a new word is the most likely thing. A comma follows with
# 0.29, and the rest is spread thin: an apostrophe (as in "say'st") gets 0.03, a full stop
# and "s" (for "says") 0.02 each. The model has never been told what a word is; it learned this from counting, in
# effect, what follows what.
#
# ### Sure and unsure
#
# Next-token probabilities are often explained with words. **An illustration, not a
# measurement:** a model that reads word pieces and was trained on English text, given
# "San", would put a high probability on "Francisco" next, and a probability close to zero
# on "kitten". Our model cannot show this: it reads characters and never saw San
# Francisco. But it has the same kind of certainty, about characters. In tiny Shakespeare,
# "KING RICHA" almost always goes on as "KING RICHARD", and this is what the model gives
# after it, with the probability of a "k" for contrast:

# %%
p_richa = next_token_probs(model, tokenizer.encode("KING RICHA"))  # (V,)
print([(tokenizer.chars[i], round(float(p_richa[i]), 3)) for i in sampling.top_tokens(p_richa, 5)])
assert tokenizer.chars[np.argmax(p_richa)] == "R" and p_richa.max() > 0.7
assert p_richa[tokenizer.stoi["k"]] < 0.001
f"p('k') = {p_richa[tokenizer.stoi['k']]:.5f}"

# %% [markdown]
# "R" gets 0.76, and a "k" about 0.00005, less than one chance in ten thousand. After
# "What say" the model was unsure (a space 0.54, a comma 0.29); after "KING RICHA" it is
# nearly sure. Both are the same computation; the difference lies in the text the model
# learned from.
#
# ### Temperature and top-k
#
# To generate text we *draw* the next character from these probabilities. Two knobs change
# the distribution first. Both act on the scores $z$ before the softmax:
#
# - **temperature** $\tau$: divide every score by $\tau$, so
#   $p_i = e^{z_i/\tau} / \sum_j e^{z_j/\tau}$. With $\tau < 1$ the differences between
#   scores grow and the top character takes more of the probability (sharper, safer text);
#   with $\tau > 1$ they shrink and rare characters get more (flatter, wilder text).
#   $\tau = 1$ leaves the model's own probabilities. (This is chapter 07's flat-or-sharp
#   multiplier turned round: dividing by $\tau$ is multiplying by $\beta = 1/\tau$.)
#   As $\tau \to 0$ all the probability goes to the largest score: that limit, $\tau = 0$, is
#   **greedy decoding**, always the single most likely character. We compute it with an
#   argmax, never dividing by zero.
# - **top-k**: keep only the $k$ largest scores and set the others to $-\infty$, so their
#   probability is exactly 0. It cuts off the long tail of unlikely characters. A $k$ larger
#   than the vocabulary simply keeps everything ($k$ is clipped to $V$).
#
# **Exercise 08.2 (write the code).** Write `probs_with_temperature(z, temperature)`: the
# probabilities $p_i = e^{z_i/\tau} / \sum_j e^{z_j/\tau}$ for an array of scores `z`, and for
# temperature 0 the greedy limit, 1 on the largest score and 0 elsewhere. The check tries
# several temperatures, 0 among them, and scores large enough to overflow `exp`.


# %% tags=["exercise"]
def probs_with_temperature(z, temperature): ...  # return p, the same shape as z


exercises.check("08.2", probs_with_temperature)

# %% [markdown]
# **Exercise 08.3 (write the code).** Write `keep_largest(z, k)`: a new array of the scores
# with all but the `k` largest replaced by $-\infty$, so that the softmax gives them
# probability 0. Leave `z` itself unchanged, and let a `k` larger than `len(z)` keep
# everything.


# %% tags=["exercise"]
def keep_largest(z, k): ...  # return the scores, -inf for all but the k largest


exercises.check("08.3", keep_largest)

# %% [markdown]
# Here is the chapter's version of both knobs. In numpy, with the subtraction of the largest
# score from chapter 02 that keeps `exp` from overflowing:


# %%
def probs_by_hand(z, temperature, top_k):
    k = min(top_k, len(z))  # top-k larger than V keeps all V
    z = np.where(z < np.sort(z)[-k], -np.inf, z)  # all but the k largest -> -inf
    if temperature == 0:  # greedy: the limit of a tiny temperature
        return (np.arange(len(z)) == np.argmax(z)).astype(float)
    e = np.exp((z - z.max()) / temperature)
    return e / e.sum()


z = logits[0, -1].astype(np.float64)
for temperature, top_k in [(1.0, 65), (0.5, 10), (2.0, 1000), (0.0, 65)]:
    ours = probs_by_hand(z, temperature, top_k)
    assert np.allclose(ours, sampling.probs_from_scores(z, temperature, top_k))
    assert np.allclose(ours, next_token_probs(model, ids[0], temperature, top_k), atol=1e-6)
float(probs_by_hand(z, 0.0, 65).sum()), int(np.count_nonzero(probs_by_hand(z, 1.0, 10)))

# %% [markdown]
# The last line shows two of the cases: greedy puts all the probability (1.0) on a single
# character, and top-k 10 leaves exactly 10 characters that can still be drawn. Our version
# agrees with `sampling.probs_from_scores` and with what the model's own sampler uses,
# `sampling.next_token_probs`, so from here on we use those.
#
# The figure below applies four temperatures to the same scores (the bars stay in the same
# order). Above each panel, the number of **effective choices**: $e$ to the power of the
# entropy $-\sum_i p_i \ln p_i$, that is, how many equally likely characters would be just as
# uncertain. Greedy has exactly one, the model's own probabilities ($\tau = 1$) about 4.2, and
# at $\tau = 2$ the model hesitates between about 18.5.

# %%
gpt_widgets.temperature_figure(model, tokenizer, prompt)

# %% [markdown]
# Now try it yourself. Type in the box (the bars follow each keystroke). The red bar is
# always the most likely character. Drag the temperature from 0 (greedy: the red bar takes
# everything) to 2 and watch the bars flatten, and move top-k down to 3 and watch all but
# three bars drop to zero. Under the figure: how many characters the model actually reads
# (a prompt longer than 64 characters is cropped to its last 64), and the number of
# effective choices.
#
# *(A live widget: it answers after **Run → Run All Cells**, and again after each reopening;
# on GitHub you see a still picture.)*

# %% tags=["nbval-ignore-output"]
explorer = gpt_widgets.next_token_explorer(model, tokenizer, prompt)
explorer

# %% [markdown]
# **Exercise 08.4 (explore with the slider).** Keep the prompt as it is ("ROMEO:", a new line,
# "What say") and top-k at 65 or more. At temperature 1 the red bar, the space, reads 0.54.
# Drag the temperature down: at which temperature does the red bar first read 0.99? Enter
# that temperature.

# %% tags=["exercise"]
temperature_for_099 = None  # the slider's number

exercises.check("08.4", temperature_for_099)

# %% [markdown]
# **Exercise 08.5 (explore with the text box).** At temperature 1, find a prompt after which
# the model gives a single character more than 0.9 (the red bar). "KING RICHA" came close with
# 0.76. Enter your prompt as a string.

# %% tags=["exercise"]
sure_prompt = None  # a string, such as "ROMEO"

exercises.check("08.5", sure_prompt)

# %% [markdown]
# ## 4. Generating text, one character at a time
#
# The model only ever predicts *one* next character. To write a passage we repeat:
#
# 1. compute the probabilities of the next character for the text so far;
# 2. draw one character from them;
# 3. append it to the text and go back to 1.
#
# Each new character becomes part of the prompt for the next one: the model reads its own
# output. The context is always the last 64 characters at most, because the model has only 64
# position vectors. Here are the first ten steps, written out, at temperature 0.8.

# %%
context = tokenizer.encode("ROMEO:")
rng_sample = np.random.default_rng(1)  # the seed of this sample
for step in range(1, 11):
    p = next_token_probs(model, context[-block_size:], temperature=0.8)  # (V,)
    new_id = rng_sample.choice(V, p=p)  # draw one character
    context = np.append(context, new_id)  # (T,) -> (T + 1,): fed back in
    print(f"step {step:2d}: drew {tokenizer.chars[new_id]!r:6} (p = {p[new_id]:.2f})  "
          f"{tokenizer.decode(context)!r}")  # fmt: skip

# %% [markdown]
# `nnlib.sampling.generate` is exactly this loop. Given the same seed it draws the same ten
# characters; then we let it continue for 300.

# %%
romeo = tokenizer.encode("ROMEO:")
same = generate(model, romeo, 10, temperature=0.8, rng=np.random.default_rng(1))
assert np.array_equal(same, context[-10:])
sample = generate(model, romeo, 300, temperature=0.8, rng=np.random.default_rng(1))
print("ROMEO:" + tokenizer.decode(sample))

# %% [markdown]
# It is not Shakespeare, but it is clearly *shaped* like Shakespeare: names in capitals
# followed by a colon, lines of verse, mostly real English words, some invented ones that
# sound right. All of it comes from one character at a time, from a model of 0.8 million
# numbers that saw each part of the text only about one and a half times (2,000 steps of 12
# windows of 64 characters make 1.5 million characters; the training text has 1.0 million).
#
# ### Same prompt, different text
#
# Ordinary software gives the same output for the same input: run a spreadsheet twice and
# the sums agree. A language model's computation is just as repeatable (section 2 showed the
# logits are plain arithmetic), but writing with it is not, because each character is
# *drawn* at random from the probabilities. Here is the same prompt, "ROMEO:", with the same
# model and the same temperature, twice: once with seed 1 and once with seed 2.

# %%
two = {seed: generate(model, romeo, 100, 0.8, rng=np.random.default_rng(seed)) for seed in (1, 2)}
for seed, out in two.items():
    print(f"--- seed {seed} ---\nROMEO:{tokenizer.decode(out)}\n")
assert not np.array_equal(two[1], two[2])  # two seeds, two texts
assert np.array_equal(two[1], sample[:100])  # seed 1 again: the start of the long sample

# %% [markdown]
# Two different passages. The randomness comes only from the draws: seed 1 gives exactly
# the beginning of the long sample above, drawn with seed 1 too (the cell checks it), and
# greedy decoding, below, uses no draws at all. A chat assistant samples in the same way, which is why asking
# it the same question twice can give two different answers.
#
# ### Invented words: hallucination in miniature
#
# Some of the words in the long sample above sound right but were never in the training text
# (a few, such as "mare", are English all the same, just not Shakespeare's here). We can count
# them: `measure.invented_words` lists every word of the sample that occurs nowhere in the
# training text.

# %%
invented, n_words = measure.invented_words(tokenizer.decode(sample), text)
print(f"{len(invented)} of {n_words} words never occur in the training text:")
print(invented)

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
assert 0.15 < len(invented) / n_words < 0.3
assert {"raptities", "gorewell", "luchard"} <= set(invented)

# %% [markdown]
# Fourteen of the 62 words are the model's own: "raptities", "gorewell", even a speaker
# called LUCHARD. They come out with the same ease as real words, because the model has no
# idea of a "real word"; it only has probabilities for the next character, and a run of
# likely characters can add up to a word that does not exist. Large language models do the
# same thing with facts, names and quotations, and it has a name: **hallucination**, fluent
# and confident output that is not true. The backpropagation chapter (04) met a relative
# of it: the digit network gave most images of pure noise a confident answer. In both
# cases the output says what the model finds likely, not whether it is true or makes sense.
#
# The temperature changes the character of the text. Greedy decoding ($\tau = 0$, no
# randomness at all) tends to fall into a loop, because the most likely continuation of a
# phrase often leads back to the same phrase; a high temperature produces more invented
# words and broken spelling.

# %%
for temperature in (0.0, 0.5, 1.5):
    out = generate(model, romeo, 120, temperature, rng=np.random.default_rng(2))
    print(f"--- temperature {temperature} ---\nROMEO:{tokenizer.decode(out)}\n")

# %% [markdown]
# ### The cases you will hit
#
# **Characters outside the vocabulary.** The model knows 65 characters and nothing else: no
# digits but 3, no `#`, no accents, no emoji. Encoding a prompt with others is an error that
# names each unknown character (we do not silently drop or replace them, which would change
# the prompt behind your back).

# %%
try:
    sampling.encode_prompt(tokenizer, "Hello #2 café 🙂")
except ValueError as error:
    print(error)

# %% [markdown]
# **A prompt longer than the block.** The model has 64 position vectors, so it can read at
# most 64 characters. A longer prompt is cropped to its **last** 64: the nearest characters
# matter most for the next one. Only those count: the continuation is the same as with the
# last 64 characters alone.

# %%
long_prompt = "ROMEO:\n" + "But soft, what light through yonder window breaks? " * 3
seen = sampling.encode_prompt(tokenizer, long_prompt, block_size)
print(f"{len(long_prompt)} characters; the model reads the last {len(seen)}")
a = generate(model, tokenizer.encode(long_prompt), 40, temperature=0)
b = generate(model, tokenizer.encode(long_prompt[-block_size:]), 40, temperature=0)
assert np.array_equal(a, b)
tokenizer.decode(a)

# %% [markdown]
# **Temperature 0** is greedy decoding: no random draw, no `rng` needed, and the same prompt
# always gives the same text (the cell above used it). **Top-k larger than the vocabulary** is
# clipped: asking for the top 1,000 of 65 characters keeps all 65, the same as no top-k.

# %%
assert np.array_equal(next_token_probs(model, ids[0], top_k=1000), next_token_probs(model, ids[0]))
with np.errstate(divide="raise", invalid="raise"):  # a division by zero would raise here
    greedy = next_token_probs(model, ids[0], temperature=0)
float(greedy.max()), int(np.count_nonzero(greedy))

# %% [markdown]
# **An empty prompt** is allowed: the model then starts from a single newline, as if a new
# passage began after a line break (the most common way a speech starts in this text). An
# empty prompt and the prompt `"\n"` give the same sample.

# %%
empty = generate(model, [], 60, temperature=0.8, rng=np.random.default_rng(3))
newline = generate(model, tokenizer.encode("\n"), 60, temperature=0.8, rng=np.random.default_rng(3))
assert np.array_equal(empty, newline)
print(tokenizer.decode(empty))

# %% [markdown]
# Your turn with the sampler. Each change draws 100 new characters; the progress bar shows
# how far it has got, and the text appears as it is written (the prompt in plain, the
# model's text in bold). A sample takes about 0.3 s on a laptop and about 2 s in the
# browser edition (the book running inside a web page, see the README), so the sliders act
# when you release them and the prompt when you press Enter. Try temperature 0 and then 0.3: a
# small amount of chance is often enough to break greedy decoding's loops. Try top-k 1 (the
# same as greedy, whatever the temperature), and move the seed to get another sample with the
# same settings. A character the model does not know brings up the error message, in red
# under the text.
#
# *(A live widget: it answers after **Run → Run All Cells**, and again after each reopening;
# on GitHub you see the text it wrote when the book was last run.)*

# %% tags=["nbval-ignore-output"]
sampler = gpt_widgets.sampler(model, tokenizer, prompt="ROMEO:", n_chars=100)
sampler

# %% [markdown]
# ## 5. What GPT stands for, and what this model is not
#
# The three letters of GPT describe our model exactly:
#
# - **Generative**: it writes. It produces new text by drawing one token at a time from its
#   probabilities (section 4), where chapter 04's digit network only gave a label to its
#   input.
# - **Pretrained**: it was trained on a large amount of raw text to predict what comes next,
#   with no other task in view; that training comes *before* anything a model is later
#   adapted for.
# - **Transformer**: it is built from the blocks of chapter 07, attention followed by an MLP.
#   It is the decoder half of the 2017 translation model, with its causal mask and without
#   the encoder.
#
# Our model is a **pretrained** next-character predictor, and nothing else. Pretraining is
# the first, by far most expensive stage of every large language model. It gives a model that *continues* text: prompted with "ROMEO:", ours writes
# more play, because that is what follows "ROMEO:" in its data; it does not answer questions
# or follow instructions.
#
# Chat assistants such as ChatGPT start from such a pretrained model (trained on vastly more
# text, with tokens that are pieces of words) and are then **fine-tuned**: trained further on
# examples of helpful conversations, and then with **reinforcement learning from human
# feedback** (RLHF), where people rank several answers of the model, a second model learns to
# predict those rankings, and the language model is trained to produce answers that score
# well. Fine-tuning changes *which* continuation the model prefers; it uses the same
# architecture and the same next-token sampling we built here. That is also why two things
# you saw in section 4 survive it: an assistant still draws each token, so the same question
# can get different answers, and it can still hallucinate, because it still writes what is
# likely rather than what is checked. Our model has had none of this: what you see above is
# pure pretraining.
#
# ## 6. Where the weights are
#
# Almost every number the model learned sits in a matrix of one of eight kinds (the few
# others come after the tables). Per block there are the key, query and value matrices of
# every head (each $C/H \times C$, outputs by inputs like every $W$ in this book), one
# **output** matrix that maps the joined heads back ($C \times C$), and the MLP's
# **up-projection** ($4C \times C$) and **down-projection** ($C \times 4C$). Outside the
# blocks there is the
# **embedding** ($V \times C$) at the start and the **unembedding** ($V \times C$) at the end.
#
# **Exercise 08.6 (write the code).** Count them yourself: write `count_weights(V, C, L, H)`,
# the number of weights in those matrices for a vocabulary of $V$, vectors of width $C$, $L$
# blocks and $H$ heads (the MLP is $4C$ wide, and the unembedding is a matrix of its own).
# The check compares it with the library's count for our model, GPT-3 and three more.


# %% tags=["exercise"]
def count_weights(V, C, L, H): ...  # return a whole number


exercises.check("08.6", count_weights)

# %% [markdown]
# `param_table` counts them for any configuration. For GPT-3 (96 blocks of 96 heads,
# $C = 12{,}288$, a vocabulary of 50,257 tokens) it gives 175,181,291,520 in 27,938 matrices,
# the count often quoted for GPT-3's "175 billion". It takes the unembedding as a matrix of
# its own; GPT-2 reuses its embedding there, and if GPT-3 does too, its count is 0.6 billion
# lower: still 175 billion, rounded.


# %%
def show_table(rows):
    for kind, shape, n_matrices, n_weights in rows:
        print(f"{kind:<16}{shape:>24}{n_matrices:>9,}{n_weights:>20,}")


gpt3 = param_table(GPT3)
assert gpt3[-1][3] == 175_181_291_520 and gpt3[-1][2] == 27_938
show_table(gpt3)

# %% [markdown]
# Two thirds of GPT-3's weights are in the MLPs (up- and down-projections), a third in
# attention, and only 1.2 billion in the embedding and unembedding. Our model has the same
# eight kinds, just smaller:

# %%
ours = param_table(config)
show_table(ours)

# %% [markdown]
# The proportions come out nearly the same: about two thirds in the MLPs and a third in
# attention. Only the embedding and unembedding shrink further, to 2% of the weights, since
# there are only 65 characters to embed. The table counts weight matrices only.
# The model also has a few numbers outside them: the gains of the LayerNorms, the position
# embedding, and the biases (ours has them; nanoGPT's recipe leaves them out).
# `model.n_params()` counts everything training adjusts:

# %%
names = dict(model.named_parameters())
extra = sum(
    p.size for name, p in names.items()
    if name.endswith(".b") or "ln_" in name or name.startswith("wpe")
)  # fmt: skip
assert ours[-1][3] + extra == model.n_params()
ours[-1][3], extra, model.n_params(), round(gpt3[-1][3] / ours[-1][3])

# %% [markdown]
# The four numbers: 803,072 weights in the matrices, 15,169 other numbers, 818,241 in all,
# and how many times more weights GPT-3 has. Side by side, as a figure: GPT-3 has more than
# 200,000 times as many weights as our model, in about 450 times as many matrices; yet a
# block of GPT-3 is built from the same parts as ours, in the same order.

# %%
gpt_widgets.param_table_figure(config)

# %% [markdown]
# ## 7. Training, live
#
# The checkpoint took 2,000 steps of AdamW (chapter 03) on random windows of the text, each
# step a forward pass, the loss, backpropagation through all four blocks (chapter 04) and an
# update of all 0.8 million numbers. That takes a while on a CPU, so we do not repeat it here.
# Instead we train a much smaller GPT for a moment and watch the start of the same
# process: 2 blocks of 2 heads, $C = 32$, a context of 32 characters.
#
# **Exercise 08.7 (predict, then run).** Before any training step, what will the loss of the
# first batch be, roughly? Enter a number; the cells after the training print it.

# %% tags=["exercise"]
first_loss = None  # a number

exercises.check("08.7", first_loss)

# %% [markdown]
# Where should the loss start? A freshly made model has small random weights, so all 65
# scores are nearly equal and every character gets probability about $1/65$. The loss is then
# $-\ln(1/65) = \ln 65 \approx 4.17$: the loss of a uniform guess among 65 characters. Any
# number below that means the model has learned *something* about the text.

# %%
train_data, val_data = train_val_split(data, 0.1)
tiny_config = GPTConfig(vocab_size=V, block_size=32, n_layer=2, n_head=2, n_embd=32)
tiny = GPT(tiny_config, rng)
p0 = next_token_probs(tiny, tokenizer.encode("ROMEO:"))
print(f"untrained: p between {p0.min():.4f} and {p0.max():.4f}; 1/65 = {1 / V:.4f}")
print(f"ln 65 = {math.log(V):.3f}, the loss of a uniform guess")
len(train_data), len(val_data), tiny.n_params()

# %% [markdown]
# The three numbers above: 1,003,854 characters to train on, 111,540 held back for
# validation, and the tiny model's 30,721 numbers, about a 27th of the checkpoint's.
#
# The training loop is the one of chapter 03, with the GPT's loss: draw a batch of 16 random
# windows of 32 characters (the targets are the same windows shifted by one), compute the
# mean cross-entropy of all $16 \times 32$ next-character predictions, backpropagate, clip
# the gradient's length to 1 (a guard against rare huge steps) and let AdamW update the
# weights. Here its weight decay is switched off, which makes it plain Adam. 300 steps take
# a second or two on a laptop, about ten in the browser edition.

# %% tags=["nbval-ignore-output"]
optimizer = AdamW(tiny.parameters(), lr=3e-3, weight_decay=0.0)
losses = []
for _ in progress(range(300), desc="training a tiny GPT"):
    x_batch, y_batch = get_batch(train_data, 32, 16, rng)  # (16, 32) ids and next ids
    loss = tiny.loss(x_batch, y_batch)
    optimizer.zero_grad()
    loss.backward()
    clip_grad_norm(tiny.parameters(), 1.0)
    optimizer.step()
    losses.append(loss.item())
print(f"{len(losses)} steps done")  # the bar above is live only in a running notebook

# %% [markdown]
# The loss of the first batch and the mean of the last twenty. (The exact digits can differ
# slightly between machines, because float32 sums depend on the order the CPU adds them in;
# the cell after checks the ranges.)

# %% tags=["nbval-ignore-output"]
round(losses[0], 4), round(float(np.mean(losses[-20:])), 4)

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
assert abs(losses[0] - math.log(V)) < 0.1  # starts at a uniform guess
assert 2.2 < np.mean(losses[-20:]) < 2.8  # and learns fast at first

# %% [markdown]
# How good is a loss of 2.4? Two yardsticks need no network at all, only counting on the
# training text (their losses are measured on the validation text): a **unigram** model
# that predicts every character by how common it is, and chapter 06's **bigram** table,
# which also knows what tends to follow what. (Chapter 06 scored its table on the text it
# had counted, 2.45; on text it has not seen it does a little worse.)

# %%
unigram, bigram = sampling.counting_losses(train_data, val_data, V)
round(unigram, 2), round(bigram, 2)

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
assert math.log(V) > unigram > bigram > meta["val_loss"]

# %% [markdown]
# The curve: the pale line is the loss of each batch (noisy, since every batch is a different
# random piece of text), the dark line its mean over the last 20 steps. It starts on the
# dashed line, the uniform guess, and drops fast. The grey lines are the two counting
# models: the tiny model passes the unigram line within a few dozen steps (it has learned
# which characters are common: spaces, e, t, o) and reaches the bigram line after a hundred
# or two (it has learned what tends to follow what, such as a letter after a space; the
# cell after the figure finds the steps). The red dotted line is where the full model ended,
# 27 times larger and after 2,000 steps: learning words and names takes far longer than
# learning letters.

# %%
gpt_widgets.loss_curve_figure(
    losses,
    V,
    reference=("trained checkpoint (validation)", meta["val_loss"]),
    baselines=[("unigram (counts)", unigram), ("bigram (counts of pairs)", bigram)],
)

# %% tags=["nbval-ignore-output"]
mean20 = np.convolve(losses, np.ones(20) / 20, mode="valid")  # mean of steps i+1 .. i+20
below = {
    name: 20 + int(np.argmax(mean20 < level))
    for name, level in [("unigram", unigram), ("bigram", bigram)]
}
below  # the first step at which the mean of the last 20 is below each line

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
assert mean20.min() < bigram  # the bigram line is reached
assert below["unigram"] < 60 < below["bigram"] < 300  # letters first, pairs later

# %% [markdown]
# And what the tiny model writes after its moment of schooling. Words are mostly not
# there yet, but the rhythm is: short runs of letters separated by spaces, capitals, the
# occasional line break.

# %%
tiny_sample = generate(tiny, romeo, 150, temperature=0.8, rng=rng)
print("ROMEO:" + tokenizer.decode(tiny_sample))

# %% [markdown]
# ## Summary
#
# - A GPT turns ids $(B, T)$ into vectors $(B, T, C)$ (token plus position embedding), passes
#   them through a stack of blocks, and turns the result into scores $(B, T, V)$ with the
#   unembedding. Each block adds attention's and then the MLP's correction to the residual
#   stream, each computed from a LayerNorm of the stream. A softmax of the last position's
#   scores gives the probabilities of the next token. All of it is arithmetic on stored
#   numbers: the same ids always give the same scores.
# - Ours reads characters: 65 of them, so it trains on a laptop, at the price of a context
#   of only about a dozen words. Real GPTs read BPE tokens from vocabularies of 50,000 to
#   200,000. The character vectors it learned put vowels together, and punctuation, and
#   each capital near its own lowercase letter.
# - Generation is a loop: draw one token, append it, feed the text back in; the context is
#   cropped to the block size. Temperature sharpens ($\tau < 1$) or flattens ($\tau > 1$) the
#   distribution, $\tau = 0$ is greedy decoding, and top-k keeps only the $k$ best candidates.
#   Because tokens are drawn, the same prompt gives different texts with different seeds,
#   and some of the words are invented: hallucination in miniature.
# - GPT means generative, pretrained, transformer. Our model is a pretrained predictor of
#   Shakespeare's characters. Chat assistants are the same kind of model, far larger,
#   fine-tuned further with human feedback; they still sample, and they can still invent.
# - GPT-3's 175 billion weights (175,181,291,520 counted our way) sit in 27,938 matrices of
#   the same eight kinds as our model's 0.8 million; most of them in the MLPs.
# - Training is the gradient descent of chapter 03 with the backpropagation of chapter 04,
#   on the cross-entropy of chapter 02: the loss starts at $\ln V$ and goes down.
#
# That is the whole book in one model: neurons (the linear layers), a cost (cross-entropy), a
# way downhill (AdamW), the gradient (backpropagation), and the two ideas that make language
# work, embeddings and attention.
#
# ## Where to go from here
#
# This is the last chapter. Every term of the book is collected in the
# [glossary](00_glossary.ipynb), and [00 Start here](00_start_here.ipynb) leads back to the
# beginning. If you want to go further, four good next steps, each building on what you
# now know:
#
# - Andrej Karpathy's **nanoGPT** (the recipe our model follows) and his video lecture
#   "Let's build GPT: from scratch, in code, spelled out", which builds the same model in
#   PyTorch;
# - **"The Annotated Transformer"** (Harvard NLP), which walks through the 2017 paper with
#   its code, encoder and decoder both;
# - the papers themselves: "Attention Is All You Need" (Vaswani et al., 2017) and, for what
#   scale does, "Language Models are Few-Shot Learners" (Brown et al., 2020, GPT-3);
# - 3Blue1Brown's videos on neural networks and transformers, which draw many of the ideas
#   of this book as pictures.
