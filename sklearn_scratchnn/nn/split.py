"""The validation split of early stopping. Pure NumPy (and scipy.sparse).

scikit-learn's MLP draws ``train_test_split(..., stratify=y)`` over rows. We
split over *groups of identical rows* instead, and stratify by *weight*:

- identical rows (same features, same class) always land on the same side,
  so a duplicated sample can never be in training and validation at once,
  which would inflate the validation score;
- a row of weight 3 and three copies of that row are split the same way,
  and rows of weight 0 take no part in the draw, so fitting with
  ``sample_weight`` stays equivalent to repeating or removing rows (a
  scikit-learn estimator check that sklearn's own MLP fails here).

Within each class (one pool for regression and multilabel targets) the
distinct rows are put in a random order drawn from ``random_state`` and sent
to validation until their weight reaches ``validation_fraction`` of the
class's weight. At least one distinct row of each class stays in training;
an unstratified split holds out at least two distinct rows where it can (R^2
is undefined on one sample).
"""

import numpy as np

from .rows import row_keys


def validation_split(X, strata, sample_weight, fraction, random_state):
    """Boolean mask of validation rows.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
    strata : ndarray of shape (n_samples,) or None
        Class of each row for a stratified split, or None.
    sample_weight : ndarray of shape (n_samples,) or None
    fraction : float
        Share of each stratum's weight to hold out.
    random_state : numpy.random.RandomState

    Returns
    -------
    is_validation : ndarray of bool, shape (n_samples,)
    """
    n = X.shape[0]
    if fraction <= 0:
        return np.zeros(n, dtype=bool)
    stratified = strata is not None
    weight = np.ones(n) if sample_weight is None else np.asarray(sample_weight, float)
    strata = np.zeros(n, dtype=int) if strata is None else np.asarray(strata)
    keys = row_keys(X)
    positive = weight > 0

    # Distinct (stratum, row) groups among positively weighted rows, in sorted
    # order, so that neither row order nor repetition changes what is drawn.
    _, stratum_codes = np.unique(strata, return_inverse=True)
    _, key_codes = np.unique(keys, return_inverse=True)
    pairs = np.stack([stratum_codes.ravel(), key_codes.ravel()], axis=1)
    groups, group_of_row = np.unique(pairs[positive], axis=0, return_inverse=True)
    group_weight = np.bincount(group_of_row.ravel(), weights=weight[positive])

    order = random_state.permutation(len(groups))
    to_validation = np.zeros(len(groups), dtype=bool)
    at_least = 1 if stratified else 2
    for stratum in np.unique(groups[:, 0]):
        members = order[groups[order, 0] == stratum]
        target = fraction * group_weight[members].sum()
        held, taken = 0.0, 0
        for g in members[:-1]:  # the last distinct row always trains
            if held >= target and taken >= at_least:
                break
            to_validation[g] = True
            held += group_weight[g]
            taken += 1

    is_validation = np.zeros(n, dtype=bool)
    is_validation[np.flatnonzero(positive)] = to_validation[group_of_row.ravel()]
    return is_validation
