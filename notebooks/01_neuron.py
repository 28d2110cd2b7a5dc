# %% [markdown]
# # 01 · The neuron
#
# Show a child a handwritten 3 and they will tell you it is a 3, even if it is sloppy,
# slanted or written by someone they have never met. Writing a program that does the same
# is surprisingly hard: there is no rule of the form "if pixel 300 is dark, it is a 3".
# A neural network finds its own rules from examples: this is machine learning, and because
# every example comes with its right answer, supervised learning
# ([00 Start here](00_start_here.ipynb) places these words). Before it can learn anything,
# though, we need to know what a network *is*, and that is the subject of this chapter.
#
# We build it from the smallest part upwards. By the end of this chapter you will be able to
#
# 1. say what a **neuron** is: a thing that holds one number;
# 2. compute the **weighted sum** a neuron forms from the neurons feeding it, and explain
#    how the **bias** acts as a threshold;
# 3. squish that sum with an **activation function** (sigmoid, ReLU) and say how the two
#    differ;
# 4. write a whole **layer** of neurons as one matrix product, for one example and for a
#    batch;
# 5. push a real handwritten digit through a network with 784 inputs, two hidden layers of
#    16 neurons and 10 outputs, and count its 13,002 parameters.
#
# The network in this chapter is untrained: its weights are random, so its answers are
# guesses. Chapters 02 to 04 teach it to read digits.
#
# Along the way there are six **exercises**: predict what a cell will show, write a few lines
# of code, or find something with a slider. Each has a check that says at once whether you are
# right and, if not, what the likely mistake is. Stuck? Run `exercises.hint("01.2")` (with the
# exercise's number) in a new cell: one more hint each time.

# %%
# %matplotlib inline
import warnings

import matplotlib.pyplot as plt
import numpy as np

from nnlib import functional as F
from nnlib import plot
from nnlib.chapters import ch01_neuron as N
from nnlib.data import OfflineMNISTWarning, load_mnist
from nnlib.exercises import ch01_neuron as exercises
from nnlib.layers import MLP, count_parameters
from nnlib.tensor import no_grad
from nnlib.widgets import ch01_neuron as neuron_widgets

rng = np.random.default_rng(0)

# %% [markdown]
# ## 1. A neuron holds a number
#
# For us, a **neuron** is simply a thing that holds a number, called its **activation**.
# Most of the time the number lies between 0 and 1: think of 0 as "dark" (the neuron is off)
# and 1 as "fully lit". That is all a neuron is. It is not a little computer and it has no
# memory of its own; it holds one number at a time.
#
# Neurons are arranged in **layers**. The first layer, the **input layer**, holds the data:
# for a picture, one neuron per pixel, with the pixel's brightness as its activation. Every
# later neuron computes its activation from the activations of the layer before it. How it
# does that is the rest of this chapter.

# %% [markdown]
# ## 2. The weighted sum
#
# Take one neuron and the $n$ neurons feeding it, with activations $a_1, a_2, \dots, a_n$.
# The neuron gives each incoming activation a **weight** $w_1, \dots, w_n$ and adds them up:
#
# $$z = w_1 a_1 + w_2 a_2 + \dots + w_n a_n + b.$$
#
# A weight says how much one input matters and in which direction. A large positive weight
# means "when this input is lit, push my sum up"; a negative weight means "push it down";
# a weight of zero means "ignore this input". The extra number $b$ is the **bias**; we come
# to it in a moment. Weights and biases together are the network's **parameters**: the
# knobs that training will turn.
#
# Here is the sum for four inputs, first written out term by term, then as a loop, then as
# numpy's dot product `w @ a`:

# %%
a = np.array([0.0, 0.5, 1.0, 0.25])  # activations of four input neurons
w = np.array([2.0, -1.0, 3.0, 4.0])  # one weight per input
b = -1.0

z_by_hand = 2.0 * 0.0 + (-1.0) * 0.5 + 3.0 * 1.0 + 4.0 * 0.25 + b
z_loop = b
for w_n, a_n in zip(w, a, strict=True):
    z_loop += w_n * a_n
z_by_hand, float(z_loop), float(w @ a + b)

# %% [markdown]
# All three give 2.5. From now on we use `nnlib.chapters.ch01_neuron.weighted_sum`, which computes the
# same thing (and checks that there is exactly one weight per input):

# %%
assert np.isclose(N.weighted_sum(a, w, b), z_by_hand)
float(N.weighted_sum(a, w, b))

# %% [markdown]
# ## 3. The bias is a threshold
#
# Why the extra $b$? Suppose we want a neuron that lights up only when the weighted sum of
# its inputs is *large*, say larger than 10, and stays dark otherwise. Let "lit" mean
# "$z > 0$". Without a bias, the neuron would switch on as soon as the weighted sum is
# above 0, not above 10. With a bias of $b = -10$,
#
# $$z = (w_1 a_1 + \dots + w_n a_n) - 10,$$
#
# which is positive only once the weighted sum passes 10. So the bias moves the threshold:
# a negative bias makes a neuron harder to switch on, a positive one easier.
#
# The simplest neuron that "lights up or not" uses the **step function**: it outputs 1 when
# $z > 0$ and 0 otherwise. Give it four inputs, all weights 1 and bias −10, and feed it
# inputs whose sum is 9.5, 10 and 10.5.
#
# **Exercise 01.1 (predict, then run).** Before you run the cell after the check: what will
# the step neuron output for the middle input, whose sum is exactly 10? Put your prediction in
# place of `None`, run the check, then run the next cell and see.

# %% tags=["exercise"]
prediction_at_threshold = None  # a number

exercises.check("01.1", prediction_at_threshold)

# %%
w_ones = np.ones(4)
inputs = np.array(
    [
        [2.0, 2.5, 2.5, 2.5],  # sum 9.5
        [2.5, 2.5, 2.5, 2.5],  # sum 10
        [2.5, 2.5, 2.5, 3.0],  # sum 10.5
    ]
)
inputs.sum(axis=1), N.neuron(inputs, w_ones, b=-10.0, activation="step")

# %% [markdown]
# Only the last input, whose sum exceeds 10, switches the neuron on. The figure shows the
# same neuron for every sum between 0 and 20. What to see: the step neuron (blue) is 0 up
# to the dashed line at 10 and 1 after it; the sigmoid neuron (red, next section) makes the
# same decision gently, passing 1/2 exactly at the threshold.

# %%
neuron_widgets.bias_threshold_figure()

# %% [markdown]
# ## 4. Squishing: sigmoid and ReLU
#
# The weighted sum can be any number, −37 or 512. We usually want a neuron's activation in
# a fixed range, and we want it to change *smoothly* when a weight changes a little (that is
# what lets a network learn by small nudges, in chapter 03). The step function fails the
# second wish: nudging a weight changes its output not at all, until suddenly it jumps.
#
# So we pass $z$ through a smooth **activation function** $f$ and set $a = f(z)$. The classic
# choice is the **sigmoid** (also called the logistic function),
#
# $$\sigma(z) = \frac{1}{1 + e^{-z}},$$
#
# which squishes the whole number line into the interval (0, 1): very negative $z$ gives
# nearly 0, very positive $z$ nearly 1, and $\sigma(0) = 1/2$. Written in numpy it is one line.
# We compare it with `nnlib.functional.sigmoid`, which computes the same formula rearranged so
# that `exp` never overflows (our one-liner would warn at $z = -1000$; nnlib's does not):


# %%
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


z = np.linspace(-8, 8, 161)
assert np.allclose(sigmoid(z), F.sigmoid(z))
sigmoid(np.array([-5.0, 0.0, 5.0]))

# %% [markdown]
# The **slope** of a curve at a point is the slope of the straight line that just touches
# it there. The sigmoid's slope, written $\sigma'(z)$, says how much the activation changes
# per unit when $z$ changes a little. We can measure it by nudging $z$ by a tiny $h$ both ways,
# $(\sigma(z+h) - \sigma(z-h)) / 2h$, and compare with the exact formula
# $\sigma'(z) = \sigma(z)(1 - \sigma(z))$ that `nnlib.chapters.ch01_neuron.slope` uses. What to see:
# the slope is largest, 1/4, at $z = 0$, and almost zero once $|z|$ is larger than about 5.

# %%
h = 1e-5
slope_nudged = (sigmoid(z + h) - sigmoid(z - h)) / (2 * h)
assert np.allclose(slope_nudged, N.slope("sigmoid", z), atol=1e-8)

fig, ax = plt.subplots(figsize=(5, 2.6))
ax.plot(z, sigmoid(z), label="σ(z)")
ax.plot(z, slope_nudged, label="slope, by nudging z")
ax.set_xlabel("z")
ax.legend(frameon=False)
plt.show()

# %% [markdown]
# **Exercise 01.2 (write the code).** Write `sigmoid_slope(z)`, the exact formula
# $\sigma'(z) = \sigma(z)(1 - \sigma(z))$, for a single number or a whole array of them (one
# slope per entry). The check also tries $z = -1000$ and $z = 1000$, where the slope is 0; a
# formula that overflows on the way gets there with `nan` instead.


# %% tags=["exercise"]
def sigmoid_slope(z): ...  # return the slope at every z, same shape as z


exercises.check("01.2", sigmoid_slope)

# %% [markdown]
# That flat tail will matter later, for **deep** networks, those with many layers. We have
# not yet seen how a network learns; chapters 02 to 04 build it step by step. One fact about
# it can be stated now: the signal that tells an early layer how to change passes through
# every later layer, and at each one it is multiplied by that layer's slope (among other
# numbers). A product of
# many numbers no larger than 1/4 shrinks to zero fast, so the signal fades before it
# reaches the early layers. Chapter 04 shows this happening and calls it the **vanishing
# gradient** problem (the word "gradient" arrives in chapter 03). Here are the numbers:

# %%
N.slope("sigmoid", np.array([0.0, 2.0, 5.0, 10.0])), 0.25**10

# %% [markdown]
# At $z = 10$ the sigmoid's slope is about 0.00005, and even in the best case ten layers
# multiply to 0.25¹⁰, about one in a million.
#
# Deep networks therefore mostly switched to the **rectified linear unit**, ReLU:
#
# $$\mathrm{ReLU}(z) = \max(0, z).$$
#
# It is 0 for negative $z$ and $z$ itself for positive $z$. Its slope is exactly 1 for every
# $z > 0$, however large, so it does not fade; and it costs one comparison instead of an
# exponential. The price: it is not squished into (0, 1), and its slope is 0 for $z < 0$ (a
# neuron that is always off does not learn). The figure puts the two side by side. What to
# see: on the left, sigmoid flattens out on both sides while ReLU keeps rising; on the right,
# the sigmoid's slope is a small bump around 0, while ReLU's slope is 1 for all positive $z$.

# %%
assert np.allclose(np.maximum(0, z), F.relu(z))
neuron_widgets.activations_figure()

# %% [markdown]
# Putting the pieces together, one neuron computes $a = f(w_1 a_1 + \dots + w_n a_n + b)$.
# In `nnlib` that is `neuron(a, w, b, activation)`:

# %%
[float(N.neuron(a, w, b, activation)) for activation in ("sigmoid", "relu", "step")]

# %% [markdown]
# ## 5. One neuron, two inputs: a line through the plane
#
# A neuron with two inputs is one we can draw. Every pair of activations $(a_1, a_2)$ is a
# point in a square, and the neuron gives each point a value $f(w_1 a_1 + w_2 a_2 + b)$.
# The points where $z = w_1 a_1 + w_2 a_2 + b = 0$ form a straight line, the neuron's
# **decision boundary**: on one side $z > 0$ and the neuron is (more than half) lit, on the
# other side it is dark. The weights turn the line, the bias slides it.
#
# To see what that is good for, we make a small data set: 40 points of class 0 (blue) around
# the lower left and 40 of class 1 (red) around the upper right, drawn with our seeded `rng`.
# A good neuron for this data lights up on the red points and stays dark on the blue ones.

# %%
X_toy, y_toy = N.two_blobs(40, rng)
X_toy.shape, y_toy.shape, np.bincount(y_toy)

# %% [markdown]
# Below is the neuron with $w_1 = 10$, $w_2 = 0$, $b = -5$. What to see: on the left, the
# shading is the activation over the square and the black line is $z = 0$, here the vertical
# line $a_1 = 0.5$ (this neuron only looks at $a_1$); on the right, every point is placed at
# its own weighted sum $z$ on the sigmoid curve. Points right of the dashed line are the ones
# the neuron lights up. The readout "on their side" counts the points that land on their
# class's side of the line, and "darkest green" says which activation the darkest shade
# stands for (1 for sigmoid and step; for ReLU, which has no ceiling, the largest value in
# the square).

# %%
neuron_widgets.playground_figure(10.0, 0.0, -5.0, "sigmoid", X_toy, y_toy)

# %% [markdown]
# The count in code: the neuron "says class 1" where $z > 0$, and a point is on the right
# side when that agrees with its label. Tilting the line to $a_1 + a_2 = 1$ (weights 10 and
# 10, bias −10) does better:


# %%
def n_correct(w, b):
    return int((N.fires(X_toy, w, b) == (y_toy == 1)).sum())


n_correct([10.0, 0.0], -5.0), n_correct([10.0, 10.0], -10.0), n_correct([1.0, 1.0], -1.0)

# %% [markdown]
# Note the last two: dividing both weights and the bias by 10 gives the *same line*, so the
# same count. What changes is how sharply the sigmoid goes from dark to lit across it.
#
# Now it is your turn. Drag the sliders and watch the line turn and slide and the points move
# along the curve. Try to get every point on its side (how close can you get?); switch the
# activation to ReLU and to step and see that the line stays put while the shading changes;
# and find a setting where the neuron lights up everywhere.
#
# *(A live widget: it answers after **Run → Run All Cells**, and again after each reopening;
# on GitHub you see a still picture.)*

# %% tags=["nbval-ignore-output"]
neuron_widgets.neuron_playground(X_toy, y_toy)

# %% [markdown]
# **Exercise 01.3 (explore with the sliders).** Set both weights to 10, so the line is
# $a_1 + a_2 = -b/10$, and move only the bias. Which $b$ puts the most points on their side?
# Enter it.

# %% tags=["exercise"]
best_bias = None  # the b slider's number

exercises.check("01.3", best_bias)

# %% [markdown]
# ## 6. A layer: many neurons at once, as one matrix product
#
# One neuron draws one line. A **layer** is many neurons that all read the same inputs, each
# with its own weights and bias. Number the layers $i = 1, 2, \dots$ and collect layer $i$'s
# activations in a vector $x^{(i)}$. Write $w_{mn}$ for the weight **from neuron $n$ of layer
# $i$ to neuron $m$ of layer $i+1$** (the first index is where the connection goes, the
# second where it comes from). Neuron $m$ of the next layer computes
#
# $$x^{(i+1)}_m = f\Big(\sum_n w_{mn}\, x^{(i)}_n + b_m\Big).$$
#
# Put the weights in a matrix $W$ with $w_{mn}$ in row $m$, column $n$: row $m$ holds every
# weight going *into* neuron $m$. If layer $i$ has $n_\text{in}$ neurons and layer $i+1$ has
# $n_\text{out}$, $W$ has shape $(n_\text{out}, n_\text{in})$, and all the sums at once are
# one matrix-vector product:
#
# $$x^{(i+1)} = f\big(W x^{(i)} + b\big).$$
#
# Here is a tiny layer with 3 inputs and 2 outputs, first sum by sum. (Python counts from 0,
# so the text's $w_{13}$ is `W[0, 2]` in code.)

# %%
x = np.array([0.5, 1.0, 0.25])  # layer i: 3 activations
W = np.array(
    [
        [0.5, -0.25, 1.0],  # row 0: weights into next-layer neuron 1
        [2.0, 0.75, -1.5],  # row 1: weights into next-layer neuron 2
    ]
)  # (n_out, n_in) = (2, 3)
b_layer = np.array([0.25, -0.5])  # one bias per next-layer neuron

z1 = W[0, 0] * x[0] + W[0, 1] * x[1] + W[0, 2] * x[2] + b_layer[0]  # w11 x1 + w12 x2 + w13 x3 + b1
z2 = W[1, 0] * x[0] + W[1, 1] * x[1] + W[1, 2] * x[2] + b_layer[1]  # w21 x1 + w22 x2 + w23 x3 + b2
float(z1), float(z2)

# %% [markdown]
# And now as one matrix product: `W @ x` computes exactly those row-times-vector sums.

# %%
z_layer = W @ x + b_layer  # (2, 3) @ (3,) -> (2,)
assert np.allclose(z_layer, [z1, z2])
assert np.allclose(N.layer(x, W, b_layer), F.sigmoid(np.array([z1, z2])))
z_layer, N.layer(x, W, b_layer)

# %% [markdown]
# The same layer handles many examples at once. Stack them as the rows of a matrix
# $X$ of shape $(B, n_\text{in})$; then $X W^\top + b$ has one row of outputs per example.
# This is how `nnlib` (and PyTorch) store weights and batches.
#
# **Exercise 01.4 (predict, then run).** The next cell stacks three examples, so `X_batch` has
# shape (3, 3), and uses the layer `W` of shape (2, 3) from above. What will be the shape of
# `Z_batch = X_batch @ W.T + b_layer`? Enter it as a tuple, like `(4, 5)`, then run the cell.

# %% tags=["exercise"]
prediction_shape = None  # a tuple of numbers

exercises.check("01.4", prediction_shape)

# %%
X_batch = np.array([[0.5, 1.0, 0.25], [0.0, 0.0, 0.0], [1.0, 1.0, 1.0]])  # (B, n_in) = (3, 3)
Z_batch = X_batch @ W.T + b_layer  # (3, 3) @ (3, 2) -> (3, 2)
assert np.allclose(Z_batch[0], z_layer)
Z_batch

# %% [markdown]
# **Exercise 01.5 (write the code).** Finish the layer for a batch: given `X` of shape
# $(B, n_\text{in})$, `W` of shape $(n_\text{out}, n_\text{in})$ and `b` of shape
# $(n_\text{out},)$, return the sigmoid activations, one row per example. The check tries
# batches of several sizes, one with a single example.


# %% tags=["exercise"]
def sigmoid_layer(X, W, b): ...  # return the activations, shape (B, n_out)


exercises.check("01.5", sigmoid_layer)

# %% [markdown]
# ## 7. A handwritten digit is 784 activations
#
# The digits we want to read come from **MNIST**, a classic collection of 70,000 handwritten
# digits (60,000 for training, 10,000 for testing), each a 28 × 28 grayscale picture with its
# correct label. `nnlib.data.load_mnist` loads them with every pixel scaled to [0, 1]
# (0 black, 1 white) and every picture flattened into one row of 28 × 28 = 784 numbers.
# Without an internet connection it uses the 10,000 real test digits that ship with the book
# and splits them 8,000 for training and 2,000 for testing (it warns about that; we silence
# the warning here because this chapter only looks at digits, so either set will do). We
# use the test digits: 10,000 of them with the full set, 2,000 offline.

# %%
with warnings.catch_warnings():
    warnings.simplefilter("ignore", OfflineMNISTWarning)  # explained above
    mnist = load_mnist()
X, y = mnist.X_test, mnist.y_test  # (N, 784) pixels in [0, 1], (N,) labels 0..9
assert mnist.source in ("full", "test-split") and len(X) in (10_000, 2_000)
X.shape[1], float(X.min()), float(X.max())

# %% [markdown]
# We pick the first image of a 7 among the test digits. The 784 numbers are the picture read row by row:
# the first 28 numbers are the top row, the next 28 the second row, and so on, so
# `reshape(28, 28)` turns the row back into the picture without moving a single pixel.

# %%
i = int(np.flatnonzero(y == 7)[0])  # the first 7 in the test set
x_digit = X[i]  # (784,)
image = x_digit.reshape(28, 28)  # (784,) -> (28, 28): row r is x_digit[28 r : 28 r + 28]
assert np.array_equal(image.reshape(784), x_digit)  # no pixel lost or moved
x_digit.shape, image.shape, int(y[i])

# %% [markdown]
# Here is the picture with each pixel's activation written in its square (the blank border
# is cut off; every square without a number is 0). What to see: the stroke's middle is
# nearly 1, its edges take values in between, where the pen only partly covered a pixel.

# %%
neuron_widgets.pixel_values_figure(x_digit)

# %% [markdown]
# These 784 numbers are the activations of the network's input layer, one neuron per pixel.
# The figure shows the digit three ways. What to see: the picture (left); the same numbers
# laid out in one long row, where the picture's strokes become short bright dashes, one for
# each row the stroke crosses (top right); and how many pixels have each brightness (bottom
# right, log scale): by far the most are exactly 0, the black background, and a few dozen are
# white or nearly so.

# %%
neuron_widgets.digit_figure(x_digit, y[i])

# %% [markdown]
# ## 8. The 784-16-16-10 network
#
# Now we stack layers. The input layer has 784 neurons (the pixels). Then come two **hidden
# layers** of 16 neurons each, called hidden because we never see or set their activations
# directly. The **output layer** has 10 neurons, one per digit 0 to 9. The network's answer
# is the digit whose output neuron is the brightest. (Why 16? No deep reason: it is small
# enough to look at every neuron, and big enough to learn the task, as we will see.)
#
# Every neuron of one layer connects to every neuron of the next, so between a layer of
# $n_\text{in}$ and one of $n_\text{out}$ neurons there are $n_\text{out} \cdot n_\text{in}$
# weights and $n_\text{out}$ biases.
#
# **Exercise 01.6 (write the code).** Before you run the count below, write
# `n_parameters(sizes)`: the number of weights and biases of a network with layer sizes like
# `[784, 16, 16, 10]`. The check tries it on this network, on a 784-32-10 network (twice as
# many hidden neurons in one layer) and on smaller ones; it tells you the 784-32-10 count when
# you are right.


# %% tags=["exercise"]
def n_parameters(sizes): ...  # return the number of weights and biases, an int


exercises.check("01.6", n_parameters)

# %% [markdown]
# For the whole 784-16-16-10 network:

# %%
sizes = [784, 16, 16, 10]
by_formula = 784 * 16 + 16 + 16 * 16 + 16 + 16 * 10 + 10
by_loop = sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True))
net = MLP(sizes, rng=rng, activation="sigmoid", final_activation="sigmoid")
assert by_formula == by_loop == count_parameters(sizes) == net.n_params()
by_formula

# %% [markdown]
# 13,002 knobs. Finding good values for all of them by hand is hopeless; chapters 02 to 04
# are about how the network finds them itself. `MLP` ("multilayer perceptron", the
# traditional name for this kind of network) builds the layers with random weights from our
# seeded `rng`, a sigmoid after every layer. (The **perceptron**, from 1958, was the first
# artificial neuron: a weighted sum and a bias followed by the step function of section 3.
# The name stuck to networks of layers even after the step gave way to smooth activations.) Printed, it lists six steps: each `Linear`
# computes one layer's weighted sums $W x + b$, and the `Sigmoid` after it squishes them.

# %%
net

# %% [markdown]
# To see that nothing is hidden, we run the digit through the network with our own `layer`
# function, one layer at a time, reading each layer's $W$ and $b$ out of `net` (its steps
# 0, 2 and 4 are the `Linear` ones; `.data` is the plain numpy array inside):

# %%
W1, b1 = net.layers[0].W.data, net.layers[0].b.data  # (16, 784), (16,)
W2, b2 = net.layers[2].W.data, net.layers[2].b.data  # (16, 16), (16,)
W3, b3 = net.layers[4].W.data, net.layers[4].b.data  # (10, 16), (10,)

h1 = N.layer(x_digit, W1, b1)  # (784,) -> (16,)  hidden layer 1
h2 = N.layer(h1, W2, b2)  # (16,) -> (16,)  hidden layer 2
out = N.layer(h2, W3, b3)  # (16,) -> (10,)  output layer
with no_grad():
    out_nnlib = net(x_digit).data  # the same computation, by nnlib
assert np.allclose(out, out_nnlib, atol=1e-5)
assert out.shape == (10,) and np.all((out > 0) & (out < 1))

# %% [markdown]
# `np.argmax` gives the position of the largest output activation, the brightest neuron,
# which is the digit it stands for:

# %%
answer = int(np.argmax(out))
answer

# %% [markdown]
# The weights are random, so the answer is a guess. We can run all the test digits at once
# (a batch, one digit per row) and list every answer the network gives:

# %%
with no_grad():
    answers = np.argmax(net(X).data, axis=1)  # (N, 10) -> (N,)
untrained_accuracy = float((answers == y).mean())
assert 0.05 <= untrained_accuracy <= 0.15  # about one in ten: a guess
np.unique(answers)

# %% [markdown]
# Our untrained network answers 6 for every single digit, so it is right exactly as often as
# the digit is a 6: 9.6% of the time on the full 10,000 test digits, 10.6% on the offline
# 2,000 (the share of 6s in each). Why always the same digit? With random weights every
# hidden neuron sits near 1/2 whatever the picture, so each output neuron's sum hardly
# depends on the digit, and whichever output neuron the random start happens to favour wins
# every time. Chapter 04 trains this same network until it gets the large majority of digits
# right.
#
# Here is the whole network for our digit. What to see: the digit (left), its 784 input
# activations (top strip), the 16 + 16 hidden activations as grey cells, all a medium grey
# because random weights give sums near 0 and $\sigma(0) = 1/2$, and the 10 output
# activations as bars, the brightest (the answer) in red. They are all close to each other:
# the network has no opinion yet.

# %%
neuron_widgets.layers_figure(x_digit, y[i], net, index=i)

# %% [markdown]
# ## 9. Why layers? A hope
#
# Why should stacking layers help to read digits? Here is the hope that motivated networks
# like this one. A digit is made of pieces: a 9 is a loop on top of a stroke on the right, an
# 8 is two loops, a 4 is three straight strokes. Pieces are in turn made of small **edges**:
# short bits of stroke at some angle. So perhaps
#
# - each neuron of the **first hidden layer** learns to respond to one small edge somewhere in
#   the picture,
# - each neuron of the **second hidden layer** combines edges into a larger piece, a loop or a
#   long stroke,
# - and each **output neuron** combines pieces into a digit.
#
# This is a *hope*, not a fact: nothing in the formulas forces the network to work this way.
# Training will choose whatever weights reduce its errors. We can look, though. Row $m$ of
# $W_1$ holds the 784 weights into hidden neuron $m$, one per pixel, so we can draw it as a
# 28 × 28 picture: red where a lit pixel pushes the neuron on, blue where it pushes it off.
# What to see: right now, noise. The network has learned nothing, so no neuron looks for an
# edge. Chapter 04 trains the network and draws these pictures again, to test the hope.

# %%
plot.weight_images(W1, ncols=8, title="the 16 hidden neurons of layer 1, before training")

# %% [markdown]
# ## 10. The digit viewer
#
# The last widget puts it all together. The slider picks a test digit; you see it as a
# picture, as 784 input activations and as the activations of every layer of our network,
# with the answer in red. Drag it and watch: the input strip changes with every digit, the
# hidden layers barely (their activations stay near 1/2), and the answer is 6 whatever you
# show it. That is what an untrained network looks like. After chapter 04 you can come back
# with trained weights and see a difference.
#
# *(A live widget: it answers after **Run → Run All Cells**, and again after each reopening;
# on GitHub you see a still picture.)*

# %% tags=["nbval-ignore-output"]
neuron_widgets.digit_viewer(X, y, network=net)

# %% [markdown]
# ## Summary
#
# - A neuron holds one number, its activation. It computes it as
#   $a = f(w_1 a_1 + \dots + w_n a_n + b)$ from the activations $a_n$ of the layer before.
# - Weights say how much each input counts and in which direction; the bias is a threshold
#   that the weighted sum has to pass (bias −10: lit only when the sum passes 10).
# - The activation function squishes the sum: sigmoid into (0, 1), smoothly; ReLU keeps
#   positive sums and zeroes negative ones, and its slope does not vanish for $z > 0$.
# - A two-input neuron splits the plane along the line $w_1 a_1 + w_2 a_2 + b = 0$.
# - A layer is $x^{(i+1)} = f(W x^{(i)} + b)$ with $W$ of shape $(n_\text{out}, n_\text{in})$
#   and $W[m, n] = w_{mn}$, the weight from neuron $n$ to neuron $m$.
# - An MNIST digit is 784 activations in [0, 1]; the 784-16-16-10 network has 13,002
#   parameters and answers with its brightest output neuron. Untrained, it guesses.
#
# The [glossary](00_glossary.ipynb) explains the book's main terms in a sentence or two each.
#
# Next, chapter 02 gives the network a way to know how wrong it is, the **cost function**:
# [02 The cost function](02_cost_function.ipynb).
