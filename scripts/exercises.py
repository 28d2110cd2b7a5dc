"""The book's exercises: list them, check the worked solutions, write a class's or a teacher's copy.

    python scripts/exercises.py list             every exercise: chapter, id, kind, task
    python scripts/exercises.py solutions        run every worked solution through its checker
    python scripts/exercises.py solution 05.2    print one worked solution
    python scripts/exercises.py student DIR      the chapters for a class: stubs, hints, checkers
    python scripts/exercises.py key DIR [NN...]  the chapters with every solution filled in, run

Exercises live in nnlib/exercises/chNN_topic.py (the checkers and hints; no solutions) and are
found by file name. The worked solutions live here in the repository, in solutions/chNN_topic.py,
outside the package and out of the chapters a reader scrolls through. In a chapter, an exercise
is a code cell tagged "exercise" that ends with `exercises.check("NN.k", name)`; everything above
that line is the stub. `key` replaces the stub with the solution (a function of that name, or
`name = value`) and executes the chapter; `student` copies the chapters as they are committed
(stubs empty) and refuses to write a folder that would contain any solution's code.
"""

import argparse
import importlib
import importlib.util
import inspect
import json
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
CHECK_LINE = re.compile(
    r"""^exercises\.check\(\s*["']([0-9]{2}\.[0-9]+)["']\s*,\s*(\w+)\s*\)\s*$"""
)


def chapter_keys():
    """NN_topic of every chapter that has exercises, in order."""
    folder = ROOT / "nnlib" / "exercises"
    return sorted(p.stem.removeprefix("ch") for p in folder.glob("ch[0-9][0-9]_*.py"))


def exercises_of(key):
    """The chapter's EXERCISES, in the order of their numbers."""
    exercises = importlib.import_module(f"nnlib.exercises.ch{key}").EXERCISES
    return dict(sorted(exercises.items(), key=lambda item: int(item[0].split(".")[1])))


def solutions_of(key):
    """The SOLUTIONS dict of solutions/chNN_topic.py, loaded from its file."""
    path = ROOT / "solutions" / f"ch{key}.py"
    if not path.is_file():
        raise SystemExit(f"no worked solutions for chapter {key}: expected {path}")
    spec = importlib.util.spec_from_file_location(f"solutions_ch{key}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SOLUTIONS


def solution_source(answer, name):
    """The code that fills a stub: a function's own source, or `name = value`."""
    if callable(answer):
        return inspect.getsource(answer).rstrip() + "\n"
    return f"{name} = {answer!r}\n"


def contains_solution(text, source):
    """True if every line of a solution's body appears in text (a notebook's JSON)."""
    body = [line.strip() for line in source.splitlines()[1:] if line.strip()]
    return all(json.dumps(line)[1:-1] in text for line in body)  # as the .ipynb stores it


def exercise_cells(nb):
    """(cell, exercise id, name) for every code cell tagged "exercise"."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "code" or "exercise" not in cell.metadata.get("tags", []):
            continue
        last = cell.source.rstrip().splitlines()[-1]
        match = CHECK_LINE.match(last)
        if not match:
            raise SystemExit(
                f'an exercise cell must end with exercises.check("NN.k", name): {last!r}'
            )
        found.append((cell, match.group(1), match.group(2)))
    return found


def cmd_list(_args):
    from nnlib.exercises import KINDS

    for key in chapter_keys():
        for exercise in exercises_of(key).values():
            print(f"{key:28s} {exercise.id:6s} {KINDS[exercise.kind]:22s} {exercise.task}")
    return 0


def cmd_solutions(_args):
    failed = 0
    for key in chapter_keys():
        exercises, solutions = exercises_of(key), solutions_of(key)
        missing = sorted(set(exercises) - set(solutions))
        if missing:
            print(f"{key}: no worked solution for {missing}")
            failed += len(missing)
        module = importlib.import_module(f"nnlib.exercises.ch{key}")
        for exercise_id, answer in sorted(solutions.items(), key=lambda i: int(i[0].split(".")[1])):
            start = time.perf_counter()
            result = module.check(exercise_id, answer)
            ms = 1000 * (time.perf_counter() - start)
            print(
                f"{'ok  ' if result.ok else 'FAIL'} {exercise_id:6s} {ms:6.1f} ms  {result.message}"
            )
            failed += not result.ok
    print(f"{failed} failed" if failed else "every worked solution passes its checker")
    return 1 if failed else 0


def cmd_solution(args):
    key = next((k for k in chapter_keys() if k.startswith(args.id.split(".")[0])), None)
    if key is None or args.id not in exercises_of(key):
        raise SystemExit(f"no exercise {args.id!r}; `python scripts/exercises.py list` shows them")
    print(solution_source(solutions_of(key)[args.id], "answer"), end="")
    return 0


def _chapters():
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def cmd_student(args):
    out = Path(args.dir)
    out.mkdir(parents=True, exist_ok=True)
    sources = [
        solution_source(a, "answer")
        for k in chapter_keys()
        for a in solutions_of(k).values()
        if callable(a)
    ]
    for path in _chapters():
        text = path.read_text(encoding="utf-8")
        for source in sources:
            body = [line.strip() for line in source.splitlines()[1:] if line.strip()]
            if all(json.dumps(line)[1:-1] in text for line in body):  # as the .ipynb stores it
                raise SystemExit(
                    f"{path.name} contains a worked solution ({body[0]!r}); not written"
                )
        shutil.copyfile(path, out / path.name)
    (out / "README.md").write_text(
        "# From Neuron to GPT: the chapters, for a class\n\n"
        "Each chapter has exercises: cells that end with `exercises.check(...)`. Fill in the\n"
        "stub, run the cell, and the check says right, or what is likely wrong. Stuck? Run\n"
        '`exercises.hint("NN.k")` in a new cell: one more hint each time.\n\n'
        "Install the book's library first (your teacher will say how), then open the chapters\n"
        "in JupyterLab and choose Run > Run All Cells.\n",
        encoding="utf-8",
    )
    print(f"wrote {len(_chapters())} chapters to {out} (stubs empty, no solutions)")
    return 0


def cmd_key(args):
    sys.path.insert(0, str(ROOT / "scripts"))
    import run_notebooks  # the same build and execution as the committed chapters

    out = Path(args.dir)
    out.mkdir(parents=True, exist_ok=True)
    keys = set(chapter_keys())
    for source in run_notebooks.find_sources(args.chapters):
        nb = run_notebooks.build(source)
        filled = 0
        if source.stem in keys:
            solutions = solutions_of(source.stem)
            for cell, exercise_id, name in exercise_cells(nb):
                check = cell.source.rstrip().splitlines()[-1]
                cell.source = solution_source(solutions[exercise_id], name) + "\n\n" + check
                filled += 1
        start = time.perf_counter()
        run_notebooks.execute(nb)
        bad = [
            c
            for c in nb.cells
            if c.cell_type == "code"
            and "exercise" in c.metadata.get("tags", [])
            and "✔ right" not in str(c.outputs)
        ]
        if bad:
            raise SystemExit(f"{source.stem}: a worked solution did not check out: {bad[0].source}")
        nbformat.write(nb, out / f"{source.stem}.ipynb")
        print(f"{time.perf_counter() - start:6.1f} s  {source.stem}: {filled} solutions filled in")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list").set_defaults(run=cmd_list)
    sub.add_parser("solutions").set_defaults(run=cmd_solutions)
    one = sub.add_parser("solution")
    one.add_argument("id")
    one.set_defaults(run=cmd_solution)
    student = sub.add_parser("student")
    student.add_argument("dir")
    student.set_defaults(run=cmd_student)
    key = sub.add_parser("key")
    key.add_argument("dir")
    key.add_argument("chapters", nargs="*", help="names or prefixes (default: every chapter)")
    key.set_defaults(run=cmd_key)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
