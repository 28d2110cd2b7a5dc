// Run a Python file in the browser edition's Python (Pyodide, WebAssembly) under Node.js,
// with nnlib from this checkout: how fast is it there, does it work on 32 bits?
//
//     python scripts/build_site.py                 # once: site/ holds Pyodide and its numpy
//     node scripts/site/run_in_pyodide.mjs benchmarks/matmul_kernels.py
//
// It loads Pyodide from site/static/pyodide/ (no network), loads numpy, mounts the checkout
// at /repo and puts it first on sys.path, then runs the file with the checkout as the working
// directory. Only numpy is loaded: a file that needs more (matplotlib, ipywidgets) is for the
// browser test (tests/site).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const pyodideDir = path.join(repo, "site", "static", "pyodide");
const file = process.argv[2];
if (!file) {
  console.error("usage: node scripts/site/run_in_pyodide.mjs FILE.py");
  process.exit(2);
}
if (!fs.existsSync(path.join(pyodideDir, "pyodide.mjs"))) {
  console.error(`no Pyodide in ${pyodideDir}: build the site first (python scripts/build_site.py)`);
  process.exit(2);
}
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const py = await loadPyodide({ indexURL: pyodideDir + path.sep });
await py.loadPackage(["numpy"], { messageCallback: () => {} });
py.FS.mkdir("/repo");
py.FS.mount(py.FS.filesystems.NODEFS, { root: repo }, "/repo");
py.setStdout({ batched: (s) => console.log(s) });
py.setStderr({ batched: (s) => console.error(s) });
py.runPython(`
import os, sys
sys.path.insert(0, "/repo")
os.chdir("/repo")
`);
const code = fs.readFileSync(file, "utf8");
try {
  await py.runPythonAsync(code, { filename: file });
} catch (error) {
  console.error(String(error));
  process.exit(1);
}
