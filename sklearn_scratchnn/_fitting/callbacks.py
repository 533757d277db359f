"""scikit-learn's callback API (``sklearn.callback``, scikit-learn >= 1.9).

A fit is one task; each epoch of sgd/adam is a subtask of it, so that
``set_callbacks(ProgressBar())`` shows a bar that advances once per epoch and
``ScoringMonitor`` can score the model as it stands after every epoch. On an
older scikit-learn the estimators simply have no ``set_callbacks``.
"""

from contextlib import contextmanager

from .compat import (
    CALLBACKS_AVAILABLE,
    CallbackSupportMixin,
    callback_management_context,
)


class CallbackSupport(*((CallbackSupportMixin,) if CALLBACKS_AVAILABLE else ())):
    """``set_callbacks`` where scikit-learn has callbacks; nothing otherwise."""


class _FitTask:
    def __init__(self, estimator, context, metadata):
        self.estimator = estimator
        self.context = context
        self.metadata = metadata


class _Epoch:
    """One epoch's subtask; ``end`` reports whether a callback asks to stop."""

    def __init__(self, task=None, X=None, y=None):
        self.stop_requested = False
        self._ended = task is None
        self._task, self._X, self._y = task, X, y
        if task is not None:
            self._context = task.context.subcontext(task_name="epoch")
            self._context.call_on_fit_task_begin(
                estimator=task.estimator, X=X, y=y, metadata=task.metadata
            )

    def end(self, reconstruction_attributes):
        """Close the epoch; ``reconstruction_attributes`` is called lazily."""
        if self._ended:
            return
        self._ended = True
        self.stop_requested = bool(
            self._context.call_on_fit_task_end(
                estimator=self._task.estimator,
                X=self._X,
                y=self._y,
                metadata=self._task.metadata,
                reconstruction_attributes=reconstruction_attributes,
            )
        )

    def close(self):
        # An epoch cut short (interrupted, diverged) is ended as an empty task,
        # so that every begin has its end.
        if not self._ended:
            self._ended = True
            self._context.call_on_fit_task_end(estimator=self._task.estimator)


def _wants_callbacks(estimator):
    return CALLBACKS_AVAILABLE and (
        getattr(estimator, "_skl_callbacks", None)
        or hasattr(estimator, "_parent_callback_ctx")
    )


@contextmanager
def fit_callbacks(estimator, X, y, sample_weight, max_epochs=None):
    """The fit task around a fit or partial_fit, or None without callbacks.

    ``max_epochs`` is the most epochs (subtasks) the task can have: 0 for
    lbfgs, 1 for partial_fit, ``max_iter`` (the default, None) otherwise.
    """
    if not _wants_callbacks(estimator):
        yield None
        return
    if max_epochs is None:
        max_epochs = estimator.max_iter
    with callback_management_context(estimator):
        context = estimator._init_callback_context(max_subtasks=max_epochs)
        # labelled for the estimator the user made (a tabular model's network
        # gives the tabular model's name), its subtasks inheriting the name
        context.estimator_name = estimator._name()
        metadata = None if sample_weight is None else {"sample_weight": sample_weight}
        context.call_on_fit_task_begin(estimator=estimator, X=X, y=y, metadata=metadata)
        yield _FitTask(estimator, context, metadata)
        context.call_on_fit_task_end(
            estimator=estimator,
            X=X,
            y=y,
            metadata=metadata,
            reconstruction_attributes={},
        )


@contextmanager
def epoch_callbacks(task, X, y):
    """An epoch's subtask of ``task`` (a no-op when ``task`` is None)."""
    epoch = _Epoch(task, X, y)
    try:
        yield epoch
    finally:
        if task is not None:
            epoch.close()
