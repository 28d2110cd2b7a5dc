"""Imports run one way: from the book (widgets, chapters) down to the library, never back.

    nnlib/widgets/*   may import chapters and the library
    nnlib/exercises/* may import chapters and the library (their checkers use the chapter's math)
    nnlib/chapters/*  may import the library, never a widget
    nnlib/*.py        the library: never a chapter or a widget; functional imports no nnlib

Every import is read with ast, those inside function bodies included, and the graph of
nnlib's modules must have no cycle.
"""

import ast
from pathlib import Path

import pytest

NNLIB = Path(__file__).resolve().parents[1] / "nnlib"


def module_of(path):
    parts = path.relative_to(NNLIB.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_of(p): p for p in sorted(NNLIB.rglob("*.py"))}


def nnlib_imports(path):
    """The nnlib modules a file imports, anywhere in it: {module: line}."""
    found = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from nnlib import tensor` imports the module nnlib.tensor
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name.startswith("nnlib") and name != "nnlib":
                found.setdefault(name, node.lineno)
    return found


GRAPH = {m: nnlib_imports(p) for m, p in MODULES.items()}


def kind(module):
    if module.startswith("nnlib.widgets"):
        return "widget"
    if module.startswith("nnlib.chapters"):
        return "chapter"
    if module.startswith("nnlib.exercises"):
        return "exercise"
    return "library"


ALLOWED = {
    "library": {"library"},
    "chapter": {"library", "chapter"},
    "widget": {"library", "chapter", "widget"},
    "exercise": {"library", "chapter", "exercise"},
}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_from_the_book_down_to_the_library(module):
    wrong = [
        f"{target} (line {line})"
        for target, line in GRAPH[module].items()
        if target != module and kind(target) not in ALLOWED[kind(module)]
    ]
    assert not wrong, f"{module} ({kind(module)}) imports against the direction: {wrong}"


def test_functional_imports_nothing_from_nnlib():
    assert GRAPH["nnlib.functional"] == {}, GRAPH["nnlib.functional"]


def test_chapter_modules_import_no_other_chapter():
    for module, targets in GRAPH.items():
        if kind(module) == "chapter":
            others = [
                t for t in targets if kind(t) == "chapter" and t not in (module, "nnlib.chapters")
            ]
            assert not others, f"{module} imports {others}: shared math belongs in the library"


def test_no_import_cycle():
    state = {}  # module -> "open" while on the path, "done" after

    def visit(module, path):
        state[module] = "open"
        for target in GRAPH.get(module, {}):
            if target == module or target not in GRAPH:
                continue
            if state.get(target) == "open":
                cycle = path[path.index(target) :] + [target]
                pytest.fail(f"import cycle: {' -> '.join(cycle)}")
            if target not in state:
                visit(target, path + [target])
        state[module] = "done"

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])


def test_the_checker_sees_imports_inside_functions(tmp_path):
    path = tmp_path / "example.py"
    path.write_text("def f():\n    from nnlib.tensor import Tensor\n    return Tensor\n")
    assert nnlib_imports(path) == {"nnlib.tensor": 2}
