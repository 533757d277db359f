"""A neural network written from scratch in NumPy, as a scikit-learn estimator."""

from ._classifier import ScratchMLPClassifier

__all__ = ["ScratchMLPClassifier"]
__version__ = "0.1.0"
