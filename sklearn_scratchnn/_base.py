"""What the estimators share: parameters, validation and the fit plumbing."""

import warnings
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn import get_config
from sklearn.base import BaseEstimator, is_regressor
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ._arrays import NUMPY, array_ops
from ._callbacks import CallbackSupport, epoch_callbacks, fit_callbacks
from ._compat import (
    ARRAY_API_SUPPORTED,
    array_namespace,
    check_sample_weight_array,
    same_namespace,
    to_numpy,
)
from ._network import Network
from ._optimizers import SGD, Adam
from ._persistence import convert_arrays, from_plain_state, to_plain_state
from ._split import validation_split
from ._training import (
    Batches,
    DivergenceError,
    EpochState,
    fit_lbfgs,
    run_epoch,
)

_FLOAT_DTYPES = (np.dtype(np.float64), np.dtype(np.float32))


def _hidden_sizes(hidden_layer_sizes):
    """``hidden_layer_sizes`` as a list of positive ints, or a ValueError."""
    sizes = hidden_layer_sizes
    if not hasattr(sizes, "__iter__"):
        sizes = [sizes]
    sizes = list(sizes)
    for size in sizes:
        if (
            isinstance(size, bool)
            or not isinstance(size, (Integral, np.integer))
            or size <= 0
        ):
            raise ValueError(
                "hidden_layer_sizes must be a positive integer or a sequence of "
                "positive integers (units per hidden layer), "
                f"got {hidden_layer_sizes!r}."
            )
    return [int(s) for s in sizes]


class BaseScratchMLP(CallbackSupport, BaseEstimator):
    """Base class of the estimators: use ScratchMLPClassifier or ScratchMLPRegressor."""

    _parameter_constraints: dict = {
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "activation": [StrOptions({"identity", "logistic", "tanh", "relu"})],
        "solver": [StrOptions({"lbfgs", "sgd", "adam"})],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [
            StrOptions({"auto"}),
            Interval(Integral, 1, None, closed="left"),
        ],
        "learning_rate": [StrOptions({"constant", "invscaling", "adaptive"})],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "power_t": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_iter_no_change": [
            Interval(Integral, 1, None, closed="left"),
            Options(Real, {np.inf}),
        ],
        "max_fun": [Interval(Integral, 1, None, closed="left")],
    }

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

    def _check_sample_weight(self, sample_weight, X):
        """Validated weights, or None; the same errors on every scikit-learn."""
        if sample_weight is None:
            return None
        sample_weight = check_sample_weight_array(sample_weight, X, X.dtype)
        if np.any(sample_weight < 0):
            raise ValueError(
                "Negative values in data passed to `sample_weight`: sample "
                "weights must be non-negative (use 0 to leave a sample out)."
            )
        if not np.any(sample_weight):
            raise ValueError(
                "sample_weight must contain at least one non-zero weight: with "
                "every sample weighing 0 there is nothing to learn from. Give "
                "some samples a positive weight."
            )
        return sample_weight

    # What a subclass provides (y, Y and the weights are NumPy arrays there,
    # whatever the namespace of X: targets are encoded on the host):
    #   _encode_targets(y, dtype, first_pass, classes) -> (Y, target_state)
    #   _sample_weight(sample_weight, X, y, Y, target_state, incremental)
    #   _output_activation(target_state) -> str
    #   _score_output(z, out, y, sample_weight, target_state) -> float
    #   _strata(y, target_state) -> labels to stratify the validation split by

    # -- fit entry point -----------------------------------------------------

    def _fit(self, X, y, sample_weight=None, *, incremental=False, classes=None):
        # Anything that goes wrong leaves the estimator exactly as it was:
        # never a half-written or NaN model.
        saved = dict(self.__dict__)
        try:
            max_epochs = 0 if self.solver == "lbfgs" else 1 if incremental else None
            # Overflow is detected and reported (DivergenceError), never warned
            # about: this also covers scikit-learn's validation, whose quick
            # finiteness test sums X and overflows for float32 near its limits.
            with (
                np.errstate(over="ignore", invalid="ignore", divide="ignore"),
                fit_callbacks(self, X, y, sample_weight, max_epochs) as callbacks,
            ):
                return self._fit_guarded(
                    X, y, sample_weight, incremental, classes, callbacks
                )
        except BaseException:
            self.__dict__.clear()
            self.__dict__.update(saved)
            raise

    def _prepare_targets(self, y):
        """Targets as validated, before encoding (overridden by the classifier)."""
        return y

    def _check_solver(self):
        """partial_fit exists only for the stochastic solvers (``available_if``)."""
        if self.solver not in ("sgd", "adam"):
            raise AttributeError(
                "partial_fit is only available for stochastic optimizers. "
                f"{self.solver} is not stochastic."
            )
        return True

    def _is_fitted(self):
        return "_params" in self.__dict__

    def _fit_guarded(self, X, y, sample_weight, incremental, classes, callbacks):
        hidden = _hidden_sizes(self.hidden_layer_sizes)
        first_pass = not self._is_fitted() or not (self.warm_start or incremental)
        if not first_pass:
            self._check_namespace(X, "partial_fit" if incremental else "fit")
        xp = self._array_ops(X)
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
        y = self._prepare_targets(to_numpy(y))
        host_dtype = xp.numpy_dtype(X.dtype)
        Y, target_state = self._encode_targets(y, host_dtype, first_pass, classes)
        sample_weight = self._sample_weight(
            to_numpy(sample_weight),
            X if xp.is_numpy else np.empty((X.shape[0], 0), dtype=host_dtype),
            y,
            Y,
            target_state,
            incremental,
        )
        Y = xp.from_numpy(Y)
        if sample_weight is not None:
            sample_weight = xp.from_numpy(sample_weight)
        random_state = check_random_state(self.random_state)

        if first_pass:
            network = Network(
                [X.shape[1], *hidden, Y.shape[1]],
                self.activation,
                self._output_activation(target_state),
                self.loss,
            )
            # drawn by NumPy, as scikit-learn draws it, whatever the device
            params = xp.from_numpy(network.initialize(random_state, host_dtype))
            state = EpochState()
        else:
            network = self._network
            self._check_same_network(network, hidden, Y)
            params = xp.copy(self._params)  # published only if training succeeds
            state = self._state.copy()

        if self.solver == "lbfgs":
            self._fit_lbfgs(network, params, X, Y, sample_weight, state, xp)
        else:
            self._fit_stochastic(
                network,
                params,
                (X, y, Y, sample_weight),
                target_state,
                state,
                random_state,
                incremental,
                callbacks,
                xp,
            )
        self._publish(network, params, target_state, state, xp)
        return self

    @staticmethod
    def _array_ops(X):
        """What the core computes with for ``X``: NumPy, or X's namespace."""
        namespace, device = array_namespace(X)
        if namespace is None:
            return NUMPY
        return array_ops(namespace, device, to_numpy)

    def _check_same_network(self, network, hidden, Y):
        """A warm start or partial_fit continues this network, or says why not."""
        fitted = {
            "hidden_layer_sizes": list(network.layer_units[1:-1]),
            "activation": network.hidden.name,
            "loss": network.loss_name,
        }
        asked = {
            "hidden_layer_sizes": hidden,
            "activation": self.activation,
            "loss": self.loss,
        }
        changed = [name for name in fitted if fitted[name] != asked[name]]
        if changed:
            was = ", ".join(f"{n}={fitted[n]!r}" for n in changed)
            now = ", ".join(f"{n}={asked[n]!r}" for n in changed)
            raise ValueError(
                f"The fitted network has {was} but the parameters now ask for {now}: "
                "warm_start and partial_fit continue the fitted network. Fit with "
                "warm_start=False (or a new estimator) to train a different one."
            )
        if Y.shape[1] != network.layer_units[-1]:
            raise ValueError(
                f"y has {Y.shape[1]} output(s) but the fitted network has "
                f"{network.layer_units[-1]}; fit with warm_start=False to start "
                "a new model."
            )

    # -- L-BFGS --------------------------------------------------------------

    def _fit_lbfgs(self, network, params, X, Y, sample_weight, state, xp):
        state.loss_curve = []

        def on_iteration(loss):
            state.loss_curve.append(loss)
            if self.verbose:
                print(f"Iteration {len(state.loss_curve)}, loss = {loss:.8f}")

        result = fit_lbfgs(
            network,
            params,
            X,
            Y,
            sample_weight,
            self.alpha,
            max_iter=self.max_iter,
            max_fun=self.max_fun,
            tol=self.tol,
            on_iteration=on_iteration,
            xp=xp,
        )
        if result.status != 0:
            message = result.message
            if isinstance(message, bytes):
                message = message.decode("latin1")
            warnings.warn(
                f"lbfgs failed to converge after {result.nit} iteration(s) "
                f"(status={result.status}): {message}. Increase the number of "
                f"iterations (max_iter={self.max_iter}) or of function "
                f"evaluations (max_fun={self.max_fun}), or scale the data.",
                ConvergenceWarning,
                stacklevel=2,
            )
        state.loss = float(result.fun)
        state.n_iter = int(result.nit)

    # -- SGD and Adam --------------------------------------------------------

    def _make_optimizer(self, params, xp):
        if self.solver == "sgd":
            return SGD(
                params,
                self.learning_rate_init,
                self.momentum,
                self.nesterovs_momentum,
                self.learning_rate,
                self.power_t,
                xp=xp,
            )
        return Adam(
            params,
            self.learning_rate_init,
            self.beta_1,
            self.beta_2,
            self.epsilon,
            xp=xp,
        )

    def _batch_size(self, n_samples):
        if self.batch_size == "auto":
            return min(200, n_samples)
        if self.batch_size > n_samples:
            warnings.warn(
                f"Got `batch_size` larger than sample size ({self.batch_size} > "
                f"{n_samples}). It is going to be clipped to {n_samples}.",
                stacklevel=2,
            )
        return min(self.batch_size, n_samples)

    def _split_validation(self, data, target_state, random_state, xp):
        """(train, validation) parts of ``(X, y, Y, sample_weight)``.

        The split is drawn on the host; the validation part's targets and
        weights stay there, as the score is computed there.
        """
        X, y, Y, sample_weight = data
        is_val = validation_split(
            xp.to_numpy(X),
            self._strata(y, target_state),
            to_numpy(sample_weight),
            self.validation_fraction,
            random_state,
        )
        n_val = int(is_val.sum())
        needed = 1 if self._strata(y, target_state) is not None else 2
        if n_val < needed or n_val == X.shape[0]:
            raise ValueError(
                f"The validation set is too small: validation_fraction="
                f"{self.validation_fraction} of {X.shape[0]} samples leaves "
                f"{n_val} sample(s) for validation and {X.shape[0] - n_val} for "
                "training. Increase 'validation_fraction' or the size of your "
                "dataset, or set early_stopping=False."
            )

        def rows(a, mask):
            if a is None or isinstance(a, np.ndarray) or sp.issparse(a):
                return None if a is None else a[mask]
            return xp.take(a, xp.from_numpy(np.flatnonzero(mask)), axis=0)

        train = tuple(rows(a, ~is_val) for a in data)
        X_val, y_val, Y_val, sw_val = (rows(a, is_val) for a in data)
        return train, (X_val, y_val, to_numpy(Y_val), to_numpy(sw_val))

    def _fit_stochastic(
        self,
        network,
        params,
        data,
        target_state,
        state,
        random_state,
        incremental,
        callbacks,
        xp,
    ):
        # early stopping is a rule over the epochs of one fit; partial_fit
        # trains on every row it is given and leaves stopping to its caller.
        early_stopping = self.early_stopping and not incremental
        if early_stopping:
            data, validation = self._split_validation(
                data, target_state, random_state, xp
            )
        else:
            validation = None
        X, y, Y, sample_weight = data
        n_samples = X.shape[0]
        batch_size = self._batch_size(n_samples)
        if state.optimizer is None or not incremental:
            state.optimizer = self._make_optimizer(params, xp)
        state.start(self.tol, self.n_iter_no_change, early_stopping, params, xp)
        ws = network.workspace(params, xp.empty_like(params), batch_size, xp)
        batches = Batches(X, Y, sample_weight, batch_size, xp)
        order = np.arange(n_samples) if self.shuffle else None

        state.n_iter = 0
        if not incremental and state.stopping.fired():
            # A warm start of a run whose stopping rule has fired: the run is
            # over and fitting again changes nothing (refitting is idempotent).
            warnings.warn(
                "warm_start: the previous fit already met its stopping rule "
                f"(no improvement above tol={self.tol} for {self.n_iter_no_change} "
                "epochs), so this fit leaves the model as it is. Use partial_fit "
                "to train on, or lower tol.",
                ConvergenceWarning,
                stacklevel=3,
            )
            return
        for _ in range(1 if incremental else self.max_iter):
            if self.shuffle:
                # Compose a fresh permutation with the previous order, exactly
                # as scikit-learn's `shuffle(sample_idx)` does, so that the
                # same seed visits the rows in the same order in both.
                perm = np.arange(n_samples)
                random_state.shuffle(perm)
                order = order[perm]
            with epoch_callbacks(callbacks, X, y) as epoch:
                stop = self._epoch(
                    network, ws, state, batches, order, validation, target_state
                )
                if stop is None:
                    break  # interrupted
                epoch.end(
                    lambda: {
                        **self._fitted_attributes(
                            network, xp.copy(params), target_state, xp
                        ),
                        "loss_curve_": list(state.loss_curve),
                        "validation_scores_": None
                        if state.validation_scores is None
                        else list(state.validation_scores),
                    }
                )
                if stop or epoch.stop_requested:
                    break
        else:
            if not incremental:
                warnings.warn(
                    f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) "
                    "reached and the optimization hasn't converged yet.",
                    ConvergenceWarning,
                    stacklevel=2,
                )
        if early_stopping:
            params[...] = state.best_params  # restore the best epoch's weights

    def _epoch(self, network, ws, state, batches, order, validation, target_state):
        """One epoch and its bookkeeping; True to stop, None if interrupted."""
        optimizer = state.optimizer
        saved = ws.xp.copy(ws.params), optimizer.snapshot(ws.xp)
        try:
            loss = run_epoch(network, ws, optimizer, batches, self.alpha, order)
        except KeyboardInterrupt:
            ws.params[...], snapshot = saved
            optimizer.restore(snapshot)
            if not state.loss_curve:
                raise  # nothing was learnt: there is no model to keep
            warnings.warn(
                "Training interrupted by user; the model keeps the parameters of "
                f"the last completed epoch (epoch {len(state.loss_curve)}).",
                stacklevel=3,
            )
            return None
        except DivergenceError:
            if state.best_params is None or validation is None:
                raise
            warnings.warn(
                "Training diverged (the loss became non-finite); early stopping "
                "keeps the weights of the best validation epoch. Lower "
                "learning_rate_init or scale the data.",
                ConvergenceWarning,
                stacklevel=3,
            )
            return True
        state.record_loss(loss, batches.n)
        if self.verbose:
            print(f"Iteration {state.n_iter}, loss = {loss:.8f}")
        if validation is not None:
            score, val_loss = self._validate(network, ws, validation, target_state)
            state.record_validation(score, val_loss, ws.params)
            if self.verbose:
                print(f"Validation score: {score:f}")
        optimizer.epoch_end(state.t)
        if not state.stopping.fired():
            return False
        stop, what_next = optimizer.on_plateau()
        if self.verbose:
            what = "Validation score" if validation is not None else "Training loss"
            print(
                f"{what} did not improve more than tol={self.tol:f} for "
                f"{self.n_iter_no_change} consecutive epochs. {what_next}"
            )
        if not stop:
            state.stopping.count = 0
        return stop

    def _validate(self, network, ws, validation, target_state):
        """Validation score (accuracy or R^2) and loss of the current weights."""
        X, y, Y, sample_weight = validation
        z, out = network.forward(ws.coefs, ws.intercepts, X, xp=ws.xp)
        z, out = ws.xp.to_numpy(z), ws.xp.to_numpy(out)  # scored on the host
        if not (np.isfinite(z).all() and np.isfinite(out).all()):
            return np.nan, np.nan
        score = self._score_output(z, out, y, sample_weight, target_state)
        loss = network.data_loss(z, out, Y, sample_weight)
        return float(score), loss

    # -- fitted state --------------------------------------------------------

    def _fitted_attributes(self, network, params, target_state, xp):
        """Everything predict needs, e.g. for a callback's fitted estimator.

        Numeric arrays of the target state (numeric ``classes_``, class
        counts) live on the parameters' device, as scikit-learn's array API
        estimators keep them; label strings stay NumPy arrays.
        """
        target_state = {
            name: xp.from_numpy(value)
            if isinstance(value, np.ndarray) and value.dtype.kind in "biuf"
            else value
            for name, value in target_state.items()
        }
        coefs, intercepts = network.unpack(params)
        return {
            "_network": network,
            "_params": params,
            "coefs_": coefs,
            "intercepts_": intercepts,
            "n_layers_": network.n_layers + 1,
            "n_outputs_": network.layer_units[-1],
            "out_activation_": network.output.name,
            **target_state,
        }

    def _publish(self, network, params, target_state, state, xp):
        """Make a trained network the estimator's fitted state."""
        if not bool(xp.all(xp.isfinite(params))):  # pragma: no cover - checked
            raise DivergenceError("network's parameters")
        for name, value in self._fitted_attributes(
            network, params, target_state, xp
        ).items():
            setattr(self, name, value)
        self._state = state
        stochastic = self.solver != "lbfgs"
        early = stochastic and state.validation_scores is not None
        self.loss_ = state.loss
        self.loss_curve_ = state.loss_curve
        self.n_iter_ = state.n_iter
        self.t_ = state.t
        self.best_loss_ = (
            state.stopping.best_value if stochastic and not early else None
        )
        self.validation_scores_ = state.validation_scores if early else None
        self.validation_loss_curve_ = state.validation_loss_curve if early else None
        self.best_validation_score_ = state.stopping.best_value if early else None

    # -- persistence: plain data only (see _persistence.py) -------------------

    def __getstate__(self):
        return to_plain_state(super().__getstate__())

    def __setstate__(self, state):
        super().__setstate__(from_plain_state(state, type(self).__name__))

    # -- prediction ----------------------------------------------------------

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
        params = self.__dict__.get("_params")
        if params is None:
            check_is_fitted(self)  # raises NotFittedError with sklearn's message
        if type(X) is np.ndarray and type(params) is np.ndarray:
            xp = NUMPY  # the common case, without a namespace to look up
        else:
            self._check_namespace(X, method)
            xp = self._array_ops(X)
        X = self._validate_for_predict(X, xp)
        z, out = self._network.forward(self.coefs_, self.intercepts_, X, xp=xp)
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
                f"This {type(self).__name__} was fitted on "
                f"{type(self._params).__module__} arrays with array_api_dispatch "
                f"on, so {method}() needs it on too, with X on the same namespace "
                "and device. To use the model with NumPy, move it first: "
                "sklearn.utils._array_api.move_estimator_to(model, xp=numpy, "
                'device="cpu").'
            )

    def __sklearn_array_api_convert__(self, converter):
        """A copy with every array converted: scikit-learn's ``move_estimator_to``.

        Goes through the saved (plain) state, so the copy's ``coefs_`` and
        ``intercepts_`` are views of its own parameter vector again.
        """
        return self._with_converted_arrays(converter)

    def _with_converted_arrays(self, converter):
        state = to_plain_state(self.__dict__)
        binarizer = state.pop("_label_binarizer", None)  # stays on the host
        state = convert_arrays(state, converter)
        if binarizer is not None:
            state["_label_binarizer"] = binarizer
        estimator = type(self).__new__(type(self))
        estimator.__setstate__(state)
        return estimator

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.array_api_support = ARRAY_API_SUPPORTED
        return tags
