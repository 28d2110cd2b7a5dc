"""One headless Chromium for the whole session, running notebooks in a few pages at once.

Kernels are the slow part of a browser test, so the Runner opens up to `pages` notebooks at the
same time (two by default, one per core) in one browser, on an asyncio loop in a background
thread. Tests ask for a notebook's report and block until it is ready; the runner starts every
selected notebook as soon as the first report is asked for.
"""

import asyncio
import importlib.util
import os
import shutil
import threading
from pathlib import Path

import jupytext
from e2e_page import close_notebook, reopen_after_save, run_notebook

CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    # Nothing but loopback resolves, so no page can reach a CDN even by mistake.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


def find_chromium():
    """Path of the Chromium to drive: $CHROMIUM, else `chromium` (Debian's) on PATH, else None."""
    candidates = [os.environ.get("CHROMIUM")]
    candidates += [shutil.which(name) for name in ("chromium", "chromium-browser")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def chromium_args():
    args = list(CHROMIUM_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.insert(0, "--no-sandbox")  # Chromium refuses to sandbox as root
    return args


class Runner:
    """Runs notebooks in one browser; start(), submit()/report(), and always close()."""

    def __init__(self, base_url, chromium, shots, timeouts, pages=2, root=None):
        self.base_url = base_url
        self.root = root  # the server's root folder: the repository, for the exercises
        self.chromium = chromium
        self.shots = Path(shots)
        self.timeouts = timeouts
        self.pages = pages
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="e2e-browser", daemon=True
        )
        self.futures = {}
        self._playwright = None
        self._browser = None
        self._slots = None
        self.on_done = None  # called (in the loop thread) after each notebook, e.g. to note kernels

    def _call(self, coro, timeout=None):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    async def _start(self):
        from playwright.async_api import async_playwright

        self._playwright = await async_playwright().start()
        self._browser = await self._playwright.chromium.launch(
            executable_path=self.chromium, headless=True, args=chromium_args()
        )
        # One JupyterLab page per slot, reused from notebook to notebook (None: not opened yet).
        self._lab_pages = asyncio.Queue()
        for _ in range(self.pages):
            self._lab_pages.put_nowait(None)

    def start(self):
        self.thread.start()
        self._call(self._start(), timeout=120)
        return self

    async def _new_page(self):
        context = await self._browser.new_context(viewport={"width": 1280, "height": 1000})
        return await context.new_page()

    async def _job(self, path, ui, after):
        if after is not None:  # the same notebook must not run in two pages at once
            await asyncio.wrap_future(after)
        lab_page = await self._lab_pages.get()
        page = None
        try:
            if ui == "lab":
                page = lab_page = lab_page or await self._new_page()
            else:  # Notebook 7 is another application: a fresh page, closed afterwards
                page = await self._new_page()
            answer = first_exercise(self.root, path) if ui == "lab" and self.root else None
            return await run_notebook(
                page, self.base_url, path, ui, self.shots, self.timeouts, answer
            )
        finally:
            if page is not None:
                # Shut the kernel down so a finished notebook stops using CPU and memory.
                try:
                    await close_notebook(page)
                except Exception:
                    if page is lab_page:  # an unusable page: the next notebook starts afresh
                        await page.context.close()
                        lab_page = None
                if page is not lab_page:
                    await page.context.close()
            if self.on_done is not None:
                self.on_done()
            self._lab_pages.put_nowait(lab_page)

    def submit(self, path, ui="lab"):
        """Queue one notebook (path relative to the server root); returns at once."""
        key = (path, ui)
        if key not in self.futures:
            after = self.futures.get((path, "lab")) if ui != "lab" else None
            self.futures[key] = asyncio.run_coroutine_threadsafe(
                self._job(path, ui, after), self.loop
            )
        return self.futures[key]

    async def _reopen(self, path):
        page = await self._new_page()
        try:
            return await reopen_after_save(page, self.base_url, path, self.timeouts)
        finally:
            await page.context.close()

    def reopen(self, path, timeout=None):
        """Run, save, close and reopen a notebook in a page of its own; returns its problems."""
        return self._call(self._reopen(path), timeout)

    def report(self, path, ui="lab", timeout=None):
        """Block until the notebook's NotebookReport is ready."""
        return self.submit(path, ui).result(timeout)

    async def _close(self):
        if self._browser is not None:
            await self._browser.close()
        if self._playwright is not None:
            await self._playwright.stop()

    def close(self):
        """Cancel what has not run, close the browser and stop the loop thread."""
        if not self.thread.is_alive():
            return
        for future in self.futures.values():
            future.cancel()
        try:
            self._call(self._close(), timeout=60)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=30)


def first_exercise(repo, notebook):
    """(id, cell text) for the first exercise of a chapter with its worked solution typed in,
    as scripts/exercises.py's `key` fills it; None for a notebook without exercises."""
    spec = importlib.util.spec_from_file_location(
        "exercises_script", Path(repo, "scripts", "exercises.py")
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    key = Path(notebook).stem
    source = Path(repo, "notebooks", f"{key}.py")
    if key not in script.chapter_keys() or not source.is_file():
        return None
    cells = script.exercise_cells(jupytext.read(source))
    if not cells:
        return None
    cell, exercise_id, name = cells[0]
    check = cell.source.rstrip().splitlines()[-1]
    answer = script.solutions_of(key)[exercise_id]
    return exercise_id, script.solution_source(answer, name) + "\n\n" + check


def discover_notebooks(repo):
    """Every notebook in notebooks/ (paths relative to repo), then the harness self-test.

    New chapters are picked up as they land: no test names a notebook."""
    found = sorted(Path(repo, "notebooks").glob("*.ipynb"))
    return [p.relative_to(repo).as_posix() for p in found] + [SELFTEST]


SELFTEST = "tests/e2e/fixtures/e2e_selftest.ipynb"


def classic_target(repo):
    """The notebook checked in the Notebook 7 interface: 00_start_here once it exists, else the
    first notebook that uses widgets, else the self-test."""
    start = Path(repo, "notebooks", "00_start_here.ipynb")
    if start.is_file():
        return start.relative_to(repo).as_posix()
    for path in discover_notebooks(repo):
        if uses_widgets(Path(repo, path)):
            return path
    return SELFTEST


def uses_widgets(notebook):
    """Whether a notebook's source imports ipywidgets or nnlib.widgets (so it must show sliders)."""
    text = Path(notebook).read_text(encoding="utf-8")
    return "ipywidgets" in text or "nnlib.widgets" in text
