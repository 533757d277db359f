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
import pickle
import sys
import time
import warnings
from pathlib import Path

from . import _article
from ._cli import CommandError, progress_callback, readable_warnings
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

# -- article ---------------------------------------------------------------------


def article(args, out=sys.stdout):
    from sklearn.exceptions import ConvergenceWarning

    from ._classifier import ScratchMLPClassifier

    clf = ScratchMLPClassifier(**_article.article_params(args.random_state))
    with warnings.catch_warnings():
        # The article trains for exactly 1500 iterations; reaching them is the
        # plan, not a convergence failure.
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(_article.X, _article.y)
    proba = clf.predict_proba(_article.X)[:, 1]
    print(
        "The article's network: 3 inputs, 4 sigmoid hidden units, 1 sigmoid output,\n"
        f"trained for {clf.n_iter_} iterations of gradient descent on the sum of "
        "squares.\n",
        file=out,
    )
    print(" X1 X2 X3 |  Y | ours  | article", file=out)
    for row, target, ours, theirs in zip(
        _article.X, _article.y, proba, _article.REPORTED, strict=True
    ):
        inputs = " ".join(f"{int(v):2d}" for v in row)
        print(f" {inputs} | {target:2d} | {ours:.3f} | {theirs:.3f}", file=out)
    print(f"\nfinal loss (half the mean squared error): {clf.loss_:.6f}", file=out)
    if args.plot:
        _save_loss_curve(clf, args.plot)
        print(f"loss curve written to {args.plot}", file=out)
    return clf


def _save_loss_curve(estimator, path):
    try:
        import matplotlib
    except ImportError as error:
        raise CommandError(
            "--plot needs matplotlib: pip install 'sklearn-scratchnn[plot]'"
        ) from error
    matplotlib.use("Agg")
    from .plotting import LossCurveDisplay

    display = LossCurveDisplay.from_estimator(estimator, name="the article's network")
    display.figure_.savefig(path, dpi=100)


# -- digits ----------------------------------------------------------------------


def digits(args, out=sys.stdout):
    from sklearn.datasets import load_digits
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import GridSearchCV, train_test_split
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    from ._classifier import ScratchMLPClassifier

    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    pipe = Pipeline(
        [
            ("scale", StandardScaler()),
            ("mlp", ScratchMLPClassifier(max_iter=args.max_iter, random_state=0)),
        ]
    )
    grid = {
        "mlp__hidden_layer_sizes": [(16,), (32,), (64,)],
        "mlp__learning_rate_init": [1e-3, 1e-2],
    }
    n_fits = 3 * len(grid["mlp__hidden_layer_sizes"]) * 2
    print(f"Grid search: {n_fits} fits (3 folds x 6 candidates) ...", file=out)
    start = time.perf_counter()
    search = GridSearchCV(pipe, grid, cv=3, n_jobs=args.n_jobs, verbose=args.verbose)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(X_train, y_train)
    print(f"done in {time.perf_counter() - start:.1f} s\n", file=out)
    print("mean cross-validated accuracy", file=out)
    print("hidden units | lr 0.001 | lr 0.01", file=out)
    scores = search.cv_results_["mean_test_score"]
    params = search.cv_results_["params"]
    for size in grid["mlp__hidden_layer_sizes"]:
        row = [
            score
            for score, p in zip(scores, params, strict=True)
            if p["mlp__hidden_layer_sizes"] == size
        ]
        print(f"{size[0]:12d} | {row[0]:8.4f} | {row[1]:7.4f}", file=out)
    best = search.best_params_
    print(
        f"\nbest: {best['mlp__hidden_layer_sizes'][0]} hidden units, learning rate "
        f"{best['mlp__learning_rate_init']}",
        file=out,
    )
    print(f"held-out accuracy: {search.score(X_test, y_test):.4f}", file=out)
    return search


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
        _save_model(saved, Path(args.save))
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
    saved = _load_model(Path(args.model))
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
    saved = _load_model(Path(args.model))
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
    saved = _load_model(Path(args.model))
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


# -- model files: .skops (skops.io) or anything else (pickle) -----------------------


def _skops_io():
    try:
        import skops.io
    except ImportError:
        raise CommandError(
            ".skops model files need skops: pip install skops "
            '(or pip install "sklearn-scratchnn[persist]")'
        ) from None
    return skops.io


def _save_model(saved, path):
    if path.suffix == ".skops":
        _skops_io().dump(saved, path)
    else:
        with path.open("wb") as f:
            pickle.dump(saved, f)


def _trusted_types():
    """What a model file of ours may ask to build: our estimators and the
    scikit-learn preprocessing around them (which skops trusts already)."""
    from ._classifier import ScratchMLPClassifier
    from ._regressor import ScratchMLPRegressor

    ours = {
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in (ScratchMLPClassifier, ScratchMLPRegressor)
    }
    # OneHotEncoder's ``dtype`` parameter (np.float64) is stored as a dtype;
    # scikit-learn 1.6's ColumnTransformer keeps a list subclass of its own
    return ours | {
        "numpy.dtype",
        "sklearn.compose._column_transformer._RemainderColsList",
    }


def _load_model(path):
    if not path.is_file():
        raise CommandError(f"no such model file: {path}")
    if path.suffix == ".skops":
        sio = _skops_io()
        try:
            untrusted = sio.get_untrusted_types(file=path)
        except Exception:
            message = f"{path} is not a model file saved by 'fit --save'"
            raise CommandError(message) from None
        unexpected = sorted(set(untrusted) - _trusted_types())
        if unexpected:
            raise CommandError(
                f"{path} holds types that a model of ours never needs: {unexpected}; "
                "if you trust the file, load it in Python with skops.io.load(..., "
                "trusted=...)"
            )
        saved = sio.load(path, trusted=untrusted)
    else:
        print(
            f"note: {path.name} is a pickle, and loading a pickle runs whatever code "
            "it holds; load only files you trust, and prefer 'fit --save "
            "model.skops' (needs skops) for files you share",
            file=sys.stderr,
        )
        try:
            with path.open("rb") as f:
                saved = pickle.load(f)
        except Exception:
            message = f"{path} is not a model file saved by 'fit --save'"
            raise CommandError(message) from None
    if not isinstance(saved, dict) or not {"model", "columns", "task"} <= set(saved):
        raise CommandError(f"{path} is not a model file saved by 'fit --save'")
    return saved


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
