"""A network's training workspace: the buffers of one forward and one
backward pass, made once per batch size, so that a training step allocates
nothing. Prediction allocates its own, so one network serves many threads.

This module never imports scikit-learn.
"""

from typing import NamedTuple

import numpy as np


# The activations let harmless intermediates overflow (see activations.py);
# a value that really overflows shows up as a non-finite loss or output, which
# the callers check and report.
def exact_overflows(xp):
    return xp.errstate(over="ignore", invalid="ignore")


def _dense_rows(X, xp):
    """``X`` as a dense array: the front layers read every entry."""
    return xp.from_numpy(X.toarray()) if hasattr(X, "toarray") else X


class _Rows(NamedTuple):
    """The first rows of every buffer of the workspace, for one batch size."""

    hidden: list  # each hidden block's output a_1 .. a_{L-1}
    z: object  # the output layer's pre-activation
    out: object  # and its activation
    deltas: list  # dL/d(output) of every block
    scratch: list  # room for the hidden activations' derivatives
    kept: list  # hidden activations' inputs, where their derivative needs them
    dropped: list  # hidden outputs after dropout
    masks: list  # dropout's masks
    ones: object  # a row of ones: bias gradients as a product
    front: list  # each front layer's buffers
    front_delta: object  # dL/d(input of the first Dense), if a front layer learns
    parametric: list  # each parametric activation's buffers (None for others)


class _Workspace:
    """Views of the parameters and gradient, and buffers for every layer."""

    def __init__(self, network, params, grad, max_rows, xp, dropout=None):
        dtype = params.dtype
        units = network.layer_units
        k = network.members
        max_rows *= k  # what the layers behind MemberScale see: k copies
        self.network = network
        self.xp = xp
        self.params, self.grad = params, grad
        self.coefs, self.intercepts = network.unpack(params)
        self.coef_grads, self.intercept_grads = network.unpack(grad)
        self.views, self.grad_views = network.views(params), network.views(grad)
        # hidden outputs a_1 .. a_{L-1}, output z and a, one delta per layer,
        # and scratch space for the hidden layers' derivatives
        self.a = [xp.empty((max_rows, u), dtype=dtype) for u in units[1:-1]]
        self.z_out = xp.empty((max_rows, units[-1]), dtype=dtype)
        self.a_out = xp.empty((max_rows, units[-1]), dtype=dtype)
        self.delta = [xp.empty((max_rows, u), dtype=dtype) for u in units[1:]]
        self.scratch = [xp.empty_like(a) for a in self.a]
        # the input of each hidden activation whose derivative needs it
        self.kept = [
            xp.empty_like(a) if activation.keeps_input else None
            for a, (_, activation) in zip(self.a, network.blocks[:-1], strict=True)
        ] + [None]
        # dropout: each hidden output with units left out, and the masks
        self.dropout = dropout if dropout is not None and dropout.rate else None
        n_dropped = len(self.a) if self.dropout else 0
        self.dropped = [xp.empty_like(a) for a in self.a[:n_dropped]]
        self.masks = [xp.empty_like(a) for a in self.a[:n_dropped]]
        self.ones = xp.from_numpy(np.ones(max_rows), dtype=dtype)
        self.penalty = [xp.empty_like(W) for W in self.coefs]
        # the targets of k members: the batch's, once a member
        self.targets = xp.empty((max_rows, units[-1]), dtype=dtype) if k > 1 else None
        self._rows = {}

    def rows(self, m):
        """The buffers' first ``m`` rows, as views made once per batch size
        (and the front and parametric layers' buffers, made for ``m``)."""
        views = self._rows.get(m)
        if views is None:
            n = self.network.members * m  # the rows behind MemberScale
            views = self._rows[m] = _Rows(
                [a[:n, :] for a in self.a],
                self.z_out[:n, :],
                self.a_out[:n, :],
                [d[:n, :] for d in self.delta],
                [s[:n, :] for s in self.scratch],
                [None if k is None else k[:n, :] for k in self.kept],
                [d[:n, :] for d in self.dropped],
                [d[:n, :] for d in self.masks],
                self.ones[:n],
                *self._layer_buffers(m),
            )
        return views

    def _layer_buffers(self, m):
        network, xp, dtype = self.network, self.xp, self.params.dtype
        front = [layer.buffers(m, xp, dtype) for layer in network.front]
        learns = any(layer.n_params for layer in network.front)
        n = network.members * m
        front_delta = xp.empty((n, network.n_inputs), dtype=dtype) if learns else None
        parametric = [
            activation.buffers(n, xp, dtype)
            if activation is not None and not activation.fused
            else None
            for _, activation in network.blocks
        ]
        return front, front_delta, parametric

    def draw_dropout(self, X, sample_weight=None):
        """Fresh dropout masks for the batch ``X`` (none without dropout)."""
        if self.dropout is not None:
            xp = self.xp
            weights = None if sample_weight is None else xp.to_numpy(sample_weight)
            rows = X if hasattr(X, "tocsr") else xp.to_numpy(X)
            self.dropout.draw(self.rows(X.shape[0]).masks, xp, rows, weights)
