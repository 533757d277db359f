"""The tabular models' training plan and precision, set from the table's rows
(``sklearn_scratchnn/tabular/_plan.py``): the rule at a tiny, a medium and a
large row count, and its way into a fit, without training on a large table."""

import math

import numpy as np
import pytest
from helpers import fit_quietly

from sklearn_scratchnn import TabularMLPClassifier, TabularMLPRegressor
from sklearn_scratchnn.tabular import _plan
from sklearn_scratchnn.tabular._plan import network_dtype, training_plan


def _steps(n_rows, epochs, batch, validation_fraction=0.2):
    return epochs * math.ceil(n_rows * (1 - validation_fraction) / batch)


@pytest.mark.parametrize("n_rows", [30, 3_000, 10_000])
def test_tables_up_to_the_reference_train_the_recipe_plan(n_rows):
    assert training_plan(n_rows, 64, "auto") == (64, 256)
    assert training_plan(n_rows, 20, 100) == (20, 100)


def test_a_large_table_trains_as_many_steps_in_larger_batches():
    # 1,000,000 rows: s = 10, so 7 epochs (ceil(6.4)) of 2,560 rows
    epochs, batch = training_plan(1_000_000, 64, "auto")
    assert (epochs, batch) == (7, 2560)
    reference = _steps(10_000, 64, 256)
    assert reference <= _steps(1_000_000, epochs, batch) <= 1.1 * reference
    # the cost, steps times batch, grows as sqrt(rows): 10 times, not 100
    ratio = _steps(1_000_000, epochs, batch) * batch / (reference * 256)
    assert 10 <= ratio <= 11


def test_between_the_two_the_plan_grows_smoothly():
    plans = [training_plan(n, 64, "auto") for n in range(10_000, 400_001, 5_000)]
    epochs, batches = zip(*plans, strict=True)
    assert list(epochs) == sorted(epochs, reverse=True)
    assert list(batches) == sorted(batches)
    assert epochs[-1] == math.ceil(64 / math.sqrt(40)) and batches[-1] == 1619


def test_a_given_batch_is_kept_and_a_fixed_budget_keeps_everything():
    assert training_plan(40_000, 64, 512) == (32, 512)  # s = 2: epochs only
    assert training_plan(40_000, 64, "auto", budget="fixed") == (64, 256)
    assert training_plan(40_000, 64, 100, budget="fixed") == (64, 100)
    # s = sqrt(10^5) = 316.2: never 0 epochs
    assert training_plan(10**9, 1, "auto") == (1, 80954)


def test_auto_precision_is_float32_from_a_thousand_rows():
    assert network_dtype("auto", 999) == np.float64
    assert network_dtype("auto", 1_000) == np.float32
    assert network_dtype("float64", 10**6) == np.float64
    assert network_dtype("float32", 10) == np.float32


@pytest.mark.parametrize("Estimator", [TabularMLPClassifier, TabularMLPRegressor])
def test_the_plan_reaches_the_network(Estimator, monkeypatch):
    """With the reference at 100 rows, 400 rows are a 'large' table: s = 2,
    so half the epochs, in batches of 512 (all 320 training rows)."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(400, 3))
    y = (X[:, 0] > 0).astype(int)
    monkeypatch.setattr(_plan, "REFERENCE_ROWS", 100)
    small = dict(hidden_layer_sizes=(8,), max_iter=6, random_state=0)
    model = fit_quietly(Estimator(**small), X, y)
    assert model.n_iter_ == 3 and model.network_.batch_size == 512
    fixed = fit_quietly(Estimator(**small, budget="fixed"), X, y)
    assert fixed.n_iter_ == 6 and fixed.network_.batch_size == 256
    given = fit_quietly(Estimator(**small, batch_size=64), X, y)
    assert given.n_iter_ == 3 and given.network_.batch_size == 64


def test_auto_precision_follows_the_rows_into_fit_and_predict():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(1_000, 2))
    y = (X[:, 0] > X[:, 1]).astype(int)
    small = dict(hidden_layer_sizes=(8,), max_iter=2, random_state=0)
    large = fit_quietly(TabularMLPClassifier(**small), X, y)
    assert large.network_.coefs_[0].dtype == np.float32
    assert large.predict_proba(X).dtype == np.float32
    below = fit_quietly(TabularMLPClassifier(**small), X[:999], y[:999])
    assert below.network_.coefs_[0].dtype == np.float64
    assert below.predict_proba(X).dtype == np.float64
