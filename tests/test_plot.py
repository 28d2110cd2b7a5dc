"""Shared figure helpers: they return Figures, change no global state, and save reproducibly."""

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib import plot

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def figures_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(plot, "FIGURES_DIR", tmp_path)
    return tmp_path


def test_figures_dir_is_repo_top():
    assert plot.FIGURES_DIR.name == "figures"
    assert (plot.FIGURES_DIR.parent / "nnlib" / "plot.py").exists()


def test_savefig_writes_reproducible_png_without_metadata(figures_dir):
    def make():
        fig, ax = plot.figure()
        ax.plot([0, 1, 2], [1, 0, 1])
        ax.set_title("same figure, same bytes")
        return fig

    path = plot.savefig(make(), "00_test")
    assert path == figures_dir / "00_test.png"
    first = path.read_bytes()
    assert first.startswith(PNG_MAGIC)
    assert b"matplotlib" not in first.lower()  # no Software metadata
    plot.savefig(make(), "00_test")
    assert path.read_bytes() == first
    assert [p.name for p in figures_dir.iterdir()] == ["00_test.png"]  # no temp files left


@pytest.mark.parametrize("name", ["test", "00_a.png", "../00_a", "00 a"])
def test_savefig_rejects_bad_names(figures_dir, name):
    fig, _ = plot.figure()
    with pytest.raises(ValueError, match="figure name"):
        plot.savefig(fig, name)


def test_importing_and_plotting_leave_rcparams_alone():
    before = dict(matplotlib.rcParams)
    fig, axes = plot.figure(2, 3)
    assert axes.shape == (2, 3)
    plot.bars(list("abc"), [0.2, 0.5, 0.3])
    assert dict(matplotlib.rcParams) == before


def test_figure_styles_axes():
    fig, ax = plot.figure(size=(3, 2))
    assert isinstance(fig, Figure)
    assert tuple(fig.get_size_inches()) == (3, 2)
    assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()


def test_digit_grid_shapes_and_labels():
    rng = np.random.default_rng(0)
    X = rng.random((12, 784))
    fig = plot.digit_grid(X, labels=list(range(12)), ncols=5)
    shown = [ax for ax in fig.axes if ax.images]
    assert len(fig.axes) == 15 and len(shown) == 12  # 3 rows of 5, 3 empty
    assert shown[0].images[0].get_array().shape == (28, 28)
    assert [ax.get_title() for ax in shown][:3] == ["0", "1", "2"]
    plot.digit_grid(X.reshape(12, 28, 28))
    with pytest.raises(ValueError, match=r"expects X of shape \(N, 784\)"):
        plot.digit_grid(rng.random((3, 10)))
    with pytest.raises(ValueError, match="12 images but 2 labels"):
        plot.digit_grid(X, labels=[1, 2])


def test_bars_highlights_largest_and_fixes_probability_scale():
    fig = plot.bars(["cat", "dog", "eel"], [0.1, 0.7, 0.2], title="p")
    ax = fig.axes[0]
    colors = [p.get_facecolor() for p in ax.patches]
    assert colors[1] != colors[0] and colors[0] == colors[2]
    assert ax.get_ylim() == (0, 1)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["cat", "dog", "eel"]
    with pytest.raises(ValueError, match="3 labels but 2 values"):
        plot.bars(["a", "b", "c"], [1, 2])


def test_one_look_for_invisible_characters():
    assert (
        plot.char_label("\n") == "↵" and plot.char_label(" ") == "␣" and plot.char_label("a") == "a"
    )
    assert plot.char_label("\t") == "⇥"
    assert plot.visible("to be\nor") == "to␣be↵or"


def test_weight_images_one_panel_per_row_red_for_positive():
    W = np.zeros((10, 784))
    W[0, 0] = 1.0
    fig = plot.weight_images(W, ncols=4, title="weights")
    images = [ax.images[0] for ax in fig.axes if ax.images]
    assert len(images) == 10 and images[0].get_cmap().name == "RdBu_r"
    with pytest.raises(ValueError, match=r"expects W of shape \(n_hidden, 784\), got \(3, 5\)"):
        plot.weight_images(np.zeros((3, 5)))


def test_weight_images_share_one_labelled_colour_bar_from_inhibits_to_excites():
    W = np.random.default_rng(0).normal(size=(3, 784)) * np.array([[1.0], [10.0], [0.1]])
    fig = plot.weight_images(W)
    bar = fig.axes[-1]
    labels = [t.get_text() for t in bar.get_yticklabels()]
    assert labels == ["-1 inhibits", "0", "+1 excites"]
    images = [im for ax in fig.axes[:-1] for im in ax.get_images()]
    assert len(images) == 3  # every neuron on the same -1..1 scale, whatever its size
    for im, w in zip(images, W, strict=True):
        assert im.get_clim() == (-1, 1)
        assert np.abs(im.get_array()).max() == pytest.approx(1.0)
        assert np.sign(im.get_array().ravel()) @ np.sign(w) == 784  # red stays positive
