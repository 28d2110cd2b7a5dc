"""A chapter's key, NN_topic, leads to all of its parts, and nothing is registered by hand.

    notebooks/NN_topic.py (+ .ipynb)      the chapter
    nnlib/chapters/chNN_topic.py          its math          tests/test_chNN_topic.py
    nnlib/widgets/chNN_topic.py           its widgets       tests/test_chNN_topic_widgets.py
    scripts/figures/chNN_topic.py         its figures       figures/NN_*.png
    nnlib/exercises/chNN_topic.py         its exercises     tests/test_chNN_topic_exercises.py
    solutions/chNN_topic.py               their worked solutions (outside the package)

A notebook may lack a chapter module (or a widget module) only if it imports none; every
module under those names belongs to a notebook, has its tests, and holds real code. The one
exception: a shared widget piece, nnlib/widgets/NAME.py, tested in tests/test_widgets_NAME.py.
"""

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
KEYS = sorted(p.stem for p in (REPO / "notebooks").glob("[0-9][0-9]_*.py"))
PARTS = {  # kind -> (folder, test file suffix)
    "chapters": (REPO / "nnlib" / "chapters", ""),
    "widgets": (REPO / "nnlib" / "widgets", "_widgets"),
    "exercises": (REPO / "nnlib" / "exercises", "_exercises"),
}


def module_name(key):
    return f"ch{key}"


def imported_modules(path):
    """Every module a Python file imports, function bodies included, as dotted names."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def defines_something(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    kinds = (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)
    return any(isinstance(node, kinds) for node in tree.body)


def test_every_notebook_has_a_key():
    assert KEYS, "no notebooks/NN_topic.py found"
    for key in KEYS:
        assert (REPO / "notebooks" / f"{key}.ipynb").is_file(), f"{key}.py has no .ipynb twin"
        assert key.isascii() and key == key.lower() and " " not in key, key


@pytest.mark.parametrize("kind", sorted(PARTS))
@pytest.mark.parametrize("key", KEYS)
def test_a_notebook_uses_only_its_own_module_of_each_kind(key, kind):
    folder, _ = PARTS[kind]
    own = f"nnlib.{kind}.{module_name(key)}"
    used = {
        m
        for m in imported_modules(REPO / "notebooks" / f"{key}.py")
        if m.startswith(f"nnlib.{kind}.ch")
    }
    if not (folder / f"{module_name(key)}.py").is_file():
        assert not used, f"notebook {key} imports {sorted(used)} but has no {own}"
    else:
        assert used <= {own}, f"notebook {key} imports another chapter's {kind}: {sorted(used)}"


@pytest.mark.parametrize("kind", sorted(PARTS))
def test_every_module_belongs_to_a_notebook_and_has_tests(kind):
    folder, suffix = PARTS[kind]
    modules = sorted(folder.glob("ch*.py"))
    assert modules, f"no modules in {folder}"
    for path in modules:
        key = path.stem.removeprefix("ch")
        assert key in KEYS, f"{path.relative_to(REPO)} has no notebook notebooks/{key}.py"
        assert defines_something(path), f"{path.relative_to(REPO)} is an empty placeholder"
        test = REPO / "tests" / f"test_{path.stem}{suffix}.py"
        assert test.is_file(), f"{path.relative_to(REPO)} has no tests: expected {test.name}"
    others = [p for p in folder.glob("*.py") if not p.name.startswith(("ch", "__init__"))]
    if kind == "widgets":
        # A widget module without a chapter key is a piece any chapter may build on, as the
        # Explorer of __init__ is (the drawing canvas): it needs tests of its own. Chapter math
        # has no such place: what two chapters share belongs in the library.
        untested = [
            p.name for p in others if not (REPO / "tests" / f"test_widgets_{p.stem}.py").is_file()
        ]
        assert not untested, f"shared widget modules without tests/test_widgets_NAME.py: {untested}"
    else:
        names = [p.name for p in others]
        assert not names, f"{folder.relative_to(REPO)} holds modules without a chapter key: {names}"


def test_every_exercise_module_has_its_worked_solutions_and_nothing_else_is_in_solutions():
    modules = {p.stem for p in (REPO / "nnlib" / "exercises").glob("ch*.py")}
    solutions = {p.stem for p in (REPO / "solutions").glob("*.py")}
    assert modules == solutions, (
        f"exercises without solutions or the reverse: {modules ^ solutions}"
    )


def figure_names(path):
    """The keys of the FIGURES dict a figure script defines."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", "") for t in node.targets] == [
            "FIGURES"
        ]:
            return [k.value for k in node.value.keys]
    return []


def test_every_figure_script_belongs_to_a_notebook_and_names_its_figures_by_key():
    scripts = sorted((REPO / "scripts" / "figures").glob("ch*.py"))
    assert scripts
    for path in scripts:
        key = path.stem.removeprefix("ch")
        assert key in KEYS, f"{path.relative_to(REPO)} has no notebook notebooks/{key}.py"
        names = figure_names(path)
        assert names, f"{path.relative_to(REPO)} defines no FIGURES"
        number = key.split("_")[0]
        wrong = [n for n in names if not n.startswith(f"{number}_")]
        assert not wrong, f"{path.name}: figure names must start with {number}_: {wrong}"


def test_every_bundled_file_goes_into_the_wheel():
    """pyproject's package-data globs cover nnlib/bundled/: a wheel finds what a checkout does."""
    import fnmatch

    tomllib = pytest.importorskip("tomllib")  # Python 3.11 and later

    globs = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]
    globs = globs["package-data"]["nnlib"]
    bundled = REPO / "nnlib" / "bundled"
    files = [p.relative_to(REPO / "nnlib").as_posix() for p in bundled.rglob("*") if p.is_file()]
    assert files
    missing = [f for f in files if not any(fnmatch.fnmatch(f, g) for g in globs)]
    assert not missing, f"add these to [tool.setuptools.package-data] in pyproject.toml: {missing}"
