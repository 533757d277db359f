"""The two families share the core, not each other: the tabular estimators
train the core's network through its one entry and never name, subclass or
hold a Scratch estimator."""

import ast
import re
from pathlib import Path

import numpy as np
import pytest
from helpers import fit_quietly
from sklearn.datasets import load_wine

from sklearn_scratchnn import (
    ScratchMLPClassifier,
    TabularMLPClassifier,
    TabularMLPRegressor,
)
from sklearn_scratchnn.nn import fit as core_fit
from sklearn_scratchnn.scratch._base import BaseScratchMLP
from sklearn_scratchnn.tabular import TrainedNetwork

TABULAR = Path(__file__).parents[2] / "sklearn_scratchnn" / "tabular"
SCRATCH_MODULES = {"_base", "_classifier", "_regressor", "_stochastic"}


def test_no_tabular_module_names_or_imports_a_scratch_estimator():
    for path in sorted(TABULAR.glob("*.py")):
        text = path.read_text()
        assert not re.search(r"ScratchMLP|BaseScratchMLP", text), path.name
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and node.level >= 2:
                module = (node.module or "").split(".")[0]
                assert module not in SCRATCH_MODULES, (path.name, module)


@pytest.mark.parametrize("Estimator", [TabularMLPClassifier, TabularMLPRegressor])
def test_the_tabular_estimators_are_no_scratch_estimators(Estimator):
    assert not issubclass(Estimator, BaseScratchMLP)
    X, y = load_wine(return_X_y=True)
    if Estimator is TabularMLPRegressor:
        X, y = X[:, 1:], X[:, 0]
    model = fit_quietly(Estimator(hidden_layer_sizes=(8,), max_iter=3), X, y)
    assert all(type(member) is TrainedNetwork for member in model.networks_)


def test_both_families_train_through_the_cores_one_entry(monkeypatch):
    """Every epoch of either family runs in ``nn/fit.py``'s ``train``: its
    epoch loop, spied on where that entry calls it."""
    calls = []
    loop = core_fit.train_epochs

    def spy(network, *args, **kwargs):
        calls.append(network)
        return loop(network, *args, **kwargs)

    monkeypatch.setattr(core_fit, "train_epochs", spy)
    X, y = load_wine(return_X_y=True)
    fit_quietly(ScratchMLPClassifier(max_iter=2, random_state=0), X, y)
    assert len(calls) == 1
    model = TabularMLPClassifier(
        hidden_layer_sizes=(8,), max_iter=2, n_ensemble=2, random_state=0
    )
    fit_quietly(model, X, y)
    assert len(calls) == 3  # one call a network of the ensemble
    trained = {id(network) for network in calls[1:]}
    assert trained == {id(member._network) for member in model.networks_}
    assert np.isfinite(model.predict_proba(X)).all()
