"""Figures shared by the chapters: each function returns a matplotlib Figure.

Figures are made with matplotlib.figure.Figure, never pyplot, so nothing is
shown twice and nothing leaks between cells; a notebook cell shows one by
ending with it (Jupyter renders a Figure as PNG). The book's look comes from
style(ax), applied to each axes we make; importing this module changes no
global matplotlib setting.

savefig(fig, name) writes figures/NAME.png at the top of the repository, with
a fixed dpi and no metadata, so the same figure gives the same bytes.
"""

import io
import re
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from nnlib.files import atomic_write

FIGURES_DIR = Path(__file__).resolve().parent.parent / "figures"
DPI = 100
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]


def style(ax):
    """Give one axes the book's look: no top/right frame, a light grid, readable ticks."""
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.grid(True, color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=9)
    ax.set_prop_cycle(color=COLORS)
    return ax


def figure(nrows=1, ncols=1, size=None, dpi=DPI):
    """A new styled Figure with a grid of axes: fig, axes = plot.figure(1, 2).

    size: (width, height) in inches, default 4 x 3 per panel.
    Returns (fig, axes): one Axes if nrows == ncols == 1, else an array of them.
    """
    if size is None:
        size = (4.0 * ncols, 3.0 * nrows)
    fig = Figure(figsize=size, dpi=dpi, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=True)
    for ax in np.atleast_1d(axes).ravel():
        style(ax)
    return fig, axes


def savefig(fig, name):
    """Write `fig` to figures/NAME.png and return the path.

    name: like "03_descent_path" (chapter number first, no extension).
    The PNG is written atomically, at DPI dots per inch, without the
    "Software" metadata, so regenerating an unchanged figure gives the same bytes.
    """
    if not re.fullmatch(r"[0-9]{2}_[A-Za-z0-9_\-]+", name):
        raise ValueError(f"figure name must look like '03_descent_path', got {name!r}")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    path = FIGURES_DIR / f"{name}.png"
    with atomic_write(path) as f:
        f.write(buffer.getvalue())
    return path


def digit_grid(X, labels=None, ncols=10):
    """Show MNIST digits in a grid, optionally with a label above each.

    X: (N, 784) rows of pixels, or (N, 28, 28) images.
    labels: None, or N strings or numbers (e.g. "7" or "7 -> 1" for a mistake).
    """
    X = np.asarray(X)
    if X.ndim == 2 and X.shape[1] == 784:
        X = X.reshape(-1, 28, 28)  # (N, 784) -> (N, 28, 28)
    if X.ndim != 3 or X.shape[1:] != (28, 28):
        raise ValueError(f"digit_grid expects X of shape (N, 784) or (N, 28, 28), got {X.shape}")
    if labels is not None and len(labels) != len(X):
        raise ValueError(f"digit_grid got {len(X)} images but {len(labels)} labels")
    N = len(X)
    ncols = min(ncols, N)
    nrows = -(-N // ncols)  # ceiling division
    fig = Figure(figsize=(0.9 * ncols, 0.95 * nrows + 0.1), dpi=DPI, layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    for i, ax in enumerate(axes):
        ax.set_axis_off()
        if i < N:
            ax.imshow(X[i], cmap="gray_r", interpolation="nearest")
            if labels is not None:
                ax.set_title(str(labels[i]), fontsize=9, pad=2)
    return fig


def weight_images(W, ncols=8, title=None):
    """Rows of a first-layer W drawn as 28 x 28 images: what each hidden neuron looks for.

    Row m holds the 784 weights into neuron m, one per pixel. Red where a bright pixel raises
    the neuron's weighted sum (it excites the neuron), blue where it lowers it (it inhibits),
    white near zero. Each image is scaled by its own largest |weight|, so the labelled colour
    bar runs from -1 to 1 for all of them. W: (n_hidden, 784).
    """
    W = np.asarray(W, dtype=float)
    if W.ndim != 2 or W.shape[1] != 784:
        raise ValueError(f"weight_images expects W of shape (n_hidden, 784), got {W.shape}")
    n = len(W)
    ncols = min(ncols, n)
    nrows = -(-n // ncols)  # ceiling division
    fig, axes = figure(nrows, ncols, size=(0.95 * ncols + 1.1, 0.95 * nrows + 0.35))
    shown = None
    for i, ax in enumerate(np.ravel(axes)):
        ax.set_axis_off()
        if i < n:
            w = W[i] / max(np.abs(W[i]).max(), 1e-12)  # each neuron on its own scale, -1 .. 1
            shown = ax.imshow(w.reshape(28, 28), cmap="RdBu_r", vmin=-1, vmax=1)
    bar = fig.colorbar(shown, ax=axes, shrink=0.9, aspect=15, ticks=[-1, 0, 1])
    bar.ax.set_yticklabels(["-1 inhibits", "0", "+1 excites"], fontsize=8)
    bar.set_label("w / max |w|", fontsize=8)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


# Characters that would be invisible, or break a line, as labels: the one look of every chapter.
SHOWN = {" ": "␣", "\n": "↵", "\t": "⇥"}


def char_label(ch):
    """A character as a readable label: a space is drawn as ␣, a line break as ↵, a tab as ⇥."""
    return SHOWN.get(ch, ch)


def visible(text):
    """A text with its spaces, line breaks and tabs drawn as char_label draws them."""
    return "".join(char_label(ch) for ch in text)


def bars(labels, values, title=None, size=(5.0, 2.8)):
    """Bar chart of values per label (e.g. predicted probabilities); the largest is highlighted."""
    values = np.asarray(values, dtype=float)
    if len(labels) != len(values):
        raise ValueError(f"bars got {len(labels)} labels but {len(values)} values")
    fig, ax = figure(size=size)
    colors = [COLORS[1] if i == np.argmax(values) else COLORS[0] for i in range(len(values))]
    ax.bar(np.arange(len(values)), values, color=colors)
    ax.set_xticks(np.arange(len(values)), [str(label) for label in labels])
    if values.min() >= 0 and values.max() <= 1:
        ax.set_ylim(0, 1)  # probabilities: keep the scale fixed so bars compare
    if title:
        ax.set_title(title, fontsize=10)
    return fig
