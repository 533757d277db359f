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
them, so ``--help`` answers at once. This module holds the parser and the
entry point; each command lives in a module of its own (``fitting.py``,
``applying.py``, ``export.py``, ``demos.py``), and ``options.py`` turns
fit's options into an estimator.
"""

import argparse
import os
import sys

from .applying import evaluate_csv, info, predict_csv
from .demos import article, digits
from .export import export_onnx
from .fitting import fit_csv
from .messages import CommandError, Interrupted
from .options import stated_defaults

# -- entry point -------------------------------------------------------------------


class _DefaultsFormatter(argparse.HelpFormatter):
    """Fills in ``{name}`` from :func:`stated_defaults` when help is shown."""

    def _fill(self, text):
        return text.format(**stated_defaults()) if "{" in text else text

    def _get_help_string(self, action):
        return self._fill(super()._get_help_string(action))

    def _format_text(self, text):
        return super()._format_text(self._fill(text))


def _folds(text):
    """--cv's value: a whole number of folds, at least 2."""
    try:
        k = int(text)
    except ValueError:
        k = 0
    if k < 2:
        raise argparse.ArgumentTypeError(f"needs a whole number >= 2, got {text!r}")
    return k


def _share(text):
    """--test-size's value: a share of the rows, strictly between 0 and 1
    (train_test_split also takes a count of rows, which this option is not)."""
    try:
        share = float(text)
    except ValueError:
        share = -1.0
    if not 0.0 < share < 1.0:
        raise argparse.ArgumentTypeError(
            f"needs a share of the rows between 0 and 1 (0.2 holds out a fifth), "
            f"got {text!r}"
        )
    return share


def _encoding_option(command):
    command.add_argument(
        "--encoding",
        default="utf-8",
        help="the data file's text encoding (default: utf-8; files from older "
        "Excel or SPSS are often latin-1)",
    )


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
        "hidden layers of {tab_units} units for {tab_epochs} epochs (fewer, of "
        "larger batches, past {tab_reference_rows} rows), restoring "
        "the best on a validation share; 'blend', that network (for "
        "{blend_epochs} epochs) and HistGradientBoosting on the same rows, their "
        "predictions averaged with weights chosen on a held-out share; or "
        "'pipeline', numbers (and booleans) "
        "imputed and standardised and other columns one-hot encoded for "
        "scikit-learn's MLP "
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
        choices=["tabular", "blend", "pipeline"],
        default="tabular",
        help="the tabular model (default), its blend with HistGradientBoosting, "
        "or the Scratch network in a Pipeline",
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
        help="epochs (tabular: {tab_epochs}; blend's network: {blend_epochs}; "
        "pipeline: {pipe_epochs})",
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
        type=_share,
        default=0.2,
        help="share of rows held out for the scores (default: 0.2)",
    )
    fit.add_argument(
        "--cv",
        type=_folds,
        metavar="K",
        help="also score K folds of every row (stratified for classes) and "
        "report each score's mean and standard deviation",
    )
    fit.add_argument(
        "--refit-all",
        action="store_true",
        help="after scoring, train again on all rows before saving",
    )
    fit.add_argument(
        "--drop-missing-target",
        action="store_true",
        help="leave out the rows whose target is empty (they are refused otherwise)",
    )
    _encoding_option(fit)
    fit.add_argument("--random-state", type=int, default=0)
    fit.add_argument("--json", action="store_true", help="print the report as JSON")
    fit.add_argument(
        "--save",
        metavar="MODEL",
        help="where to save the model: a .skops file (safe to share, needs skops) "
        "or a pickle (.pkl, or another name that is not a table's)",
    )
    fit.add_argument(
        "--force",
        action="store_true",
        help="replace an existing file of another kind, or write a model to a "
        "name such as .csv (never the training table itself)",
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
    _encoding_option(pred)
    pred.add_argument(
        "--force",
        action="store_true",
        help="replace an existing file that is not a table (never the model or "
        "the data)",
    )
    pred.set_defaults(run=predict_csv)

    ev = sub.add_parser("evaluate", help="score a saved model on a labelled CSV file")
    ev.add_argument("model", help="a model saved by 'fit --save'")
    ev.add_argument("data", help="CSV file with the model's columns and the target")
    ev.add_argument("--target", required=True, help="the column with the true values")
    ev.add_argument("--json", action="store_true", help="print the scores as JSON")
    ev.add_argument(
        "--drop-missing-target",
        action="store_true",
        help="leave out the rows whose target is empty (they are refused otherwise)",
    )
    _encoding_option(ev)
    ev.set_defaults(run=evaluate_csv)

    inf = sub.add_parser("info", help="what a saved model is and expects")
    inf.add_argument("model", help="a model saved by 'fit --save'")
    inf.set_defaults(run=info)

    exp = sub.add_parser(
        "export",
        help="write a saved tabular model as an ONNX graph",
        description="Write a model saved by 'fit --save' as an ONNX graph, its "
        "preprocessing included. Every tabular model (fit's default) exports; a "
        "--model pipeline model only where skl2onnx converts each of its steps: "
        "a classifier on numeric columns, not a regressor (its target scaling) "
        "nor a pipeline with text columns.",
    )
    exp.add_argument(
        "model", help="a model saved by 'fit --save' (see above for --model pipeline)"
    )
    exp.add_argument("onnx", metavar="ONNX_FILE", help="where to write it (.onnx)")
    exp.add_argument(
        "--force",
        action="store_true",
        help="replace an existing file that is not an ONNX graph (never the model)",
    )
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
