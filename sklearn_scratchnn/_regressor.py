"""The module that model files saved before the Scratch family moved to
``scratch/`` name for ScratchMLPRegressor (format 1, as ``make.py`` wrote
``tests/data/saved_models/format1_*``); new files name
``sklearn_scratchnn.scratch._regressor``."""

from .scratch._regressor import ScratchMLPRegressor

__all__ = ["ScratchMLPRegressor"]
