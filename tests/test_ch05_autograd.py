"""Tests for nnlib.chapters.ch05_autograd: each operation's local derivatives, the scalar Value's
backward() against central differences (fixed and random graphs), the order of the backward pass,
and the step-by-step snapshots and layout the widgets draw from."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib.chapters import ch05_autograd as autograd
from nnlib.chapters.ch05_autograd import Value
from nnlib.gradcheck import central_difference

OPS = [
    (autograd.add, (2.0, -3.0)),
    (autograd.sub, (2.0, -3.0)),
    (autograd.mul, (2.0, -3.0)),
    (autograd.power, (1.5, 3)),
    (autograd.power, (1.5, -1)),
    (autograd.power, (2.0, 0.5)),
    (autograd.tanh, (0.7,)),
    (autograd.tanh, (-2.5,)),
    (autograd.exp, (0.7,)),
    (autograd.log, (0.7,)),
]


@pytest.mark.parametrize("op, inputs", OPS, ids=lambda v: getattr(v, "__name__", str(v)))
def test_each_local_derivative_equals_a_central_difference(op, inputs):
    _, local = op(*inputs)
    for i, slope in enumerate(local):

        def f(v, i=i):
            moved = list(inputs)
            moved[i] = v
            return op(*moved)[0]

        assert slope == pytest.approx(central_difference(f, inputs[i]), rel=1e-7, abs=1e-9)


def test_log_of_a_non_positive_number_says_why():
    with pytest.raises(ValueError, match="positive number"):
        autograd.log(0.0)
    with pytest.raises(ValueError, match="positive number"):
        Value(-1.0).log()


def test_a_value_of_a_value_and_a_value_exponent_are_refused_with_a_reason():
    with pytest.raises(TypeError, match="already a Value"):
        Value(Value(1.0))
    with pytest.raises(TypeError, match="exponent must be a plain number"):
        Value(2.0) ** Value(3.0)


def test_the_neuron_example_matches_the_hand_written_chain_rule():
    L = autograd.neuron_example()
    L.backward()
    nodes = {n.label: n for n in autograd.topological_order(L)}
    for name, grad in autograd.neuron_example_grads().items():
        assert nodes[name].grad == pytest.approx(grad, rel=1e-12)
    assert nodes["d"].grad == pytest.approx(2 * nodes["d"].data)  # d is used twice


def test_a_value_used_twice_gets_both_contributions():
    x = Value(3.0)
    (x * x).backward()
    assert x.grad == 6.0
    y = Value(3.0)
    (y + y + y).backward()
    assert y.grad == 3.0


def test_backward_twice_gives_the_same_grads_not_double():
    x = Value(0.3)
    L = (x * 2.0).tanh() * x
    L.backward()
    first = x.grad
    L.backward()
    assert x.grad == first


def test_derived_operations_have_the_right_slopes():
    def f(v):
        x = Value(v)
        return x, (2.0 - x) / (x + 1.0) - (-x) * 3.0 + 1.0 / x

    x, L = f(0.8)
    L.backward()
    assert x.grad == pytest.approx(central_difference(lambda v: f(v)[1].data, 0.8), rel=1e-7)


# A random graph: each new node combines one or two earlier nodes, so some are used many times.
STEP = st.tuples(
    st.sampled_from(["+", "-", "*", "tanh", "exp", "square"]),
    st.integers(0, 100),
    st.integers(0, 100),
)


def build(inputs, steps):
    nodes = [Value(v) for v in inputs]
    for op, i, j in steps:
        a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
        if op == "+":
            nodes.append(a + b)
        elif op == "-":
            nodes.append(a - b)
        elif op == "*":
            nodes.append((a * b).tanh())  # tanh keeps the numbers from growing without bound
        elif op == "tanh":
            nodes.append(a.tanh())
        elif op == "exp":
            nodes.append((a.tanh()).exp())
        else:
            nodes.append(a**2 * 0.5)
    return nodes[: len(inputs)], nodes[-1]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-1.5, 1.5), min_size=1, max_size=4),
    st.lists(STEP, min_size=1, max_size=12),
)
def test_backward_equals_central_differences_on_random_graphs(inputs, steps):
    leaves, L = build(inputs, steps)
    L.backward()
    for k, leaf in enumerate(leaves):

        def f(v, k=k):
            moved = list(inputs)
            moved[k] = v
            return build(moved, steps)[1].data

        assert leaf.grad == pytest.approx(central_difference(f, inputs[k], h=1e-5), abs=1e-6)


def test_topological_order_puts_every_node_after_its_parents():
    _, L = build([0.3, -0.2, 0.9], [("*", 0, 1), ("+", 3, 2), ("-", 4, 3), ("tanh", 5, 0)])
    order = autograd.topological_order(L)
    place = {id(n): i for i, n in enumerate(order)}
    assert order[-1] is L and len(place) == len(order)
    assert all(place[id(p)] < place[id(n)] for n in order for p in n.parents)


def test_a_long_chain_does_not_hit_the_recursion_limit():
    x = Value(0.5)
    y = x
    for _ in range(5000):
        y = y * 1.0001
    y.backward()
    assert x.grad == pytest.approx(1.0001**5000)


def test_breadth_first_order_loses_the_long_path_and_topological_order_does_not():
    x = Value(0.4)
    u = x * 3.0
    L = u + (u * u).tanh()
    exact = central_difference(lambda v: 3 * v + math.tanh((3 * v) ** 2), 0.4)
    right = autograd.backward_in_order(L, list(reversed(autograd.topological_order(L))))
    wrong = autograd.backward_in_order(L, autograd.breadth_first_order(L))
    assert right[id(x)] == pytest.approx(exact, rel=1e-7)
    assert wrong[id(x)] == pytest.approx(3.0)  # only the short path's share


def test_backward_steps_start_with_dL_dL_and_end_with_backward():
    L = autograd.neuron_example()
    order, snapshots = autograd.backward_steps(L)
    assert order[0] is L and len(snapshots) == len(order) + 1
    assert snapshots[0] == [1.0] + [0.0] * (len(order) - 1)
    L.backward()
    assert snapshots[-1] == pytest.approx([n.grad for n in order], rel=1e-15)


def test_graph_layout_draws_every_edge_left_to_right_and_no_two_nodes_on_one_spot():
    L = autograd.neuron_example()
    order, positions = autograd.graph_layout(L)
    where = {id(n): p for n, p in zip(order, positions, strict=True)}
    assert all(where[id(p)][0] < where[id(n)][0] for n in order for p in n.parents)
    assert len(set(positions)) == len(positions)


def test_count_scalar_nodes_counts_what_a_value_network_builds():
    sizes = [2, 3, 1]
    x = [Value(0.1), Value(-0.4)]
    layer_in = x
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        outs = []
        for m in range(n_out):
            z = Value(0.0)  # the bias
            for i in range(n_in):
                z = z + Value(0.1 * (m + i)) * layer_in[i]
            outs.append(z.tanh())
        layer_in = outs
    computed = [n for n in autograd.topological_order(layer_in[0]) if n.parents]
    assert len(computed) == autograd.count_scalar_nodes(sizes) == 22
