"""The one place that knows how supported releases of scikit-learn differ.

``pyproject.toml`` promises scikit-learn >= 1.6.1; where a utility we use was
added or changed after that release, this module hides the difference so the
rest of the package reads as if only one release existed. Each entry says
which release made the difference, so it can go once the minimum passes it.
"""

import inspect

import numpy as np
from sklearn.utils.validation import _check_sample_weight

try:  # scikit-learn >= 1.9: the callback API
    from sklearn.callback import CallbackSupportMixin
    from sklearn.callback._callback_support import callback_management_context
except ImportError:  # pragma: no cover - exercised on older scikit-learn
    CallbackSupportMixin = None
    callback_management_context = None

CALLBACKS_AVAILABLE = CallbackSupportMixin is not None

# scikit-learn 1.9 made ``_check_sample_weight`` reject all-zero weights unless
# told not to; earlier releases accept them. We make that check ourselves, with
# our own message, so ask every release to leave it to us.
_ZERO_WEIGHTS_OPTION = (
    {"allow_all_zero_weights": True}
    if "allow_all_zero_weights" in inspect.signature(_check_sample_weight).parameters
    else {}
)


def check_sample_weight_array(sample_weight, X, dtype):
    """``sample_weight`` as a 1-D array of ``dtype`` matching ``X``'s rows.

    scikit-learn's own conversion, with its messages for NaN, inf and wrong
    shapes; it neither checks signs nor sums on any release (the callers do).
    """
    return _check_sample_weight(sample_weight, X, dtype=dtype, **_ZERO_WEIGHTS_OPTION)


# scikit-learn 1.9: the array API helpers the estimators use to compute on the
# input's namespace and device. Before 1.9 the estimators are NumPy-only and do
# not declare array API support.
try:
    from sklearn.utils._array_api import (
        _is_numpy_namespace,
        check_same_namespace,
        get_namespace_and_device,
        move_to,
    )
except ImportError:  # pragma: no cover - exercised on older scikit-learn
    ARRAY_API_SUPPORTED = False
else:
    ARRAY_API_SUPPORTED = True


def array_namespace(*arrays):
    """``(xp, device)`` of the arrays, or ``(None, None)`` for NumPy and sparse.

    Non-NumPy namespaces are only ever returned with scikit-learn's
    ``array_api_dispatch`` on (and scikit-learn >= 1.9).
    """
    if not ARRAY_API_SUPPORTED:
        return None, None
    xp, is_array_api, device = get_namespace_and_device(*arrays)
    if not is_array_api or _is_numpy_namespace(xp):
        return None, None
    return xp, device


def to_numpy(array):
    """An array of any namespace, as a NumPy array on the host."""
    if not ARRAY_API_SUPPORTED or isinstance(array, np.ndarray):
        return array
    if not hasattr(array, "__dlpack__") or hasattr(array, "tocsr"):
        return array  # None, lists, DataFrames, sparse: NumPy's business
    return move_to(array, xp=np, device="cpu")


def same_namespace(X, estimator, method):
    """Raise scikit-learn's error when X's namespace is not the model's."""
    if ARRAY_API_SUPPORTED:
        check_same_namespace(X, estimator, attribute="_params", method=method)


def core_namespace(X):
    """What the core computes with for ``X``: NumPy, or X's namespace on its
    device (see ``_arrays.py``)."""
    from ..nn.arrays import NUMPY, array_ops

    namespace, device = array_namespace(X)
    if namespace is None:
        return NUMPY
    return array_ops(namespace, device, to_numpy)
