"""The layers a network is stacked from, each forward pass beside its backward.

In the notation of ``docs/article.rst``: a layer maps its input ``a_in`` (one
row per sample) to its output; its backward pass receives ``delta``, the
gradient of the loss with respect to that output, writes the gradients of its
own parameters, and returns the gradient with respect to its input, which is
the ``delta`` of the layer before it. That is the chain rule, one layer at a
time.

A layer owns a slice of the network's one flat parameter vector
(``n_params`` entries, tagged by ``groups``); ``views(flat, start)`` gives its
parameters as views of any vector of that layout, the parameters themselves,
their gradient or an optimizer's moments alike. A layer keeps no arrays: the
network's workspace holds the buffers, made once per batch size, and
prediction allocates its own, so one network serves many threads.

This module never imports scikit-learn.
"""

import numpy as np

from .rows import row_keys


def _reshape(x, shape):
    """A reshaped view (arrays of array-api-strict have no ``reshape`` method)."""
    if hasattr(x, "reshape"):
        return x.reshape(shape)
    return x.__array_namespace__().reshape(x, shape)


class Dense:
    """A fully connected layer: ``a_out = a_in @ W + b``.

    ``W`` is ``(fan_in, fan_out)`` (rows are samples, so the article's ``W x``
    is ``x W`` here) and ``b`` is ``(fan_out,)``, laid out as ``W`` then ``b``.
    """

    def __init__(self, fan_in, fan_out):
        self.fan_in, self.fan_out = int(fan_in), int(fan_out)
        self.n_params = self.fan_in * self.fan_out + self.fan_out

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
        if activation is None:
            z += b
        else:
            activation.forward(z, xp, bias=b, keep=keep)
        return z

    def backward(self, a_in, delta, W, grad_W, grad_b, ones, xp, delta_in=None):
        """Gradients of ``W`` and ``b`` from ``delta = dL/da_out``.

        ``dL/dW = a_in^T delta`` and ``dL/db = sum over rows of delta``; with
        ``delta_in`` given, returns ``dL/da_in = delta W^T`` written into it
        (the first layer skips it: nothing comes before it).
        """
        xp.matmul(a_in.T, delta, out=grad_W)
        # the column sums of delta as a product with ones: BLAS is faster than
        # sum(axis=0) here, and adds in another order only
        xp.matmul(ones, delta, out=grad_b)
        if delta_in is not None:
            return xp.matmul(delta, W.T, out=delta_in)
        return None


class Activation:
    """An elementwise activation layer: ``a_out = f(a_in)``, no parameters.

    ``f`` and its derivative are in ``activations.py``; the backward pass is
    ``dL/da_in = delta * f'(a_in)``, written in terms of the output where it
    can be, so the forward pass may overwrite its input.

    Where ``f'`` needs the input itself (Mish, GELU: ``keeps_input``), the
    forward pass keeps a copy of it in a buffer of the workspace.
    """

    n_params = 0

    def __init__(self, function):
        self.function = function
        self.keeps_input = function.uses_input

    def groups(self):
        return []

    def forward(self, z, xp, bias=None, keep=None):
        """``z`` overwritten with ``f(z + bias)``; its input copied to ``keep``."""
        if keep is not None:
            if bias is not None:
                z += bias
                bias = None
            keep[...] = z
        self.function.forward(z, xp, bias=bias)

    def backward(self, a_out, delta, xp, scratch=None, kept=None):
        """``delta`` overwritten with ``delta * f'``, from the output ``a_out``
        (and the input ``kept`` by the forward pass, where it needs it)."""
        self.function.backward(a_out, delta, xp, scratch=scratch, z=kept)
        return delta


class Dropout:
    """Inverted dropout (Srivastava et al., 2014), for training only.

    ``a_out = a_in * m`` with ``m = keep / (1 - rate)`` and ``keep`` 1 with
    probability ``1 - rate``, 0 otherwise, drawn afresh for every batch: each
    unit is left out with probability ``rate``, and the survivors are scaled
    so that the expected output is the input (``E[m] = 1``); prediction then
    uses the layer as the identity. Backward: ``dL/da_in = delta * m``.

    The masks come from a NumPy ``RandomState`` seeded by the fit's, drawn on
    the host and moved to the device, so a seed gives the same fit on every
    namespace.
    They are drawn per *distinct* row of the batch, identical rows sharing
    one, and rows of weight 0 draw none: a row of weight 3 is then trained
    exactly as three copies of it, as the rest of the fit guarantees.
    """

    n_params = 0

    def __init__(self, rate, random_state):
        self.rate = float(rate)
        self.random_state = random_state

    def groups(self):
        return []

    def draw(self, masks, xp, rows, weights=None):
        """A fresh mask into each of ``masks``, for the batch ``rows`` (NumPy
        or scipy.sparse, on the host) of sample weights ``weights``."""
        keys = row_keys(rows)
        live = np.ones(len(keys), dtype=bool) if weights is None else weights != 0
        _, which = np.unique(keys[live], return_inverse=True)
        which = which.ravel()
        n_distinct = int(which.max()) + 1 if which.size else 0
        scale = 1.0 / (1.0 - self.rate)
        for mask in masks:
            draws = self.random_state.random_sample((n_distinct, mask.shape[1]))
            keep = np.ones(mask.shape)  # rows of weight 0 count for nothing
            keep[live] = (draws >= self.rate)[which] * scale
            mask[...] = xp.from_numpy(keep, dtype=mask.dtype)

    def forward(self, a_in, mask, xp, out):
        return xp.multiply(a_in, mask, out=out)

    def backward(self, delta, mask, xp):
        delta *= mask
        return delta
