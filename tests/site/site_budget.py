"""The guide's budgets for the browser edition, shared by the test and its summary table.

Each can be moved by an environment variable, e.g. on a slower machine than the guide's.
"""

import os
import statistics

BUDGET = float(os.environ.get("SITE_BUDGET_S", "60"))  # one chapter's Run All, seconds
ANSWER = float(os.environ.get("SITE_ANSWER_S", "0.5"))  # a widget's median answer, seconds
PANEL = float(os.environ.get("SITE_PANEL_S", "3"))  # the same for a panel that trains or samples


def widget_answers(report):
    """{widget number: (median seconds of its controls' answers, its budget)}.

    A widget that shows a progress bar is a panel that computes on each change (trains a
    network, samples text): the guide allows it PANEL seconds, any other widget ANSWER."""
    by_widget = {}
    for c in report.controls:
        if c.answers:
            by_widget.setdefault(c.widget, ([], PANEL if c.progress_bar else ANSWER))
            by_widget[c.widget][0].extend(c.answers)
    return {w: (statistics.median(a), budget) for w, (a, budget) in by_widget.items()}
