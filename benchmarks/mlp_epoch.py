"""Seconds per training epoch of a 784-128-10 ReLU MLP: nnlib against PyTorch.

One epoch: 60,000 examples of MNIST's shape in minibatches of 128 (469 steps),
softmax cross-entropy, Adam (lr 1e-3), float32. Only speed is measured, so the
data are random numbers from a seeded rng; both libraries get the same data,
the same initial weights and the same minibatch order. Epochs alternate
(nnlib, torch, nnlib, torch, ...) so a busy machine slows both alike; we print
the median of each and the ratio nnlib / PyTorch, which should be <= 1.5.

Threads: both libraries use --threads threads (default: every core):
torch.set_num_threads(n) for PyTorch and OPENBLAS_NUM_THREADS=n for numpy's
BLAS. numpy reads that variable only when it is imported, so the script
restarts itself once with it set. On a machine busy with other work, threads
that wait for each other make both libraries many times slower and the timings
erratic; there `--threads 1` measures the libraries rather than the scheduler.
We also print CPU seconds (time.process_time) per epoch, which the other
programs on the machine disturb less than wall-clock seconds.

    python benchmarks/mlp_epoch.py [--rounds 3] [--threads 2]   (after pip install -e .)
"""

import argparse
import os
import statistics
import sys
import time

import numpy as np

from nnlib.layers import MLP, Linear
from nnlib.losses import cross_entropy
from nnlib.optim import Adam

N, SIZES, BATCH_SIZE, LR, TARGET = 60_000, [784, 128, 10], 128, 1e-3, 1.5


def make_data(rng):
    X = rng.random((N, SIZES[0]), dtype=np.float32)  # (N, 784) "pixels" in [0, 1)
    y = rng.integers(0, SIZES[-1], size=N)  # (N,) labels
    return X, y


def nnlib_epoch(model, opt, X, y, order):
    losses = []
    for start in range(0, N, BATCH_SIZE):
        idx = order[start : start + BATCH_SIZE]
        opt.zero_grad()
        loss = cross_entropy(model(X[idx]), y[idx])
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return float(np.mean(losses))


def torch_model(model):
    """The same network in PyTorch, with nnlib's initial weights copied in."""
    import torch

    layers = []
    for layer in model.layers:
        if isinstance(layer, Linear):
            linear = torch.nn.Linear(layer.n_in, layer.n_out)
            with torch.no_grad():  # PyTorch's weight is (n_out, n_in) too
                linear.weight.copy_(torch.from_numpy(layer.W.data))
                linear.bias.copy_(torch.from_numpy(layer.b.data))
            layers.append(linear)
        else:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def torch_epoch(model, opt, X, y, order):
    import torch

    losses = []
    for start in range(0, N, BATCH_SIZE):
        idx = order[start : start + BATCH_SIZE]
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(X[idx]), y[idx])
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return float(np.mean(losses))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="epochs per library (>= 3)")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="threads for both")
    args = parser.parse_args()
    if os.environ.get("OPENBLAS_NUM_THREADS") != str(args.threads):  # numpy already imported
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(args.threads))
        os.execve(sys.executable, [sys.executable, *sys.argv], env)
    rng = np.random.default_rng(0)
    X, y = make_data(rng)
    model = MLP(SIZES, rng, activation="relu")
    orders = [rng.permutation(N) for _ in range(args.rounds)]
    try:
        import torch
    except ImportError:
        torch = None
    print(f"{os.cpu_count()} cores; numpy: OPENBLAS_NUM_THREADS={args.threads}")
    runners = [("nnlib", nnlib_epoch, model, Adam(model.parameters(), lr=LR), X, y)]
    if torch is not None:
        torch.set_num_threads(args.threads)
        print(f"PyTorch {torch.__version__}: torch.set_num_threads({args.threads})")
        tmodel = torch_model(model)
        topt = torch.optim.Adam(tmodel.parameters(), lr=LR)
        Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
        runners.append(("torch", torch_epoch, tmodel, topt, Xt, yt))
    else:
        print("PyTorch is not installed: timing nnlib only")
    print(f"{N:,} examples, batch {BATCH_SIZE}, MLP {SIZES} ReLU, Adam lr {LR}, float32")
    wall = {name: [] for name, *_ in runners}
    cpu = {name: [] for name, *_ in runners}
    for r, order in enumerate(orders):
        for name, epoch, net, opt, X_, y_ in runners:
            idx = order if name == "nnlib" else torch.from_numpy(order)
            t0, c0 = time.perf_counter(), time.process_time()
            loss = epoch(net, opt, X_, y_, idx)
            wall[name].append(time.perf_counter() - t0)
            cpu[name].append(time.process_time() - c0)
            print(
                f"round {r + 1}  {name:5s}  {wall[name][-1]:6.2f} s/epoch "
                f"({cpu[name][-1]:6.2f} s CPU)  mean loss {loss:.4f}"
            )
    for name in wall:
        print(
            f"median {name:5s}: {statistics.median(wall[name]):.2f} s/epoch "
            f"({statistics.median(cpu[name]):.2f} s CPU)"
        )
    if "torch" in wall:
        ratio = statistics.median(wall["nnlib"]) / statistics.median(wall["torch"])
        cpu_ratio = statistics.median(cpu["nnlib"]) / statistics.median(cpu["torch"])
        verdict = "PASS" if ratio <= TARGET else "FAIL"
        print(f"ratio nnlib/PyTorch: {ratio:.2f} (target <= {TARGET}) {verdict}")
        print(f"ratio of CPU seconds: {cpu_ratio:.2f}")


if __name__ == "__main__":
    main()
