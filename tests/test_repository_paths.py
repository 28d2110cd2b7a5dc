"""The tests, scripts and benchmarks use only what the repository holds.

A user's clone has nothing beside it, so no file under tests/, scripts/ or benchmarks/ may
name a folder outside the repository (`../shared`) or a path of one machine (`/work/...`,
`/home/...`, `/tmp/...`, `C:\\...`). Files are found from `__file__`, temporary folders come
from pytest's tmp_path or tempfile, and programs from PATH. The kernel's own interfaces
(/proc, /dev, /sys) are the same on every Linux machine and are allowed.
"""

import io
import re
import tokenize
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHECKED = ("tests", "scripts", "benchmarks")
# `../shared` or `shared/data` anywhere in a file, comments and docstrings included.
OUTSIDE = re.compile(r"\.\.[/\\]shared|\bshared[/\\]data\b")
# An absolute path inside a string: a root folder of a machine's file system, or a drive.
ABSOLUTE = re.compile(
    r"(?<![\w.:/-])/(?:home|root|work|tmp|Users|mnt|opt|usr|var|srv|media|data|etc)(?:/|\b)"
    r"|\b[A-Za-z]:\\\\"
)


def checked_files():
    """Every source, config and notebook file there, except this one (it names the patterns)."""
    for folder in CHECKED:
        for path in sorted((REPO / folder).rglob("*")):
            if path.suffix not in (".py", ".cfg", ".sh", ".ipynb") or "__pycache__" in path.parts:
                continue
            if path != Path(__file__).resolve():
                yield path
    yield from sorted((REPO / ".ci").iterdir())


def string_literals(source):
    """The text of every string in a Python file (comments are not paths a program opens)."""
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING or token.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
            yield token.start[0], token.string


def problems(path):
    text = path.read_text(encoding="utf-8")
    found = [
        f"line {text.count(chr(10), 0, m.start()) + 1}: {m.group()}" for m in OUTSIDE.finditer(text)
    ]
    if path.suffix == ".py":
        for line, literal in string_literals(text):
            found += [f"line {line}: {m.group()}" for m in ABSOLUTE.finditer(literal)]
    elif path.suffix != ".ipynb":  # shell scripts and config: every line
        for n, line in enumerate(text.splitlines(), 1):
            if not line.startswith("#!"):
                found += [f"line {n}: {m.group()}" for m in ABSOLUTE.finditer(line)]
    return found


@pytest.mark.parametrize("path", list(checked_files()), ids=lambda p: str(p.relative_to(REPO)))
def test_no_path_outside_the_repository(path):
    found = problems(path)
    assert not found, (
        f"{path.relative_to(REPO)} names a path outside the repository or of one machine: "
        f"{found}. Use the bundled data/ (nnlib.data finds it), tmp_path, or PATH instead."
    )


@pytest.mark.parametrize(
    "line",
    [
        'root = "../shared/data"',
        "p = Path('/work/shared/data')",
        'cache = "/home/ana/.cache/nnlib"',
        "t = '/tmp/x.npz'",
        "exe = '/usr/bin/chromium'",
        r"w = 'C:\\Users\\ana'",
    ],
)
def test_the_check_catches_outside_paths(tmp_path, line):
    path = tmp_path / "example.py"
    path.write_text(line + "\n")
    assert problems(path)


def test_the_check_allows_urls_and_kernel_files(tmp_path):
    path = tmp_path / "example.py"
    path.write_text(
        'url = f"{base}/lab/tree/x"\nproc = Path("/proc")\nweb = "http://127.0.0.1:8888/tmp"\n'
    )
    assert problems(path) == []
