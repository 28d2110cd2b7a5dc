"""Chapter 02's figures and widgets: one example's cost, the cost landscape, MSE vs cross-entropy.

The math is in nnlib.chapters.ch02_cost_function (pure, tested); this module only draws it and wires
sliders to it. Every figure function returns a matplotlib Figure.
"""

import numpy as np

from nnlib import plot
from nnlib.chapters import ch02_cost_function as cost
from nnlib.widgets import Explorer, LiveFigure, dropdown, slider

DIGITS = list(range(10))
# A digit people (and networks) often mistake for each one: where spread = 0 piles
# all the wrong probability in the cost explorer.
RIVAL = {0: 6, 1: 7, 2: 7, 3: 8, 4: 9, 5: 3, 6: 0, 7: 1, 8: 3, 9: 4}
GRID = np.linspace(-12, 12, 81)  # values each landscape parameter takes (step 0.3)


def _output_bars(ax, a, y, title):
    """Bars of the ten outputs, the desired ones as short black lines; returns the artists."""
    colors = [plot.COLORS[2] if y[k] == 1 else plot.COLORS[0] for k in DIGITS]  # right digit green
    bars = ax.bar(DIGITS, a, color=colors, width=0.7)
    (desired,) = ax.plot(DIGITS, y, "_", color="black", markersize=16, markeredgewidth=2)
    ax.set_xticks(DIGITS)
    ax.set_ylim(0, 1.08)
    ax.set_xlabel("output neuron (digit)")
    ax.set_title(title, fontsize=10)
    return bars, desired


def one_example_figure(a, y, title="a random network's answer"):
    """Two panels for one example: the outputs against the desired ones, and (a_k - y_k)^2.

    a: (10,) output activations; y: (10,) desired outputs (one-hot).
    """
    d = cost.squared_error_per_output(a, y)  # (10,)
    fig, (ax0, ax1) = plot.figure(1, 2, size=(9, 3.2))
    _output_bars(ax0, a, y, f"{title}: outputs a, desired y (black)")
    ax1.bar(DIGITS, d, color=plot.COLORS[1], width=0.7)
    ax1.set_xticks(DIGITS)
    ax1.set_xlabel("output neuron (digit)")
    ax1.set_ylim(0, max(1.0, d.max() * 1.1))
    ax1.set_title(f"squared differences (a - y)$^2$: they sum to L = {d.sum():.3f}", fontsize=10)
    return fig


def slowdown_figure():
    """Squared cost of a sigmoid output vs cross-entropy of a softmax output, and their slopes.

    Horizontal axis: the probability (output) the network gives the right answer.
    Left: the costs (p - 1)^2 and -log p. Right: their slopes with respect to the
    right output's z; near p = 0 the squared cost's slope vanishes (the slowdown).
    """
    p = np.linspace(0.001, 0.999, 500)
    s = cost.slowdown_curves(p)
    fig, (ax0, ax1) = plot.figure(1, 2, size=(9, 3.4))
    ax0.plot(p, s["mse"], label="squared difference (p - 1)$^2$")
    ax0.plot(p, s["ce"], label="cross-entropy -log p")
    ax0.set_ylim(0, 5)
    ax0.set_xlabel("probability of the right answer p")
    ax0.set_ylabel("cost of this example")
    ax0.legend(frameon=False, fontsize=9)
    ax0.set_title("the costs", fontsize=10)
    ax1.plot(p, s["mse_slope"], label="squared: slope -2p(1 - p)$^2$")
    ax1.plot(p, s["ce_slope"], label="cross-entropy: slope p - 1")
    ax1.axhline(0, color="black", linewidth=0.8)
    ax1.set_ylim(-1.1, 0.1)
    ax1.set_xlabel("probability of the right answer p")
    ax1.set_ylabel("slope with respect to z")
    ax1.legend(frameon=False, fontsize=9, loc="lower right")
    ax1.annotate(
        "confidently wrong:\nsquared cost barely pushes",
        xy=(0.02, -0.04),
        xytext=(0.12, -0.5),
        fontsize=9,
        arrowprops={"arrowstyle": "->"},
    )
    ax1.set_title("their slopes: how hard each pushes z", fontsize=10)
    return fig


# ---------------------------------------------------------------- the cost landscape


class _Landscape:
    """The tiny network's data and its landscapes, one per pair of parameters."""

    def __init__(self, x, l):
        self.x, self.l = np.asarray(x, dtype=float), np.asarray(l, dtype=float)
        if self.x.ndim != 1 or self.x.shape != self.l.shape:
            raise ValueError(
                f"expects inputs x and labels l of the same shape (P,), got {self.x.shape} "
                f"and {self.l.shape}"
            )
        self.x_plot = np.linspace(-3.5, 3.5, 200)
        self.grids = {}

    def cost(self, theta):
        return cost.tiny_cost(theta, self.x, self.l)

    def grid(self, i, j):
        """L (len(GRID), len(GRID)) over parameters i (columns) and j (rows); computed once."""
        if (j, i) in self.grids:
            return self.grids[(j, i)].T  # the same slice with the axes swapped
        if (i, j) not in self.grids:
            self.grids[(i, j)] = cost.cost_landscape(
                self.cost, cost.TINY_GOOD_THETA, i, j, GRID, GRID
            )
        return self.grids[(i, j)]

    def theta(self, i, j, value_i, value_j):
        theta = cost.TINY_GOOD_THETA.copy()
        theta[i] = value_i
        theta[j] = value_j  # if i == j the second value wins
        return theta


def _landscape_axes(size=(8.5, 3.3)):
    """Two panels: the landscape (an image over GRID x GRID) and the data with the fit."""
    fig, (ax0, ax1) = plot.figure(1, 2, size=size)
    ax0.grid(False)
    extent = (GRID[0], GRID[-1], GRID[0], GRID[-1])
    image = ax0.imshow(
        np.zeros((len(GRID), len(GRID))),
        origin="lower",
        extent=extent,
        cmap="viridis",
        interpolation="nearest",  # the cheapest resampling: the widget redraws it often
    )
    ax0.set_aspect("auto")
    (star,) = ax0.plot([0], [0], "*", color="white", markersize=11)
    ax1.set_xlim(-3.5, 3.5)
    ax1.set_ylim(-0.1, 1.1)
    ax1.set_xlabel("input x")
    ax1.set_ylabel("output a / label y")
    return fig, ax0, ax1, image, star


def _show_landscape(image, star, L):
    """Put landscape L into the image (colors spanning its range) and the star at its minimum."""
    image.set_data(L)
    image.set_clim(L.min(), L.max())
    r, c = np.unravel_index(np.argmin(L), L.shape)
    star.set_data([GRID[c]], [GRID[r]])


def landscape_figure(x, l, i=4, j=6, value_i=3.0, value_j=-1.0):
    """The cost of the tiny 1-2-1 network over two of its seven parameters, and its fit.

    x, l: (P,) the data set's inputs and labels (cost.tiny_data(rng)).
    Left: L = (1/P) sum_p (a_p - y_p)^2 with parameters i and j varied and the
    other five at TINY_GOOD_THETA (dark is low; white lines join equal costs; the
    star is the lowest point); the red dot is (value_i, value_j). Right: the data
    and the network's output at the red dot.
    """
    land = _Landscape(x, l)
    names = cost.TINY_PARAM_NAMES
    fig, ax0, ax1, image, star = _landscape_axes()
    L = land.grid(i, j)
    _show_landscape(image, star, L)
    ax0.contour(GRID, GRID, L, levels=12, colors="white", linewidths=0.4)
    fig.colorbar(image, ax=ax0, shrink=0.9, label="cost L")
    ax0.plot(value_i, value_j, "o", color=plot.COLORS[1], markersize=8)
    ax0.set_xlabel(names[i])
    ax0.set_ylabel(names[j])
    ax0.set_title("cost L over two parameters (star: lowest)", fontsize=10)
    theta = land.theta(i, j, value_i, value_j)
    ax1.plot(land.x, land.l, "o", color="gray", markersize=4, label="data (x, y)")
    ax1.plot(land.x_plot, cost.tiny_network(theta, land.x_plot), color=plot.COLORS[1], label="a")
    ax1.set_title(f"the network at the red dot: L = {land.cost(theta):.3f}", fontsize=10)
    ax1.legend(frameon=False, fontsize=9, loc="center right")
    return fig


def landscape_explorer(x=None, l=None):
    """Pick two of the tiny network's seven parameters, then move them on the cost landscape.

    x, l: (P,) the data set's inputs and labels; None: cost.tiny_data(np.random.default_rng(0)).
    Dropdowns choose the parameters (the other five stay at a good setting); the
    sliders set their values. Left: the landscape with a red dot where you are;
    right: what the network computes there, and its cost. Each pair's landscape is
    one vectorised numpy call on an 81 x 81 grid, all made when the widget is built.
    """
    if x is None or l is None:
        x, l = cost.tiny_data(np.random.default_rng(0))
    land = _Landscape(x, l)
    names = cost.TINY_PARAM_NAMES
    for i in range(len(names)):  # all 21 landscapes now (~0.5 s), so each choice is instant
        for j in range(i + 1, len(names)):
            land.grid(i, j)
    fig, ax0, ax1, image, star = _landscape_axes()
    (dot,) = ax0.plot([0], [0], "o", color=plot.COLORS[1], markersize=8)
    ax0.set_xlabel("horizontal parameter")
    ax0.set_ylabel("vertical parameter")
    ax0.set_title("cost L (dark is low; star: lowest)", fontsize=10)
    axes_names = ax0.text(
        0.03, 0.97, "", transform=ax0.transAxes, va="top", fontsize=9, color="white"
    )
    ax1.plot(land.x, land.l, "o", color="gray", markersize=4)
    (fit,) = ax1.plot(land.x_plot, land.x_plot * 0, color=plot.COLORS[1])
    readout = ax1.text(0.02, 0.6, "", transform=ax1.transAxes, fontsize=10, backgroundcolor="white")
    ax1.set_title("the network at the red dot", fontsize=10)
    # Every changing artist is animated, so a change redraws only them (no full draw).
    live = LiveFigure(fig, animated=[image, star, dot, axes_names, fit, readout])

    def update(first, second, value_first, value_second):
        i, j = names.index(first), names.index(second)
        if i == j:
            image.set_data(np.zeros((len(GRID), len(GRID))))
            star.set_visible(False)
            axes_names.set_text("choose two different parameters")
        else:
            _show_landscape(image, star, land.grid(i, j))
            star.set_visible(True)
            axes_names.set_text(f"horizontal: {first}\nvertical: {second}")
        theta = land.theta(i, j, value_first, value_second)
        L = float(land.cost(theta))
        fit.set_ydata(cost.tiny_network(theta, land.x_plot))
        dot.set_data([value_first], [value_second])
        readout.set_text(f"cost L = {L:.4f}")
        return {"cost": L, "theta": theta, "pair": (i, j)}

    controls = {
        "first": dropdown(list(names), names[4], "horizontal"),
        "second": dropdown(list(names), names[6], "vertical"),
        "value_first": slider(3.0, -12.0, 12.0, 0.1, "its value"),
        "value_second": slider(-1.0, -12.0, 12.0, 0.1, "its value"),
    }
    return Explorer(controls, update, figure=live, title="the cost landscape of a 1-2-1 network")


# ---------------------------------------------------------------- one example's two costs


def cost_explorer():
    """One example's outputs, their squared differences, and both costs side by side.

    Sliders: the probability p of the right digit, and how the remaining 1 - p is
    spread over the nine wrong digits (1: evenly; 0: all on one look-alike digit).
    """
    # Three panels: outputs | squared differences | the two costs.
    fig, (ax0, ax1, ax2) = plot.figure(1, 3, size=(9.5, 3.0))
    bars, desired = _output_bars(ax0, np.zeros(10), np.zeros(10), "outputs (bars), desired (black)")
    squares = ax1.bar(DIGITS, np.zeros(10), color=plot.COLORS[1], width=0.7)
    ax1.set_xticks(DIGITS)
    ax1.set_ylim(0, 1.05)
    ax1.set_xlabel("output neuron (digit)")
    ax1.set_title("squared differences (a - y)$^2$", fontsize=10)
    costs = ax2.bar([0, 1], [0, 0], color=[plot.COLORS[1], plot.COLORS[2]], width=0.6)
    ax2.set_xticks([0, 1], ["squared\n(sum)", "cross-\nentropy"])
    ax2.set_ylim(0, 5)
    ax2.set_title("the two costs", fontsize=10)
    labels = [ax2.text(k, 0, "", ha="center", va="bottom", fontsize=10) for k in (0, 1)]
    artists = [*bars, *squares, *costs, desired, *labels]
    live = LiveFigure(fig, animated=artists)

    def update(digit, p, spread):
        a = cost.spread_outputs(p, spread, digit, RIVAL[digit])  # (10,) sums to 1
        y = np.eye(10)[digit]  # (10,) one-hot
        d = cost.squared_error_per_output(a, y)
        mse = float(d.sum())
        ce = float(cost.cross_entropy_of_probability(p)) + 0.0  # + 0.0: -log 1 shows as 0, not -0
        for k in DIGITS:
            bars[k].set_height(a[k])
            bars[k].set_color(plot.COLORS[2] if k == digit else plot.COLORS[0])
            squares[k].set_height(d[k])
        desired.set_ydata(y)
        for k, value in enumerate((mse, ce)):
            costs[k].set_height(min(value, 5.0))
            labels[k].set_position((k, min(value, 4.6) + 0.05))
            labels[k].set_text(f"{value:.3f}")
        return {"outputs": a, "squared": d, "mse": mse, "cross_entropy": ce}

    controls = {
        "digit": dropdown(DIGITS, 3, "right digit"),
        "p": slider(0.3, 0.01, 1.0, 0.01, "p(right digit)"),
        "spread": slider(1.0, 0.0, 1.0, 0.05, "spread of wrong"),
    }
    return Explorer(
        controls, update, figure=live, title="one example: squared cost vs cross-entropy"
    )
