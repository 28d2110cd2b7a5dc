"""A learner's first-hour mistakes get a clear error, never silence or a wrong number.

Each case makes the mistake a reader is likely to make and checks the error type and the
words that tell them what to do, or, where the mistake has an obvious meaning, that it now
does the right thing. (Data files, checkpoints and the training script have their own
cases in test_data.py, test_checkpoint.py, test_tokenizers.py and test_train_gpt.py.)
"""

import math
import warnings

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib import functional as F
from nnlib import losses, sampling
from nnlib.gpt import GPT, GPTConfig
from nnlib.gradcheck import check_grad
from nnlib.layers import MLP, Embedding, Linear, Module
from nnlib.optim import SGD, Adam, AdamW, clip_grad_norm
from nnlib.tensor import Tensor, no_grad
from nnlib.tokenizers import CharTokenizer

matplotlib.use("Agg", force=False)
RNG = np.random.default_rng


def tiny_gpt():
    config = GPTConfig(vocab_size=7, block_size=8, n_layer=1, n_head=2, n_embd=8)
    return GPT(config, RNG(0))


# ---- the update rule: W -= lr * W.grad ----------------------------------------------------


def test_minus_equals_on_a_parameter_shows_the_right_line():
    layer = Linear(3, 2, RNG(0))
    losses.mse(layer(np.ones((4, 3))), np.zeros((4, 2))).backward()
    W = layer.W
    with pytest.raises(TypeError, match=r"W\.data -= lr \* W\.grad.*optim"):
        W -= 0.1 * W.grad
    with pytest.raises(TypeError, match=r"W\.data \+= "):
        layer.W += 0.1 * layer.W.grad
    for op in ("*", "/"):
        with pytest.raises(TypeError, match="parameter"):
            exec(f"W {op}= 2.0", {"W": W})


def test_minus_equals_inside_no_grad_updates_the_model_in_place():
    layer = Linear(3, 2, RNG(0))
    before = layer.W.data.copy()
    losses.mse(layer(np.ones((4, 3))), np.zeros((4, 2))).backward()
    W = layer.W
    with no_grad():
        W -= 0.1 * W.grad
    assert W is layer.W and not W._parents  # still the model's parameter, not a graph node
    np.testing.assert_allclose(layer.W.data, before - 0.1 * layer.W.grad, rtol=1e-6)


def test_a_running_total_still_adds_into_the_graph():
    x = Tensor([1.0, 2.0], dtype=np.float64)
    total = 0
    for k in (1.0, 2.0):
        total += (x * k).sum()
    y = x * 1.0
    y += x  # an intermediate result: y = y + x
    (total + y.sum()).backward()
    np.testing.assert_allclose(x.grad, [5.0, 5.0])


# ---- parameters wherever the model keeps them -----------------------------------------------


class Keeper(Module):
    def __init__(self, rng):
        self.heads = {"query": Linear(2, 2, rng), "key": Linear(2, 2, rng)}
        self.scales = [Tensor(np.ones(2)), Tensor(np.ones(2))]
        self.nested = {"deep": [{"w": Tensor(np.zeros(2))}]}

    def forward(self, x):
        q = self.heads["query"](x) * self.scales[0]
        k = self.heads["key"](x) * self.scales[1]
        return q + k + self.nested["deep"][0]["w"]


def test_parameters_in_dicts_lists_and_nested_containers_are_found_saved_and_trained():
    model = Keeper(RNG(0))
    names = [name for name, _ in model.named_parameters()]
    assert names == [
        "heads.query.W", "heads.query.b", "heads.key.W", "heads.key.b",
        "scales.0", "scales.1", "nested.deep.0.w",
    ]  # fmt: skip
    assert set(model.state_dict()) == set(names)
    before = model.nested["deep"][0]["w"].data.copy()
    losses.mse(model(np.ones((3, 2))), np.full((3, 2), 5.0)).backward()
    SGD(model.parameters(), lr=0.1).step()
    assert not np.array_equal(model.nested["deep"][0]["w"].data, before)
    state = model.state_dict()
    fresh = Keeper(RNG(1))
    fresh.load_state_dict(state)
    np.testing.assert_array_equal(fresh.scales[1].data, model.scales[1].data)


# ---- optimizers ---------------------------------------------------------------------------


def params():
    return Linear(3, 2, RNG(0)).parameters()


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: SGD(Linear(3, 2, RNG(0)), lr=0.1), TypeError, r"model\.parameters\(\)"),
        (lambda: SGD([], lr=0.1), ValueError, "no parameters"),
        (lambda: Adam(iter([]), lr=0.1), ValueError, "used up"),
        (lambda: SGD([np.zeros(3)], lr=0.1), TypeError, "Tensors"),
        (lambda: SGD(params(), lr=-0.1), ValueError, r"lr .* must lie in \(0"),
        (lambda: SGD(params(), lr=float("nan")), ValueError, "finite number"),
        (lambda: SGD(params(), lr="0.1"), ValueError, "finite number"),
        (lambda: SGD(params(), lr=0.1, momentum=1.0), ValueError, r"momentum must lie in \[0"),
        (lambda: SGD(params(), lr=0.1, momentum=-0.5), ValueError, "momentum"),
        (lambda: Adam(params(), betas=(1.0, 0.999)), ValueError, "beta1"),
        (lambda: Adam(params(), betas=(0.9, -0.1)), ValueError, "beta2"),
        (lambda: Adam(params(), betas=0.9), ValueError, "pair"),
        (lambda: Adam(params(), eps=0.0), ValueError, "eps"),
        (lambda: AdamW(params(), weight_decay=-0.01), ValueError, "weight_decay"),
    ],
)
def test_optimizer_settings_are_checked_when_made(make, error, words):
    with pytest.raises(error, match=words):
        make()


def test_a_generator_of_parameters_is_fine_once():
    model = Linear(3, 2, RNG(0))
    opt = SGD((p for p in model.parameters()), lr=0.1)
    assert len(opt.params) == 2


# ---- backward, losses and targets ----------------------------------------------------------


def test_backward_on_a_vector_asks_for_mean_or_sum():
    x = Tensor([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"shape \(3,\).*\.mean\(\)"):
        (x * 2).backward()
    (x * 2).backward(grad=np.ones(3))  # an explicit dL/d(out) is fine
    with pytest.raises(ValueError, match=r"grad of shape \(3,\)"):
        (x * 2).backward(grad=np.ones(2))


@pytest.mark.parametrize(
    "targets, words",
    [
        (np.array([[0, -1, 2]]), r"label -1 is out of range \[0, 7\)"),
        (np.array([[0, 7, 2]]), r"label 7 is out of range"),
        (np.array([[0.0, 1.0, 2.0]]), "integer class labels"),
    ],
)
def test_gpt_loss_refuses_targets_outside_the_vocabulary(targets, words):
    with pytest.raises(ValueError, match=words):
        tiny_gpt().loss(np.array([[1, 2, 3]]), targets)


def test_the_mean_of_an_empty_batch_is_named():
    with pytest.raises(ValueError, match="empty"):
        Tensor(np.zeros((0, 3))).mean()


# ---- generating text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"n": 3, "top_k": 2.5, "rng": RNG(0)}, ValueError, "top_k must be None or a whole"),
        ({"n": 3, "top_k": 0, "rng": RNG(0)}, ValueError, "top_k"),
        ({"n": 3, "rng": 0}, TypeError, r"got int \(a seed\).*np\.random\.default_rng\(seed\)"),
        ({"n": 3, "temperature": None, "rng": RNG(0)}, TypeError, "temperature must be a number"),
        ({"n": 3, "temperature": -1.0, "rng": RNG(0)}, ValueError, "temperature"),
        ({"n": 3, "temperature": math.inf, "rng": RNG(0)}, ValueError, "finite"),
        ({"n": -1, "rng": RNG(0)}, ValueError, r"n \(how many tokens"),
        ({"n": 10**12, "rng": RNG(0)}, ValueError, "1000000"),
        ({"n": 2.5, "rng": RNG(0)}, TypeError, "whole number"),
        ({"n": 1e12, "rng": RNG(0)}, TypeError, "whole number"),
    ],
)
def test_generate_checks_its_knobs_before_any_work(kwargs, error, words):
    with pytest.raises(error, match=words):
        sampling.generate(tiny_gpt(), [1, 2], **kwargs)


def test_generate_zero_tokens_is_an_empty_array():
    assert sampling.generate(tiny_gpt(), [1, 2], 0, rng=RNG(0)).shape == (0,)


# ---- numpy and matplotlib meet a Tensor -----------------------------------------------------


def test_numpy_on_a_tensor_says_use_data_or_item():
    t = Tensor([1.0, 5.0, 2.0])
    with pytest.raises(TypeError, match=r"t\.data"):
        np.argmax(t)
    with pytest.raises(TypeError, match="one number"):
        float(t)
    assert np.argmax(t.data) == 1


def test_one_number_tensors_display_print_and_plot():
    history = [Tensor(2.0), Tensor(1.5), Tensor(1.25)]  # a list of losses, kept as Tensors
    assert np.mean(history) == pytest.approx(1.5833333)
    assert float(history[0]) == 2.0 and f"{history[1]:.2f}" == "1.50"
    ax = Figure().subplots()
    (line,) = ax.plot(history)
    np.testing.assert_allclose(line.get_ydata(), [2.0, 1.5, 1.25])
    assert "Tensor(" in f"{Tensor([1.0, 2.0])}"


# ---- checks, clipping, sizes ------------------------------------------------------------------


def test_check_grad_in_float32_warns_that_it_needs_float64():
    x = Tensor(RNG(0).normal(size=5))  # float32 by default
    with pytest.warns(UserWarning, match="need float64"):
        check_grad(lambda: (x * x).sum(), [x])
    x64 = Tensor(RNG(0).normal(size=5), dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_grad(lambda: (x64 * x64).sum(), [x64]) < 1e-6


def test_clip_grad_norm_on_bad_gradients_and_settings():
    p = Tensor(np.ones(3))
    p.grad = np.array([1.0, np.nan, 0.0], dtype=np.float32)
    with pytest.raises(FloatingPointError, match="NaN or infinite gradients"):
        clip_grad_norm([p], 1.0)
    p.grad = np.ones(3, dtype=np.float32)
    with pytest.raises(ValueError, match="max_norm"):
        clip_grad_norm([p], -1.0)


def test_clip_grad_norm_scales_huge_float32_gradients_instead_of_zeroing_them():
    p = Tensor(np.ones(2))
    p.grad = np.array([3e20, 4e20], dtype=np.float32)  # the squares overflow float32
    norm = clip_grad_norm([p], 1.0)
    assert norm == pytest.approx(5e20, rel=1e-6)
    np.testing.assert_allclose(p.grad, [0.6, 0.8], rtol=1e-5)


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda: Linear(0, 3, RNG(0)), r"Linear: n_in must be a whole number >= 1, got 0"),
        (lambda: Linear(3, 2.5, RNG(0)), "n_out"),
        (lambda: Embedding(0, 4, RNG(0)), "n_vocab"),
        (lambda: MLP([784], RNG(0)), "at least two layer sizes"),
        (lambda: GPTConfig(vocab_size=7, block_size=8, n_layer=1, n_head=0, n_embd=8), "n_head"),
        (
            lambda: GPTConfig(vocab_size=7, block_size=0, n_layer=1, n_head=1, n_embd=8),
            "block_size",
        ),
    ],
)
def test_sizes_must_be_whole_numbers_from_1(make, words):
    with pytest.raises(ValueError, match=words):
        make()


@pytest.mark.parametrize("rng", [0, None, np.random.RandomState(0)])
def test_layers_name_the_generator_they_need(rng):
    with pytest.raises(TypeError, match=r"np\.random\.default_rng\(seed\)"):
        Linear(3, 2, rng)


# ---- the checkpoint's description of its model -------------------------------------------------


def save_with_meta(tmp_path, meta):
    from nnlib import checkpoint

    path = tmp_path / "gpt.npz"
    checkpoint.save(tiny_gpt(), path, meta)
    return path


@pytest.mark.parametrize(
    "meta, words",
    [
        ({"tokenizer": CharTokenizer("abcdefg").state()}, "needs a 'config' dict"),
        (
            {"config": tiny_gpt().config.to_dict(), "tokenizer": CharTokenizer("abc").state()},
            "tokenizer has 3 characters but its model 7",
        ),
        (
            {
                "config": dict(tiny_gpt().config.to_dict(), n_embd=65536, n_head=1),
                "tokenizer": CharTokenizer("abcdefg").state(),
            },
            "weights, more than",
        ),
    ],
)
def test_a_damaged_description_is_refused_before_any_model_is_built(tmp_path, meta, words):
    path = save_with_meta(tmp_path, meta)
    with pytest.raises(ValueError, match=words):
        sampling.load_char_gpt(path)


def test_a_good_description_loads(tmp_path):
    meta = {"config": tiny_gpt().config.to_dict(), "tokenizer": CharTokenizer("abcdefg").state()}
    model, tokenizer, _ = sampling.load_char_gpt(save_with_meta(tmp_path, meta))
    assert tokenizer.vocab_size == model.config.vocab_size == 7


def test_numpy_functions_refuse_tensors_and_losses_refuse_arrays():
    with pytest.raises(TypeError, match="nnlib.losses.cross_entropy"):
        F.cross_entropy(Tensor(np.zeros((2, 3))), np.array([0, 1]))
