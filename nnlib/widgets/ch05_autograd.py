"""Chapter 05's figures and widgets: a computation graph, drawn, and its backward pass, stepped.

The math is in nnlib.chapters.ch05_autograd (Value, topological_order, backward_steps,
graph_layout); this module only draws it. graph_figure() draws any graph of nodes that have
.data, .parents, .local_grads, .op and .label (the chapter module's Value or the reader's
own), and backward_stepper() is the widget that walks backward() one node at a time.
"""

import html

import ipywidgets
import numpy as np
from matplotlib.patches import FancyBboxPatch

from nnlib import plot
from nnlib.chapters import ch05_autograd as autograd
from nnlib.widgets import Explorer, LiveFigure, int_slider

DONE, CURRENT, WAITING = "#d9ead3", "#ffd966", "white"  # box colours during the backward pass
BOX_W, BOX_H = 0.78, 0.62  # in column / row units


def _name(node):
    """A node's label; else how it was made ("q**-1"); a constant by its value."""
    if node.label:
        return node.label
    return _formula(node) if node.parents else f"{node.data:.3g}"


def _graph_of(root):
    """root, or the chapter's neuron if None; anything without a Value's parts is refused."""
    if root is None:
        return autograd.neuron_example()
    if not all(hasattr(root, name) for name in ("data", "parents", "local_grads")):
        raise TypeError(
            f"expected a Value (the last node of a computation, such as L), got "
            f"{type(root).__name__}: build it from Values, then pass the final one"
        )
    return root


def _formula(node):
    """How a node was made, in the names of its parents: "z = wx + b", "a = tanh(z)"."""
    names = [_name(p) for p in node.parents]
    if not node.parents:
        return node.label or f"{node.data:.3g}"  # an input, or a constant by its value
    if len(names) == 2:
        made = f"{names[0]} {node.op} {names[1]}"
    elif node.op.startswith("**"):
        made = f"{names[0]}{node.op}"
    else:
        made = f"{node.op}({names[0]})"
    return f"{node.label} = {made}" if node.label else made


def _draw_graph(ax, order, positions):
    """Boxes and arrows. Returns the box patches, the texts on them (how each node was made, its
    data) and the grad texts: the parts drawn over the arrows, in that order."""
    where = {id(node): xy for node, xy in zip(order, positions, strict=True)}
    for node, (col, row) in zip(order, positions, strict=True):
        n_edges = len(node.parents)
        for k, (parent, local) in enumerate(zip(node.parents, node.local_grads, strict=True)):
            pc, pr = where[id(parent)]
            twin = node.parents.count(parent) > 1  # a value used twice: two arrows, bent apart
            if twin:
                bend = 0.35 if k == 0 else -0.35
                start, end = (pc + BOX_W / 2, pr), (col - BOX_W / 2, row)
            elif col - pc > 1:  # skips a column: arc over the boxes between, top to top
                bend = -0.3
                start, end = (pc + 0.2, pr + BOX_H / 2), (col - 0.2, row + BOX_H / 2)
            else:
                bend = 0.0
                start, end = (pc + BOX_W / 2, pr), (col - BOX_W / 2, row)
            ax.annotate(
                "",
                xy=end,
                xytext=start,
                arrowprops={
                    "arrowstyle": "-|>",
                    "color": "0.55",
                    "lw": 1.0,
                    "connectionstyle": f"arc3,rad={bend}",
                },
            )
            # the middle of the arc: arc3 puts its control point rad * (dy, -dx) off the chord
            dx, dy = end[0] - start[0], end[1] - start[1]
            mx = (start[0] + end[0]) / 2 + bend / 2 * dy
            my = (start[1] + end[1]) / 2 - bend / 2 * dx
            if twin:  # short arcs: keep their two labels apart, above and below
                my = (start[1] + end[1]) / 2 - 0.16 * np.sign(bend)
            if not twin and not bend and n_edges > 1 and pr == row:
                my += 0.05
            ax.text(
                mx,
                my,
                f"{local:.3g}",
                fontsize=7.5,
                color="#1f4e9c",
                ha="center",
                va="center",
                bbox={"fc": "white", "ec": "none", "pad": 0.5, "alpha": 0.85},
            )
    boxes, words, grads = [], [], []
    for node, (col, row) in zip(order, positions, strict=True):
        box = FancyBboxPatch(
            (col - BOX_W / 2, row - BOX_H / 2),
            BOX_W,
            BOX_H,
            boxstyle="round,pad=0.02",
            fc=WAITING,
            ec="0.3",
            lw=1.0,
        )
        ax.add_patch(box)
        words.append(
            ax.text(
                col,
                row + 0.17,
                _formula(node),
                ha="center",
                va="center",
                fontsize=9,
                fontweight="bold",
            )
        )
        words.append(
            ax.text(col, row, f"data {node.data:.3f}", ha="center", va="center", fontsize=8.5)
        )
        grads.append(
            ax.text(
                col, row - 0.17, "", ha="center", va="center", fontsize=8.5, color=plot.COLORS[1]
            )
        )
        boxes.append(box)
    cols = [c for c, _ in positions]
    rows = [r for _, r in positions]
    ax.set(xlim=(min(cols) - 0.6, max(cols) + 0.6), ylim=(min(rows) - 0.6, max(rows) + 0.6))
    ax.set_axis_off()
    return boxes, words, grads


def graph_figure(root=None, title="the graph of L, after backward()"):
    """The graph of `root` (default: the chapter's neuron), values, local slopes and grads.

    Blue numbers on the arrows are local derivatives d(child)/d(parent); red, dL/d(node).
    """
    root = _graph_of(root)
    order, positions = autograd.graph_layout(root)
    topo, snapshots = autograd.backward_steps(root)  # backward's order and its grads
    width = 1.25 * (max(c for c, _ in positions) + 1) + 0.6
    height = 1.0 * (max(r for _, r in positions) - min(r for _, r in positions) + 1) + 0.9
    fig, ax = plot.figure(size=(max(width, 6.0), max(height, 2.6)))
    boxes, _, grads = _draw_graph(ax, order, positions)
    grad_of = {id(node): g for node, g in zip(topo, snapshots[-1], strict=True)}
    for node, box, text in zip(order, boxes, grads, strict=True):
        box.set_facecolor(DONE)
        text.set_text(f"grad {grad_of[id(node)]:.3f}")
    ax.set_title(title, fontsize=10)
    return fig


def _unique(names):
    """names with repeats numbered: ["2", "a", "2"] -> ["2", "a", "2 #2"]."""
    seen, out = {}, []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} #{seen[name]}")
    return out


def backward_stepper(root=None, step=0):
    """Walk backward() one node at a time on the graph of `root` (default: the chapter's neuron).

    The slider counts the nodes that have passed their gradient on (it starts at `step`).
    Green: done; yellow: the node whose turn is next, its gradient now complete; white: waiting
    for more contributions. state["grads"] maps each node's name to its gradient so far.
    """
    root = _graph_of(root)
    order, positions = autograd.graph_layout(root)
    topo, snapshots = autograd.backward_steps(root)
    names = _unique([_name(n) for n in topo])  # the keys of state["grads"]
    in_topo = {id(node): i for i, node in enumerate(topo)}
    to_drawn = [in_topo[id(node)] for node in order]  # drawn node i is topo[to_drawn[i]]
    width = 1.25 * (max(c for c, _ in positions) + 1) + 0.6
    height = 1.0 * (max(r for _, r in positions) - min(r for _, r in positions) + 1) + 0.9
    fig, ax = plot.figure(size=(max(width, 6.0), max(height, 2.6)))
    boxes, words, grads = _draw_graph(ax, order, positions)
    # boxes change colour, so they are redrawn, and with them everything written on them
    live = LiveFigure(fig, animated=boxes + words + grads)
    readout = ipywidgets.HTML()

    def update(step):
        snapshot = snapshots[step]
        drawn_step = [snapshot[t] for t in to_drawn]
        # box i is done if its turn in topo came before `step`
        for i, (box, text) in enumerate(zip(boxes, grads, strict=True)):
            turn = to_drawn[i]
            box.set_facecolor(DONE if turn < step else CURRENT if turn == step else WAITING)
            known = turn <= step or drawn_step[i] != 0.0
            text.set_text(f"grad {drawn_step[i]:.3f}" if known else "grad ?")
        if step < len(topo):
            node = topo[step]
            parts = [
                f"{html.escape(_name(p))}.grad += {local:.3f} × {snapshot[step]:.3f}"
                for p, local in zip(node.parents, node.local_grads, strict=True)
            ]
            what = "; ".join(parts) if parts else "an input: nothing to pass on"
            readout.value = (
                f"next: <b>{html.escape(_name(node))}</b> (grad {snapshot[step]:.3f}) passes "
                f"its gradient to its parents: {what}"
            )
        else:
            readout.value = "done: every node holds dL/d(node), the same numbers backward() gives"
        return {"step": step, "grads": dict(zip(names, snapshot, strict=True))}

    controls = {"step": int_slider(step, 0, len(topo), 1, "nodes done")}
    return Explorer(
        controls,
        update,
        live,
        outputs={"readout": readout},
        title="the backward pass, one node at a time",
    )


def training_figure(losses, X, Y, predictions):
    """Left: the loss of the Value MLP per step. Right: targets against its final outputs."""
    fig, (ax_l, ax_p) = plot.figure(1, 2, size=(8.0, 3.0))
    ax_l.plot(np.arange(len(losses)), losses, color=plot.COLORS[0])
    ax_l.set(xlabel="step", ylabel="loss L", title="training the Value MLP", yscale="log")
    k = np.arange(len(Y))
    ax_p.bar(k - 0.2, Y, width=0.4, label="target y", color="0.7")
    ax_p.bar(k + 0.2, predictions, width=0.4, label="output ŷ", color=plot.COLORS[1])
    ax_p.set_xticks(k, [f"({x[0]:g}, {x[1]:g})" for x in X], fontsize=8)
    ax_p.set(ylim=(-1.15, 1.15), title="after training", xlabel="input (x1, x2)")
    ax_p.axhline(0, color="0.5", lw=0.8)
    ax_p.legend(fontsize=8, loc="lower left")
    return fig
