"""Milliseconds per GPT training iteration (forward, backward, AdamW step), nnlib vs PyTorch.

The model is the tiny Shakespeare recipe (4 layers, 4 heads, n_embd 128, context 64,
batch 12, vocabulary 65) as scripts/train_gpt.py trains it: with biases and an output head
of its own (GPTConfig's defaults).
The PyTorch twin starts from the same weights (its first loss is checked against nnlib's),
uses nanoGPT's scaled_dot_product_attention and torch.optim.AdamW, and runs with as many
threads as there are cores (--torch-threads 1 with OPENBLAS_NUM_THREADS=1 compares one
core against one core). The two alternate in rounds so a change in
the machine's load hits both; we report the median over all timed iterations after warm-up.
Target: nnlib / PyTorch <= 1.5 in wall-clock time. The CPU time per iteration (all threads
summed) is printed too: on a busy machine it is the steadier figure, and the load average is
printed so a reader can tell.

    python benchmarks/gpt_iteration.py [--rounds 10] [--iters 5] [--torch-threads N]
"""

import argparse
import os
import time

import numpy as np

from nnlib.gpt import GPT, GPTConfig
from nnlib.optim import AdamW, clip_grad_norm

TARGET = 1.5
CONFIG = GPTConfig(vocab_size=65, block_size=64, n_layer=4, n_head=4, n_embd=128)
BATCH_SIZE = 12


def nnlib_step(model, optimizer, x, y):
    loss = model.loss(x, y)
    optimizer.zero_grad()
    loss.backward()
    clip_grad_norm(model.parameters(), 1.0)
    optimizer.step()
    return loss.item()


def torch_twin(model):
    """The same GPT in PyTorch, with nnlib's weights copied in."""
    import torch
    from torch import nn
    from torch.nn import functional as F

    c = model.config

    class Attention(nn.Module):
        def __init__(self):
            super().__init__()
            self.c_attn = nn.Linear(c.n_embd, 3 * c.n_embd, bias=c.bias)
            self.c_proj = nn.Linear(c.n_embd, c.n_embd, bias=c.bias)

        def forward(self, x):
            B, T, C = x.shape
            q, k, v = self.c_attn(x).split(C, dim=2)
            q, k, v = (t.view(B, T, c.n_head, C // c.n_head).transpose(1, 2) for t in (q, k, v))
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)  # (B, H, T, hs)
            return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln_1 = nn.LayerNorm(c.n_embd, bias=c.bias)
            self.ln_2 = nn.LayerNorm(c.n_embd, bias=c.bias)
            self.attn = Attention()
            self.c_fc = nn.Linear(c.n_embd, 4 * c.n_embd, bias=c.bias)
            self.c_proj = nn.Linear(4 * c.n_embd, c.n_embd, bias=c.bias)

        def forward(self, x):
            x = x + self.attn(self.ln_1(x))
            return x + self.c_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))

    class TorchGPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.wte = nn.Embedding(c.vocab_size, c.n_embd)
            self.wpe = nn.Embedding(c.block_size, c.n_embd)
            self.blocks = nn.ModuleList(Block() for _ in range(c.n_layer))
            self.ln_f = nn.LayerNorm(c.n_embd, bias=c.bias)
            self.head = nn.Linear(c.n_embd, c.vocab_size, bias=c.bias)
            if c.tie_weights:
                self.head.weight = self.wte.weight  # one Parameter, as nanoGPT

        def forward(self, ids, targets):
            x = self.wte(ids) + self.wpe(torch.arange(ids.shape[1]))
            for block in self.blocks:
                x = block(x)
            logits = self.head(self.ln_f(x))
            return F.cross_entropy(logits.view(-1, logits.shape[-1]), targets.view(-1))

    twin = TorchGPT()
    ours = dict(model.named_parameters())
    with torch.no_grad():
        for name, p in twin.named_parameters():
            name = name.replace(".c_fc", ".mlp.c_fc")
            if ".c_proj" in name and ".attn." not in name:
                name = name.replace(".c_proj", ".mlp.c_proj")
            key = name.replace(".weight", ".W").replace(".bias", ".b")
            if "ln" in key:
                key = key.replace(".W", ".g")
            p.copy_(torch.from_numpy(ours[key].data))
    decay = [p for p in twin.parameters() if p.dim() >= 2]
    no_decay = [p for p in twin.parameters() if p.dim() < 2]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
        lr=1e-3,
        betas=(0.9, 0.99),
    )
    return twin, optimizer


def main():
    parser = argparse.ArgumentParser(description="ms per GPT training iteration")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--iters", type=int, default=5, help="timed iterations per round")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--torch-threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    rng = np.random.default_rng(1337)
    model = GPT(CONFIG, rng)
    optimizer = AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.99), weight_decay=0.1)
    shape = (BATCH_SIZE, CONFIG.block_size)
    x, y = rng.integers(0, 65, shape), rng.integers(0, 65, shape)

    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None:
        torch.set_num_threads(args.torch_threads)
        torch.manual_seed(0)
        twin, t_optimizer = torch_twin(model)
        tx, ty = torch.from_numpy(x), torch.from_numpy(y)
        first = twin(tx, ty).item()
        ours = model.loss(x, y).item()
        assert abs(first - ours) < 1e-4, f"the twins differ: torch {first}, nnlib {ours}"

        def torch_step():
            loss = twin(tx, ty)
            t_optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(twin.parameters(), 1.0)
            t_optimizer.step()

    steps = {"nnlib": lambda: nnlib_step(model, optimizer, x, y)}
    if torch is not None:
        steps["torch"] = torch_step
    times = {k: [] for k in steps}  # (wall seconds, cpu seconds) per timed iteration
    load_before = os.getloadavg()[0]
    for r in range(args.rounds + 1):
        for name, step in steps.items():
            for _ in range(args.warmup if r == 0 else args.iters):
                wall, cpu = time.perf_counter(), time.process_time()
                step()
                if r:
                    times[name].append((time.perf_counter() - wall, time.process_time() - cpu))

    ms = {k: 1000 * np.median(np.array(v), axis=0) for k, v in times.items()}  # (wall, cpu)
    cores = os.cpu_count()
    print(f"GPT training iteration, {CONFIG}, batch {BATCH_SIZE}, {cores} cores")
    print(f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")
    n = len(times["nnlib"])
    print(f"nnlib   {ms['nnlib'][0]:8.1f} ms wall, {ms['nnlib'][1]:8.1f} ms cpu (median of {n})")
    if torch is None:
        print("PyTorch not installed: no comparison (pip install torch==2.13.0)")
        return
    ratio = ms["nnlib"][0] / ms["torch"][0]
    print(
        f"PyTorch {ms['torch'][0]:8.1f} ms wall, {ms['torch'][1]:8.1f} ms cpu "
        f"(median of {len(times['torch'])}, {torch.get_num_threads()} threads)"
    )
    print(f"cpu-time ratio nnlib / PyTorch = {ms['nnlib'][1] / ms['torch'][1]:.2f}")
    verdict = "PASS" if ratio <= TARGET else "FAIL"
    print(f"ratio nnlib / PyTorch = {ratio:.2f} (target <= {TARGET}): {verdict}")


if __name__ == "__main__":
    main()
