"""A progress bar for training loops that a saved notebook shows finished.

In Jupyter, tqdm draws its bar as a widget, and the notebook file keeps the bar's text as it
was when the bar appeared: GitHub then shows "0%| | 0/6000" under a finished loss curve.
progress() draws the same bar, and when the loop ends it replaces the saved output with the
finished bar (an IPython display update), so the file shows what the reader saw last.
Outside Jupyter it is plain tqdm, on the terminal.

Which is which: tqdm.auto asks IPython for ipykernel's IPKernelApp, which the browser
edition's kernel (Pyodide) does not have, so there it would print a text bar on stderr. We ask
instead whether code runs in any kernel (an IPython shell that is not the terminal's). Our
bars also start no monitor thread (monitor_interval = 0 on our own subclasses, not on tqdm's
class): a browser cannot start threads, and a loop that ends is closed anyway.
"""

from tqdm import tqdm as text_tqdm


class _TextBar(text_tqdm):
    monitor_interval = 0  # no monitor thread


def in_a_kernel():
    """True inside a Jupyter kernel (JupyterLab, Notebook 7, the browser edition's Pyodide)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ != "TerminalInteractiveShell"


def progress(iterable, desc=None, total=None):
    """Yield the items of iterable while a bar counts them: `for step in progress(range(n))`."""
    if not in_a_kernel():  # a terminal or a script: plain text bar
        yield from _TextBar(iterable, desc=desc, total=total)
        return
    from IPython.display import display
    from tqdm.notebook import tqdm as notebook_tqdm  # here: it imports ipywidgets

    class NotebookBar(notebook_tqdm):
        monitor_interval = 0  # no monitor thread

    bar = NotebookBar(iterable, desc=desc, total=total, display=False)
    handle = display(bar.container, display_id=True)
    bar.displayed = True
    try:
        yield from bar
    finally:
        bar.close()
        handle.update(bar.container)  # the saved output becomes the finished bar
