"""A tabular model is the same model whatever trains or carries it: ``n_jobs``
on joblib's process backend, a dask cluster, pickle and deepcopy.

joblib's default (loky) backend pickles each trained network in a worker
process and unpickles it here; a network that did not pickle whole came back
as a plain network wearing the recipe's parameters. So these tests compare
what a user sees, the predictions, never the parameters alone.
"""

import copy
import pickle

import numpy as np
import pytest
from helpers import fit_quietly
from joblib import parallel_config
from numpy.testing import assert_array_equal

from sklearn_scratchnn import TabularMLPClassifier, TabularMLPRegressor

# every layer of the recipe on: the periodic embedding, the scaling layer,
# parametric activations in the NTK parametrisation, and (the 12-level text
# column) a categorical embedding
SMALL = dict(hidden_layer_sizes=(8,), max_iter=6, random_state=0)


@pytest.fixture(scope="module")
def table():
    pd = pytest.importorskip("pandas")
    rng = np.random.RandomState(0)
    n = 160
    x = rng.normal(size=(n, 3))
    city = rng.choice([f"c{i}" for i in range(12)], size=n).astype(object)
    colour = rng.choice(["red", "blue", "green"], size=n).astype(object)
    x[rng.rand(n) < 0.1, 1] = np.nan
    colour[rng.rand(n) < 0.1] = None
    frame = pd.DataFrame(
        {"a": x[:, 0], "b": x[:, 1], "c": x[:, 2], "city": city, "colour": colour}
    )
    score = x[:, 0] - np.nan_to_num(x[:, 1]) + (city == "c3") + (colour == "red")
    return frame, score


def _targets(Estimator, score):
    if Estimator is TabularMLPClassifier:
        return np.where(score > 0.5, "yes", np.where(score > -0.5, "maybe", "no"))
    return 10.0 * score


def _predictions(model, X):
    if hasattr(model, "predict_proba"):
        return model.predict(X), model.predict_proba(X)
    return (model.predict(X),)


def _assert_same_predictions(model, other, X):
    for ours, theirs in zip(
        _predictions(model, X), _predictions(other, X), strict=True
    ):
        assert_array_equal(ours, theirs)


KINDS = [
    dict(n_ensemble=3),
    dict(n_ensemble=2, ensemble="shared"),
    dict(n_ensemble=1, snapshots=True),
]


@pytest.mark.parametrize("Estimator", [TabularMLPClassifier, TabularMLPRegressor])
@pytest.mark.parametrize("kind", KINDS, ids=["independent", "shared", "one"])
def test_n_jobs_on_processes_predicts_as_one_job(table, Estimator, kind):
    X, score = table
    y = _targets(Estimator, score)
    one = fit_quietly(Estimator(**SMALL, **kind), X, y)
    with parallel_config(backend="loky"):  # joblib's default, said out loud
        two = fit_quietly(Estimator(**SMALL, **kind, n_jobs=2), X, y)
    _assert_same_predictions(one, two, X)
    # and the model learnt something: it is not the broken one that came
    # back from the workers before
    baseline = 0.5 if Estimator is TabularMLPClassifier else 0.3
    assert one.score(X, y) > baseline


@pytest.mark.parametrize("Estimator", [TabularMLPClassifier, TabularMLPRegressor])
def test_an_ensemble_on_a_dask_cluster_predicts_as_one_job(table, Estimator):
    distributed = pytest.importorskip("distributed")
    X, score = table
    y = _targets(Estimator, score)
    one = fit_quietly(Estimator(**SMALL, n_ensemble=2), X, y)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
        parallel_config(backend="dask"),
    ):
        remote = fit_quietly(Estimator(**SMALL, n_ensemble=2, n_jobs=2), X, y)
    _assert_same_predictions(one, remote, X)


def _fitted_attributes(model):
    return [
        name for name in vars(model) if name.endswith("_") and not name.startswith("_")
    ]


@pytest.mark.parametrize("Estimator", [TabularMLPClassifier, TabularMLPRegressor])
@pytest.mark.parametrize("kind", KINDS, ids=["independent", "shared", "one"])
@pytest.mark.parametrize(
    "carry",
    [lambda v: pickle.loads(pickle.dumps(v)), copy.deepcopy],
    ids=["pickle", "deepcopy"],
)
def test_every_fitted_attribute_survives_pickle_and_copies(
    table, Estimator, kind, carry
):
    X, score = table
    y = _targets(Estimator, score)
    model = fit_quietly(Estimator(**SMALL, **kind), X, y)
    names = _fitted_attributes(model)
    assert {"network_", "networks_", "preprocessor_"} <= set(names)
    for name in names:
        other = copy.copy(model)
        setattr(other, name, carry(getattr(model, name)))
        if name == "network_":  # the first of networks_, carried alone
            other.networks_ = [other.network_, *model.networks_[1:]]
        _assert_same_predictions(model, other, X)
    # the weights come back as views of the parameters, not as copies
    for network in [*carry(model).networks_, *carry(model.networks_)]:
        assert np.shares_memory(network.coefs_[0], network._params)
    _assert_same_predictions(model, carry(model), X)
    Z = model.preprocessor_.transform(X)
    for ours, theirs in zip(model.networks_, carry(model.networks_), strict=True):
        assert_array_equal(ours.forward(Z)[1], theirs.forward(Z)[1])
