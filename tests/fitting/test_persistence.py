"""Saved models: plain-data state, one type to trust, files that keep loading."""

import copy
import io
import pickle
from pathlib import Path

import joblib
import numpy as np
import pytest
from helpers import fit_quietly, needs_sklearn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import clone
from sklearn.datasets import make_classification

from sklearn_scratchnn import (
    ScratchMLPClassifier,
    ScratchMLPRegressor,
    TabularMLPClassifier,
    TabularMLPRegressor,
)
from sklearn_scratchnn._fitting.persistence import FORMAT_KEY, FORMAT_VERSION

SAVED = Path(__file__).parents[1] / "data" / "saved_models"
X, y = make_classification(
    n_samples=120, n_features=5, n_informative=3, n_classes=3, random_state=0
)
LABELS = np.array(["ant", "bee", "cat"])[y]
TARGETS = {ScratchMLPClassifier: LABELS, ScratchMLPRegressor: X[:, 0] - X[:, 1]}


def _skops_round_trip(model):
    sio = pytest.importorskip("skops.io")
    data = sio.dumps(model)
    return sio.loads(data, trusted=sio.get_untrusted_types(data=data))


def _joblib_round_trip(model):
    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    buffer.seek(0)
    return joblib.load(buffer)


ROUND_TRIPS = {
    "pickle": lambda model: pickle.loads(pickle.dumps(model)),
    "joblib": _joblib_round_trip,
    "deepcopy": copy.deepcopy,
    "skops": _skops_round_trip,
}

CONFIGS = {
    "adam": dict(solver="adam"),
    "sgd": dict(solver="sgd", learning_rate="adaptive"),
    "lbfgs": dict(solver="lbfgs"),
    "early-stopping": dict(solver="adam", early_stopping=True),
}


def _fitted(Estimator, config, **extra):
    params = dict(hidden_layer_sizes=(6,), max_iter=8, random_state=0)
    model = Estimator(**{**params, **CONFIGS[config], **extra})
    return fit_quietly(model, X, TARGETS[Estimator])


def _predictions(model):
    if isinstance(model, ScratchMLPClassifier):
        return model.predict_proba(X)
    return model.predict(X)


def _train_on(model):
    """Train a little more: partial_fit, or a warm-started fit for lbfgs."""
    if model.solver == "lbfgs":
        return fit_quietly(model.set_params(warm_start=True), X, TARGETS[type(model)])
    return model.partial_fit(X, TARGETS[type(model)])


@pytest.mark.parametrize("how", ROUND_TRIPS)
@pytest.mark.parametrize("config", CONFIGS)
@pytest.mark.parametrize("Estimator", TARGETS, ids=lambda e: e.__name__)
def test_round_trip_predicts_and_trains_on_bit_identically(Estimator, config, how):
    model = _fitted(Estimator, config)
    restored = ROUND_TRIPS[how](model)
    assert _predictions(restored).tobytes() == _predictions(model).tobytes()
    # the views are views of the restored flat vector, not copies
    assert np.shares_memory(restored.coefs_[0], restored._params)
    assert np.shares_memory(restored.intercepts_[-1], restored._params)
    # training goes on exactly where it stopped (optimizer moments, counters,
    # stopping rule and learning rate included)
    _train_on(model)
    _train_on(restored)
    assert restored._params.tobytes() == model._params.tobytes()
    assert restored.loss_curve_ == model.loss_curve_
    assert restored.n_iter_ == model.n_iter_


@pytest.mark.parametrize("Estimator", TARGETS, ids=lambda e: e.__name__)
def test_writing_into_a_restored_view_changes_the_model(Estimator):
    restored = pickle.loads(pickle.dumps(_fitted(Estimator, "adam")))
    before = _predictions(restored)
    restored.coefs_[-1][...] = 0.0
    restored.intercepts_[-1][...] = 0.0
    assert not np.array_equal(_predictions(restored), before)


@pytest.mark.parametrize("config", CONFIGS)
@pytest.mark.parametrize("Estimator", TARGETS, ids=lambda e: e.__name__)
def test_clone_of_a_fitted_model_fits_the_same_model(Estimator, config):
    model = _fitted(Estimator, config)
    twin = clone(model)
    assert not hasattr(twin, "coefs_")
    fit_quietly(twin, X, TARGETS[Estimator])
    assert twin._params.tobytes() == model._params.tobytes()


# -- what a skops file asks its reader to trust -----------------------------------


@pytest.mark.parametrize(
    "Estimator, config, extra",
    [
        (ScratchMLPClassifier, "adam", {}),
        (ScratchMLPClassifier, "sgd", {}),
        (ScratchMLPClassifier, "lbfgs", {}),
        (ScratchMLPClassifier, "early-stopping", {"class_weight": "balanced"}),
        (ScratchMLPClassifier, "adam", {"class_weight": {"ant": 2.0}}),
        (ScratchMLPRegressor, "adam", {}),
        (ScratchMLPRegressor, "sgd", {}),
        (ScratchMLPRegressor, "lbfgs", {}),
        (ScratchMLPRegressor, "early-stopping", {}),
    ],
)
def test_skops_trusts_exactly_the_estimator_class(Estimator, config, extra):
    sio = pytest.importorskip("skops.io")
    model = _fitted(Estimator, config, **extra)
    data = sio.dumps(model)
    name = f"{Estimator.__module__}.{Estimator.__name__}"
    assert sio.get_untrusted_types(data=data) == [name]
    with pytest.raises(Exception, match="[Uu]ntrusted"):
        sio.loads(data)  # nothing is built until the type is trusted
    restored = sio.loads(data, trusted=[name])
    assert _predictions(restored).tobytes() == _predictions(model).tobytes()


# -- the format version ------------------------------------------------------------


def _any_fitted(Estimator):
    """A small fitted model of any of the four estimators."""
    if Estimator in TARGETS:
        return _fitted(Estimator, "adam")
    model = Estimator(hidden_layer_sizes=(6,), max_iter=4, random_state=0)
    target = LABELS if Estimator is TabularMLPClassifier else X[:, 0] - X[:, 1]
    return fit_quietly(model, X, target)


FOUR = [ScratchMLPClassifier, ScratchMLPRegressor, TabularMLPClassifier,
        TabularMLPRegressor]  # fmt: skip


@pytest.mark.parametrize("Estimator", FOUR, ids=lambda e: e.__name__)
def test_a_newer_format_is_refused_with_both_versions(Estimator):
    state = pickle.loads(pickle.dumps(_any_fitted(Estimator))).__getstate__()
    assert state[FORMAT_KEY] == FORMAT_VERSION  # both families save their format
    state[FORMAT_KEY] = FORMAT_VERSION + 1
    blank = Estimator.__new__(Estimator)
    message = (
        f"This {Estimator.__name__} was saved in model format version "
        f"{FORMAT_VERSION + 1}.*reads format versions up to {FORMAT_VERSION}"
    )
    with pytest.raises(ValueError, match=message):
        blank.__setstate__(state)


@pytest.mark.parametrize("Estimator", FOUR, ids=lambda e: e.__name__)
def test_a_parameter_a_saved_model_predates_gets_its_default(Estimator):
    model = _any_fitted(Estimator)
    state = model.__getstate__()
    del state["batch_size"]  # as if saved before the parameter existed
    restored = Estimator.__new__(Estimator)
    restored.__setstate__(state)
    assert restored.get_params()["batch_size"] == Estimator().batch_size
    predict = "predict_proba" if hasattr(model, "classes_") else "predict"
    assert_array_equal(getattr(restored, predict)(X), getattr(model, predict)(X))


def test_an_unversioned_state_is_refused_with_advice():
    # development builds before the first release pickled their objects whole
    state = _fitted(ScratchMLPClassifier, "adam").__getstate__()
    del state[FORMAT_KEY]
    blank = ScratchMLPClassifier.__new__(ScratchMLPClassifier)
    with pytest.raises(ValueError, match="older than its first release.*Fit the"):
        blank.__setstate__(state)


def test_an_unfitted_estimator_round_trips():
    model = ScratchMLPRegressor(hidden_layer_sizes=(3, 2), alpha=0.5)
    restored = pickle.loads(pickle.dumps(model))
    assert restored.get_params() == model.get_params()
    assert not hasattr(restored, "coefs_")


# -- files saved by earlier versions -------------------------------------------------


def _recorded(name):
    return np.load(SAVED / f"{name}.npz")


def _check_loads_as_recorded(model, name):
    recorded = _recorded(name)
    if isinstance(model, ScratchMLPClassifier):
        predictions = model.predict_proba(recorded["X"])
    else:
        predictions = model.predict(recorded["X"])
    # other NumPy/BLAS builds may round the last bit differently
    assert_allclose(predictions, recorded["predictions"], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", ["format1_classifier", "format1_regressor"])
def test_committed_skops_files_load_and_predict_as_recorded(name):
    sio = pytest.importorskip("skops.io")
    path = SAVED / f"{name}.skops"
    untrusted = sio.get_untrusted_types(file=path)
    assert len(untrusted) == 1 and untrusted[0].startswith("sklearn_scratchnn.")
    _check_loads_as_recorded(sio.load(path, trusted=untrusted), name)


@pytest.mark.skipif(
    np.lib.NumpyVersion(np.__version__) < "2.0.0",
    reason="the committed pickles were written by NumPy 2, whose pickles need "
    "NumPy >= 2 to load (skops files have no such limit)",
)
@pytest.mark.parametrize("name", ["format1_classifier", "format1_regressor"])
def test_committed_pickles_load_and_predict_as_recorded(name):
    model = pickle.loads((SAVED / f"{name}.pickle").read_bytes())
    _check_loads_as_recorded(model, name)
    assert np.shares_memory(model.coefs_[0], model._params)


@pytest.mark.skipif(
    np.lib.NumpyVersion(np.__version__) < "2.0.0",
    reason="the committed pickles were written by NumPy 2",
)
@pytest.mark.parametrize("name", ["format1_classifier"])
def test_committed_adam_pickles_train_on(name):
    # a loaded optimizer takes up its saved moments and goes on stepping
    model = pickle.loads((SAVED / f"{name}.pickle").read_bytes())
    X = _recorded(name)["X"]
    optimizer = model._state.optimizer
    t, m, v = optimizer.t, optimizer.m.copy(), optimizer.v.copy()
    model.partial_fit(X, model.predict(X))
    optimizer = model._state.optimizer
    assert optimizer.t > t
    # the first step decays the saved moments: b1 m + (1 - b1) g differs from m
    assert not np.array_equal(optimizer.m, m) and not np.array_equal(optimizer.v, v)
    assert np.all(np.isfinite(model._params))


# -- the saved state is plain data ------------------------------------------------

PLAIN_SCALARS = (str, int, float, bool, type(None), np.number, np.bool_)


def _plain(value):
    if isinstance(value, PLAIN_SCALARS):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype != object or all(_plain(v) for v in value.flat)
    if isinstance(value, (list, tuple)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    Estimator=st.sampled_from(list(TARGETS)),
    config=st.sampled_from(list(CONFIGS)),
    hidden=st.lists(st.integers(1, 4), min_size=1, max_size=2),
    activation=st.sampled_from(["identity", "logistic", "tanh", "relu"]),
    squared_error=st.booleans(),
    class_weight=st.sampled_from([None, "balanced"]),
    then=st.sampled_from(["nothing", "partial_fit", "warm_start"]),
)
def test_saved_state_is_plain_data(
    Estimator, config, hidden, activation, squared_error, class_weight, then
):
    extra = {"hidden_layer_sizes": tuple(hidden), "activation": activation}
    if Estimator is ScratchMLPClassifier:
        extra["class_weight"] = class_weight
        extra["loss"] = "squared_error" if squared_error else "log_loss"
    else:
        extra["loss"] = "squared_error"
    model = _fitted(Estimator, config, **extra)
    if then == "partial_fit" and model.solver != "lbfgs":
        if extra.get("class_weight") == "balanced":  # partial_fit takes a dict
            model.set_params(class_weight=None)
        model.partial_fit(X, TARGETS[Estimator])
    elif then == "warm_start":
        fit_quietly(model.set_params(warm_start=True), X, TARGETS[Estimator])
    state = model.__getstate__()
    bad = {name: type(value) for name, value in state.items() if not _plain(value)}
    assert not bad, f"not plain data: {bad}"
    assert state[FORMAT_KEY] == FORMAT_VERSION


@needs_sklearn("1.9", "The callback API (sklearn.callback)")
@pytest.mark.parametrize("save", ["skops", "pickle", "joblib"])
@pytest.mark.parametrize("Estimator", [ScratchMLPClassifier, TabularMLPClassifier])
def test_a_model_fitted_with_callbacks_saves_without_them(Estimator, save):
    """Callbacks drive a fit; the saved model is only what the fit made."""
    sio = pytest.importorskip("skops.io")
    pytest.importorskip("rich")  # ProgressBar draws with rich
    from sklearn.callback import ProgressBar, ScoringMonitor

    model = Estimator(max_iter=3, random_state=0)
    model.set_callbacks(ProgressBar(), ScoringMonitor(scoring="accuracy"))
    fit_quietly(model, X, LABELS)
    if save == "skops":
        data = sio.dumps(model)
        # exactly one type to trust, as the README says: the estimator's class
        assert sio.get_untrusted_types(data=data) == [
            f"{Estimator.__module__}.{Estimator.__name__}"
        ]
        restored = sio.loads(data, trusted=[Estimator])
    elif save == "pickle":
        restored = pickle.loads(pickle.dumps(model))
    else:
        restored = _joblib_round_trip(model)
    assert "_skl_callbacks" not in vars(restored)
    assert_allclose(restored.predict_proba(X), model.predict_proba(X), rtol=0)
    # the model in memory keeps its callbacks, for its next fit
    assert [type(c) for c in model._skl_callbacks] == [ProgressBar, ScoringMonitor]
    fit_quietly(restored, X, LABELS)  # and the loaded model trains on


@needs_sklearn("1.9", "The callback API (sklearn.callback)")
def test_an_unfitted_estimator_carries_its_callbacks_to_a_worker():
    """joblib pickles the estimator it sends to a worker process to be fitted
    there; its callbacks must go with it, as scikit-learn's do."""
    from sklearn.callback import ScoringMonitor
    from sklearn.linear_model import LogisticRegression

    for model in (ScratchMLPClassifier(max_iter=3), LogisticRegression()):
        model.set_callbacks(ScoringMonitor(scoring="accuracy"))
        sent = pickle.loads(pickle.dumps(model))
        assert [type(c) for c in sent._skl_callbacks] == [ScoringMonitor]
        fit_quietly(sent, X, LABELS)  # and they run there


def test_both_families_hold_and_save_one_kind_of_fitted_network():
    """A Scratch estimator holds its network as a tabular model holds each of
    its own (a TrainedNetwork), with ``coefs_`` views of its parameters, and
    both save it in the same plain form."""
    from sklearn_scratchnn.tabular import TrainedNetwork

    scratch = _any_fitted(ScratchMLPClassifier)
    tabular = _any_fitted(TabularMLPClassifier)
    assert isinstance(vars(scratch)["network_"], TrainedNetwork)
    assert all(np.shares_memory(W, scratch.network_.params) for W in scratch.coefs_)
    saved = scratch.__getstate__()["network_"]
    assert set(saved) == set(tabular.__getstate__()["networks_"][0])
    assert "_params" not in scratch.__getstate__()  # one place for the parameters
