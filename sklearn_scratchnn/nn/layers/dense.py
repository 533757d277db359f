"""The dense layer: ``a_out = f(a_in W + b)``, forward beside backward."""

import math
from typing import NamedTuple

import numpy as np

from ._shapes import _reshape


class DenseBuffers(NamedTuple):
    """What one training batch of a dense layer needs."""

    out: object  # its output, (m, fan_out)
    delta_in: object  # dL/da_in, (m, fan_in), or None: nothing before learns
    ones: object  # a row of ones: the bias gradient as a product
    scratch: object  # room for f' (None without an activation)
    kept: object  # f's input, where f' needs it (Mish, GELU), else None


class Dense:
    """A fully connected layer and the activation after it:
    ``a_out = f(a_in @ W + b)``.

    ``W`` is ``(fan_in, fan_out)`` (rows are samples, so the article's ``W x``
    is ``x W`` here) and ``b`` is ``(fan_out,)``, laid out as ``W`` then ``b``.
    ``f`` is an elementwise activation of ``activations.py`` (None: the
    output layer, whose output goes to the network's output activation and
    the loss; or a layer followed by a :class:`ParametricActivation`).

    The activation is applied in the pass that adds the bias (``f(z + b)`` is
    the same number as ``f`` of ``z + b`` computed first), which saves a pass
    over the output; it overwrites its input, and its derivative is written
    in terms of the output where it can be (``f'(z)`` from ``f(z)``), else
    from a copy of the input kept in a buffer (``uses_input``: Mish, GELU).

    With ``ntk=True`` (the NTK parametrisation, Jacot et al. 2018) the layer
    computes ``a_in @ W / sqrt(fan_in) + b``: the weights are drawn N(0, 1)
    and the factor that keeps the output's scale independent of ``fan_in``
    sits in the forward pass instead of in the initial draw, so every weight
    learns at the same pace whatever the layer's width. ``glorot`` is the
    factor of the standard parametrisation's initial bound (2 for a network
    of logistic units, 6 otherwise); ``zero_start`` starts the layer at 0
    (NTK's output layer).
    """

    def __init__(
        self, fan_in, fan_out, ntk=False, activation=None, glorot=6.0, zero_start=False
    ):
        self.fan_in, self.fan_out = int(fan_in), int(fan_out)
        self.n_params = self.fan_in * self.fan_out + self.fan_out
        self.factor = 1.0 / math.sqrt(self.fan_in) if ntk else None
        self.activation = activation
        self.glorot, self.zero_start = float(glorot), bool(zero_start)

    def groups(self):
        """``(group, size)`` of each parameter, in layout order."""
        return [("weights", self.fan_in * self.fan_out), ("biases", self.fan_out)]

    def views(self, flat, start):
        """``(W, b)``: views of ``flat`` from ``start`` on."""
        w_end = start + self.fan_in * self.fan_out
        W = _reshape(flat[start:w_end], (self.fan_in, self.fan_out))
        return W, flat[w_end : w_end + self.fan_out]

    def initialize(self, views, random_state):
        """Glorot-uniform ``W`` and ``b``, drawn as scikit-learn draws them:
        bound ``sqrt(glorot / (fan_in + fan_out))``, ``W`` then ``b``
        (Glorot & Bengio, 2010); NTK: ``W`` from N(0, 1), ``b`` 0."""
        W, b = views
        fan_in, fan_out = W.shape[-2:]  # a member head: (k, fan_in, fan_out)
        if self.factor is not None:
            W[...] = random_state.standard_normal(W.shape)
            b[...] = 0.0
        else:
            bound = np.sqrt(self.glorot / (fan_in + fan_out))
            W[...] = random_state.uniform(-bound, bound, W.size).reshape(W.shape)
            b[...] = random_state.uniform(-bound, bound, b.size).reshape(b.shape)
        if self.zero_start:  # drawn all the same, so the later draws stay put
            W[...] = 0.0
            b[...] = 0.0

    def buffers(self, m, xp, dtype, delta_in):
        f = self.activation
        return DenseBuffers(
            xp.empty((m, self.fan_out), dtype=dtype),
            xp.empty((m, self.fan_in), dtype=dtype) if delta_in else None,
            xp.from_numpy(np.ones(m), dtype=dtype),
            None if f is None else xp.empty((m, self.fan_out), dtype=dtype),
            xp.empty((m, self.fan_out), dtype=dtype) if f and f.uses_input else None,
        )

    def affine(self, a_in, W, xp, out=None):
        """``a_in @ W`` (times the NTK factor), into ``out`` when given."""
        z = a_in @ W if out is None else xp.matmul(a_in, W, out=out)
        if self.factor is not None:
            z *= self.factor
        return z

    def forward(self, a_in, views, xp, buffers=None):
        """``f(a_in @ W + b)``, into the buffers' ``out`` when given."""
        W, b = views
        z = self.affine(a_in, W, xp, None if buffers is None else buffers.out)
        if self.activation is None:
            z += b
            return z
        keep = None if buffers is None else buffers.kept
        if keep is not None:  # f' needs f's input: kept before f overwrites it
            z += b
            keep[...] = z
            b = None
        self.activation.forward(z, xp, bias=b)
        return z

    def backward(self, a_in, a_out, delta, views, grads, xp, buffers, delta_in):
        """Gradients of ``W`` and ``b`` from ``delta = dL/da_out``.

        First ``dL/dz = delta * f'(z)`` (in place, from ``a_out = f(z)``);
        then ``dL/dW = a_in^T dL/dz`` and ``dL/db = sum over rows of dL/dz``;
        with ``delta_in``, returns ``dL/da_in = dL/dz W^T`` (the first layer
        skips it: nothing comes before it). With the NTK factor ``c``, both
        products are scaled by ``c``: they are the gradients with respect to
        ``a_in @ W`` carried through ``c``.
        """
        (W, _), (grad_W, grad_b) = views, grads
        if self.activation is not None:
            self.activation.backward(
                a_out, delta, xp, scratch=buffers.scratch, z=buffers.kept
            )
        xp.matmul(a_in.T, delta, out=grad_W)
        # the column sums of delta as a product with ones: BLAS is faster than
        # sum(axis=0) here, and adds in another order only
        xp.matmul(buffers.ones, delta, out=grad_b)
        if self.factor is not None:
            grad_W *= self.factor
        if not delta_in:
            return None
        d_in = xp.matmul(delta, W.T, out=buffers.delta_in)
        if self.factor is not None:
            d_in *= self.factor
        return d_in
