"""A square canvas the reader draws on with the mouse or a finger, and a Clear button.

DrawingCanvas is an anywidget: a widget whose browser side is the small JavaScript module in
_ESM below, sent with the widget itself, so nothing is fetched from the internet and the same
code runs in JupyterLab, Notebook 7 and JupyterLite (anywidget's own extension loads it; it
needs @jupyter-widgets/base 6, the base of ipywidgets 8 and jupyterlab-widgets 3).

The browser only records the pen: its `value` is the drawing as a list of strokes, each a list
of [x, y] points in canvas pixels (x to the right, y down). It is sent to Python when the pen
lifts, and every 100 ms while it moves, so a figure can follow the drawing. Python turns the
strokes into an image (nnlib.drawing), which keeps every step after the pen in numpy, where it
is tested. Setting `value` from Python redraws the canvas: [] clears it.

Its `value` is what an Explorer observes, so a canvas is a control like a slider:
Explorer({"strokes": DrawingCanvas()}, update, figure) calls update(strokes=[...]).
"""

import anywidget
import traitlets

# The browser side. render() builds a <canvas> and a button inside el, draws the strokes white
# on black (MNIST's colours), listens to pointer events (mouse, pen and touch alike) and syncs
# `value`. It uses only the DOM, nothing of JupyterLab, so every notebook front end can show it.
_ESM = """
function render({ model, el }) {
  const size = model.get("size");
  const ratio = window.devicePixelRatio || 1;  // sharp lines on high-density screens
  const root = document.createElement("div");
  root.className = "nnlib-drawing-canvas";
  const canvas = document.createElement("canvas");
  canvas.width = size * ratio;
  canvas.height = size * ratio;
  canvas.style.width = size + "px";
  canvas.style.height = size + "px";
  canvas.style.touchAction = "none";  // a finger draws instead of scrolling the page
  canvas.style.cursor = "crosshair";
  canvas.style.display = "block";
  const clear = document.createElement("button");
  clear.textContent = "Clear";
  clear.className = "nnlib-drawing-clear jupyter-widgets jupyter-button widget-button";
  root.append(canvas, clear);
  el.appendChild(root);

  const ctx = canvas.getContext("2d");
  ctx.scale(ratio, ratio);
  let strokes = model.get("value").map((s) => s.slice());
  let current = null;  // the stroke being drawn, while the pen is down
  let timer = null;

  function drawStroke(points) {
    ctx.beginPath();
    if (points.length === 1) {  // a tap: a dot as wide as the pen
      ctx.arc(points[0][0], points[0][1], model.get("pen_width") / 2, 0, 2 * Math.PI);
      ctx.fill();
      return;
    }
    ctx.moveTo(points[0][0], points[0][1]);
    for (const [x, y] of points.slice(1)) ctx.lineTo(x, y);
    ctx.stroke();
  }
  function paint() {
    ctx.fillStyle = "black";
    ctx.fillRect(0, 0, size, size);
    ctx.strokeStyle = ctx.fillStyle = "white";
    ctx.lineWidth = model.get("pen_width");
    ctx.lineCap = ctx.lineJoin = "round";
    for (const s of strokes) if (s.length) drawStroke(s);
    if (current) drawStroke(current);
  }
  function point(event) {  // canvas pixels, one decimal
    const box = canvas.getBoundingClientRect();
    const x = ((event.clientX - box.left) * size) / box.width;
    const y = ((event.clientY - box.top) * size) / box.height;
    return [Math.round(x * 10) / 10, Math.round(y * 10) / 10];
  }
  function send() {
    if (timer !== null) { clearTimeout(timer); timer = null; }
    model.set("value", current ? [...strokes, current] : strokes.slice());
    model.save_changes();
  }
  function sendSoon() {  // at most one message per 100 ms while the pen moves
    if (timer === null) timer = setTimeout(() => { timer = null; send(); }, 100);
  }
  canvas.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    current = [point(event)];
    paint();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!current) return;
    const p = point(event), q = current[current.length - 1];
    if (Math.hypot(p[0] - q[0], p[1] - q[1]) < 2) return;  // skip jitter under 2 pixels
    current.push(p);
    ctx.beginPath();  // draw just the new piece; paint() redraws everything
    ctx.moveTo(q[0], q[1]);
    ctx.lineTo(p[0], p[1]);
    ctx.stroke();
    sendSoon();
  });
  function lift() {
    if (!current) return;
    strokes.push(current);
    current = null;
    paint();
    send();
  }
  canvas.addEventListener("pointerup", lift);
  canvas.addEventListener("pointercancel", lift);
  clear.addEventListener("click", () => {
    strokes = [];
    current = null;
    paint();
    send();
  });
  function onChange() {  // Python (or another view of this widget) set the drawing
    if (current) return;  // the reader is drawing: their stroke wins
    strokes = model.get("value").map((s) => s.slice());
    paint();
  }
  model.on("change:value", onChange);
  paint();
  return () => model.off("change:value", onChange);
}
export default { render };
"""

_CSS = """
.nnlib-drawing-canvas { display: flex; flex-direction: column; align-items: flex-start; gap: 4px; }
.nnlib-drawing-canvas canvas { border: 1px solid #888; }
"""


class DrawingCanvas(anywidget.AnyWidget):
    """A size x size canvas (CSS pixels) with a Clear button; value holds the strokes drawn.

    value: list of strokes, each a list of [x, y] points in canvas pixels.
    size: the canvas's width and height in pixels.
    pen_width: the pen's width in pixels; nnlib.drawing.rasterize draws with the same pen.
    """

    _esm = _ESM
    _css = _CSS
    value = traitlets.List([]).tag(sync=True)
    size = traitlets.Int(280).tag(sync=True)
    pen_width = traitlets.Float(18.0).tag(sync=True)
