"""The pieces beyond scikit-learn's MLP: new activations, label smoothing and
decoupled weight decay, in the core and on the estimators.

Their gradients are held to finite differences in ``test_gradients.py``; here,
each is held to its formula, and the estimators to the promise that the
defaults change nothing.
"""

import numpy as np
import pytest
from helpers import fit_quietly
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import make_blobs, make_classification

from sklearn_scratchnn import ScratchMLPClassifier, ScratchMLPRegressor
from sklearn_scratchnn.nn.losses import smooth_labels
from sklearn_scratchnn.nn.network import Network
from sklearn_scratchnn.nn.optimizers import SGD, Adam

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
