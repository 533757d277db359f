"""scikit-learn's callback API: a progress bar and per-epoch scores."""

import importlib
import sys
import warnings

import numpy as np
import pytest
from helpers import needs_sklearn
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning

from sklearn_scratchnn import ScratchMLPClassifier, ScratchMLPRegressor
from sklearn_scratchnn._fitting.compat import CALLBACKS_AVAILABLE

needs_callbacks = needs_sklearn("1.9", "The callback API (sklearn.callback)")
if CALLBACKS_AVAILABLE:
    from sklearn import callback


@pytest.fixture
def data():
    return make_classification(n_samples=300, random_state=0)


@needs_callbacks
def test_scoring_monitor_scores_every_epoch(data):
    X, y = data
    monitor = callback.ScoringMonitor(scoring="accuracy")
    clf = ScratchMLPClassifier(max_iter=6, random_state=0).set_callbacks(monitor)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    rows = monitor.get_logs().data
    epochs = [row for row in rows if row["task_name"] == "epoch"]
    assert len(epochs) == clf.n_iter_ == 6
    assert [row["task_id"] for row in epochs] == list(range(6))
    # each epoch is scored on the model as it stood then; the last one is the
    # fitted model
    assert epochs[-1]["accuracy"] == clf.score(X, y)
    assert len({row["accuracy"] for row in epochs}) > 1


@needs_callbacks
def test_callbacks_see_partial_fit_as_one_epoch(data):
    X, y = data
    monitor = callback.ScoringMonitor(scoring="accuracy")
    clf = ScratchMLPClassifier(random_state=0).set_callbacks(monitor)
    clf.partial_fit(X, y, classes=[0, 1])
    epochs = [r for r in monitor.get_logs().data if r["task_name"] == "epoch"]
    assert len(epochs) == 1


@needs_callbacks
def test_progress_bar_runs_to_completion(data, capsys):
    pytest.importorskip("rich")
    X, y = data
    reg = ScratchMLPRegressor(max_iter=5, random_state=0)
    reg.set_callbacks(callback.ProgressBar())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg.fit(X, y.astype(float))
    assert "100%" in capsys.readouterr().out
    assert np.isfinite(reg.predict(X)).all()


def test_without_sklearn_callback_nothing_breaks(monkeypatch, data):
    """On scikit-learn < 1.9 the estimators work, without set_callbacks."""
    import sklearn_scratchnn._fitting.callbacks as module
    import sklearn_scratchnn._fitting.compat as compat

    monkeypatch.setitem(sys.modules, "sklearn.callback", None)
    monkeypatch.setitem(sys.modules, "sklearn.callback._callback_support", None)
    importlib.reload(compat)
    old = importlib.reload(module)
    try:
        assert not old.CALLBACKS_AVAILABLE
        assert not hasattr(old.CallbackSupport, "set_callbacks")
        with old.fit_callbacks(ScratchMLPClassifier(), None, None, None) as task:
            assert task is None
    finally:
        monkeypatch.undo()
        importlib.reload(compat)
        importlib.reload(module)


@needs_callbacks
def test_a_tabular_models_fit_is_labelled_with_its_own_name(data):
    """The network inside trains the epochs, but the tasks a progress bar
    shows (it reads their names as they begin) are the estimator's the user
    made."""
    from sklearn_scratchnn import TabularMLPClassifier

    class Names:
        def __init__(self):
            self.seen = []

        def setup(self, estimator, context):
            pass

        def on_fit_task_begin(self, estimator, context, **kwargs):
            self.seen.append(context.estimator_name)

        def on_fit_task_end(self, estimator, context, **kwargs):
            return False

        def teardown(self, estimator, context):
            pass

    X, y = data
    names = Names()
    model = TabularMLPClassifier(hidden_layer_sizes=(4,), max_iter=2)
    model.set_callbacks(names).fit(X, y)
    assert set(names.seen) == {"TabularMLPClassifier"}


@needs_callbacks
def test_a_tabular_model_is_scored_on_its_table_after_every_epoch():
    """The tabular model's epochs are subtasks of its own fit: a monitor
    scores the model as it stands after each, on the table as given."""
    from sklearn.datasets import load_wine

    from sklearn_scratchnn import TabularMLPClassifier

    X, y = load_wine(return_X_y=True, as_frame=True)
    monitor = callback.ScoringMonitor(scoring="accuracy")
    model = TabularMLPClassifier(
        hidden_layer_sizes=(16,), max_iter=5, snapshots=False, random_state=0
    )
    model.set_callbacks(monitor).fit(X, y)
    epochs = [row for row in monitor.get_logs().data if row["task_name"] == "epoch"]
    assert len(epochs) == 5
    # scored through the model's own preprocessing, as it stood: the epoch
    # restored is the fitted model (without snapshots, its best epoch alone)
    assert epochs[model.best_epoch_ - 1]["accuracy"] == model.score(X, y)
    assert len({row["accuracy"] for row in epochs}) > 1
