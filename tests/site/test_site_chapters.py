"""The browser edition: every chapter runs in JupyterLite (Pyodide) with no error, offline.

For each chapter notebook (found by name in notebooks/, so chapters added later are covered)
the test opens it in the built site/, clears the stored outputs, runs all cells, and checks
that no cell shows an error, that every widget renders, that moving each slider and dropdown
changes what it drives, that nothing was requested off 127.0.0.1, that Run All took no
longer than the guide's budget (SITE_BUDGET_S, 60 s), and that each widget answers its
controls within the guide's browser budget: a median of 0.5 s (SITE_ANSWER_S) from the move
to the finished redraw, or 3 s (SITE_PANEL_S) for a panel that computes (it shows a progress
bar). The summary prints seconds per chapter, each chapter's slowest widget and the site's
size. Last, one chapter runs from this machine's network address, where the page is no
secure context and has no service worker, as in a classroom, and once more on loopback with
the service worker allowed, as on a teacher's laptop or an https host.
"""

from pathlib import Path

import pytest
from e2e_runner import uses_widgets  # tests/e2e, put on sys.path by this folder's conftest
from site_budget import BUDGET, widget_answers

REPO = Path(__file__).resolve().parents[2]
CHAPTERS = sorted(p.name for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))

pytestmark = [pytest.mark.e2e, pytest.mark.site]


def describe(report):
    lines = [f"{report.path}: timings (s) { {k: round(v, 1) for k, v in report.timings.items()} }"]
    for c in report.controls:
        state = "changed" if c.changed else f"NOT CHANGED ({c.detail})"
        answer = f", answered in {c.answers[0]:.2f} s" if c.answers else ""
        lines.append(
            f"  widget {c.widget} {c.kind} {c.label!r}: {c.action}, {state}, "
            f"{c.seconds:.1f} s{answer}"
        )
    for w, (median, budget) in widget_answers(report).items():
        lines.append(f"  widget {w}: median answer {median:.2f} s (budget {budget:g} s)")
    lines += [f"  problem: {p}" for p in report.problems]
    lines += [f"  stderr: {t}" for t in getattr(report, "stderr", [])]
    for seconds, index, first in getattr(report, "slowest", []):
        lines.append(f"  slow cell {index}: {seconds:.1f} s: {first}")
    lines += [f"  screenshot: {s}" for s in report.screenshots]
    return "\n".join(lines)


def test_site_loads_offline(site_page):
    print(f"JupyterLite ready in {site_page.ready_seconds:.1f} s")
    assert site_page.blocked == [], f"requests off loopback: {site_page.blocked}"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda n: n.removesuffix(".ipynb"))
def test_chapter_runs_in_the_browser(report_of, site_page, chapter):
    report = report_of(chapter)
    print(describe(report))
    # Every reason at once, so a chapter that errs and is slow says both.
    reasons = [f"error: {p}" for p in report.problems]
    # A warning printed in the browser only (tqdm's monitor thread, a download attempt) is a
    # defect a reader sees; the native run's nbval catches the others.
    reasons += [f"stderr: {t}" for t in getattr(report, "stderr", [])]
    reasons += [f"request off loopback: {url}" for url in site_page.blocked]
    reasons += [
        f"control whose output did not change: {c}" for c in report.controls if not c.changed
    ]
    if uses_widgets(REPO / "notebooks" / chapter) and report.widgets < 1:
        reasons.append("imports widgets but shows none")
    reasons += [
        f"widget {w} answers in {median:.2f} s (median; budget {budget:g} s)"
        for w, (median, budget) in widget_answers(report).items()
        if median > budget
    ]
    run = report.timings.get("run", 0)
    if run > BUDGET:
        reasons.append(f"Run All took {run:.0f} s in the browser (budget {BUDGET:.0f} s)")
    assert reasons == [], f"{chapter} in the browser:\n" + "\n".join(reasons)


# A chapter that reads the bundled MNIST digits (they come inside the nnlib wheel, not through
# JupyterLite's file system) and has sliders.
OTHER_SERVING = "01_neuron.ipynb"


def problems_of(report, page):
    reasons = [f"error: {p}" for p in report.problems]
    reasons += [f"stderr: {t}" for t in getattr(report, "stderr", [])]
    reasons += [f"request off the server: {url}" for url in page.blocked]
    reasons += [f"unchanged control: {c}" for c in report.controls if not c.changed]
    if report.widgets < 1:
        reasons.append("shows no widget")
    return reasons


def test_a_chapter_runs_from_a_lan_address(loop, lan_page, lan_report_of):
    """Served over plain http on this machine's network address, as a classroom server is: the
    page is no secure context and has no service worker, and a chapter still runs, reads its
    data and answers its sliders."""
    context = loop.run_until_complete(
        lan_page.page.evaluate("() => [window.isSecureContext, 'serviceWorker' in navigator]")
    )
    assert context == [False, False], f"[secure context, service worker] = {context}"
    report = lan_report_of(OTHER_SERVING)
    print(f"served from {lan_page.base_url}")
    print(describe(report))
    reasons = problems_of(report, lan_page)
    assert reasons == [], f"{OTHER_SERVING} from {lan_page.base_url}:\n" + "\n".join(reasons)


# [secure context, a service worker active within 15 s, the page controlled by it]
JS_WORKERS = """async () => {
  const sw = navigator.serviceWorker;
  const later = (s) => new Promise((r) => setTimeout(() => r(false), s * 1000));
  const active = await Promise.race([sw.ready.then(() => true), later(15)]);
  return [window.isSecureContext, active, !!sw.controller];
}"""


def test_a_chapter_runs_with_the_service_worker(loop, worker_page, worker_report_of):
    """On a teacher's own laptop (127.0.0.1) or an https host the page is a secure context and
    JupyterLite registers its service worker; a chapter runs there too."""
    state = loop.run_until_complete(worker_page.page.evaluate(JS_WORKERS))
    print(f"[secure context, service worker active, page controlled] = {state}")
    assert state == [True, True, True], f"[secure context, worker active, controlled] = {state}"
    report = worker_report_of(OTHER_SERVING)
    print(describe(report))
    reasons = problems_of(report, worker_page)
    assert reasons == [], f"{OTHER_SERVING} with the service worker:\n" + "\n".join(reasons)
