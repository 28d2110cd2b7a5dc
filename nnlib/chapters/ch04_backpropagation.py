"""Backpropagation written out by hand, for chapter 04 and its widgets.

The network is chapter 01's: layers of sigmoid neurons, Z_l = A_(l-1) W_l^T + b_l and
A_l = sigma(Z_l), with A_0 = X the images, one example per row. Its cost is chapter 02's
squared differences, L = (1/B) sum_p sum_k (A_L[p, k] - Y[p, k])^2, Y the one-hot labels.
Backpropagation computes every dL/dW_l and dL/db_l in one backward sweep:

    delta_L = dL/dA_L * sigma'(Z_L)                     the output layer's error
    dW_l    = delta_l^T A_(l-1),   db_l = sum over rows of delta_l
    delta_(l-1) = (delta_l W_l) * sigma'(Z_(l-1))       passed one layer back

Parameters travel as two lists, Ws (W_l of shape (n_out, n_in)) and bs (b_l of shape (n_out,)),
so the functions work for any layer sizes (784-16-16-10 in the chapter). The same networks
as nnlib.layers.MLP(sizes, rng, activation="sigmoid", final_activation="sigmoid"):
init_params draws the same weights from the same rng; MLP.weights_and_biases copies an MLP's.

Also here: the numbers of one chain w -> z -> a -> C (chain_one_path), the three ways to
raise one output activation (nudge_effects), a quick trainer for the hyperparameter widget
(train_epochs / quick_train), and the gradient size per layer of a deep network
(gradient_norms_by_layer), a network's answer to one drawn digit (digit_probabilities) and
gradient ascent on the input image for one output (dream). Numpy only: no plotting.
"""

import functools
import math
import warnings

import numpy as np

from nnlib import functional as F
from nnlib.checks import check_rng
from nnlib.data import OfflineMNISTWarning, load_mnist, minibatches
from nnlib.layers import MLP
from nnlib.losses import cross_entropy
from nnlib.optim import Adam
from nnlib.tensor import Tensor, no_grad


def sigmoid_prime(z):
    """Slope of the sigmoid: sigma'(z) = sigma(z) (1 - sigma(z)), at most 1/4 (at z = 0)."""
    s = F.sigmoid(z)
    return s * (1 - s)


def init_params(sizes, rng):
    """Random Ws and bs for layer sizes like [784, 16, 16, 10], drawn as nnlib's Linear does.

    W_l uniform in (-1/sqrt(n_in), 1/sqrt(n_in)), b_l zeros; the draws come from rng in the
    same order as MLP(sizes, rng), so the same seed gives the same weights (in float64).
    """
    check_rng(rng, "init_params")
    Ws, bs = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        bound = 1 / math.sqrt(n_in)
        Ws.append(rng.uniform(-bound, bound, size=(n_out, n_in)))  # (n_out, n_in)
        bs.append(np.zeros(n_out))  # (n_out,)
    return Ws, bs


def mlp_from_params(Ws, bs, dtype=np.float64):
    """An nnlib MLP (sigmoid everywhere) holding copies of Ws and bs: the same network."""
    sizes = [Ws[0].shape[1]] + [W.shape[0] for W in Ws]
    net = MLP(sizes, np.random.default_rng(0), activation="sigmoid", final_activation="sigmoid")
    net.astype(dtype)
    for layer, W, b in zip(net.linears(), Ws, bs, strict=True):
        layer.W.data[...] = W
        layer.b.data[...] = b
    return net


def _check_X(Ws, X):
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != Ws[0].shape[1]:
        raise ValueError(
            f"the network expects X of shape (B, {Ws[0].shape[1]}), got {X.shape}. "
            "Pass a batch of flattened images, one per row."
        )
    return X


def forward(Ws, bs, X):
    """Run the sigmoid network, keeping what backward needs.

    Z_l = A_(l-1) W_l^T + b_l,  A_l = sigma(Z_l),  A_0 = X
    X: (B, n_in) -> Zs: [(B, n_1), ..., (B, n_L)], As: [X, (B, n_1), ..., (B, n_L)]
    """
    X = _check_X(Ws, X)
    Zs, As = [], [X]
    for W, b in zip(Ws, bs, strict=True):
        Z = As[-1] @ W.T + b  # (B, n_in) @ (n_in, n_out) -> (B, n_out)
        Zs.append(Z)
        As.append(F.sigmoid(Z))
    return Zs, As


def mse_cost(A_out, Y):
    """L = (1/B) sum_p sum_k (A_out[p, k] - Y[p, k])^2, as nnlib.functional.mse."""
    return float(np.sum((A_out - Y) ** 2) / len(A_out))


def backward(Ws, Zs, As, Y):
    """The backward sweep: dL/dW_l and dL/db_l of the squared cost, for every layer.

    delta_L = 2 (A_L - Y) / B * sigma'(Z_L)
    dW_l = delta_l^T A_(l-1),  db_l = delta_l summed over rows,
    delta_(l-1) = (delta_l W_l) * sigma'(Z_(l-1))
    Y: (B, n_L) one-hot targets -> dWs (shapes of Ws), dbs (shapes of bs)
    """
    B = len(Y)
    delta = 2 * (As[-1] - Y) / B * sigmoid_prime(Zs[-1])  # (B, n_L)
    dWs, dbs = [None] * len(Ws), [None] * len(Ws)
    for l in range(len(Ws) - 1, -1, -1):
        dWs[l] = delta.T @ As[l]  # (n_out, B) @ (B, n_in) -> (n_out, n_in)
        dbs[l] = delta.sum(axis=0)  # (B, n_out) -> (n_out,)
        if l > 0:
            delta = (delta @ Ws[l]) * sigmoid_prime(Zs[l - 1])  # (B, n_out) @ (n_out, n_in)
    return dWs, dbs


def gradients(Ws, bs, X, y):
    """Cost and gradients for images X (B, n_in) and integer labels y (B,): (L, dWs, dbs)."""
    Zs, As = forward(Ws, bs, X)
    Y = F.one_hot(np.asarray(y), Ws[-1].shape[0])  # (B,) -> (B, n_L)
    return mse_cost(As[-1], Y), *backward(Ws, Zs, As, Y)


def chain_one_path(Ws, bs, x, y, j, k):
    """The three links from one weight of the last layer to the cost, as numbers.

    w = W_L[j, k] joins neuron k of the last hidden layer (activation a_k) to output j.
    z = sum_k W_L[j, k] a_k + b_j,  a = sigma(z),  C = sum_i (a_i - y_i)^2 for one example x.
    dC/dw = dz/dw * da/dz * dC/da = a_k * sigma'(z) * 2 (a - y_j)
    x: (n_in,), y: integer label -> dict of the numbers (floats)
    """
    _, As = forward(Ws, bs, np.asarray(x)[None])
    a_k = float(As[-2][0, k])
    z = float(Ws[-1][j] @ As[-2][0] + bs[-1][j])
    a = float(F.sigmoid(z))
    y_j = float(j == y)
    links = {"dz_dw": a_k, "da_dz": float(sigmoid_prime(z)), "dC_da": 2 * (a - y_j)}
    C = float(np.sum((As[-1][0] - F.one_hot(y, Ws[-1].shape[0])) ** 2))
    dC_dw = links["dz_dw"] * links["da_dz"] * links["dC_da"]
    return {
        "w": float(Ws[-1][j, k]),
        "a_k": a_k,
        "z": z,
        "a": a,
        "y_j": y_j,
        "C": C,
        **links,
        "dC_dw": dC_dw,
    }


def nudge_effects(Ws, bs, x, y, j, eps_a=0.0, eps_w=0.0, eps_b=0.0):
    """Three ways to raise output j's activation, each applied alone, and their effects.

    With a the last hidden layer's activations, w = W_L[j] and z = w . a + b_j:
    - nudge the activations along the weights:  a -> a + eps_a * w,  so z rises by eps_a |w|^2
      (but a feeds every output, so the other nine move too);
    - nudge the weights along the activations:  w -> w + eps_w * a,  so z rises by eps_w |a|^2
      (the weights from the most active neurons change most: fire together, wire together);
    - nudge the bias:  b_j -> b_j + eps_b,  so z rises by eps_b.
    Returns, for each kind ("activations", "weights", "bias") and for all three together,
    the change of a_j and of the example's cost C = sum_i (a_i - y_i)^2, plus the nudges
    themselves: dA (n_hidden,) and dW (n_hidden,).
    """
    _, As = forward(Ws, bs, np.asarray(x)[None])
    a, W, b = As[-2][0], Ws[-1], bs[-1]  # (n_hidden,), (10, n_hidden), (10,)
    Y = F.one_hot(y, W.shape[0])  # (10,)
    dA, dW, db = eps_a * W[j], eps_w * a, eps_b  # (n_hidden,), (n_hidden,), float

    def outputs(a_new, W_row, b_j):
        W_new, b_new = W.copy(), b.copy()
        W_new[j], b_new[j] = W_row, b_j
        return F.sigmoid(W_new @ a_new + b_new)  # (10,)

    before = outputs(a, W[j], b[j])
    after = {
        "activations": outputs(a + dA, W[j], b[j]),
        "weights": outputs(a, W[j] + dW, b[j]),
        "bias": outputs(a, W[j], b[j] + db),
        "all three": outputs(a + dA, W[j] + dW, b[j] + db),
    }
    C0 = float(np.sum((before - Y) ** 2))
    return {
        "a_j": float(before[j]),
        "C": C0,
        "delta_a_j": {kind: float(out[j] - before[j]) for kind, out in after.items()},
        "delta_C": {kind: float(np.sum((out - Y) ** 2) - C0) for kind, out in after.items()},
        "delta_z": {
            "activations": eps_a * float(W[j] @ W[j]),
            "weights": eps_w * float(a @ a),
            "bias": float(eps_b),
        },
        "a_prev": a.copy(),
        "dA": dA,
        "dW": dW,
    }


def train_epochs(Ws, bs, X_train, y_train, X_val, y_val, lr, batch_size, epochs, rng):
    """Train the sigmoid network (Ws, bs) in place with the hand-written backprop and SGD.

    Each epoch shuffles the training rows with rng, steps W <- W - lr * dW and b <- b - lr * db
    on every mini-batch, then yields a dict: epoch, loss (mean mini-batch cost), train_acc,
    val_acc (accuracy on X_val, digits held out of training to choose settings with; never the
    test set). A generator, so a widget can show progress between epochs.
    lr: the learning rate (alpha in the text).
    """
    check_rng(rng, "train_epochs")
    X_train = _check_X(Ws, X_train)
    for epoch in range(1, epochs + 1):
        order = rng.permutation(len(X_train))  # (N,)
        losses = []
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]  # (batch_size,)
            L, dWs, dbs = gradients(Ws, bs, X_train[idx], y_train[idx])
            for W, b, dW, db in zip(Ws, bs, dWs, dbs, strict=True):
                W -= lr * dW
                b -= lr * db
            losses.append(L)
        yield {
            "epoch": epoch,
            "loss": float(np.mean(losses)),
            "train_acc": F.accuracy(forward(Ws, bs, X_train)[1][-1], y_train),
            "val_acc": F.accuracy(forward(Ws, bs, X_val)[1][-1], y_val),
        }


def quick_train(X_train, y_train, X_val, y_val, sizes, lr, batch_size, epochs, rng):
    """A fresh network of the given sizes (init_params), trained by train_epochs.

    Returns a history dict: lists epoch, loss, train_acc, val_acc (one entry per epoch),
    and the trained parameters Ws, bs. The same rng seed gives the same history.
    """
    check_rng(rng, "quick_train")
    Ws, bs = init_params(sizes, rng)
    history = {"epoch": [], "loss": [], "train_acc": [], "val_acc": []}
    for record in train_epochs(Ws, bs, X_train, y_train, X_val, y_val, lr, batch_size, epochs, rng):
        for key, value in record.items():
            history[key].append(value)
    return {**history, "Ws": Ws, "bs": bs}


def gradient_norms_by_layer(activation, X, y, rng, depth=8, width=32, n_classes=10):
    """Size of dL/dW for each layer of a deep network, first layer first.

    The network is MLP([n_in] + [width] * depth + [n_classes]) with the given activation
    ("sigmoid" or "relu"), nnlib's default initialization, float64, cross-entropy cost on
    the batch (X, y). Returns the Frobenius norm ||dL/dW_l|| of each of its depth + 1 layers.
    With sigmoid each layer back multiplies the gradient by sigma' <= 1/4, so it shrinks.
    """
    check_rng(rng, "gradient_norms_by_layer")
    net = MLP([X.shape[1]] + [width] * depth + [n_classes], rng, activation=activation)
    net.astype(np.float64)
    cross_entropy(net(Tensor(X, requires_grad=False, dtype=np.float64)), y).backward()
    return np.array([np.linalg.norm(layer.W.grad) for layer in net.linears()])


@functools.lru_cache(maxsize=1)
def small_data(n_train=2000, n_val=1000):
    """The first n_train training digits, and the last n_val training digits as a validation set.

    Both come from load_mnist's training digits (whichever set is here) and do not overlap, so
    settings can be compared on the validation digits while the test set stays untouched.
    -> (X_train, y_train, X_val, y_val), read-only arrays shared by every caller.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineMNISTWarning)
        mnist = load_mnist()
    if n_train + n_val > len(mnist.X_train):
        raise ValueError(
            f"{n_train} training and {n_val} validation digits overlap: there are only "
            f"{len(mnist.X_train)} training digits here"
        )
    return (
        mnist.X_train[:n_train],
        mnist.y_train[:n_train],
        mnist.X_train[-n_val:],
        mnist.y_train[-n_val:],
    )


@functools.lru_cache(maxsize=1)
def _small_network_trained():
    X, y, X_val, y_val = small_data()
    history = quick_train(
        X, y, X_val, y_val, [784, 16, 16, 10], 3.0, 16, 10, np.random.default_rng(0)
    )
    return history["Ws"], history["bs"]


def small_network():
    """A 784-16-16-10 sigmoid network trained for about a second on 2,000 digits (seed 0).

    Trained once per process; each call returns fresh copies (Ws, bs), so a caller that trains
    them further (train_epochs updates them in place) changes nothing the next caller sees.
    """
    Ws, bs = _small_network_trained()
    return [W.copy() for W in Ws], [b.copy() for b in bs]


def example_digits(X, y):
    """Index of the first example of each digit 0..9 in (X, y): a dict label -> index."""
    return {
        f"{d} (image #{int(np.flatnonzero(y == d)[0])})": int(np.flatnonzero(y == d)[0])
        for d in range(10)
    }


def least_sure_example(Ws, bs, X, y):
    """Of the examples example_digits offers, the one whose right output a_y is lowest."""
    indices = np.array(list(example_digits(X, y).values()))  # (10,)
    A = forward(Ws, bs, X[indices])[1][-1]  # (10, 10) outputs of the ten examples
    return int(indices[np.argmin(A[np.arange(10), y[indices]])])


def digit_probabilities(net, x):
    """p = softmax(net(x)) for one image x (784,): what a network with logit outputs says, (10,)."""
    x = np.asarray(x, dtype=np.float32)
    if x.shape != (784,):
        raise ValueError(f"expected one image x of shape (784,), got {x.shape}: flatten it first")
    with no_grad():
        return F.softmax(net(x[None]).data[0])  # (1, 784) -> (1, 10) -> (10,)


def dream(net, digit, rng, n_steps=200, lr=0.01):
    """Gradient ascent on the input: change the pixels, not the weights, until net says `digit`.

    Start from faint random pixels x (uniform in [0, 0.1], drawn from rng) and repeat
        x <- clip(x - lr * dL/dx, 0, 1),  L = -log p_digit,  p = softmax(net(x)),
    the training step of section 4 turned onto the image: autograd's backward pass runs one
    layer further, into the 784 pixels. The clip keeps x a possible image (grey levels in [0, 1]).
    Returns x (784,), x_start (784,) and p_digit before each step (n_steps,). The network's
    weights are left unchanged.
    """
    check_rng(rng, "dream")
    x = x_start = rng.uniform(0, 0.1, size=(1, 784)).astype(np.float32)  # (1, 784) faint
    p_history = []
    for _ in range(n_steps):
        x_t = Tensor(x)  # a leaf, so backward() fills x_t.grad
        loss = cross_entropy(net(x_t), np.array([digit]))
        loss.backward()
        p_history.append(float(np.exp(-loss.item())))  # L = -log p_digit
        x = np.clip(x - lr * x_t.grad, 0, 1)  # (1, 784)
    net.zero_grad()  # the weights' gradients were a by-product: clear them
    return {"x": x[0], "x_start": x_start[0], "p": np.array(p_history)}


@functools.lru_cache(maxsize=1)
def small_reader(epochs=8):
    """A 784-128-10 ReLU network (logit outputs) trained with Adam on small_data()'s 2,000 digits.

    Section 5's recipe, shrunk to about half a second (seed 0): the default network of the
    drawing panel when no trained one is passed. Trained once per process and shared.
    """
    rng = np.random.default_rng(0)
    X, y = small_data()[:2]
    net = MLP([784, 128, 10], rng, activation="relu")
    optimizer = Adam(net.parameters(), lr=1e-3)
    for _ in range(epochs):
        for X_b, y_b in minibatches(X, y, 64, rng):
            loss = cross_entropy(net(X_b), y_b)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return net
