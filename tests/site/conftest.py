"""Fixtures for the browser edition's test: site/ served on 127.0.0.1, one headless Chromium.

Run with `bash .ci/site` (it builds the site first), or after `python scripts/build_site.py`:
`python -m pytest -m site tests/site -o addopts="" -p no:cacheprovider`. The tests carry the
e2e marker as well, so the default `python -m pytest` (which deselects e2e) leaves them out.

The chapters run in a page that sees what a reader on a LAN sees: service workers are blocked
(over plain http on a non-loopback address the page is not a secure context and has none),
and every request off 127.0.0.1 is aborted and counted as a failure. Two more pages run one
chapter each: one served on this machine's network address (lan_page), one on loopback with
the service worker allowed (worker_page); each aborts every request off its own server.
"""

import asyncio
import functools
import http.server
import importlib.util
import os
import socket
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from site_budget import BUDGET, widget_answers

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
E2E = REPO / "tests" / "e2e"
if str(E2E) not in sys.path:  # reuse the JupyterLab suite's page driver and Chromium finder
    sys.path.insert(0, str(E2E))

SITE = Path(os.environ.get("SITE_DIR", REPO / "site")).resolve()
SCREENSHOTS = Path(os.environ.get("SITE_SCREENSHOTS", REPO / "e2e-screenshots" / "site")).resolve()
TEST_WHEELS = REPO / "build" / "site-test"
TEST_WHEELS_URL = "/_test-wheels/"
# Seconds per phase of one chapter. "run" bounds a hang only; the budget is checked apart.
TIMEOUTS = {"open": 120, "run": 300, "render": 30, "control": 30}

_state = {"reports": [], "started": None}


def pytest_configure(config):
    config.addinivalue_line("markers", "site: the browser edition (JupyterLite) in Chromium")


def in_ci():
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _skip_or_fail(reason):
    if in_ci():
        pytest.fail(f"the browser-edition tests cannot run in CI: {reason}")
    pytest.skip(reason)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """What `python -m http.server -d site` serves (the README's command), MIME types included."""

    def log_message(self, *args):
        pass

    def translate_path(self, path):
        # /_test-wheels/: pytest & co. for the unit tests in Pyodide (build/site-test/), served
        # beside the site by this test server only; they are not part of site/.
        if path.startswith(TEST_WHEELS_URL):
            name = Path(path.split("?")[0]).name
            return str(TEST_WHEELS / name)
        return super().translate_path(path)


@pytest.fixture(scope="session")
def site_url():
    """site/ served by Python's own static server (what the README tells a teacher to run)."""
    if not (SITE / "jupyter-lite.json").is_file():
        pytest.fail(f"no site in {SITE}: run `python scripts/build_site.py` first")
    handler = functools.partial(QuietHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="session")
def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.rglob("*.png"):
        old.unlink()
    return SCREENSHOTS


@pytest.fixture(scope="session")
def browser(loop):
    if importlib.util.find_spec("playwright") is None:
        _skip_or_fail("the playwright package is not installed (pip install -e '.[e2e]')")
    from e2e_runner import chromium_args, find_chromium

    chromium = find_chromium()
    if chromium is None:
        _skip_or_fail("no Chromium: apt-get install chromium, or set CHROMIUM=/path/to/chromium")
    from playwright.async_api import async_playwright

    # The JupyterLab suite's flags resolve nothing but 127.0.0.1; this machine's own network
    # address may resolve too, for lan_page (the routes still abort any other host).
    args, address = chromium_args(), lan_address()
    if address is not None:
        rules = "--host-resolver-rules="
        args = [a + f", EXCLUDE {address}" if a.startswith(rules) else a for a in args]
    playwright = loop.run_until_complete(async_playwright().start())
    browser = loop.run_until_complete(
        playwright.chromium.launch(executable_path=chromium, headless=True, args=args)
    )
    _state["started"] = time.monotonic()
    try:
        yield browser
    finally:
        loop.run_until_complete(browser.close())
        loop.run_until_complete(playwright.stop())


class SitePage:
    """One page of JupyterLite, loaded once; chapters open in it one after another.

    Requests to any host but the server's are aborted and kept in `blocked`. On loopback the
    page is a secure context, so by default service workers are blocked to see what a LAN
    reader sees; service_worker=True lets the site register its own, as on a teacher's laptop
    or an https host. Served from a LAN address the browser gives the page none anyway."""

    def __init__(self, loop, browser, base_url, service_worker=False):
        self.loop, self.browser, self.base_url = loop, browser, base_url
        self.service_worker = service_worker
        host = urlparse(base_url).hostname
        self.hosts = {host, "localhost"} if host == "127.0.0.1" else {host}
        self.blocked = []  # requests aborted because they left the server
        self.page = None
        self.ready_seconds = None

    async def _route(self, route):
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in self.hosts:
            await route.continue_()
        else:
            self.blocked.append(route.request.url)
            await route.abort()

    async def new_page(self):
        """A page in a context of its own, offline as the rest of the session."""
        # "block" on loopback: what a reader on a LAN address gets (not a secure context).
        context = await self.browser.new_context(
            service_workers="allow" if self.service_worker else "block",
            viewport={"width": 1400, "height": 1000},
        )
        await context.route("**/*", self._route)
        return await context.new_page()

    async def _open(self):
        self.page = await self.new_page()
        start = time.monotonic()
        await self.page.goto(f"{self.base_url}/lab/index.html")
        await self.page.wait_for_function(
            "() => window.jupyterapp && window.jupyterapp.started !== undefined",
            timeout=TIMEOUTS["open"] * 1000,
        )
        await self.page.evaluate("async () => { await window.jupyterapp.started; }")
        self.ready_seconds = time.monotonic() - start

    def open(self):
        self.loop.run_until_complete(self._open())


@pytest.fixture(scope="session")
def site_page(loop, browser, site_url):
    page = SitePage(loop, browser, site_url)
    page.open()
    return page


@pytest.fixture(scope="session")
def worker_page(loop, browser, site_url):
    """The site on loopback with its service worker allowed: a teacher's own laptop, or an
    https host such as GitHub Pages, where JupyterLite's file system runs through it."""
    page = SitePage(loop, browser, site_url, service_worker=True)
    page.open()
    return page


def lan_address():
    """This machine's IPv4 address on its network (the one a classroom's laptops would use),
    or None. Connecting a UDP socket sends nothing; it only picks the outgoing interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("198.51.100.1", 9))  # TEST-NET-2: documentation only, never answered
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


@pytest.fixture(scope="session")
def lan_page(loop, browser):
    """site/ served on this machine's LAN address, opened from there: plain http off loopback,
    so the page is not a secure context and has no service worker, as in a classroom."""
    address = lan_address()
    if address is None:
        pytest.skip("this machine has no network address but loopback")
    handler = functools.partial(QuietHandler, directory=str(SITE))
    try:
        server = http.server.ThreadingHTTPServer((address, 0), handler)
    except OSError as error:
        pytest.skip(f"cannot serve on {address}: {error}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    # Service workers allowed: the browser itself must refuse them to this page.
    url = f"http://{address}:{server.server_address[1]}"
    page = SitePage(loop, browser, url, service_worker=True)
    try:
        page.open()
        yield page
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def report_of(loop, site_page, screenshot_dir):
    """Run one chapter in the page and keep its report for the summary table."""
    return chapter_runner(loop, site_page, screenshot_dir)


@pytest.fixture
def lan_report_of(loop, lan_page, screenshot_dir):
    """The same, in the page served from the LAN address; screenshots in a folder of their own."""
    shots = screenshot_dir / "lan"
    shots.mkdir(exist_ok=True)
    return chapter_runner(loop, lan_page, shots, " (LAN)")


@pytest.fixture
def worker_report_of(loop, worker_page, screenshot_dir):
    """The same, in the page whose service worker is allowed."""
    shots = screenshot_dir / "service-worker"
    shots.mkdir(exist_ok=True)
    return chapter_runner(loop, worker_page, shots, " (worker)")


def chapter_runner(loop, site_page, screenshot_dir, label=""):
    """A function that runs one chapter in site_page and keeps its report for the summary."""
    from e2e_page import run_notebook

    def get(name):
        report = loop.run_until_complete(
            run_notebook(site_page.page, site_page.base_url, name, "lab", screenshot_dir, TIMEOUTS)
        )
        report.path += label
        try:
            report.stderr = loop.run_until_complete(site_page.page.evaluate(JS_STDERR))
        except Exception as error:  # the page lost the notebook: run_notebook reported why
            report.stderr = [f"(stderr not read: {type(error).__name__})"]
        try:
            report.slowest = loop.run_until_complete(site_page.page.evaluate(JS_SLOWEST))
        except Exception:
            report.slowest = []
        _state["reports"].append(report)
        return report

    return get


# What the chapter wrote to stderr (warnings included): a reader sees it under the cell.
JS_STDERR = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const found = []; let index = 0;
  for (const c of w.content.model.cells) {
    index++;
    if (c.type !== 'code') continue;
    for (let i = 0; i < c.outputs.length; i++) {
      const o = c.outputs.get(i).toJSON();
      const text = Array.isArray(o.text) ? o.text.join('') : (o.text || '');
      if (o.output_type === 'stream' && o.name === 'stderr' && text.trim())
        found.push(`cell ${index}: ${text.trim().slice(0, 400)}`);
    }
  }
  return found;
}"""


# The slowest cells of the run, from the timing JupyterLab records (recordTiming).
JS_SLOWEST = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const cells = []; let index = 0;
  for (const c of w.content.model.cells) {
    index++;
    const t = c.type === 'code' && c.getMetadata('execution');
    if (!t || !t['iopub.execute_input'] || !t['shell.execute_reply']) continue;
    const s = (new Date(t['shell.execute_reply']) - new Date(t['iopub.execute_input'])) / 1000;
    const first = c.sharedModel.getSource().split('\\n').find(l => l.trim()) || '';
    cells.push([s, index, first.slice(0, 70)]);
  }
  cells.sort((a, b) => b[0] - a[0]);
  return cells.slice(0, 5);
}"""


def site_size():
    files = [p for p in SITE.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def pytest_terminal_summary(terminalreporter):
    reports = _state["reports"]
    if not reports:
        return
    tr = terminalreporter
    tr.section("browser edition: seconds per chapter (JupyterLite, Pyodide, one thread)")
    tr.write_line(
        f"{'chapter':<34} {'open':>6} {'run':>6} {'ctrls':>6} {'total':>6}  moved  "
        f"{'slowest answer':>14}  result"
    )
    for r in reports:
        t = r.timings
        moved = sum(c.changed for c in r.controls)
        answers = widget_answers(r).values()  # (median, budget) per widget
        slowest = max(answers, default=None, key=lambda a: a[0] / a[1])
        shown = f"{slowest[0]:.2f} of {slowest[1]:g} s" if slowest else "-"
        result = [
            word
            for word, bad in (
                ("errors", r.problems),
                ("stderr", getattr(r, "stderr", [])),
                ("unchanged control", moved < len(r.controls)),
                ("over budget", t.get("run", 0) > BUDGET),
                ("slow widget", any(median > budget for median, budget in answers)),
            )
            if bad
        ]
        result = ", ".join(result) or "ok"
        tr.write_line(
            f"{r.path:<34} {t.get('open', 0):6.1f} {t.get('run', 0):6.1f} "
            f"{t.get('controls', 0):6.1f} {t.get('total', 0):6.1f}  "
            f"{moved:>2}/{len(r.controls):<3} {shown:>14}  {result}"
        )
    size, count = site_size()
    tr.write_line(f"site size: {size / 1e6:.1f} MB in {count} files ({SITE})")
    if _state["started"] is not None:
        tr.write_line(f"wall time from browser start: {time.monotonic() - _state['started']:.1f} s")
    tr.write_line(f"screenshots: {SCREENSHOTS}")
