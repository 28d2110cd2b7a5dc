"""Regenerate figures/ : the one command for every figure of the book.

    python scripts/make_figures.py            # every chapter
    python scripts/make_figures.py --only 03  # names starting with 03

Each chapter NN_topic has a module scripts/figures/chNN_topic.py exposing
FIGURES = {"NN_name": function_returning_Figure}; every such file is found by its name,
in chapter order, so a new chapter adds its file and nothing else. Every figure is written
to figures/NN_name.png by nnlib.plot.savefig (fixed dpi, no metadata: same figure, same
bytes).
"""

import argparse
import importlib
import sys
import time
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
sys.path.insert(0, str(SCRIPTS))  # so that `figures.chNN_...` is scripts/figures/, a package

from nnlib import plot  # noqa: E402


def figure_modules():
    """The figure scripts of every chapter, scripts/figures/chNN_topic.py, in chapter order."""
    return [f"figures.{path.stem}" for path in sorted((SCRIPTS / "figures").glob("ch[0-9]*.py"))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="regenerate only names starting with this")
    args = parser.parse_args(argv)
    written = 0
    for module_name in figure_modules():
        module = importlib.import_module(module_name)
        for name, make in module.FIGURES.items():
            if not name.startswith(args.only):
                continue
            start = time.perf_counter()
            path = plot.savefig(make(), name)
            written += 1
            print(f"{time.perf_counter() - start:5.1f} s  {path.relative_to(SCRIPTS.parent)}")
    if written == 0:
        raise SystemExit(f"no figure name starts with {args.only!r}")
    print(f"wrote {written} figure(s)")


if __name__ == "__main__":
    main()
