"""Tests for nnlib.widgets.ch00_start_here: the first widget, y = w x + b, and its figure."""

from nnlib.widgets.ch00_start_here import function_explorer, function_family


def test_function_explorer_moves_the_line_and_reports_y_at_1():
    explorer = function_explorer()
    assert explorer.state == {"y_at_1": 1.0}
    before = explorer.png()
    assert explorer.set(w=2.0, b=-0.5) == {"y_at_1": 1.5}
    assert explorer.png() != before


def test_function_family_draws_one_line_per_slope():
    assert len(function_family(ws=(1.0, 2.0)).axes[0].lines) == 2
