"""Fixtures for the browser tests: one JupyterLab server and one headless Chromium per session.

Run them with `bash .ci/e2e` (or `python -m pytest -m e2e tests/e2e -o addopts=""`). Without
Chromium or the playwright package they skip locally, and fail when CI=true.
"""

import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
if str(HERE) not in sys.path:  # the helpers sit beside this file, whatever the import mode
    sys.path.insert(0, str(HERE))

from e2e_runner import Runner, find_chromium  # noqa: E402
from e2e_server import JupyterServer  # noqa: E402

# The self-test notebook is driven by the browser tests, not collected by nbval.
collect_ignore_glob = ["fixtures/*"]

# Seconds allowed per phase of one notebook. They bound a hang; they are not there to absorb
# slowness: the STYLE guide asks every notebook to run top to bottom in under 2 minutes.
TIMEOUTS = {"open": 90, "run": 120, "render": 30, "control": 30}
PAGES = int(os.environ.get("E2E_PAGES", "2"))
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", REPO / "e2e-screenshots")).resolve()

_state = {"reports": [], "selected": [], "started": None}


def missing_tools():
    """Why the browser tests cannot run here, or None."""
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (pip install -e '.[e2e]')"
    if find_chromium() is None:
        return "no Chromium: apt-get install chromium, or set CHROMIUM=/path/to/chromium"
    return None


def in_ci():
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Remember which notebooks the selected tests need, so all of them can start at once."""
    for item in items:
        spec = getattr(item, "callspec", None)
        if spec is not None and "notebook" in spec.params:
            _state["selected"].append((spec.params["notebook"], spec.params.get("ui", "lab")))


@pytest.fixture(scope="session")
def e2e_tools():
    reason = missing_tools()
    if reason is not None:
        if in_ci():
            pytest.fail(f"browser tests cannot run in CI: {reason}")
        pytest.skip(reason)
    return find_chromium()


@pytest.fixture(scope="session")
def jupyter_server(e2e_tools):
    with tempfile.TemporaryDirectory(prefix="nnlib-e2e-") as tmp:
        server = JupyterServer(REPO, tmp)
        try:
            server.start()
            yield server
        finally:
            server.stop()


@pytest.fixture(scope="session")
def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    return SCREENSHOTS


@pytest.fixture(scope="session")
def runner(e2e_tools, jupyter_server, screenshot_dir):
    _state["started"] = time.monotonic()
    r = Runner(jupyter_server.url, e2e_tools, screenshot_dir, TIMEOUTS, pages=PAGES, root=REPO)
    r.on_done = jupyter_server.remember_kernels
    try:
        r.start()
        for path, ui in _state["selected"]:
            r.submit(path, ui)
        yield r
    finally:
        r.close()


@pytest.fixture
def report_of(runner, jupyter_server):
    """Block until a notebook's report is ready; keep it for the summary."""

    def get(path, ui="lab"):
        # Only a safety net against a hung page: each phase has its own, tighter limit.
        report = runner.report(path, ui, timeout=1800)
        _state["reports"].append(report)
        if report.problems:
            print(f"--- server log (last lines) ---\n{jupyter_server.log_tail()}")
        return report

    return get


def pytest_terminal_summary(terminalreporter):
    reports = _state["reports"]
    if not reports:
        return
    tr = terminalreporter
    tr.section("browser tests: seconds per notebook")
    tr.write_line(
        f"{'notebook':<44} {'ui':<9} {'open':>6} {'run':>6} {'ctrls':>6} {'total':>6}  moved"
    )
    for r in reports:
        t = r.timings
        moved = sum(c.changed for c in r.controls)
        tr.write_line(
            f"{r.path:<44} {r.ui:<9} {t.get('open', 0):6.1f} {t.get('run', 0):6.1f} "
            f"{t.get('controls', 0):6.1f} {t.get('total', 0):6.1f}  {moved}/{len(r.controls)}"
        )
    if _state["started"] is not None:
        tr.write_line(f"wall time from browser start: {time.monotonic() - _state['started']:.1f} s")
    tr.write_line(f"screenshots: {SCREENSHOTS}")
