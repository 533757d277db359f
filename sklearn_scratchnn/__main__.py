"""The command line: ``python -m sklearn_scratchnn`` (or ``scratchnn``).

Subcommands:

- ``article`` (the default): train the article's network on its 4-row table
  and print its predictions beside the article's; ``--plot FILE`` saves the
  loss curve;
- ``digits``: a Pipeline + GridSearchCV over hidden size and learning rate on
  scikit-learn's digits, with the grid's scores and the held-out accuracy;
- ``fit``: train on a CSV file (``--target COLUMN``) and save the model;
- ``predict``: apply a saved model to a CSV file.
"""

import argparse
import csv
import pickle
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from . import _article
from ._classifier import ScratchMLPClassifier
from ._regressor import ScratchMLPRegressor


class CommandError(Exception):
    """A problem with the user's input: printed without a traceback."""


# -- article ---------------------------------------------------------------------


def article(args, out=sys.stdout):
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
    from sklearn.model_selection import GridSearchCV, train_test_split
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

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


# -- fit and predict on CSV files --------------------------------------------------


def _read_csv(path):
    path = Path(path)
    if not path.is_file():
        raise CommandError(f"no such file: {path}")
    with path.open(newline="") as f:
        rows = list(csv.reader(f))
    if len(rows) < 2:
        raise CommandError(f"{path} needs a header row and at least one data row")
    header, body = rows[0], rows[1:]
    for number, row in enumerate(body, start=2):
        if len(row) != len(header):
            raise CommandError(
                f"{path}, line {number}: {len(row)} fields, "
                f"the header has {len(header)}"
            )
    return header, body


def _numeric(path, header, body, columns):
    values = np.empty((len(body), len(columns)))
    for j, column in enumerate(columns):
        index = header.index(column)
        for i, row in enumerate(body):
            try:
                values[i, j] = float(row[index])
            except ValueError:
                raise CommandError(
                    f"{path}, line {i + 2}, column {column!r}: {row[index]!r} is not a "
                    "number; features must be numeric (encode categories first)"
                ) from None
    return values


def fit_csv(args, out=sys.stdout):
    header, body = _read_csv(args.data)
    if args.target not in header:
        raise CommandError(
            f"column {args.target!r} is not in {args.data}; "
            f"columns: {', '.join(header)}"
        )
    features = [c for c in header if c != args.target]
    if not features:
        raise CommandError(f"{args.data} has no feature column besides the target")
    X = _numeric(args.data, header, body, features)
    y = np.array([row[header.index(args.target)] for row in body])
    Estimator = ScratchMLPRegressor if args.regression else ScratchMLPClassifier
    if args.regression:
        y = _numeric(args.data, header, body, [args.target])[:, 0]
    model = Estimator(
        hidden_layer_sizes=tuple(args.hidden),
        learning_rate_init=args.learning_rate,
        max_iter=args.max_iter,
        random_state=args.random_state,
        verbose=args.verbose,
    )
    start = time.perf_counter()
    model.fit(X, y)
    print(
        f"trained {type(model).__name__} on {len(X)} rows x {len(features)} features "
        f"in {time.perf_counter() - start:.1f} s ({model.n_iter_} epochs); "
        f"training score {model.score(X, y):.4f}",
        file=out,
    )
    if args.save:
        saved = {"model": model, "features": features, "target": args.target}
        _save_model(saved, Path(args.save))
        print(f"model saved to {args.save}", file=out)
    return model


# -- model files: .skops (skops.io) or anything else (pickle) -----------------------

# the only type a model file of ours needs trusting (see _persistence.py)
_OUR_TYPES = {
    f"{cls.__module__}.{cls.__qualname__}"
    for cls in (ScratchMLPClassifier, ScratchMLPRegressor)
}


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


def _load_model(path):
    if not path.is_file():
        raise CommandError(f"no such model file: {path}")
    if path.suffix != ".skops":
        with path.open("rb") as f:
            return pickle.load(f)  # only load model files you trust (see the docs)
    sio = _skops_io()
    untrusted = sio.get_untrusted_types(file=path)
    unexpected = sorted(set(untrusted) - _OUR_TYPES)
    if unexpected:
        raise CommandError(
            f"{path} holds types that a model of ours never needs: {unexpected}; "
            "if you trust the file, load it in Python with skops.io.load(..., "
            "trusted=...)"
        )
    return sio.load(path, trusted=untrusted)


def predict_csv(args, out=sys.stdout):
    saved = _load_model(Path(args.model))
    header, body = _read_csv(args.data)
    missing = [c for c in saved["features"] if c not in header]
    if missing:
        raise CommandError(
            f"{args.data} lacks the model's feature column(s): {missing}"
        )
    X = _numeric(args.data, header, body, saved["features"])
    predictions = saved["model"].predict(X)
    print(saved["target"], file=out)
    for value in predictions:
        print(value, file=out)
    return predictions


# -- entry point -------------------------------------------------------------------


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m sklearn_scratchnn",
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

    fit = sub.add_parser("fit", help="train on a CSV file")
    fit.add_argument("data", help="CSV file with a header row")
    fit.add_argument("--target", required=True, help="the column to predict")
    fit.add_argument("--regression", action="store_true", help="numeric target")
    fit.add_argument(
        "--hidden",
        type=int,
        nargs="+",
        default=[100],
        metavar="UNITS",
        help="units per hidden layer, e.g. --hidden 32 16",
    )
    fit.add_argument("--learning-rate", type=float, default=0.001)
    fit.add_argument("--max-iter", type=int, default=200)
    fit.add_argument("--random-state", type=int, default=0)
    fit.add_argument("--verbose", action="store_true", help="print every epoch")
    fit.add_argument(
        "--save",
        metavar="MODEL",
        help="where to save the model: a .skops file (safe to share, needs skops) "
        "or a pickle (any other name)",
    )
    fit.set_defaults(run=fit_csv)

    pred = sub.add_parser("predict", help="apply a saved model to a CSV file")
    pred.add_argument("model", help="a model saved by 'fit --save' (.skops or pickle)")
    pred.add_argument("data", help="CSV file with the model's feature columns")
    pred.set_defaults(run=predict_csv)
    return parser


def main(argv=None):
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["article", *(argv or [])])
    try:
        args.run(args)
    except (CommandError, ValueError) as error:  # the library's errors are clear
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
