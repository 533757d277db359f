"""The hand-written backward pass equals central finite differences.

The network core is exercised directly (no scikit-learn), in float64, on
shapes, activations, losses, penalties and sample weights drawn by hypothesis.
"""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from sklearn_scratchnn.nn.arrays import NUMPY
from sklearn_scratchnn.nn.layers import Dense, Dropout
from sklearn_scratchnn.nn.losses import smooth_labels
from sklearn_scratchnn.nn.network import Network
from sklearn_scratchnn.nn.training import batch_weights

H = 1e-5
ACTIVATIONS = ["identity", "logistic", "tanh", "relu", "selu", "mish", "gelu"]
# activations whose derivative jumps at 0: finite differences straddling it
# measure neither side
KINKED = ("relu", "selu")


@st.composite
def problems(draw):
    """A network, its parameters and a batch of data with targets."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.RandomState(seed)
    n_samples = draw(st.integers(1, 8))
    n_features = draw(st.integers(1, 5))
    hidden = draw(st.lists(st.integers(1, 6), min_size=1, max_size=3))
    activation = draw(st.sampled_from(ACTIVATIONS))
    loss = draw(st.sampled_from(["log_loss", "squared_error"]))
    target = draw(st.sampled_from(["binary", "multiclass", "multilabel"]))
    if target == "binary":
        output, n_outputs = "logistic", 1
        y = rng.randint(0, 2, size=(n_samples, 1))
    elif target == "multiclass":
        output, n_outputs = "softmax", draw(st.integers(2, 4))
        y = np.eye(n_outputs)[rng.randint(0, n_outputs, size=n_samples)]
    else:
        output, n_outputs = "logistic", draw(st.integers(2, 4))
        y = rng.randint(0, 2, size=(n_samples, n_outputs))
    # label smoothing: soft targets, each one-hot row still summing to 1
    epsilon = draw(st.sampled_from([0.0, 0.1]))
    y = smooth_labels(y, epsilon, n_outputs if target == "multiclass" else 2)
    alpha = draw(st.sampled_from([0.0, 1e-3, 0.5]))
    weighted = draw(st.booleans())
    sample_weight = rng.uniform(0.1, 3.0, size=n_samples) if weighted else None

    net = Network([n_features, *hidden, n_outputs], activation, output, loss)
    params = rng.normal(scale=0.8, size=net.n_params)
    X = rng.normal(size=(n_samples, n_features))
    return net, params, X, y.astype(float), sample_weight, alpha


def _loss(net, params, X, y, sample_weight, alpha, grad=None):
    grad = np.empty_like(params) if grad is None else grad
    ws = net.workspace(params, grad, X.shape[0])
    row_weight, l2 = batch_weights(sample_weight, X.shape[0], alpha)
    return net.loss_and_gradient(ws, X, y, row_weight, l2)


def _hidden_pre_activations(net, params, X):
    coefs, intercepts = net.unpack(params)
    a, pre = X, []
    for W, b in zip(coefs[:-1], intercepts[:-1], strict=True):
        z = a @ W + b
        pre.append(z)
        a = z.copy()
        net.hidden.forward(a)
    return pre


@settings(max_examples=150, deadline=None)
@given(problems())
def test_gradient_matches_central_differences(problem):
    net, params, X, y, sample_weight, alpha = problem
    if net.hidden.name in KINKED:
        pre = _hidden_pre_activations(net, params, X)
        assume(all(np.abs(z).min() > 1e-3 for z in pre))

    grad = np.empty_like(params)
    _loss(net, params.copy(), X, y, sample_weight, alpha, grad)

    numeric = np.empty_like(params)
    for i in range(params.size):
        up, down = params.copy(), params.copy()
        up[i] += H
        down[i] -= H
        numeric[i] = (
            _loss(net, up, X, y, sample_weight, alpha)
            - _loss(net, down, X, y, sample_weight, alpha)
        ) / (2 * H)
    assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)


@settings(max_examples=50, deadline=None)
@given(problems(), st.integers(0, 2**32 - 1))
def test_integer_sample_weight_equals_repeated_rows(problem, seed):
    """Weight 3 on a row is the same loss and gradient as three copies of it."""
    net, params, X, y, _, alpha = problem
    counts = np.random.RandomState(seed).randint(1, 4, size=X.shape[0])
    g_weighted, g_repeated = np.empty_like(params), np.empty_like(params)
    weighted = _loss(net, params, X, y, counts.astype(float), alpha, g_weighted)
    repeated = _loss(
        net,
        params,
        np.repeat(X, counts, axis=0),
        np.repeat(y, counts, axis=0),
        None,
        alpha,
        g_repeated,
    )
    assert_allclose(weighted, repeated, rtol=1e-12)
    assert_allclose(g_weighted, g_repeated, rtol=1e-10, atol=1e-13)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_loss_is_the_documented_formula():
    """Squared error and log-loss equal their textbook formulas, penalty included."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(6, 3))
    y = rng.randint(0, 2, size=(6, 1)).astype(float)
    alpha = 0.3
    for loss in ["squared_error", "log_loss"]:
        net = Network([3, 4, 1], "logistic", "logistic", loss)
        params = rng.normal(size=net.n_params)
        (W1, W2), (b1, b2) = net.unpack(params)
        p = _sigmoid(_sigmoid(X @ W1 + b1) @ W2 + b2)  # the article's y_hat
        penalty = alpha / (2 * 6) * ((W1**2).sum() + (W2**2).sum())
        if loss == "squared_error":
            expected = ((y - p) ** 2).sum() / (2 * 6)  # the article's SSE / 2n
        else:
            expected = -(y * np.log(p) + (1 - y) * np.log(1 - p)).mean()
        assert_allclose(_loss(net, params, X, y, None, alpha), expected + penalty)


@pytest.mark.parametrize("loss", ["log_loss", "squared_error"])
@pytest.mark.parametrize("output", ["logistic", "softmax"])
def test_loss_and_delta_finite_for_huge_logits(loss, output):
    """No overflow, no log(0) and no NaN from the loss at any finite logit."""
    net = Network([3, 3], "identity", output, loss)
    # Extreme but representable: the true loss of each row is below 1e308.
    z = np.array([[700.0, -700.0, 0.0], [-1e300, 1e300, 5.0], [1e308, -1e308, 1e308]])
    y = np.eye(3)[[0, 0, 0]]
    a = z.copy()
    delta = np.empty_like(z)
    # Overflow to -inf inside the softmax is allowed (exp(-inf) = 0 is exact);
    # an invalid operation or a division by zero is not.
    with np.errstate(over="ignore", invalid="raise", divide="raise"):
        net.output.forward(a)
        value = net.loss(z, a, y, 1 / 3, net.output, delta)
    assert np.isfinite(value) and value > 0
    assert np.isfinite(delta).all()


def test_selu_mish_gelu_are_their_formulas():
    """Forward passes against the papers' definitions, written out in NumPy."""
    from scipy.special import ndtr

    from sklearn_scratchnn.nn.activations import HIDDEN_ACTIVATIONS

    z = np.linspace(-30, 30, 2001)

    def applied(name):
        out = z.copy()
        HIDDEN_ACTIVATIONS[name].forward(out)
        return out

    lam, alpha = 1.0507009873554805, 1.6732632423543772  # Klambauer et al.
    assert_allclose(
        applied("selu"), np.where(z > 0, lam * z, lam * alpha * np.expm1(z))
    )
    softplus = np.log1p(np.exp(-np.abs(z))) + np.maximum(z, 0)
    assert_allclose(applied("mish"), z * np.tanh(softplus), atol=1e-15)
    tanh_form = 0.5 * z * (1 + np.tanh(np.sqrt(2 / np.pi) * (z + 0.044715 * z**3)))
    assert_allclose(applied("gelu"), tanh_form, atol=1e-15)
    # the tanh form is within 1e-3 of GELU's definition z * Phi(z)
    assert np.abs(applied("gelu") - z * ndtr(z)).max() < 1e-3


# -- the layers beyond scikit-learn's MLP, stacked -----------------------------


@st.composite
def stacks(draw):
    """A network using some of the newer layers, its parameters, a batch, and
    a dropout layer whose masks are drawn once and then held fixed."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.RandomState(seed)
    n_samples, n_numbers = draw(st.integers(1, 6)), draw(st.integers(1, 4))
    hidden = draw(st.lists(st.integers(1, 5), min_size=1, max_size=2))
    # category codes in the last columns, for the categorical embedding
    cardinalities = draw(st.lists(st.integers(1, 4), max_size=2))
    categories = None
    if cardinalities:
        categories = {"cardinalities": cardinalities, "width": draw(st.integers(1, 3))}
    embedding = None
    if draw(st.booleans()):
        embedding = {
            "n_columns": draw(st.integers(1, n_numbers)),
            "n_frequencies": draw(st.integers(1, 4)),
            "width": draw(st.integers(1, 3)),
        }
    n_features = n_numbers + len(cardinalities)
    options = {
        "categorical_embedding": categories,
        "periodic_embedding": embedding,
        "input_scaling": draw(st.booleans()),
        "parametric_activation": draw(st.booleans()),
        "parametrization": draw(st.sampled_from(["standard", "ntk"])),
        "members": draw(st.integers(1, 3)),  # TabM-mini's, above 1
    }
    activation = draw(st.sampled_from(ACTIVATIONS))
    n_outputs = draw(st.integers(2, 3))
    y = smooth_labels(np.eye(n_outputs)[rng.randint(0, n_outputs, n_samples)], 0.1, 3)
    net = Network(
        [n_features, *hidden, n_outputs], activation, "softmax", "log_loss", **options
    )
    params = rng.normal(scale=0.8, size=net.n_params)
    codes = [rng.randint(0, k, size=(n_samples, 1)) for k in cardinalities]
    X = np.hstack([rng.normal(size=(n_samples, n_numbers)), *codes])
    rate = draw(st.sampled_from([0.0, 0.4]))
    return net, params, X, y, Dropout(rate, np.random.RandomState(seed))


def _pre_activations(net, params, X):
    """Every hidden dense layer's input to its activation, through any stack."""
    pre, a = [], X
    for layer, layer_views in zip(net.layers[:-1], net.views(params), strict=False):
        if isinstance(layer, Dense):
            W, b = layer_views
            pre.append(layer.affine(a, W, NUMPY) + b)
        a = layer.forward(a, layer_views, NUMPY)
    return pre


@settings(max_examples=120, deadline=None)
@given(stacks())
def test_layer_stack_gradient_matches_central_differences(stack):
    """Categorical and periodic embeddings, scaling, parametric activations,
    NTK, TabM-mini's members and fixed dropout masks, in any combination: the
    backward pass equals central differences."""
    net, params, X, y, dropout = stack
    if net.hidden.name in KINKED:  # away from the kink, as for relu
        assume(all(np.abs(z).min() > 1e-3 for z in _pre_activations(net, params, X)))
    work = params.copy()
    ws = net.workspace(work, np.empty_like(work), X.shape[0], dropout=dropout)
    ws.draw_dropout(X)  # then held fixed: the loss is smooth in the parameters
    row_weight = 1.0 / X.shape[0]

    def loss_at(point):
        work[...] = point
        return net.loss_and_gradient(ws, X, y, row_weight, 1e-3)

    loss_at(params)
    grad = ws.grad.copy()
    # Central differences at H and H/2, combined (Richardson): their error is
    # O(H^4), not O(H^2). A periodic embedding's frequency c enters as
    # cos(2 pi c x), whose third derivative grows as (2 pi x)^3: a plain
    # central difference at H = 1e-5 is off by ~1e-6 there (found by
    # hypothesis, with the analytic gradient right to 1e-9 as H shrinks).
    numeric = np.empty_like(params)
    for i in range(params.size):
        at_h, at_half = (_central(loss_at, params, i, h) for h in (H, H / 2))
        numeric[i] = (4 * at_half - at_h) / 3
    assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)


def _central(loss_at, params, i, h):
    """``dL/dparams[i]`` by the central difference of step ``h``."""
    up, down = params.copy(), params.copy()
    up[i] += h
    down[i] -= h
    return (loss_at(up) - loss_at(down)) / (2 * h)
