"""The core's one training entry: a network, its data and a plan in; the
trained parameters and the curves out.

:func:`train` is what every estimator calls to train a network: the Scratch
estimators for each ``fit`` and ``partial_fit``, the tabular estimators for
each of their networks. It takes

- the network (a :class:`~.network.Network`) and the flat vector to start
  from, which it trains in place;
- the data: the inputs, the encoded targets and the sample weights;
- the plan (a :class:`TrainingPlan`): the solver and its settings, the epochs
  and the batch, the stopping rule, the regularisation and its schedules;
- optionally a validation set, as a function that scores the current weights
  (the estimator knows which score it wants), and a
  :class:`~.epochs.Reporter` to hear of every epoch;

and it records the curves (loss, validation scores and losses, the best
epoch's weights) in the :class:`~.training.EpochState` it is handed, which
carries an optimizer and a stopping rule from one call to the next. It
returns how training ended (``epochs.MAX_ITER`` and the like; L-BFGS:
scipy's result). Random draws follow one order, whatever the caller: the
dropout stream's seed from ``random_state``, then each epoch's shuffle.

This module never imports scikit-learn.
"""

from dataclasses import dataclass, field

import numpy as np

from .arrays import NUMPY
from .epochs import train_epochs
from .layers import Dropout
from .optimizers import SGD, Adam
from .schedules import SCHEDULES, Plan, Plans
from .training import Batches, fit_lbfgs

# how train ends when a warm start's stopping rule had already fired: the
# run is over, and training again changes nothing
ALREADY_CONVERGED = "already_converged"


@dataclass
class TrainingPlan:
    """How a network trains: scikit-learn's MLP's settings, and ours.

    The names and meanings are scikit-learn's MLP's where it has them
    (``max_iter`` epochs for sgd and adam, iterations for lbfgs); the
    regularisation and its schedules are the layers page's.
    """

    solver: str = "adam"
    learning_rate_init: float = 0.001
    max_iter: int = 200
    batch_size: int = 200
    shuffle: bool = True
    alpha: float = 0.0001
    tol: float = 1e-4
    n_iter_no_change: float = 10
    max_fun: int = 15000  # lbfgs: function evaluations
    # sgd
    learning_rate: str = "constant"
    momentum: float = 0.9
    nesterovs_momentum: bool = True
    power_t: float = 0.5
    # adam
    beta_1: float = 0.9
    beta_2: float = 0.999
    epsilon: float = 1e-8
    # regularisation, and the plans it may follow over the fit
    dropout: float = 0.0
    dropout_schedule: str = "constant"
    weight_decay: float = 0.0
    weight_decay_schedule: str = "constant"
    learning_rate_factors: dict | None = field(default=None)


def train(
    network,
    params,
    data,
    plan,
    *,
    state,
    random_state=None,
    validation=None,
    reporter=None,
    incremental=False,
    xp=NUMPY,
):
    """Train ``network`` from ``params`` (in place) on ``data``.

    ``data`` is ``(X, Y, sample_weight)``: inputs, encoded targets and
    weights (or None). ``validation(ws) -> (score, loss)``, where given,
    scores the weights of each epoch, and the best epoch's are restored at
    the end (sgd and adam). ``incremental`` is one epoch on the data,
    continuing ``state``'s optimizer (``partial_fit``). Returns how training
    ended, or scipy's result for lbfgs.
    """
    if plan.solver == "lbfgs":
        return _train_lbfgs(network, params, data, plan, state, reporter, xp)
    X, Y, sample_weight = data
    if state.optimizer is None or not incremental:
        state.optimizer = make_optimizer(plan, params, xp)
    set_per_fit(state.optimizer, network, plan, params, xp)
    state.start(plan.tol, plan.n_iter_no_change, validation is not None, params, xp)
    state.n_iter = 0
    if not incremental and state.stopping.fired():
        return ALREADY_CONVERGED
    dropout = dropout_layer(plan, random_state)
    watch = None
    watched = validation is None and np.isfinite(plan.n_iter_no_change)
    if dropout is not None and watched:
        # the rule watches the loss without the masks, which perturb the other
        def watch(ws):
            return loss_without_masks(network, ws, data, plan.alpha)

    batches = Batches(X, Y, sample_weight, plan.batch_size, xp)
    grad = xp.empty_like(params)
    return train_epochs(
        network,
        network.workspace(params, grad, plan.batch_size, xp, dropout),
        state,
        batches,
        max_epochs=1 if incremental else plan.max_iter,
        alpha=plan.alpha,
        random_state=random_state,
        shuffle=plan.shuffle,
        validate=validation,
        reporter=reporter,
        plans=planned_settings(plan, batches),
        watch=watch,
    )


def _train_lbfgs(network, params, data, plan, state, reporter, xp):
    """Full-batch L-BFGS (scipy's): each iteration's loss is the curve."""
    X, Y, sample_weight = data
    state.loss_curve = []

    def on_iteration(loss):
        state.loss_curve.append(loss)
        if reporter is not None:
            reporter.loss(len(state.loss_curve), loss)

    result = fit_lbfgs(
        network,
        params,
        X,
        Y,
        sample_weight,
        plan.alpha,
        max_iter=plan.max_iter,
        max_fun=plan.max_fun,
        tol=plan.tol,
        on_iteration=on_iteration,
        xp=xp,
    )
    state.loss = float(result.fun)
    state.n_iter = int(result.nit)
    return result


def make_optimizer(plan, params, xp=NUMPY):
    """The plan's optimizer, with its moments at 0."""
    if plan.solver == "sgd":
        return SGD(
            params,
            plan.learning_rate_init,
            plan.momentum,
            plan.nesterovs_momentum,
            plan.learning_rate,
            plan.power_t,
            xp=xp,
        )
    return Adam(
        params,
        plan.learning_rate_init,
        plan.beta_1,
        plan.beta_2,
        plan.epsilon,
        xp=xp,
    )


def dropout_layer(plan, random_state):
    """The dropout layer of this fit, with a stream of its own: seeded by one
    draw from the fit's, so that shuffling (whose draws depend on the number
    of rows) does not shift the masks, and a weighted row still trains as its
    copies. None without dropout (and then nothing is drawn)."""
    if not plan.dropout:
        return None
    seed = random_state.randint(np.iinfo(np.int32).max)
    return Dropout(plan.dropout, np.random.RandomState(seed))


def planned_settings(plan, batches):
    """The per-batch plans of this fit: learning rate, dropout, weight decay.

    scikit-learn's learning-rate schedules act per epoch, in SGD, and have no
    plan here; nor has a setting that is off.
    """
    total_steps = plan.max_iter * batches.n_batches

    def planned(schedule, used=True):
        return Plan(schedule, total_steps) if used and schedule in SCHEDULES else None

    return Plans(
        planned(plan.learning_rate),
        planned(plan.dropout_schedule, plan.dropout > 0),
        planned(plan.weight_decay_schedule, plan.weight_decay > 0),
    )


def set_per_fit(optimizer, network, plan, params, xp=NUMPY):
    """The optimizer's per-group factors for this fit.

    The weight decay is on the dense layers' weights, not the biases nor the
    other groups; with learning-rate factors, each entry decays at its
    group's rate.
    """
    host_dtype = xp.numpy_dtype(params.dtype)
    lr_factors = None
    if plan.learning_rate_factors:
        lr_factors = network.group_values(plan.learning_rate_factors, host_dtype, 1.0)
    optimizer.lr_factors = None if lr_factors is None else xp.from_numpy(lr_factors)
    # a plan sets it batch by batch; without one it is 1, whatever the last
    # fit's plan left (partial_fit keeps the optimizer)
    optimizer.decay_factor = 1.0
    optimizer.decay = None
    if plan.weight_decay:
        decay = network.group_values({"weights": plan.weight_decay}, host_dtype)
        if lr_factors is not None:
            decay *= lr_factors
        optimizer.decay = xp.from_numpy(decay)


def loss_without_masks(network, ws, data, alpha):
    """The objective on every training row, the network without its dropout
    masks (as it predicts): what the stopping rule watches when dropout is
    on. One forward pass, about a third of an epoch's cost."""
    X, Y, sample_weight = data
    z, out = network.forward(ws.params, X, xp=ws.xp)
    loss = network.data_loss(z, out, Y, sample_weight, xp=ws.xp)
    total = X.shape[0] if sample_weight is None else float(ws.xp.sum(sample_weight))
    coefs, _ = network.unpack(ws.params)
    squares = sum(float(ws.xp.vdot(W, W)) for W in coefs)
    return float(loss) + 0.5 * alpha / total * squares
