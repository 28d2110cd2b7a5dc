"""Chapter 03's GD-against-SGD figure draws the very paths its notebook prints.

scripts/figures/ch03_gradient_descent.py repeats section 9's two loops with the chapter's
generator; this test compares where they end with the outputs stored in
notebooks/03_gradient_descent.ipynb.
"""

import ast
import importlib
import sys
from pathlib import Path

import nbformat

from nnlib.chapters import ch03_gradient_descent as descent

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "03_gradient_descent.ipynb"


def stored(starts_with):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    found = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith(starts_with)]
    assert len(found) == 1, f"expected one cell starting {starts_with!r}, found {len(found)}"
    text = [o["data"]["text/plain"] for o in found[0].outputs if "data" in o][-1]
    return ast.literal_eval(text.replace("array(", "(").replace(")", ")"))


def test_the_figures_gd_and_sgd_paths_end_where_the_notebooks_do():
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        script = importlib.import_module("figures.ch03_gradient_descent")
    finally:
        sys.path.remove(str(REPO / "scripts"))
    runs = script.notebook_gd_and_sgd()
    x, y = descent.load_zeros_and_ones()
    sgd_cost, examples = stored("theta = START.copy()\nsgd_path = [theta]")
    assert round(float(descent.logistic_cost(runs["sgd"]["path"][-1], x, y)), 4) == sgd_cost
    assert runs["sgd"]["examples"] == examples
    gd_end, gd_cost = stored("lr, n_steps = 3.0, 200")
    assert [round(float(v), 3) for v in runs["gd"]["path"][-1]] == list(gd_end)
