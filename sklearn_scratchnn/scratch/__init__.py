"""The Scratch family: scikit-learn's MLP, weight for weight, on the core.

:class:`ScratchMLPClassifier` and :class:`ScratchMLPRegressor` take
scikit-learn's ``MLPClassifier``/``MLPRegressor`` parameters, names and
defaults (but for ``activation="logistic"``, the article's sigmoid) and, with
them, fit the same weights; what scikit-learn's MLP lacks (``loss``,
``class_weight``, other solvers' options, the Array API) are opt-in
parameters. The modules: ``_base`` (what both share: parameters, fit),
``_classifier`` and ``_regressor`` (the faces), ``_stochastic`` (the
mini-batch solvers' loop and reporting), ``_prediction`` (the forward pass
of a fitted model), ``_fitted_state`` (the network as fitted attributes,
saved as plain data).
"""

from ._classifier import ScratchMLPClassifier
from ._regressor import ScratchMLPRegressor

__all__ = ["ScratchMLPClassifier", "ScratchMLPRegressor"]
