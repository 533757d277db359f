"""Scaling out: a dask cluster, data larger than memory, dask-ml."""

import time
import tracemalloc
import warnings

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

from sklearn_scratchnn import ScratchMLPClassifier

GRID = {"hidden_layer_sizes": [(8,), (32,)], "learning_rate_init": [1e-3, 1e-2]}


def _search(X, y):
    return GridSearchCV(ScratchMLPClassifier(max_iter=30, random_state=0), GRID, cv=3)


def test_grid_search_on_a_dask_cluster_matches_the_local_one():
    joblib = pytest.importorskip("joblib")
    distributed = pytest.importorskip("distributed")
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        local = _search(X, y).fit(X, y)
        with (
            distributed.LocalCluster(
                n_workers=2,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            ) as cluster,
            distributed.Client(cluster),
        ):
            start = time.perf_counter()
            with joblib.parallel_config(backend="dask"):
                remote = _search(X, y).fit(X, y)
            elapsed = time.perf_counter() - start
    print(f"dask grid search (12 fits on 2 worker processes): {elapsed:.1f} s")
    assert remote.best_params_ == local.best_params_
    assert_array_equal(
        remote.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"]
    )


def test_partial_fit_over_a_memmap_larger_than_what_it_allocates(tmp_path):
    n, d, chunk = 400_000, 100, 20_000  # 160 MB of float32 on disk
    path = tmp_path / "X.f32"
    X = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(n, d))
    rng = np.random.default_rng(0)
    for start in range(0, n, chunk):
        X[start : start + chunk] = rng.standard_normal((chunk, d), dtype=np.float32)
    y = (X[:, 0] + X[:, 1] > 0).astype(np.int64)
    X.flush()
    del X
    X = np.load(path, mmap_mode="r")  # read back chunk by chunk, never in full

    clf = ScratchMLPClassifier(
        hidden_layer_sizes=(16,), learning_rate_init=0.01, random_state=0
    )
    tracemalloc.start()
    for start in range(0, n, chunk):
        rows = slice(start, start + chunk)
        clf.partial_fit(X[rows], y[rows], classes=[0, 1])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    file_bytes = n * d * 4
    print(
        f"memmap of {file_bytes / 2**20:.0f} MB: peak allocation {peak / 2**20:.1f} MB"
    )
    assert peak < 0.1 * file_bytes
    assert clf._params.dtype == np.float32
    assert clf.score(X[:20_000], y[:20_000]) > 0.95


def test_dask_ml_incremental_over_a_chunked_array():
    da = pytest.importorskip("dask.array")
    wrappers = pytest.importorskip("dask_ml.wrappers")
    X = da.random.RandomState(0).normal(size=(6_000, 4), chunks=1_000)
    y = (X[:, 0] > 0).astype(int)
    inc = wrappers.Incremental(
        ScratchMLPClassifier(learning_rate_init=0.01, random_state=0),
        scoring="accuracy",
    )
    inc.fit(X, y, classes=[0, 1])
    # one partial_fit per chunk: six epochs of the wrapped estimator's loss curve
    assert len(inc.estimator_.loss_curve_) == 6
    assert inc.score(X, y) > 0.9
