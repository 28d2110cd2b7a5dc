"""Chapter 05's exercises: local derivatives, shares that add up, and the two array rules.

Each judge compares the reader's answer with the chapter's own math (nnlib.chapters.
ch05_autograd, nnlib.tensor) on several inputs and, when it is wrong, names the likely
mistake. The notebook calls check(id, answer) and hint(id).
"""

import math

import numpy as np

from nnlib.chapters import ch05_autograd as autograd
from nnlib.exercises import Checker, Exercise, call, close, number, right, wrong


def _predict_d_grad(answer):
    try:
        guess = number(answer)
    except TypeError:
        return wrong(f"enter a number such as -1.0, not {answer!r}")
    d = autograd.neuron_example().parents[0].data  # d = a - y = -1.604
    if close(guess, 2 * d, 1e-3):
        return right(f"d is used twice in d * d, so it gets two shares of d each: 2d = {2 * d:.3f}")
    if close(guess, d, 1e-3):
        return wrong(
            f"{d:.3f} is one share. d is used twice in L = d * d, and backward() adds "
            "the share of every use (+=)"
        )
    if close(guess, -2 * d, 1e-3):
        return wrong("the right size with the wrong sign: d is negative, and dL/dd = 2d")
    if close(guess, 1.0, 1e-3):
        return wrong(
            "1 is dL/dL, the gradient backward() starts from at L itself; d is one "
            "step further back"
        )
    return wrong(f"not quite; for L = d * d the slope with respect to d is 2d, with d = {d:.3f}")


def _sigmoid(a):
    return 0.5 * (1.0 + math.tanh(a / 2))  # = 1 / (1 + e^-a), without overflow


def _judge_sigmoid_op(f):
    for a in (0.0, 1.5, -2.0, 4.0):
        out = call(f, a)
        if out is None:
            return None
        if not (
            isinstance(out, tuple)
            and len(out) == 2
            and isinstance(out[1], (tuple, list))
            and len(out[1]) == 1
        ):
            return wrong(
                f"return a pair, the result and a tuple with one local derivative: "
                f"(s, (slope,)); for a = {a} you returned {out!r}"
            )
        s, (slope,) = out
        want = _sigmoid(a)
        if not close(s, want):
            if close(s, math.tanh(a)):
                return wrong("that result is tanh(a); the sigmoid is 1 / (1 + e^(-a))")
            return wrong(f"the result for a = {a} should be sigmoid(a) = {want:.6f}, got {s!r}")
        if close(slope, want * (1 - want)):
            continue
        if close(slope, want):
            return wrong(
                "the slope you returned is the sigmoid itself; its slope is "
                "sigma(a) * (1 - sigma(a))"
            )
        if close(slope, -want * (1 - want)):
            return wrong("wrong sign: the sigmoid rises everywhere, so its slope is positive")
        if close(slope, 1 - want * want):
            return wrong("1 - s^2 is tanh's slope; the sigmoid's is s * (1 - s)")
        return wrong(
            f"at a = {a} the slope should be {want * (1 - want):.6f}, got {slope!r}; "
            "compare with check_slopes(sigmoid_op, 1.5)"
        )
    return right(
        "result and slope agree with the sigmoid at a = 0, 1.5, -2 and 4: "
        "sigma'(a) = sigma(a) (1 - sigma(a))"
    )


def _judge_div_op(f):
    for a, b in ((3.0, 2.0), (-1.0, 0.5), (2.0, -4.0)):
        out = call(f, a, b)
        if out is None:
            return None
        if not (
            isinstance(out, tuple)
            and len(out) == 2
            and isinstance(out[1], (tuple, list))
            and len(out[1]) == 2
        ):
            return wrong(
                f"return a pair, the result and a tuple of two local derivatives: "
                f"(a / b, (slope_a, slope_b)); for ({a}, {b}) you returned {out!r}"
            )
        q, (da, db) = out
        if not close(q, a / b):
            return wrong(f"the result for a = {a}, b = {b} should be a / b = {a / b}, got {q!r}")
        want = (1 / b, -a / b**2)
        if close(da, want[0]) and close(db, want[1]):
            continue
        if close(da, want[1]) and close(db, want[0]):
            return wrong("the two slopes are in the wrong order: first d(out)/da, then d(out)/db")
        if close(da, b) and close(db, a):
            return wrong("those are multiplication's slopes (b and a); a / b is a * b**-1")
        if close(da, want[0]) and close(db, a / b**2):
            return wrong(
                "the slope for b has the wrong sign: a larger b makes a / b smaller "
                "(for positive a), so it is -a / b^2"
            )
        if close(da, want[0]) and close(db, -1 / b**2):
            return wrong("the slope for b lost its a: d(a/b)/db = -a / b^2")
        return wrong(
            f"for a = {a}, b = {b} the slopes should be ({want[0]:.4g}, {want[1]:.4g}), "
            f"got ({da!r}, {db!r})"
        )
    return right("a / b with slopes 1/b and -a/b^2, right at three points (one with b < 0)")


def _predict_cube(answer):
    try:
        guess = number(answer)
    except TypeError:
        return wrong(f"enter a number, not {answer!r}")
    if close(guess, 27):
        return right(
            "x is used three times: 9 from the outer product (its other factor x*x) "
            "and 3 * 3 twice through x*x; 9 + 18 = 27 = 3 x^2"
        )
    if close(guess, 9):
        return wrong(
            "9 is only the share of the outer product; x is also used twice inside "
            "x * x, and those shares add too"
        )
    if close(guess, 18):
        return wrong(
            "18 is the two shares through x * x; the outer product uses x directly as "
            "well and adds 9 more"
        )
    if close(guess, 3) or close(guess, 6):
        return wrong(
            "count the uses of x: three, and each share is a local derivative times "
            "the gradient of the node that uses it"
        )
    if close(guess, 1):
        return wrong("1 is dL/dL at L itself")
    return wrong("not quite; L = x^3, and its slope is 3 x^2 at x = 3")


UNBROADCAST_CASES = [
    ((5, 3), (3,)),
    ((5, 3), (1, 3)),
    ((2, 5, 3), (5, 3)),
    ((2, 5, 3), (5, 1)),
    ((4, 3), (4, 3)),
    ((5, 3), ()),
]


def _judge_unbroadcast(f):
    rng = np.random.default_rng(5)
    for grad_shape, shape in UNBROADCAST_CASES:
        grad = rng.normal(size=grad_shape)
        got = call(f, grad.copy(), shape)
        if got is None:
            return None
        want = _unbroadcast(grad, shape)
        got = np.asarray(got)
        if got.shape != want.shape:
            if got.shape == grad.shape:
                return wrong(
                    f"the gradient still has shape {got.shape}; it must have the "
                    f"operand's shape {shape}: sum over the axes numpy copied along"
                )
            if got.size == want.size:
                return wrong(
                    f"the right numbers in the wrong shape {got.shape}; {shape} needs "
                    "its axes of length 1 kept (keepdims=True)"
                )
            return wrong(
                f"for a gradient of shape {grad_shape} and operand shape {shape}, the "
                f"result needs shape {want.shape}, got {got.shape}"
            )
        if np.allclose(got, want):
            continue
        copies = grad.size / max(want.size, 1)
        if np.allclose(got * copies, want):
            return wrong("that is the mean; each use of the value adds a full share, so sum")
        return wrong(
            f"wrong numbers for gradient shape {grad_shape} -> {shape}: sum over "
            "exactly the axes that were added or stretched from length 1"
        )
    return right("right for leading axes, axes of length 1, no broadcasting and a scalar")


def _unbroadcast(grad, shape):
    grad = grad.sum(axis=tuple(range(grad.ndim - len(shape))))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    return grad.sum(axis=axes, keepdims=True) if axes else grad


def _judge_matmul_grads(f):
    rng = np.random.default_rng(6)
    for m, q, n in ((2, 3, 4), (3, 3, 3), (1, 5, 2)):
        A, B, G = rng.normal(size=(m, q)), rng.normal(size=(q, n)), rng.normal(size=(m, n))
        out = call(f, A, B, G)
        if out is None:
            return None
        if not (isinstance(out, tuple) and len(out) == 2):
            return wrong("return two arrays, (dA, dB)")
        dA, dB = (np.asarray(x) for x in out)
        want_A, want_B = G @ B.T, A.T @ G
        if dA.shape == want_B.shape and dB.shape == want_A.shape and m != q:
            if np.allclose(dA, want_B) and np.allclose(dB, want_A):
                return wrong("you returned (dB, dA); return dA first")
        if dA.shape != A.shape:
            return wrong(
                f"dA must have the shape of A, {A.shape}; got {dA.shape} "
                "(shapes transposed? G is (m, n), B.T is (n, q))"
            )
        if dB.shape != B.shape:
            return wrong(
                f"dB must have the shape of B, {B.shape}; got {dB.shape} "
                "(A.T is (q, m), G is (m, n))"
            )
        if not np.allclose(dA, want_A):
            return wrong("dA has the right shape but wrong numbers: dL/da_ir = sum_j g_ij b_rj")
        if not np.allclose(dB, want_B):
            return wrong("dB has the right shape but wrong numbers: dL/db_rj = sum_i a_ir g_ij")
    return right("dA = G B^T and dB = A^T G, right for three shapes")


def _explore_z_turn(answer):
    try:
        step = number(answer)
    except TypeError:
        return wrong(f"enter the slider's number, such as 2, not {answer!r}")
    order, _ = autograd.backward_steps(autograd.neuron_example())
    turn = [node.label for node in order].index("z")
    if step == turn:
        return right(
            f"at {turn} nodes done, z's gradient is complete: a, the only node that "
            "uses z, has passed its share on"
        )
    if step < turn:
        return wrong("not yet: at that step a has not passed its share to z; z is still white")
    return wrong("later than that z is already green (done); go back until z is yellow")


EXERCISES = {
    "05.3": Exercise(
        "05.3",
        "predict",
        "predict d.grad after backward() on L = d * d",
        _predict_d_grad,
        [
            "How many arrows leave d in the graph?",
            "Each use adds (local derivative) x (dL/dL = 1); the local derivative of "
            "d * d with respect to one factor is the other factor.",
        ],
    ),
    "05.2": Exercise(
        "05.2",
        "code",
        "write the sigmoid as an operation: result and slope",
        _judge_sigmoid_op,
        [
            "Write s = 1 / (1 + math.exp(-a)) first.",
            "Chapter 01: the sigmoid's slope is s * (1 - s); return (s, (slope,)).",
        ],
    ),
    "05.1": Exercise(
        "05.1",
        "code",
        "write division as an operation with its two slopes",
        _judge_div_op,
        [
            "Hold b still: a / b is a times the constant 1/b.",
            "Hold a still: a / b = a * b**-1, and the power rule gives -a * b**-2.",
        ],
    ),
    "05.4": Exercise(
        "05.4",
        "predict",
        "predict x.grad for L = x * x * x at x = 3",
        _predict_cube,
        [
            "Draw the graph: x * x first, then times x again. How many arrows leave x?",
            "The calculus answer is d(x^3)/dx = 3x^2; backward gets it as shares.",
        ],
    ),
    "05.7": Exercise(
        "05.7",
        "code",
        "write unbroadcast(grad, shape)",
        _judge_unbroadcast,
        [
            "First sum over the leading axes that shape does not have.",
            "Then, for each axis where shape has 1 but grad does not, sum with keepdims=True.",
        ],
    ),
    "05.6": Exercise(
        "05.6",
        "code",
        "write the backward rule of Z = A @ B",
        _judge_matmul_grads,
        [
            "dA must have A's shape (m, q): which product of G (m, n) and B gives it?",
            "Try G @ B.T for dA and check its shape; find dB the same way from the "
            "shape it must have, (q, n).",
        ],
    ),
    "05.5": Exercise(
        "05.5",
        "explore",
        "find the step where z's gradient becomes complete",
        _explore_z_turn,
        ["Drag the slider from 0 and watch for z = wx + b to turn yellow."],
    ),
}

checker = Checker(EXERCISES)  # counts the hints shown in this session
check, hint = checker.check, checker.hint  # what the notebook calls
