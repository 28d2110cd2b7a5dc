"""The base every chapter's exercises are built on: an Exercise, its checker and its hints.

A chapter's module (nnlib/exercises/chNN_topic.py) defines EXERCISES, a dict id -> Exercise,
and a Checker over them, whose two methods the notebook calls (the module names them check
and hint):

    check("05.2", sigmoid_op)   # the reader's answer: a function, a number or a word
    hint("05.2")                # the next hint, one more each time

An Exercise's `judge(answer)` returns a Feedback: right (and why), or not yet with the likely
mistake named ("wrong sign", "summed over the wrong axis"). run_check() wraps it so that a
reader's answer can never crash the cell: an empty stub says "not done yet", an exception
inside the reader's function is reported as such, and a broken judge is reported too. No
solution lives here or in the chapter modules: the worked solutions are kept outside the
package, in the repository's solutions/ folder (scripts/exercises.py).
"""

import html
import math

import numpy as np

KINDS = {
    "predict": "predict, then run",
    "code": "write the code",
    "explore": "explore with a slider",
}


class Feedback:
    """What a check says. ok: True (right), False (not yet) or None (not done yet)."""

    def __init__(self, ok, message):
        self.ok = ok
        self.message = message


def right(message):
    return Feedback(True, message)


def wrong(message):
    return Feedback(False, message)


class Exercise:
    """One exercise: an id like "05.2", its kind, a one-line task, its judge and its hints.

    judge(answer) -> Feedback. It may assume the answer is not None (run_check handles an
    empty stub) and may raise ReadersError (below) to report an exception in the reader's code.
    """

    def __init__(self, id, kind, task, judge, hints):
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {sorted(KINDS)}, got {kind!r}")
        if not 1 <= len(hints) <= 3:
            raise ValueError(f"exercise {id} needs one to three hints, got {len(hints)}")
        self.id, self.kind, self.task = id, kind, task
        self.judge, self.hints = judge, tuple(hints)


class ReadersError(Exception):
    """The reader's function raised: we say where, with which input, and what it raised."""


def call(f, *args, advice=None):
    """f(*args) for a reader's function f; an exception becomes a ReadersError that names it.

    advice: optional dict, words of an exception's message -> what they most likely mean for
    this chapter ("converted to Python scalars" -> "use np.exp, not math.exp"); the first
    match is added to the report.
    """
    try:
        return f(*args)
    except Exception as error:  # the reader's code: anything may happen, all is reported
        shown = ", ".join(_short(a) for a in args)
        report = f"your function raised {type(error).__name__}: {error} (called with {shown})"
        hints = [text for words, text in (advice or {}).items() if words in str(error)]
        if hints:
            report += f". {hints[0]}"
        raise ReadersError(report) from error


def number(answer):
    """A reader's answer as a float; TypeError for anything else (a bool, a str, a list)."""
    if isinstance(answer, bool) or not isinstance(answer, (int, float, np.number)):
        raise TypeError
    return float(answer)


def as_array(out):
    """The reader's result as a float array, or None if it is not made of numbers."""
    try:
        return np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        return None


def _short(x):
    """An argument as the reader needs to see it: arrays by their shape, the rest by repr."""
    shape = getattr(x, "shape", None)
    return f"an array of shape {shape}" if shape is not None else repr(x)


def close(a, b, tol=1e-6):
    """a and b are numbers within tol of each other, relatively (or absolutely near zero)."""
    try:
        return math.isclose(float(a), float(b), rel_tol=tol, abs_tol=tol)
    except (TypeError, ValueError):
        return False


class Result:
    """What check() shows: a coloured line in JupyterLab, plain text elsewhere (and in nbval)."""

    COLOURS = {True: "#d9ead3", False: "#f4cccc", None: "#eeeeee"}
    MARKS = {True: "✔ right", False: "✘ not yet", None: "… not done yet"}

    def __init__(self, exercise_id, feedback):
        self.exercise_id = exercise_id
        self.ok = feedback.ok
        self.message = feedback.message

    def __repr__(self):
        return f"{self.exercise_id} {self.MARKS[self.ok]}: {self.message}"

    def _repr_html_(self):
        state = {True: "right", False: "wrong", None: "todo"}[self.ok]
        return (
            f'<div class="nnlib-exercise nnlib-exercise-{state}" style="background:'
            f'{self.COLOURS[self.ok]};padding:6px 10px;border-radius:4px">'
            f"<b>{html.escape(self.exercise_id)} {self.MARKS[self.ok]}</b>: "
            f"{html.escape(self.message)}</div>"
        )


def run_check(exercises, exercise_id, answer):
    """Judge `answer` for exercises[exercise_id] without ever raising; returns a Result."""
    exercise = _find(exercises, exercise_id)
    if answer is None or answer is Ellipsis:
        return Result(exercise_id, Feedback(None, _todo(exercise)))
    try:
        feedback = exercise.judge(answer)
    except ReadersError as error:
        feedback = wrong(str(error))
    except Exception as error:  # a bug in a judge must not look like the reader's mistake
        feedback = wrong(
            f"the checker itself failed ({type(error).__name__}: {error}); "
            "please report this, your answer may be right"
        )
    if feedback is None:  # the reader's function returned None: a stub not filled in yet
        feedback = Feedback(None, _todo(exercise))
    return Result(exercise_id, feedback)


def next_hint(exercises, exercise_id, shown):
    """The next hint of an exercise. shown: dict id -> hints shown so far (the caller's)."""
    exercise = _find(exercises, exercise_id)
    k = shown.get(exercise_id, 0)
    if k >= len(exercise.hints):
        return f"{exercise_id}: no more hints (there were {len(exercise.hints)})."
    shown[exercise_id] = k + 1
    return f"{exercise_id} hint {k + 1} of {len(exercise.hints)}: {exercise.hints[k]}"


class Checker:
    """What a chapter's notebook calls, over that chapter's EXERCISES: check(id, answer) judges
    an answer and never raises; hint(id) gives one more hint each call, counting in `shown`
    (id -> hints shown so far) for as long as the kernel runs."""

    def __init__(self, exercises):
        self.exercises = exercises
        self.shown = {}

    def check(self, exercise_id, answer):
        """Check the reader's answer to one of this chapter's exercises; never raises."""
        return run_check(self.exercises, exercise_id, answer)

    def hint(self, exercise_id):
        """The next hint for an exercise (one more each call)."""
        return next_hint(self.exercises, exercise_id, self.shown)


def _find(exercises, exercise_id):
    if exercise_id not in exercises:
        raise KeyError(f"no exercise {exercise_id!r} here; this chapter has {sorted(exercises)}")
    return exercises[exercise_id]


def _todo(exercise):
    if exercise.kind == "code":
        return (
            "fill in the function above (replace the ...), then run this cell again; if you "
            "have, check that your function ends with a return"
        )
    return "write your answer in place of None above, then run this cell again"
