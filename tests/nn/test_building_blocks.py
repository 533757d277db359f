"""The pieces beyond scikit-learn's MLP: new activations, label smoothing,
decoupled weight decay, dropout and planned schedules, in the core and on the
estimators.

Their gradients are held to finite differences in ``tests/nn/test_gradients.py``; here,
each is held to its formula, and the estimators to the promise that the
defaults change nothing.
"""

import numpy as np
import pytest
from helpers import fit_quietly
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_blobs, make_classification

from sklearn_scratchnn import ScratchMLPClassifier, ScratchMLPRegressor
from sklearn_scratchnn.nn.arrays import NUMPY
from sklearn_scratchnn.nn.epochs import train_epochs
from sklearn_scratchnn.nn.layers import Dropout
from sklearn_scratchnn.nn.losses import smooth_labels
from sklearn_scratchnn.nn.network import Network
from sklearn_scratchnn.nn.optimizers import SGD, Adam
from sklearn_scratchnn.nn.schedules import SCHEDULES, Plan, Plans
from sklearn_scratchnn.nn.training import Batches, EpochState

X, y = make_classification(n_samples=150, n_features=6, random_state=0)


# -- parameter groups ---------------------------------------------------------------


def test_group_values_put_each_value_on_its_group():
    network = Network([3, 4, 2], "relu", "softmax", "log_loss")
    decay = network.group_values({"weights": 0.5}, np.float64)
    coefs, intercepts = network.unpack(decay)
    for W, b in zip(coefs, intercepts, strict=True):
        assert np.all(W == 0.5) and np.all(b == 0.0)
    assert decay.size == network.n_params


# -- decoupled weight decay ---------------------------------------------------------


def _one_step(optimizer, params, grad, decay):
    optimizer.decay = decay
    optimizer.step(params, grad)
    return params


def test_sgd_weight_decay_is_the_decoupled_rule():
    rng = np.random.RandomState(0)
    network = Network([3, 4, 1], "tanh", "logistic", "log_loss")
    params, grad = rng.normal(size=(2, network.n_params))
    decay = network.group_values({"weights": 0.1}, np.float64)
    lr = 0.05
    sgd = SGD(params, learning_rate_init=lr, momentum=0.0)
    after = _one_step(sgd, params.copy(), grad, decay)
    # theta <- theta - lr * lambda * theta, then the gradient step
    expected = params - lr * decay * params - lr * grad
    assert_allclose(after, expected, rtol=1e-14)
    # the biases take the gradient step only
    _, biases_before = network.unpack(params)
    _, biases_after = network.unpack(after)
    _, bias_grads = network.unpack(grad)
    for b0, b1, g in zip(biases_before, biases_after, bias_grads, strict=True):
        assert_array_equal(b1, b0 - lr * g)


def test_adam_weight_decay_is_adamw():
    rng = np.random.RandomState(1)
    params, grad = rng.normal(size=(2, 20))
    decay = np.r_[np.full(15, 0.02), np.zeros(5)]  # the last 5: a group marked off
    lr, b1, b2, eps = 0.01, 0.9, 0.95, 1e-8
    adam = Adam(params, learning_rate_init=lr, beta_1=b1, beta_2=b2, epsilon=eps)
    after = _one_step(adam, params.copy(), grad, decay)
    m, v = (1 - b1) * grad, (1 - b2) * grad**2
    lr_t = lr * np.sqrt(1 - b2) / (1 - b1)
    expected = params - lr * decay * params - lr_t * m / (np.sqrt(v) + eps)
    assert_allclose(after, expected, rtol=1e-13)


def test_weight_decay_zero_is_scikit_learns_fit_and_decay_shrinks_weights():
    plain = fit_quietly(ScratchMLPClassifier(max_iter=30, random_state=0), X, y)
    zero = fit_quietly(
        ScratchMLPClassifier(max_iter=30, random_state=0, weight_decay=0.0), X, y
    )
    assert_array_equal(zero._params, plain._params)
    # each of the 30 steps shrinks the weights by lr * weight_decay = 10%
    # before the gradient step pulls them back
    fast = dict(max_iter=30, random_state=0, learning_rate_init=0.01)
    undecayed = fit_quietly(ScratchMLPClassifier(**fast), X, y)
    decayed = fit_quietly(ScratchMLPClassifier(weight_decay=10.0, **fast), X, y)
    norm = lambda model: sum(float((W**2).sum()) for W in model.coefs_)  # noqa: E731
    assert norm(decayed) < 0.5 * norm(undecayed)


def test_weight_decay_with_lbfgs_is_an_error():
    model = ScratchMLPRegressor(solver="lbfgs", weight_decay=0.1)
    with pytest.raises(ValueError, match="weight_decay=0.1 is decoupled weight decay"):
        model.fit(X, y.astype(float))


# -- label smoothing ----------------------------------------------------------------


def test_smooth_labels_is_the_formula():
    Y = np.eye(4)[[0, 2, 3]]
    assert_allclose(smooth_labels(Y, 0.2, 4), 0.8 * Y + 0.05)
    assert_allclose(smooth_labels(Y, 0.2, 4).sum(axis=1), 1.0)
    assert smooth_labels(Y, 0.0, 4) is Y


@pytest.mark.parametrize("centers", [2, 3])
def test_label_smoothing_caps_the_confidence_of_a_separable_fit(centers):
    """With soft targets the loss is minimal at p = (1 - eps) + eps / K, so a
    network that separates the classes predicts about that, not 1."""
    Xb, yb = make_blobs(n_samples=120, centers=centers, cluster_std=0.3, random_state=0)
    params = dict(solver="lbfgs", max_iter=500, random_state=0, alpha=0.0)
    sharp = fit_quietly(ScratchMLPClassifier(**params), Xb, yb)
    smooth = fit_quietly(ScratchMLPClassifier(label_smoothing=0.2, **params), Xb, yb)
    target = 0.8 + 0.2 / centers
    assert sharp.predict_proba(Xb).max(axis=1).min() > 0.99
    confidence = smooth.predict_proba(Xb).max(axis=1)
    assert abs(np.median(confidence) - target) < 0.01 and confidence.max() < 0.95
    assert_array_equal(smooth.predict(Xb), yb)


def test_label_smoothing_zero_is_scikit_learns_fit():
    plain = fit_quietly(ScratchMLPClassifier(max_iter=20, random_state=0), X, y)
    zero = fit_quietly(
        ScratchMLPClassifier(max_iter=20, random_state=0, label_smoothing=0.0), X, y
    )
    assert_array_equal(zero._params, plain._params)


# -- the new activations on the estimators ------------------------------------------


@pytest.mark.parametrize("activation", ["selu", "mish", "gelu"])
def test_new_activations_learn(activation):
    base = fit_quietly(
        ScratchMLPClassifier(activation="identity", random_state=0), X, y
    )
    model = fit_quietly(
        ScratchMLPClassifier(activation=activation, random_state=0), X, y
    )
    assert model.score(X, y) >= base.score(X, y)  # non-linear beats linear here
    assert np.isfinite(model.predict_proba(X)).all()


@pytest.mark.parametrize(
    "name, value",
    [
        ("label_smoothing", 1.0),
        ("label_smoothing", -0.1),
        ("weight_decay", -1.0),
        ("activation", "swish"),
    ],
)
def test_invalid_new_parameters_are_named(name, value):
    with pytest.raises(ValueError, match=name):
        ScratchMLPClassifier(**{name: value}).fit(X, y)


# -- dropout ----------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    hidden=st.lists(st.integers(1, 6), min_size=1, max_size=3),
    activation=st.sampled_from(["logistic", "tanh", "mish", "gelu"]),
    rate=st.sampled_from([0.2, 0.5]),
)
def test_dropout_gradient_with_its_masks_fixed(seed, hidden, activation, rate):
    """With the masks of one draw held fixed, the loss is a smooth function of
    the parameters, and the backward pass must be its gradient."""
    rng = np.random.RandomState(seed)
    net = Network([3, *hidden, 2], activation, "softmax", "log_loss")
    params = rng.normal(scale=0.8, size=net.n_params)
    X, Y = rng.normal(size=(5, 3)), np.eye(2)[rng.randint(0, 2, size=5)]
    grad = np.empty_like(params)
    ws = net.workspace(params, grad, 5, dropout=Dropout(rate, rng))
    ws.draw_dropout(X)
    net.loss_and_gradient(ws, X, Y, 0.2, 0.0)
    analytic = grad.copy()
    numeric = np.empty_like(params)
    for i in range(params.size):
        old = params[i]
        params[i] = old + 1e-5
        up = net.loss_and_gradient(ws, X, Y, 0.2, 0.0)
        params[i] = old - 1e-5
        down = net.loss_and_gradient(ws, X, Y, 0.2, 0.0)
        params[i] = old
        numeric[i] = (up - down) / 2e-5
    assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)


def test_dropout_keeps_the_expected_activation():
    """E[a * m] = a: averaged over 4000 draws (fixed seed), each entry is
    within 6% of the activation without dropout (the standard error of the
    mean is sqrt(rate / (1 - rate) / 4000) = 1.0% of it at rate 0.3)."""
    a = np.random.RandomState(0).uniform(0.5, 2.0, size=(50, 20))
    dropout = Dropout(0.3, np.random.RandomState(1))
    mask, total = np.empty_like(a), np.zeros_like(a)
    for _ in range(4000):
        dropout.draw([mask], NUMPY, rows=a)
        total += dropout.units(20).forward(a, (), NUMPY, (mask, np.empty_like(a)))
    assert_allclose(total / 4000, a, rtol=0.06)
    assert abs((mask == 0).mean() - 0.3) < 0.05  # the share left out


def test_dropout_fits_are_reproducible_and_prediction_uses_no_mask():
    params = dict(dropout=0.3, max_iter=15, random_state=0, activation="relu")
    one = fit_quietly(ScratchMLPClassifier(**params), X, y)
    two = fit_quietly(ScratchMLPClassifier(**params), X, y)
    assert_array_equal(one._params, two._params)
    other = fit_quietly(ScratchMLPClassifier(**{**params, "random_state": 1}), X, y)
    assert not np.array_equal(one._params, other._params)
    without = fit_quietly(ScratchMLPClassifier(**{**params, "dropout": 0.0}), X, y)
    assert not np.array_equal(one._params, without._params)  # it did drop units
    # prediction: the network with every unit, the same answer every time
    _, out = one._network.forward(one._params, X)
    assert_array_equal(one.predict_proba(X)[:, 1], out[:, 0])
    assert_array_equal(one.predict_proba(X), one.predict_proba(X))


def test_dropout_trains_a_weighted_row_as_its_copies():
    """Masks go by distinct rows: weight 3 is three copies, weight 0 none."""
    rng = np.random.RandomState(0)
    Xs, ys = rng.normal(size=(30, 4)), rng.randint(0, 2, size=30)
    weights = rng.randint(0, 4, size=30)
    params = dict(dropout=0.4, max_iter=20, random_state=0, shuffle=True)
    weighted = fit_quietly(
        ScratchMLPClassifier(**params), Xs, ys, sample_weight=weights
    )
    copies = fit_quietly(
        ScratchMLPClassifier(**params), Xs.repeat(weights, 0), ys.repeat(weights)
    )
    assert_allclose(weighted._params, copies._params, rtol=1e-9, atol=1e-12)


def test_dropout_with_lbfgs_is_an_error():
    with pytest.raises(ValueError, match="dropout=0.2 draws new masks"):
        ScratchMLPClassifier(solver="lbfgs", dropout=0.2).fit(X, y)


# -- schedules --------------------------------------------------------------------


class _RecordingSGD(SGD):
    """SGD that notes the learning rate of every step."""

    def step(self, params, grad, xp=NUMPY):
        self.rates.append(self.learning_rate)
        super().step(params, grad, xp)


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_planned_learning_rate_is_the_formula_at_every_step(name):
    net = Network([3, 4, 1], "tanh", "logistic", "log_loss")
    rng = np.random.RandomState(0)
    Xs, Ys = rng.normal(size=(40, 3)), rng.randint(0, 2, size=(40, 1)).astype(float)
    params = net.initialize(rng, np.float64)
    state = EpochState()
    state.optimizer = _RecordingSGD(params, learning_rate_init=0.1, momentum=0.0)
    state.optimizer.rates = []
    state.start(tol=0.0, n_iter_no_change=10**6, early_stopping=False, params=params)
    batches = Batches(Xs, Ys, None, 8)  # 5 batches an epoch
    ws = net.workspace(params, np.empty_like(params), 8)
    plans = Plans(learning_rate=Plan(name, 6 * batches.n_batches))
    train_epochs(net, ws, state, batches, max_epochs=6, alpha=0.0,
                 random_state=rng, shuffle=True, plans=plans)  # fmt: skip
    t = np.arange(30) / 30
    formulas = {
        "cosine": 0.5 * (1 + np.cos(np.pi * t)),
        "warmup_cosine": np.where(
            t < 0.05, t / 0.05, 0.5 * (1 + np.cos(np.pi * (t - 0.05) / 0.95))
        ),
        "coslog4": 0.5 * (1 - np.cos(2 * np.pi * np.log2(1 + 15 * t))),
        "flat_cos": np.where(t < 0.5, 1.0, 0.5 * (1 + np.cos(np.pi * (2 * t - 1)))),
    }
    assert_allclose(state.optimizer.rates, 0.1 * formulas[name], atol=1e-15)


def test_schedule_shapes_at_their_landmarks():
    from sklearn_scratchnn.nn import schedules as s

    assert s.cosine(0) == 1 and s.cosine(1) == 0 and s.cosine(0.5) == 0.5
    assert s.warmup_cosine(0) == 0 and s.warmup_cosine(0.05) == 1
    assert s.warmup_cosine(0.025) == 0.5
    # coslog4's four cycles end where log2(1 + 15 t) is a whole number and
    # peak half-way (in log2) between
    for k in range(5):
        assert s.coslog4((2**k - 1) / 15) == pytest.approx(0, abs=1e-12)
    for k in range(4):
        assert s.coslog4((2 ** (k + 0.5) - 1) / 15) == pytest.approx(1, abs=1e-12)
    assert s.flat_cos(0.49) == 1 and s.flat_cos(0.75) == pytest.approx(0.5)


def test_a_planned_schedule_drives_adam_and_hides_partial_fit():
    plain = fit_quietly(ScratchMLPClassifier(max_iter=10, random_state=0), X, y)
    planned = ScratchMLPClassifier(max_iter=10, random_state=0, learning_rate="cosine")
    assert not hasattr(planned, "partial_fit")
    fit_quietly(planned, X, y)
    assert not np.array_equal(planned._params, plain._params)
    # 150 rows: one batch an epoch, 10 planned; the last at t = 9/10
    last = planned._state.optimizer.learning_rate
    assert last == pytest.approx(0.001 * 0.5 * (1 + np.cos(0.9 * np.pi)), rel=1e-12)
