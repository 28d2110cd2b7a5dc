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
# # 03 Gradient descent
#
# Chapter 01 built the 784-16-16-10 network, which turns the pixels of a digit into ten output
# activations, and chapter 02 gave it a cost: one number, the squared differences (or the
# cross-entropy) between what the network says and what it should say, averaged over the
# training examples, and a function of all 13,002 weights and biases.
#
# Learning means making that number small. We cannot try every combination of 13,002 knobs,
# and we cannot solve for the best ones with algebra either: for a simple curve we could set
# its slope to zero and solve, but no such formula exists for 13,002 tangled parameters. What we *can* do, at any point, is
# ask which way is downhill and take a small step that way, then ask again. That is
# **gradient descent**, and every network in this book, GPT included, learns with it. By the
# end of this chapter you will be able to
#
# 1. walk downhill with one weight: the slope says which way, the learning rate how far;
# 2. compute a slope two ways, by finite differences and exactly, and say when each is used;
# 3. predict the four things a learning rate can do: creep, converge, overshoot, blow up;
# 4. explain why, on a cost with two valleys, the starting point decides the ending point;
# 5. compute the **gradient** of a real two-parameter cost made from MNIST digits, and show
#    why minus the gradient is the steepest way down;
# 6. compare full-batch gradient descent with **stochastic** gradient descent on
#    mini-batches, by the work each does;
# 7. say why plain descent crawls along a narrow valley, and how **momentum** and **Adam**
#    fix it.
#
# Along the way there are seven **exercises**: predict what a cell will show, write a few
# lines of code, or find something with a slider. Each has a check that says at once whether
# you are right and, if not, what the likely mistake is. Stuck? Run
# `exercises.hint("03.2")` (with the exercise's number) in a new cell: one more hint each time.
# The worked solutions are kept out of the chapters (the README says where, for readers
# working alone and for teachers).

# %%
# %matplotlib inline
import matplotlib.pyplot as plt  # noqa: F401  (figures are shown inline)
import numpy as np

from nnlib.chapters import ch03_gradient_descent as descent
from nnlib.exercises import ch03_gradient_descent as exercises
from nnlib.gradcheck import central_difference
from nnlib.optim import SGD, Adam
from nnlib.tensor import Tensor
from nnlib.widgets import ch03_gradient_descent as descent_widgets

rng = np.random.default_rng(0)

# %% [markdown]
# ## 1. One weight, one cost: which way is down?
#
# Start with the smallest case: a cost that depends on a single weight $w$. We use the bowl
#
# $$L(w) = (w - 1)^2,$$
#
# whose lowest point, the **minimum**, is at $w^* = 1$. Pretend we cannot see the whole curve,
# only the ground under our feet: at the current $w$ we can measure the cost and its
# **slope**, how much $L$ rises per unit step to the right. (The slope is the derivative
# $dL/dw$; here it is $2(w - 1)$.)
#
# The slope alone tells us which way to go:
#
# - if the slope is **positive**, the cost rises to the right, so step **left** (make $w$ smaller);
# - if the slope is **negative**, the cost rises to the left, so step **right** (make $w$ larger);
# - if the slope is zero, we are at the bottom (or on a flat spot) and stay.
#
# All three cases fit in one line, the **update rule** of gradient descent:
#
# $$w \leftarrow w - \alpha \, \frac{dL}{dw}.$$
#
# Subtracting the slope moves against it. The number $\alpha$ (alpha), the **learning rate**,
# sets how far: the step is $\alpha$ times the slope, so steps are long where the ground is
# steep and shrink near the bottom, where it flattens. In code the learning rate is called `lr`.
#
# What to see in the figure: two points on the bowl with their tangent lines (dashed). On the
# right the slope is +4 and the arrow goes left; on the left the slope is -4 and the arrow goes
# right. Both land closer to the bottom at $w = 1$.
#
# **Exercise 03.1 (predict, then run).** The figure takes one step with $\alpha = 0.3$ from
# $w = 3$. Before you run the next cell: at which $w$ does that arrow end? Put your number in
# place of `None` and run the check; then run the figure and see.

# %% tags=["exercise"]
one_step_from_3 = None  # a number

exercises.check("03.1", one_step_from_3)

# %%
descent_widgets.step_rule_figure()

# %% [markdown]
# ## 2. The slope, measured and exact
#
# How do we get the slope? The honest, always-available way is to measure it: nudge $w$ a
# little, by $h$, and see how much the cost changes. The **central difference**
#
# $$\frac{dL}{dw} \approx \frac{L(w + h) - L(w - h)}{2h}$$
#
# looks a small step both ways. It needs nothing but the ability to compute the cost, which is
# why we will use it to check every slope and gradient in this book. Let us measure the bowl's
# slope at $w = 3$.


# %%
def L(w):
    return (w - 1) ** 2


h = 1e-5
w = 3.0
slope_measured = (L(w + h) - L(w - h)) / (2 * h)
slope_measured

# %% [markdown]
# For this bowl we can also get the slope exactly. Nudge $w$ by $h$: the cost changes by
# $(w + h - 1)^2 - (w - 1)^2 = 2h(w - 1) + h^2$. Divided by $h$ that is $2(w - 1) + h$, and as
# the nudge shrinks to nothing the slope that remains is the derivative $2(w - 1)$, which is 4
# at $w = 3$. The measurement agrees to about ten
# digits, and so does the library's `central_difference` (in `nnlib.gradcheck`, where chapter 04
# will use it to check backpropagation), which computes the same formula:

# %%
slope_exact = 2 * (w - 1)
assert np.isclose(slope_measured, slope_exact, rtol=1e-9)
assert np.isclose(central_difference(descent.bowl, w, h), slope_exact, rtol=1e-9)
slope_exact, float(central_difference(descent.bowl, w, h))

# %% [markdown]
# Why not always measure? Because it costs two evaluations of the cost *per parameter*. For one
# weight that is nothing; for the 13,002 parameters of chapter 01's network it is 26,004 passes
# over the whole training set for a single step. The exact slope is far cheaper, and chapter 04
# (backpropagation) shows how to get all 13,002 exact slopes in about the time of one pass.
# Finite differences stay as the referee: whenever we compute a slope exactly, we check it
# against a measured one.

# %% [markdown]
# ## 3. Gradient descent in a loop
#
# Now take steps. Start at $w_0 = -1.5$, use the learning rate $\alpha = 0.3$ and apply the rule
# twelve times, keeping every point we visit.
#
# **Exercise 03.2 (write the code).** Before you read our loop, write your own as a function:
# `descend(slope, w0, lr, n_steps)` takes a slope function (call it, `slope(w)`, to get the
# slope at `w`), a start, a learning rate and a number of steps, and returns the list of every
# point it visits, $w_0$ first, so $n_\text{steps} + 1$ numbers in all. The check runs it on the bowl, on the two-valley cost
# of section 5 and on a few odd cases.


# %% tags=["exercise"]
def descend(slope, w0, lr, n_steps): ...  # return [w_0, w_1, ..., w_n]


exercises.check("03.2", descend)

# %% [markdown]
# Here is ours, on the bowl:

# %%
lr = 0.3
w = -1.5
path = [w]
for _ in range(12):
    w = w - lr * 2 * (w - 1)  # w <- w - lr * dL/dw
    path.append(w)
np.round(path, 4)

# %% [markdown]
# The weight walks from -1.5 towards 1 in shrinking steps. For this bowl we can even say
# exactly where it will be after $k$ steps. One step gives
# $w - 1 \leftarrow (w - 1) - 2\alpha(w - 1) = (1 - 2\alpha)(w - 1)$: the distance to the
# minimum is multiplied by the same factor $r = 1 - 2\alpha$ at every step, so
#
# $$w_k - 1 = (1 - 2\alpha)^k \, (w_0 - 1).$$
#
# The library's `descent.gradient_descent_1d(slope, w0, lr, n_steps)` runs the same loop (for
# any slope function) and also reports whether it stayed sane. Both agree with the formula:

# %%
path_lib, status = descent.gradient_descent_1d(descent.bowl_slope, -1.5, lr, 12)
k = np.arange(13)
assert np.allclose(path, path_lib)
assert np.allclose(path_lib - 1, (1 - 2 * lr) ** k * (-1.5 - 1))
status, float(path_lib[-1])

# %% [markdown]
# ## 4. The learning rate: too slow, good, overshooting, diverging
#
# The factor $r = 1 - 2\alpha$ explains everything a learning rate can do on this bowl:
#
# - $\alpha$ small (say 0.05): $r = 0.9$, each step removes only a tenth of the distance. The
#   weight creeps towards the minimum and is still far away after a dozen steps: **too slow**.
# - $\alpha$ moderate (0.3): $r = 0.4$, the distance shrinks fast and never changes sign:
#   **good**.
# - $\alpha$ between 0.5 and 1: $r$ is negative, so each step jumps *past* the minimum to the
#   other side, a bit closer each time, zigzagging in: **overshooting**.
# - $\alpha$ above 1: $|r| > 1$, each jump lands farther away than it started, and the distance
#   grows without limit: **diverging**.
#
# Real costs are not perfect bowls, but the same four behaviours appear in every training run,
# and the largest learning rate that does not diverge depends on how sharply the cost curves.
# Choosing $\alpha$ is part of the craft; it is a **hyperparameter**, a number we pick rather
# than learn, like the number of layers and of neurons per layer in chapter 01's network.
#
# Diverging is not only bad, it is loud: left alone, $w$ soon becomes larger than any floating-
# point number and turns into `inf` and then `nan` ("not a number"), with a stream of
# warnings. So `gradient_descent_1d` watches every step: as soon as $|w|$ exceeds a bound
# (a million) or stops being finite, it stops and returns the status `"diverged"`. Here is
# $\alpha = 5$, where $r = -9$:

# %%
path_div, status = descent.gradient_descent_1d(descent.bowl_slope, -1.5, 5.0, 100)
assert status == "diverged" and len(path_div) == 6  # w_0 ... w_5 kept
status, float(path_div[-1])

# %% [markdown]
# It gave up at step 6 of 100: that step would have taken $|w|$ past a million. The last point
# it kept is $w \approx 1.5 \times 10^5$, and nothing overflowed.
# The function `descent.classify_regime` names what a run did, with the rules above: it
# diverged (or ended farther away than it began); it jumped past the minimum; it ended within
# 5% of its starting distance from the minimum; or it did not get that close in time.

# %%
runs = {
    a: descent.gradient_descent_1d(descent.bowl_slope, -1.5, a, 12) for a in (0.05, 0.3, 0.85, 1.1)
}
regimes = {a: descent.classify_regime(p, s, 1.0) for a, (p, s) in runs.items()}
assert list(regimes.values()) == ["too slow", "good", "overshooting", "diverging"]
regimes

# %% [markdown]
# What to see in the figure: the same start (black dot) and twelve steps with each of those
# four learning rates. At 0.05 the red points crawl down the left wall; at 0.3 they drop to the
# bottom in a few steps; at 0.85 they bounce from wall to wall, settling in; at 1.1 every
# bounce lands higher, and the path leaves the picture.

# %%
descent_widgets.regimes_figure()

# %% [markdown]
# ### The learning-rate explorer
#
# Now try it yourself. The left panel shows the cost curve, the start (black) and every step
# (red points joined in order); the right panel shows the cost after each step; the label on
# top names the regime. The learning-rate slider is logarithmic, from 0.001 to about 3: each
# notch multiplies $\alpha$ by the same factor, because the interesting values span three
# orders of magnitude.
#
# Drag **learning rate lr** slowly from left to right and watch the regime change: too slow
# below about 0.07 (with the 20 steps it starts with), good up to 0.5, overshooting up to 1,
# and "diverged after k steps" beyond (the run is stopped and the label turns red; nothing
# crashes). Then move **start w0** and
# **steps**: on the bowl, the regime depends on $\alpha$ alone, not on where you start.
#
# *(A live widget: it answers after **Run → Run All Cells**, and again after each reopening;
# on GitHub you see a still picture.)*

# %% tags=["nbval-ignore-output"]
descent_widgets.learning_rate_explorer()

# %% [markdown]
# **Exercise 03.3 (explore with the slider).** Keep the bowl, the start and the 20 steps, and
# move only the learning rate. What is the smallest learning rate at which the label says
# "diverging"? Enter the slider's number (one notch either way is fine).

# %% tags=["exercise"]
diverges_from_lr = None  # the slider's number

exercises.check("03.3", diverges_from_lr)

# %% [markdown]
# ## 5. Two valleys: the start decides
#
# The bowl has one minimum, so every good run ends at the same place. Costs of real networks
# have many dips. Take
#
# $$L(w) = \tfrac14 w^4 - w^2 + 0.3\,w + 2,$$
#
# which has two valleys separated by a hump a little right of $w = 0$. Its slope
# $dL/dw = w^3 - 2w + 0.3$ is zero at three points: the two bottoms and the top of the hump.

# %%
left, right = descent.two_valleys_minima()
np.round([left, right, descent.two_valleys(left), descent.two_valleys(right)], 4)

# %% [markdown]
# The left valley is deeper (cost about 0.57) than the right one (about 1.41). The lowest
# point of all is the **global minimum**; a point that is lowest only in its neighbourhood is a
# **local minimum**. Gradient descent only ever looks at the ground under its feet, so it
# cannot know that a deeper valley exists over the hump: it rolls into whichever valley it
# starts in.
#
# What to see: two runs with the same learning rate, one starting just left of the hump
# (red) and one just right of it (blue). They end in different valleys, one of them worse.

# %%
for w0, target in [(-0.5, left), (0.5, right)]:
    p, _ = descent.gradient_descent_1d(descent.two_valleys_slope, w0, 0.05, 300)
    assert np.isclose(p[-1], target, atol=1e-6)
descent_widgets.two_valleys_figure()

# %% [markdown]
# The same explorer, now on the two-valley cost. Drag **start w0** across the hump and watch
# the run switch valleys (exercise 03.4 below asks where exactly). Then start high on the right wall (w0 = 2.4) and raise the
# learning rate to about 0.25: the first, long step jumps clean over the hump into the deeper
# valley. Raise it further and the run bounces between the walls or leaves both valleys.
# For large networks this matters less than the picture suggests: with millions of
# parameters, most dips turn out to be about as good as each other. But the start does
# decide the end, which is one more reason this book draws every starting weight from a
# generator with a fixed seed: the same start, so the same result.
#
# *(A live widget: it answers after **Run → Run All Cells**, and again after each reopening;
# on GitHub you see a still picture.)*

# %% tags=["nbval-ignore-output"]
valleys = descent_widgets.learning_rate_explorer()
valleys.set(cost="two valleys", lr=0.05, w0=0.5, n_steps=60)
valleys

# %% [markdown]
# **Exercise 03.4 (explore with the slider).** With the two-valley cost and $\alpha = 0.05$,
# move only **start w0**, a notch at a time. At which start does the run switch from the left
# valley to the right one? Enter the slider's number.

# %% tags=["exercise"]
valleys_switch_at = None  # the slider's number

exercises.check("03.4", valleys_switch_at)

# %% [markdown]
# ## 6. Two parameters: a real cost from MNIST digits
#
# To see what changes with more parameters, we need a cost we can still draw, so it may have
# only two. Here is a real one. Take the 0s and 1s among the MNIST test digits that ship with
# the book, and measure each image's **ink**: the sum of its 784 pixel values divided by 100
# (how many hundred fully lit pixels' worth of stroke it holds; recall that 1 is white, the
# pen). A 0 is a big loop, a 1 a short
# stroke, so zeros should have more ink.

# %%
x, y = descent.load_zeros_and_ones()  # x: ink per image, y: 1 for a 0, 0 for a 1
assert x.shape == (2115,) and y.sum() == 980
len(x), round(float(x[y == 1].mean()), 3), round(float(x[y == 0].mean()), 3)

# %% [markdown]
# 980 zeros with about 1.35 ink and 1,135 ones with about 0.60. Our model is a single sigmoid
# neuron from chapter 01 with one input, the ink: it says "this is a 0" with probability
#
# $$p = \sigma(w \cdot \text{ink} + b),$$
#
# and its cost is chapter 02's cross-entropy: minus the log of the probability the neuron gives
# the right answer ($p$ for a 0, $1 - p$ for a 1), averaged over the $P = 2115$ images. Number
# the images $i = 1, \dots, P$, and write $p_i$ for the neuron's output on image $i$ and $y_i$
# for its target: 1 for a 0 and 0 for a 1. Then both cases fit in one formula (for each image
# one of the two terms is zero):
#
# $$L(w, b) = \frac1P \sum_i \big[-y_i \log p_i - (1 - y_i)\log(1 - p_i)\big].$$
#
# Two parameters, the weight $w$ and the bias $b$, so the cost is a surface over a plane. At
# $w = b = 0$ the neuron says 0.5 for everything, and the cost is $\log 2 \approx 0.693$:


# %%
def cost(theta):  # theta = (w, b), or many such pairs (..., 2)
    return descent.logistic_cost(theta, x, y)


theta0 = np.array([0.0, 0.0])  # (w, b)
assert np.isclose(cost(theta0), np.log(2))
float(cost(theta0))

# %% [markdown]
# ## 7. The gradient: the slope in every direction at once
#
# With two parameters there are two slopes. The **partial derivative** $\partial L/\partial w$
# is the slope when we nudge $w$ and hold $b$ fixed; $\partial L/\partial b$ the slope when we
# nudge $b$ and hold $w$ fixed. Written together as a vector they form the **gradient**
#
# $$\nabla L = \left(\frac{\partial L}{\partial w},\ \frac{\partial L}{\partial b}\right).$$
#
# Each partial derivative can be measured exactly as in section 2, one parameter at a time.
# Let us measure both at the point $(w, b) = (-2, 4)$ where our descents will start:

# %%
START = descent.START  # (w, b) = (-2, 4)
h = 1e-5
dL_dw = (cost(START + [h, 0]) - cost(START - [h, 0])) / (2 * h)  # nudge w, hold b
dL_db = (cost(START + [0, h]) - cost(START - [0, h])) / (2 * h)  # nudge b, hold w
grad_measured = np.array([dL_dw, dL_db])
grad_measured

# %% [markdown]
# **Exercise 03.5 (write the code).** A network has thousands of parameters, not two, so
# write the measurement once for any number: `numerical_gradient(cost, theta, h)` returns an
# array with one entry per parameter, entry $i$ the central difference when only
# `theta[i]` is nudged by $h$ both ways. Leave the caller's `theta` as it was.


# %% tags=["exercise"]
def numerical_gradient(cost, theta, h): ...  # return an array of len(theta) slopes


exercises.check("03.5", numerical_gradient)

# %% [markdown]
# Exactly, the derivative of cross-entropy after a sigmoid is remarkably simple (we state it
# here and check it against the measured slopes): with $z = w \cdot \text{ink} + b$, each example contributes $(p - y)$ to
# $\partial L / \partial z$, and $z$ changes by ink per unit of $w$ and by 1 per unit of $b$:
#
# $$\frac{\partial L}{\partial w} = \frac1P\sum_i (p_i - y_i)\,\text{ink}_i, \qquad
#   \frac{\partial L}{\partial b} = \frac1P\sum_i (p_i - y_i).$$

# %%
p = 1 / (1 + np.exp(-(START[0] * x + START[1])))  # (P,) the neuron's outputs
grad_exact = np.array([np.mean((p - y) * x), np.mean(p - y)])
assert np.allclose(grad_exact, grad_measured, rtol=1e-6)
assert np.allclose(grad_exact, descent.logistic_gradient(START, x, y))
grad_exact

# %% [markdown]
# Both entries are positive, so raising $w$ or $b$ would raise the cost: both should go down.
# Their sizes say more: here the cost is about three times as sensitive to $b$ as to $w$. In a
# network the gradient has one entry per weight and bias, and its large entries show which
# nudges matter most.
#
# ### Why minus the gradient is the steepest way down
#
# If we step a tiny distance $\epsilon$ in some direction $u = (u_w, u_b)$ of length 1, the
# cost changes by about $\epsilon\,(u_w \,\partial L/\partial w + u_b\,\partial L/\partial b)$,
# the dot product $\epsilon\, u \cdot \nabla L$. Which direction makes this most negative?
#
# The dot product of two vectors has a second form, in terms of their lengths and the angle
# $\theta$ between them: $u \cdot g = |u|\,|g| \cos\theta$. (In two dimensions you can
# check it by writing $u$ and $g$ with their lengths and angles; it holds in any number of
# dimensions.) Here $|u| = 1$ and the length $|\nabla L|$ is fixed by where we stand, so
# only the angle is ours to choose, and the slope in direction $u$ is $|\nabla L| \cos\theta$.
# The cosine is largest, 1, at $\theta = 0$, when $u$ points the same way as $\nabla L$; it
# is 0 at a right angle, and smallest, $-1$, at $\theta = 180°$, when $u$ points the opposite
# way. So the gradient points up the steepest slope, $-\nabla L$ down it, and the steepest
# slope down is $-|\nabla L|$.
#
# We can check this by brute force: measure the slope in 360 directions, one per degree, and
# see which is the steepest way down.

# %%
angles = np.deg2rad(np.arange(360))
U = np.stack([np.cos(angles), np.sin(angles)], axis=1)  # (360, 2) unit directions
eps = 1e-5
slopes = (cost(START + eps * U) - cost(START - eps * U)) / (2 * eps)  # (360,)
steepest = U[np.argmin(slopes)]  # the direction in which the cost falls fastest
down = -grad_exact / np.linalg.norm(grad_exact)
assert np.degrees(np.arccos(steepest @ down)) <= 0.5
grad_length = np.linalg.norm(grad_exact)  # |∇L|
cos_theta = U @ grad_exact / grad_length  # (360,) cos of each direction's angle to ∇L
assert np.allclose(slopes, grad_length * cos_theta, atol=1e-6)  # slope = |∇L| cos θ
assert np.isclose(slopes.min(), -grad_length, rtol=1e-4)  # the steepest way down: -|∇L|
steepest.round(3), down.round(3), round(float(slopes.min()), 4), round(float(grad_length), 4)

# %% [markdown]
# The best of the 360 directions and $-\nabla L / |\nabla L|$ agree to within half a degree
# (the spacing of our directions), every measured slope equals $|\nabla L| \cos\theta$, and
# the steepest of them is $-|\nabla L|$, the last two numbers above. The update rule for many parameters is therefore the same
# rule as before, applied to every parameter with its own partial derivative:
#
# $$(w, b) \leftarrow (w, b) - \alpha\,\nabla L(w, b).$$
#
# What to see in the figure: the contour lines of the cost (each line joins points of equal
# cost, like the height lines of a map), the start (black dot), the minimum (star), and at a grid of points an arrow along
# $-\nabla L$, drawn at equal length because only the direction matters here. Every arrow
# crosses the contour lines at a right angle, straight downhill. And notice the shape of the
# land: a long, narrow valley running from top left to bottom right, steep across and almost
# flat along. The arrows point mostly *across* it, hardly *along* it towards the star. That
# will matter.

# %%
descent_widgets.gradient_arrows_figure()

# %% [markdown]
# ## 8. Gradient descent on the surface
#
# The loop is the one from section 3, with a vector in place of a number:

# %%
lr, n_steps = 3.0, 200
theta = START.copy()
gd_path = [theta]
for _ in range(n_steps):
    theta = theta - lr * descent.logistic_gradient(theta, x, y)  # (w, b) <- (w, b) - lr * grad L
    gd_path.append(theta)
gd_path = np.array(gd_path)  # (201, 2)
gd_path[-1].round(3), round(float(descent.logistic_cost(gd_path[-1], x, y)), 4)

# %% [markdown]
# `descent.descend(grad_fn, theta0, "gd", lr, n_steps)` is the same loop with the divergence
# check of section 4, and `descent.run_optimizer_on_surface` wraps it for this cost, counting
# the work done. Both give our path:

# %%
gd_lib, status = descent.descend(
    lambda th: descent.logistic_gradient(th, x, y), START, "gd", lr, n_steps
)
gd = descent.run_optimizer_on_surface(x, y, START, "gd", lr, n_steps)
assert status == "ok" and np.allclose(gd_lib, gd_path) and np.allclose(gd["path"], gd_path)
round(gd["final_cost"], 4), gd["examples"]

# %% [markdown]
# The cost fell from 1.67 to 0.186. The lowest cost on this surface is 0.1767 (at
# $w \approx 11.4$, $b \approx -10.4$), so we are close in cost, but as the figures below show,
# still far from the bottom in distance. We also did a lot of work: every step computed
# $p_i - y_i$ for all 2,115 images, 423,000 **example-gradients** in total. That number is the
# one to watch, because for a real network each example-gradient is a full pass forward and
# backward through all its layers.

# %% [markdown]
# ## 9. Stochastic gradient descent: mini-batches
#
# The gradient is an average over all training examples. An average can be *estimated* from a
# random sample: pick $B$ examples at random, a **mini-batch**, and average only over them.
# The estimate is noisy, but it costs $B$ example-gradients instead of $P$. Let us compare
# the full gradient at the start with a few mini-batch gradients of $B = 16$ images:

# %%
batch_grads = []
for _ in range(5):
    idx = rng.choice(len(x), size=16, replace=False)  # 16 different random images
    batch_grads.append(descent.logistic_gradient(START, x[idx], y[idx]))
np.array(batch_grads).round(3), grad_exact.round(3)

# %% [markdown]
# The mini-batch gradients scatter around the full one: the $b$ entry always has the right
# sign, the $w$ entry sometimes the wrong one, but on average they point the same way. Taking
# steps along such noisy estimates, a fresh random batch for each step, is **stochastic
# gradient descent (SGD)** ("stochastic" means random). It is the loop of section 8 with
# one more line:

# %%
theta = START.copy()
sgd_path = [theta]
for _ in range(n_steps):
    idx = rng.choice(len(x), size=16, replace=False)  # a fresh mini-batch each step
    theta = theta - lr * descent.logistic_gradient(theta, x[idx], y[idx])
    sgd_path.append(theta)
sgd_path = np.array(sgd_path)  # (201, 2)
sgd_cost = descent.logistic_cost(sgd_path[-1], x, y)
assert abs(sgd_cost - gd["final_cost"]) < 0.02
round(float(sgd_cost), 4), n_steps * 16

# %% [markdown]
# After the same 200 steps SGD reaches the same cost as full-batch descent (to within 0.02 of
# it), with 3,200 example-gradients instead of 423,000: 132 times less work.
#
# What to see in the figure: on the left, the smooth blue path of full-batch descent and the
# jagged orange path of SGD, which wobbles around it but goes the same way down the valley. On
# the right, the cost against the work done, on a logarithmic axis: SGD reaches each level of
# cost with about a hundred times fewer example-gradients.

# %%
runs = {
    "gd": {"path": gd_path, "examples": n_steps * len(x)},
    "sgd": {"path": sgd_path, "examples": n_steps * 16},
}
descent_widgets.race_figure(runs, "GD vs SGD (batch 16), lr = 3", against="examples")

# %% [markdown]
# This is how every network in this book is trained. The noise is not even all bad: it jiggles
# the parameters, which can shake them out of poor dips. A pass over all training examples in
# mini-batches is called an **epoch**; the 2,115 images make 132 batches of 16, so our 200
# steps are about 1.5 epochs. Our loop drew each batch independently; the usual way, and the
# one `nnlib.data.minibatches` and this chapter's widget use, is to shuffle the examples once
# per epoch and take them 16 at a time, so that every example is used once per epoch.
#
# **Exercise 03.6 (write the code).** Write `epoch_batches(n, batch_size, rng)`: the
# mini-batches of one epoch of `n` examples, as a list of index arrays. Each batch holds
# exactly `batch_size` indices, no example appears twice, and the order is shuffled with the
# generator `rng` you are given; the few examples left over (2115 is not a multiple of 16)
# wait for the next epoch.


# %% tags=["exercise"]
def epoch_batches(n, batch_size, rng): ...  # return a list of n // batch_size index arrays


exercises.check("03.6", epoch_batches)

# %% [markdown]
# ## 10. The narrow valley: momentum and Adam
#
# Why is even full-batch descent still far from the star after 200 steps? Look again at the
# arrows: across the valley the cost is steep, along it almost flat. The learning rate must be
# small enough for the steep direction (too large and the steps across the valley overshoot,
# section 4), and then it is far too small for the flat direction, along which the
# gradient is tiny. Descent zigzags across and creeps along. This shape is common: it appears
# whenever parameters affect the cost at very different scales, here because the ink is never
# near 0, so changing $w$ and changing $b$ do nearly the same thing.
#
# Two small changes to the update rule fix much of this, and both are standard.
#
# **Momentum.** Instead of stepping along the current gradient, step along a running sum of
# recent gradients, the **velocity** $v$, in which older gradients fade by a factor $\beta$
# (usually 0.9) each step:
#
# $$v \leftarrow \beta v + \nabla L, \qquad \theta \leftarrow \theta - \alpha v.$$
#
# Across the valley the gradients alternate in sign and cancel in the sum; along the valley
# they keep pointing the same way and add up, so the steps there grow up to
# $1/(1 - \beta) = 10$ times longer. Think of a heavy ball rolling down the valley, rather than
# a walker who stops at every step.
#
# **Adam.** Keep two running averages per parameter: $m$ of the gradient (like momentum) and
# $s$ of its square, which says how large that parameter's gradients typically are. Then step
# by $m / \sqrt{s}$: a parameter with tiny gradients gets its step scaled up, one with large
# gradients scaled down, so each parameter moves by about $\alpha$ per step whatever the
# steepness. Since both averages start at 0, they are divided by $1 - \beta^k$ at step $k$ to
# undo that bias early on. (We write $s$ here; `nnlib.optim` and the Adam paper by Kingma and
# Ba call it $v$.)
#
# Each rule is a few lines of numpy:


# %%
def momentum_step(theta, grad, v, lr, beta=0.9):
    v = beta * v + grad
    return theta - lr * v, v


def adam_step(theta, grad, m, s, k, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad  # running mean of the gradient
    s = beta2 * s + (1 - beta2) * grad**2  # running mean of its square
    m_hat, s_hat = m / (1 - beta1**k), s / (1 - beta2**k)  # undo the start at 0
    return theta - lr * m_hat / (np.sqrt(s_hat) + eps), m, s


# %% [markdown]
# The library's optimizers in `nnlib.optim`, `SGD(params, lr, momentum=0.9)` and
# `Adam(params, lr)`, implement the same rules for the parameters of whole networks (they read
# each parameter's gradient from its `.grad`). Fed the same gradients, ours and theirs must
# take the same steps. We give both six random gradients:

# %%
grads = rng.normal(size=(6, 2))  # six made-up gradients for a 2-parameter "model"
w_sgd, w_adam = Tensor(START, dtype=np.float64), Tensor(START, dtype=np.float64)
opt_sgd, opt_adam = SGD([w_sgd], lr=0.1, momentum=0.9), Adam([w_adam], lr=0.1)
theta_m, v, theta_a, m, s = START.copy(), np.zeros(2), START.copy(), np.zeros(2), np.zeros(2)
for k, g in enumerate(grads, start=1):
    w_sgd.grad, w_adam.grad = g.copy(), g.copy()
    opt_sgd.step()
    opt_adam.step()
    theta_m, v = momentum_step(theta_m, g, v, 0.1)
    theta_a, m, s = adam_step(theta_a, g, m, s, k, 0.1)
assert np.allclose(theta_m, w_sgd.data) and np.allclose(theta_a, w_adam.data)
theta_m.round(4), theta_a.round(4)

# %% [markdown]
# They agree, and so do `descent.momentum_update` and `descent.adam_update`, the same rules in
# the library module behind this chapter's widgets (its tests compare them with `nnlib.optim`
# too). Now the race: plain descent, momentum and Adam, all with $\alpha = 1$, 100 steps each,
# full batch, from the same start.
#
# **Exercise 03.7 (predict, then run).** Adam starts at $(w, b) = (-2, 4)$, where both partial
# derivatives are positive and small (0.135 and 0.396). With $\alpha = 1$, where will $w$ be
# after Adam's *first* step? Work it out from `adam_step` above, then run the race and the
# cell after it, which shows Adam's first point.

# %% tags=["exercise"]
adam_first_w = None  # a number

exercises.check("03.7", adam_first_w)

# %%
race = {
    name: descent.run_optimizer_on_surface(x, y, START, name, 1.0, 100)
    for name in ("gd", "momentum", "adam")
}
final = {name: round(run["final_cost"], 4) for name, run in race.items()}
assert final["momentum"] < 0.178 and final["adam"] < 0.178 and final["gd"] > 0.25
final

# %%
adam_first = race["adam"]["path"][1]  # (w, b) after Adam's first step
assert np.allclose(adam_first, START - 1.0, atol=1e-6)  # lr = 1 against each gradient's sign
adam_first.round(4)

# %% [markdown]
# What to see: plain descent (blue) is not yet halfway down the valley, at cost 0.30.
# Momentum (green) starts like plain descent, then its velocity builds up along the valley floor
# and carries it to the star, swinging gently from side to side. Adam (red) moves every
# parameter by about $\alpha$ per step whatever its gradient: its first step goes down-left by
# about 1 in both $w$ and $b$ (both partial derivatives are positive there), and then it runs
# along the valley to the bottom. Both reach the minimum's cost, 0.177, within about 40 steps
# (right panel).

# %%
descent_widgets.race_figure(race, "GD, momentum and Adam, lr = 1, 100 steps")

# %% [markdown]
# Neither is magic. Momentum can overshoot and needs a smaller $\alpha$ on steep costs; Adam's
# steps of about $\alpha$ never shrink by themselves, so it can hover around a minimum instead
# of settling. In practice Adam with $\alpha$ around 0.001 (much smaller than here: its
# steps are about $\alpha$ *per parameter*, and a network has thousands) is the usual first
# choice for networks, and chapter 08 trains the GPT with its close relative AdamW.

# %% [markdown]
# ## 11. The descent race
#
# Now race them yourself. Tick the optimizers to draw: **GD** (full batch), **SGD** (plain
# steps on random mini-batches of the chosen **batch size**), **momentum** and **Adam** (both
# full batch). They all start at the black dot and use the same **learning rate** (a log
# slider from 0.01 to 10) for the number of **steps** you choose; the table under the figure
# gives each one's final cost and the work it did. SGD's batches come from a fixed seed, so the
# same settings always draw the same path.
#
# Things to try:
#
# - Move **steps** from 1 to 200 and watch each path grow; GD never reaches the star.
# - With GD and SGD ticked, change the **batch size**: at 1 the SGD path is a scribble, at 256
#   it almost follows GD, at a tenth of the work.
# - Raise the learning rate to 5 and beyond: GD starts to zigzag across the valley. (On this
#   cost it cannot blow up as the bowl did, because the slope of the cross-entropy after a
#   sigmoid is never larger than the largest ink, about 2.5, so every step is bounded; it bounces.)
# - Tick momentum and Adam and lower the learning rate to 0.1: who gets to the star first?
#
# *(A live widget: it answers after **Run → Run All Cells**, and again after each reopening;
# on GitHub you see a still picture.)*

# %% tags=["nbval-ignore-output"]
descent_widgets.descent_race()

# %% [markdown]
# ## Summary
#
# - Gradient descent lowers a cost by repeated small steps against the slope:
#   $w \leftarrow w - \alpha\, dL/dw$. A positive slope means step left, a negative one step
#   right; the learning rate $\alpha$ (`lr`) sets the step size.
# - A slope can always be measured by central differences, $(L(w+h) - L(w-h))/2h$, at the cost of
#   two evaluations per parameter; exact slopes are cheaper and are checked against measured ones.
# - On the bowl $(w - 1)^2$ the distance to the minimum shrinks by $1 - 2\alpha$ per step: too
#   small an $\alpha$ creeps, a moderate one converges, one above 0.5 overshoots and one above 1
#   diverges. The library detects divergence and stops, instead of overflowing.
# - Descent finds *a* minimum, the one whose valley it starts in.
# - With many parameters the slope becomes the gradient, the vector of partial derivatives; minus
#   the gradient is the steepest way down (the slope at angle θ to the gradient is
#   $|\nabla L| \cos\theta$), and the update applies the rule to every parameter.
# - SGD estimates the gradient from random mini-batches: a noisy, jagged path that still gets
#   there, for a fraction of the work per step. It is how networks are trained.
# - In a narrow valley plain descent crawls; momentum (a running sum of gradients) and Adam
#   (steps scaled per parameter) get to the bottom much faster.
#
# Everything here needed the gradient of the cost. For two parameters we could write it by
# hand; for the 13,002 parameters of the digit network we need a systematic way to compute it.
#
# The [glossary](00_glossary.ipynb) explains the book's main terms in a sentence or two each.
#
# Next, that systematic way: [04 Backpropagation](04_backpropagation.ipynb).
