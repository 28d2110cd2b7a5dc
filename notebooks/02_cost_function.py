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
# # 02 The cost function
#
# In chapter 01 we built a network of neurons: each neuron takes a weighted sum of the
# activations before it, adds a bias and squashes the result, and the 784-16-16-10 network
# turns the 784 pixels of a digit into ten output activations, whose brightest one is the
# network's answer. With weights and biases chosen at random, that answer is nonsense.
#
# Before a network can learn, it needs to be told *how wrong* it is, as a single number it
# can try to make smaller. That number is the **cost** (also called the **loss**). This is
# where supervised learning begins: every training image comes with its label, the right
# answer, and the cost compares the network's answers with those labels. By the end of this
# chapter you will be able to
#
# 1. compute the cost of one example by hand, for a digit 3 and a random network;
# 2. average it over the training set, and explain why it is a function of all 13,002
#    weights and biases rather than of the image;
# 3. say why a random network's cost is so high, by comparing it with trivial answers;
# 4. read the cost of a tiny network as a landscape over two of its parameters;
# 5. compute softmax and cross-entropy, the cost used for classification in practice, and
#    explain why it learns faster than squared differences when the network is confidently
#    wrong.
#
# The next chapter uses the cost to improve the network, step by step, downhill.
#
# Along the way there are six **exercises**: predict what a cell will show, write a few lines
# of code, or find something with a slider. Each has a check that says at once whether you are
# right and, if not, what the likely mistake is. Stuck? Run `exercises.hint("02.1")` (with the
# exercise's number) in a new cell: one more hint each time.

# %%
# %matplotlib inline
import warnings

import numpy as np

from nnlib import functional as F
from nnlib import plot
from nnlib.chapters import ch02_cost_function as cost
from nnlib.data import OfflineMNISTWarning, load_mnist
from nnlib.exercises import ch02_cost_function as exercises
from nnlib.layers import MLP, count_parameters
from nnlib.tensor import no_grad
from nnlib.widgets import ch02_cost_function as cost_widgets

rng = np.random.default_rng(0)

# %% [markdown]
# ## What the network should have said
#
# Each training image comes with a **label**: the digit it shows. To compare the label with
# the ten output activations we write it the way we would like the output layer to look: a 1
# on the neuron of the right digit and a 0 on the nine others. This vector is called the
# label's **one-hot** encoding ("one" entry is "hot"). For a 3 it is 0, 0, 0, 1, 0, 0, 0, 0, 0, 0.

# %%
y = np.zeros(10)
y[3] = 1.0  # the desired output for a 3
assert np.array_equal(y, F.one_hot(3, 10))  # nnlib builds the same vector
y

# %% [markdown]
# Now the network. We load the MNIST digits (each image is a row of 784 brightnesses between
# 0 and 1) and build chapter 01's `MLP` with random weights and biases, sigmoid neurons in
# every layer, including the ten outputs. This time we use the *training* digits. As in
# chapter 01, if the 60,000 of them are not on your machine, `load_mnist` splits the 10,000
# test digits that ship with the book into 8,000 for training and 2,000 for testing; the
# numbers below then differ slightly from a run with the full set, and the text gives both.

# %%
with warnings.catch_warnings():
    warnings.simplefilter("ignore", OfflineMNISTWarning)  # the text above explains it
    mnist = load_mnist()
X, labels = mnist.X_train, mnist.y_train  # (P, 784), (P,)
net = MLP([784, 16, 16, 10], rng, activation="sigmoid", final_activation="sigmoid")
X.shape, labels.shape

# %% [markdown]
# Take the first image of a 3 in the training set, and look at it and at the network's ten
# outputs.

# %%
x = X[np.flatnonzero(labels == 3)[0]]  # (784,) the first 3
plot.digit_grid(x[None], labels=["label 3"])

# %% tags=["nbval-ignore-output"]
with no_grad():
    a = net(x).data  # (784,) -> (10,) output activations
a.round(3)

# %% [markdown]
# Every output sits somewhere around 0.5, and nothing singles out the 3. A random
# network has no opinion, so it says "maybe" to every digit. (The exact numbers depend on
# which MNIST set you have, so the notebook checks the claim rather than the digits.)

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
assert a.shape == (10,) and np.all((0.2 < a) & (a < 0.8))  # "maybe" to every digit

# %% [markdown]
# ## The cost of one example
#
# How far is this from what we wanted? Take each output neuron k, subtract what it should
# have been, and square the difference: $(a_k - y_k)^2$. Squaring makes every difference count
# as positive (too bright and too dark are both wrong) and punishes a big miss much more than
# a small one: a miss of 0.9 costs 0.81, a miss of 0.1 only 0.01. Adding the ten squares gives
# the **cost of this example**:
#
# $$L_p = \sum_{k=0}^{9} (a_k - y_k)^2 .$$
#
# It is 0 only when the outputs equal the desired ones exactly, and it grows the further they
# are. Here are the ten differences, their squares and their sum, in plain numpy.

# %% tags=["nbval-ignore-output"]
differences = a - y  # (10,)
squares = differences**2  # (10,)
L_3 = squares.sum()  # one number
differences.round(3), squares.round(3), float(L_3)

# %% [markdown]
# nnlib's `F.mse` (for "mean squared error") computes the same sum of squares for each example
# and averages over the examples it is given. One example in a batch of one must give our
# number; `cost.example_cost` is the tested version of the three lines above.

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
assert np.isclose(F.mse(a[None], y[None]), L_3)  # a batch of one example: (1, 10)
assert np.isclose(cost.example_cost(a, y), L_3)
assert 1.0 < L_3 < 5.0  # a random network: far from the 0 of a perfect answer

# %% [markdown]
# **Exercise 02.1 (write the code).** Write `example_cost(a, y)` yourself, so that it works for
# one example and for a batch: `a` and `y` of shape (10,) give one number; of shape (B, 10),
# one row per example, they give B numbers, one cost per example. The check tries both, and a
# perfect answer.


# %% tags=["exercise"]
def example_cost(a, y): ...  # return sum_k (a_k - y_k)^2 for each example


exercises.check("02.1", example_cost)

# %% [markdown]
# The figure shows the same numbers. Left: the network's outputs (bars; the 3's in green)
# and the desired ones (black marks: 1 at the 3, 0 elsewhere). Right: the squared
# differences. The 3 adds about 0.3, because its output is only about halfway to 1; each of
# the nine wrong digits adds about a quarter, because each is about 0.5 where it should be
# 0. Nine moderate misses add up: most of this cost comes from the outputs that should be dark.

# %%
cost_widgets.one_example_figure(a, y, title="a random network on a 3")

# %% [markdown]
# ## The cost over the training data
#
# One example says little: a network could be right about this 3 and wrong about every 7.
# So we average the cost over all P training examples, numbered p = 1 to P. Writing $a_p$
# for the network's ten outputs on example p and $y_p$ for the one-hot vector of its label,
#
# $$L = \frac{1}{P} \sum_{p=1}^{P} (a_p - y_p)^2 ,$$
#
# where the square of a vector means: square each of its 10 entries and add them up, exactly
# as for the 3. (In code the outputs are `A`, one row per example, and the one-hot labels `Y`.)
#
# You may meet this formula with other letters, for example as
# $L = \frac{1}{P} \sum_{p=1}^{P} (y_p - \ell_p)^2$, where $y_p$ stands for the network's
# output and $\ell_p$ for the label. It is the same cost. This book keeps $y$ for the label,
# the answer we want, and writes the network's output as $a_p$ (or $\hat y_p$, "y hat", the
# network's guess at $y$), so their $y_p$ is our $a_p$ and their $\ell_p$ is our $y_p$.
# Squaring makes the order of the difference irrelevant: $(a - y)^2 = (y - a)^2$.
# [The notation](00_notation.ipynb) lists both.
#
# Numpy does all examples at once: the network takes a whole matrix of images, one per row.

# %% tags=["nbval-ignore-output"]
Y = F.one_hot(labels, 10)  # (P,) -> (P, 10)
with no_grad():
    A = net(X).data  # (P, 784) -> (P, 10)
L = ((A - Y) ** 2).sum(axis=1).mean()  # sum over the 10 outputs, average over the P examples
P = len(X)
P, float(L)

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
assert np.isclose(L, F.mse(A, Y), rtol=1e-6)  # nnlib's mse: the same formula
assert np.isclose(L, F.mse(A, labels), rtol=1e-6)  # it also accepts integer labels
y_theirs, ell = A, Y  # other books' letters: y for the output, ell for the label
assert np.isclose(L, ((y_theirs - ell) ** 2).sum(axis=1).mean())  # the same cost
assert np.allclose((A - Y) ** 2, (Y - A) ** 2)  # the order inside the square does not matter
assert 2.0 < L < 2.7  # a random sigmoid network is about 2.35 on either MNIST set

# %% [markdown]
# The average cost of this random network is about 2.35: 2.346 on the 8,000 offline training
# digits, and 2.343 on the 2,000 others. The random network's outputs hardly depend on the
# image, so the full 60,000 give nearly the same. That is one number for the whole network on
# the whole training set: the network's score, where lower is better.

# %% [markdown]
# ## Two different functions
#
# It is worth being precise about what depends on what, because the next two chapters rest
# on it.
#
# | | the network | the cost |
# |---|---|---|
# | input | 784 pixel brightnesses of one image | 13,002 weights and biases |
# | output | 10 activations | 1 number |
# | held fixed | the 13,002 weights and biases | the P training images and labels |
# | question it answers | which digit is this? | how bad are these weights and biases? |
#
# The network is a function of the image, with its parameters fixed. The cost turns this
# around: it fixes the data and asks how good the parameters are, so it is a function of all
# 13,002 of them. Each of the three layers brings a weight matrix W of shape (n_out, n_in)
# and n_out biases:

# %%
sizes = [784, 16, 16, 10]
per_layer = [(n_out * n_in, n_out) for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
n_params = count_parameters(sizes)
assert n_params == net.n_params() == 13_002
per_layer, n_params

# %% [markdown]
# To see the cost as a function of the parameters, change some of them and measure again, on
# the same images. Here we set the ten output biases to -2, which makes every output neuron
# dimmer, and leave the other 12,992 parameters alone.


# %%
def cost_of(net):
    """L for the training data above, at the network's current weights and biases."""
    with no_grad():
        return F.mse(net(X).data, Y)


b_out = net.layers[4].b  # the 10 biases of the output layer, a Tensor
saved = b_out.data.copy()
b_out.data[:] = -2.0
L_dim = cost_of(net)
b_out.data[:] = saved  # put the random biases back

# %% tags=["nbval-ignore-output"]
L_dim

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
assert L_dim < 0.5 * L  # ten of 13,002 numbers changed, and the cost fell by more than half

# %% [markdown]
# Changing ten numbers more than halved the cost (to about 0.9), without making the network
# any better at telling digits apart: it simply says "no" more quietly to every digit, and
# nine out of ten answers should be "no". Finding the settings of all 13,002 numbers that
# make L small is what learning means; chapter 03 does it.

# %% [markdown]
# ## Why a random network's cost is high
#
# What does a cost of 2.35 mean? Compare it with networks we can work out on paper.
#
# - **A perfect network** outputs exactly the one-hot vector for every image: every squared
#   difference is 0, so L = 0.
# - **A network that always answers c on every output**, whatever the image. One output
#   should be 1 and costs $(1 - c)^2$; nine should be 0 and cost $c^2$ each, so every
#   example costs $(1 - c)^2 + 9c^2$, and so does the average. Always 0 gives 1.0; always 0.5
#   gives 2.5. The best constant is c = 0.1 (one digit in ten is right), with cost 0.81 + 0.09 = 0.9.
#
# Our random network outputs about 0.5 everywhere, so it lands near the constant 0.5: worse
# than answering 0 to everything. Its cost is high not because it picks the wrong digit (a
# constant answer never picks any digit) but because it is loudly unsure about all ten.
#
# **Exercise 02.2 (predict, then run).** A network that always answers 1, on every output and
# for every image: what is its cost? The next cell computes it as the last of four constant
# answers; predict first.

# %% tags=["exercise"]
prediction_always_one = None  # a number

exercises.check("02.2", prediction_always_one)

# %%
c = np.linspace(0, 1, 101)
best_c = c[np.argmin(cost.constant_answer_cost(c))]
assert np.isclose(best_c, 0.1) and np.isclose(cost.constant_answer_cost(0.1), 0.9)
assert np.isclose(F.mse(np.full_like(Y, 0.1), Y), 0.9)  # the same on the real labels
float(best_c), cost.constant_answer_cost([0.0, 0.1, 0.5, 1.0])

# %% [markdown]
# The bar chart puts them side by side (the tallest bar is drawn in red). What to see: the
# random network sits next to "always 0.5", and costs more than twice as much as the lazy
# answer "always 0.1", which knows nothing about the image.

# %%
plot.bars(
    ["random network", "always 0.5", "always 0", "always 0.1", "perfect"],
    [L, *cost.constant_answer_cost([0.5, 0.0, 0.1]), 0.0],
    title="average cost L on the training digits",
    size=(6.5, 2.8),
)

# %% [markdown]
# ## A cost landscape you can see
#
# A function of 13,002 numbers cannot be drawn. A function of two can: give each value of
# the two parameters a point on a map and color the point by the cost there. This picture is
# called the **cost landscape**; low cost is a valley, high cost a hill. Learning means
# walking downhill in it.
#
# To draw one, we shrink the problem. The inputs are single numbers x between -3 and 3, and
# the label is 1 for x between -1 and 1 and 0 outside, except that about one label in ten is
# flipped, as real data have mistakes. The network has one input, two sigmoid hidden neurons
# and one sigmoid output (a 1-2-1 network), so it has 4 weights and 3 biases: seven
# parameters. Its cost is the same average of squared differences, over 40 points.
#
# The parameters' names: w1[0] and b1[0] are the weight and bias of the first hidden neuron,
# w1[1] and b1[1] those of the second; w2[0] and w2[1] are the output neuron's weights from
# the two hidden neurons, and b2 is its bias. A good setting, worked out by hand: the first
# hidden neuron switches on where x passes -1, the second where x passes +1, and the output
# neuron fires when the first is on and the second is not, that is, between -1 and 1.

# %%
x_tiny, y_tiny = cost.tiny_data(rng)  # 40 inputs and their labels (0 or 1)
theta = cost.TINY_GOOD_THETA  # the good setting of the seven parameters
(
    dict(zip(cost.TINY_PARAM_NAMES, theta.tolist(), strict=True)),
    float(cost.tiny_cost(theta, x_tiny, y_tiny)),
)

# %% [markdown]
# We keep five parameters at that good setting and vary two: the output neuron's first
# weight w2[0] and its bias b2, each over 81 values from -12 to 12. `cost.cost_landscape`
# evaluates the cost at all 81 x 81 = 6,561 settings in one vectorised numpy call.
#
# What to see in the figure: on the left the landscape (dark is low cost; the star marks the
# lowest point of this slice), with a long curved valley. On the right, the data and what the
# network computes at the red dot: a bump over the points labelled 1. Moving the dot out of
# the valley would flatten the bump or lift the whole curve, and the cost would rise.

# %%
cost_widgets.landscape_figure(x_tiny, y_tiny, i=4, j=6, value_i=3.0, value_j=-1.0)

# %% [markdown]
# Now explore it yourself. Choose which two of the seven parameters to put on the axes with
# the dropdowns (the other five stay at the good setting), then drag the sliders and watch
# the red dot move on the landscape, the network's curve change on the right, and the cost
# printed above it. Try to find the valley floor by hand; try a parameter pair whose
# landscape has flat plateaus, where moving a parameter changes almost nothing.
#
# *(A live widget: it answers after **Run → Run All Cells**, and again after each reopening;
# on GitHub you see a still picture.)*

# %% tags=["nbval-ignore-output"]
cost_widgets.landscape_explorer(x_tiny, y_tiny)

# %% [markdown]
# ## Softmax and cross-entropy
#
# Squared differences are easy to understand, but for choosing one of ten classes practice
# uses a different cost. It needs two new ideas.
#
# **Logits.** Drop the sigmoid on the output layer and keep the raw weighted sums z, one per
# digit. These scores are called **logits**: any real numbers, bigger meaning "more likely".
#
# **Softmax.** To turn ten logits into ten probabilities (positive, adding up to 1), raise e
# to each one and divide by the total:
#
# $$p_k = \frac{e^{z_k}}{\sum_j e^{z_j}} .$$
#
# The exponential makes every score positive and keeps their order; dividing by the sum makes
# them add to 1. Subtracting the largest logit from all of them first changes nothing in the
# result but keeps e^z from overflowing.

# %%
z = np.array([2.0, -1.0, 0.5, 3.0, 0.0, -2.0, 1.0, 0.0, 1.5, -0.5])  # ten logits
e = np.exp(z - z.max())  # subtracting the max: same p, no overflow
p = e / e.sum()
assert np.allclose(p, F.softmax(z)) and np.isclose(p.sum(), 1.0)
p.round(3)

# %% [markdown]
# **Exercise 02.3 (write the code).** Write softmax as a function that also takes a batch of
# logits, shape (B, K), one example per row, and returns each row's probabilities. The check
# feeds it logits as large as 1000 and as small as -1000; without the subtraction, $e^{1000}$
# is too large for a float.


# %% tags=["exercise"]
def my_softmax(z): ...  # return probabilities of the same shape, each row adding up to 1


exercises.check("02.3", my_softmax)

# %% [markdown]
# **Cross-entropy.** If the right digit is 3, a good network gives $p_3$ close to 1. The
# cross-entropy cost of the example is
#
# $$-\log p_{\text{right}} ,$$
#
# minus the logarithm of the probability the network gives the right answer. (Here log is
# the natural logarithm, the inverse of $e^x$, numpy's `np.log`: $\log 1 = 0$, and the log
# of a number between 0 and 1 is negative, so the cost is never negative.) When p_right is
# 1 the cost is 0; at 0.5 it is 0.69; at 0.1 it is 2.3; and as p_right falls toward 0 the cost
# grows without limit. It looks only at the right class: the probabilities of the wrong ones
# matter only through the share they take away from it. Averaging over examples gives the
# cost of the training set.

# %%
L_ce_3 = -np.log(p[3])  # the logits above, if the image is a 3
assert np.isclose(L_ce_3, F.cross_entropy(z[None], np.array([3])))
float(L_ce_3)

# %% [markdown]
# Our random network, with its final sigmoid removed so that it outputs logits (`net[:-1]`
# is the same network without its last layer, the sigmoid), gives each digit roughly a tenth
# of the probability. Its cross-entropy is therefore near
# $-\log 0.1 = \log 10 \approx 2.30$, the cost of pure guessing.

# %% tags=["nbval-ignore-output"]
with no_grad():
    Z = net[:-1](X).data  # (P, 784) -> (P, 10) logits: the same weights, no final sigmoid
probs = F.softmax(Z)  # (P, 10) probabilities
L_ce = -np.log(probs[np.arange(P), labels]).mean()  # -log p of each right digit, averaged
round(float(L_ce), 4)  # float32: four digits are all it holds reliably

# %%
# Check: the book tests what the text above claims; this cell shows nothing when it holds.
assert np.isclose(L_ce, F.cross_entropy(Z, labels), rtol=1e-5)
assert abs(L_ce - np.log(10)) < 0.2  # about 2.33 on either MNIST set: close to guessing

# %% [markdown]
# ## Why cross-entropy learns faster: the slope when confidently wrong
#
# Chapter 03 will improve a network by nudging each parameter in the direction that lowers
# the cost, by an amount proportional to the **slope**: how much the cost changes for a small
# nudge. A cost whose slope is near zero barely pushes, even when the answer is badly wrong.
#
# Look at one example and its right output neuron, with weighted input z, and compare:
#
# - **squared differences on a sigmoid output**: a = σ(z) and the cost is $(a - 1)^2$.
#   Nudging z by a small amount moves a by $σ'(z)$ times that amount (chapter 01's slope,
#   $σ'(z) = a(1 - a)$), and moving a changes the cost by $2(a - 1)$ times the move (the
#   slope of the parabola $(a - 1)^2$). Slopes of steps done one after the other multiply, so
#   the cost's slope with respect to z is $2(a - 1) \cdot a(1 - a) = -2a(1 - a)^2$, which
#   goes to 0 as a goes to 0.
# - **cross-entropy on a softmax output**: the cost is $-\log p$, and its slope with respect
#   to the right logit works out to $p - 1$ (we check it below rather than derive it), which
#   goes to -1 as p goes to 0.
#
# **Exercise 02.4 (write the code).** Turn the first formula into code: write
# `squared_cost_slope(z)`, the slope of $(\sigma(z) - 1)^2$ with respect to z, for a number or
# an array of them.


# %% tags=["exercise"]
def squared_cost_slope(z): ...  # return the slope at every z, same shape as z


exercises.check("02.4", squared_cost_slope)

# %% [markdown]
# Before trusting two formulas, check them against slopes measured directly: nudge z up and
# down by a tiny h and divide the change in cost by 2h (a **finite difference**).

# %%
h, wrong = 1e-6, np.zeros(9)  # the nine wrong logits, held at 0
for z_right in [-5.0, -1.0, 2.0]:
    a_r = F.sigmoid(z_right)
    mse_slope = ((F.sigmoid(z_right + h) - 1) ** 2 - (F.sigmoid(z_right - h) - 1) ** 2) / (2 * h)
    assert np.isclose(mse_slope, cost.slowdown_curves(a_r)["mse_slope"], rtol=1e-5)

    def ce(zr):
        return -F.log_softmax(np.concatenate([[zr], wrong]))[0]

    p_r = np.exp(-ce(z_right))
    ce_slope = (ce(z_right + h) - ce(z_right - h)) / (2 * h)
    assert np.isclose(ce_slope, cost.slowdown_curves(p_r)["ce_slope"], rtol=1e-5)
"both slope formulas agree with finite differences"

# %% [markdown]
# The figure puts the two costs and their slopes side by side, against the probability p the
# network gives the right answer (for the sigmoid, p is its output a). What to see: on the
# left, cross-entropy shoots up as p goes to 0, while the squared cost never exceeds 1. On the
# right, at the far left where the network is confidently wrong, the squared cost's slope
# flattens to 0 while cross-entropy's is at its steepest. A sigmoid neuron that is
# confidently wrong therefore learns very slowly under squared differences; this is known as
# the **learning slowdown**, and it is the main reason classifiers use cross-entropy.

# %%
cost_widgets.slowdown_figure()

# %% [markdown]
# **Exercise 02.5 (predict, then run).** At p = 0.01 the network gives the right digit one
# chance in a hundred. How many times steeper is cross-entropy's slope there than the squared
# cost's? Use the two formulas above, then run the next cell.

# %% tags=["exercise"]
prediction_ratio = None  # a number

exercises.check("02.5", prediction_ratio)

# %%
s = cost.slowdown_curves(np.array([0.01, 0.5]))
{name: values.round(4) for name, values in s.items()}

# %% [markdown]
# At p = 0.01 the squared cost's slope is about -0.02, while cross-entropy's is -0.99: fifty
# times the push, exactly where the network most needs it.
#
# The explorer below shows one example's outputs as probabilities (they add up to 1), their
# squared differences from the one-hot target, and the two costs. Drag **p(right digit)**
# and watch both costs fall as p rises, cross-entropy much more steeply near 0. Then hold p
# fixed and drag **spread of wrong** from 1 (the wrong probability shared evenly by nine
# digits) to 0 (all of it on one look-alike digit, such as an 8 for a 3): the squared cost
# rises, because one big miss costs more than nine small ones, while cross-entropy does not
# move at all: it only asks how much probability the right answer got.
#
# *(A live widget: it answers after **Run → Run All Cells**, and again after each reopening;
# on GitHub you see a still picture.)*

# %% tags=["nbval-ignore-output"]
cost_widgets.cost_explorer()

# %% [markdown]
# **Exercise 02.6 (explore with the sliders).** Set p(right digit) to 0.30. How large can the
# squared cost get if you move only the spread of the wrong probability? Enter the largest
# value the explorer shows.

# %% tags=["exercise"]
largest_squared_cost = None  # the number the explorer shows

exercises.check("02.6", largest_squared_cost)

# %% [markdown]
# ## Summary
#
# - The cost of one example is the sum over the ten outputs of the squared differences
#   between what the network said and the one-hot vector of the label.
# - The cost of the network is that number averaged over the training set,
#   $L = \frac{1}{P}\sum_p (a_p - y_p)^2$: one number, lower is better, 0 only when perfect.
# - The network is a function of 784 pixels; the cost is a function of its 13,002 weights and
#   biases, with the data held fixed. Learning means finding parameters where the cost is low.
# - A random sigmoid network costs about 2.35, worse than always answering 0.1 (0.9): it is
#   loudly unsure about every digit.
# - For classification, softmax turns logits into probabilities and cross-entropy, -log of the
#   probability of the right answer, is the usual cost. Its slope is largest when the network
#   is confidently wrong, where squared differences on sigmoid outputs go flat.
#
# The [glossary](00_glossary.ipynb) explains the book's main terms in a sentence or two each.
#
# Next, chapter 03 uses the slope of the cost to walk downhill on the landscape:
# [03 Gradient descent](03_gradient_descent.ipynb).
