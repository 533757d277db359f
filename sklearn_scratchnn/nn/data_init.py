"""RealMLP's data-dependent start (Holzmüller et al., 2024): the dense layers'
weights and biases set from the training rows' inputs, before any step.

A random start puts each unit's hyperplane ``a W_j + b_j = 0`` anywhere: a
unit can begin with all rows on one side of it (a constant, for ReLU-like
activations, or a linear piece) and a scale that depends on the layer's
input. RealMLP-TD starts every dense layer from what its input is on the
training rows, layer after layer:

- weights ("std"): each column ``W_j`` is drawn N(0, 1), then divided by
  the standard deviation over the rows of ``z_j = c a W_j`` (``c`` the
  layer's NTK factor), so that every unit's pre-activation has standard
  deviation 1 on the data, whatever the input's scale;
- biases ("He+5"): ``b_j = -sum_k w_k z_j(x_k)`` for five rows ``x_k``
  drawn at random and weights ``w`` uniform on the simplex (normalised
  exponential draws), so the hyperplane passes through a random point of
  the data's convex hull: every unit starts with rows on both sides.

Then the layer's activation (and its parametric form, as initialised) gives
the next layer's input. The labels are not used, nor is dropout. Only
NumPy: the start is drawn on the host, as the random start is.
"""

import numpy as np

from .arrays import NUMPY
from .layers import Dense

N_SIMPLEX = 5  # rows whose convex combination each bias goes through
MAX_ROWS = 2048  # a sample of the rows is enough for standard deviations


def initialize_on_rows(network, flat, X, random_state, last_layer=True):
    """Rescale the dense layers' weights of ``flat`` (the network's random
    start, in place) and set their biases, from the rows of ``X``.

    ``X`` is the network's input (a NumPy array, or a scipy sparse matrix);
    ``MAX_ROWS`` of its rows, drawn without replacement, stand for it.
    ``last_layer=False`` leaves the output layer as ``flat`` has it, as
    does a network of TabM members (its heads are one a member).
    """
    n = X.shape[0]
    if n > MAX_ROWS:
        X = X[np.sort(random_state.choice(n, MAX_ROWS, replace=False))]
    views = network.views(flat)
    a = X.toarray() if hasattr(X, "toarray") else np.asarray(X)
    a = a.astype(flat.dtype, copy=False)
    last = len(network.layers) - 1
    for i, (layer, layer_views) in enumerate(zip(network.layers, views, strict=True)):
        if not isinstance(layer, Dense):  # the front, parametric activations
            a = layer.forward(a, layer_views, NUMPY)
            continue
        if i == last and (not last_layer or network.members > 1):
            break  # members' heads keep their draw: each reads its own rows
        W, b = layer_views
        W[...] = random_state.standard_normal(W.shape)
        b[...] = 0.0
        z = layer.affine(a, W, NUMPY)
        z += b
        spread = z.std(axis=0)
        # a unit constant on these rows (a constant input) keeps its draw
        spread[~(spread > 0)] = 1.0
        W /= spread
        z /= spread
        b[...] = _through_the_data(z, random_state)
        if i == last:
            break  # the last layer: nothing reads its output here
        z += b
        if layer.activation is not None:
            layer.activation.forward(z, NUMPY)
        a = z
    return flat


def _through_the_data(z, random_state):
    """He+5 biases: minus a random convex combination of ``N_SIMPLEX`` rows'
    values of each column of ``z``."""
    m, units = z.shape
    rows = random_state.randint(0, m, size=(units, N_SIMPLEX))
    weights = random_state.exponential(1.0, size=(units, N_SIMPLEX))
    weights /= weights.sum(axis=1, keepdims=True)
    picked = z[rows, np.arange(units)[:, None]]  # (units, N_SIMPLEX)
    return -(picked * weights).sum(axis=1).astype(z.dtype)
