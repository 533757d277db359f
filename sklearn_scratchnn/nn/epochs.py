"""The epoch loop of the stochastic solvers (sgd, adam), as one readable unit.

Each epoch shuffles the rows (with NumPy's ``RandomState``, in scikit-learn's
order, whatever the array namespace), runs the mini-batches, records the loss,
scores the validation rows when early stopping is on (keeping the best epoch's
weights) and asks the stopping rule whether to go on. An epoch interrupted by
Ctrl-C is rolled back to the last completed one; a loss that blows up ends
training on early stopping's best weights, or raises :class:`DivergenceError`.

The loop prints and warns nothing. It tells a :class:`Reporter` what happens,
so that the estimator can print for ``verbose``, drive scikit-learn's
callbacks and warn, and it returns how training ended. Never imports
scikit-learn.
"""

from contextlib import contextmanager
from typing import NamedTuple

import numpy as np

from .training import DivergenceError, run_epoch

# How the loop ended (what train_epochs returns)
MAX_ITER = "max_iter"  # every epoch asked for has run
CONVERGED = "converged"  # the stopping rule fired
STOPPED = "stopped"  # the reporter (a callback) asked to stop
INTERRUPTED = "interrupted"  # Ctrl-C: rolled back to the last completed epoch
DIVERGED = "diverged"  # the loss blew up; early stopping's best weights kept


class Reporter:
    """What the loop reports; a subclass overrides what it wants to hear."""

    @contextmanager
    def epoch(self):
        """Around each epoch; yields an object whose ``end(params)`` says
        whether to stop after this epoch."""
        yield self

    def end(self, params):
        return False

    def loss(self, n_iter, loss):
        """An epoch's mean training loss."""

    def validation(self, score):
        """An epoch's validation score (early stopping only)."""

    def plateau(self, on_validation, what_next):
        """The stopping rule fired; ``what_next`` is the optimizer's answer."""


def train_epochs(
    network,
    ws,
    state,
    batches,
    *,
    max_epochs,
    alpha,
    random_state,
    shuffle,
    validate=None,
    reporter=None,
    plans=None,
    watch=None,
):
    """Train for up to ``max_epochs`` epochs; return how it ended.

    ``state`` (an :class:`~._training.EpochState`) carries the optimizer, the
    stopping rule and the curves; ``validate(ws) -> (score, loss)`` scores the
    current weights on the validation rows when early stopping is on, and the
    best epoch's weights are restored at the end. ``plans`` (a
    :class:`~.schedules.Plans` over ``max_epochs`` epochs) set the learning
    rate, dropout and weight decay of every batch. ``watch(ws) -> loss``,
    where given, is what the stopping rule watches instead of the epoch's
    training loss (the loss without dropout's masks, which perturb the
    other: a rule on it stops a fit that is still learning).
    """
    reporter = reporter or Reporter()
    loop = _Loop(network, ws, state, batches, alpha, validate, watch, reporter, plans)
    order = np.arange(batches.n) if shuffle else None
    outcome = MAX_ITER
    for epoch_index in range(max_epochs):
        if shuffle:
            # A fresh permutation composed with the previous order, exactly as
            # scikit-learn's `shuffle(sample_idx)` does, so that the same seed
            # visits the rows in the same order in both.
            permutation = np.arange(batches.n)
            random_state.shuffle(permutation)
            order = order[permutation]
        with reporter.epoch() as epoch:
            ended = _one_epoch(loop, order, step=epoch_index * batches.n_batches)
            if ended == INTERRUPTED:
                outcome = ended
                break
            stop_requested = epoch.end(ws.params)
            if ended is not None or stop_requested:
                outcome = ended or STOPPED
                break
    if validate is not None:
        ws.params[...] = state.best_params  # the best epoch's weights
    return outcome


class _Loop(NamedTuple):
    """What every epoch of :func:`train_epochs` trains and reports with."""

    network: object
    ws: object
    state: object
    batches: object
    alpha: float
    validate: object  # ws -> (score, loss), or None
    watch: object  # ws -> the loss the stopping rule watches, or None
    reporter: Reporter
    plans: object  # the schedules' Plans, or None


def _one_epoch(loop, order, step):
    """One pass over the data in ``order`` from the fit's batch ``step``,
    its records and the stopping rule. Returns None to go on, or how
    training ended.
    """
    network, ws, state, batches, alpha, validate, watch, reporter, plans = loop
    optimizer = state.optimizer
    saved = ws.xp.copy(ws.params), optimizer.snapshot(ws.xp)
    try:
        loss = run_epoch(network, ws, optimizer, batches, alpha, order, plans, step)
    except KeyboardInterrupt:
        ws.params[...], snapshot = saved
        optimizer.restore(snapshot)
        if not state.loss_curve:
            raise  # nothing was learnt: there is no model to keep
        return INTERRUPTED
    except DivergenceError:
        if state.best_params is None or validate is None:
            raise
        return DIVERGED
    state.record_loss(loss, batches.n, None if watch is None else watch(ws))
    reporter.loss(state.n_iter, loss)
    if validate is not None:
        score, validation_loss = validate(ws)
        state.record_validation(score, validation_loss, ws.params)
        reporter.validation(score)
    optimizer.epoch_end(state.t)
    if not state.stopping.fired():
        return None
    stop, what_next = optimizer.on_plateau()
    reporter.plateau(validate is not None, what_next)
    if not stop:  # the adaptive schedule lowered the learning rate: go on
        state.stopping.count = 0
        return None
    return CONVERGED
