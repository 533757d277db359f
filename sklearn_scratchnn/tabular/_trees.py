"""A raw table as HistGradientBoosting reads it: numbers as they are, missing
values as NaN, text and categories as whole-number codes that it splits on
natively (``categorical_features``).

The tabular network needs its table scaled, clipped and one-hot encoded
(:class:`~._preprocessing.TablePreprocessor`); trees need none of that, only
numbers. So the blend gives each its own view of the same columns, read by
the one column rule (:func:`~._preprocessing.table_columns`).
"""

from numbers import Integral
from typing import NamedTuple

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted, validate_data

from .._fitting.labels import is_missing
from ._preprocessing import (
    as_table,
    column_label,
    refuse_infinity,
    table_columns,
    with_table_input,
)

OTHER = "(other)"  # the code of the rarer categories past max_categories


class TreeEncoder(TransformerMixin, BaseEstimator):
    """A raw table as codes and numbers for ``HistGradientBoosting*``.

    Numeric (and boolean) columns pass as floats, missing values as NaN. A
    column of text or categories becomes one code per category (its position
    in the sorted categories), a missing value NaN, and a category that fit
    never saw NaN as well: HistGradientBoosting sends unknown categories
    where it sends missing ones. A column with more than ``max_categories``
    categories keeps the ``max_categories - 1`` most frequent and codes the
    others as one more category, ``"(other)"`` (HistGradientBoosting splits
    natively on at most ``max_bins`` = 255 categories).

    Parameters
    ----------
    max_categories : int, default=255
        The most codes of a column (HistGradientBoosting's ``max_bins``).

    Attributes
    ----------
    categories_ : list of (int, list of str)
        Each categorical column's index in ``X`` and its categories: the
        code of a category is its position (``"(other)"`` last where rarer
        categories were grouped).
    categorical_mask_ : ndarray of bool of shape (n_columns,)
        Which output columns are codes: HistGradientBoosting's
        ``categorical_features``.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Column names, when fitted on a DataFrame.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_scratchnn.tabular import TreeEncoder
    >>> X = np.array([[1.5, "b"], [None, "a"], [3.0, None]], dtype=object)
    >>> encoder = TreeEncoder().fit(X)
    >>> encoder.transform(X)
    array([[1.5, 1. ],
           [nan, 0. ],
           [3. , nan]])
    >>> encoder.categorical_mask_
    array([False,  True])
    """

    _parameter_constraints: dict = {
        "max_categories": [Interval(Integral, 2, None, closed="left")],
    }

    def __init__(self, max_categories: int = 255):
        self.max_categories = max_categories

    def fit(self, X, y=None, sample_weight=None):
        """Learn which columns are categories, and their codes.

        Where a column has more categories than ``max_categories``, the most
        frequent are kept by their weight (``sample_weight``); rows of weight
        0 add no category.
        """
        self._validate_params()
        columns = self._columns(X, reset=True)
        n = len(columns[0][0]) if columns else 0
        weight = np.ones(n) if sample_weight is None else np.asarray(sample_weight)
        self.categories_ = [
            (j, self._fit_categories(values[weight > 0], weight[weight > 0]))
            for j, (values, categorical) in enumerate(columns)
            if categorical
        ]
        self.categorical_mask_ = np.array([c for _, c in columns], dtype=bool)
        return self

    def _fit_categories(self, values, weight):
        present = np.array([not is_missing(v) for v in values], dtype=bool)
        names = np.array([str(v) for v in values[present]], dtype=object)
        categories, at = np.unique(names, return_inverse=True)
        if len(categories) <= self.max_categories:
            return [str(c) for c in categories]
        counts = np.bincount(at.ravel(), weights=weight[present])
        # the heaviest first; a tie goes to the category that sorts first
        order = np.lexsort((np.arange(len(categories)), -counts))
        kept = np.sort(categories[order[: self.max_categories - 1]])
        return [str(c) for c in kept] + [OTHER]

    def transform(self, X):
        """The float array HistGradientBoosting reads: one column per column
        of ``X``, in order."""
        check_is_fitted(self, "categorical_mask_")
        columns = self._columns(X, reset=False)
        out = np.empty((len(columns[0][0]), len(columns)))
        for j, (values, categorical) in enumerate(columns):
            if categorical != self.categorical_mask_[j] and not _all_missing(values):
                held = "text" if categorical else "numbers"
                had = "numbers" if categorical else "text"
                raise ValueError(
                    f"{column_label(self, j)} of X holds {held}, but it held {had} "
                    "in fit; give each column the same kind of values as in fit."
                )
            if not self.categorical_mask_[j]:
                out[:, j] = np.full(len(values), np.nan) if categorical else values
                refuse_infinity(self, j, out[:, j])
        for j, categories in self.categories_:
            out[:, j] = self._codes(columns[j][0], categories)
        return out

    def _codes(self, values, categories):
        code = {c: float(i) for i, c in enumerate(categories)}
        other = code.get(OTHER, np.nan) if categories[-1:] == [OTHER] else np.nan
        return np.array(
            [np.nan if is_missing(v) else code.get(str(v), other) for v in values]
        )

    def _columns(self, X, reset):
        X = as_table(X)
        validate_data(self, X, skip_check_array=True, reset=reset)
        columns = table_columns(X)[1]
        if reset:
            for j, (values, categorical) in enumerate(columns):
                if not categorical:
                    refuse_infinity(self, j, values)
        elif len(columns) != self.n_features_in_:
            raise ValueError(
                f"X has {len(columns)} columns, but this model was fitted on "
                f"{self.n_features_in_}; give the same columns as in fit."
            )
        return columns

    def __sklearn_tags__(self):
        return with_table_input(super().__sklearn_tags__())


def _all_missing(values):
    return all(is_missing(v) for v in values)


class FittedTrees(NamedTuple):
    """A fitted ``HistGradientBoosting*`` as its trees compute it, for an
    export (:func:`fitted_trees`).

    Attributes
    ----------
    trees : list of (int, ndarray, ndarray)
        Each tree's target (the class of a multiclass model, else 0), its
        nodes (scikit-learn's ``TreePredictor.nodes``: ``feature_idx``,
        ``num_threshold``, ``missing_go_to_left``, ``left``, ``right``,
        ``is_leaf``, ``value``, ``is_categorical``, ``bitset_idx``) and its
        categorical splits' bitsets of the categories that go left.
    baseline : ndarray of shape (n_targets,)
        Added to the trees' sum.
    link : str
        What turns the sum into a prediction: ``"identity"``, ``"log"``
        (``exp`` of it), ``"logit"`` (the sigmoid) or ``"multinomial"``
        (the softmax).
    order : list of int
        The input columns in the order the trees read them.
    codes : dict of int to dict of float to float
        For each categorical column, its code in the trees of each code of
        the input (a code missing from it reads as missing).
    """

    trees: list
    baseline: np.ndarray
    link: str
    order: list
    codes: dict


_LINKS = {
    "IdentityLink": "identity",
    "LogLink": "log",
    "LogitLink": "logit",
    "MultinomialLogit": "multinomial",
}


def fitted_trees(hgb, categorical):
    """A fitted ``HistGradientBoosting*``'s trees, as :class:`FittedTrees`.

    Read from scikit-learn's fitted model (its predictors, baseline, loss and
    coding of categories), as skl2onnx's own converter reads them: scikit-learn
    documents no public form of its trees, so this one place reads them.

    Parameters
    ----------
    hgb : fitted HistGradientBoostingClassifier or HistGradientBoostingRegressor
    categorical : ndarray of bool
        Which input columns it was told are categories.

    Returns
    -------
    FittedTrees

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import HistGradientBoostingRegressor
    >>> from sklearn_scratchnn.tabular import fitted_trees
    >>> X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [3.0, 0.0]] * 10)
    >>> hgb = HistGradientBoostingRegressor(max_iter=3, min_samples_leaf=2,
    ...                                     categorical_features=[False, True])
    >>> trees = fitted_trees(hgb.fit(X, X[:, 0]), np.array([False, True]))
    >>> len(trees.trees), trees.link, trees.order
    (3, 'identity', [1, 0])
    """
    categorical = np.asarray(categorical, dtype=bool)
    trees = [(target, predictor.nodes, predictor.raw_left_cat_bitsets)
             for iteration in hgb._predictors
             for target, predictor in enumerate(iteration)]  # fmt: skip
    link = type(hgb._loss.link).__name__
    coded = np.flatnonzero(categorical)
    order = [int(j) for j in (*coded, *np.flatnonzero(~categorical))]
    codes = {}
    if categorical.any():
        # scikit-learn codes the categories again, the categorical columns
        # first (a ColumnTransformer of an OrdinalEncoder)
        ordinal = hgb._preprocessor.named_transformers_["encoder"]
        for j, seen in zip(coded, ordinal.categories_, strict=True):
            seen = [float(c) for c in seen if not np.isnan(c)]
            codes[int(j)] = {code: float(i) for i, code in enumerate(seen)}
    return FittedTrees(
        trees, np.ravel(hgb._baseline_prediction), _LINKS.get(link, link), order, codes
    )
