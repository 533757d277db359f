"""The weights of a blend, from predictions on rows no member trained on.

Caruana et al. (2004), "Ensemble selection from libraries of models": start
from an empty bag, and ``rounds`` times add (with replacement) the member
whose addition lowers the bag's held-out loss the most; a member's weight is
the share of the bag it fills. With replacement, a member can take every
place (the others get weight 0), and the weights are multiples of
``1 / rounds``: coarse enough not to fit the noise of a few hundred rows.
"""

import numpy as np

ROUNDS = 20


def log_loss(proba, y_codes, sample_weight):
    """The weighted mean negative log-likelihood of the labels' codes."""
    p = np.clip(proba[np.arange(len(y_codes)), y_codes], 1e-15, 1.0)
    return float(np.average(-np.log(p), weights=sample_weight))


def squared_error(values, y, sample_weight):
    """The weighted mean squared error."""
    return float(np.average((values - y) ** 2, weights=sample_weight))


def greedy_weights(predictions, loss, rounds=ROUNDS):
    """Caruana's ensemble selection with replacement.

    Parameters
    ----------
    predictions : list of ndarray
        Each member's held-out predictions (probabilities or values), all of
        one shape.
    loss : callable
        ``loss(blended)``: the held-out loss of blended predictions.
    rounds : int
        Places in the bag.

    Returns
    -------
    weights : ndarray of shape (n_members,)
        Non-negative, summing to 1; on a tie the earlier member is taken.
    """
    counts = np.zeros(len(predictions))
    total = np.zeros_like(predictions[0], dtype=float)
    for size in range(1, rounds + 1):
        losses = [loss((total + p) / size) for p in predictions]
        best = int(np.argmin(losses))
        counts[best] += 1
        total = total + predictions[best]
    return counts / rounds


def blended(predictions, weights):
    """``sum_k weights[k] * predictions[k]``, skipping weights of 0."""
    parts = [w * p for w, p in zip(weights, predictions, strict=True) if w > 0]
    return np.sum(parts, axis=0)
