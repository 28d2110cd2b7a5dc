"""Chapter 01's widgets, driven like a reader would: set controls, check what was recomputed."""

import numpy as np
import pytest

from nnlib.chapters import ch01_neuron as N
from nnlib.layers import MLP
from nnlib.widgets import ch01_neuron as V

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def small_digits():
    """Twelve fake 'digits' (784 pixels in [0, 1]) and labels; no MNIST needed."""
    rng = np.random.default_rng(3)
    return rng.uniform(0, 1, size=(12, 784)), np.arange(12) % 10


def test_playground_counts_points_on_their_side():
    ex = V.neuron_playground()
    assert ex.error is None and ex.png().startswith(PNG_MAGIC)
    X, y = N.two_blobs(40, np.random.default_rng(0))
    state = ex.set(w1=1.0, w2=1.0, b=-1.0, activation="step")
    assert state["n"] == 80
    assert state["correct"] == int((N.fires(X, [1.0, 1.0], -1.0) == (y == 1)).sum())
    np.testing.assert_allclose(state["z"], X @ [1.0, 1.0] - 1.0)
    assert (state["a_min"], state["a_max"]) == (0.0, 1.0)  # the step fires on part of the square
    # flip the neuron: every point that was right is now wrong (no point sits exactly on z = 0)
    flipped = ex.set(w1=-1.0, w2=-1.0, b=1.0)["correct"]
    assert flipped == 80 - state["correct"]


def test_playground_line_follows_the_sliders():
    ex = V.neuron_playground()
    a1s, a2s = ex.set(w1=2.0, w2=-3.0, b=0.5)["boundary"]
    np.testing.assert_allclose(2.0 * a1s - 3.0 * a2s + 0.5, 0.0, atol=1e-12)
    line = ex.figure.fig.axes[0].lines[0]
    np.testing.assert_allclose(2.0 * line.get_xdata() - 3.0 * line.get_ydata() + 0.5, 0, atol=1e-12)


def test_playground_extremes_never_nan():
    ex = V.neuron_playground()
    for activation in ("sigmoid", "relu", "step"):
        for w1, w2, b in [(10, 10, 10), (-10, -10, -10), (0, 0, 0), (10, -10, 0)]:
            before = ex.png()
            state = ex.set(w1=float(w1), w2=float(w2), b=float(b), activation=activation)
            assert ex.error is None
            assert np.isfinite([state["a_min"], state["a_max"]]).all()
            assert np.isfinite(state["z"]).all()
            assert 0 <= state["correct"] <= 80
            assert ex.png().startswith(PNG_MAGIC) and ex.png() != before


def test_playground_without_weights_has_no_line():
    ex = V.neuron_playground()
    a1s, _ = ex.set(w1=0.0, w2=0.0, b=3.0, activation="relu")["boundary"]
    assert a1s.size == 0
    # z = 3 everywhere: relu gives 3 over the whole square, every point 'class 1'
    assert ex.state["a_min"] == ex.state["a_max"] == pytest.approx(3.0)
    assert ex.state["correct"] == 40


def test_playground_rejects_bad_data():
    with pytest.raises(ValueError, match=r"expects X \(N, 2\) and y \(N,\)"):
        V.neuron_playground(np.zeros((5, 3)), np.zeros(5))


def test_digit_viewer_shows_every_layer_of_the_network():
    X, y = small_digits()
    net = MLP([784, 16, 16, 10], rng=np.random.default_rng(0), activation="sigmoid",
              final_activation="sigmoid")  # fmt: skip
    ex = V.digit_viewer(X, y, network=net)
    assert ex.error is None and ex.png().startswith(PNG_MAGIC)
    first = ex.png()
    for index in (0, 5, 11):
        state = ex.set(index=index)
        acts = N.layer_activations(V.network_params(net), X[index])
        np.testing.assert_allclose(state["hidden1"], acts[1])
        np.testing.assert_allclose(state["hidden2"], acts[2])
        np.testing.assert_allclose(state["output"], acts[3])
        assert state["answer"] == int(np.argmax(acts[3]))  # the brightest output neuron
        assert state["label"] == y[index]
        assert np.isfinite(state["output"]).all()
    assert ex.png() != first
    assert ex.controls["index"].max == len(X) - 1


def test_digit_viewer_takes_plain_weight_lists_and_checks_sizes():
    X, y = small_digits()
    rng = np.random.default_rng(1)
    params = [(rng.normal(size=(16, 784)), np.zeros(16)), (rng.normal(size=(16, 16)), np.zeros(16)),
              (rng.normal(size=(10, 16)), np.zeros(10))]  # fmt: skip
    state = V.digit_viewer(X, y, network=params).set(index=3)
    np.testing.assert_allclose(state["output"], N.layer_activations(params, X[3])[-1])
    with pytest.raises(ValueError, match=r"784-16-16-10 network, got \[784, 16, 10\]"):
        V.digit_viewer(X, y, network=params[:1] + params[2:])
    with pytest.raises(ValueError, match=r"expects X \(N, 784\)"):
        V.digit_viewer(X.reshape(12, 28, 28), y)


def test_default_builders_use_the_chapter_data():
    ex = V.digit_viewer()  # MNIST test digits (bundled offline set) and the seeded network
    assert ex.controls["index"].max >= 1999
    assert 0 <= ex.state["answer"] <= 9
    assert V.chapter_network().n_params() == 13002


def test_static_figures_draw():
    X, y = small_digits()
    stroke = np.zeros(784)
    stroke[28 * 10 + 5 : 28 * 10 + 15] = np.linspace(0.1, 1.0, 10)  # one short bright line
    figures = [V.bias_threshold_figure(), V.activations_figure(), V.playground_figure(),
               V.digit_figure(X[0], 3), V.layers_figure(X[0], 3, V.chapter_network()),
               V.pixel_values_figure(stroke),
               V.pixel_values_figure(np.zeros(784))]  # fmt: skip
    for fig in figures:
        fig.canvas.draw()
        assert fig.axes
    with pytest.raises(ValueError, match=r"shape \(784,\), got \(28, 28\)"):
        V.digit_figure(X[0].reshape(28, 28))


def test_pixel_values_figure_writes_one_number_per_lit_pixel():
    x = np.zeros(784)
    x[[28 * 3 + 4, 28 * 3 + 5, 28 * 20 + 9]] = [0.25, 1.0, 0.999]
    ax = V.pixel_values_figure(x).axes[0]
    assert sorted(t.get_text() for t in ax.texts) == [".25", "1", "1"]
    assert ax.get_xlim() == (3.5, 9.5)  # the crop: columns 4..9 with ink, rows 3..20
    assert ax.get_ylim() == (20.5, 2.5)


def test_relu_is_drawn_whole_on_an_axis_that_reaches_it():
    explorer = V.neuron_playground()
    state = explorer.set(activation="relu", w1=6.0, w2=4.0, b=-3.0)
    assert state["rescaled"]
    fig = explorer.figure.fig
    ax_z = fig.axes[1]
    curve = ax_z.lines[0].get_ydata()
    assert curve.max() == pytest.approx(V.Z_LIM) and ax_z.get_ylim()[1] > V.Z_LIM  # no clip
    assert not explorer.set(activation="relu", w1=5.0)["rescaled"]  # same axis: no full redraw
    assert explorer.set(activation="sigmoid")["rescaled"] and ax_z.get_ylim()[1] < 3
