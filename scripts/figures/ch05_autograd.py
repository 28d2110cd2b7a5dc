"""Figures of chapter 05 (autograd), drawn by nnlib.widgets.ch05_autograd.

Both show the chapter's first graph, one tanh neuron and its squared error with d used twice
(nnlib.chapters.ch05_autograd.neuron_example): finished, and halfway through backward().
"""

from nnlib.widgets import ch05_autograd as autograd_widgets


def backward_halfway():
    """The backward stepper after four nodes: z's gradient is complete and next to be passed on."""
    explorer = autograd_widgets.backward_stepper()
    explorer.set(step=4)
    return explorer.figure.fig


FIGURES = {
    "05_graph": autograd_widgets.graph_figure,
    "05_backward_halfway": backward_halfway,
}
