"""Every layer of nn/layers/ follows one protocol, one signature a method, and
the network's passes are loops over its layers."""

import inspect

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sklearn_scratchnn.nn import Network
from sklearn_scratchnn.nn.activations import HIDDEN_ACTIVATIONS
from sklearn_scratchnn.nn.layers import (
    CategoricalEmbedding,
    Dense,
    Dropout,
    DroppedUnits,
    Layer,
    MemberDense,
    MemberScale,
    ParametricActivation,
    PeriodicEmbedding,
    Scale,
)

LAYERS = [
    Dense(3, 2),
    Dense(3, 2, ntk=True, activation=HIDDEN_ACTIVATIONS["mish"]),
    MemberDense(3, 2, members=2),
    DroppedUnits(3),
    ParametricActivation(HIDDEN_ACTIVATIONS["selu"], 3),
    Scale(3),
    PeriodicEmbedding(3, 2),
    CategoricalEmbedding(3, [4]),
    MemberScale(3, 2),
]
METHODS = ("groups", "views", "initialize", "buffers", "forward", "backward")


@pytest.mark.parametrize("method", METHODS)
def test_every_layer_has_the_protocols_signature(method):
    signatures = {
        type(layer).__name__: list(inspect.signature(getattr(layer, method)).parameters)
        for layer in LAYERS
    }
    expected = list(inspect.signature(getattr(Layer, method)).parameters)[1:]
    assert signatures == {name: expected for name in signatures}
    assert all(isinstance(layer, Layer) for layer in LAYERS)


def test_the_dropout_of_a_fit_makes_a_layer_per_hidden_layer():
    network = Network([4, 5, 6, 2], "tanh", "softmax", "log_loss",
                      parametric_activation=True)  # fmt: skip
    stack = network.training_layers(Dropout(0.2, np.random.RandomState(0)))
    names = [type(layer).__name__ for layer in stack]
    assert names == [
        "Dense", "ParametricActivation", "DroppedUnits",
        "Dense", "ParametricActivation", "DroppedUnits", "Dense",
    ]  # fmt: skip
    assert network.training_layers() == network.layers


@pytest.mark.parametrize(
    "options",
    [{}, {"input_scaling": True, "periodic_embedding": {"n_columns": 2},
          "parametric_activation": True, "parametrization": "ntk"},
     {"categorical_embedding": {"cardinalities": [3]}, "members": 3}],
)  # fmt: skip
def test_a_training_pass_predicts_what_the_forward_pass_does(options):
    # the workspace's loop (buffers, kept inputs, in-place activations)
    # computes the prediction's numbers: the loss on a batch is the loss of
    # the forward pass's outputs
    rng = np.random.RandomState(0)
    network = Network([4, 6, 5, 3], "gelu", "softmax", "log_loss", **options)
    params = network.initialize(rng, np.float64)
    X = np.hstack([rng.normal(size=(9, 3)), rng.randint(0, 3, size=(9, 1))])
    Y = np.eye(3)[rng.randint(0, 3, 9)]
    ws = network.workspace(params, np.empty_like(params), 9)
    loss = network.loss_and_gradient(ws, X, Y, 1.0 / 9, 0.0)
    z, out = network.forward(params, X)
    if network.members == 1:
        assert_allclose(network.data_loss(z, out, Y), loss, rtol=1e-12)
    assert np.isfinite(ws.grad).all()
