"""The two matrix products nnlib's layers can use, timed side by side on the numpy at hand.

    python benchmarks/matmul_kernels.py                                  # this Python's numpy
    node scripts/site/run_in_pyodide.mjs benchmarks/matmul_kernels.py    # the browser's numpy

nnlib.fused.linear multiplies with A @ B when numpy has a BLAS library and with np.einsum
when it has none (nnlib.fused.numpy_has_blas). With BLAS (pip's and conda's numpy) @ wins by
about ten times; Pyodide's numpy, the browser edition's, has no BLAS and there einsum wins.
For the products of a linear layer's forward and backward pass at the book's sizes, this
prints the milliseconds of each (median of REPEATS) and the ratio, then the library's choice.
The second command needs the built site (python scripts/build_site.py) and Node.js.
"""

import platform
import time

import numpy as np

from nnlib.fused import HAS_BLAS, matmul_blas, matmul_einsum, numpy_has_blas

REPEATS = 15
# (what, rows N, inputs n_in, outputs n_out): X (N, n_in), W (n_out, n_in)
LAYERS = [
    ("ch08 GPT, 64 positions: q, k, v", 64, 128, 384),
    ("ch08 GPT, 64 positions: MLP up", 64, 128, 512),
    ("ch08 GPT, 64 positions: MLP down", 64, 512, 128),
    ("ch08 tiny GPT, 16 x 32: MLP up", 512, 32, 128),
    ("ch04 784-128-10, 64 digits: layer 1", 64, 784, 128),
]


def median_ms(f, A, B):
    f(A, B)  # warm up
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        f(A, B)
        times.append(time.perf_counter() - start)
    return 1000 * float(np.median(times))


def main():
    rng = np.random.default_rng(0)
    print(f"numpy {np.__version__} on {platform.platform()}; BLAS: {numpy_has_blas()}")
    print(f"{'layer':<36} {'product':<11} {'n x k x m':>12} {'@ ms':>8} {'einsum ms':>10} "
          f"{'@/einsum':>9}")  # fmt: skip
    for what, N, n_in, n_out in LAYERS:
        X = rng.standard_normal((N, n_in)).astype(np.float32)
        W = rng.standard_normal((n_out, n_in)).astype(np.float32)
        G = rng.standard_normal((N, n_out)).astype(np.float32)
        for step, A, B in (("Z = X W^T", X, W.T), ("dX = G W", G, W), ("dW = G^T X", G.T, X)):
            blas, einsum = median_ms(matmul_blas, A, B), median_ms(matmul_einsum, A, B)
            shape = f"{A.shape[0]}x{A.shape[1]}x{B.shape[1]}"
            print(f"{what:<36} {step:<11} {shape:>12} {blas:8.3f} {einsum:10.3f} "
                  f"{blas / einsum:9.2f}")  # fmt: skip
    print(f"nnlib.fused.matmul here: {'A @ B (BLAS)' if HAS_BLAS else 'np.einsum (no BLAS)'}")


if __name__ == "__main__":
    main()
