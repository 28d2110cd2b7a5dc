"""Drive one notebook in one browser page the way a reader does (Playwright, async API).

run_notebook() opens a notebook in JupyterLab (or in Notebook 7), clears its stored outputs and
runs all cells from the menus, waits until every code cell has run and the kernel is idle, and
collects what went wrong: error outputs, tracebacks on stderr, widgets that did not render. Then
it moves every visible slider (and picks another entry in every dropdown) and checks that the
output the control drives changed on screen: the pixels of its figures, or its text. On every
drawing canvas (nnlib.widgets.canvas.DrawingCanvas, in any notebook) it draws a stroke with the
mouse and checks that the text the widget shows (its prediction) changed, then presses Clear.
In a chapter with exercises it types the worked solution of the first one into its cell, as a
reader types an answer, runs the cell and waits for the check to turn green.

Page state is read through window.jupyterapp (the server runs with expose_app_in_browser);
everything the test does to the notebook goes through the menus and the keyboard.
"""

import hashlib
import io
import re
import time
from dataclasses import dataclass, field

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# A rendered widget view is a top-level output holding a .jupyter-widgets element (views nested
# in an Output widget are left out: the notebook model does not count them either).
WIDGET_OUTPUT = ".jp-OutputArea-output:has(> .jupyter-widgets):not(.jupyter-widgets *)"
STDERR_OUTPUT = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
# Elements whose pixels show what a control drives (figures) and whose text may show it too.
VISUALS = "img, canvas, svg.jp-RenderedSVG, .jp-RenderedSVG svg"
TEXTS = ".widget-output, .widget-html-content, .widget-htmlmath-content"
# The root element and the Clear button of nnlib's DrawingCanvas (its browser code names them).
CANVAS = ".nnlib-drawing-canvas"
CANVAS_CLEAR = ".nnlib-drawing-clear"
# What nnlib.exercises' checks show: an empty stub, a right answer (their _repr_html_).
EXERCISE_TODO = ".nnlib-exercise-todo"
EXERCISE_RIGHT = ".nnlib-exercise-right"

JS_PANEL_READY = """(path) => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!w || !w.context || w.context.path !== path || !w.context.isReady) return false;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle';
}"""

JS_KERNEL_IDLE = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle';
}"""

# True when nothing runs and every code cell ran, or a cell raised (Run All stops there).
JS_RUN_DONE = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w.sessionContext.session && w.sessionContext.session.kernel;
  if (!k || k.status !== 'idle') return false;
  let pending = 0, errors = 0;
  for (const c of w.content.model.cells) {
    if (c.type !== 'code') continue;
    if (c.executionState === 'running') return false;
    if (c.sharedModel.getSource().trim() === '') continue;
    if (c.executionCount === null) pending++;
    for (let i = 0; i < c.outputs.length; i++) {
      if (c.outputs.get(i).type === 'error') errors++;
    }
  }
  return pending === 0 || errors > 0;
}"""

# Problems in the notebook model after the run, and how many widget outputs it holds.
JS_MODEL_REPORT = """(widgetMime) => {
  const w = window.jupyterapp.shell.currentWidget;
  const problems = []; let widgets = 0, index = 0;
  for (const c of w.content.model.cells) {
    index++;
    if (c.type !== 'code') continue;
    const src = c.sharedModel.getSource();
    if (src.trim() !== '' && c.executionCount === null)
      problems.push(`cell ${index} did not run`);
    for (let i = 0; i < c.outputs.length; i++) {
      const o = c.outputs.get(i).toJSON();
      if (o.output_type === 'error')
        problems.push(`cell ${index}: ${o.ename}: ${o.evalue}`);
      const text = Array.isArray(o.text) ? o.text.join('') : (o.text || '');
      if (o.output_type === 'stream' && o.name === 'stderr' && text.includes('Traceback'))
        problems.push(`cell ${index}: traceback on stderr: ${text.slice(-300)}`);
      if (o.data && o.data[widgetMime]) widgets++;
    }
  }
  return {problems, widgets};
}"""

# Tracebacks and unrendered widgets as the reader sees them in the page.
JS_DOM_REPORT = """(panel, [stderrSel, widgetSel]) => {
  const problems = [];
  for (const el of panel.querySelectorAll(stderrSel))
    if (el.textContent.includes('Traceback'))
      problems.push('traceback shown: ' + el.textContent.slice(-300));
  const shown = '.jp-RenderedText[data-mime-type="application/vnd.jupyter.error"], '
    + '.jupyter-widgets-error-widget';
  for (const el of panel.querySelectorAll(shown))
    problems.push('error shown: ' + el.textContent.slice(0, 300));
  return {problems, rendered: panel.querySelectorAll(widgetSel).length};
}"""

# A cheap fingerprint of what a widget shows (image sources and texts, not slider readouts).
JS_SIGNATURE = """(el) => {
  const parts = [];
  for (const img of el.querySelectorAll('img')) parts.push(img.src);
  const shown = '.widget-output, .widget-html-content, .widget-htmlmath-content';
  for (const t of el.querySelectorAll(shown))
    parts.push(t.innerText);
  const s = parts.join('\\u0001');
  let h = 5381;
  for (let i = 0; i < s.length; i++) h = ((h * 33) ^ s.charCodeAt(i)) >>> 0;
  return h + ':' + s.length;
}"""


@dataclass
class ControlResult:
    """One slider or dropdown moved: which, how, whether its output changed, how long it took."""

    widget: int
    kind: str
    label: str
    action: str
    changed: bool
    seconds: float
    detail: str = ""
    restored: bool = True
    restore_seconds: float = 0.0
    # Seconds from the move to the kernel's idle after the output changed: the widget's answer,
    # without the waits that check it holds still (the put-back, typed, is not timed so).
    answers: list = field(default_factory=list)
    progress_bar: bool = False  # the widget shows one: a panel that computes (3 s allowed)


@dataclass
class NotebookReport:
    """Everything one run of one notebook found, for the tests to assert on and to print."""

    path: str
    ui: str
    problems: list = field(default_factory=list)
    controls: list = field(default_factory=list)
    hidden_controls: int = 0
    widgets: int = 0
    timings: dict = field(default_factory=dict)
    screenshots: list = field(default_factory=list)
    external_requests: list = field(default_factory=list)
    exercise: dict = field(default_factory=dict)  # id, turned_green, seconds, shown


async def click_menu(page, menu, item):
    """Open a top-level menu and click one of its entries, as a reader does."""
    await page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{menu}$")).click()
    entry = page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}$"))
    await entry.first.click()


async def wait_kernel_idle(page, timeout_s, polling=200):
    await page.wait_for_function(JS_KERNEL_IDLE, timeout=timeout_s * 1000, polling=polling)


async def pixels(locator):
    """SHA-256 of the screenshots of every visible figure inside locator."""
    digests = []
    visuals = locator.locator(VISUALS)
    for i in range(await visuals.count()):
        v = visuals.nth(i)
        if await v.is_visible():
            digests.append(hashlib.sha256(await v.screenshot()).hexdigest())
    return digests


async def texts(locator):
    return await locator.locator(TEXTS).all_inner_texts()


async def settle(page, widget, before, timeout_s):
    """Wait until the widget's fingerprint leaves `before`, the kernel idles, and it holds still.

    Returns the time.monotonic() at which the kernel was idle after the change (the answer
    was complete, to within the 50 ms polling), or None if the output never changed."""
    handle = await widget.element_handle()
    try:
        await page.wait_for_function(
            f"([el, before]) => ({JS_SIGNATURE})(el) !== before",
            arg=[handle, before],
            timeout=timeout_s * 1000,
            polling=50,
        )
    except Exception:  # Playwright's TimeoutError: the output never changed
        return None
    await wait_kernel_idle(page, timeout_s, polling=50)
    answered = time.monotonic()
    last = None
    for _ in range(50):
        now = await widget.evaluate(JS_SIGNATURE)
        if now == last:
            break
        last = now
        await page.wait_for_timeout(300)
    return answered


async def exercise(page, widget, index, control, kind, timeout_s):
    """Move one control, wait, and tell whether the output it drives changed on screen.

    Returns (ControlResult, PNG of the widget in the moved state). The control is then put back
    where it was, so each control is judged from the notebook's own starting point (moving
    p(right) to 1 first would, say, leave nothing for a "spread of the wrong mass" slider)."""
    label = (
        await control.evaluate(
            "el => (el.closest('.widget-inline-hbox, .jupyter-widgets') || el)"
            ".querySelector('.widget-label')?.innerText || ''"
        )
    ).strip()
    before_sig = await widget.evaluate(JS_SIGNATURE)
    before_px, before_txt = await pixels(widget), await texts(widget)
    start = time.monotonic()
    if kind == "slider":
        handle = control.locator(".noUi-handle").last
        now = await handle.get_attribute("aria-valuenow")
        top = await handle.get_attribute("aria-valuemax")
        key = "Home" if now is not None and now == top else "End"
        readout = control.locator(".widget-readout")
        shown = (await readout.inner_text()).strip() if await readout.count() else None
        await handle.focus()
        moved_at = time.monotonic()
        await page.keyboard.press(key)
        action = f"{key} from {now}"
    else:
        select = control.locator("select")
        n = len(await select.locator("option").all())
        current = await select.evaluate("s => s.selectedIndex")
        target = (current + 1) % max(n, 1)
        moved_at = time.monotonic()
        await select.select_option(index=target)
        action = f"option {current} -> {target}"
    answered = await settle(page, widget, before_sig, timeout_s)
    moved = answered is not None
    seconds = time.monotonic() - start
    answers = [answered - moved_at] if moved else []
    after_px, after_txt = await pixels(widget), await texts(widget)
    changed = moved and (after_px != before_px or after_txt != before_txt)
    detail = "" if changed else ("no output change" if not moved else "same pixels and text")
    shot = await widget.screenshot()
    # Put the control back as a reader would: type the old value into the slider's readout
    # (or step back with the arrow keys where the readout is not editable), or re-pick the option.
    moved_sig = await widget.evaluate(JS_SIGNATURE)
    start = time.monotonic()
    if kind == "slider":
        restored = await restore_slider(page, control, handle, now, shown, key)
    else:
        await select.select_option(index=current)
        restored = True
    if moved and restored:
        restored = await settle(page, widget, moved_sig, timeout_s) is not None
    result = ControlResult(
        index, kind, label, action, changed, seconds, detail, restored, time.monotonic() - start
    )
    result.answers = answers
    result.progress_bar = await widget.locator(".widget-hprogress, .widget-vprogress").count() > 0
    return result, shot


async def draw_stroke(page, canvas, n_points=24):
    """Press the mouse on the canvas, draw a stroke down its middle with a kink (a 1 with a
    flag), and release, as a reader does. Returns the number of points drawn."""
    box = await canvas.bounding_box()
    x, top, height = box["x"] + box["width"] / 2, box["y"] + 0.15 * box["height"], box["height"]
    await page.mouse.move(x - 0.15 * box["width"], top + 0.15 * height)
    await page.mouse.down()
    await page.mouse.move(x, top, steps=6)
    for k in range(1, n_points + 1):
        await page.mouse.move(x, top + 0.7 * height * k / n_points)
        await page.wait_for_timeout(15)  # a hand takes time; the canvas sends every 100 ms
    await page.mouse.up()
    return n_points + 7


async def exercise_canvas(page, widget, index, root, timeout_s):
    """Press Clear, then draw a stroke on a drawing canvas: the widget's text (its prediction)
    must change from what it says for the empty canvas to what it says for the stroke.

    Returns (ControlResult, PNG of the widget after the stroke). A drawing cannot be put back
    as a slider can; the canvas is left with the stroke, as a reader leaves it."""
    cleared_sig = await widget.evaluate(JS_SIGNATURE)
    start = time.monotonic()
    await root.locator(CANVAS_CLEAR).click()
    # Clear changes the output unless the canvas was empty already: then nothing will come.
    cleared = await settle(page, widget, cleared_sig, min(timeout_s, 5)) is not None
    clear_seconds = time.monotonic() - start
    before_sig, before_txt = await widget.evaluate(JS_SIGNATURE), await texts(widget)
    start = time.monotonic()
    points = await draw_stroke(page, root.locator("canvas"))
    answered = await settle(page, widget, before_sig, timeout_s)
    moved = answered is not None
    seconds = time.monotonic() - start
    after_txt = await texts(widget)
    changed = moved and after_txt != before_txt
    detail = "" if changed else ("no output change" if not moved else f"same text {after_txt}")
    said = " | ".join(t.strip() for t in before_txt + ["->"] + after_txt if t.strip())
    action = f"Clear ({'changed' if cleared else 'was empty'}), stroke of {points} points: {said}"
    result = ControlResult(index, "canvas", "drawing canvas", action, changed, seconds, detail,
                           True, clear_seconds)  # fmt: skip
    # Not a redraw's answer: the stroke itself takes the drawing hand's time.
    result.answers = []
    return result, await widget.screenshot()


async def fill_exercise(page, panel, answer, timeout_s):
    """Type a worked solution into the first exercise cell and run it, as a reader does.

    answer: (exercise id, the whole cell as the reader would leave it). Returns a dict: id,
    turned_green (the check showed right), seconds, and the text the check showed."""
    exercise_id, source = answer
    # Pin the cell itself: a locator filtered on "not done yet" would move on to the next
    # exercise as soon as this one turns green.
    cell = (
        await panel.locator(".jp-CodeCell")
        .filter(has=page.locator(EXERCISE_TODO))
        .first.element_handle()
    )
    editor = await cell.query_selector(".cm-content")
    await editor.scroll_into_view_if_needed()
    await editor.click()
    await page.keyboard.press("ControlOrMeta+a")
    await page.keyboard.insert_text(source)  # one insertion: no auto-indent, no auto-close
    start = time.monotonic()
    await page.keyboard.press("Shift+Enter")
    try:
        await cell.wait_for_selector(EXERCISE_RIGHT, timeout=timeout_s * 1000)
        green = True
    except Exception:
        green = False
    seconds = time.monotonic() - start
    output = await cell.query_selector(".jp-OutputArea")
    shown = (await output.inner_text()).strip() if output else ""
    picture = await cell.screenshot() if green else None
    return {"id": exercise_id, "turned_green": green, "seconds": seconds,
            "shown": shown[:300], "picture": picture}  # fmt: skip


async def restore_slider(page, control, handle, value, shown, key):
    """Bring a slider moved to one end with `key` back to aria-valuenow `value`: type its old
    readout text `shown` into the readout, and where that does not take (selection sliders),
    step back with the arrow keys. Returns whether the handle is back at `value`."""
    if value is None:
        return False
    readout = control.locator(".widget-readout")
    if shown and await readout.count() and await readout.get_attribute("contenteditable") == "true":
        await readout.click()
        await page.keyboard.press("Control+A")
        await page.keyboard.type(shown.replace("\u2212", "-"))  # the readout shows a true minus
        await page.keyboard.press("Enter")
        await page.wait_for_timeout(200)
    back = "ArrowLeft" if key == "End" else "ArrowRight"
    for _ in range(60):
        if await handle.get_attribute("aria-valuenow") == value:
            return True
        await handle.focus()
        await page.keyboard.press(back)
    return False


def stack_png(pngs):
    """Stack PNG screenshots vertically into one PNG (bytes)."""
    from PIL import Image

    images = [Image.open(io.BytesIO(p)).convert("RGB") for p in pngs]
    width = max(im.width for im in images)
    sheet = Image.new("RGB", (width, sum(im.height for im in images) + 8 * len(images)), "white")
    y = 0
    for im in images:
        sheet.paste(im, (0, y))
        y += im.height + 8
    out = io.BytesIO()
    sheet.save(out, format="PNG")
    return out.getvalue()


async def open_notebook(page, base_url, path, ui, name, timeout_s):
    """Open a notebook: by its URL in a fresh page, or from the running JupyterLab's File menu
    command (docmanager:open) when the page already shows JupyterLab, which saves reloading the
    whole application for every notebook. Returns the DOM id of the notebook panel."""
    if page.url.startswith(f"{base_url}/lab"):
        await close_notebook(page)
        await page.evaluate(
            "async (p) => {"
            " await window.jupyterapp.commands.execute('docmanager:open', {path: p}); }",
            path,
        )
    elif ui == "lab":
        await page.goto(f"{base_url}/lab/workspaces/e2e-{name}/tree/{path}?reset")
    else:
        await page.goto(f"{base_url}/notebooks/{path}")
    await page.wait_for_function(JS_PANEL_READY, arg=path, timeout=timeout_s * 1000)
    return await page.evaluate("() => window.jupyterapp.shell.currentWidget.id")


async def close_notebook(page):
    """Shut the current notebook's kernel down and close it without saving."""
    await page.evaluate(
        """async () => {
          const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
          if (!w || !w.sessionContext) return;
          await w.sessionContext.shutdown();
          w.context.model.dirty = false;
          w.dispose();
        }"""
    )


async def run_notebook(page, base_url, path, ui, shots, timeouts, answer=None):
    """Open, run and exercise one notebook; return a NotebookReport (never raises on findings).

    page may be blank or may already show JupyterLab from an earlier notebook. answer: None, or
    (exercise id, cell source) to type into the notebook's first exercise cell."""
    report = NotebookReport(path=path, ui=ui)
    name = path.rsplit("/", 1)[-1].removesuffix(".ipynb") + ("" if ui == "lab" else "-notebook7")

    def note_request(request):
        if not request.url.startswith((base_url, "data:", "blob:")):
            report.external_requests.append(request.url)

    page.on("request", note_request)
    try:
        return await _run(page, base_url, path, ui, name, shots, timeouts, report, answer)
    except Exception as error:  # a timeout or a vanished element: report it with a picture
        report.problems.append(f"{type(error).__name__}: {str(error).splitlines()[0]}")
        target = shots / f"{name}-failure.png"
        try:
            await page.screenshot(path=str(target))
            report.screenshots.append(str(target))
        except Exception:
            pass
        return report
    finally:
        page.remove_listener("request", note_request)


async def _run(page, base_url, path, ui, name, shots, timeouts, report, answer=None):
    t0 = time.monotonic()
    panel_id = await open_notebook(page, base_url, path, ui, name, timeouts["open"])
    panel = page.locator(f'[id="{panel_id}"]')
    t1 = time.monotonic()
    await click_menu(page, "Edit", "Clear Outputs of All Cells")
    await click_menu(page, "Run", "Run All Cells")
    try:
        await page.wait_for_function(JS_RUN_DONE, timeout=timeouts["run"] * 1000, polling=250)
    except Exception:
        report.problems.append(f"Run All did not finish within {timeouts['run']} s")
        report.timings.update(open=t1 - t0, run=time.monotonic() - t1)
        return report
    t2 = time.monotonic()
    model = await page.evaluate(JS_MODEL_REPORT, WIDGET_MIME)
    report.problems += model["problems"]
    report.widgets = model["widgets"]
    try:  # widget views render after the outputs arrive
        await page.wait_for_function(
            "([id, sel, n]) => document.getElementById(id).querySelectorAll(sel).length >= n",
            arg=[panel_id, WIDGET_OUTPUT, report.widgets],
            timeout=timeouts["render"] * 1000,
        )
    except Exception:
        pass
    dom = await panel.evaluate(JS_DOM_REPORT, [STDERR_OUTPUT, WIDGET_OUTPUT])
    report.problems += dom["problems"]
    if dom["rendered"] != report.widgets:
        report.problems.append(
            f"{report.widgets} widget outputs in the notebook, "
            f"{dom['rendered']} rendered in the page"
        )
    widgets = panel.locator(WIDGET_OUTPUT)
    before, after = [], []
    for i in range(await widgets.count()):
        widget = widgets.nth(i)
        await widget.scroll_into_view_if_needed()
        before.append(await widget.screenshot())
        for kind, selector in (("slider", ".widget-slider"), ("dropdown", ".widget-dropdown")):
            controls = widget.locator(selector)
            for j in range(await controls.count()):
                control = controls.nth(j)
                if not await control.is_visible():
                    report.hidden_controls += 1
                    continue
                result, shot = await exercise(
                    page, widget, i + 1, control, kind, timeouts["control"]
                )
                report.controls.append(result)
                after.append(shot)
        canvases = widget.locator(CANVAS)
        for j in range(await canvases.count()):
            root = canvases.nth(j)
            if not await root.is_visible():
                report.hidden_controls += 1
                continue
            await root.scroll_into_view_if_needed()
            result, shot = await exercise_canvas(page, widget, i + 1, root, timeouts["control"])
            report.controls.append(result)
            after.append(shot)
    if answer is not None:
        report.exercise = await fill_exercise(page, panel, answer, timeouts["control"])
        picture = report.exercise.pop("picture")
        if picture is not None:
            after.append(picture)
    t3 = time.monotonic()
    # NAME-before.png: every widget as Run All left it; NAME-after.png: the widget after each
    # control's move, one picture per control, in order.
    for suffix, pngs in (("before", before), ("after", after)):
        if pngs:
            target = shots / f"{name}-{suffix}.png"
            target.write_bytes(stack_png(pngs))
            report.screenshots.append(str(target))
    if not before:
        target = shots / f"{name}-page.png"
        await page.screenshot(path=str(target))
        report.screenshots.append(str(target))
    dom = await panel.evaluate(JS_DOM_REPORT, [STDERR_OUTPUT, WIDGET_OUTPUT])
    report.problems += [f"after moving controls: {p}" for p in dom["problems"]]
    report.timings.update(open=t1 - t0, run=t2 - t1, controls=t3 - t2, total=time.monotonic() - t0)
    return report


async def reopen_after_save(page, base_url, path, timeouts):
    """Run a notebook, save it, close it, load JupyterLab afresh and reopen it, as a reader
    who comes back later does. Returns the problems the reopened notebook shows (widget errors
    such as "model not found", or widgets that do not render from the saved state)."""
    name = "reopen-" + path.rsplit("/", 1)[-1].removesuffix(".ipynb")
    await open_notebook(page, base_url, path, "lab", name, timeouts["open"])
    await click_menu(page, "Run", "Run All Cells")
    await page.wait_for_function(JS_RUN_DONE, timeout=timeouts["run"] * 1000, polling=250)
    model = await page.evaluate(JS_MODEL_REPORT, WIDGET_MIME)
    if model["problems"] or not model["widgets"]:
        return [f"the first run: {model['problems'] or 'no widget to reopen'}"]
    await page.evaluate(
        "async () => { await window.jupyterapp.commands.execute('docmanager:save'); }"
    )
    await close_notebook(page)
    await page.goto("about:blank")  # the whole application goes, as when a reader comes back
    await page.goto(f"{base_url}/lab/workspaces/e2e-{name}-again/tree/{path}?reset")
    await page.wait_for_function(JS_PANEL_READY, arg=path, timeout=timeouts["open"] * 1000)
    panel_id = await page.evaluate("() => window.jupyterapp.shell.currentWidget.id")
    panel = page.locator(f'[id="{panel_id}"]')
    saved = await page.evaluate(JS_MODEL_REPORT, WIDGET_MIME)
    try:
        await page.wait_for_function(
            "([id, sel, n]) => document.getElementById(id).querySelectorAll(sel).length >= n",
            arg=[panel_id, WIDGET_OUTPUT, saved["widgets"]],
            timeout=timeouts["render"] * 1000,
        )
    except Exception:
        pass
    await page.wait_for_timeout(1000)  # an error view replaces a widget a moment later
    dom = await panel.evaluate(JS_DOM_REPORT, [STDERR_OUTPUT, WIDGET_OUTPUT])
    problems = list(dom["problems"])
    text = await panel.inner_text()
    if "Error displaying widget" in text or "model not found" in text:
        problems.append("the reopened notebook says: Error displaying widget")
    if dom["rendered"] != saved["widgets"]:
        problems.append(f"{saved['widgets']} saved widget outputs, {dom['rendered']} rendered")
    await close_notebook(page)
    return problems
