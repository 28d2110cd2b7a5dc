"""Every notebook is a pair (.py source + executed .ipynb) that agree, and the .ipynb is clean.

Re-executing and comparing outputs is nbval's job (pytest --nbval, configured in
pyproject.toml); these checks are the cheap structural ones that nbval does not do.
`jupytext --diff` always exits 0, so agreement is checked here cell by cell.
"""

from pathlib import Path

import jupytext
import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
IGNORE_OUTPUT = "nbval-ignore-output"

STEMS = sorted(
    {p.stem for p in NOTEBOOKS.glob("*.ipynb")} | {p.stem for p in NOTEBOOKS.glob("*.py")}
)


def cells(path):
    """(type, source, tags) of each cell as jupytext reads the file, outputs and ids ignored."""
    nb = jupytext.read(path)
    return [
        (cell.cell_type, cell.source.strip(), sorted(cell.metadata.get("tags", [])))
        for cell in nb.cells
    ]


def test_there_are_notebooks():
    assert "00_start_here" in STEMS


@pytest.mark.parametrize("stem", STEMS)
def test_pair_exists_and_cells_agree(stem):
    py, ipynb = NOTEBOOKS / f"{stem}.py", NOTEBOOKS / f"{stem}.ipynb"
    assert py.exists(), f"{ipynb.name} has no paired {py.name}"
    assert ipynb.exists(), (
        f"{py.name} has no {ipynb.name}: run python scripts/run_notebooks.py {stem}"
    )
    from_py, from_ipynb = cells(py), cells(ipynb)
    for i, (a, b) in enumerate(zip(from_py, from_ipynb, strict=False)):
        assert a == b, (
            f"cell {i} differs between {py.name} and {ipynb.name}; "
            f"run python scripts/run_notebooks.py {stem}\n.py:    {a}\n.ipynb: {b}"
        )
    assert len(from_py) == len(from_ipynb), (
        f"{py.name} has {len(from_py)} cells, {ipynb.name} has {len(from_ipynb)}"
    )


@pytest.mark.parametrize("stem", sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")))
def test_ipynb_executed_in_order_without_errors(stem):
    nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code" and cell.source.strip()]
    counts = [cell.execution_count for cell in code]
    assert counts == list(range(1, len(code) + 1)), (
        f"{stem}.ipynb was not run top to bottom in a fresh kernel (execution counts {counts}); "
        f"run python scripts/run_notebooks.py {stem}"
    )
    for i, cell in enumerate(code):
        errors = [out for out in cell.outputs if out.output_type == "error"]
        assert not errors, f"{stem}.ipynb code cell {i} has an error output: {errors[0].ename}"


@pytest.mark.parametrize("stem", sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")))
def test_ignored_outputs_are_widgets_or_checked_by_an_assert(stem):
    """Only two kinds of cell may skip nbval's output comparison.

    Widget cells (their model ids differ on every run) must be tagged. Any other tagged
    cell holds numbers that depend on training or on which MNIST set is present; the
    code cell right after it must check them with an `assert`, so a wrong number still
    fails loudly. Everything else must reproduce exactly: seed randomness instead.
    """
    nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    for i, cell in enumerate(code):
        has_widget = any(WIDGET_VIEW in out.get("data", {}) for out in cell.outputs)
        tagged = IGNORE_OUTPUT in cell.metadata.get("tags", [])
        assert tagged or not has_widget, (
            f"{stem}.ipynb code cell {i} shows a widget but lacks the tag {IGNORE_OUTPUT}"
        )
        if tagged and not has_widget:
            following = code[i + 1].source if i + 1 < len(code) else ""
            assert "assert " in following, (
                f"{stem}.ipynb code cell {i} is tagged {IGNORE_OUTPUT} but shows no widget, "
                "and the next code cell has no assert checking its numbers; seed randomness, "
                "or follow it with an assert cell that checks the numbers lie in a stated range"
            )
