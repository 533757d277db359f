"""What the estimators share: parameters, validation and the fit plumbing."""

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

from ._network import Network
from ._optimizers import SGD, Adam
from ._training import Batches, DivergenceError, NoImprovement, fit_lbfgs, run_epoch


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


class BaseScratchMLP(BaseEstimator):
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
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_iter_no_change": [
            Interval(Integral, 1, None, closed="left"),
            Options(Real, {np.inf}),
        ],
        "max_fun": [Interval(Integral, 1, None, closed="left")],
    }

    # -- what the subclasses provide --------------------------------------------
    # _encode_targets(y, reset) -> float target matrix (n, n_outputs)
    # _output_activation() -> name of the output activation

    # -- fitting ----------------------------------------------------------------

    def _validate_X_y(self, X, y, reset):
        return validate_data(
            self,
            X,
            y,
            multi_output=True,
            dtype=(np.float64, np.float32),
            reset=reset,
            y_numeric=False,
        )

    def _check_sample_weight(self, sample_weight, X):
        if sample_weight is None:
            return None
        return _check_sample_weight(
            sample_weight, X, dtype=X.dtype, ensure_non_negative=True
        )

    def _fit(self, X, y, sample_weight=None):
        hidden = _hidden_sizes(self.hidden_layer_sizes)
        X, y = self._validate_X_y(X, y, reset=True)
        Y = self._encode_targets(y, X.dtype)
        sample_weight = self._check_sample_weight(sample_weight, X)
        self._check_weighted_targets(Y, sample_weight)

        network = Network(
            [X.shape[1], *hidden, Y.shape[1]],
            self.activation,
            self._output_activation(Y),
            self.loss,
        )
        random_state = check_random_state(self.random_state)
        params = network.initialize(random_state, X.dtype)

        # Train on local state and publish it only on success, so a fit that
        # fails (or diverges) never leaves a half-trained or NaN model behind.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            if self.solver == "lbfgs":
                state = self._fit_lbfgs(network, params, X, Y, sample_weight)
            else:
                state = self._fit_stochastic(
                    network, params, X, Y, sample_weight, random_state
                )
        self._publish(network, params, state)
        return self

    def _fit_lbfgs(self, network, params, X, Y, sample_weight):
        curve = []

        def on_iteration(loss):
            curve.append(loss)
            if self.verbose:
                print(f"Iteration {len(curve)}, loss = {loss:.8f}")

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
        return {
            "loss_": float(result.fun),
            "loss_curve_": curve,
            "n_iter_": int(result.nit),
            "t_": 0,
            "best_loss_": None,
        }

    def _make_optimizer(self, params):
        if self.solver == "sgd":
            return SGD(
                params,
                self.learning_rate_init,
                self.momentum,
                self.nesterovs_momentum,
            )
        return Adam(
            params, self.learning_rate_init, self.beta_1, self.beta_2, self.epsilon
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

    def _fit_stochastic(self, network, params, X, Y, sample_weight, random_state):
        n_samples = X.shape[0]
        batch_size = self._batch_size(n_samples)
        optimizer = self._make_optimizer(params)
        grad = np.empty_like(params)
        ws = network.workspace(params, grad, batch_size)
        batches = Batches(X, Y, sample_weight, batch_size)
        rule = NoImprovement(self.tol, self.n_iter_no_change)
        order = np.arange(n_samples) if self.shuffle else None
        curve, t = [], 0

        for _ in range(self.max_iter):
            if self.shuffle:
                # Compose a fresh permutation with the previous order, exactly
                # as scikit-learn's `shuffle(sample_idx)` does, so that the
                # same seed visits the rows in the same order in both.
                perm = np.arange(n_samples)
                random_state.shuffle(perm)
                order = order[perm]
            last_params, last_optimizer = params.copy(), optimizer.snapshot()
            try:
                loss = run_epoch(network, ws, optimizer, batches, self.alpha, order)
            except KeyboardInterrupt:
                # Keep the last completed epoch; a half-done one is no model.
                params[...] = last_params
                optimizer.restore(last_optimizer)
                warnings.warn(
                    f"Training interrupted by user after {len(curve)} epoch(s); "
                    "the model keeps the parameters of the last completed epoch.",
                    stacklevel=2,
                )
                break
            curve.append(loss)
            t += n_samples
            if self.verbose:
                print(f"Iteration {len(curve)}, loss = {loss:.8f}")
            rule.update(loss)
            optimizer.epoch_end(t)
            if rule.fired():
                stop, what_next = optimizer.on_plateau()
                if self.verbose:
                    print(
                        f"Training loss did not improve more than tol={self.tol:f}"
                        f" for {self.n_iter_no_change} consecutive epochs. " + what_next
                    )
                if stop:
                    break
                rule.count = 0
        else:
            warnings.warn(
                f"Stochastic Optimizer: Maximum iterations ({self.max_iter}) "
                "reached and the optimization hasn't converged yet.",
                ConvergenceWarning,
                stacklevel=2,
            )
        if not curve:
            raise KeyboardInterrupt(
                "Training was interrupted before the first epoch completed."
            )
        return {
            "loss_": curve[-1],
            "loss_curve_": curve,
            "n_iter_": len(curve),
            "t_": t,
            "best_loss_": rule.best_value,
        }

    def _publish(self, network, params, state):
        """Make a trained network the estimator's fitted state."""
        if not np.isfinite(params).all():  # pragma: no cover - training checks
            raise DivergenceError("network's parameters")
        self._network = network
        self._params = params
        self._bind_views()
        self.n_layers_ = network.n_layers + 1
        self.n_outputs_ = network.layer_units[-1]
        self.out_activation_ = network.output.name
        for name, value in state.items():
            setattr(self, name, value)

    def _bind_views(self):
        # coefs_ and intercepts_ are views of the flat vector: writing into
        # them changes the model.
        self.coefs_, self.intercepts_ = self._network.unpack(self._params)

    # -- persistence: views do not survive pickling on their own ---------------

    def __getstate__(self):
        state = super().__getstate__()
        state = dict(state)
        state.pop("coefs_", None)
        state.pop("intercepts_", None)
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        if "_params" in self.__dict__:
            self._bind_views()

    # -- prediction -------------------------------------------------------------

    def _forward(self, X):
        """Validated forward pass: output pre-activation and activation."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=(np.float64, np.float32), reset=False)
        with np.errstate(over="ignore", invalid="ignore"):
            z, out = self._network.forward(self.coefs_, self.intercepts_, X)
        if not (np.isfinite(z).all() and np.isfinite(out).all()):
            raise ValueError(
                "The network's output overflowed for this input (values too large "
                "for the model's float precision). Scale the input the same way "
                "as the training data, e.g. with sklearn.preprocessing.StandardScaler."
            )
        return z, out
