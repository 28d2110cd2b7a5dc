"""Rebuild each notebook's .ipynb from its .py and execute it in place.

    python scripts/run_notebooks.py                 # every notebooks/*.py
    python scripts/run_notebooks.py 01_neuron 03    # names, prefixes or paths

The py:percent file is the source (what reviewers read). For each notebook this
script reads it with jupytext (cell tags written as `# %% tags=["nbval-ignore-output"]`
are kept), runs it top to bottom in a fresh kernel with nbclient (working folder
notebooks/, no MPLBACKEND in the kernel's environment, widget state stored so
widgets render from the saved file), prints how many seconds it took and writes
the executed .ipynb. A cell error stops that notebook, leaves its old .ipynb
untouched, and makes the script exit with status 1.
"""

import os
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def find_sources(names):
    """The notebooks/*.py files named by `names` (all of them if names is empty)."""
    every = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))
    if not names:
        return every
    chosen = []
    for name in names:
        stem = Path(name).name.removesuffix(".py").removesuffix(".ipynb")
        matches = [p for p in every if p.stem == stem or p.stem.startswith(stem)]
        if not matches:
            raise SystemExit(f"no notebook matches {name!r}; have {[p.stem for p in every]}")
        chosen.extend(m for m in matches if m not in chosen)
    return chosen


def build(source):
    """Read the .py with jupytext into a fresh notebook with stable cell ids."""
    nb = jupytext.read(source)
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata.setdefault("language_info", {"name": "python"})
    nb.metadata.pop("jupytext", None)  # pairing is set once, in jupytext.toml
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:03d}"  # stable ids: re-running gives small diffs
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def execute(nb):
    """Run every cell in a fresh python3 kernel whose working folder is notebooks/."""
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=600,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
        store_widget_state=True,
        record_timing=False,
    )
    client.execute()
    return nb


def main(argv):
    os.environ.pop("MPLBACKEND", None)  # the kernel inherits this environment
    failed = []
    for source in find_sources(argv):
        target = source.with_suffix(".ipynb")
        start = time.perf_counter()
        try:
            nb = execute(build(source))
        except CellExecutionError as error:
            print(f"FAILED {source.name} after {time.perf_counter() - start:.1f} s:\n{error}")
            failed.append(source.name)
            continue
        nbformat.validate(nb)
        nbformat.write(nb, target)
        print(f"{time.perf_counter() - start:6.1f} s  {target.relative_to(ROOT)}")
    if failed:
        print(f"{len(failed)} notebook(s) failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
