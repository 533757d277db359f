"""The tabular fit's arguments, as scikit-learn's HistGradientBoosting takes
them: ``fit(X, y, sample_weight=None, *, X_val=None, y_val=None,
sample_weight_val=None)``, each checked once and before any work, the
parameters under scikit-learn's ``_fit_context``."""

import numpy as np
import pandas as pd
import pytest
from helpers import fit_quietly
from sklearn import config_context

from sklearn_scratchnn import TabularMLPClassifier, TabularMLPRegressor

SMALL = dict(hidden_layer_sizes=(8,), max_iter=6, random_state=0)
ESTIMATORS = [TabularMLPClassifier, TabularMLPRegressor]


def _table(n=160, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    return X, (X["a"] > 0).astype(int).to_numpy()


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_the_validation_set_is_keyword_only(Estimator):
    X, y = _table()
    with pytest.raises(TypeError, match="positional"):
        Estimator(**SMALL).fit(X, y, None, X, y)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_parameters_are_checked_once_and_skipped_as_scikit_learn_is_told(
    Estimator, monkeypatch
):
    X, y = _table()
    calls = []
    validate = Estimator._validate_params
    monkeypatch.setattr(
        Estimator, "_validate_params", lambda self: calls.append(1) or validate(self)
    )
    fit_quietly(Estimator(**SMALL), X, y)
    assert len(calls) == 1
    with config_context(skip_parameter_validation=True):
        fit_quietly(Estimator(**SMALL), X, y)
    assert len(calls) == 1  # set_config(skip_parameter_validation=True) holds


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_a_lone_X_val_is_refused_before_the_table_is_read(Estimator):
    X, y = _table()
    X.loc[0, "a"] = np.inf  # what preprocessing would refuse, had it started
    with pytest.raises(ValueError, match="X_val and y_val go together"):
        Estimator(**SMALL).fit(X, y, X_val=X)
    with pytest.raises(ValueError, match="X_val and y_val go together"):
        Estimator(**SMALL).fit(X, y, y_val=y)


@pytest.mark.parametrize("Estimator", ESTIMATORS)
@pytest.mark.parametrize(
    "given, message",
    [
        ({"sample_weight_val": np.ones(40)}, "sample_weight_val weighs the rows"),
        ({"with_val": True, "sample_weight_val": np.ones(39)}, "inconsistent|shape"),
        ({"with_val": True, "sample_weight_val": -np.ones(40)}, "Negative values"),
        ({"with_val": True, "y_val": np.zeros(39)}, "inconsistent numbers"),
    ],
)
def test_bad_validation_arguments_say_what_is_wrong(Estimator, given, message):
    X, y = _table()
    given = dict(given)
    if given.pop("with_val", False):
        given = {"X_val": X[:40], "y_val": y[:40], **given}
    with pytest.raises(ValueError, match=message):
        Estimator(**SMALL).fit(X, y, **given)


def test_sample_weight_val_weighs_the_validation_score():
    """Validate on rows half of which carry flipped labels: weighing only the
    true half scores the model high, only the flipped half low, all of them
    between."""
    X, y = _table(400)
    X_val, y_val = _table(200, seed=1)
    y_val = y_val.copy()
    flipped = np.arange(200) >= 100
    y_val[flipped] = 1 - y_val[flipped]
    final = {}
    for name, weights in [
        ("true rows", (~flipped).astype(float)),
        ("all rows", None),
        ("flipped rows", flipped.astype(float)),
    ]:
        model = fit_quietly(
            TabularMLPClassifier(**SMALL, snapshots=False),
            X,
            y,
            X_val=X_val,
            y_val=y_val,
            sample_weight_val=weights,
        )
        final[name] = model.validation_scores_[-1]
    assert final["true rows"] > 0.8 > final["all rows"] > 0.2 > final["flipped rows"]
    # the same rows unweighted: the weights of the others are what differs
    truth = fit_quietly(
        TabularMLPClassifier(**SMALL, snapshots=False),
        X,
        y,
        X_val=X_val[~flipped],
        y_val=y_val[~flipped],
    )
    assert truth.validation_scores_ == pytest.approx(
        fit_quietly(
            TabularMLPClassifier(**SMALL, snapshots=False),
            X,
            y,
            X_val=X_val,
            y_val=y_val,
            sample_weight_val=(~flipped).astype(float),
        ).validation_scores_
    )
