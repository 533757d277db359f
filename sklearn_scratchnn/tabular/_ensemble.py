"""Ensembles of tabular networks: members seeded apart, trained through joblib,
their predictions averaged.

Each member is the whole network of a tabular model, trained on the same
preprocessed table with a seed of its own (so its own initial weights,
validation split, shuffling and dropout masks). Members are independent,
so ``n_jobs`` trains them side by side; inside
``joblib.parallel_backend("dask")`` (or ray) they spread over a cluster, as
scikit-learn's forests do. The seeds are drawn before any member trains, so
the members, and the predictions, are the same for any ``n_jobs``.
"""

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs
from sklearn.utils import check_random_state

from ._network import train_network


def member_seeds(random_state, n_members):
    """The seed of each member: ``random_state`` itself for one member (the
    model without an ensemble), else one draw each from it."""
    if n_members == 1:
        return [random_state]
    draws = check_random_state(random_state).randint(
        np.iinfo(np.int32).max, size=n_members
    )
    return [int(seed) for seed in draws]


def train_members(job, seeds, data, validation, n_jobs, task=None):
    """A network of ``job`` trained from each of ``seeds``, through joblib:
    each network's members (its best epoch, then its snapshots), in the
    order of the seeds. ``task`` (scikit-learn's callbacks) follows the
    networks trained in this process only: with ``n_jobs`` workers, the fit
    is one task without a subtask an epoch."""
    if effective_n_jobs(n_jobs) != 1:
        task = None
    jobs = (delayed(train_network)(job, seed, data, validation, task) for seed in seeds)
    return Parallel(n_jobs=n_jobs)(jobs)


def mean_of(outputs):
    """The members' outputs averaged (a single member's returned as it is)."""
    outputs = list(outputs)
    if len(outputs) == 1:
        return outputs[0]
    return np.mean(outputs, axis=0)
