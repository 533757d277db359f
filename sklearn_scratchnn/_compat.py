"""The one place that knows how supported releases of scikit-learn differ.

``pyproject.toml`` promises scikit-learn >= 1.6.1; where a utility we use was
added or changed after that release, this module hides the difference so the
rest of the package reads as if only one release existed. Each entry says
which release made the difference, so it can go once the minimum passes it.
"""

import inspect

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
