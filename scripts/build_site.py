"""Build the browser edition of the book into site/: JupyterLite with the Pyodide kernel.

    python scripts/build_site.py            # then: python -m http.server -d site

Everything in site/ comes either from this checkout (every chapter notebook, and nnlib as a
wheel that carries the bundled digits, Shakespeare and the trained GPT) or from the package
registries, checked against the hashes in scripts/site/site.lock.json (the Pyodide release,
its numpy/matplotlib/IPython files, the pure wheels ipywidgets, anywidget & co.) and
scripts/site/requirements.txt (the build tools). The built site fetches nothing from the
internet: Pyodide and its packages are served from site/static/pyodide/, and the kernel finds
nnlib and the widget packages in the same pyodide-lock.json as numpy, so `import nnlib` in a
chapter loads them from the site itself.

Steps (downloads are cached in build/site-cache/, the tools live in build/site-venv/):
  1. the build tools, pip-installed with --require-hashes;
  2. Pyodide's core from npm (sha512 integrity), its package files from the PyPI wheel named in
     the lock (sha256), each file checked against the release's own pyodide-lock.json;
  3. the pure wheels from PyPI (sha256);
  4. nnlib's wheel, built from a clean copy of the checkout;
  5. `jupyter lite build` with the chapters as contents.

If a pinned source has gone from its registry, the build stops and says which file is
missing and where to put it (any copy with the same hash will do), or pass
--pyodide-dir DIR: a folder holding Pyodide 0.27.7's released files (the "full" distribution).
"""

import argparse
import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import venv
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LOCK = REPO / "scripts" / "site" / "site.lock.json"
REQUIREMENTS = REPO / "scripts" / "site" / "requirements.txt"
BUILD = REPO / "build"
CACHE = Path(os.environ.get("SITE_CACHE", BUILD / "site-cache"))
VENV = Path(os.environ.get("SITE_VENV", BUILD / "site-venv"))
STAGE = BUILD / "site-lite"
TEST_WHEELS = BUILD / "site-test"  # pytest & co. for the unit tests in Pyodide, not in site/
OUT = REPO / "site"
TITLE = "From Neuron to GPT"


class BuildError(Exception):
    """A problem the maintainer must fix; its message says what and how."""


def say(message):
    print(f"build_site: {message}", flush=True)


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sri_sha512_of(path):
    """npm's "integrity" field: sha512- and the base64 of the digest."""
    digest = hashlib.sha512(Path(path).read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode()


def run(cmd, **kwargs):
    result = subprocess.run(cmd, text=True, capture_output=True, **kwargs)
    if result.returncode != 0:
        tail = (result.stdout + result.stderr).strip().splitlines()[-15:]
        raise BuildError(f"command failed: {' '.join(map(str, cmd))}\n" + "\n".join(tail))
    return result


# --- 1. the build tools -------------------------------------------------------------------


def venv_python():
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_tools(require_hashes=True):
    """A virtual environment with the pinned build tools; reinstalled when the pins change."""
    stamp = VENV / "requirements.sha256"
    want = sha256_of(REQUIREMENTS) + ("" if require_hashes else " unhashed")
    if venv_python().exists() and stamp.exists() and stamp.read_text() == want:
        return
    shown = VENV.relative_to(REPO) if VENV.is_relative_to(REPO) else VENV
    say(f"installing the build tools into {shown}")
    if VENV.exists():
        shutil.rmtree(VENV)
    venv.EnvBuilder(with_pip=True).create(VENV)
    pip = [str(venv_python()), "-m", "pip", "install", "--quiet", "--no-deps"]
    cmd = pip + ["-r", str(REQUIREMENTS)]
    if require_hashes:
        cmd.insert(-2, "--require-hashes")
    else:  # another platform: the same versions, without the Linux x86-64 hashes
        pins = [line.split()[0] for line in REQUIREMENTS.read_text().splitlines() if "==" in line]
        cmd = pip + pins
    try:
        run(cmd)
    except BuildError as error:
        raise BuildError(
            f"{error}\nThe build tools are pinned with hashes for CPython 3.11 on Linux x86-64 "
            f"({REQUIREMENTS.relative_to(REPO)}). Elsewhere run with --tools-without-hashes "
            "(the same versions, the site's own files are still hash-checked)."
        ) from None
    stamp.write_text(want)


# --- 2. and 3. files from the registries ---------------------------------------------------


def cached(name, check, fetch, how_to_supply):
    """CACHE/name, fetched if absent, and checked with check(path) -> error or None."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / name
    if not path.exists():
        say(f"fetching {name}")
        try:
            fetch(path)
        except BuildError as error:
            raise BuildError(
                f"the pinned source {name} could not be fetched.\n{error}\n{how_to_supply}"
            ) from None
        if not path.exists():
            raise BuildError(f"the pinned source {name} was not fetched.\n{how_to_supply}")
    problem = check(path)
    if problem:
        raise BuildError(f"{path}: {problem}; delete it to fetch it again.\n{how_to_supply}")
    return path


def fetch_npm(spec):
    def fetch(path):
        if shutil.which("npm") is None:
            raise BuildError("npm is not installed")
        with tempfile.TemporaryDirectory() as tmp:
            run(["npm", "pack", spec, "--pack-destination", tmp, "--silent"], cwd=tmp)
            [tgz] = list(Path(tmp).glob("*.tgz"))
            shutil.move(str(tgz), path)

    return fetch


def fetch_pypi(requirement, binary_only=True):
    def fetch(path):
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [str(venv_python()), "-m", "pip", "download", "--quiet", "--no-deps", "-d", tmp]
            if binary_only:  # pure wheels for the browser, whatever this machine is
                cmd += [
                    "--only-binary=:all:",
                    "--platform",
                    "any",
                    "--python-version",
                    "3.12",
                    "--implementation",
                    "py",
                ]
            run(cmd + [requirement])
            found = [p for p in Path(tmp).iterdir() if p.name == path.name]
            if not found:
                raise BuildError(
                    f"pip fetched {[p.name for p in Path(tmp).iterdir()]}, not {path.name}"
                )
            shutil.move(str(found[0]), path)

    return fetch


def pyodide_core(lock):
    core = lock["pyodide_core"]
    tgz = cached(
        core["file"],
        lambda p: None if sri_sha512_of(p) == core["integrity"] else "its sha512 is not the pin",
        fetch_npm(core["npm"]),
        f"Supply it by putting {core['file']} (npm's {core['npm']}, integrity {core['integrity']}) "
        f"in {CACHE}/.",
    )
    files = {}
    with tarfile.open(tgz) as tar:
        for name in core["files"]:
            files[name] = tar.extractfile(f"package/{name}").read()
    return files


def canonical(name):
    """A package's name as pyodide-lock.json keys it: lower case, '-' for '_' and '.'."""
    return name.lower().replace("_", "-").replace(".", "-")


def closure(packages, roots):
    """The roots and everything they depend on, by name in pyodide-lock.json."""
    seen, todo = set(), list(roots)
    while todo:
        name = canonical(todo.pop())
        if name in seen:
            continue
        if name not in packages:
            raise BuildError(f"{name} is not in Pyodide's pyodide-lock.json")
        seen.add(name)
        todo += packages[name]["depends"]
    return sorted(seen)


def pyodide_packages(lock, official, pyodide_dir=None):
    """{file name: bytes} for the lock's roots and their dependencies, each checked against
    the official pyodide-lock.json of the same release."""
    spec = lock["pyodide_packages"]
    names = closure(official["packages"], spec["roots"])
    entries = [official["packages"][n] for n in names]
    wanted = {entry["file_name"]: entry["sha256"] for entry in entries}
    release = official["info"]["version"]
    got = {}
    if pyodide_dir is not None:
        for file_name in wanted:
            if (Path(pyodide_dir) / file_name).exists():
                got[file_name] = (Path(pyodide_dir) / file_name).read_bytes()
    else:
        wheel = cached(
            spec["file"],
            lambda p: None if sha256_of(p) == spec["sha256"] else "wrong sha256",
            fetch_pypi(spec["pypi"], binary_only=False),
            f"Supply it by putting {spec['file']} (sha256 {spec['sha256']}) in {CACHE}/, or pass "
            f"--pyodide-dir DIR, a folder holding Pyodide {release}'s released package files.",
        )
        with zipfile.ZipFile(wheel) as z:
            for file_name in wanted:
                member = spec["folder_in_wheel"] + file_name
                if member in z.namelist():
                    got[file_name] = z.read(member)
    missing = sorted(set(wanted) - set(got))
    if missing:
        raise BuildError(
            f"Pyodide {release}'s package files missing from the source: {', '.join(missing)}. "
            f"Pass --pyodide-dir DIR with a folder holding Pyodide {release}'s files."
        )
    for file_name, data in got.items():
        if hashlib.sha256(data).hexdigest() != wanted[file_name]:
            raise BuildError(
                f"{file_name} does not match the sha256 in Pyodide {release}'s pyodide-lock.json"
            )
    return names, got


def pure_wheels(lock, key="wheels"):
    files = {}
    for w in lock[key]:
        path = cached(
            w["file"],
            lambda p, w=w: None if sha256_of(p) == w["sha256"] else "wrong sha256",
            fetch_pypi(f"{w['name']}=={w['version']}"),
            f"Supply it by putting {w['file']} (sha256 {w['sha256']}) in {CACHE}/.",
        )
        files[w["file"]] = path.read_bytes()
    return files


# --- 4. nnlib ------------------------------------------------------------------------------


def source_date_epoch():
    """The time of the checkout's last commit, so two builds of one commit are the same."""
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO), "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return out or "315532800"
    except (OSError, subprocess.CalledProcessError):
        return "315532800"  # 1980-01-01, the earliest time a zip file can hold


def nnlib_wheel(epoch):
    """Build nnlib's wheel from a clean copy of the checkout's files (tracked or new, not
    ignored), so a stale build/ folder cannot slip old files in."""
    listed = run(
        [
            "git",
            "-C",
            str(REPO),
            "ls-files",
            "-co",
            "--exclude-standard",
            "--",
            "nnlib",
            "pyproject.toml",
            "README.md",
        ]
    ).stdout.split()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        for rel in listed:
            if (REPO / rel).is_file():
                (src / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(REPO / rel, src / rel)
        env = dict(os.environ, SOURCE_DATE_EPOCH=epoch)
        run(
            [
                str(venv_python()),
                "-m",
                "build",
                "--wheel",
                "--no-isolation",
                "--outdir",
                str(Path(tmp) / "dist"),
                str(src),
            ],
            env=env,
        )
        [wheel] = list((Path(tmp) / "dist").glob("nnlib-*.whl"))
        with zipfile.ZipFile(wheel) as z:
            inside = z.namelist()
        for needed in ("nnlib/bundled/shakespeare_char.npz", "nnlib/bundled/tinyshakespeare/"):
            if not any(n.startswith(needed) for n in inside):
                raise BuildError(f"the nnlib wheel lacks {needed}: see pyproject's package-data")
        return wheel.name, wheel.read_bytes()


# --- matplotlib's font list --------------------------------------------------------------

FONTLIST_JS = """
const [indexURL] = process.argv.slice(2);  // a folder, ending in /
const { loadPyodide } = await import("file://" + indexURL + "pyodide.mjs");
const py = await loadPyodide({
  indexURL, stdout: () => {}, stderr: () => {}, env: { PYTHONHASHSEED: "0" },
});
await py.loadPackage(["matplotlib"], { messageCallback: () => {} });
process.stdout.write(py.runPython(`
import matplotlib.font_manager as fm
fm.json_dump(fm.fontManager, "fontlist.json")  # in Pyodide's own (virtual) home folder
open("fontlist.json").read()
`));
"""


def matplotlib_with_font_cache(pyodide_dir, file_name):
    """Pyodide's matplotlib wheel with a font cache its matplotlib accepts: (bytes, note).

    Pyodide 0.27.7's matplotlib 3.8.4 reads its font cache from matplotlib/fontlist.json, and
    the wheel ships one of version 390 where this matplotlib wants 330: every kernel rebuilt
    it on the first plot (3.5 s, and "Matplotlib is building the font cache" under the cell).
    Node runs the site's own Pyodide once here to build the cache (same font paths as in the
    browser; PYTHONHASHSEED fixed so the file is the same on every build), and the wheel is
    written again with it in place; the site's lock gets the new wheel's sha256."""
    if shutil.which("node") is None:
        raise BuildError("node is needed to build matplotlib's font cache (it comes with npm)")
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "fontlist.mjs"
        script.write_text(FONTLIST_JS)
        text = run(["node", str(script), pyodide_dir.resolve().as_posix() + "/"]).stdout
    if json.loads(text).get("_version") is None:
        raise BuildError("node's Pyodide wrote no matplotlib font cache")
    member = "matplotlib/fontlist.json"
    out = io.BytesIO()
    with zipfile.ZipFile(pyodide_dir / file_name) as old:
        if member not in old.namelist():
            raise BuildError(
                f"{file_name} has no {member} to replace: check the fix is still needed"
            )
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
            for info in old.infolist():
                data = text.encode() if info.filename == member else old.read(info.filename)
                new.writestr(info, data)
    return out.getvalue()


# --- 5. the site ---------------------------------------------------------------------------


def chapters():
    """Every chapter notebook, found by name (NN_topic.ipynb), so new chapters come along."""
    found = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not found:
        raise BuildError("no notebooks/NN_topic.ipynb found")
    return found


def lock_entry(name, version, file_name, data, imports, depends):
    return {
        "name": name,
        "version": version,
        "file_name": file_name,
        "install_dir": "site",
        "sha256": hashlib.sha256(data).hexdigest(),
        "package_type": "package",
        "imports": imports,
        "depends": depends,
        "unvendored_tests": False,
        "shared_library": False,
    }


def site_lock(official, names, lock, wheels, nnlib_name, nnlib_data, matplotlib_data):
    """Pyodide's lock cut to the files the site holds, plus the pure wheels and nnlib: the
    kernel loads a package on `import` when its name is here, from the site's own folder."""
    packages = {n: dict(official["packages"][n]) for n in names}
    # the one file of Pyodide's the site changes: see matplotlib_with_font_cache
    packages["matplotlib"]["sha256"] = hashlib.sha256(matplotlib_data).hexdigest()
    for w in lock["wheels"]:
        packages[w["name"]] = lock_entry(
            w["name"], w["version"], w["file"], wheels[w["file"]], w["imports"], w["depends"]
        )
    version = nnlib_name.split("-")[1]
    packages["nnlib"] = lock_entry(
        "nnlib", version, nnlib_name, nnlib_data, ["nnlib"], lock["nnlib_depends"]
    )
    for name, entry in packages.items():
        for dep in entry["depends"]:
            if canonical(dep) not in packages:
                raise BuildError(f"{name} depends on {dep}, which the site does not hold")
    return {"info": official["info"], "packages": dict(sorted(packages.items()))}


def jupyter_lite_json():
    return {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": TITLE,
            "exposeAppInBrowser": True,
            "litePluginSettings": {
                "@jupyterlite/pyodide-kernel-extension:kernel": {
                    "pyodideUrl": "./static/pyodide/pyodide.js",
                    "disablePyPIFallback": True,
                }
            },
        },
    }


OVERRIDES = {
    # Every cell stays in the page: a reader's Find and the browser test both reach all of them.
    # recordTiming keeps each cell's start and end in its metadata: the browser test names a
    # slow chapter's slowest cells from it.
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none", "recordTiming": True},
}


def write_json(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


def build(args):
    t0 = time.monotonic()
    lock = json.loads(LOCK.read_text())
    ensure_tools(require_hashes=not args.tools_without_hashes)
    core = pyodide_core(lock)
    official = json.loads(core["pyodide-lock.json"])
    names, packages = pyodide_packages(lock, official, args.pyodide_dir)
    wheels = pure_wheels(lock)
    epoch = source_date_epoch()
    nnlib_name, nnlib_data = nnlib_wheel(epoch)
    say(f"nnlib wheel {nnlib_name}: {len(nnlib_data) / 1e6:.1f} MB")

    if STAGE.exists():
        shutil.rmtree(STAGE)
    pyodide = STAGE / "static" / "pyodide"
    pyodide.mkdir(parents=True)
    for name, data in core.items():
        if name != "pyodide-lock.json":
            (pyodide / name).write_bytes(data)
    for name, data in {**packages, **wheels, nnlib_name: nnlib_data}.items():
        (pyodide / name).write_bytes(data)
    (pyodide / "pyodide-lock.json").write_bytes(core["pyodide-lock.json"])  # for node, briefly
    matplotlib_file = official["packages"]["matplotlib"]["file_name"]
    matplotlib_data = matplotlib_with_font_cache(pyodide, matplotlib_file)
    (pyodide / matplotlib_file).write_bytes(matplotlib_data)
    write_json(
        pyodide / "pyodide-lock.json",
        site_lock(official, names, lock, wheels, nnlib_name, nnlib_data, matplotlib_data),
    )
    write_json(STAGE / "jupyter-lite.json", jupyter_lite_json())
    write_json(STAGE / "overrides.json", OVERRIDES)
    contents = STAGE / "contents"
    contents.mkdir()
    for notebook in chapters():
        shutil.copy(notebook, contents / notebook.name)
    for path in STAGE.rglob("*"):  # the contents' dates are the commit's, not the copy's
        os.utime(path, (int(epoch), int(epoch)))

    if TEST_WHEELS.exists():
        shutil.rmtree(TEST_WHEELS)
    TEST_WHEELS.mkdir(parents=True)
    for name, data in pure_wheels(lock, "test_wheels").items():
        (TEST_WHEELS / name).write_bytes(data)

    if OUT.exists():
        shutil.rmtree(OUT)
    env = dict(os.environ, SOURCE_DATE_EPOCH=epoch)
    jupyter_lite = VENV / ("Scripts" if os.name == "nt" else "bin") / "jupyter-lite"
    run(
        [
            str(jupyter_lite),
            "build",
            "--lite-dir",
            str(STAGE),
            "--output-dir",
            str(OUT),
            "--contents",
            str(contents),
            "--no-sourcemaps",
        ],
        cwd=STAGE,
        env=env,
    )
    for leftover in (STAGE / ".jupyterlite.doit.db",):
        if leftover.exists():
            leftover.unlink()
    check_site(OUT, chapters())
    size = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    say(
        f"site/ built in {time.monotonic() - t0:.0f} s: {len(chapters())} chapters, "
        f"{size / 1e6:.0f} MB; serve it with: python -m http.server -d site"
    )


def check_site(out, notebooks):
    """Fail now rather than in a reader's browser."""
    config = json.loads((out / "jupyter-lite.json").read_text())
    settings = config["jupyter-config-data"]["litePluginSettings"]
    url = settings["@jupyterlite/pyodide-kernel-extension:kernel"]["pyodideUrl"]
    if not (out / url).is_file():
        raise BuildError(f"the kernel's pyodideUrl {url} is not in the site")
    for notebook in notebooks:
        if not (out / "files" / notebook.name).is_file():
            raise BuildError(f"{notebook.name} is missing from site/files/")
    lock = json.loads((out / "static" / "pyodide" / "pyodide-lock.json").read_text())
    for entry in lock["packages"].values():
        path = out / "static" / "pyodide" / entry["file_name"]
        if not path.is_file() or sha256_of(path) != entry["sha256"]:
            raise BuildError(f"site/static/pyodide/{entry['file_name']} is missing or altered")
    labextensions = out / "extensions"
    for needed in (
        "@jupyter-widgets/jupyterlab-manager",
        "anywidget",
        "@jupyterlite/pyodide-kernel-extension",
    ):
        if not (labextensions / needed).is_dir():
            raise BuildError(f"the site lacks the JupyterLab extension {needed}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pyodide-dir",
        type=Path,
        help="a folder holding Pyodide's released package files, used "
        "instead of the PyPI wheel named in the lock (still hash-checked)",
    )
    parser.add_argument(
        "--tools-without-hashes",
        action="store_true",
        help="install the pinned build tools without their Linux x86-64 hashes",
    )
    args = parser.parse_args()
    try:
        build(args)
    except BuildError as error:
        print(f"build_site: FAILED: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
