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
from joblib import Parallel, delayed
from sklearn.utils import check_random_state


def member_seeds(random_state, n_members):
    """The seed of each member: ``random_state`` itself for one member (the
    model without an ensemble), else one draw each from it."""
    if n_members == 1:
        return [random_state]
    draws = check_random_state(random_state).randint(
        np.iinfo(np.int32).max, size=n_members
    )
    return [int(seed) for seed in draws]


def train_members(networks, Z, y, sample_weight, callbacks, n_jobs, publish):
    """Each of ``networks`` (unfitted, seeded apart) trained on ``Z``, ``y``;
    ``publish`` turns a fitted one into the model a user keeps."""
    jobs = (
        delayed(_train)(network, Z, y, sample_weight, callbacks, publish)
        for network in networks
    )
    return Parallel(n_jobs=n_jobs)(jobs)


def _train(network, Z, y, sample_weight, callbacks, publish):
    # no warnings.catch_warnings here: its filters are the process's, and
    # members in threads would undo one another's (the networks do not warn
    # that their plan of epochs was met: _plan_is_fixed)
    if callbacks:
        network.set_callbacks(*callbacks)
    try:
        network.fit(Z, y, sample_weight=sample_weight)
    finally:
        if callbacks:
            network.set_callbacks()  # they stay the model's, not the network's
    return publish(network)


def mean_of(outputs):
    """The members' outputs averaged (a single member's returned as it is)."""
    outputs = list(outputs)
    if len(outputs) == 1:
        return outputs[0]
    return np.mean(outputs, axis=0)
