"""Backpropagation: a network's loss and its gradient on one batch.

One forward pass keeps every block's output (the inputs of ``dL/dW``); the
loss writes the output layer's delta; the backward pass applies the chain
rule one block at a time, last to first, each layer's ``backward`` beside the
``forward`` it inverts (``layers/``). Everything is written into the
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
        xp, m = ws.xp, X.shape[0]
        coefs, intercepts = ws.coefs, ws.intercepts
        rows = ws.rows(m)
        hidden, z, out, deltas, scratch, kept, dropped, masks, ones = rows[:9]
        outputs = [*hidden, z]  # what each block writes
        dropout = ws.dropout
        front_inputs, a_front = [], X
        if self.front:
            front_inputs, a_front = self._front_forward(ws, X, rows.front)
        inputs = [a_front, *(dropped if dropout else hidden)]  # what Dense reads

        # forward: keep every block's output, they are the inputs of dL/dW
        for layer, (dense, activation) in enumerate(self.blocks):
            fused = activation if activation is not None and activation.fused else None
            a = dense.forward(
                inputs[layer], coefs[layer], intercepts[layer], xp,
                outputs[layer], fused, kept[layer],
            )  # fmt: skip
            if activation is not None and not activation.fused:
                (w,) = ws.views[self._positions[layer][1]]
                activation.forward(a, w, xp, rows.parametric[layer])
            if dropout and activation is not None:
                dropout.forward(a, masks[layer], xp, out=dropped[layer])
        out[...] = z
        softmax_sums = self.output.forward(out, xp)

        # the loss writes the output delta dL/dz_last
        delta = deltas[-1]
        loss = self.loss(z, out, y, row_weight, self.output, delta, softmax_sums, xp)
        if l2:
            squares = 0.0
            for W in coefs:
                squares += float(xp.vdot(W, W))
            loss += 0.5 * l2 * squares

        # backward: the chain rule, one block at a time, last to first
        for layer in range(self.n_layers - 1, -1, -1):
            dense, _ = self.blocks[layer]
            delta_in = deltas[layer - 1] if layer > 0 else rows.front_delta
            delta_in = dense.backward(
                inputs[layer], delta, coefs[layer], ws.coef_grads[layer],
                ws.intercept_grads[layer], ones, xp, delta_in=delta_in,
            )  # fmt: skip
            if l2:  # + l2 * W, through a buffer: no allocation per batch
                ws.coef_grads[layer] += xp.multiply(
                    coefs[layer], l2, out=ws.penalty[layer]
                )
            if layer > 0:  # back through dropout, then the activation: f'
                if dropout:
                    dropout.backward(delta_in, masks[layer - 1], xp)
                _, activation = self.blocks[layer - 1]
                if activation.fused:
                    delta = activation.backward(
                        hidden[layer - 1], delta_in, xp, scratch[layer - 1],
                        kept[layer - 1],
                    )  # fmt: skip
                else:
                    delta = self._parametric_backward(ws, rows, layer - 1, delta_in)
        if rows.front_delta is not None:  # on into the layers in front
            self._front_backward(ws, front_inputs, rows.front, delta_in)
        return loss

    def _parametric_backward(self, ws, rows, layer, delta):
        """``delta`` back through block ``layer``'s parametric activation."""
        _, activation = self.blocks[layer]
        at = self._positions[layer][1]
        (w,), (grad_w,) = ws.views[at], ws.grad_views[at]
        return activation.backward(
            delta, w, grad_w, ws.xp, rows.parametric[layer], rows.ones
        )

    def _front_forward(self, ws, X, buffers):
        """``X`` through the layers in front of the first dense layer: each
        layer's input (kept for the backward pass), and the last output."""
        a = _dense_rows(X, ws.xp)
        inputs = []
        for layer, views, layer_buffers in zip(
            self.front, ws.views, buffers, strict=False
        ):
            inputs.append(a)
            a = layer.forward(a, *views, ws.xp, buffers=layer_buffers)
        return inputs, a

    def _front_backward(self, ws, inputs, buffers, delta):
        """``delta`` (of the front's output) back through the front layers."""
        for i in range(len(self.front) - 1, -1, -1):
            delta = self.front[i].backward(
                inputs[i], delta, ws.views[i], ws.grad_views[i], ws.xp,
                buffers[i], ws.ones[: inputs[i].shape[0]], delta_in=i > 0,
            )  # fmt: skip
