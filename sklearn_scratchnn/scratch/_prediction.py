"""Prediction: validating X quickly, and the forward pass on X's namespace.

A finite float NumPy array of the right shape takes a fast path (a few
microseconds); anything else goes through scikit-learn's validation. X must be
of the namespace and device the model was fitted on.
"""

import numpy as np
from sklearn import get_config
from sklearn.utils.validation import check_is_fitted, validate_data

from .._fitting.compat import core_namespace, same_namespace
from ..nn.arrays import NUMPY

_FLOAT_DTYPES = (np.dtype(np.float64), np.dtype(np.float32))


class PredictionMixin:
    """``_forward`` and its checks, for :class:`BaseScratchMLP`."""

    def __sklearn_is_fitted__(self):
        return self._is_fitted()

    def _validate_for_predict(self, X, xp):
        """validate_data, with a fast path for the common case.

        A finite 2-D float ndarray with the fitted number of columns, for a
        model fitted without feature names, is what validate_data would
        return unchanged; checking that directly costs a few microseconds,
        where the full validation costs more than a single-row forward pass.
        Anything else (lists, DataFrames, sparse, ints, NaN, wrong shapes)
        goes through scikit-learn's validation and its error messages.
        """
        if (
            type(X) is np.ndarray
            and X.ndim == 2
            and X.dtype in _FLOAT_DTYPES
            and X.shape[0] > 0
            and X.shape[1] == self.n_features_in_
            and "feature_names_in_" not in self.__dict__
            and np.isfinite(X).all()
        ):
            return X
        with np.errstate(over="ignore", invalid="ignore"):  # see _fit
            return validate_data(
                self,
                X,
                accept_sparse=["csr", "csc"],
                dtype=(xp.float64, xp.float32),
                reset=False,
            )

    def _forward(self, X, method):
        """Validated forward pass: output pre-activation, activation, namespace.

        ``method`` names the public method, for the error scikit-learn raises
        when X is not of the namespace and device the model was fitted on.
        """
        trained = self.__dict__.get("network_")
        if trained is None:
            check_is_fitted(self)  # raises NotFittedError with sklearn's message
        params = trained.params
        if type(X) is np.ndarray and type(params) is np.ndarray:
            xp = NUMPY  # the common case, without a namespace to look up
        else:
            self._check_namespace(X, method)
            xp = core_namespace(X)
        X = self._validate_for_predict(X, xp)
        z, out = self._network.forward(params, X, xp=xp)
        # Every output activation maps finite logits to finite outputs.
        if not bool(xp.all(xp.isfinite(z))):
            raise ValueError(
                "The network's output overflowed for this input (values too large "
                "for the model's float precision). Scale the input the same way "
                "as the training data, e.g. with sklearn.preprocessing.StandardScaler."
            )
        return z, out, xp

    def _check_namespace(self, X, method):
        """X must be of the namespace and device of the fitted parameters."""
        same_namespace(X, self, method)  # scikit-learn's check, dispatch on
        if not isinstance(self._params, np.ndarray) and not get_config().get(
            "array_api_dispatch", False
        ):
            raise ValueError(
                f"This {self._name()} was fitted on "
                f"{type(self._params).__module__} arrays with array_api_dispatch "
                f"on, so {method}() needs it on too, with X on the same namespace "
                "and device. To use the model with NumPy, move it first: "
                "sklearn.utils._array_api.move_estimator_to(model, xp=numpy, "
                'device="cpu").'
            )
