"""Training loops: mini-batch epochs, the stopping rule, and L-BFGS.

These functions move the flat parameter vector; they know nothing about
labels or estimators (and never import scikit-learn). The network lets
intermediates overflow silently (see ``_network.py``); a step that really
blows up is *detected* here, when the loss or the parameters stop being
finite, and reported as :class:`DivergenceError` instead of leaving a NaN
model behind.
"""

import copy
import math

import numpy as np
import scipy.optimize

from .arrays import NUMPY
from .optimizers import optimizer_from_state_dict


class DivergenceError(ValueError):
    """The loss or the parameters stopped being finite during training."""

    def __init__(self, where):
        super().__init__(
            f"Training diverged: the {where} became non-finite (inf or NaN). "
            "Scale the input data (e.g. with sklearn.preprocessing.StandardScaler) "
            "or lower learning_rate_init. The model was left unchanged."
        )


def batch_weights(sample_weight, m, alpha, xp=NUMPY):
    """Row weights and L2 factor of a batch of ``m`` rows.

    Returns ``(row_weight, l2)``, or ``None`` when the batch carries no weight
    at all (every sample weight zero): such a batch has nothing to learn from.
    """
    if sample_weight is None:
        return 1.0 / m, alpha / m
    total = float(xp.sum(sample_weight))
    if total <= 0:
        return None
    return sample_weight / total, alpha / total


class Batches:
    """Mini-batches of an epoch, drawn into reusable buffers.

    Without shuffling a batch is a slice of ``X`` (a view, no copy). With
    shuffling the rows are gathered with ``take(..., out=)`` into buffers
    allocated once per fit.
    """

    def __init__(self, X, y, sample_weight, batch_size, xp=NUMPY):
        self.X, self.y, self.sample_weight = X, y, sample_weight
        self.n = X.shape[0]
        self.batch_size = batch_size
        self.n_batches = -(-self.n // batch_size)  # per epoch
        self.xp = xp
        self._dense = not hasattr(X, "tocsr")  # not a scipy.sparse matrix
        rows = min(batch_size, self.n)
        if self._dense:
            self._X_buf = xp.empty((rows, X.shape[1]), dtype=X.dtype)
        self._y_buf = xp.empty((rows, y.shape[1]), dtype=y.dtype)

    def __call__(self, order=None):
        """Yield ``(X_batch, y_batch, sw_batch)``; ``order`` permutes the rows.

        ``order`` is a NumPy array (drawn on the host, as scikit-learn draws
        it); it is moved to the data's namespace once per epoch.
        """
        xp = self.xp
        if order is not None and self._dense:
            order = xp.from_numpy(order)
        for start in range(0, self.n, self.batch_size):
            stop = min(start + self.batch_size, self.n)
            sw = self.sample_weight
            if order is None:
                yield (
                    self.X[start:stop, :],
                    self.y[start:stop, :],
                    None if sw is None else sw[start:stop],
                )
                continue
            idx = order[start:stop]
            m = stop - start
            if self._dense:
                # mode="clip" skips the bounds check (the indices are a
                # permutation of range(n)), which halves the gather's cost.
                X_b = xp.take(self.X, idx, axis=0, out=self._X_buf[:m, :], mode="clip")
            else:
                X_b = self.X[idx]
            y_b = xp.take(self.y, idx, axis=0, out=self._y_buf[:m, :], mode="clip")
            yield X_b, y_b, None if sw is None else xp.take(sw, idx, axis=0)


def run_epoch(network, ws, optimizer, batches, alpha, order=None, plans=None, step=0):
    """One pass over the data; returns the epoch's mean training loss.

    The epoch loss is the mean of the batch losses weighted by each batch's
    share of the total sample weight; unweighted, that is its share of the
    rows, which is how scikit-learn reports it. With ``plans`` (a
    :class:`~.schedules.Plans`), each batch's learning rate, dropout rate
    and weight decay are set by their plans at its step, counted from
    ``step``.
    """
    xp = ws.xp
    total_loss = 0.0
    total_weight = 0.0
    planned = bool(plans)
    for i, (X_b, y_b, sw_b) in enumerate(batches(order)):
        if planned:
            plans.apply(step + i, optimizer, ws.dropout)
        weights = batch_weights(sw_b, X_b.shape[0], alpha, xp)
        if weights is None:
            continue
        row_weight, l2 = weights
        ws.draw_dropout(X_b, sw_b)
        loss = network.loss_and_gradient(ws, X_b, y_b, row_weight, l2)
        if not math.isfinite(loss):
            raise DivergenceError("training loss")
        optimizer.step(ws.params, ws.grad, xp)
        batch_weight = X_b.shape[0] if sw_b is None else float(xp.sum(sw_b))
        total_loss += loss * batch_weight
        total_weight += batch_weight
    if not bool(xp.all(xp.isfinite(ws.params))):
        raise DivergenceError("network's parameters")
    return total_loss / total_weight if total_weight else 0.0


class NoImprovement:
    """scikit-learn's stopping rule for stochastic solvers.

    An epoch counts as "no improvement" when its value is not better than the
    best so far by at least ``tol``; the rule fires once more than
    ``n_iter_no_change`` such epochs come in a row. ``greater_is_better``
    switches between a loss (lower is better) and a validation score.
    """

    def __init__(self, tol, n_iter_no_change, greater_is_better=False):
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.sign = 1.0 if greater_is_better else -1.0
        self.best = -np.inf
        self.count = 0

    def update(self, value):
        """Record an epoch's value; return True when it is a new best."""
        value = self.sign * value  # now greater is better
        if np.isnan(value) or value < self.best + self.tol:
            self.count += 1
        else:
            self.count = 0
        is_best = value > self.best
        if is_best:
            self.best = value
        return is_best

    @property
    def best_value(self):
        return self.sign * self.best

    def state_dict(self):
        return {
            "tol": float(self.tol),
            "n_iter_no_change": float(self.n_iter_no_change),
            "greater_is_better": self.sign > 0,
            "best": float(self.best),
            "count": int(self.count),
        }

    @classmethod
    def from_state_dict(cls, state):
        n_iter_no_change = state["n_iter_no_change"]
        if math.isfinite(n_iter_no_change):
            n_iter_no_change = int(n_iter_no_change)
        rule = cls(state["tol"], n_iter_no_change, state["greater_is_better"])
        rule.best = state["best"]
        rule.count = state["count"]
        return rule

    def fired(self):
        return self.count > self.n_iter_no_change


class EpochState:
    """What stochastic training carries from epoch to epoch and call to call.

    Kept on the estimator between ``partial_fit`` calls and warm starts, and
    copied before each call so that a failed call changes nothing.
    """

    def __init__(self):
        self.loss = None
        self.loss_curve = []
        self.n_iter = 0
        self.t = 0
        self.optimizer = None
        self.stopping = None
        self.validation_scores = None
        self.validation_loss_curve = None
        self.best_params = None
        self.best_validation_loss = np.inf

    def copy(self):
        return copy.deepcopy(self)

    def state_dict(self):
        """The state as plain data: numbers, lists, arrays and dicts of them."""
        state = dict(vars(self))
        if self.optimizer is not None:
            state["optimizer"] = self.optimizer.state_dict()
        if self.stopping is not None:
            state["stopping"] = self.stopping.state_dict()
        return state

    @classmethod
    def from_state_dict(cls, state):
        epoch_state = cls()
        for name in vars(epoch_state):
            setattr(epoch_state, name, state[name])
        if state["optimizer"] is not None:
            epoch_state.optimizer = optimizer_from_state_dict(state["optimizer"])
        if state["stopping"] is not None:
            epoch_state.stopping = NoImprovement.from_state_dict(state["stopping"])
        return epoch_state

    def start(self, tol, n_iter_no_change, early_stopping, params, xp=NUMPY):
        """Prepare the stopping rule for a call to fit or partial_fit."""
        watching_scores = self.validation_scores is not None
        if self.stopping is None or watching_scores != early_stopping:
            # scikit-learn's rule: on the validation score with early stopping,
            # on the training loss otherwise
            self.stopping = NoImprovement(tol, n_iter_no_change, early_stopping)
            self.validation_scores = [] if early_stopping else None
            self.validation_loss_curve = [] if early_stopping else None
        self.stopping.tol = tol
        self.stopping.n_iter_no_change = n_iter_no_change
        # Early stopping falls back to the weights this call starts from.
        self.best_params = xp.copy(params) if early_stopping else None
        self.best_validation_loss = np.inf

    def record_loss(self, loss, n_samples, watched=None):
        """Record an epoch's training loss; without early stopping the rule
        watches it, or ``watched`` where given (the loss without dropout)."""
        self.loss = loss
        self.loss_curve.append(loss)
        self.n_iter += 1
        self.t += n_samples
        if self.validation_scores is None:
            self.stopping.update(loss if watched is None else watched)

    def record_validation(self, score, loss, params):
        """Record an epoch's validation score and loss; keep the best weights.

        The rule is scikit-learn's, on the score, with one refinement for
        ties: accuracy moves in steps of 1 / n_validation and often sits at
        its best value while the model is still improving. An epoch whose
        score is within ``tol`` of the best and that lowers the validation
        loss by more than ``tol`` also counts as progress, and among epochs
        within ``tol`` of the best score the one with the lowest validation
        loss is the one kept.
        Continuous scores (R^2) seldom tie, so for them this is sklearn's rule.
        """
        self.validation_scores.append(score)
        self.validation_loss_curve.append(loss)
        tied = abs(score - self.stopping.best_value) <= self.stopping.tol
        if self.stopping.update(score):
            self.best_params[...] = params
            self.best_validation_loss = loss
        elif tied and loss < self.best_validation_loss:
            if loss < self.best_validation_loss - self.stopping.tol:
                self.stopping.count = 0
            self.best_params[...] = params
            self.best_validation_loss = loss


def fit_lbfgs(
    network,
    params,
    X,
    y,
    sample_weight,
    alpha,
    max_iter,
    max_fun,
    tol,
    on_iteration=None,
    xp=NUMPY,
):
    """Minimise the full-batch loss with scipy's L-BFGS-B on the flat vector.

    ``params`` is updated in place. Returns scipy's ``OptimizeResult``.
    ``on_iteration(loss)`` is called after each L-BFGS iteration. SciPy works
    on the host: only the flat vector and its gradient travel between it and
    the data's device, once per evaluation.
    """
    grad = xp.empty_like(params)
    ws = network.workspace(params, grad, X.shape[0], xp)
    # the estimator has checked that the weights do not sum to zero
    row_weight, l2 = batch_weights(sample_weight, X.shape[0], alpha, xp)

    last_loss = [np.inf]

    def loss_and_grad(flat):
        params[...] = xp.from_numpy(flat, dtype=params.dtype)
        loss = network.loss_and_gradient(ws, X, y, row_weight, l2)
        gradient = np.array(xp.to_numpy(grad), dtype=np.float64)  # a copy
        if not (np.isfinite(loss) and np.isfinite(gradient).all()):
            # Tell the line search this point is unusable; it will step back.
            loss, gradient = np.inf, np.zeros(flat.shape)
        last_loss[0] = loss
        return loss, gradient

    def callback(xk):
        # L-BFGS-B accepts a new iterate right after evaluating it, so the
        # last loss computed is the iterate's. Taking ``xk`` (not SciPy
        # 1.11's ``intermediate_result``) works on every SciPy release.
        if on_iteration is not None:
            on_iteration(float(last_loss[0]))

    result = scipy.optimize.minimize(
        loss_and_grad,
        np.array(xp.to_numpy(params), dtype=np.float64),
        method="L-BFGS-B",
        jac=True,
        callback=callback,
        options={"maxfun": max_fun, "maxiter": max_iter, "gtol": tol},
    )
    if not np.isfinite(result.x).all():
        raise DivergenceError("network's parameters")
    params[...] = xp.from_numpy(result.x, dtype=params.dtype)
    return result
