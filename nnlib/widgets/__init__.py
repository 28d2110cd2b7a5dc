"""The base every chapter widget is built on: a live figure and an Explorer.

A chapter widget is thin. The math lives in pure, tested functions; the widget
only connects controls (sliders, dropdowns) to a callback that calls those
functions and moves a few matplotlib artists. This module gives every chapter
the same pieces, so all widgets look alike and can be driven from tests and
benchmarks without a browser:

- LiveFigure(fig) holds a matplotlib Figure (made with Figure(), never pyplot,
  so it is never shown twice or leaked) and an ipywidgets.Image that shows it
  as PNG. refresh() redraws it. Pass animated=[artists] (the artists your
  callback changes) and refresh() redraws only those over a cached background,
  about 10 ms instead of 50-70 ms for a full draw of a 2-panel figure.
- Explorer(controls, update, figure) calls update(**values) once at the start
  and again whenever a control changes, keeps what update returned in
  explorer.state, and refreshes the figure.
- slider(), int_slider(), dropdown() make controls with one look.

A cell that ends with an Explorer shows the live widget in JupyterLab, and a
PNG of its figure where widgets cannot run (GitHub, nbviewer).
"""

import base64
import html
import io

import ipywidgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

# Widget figures are shown at their pixel size, one image pixel per CSS pixel, so they are as
# sharp as the static figures: 100 dpi (matplotlib's own, and nnlib.plot's) makes an 8 x 3.2
# inch figure 800 x 320 pixels, with text as large as in the static figures.
DPI = 100


class LiveFigure:
    """A matplotlib Figure shown in an ipywidgets.Image, redrawn on demand.

    fig: a matplotlib.figure.Figure (use nnlib.plot.figure() or Figure()).
    animated: optional list of the artists your callback changes (lines,
        scatter collections, texts, images). Only they are redrawn by
        refresh(), on top of a background drawn once. If your callback
        changes anything else (axis limits, titles, tick labels), call
        invalidate() in it so the next refresh() draws everything again.
    dpi: pixels per inch of the shown image.
    """

    def __init__(self, fig, animated=None, dpi=DPI):
        self.fig = fig
        self.fig.set_dpi(dpi)
        self.canvas = FigureCanvasAgg(fig)  # attaches itself as fig.canvas
        self.animated = list(animated or [])
        for artist in self.animated:
            artist.set_animated(True)  # the full draw skips them: they go on top
        # Shown at its natural size, one image pixel per screen pixel (CSS px): stretched to
        # the notebook's width it looked soft beside the static figures. max_width lets it
        # shrink on a narrow screen instead of overflowing.
        width, _ = self.canvas.get_width_height()
        self.image = ipywidgets.Image(
            format="png", layout=ipywidgets.Layout(width=f"{width}px", max_width="100%")
        )
        self._background = None
        self.refresh()

    def invalidate(self):
        """Forget the cached background: the next refresh() draws everything."""
        self._background = None

    def png(self):
        """Render the figure now and return PNG bytes (no metadata, reproducible)."""
        if not self.animated:
            self.canvas.draw()
        else:
            if self._background is None:
                self.canvas.draw()  # everything except the animated artists
                self._background = self.canvas.copy_from_bbox(self.fig.bbox)
            else:
                self.canvas.restore_region(self._background)
            for artist in self.animated:
                self.fig.draw_artist(artist)
        width, height = self.canvas.get_width_height()
        rgba = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw")
        buffer = io.BytesIO()
        # compress_level 1: a few ms per frame instead of ~10, files ~15% larger.
        rgba.convert("RGB").save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def refresh(self):
        """Redraw the figure and show the new PNG in the image widget."""
        self.image.value = self.png()


class Explorer:
    """Controls wired to a callback that updates a figure: one chapter widget.

    controls: dict name -> ipywidget with a .value (slider, dropdown, text...).
    update: the chapter's callback, update(**values) with one keyword per
        control. It computes with pure nnlib functions, moves the figure's
        artists and returns a dict of what it computed (kept as
        explorer.state, so tests can check the numbers), or None.
    figure: a LiveFigure, a matplotlib Figure (wrapped in a LiveFigure), or
        None for a widget without a figure.
    outputs: optional dict name -> widget (e.g. ipywidgets.HTML readouts)
        shown under the figure; the callback sets their values.
    title: optional text shown in bold above the controls.

    update runs once here and again on every change of a control's value.
    If it raises, the error message is shown in the widget, explorer.error
    holds the exception, and the figure keeps its last good picture.
    """

    def __init__(self, controls, update, figure=None, outputs=None, title=None):
        if not isinstance(controls, dict) or not controls:
            raise ValueError(f"controls must be a non-empty dict name -> widget, got {controls!r}")
        self.controls = dict(controls)
        self.update = update
        if figure is not None and not isinstance(figure, LiveFigure):
            figure = LiveFigure(figure)
        self.figure = figure
        self.outputs = dict(outputs or {})
        self.title = title
        self.state = {}
        self.error = None
        self.message = ipywidgets.HTML(value="")
        children = []
        if title:
            children.append(ipywidgets.HTML(value=f"<b>{html.escape(title)}</b>"))
        children.append(ipywidgets.VBox(list(self.controls.values())))
        if figure is not None:
            children.append(figure.image)
        children.extend(self.outputs.values())
        children.append(self.message)
        self.widget = ipywidgets.VBox(children)
        self._holding = False  # True while set() or update() is changing controls
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.recompute()

    @property
    def values(self):
        """The controls' current values, as a dict name -> value."""
        return {name: control.value for name, control in self.controls.items()}

    def _on_change(self, change):
        if not self._holding:
            self.recompute()

    def recompute(self):
        """Call update with the current values, keep its result, refresh the figure."""
        self._holding = True  # a callback that moves a control must not recurse
        try:
            result = self.update(**self.values)
            if self.figure is not None:
                self.figure.refresh()
        except Exception as error:  # shown to the reader, not swallowed
            self.error = error
            self.message.value = (
                f'<span style="color:#b00020">{html.escape(type(error).__name__)}: '
                f"{html.escape(str(error))}</span>"
            )
            return self.state
        finally:
            self._holding = False
        self.error = None
        self.message.value = ""
        self.state = dict(result) if result is not None else {}
        return self.state

    def set(self, **values):
        """Set several controls at once, recompute once, and return the new state.

        explorer.set(w=2.0, b=-1.0) is what a reader does by dragging two
        sliders; tests and benchmarks use it.
        """
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise ValueError(f"unknown controls {unknown}; this explorer has {list(self.controls)}")
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        return self.recompute()

    def png(self):
        """PNG bytes of the figure as last shown (b"" if there is no figure)."""
        return bytes(self.figure.image.value) if self.figure is not None else b""

    def __repr__(self):
        values = ", ".join(f"{name}={value!r}" for name, value in self.values.items())
        return f"Explorer({self.title or 'untitled'}: {values})"

    def _repr_mimebundle_(self, **kwargs):
        # The live widget for JupyterLab, plus a PNG of the current figure for
        # viewers that cannot run widgets (GitHub shows the image instead).
        # A widget without a figure (a text sampler) leaves its HTML readouts instead.
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        if self.figure is not None:
            bundle["image/png"] = base64.b64encode(self.png()).decode("ascii")
        else:
            parts = [f"<b>{html.escape(self.title)}</b>"] if self.title else []
            parts += [w.value for w in self.outputs.values() if isinstance(w, ipywidgets.HTML)]
            bundle["text/html"] = "\n".join(parts)
        return bundle


def _decimals(step):
    """Digits after the point needed to show multiples of `step`."""
    text = f"{step:.10f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


_STYLE = {"description_width": "8em"}
_LAYOUT = {"width": "32em"}


def slider(value, min, max, step, description, continuous_update=True):
    """A FloatSlider with the book's look; the readout shows as many decimals as `step`.

    Keep continuous_update=True when the callback is cheap (it redraws while
    dragging); pass False for slow ones (it redraws when the mouse is released).
    """
    return ipywidgets.FloatSlider(
        value=value,
        min=min,
        max=max,
        step=step,
        description=description,
        readout_format=f".{_decimals(step)}f",
        continuous_update=continuous_update,
        style=_STYLE,
        layout=_LAYOUT,
    )


def int_slider(value, min, max, step=1, description="", continuous_update=True):
    """An IntSlider with the book's look."""
    return ipywidgets.IntSlider(
        value=value,
        min=min,
        max=max,
        step=step,
        description=description,
        continuous_update=continuous_update,
        style=_STYLE,
        layout=_LAYOUT,
    )


def dropdown(options, value, description):
    """A Dropdown with the book's look; options is a list or a dict label -> value."""
    return ipywidgets.Dropdown(
        options=options, value=value, description=description, style=_STYLE, layout=_LAYOUT
    )
