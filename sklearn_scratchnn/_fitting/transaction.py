"""A fit as a transaction: it publishes a whole fitted model, or nothing.

scikit-learn's validation writes ``n_features_in_`` and ``feature_names_in_``
as it checks ``X``, and a fit learns targets' scales and classes before its
networks train; a failure after any of that would leave an estimator whose
attributes describe a model that was never trained. Every fit of both
families runs inside :func:`unchanged_on_failure` instead.
"""

import functools
from contextlib import contextmanager


@contextmanager
def unchanged_on_failure(estimator):
    """Restore ``estimator``'s attributes if the block raises.

    Anything (a ``ValueError`` of validation, a diverged network, a
    ``KeyboardInterrupt`` that escapes training) leaves the estimator exactly
    as it was before the fit: its previous model, or unfitted.  A shallow copy
    of ``__dict__`` is enough because a fit builds new fitted objects and never
    changes the old ones in place (a warm start trains a copy of its
    parameters).
    """
    saved = dict(estimator.__dict__)
    try:
        yield
    except BaseException:
        estimator.__dict__.clear()
        estimator.__dict__.update(saved)
        raise


def transactional(fit):
    """``fit`` (a method) run inside :func:`unchanged_on_failure`."""

    @functools.wraps(fit)
    def fit_or_nothing(estimator, *args, **kwargs):
        with unchanged_on_failure(estimator):
            return fit(estimator, *args, **kwargs)

    return fit_or_nothing
