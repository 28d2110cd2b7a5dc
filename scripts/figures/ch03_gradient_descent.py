"""Figures of chapter 03 (gradient descent), drawn by nnlib.widgets.ch03_gradient_descent.

The 2-D figures descend the real cost of "is this digit a 0?" from its ink, on the
0s and 1s among the bundled MNIST test digits, from the widgets' start (w, b) = (-2, 4),
with the same settings as the chapter: 200 steps (100 for momentum and Adam). GD against SGD
repeats the notebook's own loops and batch draws (tests/test_figures_ch03.py compares them).
"""

import numpy as np

from nnlib.chapters import ch03_gradient_descent as descent
from nnlib.widgets import ch03_gradient_descent as descent_widgets


def _runs(names, n_steps=200, lr=1.0, batch_size=16):
    x, t, *_ = descent_widgets.surface()
    return {
        name: descent.run_optimizer_on_surface(
            x, t, descent.START, name, lr, n_steps, batch_size, np.random.default_rng(0)
        )
        for name in names
    }


def notebook_gd_and_sgd(lr=3.0, n_steps=200, batch_size=16):
    """Section 9's two runs, step for step as the notebook does them: full-batch GD, and SGD on
    batches drawn with rng.choice from the chapter's generator, default_rng(0), after it has
    drawn the five sample batches the section looks at first. -> {"gd": run, "sgd": run}."""
    x, y = descent.load_zeros_and_ones()
    rng = np.random.default_rng(0)
    for _ in range(5):  # the five mini-batch gradients compared with the full one
        rng.choice(len(x), size=batch_size, replace=False)
    gd, sgd = [descent.START.copy()], [descent.START.copy()]
    for _ in range(n_steps):
        gd.append(gd[-1] - lr * descent.logistic_gradient(gd[-1], x, y))
    for _ in range(n_steps):
        idx = rng.choice(len(x), size=batch_size, replace=False)
        sgd.append(sgd[-1] - lr * descent.logistic_gradient(sgd[-1], x[idx], y[idx]))
    return {
        "gd": {"path": np.array(gd), "examples": n_steps * len(x)},
        "sgd": {"path": np.array(sgd), "examples": n_steps * batch_size},
    }


def gd_vs_sgd():
    """Full-batch GD against SGD on mini-batches of 16: a jagged path that still gets there."""
    runs = notebook_gd_and_sgd()
    return descent_widgets.race_figure(runs, "GD vs SGD (batch 16), lr = 3", against="examples")


def momentum_adam():
    """Plain GD crawls along the valley; momentum and Adam get to its bottom."""
    runs = _runs(["gd", "momentum", "adam"], n_steps=100)
    return descent_widgets.race_figure(runs, "GD, momentum and Adam, lr = 1, 100 steps")


FIGURES = {
    "03_step_rule": descent_widgets.step_rule_figure,
    "03_lr_regimes": descent_widgets.regimes_figure,
    "03_two_valleys": descent_widgets.two_valleys_figure,
    "03_gradient_arrows": descent_widgets.gradient_arrows_figure,
    "03_gd_vs_sgd": gd_vs_sgd,
    "03_momentum_adam": momentum_adam,
}
