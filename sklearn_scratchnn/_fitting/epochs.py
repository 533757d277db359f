"""What both families do around the core's epoch loop: hold their rows
(:class:`Rows`), split off the validation rows, and show each epoch
(``verbose`` lines, scikit-learn's callbacks).

The loop itself (:func:`~..nn.epochs.train_epochs`) only calls a
:class:`~..nn.epochs.Reporter`; :class:`EpochReporter` is the one both
families hand it, so an epoch reads the same whichever estimator trains.
"""

from collections.abc import Callable
from contextlib import contextmanager
from typing import Any, NamedTuple

import numpy as np

from ..nn.epochs import Reporter
from ..nn.split import validation_split
from .callbacks import epoch_callbacks


class Rows(NamedTuple):
    """Rows a network trains or is validated on, in both families."""

    X: Any  # the rows the network reads
    y: Any  # their targets as given (labels, values): what scores read
    Y: Any  # the targets as the network learns them (encoded, smoothed)
    sample_weight: Any  # or None

    def take(self, mask):
        """The rows where ``mask`` is True (NumPy and scipy.sparse arrays)."""
        return Rows(*(None if a is None else a[mask] for a in self))


def split_for_validation(X, strata, sample_weight, fraction, random_state, remedy):
    """The validation rows' mask (``nn.split``'s draw), or a ValueError when
    either side would be too small to train or to score.

    ``X`` and ``sample_weight`` are on the host; ``remedy`` is the family's
    advice, the end of the message.
    """
    is_val = validation_split(X, strata, sample_weight, fraction, random_state)
    n, n_val = X.shape[0], int(is_val.sum())
    # a class needs one row to be scored; R^2 needs two
    needed = 1 if strata is not None else 2
    if n_val < needed or n_val == n:
        raise ValueError(
            f"The validation set is too small: validation_fraction={fraction} of "
            f"{n} samples leaves {n_val} sample(s) for validation and "
            f"{n - n_val} for training. {remedy}"
        )
    return is_val


class EpochTask(NamedTuple):
    """An epoch's subtask of scikit-learn's callbacks.

    ``fit`` is the fit's task (:func:`~.callbacks.fit_callbacks`);
    ``attributes`` gives the fitted attributes of the model as it stands
    (from an epoch's parameters, for :class:`EpochReporter`); ``X`` and
    ``y`` are the data as the user gave them, which the callbacks see.
    """

    fit: Any
    attributes: Callable[[Any], dict]
    X: Any
    y: Any


class EpochReporter(Reporter):
    """Each epoch as a user sees it: the ``verbose`` lines scikit-learn's MLP
    prints, and one callback subtask an epoch (with ``task``).

    ``stopping``, ``(tol, n_iter_no_change)``, words the line of a stopping
    rule that fires; ``keep(params)``, where given, is called after every
    epoch with its parameters (the tabular models keep their snapshots so).
    """

    def __init__(self, verbose, task=None, stopping=None, keep=None):
        self.verbose, self.task, self.stopping = verbose, task, stopping
        self._keep = keep
        self._epoch = None

    @contextmanager
    def epoch(self):
        if self.task is None:
            yield self
            return
        with epoch_callbacks(self.task.fit, self.task.X, self.task.y) as epoch:
            self._epoch = epoch
            yield self

    def end(self, params):
        if self._keep is not None:
            self._keep(params)
        if self._epoch is None:
            return False
        self._epoch.end(lambda: self.task.attributes(params))
        return self._epoch.stop_requested

    def loss(self, n_iter, loss):
        if self.verbose:
            print(f"Iteration {n_iter}, loss = {loss:.8f}")

    def validation(self, score):
        if self.verbose:
            print(f"Validation score: {score:f}")

    def plateau(self, on_validation, what_next):
        if self.verbose and self.stopping is not None:
            tol, n_iter_no_change = self.stopping
            what = "Validation score" if on_validation else "Training loss"
            print(
                f"{what} did not improve more than tol={tol:f} for "
                f"{n_iter_no_change} consecutive epochs. {what_next}"
            )


def finite_outputs(z, out):
    """Whether a forward pass's outputs are finite (a diverged network's are
    not, and is scored NaN rather than by a metric that would fail)."""
    return bool(np.isfinite(z).all() and np.isfinite(out).all())


def validator(network, validation, targets):
    """``validate(ws) -> (score, loss)``: the current weights' score (accuracy
    or R^2, by ``targets``) and loss on the :class:`Rows` ``validation``,
    which the core's loop calls after every epoch.

    The forward pass runs where the weights are; the outputs are scored on
    the host, as the validation rows' targets live there. A diverged
    network's outputs score NaN.
    """

    def validate(ws):
        z, out = network.forward(ws.params, validation.X, xp=ws.xp)
        z, out = ws.xp.to_numpy(z), ws.xp.to_numpy(out)
        if not finite_outputs(z, out):
            return np.nan, np.nan
        weights = validation.sample_weight
        score = targets.score(z, out, validation.y, weights)
        return float(score), network.data_loss(z, out, validation.Y, weights)

    return validate
