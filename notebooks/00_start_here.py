# %% [markdown]
# # From Neuron to GPT: start here
#
# This book explains how neural networks work by building them. We start with a single
# artificial neuron, a function with a few numbers you can turn like knobs, and end with a
# small GPT that writes Shakespeare-like text one character at a time. Along the way we
# build everything we use ourselves, in a small library called `nnlib` written with numpy,
# so that no step is hidden inside somebody else's code.
#
# The book is for readers who can read a little Python and remember a little school
# algebra. You do not need calculus beforehand: each chapter introduces the piece it needs,
# and every formula comes with a picture you can move and a few lines of code that compute
# it.

# %% [markdown]
# ## How to run this book
#
# Each chapter is a Jupyter notebook. Open it in JupyterLab (the README shows the one command
# that installs everything and opens this notebook). Then:
#
# - **Run one cell**: click into it and press **Shift+Enter**. The result appears under the cell.
# - **Run a whole chapter**: menu **Run → Run All Cells**. Cells depend on the ones above them,
#   so run them top to bottom.
# - **Start over**: menu **Kernel → Restart Kernel and Run All Cells**. Do this whenever
#   something looks odd; it forgets everything and runs the chapter afresh.
#
# The notebooks are deterministic: every random number comes from a generator with a fixed
# seed, so you see the same numbers and figures as the printed outputs.
#
# The first code cell of every chapter loads the tools: numpy for arrays, matplotlib for
# figures, then the parts of `nnlib` the chapter uses.

# %%
# %matplotlib inline
import numpy as np

from nnlib.widgets import ch00_start_here as widgets

rng = np.random.default_rng(0)

# %% [markdown]
# ## A function, drawn
#
# Almost everything in this book is a function: numbers go in, a number comes out. The
# simplest one worth drawing is a straight line, y = w·x + b. The number w is the **slope**
# (how much y changes when x grows by 1) and b is the **shift** (the value of y at x = 0).
#
# What to see below: three lines with the same shift b = 0 and different slopes. All three
# pass through the origin; the larger w is (ignoring its sign), the steeper the line, and a
# negative w makes the line go down as x grows.

# %%
widgets.function_family(ws=(-1.0, 0.5, 2.0), b=0.0)

# %% [markdown]
# ## Sliders
#
# Instead of redrawing by hand for every w and b, the book gives you **sliders**. A slider
# is a bar with a handle: drag the handle with the mouse and the number beside it changes,
# and so does the figure, immediately. You can also click a handle and press the arrow keys
# to move it one step at a time, or click the number and type a value.
#
# Try it: drag **w** and watch the line turn around the point where it crosses the y axis;
# drag **b** and watch the whole line move up and down without turning. The red dot follows
# the output at x = 1, which is w + b.
#
# *(A live widget: it answers after **Run → Run All Cells**, and again after each reopening;
# on GitHub you see a still picture.)*

# %% tags=["nbval-ignore-output"]
explorer = widgets.function_explorer()
explorer

# %% [markdown]
# Code can move the sliders too. Every widget in the book keeps what it computed in
# `explorer.state`, which is how the tests check the numbers behind the pictures. Here we set
# w = 2 and b = -1, so the output at x = 1 must be 2·1 - 1 = 1.

# %%
state = explorer.set(w=2.0, b=-1.0)
assert np.isclose(state["y_at_1"], 2.0 * 1.0 - 1.0)
state

# %% [markdown]
# ## The chapters
#
# | | chapter | what you build |
# |---|---|---|
# | 00 | start here | this page, and `00_notation`: every symbol next to its name in the code |
# | 01 | the neuron | one neuron: weighted sum, bias and sigmoid, and a layer of them as a matrix |
# | 02 | the cost function | how wrong a network is, as one number: squared error and cross-entropy |
# | 03 | gradient descent | walking downhill on the cost, and what the learning rate does |
# | 04 | backpropagation | the chain rule, computed backwards through the network, and a digit classifier |
# | 05 | autograd | your own `backward()`: numbers that remember how they were made, the chain rule in topological order |
# | 06 | tokens and embeddings | turning text into numbers: characters, byte-pair tokens, vectors |
# | 07 | attention | how each token looks at the earlier ones and mixes what it finds |
# | 08 | GPT | the whole model: blocks, training on Shakespeare, sampling text |
#
# Read them in order: each chapter uses what the previous ones built.

# %% [markdown]
# ## Working offline
#
# The chapters use two small data sets: handwritten digits (MNIST) and the text of
# Shakespeare's plays. The repository already contains the 10,000 MNIST test digits and
# "tiny Shakespeare", so every chapter runs without internet; the digit chapters then split
# those 10,000 images into 8,000 for training and 2,000 for testing.
#
# If you keep the data elsewhere, set the environment variable `NNLIB_DATA` to that folder
# before starting JupyterLab. Setting `NNLIB_OFFLINE=1` forbids any download, so a missing
# file gives a clear error instead of a network request.
