"""``scratchnn fit``: a CSV file in, a trained model, its held-out scores and
(with ``--save``) a saved model out; ``--cv K`` also scores K folds of every
row."""

import json
import sys
import time
from pathlib import Path

from .fit_report import CV_METRICS, report
from .messages import (
    CommandError,
    Interrupted,
    in_options,
    noticing_interrupts,
    progress_callback,
    readable_warnings,
)
from .model_files import check_save_path, save_model
from .options import SMALL_TEST, model_for
from .outputs import check_output
from .table_models import (
    as_model_input,
    build_pipeline,
    check_classes,
    check_columns,
    column_kinds,
    infer_task,
    metrics,
    numeric_target,
    split_target,
    versions,
)
from .table_reading import check_named, identifier_columns, read_csv, read_numbers


def is_blend(model):
    """Whether a model is a blend of the tabular network and HGB."""
    return hasattr(model, "hgb")


def network_of(model):
    """The network that learnt: a Pipeline's, the tabular model, or a blend's
    (its fitted network; before the fit, the one it will copy, which carries
    the progress bar into the fit)."""
    if is_blend(model):
        return getattr(model, "network_", model.network)
    steps = getattr(model, "named_steps", None)
    if steps is None:
        return model
    network = steps["network"]
    # a regression pipeline's network learns the standardised target inside
    # a TransformedTargetRegressor: the fitted one once fitted
    inner = getattr(network, "regressor_", getattr(network, "regressor", None))
    return network if inner is None else inner


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
    frame, notes = read_csv(args.data, args.encoding)
    X, y = split_target(frame, args.target, args.data, args.drop_missing_target)
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
    check_classes(y, args.target)
    return task, y


def _one_class(predicted):
    import numpy as np

    return len(np.unique(predicted)) == 1


# balanced accuracy this far above chance (1 / classes) is something learnt
LEARNT_MARGIN = 0.05


def _majority_warning(scores, n_test):
    """A held-out accuracy no better than always predicting the most common
    class, and a balanced accuracy at chance: the model learnt nothing the
    class counts do not say. (Below the majority's accuracy alone is what
    ``--class-weight balanced`` trades for the rare classes' recall.)"""
    accuracy, baseline = scores["accuracy"], scores["majority_class_accuracy"]
    true_classes = sum(1 for row in scores["confusion_matrix"] if sum(row))
    chance = 1.0 / max(true_classes, 1)
    if accuracy > baseline or scores["balanced_accuracy"] > chance + LEARNT_MARGIN:
        return
    swings = (
        f"; on {n_test} held-out rows a score swings with the split (--cv 5 "
        "shows by how much)"
        if n_test < SMALL_TEST
        else ""
    )
    print(
        f"warning: the held-out accuracy {accuracy:.4f} is no better than always "
        f"predicting {scores['majority_class']!r} ({baseline:.4f}): the model "
        f"has learnt nothing the class counts do not tell{swings}",
        file=sys.stderr,
    )


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
        if args.model == "blend":
            _check_blend_file(save)
        check_output(
            save,
            option="--save",
            kind="model",
            reads={"training table": args.data},
            force=args.force,
        )
    X, y, notes, dropped = _features(args)
    task, y = _task(args, y)
    _, categorical = column_kinds(X)
    X = as_model_input(X, categorical)
    estimator = model_for(args, task)
    # the tabular model and the blend read the raw columns themselves; the
    # Scratch network needs a Pipeline
    raw = args.model in ("tabular", "blend")
    pipeline = estimator if raw else build_pipeline(X, estimator)
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
        if task == "classification" and not _one_class(predicted):
            _majority_warning(scores, len(y_test))
        summary = {
            "task": task,
            "model": type(pipeline if is_blend(pipeline) else network).__name__,
            "rows": {"train": len(X_train), "test": len(X_test)},
            "columns": X.shape[1],
            "epochs": int(network.n_iter_),
            "best_epoch": getattr(network, "best_epoch_", None),
            "snapshots": _snapshots(network),
            "seconds": round(seconds, 3),
            "held_out": scores,
            "notes": notes,
        }
        if is_blend(pipeline):
            summary["weights"] = blend_weights(pipeline)
        if args.cv:
            summary["cross_validation"] = _cross_validated(
                pipeline, X, y, task, args, save, progress
            )
        if args.refit_all:
            if progress is not None:
                progress.label = "--refit-all"
            pipeline = _train_or_stop(
                clone(pipeline), X, y, progress, save, "the refit on all rows"
            )
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
        report(args, summary, X, out)
        error = _save(saved, save, summary)
        if save is not None and error is None:
            print(f"model saved to {save}", file=out)
    if error is not None:
        raise CommandError(error)
    return pipeline


def _check_blend_file(path):
    """A blend's ``.skops`` file needs NumPy >= 1.25: skops writes the random
    generator HistGradientBoosting keeps through its ``seed_seq``, which older
    NumPy keeps private."""
    import numpy as np

    if path.suffix == ".skops" and not hasattr(np.random.PCG64(), "seed_seq"):
        raise CommandError(
            f"--save {path}: a --model blend model saves to .skops with NumPy "
            f">= 1.25 (this is {np.__version__}: skops cannot write the random "
            "generator HistGradientBoosting keeps); upgrade NumPy, or save a "
            f"pickle (--save {path.with_suffix('.pkl')})"
        )


def _cross_validated(pipeline, X, y, task, args, save, progress):
    """``--cv K``: each held-out score over K folds of every row (stratified
    by class), as ``{metric: {"mean", "std", "folds"}}``."""
    import numpy as np
    from sklearn.base import clone
    from sklearn.model_selection import KFold, StratifiedKFold

    split = StratifiedKFold if task == "classification" else KFold
    folds = split(n_splits=args.cv, shuffle=True, random_state=args.random_state)
    if task == "classification" and y.value_counts().min() < args.cv:
        raise CommandError(
            f"--cv {args.cv} needs at least {args.cv} rows of every class, and "
            f"class {y.value_counts().idxmin()!r} has {y.value_counts().min()}; "
            "give a smaller --cv"
        )
    per_fold = []
    for fold, (train, test) in enumerate(folds.split(X, y), start=1):
        stage = f"fold {fold} of {args.cv}"
        if progress is not None:
            progress.label = f"--cv {stage}"
        model = _train_or_stop(
            clone(pipeline), X.iloc[train], y.iloc[train], progress, save, stage
        )
        scores = metrics(task, y.iloc[test], model.predict(X.iloc[test]))
        per_fold.append({k: v for k, v in scores.items() if k in CV_METRICS})
    return {
        name: {
            "mean": float(np.mean([s[name] for s in per_fold])),
            "std": float(np.std([s[name] for s in per_fold])),
            "folds": [s[name] for s in per_fold],
        }
        for name in per_fold[0]
    }


# the scores --cv summarises, as the report names them
def _train_or_stop(pipeline, X, y, progress, save, stage=None):
    """``_train``, unless Ctrl-C stops it: then :class:`Interrupted` (naming
    the ``stage``, a fold of --cv say, if not the first fit), and a model cut
    short is never saved."""
    try:
        with noticing_interrupts() as pressed:
            _train(pipeline, X, y, progress)
    except KeyboardInterrupt:  # within the first epoch: nothing to keep
        pressed = [True]
    if pressed:
        _interrupted(pipeline, save, stage)
    return pipeline


def _interrupted(pipeline, save, stage=None):
    network = network_of(pipeline)
    epochs = getattr(network, "n_iter_", None)
    planned = getattr(network, "max_iter", None)
    where = f" in {stage}" if stage else ""
    if epochs is not None:
        where += f" after {epochs} of {planned} epochs"
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


def blend_weights(blend):
    """A fitted blend's weights, by part."""
    return {"network": float(blend.weights_[0]), "hgb": float(blend.weights_[1])}


def _snapshots(network):
    """How many snapshots the tabular model averages with its networks."""
    return getattr(network, "n_snapshots_", 0)
