"""Chapter 03's figures and widgets: gradient descent in one and two dimensions.

All the math is in nnlib.chapters.ch03_gradient_descent (pure, tested); this module only draws it.
Figure functions return a matplotlib Figure; the two widget builders return an
Explorer: learning_rate_explorer() (one weight, a learning-rate slider) and
descent_race() (GD, SGD, momentum and Adam on the real "is it a 0?" cost).
"""

import functools

import ipywidgets
import numpy as np

from nnlib import plot
from nnlib.chapters import ch03_gradient_descent as descent
from nnlib.widgets import Explorer, LiveFigure, dropdown, int_slider, slider

COSTS_1D = {  # name -> (cost, slope, minima, w range drawn)
    "bowl": (descent.bowl, descent.bowl_slope, np.array([1.0]), (-2.0, 4.0)),
    "two valleys": (
        descent.two_valleys,
        descent.two_valleys_slope,
        descent.two_valleys_minima(),
        (-2.4, 2.4),
    ),
}
MAX_STEPS_1D = 60
W_RANGE, B_RANGE = (-4.0, 16.0), (-14.0, 6.0)
NAMES = {"gd": "GD", "sgd": "SGD", "momentum": "momentum", "adam": "Adam"}
COLORS = {
    "gd": plot.COLORS[0],
    "sgd": plot.COLORS[3],
    "momentum": plot.COLORS[2],
    "adam": "#d62728",
}


def run_1d(cost, lr, w0, n_steps):
    """Descend one of COSTS_1D; returns path, status, regime and the cost at each step."""
    f, slope, minima, _ = COSTS_1D[cost]
    path, status = descent.gradient_descent_1d(slope, w0, lr, n_steps)
    w_star = minima[np.argmin(np.abs(minima - path[-1]))]  # the minimum it ends nearest to
    regime = descent.classify_regime(path, status, w_star)
    label = f"diverged after {len(path)} steps" if status == "diverged" else regime
    return {"path": path, "L": f(path), "status": status, "regime": regime, "label": label}


def _draw_1d(ax, cost, run):
    f, _, _, (lo, hi) = COSTS_1D[cost]
    w = np.linspace(lo, hi, 300)
    ax.plot(w, f(w), color="0.3", lw=1.5)
    ax.plot(run["path"], run["L"], "o-", color=plot.COLORS[1], ms=3.5, lw=0.9)
    ax.plot(run["path"][:1], run["L"][:1], "o", color="k", ms=6)
    ax.set(xlim=(lo, hi), ylim=(-0.05 * f(w).max(), 1.1 * f(w).max()), xlabel="w", ylabel="L(w)")


def log_slider(value, min_exponent, max_exponent, description):
    """A FloatLogSlider from 10^min_exponent to 10^max_exponent, in steps of 10^0.05."""
    return ipywidgets.FloatLogSlider(
        value=value,
        base=10,
        min=min_exponent,
        max=max_exponent,
        step=0.05,
        description=description,
        readout_format=".3g",
        style={"description_width": "8em"},
        layout={"width": "32em"},
    )


def step_rule_figure():
    """The 1-D rule: where the slope is positive step left, where it is negative step right."""
    fig, ax = plot.figure(size=(6.0, 3.4))
    w = np.linspace(-2.0, 4.0, 200)
    ax.plot(w, descent.bowl(w), color="0.3")
    for w0, side in ((3.0, "right"), (-1.0, "left")):
        L0, s = descent.bowl(w0), descent.bowl_slope(w0)
        ax.plot(w, L0 + s * (w - w0), "--", color=plot.COLORS[0], lw=1)  # the tangent
        w1 = w0 - 0.3 * s  # one step with lr = 0.3
        ax.annotate("", (w1, descent.bowl(w1)), (w0, L0), arrowprops={"arrowstyle": "->", "lw": 2})
        ax.plot([w0], [L0], "o", color=plot.COLORS[1])
        move = "left" if s > 0 else "right"
        ha = "left" if side == "right" else "right"
        ax.text(w0 + (0.15 if ha == "left" else -0.15), L0, f"slope {s:+.0f}\nstep {move}", ha=ha)
    ax.set(xlim=(-2, 4), ylim=(-1, 10), xlabel="w", ylabel="L(w) = (w - 1)²")
    ax.set_title("w ← w − lr · dL/dw   (lr = 0.3)", fontsize=10)
    return fig


def regimes_figure(lrs=(0.05, 0.3, 0.85, 1.1), w0=-1.5, n_steps=12):
    """The four learning-rate regimes side by side on the bowl L(w) = (w - 1)^2."""
    fig, axes = plot.figure(1, len(lrs), size=(3.0 * len(lrs), 2.9))
    for ax, lr in zip(axes, lrs, strict=True):
        run = run_1d("bowl", lr, w0, n_steps)
        _draw_1d(ax, "bowl", run)
        ax.set_title(f"lr = {lr}: {run['label']}", fontsize=10)
    return fig


def two_valleys_figure(starts=(-0.5, 0.5), lr=0.05, n_steps=60):
    """Two starts on either side of the hump roll into different minima."""
    fig, ax = plot.figure(size=(6.0, 3.2))
    _draw_1d(ax, "two valleys", run_1d("two valleys", lr, starts[0], n_steps))
    run = run_1d("two valleys", lr, starts[1], n_steps)
    ax.plot(run["path"], run["L"], "o-", color=plot.COLORS[0], ms=3.5, lw=0.9)
    ax.plot(run["path"][:1], run["L"][:1], "o", color="k", ms=6)
    ax.set_title(f"starts {starts[0]} and {starts[1]}, lr = {lr}, {n_steps} steps", fontsize=10)
    return fig


@functools.lru_cache(maxsize=1)
def surface(n=90):
    """The real 2-parameter cost, computed once: x, t, ws, bs and L on the grid (n, n)."""
    x, t = descent.load_zeros_and_ones()
    ws, bs = np.linspace(*W_RANGE, n), np.linspace(*B_RANGE, n)
    return x, t, ws, bs, descent.cost_grid(ws, bs, x, t)


def _contour(ax):
    x, t, ws, bs, L = surface()
    levels = np.geomspace(0.18, 12.0, 16)  # log spacing: the valley floor gets lines too
    ax.contour(ws, bs, L, levels=levels, colors="0.6", linewidths=0.7)
    w_min, b_min = np.unravel_index(np.argmin(L), L.shape)[::-1]
    ax.plot(ws[w_min], bs[b_min], "*", color="k", ms=10)
    ax.plot(*descent.START, "o", color="k", ms=5)
    ax.set(xlim=W_RANGE, ylim=B_RANGE, xlabel="weight w", ylabel="bias b")


def gradient_arrows_figure(n=7):
    """The negative gradient at a grid of points: arrows across the contours, pointing downhill."""
    x, t, *_ = surface()
    fig, ax = plot.figure(size=(5.2, 4.4))
    _contour(ax)
    W, B = np.meshgrid(np.linspace(-2, 14, n), np.linspace(-12, 4, n))
    G = np.array(
        [descent.logistic_gradient(p, x, t) for p in zip(W.ravel(), B.ravel(), strict=True)]
    )
    down = -G / np.linalg.norm(G, axis=1, keepdims=True)  # unit arrows: direction only
    ax.quiver(W.ravel(), B.ravel(), down[:, 0], down[:, 1], color=plot.COLORS[1], width=0.006)
    ax.set_aspect("equal")
    ax.set_title("−∇L: the steepest way down (unit length)", fontsize=10)
    return fig


def race_figure(runs, title, against="step"):
    """Paths of several runs on the contour plot, with each one's final cost and work.

    runs: dict name -> a result of descent.run_optimizer_on_surface; names like "gd",
    "sgd", "momentum", "adam" get the widget's colors and labels.
    The legend counts the work in example-gradients ("ex."). against: "step" or
    "examples", what the cost curves on the right are plotted against.
    """
    x, t, *_ = surface()
    fig, axes = plot.figure(1, 2, size=(10.0, 4.0))
    _contour(axes[0])
    for name, run in runs.items():
        costs = descent.logistic_cost(run["path"], x, t)  # (k + 1,)
        color, shown = COLORS.get(name), NAMES.get(name, name)  # keys like "gd" get the book's
        label = f"{shown}: L = {costs[-1]:.3f}, {run['examples']:,} ex."
        axes[0].plot(*run["path"].T, ".-", ms=2.5, lw=1, color=color, label=label)
        per_step = run["examples"] / max(len(costs) - 1, 1)
        xs = np.arange(len(costs)) * (per_step if against == "examples" else 1)
        first = 1 if against == "examples" else 0  # step 0 did no work: no place on a log axis
        axes[1].plot(xs[first:], costs[first:], color=color, label=shown)
    axes[0].legend(fontsize=8, loc="lower left")
    xlabel = "example-gradients computed (log scale)" if against == "examples" else "step"
    axes[1].set(xscale="log" if against == "examples" else "linear", xlabel=xlabel, ylabel="cost L")
    axes[1].legend(fontsize=8)
    axes[0].set_title(title, fontsize=10)
    return fig


def learning_rate_explorer():
    """Sliders for lr (log scale), the start w0 and the number of steps on a 1-D cost."""
    fig, axes = plot.figure(1, 2, size=(8.0, 3.2))
    run = run_1d("bowl", 0.1, -1.5, 20)
    _draw_1d(axes[0], "bowl", run)
    curve, path, start = axes[0].lines
    (per_step,) = axes[1].plot(run["L"], "o-", color=plot.COLORS[1], ms=3)
    # Fixed limits that suit both costs, so no change ever needs a full redraw.
    axes[0].set(xlim=(-2.4, 4.0), ylim=(-0.5, 10.0), ylabel="L(w)")
    axes[1].set(xlim=(-1, MAX_STEPS_1D + 1), ylim=(-0.5, 10.0), xlabel="step k", ylabel="L(w_k)")
    label = axes[0].text(0.5, 0.93, "", transform=axes[0].transAxes, ha="center", fontsize=11)
    live = LiveFigure(fig, animated=[curve, path, start, per_step, label])
    w = np.linspace(-2.4, 4.0, 300)

    def update(cost, lr, w0, n_steps):
        run = run_1d(cost, lr, w0, n_steps)
        finite_L = np.minimum(run["L"], 1e6)  # a diverging run leaves the axes, never NaN
        curve.set_data(w, COSTS_1D[cost][0](w))
        path.set_data(run["path"], finite_L)
        start.set_data(run["path"][:1], finite_L[:1])
        per_step.set_data(np.arange(len(finite_L)), finite_L)
        label.set_text(run["label"])
        label.set_color("#b00020" if run["status"] == "diverged" else "k")
        return {
            "regime": run["regime"],
            "status": run["status"],
            "label": run["label"],
            "path": run["path"],
            "L": run["L"],
            "w_final": float(run["path"][-1]),
        }

    controls = {
        "cost": dropdown(list(COSTS_1D), "bowl", "cost"),
        "lr": log_slider(0.1, -3, 0.5, "learning rate lr"),
        "w0": slider(-1.5, -2.0, 2.4, 0.05, "start w0"),
        "n_steps": int_slider(20, 1, MAX_STEPS_1D, 1, "steps"),
    }
    return Explorer(controls, update, figure=live, title="w ← w − lr · dL/dw on one weight")


MAX_STEPS = 200


def descent_race(seed=0):
    """GD, SGD, momentum and Adam from the same start on the real cost; pick lr, batch, steps.

    Each run is computed once for MAX_STEPS steps and cached per (optimizer, lr, batch size),
    so moving the steps slider or ticking a box only slices and redraws; the runs at the
    starting lr are computed when the widget is built. SGD's batches
    come from np.random.default_rng(seed): the same settings always give the same path.
    """
    x, t, *_ = surface()
    fig, ax = plot.figure(size=(5.6, 4.0))
    _contour(ax)
    lines = {
        n: ax.plot([], [], ".-", ms=2.5, lw=1.2, color=COLORS[n], label=NAMES[n])[0] for n in NAMES
    }
    ax.legend(loc="upper right", fontsize=8)
    ends = ax.scatter(np.zeros(0), np.zeros(0), s=36, zorder=3)  # one artist: the final points
    warning = ax.text(0.02, 0.03, "", transform=ax.transAxes, color="#b00020", fontsize=9)
    readout = ipywidgets.HTML()  # the final costs, as a small table under the figure
    live = LiveFigure(fig, animated=[*lines.values(), ends, warning])

    @functools.lru_cache(maxsize=256)
    def full_run(name, lr, batch_size):
        rng = np.random.default_rng(seed)
        return descent.run_optimizer_on_surface(
            x, t, descent.START, name, lr, MAX_STEPS, batch_size, rng
        )

    def update(gd, sgd, momentum, adam, lr, batch_size, n_steps):
        chosen = {"gd": gd, "sgd": sgd, "momentum": momentum, "adam": adam}
        results, rows, notes = {}, [], []
        for name, on in chosen.items():
            lines[name].set_data([], [])
            if not on:
                continue
            run = full_run(name, float(lr), int(batch_size) if name == "sgd" else None)
            path = run["path"][: n_steps + 1]  # the first n_steps steps (fewer if it diverged)
            per_step = batch_size if name == "sgd" else len(x)
            diverged = run["status"] == "diverged" and len(path) < n_steps + 1
            L = float(descent.logistic_cost(path[-1], x, t))
            examples = (len(path) - 1) * per_step
            lines[name].set_data(*path.T)
            shown = f"diverged after {len(path)} steps" if diverged else f"{L:.3f}"
            notes += [f"{NAMES[name]} {shown}"] if diverged else []
            rows.append(f"<tr><td>{NAMES[name]}</td><td>{shown}</td><td>{examples:,d}</td></tr>")
            results[name] = {
                "path": path,
                "final_cost": L,
                "examples": examples,
                "status": "diverged" if diverged else "ok",
            }
        finals = [run["path"][-1] for run in results.values()]
        ends.set_offsets(np.array(finals).reshape(-1, 2))  # (n_ticked, 2)
        ends.set_facecolor([COLORS[name] for name in results])
        warning.set_text("\n".join(notes) if results else "tick an optimizer")
        head = "<tr><th>optimizer</th><th>final cost L</th><th>example-gradients</th></tr>"
        readout.value = f"<table>{head}{''.join(rows)}</table>"
        return results

    batch_sizes = [1, 4, 16, 64, 256]
    for name in NAMES:  # at the first learning rate, every choice is ready before any click
        for batch_size in batch_sizes if name == "sgd" else [None]:
            full_run(name, 1.0, batch_size)
    controls = {
        "gd": ipywidgets.Checkbox(value=True, description="GD (full batch)"),
        "sgd": ipywidgets.Checkbox(value=True, description="SGD (mini-batch)"),
        "momentum": ipywidgets.Checkbox(value=False, description="momentum 0.9"),
        "adam": ipywidgets.Checkbox(value=False, description="Adam"),
        "lr": log_slider(1.0, -2, 1, "learning rate lr"),
        "batch_size": dropdown(batch_sizes, 16, "SGD batch size"),
        "n_steps": int_slider(100, 1, MAX_STEPS, 1, "steps"),
    }
    title = "Descent race on the cost of 'is it a 0?'"
    return Explorer(controls, update, figure=live, outputs={"costs": readout}, title=title)
