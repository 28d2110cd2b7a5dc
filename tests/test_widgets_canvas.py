"""nnlib.widgets.canvas: the drawing canvas, checked from Python (the browser tests draw on it)."""

import ipywidgets

from nnlib.widgets import Explorer
from nnlib.widgets.canvas import DrawingCanvas


def test_the_canvas_is_a_widget_whose_value_is_the_strokes():
    canvas = DrawingCanvas()
    assert isinstance(canvas, ipywidgets.DOMWidget)
    assert canvas.value == [] and canvas.size == 280 and canvas.pen_width == 18.0
    state = canvas.get_state()
    assert state["value"] == [] and state["size"] == 280  # synced to the browser
    assert "export default" in state["_esm"] and "pointerdown" in state["_esm"]


def test_the_browser_code_needs_no_network_and_nothing_of_jupyterlab():
    esm = DrawingCanvas()._esm
    for outside in ("http://", "https://", "import ", "@jupyterlab", "jupyterapp", "require("):
        assert outside not in esm, outside
    for event in ("pointerdown", "pointermove", "pointerup", "pointercancel", "touchAction"):
        assert event in esm  # mouse, pen and finger alike
    assert "nnlib-drawing-canvas" in esm and "nnlib-drawing-clear" in esm  # the tests find them


def test_an_explorer_follows_the_canvas_like_a_slider():
    canvas = DrawingCanvas(value=[[[1.0, 2.0], [3.0, 4.0]]])
    seen = []

    def update(strokes):
        seen.append(strokes)
        return {"n_strokes": len(strokes)}

    explorer = Explorer({"strokes": canvas}, update)
    assert explorer.state == {"n_strokes": 1}
    canvas.value = [[[1.0, 2.0]], [[5.0, 5.0], [6.0, 6.0]]]  # what the browser sends
    assert explorer.state == {"n_strokes": 2}
    assert explorer.set(strokes=[]) == {"n_strokes": 0} and canvas.value == []
    assert len(seen) == 3
