"""A network's training workspace: the buffers of one forward and one
backward pass (each layer's own, from its ``buffers``), made once per batch
size, so that a training step allocates nothing. Prediction allocates its
own, so one network serves many threads.

This module never imports scikit-learn.
"""

from typing import NamedTuple

from .layers import DroppedUnits


# The activations let harmless intermediates overflow (see activations.py);
# a value that really overflows shows up as a non-finite loss or output, which
# the callers check and report.
def exact_overflows(xp):
    return xp.errstate(over="ignore", invalid="ignore")


def _dense_rows(X, xp):
    """``X`` as a dense array: the front layers read every entry."""
    return xp.from_numpy(X.toarray()) if hasattr(X, "toarray") else X


class _Rows(NamedTuple):
    """The buffers of one batch size: every training layer's, and the
    output's."""

    buffers: list  # each layer's, from its ``buffers``
    out: object  # the output activation of the last layer's output
    out_delta: object  # dL/dz of the last layer, which the loss writes


class _Workspace:
    """Views of the parameters and gradient, and buffers for every layer."""

    def __init__(self, network, params, grad, max_rows, xp, dropout=None):
        dtype = params.dtype
        k = network.members
        self.network = network
        self.xp = xp
        self.params, self.grad = params, grad
        # dropout: its units after every hidden layer, masks drawn per batch
        self.dropout = dropout if dropout is not None and dropout.rate else None
        self.layers = network.training_layers(self.dropout)
        self.views = _training_views(network, self.layers, params)
        self.grad_views = _training_views(network, self.layers, grad)
        # the weights and their gradients, for the L2 penalty
        self.coefs, _ = network.unpack(params)
        self.coef_grads, _ = network.unpack(grad)
        self.penalty = [xp.empty_like(W) for W in self.coefs]
        # a layer needs the gradient of its input where a layer before learns
        self.delta_in = [
            any(before.n_params for before in self.layers[:i])
            for i in range(len(self.layers))
        ]
        # the output z's activation and dL/dz, for k copies of the rows behind
        # MemberScale
        n_outputs = network.layer_units[-1]
        self.a_out = xp.empty((k * max_rows, n_outputs), dtype=dtype)
        self.z_delta = xp.empty((k * max_rows, n_outputs), dtype=dtype)
        # the targets of k members: the batch's, once a member
        self.targets = (
            xp.empty((k * max_rows, n_outputs), dtype=dtype) if k > 1 else None
        )
        self._rows = {}

    def rows(self, m):
        """The buffers for a batch of ``m`` rows, made once per batch size."""
        rows = self._rows.get(m)
        if rows is None:
            network, xp, dtype = self.network, self.xp, self.params.dtype
            n = network.members * m  # the rows behind MemberScale
            n_front = len(network.front)
            buffers = [
                layer.buffers(m if i < n_front else n, xp, dtype, self.delta_in[i])
                for i, layer in enumerate(self.layers)
            ]
            rows = self._rows[m] = _Rows(
                buffers, self.a_out[:n, :], self.z_delta[:n, :]
            )
        return rows

    def draw_dropout(self, X, sample_weight=None):
        """Fresh dropout masks for the batch ``X`` (none without dropout)."""
        if self.dropout is not None:
            xp = self.xp
            weights = None if sample_weight is None else xp.to_numpy(sample_weight)
            rows = X if hasattr(X, "tocsr") else xp.to_numpy(X)
            masks = [
                buffers[0]
                for layer, buffers in zip(
                    self.layers, self.rows(X.shape[0]).buffers, strict=True
                )
                if isinstance(layer, DroppedUnits)
            ]
            self.dropout.draw(masks, xp, rows, weights)


def _training_views(network, layers, flat):
    """Each training layer's views of ``flat`` (none for dropout's)."""
    views = iter(network.views(flat))
    return [() if isinstance(layer, DroppedUnits) else next(views) for layer in layers]
