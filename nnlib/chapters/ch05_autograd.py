"""Autograd from scratch: a number that remembers how it was made (the math behind chapter 05).

A Value holds one number, `data`, and after backward() its `grad`: dL/d(this value) for the
value L that backward() was called on. Every operation is a plain function that returns its
result and its *local derivatives*, the slope of the result with respect to each input:

    mul(a, b) -> (a * b, (b, a))        since d(ab)/da = b and d(ab)/db = a

A Value made by an operation keeps its `parents` and those local derivatives. backward() then
applies the chain rule once per node, from L back to the inputs:

    parent.grad += local_derivative * node.grad

It must visit the nodes in a *topological order* (every node after all the nodes that use
it), so that a node's gradient is complete before it is passed on; a value used twice
receives two contributions, which add up. nnlib.tensor.Tensor is the same machine with
arrays instead of single numbers. The notebook builds its own Value cell by cell; this module
keeps the reference the widgets draw and the tests check.
"""

import math


# ---- the operations: a result and its local derivatives ----------------------------------
def add(a, b):
    """out = a + b;  d out/da = 1,  d out/db = 1."""
    return a + b, (1.0, 1.0)


def sub(a, b):
    """out = a - b;  d out/da = 1,  d out/db = -1."""
    return a - b, (1.0, -1.0)


def mul(a, b):
    """out = a * b;  d out/da = b,  d out/db = a."""
    return a * b, (b, a)


def power(a, n):
    """out = a ** n for a constant number n;  d out/da = n * a ** (n - 1)."""
    return a**n, (n * a ** (n - 1),)


def tanh(a):
    """out = tanh(a);  d out/da = 1 - tanh(a) ** 2."""
    t = math.tanh(a)
    return t, (1.0 - t * t,)


def exp(a):
    """out = e ** a;  d out/da = e ** a (its own slope)."""
    e = math.exp(a)
    return e, (e,)


def log(a):
    """out = ln a for a > 0;  d out/da = 1 / a."""
    if a <= 0:
        raise ValueError(f"log needs a positive number, got {a}: the logarithm of {a} is undefined")
    return math.log(a), (1.0 / a,)


class Value:
    """One number in a computation, with the parents it was made from and dL/d(itself).

    data: the number.  grad: dL/d(data), filled in by backward() on some L (0 before).
    parents: the Values this one was computed from; local_grads: d(self)/d(parent) for each.
    op: the operation's symbol, label: a name for pictures (both only for reading).
    """

    def __init__(self, data, parents=(), local_grads=(), op="", label=""):
        if isinstance(data, Value):
            raise TypeError("Value(...) takes a number; this is already a Value")
        self.data = float(data)
        self.grad = 0.0
        self.parents = tuple(parents)
        self.local_grads = tuple(local_grads)
        self.op = op
        self.label = label

    def __repr__(self):
        name = f"{self.label}=" if self.label else ""
        return f"Value({name}{self.data:.4g}, grad={self.grad:.4g})"

    def __add__(self, other):
        other = as_value(other)
        out, local = add(self.data, other.data)
        return Value(out, (self, other), local, "+")

    def __sub__(self, other):
        other = as_value(other)
        out, local = sub(self.data, other.data)
        return Value(out, (self, other), local, "-")

    def __mul__(self, other):
        other = as_value(other)
        out, local = mul(self.data, other.data)
        return Value(out, (self, other), local, "*")

    def __pow__(self, n):
        if not isinstance(n, (int, float)):
            raise TypeError(f"the exponent must be a plain number, got {type(n).__name__}")
        out, local = power(self.data, n)
        return Value(out, (self,), local, f"**{n:g}")

    def tanh(self):
        out, local = tanh(self.data)
        return Value(out, (self,), local, "tanh")

    def exp(self):
        out, local = exp(self.data)
        return Value(out, (self,), local, "exp")

    def log(self):
        out, local = log(self.data)
        return Value(out, (self,), local, "log")

    # The rest are made of the operations above, so they need no derivatives of their own.
    def __neg__(self):  # -a = a * (-1)
        return self * -1.0

    def __truediv__(self, other):  # a / b = a * b ** -1
        return self * as_value(other) ** -1

    def __radd__(self, other):  # 2 + a
        return self + other

    def __rmul__(self, other):  # 2 * a
        return self * other

    def __rsub__(self, other):  # 2 - a
        return as_value(other) - self

    def __rtruediv__(self, other):  # 2 / a
        return as_value(other) / self

    def backward(self):
        """Fill in .grad of every Value this one depends on: grad = dL/d(value), L = self."""
        order = topological_order(self)
        for node in order:
            node.grad = 0.0
        self.grad = 1.0  # dL/dL
        for node in reversed(order):  # L first, the inputs last
            for parent, local in zip(node.parents, node.local_grads, strict=True):
                parent.grad += local * node.grad


def as_value(x):
    """A Value as it is; a plain number becomes a constant Value with no parents."""
    return x if isinstance(x, Value) else Value(x)


def topological_order(root):
    """Every node root depends on, each after all of its parents: inputs first, root last.

    A depth-first walk that lists a node once all its parents are listed. It keeps its own
    stack instead of recursing, so a long chain of operations cannot hit Python's recursion
    limit. Works for any node with a `.parents` tuple (the notebook's own Value too).
    """
    order, seen = [], set()
    stack = [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        for parent in reversed(node.parents):
            if id(parent) not in seen:
                stack.append((parent, False))
    return order


def breadth_first_order(root):
    """The nodes as a queue from root meets them: root, its parents, theirs... (inputs last).

    Tempting for backward, and wrong on graphs where a node is reached by a short path before a
    long one: it is passed on before the long path's contribution has arrived.
    """
    order, seen, queue = [], {id(root)}, [root]
    while queue:
        node = queue.pop(0)
        order.append(node)
        for parent in node.parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                queue.append(parent)
    return order


def backward_in_order(root, order_from_root):
    """The chain rule applied node by node in the given order (root first); returns the grads.

    With reversed(topological_order(root)) this is backward(); other orders show what goes
    wrong. Returns a dict id(node) -> dL/d(node); the nodes' own .grad are left alone.
    """
    grads = {id(node): 0.0 for node in order_from_root}
    grads[id(root)] = 1.0
    for node in order_from_root:
        for parent, local in zip(node.parents, node.local_grads, strict=True):
            grads[id(parent)] += local * grads[id(node)]
    return grads


def backward_steps(root):
    """The backward pass one node at a time, for the step-through widget.

    Returns (order, snapshots): order is reversed(topological_order(root)), the nodes in the
    order backward() visits them; snapshots[k] is the list of every node's grad (in `order`)
    after the first k nodes have passed their gradient on. snapshots[0] has only dL/dL = 1;
    snapshots[-1] equals what backward() computes.
    """
    order = list(reversed(topological_order(root)))
    index = {id(node): i for i, node in enumerate(order)}
    grads = [0.0] * len(order)
    grads[0] = 1.0
    snapshots = [list(grads)]
    for node in order:
        for parent, local in zip(node.parents, node.local_grads, strict=True):
            grads[index[id(parent)]] += local * grads[index[id(node)]]
        snapshots.append(list(grads))
    return order, snapshots


def graph_layout(root):
    """Where to draw each node: a column by depth, rows spread within a column.

    A computed node's column is the longest path to it from an input, so every edge goes from
    left to right; an input sits one column before the first node that uses it.
    Returns (order, positions): order as in topological_order, positions[i] = (column, row)
    for order[i], rows centred on 0.
    """
    order = topological_order(root)
    depth = {}
    for node in order:  # parents come first, so their depth is known
        depth[id(node)] = 1 + max((depth[id(p)] for p in node.parents), default=-1)
    users = {}  # id(input) -> the columns of the nodes that use it
    for node in order:
        for parent in node.parents:
            users.setdefault(id(parent), []).append(depth[id(node)])
    for node in order:
        if not node.parents and id(node) in users:
            depth[id(node)] = min(users[id(node)]) - 1
    columns = {}
    for node in order:
        columns.setdefault(depth[id(node)], []).append(node)
    rows = {}
    for nodes in columns.values():
        for i, node in enumerate(nodes):
            rows[id(node)] = i - (len(nodes) - 1) / 2
    return order, [(depth[id(n)], rows[id(n)]) for n in order]


def neuron_example(x=1.5, w=-0.8, b=0.5, y=1.0):
    """The chapter's first graph: one tanh neuron and its squared error, with d used twice.

    z = w * x + b,  a = tanh(z),  d = a - y,  L = d * d
    Returns L (a Value whose parents lead back to x, w, b, y, all labelled).
    """
    x, w, b, y = (Value(v, label=name) for v, name in ((x, "x"), (w, "w"), (b, "b"), (y, "y")))
    wx = w * x
    wx.label = "wx"
    z = wx + b
    z.label = "z"
    a = z.tanh()
    a.label = "a"
    d = a - y
    d.label = "d"
    L = d * d
    L.label = "L"
    return L


def neuron_example_grads(x=1.5, w=-0.8, b=0.5, y=1.0):
    """dL/dw, dL/db, dL/dx of neuron_example by the chain rule written out by hand (chapter 04).

    dL/dz = 2 d * (1 - a^2);  dL/dw = dL/dz * x,  dL/db = dL/dz,  dL/dx = dL/dz * w
    """
    a = math.tanh(w * x + b)
    dz = 2 * (a - y) * (1 - a * a)
    return {"w": dz * x, "b": dz, "x": dz * w}


def count_scalar_nodes(sizes):
    """How many Values one example builds in a forward pass of a tanh MLP with these sizes.

    Each neuron with n inputs makes n products, n additions (onto its bias) and one tanh.
    sizes: [n_in, n_hidden, ..., n_out]
    """
    return sum(n_out * (2 * n_in + 1) for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True))
