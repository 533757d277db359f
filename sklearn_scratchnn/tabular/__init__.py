"""Tabular MLPs: a raw table in (numbers, text, categories, missing cells),
RealMLP's recipe out.

:class:`TabularMLPClassifier` and :class:`TabularMLPRegressor` preprocess the
table (:class:`TablePreprocessor`) and train their networks through the
core's one training entry (:func:`sklearn_scratchnn.nn.fit.train`), as the
Scratch estimators do; the two families share the core, not each other.
The modules: ``_estimators`` (the two estimators), ``_base`` (what they
share: fit, prediction's input, saving), ``_preprocessing`` (the table),
``_plan`` (epochs, batch and precision from the table's size), ``_recipe``
(RealMLP-TD's choices beyond the parameters, as a value), ``_network``
(one network trained, its snapshots), ``_standardisation`` (the regressor's
target in units of its spread), ``_ensemble`` (members seeded apart, through
joblib). Labels and values as the network learns them are both families'
(``_fitting/targets.py``). The blend of the network and HistGradientBoosting:
``_blend`` (the two estimators), ``_blend_base`` (what they share),
``_trees`` (the table as HGB reads it, and its fitted trees),
``_selection`` (the weights, from held-out rows).
"""

from .._fitting.labels import is_missing
from .._fitting.trained import TrainedNetwork
from ._blend import TabularBlendClassifier, TabularBlendRegressor
from ._estimators import TabularMLPClassifier, TabularMLPRegressor
from ._preprocessing import NumericColumn, TablePreprocessor, table_columns
from ._recipe import REALMLP_TD, Recipe
from ._trees import FittedTrees, TreeEncoder, fitted_trees

__all__ = [
    "REALMLP_TD",
    "FittedTrees",
    "NumericColumn",
    "Recipe",
    "TablePreprocessor",
    "TabularBlendClassifier",
    "TabularBlendRegressor",
    "TabularMLPClassifier",
    "TabularMLPRegressor",
    "TrainedNetwork",
    "TreeEncoder",
    "fitted_trees",
    "is_missing",
    "table_columns",
]
