"""How a fit ended, as the warnings both families give: one function each,
and warning classes that carry their facts (the command line reads those,
not the text).

scikit-learn's MLP warns ``ConvergenceWarning`` at the iteration limit and
when lbfgs stops short; the Scratch estimators keep its messages word for
word. Interruption (Ctrl-C) and divergence end a fit early but keep a model.
"""

import warnings

from sklearn.exceptions import ConvergenceWarning


class IterationLimitWarning(ConvergenceWarning):
    """Training stopped at its iteration limit before the loss settled.

    Attributes
    ----------
    max_iter : int or None
        The limit (epochs for sgd and adam, iterations for lbfgs).
    solver : str or None
        The solver that reached it.
    """

    def __init__(self, message, *, max_iter=None, solver=None):
        super().__init__(message)
        self.max_iter = max_iter
        self.solver = solver


class TrainingInterruptedWarning(UserWarning):
    """Training was interrupted (Ctrl-C); the model keeps what it had.

    Attributes
    ----------
    epoch : int or None
        The last completed epoch.
    """

    def __init__(self, message, *, epoch=None):
        super().__init__(message)
        self.epoch = epoch


def warn_iteration_limit(max_iter, solver, stacklevel):
    """sgd or adam reached ``max_iter`` epochs (scikit-learn's message)."""
    warnings.warn(
        IterationLimitWarning(
            f"Stochastic Optimizer: Maximum iterations ({max_iter}) "
            "reached and the optimization hasn't converged yet.",
            max_iter=max_iter,
            solver=solver,
        ),
        stacklevel=stacklevel + 1,
    )


def warn_lbfgs_stopped(result, max_iter, max_fun, stacklevel):
    """scipy's L-BFGS-B returned before converging (``result.status != 0``)."""
    message = result.message
    if isinstance(message, bytes):
        message = message.decode("latin1")
    warnings.warn(
        IterationLimitWarning(
            f"lbfgs failed to converge after {result.nit} iteration(s) "
            f"(status={result.status}): {message}. Increase the number of "
            f"iterations (max_iter={max_iter}) or of function "
            f"evaluations (max_fun={max_fun}), or scale the data.",
            max_iter=max_iter,
            solver="lbfgs",
        ),
        stacklevel=stacklevel + 1,
    )


def warn_interrupted(message, epoch, stacklevel):
    """Ctrl-C ended training after ``epoch`` epochs; ``message`` says what
    the model keeps."""
    warnings.warn(
        TrainingInterruptedWarning(message, epoch=epoch), stacklevel=stacklevel + 1
    )


def warn_diverged(kept, stacklevel):
    """The loss became non-finite; ``kept`` says which weights remain."""
    warnings.warn(
        f"Training diverged (the loss became non-finite); {kept}. Lower "
        "learning_rate_init or scale the data.",
        ConvergenceWarning,
        stacklevel=stacklevel + 1,
    )
