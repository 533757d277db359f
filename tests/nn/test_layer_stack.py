"""The layers in front of and between the dense layers (scaling, periodic
embedding, parametric activations), the NTK parametrisation, per-group
learning rates and the planned dropout and weight decay: each held to its
formula, written out here in NumPy, and the estimators to what their
parameters promise.

Their gradients are held to finite differences in ``tests/nn/test_gradients.py``.
"""

import math
import pickle

import numpy as np
import pytest
from helpers import fit_quietly
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_classification, make_regression

from sklearn_scratchnn import ScratchMLPClassifier, ScratchMLPRegressor
from sklearn_scratchnn.nn.activations import HIDDEN_ACTIVATIONS
from sklearn_scratchnn.nn.arrays import NUMPY
from sklearn_scratchnn.nn.epochs import train_epochs
from sklearn_scratchnn.nn.layers import Dropout, ParametricActivation, PeriodicEmbedding
from sklearn_scratchnn.nn.network import Network
from sklearn_scratchnn.nn.optimizers import SGD, Adam
from sklearn_scratchnn.nn.schedules import Plan, Plans
from sklearn_scratchnn.nn.training import Batches, EpochState

X, y = make_classification(n_samples=150, n_features=5, random_state=0)
ALL_LAYERS = dict(
    input_scaling=True,
    periodic_embedding=True,
    parametric_activation=True,
    parametrization="ntk",
)


def _applied(name, z):
    out = z.copy()
    HIDDEN_ACTIVATIONS[name].forward(out)
    return out


# -- each layer is its formula -------------------------------------------------------


def test_periodic_embedding_is_its_formula():
    rng = np.random.RandomState(0)
    layer = PeriodicEmbedding(n_features=3, n_columns=2, n_frequencies=4, width=2)
    flat = rng.normal(size=layer.n_params)
    c, p, V, beta = layer.views(flat, 0)
    x = rng.normal(size=(5, 3))
    out = layer.forward(x, (c, p, V, beta), NUMPY)
    assert out.shape == (5, 3 + 2 * 2)
    assert_array_equal(out[:, :3], x)  # the input itself comes first
    for j in range(2):  # then, per column, cos(2 pi c x + p) V + beta
        u = 2 * np.pi * np.outer(x[:, j], c[j, 0]) + p[j, 0]
        expected = np.cos(u) @ V[j] + beta[j, 0]
        assert_allclose(out[:, 3 + 2 * j : 5 + 2 * j], expected, rtol=1e-12)


def test_periodic_embedding_draws_its_documented_distributions():
    layer = PeriodicEmbedding(n_features=50, n_columns=50, n_frequencies=16, width=3)
    flat = np.empty(layer.n_params)
    c, p, V, beta = views = layer.views(flat, 0)
    layer.initialize(views, np.random.RandomState(0))
    assert c.std() == pytest.approx(0.1, rel=0.05)  # N(0, 0.1^2): 800 draws
    assert np.abs(p).max() <= np.pi and p.std() == pytest.approx(np.pi / 3**0.5, 0.05)
    assert np.abs(V).max() <= 0.25 and np.abs(beta).max() <= 0.25  # 1/sqrt(16)


@pytest.mark.parametrize("name", ["selu", "mish", "tanh"])
def test_parametric_activation_is_its_formula(name):
    rng = np.random.RandomState(1)
    z = rng.normal(scale=2, size=(6, 4))
    w = np.array([1.0, 0.0, 0.5, -0.3])
    layer = ParametricActivation(HIDDEN_ACTIVATIONS[name], 4)
    out = layer.forward(z.copy(), (w,), NUMPY)
    assert_allclose(out, z + w * (_applied(name, z) - z), rtol=1e-13)
    # w = 1 is the plain activation, w = 0 the identity
    assert_allclose(out[:, 0], _applied(name, z)[:, 0], rtol=1e-13)
    assert_allclose(out[:, 1], z[:, 1], rtol=1e-13)


def test_ntk_dense_layer_scales_by_one_over_sqrt_fan_in():
    net = Network([9, 4, 2], "identity", "softmax", "log_loss", parametrization="ntk")
    rng = np.random.RandomState(0)
    params = rng.normal(size=net.n_params)
    (W1, W2), (b1, b2) = net.unpack(params)
    x = rng.normal(size=(3, 9))
    z, _ = net.forward(params, x)
    expected = ((x @ W1) / 3 + b1) @ W2 / 2 + b2  # sqrt(9), sqrt(4)
    assert_allclose(z, expected, rtol=1e-12)


def test_ntk_initialisation_draws_standard_normal_and_zeros_the_last_layer():
    net = Network([40, 64, 64, 3], "selu", "softmax", "log_loss", parametrization="ntk")
    params = net.initialize(np.random.RandomState(0), np.float64)
    coefs, intercepts = net.unpack(params)
    for W in coefs[:-1]:
        assert W.std() == pytest.approx(1.0, rel=0.05)
    assert not np.any(coefs[-1]) and not any(np.any(b) for b in intercepts)
    # the network starts out predicting the same for every row: 1/3 each
    _, proba = net.forward(params, np.random.RandomState(1).normal(size=(5, 40)))
    assert_allclose(proba, 1 / 3, rtol=1e-15)


def test_new_layers_at_their_initial_values_change_nothing():
    """Scales of 1 and parametric weights of 1 are the plain network."""
    plain = Network([5, 6, 3], "mish", "softmax", "log_loss")
    stacked = Network(
        [5, 6, 3], "mish", "softmax", "log_loss",
        input_scaling=True, parametric_activation=True,
    )  # fmt: skip
    params = plain.initialize(np.random.RandomState(0), np.float64)
    stacked_params = stacked.initialize(np.random.RandomState(0), np.float64)
    (s,), *_ = stacked.views(stacked_params)
    assert_array_equal(s, 1.0)
    # the dense layers drew the same values, the new layers none
    for a, b in zip(
        plain.unpack(params)[0], stacked.unpack(stacked_params)[0], strict=True
    ):
        assert_array_equal(a, b)
    assert_allclose(
        stacked.forward(stacked_params, X)[1], plain.forward(params, X)[1], rtol=1e-13
    )


@pytest.mark.parametrize(
    "output, loss, n_outputs",
    [("softmax", "log_loss", 3), ("logistic", "log_loss", 1),
     ("identity", "squared_error", 2)],
)  # fmt: skip
def test_tabm_members_are_networks_that_share_their_hidden_layers(
    output, loss, n_outputs
):
    """Member i is the plain network on ``x * r_i`` with the shared hidden
    layers and head i; the prediction is the mean of the members' outputs,
    the loss the mean of their losses. Written out here in NumPy."""
    k, rng = 3, np.random.RandomState(0)
    net = Network([4, 5, 6, n_outputs], "tanh", output, loss, members=k)
    params = net.initialize(np.random.RandomState(1), np.float64)
    (r,), *_ = net.views(params)
    assert set(np.unique(r)) <= {-1.0, 1.0}  # random signs at the start
    params += rng.normal(scale=0.3, size=params.shape)  # away from the start
    (r,), (W0, b0), (W1, b1), (W2, b2) = net.views(params)
    assert W2.shape == (k, 6, n_outputs) and b2.shape == (k, 1, n_outputs)
    x = rng.normal(size=(7, 4))
    y = np.eye(max(n_outputs, 2))[rng.randint(0, 2, 7)][:, :n_outputs]

    def member(i):
        a = np.tanh(np.tanh(x * r[i, 0] @ W0 + b0) @ W1 + b1)
        z = a @ W2[i] + b2[i]
        if output == "softmax":
            p = np.exp(z - z.max(axis=1, keepdims=True))
            return z, p / p.sum(axis=1, keepdims=True)
        return z, 1 / (1 + np.exp(-z)) if output == "logistic" else z

    def member_loss(z, p):
        if output == "softmax":
            return -np.mean(np.sum(y * np.log(p), axis=1))
        if output == "logistic":
            return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
        return 0.5 * np.mean(np.sum((p - y) ** 2, axis=1))

    outputs = [member(i) for i in range(k)]
    _, mean = net.forward(params, x)
    assert_allclose(mean, np.mean([p for _, p in outputs], axis=0), rtol=1e-12)
    ws = net.workspace(params.copy(), np.empty_like(params), 7)
    loss_value = net.loss_and_gradient(ws, x, y, 1.0 / 7, 0.0)
    expected = np.mean([member_loss(z, p) for z, p in outputs])
    assert loss_value == pytest.approx(expected, rel=1e-12)


def test_groups_tag_every_parameter_once():
    net = Network([4, 5, 2], "selu", "softmax", "log_loss",
                  periodic_embedding={"n_columns": 3}, input_scaling=True,
                  parametric_activation=True)  # fmt: skip
    spans = net.groups()
    assert spans[0][1] == 0 and spans[-1][2] == net.n_params
    assert all(a[2] == b[1] for a, b in zip(spans[:-1], spans[1:], strict=True))
    sizes = {}
    for group, start, stop in spans:
        sizes[group] = sizes.get(group, 0) + stop - start
    # 3 columns x 16 frequencies; the scaling layer sees 4 + 3 * 3 columns
    assert sizes["frequencies"] == sizes["phases"] == 48
    assert sizes["embedding_weights"] == 48 * 3 and sizes["embedding_biases"] == 9
    assert sizes["scales"] == 13 and sizes["activations"] == 5
    assert sizes["weights"] == 13 * 5 + 5 * 2 and sizes["biases"] == 5 + 2
    # TabM-mini's 4 members: a scale of the 13 inputs and a head each
    members = Network([4, 5, 2], "selu", "softmax", "log_loss", input_scaling=True,
                      periodic_embedding={"n_columns": 3}, members=4)  # fmt: skip
    sizes = {}
    for group, start, stop in members.groups():
        sizes[group] = sizes.get(group, 0) + stop - start
    assert sizes["member_scales"] == 4 * 13
    assert sizes["weights"] == 13 * 5 + 4 * 5 * 2 and sizes["biases"] == 5 + 4 * 2


# -- per-group learning rates and planned regularisation ----------------------------


@pytest.mark.parametrize("optimizer", [SGD, Adam])
def test_learning_rate_factors_scale_each_groups_step(optimizer):
    net = Network([3, 4, 2], "tanh", "softmax", "log_loss", input_scaling=True)
    rng = np.random.RandomState(0)
    params, grad = rng.normal(size=(2, net.n_params))
    factors = net.group_values({"biases": 0.1, "scales": 6.0}, np.float64, 1.0)
    plain = (
        optimizer(params, learning_rate_init=0.01, momentum=0.0)
        if (optimizer is SGD)
        else optimizer(params, learning_rate_init=0.01)
    )
    scaled = pickle.loads(pickle.dumps(plain))
    scaled.lr_factors = factors
    after_plain, after_scaled = params.copy(), params.copy()
    plain.step(after_plain, grad)
    scaled.step(after_scaled, grad)
    # the first step of both: each entry's step times its group's factor
    assert_allclose(after_scaled - params, factors * (after_plain - params), rtol=1e-12)
    assert set(np.unique(factors)) == {0.1, 1.0, 6.0}


class _Recording(SGD):
    """SGD that notes, at every step, the settings the plans set."""

    def step(self, params, grad, xp=NUMPY):
        self.seen.append((self.learning_rate, self.decay_factor, self.dropout.rate))
        super().step(params, grad, xp)


def test_planned_dropout_and_weight_decay_follow_flat_cos_at_every_step():
    net = Network([3, 4, 2], "relu", "softmax", "log_loss")
    rng = np.random.RandomState(0)
    Xs, Ys = rng.normal(size=(40, 3)), np.eye(2)[rng.randint(0, 2, 40)]
    params = net.initialize(rng, np.float64)
    state = EpochState()
    state.optimizer = _Recording(params, learning_rate_init=0.1, momentum=0.0)
    state.optimizer.seen = []
    state.optimizer.decay = net.group_values({"weights": 0.01}, np.float64)
    state.start(tol=0.0, n_iter_no_change=10**6, early_stopping=False, params=params)
    batches = Batches(Xs, Ys, None, 8)  # 5 batches an epoch, 30 in all
    dropout = Dropout(0.3, np.random.RandomState(0))
    state.optimizer.dropout = dropout
    ws = net.workspace(params, np.empty_like(params), 8, dropout=dropout)
    plans = Plans(dropout=Plan("flat_cos", 30), weight_decay=Plan("flat_cos", 30))
    train_epochs(net, ws, state, batches, max_epochs=6, alpha=0.0,
                 random_state=rng, shuffle=True, plans=plans)  # fmt: skip
    t = np.arange(30) / 30
    flat_cos = np.where(t < 0.5, 1.0, 0.5 * (1 + np.cos(np.pi * (2 * t - 1))))
    rates, decay_factors, dropout_rates = np.array(state.optimizer.seen).T
    assert_array_equal(rates, 0.1)  # no learning-rate plan: constant
    assert_allclose(decay_factors, flat_cos, atol=1e-15)
    assert_allclose(dropout_rates, 0.3 * flat_cos, atol=1e-15)


def test_weight_decay_spares_every_group_but_the_dense_weights():
    clf = ScratchMLPClassifier(
        hidden_layer_sizes=(4,), weight_decay=0.5, max_iter=1, random_state=0,
        learning_rate_factors={"weights": 2.0}, **ALL_LAYERS,
    )  # fmt: skip
    fit_quietly(clf, X, y)
    decay = clf._state.optimizer.decay  # set for the fit (not saved)
    for group, start, stop in clf._network.groups():
        expected = 0.5 * 2.0 if group == "weights" else 0.0
        assert_array_equal(decay[start:stop], expected)


# -- on the estimators --------------------------------------------------------------


@pytest.mark.parametrize("Estimator", [ScratchMLPClassifier, ScratchMLPRegressor])
def test_every_new_piece_on_is_reproducible_and_saves(Estimator):
    target = (
        y
        if Estimator is ScratchMLPClassifier
        else make_regression(150, 5, random_state=0)[1] / 100
    )
    params = dict(
        hidden_layer_sizes=(8, 8), max_iter=15, random_state=3, dropout=0.1,
        dropout_schedule="flat_cos", weight_decay=0.02,
        weight_decay_schedule="flat_cos", learning_rate="coslog4",
        learning_rate_init=0.01, activation="selu",
        learning_rate_factors={"biases": 0.1, "scales": 6.0, "frequencies": 0.1},
        **ALL_LAYERS,
    )  # fmt: skip
    one = fit_quietly(Estimator(**params), X, target)
    two = fit_quietly(Estimator(**params), X, target)
    assert_array_equal(one._params, two._params)
    # every option changes the fit: none is accepted and ignored
    for name, off in [("input_scaling", False), ("periodic_embedding", False),
                      ("parametric_activation", False),
                      ("parametrization", "standard"),
                      ("learning_rate_factors", None),
                      ("dropout_schedule", "constant"),
                      ("weight_decay_schedule", "constant")]:  # fmt: skip
        other = fit_quietly(Estimator(**{**params, name: off}), X, target)
        assert not np.array_equal(other.predict(X[:20]), one.predict(X[:20])) or (
            not np.allclose(other.loss_curve_, one.loss_curve_)
        ), name
    loaded = pickle.loads(pickle.dumps(one))
    assert_array_equal(loaded.predict(X), one.predict(X))
    assert loaded._network.options == one._network.options


def test_unknown_group_and_lbfgs_factors_are_errors():
    with pytest.raises(ValueError, match="unknown group 'weight'; the groups are"):
        ScratchMLPClassifier(learning_rate_factors={"weight": 2.0}).fit(X, y)
    with pytest.raises(ValueError, match=r"\['biases'\] must be a positive finite"):
        ScratchMLPClassifier(learning_rate_factors={"biases": 0}).fit(X, y)
    with pytest.raises(ValueError, match="lbfgs picks its own steps"):
        ScratchMLPClassifier(solver="lbfgs", learning_rate_factors={"biases": 0.1}).fit(
            X, y
        )


def test_planned_regularisation_hides_partial_fit():
    assert hasattr(ScratchMLPClassifier(dropout=0.1), "partial_fit")
    for name in ("dropout_schedule", "weight_decay_schedule"):
        estimator = ScratchMLPClassifier(**{name: "flat_cos"})
        assert not hasattr(estimator, "partial_fit")
        with pytest.raises(AttributeError, match=f"{name}='flat_cos': that sch"):
            estimator._check_solver()  # the reason available_if hides it for


def test_warm_start_refuses_a_changed_architecture():
    clf = fit_quietly(
        ScratchMLPClassifier(max_iter=2, warm_start=True, random_state=0), X, y
    )
    clf.set_params(periodic_embedding=True)
    with pytest.raises(ValueError, match="periodic_embedding=False but the"):
        clf.fit(X, y)


def test_lbfgs_trains_the_embedded_scaled_network_and_is_exact_on_sparse():
    import scipy.sparse as sp

    params = dict(solver="lbfgs", max_iter=30, random_state=0, input_scaling=True,
                  periodic_embedding=True, parametric_activation=True)  # fmt: skip
    dense = fit_quietly(ScratchMLPClassifier(**params), X, y)
    sparse = fit_quietly(ScratchMLPClassifier(**params), sp.csr_matrix(X), y)
    assert_allclose(sparse._params, dense._params, rtol=1e-10, atol=1e-12)
    assert dense.score(X, y) > 0.9


def test_embedding_fits_a_periodic_target_the_plain_network_cannot():
    """A target that is a sine of one feature: a few frequencies fit it, where
    the same small network without them stays near a constant."""
    rng = np.random.RandomState(0)
    x = rng.uniform(-3, 3, size=(600, 1))
    target = np.sin(4 * x[:, 0])
    params = dict(hidden_layer_sizes=(16,), max_iter=300, learning_rate_init=0.01,
                  random_state=0, activation="tanh", tol=0.0)  # fmt: skip
    plain = fit_quietly(ScratchMLPRegressor(**params), x[:400], target[:400])
    embedded = fit_quietly(
        ScratchMLPRegressor(**params, periodic_embedding=True), x[:400], target[:400]
    )
    plain_r2 = plain.score(x[400:], target[400:])
    embedded_r2 = embedded.score(x[400:], target[400:])
    assert embedded_r2 > 0.9 and embedded_r2 > plain_r2 + 0.3, (embedded_r2, plain_r2)


def test_coefs_are_the_unscaled_ntk_weights():
    clf = fit_quietly(
        ScratchMLPClassifier(max_iter=3, random_state=0, parametrization="ntk"), X, y
    )
    x = X[:4]
    hidden = 1 / (1 + np.exp(-(x @ clf.coefs_[0] / math.sqrt(5) + clf.intercepts_[0])))
    logit = hidden @ clf.coefs_[1] / 10 + clf.intercepts_[1]  # sqrt(100)
    assert_allclose(clf.predict_proba(x)[:, 1], 1 / (1 + np.exp(-logit[:, 0])))


def test_partial_fit_after_a_planned_decay_decays_at_full_strength():
    """The plan leaves the decay factor below 1 at its end; a later
    partial_fit, which keeps the optimizer but has no plan, starts from 1."""
    clf = ScratchMLPClassifier(
        max_iter=4, random_state=0, weight_decay=0.1, weight_decay_schedule="flat_cos"
    )
    fit_quietly(clf, X, y)
    # one batch an epoch: the last of 4 at t = 3/4, flat_cos(3/4) = 0.5
    assert clf._state.optimizer.decay_factor == pytest.approx(0.5)
    clf.set_params(weight_decay_schedule="constant")
    clf.partial_fit(X, y)
    assert clf._state.optimizer.decay_factor == 1.0
