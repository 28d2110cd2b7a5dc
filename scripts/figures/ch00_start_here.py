"""Figures of chapter 00 (start here)."""

from nnlib.widgets import ch00_start_here as widgets


def function_family():
    """Three lines y = w x + b with b = 0: the static figure before the first slider."""
    return widgets.function_family(ws=(-1.0, 0.5, 2.0), b=0.0)


def function_explorer():
    """The first widget at its starting values, as a still picture (w = 1, b = 0)."""
    explorer = widgets.function_explorer()
    for artist in explorer.figure.animated:
        artist.set_animated(False)  # savefig skips animated artists; draw them normally
    return explorer.figure.fig


FIGURES = {
    "00_function_family": function_family,
    "00_function_explorer": function_explorer,
}
