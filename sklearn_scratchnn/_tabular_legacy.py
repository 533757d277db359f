"""What tabular models saved by earlier releases name, for loading them.

Before the tabular estimators moved into ``tabular/`` and trained the core's
network themselves, their module was ``sklearn_scratchnn._tabular_mlp`` (a
pickle or skops file names the estimator's class there), and their networks
were private subclasses of the Scratch estimators, which the release before
plain-data model files pickled whole. ``_moved.py`` answers for the old
module with this one. Loading such a file builds those networks as below;
the tabular model then keeps only their layers, parameters and curves
(``tabular/_trained.py``), and saves itself the current way.
"""

from ._classifier import ScratchMLPClassifier
from ._regressor import ScratchMLPRegressor
from .tabular import TabularMLPClassifier, TabularMLPRegressor

__all__ = ["TabularMLPClassifier", "TabularMLPRegressor"]


class _TableNetworkClassifier(ScratchMLPClassifier):
    """A tabular classifier's network, as early releases pickled it."""


class _TableNetworkRegressor(ScratchMLPRegressor):
    """A tabular regressor's network, as early releases pickled it."""
