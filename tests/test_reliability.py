"""Guarantees: determinism, concurrency, no leaks, nothing half-written."""

import pickle
import threading
import tracemalloc

import numpy as np
import pytest
from helpers import fit_quietly
from numpy.testing import assert_array_equal
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV

from sklearn_scratchnn import ScratchMLPClassifier, ScratchMLPRegressor


@pytest.fixture(scope="module")
def data():
    return make_classification(
        n_samples=300, n_features=8, n_informative=5, n_classes=3, random_state=0
    )


@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
def test_same_seed_same_bits_across_fits_and_pickling(data, solver):
    X, y = data
    est = ScratchMLPClassifier(
        solver=solver, max_iter=20, random_state=5, early_stopping=solver != "lbfgs"
    )
    first = fit_quietly(clone(est), X, y)
    second = fit_quietly(clone(est), X, y)
    assert first._params.tobytes() == second._params.tobytes()
    restored = pickle.loads(pickle.dumps(first))
    assert restored._params.tobytes() == first._params.tobytes()
    assert restored.predict_proba(X).tobytes() == first.predict_proba(X).tobytes()
    refit = fit_quietly(
        restored, X, y
    )  # refitting the unpickled model: same bits again
    assert refit._params.tobytes() == first._params.tobytes()


def test_grid_search_in_two_processes_is_deterministic(data):
    X, y = data
    grid = {"hidden_layer_sizes": [(5,), (10,)], "learning_rate_init": [1e-3, 1e-2]}
    searches = [
        fit_quietly(
            GridSearchCV(
                ScratchMLPClassifier(max_iter=30, random_state=0), grid, cv=3, n_jobs=2
            ),
            X,
            y,
        )
        for _ in range(2)
    ]
    assert_array_equal(
        searches[0].cv_results_["mean_test_score"],
        searches[1].cv_results_["mean_test_score"],
    )
    # the model refitted by the search is bit-identical to a direct fit
    direct = fit_quietly(
        ScratchMLPClassifier(max_iter=30, random_state=0, **searches[0].best_params_),
        X,
        y,
    )
    assert searches[0].best_estimator_._params.tobytes() == direct._params.tobytes()


@pytest.mark.parametrize("Estimator", [ScratchMLPClassifier, ScratchMLPRegressor])
def test_eight_threads_predict_exactly_as_one(data, Estimator):
    X, y = data
    est = fit_quietly(
        Estimator(max_iter=10, random_state=0),
        X,
        y.astype(float) if Estimator is ScratchMLPRegressor else y,
    )
    method = est.predict_proba if hasattr(est, "predict_proba") else est.predict
    rng = np.random.RandomState(0)
    # row counts on both sides of the blocked-prediction threshold (1024)
    inputs = [rng.normal(size=(n, X.shape[1])) for n in (1, 7, 300, 2500) * 2]
    expected = [method(x) for x in inputs]
    results = [None] * len(inputs)
    barrier = threading.Barrier(len(inputs))

    def work(i):
        barrier.wait()
        for _ in range(20):
            out = method(inputs[i])
            assert results[i] is None or np.array_equal(out, results[i])
            results[i] = out

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(inputs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for got, want in zip(results, expected, strict=True):
        assert_array_equal(got, want)


def test_no_memory_growth_over_1000_fit_predict_cycles():
    X, y = make_classification(n_samples=40, n_features=4, random_state=0)
    est = ScratchMLPClassifier(
        hidden_layer_sizes=(5,), solver="sgd", max_iter=2, random_state=0
    )

    def cycle():
        fit_quietly(est, X, y)
        est.predict_proba(X)

    for _ in range(100):  # warm up caches, imports, interned objects
        cycle()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for _ in range(1000):
        cycle()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    growth = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    assert growth < 256 * 1024, f"memory grew by {growth} bytes over 1000 cycles"


def test_failed_fit_leaves_the_estimator_exactly_as_it_was(data):
    X, y = data
    est = fit_quietly(ScratchMLPClassifier(max_iter=3, random_state=0), X, y)
    fitted = {k: v for k, v in vars(est).items() if k.endswith("_") or k[0] == "_"}
    state = {
        k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in fitted.items()
    }
    X_wide = np.hstack([X, X])
    with pytest.raises(ValueError, match="diverged"):
        est.set_params(
            activation="identity",
            solver="sgd",
            learning_rate_init=1e6,
            n_iter_no_change=1000,
            max_iter=500,
        ).fit(X_wide * 1e3, y)
    for key, value in state.items():
        if isinstance(value, np.ndarray):
            assert_array_equal(getattr(est, key), value)
        else:
            assert getattr(est, key) is value or getattr(est, key) == value, key
    assert est.n_features_in_ == X.shape[1]
    est.set_params(activation="logistic", solver="adam", learning_rate_init=1e-3)
    assert est.predict(X).shape == y.shape  # still the old, working model
