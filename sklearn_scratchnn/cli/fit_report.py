"""What ``scratchnn fit`` prints once a model is trained: the task and how it
was inferred, the rows, the epochs kept, the held-out scores, the folds'."""

from .messages import counted, score_text
from .options import SMALL_TEST
from .table_models import format_metrics

CV_METRICS = {
    "accuracy": "accuracy",
    "balanced_accuracy": "balanced accuracy",
    "macro_f1": "macro F1",
    "r2": "R2",
    "mae": "MAE",
    "rmse": "RMSE",
}


def report(args, summary, X, out):
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
    if summary["snapshots"]:
        epochs += f", averaged with {counted(summary['snapshots'], 'snapshot')}"
    print(
        f"trained {summary['model']} on {rows['train']} rows x {X.shape[1]} "
        f"columns in {summary['seconds']:.1f} s ({epochs}); "
        f"held out {rows['test']} rows",
        file=out,
    )
    weights = summary.get("weights")
    if weights is not None:
        print(
            f"blended: network {weights['network']:.2f}, HistGradientBoosting "
            f"{weights['hgb']:.2f} (weights chosen on rows neither trained on)",
            file=out,
        )
    print("held-out scores:", file=out)
    format_metrics(summary["held_out"], out)
    cv = summary.get("cross_validation")
    if cv:
        print(f"cross-validated over {args.cv} folds of all {len(X)} rows:", file=out)
        for name, score in cv.items():
            shown = CV_METRICS[name]
            spread = f"{score_text(score['mean'])} ± {score_text(score['std'])}"
            print(f"  {shown:<18} {spread}", file=out)
    elif rows["test"] < SMALL_TEST:
        print(
            f"note: a score on {rows['test']} held-out rows swings from split to "
            "split; --cv 5 gives its spread over 5 folds",
            file=out,
        )
    if args.refit_all:
        print(f"then refitted on all {len(X)} rows", file=out)
