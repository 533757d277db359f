"""Schedules, early stopping, warm start, partial_fit, interruption, verbose."""

import re

import numpy as np
import pytest
from helpers import fit_quietly
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import load_digits, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

import sklearn_scratchnn.nn.epochs as epochs_module
from sklearn_scratchnn import ScratchMLPClassifier, ScratchMLPRegressor


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X[:600] / 16.0, y[:600]


# -- learning-rate schedules ------------------------------------------------


@pytest.mark.parametrize("schedule", ["invscaling", "adaptive"])
def test_schedules_train_like_sklearn(digits, schedule):
    X, y = digits
    params = dict(
        hidden_layer_sizes=(15,),
        activation="logistic",
        solver="sgd",
        learning_rate=schedule,
        learning_rate_init=0.5,
        power_t=0.25,
        max_iter=25,
        tol=0.05,
        n_iter_no_change=2,
        random_state=0,
    )
    ours = fit_quietly(ScratchMLPClassifier(**params), X, y)
    theirs = fit_quietly(MLPClassifier(**params), X, y)
    assert ours.n_iter_ == theirs.n_iter_
    assert_allclose(ours.loss_curve_, theirs.loss_curve_, rtol=1e-9)
    assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-9)


def test_invscaling_learning_rate_formula(digits):
    X, y = digits
    clf = fit_quietly(
        ScratchMLPClassifier(
            solver="sgd",
            learning_rate="invscaling",
            max_iter=3,
            learning_rate_init=0.2,
            power_t=0.4,
        ),
        X,
        y,
    )
    assert clf.t_ == 3 * len(X)
    assert clf._state.optimizer.learning_rate == pytest.approx(
        0.2 / (clf.t_ + 1) ** 0.4
    )


def test_adaptive_divides_by_five_on_each_plateau(digits):
    X, y = digits
    clf = ScratchMLPClassifier(
        solver="sgd",
        learning_rate="adaptive",
        tol=10.0,
        n_iter_no_change=1,
        max_iter=30,
        random_state=0,
    )
    clf.fit(X, y)
    # tol=10: no epoch improves. The rule fires every 2 epochs after the first
    # and divides the rate by 5 until it is below 1e-6, then stops.
    lr = clf._state.optimizer.learning_rate
    divisions = round(np.log(0.001 / lr) / np.log(5))
    assert lr <= 1e-6 < lr * 5
    assert clf.n_iter_ == 1 + 2 * (divisions + 1)


# -- early stopping ---------------------------------------------------------


def test_early_stopping_restores_the_best_epoch(digits):
    X, y = digits
    params = dict(
        early_stopping=True,
        validation_fraction=0.2,
        learning_rate_init=0.05,
        n_iter_no_change=5,
        max_iter=200,
        random_state=3,
    )
    clf = fit_quietly(ScratchMLPClassifier(**params), X, y)
    scores = np.array(clf.validation_scores_)
    assert len(scores) == len(clf.validation_loss_curve_) == clf.n_iter_
    assert clf.best_validation_score_ == scores.max()
    assert clf.best_loss_ is None
    # The kept epoch: best score, ties (within tol) broken by validation loss.
    tied = np.flatnonzero(scores >= scores.max() - clf.tol)
    best = tied[np.argmin(np.array(clf.validation_loss_curve_)[tied])]
    assert best < clf.n_iter_ - 1, "pick a setting whose last epoch is not the best"
    # Training the same way for exactly best + 1 epochs ends on that epoch.
    replay = fit_quietly(
        ScratchMLPClassifier(
            **{**params, "max_iter": best + 1, "n_iter_no_change": 1000}
        ),
        X,
        y,
    )
    assert_array_equal(replay._params, clf._params)


def test_early_stopping_split_is_stratified_and_keeps_duplicates_together():
    from sklearn_scratchnn.nn.split import validation_split

    rng = np.random.RandomState(0)
    X = rng.randint(0, 4, size=(400, 2)).astype(float)  # many duplicated rows
    y = (X.sum(axis=1) > 3).astype(int)
    is_val = validation_split(X, y, None, 0.2, np.random.RandomState(1))
    for label in (0, 1):
        share = is_val[y == label].mean()
        assert 0.1 < share < 0.45
    for row in np.unique(X, axis=0):  # identical rows on one side only
        same = np.all(X == row, axis=1)
        assert is_val[same].all() or not is_val[same].any()


def test_validation_set_too_small_is_a_clear_error():
    # R^2 needs two validation rows, and one row must train: 2 rows are too few.
    X = np.arange(4.0).reshape(2, 2)
    with pytest.raises(ValueError, match="validation set is too small"):
        ScratchMLPRegressor(early_stopping=True).fit(X, [0.0, 1.0])
    with pytest.raises(ValueError, match="Increase 'validation_fraction'"):
        ScratchMLPClassifier(early_stopping=True, validation_fraction=0.0).fit(
            np.arange(20.0).reshape(10, 2), [0, 1] * 5
        )


def test_divergence_with_early_stopping_keeps_best_weights():
    X, y = make_classification(n_samples=200, random_state=0)
    clf = ScratchMLPClassifier(
        activation="identity",
        solver="sgd",
        learning_rate_init=1e6,
        n_iter_no_change=500,
        early_stopping=True,
        random_state=0,
        max_iter=300,
    )
    with pytest.warns(ConvergenceWarning, match="diverged.*best validation epoch"):
        clf.fit(X, y)
    assert np.isfinite(clf._params).all()
    assert np.isfinite(clf.predict_proba(X)).all()


# -- warm start -------------------------------------------------------------


def test_warm_start_continues_from_the_fitted_weights(digits):
    X, y = digits
    # Plain full-batch gradient descent has no optimizer state, so 3 epochs
    # and 4 more, warm-started, are exactly 7 epochs.
    params = dict(
        solver="sgd",
        momentum=0.0,
        shuffle=False,
        batch_size=len(X),
        learning_rate_init=0.5,
        tol=0.0,
        n_iter_no_change=100,
        random_state=0,
    )
    warm = fit_quietly(
        ScratchMLPClassifier(warm_start=True, max_iter=3, **params), X, y
    )
    fit_quietly(warm.set_params(max_iter=4), X, y)
    cold = fit_quietly(ScratchMLPClassifier(max_iter=7, **params), X, y)
    assert_allclose(warm._params, cold._params, rtol=1e-12, atol=1e-14)
    assert len(warm.loss_curve_) == 7 and warm.n_iter_ == 4 and warm.t_ == 7 * len(X)


def test_warm_start_after_convergence_changes_nothing(digits):
    X, y = digits
    clf = ScratchMLPClassifier(warm_start=True, tol=0.5, random_state=0).fit(X, y)
    before = clf._params.copy()
    with pytest.warns(ConvergenceWarning, match="already met its stopping rule"):
        clf.fit(X, y)
    assert_array_equal(clf._params, before)
    assert clf.n_iter_ == 0


def test_warm_start_needs_the_same_classes(digits):
    X, y = digits
    clf = fit_quietly(ScratchMLPClassifier(warm_start=True, max_iter=2), X, y)
    with pytest.raises(ValueError, match="warm_start can only be used where `y` has"):
        clf.fit(X[y < 5], y[y < 5])


@pytest.mark.parametrize(
    "change",
    [
        dict(hidden_layer_sizes=(7,)),
        dict(activation="relu"),
        dict(loss="squared_error"),
    ],
)
def test_warm_start_refuses_a_different_network(digits, change):
    X, y = digits
    clf = fit_quietly(ScratchMLPClassifier(warm_start=True, max_iter=2), X, y)
    name = next(iter(change))
    with pytest.raises(ValueError, match=f"fitted network has {name}=.*continue"):
        clf.set_params(**change).fit(X, y)
    with pytest.raises(ValueError, match=f"fitted network has {name}="):
        clf.partial_fit(X, y)


# -- partial_fit ------------------------------------------------------------


@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_partial_fit_k_times_is_fit_for_k_epochs(digits, solver):
    X, y = digits
    params = dict(
        solver=solver, shuffle=False, random_state=0, tol=0.0, n_iter_no_change=100
    )
    fitted = fit_quietly(ScratchMLPClassifier(max_iter=4, **params), X, y)
    partial = ScratchMLPClassifier(**params)
    for _ in range(4):
        partial.partial_fit(X, y, classes=np.unique(y))
    assert_array_equal(partial._params, fitted._params)
    assert_allclose(partial.loss_curve_, fitted.loss_curve_)


def test_partial_fit_like_sklearn(digits):
    X, y = digits
    ours = ScratchMLPClassifier(random_state=0)
    theirs = MLPClassifier(activation="logistic", random_state=0)
    for start in range(0, 600, 150):
        chunk = slice(start, start + 150)
        ours.partial_fit(X[chunk], y[chunk], classes=np.arange(10))
        theirs.partial_fit(X[chunk], y[chunk], classes=np.arange(10))
    assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-9)


def test_partial_fit_rules():
    X, y = make_classification(n_samples=50, random_state=0)
    clf = ScratchMLPClassifier()
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        clf.partial_fit(X, y)
    assert not hasattr(clf, "classes_")
    clf.partial_fit(X, y, classes=[0, 1])
    clf.partial_fit(X, y, classes=[0, 1])  # accepted on later calls too
    with pytest.raises(ValueError, match="is not the same as on last call"):
        clf.partial_fit(X, y, classes=[0, 1, 2])
    with pytest.raises(ValueError, match="`y` has classes not in `self.classes_`"):
        clf.partial_fit(X, y + 5)
    assert not hasattr(ScratchMLPClassifier(solver="lbfgs"), "partial_fit")
    assert not hasattr(ScratchMLPRegressor(solver="lbfgs"), "partial_fit")


# -- interruption -----------------------------------------------------------


def _interrupt_at_epoch(monkeypatch, epoch):
    """Make the given epoch raise KeyboardInterrupt after two of its batches."""
    calls = {"n": 0}
    real = epochs_module.run_epoch

    def run_epoch(network, ws, optimizer, batches, alpha, order=None, *schedule):
        calls["n"] += 1
        if calls["n"] != epoch:
            return real(network, ws, optimizer, batches, alpha, order, *schedule)

        def interrupted(order):
            for i, batch in enumerate(batches(order)):
                if i == 2:
                    raise KeyboardInterrupt  # two updates already applied
                yield batch

        return real(network, ws, optimizer, interrupted, alpha, order, *schedule)

    monkeypatch.setattr(epochs_module, "run_epoch", run_epoch)


def test_interrupted_fit_keeps_the_last_completed_epoch(digits, monkeypatch):
    X, y = digits
    params = dict(random_state=0, tol=0.0, n_iter_no_change=100)
    reference = fit_quietly(ScratchMLPClassifier(max_iter=3, **params), X, y)
    _interrupt_at_epoch(monkeypatch, epoch=4)
    clf = ScratchMLPClassifier(max_iter=10, **params)
    with pytest.warns(UserWarning, match="interrupted.*last completed epoch"):
        clf.fit(X, y)
    assert clf.n_iter_ == 3
    assert_array_equal(clf._params, reference._params)
    assert clf.score(X, y) == reference.score(X, y)
    monkeypatch.undo()
    clf.partial_fit(X, y)  # and training can go on from there
    assert clf.n_iter_ == 1 and len(clf.loss_curve_) == 4


def test_interrupt_before_any_epoch_propagates_and_changes_nothing(digits, monkeypatch):
    X, y = digits
    clf = fit_quietly(ScratchMLPClassifier(max_iter=2, random_state=0), X, y)
    before = clf._params.copy()
    _interrupt_at_epoch(monkeypatch, epoch=1)
    with pytest.raises(KeyboardInterrupt):
        clf.fit(X, y)
    assert_array_equal(clf._params, before)
    assert clf.n_iter_ == 2


# -- verbose ----------------------------------------------------------------


def test_verbose_with_early_stopping(capsys, digits):
    X, y = digits
    fit_quietly(
        ScratchMLPClassifier(max_iter=3, verbose=True, early_stopping=True), X, y
    )
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 6
    assert all(re.fullmatch(r"Iteration \d, loss = \d+\.\d{8}", s) for s in lines[::2])
    assert all(re.fullmatch(r"Validation score: \d\.\d{6}", s) for s in lines[1::2])


@pytest.mark.parametrize("Estimator", [ScratchMLPClassifier, ScratchMLPRegressor])
def test_lbfgs_records_the_loss_of_every_iteration(Estimator):
    # One loss per L-BFGS iteration, the last being the final model's: this is
    # what SciPy's per-iteration callback reports on every supported release.
    X, y = make_classification(n_samples=120, random_state=0)
    model = fit_quietly(
        Estimator(solver="lbfgs", max_iter=15, random_state=0), X, y.astype(float)
    )
    assert len(model.loss_curve_) == model.n_iter_ == 15
    assert model.loss_curve_[-1] == model.loss_
    assert all(np.diff(model.loss_curve_) <= 0)  # L-BFGS never accepts a rise


# -- dropout and the stopping rule ---------------------------------------------------


def test_dropout_does_not_stop_a_classifier_that_is_still_learning():
    """The rule watches the loss without the masks: the noise dropout adds to
    the training loss used to stop this fit after a few dozen epochs."""
    from sklearn.datasets import make_blobs

    X, y = make_blobs(n_samples=500, centers=2, cluster_std=3.0, random_state=0)
    X_train, y_train, X_test, y_test = X[:300], y[:300], X[300:], y[300:]

    def fitted(dropout):
        clf = ScratchMLPClassifier(
            hidden_layer_sizes=(32,), max_iter=400, dropout=dropout, random_state=0
        )
        return fit_quietly(clf, X_train, y_train)

    plain, dropped = fitted(0.0), fitted(0.5)
    assert dropped.n_iter_ > 100
    assert dropped.score(X_test, y_test) >= plain.score(X_test, y_test) - 0.05


def test_dropout_does_not_stop_a_regressor_that_is_still_learning():
    rng = np.random.RandomState(0)
    X, X_test = rng.uniform(-1, 1, (300, 1)), rng.uniform(-1, 1, (200, 1))
    reg = ScratchMLPRegressor(
        hidden_layer_sizes=(16,), max_iter=1000, dropout=0.2, random_state=0
    )
    fit_quietly(reg, X, 2 * X[:, 0])
    assert reg.score(X_test, 2 * X_test[:, 0]) > 0.9


def test_without_dropout_the_rule_watches_the_training_loss_as_before(monkeypatch):
    """No forward pass is added without dropout: fits stay scikit-learn's."""
    from sklearn_scratchnn.nn import fit

    calls = []
    original = fit.loss_without_masks
    monkeypatch.setattr(
        fit, "loss_without_masks", lambda *a: calls.append(1) or original(*a)
    )
    X, y = make_classification(n_samples=80, random_state=0)
    fit_quietly(ScratchMLPClassifier(max_iter=5, random_state=0), X, y)
    assert not calls
    fit_quietly(ScratchMLPClassifier(max_iter=5, dropout=0.1, random_state=0), X, y)
    assert len(calls) == 5  # once an epoch
