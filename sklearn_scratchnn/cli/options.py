"""The options of ``scratchnn fit`` and the estimators they describe.

Each option sets one parameter of the model; errors about a parameter are
put in the words of the option the user typed (``messages.in_options``), and the
defaults that the help states are read from the estimators themselves
(:func:`stated_defaults`), so the text cannot drift from the code.
"""

from .messages import CommandError, in_options

# the options of each model, with their defaults (None: the estimator's)
PIPELINE_DEFAULTS = {
    "hidden": [100],
    "activation": "relu",
    "solver": "adam",
    "learning_rate": 0.001,
    "alpha": 0.0001,
    # min(200, rows): a table smaller than a batch is one batch, no warning
    "batch_size": "auto",
    "max_iter": 200,
}
# under this many held-out rows, a score swings visibly from split to split
SMALL_TEST = 100
# options the tabular model has no use for: its recipe fixes them
PIPELINE_ONLY = ("activation", "solver", "alpha", "early_stopping")


def model_for(args, task):
    """The model the options describe, its parameters checked before training."""
    from .._checks import check_hidden_layer_sizes

    if args.model == "tabular":
        estimator = _tabular_estimator(args, task)
    else:
        estimator = _scratch_estimator(args, task)
    if task == "regression" and args.class_weight is not None:
        raise CommandError("--class-weight is for classification targets only")
    try:
        estimator._validate_params()
        check_hidden_layer_sizes(estimator.hidden_layer_sizes)
    except (ValueError, TypeError) as error:
        raise CommandError(in_options(str(error))) from None
    return estimator


def _option_values(args, defaults):
    """The options' values, the defaults filled in where not given."""
    values = {name: getattr(args, name) for name in PIPELINE_DEFAULTS}
    return {k: defaults.get(k) if v is None else v for k, v in values.items()}


def _tabular_estimator(args, task):
    from ..tabular import TabularMLPClassifier, TabularMLPRegressor

    for name in PIPELINE_ONLY:
        if getattr(args, name) not in (None, False):
            option = "--" + name.replace("_", "-")
            raise CommandError(
                f"{option} is an option of --model pipeline; the tabular model "
                "(the default) uses RealMLP's recipe, which fixes it"
            )
    given = _option_values(args, {})
    params = {
        "hidden_layer_sizes": given["hidden"],
        "learning_rate_init": given["learning_rate"],
        "batch_size": given["batch_size"],
        "max_iter": given["max_iter"],
    }
    params = {k: tuple(v) if k == "hidden_layer_sizes" else v
              for k, v in params.items() if v is not None}  # fmt: skip
    params["random_state"] = args.random_state
    if task == "regression":
        return TabularMLPRegressor(**params)
    return TabularMLPClassifier(class_weight=args.class_weight, **params)


def _scratch_estimator(args, task):
    from .._classifier import ScratchMLPClassifier
    from .._regressor import ScratchMLPRegressor

    values = _option_values(args, PIPELINE_DEFAULTS)
    params = {
        "hidden_layer_sizes": tuple(values["hidden"]),
        "activation": values["activation"],
        "solver": values["solver"],
        "learning_rate_init": values["learning_rate"],
        "alpha": values["alpha"],
        "batch_size": values["batch_size"],
        "max_iter": values["max_iter"],
        "early_stopping": args.early_stopping,
        "random_state": args.random_state,
    }
    if task == "regression":
        return ScratchMLPRegressor(**params)
    return ScratchMLPClassifier(class_weight=args.class_weight, **params)


def _tabular_batch(batch_size):
    from ..tabular._plan import DEFAULT_BATCH, REFERENCE_ROWS

    if batch_size == "auto":
        return f"{DEFAULT_BATCH}, larger past {REFERENCE_ROWS:,} rows"
    return batch_size


def stated_defaults():
    """The defaults the help states, from the estimators and the pipeline's
    options themselves, so that the text cannot drift from the code."""
    from ..tabular import TabularMLPClassifier, TabularMLPRegressor
    from ..tabular._plan import REFERENCE_ROWS

    classifier, regressor = TabularMLPClassifier(), TabularMLPRegressor()
    hidden = tuple(classifier.hidden_layer_sizes)
    return {
        "tab_layers": len(hidden),
        "tab_units": " and ".join(str(u) for u in sorted(set(hidden))),
        "tab_hidden": " ".join(map(str, hidden)),
        "tab_epochs": classifier.max_iter,
        "tab_batch": _tabular_batch(classifier.batch_size),
        "tab_reference_rows": f"{REFERENCE_ROWS:,}",
        "tab_rate_classification": classifier.learning_rate_init,
        "tab_rate_regression": regressor.learning_rate_init,
        "pipe_hidden": " ".join(map(str, PIPELINE_DEFAULTS["hidden"])),
        "pipe_activation": PIPELINE_DEFAULTS["activation"],
        "pipe_solver": PIPELINE_DEFAULTS["solver"],
        "pipe_rate": PIPELINE_DEFAULTS["learning_rate"],
        "pipe_alpha": PIPELINE_DEFAULTS["alpha"],
        "pipe_epochs": PIPELINE_DEFAULTS["max_iter"],
    }
