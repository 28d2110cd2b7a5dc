"""Widgets of chapter 00, Start here: a straight line y = w x + b and its two knobs.

The smallest complete widget, and the template for the chapters: the callback computes,
moves a few artists and returns its state; the Explorer does the rest.
"""

import numpy as np

from nnlib import plot
from nnlib.widgets import Explorer, LiveFigure, slider


def function_family(ws=(-1.0, 0.5, 2.0), b=0.0):
    """Static figure: the lines y = w * x + b for a few slopes w."""
    x = np.linspace(-3, 3, 61)
    fig, ax = plot.figure(size=(4.5, 3))
    for w in ws:
        ax.plot(x, w * x + b, label=f"w = {w:g}")
    ax.set_xlabel("input x")
    ax.set_ylabel("output y")
    ax.legend(frameon=False, fontsize=9)
    return fig


def function_explorer():
    """Two sliders, w and b, drive the function y = w * x + b.

    The marker shows the output at x = 1, which is w + b.
    """
    x = np.linspace(-3, 3, 61)
    fig, ax = plot.figure(size=(5, 3))
    (line,) = ax.plot(x, x)
    (marker,) = ax.plot([1.0], [1.0], "o", color=plot.COLORS[1])
    label = ax.text(0.03, 0.92, "", transform=ax.transAxes, fontsize=10)
    ax.set_xlim(-3, 3)
    ax.set_ylim(-8, 8)
    ax.set_xlabel("input x")
    ax.set_ylabel("output y = w x + b")
    live = LiveFigure(fig, animated=[line, marker, label])

    def update(w, b):
        y = w * x + b
        line.set_ydata(y)
        marker.set_ydata([w * 1.0 + b])
        label.set_text(f"at x = 1:  y = {w * 1.0 + b:.1f}")
        return {"y_at_1": w * 1.0 + b}

    controls = {
        "w": slider(1.0, -2.5, 2.5, 0.1, "w (slope)"),
        "b": slider(0.0, -4, 4, 0.1, "b (shift)"),
    }
    return Explorer(controls, update, figure=live, title="A function: y = w x + b")
