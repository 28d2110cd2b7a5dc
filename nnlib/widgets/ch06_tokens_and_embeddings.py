"""Chapter 06's figures and widgets: tokens and embeddings.

The math lives in nnlib.tokenizers (BPE) and nnlib.chapters.ch06_tokens_and_embeddings
(skip-gram, cosine similarity,
PCA); this module counts a little, draws, and wires controls. Figure functions return a
matplotlib Figure. The two widget builders return an Explorer:
tokenizer_explorer() (a text box and a merges slider) and neighbour_explorer() (a word and k).
"""

import html

import ipywidgets
import numpy as np
from matplotlib.patches import Rectangle

from nnlib import functional as F
from nnlib import plot
from nnlib.chapters import ch06_tokens_and_embeddings as word2vec
from nnlib.widgets import Explorer, LiveFigure, int_slider

# Light colours for token backgrounds; neighbouring tokens always differ.
TOKEN_COLOURS = ["#cfe3f7", "#f9d7b8", "#cdebc5", "#f4c7cf", "#e0d4f2", "#f6eab0"]
DEFAULT_TEXT = "To be, or not to be: that is the question. Thou art thyself, my lord! 😀 café"
BAR_COLOUR = "#9ecae1"  # light enough to read black words on it
MAX_K = 12  # most neighbours the explorer shows
MAP_LABELS = 3  # the word and its 2 nearest are named on the map (text is slow to draw)


# ---- counting the next character ------------------------------------------------------------


def next_char_figure(text, contexts=("q", "th"), top=10):
    """Bar charts of P(next character | context) for a few contexts, estimated by counting."""
    fig, axes = plot.figure(1, len(contexts), size=(4.2 * len(contexts), 3.0))
    for ax, context in zip(np.atleast_1d(axes), contexts, strict=True):
        chars, counts = word2vec.next_char_counts(text, context)
        p = counts / counts.sum()
        ax.bar(np.arange(min(top, len(p))), p[:top], color=plot.COLORS[0])
        ax.set_xticks(np.arange(min(top, len(p))), [plot.char_label(c) for c in chars[:top]])
        ax.set_xlim(-0.6, top - 0.4)  # the same bar width in every panel
        ax.set_ylim(0, 1)
        ax.set_ylabel("probability")
        ax.set_title(f'next character after "{context}" ({counts.sum():,} times)', fontsize=10)
    return fig


# ---- BPE: merges, sizes, coloured tokens --------------------------------------------------
def merges_curve(tok, text, ns):
    """For each number of merges n in ns: the vocabulary size 256 + n and the tokens of text.

    Returns (vocab_sizes (len(ns),), n_tokens (len(ns),)).
    """
    n_tokens = [len(tok.with_merges(int(n)).encode(text)) for n in ns]
    return 256 + np.asarray(ns, dtype=np.int64), np.array(n_tokens, dtype=np.int64)


def vocab_vs_length_figure(tok, text, ns):
    """As merges grow, the vocabulary grows by one each and the token sequence shrinks."""
    vocab, n_tokens = merges_curve(tok, text, ns)
    n_bytes = len(text.encode("utf-8"))
    fig, ax = plot.figure(size=(6.0, 3.4))
    ax.plot(vocab, n_tokens / n_bytes, "o-", color=plot.COLORS[0], ms=4)
    for v, t in zip(vocab[[0, -1]], n_tokens[[0, -1]], strict=True):
        ax.annotate(
            f"{t / n_bytes:.2f}",
            (v, t / n_bytes),
            textcoords="offset points",
            xytext=(0, 7),
            ha="center",
            fontsize=9,
        )
    ax.set_ylim(0, 1.1)
    ax.set_xlabel("vocabulary size V = 256 + number of merges")
    ax.set_ylabel("tokens per byte of text")
    ax.set_title(f"BPE on {n_bytes:,} bytes of Shakespeare", fontsize=10)
    return fig


def token_html(pieces, ids):
    """HTML of a tokenization: each token on its own coloured background, its id below."""
    spans = []
    for i, (piece, token_id) in enumerate(zip(pieces, ids, strict=True)):
        colour = TOKEN_COLOURS[i % len(TOKEN_COLOURS)]
        spans.append(
            f'<span style="display:inline-block;background:{colour};margin:1px;padding:0 2px;'
            f'text-align:center;font-family:monospace;line-height:1.1">'
            f"{html.escape(plot.visible(piece))}<br><small>{int(token_id)}</small></span>"
        )
    return '<div style="max-width:48em">' + "".join(spans) + "</div>"


def _draw_tokens(ax, pieces, y, fontsize=10):
    """Coloured boxes, one per token, on one row at height y; returns the width in characters."""
    x = 0.0
    for i, piece in enumerate(pieces):
        shown = plot.visible(piece)
        width = max(len(shown), 1)
        ax.add_patch(Rectangle((x, y - 0.4), width, 0.8, color=TOKEN_COLOURS[i % 6], lw=0))
        ax.text(
            x + width / 2, y, shown, ha="center", va="center", family="monospace", fontsize=fontsize
        )
        x += width
    return x


def token_colours_figure(tok, text, merge_counts=(0, 50, 1000)):
    """The same text tokenized with more and more merges: fewer, longer coloured tokens."""
    rows = []
    for n in merge_counts:
        sub = tok.with_merges(n)
        rows.append((n, sub.token_strings(sub.encode(text))))
    width = max(sum(max(len(plot.visible(p)), 1) for p in pieces) for _, pieces in rows)
    fig, ax = plot.figure(size=(0.105 * width + 1.6, 0.55 * len(rows) + 0.4))
    for r, (n, pieces) in enumerate(rows):
        _draw_tokens(ax, pieces, -r)
        ax.text(-1, -r, f"{n} merges\n{len(pieces)} tokens", ha="right", va="center", fontsize=9)
    ax.set_xlim(0, width)
    ax.set_ylim(-len(rows) + 0.5, 0.5)
    ax.set_axis_off()
    return fig


# ---- word embeddings -------------------------------------------------------------------------
def pca_map_figure(E, itos, words, title=None):
    """The chosen words at their first two principal components (PCA over those words)."""
    stoi = {w: i for i, w in enumerate(itos)}
    words = [w for w in words if w in stoi]
    Z, _, explained = word2vec.pca(F.normalize_rows(E[[stoi[w] for w in words]]))
    fig, ax = plot.figure(size=(6.4, 4.8))
    ax.scatter(Z[:, 0], Z[:, 1], s=14, color=plot.COLORS[0])
    for (x, y), w in zip(Z, words, strict=True):
        ax.annotate(w, (x, y), textcoords="offset points", xytext=(3, 3), fontsize=9)
    ax.set_xlabel(f"PC 1 ({explained[0]:.0%} of the variance)")
    ax.set_ylabel(f"PC 2 ({explained[1]:.0%})")
    ax.set_title(title or "word vectors seen from their two main directions", fontsize=10)
    return fig


def neighbour_bars_figure(E_unit, itos, words, k=6, ncols=3):
    """For each word, its k nearest words by cosine similarity, as horizontal bars."""
    stoi = {w: i for i, w in enumerate(itos)}
    nrows = -(-len(words) // ncols)  # ceiling division
    fig, axes = plot.figure(nrows, ncols, size=(2.6 * ncols, (0.28 * k + 0.9) * nrows))
    axes = np.atleast_1d(axes).ravel()
    for ax in axes[len(words) :]:
        ax.set_axis_off()
    for ax, word in zip(axes, words, strict=False):
        pairs = word2vec.neighbours(E_unit, stoi, itos, word, k)
        ax.barh(np.arange(k), [s for _, s in pairs], color=BAR_COLOUR)
        for j, (w, s) in enumerate(pairs):
            ax.text(0.02, j, f"{w}  {s:.2f}", va="center", fontsize=9)
        ax.set_yticks([])
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.set_title(word, fontsize=10, fontweight="bold")
    for ax in axes[-ncols:]:
        ax.set_xlabel("cosine similarity", fontsize=9)
    return fig


# ---- widgets --------------------------------------------------------------------------------


def tokenizer_explorer(tok=None, text=DEFAULT_TEXT):
    """A live tokenizer: type text, slide the number of merges, see the tokens and their ids.

    tok: a trained BPETokenizer (default: word2vec.default_tokenizer()). The figure shows how many
    tokens the current text needs for every number of merges, with the slider's position.
    """
    tok = tok if tok is not None else word2vec.default_tokenizer()
    tokenizers = {}  # n -> tok.with_merges(n), kept so each one's chunk cache is reused

    def sub(n):
        if n not in tokenizers:
            tokenizers[n] = tok.with_merges(n)
        return tokenizers[n]

    ns = np.unique(np.linspace(0, tok.n_merges, 21).astype(int))
    fig, ax = plot.figure(size=(6.0, 2.6))
    (curve,) = ax.plot(ns, np.ones(len(ns)), "-", color=plot.COLORS[0])
    (marker,) = ax.plot([0], [1], "o", color=plot.COLORS[1], ms=7)
    label = ax.text(0.98, 0.92, "", transform=ax.transAxes, ha="right", va="top", fontsize=10)
    ax.set(xlabel="number of merges", ylabel="tokens per byte", ylim=(0, 1.1))
    ax.set_xlim(-0.02 * tok.n_merges, 1.02 * tok.n_merges)
    live = LiveFigure(fig, animated=[curve, marker, label])  # fixed axes: never a full redraw
    tokens_html = ipywidgets.HTML()
    readout = ipywidgets.HTML()
    last = {"text": None}

    def update(text, n_merges):
        ids = sub(n_merges).encode(text)
        pieces = sub(n_merges).token_strings(ids)
        n_chars, n_bytes = len(text), max(len(text.encode("utf-8")), 1)
        if text != last["text"]:  # a new text: a new curve
            curve.set_ydata([len(sub(int(n)).encode(text)) / n_bytes for n in ns])
            last["text"] = text
        marker.set_data([n_merges], [len(ids) / n_bytes])
        label.set_text(f"{len(ids)} tokens for {n_chars} characters")
        tokens_html.value = token_html(pieces, ids)
        readout.value = (
            f"<b>{len(ids)}</b> tokens for <b>{n_chars}</b> characters ({n_bytes} UTF-8 bytes); "
            f"vocabulary {256 + n_merges}; decode(encode(text)) == text: "
            f"<b>{sub(n_merges).decode(ids) == text}</b>"
        )
        return {"ids": ids, "pieces": pieces, "n_tokens": len(ids), "n_chars": n_chars}

    controls = {
        "text": ipywidgets.Textarea(value=text, description="text", layout={"width": "48em"}),
        "n_merges": int_slider(min(tok.n_merges, 256), 0, tok.n_merges, 1, "merges"),
    }
    outputs = {"tokens": tokens_html, "readout": readout}
    return Explorer(controls, update, figure=live, outputs=outputs, title="A live BPE tokenizer")


def neighbour_bars_html(pairs):
    """HTML bars of (word, cosine similarity) pairs, one row each, for the explorer."""
    rows = []
    for w, sim in pairs:
        width = max(sim, 0.0) * 16  # em: a similarity of 1 is a 16em bar
        rows.append(
            f'<div style="display:flex;align-items:center;height:1.35em;font-size:90%">'
            f'<span style="width:8em;text-align:right;padding-right:0.5em">{html.escape(w)}</span>'
            f'<span style="display:inline-block;width:{width:.2f}em;height:1em;'
            f'background:{BAR_COLOUR}"></span><span style="padding-left:0.4em">{sim:.2f}</span>'
            "</div>"
        )
    return "<div>" + "".join(rows) + "</div>"


def neighbour_explorer(E=None, itos=None, word="king", map_words=300):
    """Pick a word and k: its k nearest words as bars, and where they sit on a PCA map.

    E: (V, C) word vectors, itos: their words (default: word2vec.default_embeddings()).
    The map is PCA of the map_words most frequent words' unit vectors; the neighbours are
    placed on it too.
    The bars are HTML under the map (a browser draws text far faster than matplotlib).
    """
    if E is None:
        E, itos = word2vec.default_embeddings()
    E_unit = F.normalize_rows(E)  # once: every query is then one (V, C) @ (C,)
    stoi = {w: i for i, w in enumerate(itos)}
    m = min(map_words, len(itos))
    _, directions, _ = word2vec.pca(E_unit[:m])
    center = E_unit[:m].mean(axis=0)
    Z = (E_unit - center) @ directions.T  # (V, C) @ (C, 2) -> (V, 2): every word on the map

    fig, ax = plot.figure(size=(4.6, 3.4))
    ax.scatter(Z[:m, 0], Z[:m, 1], s=4, color="0.8")
    ax.set(xlabel="PC 1", ylabel="PC 2")
    ax.set_title(f"PCA map of the {m} most frequent words", fontsize=10)
    near = ax.scatter(np.zeros(MAX_K), np.zeros(MAX_K), s=16, color=plot.COLORS[0])
    me = ax.scatter([0], [0], s=50, color=plot.COLORS[1], zorder=3)
    map_names = [ax.text(0, 0, "", fontsize=8) for _ in range(MAP_LABELS)]
    live = LiveFigure(fig, animated=[near, me, *map_names])
    bars = ipywidgets.HTML()

    def update(word, k):
        word = word.strip().lower()
        pairs = word2vec.neighbours(E_unit, stoi, itos, word, k)  # ValueError if unknown
        ids = [stoi[w] for w, _ in pairs]
        bars.value = f"<b>the {len(pairs)} nearest words to '{html.escape(word)}'</b>" + (
            neighbour_bars_html(pairs)
        )
        near.set_offsets(np.concatenate([Z[ids], np.full((MAX_K - len(ids), 2), np.nan)]))
        me.set_offsets(Z[[stoi[word]]])
        for j, text in enumerate(map_names):
            at = [stoi[word], *ids][j] if j <= len(ids) else None
            text.set_text(itos[at] if at is not None else "")
            text.set_position(Z[at] if at is not None else (0, 0))
        return {"word": word, "neighbours": pairs, "xy": Z[stoi[word]]}

    controls = {
        "word": ipywidgets.Combobox(
            value=word,
            options=list(itos),
            description="word",
            ensure_option=False,
            continuous_update=False,
        ),
        "k": int_slider(8, 1, MAX_K, 1, "k neighbours"),
    }
    title = "Nearest words by cosine similarity"
    return Explorer(controls, update, figure=live, outputs={"bars": bars}, title=title)
