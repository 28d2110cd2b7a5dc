"""Test-session setup shared by the unit tests and the notebook tests (nbval).

- MPLBACKEND is removed before any kernel starts: a kernel that inherits
  MPLBACKEND=Agg silently drops inline figures, so stored and fresh outputs differ.
- NNLIB_OFFLINE=1: the data loaders must never download during tests.
- The session is sealed from the reader's machine: NNLIB_DATA and NNLIB_CHECKPOINT are
  removed and the per-user cache (XDG_CACHE_HOME) points at a fresh temporary folder, so the
  tests, and every kernel nbval or the browser tests start, see only what the repository
  holds (nnlib/bundled/: the data and the GPT checkpoint), never a cache filled by an
  earlier download.
- Any socket connection to a non-loopback address fails loudly in the test
  process (loopback stays allowed: Jupyter kernels and the e2e server use it).

It also lends the figure tests two helpers: figure_script (a chapter's figure script, imported
as scripts/make_figures.py does) and stored_output (what a notebook's cell printed).
"""

import atexit
import importlib
import ipaddress
import os
import shutil
import socket
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]

os.environ.pop("MPLBACKEND", None)
os.environ["NNLIB_OFFLINE"] = "1"
for _name in ("NNLIB_DATA", "NNLIB_CHECKPOINT"):
    os.environ.pop(_name, None)
# Set at import, before any kernel starts, so the kernels inherit it too.
_CACHE = tempfile.mkdtemp(prefix="nnlib-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex
_getaddrinfo = socket.getaddrinfo


def _is_local(host):
    if host in (None, "", "localhost") or isinstance(host, bytes) and host == b"localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name other than localhost would need DNS: the network


def _check(address, family):
    if family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
        raise RuntimeError(
            f"a test tried to reach {address!r} over the network; tests must stay offline"
        )


def _guarded_connect(self, address):
    _check(address, self.family)
    return _connect(self, address)


def _guarded_connect_ex(self, address):
    _check(address, self.family)
    return _connect_ex(self, address)


def _guarded_getaddrinfo(host, *args, **kwargs):
    _check((host, None), socket.AF_INET)
    return _getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Fail any connection to a non-loopback address made by the code under test."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", _guarded_getaddrinfo)


def pytest_ignore_collect(collection_path, config):
    """Notebooks under tests/ are fixtures (e.g. for the browser tests), not chapters for nbval."""
    if collection_path.suffix == ".ipynb":
        return True
    return None


@pytest.fixture(scope="session")
def figure_script():
    """figure_script("ch04_backpropagation"): scripts/figures/ch04_backpropagation.py, imported
    as scripts/make_figures.py imports it (scripts/ on the path for the import only)."""

    def load(name):
        sys.path.insert(0, str(REPO / "scripts"))
        try:
            return importlib.import_module(f"figures.{name}")
        finally:
            sys.path.remove(str(REPO / "scripts"))

    return load


@pytest.fixture(scope="session")
def stored_output():
    """stored_output("04_backpropagation", "with no_grad():"): the text/plain output of the one
    code cell of notebooks/04_backpropagation.ipynb whose source starts so (its last value)."""

    def read(notebook, starts_with):
        nb = nbformat.read(REPO / "notebooks" / f"{notebook}.ipynb", as_version=4)
        found = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith(starts_with)]
        assert len(found) == 1, f"expected one cell starting {starts_with!r}, found {len(found)}"
        outputs = [o for o in found[0].outputs if "text/plain" in o.get("data", {})]
        return outputs[-1]["data"]["text/plain"]

    return read
