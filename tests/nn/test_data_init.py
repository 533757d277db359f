"""RealMLP's data-dependent start (``nn/data_init.py``): every dense layer's
pre-activations have standard deviation 1 on the rows it was set from, and
every unit's hyperplane passes through the data's convex hull."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sklearn_scratchnn.nn.arrays import NUMPY
from sklearn_scratchnn.nn.data_init import MAX_ROWS, initialize_on_rows
from sklearn_scratchnn.nn.layers import Dense
from sklearn_scratchnn.nn.network import Network


def _network(n_features=6, parametric=True, front=True):
    return Network(
        [n_features, 16, 12, 3], "selu", "softmax", "log_loss",
        periodic_embedding={"n_columns": 4} if front else None,
        input_scaling=front, parametric_activation=parametric,
        parametrization="ntk",
    )  # fmt: skip


def _pre_activations(network, flat, X):
    """Each dense layer's ``z = c a W + b`` on the rows of ``X``."""
    zs, a = [], X
    for layer, layer_views in zip(network.layers, network.views(flat), strict=True):
        if isinstance(layer, Dense):
            W, b = layer_views
            zs.append(layer.affine(a, W, NUMPY) + b)
        a = layer.forward(a, layer_views, NUMPY)
    return zs


@pytest.mark.parametrize("parametric", [True, False])
def test_each_layer_starts_at_unit_spread_with_rows_on_both_sides(parametric):
    rng = np.random.RandomState(0)
    X = rng.normal(3.0, 10.0, size=(300, 6))  # far from centred and unit scale
    network = _network(parametric=parametric)
    flat = network.initialize(np.random.RandomState(1), np.float64)
    initialize_on_rows(network, flat, X, np.random.RandomState(2))
    for z in _pre_activations(network, flat, X):
        assert_allclose(z.std(axis=0), 1.0, rtol=1e-10)
        # the bias is minus a convex combination of five rows' values
        assert np.all(z.min(axis=0) <= 1e-12) and np.all(z.max(axis=0) >= -1e-12)


def test_the_start_is_drawn_from_the_random_state_and_keeps_the_rest():
    X = np.random.RandomState(0).normal(size=(100, 6))
    network = _network()
    flats = []
    for _ in range(2):
        flat = network.initialize(np.random.RandomState(1), np.float32)
        initialize_on_rows(network, flat, X, np.random.RandomState(2))
        flats.append(flat)
    assert flats[0].dtype == np.float32
    np.testing.assert_array_equal(flats[0], flats[1])
    random = network.initialize(np.random.RandomState(1), np.float32)
    front = sum(layer.n_params for layer in network.front)
    np.testing.assert_array_equal(flats[0][:front], random[:front])  # untouched
    assert np.all(np.isfinite(flats[0]))


def test_a_constant_input_keeps_finite_weights_and_many_rows_are_sampled():
    X = np.ones((MAX_ROWS + 500, 3))
    network = _network(n_features=3, front=False)
    flat = network.initialize(np.random.RandomState(0), np.float64)
    initialize_on_rows(network, flat, X, np.random.RandomState(0))
    assert np.all(np.isfinite(flat))
