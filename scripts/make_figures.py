"""Regenerate figures/ : the one command for every figure of the book.

    python scripts/make_figures.py            # every chapter
    python scripts/make_figures.py --only 03  # names starting with 03

Each chapter has a module scripts/figures/chNN_<topic>.py exposing
FIGURES = {"NN_name": function_returning_Figure}. To add yours, add ONE line to
MODULES below. Every figure is written to figures/NN_name.png by
nnlib.plot.savefig (fixed dpi, no metadata: same figure, same bytes).
"""

import argparse
import importlib
import sys
import time
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
sys.path.insert(0, str(SCRIPTS))  # so that `figures.chNN_...` is scripts/figures/, a package

from nnlib import plot  # noqa: E402

MODULES = [
    "figures.ch00_start_here",
    "figures.ch02_cost_function",
    "figures.ch01_neuron",
    "figures.ch03_gradient_descent",
    "figures.ch04_backpropagation",
    "figures.ch06_attention",
    "figures.ch07_gpt",
    "figures.ch05_tokens_and_embeddings",
]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="regenerate only names starting with this")
    args = parser.parse_args(argv)
    written = 0
    for module_name in MODULES:
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
