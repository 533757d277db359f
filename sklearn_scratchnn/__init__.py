"""A neural network written from scratch in NumPy, as scikit-learn estimators."""

from ._classifier import ScratchMLPClassifier
from ._regressor import ScratchMLPRegressor

__all__ = ["ScratchMLPClassifier", "ScratchMLPRegressor"]
__version__ = "0.1.0"
