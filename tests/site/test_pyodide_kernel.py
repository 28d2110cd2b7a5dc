"""In the browser edition's Python, nnlib's layers multiply with np.einsum.

Pyodide's numpy has no BLAS, so there einsum is 1.4 to 6 times faster than @
(benchmarks/matmul_kernels.py). This runs a check inside the site's own Pyodide, under Node.js
(scripts/site/run_in_pyodide.mjs), with nnlib from the checkout: numpy reports no BLAS, the
layers chose einsum, and a linear layer's forward and backward agree with numpy's @ there.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RUNNER = REPO / "scripts" / "site" / "run_in_pyodide.mjs"

pytestmark = [pytest.mark.e2e, pytest.mark.site]

CHECK = """
import numpy as np
from nnlib import fused
from nnlib.tensor import Tensor

assert not fused.numpy_has_blas(), "Pyodide's numpy reports a BLAS library"
assert not fused.HAS_BLAS, "the layers chose @ in Pyodide"
rng = np.random.default_rng(0)
X = Tensor(rng.standard_normal((6, 5)))
W = Tensor(rng.standard_normal((3, 5)))
Z = fused.linear(X, W)
np.testing.assert_allclose(Z.data, X.data @ W.data.T, rtol=1e-5, atol=1e-6)
(Z * Z).sum().backward()
G = 2 * Z.data
np.testing.assert_allclose(W.grad, G.T @ X.data, rtol=1e-5, atol=1e-5)
np.testing.assert_allclose(X.grad, G @ W.data, rtol=1e-5, atol=1e-5)
print("einsum in Pyodide: ok")
"""


def test_layers_multiply_with_einsum_in_pyodide(tmp_path):
    if not (REPO / "site" / "static" / "pyodide" / "pyodide.mjs").is_file():
        pytest.fail("no site/: run `python scripts/build_site.py` first")
    if shutil.which("node") is None:
        pytest.fail("node is needed (it comes with npm, which the site build needs too)")
    check = tmp_path / "check_kernel.py"
    check.write_text(CHECK)
    run = subprocess.run(
        ["node", str(RUNNER), str(check)], capture_output=True, text=True, timeout=180
    )
    assert run.returncode == 0, f"stdout:\n{run.stdout}\nstderr:\n{run.stderr}"
    assert "einsum in Pyodide: ok" in run.stdout
