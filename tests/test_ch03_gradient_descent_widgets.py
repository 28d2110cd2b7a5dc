"""Tests for chapter 03's widgets and figures: build, drive with set(), check the state."""

import warnings

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib.chapters import ch03_gradient_descent as descent
from nnlib.widgets import ch03_gradient_descent as wd

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def lr_explorer():
    return wd.learning_rate_explorer()


@pytest.fixture(scope="module")
def race():
    return wd.descent_race()


@pytest.mark.parametrize(
    "lr, regime", [(0.01, "too slow"), (0.3, "good"), (0.8, "overshooting"), (1.2, "diverging")]
)
def test_lr_explorer_names_the_regime(lr_explorer, lr, regime):
    state = lr_explorer.set(cost="bowl", lr=lr, w0=-1.5, n_steps=20)
    assert lr_explorer.error is None
    assert state["regime"] == regime
    expected, _ = descent.gradient_descent_1d(descent.bowl_slope, -1.5, lr, 20)
    np.testing.assert_allclose(state["path"], expected)


def test_lr_explorer_extremes_show_divergence_without_nan_or_warnings(lr_explorer):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for cost in wd.COSTS_1D:
            for w0 in (-2.0, 2.4):
                state = lr_explorer.set(cost=cost, lr=10**0.5, w0=w0, n_steps=60)
                assert lr_explorer.error is None
                assert state["status"] == "diverged"
                assert state["label"].startswith("diverged after ")
                assert np.all(np.isfinite(state["path"])) and np.all(np.isfinite(state["L"]))
            state = lr_explorer.set(lr=1e-3, n_steps=1)
            assert state["regime"] == "too slow" and len(state["path"]) == 2
    assert lr_explorer.png()[:8] == PNG_MAGIC


def test_start_decides_the_valley(lr_explorer):
    left, right = descent.two_valleys_minima()
    state = lr_explorer.set(cost="two valleys", lr=0.1, w0=-0.3, n_steps=60)
    assert state["w_final"] == pytest.approx(left, abs=1e-3)
    state = lr_explorer.set(w0=0.6)
    assert state["w_final"] == pytest.approx(right, abs=1e-3)


def test_race_defaults_and_all_optimizers(race):
    state = race.set(
        gd=True, sgd=True, momentum=True, adam=True, lr=1.0, batch_size=16, n_steps=100
    )
    assert race.error is None and set(state) == {"gd", "sgd", "momentum", "adam"}
    assert state["sgd"]["examples"] == 100 * 16 and state["gd"]["examples"] == 100 * 2115
    assert state["momentum"]["final_cost"] < 0.18 and state["adam"]["final_cost"] < 0.18
    assert state["gd"]["final_cost"] > 0.25
    x, t = descent.load_zeros_and_ones()
    gd = descent.run_optimizer_on_surface(x, t, descent.START, "gd", 1.0, 100)
    np.testing.assert_allclose(state["gd"]["path"], gd["path"])


def test_race_steps_slider_slices_the_same_run(race):
    long = race.set(gd=True, sgd=True, momentum=False, adam=False, lr=1.0, n_steps=150)
    short = race.set(n_steps=40)
    assert set(short) == {"gd", "sgd"}
    for name in ("gd", "sgd"):
        np.testing.assert_array_equal(short[name]["path"], long[name]["path"][:41])


def test_race_extremes_never_nan(race):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        state = race.set(gd=True, sgd=True, momentum=True, adam=True, lr=10.0, batch_size=1)
        for run in state.values():
            assert np.all(np.isfinite(run["path"])) and np.isfinite(run["final_cost"])
        state = race.set(lr=0.01, n_steps=1, batch_size=256)
        assert all(len(run["path"]) == 2 for run in state.values())
        assert race.set(gd=False, sgd=False, momentum=False, adam=False) == {}
    assert race.error is None and race.png()[:8] == PNG_MAGIC


@pytest.mark.parametrize(
    "make",
    [
        wd.step_rule_figure,
        wd.regimes_figure,
        wd.two_valleys_figure,
        lambda: wd.gradient_arrows_figure(n=3),
    ],
)
def test_figures_build(make):
    assert isinstance(make(), Figure)
