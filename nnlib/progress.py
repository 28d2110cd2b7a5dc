"""A progress bar for training loops that a saved notebook shows finished.

In Jupyter, tqdm draws its bar as a widget, and the notebook file keeps the bar's text as it
was when the bar appeared: GitHub then shows "0%| | 0/6000" under a finished loss curve.
progress() draws the same bar, and when the loop ends it replaces the saved output with the
finished bar (an IPython display update), so the file shows what the reader saw last.
Outside Jupyter it is plain tqdm, on the terminal.
"""

from tqdm.auto import tqdm as auto_tqdm


def progress(iterable, desc=None, total=None):
    """Yield the items of iterable while a bar counts them: `for step in progress(range(n))`."""
    from tqdm.notebook import tqdm as notebook_tqdm  # here: it imports ipywidgets

    if not issubclass(auto_tqdm, notebook_tqdm):  # a terminal or a script: plain text bar
        yield from auto_tqdm(iterable, desc=desc, total=total)
        return
    from IPython.display import display

    bar = auto_tqdm(iterable, desc=desc, total=total, display=False)
    handle = display(bar.container, display_id=True)
    bar.displayed = True
    try:
        yield from bar
    finally:
        bar.close()
        handle.update(bar.container)  # the saved output becomes the finished bar
