"""Activation functions, each written beside its derivative.

A layer computes ``a = f(z)`` from its pre-activation ``z = a_prev @ W + b``.
Backpropagation needs ``f'(z)``. For scikit-learn's four and for SELU it can
be written in terms of the layer's *output* ``a``, so the forward pass may
overwrite ``z`` with ``a`` and nothing else has to be kept; Mish and GELU need
``z`` itself (``uses_input``), which the activation layer keeps for them.

Every function works in place on the array it is given. That keeps training
free of per-batch allocations, and it is why the derivatives take ``delta``
(the gradient of the loss with respect to ``a``) and turn it into the gradient
with respect to ``z`` by multiplying it with ``f'``.

Each takes the array namespace ``xp`` it computes in (see ``_arrays.py``):
NumPy by default, or any Array API namespace, written with NumPy's names.

Where an intermediate may overflow to +-inf and the result is still exact
(exp(-z) for very negative z in the sigmoid, z - max(z) near +-1e308 in the
softmax), the overflow is allowed, not avoided: the network runs these
functions under ``np.errstate(over="ignore")`` (see ``_network.py``).
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from scipy.special import expit

from .arrays import NUMPY

_FEW_VALUES = 512  # below this, expit's one call beats four NumPy calls


class Activation(NamedTuple):
    """An activation as the pair the network needs.

    ``forward(z, xp, bias=None)`` overwrites ``z`` with ``f(z + bias)``
    (softmax also returns the row maxima and sums it computed on the way, for
    log-loss); ``backward(a, delta, xp, scratch=None, z=None)`` overwrites
    ``delta`` (dL/da) with ``delta * f'(z)`` (dL/dz), using the output
    ``a = f(z)``, the input ``z`` where ``uses_input`` says it needs it, and,
    where given, ``scratch`` (shaped like ``a``) for its intermediate.
    """

    name: str
    forward: Callable[..., None]
    backward: Callable[..., None]
    uses_input: bool = False


# identity: f(z) = z, f'(z) = 1 -------------------------------------------------


def identity(z, xp=NUMPY, bias=None):
    if bias is not None:
        z += bias


def identity_backward(a, delta, xp=NUMPY, scratch=None, z=None):
    pass


# logistic (the article's sigma): f(z) = 1 / (1 + exp(-z)) ----------------------


def logistic(z, xp=NUMPY, bias=None):
    # sigma(z + b) = 1 / (1 + exp(-(z + b))), in place
    if xp.is_numpy and z.size < _FEW_VALUES:
        return _few_logistic(z, bias)
    xp.negative_sum(z, bias, out=z)  # -(z + b)
    xp.exp(z, out=z)  # may overflow to inf: then 1 / (1 + inf) = 0, the limit
    z += 1
    xp.divide(1, z, out=z)


def _few_logistic(z, bias):
    """The sigmoid by scipy's ``expit``, for a few values (one row to predict).

    There the cost is per call, not per value, and expit is the same formula in
    one call instead of four. For many values the four in-place calls above are
    faster: expit avoids the overflow of exp(-z) at a higher cost per value.
    """
    if bias is not None:
        z += bias
    expit(z, out=z)


def logistic_backward(a, delta, xp=NUMPY, scratch=None, z=None):
    # sigma'(z) = sigma(z) * (1 - sigma(z)) = a * (1 - a)
    delta *= a
    delta *= xp.subtract(1, a, out=scratch)


# tanh: f(z) = tanh(z) ----------------------------------------------------------


def tanh(z, xp=NUMPY, bias=None):
    if bias is not None:
        z += bias
    xp.tanh(z, out=z)


def tanh_backward(a, delta, xp=NUMPY, scratch=None, z=None):
    # tanh'(z) = 1 - tanh(z)**2 = 1 - a**2
    a_squared = xp.multiply(a, a, out=scratch)
    delta *= xp.subtract(1, a_squared, out=a_squared)


# relu: f(z) = max(z, 0) --------------------------------------------------------


def relu(z, xp=NUMPY, bias=None):
    if bias is not None:
        z += bias
    xp.maximum(z, 0, out=z)


def relu_backward(a, delta, xp=NUMPY, scratch=None, z=None):
    # relu'(z) is 1 where z > 0 and 0 elsewhere; a > 0 exactly where z > 0.
    # (The kink at 0 gets derivative 0, as in scikit-learn.) Multiplying by the
    # mask rather than assigning through it (delta[a <= 0] = 0): one pass with
    # no unpredictable branches, ten times faster on random masks.
    xp.multiply(delta, a > 0, out=delta)


# softmax (multiclass output): f(z)_k = exp(z_k) / sum_j exp(z_j) ------------------


def softmax(z, xp=NUMPY, bias=None):
    """Softmax of ``z + bias``, in place.

    Returns the row maxima and the row sums of ``exp(z - max)`` it computed on
    the way: log-loss needs ``log(sum(exp(z))) = max + log(sum)`` and gets it
    without another pass; prediction skips that logarithm.
    """
    # Subtracting the row maximum leaves softmax unchanged and keeps every
    # exponent <= 0, so exp cannot overflow. The subtraction itself may
    # overflow to -inf for logits near +-1e308; exp(-inf) = 0 is then exact.
    if bias is not None:
        z += bias
    z_max = xp.row_max(z)  # (n, 1), like total
    z -= z_max
    xp.exp(z, out=z)
    total = xp.row_sum(z)
    z /= total
    return z_max, total


def logsumexp(z, xp=NUMPY):
    """log(sum_k exp(z_k)) per row, finite wherever z is."""
    z_max = xp.row_max(z)
    shifted = z - z_max  # -inf (overflow) only where exp is 0 anyway
    return (z_max + xp.log(xp.row_sum(xp.exp(shifted))))[:, 0]


def softmax_backward(a, delta, xp=NUMPY, scratch=None, z=None):
    # The Jacobian is diag(a) - a a^T, so J^T delta = a * (delta - <delta, a>).
    delta -= xp.einsum("ij,ij->i", delta, a)[:, None]
    delta *= a


# exp (Poisson regression output): f(z) = exp(z) ----------------------------------


def exp(z, xp=NUMPY, bias=None):
    if bias is not None:
        z += bias
    # Clipping keeps exp finite: beyond 709 float64 overflows to inf (and a
    # RuntimeWarning), and no count worth predicting is that large.
    xp.clip(z, None, log_max(z, xp), out=z)
    xp.exp(z, out=z)


def log_max(z, xp=NUMPY):
    """A little below log of the largest float of z's dtype: exp stays finite."""
    return float(np.log(xp.finfo(z.dtype).max)) - 1


def exp_backward(a, delta, xp=NUMPY, scratch=None, z=None):
    # exp'(z) = exp(z) = a
    delta *= a


# selu (self-normalising, Klambauer et al. 2017) ----------------------------------
#   f(z) = lambda z for z > 0,  lambda alpha (e^z - 1) for z <= 0

SELU_LAMBDA = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717


def selu(z, xp=NUMPY, bias=None):
    if bias is not None:
        z += bias
    # each branch where it applies and 0 elsewhere; expm1 keeps small |z|
    # exact, min(z, 0) keeps exp finite on the branch not taken
    negative = xp.expm1(xp.minimum(z, 0))
    negative *= SELU_LAMBDA * SELU_ALPHA
    xp.maximum(z, 0, out=z)
    z *= SELU_LAMBDA
    z += negative


def selu_backward(a, delta, xp=NUMPY, scratch=None, z=None):
    # f'(z) = lambda for z > 0; lambda alpha e^z = f(z) + lambda alpha for
    # z <= 0, and a > 0 exactly where z > 0: f' written from the output a
    slope = xp.multiply(a + (SELU_LAMBDA * SELU_ALPHA - SELU_LAMBDA), a <= 0)
    slope += SELU_LAMBDA
    delta *= slope


# mish (Misra, 2019): f(z) = z tanh(softplus(z)), softplus(z) = log(1 + e^z) ------
#   With e = e^z and n = e (e + 2): tanh(log(1 + e)) = ((1+e)^2 - 1)/((1+e)^2 + 1)
#   = n / (n + 2), one exponential in place of softplus's and tanh's three
#   transcendental functions. Above z = 20, n / (n + 2) is 1 to the last bit
#   in float64, so e is computed from min(z, 20) and cannot overflow.

MISH_CUT = 20.0


def _exp_and_n(z, xp):
    """``(e, n)``: ``e = exp(min(z, 20))`` and ``n = e (e + 2)``."""
    e = xp.minimum(z, MISH_CUT)
    e = xp.exp(e, out=e)
    n = e + 2
    n *= e
    return e, n


def mish(z, xp=NUMPY, bias=None):
    if bias is not None:
        z += bias
    _, n = _exp_and_n(z, xp)
    t = n + 2
    z *= xp.divide(n, t, out=t)  # tanh(softplus(z))


def mish_backward(a, delta, xp=NUMPY, scratch=None, z=None):
    # f'(z) = t + z (1 - t^2) sigmoid(z), t = n w with w = 1 / (n + 2); then
    # 1 - t^2 = 4 (n + 1) w^2 = 4 (1 + e)^2 w^2 and sigmoid(z) = e / (1 + e):
    # f'(z) = w (n + 4 z e (1 + e) w)
    e, n = _exp_and_n(z, xp)
    w = n + 2
    w = xp.divide(1.0, w, out=w)
    slope = e + 1
    slope *= e
    slope *= z
    slope *= w
    slope *= 4.0
    slope += n
    slope *= w
    delta *= slope


# gelu, tanh form (Hendrycks & Gimpel 2016; PyTorch's approximate="tanh"):
#   f(z) = z/2 (1 + tanh(u)),  u = c (z + k z^3),  c = sqrt(2/pi),  k = 0.044715

GELU_C = 0.7978845608028654
GELU_K = 0.044715


def gelu(z, xp=NUMPY, bias=None):
    if bias is not None:
        z += bias
    t = xp.tanh(GELU_C * (z + GELU_K * z * z * z))
    z *= 0.5 * (1 + t)


def gelu_backward(a, delta, xp=NUMPY, scratch=None, z=None):
    # f'(z) = (1 + t)/2 + z/2 (1 - t^2) u'(z),  t = tanh(u),  u' = c (1 + 3 k z^2)
    t = xp.tanh(GELU_C * (z + GELU_K * z * z * z))
    du = GELU_C * (1 + 3 * GELU_K * z * z)
    delta *= 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * du


HIDDEN_ACTIVATIONS = {
    "identity": Activation("identity", identity, identity_backward),
    "logistic": Activation("logistic", logistic, logistic_backward),
    "tanh": Activation("tanh", tanh, tanh_backward),
    "relu": Activation("relu", relu, relu_backward),
    "selu": Activation("selu", selu, selu_backward),
    "mish": Activation("mish", mish, mish_backward, uses_input=True),
    "gelu": Activation("gelu", gelu, gelu_backward, uses_input=True),
}

OUTPUT_ACTIVATIONS = {
    "identity": Activation("identity", identity, identity_backward),
    "logistic": Activation("logistic", logistic, logistic_backward),
    "softmax": Activation("softmax", softmax, softmax_backward),
    "exp": Activation("exp", exp, exp_backward),
}
