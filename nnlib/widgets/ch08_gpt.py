"""Chapter 08's figures and widgets: the trained character GPT, its next-character
probabilities, sampling with temperature and top-k, and the weight tables.

The math is in nnlib.gpt and nnlib.sampling (pure, tested); this module only draws it.
Figure functions return a matplotlib Figure. Widget builders return an Explorer:
next_token_explorer() (bars of the next character as you type, < 50 ms per change) and
sampler() (a 100-character sample per change, with a progress bar and streaming text).
Both load the committed checkpoint unless given a model and tokenizer.
"""

import html

import ipywidgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from nnlib import plot, sampling
from nnlib.gpt import GPT3, param_table
from nnlib.tensor import no_grad
from nnlib.widgets import DPI as WIDGET_DPI
from nnlib.widgets import Explorer, LiveFigure, int_slider, slider

N_BARS = 15


def _scores(model, ids):
    """The last position's scores z (V,) for a prompt's ids (already cropped to the block)."""
    with no_grad():
        return model(ids[None]).data[0, -1].astype(np.float64)  # (1, T, V) -> (V,)


def _short(text, n=60):
    """The last n characters of text, line breaks shown as ↵, for titles and readouts."""
    text = text.replace("\n", plot.char_label("\n"))
    return text if len(text) <= n else "…" + text[-n:]


# ---- static figures ---------------------------------------------------------------------------


def _draw_bars(ax, p, tokenizer, k=N_BARS, color=None):
    ids = sampling.top_tokens(p, k)
    labels = [plot.char_label(tokenizer.chars[i]) for i in ids]
    ax.bar(np.arange(len(ids)), p[ids], color=color or plot.COLORS[0])
    ax.set_xticks(np.arange(len(ids)), labels, fontsize=10)
    ax.set_ylim(0, 1)
    ax.set_xlim(-0.6, k - 0.4)
    return ids


def next_token_figure(model, tokenizer, prompt, temperature=1.0, top_k=None, k=N_BARS):
    """Bars: the k most likely next characters after the prompt and their probabilities."""
    ids = sampling.encode_prompt(tokenizer, prompt, model.config.block_size)
    p = sampling.probs_from_scores(_scores(model, ids), temperature, top_k)
    fig, ax = plot.figure(size=(7.0, 3.0))
    top = _draw_bars(ax, p, tokenizer, k)
    for i, j in enumerate(top[:5]):
        ax.text(i, p[j] + 0.02, f"{p[j]:.2f}", ha="center", fontsize=8)
    ax.set_ylabel("probability")
    ax.set_xlabel("next character (␣ is a space, ↵ a new line)")
    ax.set_title(f"after “{_short(prompt, 40)}”", fontsize=10)
    return fig


def temperature_figure(model, tokenizer, prompt, temperatures=(0.0, 0.5, 1.0, 2.0), k=12):
    """One bar panel per temperature for the same prompt: cold is sharp, hot is flat."""
    ids = sampling.encode_prompt(tokenizer, prompt, model.config.block_size)
    z = _scores(model, ids)
    fig, axes = plot.figure(1, len(temperatures), size=(2.1 * len(temperatures), 3.1))  # fits
    order = sampling.top_tokens(sampling.probs_from_scores(z), k)  # same bars in every panel
    labels = [plot.char_label(tokenizer.chars[i]) for i in order]
    for ax, t in zip(axes, temperatures, strict=True):
        p = sampling.probs_from_scores(z, t)
        ax.bar(np.arange(k), p[order], color=plot.COLORS[1] if t == 0 else plot.COLORS[0])
        ax.set_xticks(np.arange(k), labels, fontsize=9)
        ax.set_ylim(0, 1)
        name = "greedy" if t == 0 else f"τ = {t:g}"
        ax.set_title(f"{name}\n{sampling.effective_choices(p):.1f} effective choices", fontsize=9)
    axes[0].set_ylabel("probability")
    fig.suptitle(
        f"Temperature reshapes the same scores (after “{_short(prompt, 30)}”)", fontsize=10
    )
    return fig


def pipeline_figure(model, tokenizer, prompt):
    """The forward pass as a column of boxes, each with the shape of what it makes."""
    ids = sampling.encode_prompt(tokenizer, prompt, model.config.block_size)
    steps, logits = sampling.trace_shapes(model, ids)
    shapes = dict(steps)
    cfg = model.config
    n_hidden = cfg.mlp_ratio * cfg.n_embd
    unembedding = "unembedding: one score per character, the logits"
    if getattr(cfg, "tie_weights", False):  # the head reuses the token embedding matrix
        unembedding += " (x wte^T)"
    rows = [  # (text, shape, color)
        (f"ids of “{_short(prompt, 20)}”", shapes["ids"], "#eeeeee"),
        (
            "token embedding wte[ids]  +  position embedding wpe[0..T-1]",
            shapes["x = token + position"],
            "#dbe9f6",
        ),
        (
            "LayerNorm ln1, then causal self-attention, added back: x + attn(ln1(x))",
            shapes["block 0: x + attn(ln1(x))"],
            "#fde2c8",
        ),
        (
            f"   the attention weights inside: {cfg.n_head} heads, each T x T",
            shapes["block 0: attention weights"],
            "#fff3e6",
        ),
        (
            "LayerNorm ln2, then the MLP, added back: x + mlp(ln2(x))",
            shapes["block 0: x + down(hidden)"],
            "#d9f0d3",
        ),
        (
            f"   the MLP's hidden layer inside: {cfg.mlp_ratio} C = {n_hidden} wide",
            shapes["block 0: MLP hidden gelu(up(ln2(x)))"],
            "#eef8ec",
        ),
        ("final LayerNorm ln_f", shapes["final LayerNorm ln_f(x)"], "#dbe9f6"),
        (
            unembedding,
            shapes["logits = unembedding(x)"],
            "#e8dff5",
        ),
        (
            "softmax of the last position's scores: next-character probabilities",
            (cfg.vocab_size,),
            "#f6d5dc",
        ),
    ]
    fig = plot.figure(size=(8.6, 5.4))[0]
    ax = fig.axes[0]
    ax.set_axis_off()
    n = len(rows)
    for i, (text, shape, color) in enumerate(rows):
        y = n - 1 - i
        indent = 0.04 if text.startswith("   ") else 0.0  # what happens inside the row above
        ax.add_patch(_box(indent, y - 0.36, 0.98 - indent, 0.72, color))
        ax.text(0.02 + indent, y, text.strip(), va="center", fontsize=9)
        ax.text(0.96, y, str(tuple(shape)), va="center", ha="right", fontsize=9, family="monospace")
    top, bottom = n - 1 - 2 + 0.36, n - 1 - 5 - 0.36  # rows 2..5 are one block
    ax.plot([0.995, 0.995], [bottom, top], color="0.3", lw=2)
    ax.text(1.005, (top + bottom) / 2, f"x {cfg.n_layer}\nblocks", va="center", fontsize=9)
    ax.set_xlim(-0.01, 1.12)
    ax.set_ylim(-0.6, n - 0.4)
    B, T = shapes["ids"]
    ax.set_title(
        f"B = {B} sequence, T = {T} characters, C = {cfg.n_embd}, H = {cfg.n_head}, "
        f"V = {cfg.vocab_size}: shapes through the trained model",
        fontsize=10,
    )
    return fig


def _box(x, y, width, height, color):
    """A rounded box for diagrams (a matplotlib patch)."""
    from matplotlib.patches import FancyBboxPatch

    return FancyBboxPatch(
        (x, y),
        width,
        height,
        boxstyle="round,pad=0.0,rounding_size=0.08",
        facecolor=color,
        edgecolor="0.55",
        linewidth=0.8,
    )


def param_table_figure(config):
    """GPT-3's weights by kind beside our model's, as a rendered table."""
    ours, big = param_table(config), param_table(GPT3)
    cells = [
        [kind, f"{m3:,}", f"{w3:,}", f"{m:,}", f"{w:,}"]
        if not shape.startswith("shared")
        else [kind, f"{m3:,}", f"{w3:,}", "0 (tied)", "0 (reuses embedding)"]
        for (kind, _, m3, w3), (_, shape, m, w) in zip(big, ours, strict=True)
    ]
    fig = plot.figure(size=(8.2, 3.2))[0]
    ax = fig.axes[0]
    ax.set_axis_off()
    table = ax.table(
        cellText=cells,
        colLabels=["kind", "GPT-3 matrices", "GPT-3 weights", "ours: matrices", "ours: weights"],
        loc="center",
        cellLoc="right",
        colLoc="right",
    )
    table.auto_set_font_size(False)
    table.set_fontsize(9)
    table.scale(1, 1.3)
    for (row, col), cell in table.get_celld().items():
        cell.set_edgecolor("#cccccc")
        if row == 0 or row == len(cells):
            cell.set_text_props(fontweight="bold")
        if col == 0:
            cell.set_text_props(ha="left")
    ax.set_title(
        f"Weights by kind: GPT-3 (96 blocks, C = 12,288, V = 50,257) and ours "
        f"({config.n_layer} blocks, C = {config.n_embd}, V = {config.vocab_size})",
        fontsize=10,
    )
    return fig


def char_embedding_figure(Z, chars, groups, share):
    """The model's character vectors on a 2-D map, each drawn as its character.

    Z: (V, 2) map coordinates (nnlib.chapters.ch08_gpt.pca_2d of wte); chars: the V
    characters; groups: dict name -> ids, each group in its own colour (the rest in grey);
    share: (2,) the share of the spread each axis carries, for the axis labels.
    """
    fig, ax = plot.figure(size=(7.5, 6.0))
    colour = {}
    for k, (name, ids) in enumerate(groups.items()):
        colour.update({i: plot.COLORS[k % len(plot.COLORS)] for i in ids})
        ax.plot([], [], "s", color=plot.COLORS[k % len(plot.COLORS)], label=name)  # legend entry
    ax.plot([], [], "s", color="0.45", label="space, line break, digit")
    for i, ch in enumerate(chars):
        ax.text(*Z[i], plot.char_label(ch), ha="center", va="center", fontsize=12,
                color=colour.get(i, "0.45"), fontweight="bold")  # fmt: skip
    pad = 0.08 * (Z.max(axis=0) - Z.min(axis=0))
    ax.set_xlim(Z[:, 0].min() - pad[0], Z[:, 0].max() + pad[0])
    ax.set_ylim(Z[:, 1].min() - pad[1], Z[:, 1].max() + pad[1])
    ax.set_xlabel(f"first principal direction ({share[0]:.0%} of the spread)")
    ax.set_ylabel(f"second principal direction ({share[1]:.0%} of the spread)")
    ax.legend(frameon=False, fontsize=9, loc="best")
    title = f"the trained model's {len(chars)} character embeddings (wte), a 2-D map"
    ax.set_title(title, fontsize=10)
    return fig


def loss_curve_figure(losses, V, window=20, reference=None, baselines=()):
    """A training loss curve: each step's loss, its running mean, and ln V (uniform guessing).

    reference: optional (label, value), e.g. the checkpoint's validation loss.
    baselines: (label, value) pairs drawn as thin grey lines, e.g. sampling.counting_losses.
    """
    losses = np.asarray(losses, dtype=float)
    fig, ax = plot.figure(size=(6.5, 3.3))
    steps = np.arange(1, len(losses) + 1)
    ax.plot(steps, losses, color=plot.COLORS[0], alpha=0.35, lw=0.8, label="loss of each batch")
    if len(losses) >= window:
        mean = np.convolve(losses, np.ones(window) / window, mode="valid")  # (n - window + 1,)
        ax.plot(
            steps[window - 1 :], mean, color=plot.COLORS[0], lw=2, label=f"mean of last {window}"
        )
    ax.axhline(sampling.uniform_loss(V), ls="--", color="0.4", lw=1)
    ax.text(
        len(losses),
        sampling.uniform_loss(V) + 0.05,
        f"ln {V} = {sampling.uniform_loss(V):.2f}: uniform guess",
        ha="right",
        va="bottom",
        fontsize=8,
        color="0.3",
    )
    end = losses[-window:].mean()
    for label, value in baselines:
        ax.axhline(value, ls="-.", color="0.55", lw=0.9)
        if end < value - 0.3:  # the curve ends well below: the label sits clear at the right
            ax.text(len(losses), value + 0.04, label, ha="right", va="bottom", fontsize=8)
        else:  # under the line at the left, where the curve starts high above it
            ax.text(1, value - 0.05, label, ha="left", va="top", fontsize=8)
    if reference is not None:
        label, value = reference
        ax.axhline(value, ls=":", color=plot.COLORS[1], lw=1.2)
        ax.text(
            len(losses),
            value + 0.05,
            label,
            ha="right",
            va="bottom",
            fontsize=8,
            color=plot.COLORS[1],
        )
    ax.set_xlabel("training step")
    ax.set_ylabel("cross-entropy loss")
    ax.set_ylim(min(1.0, losses.min() - 0.2), max(4.6, losses.max() + 0.1))
    ax.legend(frameon=False, fontsize=8, loc="lower left")
    return fig


# ---- widgets ------------------------------------------------------------------------------------


class _LabelStrip:
    """Bar labels drawn as one image: each character pre-rendered once, pasted under its bar.

    Fifteen Text artists cost ~2 ms each to draw on every keystroke; pasting fifteen small
    pre-rendered pixel blocks into one FigureImage costs well under 1 ms.
    """

    def __init__(self, fig, ax, chars, n_bars, fontsize=11):
        from matplotlib.figure import Figure

        self.dpi = fig.dpi
        self.cell = int(round(fontsize * 2.2 * self.dpi / 72))  # pixels per label, square
        n = len(chars) + 1  # one spare cell, in case the canvas rounds its width down
        sheet = Figure(figsize=(self.cell * n / self.dpi, self.cell / self.dpi), dpi=self.dpi)
        sheet.patch.set_alpha(0)  # transparent: only the glyphs are pasted
        for j, ch in enumerate(chars):
            x = (j + 0.5) / n
            sheet.text(x, 0.5, plot.char_label(ch), ha="center", va="center", fontsize=fontsize)
        canvas = FigureCanvasAgg(sheet)
        canvas.draw()
        rgba = np.asarray(canvas.buffer_rgba())  # (cell, cell * len(chars), 4), top row first
        self.sprites = rgba[:, : self.cell * len(chars)].reshape(
            self.cell, len(chars), self.cell, 4
        )
        self.ax = ax
        self.n_bars = n_bars
        self.image = fig.figimage(np.zeros((self.cell, 1, 4), dtype=np.uint8), origin="upper")

    def set(self, ids):
        """Show the labels of token ids under bars 0, 1, ... (bar i is centred at x = i)."""
        x0, _ = self.ax.transData.transform((-0.5, 0.0))  # pixel x of the first bar's left edge
        x1, y_axis = self.ax.transData.transform((self.n_bars - 0.5, 0.0))
        width = int(round(x1 - x0))
        strip = np.zeros((self.cell, width + self.cell, 4), dtype=np.uint8)
        for i, j in enumerate(ids):
            centre = (i + 0.5) * (x1 - x0) / self.n_bars
            left = int(round(centre))  # the strip starts cell/2 left of x0: sprite centred
            strip[:, left : left + self.cell] = self.sprites[:, j]
        self.image.ox = int(round(x0)) - self.cell // 2
        self.image.oy = int(round(y_axis)) - self.cell - 2  # just below the axis, in pixels
        self.image.set_data(strip)


def next_token_explorer(model=None, tokenizer=None, prompt="ROMEO:\nWhat say you", k=N_BARS):
    """Type a prompt, move temperature and top-k: the bars of the next character follow.

    One forward pass per new prompt (the scores are kept, so slider moves only redo the
    softmax); a prompt longer than the block is cropped, unknown characters show a message.
    """
    model, tokenizer = sampling.model_or_checkpoint(model, tokenizer)
    V, block = model.config.vocab_size, model.config.block_size
    fig, ax = plot.figure(size=(7.0, 2.9))
    bars = ax.bar(np.arange(k), np.zeros(k), color=plot.COLORS[0])
    value = ax.text(0, 0.0, "", ha="center", va="bottom", fontsize=8)  # the top bar's p
    title = ax.set_title("τ = 1.00", fontsize=10)  # text reserves room in the layout
    ax.set_xticks(np.arange(k), [""] * k)
    ax.tick_params(axis="x", length=0, pad=22)  # room for the label strip
    ax.set_xlim(-0.6, k - 0.4)
    ax.set_ylim(0, 1.0)
    ax.set_ylabel("probability")
    ax.set_xlabel(f"the {k} most likely next characters (␣ a space, ↵ a new line)", fontsize=9)
    fig.set_dpi(WIDGET_DPI)
    FigureCanvasAgg(fig).draw()  # one draw puts the axes in their final place
    strip = _LabelStrip(fig, ax, tokenizer.chars, k)
    live = LiveFigure(fig, animated=[*bars, value, title, strip.image])
    context = ipywidgets.HTML()
    cache = {}  # prompt -> (ids, z): a slider move needs no new forward pass

    def update(prompt, temperature, top_k):
        if prompt not in cache:
            ids = sampling.encode_prompt(tokenizer, prompt, block)
            cache.clear()
            cache[prompt] = (ids, _scores(model, ids))
        ids, z = cache[prompt]
        p = sampling.probs_from_scores(z, temperature, top_k)
        top = sampling.top_tokens(p, k)
        for i, (bar, j) in enumerate(zip(bars, top, strict=True)):
            bar.set_height(p[j])
            bar.set_color(plot.COLORS[1] if i == 0 else plot.COLORS[0] if p[j] > 0 else "0.8")
        value.set_position((0, p[top[0]] + 0.01))
        value.set_text(f"{p[top[0]]:.2f}")
        strip.set(top)
        kept = min(top_k, V)
        choices = sampling.effective_choices(p)
        mode = "greedy" if temperature == 0 else f"τ = {temperature:.2f}"
        title.set_text(mode)  # short: every glyph costs redraw time (top-k is in the readout)
        clipped = f" = all {V} characters" if top_k >= V else f" of {V}"  # k > V keeps all V
        seen = tokenizer.decode(ids)
        cropped = f" (cropped to the last {block})" if len(prompt) > block else ""
        empty = " (empty prompt: a new line)" if not prompt else ""
        context.value = (
            f"<small>top-k {top_k}{clipped}: {choices:.1f} effective choices (exp of the "
            f"entropy; 1 = certain, "
            f"{V} = uniform). The model reads {len(ids)} characters{cropped}{empty}: "
            f"<code>{html.escape(_short(seen, 70))}</code></small>"
        )
        return {
            "ids": ids, "p": p, "top": top, "chars": [tokenizer.chars[j] for j in top],
            "top_k_used": kept, "effective_choices": choices, "context": seen,
        }  # fmt: skip

    controls = {
        "prompt": ipywidgets.Textarea(
            value=prompt,
            description="prompt",
            rows=2,
            layout={"width": "32em"},
            style={"description_width": "8em"},
        ),
        "temperature": slider(1.0, 0.0, 2.0, 0.05, "temperature τ"),
        "top_k": int_slider(V, 1, V + 15, 1, f"top-k (≥ {V}: all)"),
    }
    return Explorer(
        controls,
        update,
        figure=live,
        outputs={"context": context},
        title="The next character: probabilities as you type",
    )


def sampler(model=None, tokenizer=None, prompt="ROMEO:", n_chars=100):
    """Each change samples n_chars new characters, shown as they arrive with a progress bar.

    Sliders act when released (a sample takes some 0.3 s, not 50 ms); the text box
    when you press Enter or leave it. Same prompt, temperature, top-k and seed: same text.
    """
    model, tokenizer = sampling.model_or_checkpoint(model, tokenizer)
    V = model.config.vocab_size
    progress = ipywidgets.IntProgress(
        value=0,
        min=0,
        max=n_chars,
        description="sampling",
        style={"description_width": "8em"},
        layout={"width": "32em"},
    )
    output = ipywidgets.HTML()

    def show(prompt, text, settings):
        body = html.escape(prompt) + "<b>" + html.escape(text) + "</b>"
        output.value = (
            f"<small>{settings}</small>"
            f'<pre style="white-space: pre-wrap; font-size: 0.9em">{body}</pre>'
        )

    def update(prompt, temperature, top_k, seed):
        sampling.encode_prompt(tokenizer, prompt)  # unknown characters: stop before any work
        mode = "greedy (the seed plays no part)" if temperature == 0 else f"τ = {temperature:.2f}"
        kept = f"{top_k} = all {V} characters" if top_k >= V else f"{top_k} of {V}"
        empty = ", empty prompt: starts from a new line" if not prompt else ""
        settings = f"{mode}, top-k {kept}, seed {seed}{empty}"
        pieces = []
        progress.value = 0

        def on_token(i, ch):
            pieces.append(ch)
            progress.value = i
            if i % 10 == 0 or i == n_chars:
                show(prompt, "".join(pieces), settings)

        rng = np.random.default_rng(seed)
        text = sampling.sample_text(
            model, tokenizer, prompt, n_chars, temperature, top_k, rng, on_token
        )
        show(prompt, text, settings)
        return {
            "text": text,
            "prompt": prompt,
            "temperature": temperature,
            "top_k": top_k,
            "seed": seed,
        }

    controls = {
        "prompt": ipywidgets.Text(
            value=prompt,
            description="prompt",
            continuous_update=False,
            layout={"width": "32em"},
            style={"description_width": "8em"},
        ),
        "temperature": slider(0.8, 0.0, 2.0, 0.05, "temperature τ", continuous_update=False),
        "top_k": int_slider(V, 1, V + 15, 1, f"top-k (≥ {V}: all)", continuous_update=False),
        "seed": int_slider(0, 0, 99, 1, "seed", continuous_update=False),
    }
    return Explorer(
        controls,
        update,
        outputs={"progress": progress, "text": output},
        title=f"Sample {n_chars} characters (the prompt in plain, the model's text in bold)",
    )
