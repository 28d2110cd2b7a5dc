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
# # 04 Backpropagation
#
# Chapter 02 measured how wrong the 784-16-16-10 network is with one number, the cost, and
# chapter 03 showed how to lower such a number: step every parameter against its slope,
# $w \leftarrow w - \alpha\, \partial L/\partial w$, on random mini-batches. There the costs had
# one or two parameters and we could write their slopes by hand. For the 13,002 weights and
# biases of the digit network we cannot; computing those slopes is this chapter's job.
#
# **Backpropagation** is the method. It rests on the rule chapter 02 used for one neuron:
# the slopes of steps done one after another multiply. This is the **chain rule** of
# calculus. Backpropagation applies it from the cost backwards through the layers, reusing
# each layer's result for the layer before it, so that all 13,002 slopes cost about as much as
# one extra pass through the network.
#
# The idea has a history. Computing derivatives backwards through a chain of operations was
# worked out more than once from the 1960s on, and in 1986 David Rumelhart, Geoffrey Hinton and
# Ronald Williams showed in a short paper in *Nature* that it lets networks with hidden layers
# learn useful inner features; that paper made it the standard way to train neural networks.
# (In 2024 Hinton shared the Nobel Prize in Physics with John Hopfield, for foundational
# discoveries that made machine learning with artificial neural networks possible: a prize
# for a body of work, not for backpropagation alone.)
#
# By the end of this chapter you will be able to compute every weight's gradient by hand and
# check it, train a digit reader, and say what it does and does not know. In this chapter we
#
# 1. follow one weight to the cost along a chain of three links, with numbers;
# 2. see the three ways an output neuron's activation can be raised, and why the weights of
#    the most active neurons change most;
# 3. write backpropagation for the whole network by hand in numpy, and check it against
#    nnlib's automatic differentiation ("autograd": the library records every operation and
#    chains their slopes for us) and against finite differences;
# 4. train the network on MNIST with mini-batch SGD, then a bigger one with Adam;
# 5. look at what the trained networks learned, and at what they did not, and test them
#    with a digit you draw yourself.
#
# Seven **exercises** are spread through the chapter, each where its idea comes up: you
# predict what a cell will show, write a few lines of code, or look for a number with a slider.
# A check under each one tells you at once whether you are right and, when you are not, which
# mistake is the likely one. If you are stuck, run `exercises.hint("04.2")` (with that
# exercise's number) in a new cell; each call shows one more hint. The worked solutions are kept
# out of the chapters (the README says where, for readers working alone and for teachers).

# %%
# %matplotlib inline
import warnings

import matplotlib.pyplot as plt  # noqa: F401  (figures are shown inline)
import numpy as np
from IPython.display import display

from nnlib import drawing, plot
from nnlib import functional as F
from nnlib.chapters import ch04_backpropagation as backprop
from nnlib.data import OfflineMNISTWarning, load_mnist, minibatches
from nnlib.exercises import ch04_backpropagation as exercises
from nnlib.gradcheck import numerical_grad, rel_error
from nnlib.layers import MLP
from nnlib.losses import cross_entropy, mse
from nnlib.optim import SGD, Adam
from nnlib.progress import progress
from nnlib.tensor import no_grad
from nnlib.widgets import ch04_backpropagation as backprop_widgets

rng = np.random.default_rng(0)

# %% [markdown]
# We load MNIST as in chapter 02. Remember that the book ships only the 10,000 MNIST test
# digits: without the 60,000 training digits on your machine, `load_mnist` splits those 10,000
# into 8,000 for training and 2,000 for testing (`mnist.source` is then `"test-split"`, and it
# is `"full"` with the real training set). Where a result depends on the set, the text gives
# what we measured on the offline split and, separately, what to expect with the full 60,000.
#
# We split the training digits once more. The last 1,000 become a **validation set**: the
# networks never train on them, and we use them to see how well a network reads digits it has
# not met, and to compare settings. The **test set** stays closed until the end of the
# chapter, where we measure each finished network on it once; section 7 says why.

# %%
with warnings.catch_warnings():
    warnings.simplefilter("ignore", OfflineMNISTWarning)  # the text above explains it
    mnist = load_mnist()
X_train, y_train = mnist.X_train[:-1000], mnist.y_train[:-1000]  # the networks learn from these
X_val, y_val = mnist.X_train[-1000:], mnist.y_train[-1000:]  # held out to check and compare
sizes = [784, 16, 16, 10]
net = MLP(sizes, rng, activation="sigmoid", final_activation="sigmoid")
net.astype(np.float64)  # float64 for this chapter's checks; training below uses float32
Ws, bs = net.weights_and_biases()  # copies: Ws[l] is W of layer l+1, shape (n_out, n_in)
[W.shape for W in Ws]

# %% [markdown]
# ## 1. The chain rule along one path
#
# Start with a single weight of the last layer: $w = w_{jk}$, which connects neuron $k$ of the
# second hidden layer (activation $a_k$) to output neuron $j$. (It is chapter 01's $w_{mn}$,
# with $m = j$ the neuron it feeds and $n = k$ the one it comes from.) We write $C$ for the
# cost of one example, chapter 02's $L_p$, to keep it apart from the average $L$ of
# section 3. Between $w$ and $C$ there are three links:
#
# $$z_j = \sum_k w_{jk} a_k + b_j, \qquad a_j = \sigma(z_j), \qquad
#   C = \sum_i (a_i - y_i)^2 .$$
#
# Nudge $w$ by a tiny amount and $z_j$ moves by $a_k$ times as much; $a_j$ moves by $\sigma'(z_j)$
# times what $z_j$ moved; and $C$ moves by $2(a_j - y_j)$ times what $a_j$ moved (of the ten
# squares in $C$, only the one of output $j$ depends on $w$). The effects multiply; written
# with chapter 03's partial derivatives (each a slope with everything else held fixed), that is
# the chain rule:
#
# $$\frac{\partial C}{\partial w} = \frac{\partial z_j}{\partial w}\,
#   \frac{\partial a_j}{\partial z_j}\, \frac{\partial C}{\partial a_j}
#   = a_k \cdot \sigma'(z_j) \cdot 2(a_j - y_j),$$
#
# with $\sigma'(z) = \sigma(z)(1 - \sigma(z))$, the slope of the sigmoid. Here it is in numbers
# for the first training digit, the output neuron $j$ of its correct label (so $y_j = 1$),
# and $k = 3$.
#
# **Exercise 04.1 (predict, then run).** Before the numbers appear: will $\partial C/\partial w$
# come out positive or negative? Decide for each of the three links whether it can be negative.
# Write "positive" or "negative" in place of `None`, run the check, then run the cell after it.

# %% tags=["exercise"]
prediction_sign = None  # "positive" or "negative"

exercises.check("04.1", prediction_sign)

# %% tags=["nbval-ignore-output"]
x, label = mnist.X_train[0].astype(np.float64), int(mnist.y_train[0])  # (784,), its digit
a1 = F.sigmoid(Ws[0] @ x + bs[0])  # (16, 784) @ (784,) -> (16,)
a2 = F.sigmoid(Ws[1] @ a1 + bs[1])  # (16, 16) @ (16,) -> (16,)
j, k = label, 3
z = Ws[2][j] @ a2 + bs[2][j]  # one output neuron's weighted sum
a = F.sigmoid(z)
dz_dw, da_dz, dC_da = a2[k], a * (1 - a), 2 * (a - 1.0)  # y_j = 1: j is the right answer
dC_dw = dz_dw * da_dz * dC_da
label, float(dz_dw), float(da_dz), float(dC_da), float(dC_dw)

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
assert 0 < da_dz <= 0.25 and dC_da < 0  # sigma' is at most 1/4; a < y_j = 1, so C falls as a rises

# %% [markdown]
# Is that right? Chapter 03's finite differences settle it: change this one weight by $\pm h$,
# recompute the cost of the example, and divide the difference by $2h$.


# %% tags=["nbval-ignore-output"]
def C_of_w(w, h=0.0):
    W3 = Ws[2].copy()
    W3[j, k] = w + h
    out = F.sigmoid(W3 @ a2 + bs[2])  # (10,) all ten outputs
    return np.sum((out - F.one_hot(label, 10)) ** 2)


h = 1e-6
numeric = (C_of_w(Ws[2][j, k], h) - C_of_w(Ws[2][j, k], -h)) / (2 * h)
float(numeric), float(dC_dw)

# %%
assert abs(numeric - dC_dw) < 1e-8 * max(1.0, abs(dC_dw))
chain = backprop.chain_one_path(Ws, bs, x, label, j, k)  # the same numbers, from nnlib
assert np.isclose(chain["dC_dw"], dC_dw)

# %% [markdown]
# The figure shows the chain: each box holds a value of the forward pass, each arrow the slope
# of one link, and the product of the three slopes (red) is the derivative, equal to the finite
# difference to six digits and more.

# %%
backprop_widgets.chain_figure(chain, numeric)

# %% [markdown]
# **Exercise 04.2 (write the code).** Turn the chain into a function of its three inputs: the
# activation $a_k$, the output neuron's weighted sum $z$ and its target $y_j$ (1 for the right
# digit, 0 for the nine others). Return $\partial C/\partial w$ as one number. The check tries
# a right and a wrong output, a silent neuron ($a_k = 0$) and a saturated one ($z = 8$).


# %% tags=["exercise"]
def dC_dw_of(a_k, z, y_j): ...  # return one number, dC/dw


exercises.check("04.2", dC_dw_of)

# %% [markdown]
# ## 2. Three ways to raise an output activation
#
# Now turn the question around. The example above is a digit whose output neuron $j$ should be
# 1 and is not. How could $a_j = \sigma(z_j)$ go up? It goes up when $z_j = \sum_k w_{jk} a_k + b_j$
# goes up, and there are three kinds of knob in that sum:
#
# 1. **Change the previous layer's activations** $a_k$, in proportion to the weights:
#    $\partial z_j / \partial a_k = w_{jk}$. Raising an $a_k$ with a positive weight helps,
#    lowering one with a negative weight helps too, and big weights matter most. (We cannot set
#    activations directly; they are outputs of the layer before. That wish is passed back, which
#    is what gives the method its name.)
# 2. **Change the weights** $w_{jk}$, in proportion to the previous activations:
#    $\partial z_j / \partial w_{jk} = a_k$. A weight from a silent neuron ($a_k = 0$) does
#    nothing; the weights from the most active neurons change most. Neuroscientists say of
#    the brain that "neurons that fire together wire together": here the connection between an
#    active neuron and one we want more active is the one strengthened most.
# 3. **Change the bias** $b_j$: $\partial z_j / \partial b_j = 1$.
#
# Moving each kind of knob by $\varepsilon$ times its slope ($a_k$ by $\varepsilon w_{jk}$,
# $w_{jk}$ by $\varepsilon a_k$, $b_j$ by $\varepsilon$) raises $z_j$ by
# $\varepsilon \sum_k w_{jk}^2$, $\varepsilon \sum_k a_k^2$ and $\varepsilon$ respectively.
# A random network has no opinions worth nudging, so we borrow a 784-16-16-10 network trained for
# a fraction of a second on 2,000 digits (with the code of section 3;
# `backprop.small_network()` does it). From 1,000 validation digits it was not trained on, we
# take the first image of each digit, and of those ten we pick the one whose right output $a_j$
# is lowest.

# %% tags=["nbval-ignore-output"]
Ws_small, bs_small = backprop.small_network()
X_few, y_few = backprop.small_data()[2:]  # the digits the widget offers (held-out training digits)
i = backprop.least_sure_example(Ws_small, bs_small, X_few, y_few)
nudges = backprop.nudge_effects(Ws_small, bs_small, X_few[i], y_few[i], y_few[i], 0.3, 0.3, 0.3)
int(y_few[i]), nudges["a_j"], nudges["delta_z"], nudges["delta_a_j"]

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
assert np.isclose(nudges["delta_z"]["weights"], 0.3 * np.sum(nudges["a_prev"] ** 2))
assert np.allclose(nudges["dW"], 0.3 * nudges["a_prev"])  # the weights move like the activations
assert all(nudges["delta_a_j"][kind] > 0 for kind in ("activations", "weights", "bias"))
lifted = nudges["a_j"] + nudges["delta_a_j"]["activations"]  # a_j after nudging activations
alone = (nudges["a_j"] - 1) ** 2 - (lifted - 1) ** 2  # what output j alone would save
assert lifted > 0.95 and alone > 2 * -nudges["delta_C"]["activations"]

# %% [markdown]
# In the figure, the left panel shows how far each kind of nudge ($\varepsilon = 0.3$) moves
# the output $a_j$ and the middle panel how far it moves the cost of this example. On the
# right, neuron by neuron of the last hidden layer: the black dots are the activations
# $a_k$, the green bars the weight changes (the same shape as the dots: large where the neuron is
# active) and the blue bars the activation changes (the shape of the weights).

# %%
backprop_widgets.nudge_figure(Ws_small, bs_small, X_few[i], int(y_few[i]), int(y_few[i]))

# %% [markdown]
# Compare the left and middle panels. On the offline split the chosen digit is a 2 with
# $a_j \approx 0.015$. Nudging the activations lifts $a_j$ almost to 1, which on its own would
# remove about 0.97 from the cost, yet the cost falls by only about 0.04: the sixteen hidden
# neurons feed *all ten* outputs, and pushing them towards "more $j$" also moves the other
# nine. That is why backpropagation does not follow one output's wish. It adds up what every
# output wants from neuron $k$, each wish weighted by $w_{jk}$ and by how much that output is
# off; the sum is the slope of the cost with respect to $a_k$, and the same reasoning then
# repeats one layer further back. All of this is what *one* example wants; section 3 averages
# the wishes of many. (The weights nudge lowers the cost more, about 0.1, though it hardly
# moves $a_j$: changing row $j$ of $W$ moves output $j$ alone and leaves the other nine where
# they were.)
#
# Now try it: pick a digit and an output neuron, and drag the three sliders. Watch the green
# bars follow the black dots (fire together, wire together), and pick a *wrong* output neuron:
# there the cost goes down when you nudge $a_j$ *down*, with negative slider values.
#
# *(A live widget: it answers after **Run → Run All Cells**, and again after each reopening;
# on GitHub you see a still picture.)*

# %% tags=["nbval-ignore-output"]
backprop_widgets.nudge_explorer(Ws_small, bs_small, X_few, y_few)

# %% [markdown]
# **Exercise 04.3 (explore with the slider).** Keep the digit and the output neuron the panel
# opens with, and move only the **activations** slider. The table under the figure gives, for
# each kind of nudge on its own, the change of $a_j$ and of the cost $C$. At the starting 0.3,
# $a_j$ is almost 1 and yet the cost falls by only about 0.04. Which value of the slider lowers
# the cost of this example the most? Enter it.

# %% tags=["exercise"]
best_eps_a = None  # the activations slider's value

exercises.check("04.3", best_eps_a)

# %% [markdown]
# ## 3. Backpropagation for the whole network, by hand
#
# Write the layers as $Z_l = A_{l-1} W_l^T + b_l$ and $A_l = \sigma(Z_l)$, with $A_0 = X$, a batch
# of $B$ images, one per row, as in chapter 01 ($W^T$, `W.T` in code, is $W$ with rows and
# columns swapped). The cost is chapter 02's, averaged over the $B$ examples of the
# mini-batch instead of all $P$: $L = \frac{1}{B}\sum_p \sum_i (A_3[p,i] - Y[p,i])^2$, with
# $Y$ the one-hot labels. Call $\delta_l = \partial L / \partial Z_l$
# the **error** of layer $l$: how much the cost changes per unit change of each weighted sum. The
# chain rule gives four equations:
#
# - at the output: $\delta_3 = \frac{2}{B}(A_3 - Y) \odot \sigma'(Z_3)$, the slope of the cost
#   times the slope of the sigmoid ($\odot$ multiplies entry by entry);
# - the weights: $\partial L/\partial W_l = \delta_l^T A_{l-1}$ (section 2's "in proportion to the
#   previous activations"). Each example contributes its own row of $\delta_l$ and of
#   $A_{l-1}$, its own wish; the product adds the wishes up, and the $\frac{1}{B}$ inside
#   $\delta_3$ turns the sum into an average, chapter 03's mini-batch estimate of the gradient;
# - the biases: $\partial L / \partial b_l$ = the rows of $\delta_l$ added up;
# - one layer back: $\delta_{l-1} = (\delta_l W_l) \odot \sigma'(Z_{l-1})$ (section 2's "in
#   proportion to the weights", every output's wish added up).
#
# First the forward pass, keeping every $Z$ and $A$ for the way back:


# %%
def forward(Ws, bs, X):
    Zs, As = [], [X]
    for W, b in zip(Ws, bs, strict=True):
        Z = As[-1] @ W.T + b  # (B, n_in) @ (n_in, n_out) -> (B, n_out)
        Zs.append(Z)
        As.append(F.sigmoid(Z))
    return Zs, As


X_batch = mnist.X_train[:64].astype(np.float64)  # (64, 784)
Y_batch = F.one_hot(mnist.y_train[:64], 10)  # (64, 10)
Zs, As = forward(Ws, bs, X_batch)
[A.shape for A in As]

# %% [markdown]
# And the backward pass: the four equations, from the last layer to the first.


# %%
def backward(Ws, Zs, As, Y):
    s = F.sigmoid(Zs[-1])
    delta = 2 * (As[-1] - Y) / len(Y) * s * (1 - s)  # (B, 10) error of the output layer
    dWs, dbs = [], []
    for l in reversed(range(len(Ws))):
        dWs.insert(0, delta.T @ As[l])  # (n_out, B) @ (B, n_in) -> (n_out, n_in)
        dbs.insert(0, delta.sum(axis=0))  # (B, n_out) -> (n_out,)
        if l > 0:
            s = F.sigmoid(Zs[l - 1])
            delta = (delta @ Ws[l]) * s * (1 - s)  # (B, n_out) @ (n_out, n_in) -> (B, n_in)
    return dWs, dbs


dWs, dbs = backward(Ws, Zs, As, Y_batch)
[dW.shape for dW in dWs]

# %% [markdown]
# That is all of backpropagation: under twenty lines. The same two functions live in
# `nnlib.chapters.ch04_backpropagation` (the widgets use them); its `gradients` runs them on a
# batch, and agrees:

# %%
L_hand, dWs_lib, dbs_lib = backprop.gradients(Ws, bs, X_batch, mnist.y_train[:64])
assert all(np.allclose(a, b) for a, b in zip(dWs + dbs, dWs_lib + dbs_lib, strict=True))

# %% [markdown]
# Now two independent checks. First, nnlib's automatic differentiation, **autograd** for short
# (`nnlib.tensor`, the engine every later chapter uses), on the *same* network: `net` is the
# `MLP` we copied `Ws` and `bs` from. Its `loss.backward()` knows nothing of our four equations;
# each of its operations only knows its own local slope, and it chains them. (`backward()` adds
# into each `.grad`, so `zero_grad()` clears the old ones first.) The loss comes from `nnlib.losses`: the
# same formulas as chapter 02's `F.mse` and `F.cross_entropy`, but taking a Tensor and
# returning one you can call `.backward()` on (`nnlib.functional` works on plain arrays and
# returns a number). Second, finite differences on a few weights sampled from every layer, with
# `nnlib.gradcheck.numerical_grad`, which nudges the weights one at a time and measures the
# cost: chapter 03's `central_difference`, applied to one weight after another. Each check
# prints a relative error, `rel_error(a, b)` = max |a − b| / max(|a|, |b|): 0 means equal,
# 1e-6 means they agree to six digits.

# %%
loss = mse(net(X_batch), mnist.y_train[:64])  # float64 network, same weights
net.zero_grad()
loss.backward()
layers = net.linears()
auto = [layer.W.grad for layer in layers] + [layer.b.grad for layer in layers]
error_autograd = max(rel_error(a, b) for a, b in zip(dWs + dbs, auto, strict=True))
float(loss.data), L_hand, error_autograd


# %%
def cost():  # the cost of the batch, read from the current Ws (nudged in place)
    return np.sum((forward(Ws, bs, X_batch)[1][-1] - Y_batch) ** 2) / len(X_batch)


picks = [(l, int(n)) for l in range(3) for n in rng.choice(Ws[l].size, size=5, replace=False)]
numeric = np.array([numerical_grad(cost, Ws[l].reshape(-1)[n : n + 1])[0] for l, n in picks])
hand = np.array([dWs[l].reshape(-1)[n] for l, n in picks])
error_numeric = rel_error(hand, numeric)
error_numeric

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
assert error_autograd < 1e-6 and error_numeric < 1e-6

# %% [markdown]
# Both errors are far below one in a million (the assert), and the figure shows it for all
# 13,002 gradient entries against autograd (left) and for the 15 sampled weights against finite
# differences (right): every point lies on the diagonal.

# %%
backprop_widgets.gradient_check_figure(
    np.concatenate([g.ravel() for g in dWs + dbs]),
    np.concatenate([g.ravel() for g in auto]),
    hand,
    numeric,
)

# %% [markdown]
# One backward pass cost about as much as the forward pass; finite differences would need two
# forward passes *per parameter*, 26,004 of them for one gradient. That difference is why
# backpropagation made training large networks possible.
#
# **Exercise 04.4 (write the code).** Where does 13,002 come from? Write `n_parameters(sizes)`:
# the number of weights and biases of a network with layer sizes such as `[784, 16, 16, 10]`,
# as a whole number. The check also tries section 5's 784-128-10, a network of two neurons and
# `[5]`, a list of sizes with no layer in it.


# %% tags=["exercise"]
def n_parameters(sizes): ...  # return the number of weights and biases, an int


exercises.check("04.4", n_parameters)

# %% [markdown]
# ## 4. Training on MNIST
#
# From here on we let nnlib compute the gradients (`loss.backward()`; we have just checked that
# it agrees with our equations), and write the training loop of chapter 03 in full: take a
# mini-batch, compute the cost (forward), backpropagate (backward), step every weight against its
# gradient. A fresh 784-16-16-10 sigmoid network, the squared cost, plain SGD with learning rate
# $\alpha = 3$, mini-batches of 32.
#
# We train for a fixed number of **steps** (mini-batches), not epochs: 6,000 steps of 32 images
# are about 27 passes (epochs) over the offline 7,000 training images, and about 3 over the
# full 59,000. Since
# the work is per step, the chapter takes the same time with either set. The progress bar counts
# the steps, and the loss curve above it grows every 500 steps (faint: each mini-batch's cost;
# bold: the average over 100 steps).


# %%
def batches(X, y, batch_size, rng):  # endless: one shuffled epoch after another
    while True:
        yield from minibatches(X, y, batch_size, rng)


train_rng = np.random.default_rng(0)  # its own seed, so scripts/figures repeats this very run
net = MLP(sizes, train_rng, activation="sigmoid", final_activation="sigmoid")
optimizer = SGD(net.parameters(), lr=3.0)
n_steps, batch_size = 6000, 32

# %% tags=["nbval-ignore-output"]
fig, ax = plot.figure(size=(6, 3))
handle = display(fig, display_id=True)
losses, stream = [], batches(X_train, y_train, batch_size, train_rng)
for step in progress(range(n_steps), desc="784-16-16-10, SGD"):
    X_b, y_b = next(stream)
    loss = mse(net(X_b), y_b)  # forward: the cost of this mini-batch
    optimizer.zero_grad()
    loss.backward()  # backpropagation: every dL/dW and dL/db
    optimizer.step()  # W <- W - lr * dL/dW
    losses.append(loss.item())
    if (step + 1) % 500 == 0:
        backprop_widgets.draw_loss(ax, losses)
        handle.update(fig)

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
assert losses[0] > 1.5 and np.mean(losses[-500:]) < 0.2  # from about 2.4 to about 0.05

# %% [markdown]
# The cost first drops from about 2.4 (a random network's, as in chapter 02) to near 0.9
# within the first twenty steps and stays there for about eighty more (too short a stretch to
# see at this scale): 0.9 is about what answering 0.1 for every digit costs, so the network
# has learned that most outputs should be low. Then it learns to tell the digits apart, and the cost falls to about
# 0.05, more and more slowly. How good is the network now? We ask it about the 1,000
# validation digits it has never trained on and count how often its brightest output is the
# right digit.

# %% tags=["nbval-ignore-output"]
with no_grad():
    y_pred = net(X_val).data.argmax(axis=1)  # (N_val, 10) -> (N_val,)
small_acc = float(np.mean(y_pred == y_val))
mnist.source, small_acc

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
assert small_acc > (0.92 if mnist.source == "full" else 0.90)

# %% [markdown]
# On the offline split (trained on 7,000 digits) this network gets **93.6%** of the 1,000
# validation digits right. We have not measured it on the full MNIST: the machines this book is tested on have
# only the offline files. What others report, not what we measured: networks of this kind
# (sigmoid neurons, squared cost, plain SGD) reach about 95% on the full test set when trained
# for many epochs (Michael Nielsen's online book *Neural Networks and Deep Learning*, whose
# 784-30-10 network reaches about 95% after 30 epochs; Grant Sanderson's 3Blue1Brown video
# series on neural networks, which quotes about 96% for 784-16-16-10). Our 6,000 steps are only about 3 epochs of the full set, so
# expect a little less unless you raise `n_steps`. The assert above checks only a
# conservative floor for each set.

# %% [markdown]
# Chapter 01 ended with a digit viewer: a slider picks a digit, and you see it pass through
# the layers of an untrained 784-16-16-10 network, which answered 6 whatever it was shown. It
# promised that the viewer would come back with trained weights. Here it is, the same widget,
# now showing the network we have just trained. Drag the slider: the brightest output neuron
# (red) is now mostly the right digit, and the hidden layers, which stayed near 1/2 before
# training, now light up in patterns that change from digit to digit.
#
# *(A live widget: it answers after **Run → Run All Cells**, and again after each reopening;
# on GitHub you see a still picture.)*

# %% tags=["nbval-ignore-output"]
backprop_widgets.digit_viewer(X_val, y_val, net)

# %% [markdown]
# ## 5. A bigger network
#
# Four changes, all met in earlier chapters, make a much better digit reader: one hidden layer
# of 128 neurons instead of two of 16, **ReLU** neurons instead of sigmoids (chapter 01),
# softmax with the **cross-entropy** cost instead of sigmoid outputs with squared differences
# (chapter 02), and **Adam** instead of plain SGD (chapter 03). The loop is the same loop; only
# the model, the cost and the optimizer change. So do the local slopes the backward pass
# multiplies, but autograd knows each of them: ReLU's is 1 where a neuron is active and 0
# where it is not, and softmax and cross-entropy are built from exp, sums, division and log,
# whose slopes it chains like any others. (That chain gives the slope $p - 1$ for the right
# digit's logit, which chapter 02 stated and checked without deriving it.) 2,000 steps of 64
# images: about 18 epochs of the offline 7,000, about 2 of the full 59,000.

# %% tags=["nbval-ignore-output"]
big_rng = np.random.default_rng(1)  # its own seed, as the small network's
big = MLP([784, 128, 10], big_rng, activation="relu")  # outputs are logits, for cross-entropy
optimizer = Adam(big.parameters(), lr=1e-3)
big_losses, stream = [], batches(X_train, y_train, 64, big_rng)
for _ in progress(range(2000), desc="784-128-10, Adam"):
    X_b, y_b = next(stream)
    loss = cross_entropy(big(X_b), y_b)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    big_losses.append(loss.item())
with no_grad():
    big_pred = big(X_val).data.argmax(axis=1)
    big_train_acc = F.accuracy(big(X_train).data, y_train)
big_acc = float(np.mean(big_pred == y_val))
mnist.source, big_acc, big_train_acc

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
assert big_acc > (0.97 if mnist.source == "full" else 0.93)

# %% [markdown]
# On the offline split it gets about **96%** of the validation digits right (95.9%), and 99.8% of its
# own 7,000 training digits; section 6 comes back to that gap. On the full MNIST, which again we
# could not measure, a 128-neuron ReLU network trained with Adam for about 2 epochs usually
# reaches about 97 to 98%. The assert checks only a floor.
#
# **Exercise 04.5 (write the code).** Autograd did the backward pass through the ReLU neurons
# for us. Do one step of it by hand, as section 3 did for sigmoids. Take a layer whose input
# comes from a layer of ReLU neurons. You get this layer's error `delta` $(B, n_{out})$, its
# input `A_prev` $= \max(0, Z_{prev})$ $(B, n_{in})$, its weights `W` $(n_{out}, n_{in})$ and the
# weighted sums `Z_prev` $(B, n_{in})$ of the ReLU layer below. Return `dW`, `db` and the error
# one layer back, `delta_prev`.


# %% tags=["exercise"]
def relu_layer_backward(delta, A_prev, W, Z_prev): ...  # return dW, db, delta_prev


exercises.check("04.5", relu_layer_backward)

# %% [markdown]
# ## 6. What the networks learned, and what they did not
#
# ### Mistakes
#
# Here are the first 20 validation digits the 784-16-16-10 network got wrong, each labelled
# "true → said". On the offline split some are mistakes a person could make (a scrawled 9
# called an 8, a 7 drawn as a triangle called a 9, a 4 with a closed top called a 9); others
# are plain failures, such as a clear 8 called a 5 and a clear 4 called a 6.

# %%
backprop_widgets.misclassified_figure(X_val, y_val, y_pred)

# %% [markdown]
# ### First-layer weights
#
# Each first-layer neuron has 784 weights, one per pixel, so we can draw them as a 28 x 28
# image: red where a bright pixel raises the neuron's weighted sum, blue where it lowers it.
# Chapter 01 hoped the hidden neurons would learn strokes and edges. For the 16-neuron network
# the honest answer is: not in any way we can see. There are blotches and bands of red and blue,
# more like noise than like parts of digits, and yet the network reads about 94% of the digits.

# %%
plot.weight_images(net.layers[0].W.data, ncols=8, title="784-16-16-10: all 16 neurons")

# %% [markdown]
# The 128-neuron network's weights (the first 32 shown) are smoother: broad red and blue
# regions, a pale frame where the pixels are always blank, but still hardly a stroke. Two of
# them (third row, on the left) are pure speckle: those ReLU neurons are never active on any
# training digit, so their slope was always 0, they never received a gradient and kept their
# random start: "dead" neurons, the price of ReLU that chapter 01 mentioned. The next cell
# counts them among all 128: four. A network that reads digits well has not necessarily learned
# anything we would call a stroke.

# %%
plot.weight_images(big.layers[0].W.data[:32], ncols=8, title="784-128-10: 32 of 128 neurons")

# %%
with no_grad():
    Z1 = big.layers[0](X_train).data  # (7000, 128) the hidden neurons' weighted inputs
dead = int(np.sum(Z1.max(axis=0) <= 0))  # never above 0 on any training digit
dead

# %%
assert dead == 4  # as the text says

# %% [markdown]
# ### It can read digits, but it could never draw one
#
# The network maps an image to ten numbers; nothing in it runs the other way, from "3" to a
# picture of a 3. Worse, it has no way to say "this is not a digit at all". Show it images of
# pure random noise and softmax still hands out probabilities that add up to one, and often
# puts almost all of it on one digit.

# %% tags=["nbval-ignore-output"]
noise = np.random.default_rng(0).uniform(0, 1, size=(1000, 784)).astype(np.float32)  # 1,000 images
with no_grad():
    p_noise = F.softmax(big(noise).data)  # (1000, 10)
    p_digits = F.softmax(big(X_val).data)
sure_of_noise = float(np.mean(p_noise.max(axis=1) > 0.9))
sure_of_noise, np.bincount(p_noise.argmax(axis=1), minlength=10)

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
assert sure_of_noise > 0.8  # most pure-noise images get over 90%

# %% [markdown]
# The figure shows eight noise images with the network's answer and its probability, and, on the
# right, how sure the network is of its answers on real digits (the validation set) and on noise. It is about as
# confident on noise as on digits: on the offline split 947 of the 1,000 noise images get over
# 90%, and 995 of them are called a 2. A classifier's probability is not a measure of whether
# the input makes sense. When a model gives a confident answer that has no basis in its input,
# people call it a **hallucination**; this is its simplest form, and chapter 08 meets it again
# in a language model that invents words.

# %%
backprop_widgets.noise_figure(noise, p_noise, p_digits)

# %% [markdown]
# ### Draw your own digit
#
# Noise is an unfair test; a digit in your own hand is a fair one. But a drawing cannot go into
# the network as it is. Every MNIST digit was prepared in the same way before anyone trained on
# it, and the network has never seen anything else. It was scaled so that its longer side is
# 20 pixels, keeping its shape; it was put in a 28 x 28 field; and it was moved so that the centre
# of mass of its ink (the average position of the ink, each pixel weighted by its grey level)
# sits in the middle of the field, at pixel (14, 14). A drawing that fills the canvas, or sits in
# one corner of it, would look to the network like nothing it has learned. So a drawing goes
# through the same steps, each a few lines of numpy in `nnlib.drawing`:
#
# 1. turn the strokes (the points the mouse passed through) into a grey image of the canvas,
#    ink 1 and paper 0;
# 2. crop it to the smallest rectangle that holds all the ink;
# 3. scale it so that the longer side is 20 pixels. Each new pixel is the average of the
#    canvas pixels it covers, which gives the soft grey edges MNIST's digits have;
# 4. paste it into the middle of a black 28 x 28 image;
# 5. shift it by whole pixels so that its centre of mass lands within half a pixel of (14, 14).
#
# Here are the steps for a 3 drawn in code as two arcs (a stand-in for a hand), and the answer of
# the bigger network of section 5. We use that one because it reads digits better than the
# small one, and because its softmax gives ten probabilities that add up to one, so "how sure"
# is a single number we can read off the bars.

# %%
three = drawing.example_three()  # two strokes, each a list of [x, y] points on a 280 x 280 canvas
steps = drawing.mnist_steps(three)
center = np.round(drawing.center_of_mass(steps["centered"]), 2)  # (row, column) of the ink
steps["cropped"].shape, steps["scaled"].shape, center

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
assert max(steps["scaled"].shape) == 20 and steps["centered"].shape == (28, 28)
assert np.allclose(drawing.center_of_mass(steps["centered"]), 14, atol=0.5)
assert 0 <= steps["x"].min() and steps["x"].max() <= 1

# %% tags=["nbval-ignore-output"]
p_three = backprop.digit_probabilities(big, steps["x"])
int(p_three.argmax()), round(float(p_three.max()), 2)

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
assert p_three.argmax() == 3

# %% [markdown]
# The figure shows each step, then the ten probabilities with the highest one in red. Step 3 is
# where the drawing starts to look like an MNIST digit: the canvas had 280 x 280 pixels, the
# network sees 20 pixels of height, and the smooth curves become a few grey blocks.

# %%
backprop_widgets.drawing_figure(steps, p_three)

# %% [markdown]
# Now it is your turn. The panel below starts with the same 3. Press **Clear**, then draw a digit
# with the mouse (or a finger on a touch screen), as large as you like and anywhere on the
# black square: the five steps and the bars follow your pen. Try each digit. Then try things
# that are not digits at all: a scribble, a letter, a single dot, an empty canvas. What we
# expect: the network always answers with one of its ten digits, and often with a high
# probability, because that is all it can do.
#
# *(A live widget: it answers after **Run → Run All Cells**, and again after each reopening;
# on GitHub you see a still picture.)*

# %% tags=["nbval-ignore-output"]
backprop_widgets.drawing_panel(big)

# %% [markdown]
# We can test the expectation without a mouse: 25 random points joined by one stroke (a
# scribble), and an empty canvas, which the steps leave as a black image.

# %% tags=["nbval-ignore-output"]
scribble = [rng.uniform(30, 250, size=(25, 2)).tolist()]  # one stroke through 25 random points
p_scribble = backprop.digit_probabilities(big, drawing.mnist_steps(scribble)["x"])
p_empty = backprop.digit_probabilities(big, drawing.mnist_steps([])["x"])
[(int(p.argmax()), round(float(p.max()), 2)) for p in (p_scribble, p_empty)]  # (digit, p)

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
assert np.isclose(p_scribble.sum(), 1) and np.isclose(p_empty.sum(), 1)
assert p_scribble.max() > 0.9  # a scribble gets one digit, and the network is sure of it

# %% [markdown]
# On the offline split the scribble is called a 4, with a probability of 0.98: the
# network has no answer for "this is not a digit", so it gives one of its ten, and is sure.
# The empty canvas is the one case where it hesitates: every digit gets a small share and the
# top one, 7, only 0.16. That is not good sense either. A black image switches off every
# pixel's weight, so all that reaches the outputs is what the biases make: the first layer's
# biases switch some hidden neurons on, and the second layer turns them into ten scores that
# happen to be nearly balanced. Draw a single dot and see what that does to the answer.

# %% [markdown]
# ### What the network thinks a 3 looks like
#
# If the network knows what a 3 is, can we ask it to show us one? Training changed the weights
# to lower the cost of the right answers. We can turn that around: keep the weights fixed and
# change the *pixels* to lower the cost $-\log p_3$, the cross-entropy of the answer "3". The
# gradient of the cost with respect to the pixels comes from the same backward pass as before,
# carried one layer further, into the input; autograd computes it if the image is a Tensor.
# Starting from faint random pixels, we take 200 steps
# $x \leftarrow x - \alpha\, \partial L / \partial x$ with $\alpha = 0.02$, keeping every pixel
# in [0, 1]. Going down the cost $-\log p_3$ is the same as climbing $p_3$, so this is
# called **gradient ascent** on the input
# (`backprop.dream`). To judge the result, we compare it with the average of all the 3s in the
# training set: `np.corrcoef` gives the correlation of two images, 1 for the same pattern of
# light and dark, 0 for patterns that have nothing in common.

# %% tags=["nbval-ignore-output"]
dreamed = backprop.dream(big, 3, np.random.default_rng(0), n_steps=200, lr=0.02)  # its own seed
mean_three = X_train[y_train == 3].mean(axis=0)  # (784,) the average 3 it trained on
threes = X_val[y_val == 3][:100]  # real 3s it has not trained on
like_mean = float(np.corrcoef(dreamed["x"], mean_three)[0, 1])
real_like_mean = float(np.mean([np.corrcoef(x, mean_three)[0, 1] for x in threes]))
change = np.abs(dreamed["x"] - dreamed["x_start"]).mean()  # how far the pixels moved, on average
[round(float(v), 3) for v in (dreamed["p"][0], dreamed["p"][-1], change, like_mean, real_like_mean)]

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
assert dreamed["p"][0] < 0.5 and dreamed["p"][-1] > 0.99  # from unsure to certain of "3"
assert like_mean < real_like_mean - 0.3  # far less like the average 3 than real 3s are

# %% [markdown]
# On the offline split $p_3$ climbs from 0.10 to 0.99 in 200 steps, most of the way within
# the first 20. Yet the pixels moved by only about 0.025 on average, and the figure shows why
# nothing like a 3 appeared: the image at the end (second panel) looks like the faint noise it
# started from (first panel). The change (third panel, red where pixels got brighter, blue
# where they got darker) is speckle, densest near the edge of the field, where real digits
# hardly ever have ink, and there is no 3-shaped stroke in it. Its correlation with the
# average 3 is 0.20, where real 3s score 0.69. The network is about as certain of this image
# as of a typical real 3, and it looks like nothing. What the network learned is a weighting of 784
# pixels that comes out large for the 3s it was trained on; many images that are nothing like a
# 3 make it large too, and gradient ascent finds one of them in a few steps. This is the same
# weakness as the confident answers on noise, seen from the other side: the network can read,
# and what it knows cannot be run backwards into a drawing.

# %%
backprop_widgets.dream_figure(dreamed, 3, mean_three)

# %% [markdown]
# ### Training accuracy against validation accuracy: overfitting
#
# The bigger network got nearly all of its training digits right but only about 96% of the validation
# digits.
# The difference shows most clearly when there is little training data. We train a 784-32-10
# sigmoid network on only 1,000 training digits for 30 epochs (`backprop.quick_train` runs
# section 4's SGD loop with section 3's hand-written backprop) and measure, after each epoch,
# its accuracy on those digits and on the 1,000 validation digits.

# %% tags=["nbval-ignore-output"]
history = backprop.quick_train(
    mnist.X_train[:1000], mnist.y_train[:1000], X_val, y_val,
    [784, 32, 10], lr=3.0, batch_size=16, epochs=30, rng=np.random.default_rng(0),
)  # fmt: skip
history["train_acc"][-1], history["val_acc"][-1]

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
assert history["train_acc"][-1] - history["val_acc"][-1] > 0.05

# %% [markdown]
# Training accuracy climbs to about 99%, while validation accuracy stops near 89% after ten epochs
# and stays there. The shaded gap is **overfitting**: past some point the network learns
# details of its 1,000 particular images, not of digits in general. More data narrows the gap;
# with the full 60,000 training digits it is expected to shrink to a point or two for networks
# this small (not measured here).

# %%
backprop_widgets.train_val_figure(history, "784-32-10 trained on 1,000 digits")

# %% [markdown]
# ### Vanishing gradients
#
# Why did the bigger network use ReLU? Look at the backward pass again: every layer back,
# the error is multiplied by $\sigma'(z)$, and the sigmoid's slope is at most $1/4$. Through many
# layers those factors compound. We build a deep network, 8 hidden layers of 32 neurons, once
# with sigmoids and once with ReLU (the same way of drawing the first weights), run one batch of 256 digits forward and
# backward, and measure the size (the norm) of $\partial L/\partial W$ in each layer.
#
# **Exercise 04.6 (predict, then run).** For the sigmoid network, the first layer's gradient
# norm divided by the last layer's: about how large is it? Enter a number such as `1e-2`. (The
# cell after the check shows the base-10 logarithm of this ratio first: $-2$ would mean
# $10^{-2}$.)

# %% tags=["exercise"]
prediction_shrink = None  # a number, such as 1e-2

exercises.check("04.6", prediction_shrink)

# %%
X_256 = X_train[:256].astype(np.float64)
depth_rng = np.random.default_rng(0)  # the figure script draws the same two networks
norms_sigmoid = backprop.gradient_norms_by_layer("sigmoid", X_256, y_train[:256], depth_rng)
norms_relu = backprop.gradient_norms_by_layer("relu", X_256, y_train[:256], depth_rng)
shrink = norms_sigmoid[0] / norms_sigmoid[-1], norms_relu[0] / norms_relu[-1]
assert shrink[0] < 1e-4 and shrink[1] > 0.1
np.round(np.log10(shrink), 1)

# %% [markdown]
# With sigmoids the first layer's gradient is about six orders of magnitude (a factor of a
# million) smaller than the last layer's: with the same learning rate, the early layers barely
# learn. With ReLU, whose slope is 1 wherever a neuron is active, the gradient stays within a
# factor of ten of the same size through all nine layers. The y axis of the figure is logarithmic: each grid line is a factor
# of ten.

# %%
backprop_widgets.vanishing_figure(norms_sigmoid, norms_relu)

# %% [markdown]
# ## 7. Hyperparameters
#
# The sizes of the layers, the learning rate, the batch size and the number of epochs are not
# learned by gradient descent; we choose them. They are called **hyperparameters**, and there is
# no formula for the best ones: people try settings and compare how well each trained network
# does on digits it has not trained on.
#
# On which digits? Not the test digits. Every time we pick the setting that does best on a
# set of digits, we fit our choices a little to those particular digits, just as training fits
# the weights to the training digits. After fifty tries, the best test accuracy flatters the
# network: it is partly luck we selected for. So the digits are split three ways: the
# **training set** to fit the weights, a **validation set** (held out of the training digits)
# to compare settings, and the **test set**, touched once, at the very end, with the chosen
# settings, to say honestly how well the network reads digits it has never met. That is why
# sections 4 to 6 looked only at validation digits. (The settings of sections 4 and 5 are the
# book's, fixed before any test digit was used; if you tune them, tune them on the
# validation set.)
#
# The panel below lets you tune on a small scale. It trains a 784-n-10 sigmoid network with our
# hand-written backprop on 2,000 training digits and draws training and validation accuracy
# per epoch (on 1,000 held-out validation digits; `backprop.small_data()` gives both), like the overfitting
# figure above. Each time you release a slider (or pick a batch size) it trains
# anew, which takes about a second, and always from the same seed, so the same settings give
# the same curves.
#
# Things to try:
#
# - Learning rate: at 0.01 nothing happens in 8 epochs; between 1 and 3 it learns quickly;
#   from about 6 up the first steps are so large that the sigmoids saturate (their slope is
#   nearly 0, chapter 01) and the network stays stuck near chance (10% to 20%).
# - Hidden neurons: with 4 the network cannot fit even its training set (about 70%): it is
#   too small for the task, which is called **underfitting**, the opposite of overfitting; with 64,
#   a learning rate of 3 is already too large and it learns slowly; at 1 it learns well.
# - Batch size: small batches take more, noisier steps per epoch; 256 takes only 8 steps per
#   epoch and needs more epochs (at 3, about 50% after 8 epochs and 80% after 12), and a
#   larger learning rate only gets it stuck.
#
# *(A live widget: it answers after **Run → Run All Cells**, and again after each reopening;
# on GitHub you see a still picture.)*

# %% tags=["nbval-ignore-output"]
backprop_widgets.hyperparameter_panel()

# %% [markdown]
# A printed case of the second point, so it does not depend on the panel: four hidden neurons
# against 32, trained alike on the panel's 2,000 digits for 8 epochs. A network too small for
# the task is poor on its training digits too; that is **underfitting**. (Overfitting is the
# opposite: good on the training digits, worse on the others.)

# %%
X_2k, y_2k, X_1k, y_1k = backprop.small_data()  # 2,000 training digits, 1,000 validation digits
fits = {
    n: backprop.quick_train(X_2k, y_2k, X_1k, y_1k, [784, n, 10], 3.0, 32, 8,
                            np.random.default_rng(0))
    for n in (4, 32)
}  # fmt: skip
{n: (h["train_acc"][-1], h["val_acc"][-1]) for n, h in fits.items()}

# %%
assert fits[4]["train_acc"][-1] < 0.8 < fits[32]["train_acc"][-1]  # 4 neurons underfit

# %% [markdown]
# **Exercise 04.7 (write the code).** A colleague tried several settings with the panel's
# recipe and, to be thorough, measured every trained network on all three sets. `results` maps
# the name of each setting to its accuracies (the numbers of the check are invented), for
# example `{"lr 3, 32 hidden": {"train_acc": 0.95, "val_acc": 0.915, "test_acc": 0.90}, ...}`.
# Write `choose_setting(results)`: return the name of the setting you keep.


# %% tags=["exercise"]
def choose_setting(results): ...  # return the name of one setting, a key of results


exercises.check("04.7", choose_setting)

# %% [markdown]
# ### The test set, once
#
# Everything is chosen. Now, and only now, we open the test set and measure each finished
# network on it, once. These are the numbers to report; if we went back and changed anything
# because of them, they would stop being honest, and we would need a fresh test set.

# %% tags=["nbval-ignore-output"]
with no_grad():
    test_small = F.accuracy(net(mnist.X_test).data, mnist.y_test)
    test_big = F.accuracy(big(mnist.X_test).data, mnist.y_test)
len(mnist.X_test), test_small, test_big

# %%
assert test_small > (0.92 if mnist.source == "full" else 0.90)
assert test_big > (0.97 if mnist.source == "full" else 0.92)

# %% [markdown]
# On the 2,000 test digits of the offline split, the 784-16-16-10 network reads 91.9% and the
# 784-128-10 network 94.0%: a point or two below what the 1,000 validation digits said (93.6%
# and 95.9%). Sets of a thousand or two digits differ by about that much by chance, and these
# are the numbers to quote.

# %% [markdown]
# ## Summary
#
# - The chain rule multiplies the slopes of the links between a weight and the cost:
#   $\partial C/\partial w = a_k\, \sigma'(z_j)\, 2(a_j - y_j)$ for a last-layer weight, as
#   finite differences confirm.
# - An output activation rises by changing the previous activations (in proportion to the
#   weights), the weights (in proportion to the previous activations: the most active neurons'
#   connections change most) or the bias.
# - Backpropagation applies this layer by layer: the output error
#   $\delta = \partial L/\partial A \odot \sigma'(Z)$, then $\partial L/\partial W = \delta^T A_{prev}$,
#   $\partial L/\partial b = \sum \delta$, and $\delta_{prev} = (\delta W) \odot \sigma'(Z_{prev})$,
#   for a whole mini-batch at once. Our few lines agree with nnlib's autograd and with finite
#   differences to better than one part in a million.
# - Trained with mini-batch SGD, the 784-16-16-10 network reads 91.9% of the test digits on
#   the offline split (about 95% expected with the full MNIST and longer training); a
#   784-128-10 ReLU network with cross-entropy and Adam reads 94.0% (97 to 98% expected on the
#   full set). Neither full-MNIST figure was measured here.
# - A drawn digit must be prepared as MNIST's were (crop, longer side 20 pixels, 28 x 28, centre
#   of mass in the middle) before the network can read it; a scribble still gets a confident
#   digit, and gradient ascent on the input finds noise that the network is sure is a 3.
# - The networks do not draw, do not know when an input is not a digit (confident on noise: a
#   hallucination), overfit small training sets (a network too small underfits instead), and
#   deep sigmoid networks suffer from vanishing gradients, one reason ReLU replaced the sigmoid.
# - Settings are compared on a validation set held out of the training digits; the test set
#   is measured once, at the end, so that its number stays an honest estimate.
#
# Terms from this chapter are in the [glossary](00_glossary.ipynb). Chapters 06 to 08 build on
# exactly this machinery: the GPT of chapter 08 is trained with the same `loss.backward()` and
# the same kind of loop, on text instead of digits. But first, [chapter 05](05_autograd.ipynb)
# opens that `loss.backward()` and has you build it yourself.
