"""Chapter 07's figures and widgets: scores, softmax, the causal mask, heads, positions.

The math is in nnlib.chapters.ch07_attention (pure, tested); this module draws it and wires controls
to it. Every figure function returns a matplotlib Figure. The two widgets run the trained
GPT once per text and keep all its attention maps, so moving a slider is a lookup.
"""

import html

import ipywidgets
import numpy as np
from matplotlib import colormaps
from matplotlib.colors import ListedColormap, PowerNorm
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from nnlib import functional as F
from nnlib import plot, sampling
from nnlib.chapters import ch07_attention as attention
from nnlib.widgets import Explorer, LiveFigure, dropdown, int_slider, slider

DEFAULT_TEXT = "JULIET:\nO Romeo, Romeo! wherefore art thou Romeo?"
NORM = PowerNorm(gamma=0.5, vmin=0.0, vmax=1.0)  # square-root colour scale: small weights show
CMAP = colormaps["viridis"].with_extremes(bad="#eeeeee")  # the masked future in light grey


def masked_future(A):
    """A (..., T, T) with the entries s > t masked, so they draw as grey, not as weight 0."""
    T = A.shape[-1]
    return np.ma.masked_array(A, mask=np.broadcast_to(~attention.causal_mask(T), A.shape))


def colours(A):
    """The heatmap colours of weights A (..., T, T) as RGBA bytes (..., T, T, 4).

    Computed once per text for every head, so a widget only swaps images (no colour mapping).
    """
    return CMAP(NORM(masked_future(A)), bytes=True)


def _char_axis(ax, labels, axis="x", fontsize=7):
    ticks = np.arange(len(labels))
    if axis == "x":
        ax.set_xticks(ticks, labels, fontsize=fontsize)
        ax.set_xlim(-0.5, len(labels) - 0.5)
    else:
        ax.set_yticks(ticks, labels, fontsize=fontsize)
        ax.set_ylim(len(labels) - 0.5, -0.5)  # first character at the top
    ax.tick_params(length=0, axis=axis)
    ax.grid(False)


def _heatmap(ax, A, labels, title=None):
    """A (T, T) weights as an image: rows are queries (who looks), columns keys (looked at)."""
    image = ax.imshow(
        masked_future(A), cmap=CMAP, norm=NORM, interpolation="nearest", aspect="auto"
    )
    fontsize = 9 if len(labels) <= 16 else 7
    _char_axis(ax, labels, "x", fontsize)
    _char_axis(ax, labels, "y", fontsize)
    if title:
        ax.set_title(title, fontsize=9)
    return image


# ---- static figures ----------------------------------------------------------------------


def dot_products_figure(rng, ds=(4, 32, 256), n=4000):
    """Histograms of q.k for random unit-variance vectors: raw (spread ~ sqrt d) and / sqrt(d)."""
    fig, (ax0, ax1) = plot.figure(1, 2, size=(9, 3.2))
    bins = np.linspace(-40, 40, 81)
    for d in ds:
        dots = attention.random_dot_products(d, n, rng)  # (n,)
        ax0.hist(dots, bins=bins, histtype="step", linewidth=1.5, label=f"d = {d}")
        ax1.hist(dots / np.sqrt(d), bins=np.linspace(-5, 5, 51), histtype="step", linewidth=1.5)
    ax0.set_title("raw scores q . k: spread grows like sqrt(d)", fontsize=10)
    ax1.set_title("scaled scores q . k / sqrt(d): spread 1 for every d", fontsize=10)
    ax0.legend(frameon=False, fontsize=9)
    for ax in (ax0, ax1):
        ax.set_xlabel("score")
        ax.set_yticks([])
    return fig


def scores_softmax_figure(text, S_row, t, title=""):
    """One query's journey: scores over the context, the masked future, softmax weights.

    text: the characters; S_row: (T,) scaled scores of query t (entries s > t are ignored).
    """
    T = len(text)
    labels = list(plot.visible(text))
    w = np.zeros(T)
    w[: t + 1] = attention.scaled_softmax(S_row[: t + 1])  # the future gets weight 0
    fig, (ax0, ax1) = plot.figure(2, 1, size=(9, 4.6))
    past = np.arange(T) <= t
    shown = np.where(past, S_row, 0.0)
    ax0.bar(np.arange(T), shown, color=np.where(past, plot.COLORS[0], "#cccccc"))
    for s in np.flatnonzero(~past):
        ax0.text(s, 0, "×", ha="center", va="bottom", color="#999999", fontsize=8)
    ax0.axhline(0, color="black", linewidth=0.6)
    ax0.set_ylabel("score q.k / √d", fontsize=9)
    ax0.set_title(
        f"{title}scores of query {labels[t]!r} (position {t}); × = future, set to -inf",
        fontsize=10,
    )
    ax1.bar(np.arange(T), w, color=plot.COLORS[1])
    ax1.set_ylim(0, 1)
    ax1.set_ylabel("weight", fontsize=9)
    ax1.set_title("softmax of the row: weights ≥ 0 that sum to 1, zero on the future", fontsize=10)
    for ax in (ax0, ax1):
        _char_axis(ax, labels)
        ax.get_xticklabels()[t].set_color(plot.COLORS[1])
    return fig


def causal_mask_figure(text, S):
    """The mask (which positions each one may see) and the weights it produces for a head.

    text: T characters; S: (T, T) scores of one head (future entries ignored).
    """
    T = len(text)
    labels = list(plot.visible(text))
    fig, (ax0, ax1) = plot.figure(1, 2, size=(9, 4.2))
    allowed = attention.causal_mask(T)  # (T, T), True where s <= t
    # allowed cells white, the forbidden future in the light grey of every heatmap here
    colors = ListedColormap([CMAP.get_bad(), "white"])
    ax0.imshow(allowed, cmap=colors, vmin=0, vmax=1, aspect="auto")
    for t in range(T):
        for s in range(T):
            mark = "✓" if allowed[t, s] else "-∞"
            ax0.text(s, t, mark, ha="center", va="center", fontsize=10, color="black")
    _char_axis(ax0, labels, "x", 8)
    _char_axis(ax0, labels, "y", 8)
    ax0.set_title("causal mask: row t may use columns s ≤ t", fontsize=10)
    A = attention.attention_weights(S)
    _heatmap(ax1, A, labels, "weights after the mask and softmax")
    for t in range(T):
        for s in range(t + 1):
            color = "black" if A[t, s] > 0.5 else "white"
            ax1.text(s, t, f"{A[t, s]:.2f}", ha="center", va="center", fontsize=6, color=color)
    for ax in (ax0, ax1):
        ax.set_xlabel("key position s (looked at)", fontsize=9)
        ax.set_ylabel("query position t (looking)", fontsize=9)
    return fig


def head_heatmaps_figure(text, A_layer, layer):
    """Every head of one layer as a heatmap, side by side. A_layer: (H, T, T)."""
    H = len(A_layer)
    labels = list(plot.visible(text))
    ncols = min(H, 2)
    nrows = -(-H // ncols)  # ceiling division
    fig, axes = plot.figure(nrows, ncols, size=(6.0 * ncols, 5.8 * nrows))
    axes = np.atleast_1d(axes).ravel()
    for h, ax in enumerate(axes[:H]):
        image = _heatmap(ax, A_layer[h], labels, f"layer {layer}, head {h}")
    for ax in axes[H:]:
        ax.set_axis_off()
    fig.colorbar(image, ax=axes, shrink=0.6, label="weight (square-root scale)")
    return fig


def flat_sharp_figure(text, S_row, t, scales=(0.0, 1.0, 4.0)):
    """One query's weights when its scores are multiplied by β: flat, the model's, sharp."""
    labels = list(plot.visible(text[: t + 1]))
    fig, axes = plot.figure(len(scales), 1, size=(9, 1.9 * len(scales)))
    for ax, beta in zip(np.atleast_1d(axes), scales, strict=True):
        w = attention.scaled_softmax(S_row[: t + 1], beta)  # (t + 1,)
        ax.bar(np.arange(t + 1), w, color=plot.COLORS[0] if beta != 1 else plot.COLORS[1])
        ax.set_ylim(0, 1)
        H = F.entropy(w)
        name = {0.0: "flat", 1.0: "the model's own"}.get(beta, "sharp")
        n = np.exp(H)  # how many characters the weight is spread over
        count = f"{n:.0f}" if n >= 10 else f"{n:.1f}"
        ax.set_title(
            f"β = {beta:g} ({name}): entropy {H:.2f} nats, spread over about "
            f"e^H = {count} characters",
            fontsize=10,
        )
        _char_axis(ax, labels)
    return fig


def position_similarity_figure(P_learned):
    """Cosine similarity of the learned position vectors, beside the fixed sinusoidal ones."""
    T, C = P_learned.shape
    fig, axes = plot.figure(1, 2, size=(9, 4.2))
    panels = [
        (P_learned, f"learned position embeddings ({T} x {C})"),
        (attention.sinusoidal_positions(T, C), "sinusoidal positions (fixed)"),
    ]
    for ax, (P, title) in zip(axes, panels, strict=True):
        image = ax.imshow(
            F.cosine_similarity(P, P), cmap="RdBu_r", vmin=-1, vmax=1, interpolation="nearest"
        )
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("position")
        ax.set_ylabel("position")
        ax.grid(False)
    fig.colorbar(image, ax=axes, shrink=0.8, label="cosine similarity")
    return fig


def rnn_vs_attention_figure(words):
    """Two ways to read a sentence: a recurrent chain of memories, and attention's matrix.

    Left: a recurrent network reads one word per step and hands a memory h_t to the next
    step, so the first word reaches the last only through every step between them. Right:
    attention scores every pair of positions at once; a GPT's causal mask keeps the pairs
    with s <= t (coloured), the 2017 translation model's encoder used the others too (grey).
    words: T strings.
    """
    T = len(words)
    fig, (ax0, ax1) = plot.figure(1, 2, size=(11, 4.2))
    ax0.set_axis_off()
    for t, word in enumerate(words):
        ax0.add_patch(Rectangle((t - 0.4, -0.3), 0.8, 0.6, color="#dbe9f6"))
        ax0.text(t, 0, word, ha="center", va="center", fontsize=9)
        ax0.add_patch(Rectangle((t - 0.3, 1.2), 0.6, 0.6, color="#fde2c8"))
        ax0.text(t, 1.5, f"h{t}", ha="center", va="center", fontsize=9)
        ax0.annotate("", (t, 1.2), (t, 0.3), arrowprops={"arrowstyle": "->", "color": "0.3"})
        if t:
            ax0.annotate(
                "", (t - 0.3, 1.5), (t - 0.7, 1.5), arrowprops={"arrowstyle": "->", "color": "0.3"}
            )
    ax0.text(
        (T - 1) / 2,
        2.3,
        f"the memory h is handed on {T - 1} times\nbefore the first word reaches the last",
        ha="center",
        fontsize=9,
    )
    ax0.set_xlim(-0.6, T - 0.4)
    ax0.set_ylim(-0.6, 2.9)
    ax0.set_title("recurrent network: one word per step, a memory carried forward", fontsize=10)
    allowed = attention.causal_mask(T)  # (T, T), True where s <= t
    colors = ListedColormap(["#eeeeee", plot.COLORS[0]])
    ax1.imshow(allowed, cmap=colors, vmin=0, vmax=1, aspect="auto")
    for t in range(T):
        for s in range(T):
            ax1.text(s, t, "✓" if allowed[t, s] else "·", ha="center", va="center",
                     fontsize=9, color="white" if allowed[t, s] else "0.5")  # fmt: skip
    _char_axis(ax1, words, "x", 9)
    _char_axis(ax1, words, "y", 9)
    ax1.set_xlabel("key: the word looked at", fontsize=9)
    ax1.set_ylabel("query: the word looking", fontsize=9)
    ax1.set_title(
        f"attention: all {T} x {T} pairs in one step\n(blue: a GPT's causal pairs; grey: the "
        "future, used by the 2017 encoder)",
        fontsize=10,
    )
    return fig


def word_sense_figure(sentences, weights, before, afters, labels, features):
    """How "bank" takes its sense from its sentence: its weights, then where its vector goes.

    sentences: lists of words, each ending in the word being updated; weights: that word's
    attention weights in each sentence ((T_i,) each); before, afters: its vector before the
    update (C,) and after it in each sentence ((C,) each); labels: one name per sentence for
    the arrows; features: the names of the first two coordinates, the right panel's axes.
    """
    n = len(sentences)
    fig = Figure(figsize=(11, 3.6), dpi=plot.DPI, layout="constrained")
    grid = fig.add_gridspec(n, 2, width_ratios=(2.2, 1))
    for i, (words, w) in enumerate(zip(sentences, weights, strict=True)):
        ax = plot.style(fig.add_subplot(grid[i, 0]))
        top = int(np.argmax(w))
        ax.bar(np.arange(len(words)), w, color=[plot.COLORS[i + 1 if s == top else 0]
                                                for s in range(len(words))])  # fmt: skip
        for s, value in enumerate(w):
            ax.text(s, value + 0.03, f"{value:.2f}", ha="center", fontsize=8)
        ax.set_xticks(np.arange(len(words)), words, fontsize=9)
        ax.set_ylim(0, 1.05)
        ax.set_ylabel("weight", fontsize=9)
        ax.set_title(f"where “{words[-1]}” looks in “{' '.join(words)}”", fontsize=10)
    ax = plot.style(fig.add_subplot(grid[:, 1]))
    ax.annotate("", before[:2], (0, 0), arrowprops={"arrowstyle": "->", "color": "0.5", "lw": 2})
    ax.text(*before[:2] + 0.04, "before", color="0.4", fontsize=9)
    for i, (after, label) in enumerate(zip(afters, labels, strict=True)):
        color = plot.COLORS[i + 1]
        ax.annotate("", after[:2], (0, 0), arrowprops={"arrowstyle": "->", "color": color, "lw": 2})
        ax.text(*after[:2] + 0.04, label, color=color, fontsize=9)
    ax.set_xlim(0, 1.6)
    ax.set_ylim(0, 1.6)
    ax.set_aspect("equal")
    ax.set_xlabel(f"“{features[0]}” number", fontsize=9)
    ax.set_ylabel(f"“{features[1]}” number", fontsize=9)
    ax.set_title(f"“{sentences[0][-1]}”: its first two numbers", fontsize=10)
    return fig


# ---- widgets -----------------------------------------------------------------------------


class _Maps:
    """Runs the model once per text and keeps its scores, weights and heatmap colours.

    The model is causal, so the maps of a prefix of a text are the top-left corner of the
    text's maps: deleting characters at the end needs no new run, only a slice.
    """

    def __init__(self, model, tokenizer):
        self.model, self.tokenizer = model, tokenizer
        self.block_size = model.config.block_size
        self.kept = None  # the text the model last read (known characters, cropped)
        self.S = self.A = self.rgba = None  # (L, H, T, T) and (L, H, T, T, 4)

    def __call__(self, text):
        """-> (kept text, dropped characters, scores S, weights A), both (L, H, T, T)."""
        kept, ids, dropped = attention.encode_text(text, self.tokenizer, self.block_size)
        if not kept:
            raise ValueError("type at least one character the model knows")
        if self.kept is None or not self.kept.startswith(kept):
            self.S = attention.gpt_attention_scores(self.model, ids)  # one forward pass
            self.A = attention.attention_weights(self.S)  # softmax of each row
            self.kept, self.rgba = kept, None
        T = len(kept)
        return kept, dropped, self.S[..., :T, :T], self.A[..., :T, :T]

    def colours(self, T):
        """RGBA heatmap colours (L, H, T, T, 4) of the maps of the first T characters."""
        if self.rgba is None:
            self.rgba = colours(self.A)  # once per model run
        return self.rgba[..., :T, :T, :]


class _Bars:
    """Bars drawn as one artist (thick vertical lines): one draw call instead of one per bar."""

    def __init__(self, ax, n, width_pt, color=plot.COLORS[0]):
        self.x = np.arange(n)
        self.lines = ax.vlines(self.x, 0, np.zeros(n), linewidth=width_pt, color=color)
        self.lines.set_capstyle("butt")

    def set_heights(self, h):
        h = np.pad(np.asarray(h, dtype=float), (0, len(self.x) - len(h)))  # zeros past the text
        self.lines.set_segments(np.stack([self.x, 0 * h, self.x, h], axis=1).reshape(-1, 2, 2))


def _html(text):
    return f'<span style="font-family:monospace">{html.escape(text)}</span>'


def _char_strip(ax, N, width_in, y):
    """One line of monospaced text under an axes whose N character slots span width_in inches.

    The font size is chosen so that each character is exactly one slot wide (DejaVu Sans
    Mono advances 1233/2048 em per character), so character t sits under column t. Changing
    the text is then a single animated artist, not N tick labels and a full redraw.
    """
    fontsize = width_in * 72 / N / (1233 / 2048)  # points per slot / em per character
    return ax.text(
        -0.5,
        y,
        "",
        fontsize=fontsize,
        family="DejaVu Sans Mono",
        ha="left",
        va="top",
        transform=ax.get_xaxis_transform(),
    )


def attention_explorer(
    model=None, tokenizer=None, text=DEFAULT_TEXT, layer=0, head=0, position=None
):
    """Pick a layer, a head and a query character; see its weights and the whole head's map.

    model, tokenizer: default the trained Shakespeare GPT. position None: the last character.
    The axes keep block_size columns whatever the text's length, so nothing but animated
    artists changes and every control (the text too) redraws only them.
    """
    model, tokenizer = sampling.model_or_checkpoint(model, tokenizer)
    maps = _Maps(model, tokenizer)
    L, H, N = model.config.n_layer, model.config.n_head, model.config.block_size
    # A fixed layout: the axes are 6.4 inches (512 pixels at the widgets' 80 dpi) wide, so a
    # 64-character context gets exactly 8 pixels per character, a whole glyph advance.
    size, left, width = (7.4, 5.4), 0.09, 6.4 / 7.4
    fig = Figure(figsize=size)
    ax0 = plot.style(fig.add_axes((left, 0.77, width, 0.2)))  # bars, the characters under them
    ax1 = plot.style(fig.add_axes((left, 0.07, width, 0.64)))  # the heatmap, same columns
    for ax in (ax0, ax1):
        ax.set_xlim(-0.5, N - 0.5)
        ax.set_xticks([])
        ax.grid(False)
    bars = _Bars(ax0, N, width_pt=0.7 * width * size[0] * 72 / N)
    ax0.set_ylim(0, 1.05)
    ax0.set_ylabel("weight", fontsize=9)
    (query_mark,) = ax0.plot([0], [1.0], "v", color=plot.COLORS[1], markersize=7)
    strip = _char_strip(ax0, N, width * size[0], -0.02)  # one line serves both axes
    canvas = np.full((N, N, 4), 255, dtype=np.uint8)  # white beyond the text
    image = ax1.imshow(canvas, interpolation="none", aspect="auto")  # drawn unsampled: faster
    ax1.set_yticks(np.arange(0, N, 8))
    ax1.set_ylim(N - 0.5, -0.5)
    ax1.tick_params(labelsize=8, length=0)
    row = ax1.add_patch(Rectangle((-0.5, -0.5), N, 1, fill=False, edgecolor="red", linewidth=1.5))
    ax1.set_xlabel("key position s (looked at; its character is in the line above)", fontsize=9)
    ax1.set_ylabel("query position t (looking)", fontsize=9)
    live = LiveFigure(fig, animated=[bars.lines, query_mark, strip, image, row])
    controls = {
        "text": ipywidgets.Textarea(value=text, description="text", continuous_update=False),
        "layer": dropdown(list(range(L)), layer, "layer"),
        "head": dropdown(list(range(H)), head, "head"),
        "position": int_slider(N - 1 if position is None else position, 0, N - 1, 1, "query"),
    }
    readout = ipywidgets.HTML()

    def update(text, layer, head, position):
        kept, dropped, _, A = maps(text)
        T = len(kept)
        labels = list(plot.visible(kept))
        controls["position"].max = T - 1  # clamps the value if the text got shorter
        t = min(position, T - 1)
        w = A[layer, head, t]  # (T,): this query's weights over the context
        bars.set_heights(w)
        canvas[:] = 255
        canvas[:T, :T] = maps.colours(T)[layer, head]  # (T, T, 4) precomputed colours
        image.set_data(canvas)
        row.set_y(t - 0.5)
        row.set_width(T)
        query_mark.set_data([t], [1.0])
        strip.set_text("".join(labels))
        top = int(np.argmax(w))
        readout.value = _html(
            f"layer {layer}, head {head}: {labels[t]!r} (position {t}) looks most at "
            f"{labels[top]!r} (position {top}, weight {w[top]:.2f})"
            + (f"; left out (not in the vocabulary): {''.join(dropped)!r}" if dropped else "")
        )
        return {
            "text": kept,
            "dropped": dropped,
            "layer": layer,
            "head": head,
            "position": t,
            "weights": w,
            "argmax": top,
            "entropy": float(F.entropy(w)),
        }

    return Explorer(
        controls,
        update,
        figure=live,
        outputs={"readout": readout},
        title="Attention explorer: who looks at whom",
    )


def sharpness_explorer(
    model=None, tokenizer=None, text=DEFAULT_TEXT, layer=0, head=0, position=None
):
    """Multiply one query's scores by β: β = 0 flat, β = 1 the model's, large β one-hot.

    model, tokenizer: default the trained Shakespeare GPT. The head dropdown starts at
    (layer, head); position None: the last character of text.
    """
    model, tokenizer = sampling.model_or_checkpoint(model, tokenizer)
    kept, _, S, _ = _Maps(model, tokenizer)(text)
    T = len(kept)
    labels = list(plot.visible(kept))
    grid = np.linspace(0.0, 10.0, 201)  # the entropy curve's β values
    fig, (ax0, ax1) = plot.figure(1, 2, size=(9, 3.0))
    bars = _Bars(ax0, T, width_pt=0.7 * 4.0 * 72 / T)
    ax0.set_ylim(0, 1.05)
    _char_axis(ax0, labels, fontsize=6)
    ax0.set_ylabel("weight", fontsize=9)
    (curve,) = ax1.plot(grid, np.zeros_like(grid), color=plot.COLORS[0])
    (ceiling,) = ax1.plot([0, 10], [0, 0], "--", color="#888888", linewidth=1)
    (marker,) = ax1.plot([1.0], [0.0], "o", color=plot.COLORS[1])
    ax1.axvline(1.0, color="#bbbbbb", linewidth=0.8)
    ax1.set_xlim(0, 10)
    ax1.set_ylim(0, np.log(T) * 1.08)
    ax1.set_xlabel("score multiplier β (1 = the model)")
    ax1.set_ylabel("entropy (nats)")
    ax1.set_title("entropy: dashed = all equal (flat), 0 = one-hot", fontsize=9)
    live = LiveFigure(fig, animated=[bars.lines, curve, ceiling, marker])
    L, H = S.shape[:2]
    heads = [(f"layer {i}, head {j}", (i, j)) for i in range(L) for j in range(H)]
    start = T - 1 if position is None else position
    controls = {
        "beta": slider(1.0, 0.0, 10.0, 0.1, "β (multiplies scores)"),
        "head": dropdown(heads, (layer, head), "head"),
        "position": int_slider(start, 0, T - 1, 1, "query"),
    }
    readout = ipywidgets.HTML()
    cached = {"key": None}

    def update(beta, head, position):
        S_row = S[head[0], head[1], position, : position + 1]  # (position + 1,) allowed scores
        if cached["key"] != (head, position):  # a new query: recompute the whole curve
            rows = attention.scaled_softmax(S_row, grid[:, None])  # (201, position + 1)
            curve.set_ydata(F.entropy(rows))  # (201,)
            ceiling.set_ydata([np.log(position + 1)] * 2)  # equal weights on position + 1 chars
            cached["key"] = (head, position)
        w = attention.scaled_softmax(S_row, beta)  # (position + 1,)
        bars.set_heights(w)
        H_w = float(F.entropy(w))
        marker.set_data([beta], [H_w])
        readout.value = _html(
            f"query {labels[position]!r} (position {position}), β = {beta:.1f}: entropy "
            f"{H_w:.2f} nats, the weight is spread over about e^H = {np.exp(H_w):.1f} of "
            f"{position + 1} characters; largest weight {w.max():.2f} on "
            f"{labels[int(np.argmax(w))]!r}"
        )
        return {
            "beta": beta,
            "weights": np.pad(w, (0, T - len(w))),  # (T,): zero on the future
            "entropy": H_w,
            "max_entropy": float(np.log(position + 1)),
        }

    return Explorer(
        controls,
        update,
        figure=live,
        outputs={"readout": readout},
        title="Flat or sharp: multiply one query's scores by β",
    )
