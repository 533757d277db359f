"""Bad tables for the tabular estimators, drawn by hypothesis.

Each draw either trains, or raises one ValueError or TypeError that names the
problem in the words of what the user made: never a private class of ours,
never the network's encoded width, and no warning on the side (every warning
is an error in this suite). A model that trains then refuses columns it was
not fitted on the same way.
"""

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sklearn_scratchnn import TabularMLPClassifier, TabularMLPRegressor

pd = pytest.importorskip("pandas")

PRIVATE = re.compile(r"\b_[A-Z]\w*")  # a private class name, e.g. _TableNetwork...
SMALL = dict(hidden_layer_sizes=(4,), max_iter=2, random_state=0)
COLUMN_KINDS = ["number", "text", "mixed", "all missing", "boolean", "number with inf"]


def _column(kind, n, rng):
    if kind == "number":
        values = rng.normal(size=n)
        values[rng.rand(n) < 0.2] = np.nan
        return values
    if kind == "number with inf":
        values = rng.normal(size=n)
        values[: max(n // 3, 1)] = rng.choice([np.inf, -np.inf])
        return values
    if kind == "text":
        return rng.choice(["a", "b", None], n).astype(object)
    if kind == "mixed":  # numbers and text in one object column
        return np.array([1.5 if i % 2 else "x" for i in range(n)], dtype=object)
    if kind == "all missing":
        return np.full(n, np.nan)
    return rng.rand(n) < 0.5  # boolean


@st.composite
def tables(draw):
    n = draw(st.integers(0, 14))
    kinds = draw(st.lists(st.sampled_from(COLUMN_KINDS), min_size=0, max_size=4))
    rng = np.random.RandomState(draw(st.integers(0, 2**16)))
    X = pd.DataFrame({f"c{j}": _column(k, n, rng) for j, k in enumerate(kinds)})
    if not kinds:
        X = pd.DataFrame(index=range(n))
    target = draw(st.sampled_from(["labels", "one label", "numbers", "nan", "inf"]))
    y = {
        "labels": rng.choice(["yes", "no"], n).astype(object),
        "one label": np.full(n, "yes", dtype=object),
        "numbers": rng.normal(size=n),
        "nan": np.where(rng.rand(n) < 0.5, np.nan, 1.0),
        "inf": np.where(rng.rand(n) < 0.5, np.inf, 1.0),
    }[target]
    return X, y, target


def _check_message(error, name):
    message = str(error)
    assert not PRIVATE.search(message), message
    assert message.strip(), f"{name} raised {type(error).__name__} with no message"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.sampled_from([TabularMLPClassifier, TabularMLPRegressor]))
def test_a_bad_table_trains_or_raises_one_clear_error(table, Estimator):
    X, y, target = table
    if Estimator is TabularMLPRegressor and target in ("labels", "one label"):
        y = np.where(y == "yes", 1.0, 0.0)  # numbers, or regression refuses them
    model = Estimator(**SMALL)
    try:
        model.fit(X, y)
    except (ValueError, TypeError) as error:
        _check_message(error, Estimator.__name__)
        return
    predicted = model.predict(X)
    assert len(predicted) == len(X)
    if X.shape[1] == 0:
        return
    for wrong in (X.iloc[:, :-1], X.rename(columns={X.columns[0]: "renamed"})):
        with pytest.raises(ValueError) as refused:
            model.predict(wrong)
        _check_message(refused.value, Estimator.__name__)
