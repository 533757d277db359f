"""The network as a stack of layers on one flat parameter vector. Pure NumPy.

The stack is ``Dense, Dense, ..., Dense`` (see ``layers/``), then the output
activation and the loss: layer ``l`` maps ``a_l`` to
``a_{l+1} = f(a_l @ W_l + b_l)``, with ``f`` the hidden activation, which
each hidden dense layer applies (or a parametric activation after it); the
layers that embed or scale the inputs come in front. Every layer follows one
protocol (``layers/protocol.py``), and the network loops over them once.
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

Here: the layout, the initial draw, the forward pass and the loss; the
training half, the loss and its gradient on a batch, is in ``backprop.py``
(:class:`~.backprop.Backpropagation`), on the buffers of ``workspace.py``.

This module never imports scikit-learn.
"""

import numpy as np

from .activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from .arrays import NUMPY
from .backprop import Backpropagation
from .layers import (
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
from .workspace import _dense_rows, exact_overflows

# the groups the layers tag their parameters with (see ``layers/``)
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


class Network(Backpropagation):
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
        # the dense layers, each applying the hidden activation (or followed
        # by a parametric one); the last one's output goes to the output
        # activation and the loss
        units = [width, *self.layer_units[1:]]
        pairs = list(zip(units[:-1], units[1:], strict=True))
        self.layers = list(self.front)
        for fan_in, fan_out in pairs[:-1]:
            self.layers.extend(self._hidden(fan_in, fan_out))
        self.layers.append(self._head(*pairs[-1]))
        # where each layer's parameters start in the flat vector
        self._starts = []
        start = 0
        for layer in self.layers:
            self._starts.append(start)
            start += layer.n_params
        self.n_params = start

    def _dense_options(self):
        ntk = self.options["parametrization"] == "ntk"
        # Glorot's bound: sqrt(factor / (fan_in + fan_out)), factor 2 for
        # logistic units and 6 otherwise, as scikit-learn draws it
        return {"ntk": ntk, "glorot": 2.0 if self.hidden.name == "logistic" else 6.0}

    def _hidden(self, fan_in, fan_out):
        """A hidden layer: a dense layer applying the activation, or a dense
        layer and a parametric activation."""
        if self.options["parametric_activation"]:
            dense = Dense(fan_in, fan_out, **self._dense_options())
            return [dense, ParametricActivation(self.hidden, fan_out)]
        return [Dense(fan_in, fan_out, activation=self.hidden, **self._dense_options())]

    def _head(self, fan_in, fan_out):
        """The output layer: one, or one a member; NTK starts it at 0, so
        the network first predicts the same for every row."""
        options = self._dense_options()
        options["zero_start"] = options["ntk"]
        if self.members > 1:
            return MemberDense(fan_in, fan_out, self.members, **options)
        return Dense(fan_in, fan_out, **options)

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
        return sum(isinstance(layer, Dense) for layer in self.layers)

    def views(self, flat):
        """Per layer, the tuple of its parameters' views into ``flat``."""
        return [
            layer.views(flat, start)
            for layer, start in zip(self.layers, self._starts, strict=True)
        ]

    def training_layers(self, dropout=None):
        """The layers a training batch goes through: :attr:`layers`, with
        ``dropout``'s units after every hidden layer where it is given."""
        if dropout is None:
            return list(self.layers)
        layers = []
        for layer, after in zip(self.layers, self.layers[1:] + [None], strict=True):
            layers.append(layer)
            # a hidden layer ends where the next one is a dense layer
            if isinstance(after, Dense) and len(layers) > len(self.front):
                layers.append(dropout.units(_width_out(layer)))
        return layers

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

        The dense layers draw first, in order: given the same seed, this
        network and scikit-learn's start from the same point (the standard
        parametrisation's Glorot-uniform draw, see :class:`~.layers.Dense`).
        NTK parametrisation: weights N(0, 1) (the forward pass scales them),
        biases 0, and the last layer all 0, so the network starts out
        predicting the same for every row and the first steps move the last
        layer only. The other layers draw theirs after the dense layers.
        """
        flat = np.empty(self.n_params, dtype=dtype)
        views = self.views(flat)
        dense_first = sorted(
            range(len(self.layers)), key=lambda i: not isinstance(self.layers[i], Dense)
        )
        for i in dense_first:
            if self.layers[i].n_params:
                self.layers[i].initialize(views[i], random_state)
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
            with exact_overflows(xp):
                return self._forward(views, X, xp)
        if hasattr(X, "tocsr"):
            X = X.tocsr()  # row blocks of a sparse matrix
        dtype = xp.result_type(X.dtype, params.dtype)
        z = xp.empty((n, self.layer_units[-1]), dtype=dtype)
        out = xp.empty_like(z)
        with exact_overflows(xp):
            for start in range(0, n, block_rows):
                rows = slice(start, min(start + block_rows, n))  # within bounds
                z[rows, :], out[rows, :] = self._forward(views, X[rows, :], xp)
        return z, out

    def _forward(self, views, X, xp):
        a = _dense_rows(X, xp) if self.front else X
        for layer, layer_views in zip(self.layers, views, strict=True):
            a = layer.forward(a, layer_views, xp)
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
        with exact_overflows(xp):
            delta = xp.empty_like(z)
            return self.loss(z, out, y, row_weight, self.output, delta, xp=xp)


def _width_out(layer):
    """The units of a hidden layer's output."""
    return layer.fan_out if isinstance(layer, Dense) else layer.units
