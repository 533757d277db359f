"""Behaviour of ScratchMLPClassifier beyond scikit-learn's generic checks."""

import copy
import pickle
import re
import warnings

import numpy as np
import pytest
from helpers import fit_quietly
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import (
    load_digits,
    make_classification,
    make_multilabel_classification,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_scratchnn import ScratchMLPClassifier


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X / 16.0, y


# -- parity with scikit-learn's MLPClassifier -------------------------------


@pytest.mark.parametrize(
    "params",
    [
        dict(solver="adam"),
        dict(solver="sgd", learning_rate_init=0.1),
        dict(solver="sgd", learning_rate_init=0.1, nesterovs_momentum=False),
        dict(solver="sgd", learning_rate_init=0.1, momentum=0.0, shuffle=False),
        dict(solver="lbfgs", max_iter=30),
        dict(solver="adam", activation="tanh", hidden_layer_sizes=(12, 7), alpha=0.1),
        dict(solver="adam", activation="relu"),
        dict(solver="adam", activation="identity"),
    ],
)
def test_same_training_as_sklearn_mlp(digits, params):
    """Same seed and parameters: the same weights as sklearn's MLPClassifier.

    Both draw the initial weights and the epoch permutations from the seed in
    the same order and minimise the same loss, so training agrees to rounding.
    """
    X, y = digits
    params = dict(
        dict(hidden_layer_sizes=(20,), activation="logistic", max_iter=5),
        random_state=0,
        batch_size=64,
        **params,
    )
    ours = fit_quietly(ScratchMLPClassifier(**params), X, y)
    theirs = fit_quietly(MLPClassifier(**params), X, y)
    assert ours.n_iter_ == theirs.n_iter_
    assert_allclose(ours.loss_, theirs.loss_, rtol=1e-9)
    for ours_W, theirs_W in zip(
        ours.coefs_ + ours.intercepts_, theirs.coefs_ + theirs.intercepts_, strict=True
    ):
        assert_allclose(ours_W, theirs_W, rtol=1e-7, atol=1e-9)
    assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-9)


@pytest.mark.parametrize("kind", ["binary", "multilabel"])
def test_same_training_as_sklearn_mlp_for_binary_and_multilabel(kind):
    if kind == "binary":
        X, y = make_classification(n_samples=150, random_state=0)
    else:
        X, y = make_multilabel_classification(n_samples=150, random_state=0)
    params = dict(activation="logistic", max_iter=8, random_state=1)
    ours = fit_quietly(ScratchMLPClassifier(**params), X, y)
    theirs = fit_quietly(MLPClassifier(**params), X, y)
    assert ours.out_activation_ == theirs.out_activation_ == "logistic"
    assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-9)
    assert_array_equal(ours.predict(X), theirs.predict(X))
    assert_array_equal(ours.classes_, theirs.classes_)


# -- targets ----------------------------------------------------------------


def test_string_labels_and_multiclass():
    X, y = make_classification(
        n_samples=120, n_informative=4, n_classes=3, random_state=0
    )
    labels = np.array(["ant", "bee", "cat"])[y]
    clf = ScratchMLPClassifier(solver="lbfgs", random_state=0).fit(X, labels)
    assert_array_equal(clf.classes_, ["ant", "bee", "cat"])
    assert clf.out_activation_ == "softmax" and clf.n_outputs_ == 3
    assert set(clf.predict(X)) <= set(labels)
    assert clf.score(X, labels) > 0.9


def test_multilabel_indicator_targets():
    X, Y = make_multilabel_classification(n_samples=100, n_classes=4, random_state=0)
    clf = ScratchMLPClassifier(solver="lbfgs", random_state=0).fit(X, Y)
    assert_array_equal(clf.classes_, np.arange(4))
    proba = clf.predict_proba(X)
    assert proba.shape == Y.shape
    assert_array_equal(clf.predict(X), (proba > 0.5).astype(int))
    assert clf.decision_function(X).shape == Y.shape


def test_one_class_is_an_error():
    with pytest.raises(ValueError, match="at least 2 classes.*only one class: 3"):
        ScratchMLPClassifier().fit([[0.0], [1.0]], [3, 3])


def test_one_weighted_class_is_an_error():
    X = np.arange(8.0).reshape(4, 2)
    with pytest.raises(ValueError, match="Only one class has a non-zero sample_weight"):
        ScratchMLPClassifier().fit(X, [0, 1, 0, 1], sample_weight=[1, 0, 1, 0])


# -- sample weights ---------------------------------------------------------


def test_zero_weight_is_removing_the_row():
    X, y = make_classification(n_samples=60, random_state=0)
    sw = np.ones(60)
    sw[::3] = 0
    kept = sw > 0
    params = dict(solver="lbfgs", random_state=0, max_iter=50)
    weighted = fit_quietly(ScratchMLPClassifier(**params), X, y, sample_weight=sw)
    removed = fit_quietly(ScratchMLPClassifier(**params), X[kept], y[kept])
    assert_allclose(weighted.predict_proba(X), removed.predict_proba(X), rtol=1e-6)


# -- parameters -------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        dict(activation="softplus"),
        dict(solver="newton"),
        dict(alpha=-1.0),
        dict(learning_rate_init=0.0),
        dict(momentum=1.5),
        dict(batch_size=0),
        dict(max_iter=0),
        dict(loss="hinge"),
        dict(beta_1=1.0),
        dict(epsilon=0.0),
    ],
)
def test_invalid_parameters_raise_invalid_parameter_error(params):
    with pytest.raises(InvalidParameterError, match=next(iter(params))):
        ScratchMLPClassifier(**params).fit([[0.0], [1.0]], [0, 1])


@pytest.mark.parametrize("sizes", [0, (5, 0), (-3,), (2.5,), ("a",), (True,)])
def test_invalid_hidden_layer_sizes(sizes):
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        ScratchMLPClassifier(hidden_layer_sizes=sizes).fit([[0.0], [1.0]], [0, 1])


def test_no_hidden_layer_is_logistic_regression():
    # the mean log-loss plus alpha / (2 n) |W|^2 is LogisticRegression's
    # objective with C = 1 / alpha (its sum of log-losses plus |w|^2 / 2, over
    # n C), intercept unpenalised in both: the same convex problem, so the
    # same model once both have converged
    from sklearn.linear_model import LogisticRegression

    X, y = make_classification(n_samples=100, random_state=0)
    clf = ScratchMLPClassifier(
        hidden_layer_sizes=(), solver="lbfgs", alpha=1.0, max_iter=2000, tol=1e-10
    ).fit(X, y)
    assert clf.n_layers_ == 2 and [W.shape for W in clf.coefs_] == [(20, 1)]
    logistic = LogisticRegression(C=1.0, tol=1e-10, max_iter=10_000).fit(X, y)
    assert_allclose(clf.coefs_[0][:, 0], logistic.coef_[0], atol=1e-3)
    assert_allclose(clf.intercepts_[0], logistic.intercept_, atol=1e-3)
    assert_allclose(clf.predict_proba(X), logistic.predict_proba(X), atol=1e-3)


# -- the flat parameter vector ----------------------------------------------


def _assert_views_of_flat_vector(clf):
    for array in clf.coefs_ + clf.intercepts_:
        assert np.shares_memory(array, clf._params)
    # writing through a view changes the model
    before = clf.predict_proba([[0.5] * clf.n_features_in_])
    clf.intercepts_[-1][...] += 3.0
    after = clf.predict_proba([[0.5] * clf.n_features_in_])
    assert not np.allclose(before, after)
    clf.intercepts_[-1][...] -= 3.0


def test_coefs_are_views_after_fit_pickle_deepcopy_and_refit():
    X, y = make_classification(n_samples=80, random_state=0)
    clf = fit_quietly(ScratchMLPClassifier(max_iter=3, random_state=0), X, y)
    _assert_views_of_flat_vector(clf)
    restored = pickle.loads(pickle.dumps(clf))
    _assert_views_of_flat_vector(restored)
    assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    _assert_views_of_flat_vector(copy.deepcopy(clf))
    fit_quietly(clf, X[:40], y[:40])
    _assert_views_of_flat_vector(clf)


def test_same_seed_gives_bit_identical_parameters():
    X, y = make_classification(n_samples=300, random_state=0)
    a = fit_quietly(ScratchMLPClassifier(max_iter=5, random_state=7), X, y)
    b = fit_quietly(ScratchMLPClassifier(max_iter=5, random_state=7), X, y)
    assert a._params.tobytes() == b._params.tobytes()
    c = fit_quietly(ScratchMLPClassifier(max_iter=5, random_state=8), X, y)
    assert a._params.tobytes() != c._params.tobytes()


# -- training ---------------------------------------------------------------


def test_convergence_warning_when_max_iter_is_reached():
    X, y = make_classification(n_samples=50, random_state=0)
    with pytest.warns(ConvergenceWarning, match=r"Maximum iterations \(2\) reached"):
        ScratchMLPClassifier(max_iter=2).fit(X, y)
    with pytest.warns(ConvergenceWarning, match="lbfgs failed to converge"):
        ScratchMLPClassifier(solver="lbfgs", max_iter=2).fit(X, y)


def test_stops_when_the_loss_plateaus():
    X, y = make_classification(n_samples=100, random_state=0)
    clf = ScratchMLPClassifier(tol=1.0, n_iter_no_change=3, max_iter=100).fit(X, y)
    # tol=1: only the first epoch improves (on -inf); 3 more without
    # improvement are tolerated and the 4th fires the rule: 1 + 3 + 1 epochs.
    assert clf.n_iter_ == 5
    assert clf.best_loss_ == min(clf.loss_curve_)


def test_divergence_is_an_error_and_leaves_no_nan_model():
    X, y = make_classification(n_samples=100, random_state=0)
    # A linear hidden layer and a huge step: the loss grows ~1e13 per epoch
    # until it overflows (the plateau rule is kept from stopping it first).
    clf = ScratchMLPClassifier(
        activation="identity",
        solver="sgd",
        learning_rate_init=1e6,
        n_iter_no_change=200,
        random_state=0,
    )
    with pytest.raises(ValueError, match="diverged.*lower learning_rate_init"):
        clf.fit(X, y)
    assert not hasattr(clf, "coefs_")
    # a refit that diverges keeps the previous, finite model
    clf.set_params(learning_rate_init=1e-3, max_iter=2)
    fit_quietly(clf, X, y)
    previous = clf._params.copy()
    clf.set_params(learning_rate_init=1e6, max_iter=200)
    with pytest.raises(ValueError, match="diverged"):
        clf.fit(X, y)
    assert_array_equal(clf._params, previous)


def test_verbose_prints_one_line_per_epoch(capsys):
    X, y = make_classification(n_samples=50, random_state=0)
    fit_quietly(ScratchMLPClassifier(max_iter=3, verbose=True), X, y)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert all(re.fullmatch(r"Iteration \d, loss = \d+\.\d{8}", line) for line in lines)


def test_no_runtime_warning_on_huge_finite_input():
    X, y = make_classification(n_samples=50, random_state=0)
    clf = ScratchMLPClassifier(solver="lbfgs", random_state=0).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        proba = clf.predict_proba(X * 1e200)
        assert np.isfinite(proba).all()
        log_proba = clf.predict_log_proba(X * 1e200)
        assert not np.isnan(log_proba).any()


# -- prediction properties --------------------------------------------------


@pytest.fixture(scope="module")
def fitted_models():
    X2, y2 = make_classification(
        n_samples=80, n_features=4, n_informative=3, n_redundant=0, random_state=0
    )
    X3, y3 = make_classification(
        n_samples=120,
        n_features=4,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        random_state=0,
    )
    models = []
    for X, y in [(X2, y2), (X3, y3)]:
        for activation in ["logistic", "tanh", "relu", "identity"]:
            models.append(
                ScratchMLPClassifier(
                    hidden_layer_sizes=(6, 4),
                    activation=activation,
                    solver="lbfgs",
                    max_iter=60,
                    random_state=0,
                )
            )
            fit_quietly(models[-1], X, y)
    return models


rows = arrays(
    np.float64,
    st.tuples(st.integers(1, 30), st.just(4)),
    elements=st.floats(-30, 30, allow_nan=False),
)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 7), rows, st.integers(1, 7))
def test_prediction_properties(fitted_models, which, X, chunk):
    clf = fitted_models[which]
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), len(clf.classes_))
    assert np.all((proba >= 0) & (proba <= 1))
    assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    assert_array_equal(clf.predict(X), clf.classes_[np.argmax(proba, axis=1)])
    with np.errstate(divide="ignore"):
        log_proba = np.log(proba)
    representable = proba > 1e-300
    assert_allclose(
        clf.predict_log_proba(X)[representable],
        log_proba[representable],
        rtol=1e-9,
        atol=1e-12,
    )
    # Predicting in chunks gives the same answers as predicting all at once.
    chunked = np.vstack(
        [clf.predict_proba(X[i : i + chunk]) for i in range(0, len(X), chunk)]
    )
    assert_allclose(chunked, proba, rtol=1e-12, atol=1e-15)
    assert_array_equal(
        np.concatenate(
            [clf.predict(X[i : i + chunk]) for i in range(0, len(X), chunk)]
        ),
        clf.predict(X),
    )
