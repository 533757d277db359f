"""One network of a tabular model, trained through the core's entry.

The estimator describes RealMLP-TD's network on its preprocessed table once,
as a :class:`NetworkJob` (the layers, the front layers the table's layout
needs, the training plan, the targets); :func:`train_network` trains one
network of it with a seed of its own by :func:`~..nn.fit.train`, the entry
the Scratch estimators call too, and returns what a user keeps of it: its
best epoch on the validation rows, then its snapshots at the ends of
``coslog4``'s learning-rate cycles, each a :class:`~.._fitting.trained.TrainedNetwork`.
A job holds only plain data, so joblib's workers can train its networks.
"""

import dataclasses
import math

import numpy as np
from sklearn.utils import check_random_state

from .._fitting.epochs import (
    EpochReporter,
    split_for_validation,
    validator,
)
from .._fitting.outcomes import warn_diverged, warn_interrupted
from .._fitting.trained import TrainedNetwork
from ..nn.data_init import initialize_on_rows
from ..nn.epochs import DIVERGED, INTERRUPTED
from ..nn.fit import TrainingPlan, train
from ..nn.network import Network
from ..nn.schedules import coslog4_cycle_ends
from ..nn.training import DivergenceError, EpochState


def recipe_plan(epochs, batch_size, learning_rate_init, dropout, weight_decay, recipe):
    """The ``recipe``'s training (RealMLP-TD's: Adam with ``beta_2 = 0.95``
    on ``coslog4``, dropout and weight decay on ``flat_cos`` plans, the
    learning-rate factors), every epoch run (the best one kept: no stopping
    rule)."""
    return TrainingPlan(
        solver="adam",
        learning_rate_init=learning_rate_init,
        max_iter=epochs,
        batch_size=batch_size,
        alpha=0.0,
        tol=0.0,
        n_iter_no_change=np.inf,
        learning_rate=recipe.learning_rate,
        beta_2=recipe.beta_2,
        dropout=dropout,
        dropout_schedule=recipe.dropout_schedule,
        weight_decay=weight_decay,
        weight_decay_schedule=recipe.weight_decay_schedule,
        learning_rate_factors=recipe.factors,
    )


def recipe_architecture(preprocessor, embedding_width, members, recipe):
    """The front layers the preprocessed table needs (a categorical embedding
    of its codes, and the ``recipe``'s periodic embedding of its numbers),
    the recipe's scaling layer, parametric activations and parametrisation;
    ``members > 1``: TabM-mini's members sharing the network."""
    cardinalities = preprocessor.cardinalities_
    periodic = recipe.periodic_embedding and preprocessor.n_numeric_
    return {
        "categorical_embedding": {
            "cardinalities": cardinalities,
            "width": embedding_width,
        }
        if cardinalities
        else None,
        "periodic_embedding": {"n_columns": preprocessor.n_numeric_}
        if periodic
        else None,
        "input_scaling": recipe.input_scaling,
        "parametric_activation": recipe.parametric_activation,
        "parametrization": recipe.parametrization,
        "members": members,
    }


@dataclasses.dataclass
class NetworkJob:
    """Everything a network of the model trains by, but its seed."""

    name: str  # the estimator's, for messages
    hidden_layer_sizes: tuple
    activation: str
    architecture: dict
    plan: TrainingPlan
    targets: object  # a _fitting.targets.Labels or Values, fitted
    split: bool  # hold out validation_fraction of the rows
    validation_fraction: float
    snapshot_epochs: frozenset
    data_init: str | None = None  # RealMLP's start: "all", "hidden" or None
    verbose: bool = False


def snapshot_epochs(epochs):
    """The epochs that end nearest the ends of ``coslog4``'s cycles, where
    the learning rate is lowest."""
    return frozenset(max(1, math.floor(epochs * t + 0.5)) for t in coslog4_cycle_ends())


def train_network(job, seed, data, validation=None, task=None):
    """One network of ``job`` trained on ``data`` from ``seed``.

    ``data`` is the :class:`~.._fitting.epochs.Rows` of the preprocessed
    table: the rows, their targets as given and as the network learns them,
    and the weights. ``validation``, the same for a validation set of the
    user's own, else
    one is split off when ``job.split``. ``task``, where given, is an
    :class:`~.._fitting.epochs.EpochTask` for scikit-learn's callbacks: an
    epoch's subtask each, whose fitted attributes ``task.attributes``
    gives from a :class:`TrainedNetwork` as it stands (on the table ``X``,
    ``y`` as the user gave it). Returns the members: the best epoch, then the snapshots.
    """
    # overflow is detected and reported (DivergenceError), never warned about
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return _train(job, seed, data, validation, task)


def _train(job, seed, data, validation, task):
    random_state = check_random_state(seed)
    Z = data.X
    targets = job.targets
    layer_units = [Z.shape[1], *job.hidden_layer_sizes, data.Y.shape[1]]
    network = Network(
        layer_units,
        job.activation,
        targets.output_activation,
        targets.loss,
        **job.architecture,
    )
    params = network.initialize(random_state, Z.dtype)
    if job.data_init is not None:
        last = job.data_init == "all"
        params = initialize_on_rows(network, params, Z, random_state, last_layer=last)
    if job.split and validation is None:
        data, validation = _split(job, data, random_state)
    plan = dataclasses.replace(
        job.plan, batch_size=min(job.plan.batch_size, len(data.X))
    )
    state = EpochState()
    snapshots = {}  # {epoch: parameters}

    def keep(params):
        if state.n_iter in job.snapshot_epochs:
            snapshots[state.n_iter] = params.copy()

    reporter = EpochReporter(
        job.verbose, task=_epoch_task(task, network, state, job.plan), keep=keep
    )

    outcome = train(
        network,
        params,
        (data.X, data.Y, data.sample_weight),
        plan,
        state=state,
        random_state=random_state,
        validation=None
        if validation is None
        else validator(network, validation, targets),
        reporter=reporter,
    )
    _warn_about(outcome, state, job)
    if not np.isfinite(params).all():  # pragma: no cover - checked by the loop
        raise DivergenceError("network's parameters")
    return _members(network, params, state, job.plan, snapshots)


def _curves(state, plan):
    """A fit's curves, and the batch its plan asked for (a smaller table
    trains on all its rows at once)."""
    return {
        "n_iter_": state.n_iter,
        "loss_": state.loss,
        "loss_curve_": state.loss_curve,
        "validation_scores_": state.validation_scores,
        "validation_loss_curve_": state.validation_loss_curve,
        "batch_size": plan.batch_size,
    }


def _split(job, data, random_state):
    """(train, validation) parts of ``data``: ``validation_fraction`` of the
    rows, stratified by class, drawn as the Scratch estimators draw theirs."""
    is_val = split_for_validation(
        data.X,
        job.targets.strata(data.y),
        data.sample_weight,
        job.validation_fraction,
        random_state,
        remedy="Change validation_fraction, or give X_val and y_val to fit.",
    )

    return data.take(~is_val), data.take(is_val)


def _warn_about(outcome, state, job):
    if outcome == INTERRUPTED:
        epoch = len(state.loss_curve)
        warn_interrupted(
            f"Training of {job.name} interrupted by user after epoch "
            f"{epoch}; the model keeps its best epoch so far.",
            epoch,
            stacklevel=4,
        )
    elif outcome == DIVERGED:
        kept = "the model keeps the weights of its best validation epoch"
        warn_diverged(kept, stacklevel=4)


def restored_epoch(scores, losses):
    """The epoch whose weights were restored (1-based), or None without
    validation: with ``tol=0`` the best score, and among epochs of that
    score the first of the lowest validation loss (``EpochState``'s rule)."""
    if scores is None:
        return None
    scores = np.asarray(scores, dtype=float)
    losses = np.asarray(losses, dtype=float)
    at_best = np.flatnonzero(scores == np.nanmax(scores))
    return int(at_best[np.argmin(losses[at_best])]) + 1


def _members(network, params, state, plan, snapshots):
    """The restored best epoch, then the snapshots (the best epoch's own
    left out: it is there already)."""
    curves = _curves(state, plan)
    best = restored_epoch(state.validation_scores, state.validation_loss_curve)
    kept = best or state.n_iter  # else the last epoch's
    return [TrainedNetwork(network, params, curves)] + [
        TrainedNetwork(network, snapshot, curves)
        for epoch, snapshot in sorted(snapshots.items())
        if epoch != kept
    ]


def _epoch_task(task, network, state, plan):
    """Each epoch's callback subtask: ``task``'s attributes, of a
    :class:`TrainedNetwork`, read for this network as it stands."""
    if task is None:
        return None

    def as_it_stands(params):
        trained = TrainedNetwork(network, params.copy(), _curves(state, plan))
        return task.attributes(trained)

    return task._replace(attributes=as_it_stands)
