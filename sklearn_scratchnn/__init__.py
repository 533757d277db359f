"""A neural network written from scratch in NumPy, as scikit-learn estimators."""

import sys as _sys

from . import _moved

__all__ = [
    "ScratchMLPClassifier",
    "ScratchMLPRegressor",
    "TabularMLPClassifier",
    "TabularMLPRegressor",
]
__version__ = "0.1.0"

_moved.install(_sys.meta_path)  # pickles saved before the core moved to nn/


def __getattr__(name):
    # Imported on first use, so that `scratchnn --help` does not pay for
    # importing scikit-learn (seconds) before it can answer.
    if name == "ScratchMLPClassifier":
        from ._classifier import ScratchMLPClassifier

        return ScratchMLPClassifier
    if name == "ScratchMLPRegressor":
        from ._regressor import ScratchMLPRegressor

        return ScratchMLPRegressor
    if name in ("TabularMLPClassifier", "TabularMLPRegressor"):
        from . import tabular

        return getattr(tabular, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return [*globals(), *__all__]
