"""The tabular models' snapshot ensemble: each network's best epoch averaged
with its weights at the ends of ``coslog4``'s four cycles, at no cost in
training."""

import numpy as np
import pytest
from helpers import fit_quietly
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import load_wine

from sklearn_scratchnn import TabularMLPClassifier, TabularMLPRegressor
from sklearn_scratchnn._fitting.targets import class_proba
from sklearn_scratchnn.nn import epochs as epoch_loop
from sklearn_scratchnn.nn.schedules import coslog4
from sklearn_scratchnn.tabular._network import snapshot_epochs

SMALL = dict(hidden_layer_sizes=(16,), max_iter=20, random_state=0)


def test_thesnapshot_epochs_end_coslog4s_cycles():
    assert snapshot_epochs(64) == {4, 13, 30, 64}
    assert snapshot_epochs(20) == {1, 4, 9, 20}
    assert snapshot_epochs(1) == {1}
    # each ends nearer the bottom of its cycle than the epochs beside it
    for epochs in (20, 64, 200):
        for epoch in snapshot_epochs(epochs):
            rate = coslog4(epoch / epochs)
            for beside in (epoch - 1, epoch + 1):
                if 0 < beside <= epochs:
                    assert rate < coslog4(beside / epochs)


@pytest.fixture
def recorded(monkeypatch):
    """The parameters after every epoch of every fit, as the loop has them."""
    seen = []
    one_epoch = epoch_loop._one_epoch

    def spy(loop, *args, **kwargs):
        ended = one_epoch(loop, *args, **kwargs)
        seen.append(loop.ws.params.copy())
        return ended

    monkeypatch.setattr(epoch_loop, "_one_epoch", spy)
    return seen


@pytest.mark.parametrize("Estimator", [TabularMLPClassifier, TabularMLPRegressor])
def test_members_are_the_best_epoch_then_the_cycle_ends(Estimator, recorded):
    X, y = load_wine(return_X_y=True)
    if Estimator is TabularMLPRegressor:
        X, y = X[:, 1:], X[:, 0]
    model = fit_quietly(Estimator(**SMALL), X, y)
    assert len(recorded) == 20
    best = model.best_epoch_
    assert_array_equal(model.network_._params, recorded[best - 1])
    expected = [e for e in sorted(snapshot_epochs(20)) if e != best]
    assert len(model.networks_) == 1 + len(expected)
    for member, epoch in zip(model.networks_[1:], expected, strict=True):
        assert_array_equal(member._params, recorded[epoch - 1])
    # predictions average the members, and training is the same without them
    Z = model._table_input(X)
    alone = fit_quietly(Estimator(**SMALL, snapshots=False), X, y)
    assert_array_equal(alone.network_._params, model.network_._params)
    if Estimator is TabularMLPClassifier:
        mean = np.mean([class_proba(*m.forward(Z)) for m in model.networks_], axis=0)
        assert_allclose(model.predict_proba(X), mean, rtol=1e-15)
    else:
        mean = np.mean([m.forward(Z)[1][:, 0] for m in model.networks_], axis=0)
        assert_allclose(model.predict(X), mean * model.y_scale_ + model.y_mean_)


def test_without_a_validation_split_the_kept_last_epoch_is_not_repeated():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 2))  # under 50 rows: no split, the last epoch
    y = (X[:, 0] > 0).astype(int)
    model = fit_quietly(TabularMLPClassifier(**SMALL), X, y)
    assert model.best_epoch_ is None
    assert len(model.networks_) == len(snapshot_epochs(20))  # 20 is kept


def test_an_ensemble_has_the_snapshots_of_each_member_for_any_n_jobs():
    X, y = load_wine(return_X_y=True)
    small = {**SMALL, "max_iter": 6, "n_ensemble": 2}
    serial = fit_quietly(TabularMLPClassifier(**small), X, y)
    parallel = fit_quietly(TabularMLPClassifier(**small, n_jobs=2), X, y)
    assert len(serial.networks_) > 2
    for ours, theirs in zip(serial.networks_, parallel.networks_, strict=True):
        assert_array_equal(ours._params, theirs._params)
