"""What every layer is: one protocol, one signature for each of its methods.

A network is a list of these, and loops over it once forward and once
backward; the ONNX converters are keyed by the layer's type. A layer owns
``n_params`` entries of the network's flat parameter vector (tagged by
``groups``), sees them as ``views`` of any vector of that layout, and keeps
no arrays: ``buffers`` makes the arrays one training batch needs, which the
network's workspace keeps per batch size, and prediction passes none (the
layer allocates its own).

This module never imports scikit-learn.
"""

from typing import Protocol, runtime_checkable


@runtime_checkable
class Layer(Protocol):
    """A layer of a :class:`~sklearn_scratchnn.nn.Network`.

    Attributes
    ----------
    n_params : int
        Its entries of the flat parameter vector (0 for none).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_scratchnn.nn import Network
    >>> from sklearn_scratchnn.nn.arrays import NUMPY
    >>> from sklearn_scratchnn.nn.layers import Layer
    >>> network = Network([3, 4, 2], "tanh", "softmax", "log_loss",
    ...                   input_scaling=True)
    >>> [type(layer).__name__ for layer in network.layers]
    ['Scale', 'Dense', 'Dense']
    >>> all(isinstance(layer, Layer) for layer in network.layers)
    True
    >>> params = network.initialize(np.random.RandomState(0), np.float64)
    >>> a = np.ones((2, 3))
    >>> for layer, views in zip(network.layers, network.views(params)):
    ...     a = layer.forward(a, views, NUMPY)
    >>> z, _ = network.forward(params, np.ones((2, 3)))
    >>> bool(np.array_equal(a, z))  # the network's forward pass is that loop
    True
    """

    n_params: int

    def groups(self) -> list:
        """``[(group, size)]`` of its parameters, in layout order."""

    def views(self, flat, start) -> tuple:
        """Its parameters as views of ``flat`` from ``start`` on (``()``
        for none)."""

    def initialize(self, views, random_state) -> None:
        """Its initial parameters, drawn from ``random_state`` into ``views``."""

    def buffers(self, m, xp, dtype, delta_in) -> tuple:
        """The arrays a training batch of ``m`` rows needs; room for the
        gradient of its input only where ``delta_in`` (a layer before it
        learns)."""

    def forward(self, a_in, views, xp, buffers=None):
        """Its output for the input ``a_in`` (into ``buffers`` when given)."""

    def backward(self, a_in, a_out, delta, views, grads, xp, buffers, delta_in):
        """From ``delta = dL/da_out``: its parameters' gradients written into
        ``grads``, and ``dL/da_in`` returned where ``delta_in`` (else None)."""
