"""Class labels as both estimator families encode them: integer labels
recognised in object arrays, and labels as one-hot (indicator) targets."""

from numbers import Integral

import numpy as np


def integer_labels(y):
    """Integer labels held in an object array (a pandas object column, say)
    as an integer array, which scikit-learn's target checks recognise."""
    if y.dtype == object and y.size and all(isinstance(v, Integral) for v in y.flat):
        return y.astype(np.int64)
    return y


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
