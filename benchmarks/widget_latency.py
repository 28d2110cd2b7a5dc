"""How long a widget takes to respond when a reader moves a control.

    python benchmarks/widget_latency.py            # every chapter's widgets
    python benchmarks/widget_latency.py neuron     # builders whose name contains "neuron"

The widgets are found by convention: a builder is a public function of a chapter's widget
module, nnlib/widgets/chNN_topic.py, that needs no argument and returns an
nnlib.widgets.Explorer, so a new chapter's widgets are measured without registering them.
For each builder this script builds the Explorer, walks its controls,
and sets each one to a few values across its range with explorer.set(...),
timing each call: the chapter's update callback plus the figure refresh (PNG
bytes ready to send). It prints the median and 90th percentile per widget and
PASS when the 90th percentile is within TARGET_MS. Exit status 1 if any widget fails.
"""

import importlib
import inspect
import sys
import time
from pathlib import Path

import ipywidgets
import numpy as np

from nnlib.drawing import example_three
from nnlib.widgets import Explorer
from nnlib.widgets.canvas import DrawingCanvas

TARGET_MS = 50.0
# A panel whose every slider acts on release (continuous_update=False) does real work on each
# change, training a network or sampling text, and shows a progress bar meanwhile: the budget
# table allows it 3 s. The widget says so itself; nothing is listed here.
ON_RELEASE_TARGET_MS = 3000.0


def target_ms(explorer):
    """3 s for a panel whose sliders all act on release, else 50 ms."""
    flags = [
        c.continuous_update for c in explorer.controls.values() if hasattr(c, "continuous_update")
    ]
    return ON_RELEASE_TARGET_MS if flags and not any(flags) else TARGET_MS


VALUES_PER_CONTROL = 6

WIDGETS_DIR = Path(__file__).resolve().parents[1] / "nnlib" / "widgets"


def builders():
    """Every chapter widget module's functions that need no argument, as "module:function"."""
    found = []
    for path in sorted(WIDGETS_DIR.glob("ch[0-9]*.py")):
        module = importlib.import_module(f"nnlib.widgets.{path.stem}")
        for name, function in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(function):
                continue
            if function.__module__ != module.__name__:
                continue  # imported from elsewhere
            required = [
                p
                for p in inspect.signature(function).parameters.values()
                if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
            ]
            if not required:
                found.append(f"{module.__name__}:{name}")
    return found


def drawing_as_it_grows(n):
    """What a drawing canvas receives while a reader draws a 3: the strokes as sent every 100 ms,
    n drawings each a few points longer, then the empty canvas of the Clear button."""
    three = example_three()
    points = [(k, i) for k, stroke in enumerate(three) for i in range(len(stroke))]
    drawings = []
    for cut in np.linspace(2, len(points), n - 1).astype(int):
        strokes = {}
        for k, i in points[:cut]:
            strokes.setdefault(k, []).append(three[k][i])
        drawings.append(list(strokes.values()))
    return drawings + [[]]


def values_to_try(control, n=VALUES_PER_CONTROL):
    """A few values across a control's range (sliders), each option (dropdowns), what a
    reader types (text boxes: the current text growing one character at a time), or draws
    (a drawing canvas: a 3 growing stroke by stroke, then cleared)."""
    if isinstance(control, DrawingCanvas):
        return drawing_as_it_grows(n)
    if isinstance(control, ipywidgets.FloatLogSlider):  # min and max are exponents
        return [float(control.base**e) for e in np.linspace(control.min, control.max, n)]
    if isinstance(control, (ipywidgets.Text, ipywidgets.Textarea)):
        text = control.value or "the"
        return [text[:k] for k in range(max(len(text) - n, 0), len(text) + 1)]
    if isinstance(control, (ipywidgets.FloatSlider, ipywidgets.IntSlider)):
        values = np.linspace(control.min, control.max, n)
        if isinstance(control, ipywidgets.IntSlider):
            return sorted({int(round(v)) for v in values})
        return [float(v) for v in values]
    if hasattr(control, "options") and len(control.options):
        return list(control._options_values)[:n]  # values, also when options are (label, value)
    if isinstance(control, ipywidgets.Checkbox):
        return [not control.value, control.value]
    return []  # text boxes etc.: nothing generic to try


def measure(builder):
    """(build time, times in ms of every control change, target ms); None if not an Explorer."""
    module_name, function_name = builder.split(":")
    make = getattr(importlib.import_module(module_name), function_name)
    start = time.perf_counter()
    explorer = make()
    build_ms = (time.perf_counter() - start) * 1000
    if not isinstance(explorer, Explorer):
        return None  # a figure or a helper: nothing to move
    times = []
    for name, control in explorer.controls.items():
        start_value = control.value
        for value in values_to_try(control):
            start = time.perf_counter()
            explorer.set(**{name: value})
            times.append((time.perf_counter() - start) * 1000)
            typing = isinstance(control, (ipywidgets.Text, ipywidgets.Textarea))
            if explorer.error is not None and not typing:  # half-typed words may show a message
                raise RuntimeError(f"{builder}: {name}={value!r} raised {explorer.error!r}")
        explorer.set(**{name: start_value})
    return build_ms, np.array(times), target_ms(explorer)


def main(argv):
    chosen = [w for w in builders() if not argv or any(a in w for a in argv)]
    print(
        f"{'widget':<64} {'build ms':>9} {'changes':>8} {'median':>8} {'p90':>8}  "
        f"p90 <= {TARGET_MS:g} ms?"
    )
    failed = 0
    for builder in chosen:
        measured = measure(builder)
        if measured is None:
            continue
        build_ms, times, target = measured
        median, p90 = np.median(times), np.percentile(times, 90)
        ok = p90 <= target
        failed += not ok
        verdict = "PASS" if ok else "FAIL"
        if target != TARGET_MS:
            verdict += f" (acts on release: target {target:g} ms)"
        print(f"{builder:<64} {build_ms:9.1f} {len(times):8d} {median:8.1f} {p90:8.1f}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
