"""nnlib's unit tests for data, tokenizers, sampling and gpt, run inside Pyodide in the browser.

Pyodide is 32-bit WebAssembly: numpy's default integer (intp) is int32 there, so code that is
right on a 64-bit machine can fail in the browser (np.bincount refuses int64 ids, for one). A
native run cannot see that; this test runs the same test files, unchanged, in the site's own
Pyodide with the site's nnlib wheel, under pytest (its wheels come from build/site-test/, hash
-checked by the build, and are not part of site/). Tests that need the `server` fixture are
skipped there: it serves downloads from a thread, and Pyodide has no threads (the browser
edition never downloads). The summary names every failing test.
"""

import json
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TEST_WHEELS = REPO / "build" / "site-test"  # served at TEST_WHEELS_URL by this folder's conftest
TEST_WHEELS_URL = "/_test-wheels/"
UNIT_TESTS = ["test_data.py", "test_tokenizers.py", "test_sampling.py", "test_gpt.py"]

pytestmark = [pytest.mark.e2e, pytest.mark.site]

# The repository's tests/conftest.py seals a native session (sockets, caches); in Pyodide this
# one does the same job: offline, hypothesis without deadlines, no thread-serving fixture.
CONFTEST = """
import os
import pytest
from hypothesis import settings

os.environ["NNLIB_OFFLINE"] = "1"
os.environ.pop("NNLIB_DATA", None)
os.environ.pop("NNLIB_CHECKPOINT", None)
settings.register_profile("pyodide", deadline=None, derandomize=True, database=None)
settings.load_profile("pyodide")


def pytest_collection_modifyitems(items):
    for item in items:
        if "server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.skip(
                reason="serves downloads from a thread: Pyodide has no threads"))
"""

RUNNER = """
import contextlib, io, json, pytest
out = io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
    code = pytest.main(["-q", "-rfEs", "-p", "no:cacheprovider", "-p", "no:faulthandler",
                        "tests"])
json.dumps([int(code), out.getvalue()])
"""

JS_RUN = """async ([base, wheels, files, runner]) => {
  const { loadPyodide } = await import(base + "/static/pyodide/pyodide.mjs");
  const py = await loadPyodide({ indexURL: base + "/static/pyodide/" });
  await py.loadPackage(["nnlib", "packaging", ...wheels.map(w => base + "%s" + w)]);
  // Pyodide's own (virtual) home folder; mkdirTree takes a path from the root, so give it one
  const tests = py.FS.cwd() + "/tests";
  py.FS.mkdirTree(tests);
  for (const [name, text] of Object.entries(files))
    py.FS.writeFile(tests + "/" + name, text);
  return await py.runPythonAsync(runner);
}"""


def test_unit_tests_pass_in_pyodide(loop, site_page):
    wheels = sorted(p.name for p in TEST_WHEELS.glob("*.whl"))
    assert wheels, f"no test wheels in {TEST_WHEELS}: run `python scripts/build_site.py` first"
    files = {name: (REPO / "tests" / name).read_text(encoding="utf-8") for name in UNIT_TESTS}
    files["conftest.py"] = CONFTEST

    async def run():
        page = await site_page.new_page()
        try:
            await page.goto(f"{site_page.base_url}/static/pyodide/pyodide-lock.json")
            return await page.evaluate(
                JS_RUN % TEST_WHEELS_URL, [site_page.base_url, wheels, files, RUNNER]
            )
        finally:
            await page.context.close()

    start = time.monotonic()
    code, output = json.loads(loop.run_until_complete(asyncio_timeout(run(), 900)))
    print(output)
    print(f"unit tests in Pyodide: {time.monotonic() - start:.0f} s, pytest exit code {code}")
    assert site_page.blocked == [], f"requests off loopback: {site_page.blocked}"
    failed = [line for line in output.splitlines() if line.startswith(("FAILED", "ERROR"))]
    assert code == 0, "unit tests that fail in Pyodide (32-bit):\n" + "\n".join(failed)


async def asyncio_timeout(coro, seconds):
    import asyncio

    return await asyncio.wait_for(coro, seconds)
