"""A fit is a transaction: a failed fit or refit leaves the estimator as it was.

What a user sees is tested: the old model predicts what it predicted, on the
columns it was fitted on, and an estimator that was never fitted stays unfitted.
"""

import warnings

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from sklearn.exceptions import ConvergenceWarning, NotFittedError

from sklearn_scratchnn import (
    ScratchMLPClassifier,
    ScratchMLPRegressor,
    TabularMLPClassifier,
    TabularMLPRegressor,
)
from sklearn_scratchnn.nn.network import Network

ESTIMATORS = {
    "ScratchMLPClassifier": lambda: ScratchMLPClassifier(
        hidden_layer_sizes=(8,), max_iter=5, random_state=0
    ),
    "ScratchMLPRegressor": lambda: ScratchMLPRegressor(
        hidden_layer_sizes=(8,), max_iter=5, random_state=0
    ),
    "TabularMLPClassifier": lambda: TabularMLPClassifier(
        hidden_layer_sizes=(8,), max_iter=4, random_state=0
    ),
    "TabularMLPRegressor": lambda: TabularMLPRegressor(
        hidden_layer_sizes=(8,), max_iter=4, random_state=0
    ),
}


def _table(columns, is_classifier, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.normal(size=(120, columns)), columns=list("abc")[:columns])
    y = X.sum(axis=1).to_numpy() + 100.0  # a mean far from 0, as y_mean_ shows
    return X, (y > 100.0).astype(int) if is_classifier else y


def _bad_sample_weight(X, y):
    return {"X": X, "y": y, "sample_weight": np.ones(len(X) - 1)}


def _missing_target(X, y):
    y = y.astype(float)
    y[3] = np.nan
    return {"X": X, "y": y}


def _validation_without_target(X, y):
    return {"X": X, "y": y, "X_val": X}


def _failure_in_training(X, y):
    return {"X": X, "y": y, "train_fails": True}


FAILURES = {
    "sample_weight of the wrong length": _bad_sample_weight,
    "a missing target": _missing_target,
    "X_val without y_val": _validation_without_target,
    "an error in the middle of training": _failure_in_training,
}


def _fit(estimator, X, y, **fit_params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return estimator.fit(X, y, **fit_params)


def _fails(estimator, monkeypatch, train_fails=False, **fit_params):
    if train_fails:

        def out_of_memory(*args, **kwargs):
            raise MemoryError("no memory for the next batch")

        monkeypatch.setattr(Network, "loss_and_gradient", out_of_memory)
    with pytest.raises((ValueError, MemoryError)):
        _fit(estimator, **fit_params)
    monkeypatch.undo()


def _skip_unless_supported(name, failure):
    if failure == "X_val without y_val" and name.startswith("Scratch"):
        pytest.skip("the Scratch estimators take no validation set")


@pytest.mark.parametrize("failure", FAILURES)
@pytest.mark.parametrize("name", ESTIMATORS)
def test_a_failed_refit_keeps_the_model_and_its_predictions(name, failure, monkeypatch):
    _skip_unless_supported(name, failure)
    is_classifier = name.endswith("Classifier")
    X, y = _table(3, is_classifier)
    estimator = _fit(ESTIMATORS[name](), X, y)
    before = estimator.predict(X)
    attributes = set(vars(estimator))
    # a refit on other columns: validation has written n_features_in_ and
    # feature_names_in_ (and the regressor its target's mean) before it fails
    X_narrow, y_narrow = _table(2, is_classifier, seed=1)
    _fails(estimator, monkeypatch, **FAILURES[failure](X_narrow, y_narrow))
    assert set(vars(estimator)) == attributes
    assert estimator.n_features_in_ == 3
    assert list(estimator.feature_names_in_) == ["a", "b", "c"]
    assert_array_equal(estimator.predict(X), before)
    with pytest.raises(ValueError, match="[Ff]eature"):
        estimator.predict(X_narrow)


@pytest.mark.parametrize("failure", FAILURES)
@pytest.mark.parametrize("name", ESTIMATORS)
def test_a_failed_first_fit_leaves_the_estimator_unfitted(name, failure, monkeypatch):
    _skip_unless_supported(name, failure)
    X, y = _table(3, name.endswith("Classifier"))
    estimator = ESTIMATORS[name]()
    _fails(estimator, monkeypatch, **FAILURES[failure](X, y))
    assert not [key for key in vars(estimator) if key.endswith("_")]
    with pytest.raises(NotFittedError):
        estimator.predict(X)
