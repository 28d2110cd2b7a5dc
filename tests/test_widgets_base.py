"""The Explorer / LiveFigure base that every chapter widget is built on."""

import base64

import ipywidgets
import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib import plot
from nnlib.widgets import Explorer, LiveFigure, dropdown, int_slider, slider

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def make_explorer(animated=True):
    """A sigmoid explorer like the chapters build: two sliders, one line, one readout."""
    x = np.linspace(-6, 6, 50)
    fig, ax = plot.figure()
    (line,) = ax.plot(x, 1 / (1 + np.exp(-x)))
    ax.set_ylim(-0.05, 1.05)
    live = LiveFigure(fig, animated=[line] if animated else None)
    calls = []

    def update(w, b):
        calls.append({"w": w, "b": b})
        a = 1 / (1 + np.exp(-(w * x + b)))
        line.set_ydata(a)
        return {"a_at_0": float(1 / (1 + np.exp(-b)))}

    controls = {"w": slider(1.0, -5, 5, 0.1, "w"), "b": slider(0.0, -5, 5, 0.1, "b")}
    return Explorer(controls, update, figure=live, title="sigmoid"), calls


@pytest.mark.parametrize("animated", [True, False])
def test_control_change_runs_update_and_changes_png(animated):
    explorer, calls = make_explorer(animated)
    assert calls == [{"w": 1.0, "b": 0.0}]  # called once at construction
    assert explorer.state == {"a_at_0": 0.5}
    before = explorer.png()
    assert before.startswith(PNG_MAGIC)

    explorer.controls["b"].value = 2.0  # what dragging the slider does
    assert calls[-1] == {"w": 1.0, "b": 2.0}
    assert explorer.state["a_at_0"] == pytest.approx(1 / (1 + np.exp(-2.0)))
    after = explorer.png()
    assert after.startswith(PNG_MAGIC) and after != before
    assert explorer.figure.image.value == after


def test_set_changes_several_controls_and_recomputes_once():
    explorer, calls = make_explorer()
    state = explorer.set(w=-2.0, b=1.0)
    assert calls[1:] == [{"w": -2.0, "b": 1.0}]
    assert state is explorer.state
    assert explorer.values == {"w": -2.0, "b": 1.0}
    with pytest.raises(ValueError, match="unknown controls"):
        explorer.set(c=1.0)


def test_blitted_frame_equals_full_redraw():
    fast, _ = make_explorer(animated=True)
    slow, _ = make_explorer(animated=False)
    fast.set(w=3.0, b=-1.0)
    slow.set(w=3.0, b=-1.0)
    assert fast.png() == slow.png()


def test_error_in_update_is_shown_and_last_figure_kept():
    x = np.linspace(0, 1, 10)
    fig = Figure(figsize=(3, 2))
    ax = fig.subplots()
    (line,) = ax.plot(x, x)

    def update(n):
        if n == 0:
            raise ValueError("n must be positive, got 0")
        line.set_ydata(x**n)
        return {"n": n}

    explorer = Explorer({"n": int_slider(1, 0, 3, description="n")}, update, figure=fig)
    good = explorer.png()
    explorer.controls["n"].value = 0
    assert "ValueError: n must be positive, got 0" in explorer.message.value
    assert isinstance(explorer.error, ValueError)
    assert explorer.state == {"n": 1}  # last good state
    assert explorer.png() == good  # last good figure
    assert explorer.message in explorer.widget.children

    explorer.controls["n"].value = 2  # recovering clears the message
    assert explorer.message.value == "" and explorer.error is None
    assert explorer.state == {"n": 2} and explorer.png() != good


def test_mimebundle_has_widget_view_png_and_text():
    explorer, _ = make_explorer()
    bundle = explorer._repr_mimebundle_()
    view = bundle["application/vnd.jupyter.widget-view+json"]
    assert view["model_id"] == explorer.widget.model_id
    assert base64.b64decode(bundle["image/png"]) == explorer.png()
    assert "sigmoid" in bundle["text/plain"] and "w=1.0" in bundle["text/plain"]


def test_explorer_without_figure_and_with_outputs():
    readout = ipywidgets.HTML()

    def update(op):
        readout.value = f"result: {op(2, 3)}"
        return {"result": op(2, 3)}

    ops = {"add": lambda a, b: a + b, "mul": lambda a, b: a * b}
    explorer = Explorer({"op": dropdown(ops, ops["add"], "op")}, update, outputs={"r": readout})
    assert explorer.state == {"result": 5}
    explorer.controls["op"].value = ops["mul"]
    assert explorer.state == {"result": 6} and readout.value == "result: 6"
    assert explorer.png() == b""
    assert "image/png" not in explorer._repr_mimebundle_()
    with pytest.raises(ValueError, match="non-empty dict"):
        Explorer({}, update)


def test_slider_helpers():
    s = slider(0.5, 0.0, 1.0, 0.05, "lr")
    assert isinstance(s, ipywidgets.FloatSlider)
    assert (s.value, s.min, s.max, s.step, s.readout_format) == (0.5, 0.0, 1.0, 0.05, ".2f")
    assert s.continuous_update
    assert slider(1.0, 0, 10, 1, "k").readout_format == ".0f"
    n = int_slider(3, 1, 9, 2, "n", continuous_update=False)
    assert isinstance(n, ipywidgets.IntSlider) and not n.continuous_update


def test_a_live_figure_is_shown_at_its_natural_size():
    from matplotlib.figure import Figure

    from nnlib.widgets import LiveFigure

    live = LiveFigure(Figure(figsize=(4, 2)), dpi=80)
    assert live.image.layout.width == "320px" and live.image.layout.max_width == "100%"


def test_an_explorer_without_a_figure_leaves_its_text_for_github():
    from nnlib.widgets import Explorer

    out = ipywidgets.HTML()

    def update(n):
        out.value = f"<pre>{'ab' * n}</pre>"

    explorer = Explorer(
        {"n": ipywidgets.IntSlider(value=2)}, update, outputs={"text": out}, title="T"
    )
    bundle = explorer._repr_mimebundle_()
    assert bundle["text/html"] == "<b>T</b>\n<pre>abab</pre>" and "image/png" not in bundle


def test_progress_outside_a_notebook_is_a_plain_loop():
    from nnlib.progress import progress

    assert list(progress(range(3), desc="steps")) == [0, 1, 2]


def test_progress_starts_no_monitor_thread_and_knows_it_is_not_in_a_kernel():
    """A browser kernel cannot start threads: our bars never start tqdm's monitor."""
    import threading

    from nnlib.progress import _TextBar, in_a_kernel, progress

    before = {t.name for t in threading.enumerate()}
    assert list(progress(range(5), desc="steps")) == list(range(5))
    assert _TextBar.monitor_interval == 0  # tqdm starts its monitor only when this is set
    assert {t.name for t in threading.enumerate()} - before == set()
    assert in_a_kernel() is False  # pytest runs no IPython shell
