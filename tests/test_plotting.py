"""LossCurveDisplay draws what the estimator recorded."""

import numpy as np
import pytest
from helpers import fit_quietly
from numpy.testing import assert_array_equal
from sklearn.datasets import load_digits
from sklearn.exceptions import NotFittedError

from sklearn_scratchnn import ScratchMLPClassifier, ScratchMLPRegressor
from sklearn_scratchnn.plotting import LossCurveDisplay

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X[:500] / 16.0, y[:500]


def test_training_loss_only(digits):
    X, y = digits
    clf = fit_quietly(ScratchMLPClassifier(max_iter=7, random_state=0), X, y)
    display = LossCurveDisplay.from_estimator(clf)
    assert display.ax_.get_lines() == [display.line_]
    assert_array_equal(display.line_.get_xdata(), np.arange(1, 8))
    assert_array_equal(display.line_.get_ydata(), clf.loss_curve_)
    assert display.validation_line_ is None and display.score_ax_ is None
    assert display.ax_.get_xlabel() == "epoch" and display.ax_.get_ylabel() == "loss"
    assert display.ax_.get_title() == "ScratchMLPClassifier"
    assert display.figure_ is display.ax_.figure
    plt.close("all")


def test_early_stopping_curves(digits):
    X, y = digits
    clf = fit_quietly(
        ScratchMLPClassifier(early_stopping=True, max_iter=15, random_state=0), X, y
    )
    display = LossCurveDisplay.from_estimator(clf, name="digits")
    assert len(display.ax_.get_lines()) == 2
    assert_array_equal(display.validation_line_.get_ydata(), clf.validation_loss_curve_)
    assert_array_equal(display.score_line_.get_ydata(), clf.validation_scores_)
    assert display.score_ax_.get_ylabel() == "validation score"
    labels = [t.get_text() for t in display.ax_.get_legend().get_texts()]
    assert labels == ["training loss", "validation loss", "validation score"]
    assert display.ax_.get_title() == "digits"
    plt.close("all")


def test_given_axes_and_kwargs(digits):
    X, y = digits
    reg = fit_quietly(
        ScratchMLPRegressor(solver="lbfgs", max_iter=10), X, y.astype(float)
    )
    fig, ax = plt.subplots()
    display = LossCurveDisplay.from_estimator(reg, ax=ax, color="red")
    assert display.ax_ is ax
    assert display.line_.get_color() == "red"
    assert len(display.line_.get_ydata()) == reg.n_iter_  # lbfgs: one per iteration
    plt.close("all")


def test_unfitted_estimator():
    with pytest.raises(NotFittedError):
        LossCurveDisplay.from_estimator(ScratchMLPClassifier())


def test_missing_matplotlib_is_named(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match="requires matplotlib"):
        LossCurveDisplay(loss_curve=[1.0]).plot()
