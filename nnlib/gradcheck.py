"""Check gradients by finite differences: the ground truth every backward pass is tested against.

For a scalar function L(x), the central difference

    dL/dx_i ~ (L(x + h e_i) - L(x - h e_i)) / (2 h)

has an error that shrinks like h^2, so in float64 with h = 1e-6 it agrees with
the exact derivative to about 1e-9. It costs two evaluations of L per number in
x, which is why we only use it to check backpropagation, never to train.
"""

import warnings

import numpy as np


def central_difference(f, w, h=1e-6):
    """The slope of f at w: (f(w + h) - f(w - h)) / (2 h), the one formula of this module.

    Its error shrinks like h^2. Elementwise when f accepts arrays: w any shape -> same shape.
    """
    return (f(w + h) - f(w - h)) / (2 * h)


def numerical_grad(f, x, h=1e-6):
    """Central-difference gradient of the scalar f() with respect to the array x.

    x is changed in place, one entry at a time, and restored; f takes no
    arguments and reads x itself (a closure), so it works for any model.
    x: any shape -> dL/dx: same shape
    """
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        old = x[i]

        def f_at(value, i=i):  # L as a function of x[i] alone
            x[i] = value
            return float(np.asarray(f()))

        grad[i] = central_difference(f_at, old, h)
        x[i] = old
    return grad


def rel_error(a, b):
    """max |a - b| / max(|a|, |b|): 0 means equal, 1e-6 means agreement to six digits."""
    scale = max(np.max(np.abs(a), initial=0.0), np.max(np.abs(b), initial=0.0), 1e-12)
    return float(np.max(np.abs(a - b), initial=0.0) / scale)


def check_grad(f, tensors, h=1e-6):
    """Largest relative error between autograd's and finite differences' gradients.

    f() builds a scalar Tensor from `tensors` (use float64 Tensors); we run
    backward once, then perturb every entry of every tensor. In float32 the round-off of
    L over h swamps the check (errors like 1e-2 for a correct gradient): it warns.
    """
    low = [str(t.dtype) for t in tensors if t.dtype != np.float64]
    if low:
        warnings.warn(
            f"check_grad got {low} Tensors: gradient checks need float64 (in float32 a correct "
            "gradient shows errors near 1e-2). Use Tensor(x, dtype=np.float64), or "
            "model.astype(np.float64) for a whole model.",
            stacklevel=2,
        )
    for t in tensors:
        t.grad = None
    f().backward()
    analytic = [t.grad.copy() for t in tensors]
    errors = []
    for t, g in zip(tensors, analytic, strict=True):
        numeric = numerical_grad(lambda: f().data, t.data, h)
        errors.append(rel_error(g, numeric))
    return max(errors)
