"""Figures of chapter 08 (GPT), drawn by nnlib.widgets.ch08_gpt from the committed checkpoint.

The prompt is the chapter's, "ROMEO:\\nWhat say". The training curve repeats the chapter's
live run: a tiny GPT (2 blocks, 2 heads, C = 32, context 32) trained for 300 AdamW steps
(lr 3e-3, batches of 16, gradients clipped to 1) with np.random.default_rng(0).
"""

import numpy as np

from nnlib import sampling
from nnlib.chapters import ch08_gpt as measure
from nnlib.data import get_batch, load_shakespeare, train_val_split
from nnlib.gpt import GPT, GPTConfig
from nnlib.optim import AdamW, clip_grad_norm
from nnlib.widgets import ch08_gpt as gpt_widgets

PROMPT = "ROMEO:\nWhat say"


def pipeline_shapes():
    """Every stage of the forward pass with the shape of what it makes."""
    model, tokenizer, _ = sampling.load_char_gpt()
    return gpt_widgets.pipeline_figure(model, tokenizer, PROMPT)


def next_token_bars():
    """The 15 most likely next characters after the prompt."""
    model, tokenizer, _ = sampling.load_char_gpt()
    return gpt_widgets.next_token_figure(model, tokenizer, PROMPT)


def temperature():
    """The same scores at temperature 0 (greedy), 0.5, 1 and 2."""
    model, tokenizer, _ = sampling.load_char_gpt()
    return gpt_widgets.temperature_figure(model, tokenizer, PROMPT)


def param_table():
    """GPT-3's weights by kind beside ours."""
    model, _, _ = sampling.load_char_gpt()
    return gpt_widgets.param_table_figure(model.config)


def training_loss():
    """The tiny GPT's loss over 300 steps, from ln 65 down, with the counting baselines and
    the checkpoint's val loss."""
    _, tokenizer, meta = sampling.load_char_gpt()
    rng = np.random.default_rng(0)
    train_data, val_data = train_val_split(tokenizer.encode(load_shakespeare(download=False)), 0.1)
    tiny = GPT(GPTConfig(tokenizer.vocab_size, 32, n_layer=2, n_head=2, n_embd=32), rng)
    optimizer = AdamW(tiny.parameters(), lr=3e-3, weight_decay=0.0)
    losses = []
    for _ in range(300):
        x, y = get_batch(train_data, 32, 16, rng)
        loss = tiny.loss(x, y)
        optimizer.zero_grad()
        loss.backward()
        clip_grad_norm(tiny.parameters(), 1.0)
        optimizer.step()
        losses.append(loss.item())
    reference = ("trained checkpoint (validation)", meta["val_loss"])
    unigram, bigram = sampling.counting_losses(train_data, val_data, tokenizer.vocab_size)
    baselines = [("unigram (counts)", unigram), ("bigram (counts of pairs)", bigram)]
    return gpt_widgets.loss_curve_figure(
        losses, tokenizer.vocab_size, reference=reference, baselines=baselines
    )


def char_embeddings():
    """The checkpoint's 65 character embeddings (wte) on their first two principal directions."""
    model, tokenizer, _ = sampling.load_char_gpt()
    Z, share = measure.pca_2d(model.wte.W.data)
    groups = measure.char_groups(tokenizer.chars)
    return gpt_widgets.char_embedding_figure(Z, tokenizer.chars, groups, share)


FIGURES = {
    "08_char_embeddings": char_embeddings,
    "08_pipeline_shapes": pipeline_shapes,
    "08_next_token_bars": next_token_bars,
    "08_temperature": temperature,
    "08_param_table": param_table,
    "08_training_loss": training_loss,
}
