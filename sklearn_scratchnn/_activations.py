"""Activation functions, each written beside its derivative.

A layer computes ``a = f(z)`` from its pre-activation ``z = a_prev @ W + b``.
Backpropagation needs ``f'(z)``; for every function here it can be written
in terms of the layer's *output* ``a``, so the forward pass may overwrite ``z``
with ``a`` and nothing else has to be kept.

Every function works in place on the array it is given. That keeps training
free of per-batch allocations, and it is why the derivatives take ``delta``
(the gradient of the loss with respect to ``a``) and turn it into the gradient
with respect to ``z`` by multiplying it with ``f'``.

Where an intermediate may overflow to +-inf and the result is still exact
(exp(-z) for very negative z in the sigmoid, z - max(z) near +-1e308 in the
softmax), the overflow is allowed, not avoided: the network runs these
functions under ``np.errstate(over="ignore")`` (see ``_network.py``).
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np


class Activation(NamedTuple):
    """An activation as the pair the network needs.

    ``forward(z)`` overwrites ``z`` with ``f(z)`` (softmax also returns the
    row-wise log-sum-exp it computed on the way); ``backward(a, delta)``
    overwrites ``delta`` (dL/da) with ``delta * f'(z)`` (dL/dz), using the
    output ``a = f(z)``.
    """

    name: str
    forward: Callable[[np.ndarray], None]
    backward: Callable[[np.ndarray, np.ndarray], None]


# identity: f(z) = z, f'(z) = 1 -------------------------------------------------


def identity(z):
    pass


def identity_backward(a, delta):
    pass


# logistic (the article's sigma): f(z) = 1 / (1 + exp(-z)) ----------------------


def logistic(z):
    # The article's formula, in place. For z < -709 (-88 in float32) exp(-z)
    # overflows to inf and 1 / (1 + inf) = 0, which is the exact limit; this is
    # faster than scipy's expit, which avoids the overflow at a higher cost.
    np.negative(z, out=z)
    np.exp(z, out=z)
    z += 1
    np.reciprocal(z, out=z)


def logistic_backward(a, delta):
    # sigma'(z) = sigma(z) * (1 - sigma(z)) = a * (1 - a)
    delta *= a
    delta *= 1 - a


# tanh: f(z) = tanh(z) ----------------------------------------------------------


def tanh(z):
    np.tanh(z, out=z)


def tanh_backward(a, delta):
    # tanh'(z) = 1 - tanh(z)**2 = 1 - a**2
    delta *= 1 - a * a


# relu: f(z) = max(z, 0) --------------------------------------------------------


def relu(z):
    np.maximum(z, 0, out=z)


def relu_backward(a, delta):
    # relu'(z) is 1 where z > 0 and 0 elsewhere; a > 0 exactly where z > 0.
    # (The kink at 0 gets derivative 0, as in scikit-learn.)
    delta[a <= 0] = 0


# softmax (multiclass output): f(z)_k = exp(z_k) / sum_j exp(z_j) ------------------


def softmax(z):
    """Softmax in place; returns log(sum(exp(z))) per row, which log-loss needs."""
    # Subtracting the row maximum leaves softmax unchanged and keeps every
    # exponent <= 0, so exp cannot overflow. The subtraction itself may
    # overflow to -inf for logits near +-1e308; exp(-inf) = 0 is then exact.
    z_max = z.max(axis=1, keepdims=True)
    z -= z_max
    np.exp(z, out=z)
    total = z.sum(axis=1, keepdims=True)
    z /= total
    return z_max[:, 0] + np.log(total[:, 0])


def logsumexp(z):
    """log(sum_k exp(z_k)) per row, finite wherever z is."""
    z_max = z.max(axis=1, keepdims=True)
    shifted = z - z_max  # -inf (overflow) only where exp is 0 anyway
    return z_max[:, 0] + np.log(np.exp(shifted).sum(axis=1))


def softmax_backward(a, delta):
    # The Jacobian is diag(a) - a a^T, so J^T delta = a * (delta - <delta, a>).
    delta -= np.einsum("ij,ij->i", delta, a)[:, np.newaxis]
    delta *= a


# exp (Poisson regression output): f(z) = exp(z) ----------------------------------


def exp(z):
    # Clipping keeps exp finite: beyond 709 float64 overflows to inf (and a
    # RuntimeWarning), and no count worth predicting is that large.
    np.clip(z, None, np.log(np.finfo(z.dtype).max) - 1, out=z)
    np.exp(z, out=z)


def exp_backward(a, delta):
    # exp'(z) = exp(z) = a
    delta *= a


HIDDEN_ACTIVATIONS = {
    "identity": Activation("identity", identity, identity_backward),
    "logistic": Activation("logistic", logistic, logistic_backward),
    "tanh": Activation("tanh", tanh, tanh_backward),
    "relu": Activation("relu", relu, relu_backward),
}

OUTPUT_ACTIVATIONS = {
    "identity": Activation("identity", identity, identity_backward),
    "logistic": Activation("logistic", logistic, logistic_backward),
    "softmax": Activation("softmax", softmax, softmax_backward),
    "exp": Activation("exp", exp, exp_backward),
}
