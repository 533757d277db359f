"""ScratchMLPRegressor: parity with sklearn's MLPRegressor, losses, outputs."""

import numpy as np
import pytest
from helpers import fit_quietly, needs_sklearn
from numpy.testing import assert_allclose
from sklearn.datasets import make_regression
from sklearn.neural_network import MLPRegressor

from sklearn_scratchnn import ScratchMLPRegressor


@pytest.fixture(scope="module")
def data():
    X, y = make_regression(
        n_samples=300, n_features=8, n_targets=2, noise=5.0, random_state=0
    )
    return X / X.std(axis=0), y / y.std(axis=0)


PARITY_CASES = [
    (params, n_outputs)
    for params in [
        dict(solver="adam"),
        dict(solver="sgd", learning_rate_init=0.01),
        dict(solver="lbfgs", max_iter=40),
        dict(solver="adam", activation="relu", hidden_layer_sizes=(10, 6)),
    ]
    for n_outputs in [1, 2]
    # sklearn's squared_error *value* is averaged over outputs while its
    # gradient is summed over them; its L-BFGS line search therefore sees an
    # inconsistent objective when there are several outputs (see below).
    if not (params["solver"] == "lbfgs" and n_outputs > 1)
]


@pytest.mark.parametrize("params, n_outputs", PARITY_CASES)
def test_same_training_as_sklearn_mlp_regressor(data, params, n_outputs):
    X, Y = data
    y = Y[:, 0] if n_outputs == 1 else Y
    params = {"activation": "tanh", "max_iter": 6, "random_state": 0, **params}
    ours = fit_quietly(ScratchMLPRegressor(**params), X, y)
    theirs = fit_quietly(MLPRegressor(**params), X, y)
    assert ours.n_iter_ == theirs.n_iter_
    assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-7, atol=1e-9)
    assert ours.predict(X).shape == y.shape


def test_multi_output_lbfgs_objective_is_consistent(data):
    """Our reported loss is the function whose gradient L-BFGS follows."""
    X, Y = data
    params = dict(activation="tanh", solver="lbfgs", max_iter=40, random_state=0)
    ours = fit_quietly(ScratchMLPRegressor(**params), X, Y)
    residual = ours.predict(X) - Y
    penalty = ours.alpha / (2 * len(X)) * sum((W**2).sum() for W in ours.coefs_)
    # half the mean over samples of the squared error summed over outputs
    assert_allclose(ours.loss_, 0.5 * (residual**2).sum(axis=1).mean() + penalty)
    theirs = fit_quietly(MLPRegressor(**params), X, Y)
    assert ours.score(X, Y) >= theirs.score(X, Y) - 1e-3


@needs_sklearn("1.7", "MLPRegressor(loss='poisson')")
def test_poisson_like_sklearn():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 4))
    y = rng.poisson(np.exp(0.5 * X[:, 0] - 0.3 * X[:, 1]))
    params = dict(loss="poisson", activation="tanh", max_iter=10, random_state=0)
    ours = fit_quietly(ScratchMLPRegressor(**params), X, y)
    theirs = fit_quietly(MLPRegressor(**params), X, y)
    assert ours.out_activation_ == theirs.out_activation_ == "exp"
    assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-7)
    assert np.all(ours.predict(X) > 0)


def test_poisson_rejects_negative_targets():
    with pytest.raises(ValueError, match="negative which is not allowed for Poisson"):
        ScratchMLPRegressor(loss="poisson").fit([[0.0], [1.0]], [1.0, -1.0])


def test_learns_a_smooth_function():
    rng = np.random.RandomState(0)
    X = rng.uniform(-2, 2, size=(400, 1))
    y = np.sin(X[:, 0])
    reg = ScratchMLPRegressor(
        hidden_layer_sizes=(20,), solver="lbfgs", random_state=0, max_iter=500
    ).fit(X, y)
    assert reg.score(X, y) > 0.999


def test_early_stopping_uses_r2():
    X, y = make_regression(n_samples=300, n_features=5, noise=1.0, random_state=0)
    reg = fit_quietly(
        ScratchMLPRegressor(
            early_stopping=True, learning_rate_init=0.01, random_state=0
        ),
        X,
        y / y.std(),
    )
    assert reg.best_validation_score_ == max(reg.validation_scores_)
    assert reg.best_validation_score_ > 0.9
