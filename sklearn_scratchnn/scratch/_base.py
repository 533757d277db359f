"""What the estimators share: parameters, input validation, and fit's plumbing.

``_fit`` validates the data, encodes the targets (in the subclasses), builds or
continues the network and hands it to a solver: L-BFGS here, sgd and adam in
``_stochastic.py``. A failed fit leaves the estimator as it was. Prediction,
the fitted state and persistence live in their own mixins.
"""

from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, is_regressor
from sklearn.utils import check_random_state
from sklearn.utils.validation import column_or_1d, validate_data

from .._fitting.callbacks import CallbackSupport, fit_callbacks
from .._fitting.checks import (
    PARAMETER_CONSTRAINTS,
    check_hidden_layer_sizes,
    check_same_network,
    check_sample_weight,
    check_solver_settings,
)
from .._fitting.compat import ARRAY_API_SUPPORTED, core_namespace, to_numpy
from .._fitting.epochs import EpochReporter, Rows
from .._fitting.labels import check_no_missing_labels
from .._fitting.outcomes import warn_lbfgs_stopped
from .._fitting.transaction import unchanged_on_failure
from ..nn.fit import train
from ..nn.network import Network
from ..nn.schedules import SCHEDULES
from ..nn.training import EpochState
from ._fitted_state import FittedStateMixin
from ._prediction import PredictionMixin
from ._stochastic import StochasticFitMixin


class Training(NamedTuple):
    """What one fit of a Scratch estimator trains: the network and its flat
    parameters, the targets' strategy, the epochs' state and the namespace
    the arrays live in."""

    network: Network
    params: Any
    targets: Any  # a _fitting.targets.Labels or Values
    state: EpochState
    xp: Any


class BaseScratchMLP(
    StochasticFitMixin,
    PredictionMixin,
    FittedStateMixin,
    CallbackSupport,
    BaseEstimator,
):
    """Base class of the estimators: use ScratchMLPClassifier or ScratchMLPRegressor."""

    # The name that messages and progress labels give this estimator: its
    # class's, unless it is the network inside an estimator the user made (a
    # tabular model), whose name it gives instead.
    _shown_name = None
    _parameter_constraints: dict = PARAMETER_CONSTRAINTS

    def _name(self):
        return self._shown_name or type(self).__name__

    def __init__(
        self,
        *,
        hidden_layer_sizes,
        activation,
        solver,
        alpha,
        batch_size,
        learning_rate,
        learning_rate_init,
        power_t,
        max_iter,
        shuffle,
        random_state,
        tol,
        verbose,
        warm_start,
        momentum,
        nesterovs_momentum,
        early_stopping,
        validation_fraction,
        beta_1,
        beta_2,
        epsilon,
        n_iter_no_change,
        max_fun,
        loss,
        weight_decay,
        dropout,
        dropout_schedule,
        weight_decay_schedule,
        learning_rate_factors,
        input_scaling,
        periodic_embedding,
        parametric_activation,
        parametrization,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.loss = loss
        self.weight_decay = weight_decay
        self.dropout = dropout
        self.dropout_schedule = dropout_schedule
        self.weight_decay_schedule = weight_decay_schedule
        self.learning_rate_factors = learning_rate_factors
        self.input_scaling = input_scaling
        self.periodic_embedding = periodic_embedding
        self.parametric_activation = parametric_activation
        self.parametrization = parametrization

    # What a subclass provides: _new_targets(first_pass), the fit's Labels or
    # Values (_fitting/targets.py), which encodes the targets on the host
    # whatever the namespace of X.

    # -- fit entry point -----------------------------------------------------

    def _fit(self, X, y, sample_weight=None, *, incremental=False, classes=None):
        max_epochs = 0 if self.solver == "lbfgs" else 1 if incremental else None
        # Anything that goes wrong leaves the estimator exactly as it was:
        # never a half-written or NaN model. Overflow is detected and reported
        # (DivergenceError), never warned about: this also covers
        # scikit-learn's validation, whose quick finiteness test sums X and
        # overflows for float32 near its limits.
        with (
            unchanged_on_failure(self),
            np.errstate(over="ignore", invalid="ignore", divide="ignore"),
            fit_callbacks(self, X, y, sample_weight, max_epochs) as callbacks,
        ):
            return self._fit_guarded(
                X, y, sample_weight, incremental, classes, callbacks
            )

    def _check_solver(self):
        """partial_fit exists only for the stochastic solvers (``available_if``)."""
        if self.solver not in ("sgd", "adam"):
            raise AttributeError(
                "partial_fit is only available for stochastic optimizers. "
                f"{self.solver} is not stochastic."
            )
        for name in ("learning_rate", "dropout_schedule", "weight_decay_schedule"):
            if getattr(self, name) in SCHEDULES:
                raise AttributeError(
                    f"partial_fit is not available with {name}="
                    f"{getattr(self, name)!r}: that schedule is planned over "
                    "the max_iter epochs of one fit, which partial_fit does "
                    "not know."
                )
        return True

    def _is_fitted(self):
        return "network_" in self.__dict__

    def _fit_guarded(self, X, y, sample_weight, incremental, classes, callbacks):
        check_solver_settings(self)
        hidden = check_hidden_layer_sizes(self.hidden_layer_sizes)
        first_pass = not self._is_fitted() or not (self.warm_start or incremental)
        if not first_pass:
            self._check_namespace(X, "partial_fit" if incremental else "fit")
        xp = core_namespace(X)
        if not is_regressor(self):
            check_no_missing_labels(y)
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=["csr", "csc"],
            multi_output=True,
            dtype=(xp.float64, xp.float32),
            reset=first_pass,
            y_numeric=is_regressor(self),
        )
        if not first_pass:
            X = xp.astype(X, self._params.dtype, copy=False)
        if sp.issparse(X):
            X = X.tocsr()  # mini-batches take rows
        # Targets and weights are encoded on the host, then moved to X's device.
        host_dtype = xp.numpy_dtype(X.dtype)
        targets, y, Y, sample_weight = self._encoded_targets(
            to_numpy(y),
            to_numpy(sample_weight),
            X,
            xp,
            first_pass,
            classes,
            incremental,
        )
        random_state = check_random_state(self.random_state)

        if first_pass:
            network = self._new_network(X.shape[1], hidden, Y.shape[1], targets)
            # drawn by NumPy, as scikit-learn draws it, whatever the device
            start = self._initial_params(network, X, random_state, host_dtype)
            params = xp.from_numpy(start)
            state = EpochState()
        else:
            network = self._network
            check_same_network(self, network, hidden, Y)
            params = xp.copy(self._params)  # published only if training succeeds
            state = self._state.copy()

        fit = Training(network, params, targets, state, xp)
        data = Rows(X, y, Y, sample_weight)
        if self.solver == "lbfgs":
            self._fit_lbfgs(fit, data)
        else:
            self._fit_stochastic(fit, data, random_state, incremental, callbacks)
        self._publish(fit)
        return self

    def _encoded_targets(
        self, y, sample_weight, X, xp, first_pass, classes, incremental
    ):
        """``(targets, y, Y, sample_weight)``: the fit's Labels or Values, the
        targets as read, encoded (smoothed, on X's device) and the weights
        (times the class weights, on X's device)."""
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        targets = self._new_targets(first_pass)
        y = targets.fit(y, classes, same_classes=self.warm_start)
        dtype = xp.numpy_dtype(X.dtype)
        Y = targets.encode(y, dtype)
        host_X = X if xp.is_numpy else np.empty((X.shape[0], 0), dtype=dtype)
        sample_weight = targets.weights(
            check_sample_weight(sample_weight, host_X),
            Y,
            dtype,
            previous_counts=self._class_counts_so_far(incremental),
        )
        Y = xp.from_numpy(targets.smooth(Y))
        if sample_weight is not None:
            sample_weight = xp.from_numpy(sample_weight)
        return targets, y, Y, sample_weight

    def _class_counts_so_far(self, incremental):
        """The weighted class counts of the partial_fit calls before, which
        class_weight="balanced" adds this call's to (None otherwise)."""
        if incremental and self._is_fitted() and "_class_counts" in self.__dict__:
            return to_numpy(self._class_counts)
        return None

    def _initial_params(self, network, X, random_state, dtype):
        """The flat parameter vector to start from (a NumPy array)."""
        return network.initialize(random_state, dtype)

    def _new_network(self, n_features, hidden, n_outputs, targets):
        """A new network of the estimator's architecture."""
        return Network(
            [n_features, *hidden, n_outputs],
            self.activation,
            targets.output_activation,
            self.loss,
            **self._architecture(n_features),
        )

    def _architecture(self, n_features):
        """The network's options that the parameters set."""
        return {
            # RealMLP's sizes: 16 frequencies, 3 embedding units per feature
            "periodic_embedding": {"n_columns": n_features}
            if self.periodic_embedding
            else None,
            "input_scaling": self.input_scaling,
            "parametric_activation": self.parametric_activation,
            "parametrization": self.parametrization,
        }

    # -- L-BFGS --------------------------------------------------------------

    def _fit_lbfgs(self, fit, data):
        result = train(
            fit.network,
            fit.params,
            (data.X, data.Y, data.sample_weight),
            self._training_plan(),
            state=fit.state,
            reporter=EpochReporter(self.verbose),
            xp=fit.xp,
        )
        if result.status != 0:
            warn_lbfgs_stopped(result, self.max_iter, self.max_fun, stacklevel=2)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.array_api_support = ARRAY_API_SUPPORTED
        return tags
