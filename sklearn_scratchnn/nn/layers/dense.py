"""The dense layer: ``z = a W + b``, forward beside backward."""

import math

from ._shapes import _reshape


class Dense:
    """A fully connected layer: ``a_out = a_in @ W + b``.

    ``W`` is ``(fan_in, fan_out)`` (rows are samples, so the article's ``W x``
    is ``x W`` here) and ``b`` is ``(fan_out,)``, laid out as ``W`` then ``b``.

    With ``ntk=True`` (the NTK parametrisation, Jacot et al. 2018) the layer
    computes ``a_in @ W / sqrt(fan_in) + b``: the weights are drawn N(0, 1)
    and the factor that keeps the output's scale independent of ``fan_in``
    sits in the forward pass instead of in the initial draw, so every weight
    learns at the same pace whatever the layer's width.
    """

    def __init__(self, fan_in, fan_out, ntk=False):
        self.fan_in, self.fan_out = int(fan_in), int(fan_out)
        self.n_params = self.fan_in * self.fan_out + self.fan_out
        self.factor = 1.0 / math.sqrt(self.fan_in) if ntk else None

    def groups(self):
        """``(group, size)`` of each parameter, in layout order."""
        return [("weights", self.fan_in * self.fan_out), ("biases", self.fan_out)]

    def views(self, flat, start):
        """``(W, b)``: views of ``flat`` from ``start`` on."""
        w_end = start + self.fan_in * self.fan_out
        W = _reshape(flat[start:w_end], (self.fan_in, self.fan_out))
        return W, flat[w_end : w_end + self.fan_out]

    def forward(self, a_in, W, b, xp, out=None, activation=None, keep=None):
        """``a_in @ W + b``, into ``out`` when given.

        ``activation``, the elementwise layer that follows, if any, is applied
        here too: it adds the bias in the pass it makes over the output anyway,
        which saves a pass (``f(z + b)`` is the same number as ``f`` of
        ``z + b`` computed first); ``keep`` is passed on to it.
        """
        z = a_in @ W if out is None else xp.matmul(a_in, W, out=out)
        if self.factor is not None:
            z *= self.factor
        if activation is None:
            z += b
        else:
            activation.forward(z, xp, bias=b, keep=keep)
        return z

    def backward(self, a_in, delta, W, grad_W, grad_b, ones, xp, delta_in=None):
        """Gradients of ``W`` and ``b`` from ``delta = dL/da_out``.

        ``dL/dW = a_in^T delta`` and ``dL/db = sum over rows of delta``; with
        ``delta_in`` given, returns ``dL/da_in = delta W^T`` written into it
        (the first layer skips it: nothing comes before it). With the NTK
        factor ``c``, both products are scaled by ``c``: they are the
        gradients with respect to ``a_in @ W`` carried through ``c``.
        """
        xp.matmul(a_in.T, delta, out=grad_W)
        # the column sums of delta as a product with ones: BLAS is faster than
        # sum(axis=0) here, and adds in another order only
        xp.matmul(ones, delta, out=grad_b)
        if self.factor is not None:
            grad_W *= self.factor
        if delta_in is None:
            return None
        delta_in = xp.matmul(delta, W.T, out=delta_in)
        if self.factor is not None:
            delta_in *= self.factor
        return delta_in
