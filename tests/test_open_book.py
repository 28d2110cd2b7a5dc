"""scripts/open_book.py: readers work on copies in reading/, and --fresh never loses theirs."""

import importlib.util
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("open_book", REPO / "scripts" / "open_book.py")
open_book = importlib.util.module_from_spec(spec)
spec.loader.exec_module(open_book)


@pytest.fixture
def reading(tmp_path, monkeypatch):
    monkeypatch.setattr(open_book, "READING", tmp_path / "reading")
    return tmp_path / "reading"


def test_every_chapter_is_copied_once_and_a_readers_copy_is_left_alone(reading):
    open_book.copy_chapters()
    names = sorted(p.name for p in reading.glob("*.ipynb"))
    assert names == [p.name for p in open_book.chapters()] and "00_start_here.ipynb" in names
    assert not list(reading.glob("*.py"))  # no twins: one entry per chapter
    assert (reading / ".jupytext.toml").read_text() == 'formats = "ipynb"\n'
    copy = json.loads((reading / "01_neuron.ipynb").read_text())
    assert "widgets" not in copy["metadata"]  # opens unmodified; widgets live after Run All
    mine = reading / "01_neuron.ipynb"
    mine.write_text('{"mine": true}')
    open_book.copy_chapters()
    assert json.loads(mine.read_text()) == {"mine": True}


def test_fresh_puts_the_chapter_back_and_keeps_the_readers_copy(reading):
    open_book.copy_chapters()
    (reading / "04_backpropagation.ipynb").write_text('{"mine": true}')
    open_book.copy_chapters(fresh=[open_book.find("04")])
    shipped = json.loads((open_book.NOTEBOOKS / "04_backpropagation.ipynb").read_text())
    shipped["metadata"].pop("widgets", None)
    assert json.loads((reading / "04_backpropagation.ipynb").read_text()) == shipped
    (kept,) = (reading / "old").glob("04_backpropagation-*.ipynb")
    assert json.loads(kept.read_text()) == {"mine": True}


def test_a_chapter_is_found_by_number_or_name_and_a_typo_is_explained():
    assert open_book.find("04").name == "04_backpropagation.ipynb"
    assert open_book.find("08_gpt").name == "08_gpt.ipynb"
    with pytest.raises(SystemExit, match="no single chapter matches '4b'.*00_start_here"):
        open_book.find("4b")
    assert open_book.find("00").name == "00_start_here.ipynb"  # the way in
    assert open_book.find("00_notation").name == "00_notation.ipynb"


def test_the_book_settings_save_widget_state():
    settings = REPO / "scripts" / "jupyter" / "labconfig" / "default_setting_overrides.json"
    overrides = json.loads(settings.read_text())
    assert overrides["@jupyter-widgets/jupyterlab-manager:plugin"] == {"saveState": True}
    # a classroom is often offline: no question about news, no update checks
    notification = overrides["@jupyterlab/apputils-extension:notification"]
    assert notification == {"checkForUpdates": False, "fetchNews": "false"}


def test_everything_after_the_double_dash_goes_to_jupyterlab(reading, monkeypatch):
    calls = []
    monkeypatch.setattr(
        open_book.subprocess, "call", lambda cmd, **kw: calls.append((cmd, kw)) or 0
    )
    assert open_book.main(["--", "--no-browser", "--port", "8877"]) == 0
    command, options = calls[-1]
    assert command[3:5] == ["lab", "00_start_here.ipynb"] and command[-3:] == [
        "--no-browser",
        "--port",
        "8877",
    ]
    assert options["cwd"] == reading
    assert str(open_book.CONFIG) in options["env"]["JUPYTER_CONFIG_PATH"]
    open_book.main(["08", "--", "--no-browser"])
    assert calls[-1][0][4] == "08_gpt.ipynb"
