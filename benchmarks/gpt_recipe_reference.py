"""Validation loss of nanoGPT's CPU Shakespeare recipe trained in PyTorch, from nnlib's start.

What it measures: whether scripts/train_gpt.py's result is what the recipe gives, or whether
nnlib or our training loop differs from PyTorch. Measured: with --bias --untied (the book's
model) seed 1337 ends on 1.8864 here and in train_gpt.py alike; seeds 1, 2, 3, 4 give 1.8809,
1.8763, 1.8662, 1.8674. nanoGPT's variant (the default here) gives 1.9063 at seed 1337, and
1.887 to 1.906 over five seeds. The PyTorch twin of benchmarks/gpt_iteration.py (the same model
and tanh GELU as nnlib's) starts from the weights of nnlib's GPT built with
np.random.default_rng(seed), exactly as train_gpt.py builds it, and trains on the same batches:
that same generator, after the model has drawn its weights, draws every batch with
nnlib.data.get_batch. The optimizer, the schedule and the clipping are written here
independently, as nanoGPT's train.py has them (torch.optim.AdamW with decay on the >= 2-D
weights only, lr 1e-3, betas (0.9, 0.99), weight decay 0.1, clip_grad_norm_ 1.0, get_lr: 100
warmup iterations, cosine to 1e-4 at 2,000). The schedule is checked against train_gpt.lr_at,
the recipe against train_gpt.RECIPE. The validation estimate is train_gpt's: the mean loss over
the same eval_batches windows drawn with np.random.default_rng(0) (25 every 250 iterations,
--eval-batches at the end).

With --compare K, nnlib trains alongside for the first K iterations and the two training
losses are printed: from the same weights and batches they agree to float32 round-off
unless something in the loop differs. Seeds other than 1337 give the run-to-run spread.
The model is nanoGPT's (no biases, tied head) unless --bias / --untied ask for the variant
with biases and an output head of its own.

    OPENBLAS_NUM_THREADS=1 python benchmarks/gpt_recipe_reference.py \
        [--seed 1337] [--iters 2000] [--eval-batches 200] [--compare 0] [--bias] [--untied]
"""

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch

from nnlib.data import get_batch
from nnlib.gpt import GPT
from nnlib.optim import AdamW, clip_grad_norm

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT / "scripts")]
from gpt_iteration import torch_twin  # noqa: E402
from train_gpt import RECIPE, lr_at, prepare  # noqa: E402

# nanoGPT: config/train_shakespeare_char.py with the README's CPU overrides
NANOGPT = {
    "block_size": 64,
    "batch_size": 12,
    "n_layer": 4,
    "n_head": 4,
    "n_embd": 128,
    "bias": False,
    "tie_weights": True,
    "lr": 1e-3,
    "min_lr": 1e-4,
    "warmup_iters": 100,
    "lr_decay_iters": 2000,
    "betas": [0.9, 0.99],
    "weight_decay": 0.1,
    "grad_clip": 1.0,
    "val_fraction": 0.1,
}


def get_lr(it, r):
    """nanoGPT's train.py get_lr: linear warmup, cosine decay to min_lr, then min_lr."""
    if it < r["warmup_iters"]:
        return r["lr"] * (it + 1) / (r["warmup_iters"] + 1)
    if it > r["lr_decay_iters"]:
        return r["min_lr"]
    decay_ratio = (it - r["warmup_iters"]) / (r["lr_decay_iters"] - r["warmup_iters"])
    coeff = 0.5 * (1.0 + math.cos(math.pi * decay_ratio))
    return r["min_lr"] + coeff * (r["lr"] - r["min_lr"])


@torch.no_grad()
def mean_loss(twin, data, n_batches, r, seed=0):
    """train_gpt.mean_loss for the twin (the same windows for the same seed); also the
    standard deviation of one batch's loss, from which the estimate's standard error follows."""
    rng = np.random.default_rng(seed)
    losses = []
    for _ in range(n_batches):
        x, y = get_batch(data, r["block_size"], r["batch_size"], rng)
        losses.append(twin(torch.from_numpy(x), torch.from_numpy(y)).item())
    return float(np.mean(losses)), float(np.std(losses, ddof=1))


def check_recipe(r):
    """The training recipe and schedule here are train_gpt's; stop if not. Its model may differ."""
    model_keys = ("bias", "tie_weights")
    differ = {
        k: (v, RECIPE.get(k))
        for k, v in r.items()
        if k in NANOGPT and k not in model_keys and RECIPE.get(k) != v
    }
    if differ:
        raise SystemExit(f"train_gpt.RECIPE differs from nanoGPT's (ours, train_gpt): {differ}")
    worst = max(abs(get_lr(it, r) - lr_at(it, r)) for it in range(r["lr_decay_iters"] + 50))
    if worst > 1e-15:
        raise SystemExit(f"train_gpt.lr_at differs from nanoGPT's get_lr by up to {worst:.3g}")
    for k in model_keys:
        if RECIPE.get(k) != r[k]:
            print(f"note: {k} = {r[k]} here, {RECIPE.get(k)} in train_gpt.RECIPE")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1337)
    parser.add_argument("--iters", type=int, default=2000)
    parser.add_argument("--eval-batches", type=int, default=200)
    parser.add_argument("--compare", type=int, default=0, help="train nnlib alongside K iters")
    parser.add_argument("--bias", action="store_true", help="biases in Linear and LayerNorm")
    parser.add_argument("--untied", action="store_true", help="an output head of its own")
    args = parser.parse_args()
    torch.set_num_threads(1)
    r = dict(NANOGPT, seed=args.seed, bias=args.bias, tie_weights=not args.untied)
    check_recipe(r)
    start = time.perf_counter()

    _, train_data, val_data, config = prepare(r)
    rng = np.random.default_rng(args.seed)  # as train_gpt: the model's weights, then the batches
    model = GPT(config, rng)
    twin, optimizer = torch_twin(model)  # nnlib's weights copied in; nanoGPT's AdamW groups
    assert optimizer.param_groups[0]["betas"] == tuple(r["betas"])
    assert optimizer.param_groups[0]["weight_decay"] == r["weight_decay"]
    n_params = sum(p.numel() for p in twin.parameters())
    print(
        f"seed {args.seed}, PyTorch {torch.__version__}, bias {r['bias']}, "
        f"tied head {r['tie_weights']}, {n_params:,} parameters"
    )
    ours_opt = None
    if args.compare:
        ours_opt = AdamW(
            model.parameters(), lr=r["lr"], betas=tuple(r["betas"]), weight_decay=r["weight_decay"]
        )

    for it in range(args.iters + 1):
        if it % 250 == 0 or it == args.iters:
            n = args.eval_batches if it == args.iters else 25
            train_loss, _ = mean_loss(twin, train_data, n, r)
            val_loss, val_std = mean_loss(twin, val_data, n, r)
            print(
                f"iter {it:5d}: train loss {train_loss:.4f}, val loss {val_loss:.4f} "
                f"({n} batches each, {time.perf_counter() - start:.0f} s)",
                flush=True,
            )
        if it == args.iters:
            break
        lr = get_lr(it, r)
        for group in optimizer.param_groups:
            group["lr"] = lr
        x, y = get_batch(train_data, r["block_size"], r["batch_size"], rng)
        loss = twin(torch.from_numpy(x), torch.from_numpy(y))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(twin.parameters(), r["grad_clip"]).item()
        optimizer.step()
        if it < args.compare:
            ours_opt.lr = lr_at(it, r)
            ours = model.loss(x, y)
            ours_opt.zero_grad()
            ours.backward()
            ours_norm = clip_grad_norm(model.parameters(), r["grad_clip"])
            ours_opt.step()
            print(
                f"  it {it:4d} lr {lr:.6f}: loss torch {loss.item():.6f} nnlib {ours.item():.6f} "
                f"(diff {ours.item() - loss.item():+.1e}); grad norm torch {norm:.4f} "
                f"nnlib {ours_norm:.4f}"
            )

    seconds = time.perf_counter() - start
    print(
        f"final (seed {args.seed}, {args.iters} iterations, {args.eval_batches} batches): "
        f"train loss {train_loss:.4f}, val loss {val_loss:.4f}, {seconds:.0f} s"
    )
    print(
        f"one val batch's loss varies with std {val_std:.4f}: standard error "
        f"{val_std / math.sqrt(args.eval_batches):.4f} for this {args.eval_batches}-batch "
        f"estimate, {val_std / math.sqrt(20):.4f} for nanoGPT's 20 random batches"
    )


if __name__ == "__main__":
    main()
