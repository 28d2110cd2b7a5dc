"""Optimizers: how a gradient becomes a step.

Each optimizer keeps a list of parameters and whatever memory its rule needs
(velocities, moment estimates), allocated once, one array per parameter.
`step()` reads each parameter's .grad and changes its .data in place, so the
model sees the new values at once and float32 stays float32. `lr` is a plain
attribute: a learning-rate schedule just sets `opt.lr = ...` between steps.
Parameters whose .grad is None (not used by this loss) are left alone.
"""

import math

import numpy as np


class Optimizer:
    """What every optimizer shares: the parameter list, lr and zero_grad()."""

    def __init__(self, params, lr):
        self.params = list(params)
        self.lr = lr

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
        self.momentum = momentum
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
        self.beta1, self.beta2 = betas
        self.eps = eps
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
        self.weight_decay = weight_decay

    def _decay(self, p):
        if p.ndim >= 2 and self.weight_decay:
            p.data *= 1 - self.lr * self.weight_decay


def clip_grad_norm(params, max_norm):
    """Scale all gradients down together if their total length exceeds max_norm.

    norm = sqrt(sum over every parameter and entry of grad^2)
    if norm > max_norm: grad <- grad * max_norm / norm   (the direction is kept)
    Returns the norm before clipping (worth logging: spikes show instability).
    """
    grads = [p.grad for p in params if p.grad is not None]
    norm = math.sqrt(sum(float(np.vdot(g, g)) for g in grads))
    if norm > max_norm:
        scale = max_norm / (norm + 1e-6)
        for g in grads:
            g *= scale
    return norm
