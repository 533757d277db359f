"""What several test modules share."""

import warnings

from sklearn.exceptions import ConvergenceWarning


def fit_quietly(estimator, X, y, **fit_params):
    """Fit, ignoring ConvergenceWarning: tests train for few epochs on purpose."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return estimator.fit(X, y, **fit_params)
