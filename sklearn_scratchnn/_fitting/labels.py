"""Class labels as both estimator families encode them: integer labels
recognised in object arrays, missing labels refused, and labels as one-hot
(indicator) targets."""

from numbers import Integral

import numpy as np


def integer_labels(y):
    """Integer labels held in an object array (a pandas object column, say)
    as an integer array, which scikit-learn's target checks recognise."""
    if y.dtype == object and y.size and all(isinstance(v, Integral) for v in y.flat):
        return y.astype(np.int64)
    return y


def check_no_missing_labels(y):
    """A ValueError naming the rows of ``y`` (labels as the user gave them:
    a list, an array, a pandas Series of any dtype) that hold no label.

    Checked before scikit-learn's target checks: on an object array holding
    ``None`` they fail with a bare ``TypeError`` ('<' not supported between
    'NoneType' and 'str'), on pandas' ``NA`` with another, and on NaN with
    "Input contains NaN", none naming the row at fault.
    """
    if y is None:
        return  # scikit-learn's own check says that y is required
    try:
        values = np.asarray(y)
    except (TypeError, ValueError, RuntimeError):
        return  # an array of another namespace or device: its own checks run
    if values.ndim == 0 or values.size == 0:
        return  # no labels to look at: scikit-learn's checks say what is wrong
    if values.dtype.kind == "f":
        missing = np.isnan(values)
    elif values.dtype == object:
        missing = np.array([is_missing(v) for v in values.ravel()], dtype=bool)
    else:
        return
    rows = np.flatnonzero(missing.reshape(len(values), -1).any(axis=1))
    if rows.size:
        shown = ", ".join(map(str, rows[:5])) + (", ..." if rows.size > 5 else "")
        raise ValueError(
            "Input y contains NaN. A class target needs a label on every "
            f"row, and {rows.size} row(s) have none (None or NaN), at "
            f"position(s) {shown} (counting from 0). Drop those rows (with "
            "pandas, frame.dropna(subset=[target])) or fill them before fitting."
        )


def is_missing(value):
    """Whether one table cell (or label) is missing: None, NaN, ``pd.NA``, ``NaT``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_scratchnn.tabular import is_missing
    >>> [is_missing(v) for v in (None, np.nan, "", 0.0)]
    [True, True, False, False]
    """
    if value is None:
        return True
    if isinstance(value, (float, np.floating)):
        return value != value  # NaN
    return type(value).__name__ in ("NAType", "NaTType")


def one_hot(y, binarizer, dtype):
    """Targets as floats of X's dtype, written once: a column of 0/1 for two
    classes, one column a class for more, the indicator matrix as it is.

    (LabelBinarizer.transform makes an int64 matrix first, which would
    cost n_samples * n_classes * 8 bytes more at the peak of fit.)
    """
    if binarizer.y_type_ == "multilabel-indicator":
        return np.asarray(binarizer.transform(y), dtype=dtype)
    codes = np.searchsorted(binarizer.classes_, y)
    if binarizer.y_type_ == "binary":
        return (codes == 1).astype(dtype)[:, np.newaxis]
    Y = np.zeros((len(codes), len(binarizer.classes_)), dtype=dtype)
    Y[np.arange(len(codes)), codes] = 1
    return Y
