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
# # 05 Autograd: build it yourself
#
# Chapter 04 wrote backpropagation by hand for one network: for every layer we worked out the
# error $\delta$, then $\partial L/\partial W$ and $\partial L/\partial b$, and checked the
# result against `loss.backward()`. From then on the book only calls `loss.backward()`. That
# one call is nnlib's **autograd** (automatic differentiation), and so far it has been a black
# box. This chapter opens it by building a small one ourselves, in about sixty lines, and
# then shows that nnlib's `Tensor` is the same machine working on whole arrays.
#
# The idea fits in two sentences. Every number computed during the forward pass remembers
# which numbers it was made from and how strongly it depends on each of them (its *local
# derivatives*). The backward pass then applies chapter 04's chain rule once per number,
# from the loss back to the inputs, in an order that finishes each number's gradient before
# passing it on.
#
# By the end of the chapter you will be able to:
#
# 1. write each operation (add, subtract, multiply, power, tanh, exp, log) as a plain function
#    that returns its result and its local derivatives, and check those against finite
#    differences;
# 2. assemble them into a class `Value`, a number that records how it was made, with a
#    `backward()` that walks the graph in **topological order**, and say why the order
#    matters and why a value used twice gets two contributions;
# 3. draw a computation graph with every node's value and gradient, and step through the
#    backward pass one node at a time;
# 4. train a small network with your own `Value` and check its gradients against finite
#    differences and against nnlib;
# 5. see what changes when a value is a whole matrix (the rule for `@`, and undoing
#    broadcasting), and read the parts of nnlib's `Tensor` that do the same job.
#
# Along the way there are seven **exercises**: predict what a cell will show, write a few
# lines of code, or find something with the slider. Each has a check that says at once whether
# you are right and, if not, what the likely mistake is. Stuck? Run
# `exercises.hint("05.2")` (with the exercise's number) in a new cell: one more hint each time.
# The worked solutions are kept out of the chapters (the README says where, for readers
# working alone and for teachers).

# %%
# %matplotlib inline
import inspect
import math

import matplotlib.pyplot as plt  # noqa: F401  (figures are shown inline)
import numpy as np

from nnlib.chapters import ch05_autograd as autograd
from nnlib.exercises import ch05_autograd as exercises
from nnlib.gradcheck import central_difference, rel_error
from nnlib.tensor import Tensor, unbroadcast
from nnlib.widgets import ch05_autograd as autograd_widgets

rng = np.random.default_rng(0)

# %% [markdown]
# ## 1. One operation at a time
#
# An operation takes one or two numbers and returns one. For the backward pass it must also
# tell how its result moves when each input moves a little: the **local derivative**
# $\partial\,\text{out}/\partial\,\text{input}$. We write every operation as a function that
# returns both, the result and a tuple with one local derivative per input. To trust each
# formula we compare it with the slope measured by a central difference,
# $(f(a+h) - f(a-h))/2h$ (chapter 03), with all other inputs held still. (`i=i` below fixes
# the value of `i` when each small function is made; without it, Python would look `i` up
# only when the function runs, and every function would see the last `i`.)


# %%
def check_slopes(op, *inputs):
    """The largest gap between op's local derivatives and central differences at `inputs`."""
    _, local = op(*inputs)
    gaps = []
    for i, slope in enumerate(local):

        def out_of_input_i(v, i=i):  # op's result as input i alone moves (i=i keeps this i)
            moved = list(inputs)
            moved[i] = v
            return op(*moved)[0]

        gaps.append(abs(slope - central_difference(out_of_input_i, inputs[i])))
    return max(gaps)


# %% [markdown]
# **Addition.** $\text{out} = a + b$. Nudge $a$ by a small amount and the sum moves by the
# same amount: both local derivatives are 1.


# %%
def add(a, b):
    return a + b, (1.0, 1.0)


check_slopes(add, 2.0, -3.0)

# %% [markdown]
# **Subtraction.** $\text{out} = a - b$ rises with $a$ and falls with $b$: the local
# derivatives are 1 and $-1$. (We could build it from addition and multiplication by $-1$,
# and we will do so for division below; as an operation of its own it keeps our pictures
# smaller.)


# %%
def sub(a, b):
    return a - b, (1.0, -1.0)


check_slopes(sub, 2.0, -3.0)

# %% [markdown]
# **Multiplication.** $\text{out} = a\,b$. If $a$ grows by a little, the product grows by $b$
# times that little: $\partial\,\text{out}/\partial a = b$, and likewise
# $\partial\,\text{out}/\partial b = a$. Each input's slope is the *other* input.


# %%
def mul(a, b):
    return a * b, (b, a)


check_slopes(mul, 2.0, -3.0)

# %% [markdown]
# **Power** by a fixed number $n$: $\text{out} = a^n$, with
# $\partial\,\text{out}/\partial a = n\,a^{n-1}$. The exponent is a constant of the operation,
# not an input, so there is one local derivative. With $n = -1$ this gives division:
# $a / b = a \cdot b^{-1}$. (`check_slopes` checks as many inputs as there are local
# derivatives, so here only $a$; the exponent rides along as a constant.)


# %%
def power(a, n):
    return a**n, (n * a ** (n - 1),)


check_slopes(power, 1.5, 3), check_slopes(power, 1.5, -1)

# %% [markdown]
# **Exercise 05.1 (write the code).** Division could be built as $a \cdot b^{-1}$, but write it
# as an operation of its own: return $a/b$ and its two local derivatives, first with respect
# to $a$, then to $b$.


# %% tags=["exercise"]
def div(a, b): ...  # return a / b, (slope_a, slope_b)


exercises.check("05.1", div)

# %% [markdown]
# **An activation: tanh.** Chapter 01 met the sigmoid; $\tanh$ is its cousin that runs from
# $-1$ to $1$ instead of from 0 to 1 ($\tanh z = 2\sigma(2z) - 1$). Its slope can be written
# with its own value, just as the sigmoid's was: $\partial \tanh a/\partial a = 1 - \tanh^2 a$.


# %%
def tanh(a):
    t = math.tanh(a)
    return t, (1.0 - t * t,)


check_slopes(tanh, 0.7)

# %% [markdown]
# **exp and log.** $e^a$ is its own slope; $\ln a$ has slope $1/a$ (for $a > 0$). Chapter 02's
# softmax and cross-entropy are built from these two.


# %%
def exp(a):
    e = math.exp(a)
    return e, (e,)


def log(a):
    return math.log(a), (1.0 / a,)


check_slopes(exp, 0.7), check_slopes(log, 0.7)

# %% [markdown]
# **Exercise 05.2 (write the code).** Write the sigmoid of chapter 01 as an operation in the
# same style: return $\sigma(a) = 1/(1 + e^{-a})$ and a tuple with its one local derivative.
# Replace the `...`, run the cell, and read the check. (You can also try
# `check_slopes(sigmoid_op, 1.5)` on your answer.)


# %% tags=["exercise"]
def sigmoid_op(a): ...  # return s, (slope,)


exercises.check("05.2", sigmoid_op)

# %% [markdown]
# Every gap is below $10^{-9}$: the formulas are right. Notice that we test multiplication at
# 2 and $-3$, not at 2 and 2: there, a `mul` that returned its two slopes swapped would pass.
# A check is only as good as the point it looks at. The same functions live in
# `nnlib.chapters.ch05_autograd`; from here on they are the only place where a derivative is
# written down. Everything else (a neuron, a network, a loss) is made of these seven.

# %%
assert all(
    check_slopes(op, *args) < 1e-8
    for op, args in [
        (add, (2.0, -3.0)),
        (sub, (2.0, -3.0)),
        (mul, (2.0, -3.0)),
        (power, (1.5, 3)),
        (tanh, (0.7,)),
        (exp, (0.7,)),
        (log, (0.7,)),
    ]
)
assert mul(2.0, -3.0) == autograd.mul(2.0, -3.0) and tanh(0.7) == autograd.tanh(0.7)

# %% [markdown]
# ## 2. A number that remembers how it was made
#
# Now the class. A `Value` holds a number `data`, and three things about its making: its
# `parents` (the Values it was computed from), the `local_grads` its operation returned, and
# the operation's symbol `op` (only for reading). Its `grad` will hold
# $\partial L/\partial(\text{this value})$ once we run the backward pass on some final value
# $L$. Each method calls one of the functions above and wraps the result in a new Value that
# points back at its parents. Plain numbers are turned into Values without parents, so
# `2 * a` and `a + 1` work too.
#
# The backward pass needs only the chain rule of chapter 04. Suppose node $n$ was made from a
# parent $p$. A small change in $p$ changes $n$ by the local derivative times that change, and
# that change in $n$ changes $L$ by $\partial L/\partial n$ times as much. So $n$'s share of
# $\partial L/\partial p$ is
#
# $$\frac{\partial L}{\partial n}\,\frac{\partial n}{\partial p}
# \qquad\text{in code:}\qquad \texttt{p.grad += local * n.grad}.$$
#
# Two things decide whether this gives the right answer.
#
# - **`+=`, not `=`.** A value can be used by several nodes (a weight by every example in a
#   batch, $d$ in $d \cdot d$). Each use is a path from the value to $L$, and the total slope
#   is the sum over all paths. So every use adds its share.
# - **The order.** Node $n$ may pass its gradient on only when it is *complete*, that is, after
#   every node that uses $n$ has added its share. An order with this property is a
#   **topological order**: list each node after all the nodes it was made from, then walk the
#   list backwards, from $L$ to the inputs.
#
# Here is a topological order. The walk starts at the final node and visits the parents
# first; a node joins the list only after all of its parents are on it:


# %%
def topological_order(root):
    order, seen = [], set()

    def visit(node):
        if id(node) not in seen:
            seen.add(id(node))
            for parent in node.parents:
                visit(parent)
            order.append(node)  # after all of its parents

    visit(root)
    return order


# %% [markdown]
# (This version calls itself once per level of the graph, so a chain of more than about a
# thousand operations would exceed Python's recursion limit; `autograd.topological_order` does
# the same walk with a list as its stack.)
#
# The class, in one cell. Negation, division and the forms with a plain number on the left
# (`1 - a`, `2 / a`, which Python hands to `__rsub__` and `__rtruediv__`) are made from the
# operations we already have, so they need no derivative of their own:


# %%
class Value:
    def __init__(self, data, parents=(), local_grads=(), op="", label=""):
        self.data, self.grad = float(data), 0.0
        self.parents, self.local_grads = tuple(parents), tuple(local_grads)
        self.op, self.label = op, label

    def __repr__(self):
        return f"Value({self.label or ''} data={self.data:.4f}, grad={self.grad:.4f})"

    def _made(self, result, parents, op):  # wrap (out, local derivatives) in a new Value
        out, local = result
        return Value(out, parents, local, op)

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return self._made(add(self.data, other.data), (self, other), "+")

    def __sub__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return self._made(sub(self.data, other.data), (self, other), "-")

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return self._made(mul(self.data, other.data), (self, other), "*")

    def __pow__(self, n):
        return self._made(power(self.data, n), (self,), f"**{n}")

    def tanh(self):
        return self._made(tanh(self.data), (self,), "tanh")

    def exp(self):
        return self._made(exp(self.data), (self,), "exp")

    def log(self):
        return self._made(log(self.data), (self,), "log")

    def __neg__(self):  # -a = a * (-1)
        return self * -1.0

    def __truediv__(self, other):  # a / b = a * b**-1
        other = other if isinstance(other, Value) else Value(other)
        return self * other**-1

    def __radd__(self, other):  # 2 + a
        return self + other

    def __rmul__(self, other):  # 2 * a
        return self * other

    def __rsub__(self, other):  # 2 - a
        return Value(other) - self

    def __rtruediv__(self, other):  # 2 / a
        return Value(other) / self

    def backward(self):
        order = topological_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0  # dL/dL
        for node in reversed(order):  # from L back to the inputs
            for parent, local in zip(node.parents, node.local_grads, strict=True):
                parent.grad += local * node.grad


# %% [markdown]
# ### The first graph: one neuron and its squared error
#
# Chapter 04's smallest case: a neuron with one input $x$, weight $w$ and bias $b$, output
# $a = \tanh(wx + b)$, target $y$, and the squared error $L = (a - y)^2$. We write the square as
# $d \cdot d$ with $d = a - y$ on purpose: then $d$ is used twice. The labels are only for the
# picture.
#
# **Exercise 05.3 (predict, then run).** With these numbers $d = a - y = -1.604$. Before you
# run the next cell: what will `d.grad` be after `L.backward()`? Put your prediction in place of
# `None` and run the check; then run the cell after it and see.

# %% tags=["exercise"]
prediction_d_grad = None  # a number

exercises.check("05.3", prediction_d_grad)


# %%
def named(value, label):
    value.label = label
    return value


x, w, b, y = (
    Value(1.5, label="x"),
    Value(-0.8, label="w"),
    Value(0.5, label="b"),
    Value(1.0, label="y"),
)
wx = named(w * x, "wx")
z = named(wx + b, "z")
a = named(z.tanh(), "a")
d = named(a - y, "d")
L = named(d * d, "L")
L.backward()
[n.label for n in topological_order(L)]

# %% [markdown]
# The topological order puts the inputs first and $L$ last; `backward()` walks it from the
# end. Now the gradients. Chapter 04's chain rule, written out for this neuron, says
# $\partial L/\partial z = 2d\,(1 - a^2)$, then $\partial L/\partial w = \partial L/\partial z \cdot x$,
# $\partial L/\partial b = \partial L/\partial z$ and $\partial L/\partial x = \partial L/\partial z \cdot w$.
# Our Value, the formulas by hand (`autograd.neuron_example_grads`), and a central difference
# on the whole computation must all agree:


# %%
def L_of(xv=1.5, wv=-0.8, bv=0.5):  # the same computation on plain numbers
    return (math.tanh(wv * xv + bv) - 1.0) ** 2


by_hand = autograd.neuron_example_grads()
numeric = {
    "w": central_difference(lambda v: L_of(wv=v), -0.8),
    "b": central_difference(lambda v: L_of(bv=v), 0.5),
    "x": central_difference(lambda v: L_of(xv=v), 1.5),
}
{
    k: (round(v.grad, 6), round(by_hand[k], 6), round(numeric[k], 6))
    for k, v in {"w": w, "b": b, "x": x}.items()
}

# %%
for name, node in {"w": w, "b": b, "x": x}.items():
    assert abs(node.grad - by_hand[name]) < 1e-12 and abs(node.grad - numeric[name]) < 1e-8
assert abs(d.grad - 2 * d.data) < 1e-12  # d was used twice: d.grad = 2 d

# %% [markdown]
# All three agree. Look at $d$: its gradient is $2d = -3.209$, which is what
# $\partial(d^2)/\partial d = 2d$ says. `backward()` got it as two contributions of
# $d = -1.604$, one for each arrow from $d$ into $L$ (the local derivative of $d \cdot d$ with
# respect to its first factor is the second factor, and the other way round). Had we written
# `parent.grad = ...` instead of `+=`, the second would have overwritten the first and every
# gradient below $d$ would be half what it should be.
#
# **Exercise 05.4 (predict, then run).** Let `x = Value(3.0)` and `L = x * x * x`. What will
# `x.grad` be after `L.backward()`? Count the shares before you use calculus; then check, and
# build it in a new cell to see.

# %% tags=["exercise"]
prediction_x_grad = None  # a number

exercises.check("05.4", prediction_x_grad)

# %% [markdown]
# ## 3. Why the order matters
#
# A tempting shortcut is to hand gradients backwards in the order we meet the nodes from
# $L$: first $L$, then its parents, then theirs (a *breadth-first* order). On the neuron it
# happens to work. It fails when a value reaches $L$ along one short path and one long path:
# the breadth-first walk reaches it along the short path first and passes its gradient on
# before the long path's share has arrived. A graph with this shape:
# $u = 3x$, $v = \tanh(u \cdot u)$, $L = u + v$. We build it with the book's copy of our class,
# `autograd.Value` (the same design, kept in `nnlib.chapters.ch05_autograd` so the widgets and
# tests can use it), because `autograd.backward_in_order` applies the same `+=` rule in any
# order we give it. It returns the gradients as a dictionary keyed by each node's `id()`, so
# `right[id(x2)]` is $\partial L/\partial x$ in the right order:

# %%
x2 = autograd.Value(0.4, label="x")
u = named(x2 * 3, "u")
s = named(u * u, "s")
v = named(s.tanh(), "v")
L2 = named(u + v, "L")
right = autograd.backward_in_order(L2, list(reversed(autograd.topological_order(L2))))
wrong = autograd.backward_in_order(L2, autograd.breadth_first_order(L2))
exact = central_difference(lambda v: 3 * v + math.tanh((3 * v) ** 2), 0.4)
round(right[id(x2)], 6), round(wrong[id(x2)], 6), round(exact, 6)

# %%
assert abs(right[id(x2)] - exact) < 1e-8 and abs(wrong[id(x2)] - exact) > 0.5
L2.backward()
autograd_widgets.graph_figure(L2, title="u reaches L along a short path and a long one")

# %% [markdown]
# The topological order gives $\partial L/\partial x = 4.45$, as the central difference does;
# the breadth-first order gives 3.0, which is only the short path's share (the slope of
# $u = 3x$ times $\partial L/\partial u = 1$ from $L = u + v$). The long path's share through
# $v$ arrived at $u$ after $u$ had already passed its gradient on to $x$, so it was lost. In
# the picture: breadth-first visits $u$ right after $L$, along the arc at the top, while the
# share from $s$ (0.201 × 1.2 × 2, two arrows) is still on its way.

# %% [markdown]
# ## 4. The graph, drawn, and the backward pass, one step at a time
#
# Here is our neuron's graph as the computer holds it. Each box is a Value: how it was made,
# its `data` and, after `backward()`, its `grad` (red). The small blue number on each arrow
# is the local derivative of the box it points to with respect to the box it comes from. Two
# arrows run from $d$ to $L$: $d$ is used twice. Read any input's gradient as a product along
# its path: $\partial L/\partial b = 1 \cdot 0.635 \cdot (-3.209) = -2.037$ (the local
# derivatives from $b$ to $z$ and from $z$ to $a$, times $a$'s gradient).

# %%
autograd_widgets.graph_figure(L)

# %% [markdown]
# The widget below runs the same backward pass one node at a time. Move the slider: the
# yellow box is the node whose turn is next, and its gradient is complete at that moment;
# green boxes have passed theirs on; white ones are still waiting, their gradient partly
# added up or not yet known ("?"). The line under the picture says what the yellow node is
# about to add into each parent. It starts halfway, at step 4 (the still picture on GitHub
# shows that moment); drag it back to 0 and forward again. Watch $d$: at step 1, $L$ hands it
# two shares, one per arrow. And check that a box turns yellow only when every box its arrows
# point into is already green: that is what a topological order guarantees.
#
# *(A live widget: it answers after **Run → Run All Cells**, and again after each reopening;
# on GitHub you see a still picture.)*

# %% tags=["nbval-ignore-output"]
autograd_widgets.backward_stepper(L, step=4)

# %% [markdown]
# **Exercise 05.5 (explore with the slider).** At which value of "nodes done" does
# $z = wx + b$ turn yellow, its gradient complete? Enter the number.

# %% tags=["exercise"]
z_turns_yellow_at = None  # the slider's number

exercises.check("05.5", z_turns_yellow_at)

# %% [markdown]
# ## 5. A neuron and a small network, trained with our Value
#
# A neuron (chapter 01) is a weighted sum plus a bias, through an activation; here tanh.
# The weights start random, uniform between $-1$ and 1. (nnlib's layers, which chapter 04
# used, draw from a narrower range, $\pm 1/\sqrt{n_{in}}$; with two inputs the difference is
# small.) Nothing in the class knows about
# gradients: it only does arithmetic with Values, and the graph records itself.


# %%
class Neuron:
    def __init__(self, n_in, rng):
        self.w = [Value(v) for v in rng.uniform(-1, 1, n_in)]
        self.b = Value(0.0)

    def __call__(self, x):  # a = tanh(sum_i w_i x_i + b)
        z = self.b
        for w_i, x_i in zip(self.w, x, strict=True):
            z = z + w_i * x_i
        return z.tanh()

    def parameters(self):
        return self.w + [self.b]


# %% [markdown]
# A network is a list of layers, a layer a list of neurons, each fed the previous layer's
# outputs:


# %%
class MLP:
    def __init__(self, sizes, rng):  # sizes = [n_in, n_hidden, ..., n_out]
        self.layers = [
            [Neuron(n_in, rng) for _ in range(n_out)]
            for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)
        ]

    def __call__(self, x):
        for layer in self.layers:
            x = [neuron(x) for neuron in layer]
        return x[0] if len(x) == 1 else x

    def parameters(self):
        return [p for layer in self.layers for neuron in layer for p in neuron.parameters()]


# %% [markdown]
# The task is **XOR**: output $+1$ when exactly one of two inputs is 1, and $-1$ when both or
# neither are. No single neuron can do it, because its decision boundary is a straight line
# (chapter 01) and no line separates the two $+1$ points from the two $-1$ points. A hidden
# layer of four neurons can. The loss is chapter 02's mean squared error over the four
# examples. The loop is chapter 03's gradient descent, written out: forward, backward, step.

# %%
X_xor = [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]
y_xor = [-1.0, 1.0, 1.0, -1.0]
model = MLP([2, 4, 1], np.random.default_rng(0))


def loss_of(model):  # L = 1/4 sum_p (y_hat_p - y_p)^2
    return sum((model(x) - t) ** 2 for x, t in zip(X_xor, y_xor, strict=True)) / len(X_xor)


len(model.parameters()), round(loss_of(model).data, 4)

# %% [markdown]
# Seventeen parameters: $2 \cdot 4 + 4$ in the hidden layer and $4 + 1$ in the output
# neuron. Before training, we check the gradients twice over, as chapter 04 did for its hand
# written backward pass. First against central differences, nudging one parameter at a time:

# %%
L_model = loss_of(model)
L_model.backward()
ours = np.array([p.grad for p in model.parameters()])


def loss_at(p, v):  # the loss with parameter p set to v, then put back
    old, p.data = p.data, v
    value = loss_of(model).data
    p.data = old
    return value


numeric = np.array(
    [central_difference(lambda v, p=p: loss_at(p, v), p.data) for p in model.parameters()]
)
rel_error(ours, numeric)

# %% [markdown]
# Then against nnlib, on the very same numbers: we copy the weights into nnlib Tensors (float64,
# so that only the method differs, not the rounding), let nnlib compute the same loss with
# matrices, and ask it for the gradients.

# %%
hidden, out = model.layers
W1 = Tensor([[w.data for w in n.w] for n in hidden], dtype=np.float64)  # (4, 2)
b1 = Tensor([n.b.data for n in hidden], dtype=np.float64)  # (4,)
W2 = Tensor([[w.data for w in n.w] for n in out], dtype=np.float64)  # (1, 4)
b2 = Tensor([n.b.data for n in out], dtype=np.float64)  # (1,)
X_t = Tensor(X_xor, requires_grad=False, dtype=np.float64)  # (4, 2)
A1 = (X_t @ W1.T + b1).tanh()  # (4, 2) @ (2, 4) -> (4, 4)
Y_hat = (A1 @ W2.T + b2).tanh()  # (4, 4) @ (4, 1) -> (4, 1)
L_nnlib = ((Y_hat - np.array(y_xor)[:, None]) ** 2).mean()
L_nnlib.backward()
nnlib_grads = np.concatenate(
    [
        np.concatenate([W1.grad, b1.grad[:, None]], axis=1).ravel(),
        np.concatenate([W2.grad, b2.grad[:, None]], axis=1).ravel(),
    ]
)  # in the order of model.parameters(): each neuron's weights, then its bias
abs(L_nnlib.item() - L_model.data), rel_error(ours, nnlib_grads)

# %%
assert rel_error(ours, numeric) < 1e-7
assert abs(L_nnlib.item() - L_model.data) < 1e-12 and rel_error(ours, nnlib_grads) < 1e-12

# %% [markdown]
# Our sixty lines and nnlib agree to the last few digits of a float64 (a relative error near
# $10^{-16}$), and both agree with finite differences to about one part in a billion. Now we
# train: 100 steps of gradient descent with learning rate 0.3.

# %%
losses = []
for _ in range(100):
    L_model = loss_of(model)
    L_model.backward()  # every parameter's .grad = dL/dp
    for p in model.parameters():
        p.data -= 0.3 * p.grad  # chapter 03's step: w <- w - lr * dL/dw
    losses.append(L_model.data)
predictions = [model(x).data for x in X_xor]
autograd_widgets.training_figure(losses, X_xor, y_xor, predictions)

# %%
assert losses[0] > 1.0 and losses[-1] < 0.05
assert all(np.sign(p) == t for p, t in zip(predictions, y_xor, strict=True))
[round(p, 2) for p in predictions]

# %% [markdown]
# The loss falls from about 1.4 to below 0.03, and the four outputs have the right signs,
# each within about 0.2 of its target. (The wiggles between steps 20 and 50 are steps a little
# too long for that stretch of the cost: chapter 03's overshooting, which settles by itself
# here.) A network that no single neuron could replace, trained
# by a backward pass we wrote ourselves.

# %% [markdown]
# ## 6. From numbers to arrays
#
# Our Value works, but it is slow: every multiplication is a Python object. A 784-16-16-10
# network (chapter 04's) would do this many operations, each making a new Value, for a
# *single* digit's forward pass (not counting the 13,002 parameters themselves, nor the
# input numbers our `Neuron` wraps as constants):

# %%
autograd.count_scalar_nodes([784, 16, 16, 10])

# %% [markdown]
# About 26,000; then the backward pass does one `+=` per arrow, about twice as many; and all
# of it again for every example of every batch. nnlib's `Tensor` keeps the same design but
# makes each node a whole array: per layer one node for $XW^T + b$ (nnlib computes the two as
# one fused step) and one for the activation, so the same network builds 6 nodes for a batch
# of any size, and numpy does the arithmetic inside each node. Two things change when a node
# is an array.
#
# **The rule for matrix products.** Let $Z = A B$ with $A$ of shape $(m, q)$ and $B$ of shape
# $(q, n)$, so $z_{ij} = \sum_r a_{ir} b_{rj}$, and let $G$ hold $\partial L/\partial z_{ij}$.
# The entry $a_{ir}$ enters every $z_{ij}$ of row $i$, each time multiplied by $b_{rj}$, so it
# collects one share per use: $\partial L/\partial a_{ir} = \sum_j g_{ij}\, b_{rj}$.
#
# **Exercise 05.6 (write the code).** Write that sum, and the one for $\partial L/\partial B$,
# as matrix products: return `(dA, dB)` for arrays `A` $(m, q)$, `B` $(q, n)$ and
# `G` $(m, n)$. Let the shapes guide you: `dA` must have the shape of `A`.


# %% tags=["exercise"]
def matmul_grads(A, B, G): ...  # return dA, dB


exercises.check("05.6", matmul_grads)

# %% [markdown]
# The sum over $j$ is the matrix product $G B^T$, and in the same way
# $\partial L/\partial B = A^T G$. We need not take this on trust: build the product from our
# scalar Values, with $L = \sum_{ij} g_{ij} z_{ij}$ so that $\partial L/\partial Z = G$, and
# compare.

# %%
A_np, B_np, G = rng.normal(size=(2, 3)), rng.normal(size=(3, 4)), rng.normal(size=(2, 4))
A_v = [[Value(v) for v in row] for row in A_np]  # 2 x 3 Values
B_v = [[Value(v) for v in row] for row in B_np]  # 3 x 4 Values
Z_v = [
    [sum((A_v[i][r] * B_v[r][j] for r in range(3)), Value(0.0)) for j in range(4)] for i in range(2)
]  # z_ij = sum_r a_ir b_rj
L_mat = sum((Z_v[i][j] * G[i, j] for i in range(2) for j in range(4)), Value(0.0))
L_mat.backward()
dA = np.array([[v.grad for v in row] for row in A_v])
dB = np.array([[v.grad for v in row] for row in B_v])
rel_error(dA, G @ B_np.T), rel_error(dB, A_np.T @ G)

# %%
assert rel_error(dA, G @ B_np.T) < 1e-12 and rel_error(dB, A_np.T @ G) < 1e-12

# %% [markdown]
# The scalar engine, one share at a time, and the two matrix products give the same numbers.
# This is the whole backward rule of `@` in nnlib: two matrix products instead of a million
# `+=`.
#
# **Undoing broadcasting.** A layer computes $Z = X W^T + b$ for a batch $X$ of many rows
# (say 5, one example each), and numpy adds the bias vector $b$ to every row: it
# *broadcasts* $b$ from shape $(n,)$ to $(5, n)$. To the chain rule this is a value used 5
# times, and we know what that means: the shares add up,
# $\partial L/\partial b = \sum_{\text{rows}} \partial L/\partial Z$. An array engine must do
# this sum itself, because the gradient arriving from $Z$ has shape $(5, n)$ while $b$ has
# shape $(n,)$.
#
# **Exercise 05.7 (write the code).** Write `unbroadcast(grad, shape)`: given a gradient that
# numpy broadcasting made larger, return it summed back to `shape`. Numpy broadcasts in two
# ways: it adds axes in front (`(3,)` against `(5, 3)`), and it stretches axes of length 1
# (`(5, 1)` against `(5, 3)`). Your function must undo both.


# %% tags=["exercise"]
def unbroadcast_mine(grad, shape): ...  # return grad summed back to shape


exercises.check("05.7", unbroadcast_mine)

# %% [markdown]
# nnlib's own `unbroadcast` sums over exactly the axes that numpy copied along:

# %%
dZ = rng.normal(size=(5, 3))  # dL/dZ for a batch of 5 rows, 3 neurons
unbroadcast(dZ, (3,)), dZ.sum(axis=0)

# %%
assert np.allclose(unbroadcast(dZ, (3,)), dZ.sum(axis=0))
assert unbroadcast(dZ, (1, 3)).shape == (1, 3)  # a (1, 3) bias keeps its shape

# %% [markdown]
# ### A guided reading of nnlib's Tensor
#
# With these two duties added, nnlib's `Tensor` (in `nnlib/tensor.py`) is our Value over
# arrays. Three short pieces show it. First, multiplication. Compare it with our `mul`: the
# local derivative of $a \cdot b$ with respect to $a$ is $b$, so the share passed to `self` is
# `g * other.data` (`g` is the node's own gradient, $\partial L/\partial\,\text{out}$), and to
# `other` it is `g * self.data`. Instead of storing local derivatives, nnlib stores a small
# function `_backward(g)` that computes both shares at once and adds them in with `+=`;
# `unbroadcast` undoes broadcasting.

# %%
print(inspect.getsource(Tensor.__mul__))

# %% [markdown]
# Second, the matrix product: the two products $G B^T$ and $A^T G$ we just checked (there
# `dZ @ B.swapaxes(-1, -2)` and `A.swapaxes(-1, -2) @ dZ`; `swapaxes(-1, -2)` is the transpose
# of the last two axes, so stacks of matrices work too). The rest is bookkeeping you can
# skip on a first reading: the `ndim == 1` lines let a vector stand in for a one-row or
# one-column matrix, the branch for "a stack of rows times one matrix" does the same sum as
# one big product because that is faster, and `_add_grad` is `+=` that keeps the first share
# as it is instead of adding it to an array of zeros.

# %%
print(inspect.getsource(Tensor.__matmul__))

# %% [markdown]
# Third, `backward()` itself: the same topological order (`_topological_order`, our walk with
# a list as its stack), walked from the end, with $\partial L/\partial L = 1$ to start. Three
# differences from ours. It refuses to start from a value that is not a single number (there
# would be no single $L$ to differentiate), unless you pass `grad=`, an array of
# $\partial L/\partial(\text{this})$ to start from. It resets only the gradients of computed
# nodes: a parameter's `.grad` keeps adding up over calls, which is why chapter 04's training
# loop calls `zero_grad()` before each `backward()`. And it does not fill those gradients with
# zeros up front (`_grad = None`, `_pending = True`): the first share to arrive becomes the
# gradient, which saves a pass over every array.

# %%
print(inspect.getsource(Tensor.backward))

# %% [markdown]
# The rest of `tensor.py` is more operations written the same way (each with its local
# derivative, checked against finite differences in `tests/test_tensor.py`), plus a few
# conveniences. When chapter 08 calls `loss.backward()` on a GPT with 818,241 parameters, this
# is all that happens: a topological order, and `+=` of local derivative times gradient,
# one array at a time.
#
# ## Summary
#
# - Each operation returns its result and its **local derivatives**: 1 and 1 for $a + b$,
#   1 and $-1$ for $a - b$, $b$ and $a$ for $a\,b$, $n a^{n-1}$ for $a^n$, $1 - \tanh^2 a$
#   for $\tanh a$, $e^a$ for $e^a$, $1/a$ for $\ln a$. Central differences confirm each one.
# - A `Value` remembers its parents and local derivatives. `backward()` lists the graph in
#   **topological order** and walks it from $L$ back, doing `parent.grad += local * node.grad`.
# - `+=` because a value used several times collects one share per use ($d \cdot d$ gives
#   $2d$); topological order because a node may pass its gradient on only when it is complete
#   (a breadth-first order lost the long path's share: 3.0 instead of 4.45).
# - Our sixty lines trained a 2-4-1 network on XOR and agree with finite differences and with
#   nnlib on the same numbers.
# - On arrays the same machine needs two more rules: $\partial L/\partial A = G B^T$ and
#   $\partial L/\partial B = A^T G$ for $Z = AB$, and summing over broadcast axes. With them,
#   nnlib's `Tensor` builds 6 nodes where our Value would build 26,000.
#
# Words you met here (local derivative, computation graph, topological order, autograd) are
# in the [glossary](00_glossary.ipynb).
#
# Next, [chapter 06](06_tokens_and_embeddings.ipynb) leaves digits for text: it turns
# characters into numbers (**tokens**) and numbers into vectors (**embeddings**), the input of
# the GPT that chapters 07 and 08 build and train with exactly this `backward()`.
