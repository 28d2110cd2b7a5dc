"""Chapter 03's GD-against-SGD figure draws the very paths its notebook prints.

scripts/figures/ch03_gradient_descent.py repeats section 9's two loops with the chapter's
generator; this test compares where they end with the outputs stored in
notebooks/03_gradient_descent.ipynb.
"""

import ast

from nnlib.chapters import ch03_gradient_descent as descent


def test_the_figures_gd_and_sgd_paths_end_where_the_notebooks_do(figure_script, stored_output):
    def stored(starts_with):
        text = stored_output("03_gradient_descent", starts_with)
        return ast.literal_eval(text.replace("array(", "("))

    script = figure_script("ch03_gradient_descent")
    runs = script.notebook_gd_and_sgd()
    x, y = descent.load_zeros_and_ones()
    sgd_cost, examples = stored("theta = START.copy()\nsgd_path = [theta]")
    assert round(float(descent.logistic_cost(runs["sgd"]["path"][-1], x, y)), 4) == sgd_cost
    assert runs["sgd"]["examples"] == examples
    gd_end, gd_cost = stored("lr, n_steps = 3.0, 200")
    assert [round(float(v), 3) for v in runs["gd"]["path"][-1]] == list(gd_end)
