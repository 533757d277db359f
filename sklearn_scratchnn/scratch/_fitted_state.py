"""The fitted state of the estimators: publishing it, saving it, moving it.

``_publish`` makes a trained network the estimator's fitted attributes: its
``network_``, the :class:`~.._fitting.trained.TrainedNetwork` a tabular model
holds too, with ``coefs_``/``intercepts_`` as views of its flat parameters;
pickling goes through the plain-data state of ``_fitting/persistence.py``,
which is also how a model moves between array namespaces and devices
(scikit-learn's ``move_estimator_to``).
"""

import copy

import numpy as np

from .._fitting.persistence import convert_arrays, from_plain_state, to_plain_state
from .._fitting.trained import CURVES, TrainedNetwork
from ..nn.training import DivergenceError


class FittedStateMixin:
    """Fitted attributes and persistence, for :class:`BaseScratchMLP`."""

    def _fitted_attributes(self, network, params, targets, xp, curves):
        """Everything predict needs, e.g. for a callback's fitted estimator:
        ``network_``, the :class:`TrainedNetwork` of ``network`` and
        ``params`` with the fit's ``curves``, whose ``coefs_`` and
        ``intercepts_`` (views of ``params``) the estimator shows as its own.

        Numeric arrays of the target state (numeric ``classes_``, class
        counts) live on the parameters' device, as scikit-learn's array API
        estimators keep them; label strings stay NumPy arrays.
        """
        target_state = targets.attributes()
        if getattr(targets, "class_counts", None) is not None:
            target_state["_class_counts"] = targets.class_counts  # partial_fit's
        target_state = {
            name: xp.from_numpy(value)
            if isinstance(value, np.ndarray) and value.dtype.kind in "biuf"
            else value
            for name, value in target_state.items()
        }
        curves = {"batch_size": self.batch_size, **curves}
        trained = TrainedNetwork(
            network, params, {name: curves.get(name) for name in CURVES}
        )
        return {
            "network_": trained,
            "coefs_": trained.coefs_,
            "intercepts_": trained.intercepts_,
            "n_layers_": network.n_layers + 1,
            "n_outputs_": network.layer_units[-1],
            "out_activation_": network.output.name,
            **target_state,
        }

    def _publish(self, fit):
        """Make a trained network (a :class:`~._base.Training`) the
        estimator's fitted state."""
        network, params, targets, state, xp = fit
        if not bool(xp.all(xp.isfinite(params))):  # pragma: no cover - checked
            raise DivergenceError("network's parameters")
        stochastic = self.solver != "lbfgs"
        early = stochastic and state.validation_scores is not None
        curves = {
            "loss_": state.loss,
            "loss_curve_": state.loss_curve,
            "n_iter_": state.n_iter,
            "t_": state.t,
            "best_loss_": state.stopping.best_value
            if stochastic and not early
            else None,
            "validation_scores_": state.validation_scores if early else None,
            "validation_loss_curve_": state.validation_loss_curve if early else None,
            "best_validation_score_": state.stopping.best_value if early else None,
        }
        attributes = self._fitted_attributes(network, params, targets, xp, curves)
        for name, value in {**attributes, **curves}.items():
            setattr(self, name, value)
        self._state = state

    # The network and its parameters, as the fit and prediction read them
    @property
    def _network(self):
        return self.network_.network

    @property
    def _params(self):
        return self.network_.params

    # -- persistence: plain data only (see _fitting/persistence.py) -----------

    def __getstate__(self):
        return to_plain_state(super().__getstate__())

    def __setstate__(self, state):
        super().__setstate__(from_plain_state(state, type(self)))

    def __sklearn_array_api_convert__(self, converter):
        """A copy with every array converted: scikit-learn's ``move_estimator_to``.

        Goes through the saved (plain) state, so the copy's ``coefs_`` and
        ``intercepts_`` are views of its own parameter vector again.
        """
        return self._with_converted_arrays(converter)

    def _with_converted_arrays(self, converter):
        # a copy: a converter may hand back the very same array (same
        # namespace and device), and the copy must not share training state
        state = copy.deepcopy(to_plain_state(self.__dict__))
        binarizer = state.pop("_label_binarizer", None)  # stays on the host
        state = convert_arrays(state, converter)
        if binarizer is not None:
            state["_label_binarizer"] = binarizer
        estimator = type(self).__new__(type(self))
        estimator.__setstate__(state)
        return estimator
