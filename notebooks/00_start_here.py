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
#
# By the end of this chapter you will be able to
#
# 1. say where neural networks fit among the words you hear about: artificial intelligence,
#    machine learning, deep learning and supervised learning;
# 2. run a chapter, one cell or all of them, and start it over when something looks odd;
# 3. read a function as "numbers in, a number out", and move its knobs with a slider;
# 4. find your way around: the chapters, [the notation](00_notation.ipynb) (every symbol
#    next to its name in the code) and [the glossary](00_glossary.ipynb) (every term in a
#    sentence or two).

# %% [markdown]
# ## Where this book fits
#
# **Artificial intelligence** is the wide field of making computers do things we would call
# intelligent: playing chess, recognising faces, translating, writing. An ordinary program
# does its job by following rules that a programmer wrote down, one case after another. For
# many such tasks nobody can write the rules. Try to describe, pixel by pixel, what makes a
# handwritten 3 a 3, for every way people write it.
#
# **Machine learning** is the part of artificial intelligence that avoids writing the rules.
# Instead we show the program many examples and let it find the patterns in them itself.
# The program has numbers it can adjust, and learning means adjusting them until its answers
# on the examples are good. The most common kind is **supervised learning**: every example
# comes with the correct answer, its **label**. A picture of a digit comes with the digit it
# shows, and a piece of text with the word that really came next.
#
# A **neural network** is one kind of adjustable program, built from many small, simple
# parts called neurons, arranged in layers. **Deep learning** is machine learning with
# networks of many layers; "deep" refers to that number of layers. Large language models
# such as the GPTs behind chat assistants are deep networks trained on text, and this book
# ends with a small one of our own.
#
# Learning can fail in two opposite ways, and the book shows both with the digit network of
# chapter 04. A network that is too small, or trained too briefly, cannot even fit its own
# training examples well: that is **underfitting**. A network that fits its training
# examples too closely, noise and accidents included, does worse on new examples than it
# does on those: that is **overfitting**. This is why we always measure a network on a
# **test set**, examples it never saw while training.
#
# Some things the book leaves out. Networks built for pictures (convolutional networks) and
# older networks for text that read one word at a time and carry a memory along
# (**recurrent networks**) are not covered; the transformer of chapters 07 and 08 has taken
# the place of recurrent networks for most language tasks. Nor do we try to fix
# **hallucination**, a language model's habit of writing fluent, confident text that is
# false: chapter 08 shows where it comes from, since a model trained only to predict likely
# text has no notion of true text.

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
# The book has two parts. **Part I** (chapters 01 to 05) builds a network that reads
# handwritten digits and the machinery that trains it. **Part II** (chapters 06 to 08) turns
# to text and builds a small GPT.
#
# | | chapter | what you build |
# |---|---|---|
# | 00 | start here | this page, [the notation](00_notation.ipynb) (every symbol next to its name in the code) and [the glossary](00_glossary.ipynb) (every term in plain words) |
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

# %% [markdown]
# ## Summary
#
# - Machine learning finds patterns in examples instead of following rules someone wrote;
#   supervised learning learns from examples with their correct answers (labels); deep
#   learning does it with networks of many layers.
# - A network can underfit (too small to fit even its training examples) or overfit (fitting
#   them so closely that it does worse on new ones); a test set tells the two apart.
# - Each chapter is a notebook: **Run → Run All Cells** first, **Shift+Enter** for one cell,
#   **Kernel → Restart Kernel and Run All Cells** to start over.
# - A function takes numbers in and gives a number out; y = w·x + b has a slope w and a
#   shift b, and sliders let you move them and watch.
# - Every symbol has one name in the code ([the notation](00_notation.ipynb)), and every
#   term is explained in [the glossary](00_glossary.ipynb).
#
# Next: one neuron, and a network of them that will read digits,
# [01 The neuron](01_neuron.ipynb).
