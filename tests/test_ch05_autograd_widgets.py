"""Tests for chapter 05's widgets and figures: the graph picture and the backward stepper, on the
chapter's Value and on a reader's own class with the same attributes."""

import pytest
from matplotlib.figure import Figure

from nnlib.chapters import ch05_autograd as autograd
from nnlib.widgets import ch05_autograd as wa


class ReadersValue:
    """The shape of the notebook's own Value: data, grad, parents, local_grads, op, label."""

    def __init__(self, data, parents=(), local_grads=(), op="", label=""):
        self.data, self.grad = data, 0.0
        self.parents, self.local_grads, self.op, self.label = parents, local_grads, op, label


def test_graph_figure_draws_one_box_per_node_with_its_final_grad():
    L = autograd.neuron_example()
    fig = wa.graph_figure(L)
    assert isinstance(fig, Figure)
    texts = [t.get_text() for t in fig.axes[0].texts]
    L.backward()
    for node in autograd.topological_order(L):
        assert f"grad {node.grad:.3f}" in texts
    assert "L = d * d" in texts and "a = tanh(z)" in texts and "d = a - y" in texts


def test_the_stepper_walks_every_step_and_ends_with_backwards_grads():
    explorer = wa.backward_stepper()
    n = explorer.controls["step"].max
    for step in range(n + 1):
        state = explorer.set(step=step)
        assert explorer.error is None
    L = autograd.neuron_example()
    L.backward()
    final = {node.label: node.grad for node in autograd.topological_order(L)}
    assert state["grads"] == pytest.approx(final)
    assert "done" in explorer.outputs["readout"].value


def test_the_stepper_says_what_the_next_node_adds_into_its_parents():
    explorer = wa.backward_stepper()
    explorer.set(step=0)
    text = explorer.outputs["readout"].value
    assert "<b>L</b>" in text and text.count("d.grad +=") == 2  # d is used twice
    explorer.set(step=1)
    assert explorer.state["grads"]["d"] == pytest.approx(2 * -1.6043, rel=1e-3)


def test_the_stepper_draws_a_readers_own_value():
    x = ReadersValue(2.0, label="x")
    y = ReadersValue(6.0, (x, x), (2.0, 2.0), "*", "y")  # y = x * x
    explorer = wa.backward_stepper(y)
    state = explorer.set(step=explorer.controls["step"].max)
    assert state["grads"] == {"y": 1.0, "x": 4.0}


def test_something_that_is_not_a_graph_gets_a_clear_error():
    with pytest.raises(TypeError, match="a Value"):
        wa.backward_stepper(3.0)
    with pytest.raises(TypeError, match="a Value"):
        wa.graph_figure([1, 2])


def test_training_figure_has_both_panels():
    fig = wa.training_figure([1.0, 0.5, 0.1], [(0, 0), (1, 1)], [-1.0, 1.0], [-0.8, 0.7])
    assert len(fig.axes) == 2


def test_unlabelled_nodes_get_their_formula_and_repeated_names_stay_apart():
    a = autograd.Value(2.0, label="a")
    L = a * 2 + a * 2
    explorer = wa.backward_stepper(L)
    grads = explorer.set(step=explorer.controls["step"].max)["grads"]
    assert len(grads) == len(autograd.topological_order(L)) == 6
    assert grads["a"] == 4.0 and grads["a * 2 + a * 2"] == 1.0
    assert "a * 2" in grads and "a * 2 #2" in grads


def test_the_stepper_can_start_halfway():
    explorer = wa.backward_stepper(step=4)
    assert explorer.controls["step"].value == 4 and explorer.state["step"] == 4
