"""Worked solutions to chapter 04's exercises (kept out of the chapter and of the package).

`python scripts/exercises.py solution 04.2` prints one; `solutions` checks them all; `key DIR`
writes the chapters with these filled in. A function here has the same name as the stub the
reader fills in; a number or a word is the answer to a predict or explore exercise.
"""

import numpy as np

from nnlib import functional as F


def dC_dw_of(a_k, z, y_j):
    a = F.sigmoid(z)
    link_w, link_z, link_a = a_k, a * (1 - a), 2 * (a - y_j)  # dz/dw, da/dz, dC/da
    return link_w * link_z * link_a


def n_parameters(sizes):
    layers = zip(sizes[:-1], sizes[1:], strict=True)  # (n_in, n_out) of every layer
    return sum(n_out * n_in + n_out for n_in, n_out in layers)  # W and b


def relu_layer_backward(delta, A_prev, W, Z_prev):
    grad_W = delta.T @ A_prev  # (n_out, B) @ (B, n_in) -> (n_out, n_in)
    grad_b = np.sum(delta, axis=0)  # one number per neuron of this layer
    relu_slope = (Z_prev > 0).astype(float)  # 1 where the neuron below was active
    return grad_W, grad_b, (delta @ W) * relu_slope


def choose_setting(results):
    # validation accuracy only: the test set is not for choosing
    return max(results, key=lambda name: results[name]["val_acc"])


SOLUTIONS = {
    "04.1": "negative",  # a_k > 0, sigma' > 0, 2(a_j - 1) < 0
    "04.2": dC_dw_of,
    "04.3": 0.1,  # the cost falls by 0.63 (offline split); at 0.3 only by 0.04
    "04.4": n_parameters,
    "04.5": relu_layer_backward,
    "04.6": 1e-6,  # the next cell: log10 of the ratio is -6.0
    "04.7": choose_setting,
}
