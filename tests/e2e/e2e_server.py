"""Start and stop a throwaway JupyterLab server for the browser tests.

The server listens on 127.0.0.1 only, on a free port, with no token and no password, and keeps
every file it would write (config, runtime, data, workspaces, user settings, checkpoints, IPython
profile) in one temporary folder. It never fetches anything: news, update checks and the
announcements prompt are turned off, and the widget JavaScript comes from the installed
jupyterlab_widgets package.

JupyterLab must not save the notebooks it runs (they are the committed, executed copies), so
autosave is off in the throwaway user settings, and the browser closes pages without saving.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

# User settings written into the throwaway config folder before the server starts.
# windowingMode "none" keeps every cell in the page, so widgets below the fold render too.
USER_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/apputils-extension/notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}

BOOK_SETTINGS = Path(__file__).resolve().parents[2] / "scripts" / "jupyter"


def free_port():
    """Ask the kernel for a free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_user_settings(config_dir):
    """Write USER_SETTINGS where both JupyterLab and Notebook 7 read them."""
    for plugin, values in USER_SETTINGS.items():
        package, name = plugin.rsplit("/", 1)
        path = Path(config_dir) / "lab" / "user-settings" / package / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def server_command(root_dir, port, tmp):
    """The `jupyter lab` command line for the throwaway server."""
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--port-retries=0",
        f"--ServerApp.root_dir={root_dir}",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        "--ServerApp.disable_check_xsrf=True",
        "--ServerApp.open_browser=False",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
        "--LabApp.expose_app_in_browser=True",
        "--JupyterNotebookApp.expose_app_in_browser=True",
        f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
        f"--LabApp.user_settings_dir={tmp / 'config' / 'lab' / 'user-settings'}",
        f"--FileCheckpoints.checkpoint_dir={tmp / 'checkpoints'}",
        # Open the committed .ipynb as it is. Jupytext's contents manager would refuse a notebook
        # whose .ipynb is newer than its paired .py ("outdated text notebook"), which depends
        # only on file times; the unit tests already check that each pair agrees.
        "--ServerApp.jpserver_extensions=jupyterlab_jupytext=False",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd


def server_env(tmp):
    """Environment with every Jupyter and IPython folder moved into tmp."""
    env = dict(os.environ)
    env.update(
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTER_DATA_DIR=str(tmp / "data"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        IPYTHONDIR=str(tmp / "ipython"),
        JUPYTER_PLATFORM_DIRS="0",
        PYTHONUNBUFFERED="1",
    )
    # As for nbval (tests/conftest.py): a kernel that inherits MPLBACKEND=Agg shows no figures.
    env.pop("MPLBACKEND", None)
    # The book's JupyterLab settings, as scripts/open_book.py gives them to readers (widget
    # state saved with a notebook): the browser tests check what a reader gets.
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        p for p in (str(BOOK_SETTINGS), os.environ.get("JUPYTER_CONFIG_PATH", "")) if p
    )
    return env


def children_of(pid):
    """PIDs of all processes whose parent is pid (read from /proc; empty elsewhere)."""
    found = []
    proc = Path("/proc")
    if not proc.is_dir():
        return found
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces; ppid follows it.
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


class JupyterServer:
    """One JupyterLab server process, started with start() and always ended with stop()."""

    def __init__(self, root_dir, tmp):
        self.root_dir = Path(root_dir)
        self.tmp = Path(tmp)
        self.port = None
        self.proc = None
        self.log_path = self.tmp / "jupyter-server.log"
        self._log = None
        self._kernel_pids = set()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=90.0):
        """Start the server and wait until its REST API answers."""
        for sub in ("config", "data", "runtime", "ipython", "workspaces", "checkpoints"):
            (self.tmp / sub).mkdir(parents=True, exist_ok=True)
        write_user_settings(self.tmp / "config")
        self.port = free_port()
        self._log = open(self.log_path, "w")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(
            server_command(self.root_dir, self.port, self.tmp),
            cwd=self.root_dir,
            env=server_env(self.tmp),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"jupyter lab exited with {self.proc.returncode}:\n{self.log_tail()}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/api/status", timeout=2) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.25)
        raise RuntimeError(f"jupyter lab did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, n=40):
        """The last n lines the server (and its kernels) wrote."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return "(no server log)"

    def remember_kernels(self):
        """Note the PIDs of the kernels running now, so stop() can end them if the server cannot."""
        if self.proc is not None:
            self._kernel_pids.update(children_of(self.proc.pid))

    def stop(self):
        """Stop the server gracefully (it shuts its kernels down), then force what is left."""
        if self.proc is None:
            return
        try:
            self.remember_kernels()
            if self.proc.poll() is None:
                os.kill(self.proc.pid, signal.SIGTERM)
                try:
                    self.proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                    self.proc.wait(timeout=10)
        finally:
            # Kernels run in their own sessions; end any the server left behind.
            for pid in self._kernel_pids:
                for sig in (signal.SIGTERM, signal.SIGKILL):
                    try:
                        os.killpg(pid, sig)
                    except (ProcessLookupError, PermissionError):
                        break
                    time.sleep(0.2)
            if self._log is not None:
                self._log.close()
            self.proc = None
