"""The network as a stack of layers on one flat parameter vector. Pure NumPy.

The stack is ``Dense, Activation, Dense, Activation, ..., Dense`` (see
``layers.py``), then the output activation and the loss: layer ``l`` maps
``a_l`` to ``a_{l+1} = f(a_l @ W_l + b_l)``, with ``f`` the hidden activation.
With one hidden layer of sigmoids this is the article's
``y_hat = s(W2 s(W1 x + b1) + b2)`` (written for row vectors, so ``W`` is
``(fan_in, fan_out)``).

All weights and biases live in ONE contiguous 1-D array, laid out layer by
layer as ``W_0, b_0, W_1, b_1, ...``; ``unpack`` returns reshaped *views*
into it. The gradient is a second array of the same layout. An optimizer
step is then a few ufunc calls on two arrays, L-BFGS can take the vector as
it is, and a finite-difference check perturbs one entry of one array.

The arrays may be NumPy's or any Array API namespace's: the methods take the
namespace ``xp`` (see ``arrays.py``), NumPy by default. Initial weights are
drawn by NumPy in every case, so a seed means the same network everywhere.

This module never imports scikit-learn.
"""

from typing import NamedTuple

import numpy as np

from .activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from .arrays import NUMPY
from .layers import (
    Activation,
    CategoricalEmbedding,
    Dense,
    MemberDense,
    MemberScale,
    ParametricActivation,
    PeriodicEmbedding,
    Scale,
    _reshape,
)
from .losses import LOSSES

# the groups the layers tag their parameters with (see ``layers.py``)
PARAMETER_GROUPS = (
    "weights",
    "biases",
    "activations",
    "scales",
    "frequencies",
    "phases",
    "embedding_weights",
    "embedding_biases",
    "category_embeddings",
    "member_scales",
)


# The activations let harmless intermediates overflow (see activations.py);
# a value that really overflows shows up as a non-finite loss or output, which
# the callers check and report.
def _exact_overflows(xp):
    return xp.errstate(over="ignore", invalid="ignore")


class Network:
    """Architecture of a fully connected network, and its maths.

    Parameters
    ----------
    layer_units : sequence of int
        Units per layer, input and output included: ``(n_features, *hidden,
        n_outputs)``.
    activation : {"identity", "logistic", "tanh", "relu", "selu", "mish", "gelu"}
        Hidden activation.
    output_activation : {"identity", "logistic", "softmax", "exp"}
        Activation of the output layer.
    loss : {"log_loss", "squared_error", "poisson"}
        Loss minimised by :meth:`loss_and_gradient`.
    categorical_embedding : dict or None, default=None
        The keyword arguments of a :class:`~.layers.CategoricalEmbedding` of
        the last ``len(cardinalities)`` inputs (``n_features`` is implied), in
        front of everything.
    periodic_embedding : dict or None, default=None
        The keyword arguments of a :class:`~.layers.PeriodicEmbedding` of the
        first ``n_columns`` inputs (``n_features`` is implied), in front.
    input_scaling : bool, default=False
        A :class:`~.layers.Scale` in front of the first dense layer.
    parametric_activation : bool, default=False
        Hidden activations in the parametric form ``z + w (f(z) - z)``.
    parametrization : {"standard", "ntk"}, default="standard"
        ``"ntk"``: dense layers in the NTK parametrisation, weights drawn
        N(0, 1), biases and the whole last layer starting at 0.
    members : int, default=1
        ``k > 1``: TabM-mini's ensemble of ``k`` members that share every
        hidden layer, a :class:`~.layers.MemberScale` in front of the first
        dense layer and a :class:`~.layers.MemberDense` head each. Training
        minimises the mean of the members' losses; prediction averages
        their outputs (probabilities, or values).
    """

    def __init__(
        self,
        layer_units,
        activation,
        output_activation,
        loss,
        *,
        categorical_embedding=None,
        periodic_embedding=None,
        input_scaling=False,
        parametric_activation=False,
        parametrization="standard",
        members=1,
    ):
        self.layer_units = tuple(int(u) for u in layer_units)
        self.hidden = HIDDEN_ACTIVATIONS[activation]
        self.output = OUTPUT_ACTIVATIONS[output_activation]
        self.loss = LOSSES[loss]
        self.loss_name = loss
        self.options = {
            "categorical_embedding": None
            if categorical_embedding is None
            else dict(categorical_embedding),
            "periodic_embedding": None
            if periodic_embedding is None
            else dict(periodic_embedding),
            "input_scaling": bool(input_scaling),
            "parametric_activation": bool(parametric_activation),
            "parametrization": parametrization,
            "members": int(members),
        }
        self.members = int(members)
        # the layers in front of the first dense layer, each feeding the next
        self.front = []
        width = self.layer_units[0]
        if categorical_embedding is not None:
            self.front.append(CategoricalEmbedding(width, **categorical_embedding))
            width = self.front[-1].width_out
        if periodic_embedding is not None:
            self.front.append(PeriodicEmbedding(width, **periodic_embedding))
            width = self.front[-1].width_out
        if input_scaling:
            self.front.append(Scale(width))
        if self.members > 1:
            self.front.append(MemberScale(width, self.members))
        self.n_inputs = width  # what the first dense layer reads
        # the stack: each Dense with the activation that follows it (None for
        # the last, whose output goes to the output activation and the loss)
        ntk = parametrization == "ntk"
        units = [width, *self.layer_units[1:]]
        pairs = list(zip(units[:-1], units[1:], strict=True))
        self.blocks = [
            (Dense(fan_in, fan_out, ntk), self._activation(fan_out))
            for fan_in, fan_out in pairs[:-1]
        ] + [(self._head(*pairs[-1], ntk), None)]
        self.layers = self.front + [
            layer for block in self.blocks for layer in block if layer
        ]
        # each block's Dense and activation: where they are in self.layers
        self._positions = []
        at = len(self.front)
        for _, activation in self.blocks:
            self._positions.append((at, at + 1 if activation is not None else None))
            at += 2
        # where each layer's parameters start in the flat vector
        self._starts = []
        start = 0
        for layer in self.layers:
            self._starts.append(start)
            start += layer.n_params
        self.n_params = start

    def _head(self, fan_in, fan_out, ntk):
        """The output layer: one, or one a member."""
        if self.members > 1:
            return MemberDense(fan_in, fan_out, self.members, ntk)
        return Dense(fan_in, fan_out, ntk)

    def _activation(self, units):
        if self.options["parametric_activation"]:
            return ParametricActivation(self.hidden, units)
        return Activation(self.hidden)

    # A network pickles (and copies) as its constructor's arguments: the
    # layers, their buffers and the bound functions are rebuilt from them, so
    # a network sent to a worker process and back is the same network.
    def __getstate__(self):
        return {"spec": self.spec()}

    def __setstate__(self, state):
        self.__init__(**state["spec"])

    def spec(self):
        """The constructor's arguments: all it takes to rebuild this network."""
        spec = {
            "layer_units": list(self.layer_units),
            "activation": self.hidden.name,
            "output_activation": self.output.name,
            "loss": self.loss_name,
        }
        # the options only where they differ from the defaults, so a plain
        # network's spec reads as it did before they existed
        defaults = Network.__init__.__kwdefaults__
        spec.update(
            {
                name: value
                for name, value in self.options.items()
                if value != defaults[name]
            }
        )
        return spec

    @property
    def n_layers(self):
        """Number of weight layers (hidden layers + 1)."""
        return len(self.blocks)

    def views(self, flat):
        """Per layer, the tuple of its parameters' views into ``flat``."""
        return [
            layer.views(flat, start) if layer.n_params else ()
            for layer, start in zip(self.layers, self._starts, strict=True)
        ]

    def block_views(self, views):
        """The stack as blocks, each with its parameters among ``views``.

        Returns ``[(dense, activation, (W, b), activation_views)]``, one per
        Dense layer in order: the activation that follows it (None after the
        last, whose output goes to the output activation) and its views
        (``()`` for an activation without parameters). The front layers
        (embeddings, scaling) come before the first block, as ``front``.
        """
        return [
            (dense, activation, views[at], () if after is None else views[after])
            for (dense, activation), (at, after) in zip(
                self.blocks, self._positions, strict=True
            )
        ]

    def _dense_views(self, flat):
        """``[(W, b)]`` per Dense layer: views into ``flat``."""
        return [
            layer.views(flat, start)
            for layer, start in zip(self.layers, self._starts, strict=True)
            if isinstance(layer, Dense)
        ]

    def unpack(self, flat):
        """Per-layer ``(coefs, intercepts)`` lists of views into ``flat``."""
        views = self._dense_views(flat)
        return [W for W, _ in views], [b for _, b in views]

    def groups(self):
        """``[(group, start, stop)]``: which entries of the flat vector are
        weights, biases, ..., as the layers tag them."""
        spans = []
        for layer, start in zip(self.layers, self._starts, strict=True):
            for group, size in layer.groups():
                spans.append((group, start, start + size))
                start += size
        return spans

    def group_values(self, values, dtype, default=0.0):
        """A NumPy vector of the flat layout holding ``values[group]`` on each
        group's entries (``default`` for groups not named): per-parameter
        factors such as weight decay, built once per fit."""
        vector = np.full(self.n_params, default, dtype=dtype)
        for group, start, stop in self.groups():
            vector[start:stop] = values.get(group, default)
        return vector

    def initialize(self, random_state, dtype):
        """Initial parameters, drawn by NumPy: a NumPy array of ``dtype``
        (move it to another namespace after).

        Standard parametrisation: Glorot-uniform weights and biases, drawn as
        scikit-learn draws them. Each layer's bound is
        ``sqrt(factor / (fan_in + fan_out))`` with ``factor = 2`` for the
        logistic activation and 6 otherwise (Glorot & Bengio, 2010). Drawing
        ``W`` then ``b`` per layer from the same ``RandomState`` in
        scikit-learn's order means that, given the same seed, both libraries
        start from the same point.

        NTK parametrisation: weights N(0, 1) (the forward pass scales them),
        biases 0, and the last layer all 0, so the network starts out
        predicting the same for every row and the first steps move the last
        layer only.

        The other layers draw theirs after the dense layers.
        """
        factor = 2.0 if self.hidden.name == "logistic" else 6.0
        flat = np.empty(self.n_params, dtype=dtype)
        dense = self._dense_views(flat)
        for W, b in dense:
            fan_in, fan_out = W.shape[-2:]  # a member head: (k, fan_in, fan_out)
            if self.options["parametrization"] == "ntk":
                W[...] = random_state.standard_normal(W.shape)
                b[...] = 0.0
                continue
            bound = np.sqrt(factor / (fan_in + fan_out))
            W[...] = random_state.uniform(-bound, bound, W.size).reshape(W.shape)
            b[...] = random_state.uniform(-bound, bound, b.size).reshape(b.shape)
        if self.options["parametrization"] == "ntk":
            for last in dense[-1]:
                last[...] = 0.0
        for layer, views in zip(self.layers, self.views(flat), strict=True):
            if views and not isinstance(layer, Dense):
                layer.initialize(views, random_state)
        return flat

    # -- prediction: allocates its own arrays, so concurrent calls are safe ---

    def forward(self, params, X, block_rows=1024, xp=NUMPY):
        """Output pre-activation ``z`` and activation ``a`` of the last layer,
        for the parameters ``params`` (the flat vector).

        Rows are independent, so large inputs go through in blocks of
        ``block_rows``: the hidden layers' arrays then stay small enough for
        the cache, and memory grows with n_samples x n_outputs only.
        """
        views = self.views(params)
        n = X.shape[0]
        if n <= block_rows:
            with _exact_overflows(xp):
                return self._forward(views, X, xp)
        if hasattr(X, "tocsr"):
            X = X.tocsr()  # row blocks of a sparse matrix
        dtype = xp.result_type(X.dtype, params.dtype)
        z = xp.empty((n, self.layer_units[-1]), dtype=dtype)
        out = xp.empty_like(z)
        with _exact_overflows(xp):
            for start in range(0, n, block_rows):
                rows = slice(start, min(start + block_rows, n))  # within bounds
                z[rows, :], out[rows, :] = self._forward(views, X[rows, :], xp)
        return z, out

    def _forward(self, views, X, xp):
        a = _dense_rows(X, xp) if self.front else X
        for layer, layer_views in zip(self.front, views, strict=False):
            a = layer.forward(a, *layer_views, xp)
        for (dense, activation), (at, after) in zip(
            self.blocks, self._positions, strict=True
        ):
            W, b = views[at]
            if activation is None or activation.fused:
                a = dense.forward(a, W, b, xp, activation=activation)
            else:
                a = activation.forward(dense.forward(a, W, b, xp), *views[after], xp)
        out = xp.copy(a)
        self.output.forward(out, xp)
        if self.members > 1:
            return self._members_mean(out, xp)
        return a, out

    def _members_mean(self, out, xp):
        """The members' outputs averaged, and the pre-activation that gives
        that mean (its logit or log, clipped to stay finite), so that the
        loss, the decision function and the argmax read the ensemble."""
        k, n_outputs = self.members, out.shape[1]
        mean = xp.sum(_reshape(out, (k, out.shape[0] // k, n_outputs)), axis=0) / k
        name = self.output.name
        if name == "identity":
            return xp.copy(mean), mean
        finfo = xp.finfo(mean.dtype)
        high = 1.0 - finfo.eps if name == "logistic" else None
        p = xp.clip(mean, finfo.smallest_normal, high)
        z = xp.log(p)
        if name == "logistic":
            z -= xp.log1p(-p)
        return z, mean

    def data_loss(self, z, out, y, sample_weight=None, xp=NUMPY):
        """The loss (without penalty) of outputs ``z``, ``out`` against ``y``."""
        if sample_weight is None:
            row_weight = 1.0 / y.shape[0]
        else:
            row_weight = sample_weight / xp.sum(sample_weight)
        with _exact_overflows(xp):
            delta = xp.empty_like(z)
            return self.loss(z, out, y, row_weight, self.output, delta, xp=xp)

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
        with _exact_overflows(ws.xp):
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
