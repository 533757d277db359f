"""The module that model files saved before the Scratch family moved to
``scratch/`` name for ScratchMLPClassifier (format 1, as ``make.py`` wrote
``tests/data/saved_models/format1_*``); new files name
``sklearn_scratchnn.scratch._classifier``."""

from .scratch._classifier import ScratchMLPClassifier

__all__ = ["ScratchMLPClassifier"]
