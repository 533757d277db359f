"""A trained network: the fitted network of both families.

One :class:`TrainedNetwork` is the core's :class:`~..nn.network.Network`
with one flat parameter vector (a tabular model's restored best epoch or a
snapshot; a Scratch estimator's parameters) and the curves of the fit that
trained it. It runs the forward pass on the rows the network reads; the
estimator turns the output into labels, probabilities or values. A tabular
model keeps its networks as these (``networks_``), saved as plain data (the
network's constructor arguments, the parameters, the curves), so a saved
tabular model asks its reader to trust one type, the estimator's class; a
Scratch estimator shows its own as ``network_``. The ONNX converters and the
command line read a fitted model's network here.
"""

import numpy as np

from ..nn.network import Network

# the curves of the fit, as attributes of every member it gave
CURVES = (
    "n_iter_",
    "loss_",
    "loss_curve_",
    "validation_scores_",
    "validation_loss_curve_",
    "batch_size",
)


class TrainedNetwork:
    """A network with the parameters it keeps, and the curves of its fit.

    Attributes
    ----------
    network : Network
        The core's network: its layers, their shapes and the forward pass.
    params : ndarray of shape (network.n_params,)
        The flat parameter vector every layer's parameters are views of.
    coefs_, intercepts_ : list of ndarray
        The dense layers' weights and biases (views of the parameters).
    n_iter_ : int
        Epochs run by the fit that trained it.
    loss_, loss_curve_ : float, list of float
        The last epoch's training loss, and each epoch's.
    validation_scores_, validation_loss_curve_ : list of float or None
        Each epoch's validation score and loss (None without validation).
    batch_size : int
        Rows per mini-batch the fit's plan asked for.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_scratchnn import TabularMLPRegressor
    >>> X = np.linspace(0, 1, 60).reshape(-1, 1)
    >>> model = TabularMLPRegressor(hidden_layer_sizes=(8,), max_iter=4,
    ...                             random_state=0).fit(X, X[:, 0])
    >>> network = model.network_
    >>> [W.shape for W in network.coefs_]
    [(4, 8), (8, 1)]
    >>> z, out = network.forward(model.preprocessor_.transform(X[:2]))
    >>> out.shape  # standardised values, before the target's units
    (2, 1)
    """

    def __init__(self, network, params, curves):
        self._network = network
        self._params = params
        self.coefs_, self.intercepts_ = network.unpack(params)
        for name in CURVES:
            setattr(self, name, curves[name])

    @property
    def network(self):
        return self._network

    @property
    def params(self):
        return self._params

    @property
    def out_activation_(self):
        return self._network.output.name

    @property
    def n_outputs_(self):
        return self._network.layer_units[-1]

    def forward(self, Z):
        """The forward pass on preprocessed rows.

        Parameters
        ----------
        Z : ndarray of shape (n_samples, n_columns)
            Rows as the model's ``preprocessor_`` transforms a table.

        Returns
        -------
        z, out : ndarray of shape (n_samples, n_outputs)
            The output layer's input and its activation (probabilities, or
            standardised values).
        """
        z, out = self._network.forward(self._params, Z)
        if not np.isfinite(z).all():
            raise ValueError(
                "The network's output overflowed for this input (values too "
                "large for the model's float precision)."
            )
        return z, out

    def __repr__(self):
        units = " -> ".join(map(str, self._network.layer_units))
        return f"TrainedNetwork({units}, {self._network.hidden.name})"

    # -- saved as plain data ---------------------------------------------------

    def to_plain(self):
        curves = {name: getattr(self, name) for name in CURVES}
        return {"network": self._network.spec(), "params": self._params, **curves}

    # Pickled and copied as its plain data, so that ``coefs_`` and
    # ``intercepts_`` come back as views of the parameters, not as copies.
    def __getstate__(self):
        return self.to_plain()

    def __setstate__(self, state):
        self.__init__(Network(**state["network"]), state["params"], state)

    @classmethod
    def from_plain(cls, plain):
        """From :meth:`to_plain`'s dict."""
        return cls(Network(**plain["network"]), plain["params"], plain)
