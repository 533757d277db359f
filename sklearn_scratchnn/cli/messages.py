"""What the command line shows its user besides results: errors, warnings, progress.

Errors in the user's input are :class:`CommandError`, printed as one line
without a traceback. Warnings raised while training become one readable line
each, saying what happened and which option to change, named as the user
types it (``--learning-rate``, not ``learning_rate_init``). A progress bar (rich)
follows the epochs when standard error is a terminal.
"""

import re
import signal
import sys
import warnings
from contextlib import contextmanager

# The estimator's parameters that `fit` sets, and the options that set them:
# errors about a parameter name the option the user typed.
OPTIONS = {
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


def counted(n, noun):
    """``n`` and ``noun``, plural unless one: "1 snapshot", "3 snapshots"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def score_text(value):
    """A score as every report prints it: four decimals (R^2 0.8123, an MAE
    of 11184.9691 and its spread 174.3800 alike), and in powers of ten only
    where four decimals would hide it or run long."""
    if value == 0 or 1e-4 <= abs(value) < 1e12:
        return f"{value:.4f}"
    return f"{value:.4e}"


class CommandError(Exception):
    """A problem with the user's input: printed without a traceback."""


class Interrupted(Exception):
    """Ctrl-C: the command stopped, said where it stopped (exit status 130)."""


@contextmanager
def noticing_interrupts():
    """A list that holds ``True`` once Ctrl-C was pressed inside the block.

    The estimators catch the ``KeyboardInterrupt`` of an epoch and keep the
    last completed one, which is right in Python; a command must still know
    that its user asked it to stop."""
    pressed = []

    def on_interrupt(signum, frame):
        pressed.append(True)
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGINT, on_interrupt)
    except ValueError:  # not the main thread: no handler of ours
        yield pressed
        return
    try:
        yield pressed
    finally:
        signal.signal(signal.SIGINT, previous)


def _advice(warning):
    """One line for a warning: what happened, and which option to change."""
    from .. import IterationLimitWarning

    text = str(warning.message).strip().splitlines()[0]
    name = warning.category.__name__
    if issubclass(warning.category, IterationLimitWarning):
        # Reaching the limit is not by itself a fault: on a loan table of 2,380
        # rows, raising --max-iter from 200 to 1000 lowered held-out accuracy
        # (0.901 to 0.887, 3 splits), so the advice points at the scores.
        reached = warning.message
        if reached.solver == "lbfgs":
            limit = "lbfgs's iteration limit"
        else:
            limit = f"the limit of {reached.max_iter} epochs"
        return (
            f"training stopped at {limit} before the training loss settled; "
            "that alone is no fault: judge the model by its held-out scores "
            "(more epochs, --max-iter, can fit the training rows closer and "
            "score worse on new ones)"
        )
    # the estimators speak of their parameters; the user typed options
    return f"{in_options(text)} ({name})"


@contextmanager
def readable_warnings(stream=None):
    """Collect warnings and print each once, as one line, when the block ends."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    stream = stream or sys.stderr
    seen = set()
    for warning in caught:
        line = _advice(warning)
        if line not in seen:
            seen.add(line)
            print(f"warning: {line}", file=stream)


class EpochProgress:
    """A progress bar over the epochs of a fit, with the loss (a callback).

    It speaks scikit-learn's callback protocol (``sklearn.callback``), which
    the estimators support from scikit-learn 1.9; ``console`` is a
    ``rich.console.Console``.
    """

    def __init__(self, console, label="training"):
        self.console = console
        # what the bar is of, set anew before each fit of several (--cv's
        # folds), so each bar says which fit it counts
        self.label = label
        self._progress = None

    def setup(self, estimator, context):
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            TextColumn(self.label),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("epochs"),
            TimeElapsedColumn(),
            TextColumn("{task.fields[status]}"),
            console=self.console,
        )
        self._progress.start()
        # the fit's epochs (its subtasks): a tabular ensemble's networks' in
        # all; none for lbfgs, whose iterations are not epochs
        total = context.max_subtasks or None
        self._task = self._progress.add_task("fit", total=total, status="")

    def on_fit_task_begin(self, estimator, context):
        pass

    def on_fit_task_end(self, estimator, context, *, fitted_estimator=None):
        if context.task_name != "epoch" or fitted_estimator is None:
            return False
        status = f"loss {fitted_estimator.loss_curve_[-1]:.4f}"
        scores = getattr(fitted_estimator, "validation_scores_", None)
        if scores:
            status += f"  validation score {scores[-1]:.4f}"
        self._progress.update(self._task, advance=1, status=status)
        return False

    def teardown(self, estimator, context):
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def progress_callback(stream):
    """An :class:`EpochProgress` on ``stream`` if it is a terminal, else None."""
    if not stream.isatty():
        return None
    try:
        from rich.console import Console
    except ImportError:
        return None
    import importlib.util

    if importlib.util.find_spec("sklearn.callback") is None:
        return None  # a scikit-learn without callbacks: no bar to draw
    return EpochProgress(Console(file=stream))
