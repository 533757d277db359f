"""Backpropagation: a network's loss and its gradient on one batch.

One forward pass through the layers keeps every layer's input (the inputs
of ``dL/dW``); the loss writes the output layer's delta; the backward pass
applies the chain rule one layer at a time, last to first, each layer's
``backward`` beside the ``forward`` it inverts (``layers/``), all through
one signature each. Everything is written into the
workspace's preallocated buffers (``workspace.py``). :class:`Network` has
these methods through :class:`Backpropagation`.

This module never imports scikit-learn.
"""

from .arrays import NUMPY
from .layers import _reshape
from .workspace import _dense_rows, _Workspace, exact_overflows


class Backpropagation:
    """The training half of :class:`~.network.Network`: its workspace, and the
    loss and gradient of a batch."""

    # -- training: one forward and one backward pass on preallocated buffers ---

    def workspace(self, params, grad, max_rows, xp=NUMPY, dropout=None):
        """Buffers for :meth:`loss_and_gradient` on batches of ``<= max_rows``.

        ``dropout``, a :class:`~.layers.Dropout`, follows every hidden
        activation in training; its masks are drawn by ``ws.draw_dropout(X)``
        before each batch (and kept fixed until the next draw).
        """
        return _Workspace(self, params, grad, max_rows, xp, dropout)

    def loss_and_gradient(self, ws, X, y, row_weight, l2):
        """Loss at ``ws.params`` and its gradient, written into ``ws.grad``.

        Parameters
        ----------
        ws : workspace from :meth:`workspace`
            Holds the parameters, the gradient and the per-layer buffers.
        X : ndarray or sparse matrix of shape (m, n_features)
        y : ndarray of shape (m, n_outputs), float
            Targets (one-hot or indicator rows for classification).
        row_weight : float or ndarray of shape (m,)
            ``r_i = w_i / sum(w)`` (``1 / m`` when unweighted).
        l2 : float
            ``alpha / sum(w)``: the penalty is ``l2 / 2 * sum(W ** 2)`` over
            weights, not biases.

        Returns
        -------
        loss : float
        """
        if self.members > 1:
            y, row_weight = self._member_targets(ws, y, row_weight)
        with exact_overflows(ws.xp):
            return self._loss_and_gradient(ws, X, y, row_weight, l2)

    def _member_targets(self, ws, y, row_weight):
        """Every member's copy of the targets and row weights: the loss is
        the mean of the members' losses, so each row weighs ``r_i / k``."""
        k, m = self.members, y.shape[0]
        targets = _reshape(ws.targets[: k * m, :], (k, m, y.shape[1]))
        targets[...] = y
        if isinstance(row_weight, float):
            return ws.targets[: k * m, :], row_weight / k
        xp = ws.xp
        tiled = xp.reshape(xp.broadcast_to(row_weight, (k, m)), (k * m,))
        return ws.targets[: k * m, :], tiled / k

    def _loss_and_gradient(self, ws, X, y, row_weight, l2):
        xp, rows = ws.xp, ws.rows(X.shape[0])
        layers, views, grads = ws.layers, ws.views, ws.grad_views

        # forward: keep every layer's input, they are the inputs of dL/dW
        a, inputs = _dense_rows(X, xp) if self.front else X, []
        for layer, layer_views, buffers in zip(
            layers, views, rows.buffers, strict=True
        ):
            inputs.append(a)
            a = layer.forward(a, layer_views, xp, buffers)
        z, out = a, rows.out
        out[...] = z
        softmax_sums = self.output.forward(out, xp)

        # the loss writes the output delta dL/dz_last
        delta = rows.out_delta
        loss = self.loss(z, out, y, row_weight, self.output, delta, softmax_sums, xp)
        if l2:
            squares = 0.0
            for W in ws.coefs:
                squares += float(xp.vdot(W, W))
            loss += 0.5 * l2 * squares

        # backward: the chain rule, one layer at a time, last to first
        outputs = [*inputs[1:], z]
        for i in range(len(layers) - 1, -1, -1):
            delta = layers[i].backward(
                inputs[i], outputs[i], delta, views[i], grads[i], xp,
                rows.buffers[i], ws.delta_in[i],
            )  # fmt: skip
        if l2:  # + l2 * W, through a buffer: no allocation per batch
            for W, grad_W, penalty in zip(
                ws.coefs, ws.coef_grads, ws.penalty, strict=True
            ):
                grad_W += xp.multiply(W, l2, out=penalty)
        return loss
