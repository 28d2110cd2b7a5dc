"""The exercise machinery: checks never crash a reader's cell, the chapters' exercise cells match
their modules, and scripts/exercises.py lists, checks, and writes a class copy and a key."""

import importlib
import importlib.util
import json
import time
from pathlib import Path

import numpy as np
import pytest

from nnlib.exercises import Exercise, Feedback, Result, next_hint, right, run_check, wrong

REPO = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("exercises_script", REPO / "scripts" / "exercises.py")
script = importlib.util.module_from_spec(spec)
spec.loader.exec_module(script)
KEYS = script.chapter_keys()


def judge_positive(x):
    return right("yes") if x > 0 else wrong("it must be positive")


EXERCISES = {"99.1": Exercise("99.1", "predict", "a positive number", judge_positive, ["> 0"])}


def test_a_check_never_raises_whatever_the_answer():
    assert run_check(EXERCISES, "99.1", 2).ok is True
    assert run_check(EXERCISES, "99.1", -2).ok is False
    assert run_check(EXERCISES, "99.1", None).ok is None
    broken = run_check(EXERCISES, "99.1", "text")  # the judge itself fails on a string
    assert broken.ok is False and "checker itself failed" in broken.message


def test_result_shows_plain_text_and_a_coloured_line():
    result = Result("99.1", Feedback(True, "yes <b>"))
    assert repr(result) == "99.1 ✔ right: yes <b>"
    assert "nnlib-exercise-right" in result._repr_html_() and "&lt;b&gt;" in result._repr_html_()


def test_unknown_ids_and_bad_exercises_get_clear_errors():
    with pytest.raises(KeyError, match="this chapter has"):
        run_check(EXERCISES, "99.9", 1)
    with pytest.raises(ValueError, match="kind must be one of"):
        Exercise("99.2", "essay", "", judge_positive, ["h"])
    with pytest.raises(ValueError, match="one to three hints"):
        Exercise("99.2", "code", "", judge_positive, [])
    shown = {}
    assert "hint 1 of 1" in next_hint(EXERCISES, "99.1", shown)
    assert "no more hints" in next_hint(EXERCISES, "99.1", shown)


@pytest.mark.parametrize("key", KEYS)
def test_each_chapter_has_five_to_eight_exercises_and_a_solution_for_each(key):
    exercises = script.exercises_of(key)
    assert 5 <= len(exercises) <= 8, key
    assert set(script.solutions_of(key)) == set(exercises)
    assert {e.kind for e in exercises.values()} == {"predict", "code", "explore"}
    number = key[:2]
    assert list(exercises) == [f"{number}.{k}" for k in range(1, len(exercises) + 1)]


@pytest.mark.parametrize("key", KEYS)
def test_the_chapter_holds_each_exercise_once_with_an_empty_stub_that_says_not_done_yet(key):
    nb = json.loads((REPO / "notebooks" / f"{key}.ipynb").read_text(encoding="utf-8"))
    found = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and "exercise" in cell["metadata"].get("tags", []):
            source = "".join(cell["source"])
            match = script.CHECK_LINE.match(source.rstrip().splitlines()[-1])
            assert match, source
            found.append(match.group(1))
            shown = json.dumps(cell["outputs"])
            assert "not done yet" in shown, (match.group(1), shown)
    assert sorted(found) == sorted(script.exercises_of(key)), key


def test_every_worked_solution_passes_in_milliseconds(capsys):
    start = time.perf_counter()
    assert script.main(["solutions"]) == 0
    assert time.perf_counter() - start < 2.0
    assert "every worked solution passes" in capsys.readouterr().out


def test_list_prints_every_exercise(capsys):
    script.main(["list"])
    out = capsys.readouterr().out
    for key in KEYS:
        for exercise_id in script.exercises_of(key):
            assert f" {exercise_id} " in out


def test_the_student_copy_has_the_chapters_and_no_solution(tmp_path, capsys):
    script.main(["student", str(tmp_path)])
    chapters = sorted(p.name for p in tmp_path.glob("*.ipynb"))
    assert chapters == sorted(p.name for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    text = "".join(p.read_text(encoding="utf-8") for p in tmp_path.iterdir())
    for key in KEYS:
        for answer in script.solutions_of(key).values():
            if callable(answer):
                source = script.solution_source(answer, "x")
                assert not script.contains_solution(text, source), source
    key_copy = (REPO / "solutions" / f"ch{KEYS[0]}.py").read_text(encoding="utf-8")
    assert script.contains_solution(
        json.dumps(key_copy),
        script.solution_source(
            next(a for a in script.solutions_of(KEYS[0]).values() if callable(a)), "x"
        ),
    )
    assert "solution" not in (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "exercises.py solution" not in text  # nor a command that prints one


def test_the_teachers_key_fills_in_and_runs_a_chapter(tmp_path, capsys):
    key = KEYS[0]
    script.main(["key", str(tmp_path), key])
    nb = json.loads((tmp_path / f"{key}.ipynb").read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if "exercise" in c["metadata"].get("tags", [])]
    assert cells and all("✔ right" in json.dumps(c["outputs"], ensure_ascii=False) for c in cells)
    assert "..." not in "".join("".join(c["source"]) for c in cells)


def test_the_shared_readers_helpers():
    from nnlib.exercises import ReadersError, as_array, call, number

    assert number(3) == 3.0 and isinstance(number(np.float32(0.5)), float)
    for not_a_number in (True, "3", [3], None):
        with pytest.raises(TypeError):
            number(not_a_number)
    assert as_array([[1, 2]]).shape == (1, 2) and as_array("abc") is None
    with pytest.raises(ReadersError, match=r"raised ZeroDivisionError.*\(called with 1\)$"):
        call(lambda x: x / 0, 1)
    advice = {"division by zero": "divide by something else"}
    with pytest.raises(ReadersError, match=r"\(called with 1\)\. divide by something else$"):
        call(lambda x: x / 0, 1, advice=advice)


EVERY = [(key, exercise_id) for key in KEYS for exercise_id in script.exercises_of(key)]


@pytest.mark.parametrize("key, exercise_id", EVERY)
def test_each_exercise_passes_its_solution_waits_for_a_stub_reports_a_crash_and_hints(
    key, exercise_id
):
    module = importlib.import_module(f"nnlib.exercises.ch{key}")
    assert module.check(exercise_id, script.solutions_of(key)[exercise_id]).ok is True
    assert module.check(exercise_id, None).ok is None
    if module.EXERCISES[exercise_id].kind == "code":
        assert module.check(exercise_id, lambda *args: None).ok is None  # the body is only ...
        crashed = module.check(exercise_id, lambda *args: 1 / 0)
        assert crashed.ok is False and "raised ZeroDivisionError" in crashed.message
    n = len(module.EXERCISES[exercise_id].hints)
    module.checker.shown.pop(exercise_id, None)
    for k in range(1, n + 1):  # one more hint per call, then a plain "no more"
        assert f"hint {k} of {n}" in module.hint(exercise_id)
    assert "no more hints" in module.hint(exercise_id)
    module.checker.shown.pop(exercise_id, None)
