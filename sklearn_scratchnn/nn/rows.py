"""Rows as keys: equal rows give equal keys. Pure NumPy (and scipy.sparse).

Randomness that treats rows one by one (early stopping's validation split,
dropout's masks) goes by these keys rather than by position, so that a row of
weight 3 and three copies of it are treated alike: fitting with
``sample_weight`` stays equivalent to repeating rows.
"""

import numpy as np
import scipy.sparse as sp


def row_keys(X):
    """One hashable, sortable key per row; equal rows give equal keys."""
    if sp.issparse(X):
        X = sp.csr_matrix(X, copy=True)
        X.sum_duplicates()  # canonical form: sorted indices, no duplicates
        X.eliminate_zeros()
        keys = np.empty(X.shape[0], dtype=object)
        for i in range(X.shape[0]):
            lo, hi = X.indptr[i], X.indptr[i + 1]
            keys[i] = X.indices[lo:hi].tobytes() + X.data[lo:hi].tobytes()
        return keys
    X = np.ascontiguousarray(X)
    X = X + 0.0  # -0.0 and 0.0 are the same value but not the same bytes
    return X.view(np.dtype((np.void, X.dtype.itemsize * X.shape[1])))[:, 0]
