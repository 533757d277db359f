"""The network a tabular model trains, and the members it keeps of it.

A Scratch estimator's private subclass (``_TableNetworkClassifier`` and
``_TableNetworkRegressor``) trains RealMLP-TD's network on the preprocessed
table: the front layers the table's layout needs, a validation set given from
outside instead of split off, the snapshots at the ends of ``coslog4``'s
cycles. What a user keeps of it are plain Scratch estimators: the restored
best epoch and the snapshots (``_members``).
"""

import math

import numpy as np
from sklearn.base import is_classifier

from ._classifier import ScratchMLPClassifier
from ._regressor import ScratchMLPRegressor
from .nn.data_init import initialize_on_rows
from .nn.schedules import coslog4_cycle_ends

# RealMLP-TD's learning-rate factors (pytabkit's defaults): biases and the
# parametric activations at a tenth of the rate, the scaling layer at six
# times it, the periodic embedding at a tenth
LR_FACTORS = {
    "biases": 0.1,
    "activations": 0.1,
    "scales": 6.0,
    "frequencies": 0.1,
    "phases": 0.1,
    "embedding_weights": 0.1,
    "embedding_biases": 0.1,
}


class _TableNetwork:
    """What the Scratch estimators change to train RealMLP's network on a
    preprocessed table: the front layers the table's layout needs, a
    validation set given from outside instead of split off, and a plan of
    epochs and batch that is the recipe's (so no warning that it was met)."""

    _plan_is_fixed = True
    # RealMLP's start from the rows ("all" layers, or the "hidden" ones):
    # off, as it scored lower on the benchmark's tables (its variants there)
    _data_init = None

    def _architecture(self, n_features):
        table = self._table
        return {
            "categorical_embedding": {
                "cardinalities": table["cardinalities"],
                "width": table["embedding_width"],
            }
            if table["cardinalities"]
            else None,
            "periodic_embedding": {"n_columns": table["n_numeric"]}
            if table["n_numeric"]
            else None,
            "input_scaling": True,
            "parametric_activation": True,
            "parametrization": "ntk",
            "members": table["members"],
        }

    def _initial_params(self, network, X, random_state, dtype):
        self._snapshots = {}  # {epoch: parameters}, filled by _epoch_ended
        start = super()._initial_params(network, X, random_state, dtype)
        if self._data_init is None:
            return start
        last = self._data_init == "all"
        return initialize_on_rows(network, start, X, random_state, last_layer=last)

    def _epoch_ended(self, n_iter, params, xp):
        if n_iter in self._table["snapshot_epochs"]:
            self._snapshots[n_iter] = xp.to_numpy(xp.copy(params))

    def _split_validation(self, data, target_state, random_state, xp):
        given = self._table.get("validation")
        if given is None:
            return super()._split_validation(data, target_state, random_state, xp)
        X_val, y_val, sw_val = given
        y_val = self._prepare_targets(np.asarray(y_val))
        Y_val = self._encode_validation(y_val, X_val.dtype, target_state)
        Y_val = self._training_targets(Y_val, target_state)
        return data, (X_val, y_val, Y_val, sw_val)


class _TableNetworkClassifier(_TableNetwork, ScratchMLPClassifier):
    _shown_name = "TabularMLPClassifier"

    def _encode_validation(self, y, dtype, target_state):
        binarizer = target_state["_label_binarizer"]
        if binarizer.y_type_ != "multilabel-indicator":
            unknown = np.setdiff1d(np.unique(y), binarizer.classes_)
            if unknown.size:
                raise ValueError(
                    f"y_val has label(s) {unknown.tolist()} that y does not; "
                    "validate on labels the model is trained on."
                )
        return self._one_hot(y, binarizer, dtype)


class _TableNetworkRegressor(_TableNetwork, ScratchMLPRegressor):
    _shown_name = "TabularMLPRegressor"

    def _encode_validation(self, y, dtype, target_state):
        return y.reshape(len(y), -1).astype(dtype)


def _as_public(network, params=None):
    """The fitted network as the Scratch estimator it extends: the subclass
    only changes how fit builds the front layers and the validation set, so
    the model a user keeps, inspects and saves is a ScratchMLPClassifier or
    ScratchMLPRegressor (rebuilt from its plain saved state); with
    ``params``, the same network with those parameters (a snapshot's)."""
    public = ScratchMLPClassifier if is_classifier(network) else ScratchMLPRegressor
    if type(network) is public and params is None:
        return network
    state = network.__getstate__()
    state.pop("_table", None)
    state.pop("_snapshots", None)
    if params is not None:
        state["_params"] = params
    plain = public.__new__(public)
    plain.__setstate__(state)
    return plain


def _members(network):
    """A trained network as the members a user keeps: its restored best
    epoch, then its snapshots at the ends of the learning-rate cycles (the
    best epoch's own left out: it is there already)."""
    kept = _restored_epoch(network) or network.n_iter_  # else the last epoch's
    snapshots = getattr(network, "_snapshots", {})
    return [_as_public(network)] + [
        _as_public(network, params)
        for epoch, params in sorted(snapshots.items())
        if epoch != kept
    ]


def snapshot_count(model):
    """How many snapshots a fitted tabular model averages with its networks."""
    return len(model.networks_) - model._n_networks()


def _snapshot_epochs(epochs):
    """The epochs that end nearest the ends of ``coslog4``'s cycles, where
    the learning rate is lowest."""
    return {max(1, math.floor(epochs * t + 0.5)) for t in coslog4_cycle_ends()}


def _restored_epoch(network):
    """The epoch whose weights early stopping restored (1-based), or None.

    With ``tol=0`` the rule keeps the best score, and among epochs of that
    score the first of the lowest validation loss (``EpochState``'s rule).
    """
    if network.validation_scores_ is None:
        return None
    scores = np.asarray(network.validation_scores_, dtype=float)
    losses = np.asarray(network.validation_loss_curve_, dtype=float)
    at_best = np.flatnonzero(scores == np.nanmax(scores))
    return int(at_best[np.argmin(losses[at_best])]) + 1
