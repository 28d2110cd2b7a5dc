"""Chapter 04's figures and widgets: backpropagation and what a trained network learned.

The math is in nnlib.chapters.ch04_backpropagation (pure, tested); this module only draws it.
Figure functions return a matplotlib Figure. The widget builders return an Explorer:
nudge_explorer() (three ways to raise one output activation), hyperparameter_panel()
(a small network trained on 2,000 digits each time a slider is released), drawing_panel()
(draw a digit, see it prepared as MNIST's digits were, and the network's ten probabilities)
and digit_viewer() (chapter 01's viewer, on a trained network).
"""

import html
import time

import ipywidgets
import numpy as np
from matplotlib.figure import Figure

from nnlib import drawing, plot
from nnlib.chapters import ch04_backpropagation as backprop
from nnlib.gradcheck import rel_error
from nnlib.widgets import Explorer, LiveFigure, ch01_neuron, dropdown, int_slider, slider
from nnlib.widgets.canvas import DrawingCanvas
from nnlib.widgets.ch03_gradient_descent import log_slider

KINDS = ("activations", "weights", "bias", "all three")
PAD = ' style="padding: 0 0.8em"'  # readout table cells: columns that do not run together
KIND_COLORS = [plot.COLORS[0], plot.COLORS[2], plot.COLORS[3], "0.35"]


# ---- the chain along one path -----------------------------------------------------------


def chain_figure(chain, numeric=None):
    """The chain w -> z -> a -> C with each value, each link's slope and their product."""
    fig, ax = plot.figure(size=(8.4, 2.6))
    ax.set_axis_off()
    ax.set(xlim=(0, 10), ylim=(0, 3))
    nodes = [
        ("w", chain["w"]),
        ("z", chain["z"]),
        ("a = σ(z)", chain["a"]),
        ("C", chain["C"]),
    ]
    xs = [0.9, 3.7, 6.5, 9.2]
    for x, (name, value) in zip(xs, nodes, strict=True):
        ax.text(
            x,
            2.1,
            f"{name}\n{value:.4f}",
            ha="center",
            va="center",
            fontsize=11,
            bbox={"boxstyle": "round", "fc": "#eef3fa", "ec": plot.COLORS[0]},
        )
    links = [
        (r"$\partial z/\partial w = a_k$", chain["dz_dw"]),
        ("∂a/∂z = σ'(z)", chain["da_dz"]),
        ("∂C/∂a = 2(a − y)", chain["dC_da"]),
    ]
    for x0, x1, (name, value) in zip(xs[:-1], xs[1:], links, strict=True):
        ax.annotate(
            "",
            xy=(x1 - 0.75, 2.1),
            xytext=(x0 + 0.75, 2.1),
            arrowprops={"arrowstyle": "->", "color": "0.3"},
        )
        ax.text((x0 + x1) / 2, 1.45, f"{name}\n= {value:.4f}", ha="center", va="top", fontsize=9)
    product = (
        f"dC/dw = {chain['dz_dw']:.4f} × {chain['da_dz']:.4f} × {chain['dC_da']:.4f}"
        f" = {chain['dC_dw']:.6f}"
    )
    if numeric is not None:
        product += f"     finite differences: {numeric:.6f}"
    ax.text(5.0, 0.25, product, ha="center", fontsize=10, color=plot.COLORS[1])
    return fig


# ---- three ways to raise an output activation ----------------------------------------------


def _nudge_axes():
    """The three-panel figure of the nudge explorer, and the artists its update moves."""
    fig = plot.figure(1, 3, size=(8.6, 3.8))[0]  # 860 px: fits a notebook's column
    ax_a, ax_C, ax_k = fig.axes
    x = np.arange(len(KINDS))
    bars_a = ax_a.bar(x, np.zeros(len(KINDS)), color=KIND_COLORS)
    bars_C = ax_C.bar(x, np.zeros(len(KINDS)), color=KIND_COLORS)
    for ax, title, lim in ((ax_a, "change of output $a_j$", 1.05), (ax_C, "change of cost C", 1.6)):
        ax.set_xticks(x, ["activ-\nations", "weights", "bias", "all\nthree"], fontsize=8)
        ax.axhline(0, color="0.5", lw=0.8)
        ax.set_ylim(-lim, lim)
        ax.set_title(title, fontsize=10)
    k = np.arange(16)
    # one LineCollection of thick vertical lines per kind: 2 artists to redraw instead of 32 bars
    label_w, label_d = r"$\Delta w_{jk} \propto a_k$", r"$\Delta a_k \propto w_{jk}$"
    bars_w = ax_k.vlines(k - 0.2, 0, np.zeros(16), lw=5, color=KIND_COLORS[1], label=label_w)
    bars_d = ax_k.vlines(k + 0.2, 0, np.zeros(16), lw=5, color=KIND_COLORS[0], label=label_d)
    (dots,) = ax_k.plot(k, np.zeros(16), "o", color="k", ms=3, label="$a_k$ (activation)")
    ax_k.axhline(0, color="0.5", lw=0.8)
    ax_k.set(ylim=(-1.25, 1.7), xlabel="hidden neuron k (last hidden layer)")
    ax_k.set_xticks(k[::3])
    # Above the panel, not inside it, so no bar can run through the legend.
    ax_k.legend(frameon=False, fontsize=8, loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2)
    ax_k.set_title("the nudges, neuron by neuron", fontsize=10, pad=34)
    return fig, {
        "bars_a": bars_a,
        "bars_C": bars_C,
        "bars_w": bars_w,
        "bars_d": bars_d,
        "dots": dots,
    }


def _draw_nudges(artists, effects):
    """Move the nudge figure's artists to show one nudge_effects result."""
    for key, bars, lim in (
        ("delta_a_j", artists["bars_a"], 1.05),
        ("delta_C", artists["bars_C"], 1.6),
    ):
        for bar, kind in zip(bars, KINDS, strict=True):
            bar.set_height(np.clip(effects[key][kind], -lim, lim))  # the readout gives the number
    k = np.arange(len(effects["dW"]))
    for name, shift, values in (("bars_w", -0.2, effects["dW"]), ("bars_d", 0.2, effects["dA"])):
        artists[name].set_segments(
            [[(x, 0.0), (x, v)] for x, v in zip(k + shift, values, strict=True)]
        )
    artists["dots"].set_ydata(effects["a_prev"])


def nudge_readout(effects, j, label):
    """The nudge explorer's numbers as a small HTML table."""
    rows = "".join(
        f"<tr><td{PAD}>{kind}</td><td{PAD}>{effects['delta_a_j'][kind]:+.3f}</td>"
        f"<td{PAD}>{effects['delta_C'][kind]:+.3f}</td></tr>"
        for kind in KINDS
    )
    return (
        f"digit: a {label}; output neuron j = {j}: <i>a</i><sub>j</sub> = {effects['a_j']:.3f}, "
        f"cost C = {effects['C']:.3f}<br><table><tr><th{PAD}>nudge</th>"
        f"<th{PAD}>change of <i>a</i><sub>j</sub></th>"
        f"<th{PAD}>change of C</th></tr>{rows}</table>"
    )


def _flat(artists):
    out = []
    for value in artists.values():
        out.extend(
            value if isinstance(value, (list, tuple)) or hasattr(value, "patches") else [value]
        )
    return out


def nudge_figure(Ws, bs, x, label, j, eps_a=0.3, eps_w=0.3, eps_b=0.3):
    """Static figure: the three nudges of output j for the digit x (label its true digit)."""
    fig, artists = _nudge_axes()
    effects = backprop.nudge_effects(Ws, bs, x, label, j, eps_a, eps_w, eps_b)
    _draw_nudges(artists, effects)
    fig.suptitle(
        f"a {label}, output j = {j}: $a_j$ = {effects['a_j']:.3f} → "
        f"{effects['a_j'] + effects['delta_a_j']['all three']:.3f} with all three nudges",
        fontsize=10,
    )
    return fig


def nudge_explorer(Ws=None, bs=None, X=None, y=None):
    """Pick a digit and an output neuron j; three sliders nudge activations, weights, bias.

    Ws, bs: a trained 784-16-16-10 sigmoid network (default: backprop.small_network()).
    X, y: digits to choose from (default: backprop.small_data()'s validation digits).
    """
    if Ws is None:
        Ws, bs = backprop.small_network()
    if X is None:
        X, y = backprop.small_data()[2:]
    fig, artists = _nudge_axes()
    live = LiveFigure(fig, animated=_flat(artists))
    readout = ipywidgets.HTML(value="")

    def update(example, j, eps_a, eps_w, eps_b):
        label = int(y[example])
        effects = backprop.nudge_effects(Ws, bs, X[example], label, j, eps_a, eps_w, eps_b)
        _draw_nudges(artists, effects)
        readout.value = nudge_readout(effects, j, label)
        return {"label": label, "j": j, **effects}

    options = backprop.example_digits(X, y)
    first = backprop.least_sure_example(Ws, bs, X, y)
    controls = {
        "example": dropdown(list(options.items()), first, "digit"),  # (label, index) pairs
        "j": dropdown(list(range(10)), int(y[first]), "output neuron j"),
        "eps_a": slider(0.3, -1.0, 1.0, 0.05, "activations"),
        "eps_w": slider(0.3, -1.0, 1.0, 0.05, "weights"),
        "eps_b": slider(0.3, -1.0, 1.0, 0.05, "bias"),
    }
    return Explorer(
        controls,
        update,
        figure=live,
        outputs={"readout": readout},
        title="Three ways to raise output a_j",
    )


# ---- checking backprop ------------------------------------------------------------------------


def gradient_check_figure(hand, autograd, hand_sampled, numeric_sampled):
    """Hand-written gradients against autograd (all parameters) and finite differences (a few)."""
    fig, (ax1, ax2) = plot.figure(1, 2, size=(8.6, 3.4))
    for ax, a, b, xlabel, what in (
        (ax1, autograd, hand, "autograd (nnlib.tensor)", "parameters, all of them"),
        (ax2, numeric_sampled, hand_sampled, "finite differences", "sampled weights"),
    ):
        lim = 1.05 * max(np.abs(a).max(), np.abs(b).max())
        ax.plot([-lim, lim], [-lim, lim], color="0.75", lw=1)
        ax.plot(a, b, ".", ms=3, color=plot.COLORS[0])
        error = rel_error(a, b)  # the measure the chapter prints and asserts on
        ax.set(xlim=(-lim, lim), ylim=(-lim, lim), xlabel=xlabel, ylabel="by hand")
        ax.locator_params(nbins=5)  # small gradients have long tick labels: fewer of them
        ax.set_title(f"{len(a):,} {what}: max rel. error {error:.1e}", fontsize=10)
    return fig


# ---- training and what the network learned ------------------------------------------------------


def draw_loss(ax, losses, window=100):
    """Draw a loss curve (each step faint, a running mean of `window` steps bold) on ax."""
    ax.clear()
    plot.style(ax)
    losses = np.asarray(losses, dtype=float)
    steps = np.arange(1, len(losses) + 1)
    ax.plot(steps, losses, color=plot.COLORS[0], alpha=0.25, lw=0.6)
    if len(losses) >= window:
        mean = np.convolve(losses, np.ones(window) / window, mode="valid")
        ax.plot(steps[window - 1 :], mean, color=plot.COLORS[0], lw=1.8)
    ax.set(xlabel="step (one mini-batch)", ylabel="cost on the mini-batch", ylim=(0, None))


def loss_figure(losses, title):
    """The loss curve of a training run, as a figure."""
    fig, ax = plot.figure(size=(6.0, 3.0))
    draw_loss(ax, losses)
    ax.set_title(title, fontsize=10)
    return fig


def misclassified_figure(X, y_true, y_pred, n=20):
    """The first n digits the network got wrong, each labelled 'true → said'."""
    wrong = np.flatnonzero(y_true != y_pred)[:n]
    return plot.digit_grid(X[wrong], [f"{y_true[i]} → {y_pred[i]}" for i in wrong], ncols=10)


def noise_figure(noise, probs_noise, probs_digits, n_show=8):
    """Random-noise images with the network's answer, and how sure it is on noise vs digits."""
    fig, first = plot.figure(size=(10.0, 3.2))
    fig.delaxes(first)  # the panels are placed on a grid below
    grid = fig.add_gridspec(2, n_show // 2 + 4)
    for i in range(n_show):
        ax = fig.add_subplot(grid[i // (n_show // 2), i % (n_show // 2)])
        ax.imshow(noise[i].reshape(28, 28), cmap="gray_r")
        ax.set_axis_off()
        k = int(np.argmax(probs_noise[i]))
        ax.set_title(f"says {k}: {probs_noise[i, k]:.0%}", fontsize=8, pad=2)
    ax = plot.style(fig.add_subplot(grid[:, n_show // 2 :]))
    edges = np.linspace(0, 1, 21)
    ax.hist(probs_digits.max(axis=1), edges, alpha=0.6, label="real digits")
    ax.hist(probs_noise.max(axis=1), edges, alpha=0.6, label="random noise")
    ax.set(xlabel="probability of the network's answer", ylabel="images")
    ax.legend(frameon=False, fontsize=9, loc="upper left")
    return fig


def train_val_figure(history, title):
    """Train and validation accuracy per epoch; the shaded gap between them is overfitting."""
    fig, ax = plot.figure(size=(6.0, 3.2))
    epochs = np.asarray(history["epoch"])
    train, val = np.asarray(history["train_acc"]), np.asarray(history["val_acc"])
    ax.plot(epochs, train, "o-", ms=3, label="training images", color=plot.COLORS[0])
    ax.plot(epochs, val, "o-", ms=3, label="validation images", color=plot.COLORS[1])
    ax.fill_between(epochs, val, train, color="0.85")
    ax.set(xlabel="epoch", ylabel="accuracy", ylim=(min(0.5, val.min()), 1.01))
    ax.legend(frameon=False, fontsize=9, loc="lower right")
    ax.set_title(title, fontsize=10)
    return fig


def vanishing_figure(norms_sigmoid, norms_relu):
    """Size of dL/dW per layer of a deep network, sigmoid against ReLU, on a log scale."""
    fig, ax = plot.figure(size=(6.4, 3.3))
    layers = np.arange(1, len(norms_sigmoid) + 1)
    ax.bar(layers - 0.2, norms_sigmoid, width=0.4, label="sigmoid", color=plot.COLORS[1])
    ax.bar(layers + 0.2, norms_relu, width=0.4, label="ReLU", color=plot.COLORS[0])
    ax.set_yscale("log")
    ax.set_xticks(layers)
    ax.set(xlabel="layer (1 = next to the input)", ylabel="size of dL/dW (norm)")
    ax.legend(frameon=False, fontsize=9)
    return fig


# ---- the hyperparameter panel ---------------------------------------------------------------


def _accuracy_axes():
    fig, ax = plot.figure(size=(6.0, 3.0))
    (train_line,) = ax.plot([], [], "o-", ms=3, label="training images", color=plot.COLORS[0])
    (val_line,) = ax.plot([], [], "o-", ms=3, label="validation images", color=plot.COLORS[1])
    ax.set(xlabel="epoch", ylabel="accuracy", xlim=(0.5, 12.5), ylim=(0, 1.01))
    ax.axhline(0.1, color="0.6", lw=0.8, ls="--")
    ax.text(0.7, 0.12, "chance", ha="left", fontsize=8, color="0.4")  # clear of the legend
    ax.legend(frameon=False, fontsize=9, loc="lower right")
    note = ax.text(0.02, 0.93, "", transform=ax.transAxes, fontsize=9)
    return fig, train_line, val_line, note


def hyperparameter_panel(data=None):
    """Sliders for hidden size, learning rate, batch size and epochs; each change retrains.

    When a control is released, a 784-n_hidden-10 sigmoid network is trained on 2,000
    digits with the hand-written backprop (the loop of quick_train in
    nnlib.chapters.ch04_backpropagation, seed 0) and
    its train and validation accuracy per epoch are drawn; a progress bar moves each epoch. A run
    takes about a second (2 s at the largest settings), so the sliders act on release, not
    while dragging. The same settings always give the same curves.
    data: (X_train, y_train, X_val, y_val); default backprop.small_data() (validation digits
    held out of the training digits: settings are compared there, never on the test set).
    """
    X, y, X_val, y_val = data if data is not None else backprop.small_data()
    fig, train_line, val_line, note = _accuracy_axes()
    live = LiveFigure(fig, animated=[train_line, val_line, note])
    progress = ipywidgets.IntProgress(value=0, min=0, max=1, description="epochs")
    status = ipywidgets.HTML(value="")

    def update(n_hidden, lr, batch_size, epochs):
        progress.max, progress.value = epochs, 0
        rng = np.random.default_rng(0)
        Ws, bs = backprop.init_params([784, n_hidden, 10], rng)
        start = time.perf_counter()
        history = {"epoch": [], "train_acc": [], "val_acc": [], "loss": []}
        for record in backprop.train_epochs(
            Ws, bs, X, y, X_val, y_val, lr, batch_size, epochs, rng
        ):
            for key in history:
                history[key].append(record[key])
            progress.value = record["epoch"]
        seconds = time.perf_counter() - start
        train_line.set_data(history["epoch"], history["train_acc"])
        val_line.set_data(history["epoch"], history["val_acc"])
        note.set_text(f"{n_hidden} hidden, lr {lr:.3g}, batch {batch_size}")
        status.value = (
            f"trained in {seconds:.1f} s: train accuracy {history['train_acc'][-1]:.1%}, "
            f"validation accuracy {history['val_acc'][-1]:.1%}"
        )
        settings = {"n_hidden": n_hidden, "lr": lr, "batch_size": batch_size, "epochs": epochs}
        return {**settings, "history": history, "seconds": seconds}

    lr = log_slider(3.0, -2.0, 1.5, "learning rate")
    lr.continuous_update = False  # train once on release, not at every step of a drag
    controls = {
        "n_hidden": int_slider(32, 4, 64, 4, "hidden neurons", continuous_update=False),
        "lr": lr,
        "batch_size": dropdown([16, 32, 64, 128, 256], 32, "batch size"),
        "epochs": int_slider(8, 1, 12, 1, "epochs", continuous_update=False),
    }
    return Explorer(
        controls,
        update,
        figure=live,
        outputs={"progress": progress, "status": status},
        title="Hyperparameters: train a 784-n-10 network on 2,000 digits",
    )


# ---- draw your own digit --------------------------------------------------------------------

STEPS = [  # (key of drawing.mnist_steps, title)
    ("canvas", "1. your drawing"),
    ("cropped", "2. cropped to the ink"),
    ("scaled", "3. longer side 20 px"),
    ("pasted", "4. pasted into 28 x 28"),
    ("centered", "5. ink centred: the input"),
]


def _fit_extent(shape):
    """Where an image of this (h, w) goes in a unit box, as large as fits, keeping its shape."""
    h, w = shape
    long = max(h, w, 1)
    dx, dy = w / long, h / long
    return ((1 - dx) / 2, (1 + dx) / 2, (1 + dy) / 2, (1 - dy) / 2)  # left, right, bottom, top


def _drawing_axes():
    """The drawing panel's figure: five step images on top, the ten probabilities below."""
    fig = Figure(figsize=(8.6, 4.4), dpi=plot.DPI, layout="constrained")
    grid = fig.add_gridspec(2, len(STEPS), height_ratios=[1, 1.05])
    art = {"fig": fig, "images": [], "sizes": []}
    for col, (_, title) in enumerate(STEPS):
        ax = fig.add_subplot(grid[0, col])
        ax.set(xlim=(0, 1), ylim=(1, 0), xticks=[], yticks=[], facecolor="0.92")
        ax.set_autoscale_on(False)  # set_extent must not move the limits (cached background)
        ax.set_title(title, fontsize=8.5)
        art["images"].append(ax.imshow(np.zeros((1, 1)), cmap="gray", vmin=0, vmax=1,
                                       extent=(0, 1, 1, 0), interpolation="nearest"))  # fmt: skip
        art["sizes"].append(ax.text(0.5, -0.06, "", transform=ax.transAxes, ha="center",
                                    va="top", fontsize=8))  # fmt: skip
    center = (drawing.CENTER + 0.5) / drawing.FIELD  # pixel 14's centre in the unit box
    ax.plot([center], [center], "+", color=plot.COLORS[1], ms=9, mew=1.2)  # where the mass goes
    ax_p = plot.style(fig.add_subplot(grid[1, :]))
    art["bars"] = ax_p.bar(np.arange(10), np.zeros(10), color=plot.COLORS[0])
    ax_p.set(xticks=np.arange(10), ylim=(0, 1.08), xlabel="digit",
             ylabel="probability")  # fmt: skip
    art["answer"] = ax_p.text(0.01, 0.97, "", transform=ax_p.transAxes, va="top", fontsize=10,
                              weight="bold", color=plot.COLORS[1])  # fmt: skip
    art["animated"] = [*art["images"], *art["sizes"], *art["bars"], art["answer"]]
    return art


def _draw_steps(art, steps, p):
    """Show the five steps of drawing.mnist_steps and the probabilities p (10,); the answer."""
    for (key, _), im, size in zip(STEPS, art["images"], art["sizes"], strict=True):
        image = steps[key]
        im.set_data(image if image.size else np.zeros((1, 1)))
        im.set_extent(_fit_extent(image.shape))
        size.set_text(f"{image.shape[0]} x {image.shape[1]} px" if image.size else "no ink")
    answer = int(np.argmax(p))
    for digit, bar in enumerate(art["bars"]):
        bar.set_height(p[digit])
        bar.set_color(plot.COLORS[1] if digit == answer else plot.COLORS[0])
    blank = " (on a blank image)" if steps["empty"] else ""
    art["answer"].set_text(f"the network says {answer}, with probability {p[answer]:.0%}{blank}")
    return answer


def drawing_figure(steps, p):
    """The drawing panel's picture for one drawing: steps from drawing.mnist_steps, p (10,)."""
    art = _drawing_axes()
    _draw_steps(art, steps, p)
    return art["fig"]


def drawing_panel(net=None, strokes=None):
    """Draw a digit; see it prepared step by step as MNIST's digits were, and net's answer.

    net: an MLP with logit outputs (default backprop.small_reader()); its ten softmax
    probabilities are the bars, the highest in red and named. strokes: the drawing to start
    with (default drawing.example_three()); the Clear button empties the canvas.
    """
    net = backprop.small_reader() if net is None else net
    canvas = DrawingCanvas(value=drawing.example_three() if strokes is None else strokes)
    art = _drawing_axes()
    live = LiveFigure(art["fig"], animated=art["animated"])
    said = ipywidgets.HTML(value="")

    def update(strokes):
        steps = drawing.mnist_steps(strokes, canvas.size, canvas.pen_width)
        p = backprop.digit_probabilities(net, steps["x"])
        answer = _draw_steps(art, steps, p)
        said.value = html.escape(f"The network says: {answer} (probability {p[answer]:.1%})")
        return {"answer": answer, "p": p, "empty": steps["empty"], "x": steps["x"]}

    return Explorer(
        {"strokes": canvas},
        update,
        figure=live,
        outputs={"said": said},
        title="Draw a digit with the mouse or a finger (Clear starts again)",
    )


def dream_figure(result, digit, mean_image):
    """Gradient ascent on the input for one digit: the start, the end, the change between them,
    the average real digit, and p_digit step by step. result: backprop.dream's dict."""
    fig, axes = plot.figure(1, 5, size=(10.0, 2.6))
    change = result["x"] - result["x_start"]  # (784,)
    top = max(float(np.abs(change).max()), 1e-9)
    panels = [
        (result["x_start"], f"start: p({digit}) = {result['p'][0]:.2f}", "gray", 0, 1),
        (result["x"], f"end: p({digit}) = {result['p'][-1]:.3f}", "gray", 0, 1),
        (change, f"the change (±{top:.2f})", "RdBu_r", -top, top),
        (mean_image, f"the average {digit} it trained on", "gray", 0, 1),
    ]
    for ax, (image, title, cmap, lo, hi) in zip(axes[:4], panels, strict=True):
        ax.imshow(np.reshape(image, (28, 28)), cmap=cmap, vmin=lo, vmax=hi)
        ax.set_axis_off()
        ax.set_title(title, fontsize=9)
    ax = plot.style(axes[4])
    ax.plot(np.arange(1, len(result["p"]) + 1), result["p"], color=plot.COLORS[1])
    ax.set(xlabel="step", ylim=(0, 1.03), title=f"p({digit}) while climbing")
    ax.title.set_fontsize(9)
    return fig


def digit_viewer(X, y, network):
    """Chapter 01's digit viewer on a trained 784-16-16-10 network: the promised return visit."""
    return ch01_neuron.digit_viewer(X, y, network=network)
