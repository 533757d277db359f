"""The options of ``scratchnn fit`` and the estimators they describe.

Each option sets one parameter of the model; errors about a parameter are
put in the words of the option the user typed (``messages.in_options``), and the
defaults that the help states are written here as plain values
(:data:`TABULAR_DEFAULTS`, :data:`PIPELINE_DEFAULTS`): reading them from the
estimators would import scikit-learn, and ``fit --help`` would take seconds
instead of milliseconds. The test suite holds them equal to the estimators'
own defaults, so the text cannot drift from the code.
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
# the tabular estimators' defaults, as their signatures state them (a test
# compares the two); the batch plan's two constants are tabular/_plan.py's
TABULAR_DEFAULTS = {
    "hidden_layer_sizes": (64, 64, 64),
    "max_iter": 64,
    "batch_size": "auto",
    "learning_rate_classification": 0.04,
    "learning_rate_regression": 0.2,
    "default_batch": 256,
    "reference_rows": 10_000,
    # the blend's network: tabular/_blend.py's NETWORK_EPOCHS
    "blend_max_iter": 32,
}
# under this many held-out rows, a score swings visibly from split to split
SMALL_TEST = 100
# options the tabular model has no use for: its recipe fixes them
PIPELINE_ONLY = ("activation", "solver", "alpha", "early_stopping")


def model_for(args, task):
    """The model the options describe, its parameters checked before training."""
    if args.hidden is not None and any(units <= 0 for units in args.hidden):
        raise CommandError(
            "--hidden must be a positive integer or a sequence of positive "
            "integers (units per hidden layer), got "
            f"{' '.join(map(str, args.hidden))}."
        )
    if args.model == "tabular":
        estimator = _tabular_estimator(args, task)
    elif args.model == "blend":
        estimator = _blend_estimator(args, task)
    else:
        estimator = _scratch_estimator(args, task)
    if task == "regression" and args.class_weight is not None:
        raise CommandError("--class-weight is for classification targets only")
    try:
        estimator._validate_params()  # scikit-learn's check of the parameters
        if args.model == "blend":
            estimator.network._validate_params()
    except (ValueError, TypeError) as error:
        raise CommandError(in_options(str(error))) from None
    return estimator


def _option_values(args, defaults):
    """The options' values, the defaults filled in where not given."""
    values = {name: getattr(args, name) for name in PIPELINE_DEFAULTS}
    return {k: defaults.get(k) if v is None else v for k, v in values.items()}


def _tabular_estimator(args, task, max_iter=None):
    from ..tabular import TabularMLPClassifier, TabularMLPRegressor

    for name in PIPELINE_ONLY:
        if getattr(args, name) not in (None, False):
            option = "--" + name.replace("_", "-")
            raise CommandError(
                f"{option} is an option of --model pipeline; the tabular model "
                "(the default, and the blend's network) uses RealMLP's recipe, "
                "which fixes it"
            )
    given = _option_values(args, {"max_iter": max_iter})
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


def _blend_estimator(args, task):
    """The blend: the network the tabular options describe (32 epochs unless
    --max-iter says otherwise), and HistGradientBoosting's defaults."""
    from ..tabular import TabularBlendClassifier, TabularBlendRegressor

    network = _tabular_estimator(args, task, TABULAR_DEFAULTS["blend_max_iter"])
    network.set_params(random_state=None)  # the blend seeds it
    if task == "regression":
        return TabularBlendRegressor(network, random_state=args.random_state)
    network.set_params(class_weight=None)  # the blend gives it its own
    return TabularBlendClassifier(
        network, class_weight=args.class_weight, random_state=args.random_state
    )


def _scratch_estimator(args, task):
    from ..scratch import ScratchMLPClassifier, ScratchMLPRegressor

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


def stated_defaults():
    """The defaults the help states, from :data:`TABULAR_DEFAULTS` and
    :data:`PIPELINE_DEFAULTS`, without importing scikit-learn."""
    tab = TABULAR_DEFAULTS
    hidden = tab["hidden_layer_sizes"]
    batch = tab["batch_size"]
    if batch == "auto":
        batch = f"{tab['default_batch']}, larger past {tab['reference_rows']:,} rows"
    return {
        "tab_layers": len(hidden),
        "tab_units": " and ".join(str(u) for u in sorted(set(hidden))),
        "tab_hidden": " ".join(map(str, hidden)),
        "tab_epochs": tab["max_iter"],
        "blend_epochs": tab["blend_max_iter"],
        "tab_batch": batch,
        "tab_reference_rows": f"{tab['reference_rows']:,}",
        "tab_rate_classification": tab["learning_rate_classification"],
        "tab_rate_regression": tab["learning_rate_regression"],
        "pipe_hidden": " ".join(map(str, PIPELINE_DEFAULTS["hidden"])),
        "pipe_activation": PIPELINE_DEFAULTS["activation"],
        "pipe_solver": PIPELINE_DEFAULTS["solver"],
        "pipe_rate": PIPELINE_DEFAULTS["learning_rate"],
        "pipe_alpha": PIPELINE_DEFAULTS["alpha"],
        "pipe_epochs": PIPELINE_DEFAULTS["max_iter"],
    }
