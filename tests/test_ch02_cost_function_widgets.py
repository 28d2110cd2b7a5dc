"""Tests for chapter 02's widgets and figures: build, drive with set(), check the state."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib.chapters import ch02_cost_function as cost
from nnlib.widgets import ch02_cost_function as cost_widgets


@pytest.fixture(scope="module")
def data():
    return cost.tiny_data(np.random.default_rng(0))


@pytest.fixture(scope="module")
def landscape(data):
    """One landscape explorer for the tests below (building one computes 21 landscapes)."""
    return cost_widgets.landscape_explorer(*data)


def test_landscape_explorer_follows_the_sliders(data, landscape):
    x, l = data
    ex = landscape
    assert ex.error is None
    state = ex.set(first="w2[0]", second="b2", value_first=5.0, value_second=-2.0)
    assert state["pair"] == (4, 6)
    theta = cost.TINY_GOOD_THETA.copy()
    theta[4], theta[6] = 5.0, -2.0
    assert np.allclose(state["theta"], theta)
    assert np.isclose(state["cost"], cost.tiny_cost(theta, x, l))
    assert ex.png()[:8] == b"\x89PNG\r\n\x1a\n"


def test_landscape_explorer_changes_pair(data, landscape):
    x, l = data
    ex = landscape
    state = ex.set(first="b1[0]", second="w1[1]", value_first=1.0, value_second=2.0)
    assert ex.error is None and state["pair"] == (2, 1)
    theta = cost.TINY_GOOD_THETA.copy()
    theta[2], theta[1] = 1.0, 2.0
    assert np.isclose(state["cost"], cost.tiny_cost(theta, x, l))
    # The same parameter twice draws a message instead of a landscape; nothing raises.
    state = ex.set(second="b1[0]")
    assert ex.error is None and state["pair"] == (2, 2)
    assert np.isfinite(state["cost"])


def test_landscape_explorer_extremes_are_finite(landscape):
    ex = landscape
    ex.set(second="b2")
    for name in ("w1[0]", "b1[1]"):
        for v1, v2 in [(-12.0, -12.0), (12.0, 12.0)]:
            state = ex.set(first=name, value_first=v1, value_second=v2)
            assert ex.error is None
            assert np.isfinite(state["cost"]) and 0 <= state["cost"] <= 1


def test_cost_explorer_numbers():
    ex = cost_widgets.cost_explorer()
    state = ex.set(digit=3, p=0.5, spread=0.0)
    assert ex.error is None
    assert np.isclose(state["outputs"][3], 0.5) and np.isclose(state["outputs"][8], 0.5)
    assert np.isclose(state["mse"], 0.5)  # (0.5 - 1)^2 + 0.5^2
    assert np.isclose(state["cross_entropy"], np.log(2))
    even = ex.set(spread=1.0)
    assert np.isclose(even["cross_entropy"], np.log(2))  # cross-entropy ignores the spread
    assert even["mse"] < 0.5  # the squared cost does not
    assert np.allclose(even["squared"].sum(), even["mse"])


def test_cost_explorer_extremes_never_nan():
    ex = cost_widgets.cost_explorer()
    for digit, p, spread in [(0, 0.01, 0.0), (9, 0.01, 1.0), (0, 1.0, 0.0), (9, 1.0, 1.0)]:
        state = ex.set(digit=digit, p=p, spread=spread)
        assert ex.error is None
        assert np.all(np.isfinite(state["outputs"]))
        assert np.isfinite(state["mse"]) and np.isfinite(state["cross_entropy"])
    state = ex.set(p=1.0)
    assert state["mse"] == 0.0 and state["cross_entropy"] == 0.0


def test_rival_is_never_the_digit_itself():
    assert all(cost_widgets.RIVAL[d] != d for d in range(10))
    assert sorted(cost_widgets.RIVAL) == list(range(10))


def test_figures_build(data):
    x, l = data
    y = np.eye(10)[3]
    a = np.full(10, 0.5)
    for fig in (
        cost_widgets.one_example_figure(a, y),
        cost_widgets.slowdown_figure(),
        cost_widgets.landscape_figure(x, l),
    ):
        assert isinstance(fig, Figure)
        assert len(fig.axes) >= 2
    with pytest.raises(ValueError, match="same shape"):
        cost_widgets.landscape_figure(x, l[:-1])
