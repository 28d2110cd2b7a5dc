"""Open the book in JupyterLab, on your own copies of the chapters.

    python scripts/open_book.py              # open the book at 00_start_here
    python scripts/open_book.py 04           # open a chapter (a name or its number)
    python scripts/open_book.py --fresh 04   # put chapter 04 back as shipped, then open it
    python scripts/open_book.py --fresh all  # every chapter back as shipped

Reading a chapter runs it, and JupyterLab saves what it ran. If it saved into notebooks/,
your clone would change under git (and a later `git pull` would conflict), so the book
opens copies in reading/, a folder git ignores: run, edit and break them freely. The first
time, every chapter is copied there; a chapter already there is left as you left it.
--fresh replaces a copy with the shipped chapter and keeps yours in reading/old/, so nothing
you wrote is lost. Only the .ipynb notebooks are copied: the .py twins in notebooks/ are the
sources the maintainers edit, not something to read.

JupyterLab starts with the book's settings (scripts/jupyter/labconfig/): widget state is
saved with a notebook, so a chapter you reopen shows its widgets as you left them instead of
"Error displaying widget: model not found"; and the copies are not paired with .py files
(reading/.jupytext.toml). It neither asks about nor fetches news and checks for no updates:
a classroom is often offline.
Extra arguments after -- go to JupyterLab, e.g. `-- --no-browser --port 8890`.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
READING = ROOT / "reading"
CONFIG = Path(__file__).resolve().parent / "jupyter"  # labconfig/default_setting_overrides.json
FIRST = "00_start_here"


def chapters():
    """The shipped chapters, notebooks/NN_topic.ipynb, in order."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def find(name):
    """The shipped chapter a name means: '04', '04_backpropagation' or a file name ('00' is
    00_start_here, the way in; 00_notation is found by its name)."""
    stem = Path(name).stem
    stem = FIRST if stem == "00" else stem
    matches = [p for p in chapters() if p.stem == stem or p.stem.startswith(f"{stem}_")]
    if len(matches) != 1:
        known = ", ".join(p.stem for p in chapters())
        raise SystemExit(f"open_book: no single chapter matches {name!r}; the chapters are {known}")
    return matches[0]


def copy_chapters(fresh=()):
    """Copy each chapter to reading/ unless a copy is there; --fresh ones are replaced."""
    READING.mkdir(exist_ok=True)
    # The copies are notebooks only: no .py twin is written beside them when they are saved.
    # (A dot file: JupyterLab's file browser hides it, so it shows one entry per chapter.)
    (READING / ".jupytext.toml").write_text('formats = "ipynb"\n', encoding="utf-8")
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for source in chapters():
        copy = READING / source.name
        if copy.exists() and source in fresh:
            old = READING / "old" / f"{source.stem}-{stamp}.ipynb"
            old.parent.mkdir(exist_ok=True)
            shutil.move(copy, old)
            print(f"open_book: your {copy.name} is kept as {old}")
        if not copy.exists():
            notebook = json.loads(source.read_text(encoding="utf-8"))
            # Without the shipped widget state JupyterLab opens the copy unmodified (with it,
            # every chapter was "unsaved" at once); each widget shows its still picture
            # until Run All makes it live.
            notebook["metadata"].pop("widgets", None)
            tmp = copy.with_suffix(".ipynb.part")
            tmp.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", "utf-8")
            os.replace(tmp, copy)  # a copy is whole or absent, never half written


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "chapter", nargs="?", default=FIRST, help="a chapter to open (name or number)"
    )
    parser.add_argument(
        "--fresh",
        nargs="+",
        default=[],
        metavar="CHAPTER",
        help="put these chapters back as shipped ('all' for every one)",
    )
    argv = sys.argv[1:] if argv is None else list(argv)
    # Everything after `--` is JupyterLab's, whatever argparse would make of it.
    ours, theirs = (
        (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    )
    args = parser.parse_args(ours)
    fresh = chapters() if args.fresh == ["all"] else [find(name) for name in args.fresh]
    opened = find(args.chapter) if args.chapter != FIRST or not args.fresh else fresh[0]
    copy_chapters(fresh)
    env = dict(os.environ)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        p for p in (str(CONFIG), env.get("JUPYTER_CONFIG_PATH", "")) if p
    )
    extra = theirs
    # The file browser starts in reading/: one entry per chapter, the copy to open.
    offline = [
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
    ]
    command = [sys.executable, "-m", "jupyter", "lab", opened.name, *offline, *extra]
    print(f"open_book: your copies are in {READING}; starting JupyterLab")
    return subprocess.call(command, cwd=READING, env=env)


if __name__ == "__main__":
    sys.exit(main())
