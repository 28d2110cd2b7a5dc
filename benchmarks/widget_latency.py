"""How long a widget takes to respond when a reader moves a control.

    python benchmarks/widget_latency.py            # every registered widget
    python benchmarks/widget_latency.py neuron     # builders whose name contains "neuron"

For each builder in WIDGETS this script builds the Explorer, walks its controls,
and sets each one to a few values across its range with explorer.set(...),
timing each call: the chapter's update callback plus the figure refresh (PNG
bytes ready to send). It prints the median and 90th percentile per widget and
PASS when the 90th percentile is within TARGET_MS. Exit status 1 if any widget fails.

To add your chapter's widgets, add ONE line per builder to WIDGETS below:
"module:function", where function() takes no arguments and returns an
nnlib.widgets.Explorer (e.g. "nnlib.widgets.neuron:neuron_explorer").
"""

import importlib
import sys
import time

import ipywidgets
import numpy as np

TARGET_MS = 50.0
# Widgets whose every change trains a network: they show a progress bar instead, and must
# answer within a couple of seconds.
TRAINING_TARGET_MS = {"nnlib.widgets.backprop:hyperparameter_panel": 3000.0}
VALUES_PER_CONTROL = 6

WIDGETS = [
    "nnlib.widgets:function_explorer",
    "nnlib.widgets.cost:landscape_explorer",
    "nnlib.widgets.cost:cost_explorer",
    "nnlib.widgets.neuron:neuron_playground",
    "nnlib.widgets.neuron:digit_viewer",
    "nnlib.widgets.descent:learning_rate_explorer",
    "nnlib.widgets.descent:descent_race",
    "nnlib.widgets.backprop:nudge_explorer",
    "nnlib.widgets.backprop:hyperparameter_panel",
    "nnlib.widgets.attention:attention_explorer",
    "nnlib.widgets.attention:sharpness_explorer",
    "nnlib.widgets.gpt:next_token_explorer",
    "nnlib.widgets.tokens:tokenizer_explorer",
    "nnlib.widgets.tokens:neighbour_explorer",
]


def values_to_try(control, n=VALUES_PER_CONTROL):
    """A few values across a control's range (sliders), each option (dropdowns), or what a
    reader types (text boxes: the current text growing one character at a time)."""
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
    """Times in ms of every control change, and the build time."""
    module_name, function_name = builder.split(":")
    make = getattr(importlib.import_module(module_name), function_name)
    start = time.perf_counter()
    explorer = make()
    build_ms = (time.perf_counter() - start) * 1000
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
    return build_ms, np.array(times)


def main(argv):
    chosen = [w for w in WIDGETS if not argv or any(a in w for a in argv)]
    print(
        f"{'widget':<52} {'build ms':>9} {'changes':>8} {'median':>8} {'p90':>8}  "
        f"p90 <= {TARGET_MS:g} ms?"
    )
    failed = 0
    for builder in chosen:
        build_ms, times = measure(builder)
        median, p90 = np.median(times), np.percentile(times, 90)
        target = TRAINING_TARGET_MS.get(builder, TARGET_MS)
        ok = p90 <= target
        failed += not ok
        verdict = "PASS" if ok else "FAIL"
        if target != TARGET_MS:
            verdict += f" (it trains: target {target:g} ms)"
        print(f"{builder:<52} {build_ms:9.1f} {len(times):8d} {median:8.1f} {p90:8.1f}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
