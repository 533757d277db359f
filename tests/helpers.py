"""What several test modules share."""

import warnings

import pytest
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.fixes import parse_version


def fit_quietly(estimator, X, y, **fit_params):
    """Fit, ignoring ConvergenceWarning: tests train for few epochs on purpose."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return estimator.fit(X, y, **fit_params)


def needs_sklearn(version, feature):
    """Skip a test that compares with a feature scikit-learn added in ``version``."""
    installed = parse_version(sklearn.__version__)
    return pytest.mark.skipif(
        installed < parse_version(version),
        reason=f"{feature} needs scikit-learn >= {version} "
        f"(installed: {sklearn.__version__})",
    )
