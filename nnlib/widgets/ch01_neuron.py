"""Chapter 01's widgets and figures: a neuron playground and a digit viewer.

The math lives in nnlib.chapters.ch01_neuron; this module only draws it. Each figure is
built by a helper that makes the artists once, and a draw function that moves
them; the static figures for figures/ and the live widgets share both, so the
picture in the book is the widget's first frame.
"""

import warnings

import numpy as np
from matplotlib.figure import Figure

from nnlib import plot
from nnlib.chapters import ch01_neuron as N
from nnlib.functional import sigmoid
from nnlib.widgets import Explorer, LiveFigure, dropdown, int_slider, slider

CLASS_COLORS = (plot.COLORS[0], plot.COLORS[1])  # class 0 blue, class 1 red
# The playground's z axis and activation axis are fixed (so a slider never has to
# redraw the axes); points beyond them are drawn at the edge and counted in a note.
Z_LIM = 10.0
A_LIM = 1.0  # the top of the activation axis for sigmoid and step (ReLU's axis reaches Z_LIM)


# ---------------------------------------------------------------- static figures


def bias_threshold_figure():
    """A neuron with all weights 1 and bias b = -10: it lights up once the sum passes 10."""
    s = np.linspace(0, 20, 401)  # the weighted sum before the bias, w_1 a_1 + ... + w_n a_n
    fig, ax = plot.figure(size=(6, 3.2))
    ax.axvspan(10, 20, color="#fde9c8", zorder=0)
    ax.plot(s, N.step(s - 10), label="step(sum - 10)", color=plot.COLORS[0], lw=2)
    ax.plot(s, sigmoid(s - 10), label="sigmoid(sum - 10)", color=plot.COLORS[1], lw=2)
    ax.axvline(10, color="#555555", lw=1, ls="--")
    ax.text(10.3, 0.28, "threshold: sum = 10\n(bias b = -10)", fontsize=9)
    ax.text(1.0, 0.85, "neuron dark", fontsize=9, color="#555555")
    ax.text(15.2, 0.85, "neuron lit", fontsize=9, color="#a05a00")
    ax.set_xlabel("weighted sum w1 a1 + ... + wn an (before the bias)")
    ax.set_ylabel("activation a")
    ax.set_ylim(-0.05, 1.12)
    ax.legend(frameon=False, fontsize=9, loc="center left")
    return fig


def activations_figure():
    """Sigmoid, ReLU and step side by side with their slopes f'(z)."""
    z = np.linspace(-8, 8, 801)
    fig, (ax_f, ax_s) = plot.figure(1, 2, size=(9, 3.3))
    for name, color in (("sigmoid", plot.COLORS[1]), ("relu", plot.COLORS[0])):
        ax_f.plot(z, N.ACTIVATION_FUNCTIONS[name](z), color=color, lw=2, label=name)
        ax_s.plot(z, N.slope(name, z), color=color, lw=2, label=f"{name}'")
    ax_f.plot(z, N.step(z), color="#888888", lw=1.2, ls="--", label="step")
    ax_f.set_ylim(-0.3, 3.0)
    ax_f.set_title("the activation a = f(z)", fontsize=10)
    ax_s.set_title("its slope f'(z)", fontsize=10)
    ax_s.set_ylim(-0.05, 1.1)
    ax_s.annotate(
        f"sigmoid' at z = 6: {N.slope('sigmoid', 6.0):.4f}",
        xy=(6, N.slope("sigmoid", 6.0)),
        xytext=(0.5, 0.45),
        fontsize=9,
        arrowprops={"arrowstyle": "->", "color": "#555555"},
    )
    ax_s.text(1.0, 0.88, "relu' = 1 for every z > 0", fontsize=9, color=plot.COLORS[0])
    for ax in (ax_f, ax_s):
        ax.set_xlabel("weighted sum z")
        ax.legend(frameon=False, fontsize=9, loc="upper left")
    return fig


def digit_figure(x, label=None):
    """One digit three ways: the 28x28 picture, the 784 activations in a row, their histogram.

    x: (784,) pixel activations in [0, 1].
    """
    x = _check_digit(x)
    fig = Figure(figsize=(9, 3.2), dpi=plot.DPI, layout="constrained")
    grid = fig.add_gridspec(2, 2, width_ratios=[1, 2.4], height_ratios=[1, 1.6])
    ax_img = fig.add_subplot(grid[:, 0])
    ax_strip = fig.add_subplot(grid[0, 1])
    ax_hist = plot.style(fig.add_subplot(grid[1, 1]))
    ax_img.imshow(x.reshape(28, 28), cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    ax_img.set_xticks([])
    ax_img.set_yticks([])
    title = "28 x 28 pixels" if label is None else f"a {label}: 28 x 28 pixels"
    ax_img.set_title(title, fontsize=10)
    _strip(ax_strip, x, "the same 784 numbers in one row (row 0, then row 1, ...)")
    ax_strip.set_xticks([0, 196, 392, 588, 783])
    ax_hist.hist(x, bins=np.linspace(0, 1, 21), color=plot.COLORS[0])
    ax_hist.set_yscale("log")
    ax_hist.set_xlabel("pixel activation (0 = black, 1 = white)")
    ax_hist.set_ylabel("pixels (log scale)")
    return fig


def pixel_values_figure(x):
    """The 28x28 picture with each lit pixel's activation written in its square.

    x: (784,) pixel activations in [0, 1]. Rows and columns without ink are left out.
    """
    image = _check_digit(x).reshape(28, 28)  # (784,) -> (28, 28)
    rows, cols = np.flatnonzero(image.max(axis=1) > 0), np.flatnonzero(image.max(axis=0) > 0)
    if rows.size == 0:  # a blank picture: show it all
        rows = cols = np.arange(28)
    crop = image[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    height, width = crop.shape
    # A fixed size whatever the crop, so every digit gives the same figure size.
    fig = Figure(figsize=(6.0, 6.0), dpi=plot.DPI, layout="constrained")
    ax = fig.subplots()
    extent = (cols[0] - 0.5, cols[-1] + 0.5, rows[-1] + 0.5, rows[0] - 0.5)
    ax.imshow(crop, cmap="gray", vmin=0, vmax=1, interpolation="nearest", extent=extent)
    for r in range(height):
        for c in range(width):
            v = crop[r, c]
            if v > 0:
                v2 = round(float(v), 2)
                text = "1" if v2 >= 1 else f"{v2:.2f}"[1:]  # 0.73 -> ".73": fits a square
                ax.text(cols[0] + c, rows[0] + r, text, ha="center", va="center", fontsize=5.5,
                        color="black" if v > 0.5 else "white")  # fmt: skip
    ax.set_xticks(cols[::2])
    ax.set_yticks(rows[::2])
    ax.tick_params(labelsize=8)
    ax.set_xlabel("column")
    ax.set_ylabel("row")
    ax.set_title("pixel activations (blank squares are 0)", fontsize=10)
    return fig


def _playground_artists(X, y, grid):
    """Make the playground's figure and the artists its draw function moves."""
    fig, (ax_map, ax_z) = plot.figure(1, 2, size=(8.4, 3.5))
    art = {"fig": fig, "ax_z": ax_z}
    lo, hi = grid[0, 0, 0], grid[-1, -1, 0]
    art["map"] = ax_map.imshow(
        np.zeros(grid.shape[:2]),
        extent=(lo, hi, lo, hi),
        origin="lower",
        cmap="Greens",
        vmin=0,
        vmax=1,
        interpolation="nearest",
    )
    # Drawn over the (animated) map on every refresh, so they are animated too.
    art["dots"] = [
        ax_map.scatter(*X[y == k].T, s=22, c=CLASS_COLORS[k], marker=marker, edgecolors="white",
                       linewidths=0.5, zorder=3)
        for k, marker in ((0, "o"), (1, "^"))
    ]  # fmt: skip
    (art["line"],) = ax_map.plot([], [], color="black", lw=2, zorder=4)
    ax_map.grid(False)  # the shading is the picture here
    ax_map.set_xlim(lo, hi)
    ax_map.set_ylim(lo, hi)
    ax_map.set_xlabel("input a1")
    ax_map.set_ylabel("input a2")
    ax_map.set_title("blue circles: class 0,  red triangles: class 1", fontsize=9)
    art["zs"] = np.linspace(-Z_LIM, Z_LIM, 401)
    (art["curve"],) = ax_z.plot(art["zs"], art["zs"], color="#444444", lw=1.5)
    art["points"] = [
        ax_z.scatter(np.zeros((y == k).sum()), np.zeros((y == k).sum()), s=18, marker=m,
                     c=CLASS_COLORS[k], alpha=0.7, zorder=3)
        for k, m in ((0, "o"), (1, "^"))
    ]  # fmt: skip
    ax_z.axvline(0, color="black", lw=1, ls="--")
    ax_z.set_xlim(-Z_LIM * 1.03, Z_LIM * 1.03)
    ax_z.set_xlabel("weighted sum z = w1 a1 + w2 a2 + b")
    ax_z.set_ylabel("activation a = f(z)")
    ax_z.axhline(1.0, color="#999999", lw=0.8, ls=":")
    ax_z.set_ylim(-0.08, A_LIM + 0.08)
    # Text is slow to draw, so the fixed words are drawn once and only the short
    # numbers beside them change.
    # They sit top left, under the line a = 1, where no point can be (z < 0 gives a < 1/2).
    kw = {"transform": ax_z.transAxes, "fontsize": 8}
    ax_z.text(0.02, 0.85, "on their side:", **kw)
    ax_z.text(0.02, 0.78, "darkest green:", **kw)
    art["count"] = ax_z.text(0.29, 0.85, "", weight="bold", **kw)
    art["vmax"] = ax_z.text(0.29, 0.78, "", **kw)
    art["z_note"] = ax_z.text(0.02, 0.71, "", color="#a05a00", **kw)
    return art


def _draw_playground(art, X, y, grid, w1, w2, b, activation):
    """Move the playground's artists to the neuron (w1, w2, b, f); return what was computed."""
    w = np.array([w1, w2])
    f = N.activation_fn(activation)
    a_map = N.decision_map(w, b, f, grid)  # (n, n)
    vmax = 1.0 if activation != "relu" else max(1.0, float(a_map.max()))
    # ReLU grows without bound: its axis goes up to Z_LIM, so the curve is never cut off
    # and never looks as if it levelled off. Returns True when the axis changed.
    top = Z_LIM if activation == "relu" else A_LIM
    rescaled = art["ax_z"].get_ylim()[1] != top + 0.08 * top / A_LIM
    if rescaled:
        art["ax_z"].set_ylim(-0.08 * top / A_LIM, top + 0.08 * top / A_LIM)
    art["map"].set_data(a_map)
    art["map"].set_clim(0, vmax)
    art["line"].set_data(*N.boundary_line(w, b, grid[0, 0, 0], grid[-1, -1, 0]))
    z = N.weighted_sum(X, w, b)  # (N,)
    correct = int((N.fires(X, w, b) == (y == 1)).sum())
    art["count"].set_text(f"{correct} / {len(y)}")
    art["vmax"].set_text(f"{vmax:.3g}")
    art["curve"].set_ydata(f(art["zs"]))  # within the axis for every activation
    z_shown = np.clip(z, -Z_LIM, Z_LIM)  # points past the edge sit on it
    for k, points in enumerate(art["points"]):
        points.set_offsets(np.column_stack([z_shown[y == k], f(z_shown[y == k])]))
    n_out = int((np.abs(z) > Z_LIM).sum())
    art["z_note"].set_text(f"{n_out} off the frame, at its edge" if n_out else "")
    return {"correct": correct, "n": len(y), "z": z, "a_min": float(a_map.min()),
            "a_max": float(a_map.max()), "boundary": N.boundary_line(w, b),
            "rescaled": rescaled}  # fmt: skip


def playground_figure(w1=10.0, w2=0.0, b=-5.0, activation="sigmoid", X=None, y=None):
    """The playground's first frame as a static figure (defaults: the seeded two blobs)."""
    if X is None:
        X, y = N.two_blobs(40, np.random.default_rng(0))
    grid = N.make_grid(0.0, 1.0, 81)
    art = _playground_artists(X, y, grid)
    _draw_playground(art, X, y, grid, w1, w2, b, activation)
    return art["fig"]


def neuron_playground(X=None, y=None):
    """Sliders for w1, w2, b and a choice of activation for a two-input neuron.

    Left: the neuron's activation over the square of inputs (a1, a2), the line
    w1 a1 + w2 a2 + b = 0 and the points of two classes; right: every point's
    weighted sum z and activation f(z) on the curve of f. The counter says how
    many points land on their class's side (class 1 where z > 0).
    X: (N, 2) points in [0, 1]^2, y: (N,) 0/1 labels; default: seeded two blobs.
    """
    if X is None:
        X, y = N.two_blobs(40, np.random.default_rng(0))
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2 or y.shape != X.shape[:1]:
        raise ValueError(
            f"neuron_playground expects X (N, 2) and y (N,), got {X.shape} and {y.shape}"
        )
    grid = N.make_grid(0.0, 1.0, 81)
    art = _playground_artists(X, y, grid)
    animated = [art["map"], *art["dots"], art["line"], art["curve"], *art["points"]]
    animated += [art["count"], art["vmax"], art["z_note"]]
    live = LiveFigure(art["fig"], animated=animated)

    def update(w1, w2, b, activation):
        state = _draw_playground(art, X, y, grid, w1, w2, b, activation)
        if state["rescaled"]:
            live.invalidate()  # a new axis: the next refresh draws everything
        return state

    controls = {
        "w1": slider(10.0, -10, 10, 0.1, "weight w1"),
        "w2": slider(0.0, -10, 10, 0.1, "weight w2"),
        "b": slider(-5.0, -10, 10, 0.1, "bias b"),
        "activation": dropdown(["sigmoid", "relu", "step"], "sigmoid", "activation f"),
    }
    return Explorer(controls, update, figure=live, title="One neuron: a = f(w1 a1 + w2 a2 + b)")


# ---------------------------------------------------------------- the digit viewer


def network_params(network):
    """[(W, b), ...] as numpy arrays from a list of pairs or an nnlib MLP."""
    if isinstance(network, (list, tuple)):
        return [(np.asarray(W, dtype=float), np.asarray(b, dtype=float)) for W, b in network]
    return list(zip(*network.weights_and_biases(), strict=True))


def chapter_network(seed=0):
    """The chapter's untrained 784-16-16-10 network: sigmoid after every layer, fixed seed."""
    from nnlib.layers import MLP

    rng = np.random.default_rng(seed)
    return MLP([784, 16, 16, 10], rng=rng, activation="sigmoid", final_activation="sigmoid")


def _check_digit(x):
    x = np.asarray(x, dtype=float)
    if x.shape != (784,):
        raise ValueError(f"expected one digit as x of shape (784,), got {x.shape}")
    return x


def _strip(ax, a, title):
    """A row of activations as grey cells (0 black, 1 white); returns the image artist."""
    im = ax.imshow(a[None, :], cmap="gray", vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    ax.set_yticks([])
    ax.set_title(title, fontsize=9, loc="left")
    return im


def _viewer_artists():
    fig = Figure(figsize=(8.4, 4.2), dpi=plot.DPI, layout="constrained")
    grid = fig.add_gridspec(4, 2, width_ratios=[1, 2.6], height_ratios=[0.7, 0.7, 0.7, 1.7])
    ax_img = fig.add_subplot(grid[:3, 0])
    art = {"fig": fig}
    art["img"] = ax_img.imshow(
        np.zeros((28, 28)), cmap="gray", vmin=0, vmax=1, interpolation="nearest"
    )
    ax_img.set_xticks([])
    ax_img.set_yticks([])
    art["caption"] = fig.add_subplot(grid[3, 0])
    art["caption"].set_axis_off()
    # Fixed words drawn once; only the short numbers beside them change (text is slow).
    art["caption"].text(0.0, 0.95, "digit #\nlabel\nnetwork's answer", va="top", fontsize=9)
    art["text"] = art["caption"].text(0.75, 0.95, "", va="top", fontsize=9, weight="bold")
    titles = ["input layer: 784 pixel activations", "hidden layer 1: 16 neurons",
              "hidden layer 2: 16 neurons"]  # fmt: skip
    art["strips"] = []
    for row, (n, title) in enumerate(zip((784, 16, 16), titles, strict=True)):
        ax = fig.add_subplot(grid[row, 1])
        art["strips"].append(_strip(ax, np.zeros(n), title))
        ax.set_xticks([0, n - 1] if n > 16 else range(n))
        ax.tick_params(labelsize=7, length=0)
    ax_out = plot.style(fig.add_subplot(grid[3, 1]))
    art["bars"] = ax_out.bar(np.arange(10), np.zeros(10), color=plot.COLORS[0])
    ax_out.set_xticks(np.arange(10))
    ax_out.set_ylim(0, 1)
    ax_out.set_xlabel("output neuron (the digit it stands for)")
    ax_out.set_title(
        "output layer: 10 neurons; red = brightest = the answer", fontsize=9, loc="left"
    )
    return art


def _draw_digit(art, activations, label, index=None):
    """Show one digit's activations [x (784,), h1 (16,), h2 (16,), out (10,)] in the viewer."""
    x, h1, h2, out = activations
    art["img"].set_data(x.reshape(28, 28))
    for im, a in zip(art["strips"], (x, h1, h2), strict=True):
        im.set_data(a[None, :])
    answer = int(np.argmax(out))
    for i, (bar, value) in enumerate(zip(art["bars"], out, strict=True)):
        bar.set_height(value)
        bar.set_color(plot.COLORS[1] if i == answer else plot.COLORS[0])
    art["text"].set_text(f"{'' if index is None else index}\n{label}\n{answer}")
    return {"label": int(label), "answer": answer, "output": out, "hidden1": h1, "hidden2": h2}


def layers_figure(x, label, network, index=None):
    """The network's activations, layer by layer, for one digit (the viewer's picture).

    index: the digit's position in the test set, shown beside it (None shows nothing).
    """
    acts = N.layer_activations(network_params(network), _check_digit(x))
    art = _viewer_artists()
    _draw_digit(art, acts, label, index)
    return art["fig"]


def mnist_test_digits():
    """MNIST test digits (X, y) from nnlib.data.load_mnist, without its offline-split warning."""
    from nnlib.data import load_mnist

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the offline 8,000 / 2,000 split note
        mnist = load_mnist(download=False)
    return mnist.X_test, mnist.y_test


def digit_viewer(X=None, y=None, network=None):
    """A slider picks a test digit; see it as pixels, as 784 activations, and through the network.

    X: (N, 784) digits, y: (N,) labels (default: the MNIST test digits);
    network: an MLP or [(W, b), ...] for 784-16-16-10 (default: chapter_network()).
    Every digit's activations are computed once, up front, so moving the
    slider only redraws.
    """
    if X is None:
        X, y = mnist_test_digits()
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 784 or y.shape != X.shape[:1]:
        raise ValueError(f"digit_viewer expects X (N, 784) and y (N,), got {X.shape} and {y.shape}")
    params = network_params(chapter_network() if network is None else network)
    sizes = [params[0][0].shape[1]] + [W.shape[0] for W, _ in params]
    if sizes != [784, 16, 16, 10]:
        raise ValueError(f"digit_viewer expects a 784-16-16-10 network, got {sizes}")
    acts = N.layer_activations(params, X)  # [(N, 784), (N, 16), (N, 16), (N, 10)]
    art = _viewer_artists()
    animated = [art["img"], *art["strips"], *art["bars"], art["text"]]
    live = LiveFigure(art["fig"], animated=animated)

    def update(index):
        return _draw_digit(art, [a[index] for a in acts], y[index], index)

    controls = {"index": int_slider(0, 0, len(X) - 1, 1, "digit #")}
    return Explorer(controls, update, figure=live, title="A digit through the 784-16-16-10 network")
