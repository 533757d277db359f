"""The subcommands of ``scratchnn`` (or ``python -m sklearn_scratchnn``):

- ``article`` (the default): train the article's network on its 4-row table
  and print its predictions beside the article's; ``--plot FILE`` saves the
  loss curve;
- ``digits``: a Pipeline + GridSearchCV over hidden size and learning rate on
  scikit-learn's digits, with the grid's scores and the held-out accuracy;
- ``fit``: train a model on a CSV file (``--target COLUMN``), report
  held-out scores, and save it: the tabular model (RealMLP's recipe) by
  default, or with ``--model pipeline`` a preprocessing Pipeline and the
  Scratch network (scikit-learn's MLP);
- ``evaluate``, ``predict``, ``info``: score, apply or describe a saved model;
- ``export``: write a saved model as an ONNX graph (``export.py``).

scikit-learn and the network are imported only by the commands that need
them, so ``--help`` answers at once.
"""

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

from .demos import article, digits
from .export import export_onnx
from .messages import (
    CommandError,
    Interrupted,
    noticing_interrupts,
    progress_callback,
    readable_warnings,
)
from .model_files import check_order, check_save_path, load_model, save_model
from .table_reading import (
    check_named,
    identifier_columns,
    read_csv,
    read_numbers,
    shown,
)
from .tabular import (
    as_text,
    build_pipeline,
    check_columns,
    column_descriptions,
    column_kinds,
    format_metrics,
    infer_task,
    metrics,
    numeric_target,
    prepare_features,
    split_target,
    unseen_categories,
    versions,
)

# -- fit, evaluate, predict and info on CSV files ------------------------------------

# The estimator's parameters that `fit` sets, and the options that set them:
# errors about a parameter name the option the user typed.
OPTIONS = {
    "max_epochs": "--max-iter",
    "hidden_layer_sizes": "--hidden",
    "activation": "--activation",
    "solver": "--solver",
    "learning_rate_init": "--learning-rate",
    "alpha": "--alpha",
    "batch_size": "--batch-size",
    "max_iter": "--max-iter",
    "early_stopping": "--early-stopping",
    "class_weight": "--class-weight",
    "random_state": "--random-state",
}


def in_options(message):
    """An estimator's message about its parameters, in the command's options."""
    names = "|".join(OPTIONS)
    pattern = rf"The '({names})' parameter of \w+|(?<![-\w])({names})\b"
    return re.sub(pattern, lambda m: OPTIONS[m.group(1) or m.group(2)], message)


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
# options the tabular model has no use for: its recipe fixes them
PIPELINE_ONLY = ("activation", "solver", "alpha", "early_stopping")


def _estimator(args, task):
    """The model the options describe, its parameters checked before training."""
    from .._base import check_hidden_layer_sizes

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
    from .._tabular_mlp import TabularMLPClassifier, TabularMLPRegressor

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
        "max_epochs": given["max_iter"],
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


def network_of(model):
    """The estimator that learnt: a Pipeline's network, or the tabular model."""
    steps = getattr(model, "named_steps", None)
    return model if steps is None else steps["network"]


def _train(pipeline, X, y, progress):
    """Fit, with the progress bar on the network when there is one."""
    network = network_of(pipeline)
    if progress is not None:
        network.set_callbacks(progress)
    try:
        pipeline.fit(X, y)
    except (ValueError, TypeError) as error:
        raise CommandError(in_options(str(error).strip().splitlines()[0])) from None
    finally:
        if progress is not None:
            network.set_callbacks()  # the saved model carries no terminal
    return pipeline


def _features(args):
    """``(X, y, notes, dropped)``: the file's features as the network will see
    them, with notes on how they were read and the identifiers dropped."""
    frame, notes = read_csv(args.data)
    X, y = split_target(frame, args.target, args.data)
    for option, names in (
        ("--drop", args.drop), ("--keep", args.keep), ("--numeric", args.numeric)
    ):  # fmt: skip
        check_named(X, names, option, args.data)
    X = X.drop(columns=args.drop)
    X, number_notes = read_numbers(X, forced=args.numeric)
    dropped = identifier_columns(X, keep=args.keep)
    for column, reason in dropped.items():
        notes.append(f"dropped column {column!r}: {reason}; --keep {column} uses it")
    X = X.drop(columns=list(dropped))
    if X.shape[1] == 0:
        raise CommandError(
            f"{args.data} has no feature column left to train on; --keep COLUMN "
            "uses a column dropped as an identifier"
        )
    check_columns(X, args.data)
    return X, y, notes + number_notes, dropped


def _task(args, y):
    task = infer_task(y, args.regression, args.classification)
    if task == "regression":
        return task, numeric_target(y, args.target)
    if y.nunique() < 2:
        raise CommandError(
            f"the target column {args.target!r} has one class only "
            f"({y.iloc[0]!r}); a classifier needs at least two"
        )
    return task, y


def _one_class_warning(y_test, predicted, network):
    """A model that predicts one class for held-out rows of several learned
    nothing beyond the class counts: say so, and what to change."""
    import numpy as np

    if len(np.unique(np.asarray(y_test))) < 2 or len(np.unique(predicted)) > 1:
        return
    print(
        f"warning: the model predicts {str(predicted[0])!r} for every held-out "
        "row, as if it learned nothing from the features; try --class-weight "
        "balanced, more epochs (--max-iter) or another --learning-rate (now "
        f"{network.learning_rate_init:g})",
        file=sys.stderr,
    )


def fit_csv(args, out=sys.stdout):
    from sklearn.base import clone
    from sklearn.model_selection import train_test_split

    # everything that can be checked is, before any training
    save = Path(args.save) if args.save else None
    if save is not None:
        check_save_path(save)
    X, y, notes, dropped = _features(args)
    task, y = _task(args, y)
    _, categorical = column_kinds(X)
    X = as_text(X, categorical)
    estimator = _estimator(args, task)
    # the tabular model reads the raw columns itself; the other needs a Pipeline
    pipeline = estimator if args.model == "tabular" else build_pipeline(X, estimator)
    try:
        X_train, X_test, y_train, y_test = train_test_split(
            X,
            y,
            test_size=args.test_size,
            stratify=y if task == "classification" else None,
            random_state=args.random_state,
        )
    except ValueError as error:
        message = f"cannot hold out --test-size {args.test_size}: {error}"
        raise CommandError(message) from None
    progress = progress_callback(sys.stderr)
    with readable_warnings():  # once each, however many fits raise them
        start = time.perf_counter()
        _train_or_stop(pipeline, X_train, y_train, progress, save)
        seconds = time.perf_counter() - start
        predicted = pipeline.predict(X_test)
        network = network_of(pipeline)
        if task == "classification":
            _one_class_warning(y_test, predicted, network)
        scores = metrics(task, y_test, predicted)
        summary = {
            "task": task,
            "model": type(network).__name__,
            "rows": {"train": len(X_train), "test": len(X_test)},
            "columns": X.shape[1],
            "epochs": int(network.n_iter_),
            "best_epoch": getattr(network, "best_epoch_", None),
            "seconds": round(seconds, 3),
            "held_out": scores,
            "notes": notes,
        }
        if args.refit_all:
            pipeline = _train_or_stop(clone(pipeline), X, y, progress, save)
            summary["refit_on_all_rows"] = True
    saved = {
        "model": pipeline,
        "columns": [str(c) for c in X.columns],
        "categorical": [str(c) for c in categorical],
        "dropped": {str(c): reason for c, reason in dropped.items()},
        "target": args.target,
        "task": task,
        "versions": versions(),
    }
    if args.json:
        error = _save(saved, save, summary)
        print(json.dumps(summary, indent=2), file=out)
    else:
        # the report first: a model that cannot be saved is still reported
        _report(args, summary, X, out)
        error = _save(saved, save, summary)
        if save is not None and error is None:
            print(f"model saved to {save}", file=out)
    if error is not None:
        raise CommandError(error)
    return pipeline


def _train_or_stop(pipeline, X, y, progress, save):
    """``_train``, unless Ctrl-C stops it: then :class:`Interrupted`, and a
    model cut short is never saved."""
    try:
        with noticing_interrupts() as pressed:
            _train(pipeline, X, y, progress)
    except KeyboardInterrupt:  # within the first epoch: nothing to keep
        pressed = [True]
    if pressed:
        _interrupted(pipeline, save)
    return pipeline


def _interrupted(pipeline, save):
    network = network_of(pipeline)
    epochs = getattr(network, "n_iter_", None)
    planned = getattr(network, "max_epochs", getattr(network, "max_iter", None))
    where = f" after {epochs} of {planned} epochs" if epochs is not None else ""
    kept = (
        ""
        if save is None
        else (
            f", and {save} is as it was"
            if save.exists()
            else f"; {save} was not written"
        )
    )
    raise Interrupted(f"training interrupted{where}; no model was saved{kept}")


def _save(saved, path, summary):
    """Save the model if asked; the error message if that fails, else None."""
    if path is None:
        return None
    try:
        save_model(saved, path)
    except (OSError, CommandError) as error:
        summary["saved_to"] = None
        return f"the model was trained but not saved: {error}"
    summary["saved_to"] = str(path)
    return None


def _report(args, summary, X, out):
    """The fit's report as a user reads it."""
    for note in summary["notes"]:
        print(f"note: {note}", file=out)
    task = summary["task"]
    if not (args.regression or args.classification):
        other = "classification" if task == "regression" else "regression"
        print(
            f"{task}, inferred from the target column (--{other} to override)",
            file=out,
        )
    rows = summary["rows"]
    epochs = f"{summary['epochs']} epochs"
    if summary["best_epoch"] is not None:
        epochs += f", the best of them restored: epoch {summary['best_epoch']}"
    print(
        f"trained {summary['model']} on {rows['train']} rows x {X.shape[1]} "
        f"columns in {summary['seconds']:.1f} s ({epochs}); "
        f"held out {rows['test']} rows",
        file=out,
    )
    print("held-out scores:", file=out)
    format_metrics(summary["held_out"], out)
    if args.refit_all:
        print(f"then refitted on all {len(X)} rows", file=out)


def _rows_for(saved, path):
    """The model's columns from a CSV file, prepared as in training."""
    frame, _ = read_csv(path)
    missing = [c for c in saved["columns"] if c not in frame.columns]
    if missing:
        raise CommandError(
            f"{path} lacks column(s) the model was trained on: {', '.join(missing)}"
        )
    X, not_numbers = prepare_features(frame, saved)
    for column, values in not_numbers.items():
        print(
            f"warning: numeric column {column!r} has text ({shown(values, 5)}); "
            "those cells are predicted as missing",
            file=sys.stderr,
        )
    for column, values in unseen_categories(
        saved["model"], X, saved["categorical"]
    ).items():
        print(
            f"warning: column {column!r} has values not seen in training "
            f"({shown(values, 5)}); those rows are predicted as if the column "
            "were empty",
            file=sys.stderr,
        )
    return frame, X


def _load_for(args, command):
    check_order(Path(args.model), Path(args.data), command)
    return load_model(Path(args.model))


def predict_csv(args, out=sys.stdout):
    saved = _load_for(args, "predict")
    frame, X = _rows_for(saved, args.data)
    model = saved["model"]
    with readable_warnings():
        if args.proba:
            if saved["task"] != "classification":
                raise CommandError("--proba needs a classification model")
            values = model.predict_proba(X)
            classes = network_of(model).classes_
            columns = {f"proba_{c}": values[:, i] for i, c in enumerate(classes)}
        else:
            columns = {saved["target"]: model.predict(X)}
    import pandas as pd

    result = pd.DataFrame(columns)
    if args.id:
        if args.id not in frame.columns:
            raise CommandError(f"--id column {args.id!r} is not in {args.data}")
        result.insert(0, args.id, frame[args.id].to_numpy())
    if args.output:
        result.to_csv(args.output, index=False, float_format="%.6g")
        print(f"{len(result)} predictions written to {args.output}", file=out)
    else:
        result.to_csv(out, index=False, float_format="%.6g")
    return result


def evaluate_csv(args, out=sys.stdout):
    saved = _load_for(args, "evaluate")
    frame, X = _rows_for(saved, args.data)
    _, y = split_target(frame, args.target, args.data)
    with readable_warnings():
        scores = metrics(saved["task"], y, saved["model"].predict(X))
    if args.json:
        print(json.dumps(scores, indent=2), file=out)
    else:
        print(f"scores on {len(X)} rows of {args.data}:", file=out)
        format_metrics(scores, out)
    return scores


def info(args, out=sys.stdout):
    saved = load_model(Path(args.model))
    model = saved["model"]
    network = network_of(model)
    print(f"{type(network).__name__} predicting {saved['target']!r}", file=out)
    print(f"columns ({len(saved['columns'])}):", file=out)
    for column, kind in zip(saved["columns"], column_descriptions(saved), strict=True):
        print(f"  {column}: {kind}", file=out)
    for column, reason in saved.get("dropped", {}).items():
        print(f"  {column}: dropped, {reason}", file=out)
    if saved["task"] == "classification":
        classes = ", ".join(map(str, network.classes_))
        print(f"classes: {classes}", file=out)
    if network is model:  # the tabular model: the network inside it
        _tabular_info(model, out)
    else:
        units = " -> ".join(str(u) for u in network._network.layer_units)
        print(
            f"layers: {units} ({network.activation}, output {network.out_activation_})",
            file=out,
        )
        print(
            f"training: {network.solver}, {len(network.loss_curve_)} epochs "
            f"recorded, final loss {network.loss_:.6g}",
            file=out,
        )
    saved_with = ", ".join(f"{k} {v}" for k, v in saved["versions"].items())
    print(f"saved with: {saved_with}", file=out)


def _tabular_info(model, out):
    inner = model.network_
    units = " -> ".join(str(u) for u in inner._network.layer_units)
    print(
        f"layers: {units} (parametric {inner.activation}, NTK; periodic "
        "embeddings of the numbers, a scaling layer in front; output "
        f"{inner.out_activation_})",
        file=out,
    )
    best = model.best_epoch_
    restored = "the last kept" if best is None else f"epoch {best} restored"
    print(
        f"training: adam on coslog4, {model.n_iter_} epochs, {restored}, final "
        f"loss {inner.loss_:.6g}",
        file=out,
    )


# -- entry point -------------------------------------------------------------------


def stated_defaults():
    """The defaults the help states, from the estimators and the pipeline's
    options themselves, so that the text cannot drift from the code."""
    from .._tabular_mlp import TabularMLPClassifier, TabularMLPRegressor

    classifier, regressor = TabularMLPClassifier(), TabularMLPRegressor()
    hidden = tuple(classifier.hidden_layer_sizes)
    return {
        "tab_layers": len(hidden),
        "tab_units": " and ".join(str(u) for u in sorted(set(hidden))),
        "tab_hidden": " ".join(map(str, hidden)),
        "tab_epochs": classifier.max_epochs,
        "tab_batch": classifier.batch_size,
        "tab_rate_classification": classifier.learning_rate_init,
        "tab_rate_regression": regressor.learning_rate_init,
        "pipe_hidden": " ".join(map(str, PIPELINE_DEFAULTS["hidden"])),
        "pipe_activation": PIPELINE_DEFAULTS["activation"],
        "pipe_solver": PIPELINE_DEFAULTS["solver"],
        "pipe_rate": PIPELINE_DEFAULTS["learning_rate"],
        "pipe_alpha": PIPELINE_DEFAULTS["alpha"],
        "pipe_epochs": PIPELINE_DEFAULTS["max_iter"],
    }


class _DefaultsFormatter(argparse.HelpFormatter):
    """Fills in ``{name}`` from :func:`stated_defaults` when help is shown
    (only then: it imports the estimators, and so scikit-learn)."""

    def _fill(self, text):
        return text.format(**stated_defaults()) if "{" in text else text

    def _get_help_string(self, action):
        return self._fill(super()._get_help_string(action))

    def _format_text(self, text):
        return super()._format_text(self._fill(text))


def _parser():
    parser = argparse.ArgumentParser(
        prog="scratchnn",
        description="A neural network from scratch in NumPy: the article's "
        "network, a grid search on digits, or your own CSV files.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    art = sub.add_parser("article", help="the article's network on its table (default)")
    art.add_argument("--random-state", type=int, default=0, help="seed of the weights")
    art.add_argument("--plot", metavar="FILE", help="save the loss curve (PNG)")
    art.set_defaults(run=article)

    dig = sub.add_parser("digits", help="GridSearchCV on scikit-learn's digits")
    dig.add_argument("--max-iter", type=int, default=100, help="epochs per fit")
    dig.add_argument("--n-jobs", type=int, default=2, help="parallel fits")
    dig.add_argument("--verbose", type=int, default=1, help="search progress (0-3)")
    dig.set_defaults(run=digits)

    fit = sub.add_parser(
        "fit",
        help="train on a CSV file and report held-out scores",
        formatter_class=_DefaultsFormatter,
        description="Cells such as '?', 'NA' or '-' are missing values; a column "
        "of numbers is numeric even where some cells are text; a column that only "
        "identifies rows (a row number, an id) is dropped. Classification or "
        "regression is inferred from the target, and a share of the rows is held "
        "out to score the model. The model (--model): 'tabular' (the default), "
        "RealMLP's recipe, which scales and clips numbers robustly, flags missing "
        "values, one-hot encodes or embeds categories, and trains {tab_layers} "
        "hidden layers of {tab_units} units for {tab_epochs} epochs, restoring "
        "the best on a validation share; or 'pipeline', numbers imputed and "
        "standardised and other columns one-hot encoded for scikit-learn's MLP "
        "(from scratch): {pipe_hidden} {pipe_activation} units, {pipe_solver}, up "
        "to {pipe_epochs} epochs.",
    )
    fit.add_argument("data", help="CSV file with a header row")
    fit.add_argument("--target", required=True, help="the column to predict")
    task = fit.add_mutually_exclusive_group()
    task.add_argument("--regression", action="store_true", help="numeric target")
    task.add_argument("--classification", action="store_true", help="class labels")
    fit.add_argument(
        "--model",
        choices=["tabular", "pipeline"],
        default="tabular",
        help="the tabular model (default) or the Scratch network in a Pipeline",
    )
    fit.add_argument(
        "--hidden",
        type=int,
        nargs="+",
        metavar="UNITS",
        help="units per hidden layer, e.g. --hidden 32 16 (tabular: {tab_hidden}; "
        "pipeline: {pipe_hidden})",
    )
    fit.add_argument(
        "--activation",
        choices=["logistic", "tanh", "relu", "identity"],
        help="hidden activation, --model pipeline only ({pipe_activation})",
    )
    fit.add_argument(
        "--solver",
        choices=["adam", "sgd", "lbfgs"],
        help="--model pipeline only ({pipe_solver})",
    )
    fit.add_argument(
        "--learning-rate",
        type=float,
        help="(tabular: {tab_rate_classification} classification, "
        "{tab_rate_regression} regression; pipeline: {pipe_rate})",
    )
    fit.add_argument(
        "--alpha", type=float, help="L2 penalty, --model pipeline only ({pipe_alpha})"
    )
    fit.add_argument(
        "--batch-size",
        type=int,
        help="(tabular: {tab_batch}; pipeline: 200, or all rows of a smaller table)",
    )
    fit.add_argument(
        "--max-iter",
        type=int,
        help="epochs (tabular: {tab_epochs}; pipeline: {pipe_epochs})",
    )
    fit.add_argument(
        "--class-weight",
        choices=["balanced"],
        help="weigh each class inversely to its frequency (for imbalanced targets)",
    )
    fit.add_argument(
        "--drop", nargs="+", default=[], metavar="COLUMN", help="columns to leave out"
    )
    fit.add_argument(
        "--keep",
        nargs="+",
        default=[],
        metavar="COLUMN",
        help="use these columns even if they look like identifiers",
    )
    fit.add_argument(
        "--numeric",
        nargs="+",
        default=[],
        metavar="COLUMN",
        help="read these columns as numbers (other cells become missing)",
    )
    fit.add_argument(
        "--early-stopping",
        action="store_true",
        help="stop when the score on a validation share stops improving, "
        "--model pipeline only (the tabular model restores its best epoch)",
    )
    fit.add_argument(
        "--test-size",
        type=float,
        default=0.2,
        help="share of rows held out for the scores (default: 0.2)",
    )
    fit.add_argument(
        "--refit-all",
        action="store_true",
        help="after scoring, train again on all rows before saving",
    )
    fit.add_argument("--random-state", type=int, default=0)
    fit.add_argument("--json", action="store_true", help="print the report as JSON")
    fit.add_argument(
        "--save",
        metavar="MODEL",
        help="where to save the model: a .skops file (safe to share, needs skops) "
        "or a pickle (any other name)",
    )
    fit.set_defaults(run=fit_csv)

    pred = sub.add_parser("predict", help="apply a saved model to a CSV file")
    pred.add_argument("model", help="a model saved by 'fit --save' (.skops or pickle)")
    pred.add_argument("data", help="CSV file with the model's columns")
    pred.add_argument("--proba", action="store_true", help="class probabilities")
    pred.add_argument(
        "--output", metavar="FILE", help="write CSV here (default: stdout)"
    )
    pred.add_argument("--id", metavar="COLUMN", help="copy this column to the output")
    pred.set_defaults(run=predict_csv)

    ev = sub.add_parser("evaluate", help="score a saved model on a labelled CSV file")
    ev.add_argument("model", help="a model saved by 'fit --save'")
    ev.add_argument("data", help="CSV file with the model's columns and the target")
    ev.add_argument("--target", required=True, help="the column with the true values")
    ev.add_argument("--json", action="store_true", help="print the scores as JSON")
    ev.set_defaults(run=evaluate_csv)

    inf = sub.add_parser("info", help="what a saved model is and expects")
    inf.add_argument("model", help="a model saved by 'fit --save'")
    inf.set_defaults(run=info)

    exp = sub.add_parser("export", help="write a saved model as an ONNX graph")
    exp.add_argument("model", help="a model saved by 'fit --save'")
    exp.add_argument("onnx", metavar="ONNX_FILE", help="where to write it (.onnx)")
    exp.set_defaults(run=export_onnx)
    return parser


def main(argv=None):
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["article", *(argv or [])])
    try:
        args.run(args, out=sys.stdout)  # the stream of the moment, not of import
    except Interrupted as error:
        print(f"error: {error}", file=sys.stderr)
        return 130  # the shell's status for a command stopped by Ctrl-C
    except KeyboardInterrupt:
        # outside training (reading, scoring, saving): nothing half-done stays,
        # saves being atomic
        print("error: interrupted; no file was changed", file=sys.stderr)
        return 130
    except (CommandError, ValueError, TypeError) as error:
        # the library's own errors say what to do: one line, no traceback
        message = str(error).strip().splitlines()[0] if str(error) else repr(error)
        print(f"error: {message}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader of our output left (`scratchnn predict ... | head`): stop
        # quietly, with nothing more written to the closed pipe at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
