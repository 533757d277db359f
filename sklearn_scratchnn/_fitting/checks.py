"""What the Scratch estimators' parameters must satisfy, checked before a fit
trains anything: their constraints (scikit-learn's ``_parameter_constraints``),
the hidden layers, the settings a solver cannot honour, the learning-rate
factors, that a warm start or ``partial_fit`` continues the same network, and
the sample weights (the tabular estimators' too).
"""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, Options, StrOptions

from ..nn.network import PARAMETER_GROUPS
from ..nn.schedules import SCHEDULES
from .compat import check_sample_weight_array

PARAMETER_CONSTRAINTS: dict = {
    "hidden_layer_sizes": [
        "array-like",
        Interval(Integral, 1, None, closed="left"),
    ],
    "activation": [
        StrOptions({"identity", "logistic", "tanh", "relu", "selu", "mish", "gelu"})
    ],
    "solver": [StrOptions({"lbfgs", "sgd", "adam"})],
    "alpha": [Interval(Real, 0, None, closed="left")],
    "batch_size": [
        StrOptions({"auto"}),
        Interval(Integral, 1, None, closed="left"),
    ],
    "learning_rate": [StrOptions({"constant", "invscaling", "adaptive", *SCHEDULES})],
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
    "weight_decay": [Interval(Real, 0, None, closed="left")],
    "dropout": [Interval(Real, 0, 1, closed="left")],
    "dropout_schedule": [StrOptions({"constant", *SCHEDULES})],
    "weight_decay_schedule": [StrOptions({"constant", *SCHEDULES})],
    "learning_rate_factors": [dict, None],
    "input_scaling": ["boolean"],
    "periodic_embedding": ["boolean"],
    "parametric_activation": ["boolean"],
    "parametrization": [StrOptions({"standard", "ntk"})],
}

# the parameters both families have, with one meaning and one constraint each
SHARED_PARAMETERS = (
    "hidden_layer_sizes",
    "max_iter",
    "batch_size",
    "learning_rate_init",
    "dropout",
    "weight_decay",
    "random_state",
    "verbose",
)


def shared_constraints():
    """The constraints of :data:`SHARED_PARAMETERS`, for a family's
    ``_parameter_constraints``."""
    return {name: PARAMETER_CONSTRAINTS[name] for name in SHARED_PARAMETERS}


def check_hidden_layer_sizes(hidden_layer_sizes):
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


def check_solver_settings(estimator):
    """The settings that the chosen solver cannot honour, as errors."""
    if estimator.weight_decay and estimator.solver == "lbfgs":
        raise ValueError(
            f"weight_decay={estimator.weight_decay} is decoupled weight decay, a "
            "step of sgd and adam that lbfgs does not take; use "
            "solver='adam' or 'sgd', or the L2 penalty alpha with lbfgs."
        )
    if estimator.dropout and estimator.solver == "lbfgs":
        raise ValueError(
            f"dropout={estimator.dropout} draws new masks for every mini-batch, "
            "and lbfgs minimises one fixed loss over all rows; use "
            "solver='adam' or 'sgd', or dropout=0.0 with lbfgs."
        )
    check_learning_rate_factors(estimator)


def check_learning_rate_factors(estimator):
    """``learning_rate_factors``: known groups to positive finite floats."""
    factors = estimator.learning_rate_factors
    if not factors:
        return
    if estimator.solver == "lbfgs":
        raise ValueError(
            "learning_rate_factors scale the steps of sgd and adam, and "
            "lbfgs picks its own steps; use solver='adam' or 'sgd', or "
            "learning_rate_factors=None with lbfgs."
        )
    for group, factor in factors.items():
        if group not in PARAMETER_GROUPS:
            raise ValueError(
                f"learning_rate_factors has an unknown group {group!r}; the "
                f"groups are {', '.join(map(repr, PARAMETER_GROUPS))}."
            )
        if (
            isinstance(factor, bool)
            or not isinstance(factor, Real)
            or not 0 < factor < np.inf
        ):
            raise ValueError(
                f"learning_rate_factors[{group!r}] must be a positive finite "
                f"number (the group's learning rate over "
                f"learning_rate_init), got {factor!r}."
            )


def check_same_network(estimator, network, hidden, Y):
    """A warm start or partial_fit continues this network, or says why not."""
    options = network.options
    fitted = {
        "hidden_layer_sizes": list(network.layer_units[1:-1]),
        "activation": network.hidden.name,
        "loss": network.loss_name,
        "input_scaling": options["input_scaling"],
        "periodic_embedding": options["periodic_embedding"] is not None,
        "parametric_activation": options["parametric_activation"],
        "parametrization": options["parametrization"],
    }
    asked = {
        "hidden_layer_sizes": hidden,
        "activation": estimator.activation,
        "loss": estimator.loss,
        "input_scaling": estimator.input_scaling,
        "periodic_embedding": estimator.periodic_embedding,
        "parametric_activation": estimator.parametric_activation,
        "parametrization": estimator.parametrization,
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


def check_sample_weight(sample_weight, X):
    """Validated weights, or None; the same errors on every scikit-learn
    (both families check theirs here)."""
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
