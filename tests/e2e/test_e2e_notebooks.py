"""Every notebook, run in JupyterLab in headless Chromium, with every slider moved.

For each notebook in notebooks/ (found at collection time, so new chapters are covered as they
land) and for the harness's own self-test notebook: open it, clear the stored outputs, Run All,
and check that no cell shows an error, that every widget rendered, and that moving each visible
slider (and choosing another entry in each dropdown) changes the figure or text it drives on
screen. One notebook is also run in the Notebook 7 interface. Screenshots: e2e-screenshots/
NAME-before.png (each widget after Run All) and NAME-after.png (the widget after each move).
"""

import shutil
from pathlib import Path

import pytest
from e2e_runner import SELFTEST, classic_target, discover_notebooks, first_exercise, uses_widgets

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = discover_notebooks(REPO)

pytestmark = pytest.mark.e2e


def describe(report):
    lines = [f"{report.path} [{report.ui}] timings (s): {report.timings}"]
    for c in report.controls:
        state = "changed" if c.changed else f"NOT CHANGED ({c.detail})"
        back = f"put back in {c.restore_seconds:.1f} s" if c.restored else "NOT put back"
        answer = f" (answered in {c.answers[0]:.2f} s)" if c.answers else ""
        lines.append(
            f"  widget {c.widget} {c.kind} {c.label!r}: {c.action}, {state}, {c.seconds:.1f} s"
            f"{answer}, {back}"
        )
    if report.hidden_controls:
        lines.append(f"  {report.hidden_controls} controls hidden (closed tab or accordion)")
    if report.exercise:
        e = report.exercise
        state = "turned green" if e["turned_green"] else "DID NOT turn green"
        lines.append(
            f"  exercise {e['id']}: solution typed in, {state} in {e['seconds']:.1f} s: "
            f"{e['shown']}"
        )
    lines += [f"  screenshot: {s}" for s in report.screenshots]
    return "\n".join(lines)


def check(report, needs_sliders):
    print(describe(report))
    assert report.problems == [], f"{report.path} shows errors: {report.problems}"
    assert report.external_requests == [], f"requests off loopback: {report.external_requests}"
    unchanged = [c for c in report.controls if not c.changed]
    assert unchanged == [], f"controls whose output did not change: {unchanged}"
    if needs_sliders:
        assert report.widgets >= 1, f"{report.path} imports widgets but shows none"
        sliders = [c for c in report.controls if c.kind == "slider"]
        assert sliders, f"{report.path} shows widgets but no visible slider"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: Path(p).stem)
def test_notebook_in_jupyterlab(report_of, notebook):
    report = report_of(notebook, "lab")
    check(report, uses_widgets(REPO / notebook))
    answer = first_exercise(REPO, notebook)
    if answer is not None:  # a reader types the first exercise's answer: the check turns green
        assert report.exercise.get("turned_green"), f"exercise {answer[0]}: {report.exercise}"


def test_selftest_exercises_every_control(report_of):
    """The harness itself: the self-test has 5 sliders (int, float, selection) and a dropdown."""
    report = report_of(SELFTEST, "lab")
    print(describe(report))
    kinds = sorted(c.kind for c in report.controls)
    assert kinds == ["dropdown"] + ["slider"] * 5, describe(report)
    assert report.widgets == 2
    assert all(Path(s).stat().st_size > 1000 for s in report.screenshots)


@pytest.mark.parametrize("notebook", [classic_target(REPO)], ids=lambda p: Path(p).stem)
@pytest.mark.parametrize("ui", ["notebook"])
def test_widgets_render_in_notebook7(report_of, notebook, ui):
    report = report_of(notebook, ui)
    check(report, needs_sliders=True)


def test_a_saved_chapter_reopens_without_widget_errors(runner):
    """A reader runs a chapter, JupyterLab saves it, and they come back later: every widget
    shows again (from the state saved with the notebook), none says "model not found"."""
    chapter = REPO / classic_target(REPO)
    folder = REPO / "e2e-reopen"  # inside the server's root; removed again below
    folder.mkdir(exist_ok=True)
    try:
        shutil.copyfile(chapter, folder / chapter.name)
        problems = runner.reopen(f"e2e-reopen/{chapter.name}", timeout=600)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert problems == [], problems
