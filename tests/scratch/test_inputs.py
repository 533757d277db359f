"""Sparse and float32 input."""

import numpy as np
import pytest
import scipy.sparse as sp
from helpers import fit_quietly
from numpy.testing import assert_allclose
from sklearn.datasets import make_classification

from sklearn_scratchnn import ScratchMLPClassifier, ScratchMLPRegressor


@pytest.fixture(scope="module")
def sparse_data():
    rng = np.random.RandomState(0)
    X = sp.random(300, 40, density=0.1, format="csr", random_state=rng)
    y = (X @ rng.normal(size=40) > 0).astype(int)
    return X, y


@pytest.mark.parametrize("fmt", ["csr", "csc", "csr_array"])
@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
def test_sparse_and_dense_give_the_same_model(sparse_data, fmt, solver):
    X, y = sparse_data
    X_sparse = sp.csr_array(X) if fmt == "csr_array" else X.asformat(fmt)
    params = dict(solver=solver, max_iter=5, random_state=0)
    dense = fit_quietly(ScratchMLPClassifier(**params), X.toarray(), y)
    sparse = fit_quietly(ScratchMLPClassifier(**params), X_sparse, y)
    assert_allclose(sparse._params, dense._params, rtol=1e-9, atol=1e-12)
    assert_allclose(
        sparse.predict_proba(X_sparse), dense.predict_proba(X.toarray()), rtol=1e-9
    )


def test_sparse_fit_never_densifies_the_whole_matrix(sparse_data, monkeypatch):
    X, y = sparse_data

    def refuse(*args, **kwargs):
        raise AssertionError("the sparse matrix was densified")

    monkeypatch.setattr(sp.csr_matrix, "toarray", refuse)
    monkeypatch.setattr(sp.csr_matrix, "todense", refuse)
    clf = fit_quietly(ScratchMLPClassifier(max_iter=3, early_stopping=True), X, y)
    clf.predict_proba(X)


@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
@pytest.mark.parametrize("Estimator", [ScratchMLPClassifier, ScratchMLPRegressor])
def test_float32_stays_float32(solver, Estimator):
    X, y = make_classification(n_samples=200, random_state=0)
    X32 = X.astype(np.float32)
    est = fit_quietly(Estimator(solver=solver, max_iter=5, random_state=0), X32, y)
    assert est._params.dtype == np.float32
    assert all(a.dtype == np.float32 for a in est.coefs_ + est.intercepts_)
    assert est._state.optimizer is None or all(
        a.dtype == np.float32
        for a in vars(est._state.optimizer).values()
        if isinstance(a, np.ndarray)
    )
    out = est.predict_proba(X32) if hasattr(est, "predict_proba") else est.predict(X32)
    assert out.dtype == np.float32
    # and float32 training tracks float64 training
    est64 = fit_quietly(Estimator(solver=solver, max_iter=5, random_state=0), X, y)
    assert_allclose(est._params, est64._params, rtol=1e-3, atol=1e-4)


def test_float32_gradient_is_float32():
    from sklearn_scratchnn.nn.network import Network
    from sklearn_scratchnn.nn.training import batch_weights

    net = Network([3, 4, 2], "tanh", "softmax", "log_loss")
    params = np.random.RandomState(0).normal(size=net.n_params).astype(np.float32)
    grad = np.empty_like(params)
    ws = net.workspace(params, grad, 5)
    X = np.ones((5, 3), dtype=np.float32)
    y = np.eye(2, dtype=np.float32)[[0, 1, 0, 1, 1]]
    loss = net.loss_and_gradient(ws, X, y, *batch_weights(None, 5, 0.1))
    assert grad.dtype == np.float32 and np.isfinite(loss)
    rows = ws.rows(5)
    buffers = [b for layer in rows.buffers for b in layer if b is not None]
    assert all(b.dtype == np.float32 for b in [*buffers, rows.out, rows.out_delta])
