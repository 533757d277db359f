"""A raw table as the network reads it: RealMLP's preprocessing, from scratch.

:class:`TablePreprocessor` takes a pandas or polars DataFrame, or an array
(numbers, or objects), column by column:

- a column of numbers (or booleans) is centred on its median, divided by its
  interquartile range (both weighted by ``sample_weight``; half its range
  where that is 0; a constant column becomes 0) and smooth-clipped,
  ``x / sqrt(1 + (x / 3)^2)``, which keeps outliers within +-3 without a
  kink; a missing value becomes 0 (the median) and, for a column that had
  missing values in training, sets an indicator column;
- a column of text or categories is one-hot encoded when it has at most
  ``max_one_hot`` categories (missing counted as one), and otherwise coded
  as a whole number for the network's :class:`~.nn.layers.CategoricalEmbedding`:
  0 for a category training never saw, then missing (if training had it),
  then the categories in sorted order. An unseen category is all zeros in
  one-hot form.

The output is one float array laid out as the network's front layers expect
it: the numeric columns first (the periodic embedding reads them), then the
one-hot and indicator columns, then the codes (the categorical embedding
reads the last columns).
"""

from numbers import Integral, Real
from typing import NamedTuple

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from .._fitting.labels import is_missing

CLIP = 3.0  # smooth clipping keeps |x| below this


def smooth_clip(x):
    """``x / sqrt(1 + (x / 3)^2)``: near ``x`` for small values, within +-3.

    ``hypot`` computes the root without squaring ``x``, which would overflow
    for |x| beyond 1e154; an infinite value (an overflowed scaling) is clipped
    to the largest float first, so it maps to +-3 like any huge one.
    """
    x = np.clip(x, -np.finfo(float).max, np.finfo(float).max)
    return x / np.hypot(1.0, x / CLIP)


def weighted_quantile(values, weights, q):
    """The smallest value whose cumulative weight reaches ``q`` of the total
    (the inverted CDF): a row of weight 3 counts as three rows."""
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    at = np.searchsorted(cumulative, q * cumulative[-1], side="left")
    return float(values[order][min(at, len(values) - 1)])


def _is_number(value):
    return isinstance(value, (Real, np.number, np.bool_)) and not isinstance(value, str)


def as_table(X):
    """A DataFrame as it is; anything else through ``check_array``, which
    rejects sparse, complex, 1-D and empty input with scikit-learn's messages."""
    if hasattr(X, "iloc") or (hasattr(X, "get_column") and hasattr(X, "schema")):
        return X
    # scikit-learn's quick finiteness test sums X, which overflows (and warns)
    # for float32 near its limits before the test reports infinity itself
    with np.errstate(over="ignore", invalid="ignore"):
        return check_array(X, dtype=None, ensure_all_finite="allow-nan")


def column_label(estimator, j):
    """Column ``j`` of a fitted estimator's input as a message names it: by
    its name where it has one."""
    names = getattr(estimator, "feature_names_in_", None)
    return f"Column {j}" if names is None else f"Column {names[j]!r}"


def refuse_infinity(estimator, j, values):
    """A ValueError, naming column ``j``, where its numbers hold infinity."""
    if np.isinf(values).any():
        raise ValueError(
            f"{column_label(estimator, j)} of X contains infinity; replace it "
            "with a finite value or with NaN (read as missing)."
        )


def table_columns(X):
    """Each column of a table as the tabular models read it.

    One rule of what a column is, for the estimators, the ONNX export and
    the command line: a pandas ``category`` column is categories (even of
    numbers); numbers and booleans are numbers; an object column is numbers
    where every value present is one, else text (categories).

    Parameters
    ----------
    X : DataFrame (pandas or polars) or array-like of shape (n_rows, n_columns)

    Returns
    -------
    names : list of str or None
        The column names (None for an array).
    columns : list of (ndarray, bool)
        Each column's values as a 1-D array (float for numbers, with NaN where
        missing; object for categories) and whether it is categorical.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_scratchnn.tabular import table_columns
    >>> X = np.array([[1, "a"], [None, "b"]], dtype=object)
    >>> names, columns = table_columns(X)
    >>> [(values.tolist(), categorical) for values, categorical in columns]
    [([1.0, nan], False), (['a', 'b'], True)]
    """
    if hasattr(X, "iloc"):  # pandas
        return list(X.columns), [_pandas_column(X[c]) for c in X.columns]
    if hasattr(X, "get_column") and hasattr(X, "schema"):  # polars
        return list(X.columns), [_polars_column(X.get_column(c)) for c in X.columns]
    X = check_array(X, dtype=None, ensure_all_finite="allow-nan")
    if X.dtype.kind in "biuf":
        return None, [(X[:, j].astype(float), False) for j in range(X.shape[1])]
    return None, [_object_column(X[:, j]) for j in range(X.shape[1])]


def _pandas_column(series):
    if str(series.dtype) == "category":  # categories, even of numbers
        return series.to_numpy(dtype=object), True
    kind = series.dtype.kind
    if kind in "biuf":
        return series.to_numpy(dtype=float, na_value=np.nan), False
    if kind in "OSU":
        return _object_column(series.to_numpy(dtype=object))
    return _object_column(series.astype(object).to_numpy())  # e.g. dates


def _polars_column(series):
    if series.dtype.is_numeric() or str(series.dtype) == "Boolean":
        return series.cast(float).to_numpy(), False
    return _object_column(np.asarray(series.to_list(), dtype=object))


def _object_column(values):
    """An object column: numbers if every value present is one, else text."""
    present = [v for v in values if not is_missing(v)]
    if present and all(_is_number(v) for v in present):
        return np.array([np.nan if is_missing(v) else float(v) for v in values]), False
    return np.asarray(values, dtype=object), True


class NumericColumn(NamedTuple):
    """A numeric column as :class:`TablePreprocessor` scales it."""

    index: int
    median: float
    scale: float
    flagged: bool


class TablePreprocessor(TransformerMixin, BaseEstimator):
    """RealMLP's preprocessing of a raw table (see the module docstring).

    Parameters
    ----------
    max_one_hot : int, default=9
        Categorical columns with at most this many categories (missing counted
        as one) are one-hot encoded; those with more are coded for a learned
        embedding (RealMLP's threshold).
    smooth_clip : bool, default=True
        Smooth-clip the scaled numbers to within ``CLIP``; False keeps them
        as scaled (an ablation of RealMLP's recipe: outliers then reach the
        network as they are).

    Attributes
    ----------
    numeric_columns_ : list of NumericColumn
        Each numeric column, in output order: its ``index`` in ``X``, the
        ``median`` it is centred on, the ``scale`` (one over its spread) it is
        multiplied by before smooth clipping to within ``CLIP``, and whether
        it is ``flagged`` (a missing-value indicator follows the numbers).
    one_hot_columns_ : list of (int, list of str)
        Each one-hot column's index in ``X`` and its categories, in output
        order (``"(missing)"`` among them where values were missing).
    embedded_columns_ : list of (int, dict of str to int)
        Each embedded column's index in ``X`` and the code of each category
        (from 1; 0 is an unseen category), in output order.
    n_numeric_ : int
        Numeric columns, first in the output.
    cardinalities_ : list of int
        Codes of each embedded column (reserved unseen code included), last in
        the output.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Column names, when fitted on a DataFrame.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_scratchnn.tabular import TablePreprocessor
    >>> X = np.array([[1.0, "a"], [2.0, "b"], [np.nan, "a"], [40.0, None]],
    ...              dtype=object)
    >>> prep = TablePreprocessor().fit(X)
    >>> prep.n_numeric_  # the first output column; then its missing flag
    1
    >>> prep.transform(X)[:, 1:]  # the flag, then one-hot: (missing), a, b
    array([[0., 0., 1., 0.],
           [0., 0., 0., 1.],
           [1., 0., 1., 0.],
           [0., 1., 0., 0.]])
    """

    _parameter_constraints: dict = {
        "max_one_hot": [Interval(Integral, 1, None, closed="left")],
        "smooth_clip": ["boolean"],
    }

    #: smooth clipping keeps every scaled number within +-CLIP
    CLIP = CLIP

    def __init__(self, max_one_hot: int = 9, smooth_clip: bool = True):
        self.max_one_hot = max_one_hot
        self.smooth_clip = smooth_clip

    # The fitted statistics, as documented attributes (what the ONNX export
    # builds its graph from); kept in the private lists the saved state holds.
    @property
    def numeric_columns_(self):
        check_is_fitted(self, "n_numeric_")
        return [NumericColumn(*column) for column in self._numbers]

    @property
    def one_hot_columns_(self):
        check_is_fitted(self, "n_numeric_")
        return [(j, list(slots)) for j, slots in self._one_hot]

    @property
    def embedded_columns_(self):
        check_is_fitted(self, "n_numeric_")
        return [(j, dict(codes)) for j, codes in self._coded]

    def fit(self, X, y=None, sample_weight=None):
        """Learn each column's kind and statistics from ``X``.

        Statistics are weighted by ``sample_weight``: a row of weight 3 counts
        as three rows and a row of weight 0 as none (its categories included).
        """
        self._fit_columns(self._validated_columns(X, reset=True), sample_weight)
        return self

    def fit_transform(self, X, y=None, sample_weight=None):
        """:meth:`fit`, then :meth:`transform` of the same ``X``, reading its
        columns once."""
        columns = self._validated_columns(X, reset=True)
        self._fit_columns(columns, sample_weight)
        return self._transform_columns(columns)

    def _validated_columns(self, X, reset):
        """``X``'s columns as :func:`table_columns` reads them, after
        scikit-learn's checks of the feature names (and, for ``reset``, the
        parameters)."""
        if reset:
            self._validate_params()
        else:
            check_is_fitted(self, "n_numeric_")
        X = as_table(X)
        validate_data(self, X, skip_check_array=True, reset=reset)
        return table_columns(X)[1]

    def _fit_columns(self, columns, sample_weight):
        n = len(columns[0][0]) if columns else 0
        weight = np.ones(n) if sample_weight is None else np.asarray(sample_weight)
        live = weight > 0
        self._numbers, self._one_hot, self._coded = [], [], []
        for j, (values, categorical) in enumerate(columns):
            if categorical:
                self._fit_categories(j, values[live])
            else:
                self._fit_numbers(j, values, weight)
        self.n_numeric_ = len(self._numbers)
        self.cardinalities_ = [len(codes) + 1 for _, codes in self._coded]

    def _fit_numbers(self, j, values, weight):
        refuse_infinity(self, j, values)
        counted = ~np.isnan(values) & (weight > 0)
        present, w = values[counted], weight[counted]
        if present.size == 0:  # all missing: a constant column
            median, scale = 0.0, 0.0
        else:
            median = weighted_quantile(present, w, 0.5)
            low = weighted_quantile(present, w, 0.25)
            high = weighted_quantile(present, w, 0.75)
            spread = high - low
            if spread == 0:  # most values equal: half the range instead
                spread = 0.5 * (present.max() - present.min())
            scale = 1.0 / spread if spread > 0 else 0.0  # constant: 0
        flagged = bool(np.isnan(values[weight > 0]).any())
        self._numbers.append((j, median, scale, flagged))

    def _fit_categories(self, j, values):
        missing = np.array([is_missing(v) for v in values], dtype=bool)
        categories = sorted({str(v) for v in values[~missing]})
        slots = (["(missing)"] if missing.any() else []) + categories
        if len(slots) <= self.max_one_hot:
            self._one_hot.append((j, slots))
        else:
            # code 0: unseen; then missing (if seen) and the categories
            self._coded.append((j, {s: i + 1 for i, s in enumerate(slots)}))

    def transform(self, X):
        """The float array the network reads (see the module docstring)."""
        return self._transform_columns(self._validated_columns(X, reset=False))

    def _transform_columns(self, columns):
        if len(columns) != self.n_features_in_:
            raise ValueError(
                f"X has {len(columns)} columns, but this model was fitted on "
                f"{self.n_features_in_}; give the same columns as in fit."
            )
        numbers, flags = [], []
        for j, median, scale, flagged in self._numbers:
            values, categorical = columns[j]
            if categorical and all(is_missing(v) for v in values):
                values = np.full(len(values), np.nan)  # no value: no text either
            elif categorical:
                raise ValueError(
                    f"{column_label(self, j)} of X holds text, but it held numbers in "
                    "fit; give each column the same kind of values as in fit."
                )
            refuse_infinity(self, j, values)
            missing = np.isnan(values)
            with np.errstate(over="ignore"):  # clipped to +-3 next
                centred = np.where(missing, 0.0, values - median) * scale
            numbers.append(smooth_clip(centred) if self.smooth_clip else centred)
            if flagged:
                flags.append(missing.astype(float))
        one_hot = [self._one_hot_block(columns[j][0], slots)
                   for j, slots in self._one_hot]  # fmt: skip
        codes = [self._codes(columns[j][0], slots) for j, slots in self._coded]
        n = len(columns[0][0]) if columns else 0
        blocks = [np.column_stack(b) if b else np.empty((n, 0))
                  for b in (numbers, flags)] + one_hot  # fmt: skip
        blocks.append(np.column_stack(codes) if codes else np.empty((n, 0)))
        # the numbers first, the codes last (the network's front layers read
        # them there); indicators and one-hot columns between
        return np.hstack(blocks)

    def column_encodings(self):
        """How each input column is encoded, in the input's order.

        Returns
        -------
        list of (str, list of str or None)
            ``("numeric", None)``, or ``("one-hot", categories)`` or
            ``("embedded", categories)`` with the categories seen in fit
            (``"(missing)"`` among them where values were missing).
        """
        check_is_fitted(self, "n_numeric_")
        kinds = {j: ("numeric", None) for j, *_ in self._numbers}
        kinds.update({j: ("one-hot", list(slots)) for j, slots in self._one_hot})
        kinds.update({j: ("embedded", list(slots)) for j, slots in self._coded})
        return [kinds[j] for j in range(self.n_features_in_)]

    @staticmethod
    def _as_slots(values):
        return ["(missing)" if is_missing(v) else str(v) for v in values]

    def _one_hot_block(self, values, slots):
        index = {s: i for i, s in enumerate(slots)}
        at = np.array([index.get(k, -1) for k in self._as_slots(values)], dtype=int)
        block = np.zeros((len(at), len(slots)))
        known = at >= 0  # unseen (or missing, unseen in fit): all zeros
        block[np.flatnonzero(known), at[known]] = 1.0
        return block

    def _codes(self, values, slots):
        return np.array([float(slots.get(k, 0)) for k in self._as_slots(values)])

    def __sklearn_tags__(self):
        return with_table_input(super().__sklearn_tags__())


def with_table_input(tags):
    """scikit-learn's tags of an estimator that takes raw tables."""
    tags.input_tags.allow_nan = True
    tags.input_tags.string = True
    tags.input_tags.categorical = True
    return tags
