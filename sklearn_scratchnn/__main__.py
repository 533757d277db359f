"""The command line: ``python -m sklearn_scratchnn`` (or ``scratchnn``).

Subcommands:

- ``article`` (the default): train the article's network on its 4-row table
  and print its predictions beside the article's; ``--plot FILE`` saves the
  loss curve;
- ``digits``: a Pipeline + GridSearchCV over hidden size and learning rate on
  scikit-learn's digits, with the grid's scores and the held-out accuracy;
- ``fit``: train a preprocessing Pipeline and the network on a CSV file
  (``--target COLUMN``), report held-out scores, and save the model;
- ``evaluate``, ``predict``, ``info``: score, apply or describe a saved model.

scikit-learn and the network are imported only by the commands that need
them, so ``--help`` answers at once.
"""

import argparse
import json
import sys
import time
from pathlib import Path

from ._cli import CommandError, progress_callback, readable_warnings
from ._demos import article, digits
from ._model_files import load_model, save_model
from ._tabular import (
    as_text,
    build_pipeline,
    check_columns,
    column_kinds,
    format_metrics,
    infer_task,
    metrics,
    read_csv,
    split_target,
    unseen_categories,
    versions,
)

# -- fit, evaluate, predict and info on CSV files ------------------------------------


def _estimator(args, task):
    from ._classifier import ScratchMLPClassifier
    from ._regressor import ScratchMLPRegressor

    Estimator = ScratchMLPRegressor if task == "regression" else ScratchMLPClassifier
    return Estimator(
        hidden_layer_sizes=tuple(args.hidden),
        activation=args.activation,
        solver=args.solver,
        learning_rate_init=args.learning_rate,
        alpha=args.alpha,
        batch_size=args.batch_size,
        max_iter=args.max_iter,
        early_stopping=args.early_stopping,
        random_state=args.random_state,
    )


def _train(pipeline, X, y, progress):
    """Fit, with the progress bar on the network when there is one."""
    network = pipeline.named_steps["network"]
    if progress is not None:
        network.set_callbacks(progress)
    try:
        with readable_warnings():
            pipeline.fit(X, y)
    finally:
        if progress is not None:
            network.set_callbacks()  # the saved model carries no terminal
    return pipeline


def fit_csv(args, out=sys.stdout):
    from sklearn.base import clone
    from sklearn.model_selection import train_test_split

    frame = read_csv(args.data)
    X, y = split_target(frame, args.target, args.data)
    check_columns(X, args.data)
    task = infer_task(y, args.regression, args.classification)
    if task == "classification" and y.nunique() < 2:
        raise CommandError(
            f"the target column {args.target!r} has one class only "
            f"({y.iloc[0]!r}); a classifier needs at least two"
        )
    _, categorical = column_kinds(X)
    X = as_text(X, categorical)
    pipeline = build_pipeline(X, _estimator(args, task))
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
    start = time.perf_counter()
    _train(pipeline, X_train, y_train, progress)
    seconds = time.perf_counter() - start
    scores = metrics(task, y_test, pipeline.predict(X_test))
    network = pipeline.named_steps["network"]
    summary = {
        "task": task,
        "rows": {"train": len(X_train), "test": len(X_test)},
        "epochs": int(network.n_iter_),
        "seconds": round(seconds, 3),
        "held_out": scores,
    }
    if args.refit_all:
        pipeline = _train(clone(pipeline), X, y, progress)
        summary["refit_on_all_rows"] = True
    if args.save:
        saved = {
            "model": pipeline,
            "columns": [str(c) for c in X.columns],
            "categorical": [str(c) for c in categorical],
            "target": args.target,
            "task": task,
            "versions": versions(),
        }
        save_model(saved, Path(args.save))
        summary["saved_to"] = args.save
    if args.json:
        print(json.dumps(summary, indent=2), file=out)
        return pipeline
    kind = type(network).__name__
    if not (args.regression or args.classification):
        other = "classification" if task == "regression" else "regression"
        print(
            f"{task}, inferred from the target column (--{other} to override)",
            file=out,
        )
    print(
        f"trained {kind} on {len(X_train)} rows x {X.shape[1]} columns in "
        f"{seconds:.1f} s ({network.n_iter_} epochs); held out {len(X_test)} rows",
        file=out,
    )
    print("held-out scores:", file=out)
    format_metrics(scores, out)
    if args.refit_all:
        print(f"then refitted on all {len(X)} rows", file=out)
    if args.save:
        print(f"model saved to {args.save}", file=out)
    return pipeline


def _rows_for(saved, path):
    """The model's columns from a CSV file, prepared as in training."""
    frame = read_csv(path)
    missing = [c for c in saved["columns"] if c not in frame.columns]
    if missing:
        raise CommandError(
            f"{path} lacks column(s) the model was trained on: {', '.join(missing)}"
        )
    X = as_text(frame[saved["columns"]], saved["categorical"])
    for column, values in unseen_categories(
        saved["model"], X, saved["categorical"]
    ).items():
        shown = ", ".join(map(repr, values[:5])) + (", ..." if len(values) > 5 else "")
        print(
            f"warning: column {column!r} has values not seen in training ({shown}); "
            "those rows are predicted as if the column were empty",
            file=sys.stderr,
        )
    return frame, X


def predict_csv(args, out=sys.stdout):
    saved = load_model(Path(args.model))
    frame, X = _rows_for(saved, args.data)
    model = saved["model"]
    with readable_warnings():
        if args.proba:
            if saved["task"] != "classification":
                raise CommandError("--proba needs a classification model")
            values = model.predict_proba(X)
            classes = model.named_steps["network"].classes_
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
    saved = load_model(Path(args.model))
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
    network = saved["model"].named_steps["network"]
    categorical = set(saved["categorical"])
    print(f"{type(network).__name__} predicting {saved['target']!r}", file=out)
    print(f"columns ({len(saved['columns'])}):", file=out)
    for column in saved["columns"]:
        kind = "categorical (one-hot)" if column in categorical else "numeric (scaled)"
        print(f"  {column}: {kind}", file=out)
    if saved["task"] == "classification":
        classes = ", ".join(map(str, network.classes_))
        print(f"classes: {classes}", file=out)
    units = " -> ".join(str(u) for u in network._network.layer_units)
    print(
        f"layers: {units} ({network.activation}, output {network.out_activation_})",
        file=out,
    )
    print(
        f"training: {network.solver}, {len(network.loss_curve_)} epochs recorded, "
        f"final loss {network.loss_:.6g}",
        file=out,
    )
    saved_with = ", ".join(f"{k} {v}" for k, v in saved["versions"].items())
    print(f"saved with: {saved_with}", file=out)


# -- entry point -------------------------------------------------------------------


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
        description="Numeric columns are imputed (median) and standardised, other "
        "columns one-hot encoded; a share of the rows is held out to score the "
        "model. Classification or regression is inferred from the target.",
    )
    fit.add_argument("data", help="CSV file with a header row")
    fit.add_argument("--target", required=True, help="the column to predict")
    task = fit.add_mutually_exclusive_group()
    task.add_argument("--regression", action="store_true", help="numeric target")
    task.add_argument("--classification", action="store_true", help="class labels")
    fit.add_argument(
        "--hidden",
        type=int,
        nargs="+",
        default=[100],
        metavar="UNITS",
        help="units per hidden layer, e.g. --hidden 32 16 (default: 100)",
    )
    fit.add_argument(
        "--activation",
        choices=["logistic", "tanh", "relu", "identity"],
        default="relu",
        help="hidden activation (default: relu)",
    )
    fit.add_argument(
        "--solver", choices=["adam", "sgd", "lbfgs"], default="adam", help="(adam)"
    )
    fit.add_argument("--learning-rate", type=float, default=0.001, help="(0.001)")
    fit.add_argument("--alpha", type=float, default=0.0001, help="L2 penalty (1e-4)")
    fit.add_argument("--batch-size", type=int, default=200, help="(200)")
    fit.add_argument("--max-iter", type=int, default=200, help="epochs (200)")
    fit.add_argument(
        "--early-stopping",
        action="store_true",
        help="stop when the score on a validation share stops improving",
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
    return parser


def main(argv=None):
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["article", *(argv or [])])
    try:
        args.run(args)
    except (CommandError, ValueError, TypeError) as error:
        # the library's own errors say what to do: one line, no traceback
        message = str(error).strip().splitlines()[0] if str(error) else repr(error)
        print(f"error: {message}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
