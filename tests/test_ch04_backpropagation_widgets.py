"""Tests for chapter 04's widgets and figures: build, drive with set(), check the state."""

import warnings

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib.chapters import ch04_backpropagation as backprop
from nnlib.widgets import ch04_backpropagation as wb

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def nudge():
    return wb.nudge_explorer()


@pytest.fixture(scope="module")
def data():
    X, y, X_val, y_val = backprop.small_data()
    return X[:400], y[:400], X_val[:200], y_val[:200]  # small, so the panel trains fast


@pytest.fixture(scope="module")
def panel(data):
    return wb.hyperparameter_panel(data)


def test_nudge_explorer_recomputes_the_nudges(nudge):
    Ws, bs = backprop.small_network()
    X, y = backprop.small_data()[2:]
    example = backprop.example_digits(X, y)[
        "3 (image #" + str(int(np.flatnonzero(y == 3)[0])) + ")"
    ]
    state = nudge.set(example=example, j=3, eps_a=0.2, eps_w=-0.4, eps_b=0.6)
    assert nudge.error is None and state["label"] == 3 and state["j"] == 3
    expected = backprop.nudge_effects(Ws, bs, X[example], 3, 3, 0.2, -0.4, 0.6)
    assert state["delta_a_j"] == pytest.approx(expected["delta_a_j"])
    assert state["delta_C"] == pytest.approx(expected["delta_C"])
    np.testing.assert_allclose(state["dW"], -0.4 * state["a_prev"])
    assert "change of <i>a</i><sub>j</sub>" in nudge.outputs["readout"].value
    assert nudge.png()[:8] == PNG_MAGIC


def test_nudge_explorer_extremes_are_finite(nudge):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for eps in (-1.0, 1.0):
            for j in (0, 9):
                state = nudge.set(j=j, eps_a=eps, eps_w=eps, eps_b=eps)
                assert nudge.error is None
                values = list(state["delta_a_j"].values()) + list(state["delta_C"].values())
                assert np.all(np.isfinite(values))
                assert np.all(np.abs(list(state["delta_a_j"].values())) <= 1)


def test_nudge_explorer_raising_the_right_output_lowers_the_cost(nudge):
    state = nudge.set(eps_a=0.0, eps_w=0.5, eps_b=0.5)
    state = nudge.set(j=state["label"])
    assert state["delta_a_j"]["weights"] > 0 and state["delta_C"]["weights"] < 0
    assert state["delta_a_j"]["bias"] > 0 and state["delta_C"]["bias"] < 0


def test_panel_trains_on_build_and_again_on_every_change(panel):
    state = panel.state
    assert len(state["history"]["epoch"]) == state["epochs"] == 8
    assert state["history"]["val_acc"][-1] > 0.5
    before = panel.png()
    state = panel.set(n_hidden=16, epochs=3)
    assert state["n_hidden"] == 16 and state["history"]["epoch"] == [1, 2, 3]
    assert panel.outputs["progress"].value == 3
    assert "trained in" in panel.outputs["status"].value
    assert panel.png() != before  # the curves a reader sees are the new run's


def test_panel_is_deterministic(panel):
    first = panel.set(n_hidden=8, lr=3.0, batch_size=32, epochs=3)
    panel.set(n_hidden=12)
    again = panel.set(n_hidden=8)
    assert again["history"] == first["history"]
    assert again["seconds"] > 0


def test_panel_extremes_train_without_nan(panel):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for settings in (
            {"n_hidden": 64, "lr": 10**1.5, "batch_size": 16, "epochs": 1},
            {"n_hidden": 4, "lr": 0.01, "batch_size": 256, "epochs": 1},
        ):
            panel.set(**settings)
            assert panel.error is None
            history = panel.state["history"]
            assert np.all(np.isfinite(history["loss"] + history["val_acc"]))
    assert panel.png()[:8] == PNG_MAGIC


def test_figures_are_figures(data):
    Ws, bs = backprop.init_params([784, 16, 16, 10], np.random.default_rng(0))
    X, y = data[0], data[1]
    chain = backprop.chain_one_path(Ws, bs, X[0], int(y[0]), int(y[0]), 2)
    history = backprop.quick_train(*data, [784, 8, 10], 3.0, 32, 2, np.random.default_rng(0))
    probs = np.full((8, 10), 0.1)
    figures = [
        wb.chain_figure(chain, chain["dC_dw"]),
        wb.nudge_figure(Ws, bs, X[0], int(y[0]), 1),
        wb.gradient_check_figure(np.arange(5.0), np.arange(5.0), np.ones(3), np.ones(3)),
        wb.loss_figure(np.linspace(2, 0.1, 300), "loss"),
        wb.misclassified_figure(X[:20], y[:20], (y[:20] + 1) % 10),
        wb.noise_figure(X[:8], probs, probs),
        wb.train_val_figure(history, "train vs test"),
        wb.vanishing_figure(np.logspace(-6, -1, 9), np.full(9, 1e-3)),
    ]
    assert all(isinstance(fig, Figure) for fig in figures)


# ---- draw your own digit --------------------------------------------------------------------


@pytest.fixture(scope="module")
def pad():
    return wb.drawing_panel()  # the chapter's small reader, starting with the example 3


def test_drawing_panel_starts_with_the_example_three_and_reads_it(pad):
    from nnlib import drawing
    from nnlib.widgets.canvas import DrawingCanvas

    canvas = pad.controls["strokes"]
    assert isinstance(canvas, DrawingCanvas) and canvas.value == drawing.example_three()
    assert pad.error is None and pad.state["answer"] == 3
    assert "The network says: 3" in pad.outputs["said"].value
    assert pad.png().startswith(PNG_MAGIC)


def test_strokes_set_from_python_update_the_bars_and_the_named_answer(pad):
    from nnlib import drawing

    vertical = [[[140.0, 40.0], [140.0, 240.0]]]
    state = pad.set(strokes=vertical)
    expected = backprop.digit_probabilities(
        backprop.small_reader(), drawing.mnist_steps(vertical)["x"]
    )
    np.testing.assert_allclose(state["p"], expected)
    answer = int(np.argmax(expected))
    assert state["answer"] == answer and not state["empty"]
    assert f"The network says: {answer} " in pad.outputs["said"].value
    art_bars = [artist for artist in pad.figure.animated if hasattr(artist, "get_height")]
    np.testing.assert_allclose([bar.get_height() for bar in art_bars], expected)
    pad.set(strokes=drawing.example_three())


def test_an_empty_canvas_still_gets_an_answer(pad):
    from nnlib import drawing

    state = pad.set(strokes=[])
    assert pad.error is None and state["empty"] and not state["x"].any()
    assert np.isclose(state["p"].sum(), 1) and state["answer"] == int(np.argmax(state["p"]))
    assert "on a blank image" in pad.figure.animated[-1].get_text()
    pad.set(strokes=drawing.example_three())


def test_bad_strokes_show_a_message_and_keep_the_last_picture(pad):
    before = pad.png()
    pad.set(strokes=[[1.0, 2.0]])  # a stroke that is one point, not a list of points
    assert isinstance(pad.error, ValueError) and "list of [x, y] points" in pad.message.value
    assert pad.png() == before
    from nnlib import drawing

    pad.set(strokes=drawing.example_three())
    assert pad.error is None and pad.message.value == ""


def test_drawing_and_dream_figures():
    from nnlib import drawing

    steps = drawing.mnist_steps(drawing.example_three())
    p = np.full(10, 0.1)
    assert isinstance(wb.drawing_figure(steps, p), Figure)
    result = {"x": steps["x"], "x_start": np.zeros(784), "p": np.linspace(0.1, 0.9, 5)}
    fig = wb.dream_figure(result, 3, steps["x"])
    assert isinstance(fig, Figure) and len(fig.axes) == 5


def test_digit_viewer_is_chapter_01s_on_a_given_network():
    X, y = backprop.small_data()[2:]
    net = backprop.mlp_from_params(*backprop.small_network())
    viewer = wb.digit_viewer(X[:50], y[:50], net)
    Ws, bs = backprop.small_network()
    for index in (0, 7):
        state = viewer.set(index=index)
        out = backprop.forward(Ws, bs, X[index : index + 1].astype(np.float64))[1][-1][0]
        assert state["answer"] == int(np.argmax(out))
        np.testing.assert_allclose(state["output"], out, rtol=1e-5)
