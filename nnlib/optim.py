"""Optimizers: how a gradient becomes a step.

Each optimizer keeps a list of parameters and whatever memory its rule needs
(velocities, moment estimates), allocated once, one array per parameter.
`step()` reads each parameter's .grad and changes its .data in place, so the
model sees the new values at once and float32 stays float32. `lr` is a plain
attribute: a learning-rate schedule just sets `opt.lr = ...` between steps.
Parameters whose .grad is None (not used by this loss) are left alone.
"""

import math
import numbers

import numpy as np

from nnlib.tensor import Tensor


def _parameter_list(params, name):
    """params as a non-empty list of Tensors, or a ValueError/TypeError that says what to pass."""
    if hasattr(params, "parameters") and callable(params.parameters):
        raise TypeError(
            f"{name} expects the model's parameters, not the model: {name}(model.parameters(), ...)"
        )
    if isinstance(params, Tensor):
        params = [params]
    params = list(params)
    if not params:
        raise ValueError(
            f"{name} got no parameters to train (an empty list, or a generator that was "
            "already used up): pass model.parameters() afresh"
        )
    wrong = [type(p).__name__ for p in params if not isinstance(p, Tensor)]
    if wrong:
        raise TypeError(f"{name} expects Tensors to train, got {sorted(set(wrong))}")
    return params


def _check_number(value, name, low, high=math.inf, low_open=False, high_open=False):
    """A real number in the interval, or a ValueError naming the setting and its range."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if too_low or too_high:
        left, right = "(" if low_open else "[", ")" if high_open or high == math.inf else "]"
        raise ValueError(f"{name} must lie in {left}{low}, {high}{right}, got {value!r}")
    return float(value)


class Optimizer:
    """What every optimizer shares: the parameter list, lr and zero_grad()."""

    def __init__(self, params, lr):
        self.params = _parameter_list(params, type(self).__name__)
        self.lr = _check_number(lr, "lr (the learning rate)", 0.0, low_open=True)

    def zero_grad(self):
        """Forget the gradients: backward() adds into .grad, so clear it before each batch."""
        for p in self.params:
            p.grad = None

    def step(self):
        raise NotImplementedError(f"{type(self).__name__} must define step()")


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum.

    v <- momentum * v + grad
    p <- p - lr * v
    lr is eta (alpha) in the text. With momentum 0 this is p <- p - lr * grad;
    with momentum near 1, v is a running sum of past gradients, so steps build
    up speed along directions the gradients keep agreeing on.
    """

    def __init__(self, params, lr, momentum=0.0):
        super().__init__(params, lr)
        self.momentum = _check_number(momentum, "momentum", 0.0, 1.0, high_open=True)
        self.v = [np.zeros_like(p.data) for p in self.params] if momentum else None

    def step(self):
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            if self.momentum:
                v = self.v[i]
                v *= self.momentum
                v += p.grad
                p.data -= self.lr * v
            else:
                p.data -= self.lr * p.grad


class Adam(Optimizer):
    """Adam: a step from running averages of the gradient and of its square.

    m <- beta1 * m + (1 - beta1) * grad          (first moment: the mean direction)
    v <- beta2 * v + (1 - beta2) * grad^2        (second moment: the typical size)
    m_hat = m / (1 - beta1^t),  v_hat = v / (1 - beta2^t)   (t = steps so far)
    p <- p - lr * m_hat / (sqrt(v_hat) + eps)
    m and v start at zero, so early on they are too small; dividing by
    (1 - beta^t) corrects that bias. The first step is about lr * sign(grad):
    every parameter moves by roughly lr, however large or small its gradient.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        super().__init__(params, lr)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.beta1 = _check_number(betas[0], "beta1", 0.0, 1.0, high_open=True)
        self.beta2 = _check_number(betas[1], "beta2", 0.0, 1.0, high_open=True)
        self.eps = _check_number(eps, "eps", 0.0, low_open=True)
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.v = [np.zeros_like(p.data) for p in self.params]
        self.t = [0] * len(self.params)  # per parameter: one skipped now and then keeps its own t

    def step(self):
        b1, b2 = self.beta1, self.beta2
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            self._decay(p)
            g, m, v = p.grad, self.m[i], self.v[i]
            self.t[i] += 1
            t = self.t[i]
            m *= b1
            m += (1 - b1) * g
            v *= b2
            g2 = g * g
            g2 *= 1 - b2
            v += g2
            # lr * m_hat / (sqrt(v_hat) + eps), written as PyTorch does so m and v are not copied
            step = np.sqrt(v)
            step /= math.sqrt(1 - b2**t)
            step += self.eps
            np.divide(m, step, out=step)
            step *= self.lr / (1 - b1**t)
            p.data -= step

    def _decay(self, p):
        pass  # plain Adam has no weight decay (AdamW overrides this)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter), as GPT-2 and nanoGPT train.

    p <- p - lr * weight_decay * p    then the Adam step above.
    The decay shrinks weights toward zero directly instead of adding
    weight_decay * p to the gradient, where Adam's scaling would undo it.
    Only parameters with ndim >= 2 (weight matrices, embeddings) decay; biases
    and LayerNorm gains (1-D) do not, as in nanoGPT.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01):
        super().__init__(params, lr, betas, eps)
        self.weight_decay = _check_number(weight_decay, "weight_decay", 0.0)

    def _decay(self, p):
        if p.ndim >= 2 and self.weight_decay:
            p.data *= 1 - self.lr * self.weight_decay


def clip_grad_norm(params, max_norm):
    """Scale all gradients down together if their total length exceeds max_norm.

    norm = sqrt(sum over every parameter and entry of grad^2)
    if norm > max_norm: grad <- grad * max_norm / norm   (the direction is kept)
    Returns the norm before clipping (worth logging: spikes show instability).
    If float32's sum of squares overflows, it is taken again in float64, so large but finite
    gradients are scaled, not zeroed. A NaN or infinite gradient raises: no scaling can make
    that step safe.
    """
    max_norm = _check_number(max_norm, "max_norm", 0.0, low_open=True)
    grads = [p.grad for p in params if p.grad is not None]
    norm = math.sqrt(sum(float(np.vdot(g, g)) for g in grads))
    if not math.isfinite(norm):  # overflow in float32, or a NaN/inf: count again in float64
        norm = math.sqrt(sum(float(np.vdot(g, g.astype(np.float64))) for g in grads))
    if not math.isfinite(norm):
        raise FloatingPointError(
            "clip_grad_norm found NaN or infinite gradients: the loss has diverged (try a "
            "smaller learning rate) or a NaN got into the data"
        )
    if norm > max_norm:
        scale = max_norm / (norm + 1e-6)
        for g in grads:
            g *= scale
    return norm
