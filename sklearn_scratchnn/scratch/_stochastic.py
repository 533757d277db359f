"""Fitting with sgd and adam: what the estimators add to the core's entry.

The core's :func:`~.nn.fit.train` knows nothing of estimators. This mixin
hands it the estimator's parameters as a plan, the validation split (drawn by
scikit-learn's rules) and a scorer of it with scikit-learn's metrics, and
turns what the loop reports into ``verbose`` lines, callback subtasks and
warnings.
"""

import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.exceptions import ConvergenceWarning

from .._fitting.compat import to_numpy
from .._fitting.epochs import (
    EpochReporter,
    EpochTask,
    Rows,
    split_for_validation,
    validator,
)
from .._fitting.outcomes import (
    warn_diverged,
    warn_interrupted,
    warn_iteration_limit,
)
from ..nn.epochs import DIVERGED, INTERRUPTED, MAX_ITER
from ..nn.fit import ALREADY_CONVERGED, TrainingPlan, train


class StochasticFitMixin:
    """``_fit_stochastic`` and its helpers, for :class:`BaseScratchMLP`."""

    def _training_plan(self, batch_size=None):
        """The parameters as the core's :class:`~.nn.fit.TrainingPlan`."""
        return TrainingPlan(
            solver=self.solver,
            learning_rate_init=self.learning_rate_init,
            max_iter=self.max_iter,
            batch_size=batch_size,
            shuffle=self.shuffle,
            alpha=self.alpha,
            tol=self.tol,
            n_iter_no_change=self.n_iter_no_change,
            max_fun=self.max_fun,
            learning_rate=self.learning_rate,
            momentum=self.momentum,
            nesterovs_momentum=self.nesterovs_momentum,
            power_t=self.power_t,
            beta_1=self.beta_1,
            beta_2=self.beta_2,
            epsilon=self.epsilon,
            dropout=self.dropout,
            dropout_schedule=self.dropout_schedule,
            weight_decay=self.weight_decay,
            weight_decay_schedule=self.weight_decay_schedule,
            learning_rate_factors=self.learning_rate_factors,
        )

    # True where max_iter epochs and the batch are a recipe's plan (the
    # tabular models' networks): reaching the limit, or a table smaller than
    # a batch, is then what was asked for, and not warned about
    _plan_is_fixed = False

    def _batch_size(self, n_samples):
        if self.batch_size == "auto":
            return min(200, n_samples)
        if self.batch_size > n_samples and not self._plan_is_fixed:
            warnings.warn(
                f"Got `batch_size` larger than sample size ({self.batch_size} > "
                f"{n_samples}). It is going to be clipped to {n_samples}.",
                stacklevel=2,
            )
        return min(self.batch_size, n_samples)

    def _split_validation(self, fit, data, random_state):
        """The (train, validation) :class:`Rows` of ``data``.

        The split is drawn on the host; the validation part's targets and
        weights stay there, as the score is computed there.
        """
        xp = fit.xp
        is_val = split_for_validation(
            xp.to_numpy(data.X),
            fit.targets.strata(data.y),
            to_numpy(data.sample_weight),
            self.validation_fraction,
            random_state,
            remedy="Increase 'validation_fraction' or the size of your dataset, "
            "or set early_stopping=False.",
        )

        def rows(a, mask):
            if a is None or isinstance(a, np.ndarray) or sp.issparse(a):
                return None if a is None else a[mask]
            return xp.take(a, xp.from_numpy(np.flatnonzero(mask)), axis=0)

        train = Rows(*(rows(a, ~is_val) for a in data))
        X_val, y_val, Y_val, sw_val = (rows(a, is_val) for a in data)
        return train, Rows(X_val, y_val, to_numpy(Y_val), to_numpy(sw_val))

    def _fit_stochastic(self, fit, data, random_state, incremental, callbacks):
        """Train ``fit`` (a :class:`~._base.Training`) on the :class:`Rows`
        ``data`` by sgd or adam."""
        # early stopping is a rule over the epochs of one fit; partial_fit
        # trains on every row it is given and leaves stopping to its caller.
        early_stopping = self.early_stopping and not incremental
        validation = None
        if early_stopping:
            data, validation = self._split_validation(fit, data, random_state)

        outcome = train(
            fit.network,
            fit.params,
            (data.X, data.Y, data.sample_weight),
            self._training_plan(self._batch_size(data.X.shape[0])),
            state=fit.state,
            random_state=random_state,
            validation=validator(fit.network, validation, fit.targets)
            if early_stopping
            else None,
            reporter=EpochReporter(
                self.verbose,
                task=self._epoch_task(callbacks, fit, data),
                stopping=(self.tol, self.n_iter_no_change),
            ),
            incremental=incremental,
            xp=fit.xp,
        )
        self._warn_about(outcome, fit.state, incremental)

    def _epoch_task(self, callbacks, fit, data):
        """Each epoch's callback subtask, which sees the estimator with the
        weights and curves of that epoch (None without callbacks)."""
        if callbacks is None:
            return None
        state, xp = fit.state, fit.xp

        def attributes(params):
            curves = {
                "loss_curve_": list(state.loss_curve),
                "validation_scores_": None
                if state.validation_scores is None
                else list(state.validation_scores),
            }
            fitted = self._fitted_attributes(
                fit.network, xp.copy(params), fit.targets, xp, curves
            )
            return {**fitted, **curves}

        return EpochTask(callbacks, attributes, data.X, data.y)

    def _warn_about(self, outcome, state, incremental):
        """The warning, if any, for how the epoch loop ended."""
        if outcome == ALREADY_CONVERGED:
            # A warm start of a run whose stopping rule has fired: the run is
            # over and fitting again changes nothing (refitting is idempotent).
            warnings.warn(
                "warm_start: the previous fit already met its stopping rule "
                f"(no improvement above tol={self.tol} for {self.n_iter_no_change} "
                "epochs), so this fit leaves the model as it is. Use partial_fit "
                "to train on, or lower tol.",
                ConvergenceWarning,
                stacklevel=4,
            )
        elif outcome == MAX_ITER and not incremental and not self._plan_is_fixed:
            warn_iteration_limit(self.max_iter, self.solver, stacklevel=3)
        elif outcome == INTERRUPTED:
            epoch = len(state.loss_curve)
            warn_interrupted(
                "Training interrupted by user; the model keeps the parameters of "
                f"the last completed epoch (epoch {epoch}).",
                epoch,
                stacklevel=3,
            )
        elif outcome == DIVERGED:
            kept = "early stopping keeps the weights of the best validation epoch"
            warn_diverged(kept, stacklevel=3)
