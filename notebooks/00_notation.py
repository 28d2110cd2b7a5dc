# %% [markdown]
# # Notation: the symbols of the text and their names in the code
#
# Every symbol in the book has exactly one name in the code, so you can check each line
# of `nnlib` against the formulas. This page lists them. Keep it open in a second tab while
# you read; each chapter introduces its symbols again when it first needs them. The words
# (cost, gradient, token, ...) are explained in plain language in
# [the glossary](00_glossary.ipynb).
#
# ## Numbers flowing through a network
#
# | text | code | shape | meaning |
# |---|---|---|---|
# | x | `x` | `(n_in,)` | one input example, e.g. a 28×28 digit as 784 pixel brightnesses |
# | X | `X` | `(B, n_in)` | a batch: one example per row |
# | w_mn | `W[m, n]` | scalar | the weight from neuron n of one layer to neuron m of the next |
# | W | `W` | `(n_out, n_in)` | all weights of a layer; row m feeds neuron m |
# | b | `b` | `(n_out,)` | the biases of a layer, one per output neuron |
# | z = W x + b | `z = W @ x + b` | `(n_out,)` | weighted input, before the activation |
# | Z = X Wᵀ + b | `Z = X @ W.T + b` | `(B, n_out)` | the same for a batch |
# | a = σ(z) | `a = sigmoid(z)` | like `z` | activation: the neuron's output |
# | x⁽ⁱ⁾ | `x`, `h1`, `h2` | `(n_in,)` | the activations of layer i; x⁽¹⁾ is the input x (chapter 01) |
# | σ | `sigmoid` | | the sigmoid 1 / (1 + e^(-z)); ReLU is `relu` |
# | y | `y` | `(n_out,)` or `(B,)` | the target: the answer we want (a label or a one-hot vector) |
# | ŷ | `y_hat` | like `y` | the network's prediction |
# | L | `L` | scalar | the loss (cost): how wrong the predictions are, averaged over examples |
# | P | `P` | scalar | the number of training examples, numbered p = 1 … P |
#
# **Other books' letters.** Many texts, including the notes this book grew from, write the
# cost as L = 1/P Σₚ (yₚ − ℓₚ)², where yₚ is the network's *output* on example p and ℓₚ its
# *label*. This book uses y for the label instead, so the same cost reads
# L = 1/P Σₚ (aₚ − yₚ)² (chapter 02), with aₚ (or ŷₚ) the output. Their y is our a or ŷ, and
# their ℓ is our y. For a network with several outputs, the square of a difference of
# vectors means: square each entry and add them up.
#
# ## Learning
#
# | text | code | meaning |
# |---|---|---|
# | ∂L/∂W | `dW` (on a Tensor: `W.grad`) | the gradient: how L changes when each weight moves; same shape as `W` |
# | ∂L/∂b, ∂L/∂z, ∂L/∂a | `db`, `dZ`, `dA` | the same for biases, weighted inputs, activations |
# | θ (theta) | `theta` | all the parameters, as one vector |
# | ∇L | `grad` | the gradient: every partial derivative of L in one vector, shaped like θ |
# | α (alpha) | `lr` | learning rate: the size of each step downhill (some books write η, eta) |
# | W ← W − α ∂L/∂W | `W -= lr * dW` (numpy arrays); on a Tensor `W.data -= lr * W.grad`, or an optimizer's `step()` | one step of gradient descent (on a Tensor, `W -= ...` alone would make a new Tensor and leave the model's W as it was, so nnlib refuses it) |
# | B | `batch_size`, `B` | examples per step (a mini-batch) |
# | | `n_steps` | how many steps we train |
# | ∂out/∂a | `local_grads` | a local derivative: how one operation's result moves with one of its inputs (chapter 05) |
# | | `node.grad` | ∂L/∂(that node), filled in by `backward()`; a node used twice adds up both shares |
#
# ## Sizes
#
# | text | code | meaning |
# |---|---|---|
# | n_in, n_out | `n_in`, `n_out` | inputs and outputs of one layer (784 and 16 for the first digit layer) |
# | n_hidden | `n_hidden` | width of a hidden layer |
# | B | `B` | batch size |
# | T | `T` | time: the number of tokens in a sequence (the context length) |
# | C | `C` | channels: the width of a token's embedding vector |
# | V | `V` | vocabulary size: how many different tokens there are |
# | H | `H` | attention heads; each head has width C / H |
#
# ## Text and attention
#
# | text | code | shape | meaning |
# |---|---|---|---|
# | token ids | `idx`, `ids` | `(B, T)` | integers in 0 … V−1 |
# | embedding matrix | `wte` | `(V, C)` | row i is the vector of token i |
# | position embedding | `wpe` | `(block_size, C)` | row t is added to the token at position t |
# | block size | `block_size` | | the longest context the model reads (64 characters in chapter 08) |
# | d = C/H | `hs` | | head size: the length of one head's query, key and value vectors |
# | W_q, W_k, W_v | `c_attn.W` (stacked) | `(C/H, C)` per head | make queries, keys and values; `c_attn.W` holds all heads' as `(3C, C)` |
# | W_o | `attn.c_proj.W` | `(C, C)` | the output projection: maps the joined heads back (`mlp.c_proj` is the MLP's down-projection) |
# | q, k, v | `q`, `k`, `v` | `(B, H, T, C/H)` | queries, keys, values |
# | S | `S` | `(T, T)` per head | scores S_ts = q_t · k_s / √d, for query position t and key position s |
# | A | `A`, `att` | `(B, H, T, T)` | attention weights, softmax of S over s: how much token t looks at each earlier token |
# | y_t = Σ_s A_ts v_s | `y` | `(B, H, T, C/H)` | a head's output: here y is a layer's output, not the target |
# | β (beta) | `beta` | scalar | chapter 07's multiplier of the scores: 0 flat, 1 the model's, large sharp |
# | logits | `logits`, `z` | `(B, T, V)` | scores before the softmax; the unembedding `head` `(V, C)` makes them |
# | p = softmax(logits) | `probs`, `p` | `(B, T, V)` | next-token probabilities |
# | τ (tau) | `temperature` | scalar | divides the logits before sampling; 0 means greedy (τ = 1/β) |
# | k (top-k) | `top_k` | integer | keep only the k most likely tokens when sampling (not attention's keys k) |

# %% [markdown]
# ## The shapes, checked
#
# The one convention to remember is that `W` has shape `(n_out, n_in)`: row m holds the
# weights into neuron m, so `W[m, n]` is the text's w_mn. For one example, z = W x + b. For a
# batch with one example per row, the same numbers come out of `X @ W.T + b`. The cell below
# builds a layer with 3 inputs and 2 outputs and checks both forms agree.

# %%
import numpy as np

rng = np.random.default_rng(0)
n_in, n_out, B = 3, 2, 4
W = rng.normal(size=(n_out, n_in))  # (n_out, n_in)
b = rng.normal(size=n_out)  # (n_out,)
X = rng.normal(size=(B, n_in))  # (B, n_in): one example per row

z = W @ X[0] + b  # (n_out, n_in) @ (n_in,) -> (n_out,)
Z = X @ W.T + b  # (B, n_in) @ (n_in, n_out) -> (B, n_out)
assert np.allclose(Z[0], z)  # row 0 of the batch is example 0
assert np.isclose(z[1], sum(W[1, n] * X[0, n] for n in range(n_in)) + b[1])  # w_mn, by hand
Z.shape
