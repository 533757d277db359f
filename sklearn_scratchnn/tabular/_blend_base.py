"""What the blend classifier and regressor share: the held-out split, the
parts' fits (side by side with ``n_jobs``), the weights chosen on the
held-out rows, prediction's input and the saved state. The faces, and the
fit step by step, are in ``_blend.py``."""

import time
import warnings
from numbers import Integral, Real

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs
from sklearn.base import BaseEstimator, clone
from sklearn.utils import _safe_indexing, check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from .._fitting.callbacks import CallbackSupport, fit_callbacks
from .._fitting.epochs import split_for_validation
from .._fitting.persistence import from_plain_state, to_plain_state
from ._base import MIN_VALIDATION_ROWS, checked_predict_table
from ._estimators import TabularMLPClassifier, TabularMLPRegressor
from ._preprocessing import with_table_input
from ._selection import blended, greedy_weights
from ._trees import TreeEncoder

#: the parts, in the order of ``weights_``
PARTS = ("network", "hgb")
#: the default network's epochs: on the sixteen benchmark tables the blend
#: scores as well with 32 as with the network's own 64 (+0.0003 on average)
#: in 0.61 of the time (benchmarks/results_tabular_blend.md: 64 take 1.63
#: times as long)
NETWORK_EPOCHS = 32


class BaseTabularBlend(CallbackSupport, BaseEstimator):
    """What the blend classifier and regressor share: the split, the parts'
    fits, the weights, the saved state."""

    _parameter_constraints: dict = {
        "network": [HasMethods(["fit", "predict"]), None],
        "hgb": [HasMethods(["fit", "predict"]), None],
        "selection": [StrOptions({"greedy", "equal"})],
        "refit": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def _name(self):
        return type(self).__name__

    def _parts(self, seeds):
        """Unfitted copies of the network and HGB, seeded (where their own
        ``random_state`` is None) from the blend's."""
        parts = []
        for given, kind, seed in zip(
            (self.network, self.hgb), self._part_classes, seeds, strict=True
        ):
            if given is not None:
                part = clone(given)
            else:
                part = kind(max_iter=NETWORK_EPOCHS) if kind in _NETWORKS else kind()
            if not isinstance(part, kind):
                name = "network" if kind in _NETWORKS else "hgb"
                raise TypeError(
                    f"{self._name()}'s {name} must be a {kind.__name__} (or None "
                    f"for its defaults), not {type(given).__name__}."
                )
            if part.random_state is None:
                part.set_params(random_state=int(seed))
            parts.append(part)
        network, hgb = parts
        if hgb.categorical_features != "from_dtype":
            raise ValueError(
                f"{self._name()} tells HistGradientBoosting which columns are "
                "categories (text and pandas categories are; numbers and "
                "booleans are not); leave its categorical_features at "
                "'from_dtype', not "
                f"{hgb.categorical_features!r}."
            )
        return network, hgb

    def _fit_blend(self, X, y, sample_weight, strata=None, class_weight=None):
        """Fit both parts on ``X`` (checked) and ``y`` (1-D, checked), then
        their weights; ``strata`` stratifies the split (the labels)."""
        seeds = check_random_state(self.random_state).randint(
            np.iinfo(np.int32).max, size=3
        )
        network, hgb = self._parts(seeds[1:])
        encoder = TreeEncoder(max_categories=hgb.max_bins)
        E = encoder.fit(X, sample_weight=sample_weight).transform(X)
        hgb.set_params(categorical_features=encoder.categorical_mask_)
        if class_weight is not None:
            network.set_params(class_weight=class_weight)
            hgb.set_params(class_weight=class_weight)
        is_val = self._split(E, strata, sample_weight, seeds[0])
        with fit_callbacks(self, X, y, sample_weight, max_epochs=2) as fit:
            network, hgb_train, hgb_all, seconds = self._fit_parts(
                network, hgb, X, E, y, sample_weight, is_val, fit
            )
            hgb_ = hgb_all if hgb_all is not None else hgb_train
            if is_val is None:  # too few rows to hold any out: an even blend
                weights, losses = np.full(2, 0.5), None
            else:
                weights, losses = self._choose(
                    network, hgb_train, X, E, y, sample_weight, is_val, class_weight
                )
            self._publish(network, hgb_, encoder, weights, losses)
        if self.verbose:
            self._report(seconds)
        return self

    def _split(self, E, strata, sample_weight, seed):
        """The held-out rows' mask, or None where there are too few rows."""
        n = E.shape[0]
        if n * self.validation_fraction < MIN_VALIDATION_ROWS:
            return None
        return split_for_validation(
            E,
            strata,
            sample_weight,
            self.validation_fraction,
            np.random.RandomState(seed),
            "Use a larger validation_fraction, or fit on more samples.",
        )

    def _fit_parts(self, network, hgb, X, E, y, sample_weight, is_val, fit):
        """The network on the training rows (its epoch chosen on the held-out
        ones), HGB on the training rows and, with ``refit``, on all rows."""
        if is_val is None:
            jobs = [
                delayed(_timed_fit)(network, X, y, sample_weight),
                delayed(_fit_hgb)(hgb, E, y, sample_weight, None, False),
            ]
        else:
            train, val = np.flatnonzero(~is_val), np.flatnonzero(is_val)
            sw = (None, None) if sample_weight is None else (
                sample_weight[train], sample_weight[val])  # fmt: skip
            jobs = [
                delayed(_timed_fit)(
                    network,
                    _safe_indexing(X, train),
                    y[train],
                    sw[0],
                    X_val=_safe_indexing(X, val),
                    y_val=y[val],
                    sample_weight_val=sw[1],
                ),
                delayed(_fit_hgb)(hgb, E, y, sample_weight, train, self.refit),
            ]
        if fit is not None and effective_n_jobs(self.n_jobs) == 1:
            # one subtask a part, the network's epochs below its own
            network, network_seconds = _followed(fit, jobs[0], network, X, y)
            hgb_train, hgb_all, hgb_seconds = _followed(fit, jobs[1], None, E, y)
        else:
            results = Parallel(n_jobs=self.n_jobs)(jobs)
            (network, network_seconds), (hgb_train, hgb_all, hgb_seconds) = results
        return network, hgb_train, hgb_all, (network_seconds, hgb_seconds)

    def _choose(self, network, hgb, X, E, y, sample_weight, is_val, class_weight):
        """The weights, from the parts' predictions of the held-out rows, and
        the held-out loss of each part and of the blend."""
        val = np.flatnonzero(is_val)
        predictions = [
            self._part_output(network, _safe_indexing(X, val)),
            self._part_output(hgb, E[val]),
        ]
        weight = None if sample_weight is None else sample_weight[val]
        loss = self._loss(y[val], weight, class_weight)
        if self.selection == "equal":
            weights = np.full(2, 0.5)
        else:
            weights = greedy_weights(predictions, loss)
        losses = {name: loss(p) for name, p in zip(PARTS, predictions, strict=True)}
        losses["blend"] = loss(blended(predictions, weights))
        return weights, losses

    def _publish(self, network, hgb, encoder, weights, losses):
        self.network_ = network
        self.hgb_ = hgb
        self.encoder_ = encoder
        self.weights_ = weights
        self.validation_loss_ = losses

    def _report(self, seconds):
        network_seconds, hgb_seconds = seconds
        held_out = self.validation_loss_
        losses = (
            ""
            if held_out is None
            else "; held-out loss: "
            + ", ".join(f"{name} {value:.4f}" for name, value in held_out.items())
        )
        print(
            f"{self._name()}: network {network_seconds:.1f} s, HGB "
            f"{hgb_seconds:.1f} s{losses}; weights: network "
            f"{self.weights_[0]:.2f}, HGB {self.weights_[1]:.2f}"
        )

    def _blended_output(self, X):
        X = checked_predict_table(self, X, "weights_")
        with warnings.catch_warnings():
            # validate_data above has warned of missing feature names already
            warnings.filterwarnings("ignore", "X does not have valid feature names")
            E = self.encoder_.transform(X)
            outputs = [
                self._part_output(part, rows) if w > 0 else None
                for part, rows, w in zip(
                    (self.network_, self.hgb_), (X, E), self.weights_, strict=True
                )
            ]
        return blended(outputs, self.weights_)

    def __sklearn_tags__(self):
        return with_table_input(super().__sklearn_tags__())

    # Saved as plain data (_fitting/persistence.py), with its format version;
    # the network saves itself as plain data, HGB as scikit-learn does.

    def __getstate__(self):
        return to_plain_state(super().__getstate__())

    def __setstate__(self, state):
        super().__setstate__(from_plain_state(state, type(self)))


def _timed_fit(estimator, X, y, sample_weight, **fit_params):
    start = time.perf_counter()
    estimator.fit(X, y, sample_weight, **fit_params)
    return estimator, time.perf_counter() - start


def _fit_hgb(hgb, E, y, sample_weight, train, refit):
    """HGB on the training rows (all rows where ``train`` is None) and, with
    ``refit``, a copy on all rows; and the seconds both took."""
    start = time.perf_counter()
    if train is None:
        hgb.fit(E, y, sample_weight=sample_weight)
        return hgb, None, time.perf_counter() - start
    sw = None if sample_weight is None else sample_weight[train]
    hgb.fit(E[train], y[train], sample_weight=sw)
    refitted = clone(hgb).fit(E, y, sample_weight=sample_weight) if refit else None
    return hgb, refitted, time.perf_counter() - start


def _followed(fit, job, part, X, y):
    """A part's fit (``job``, joblib's delayed call) as a subtask of the
    blend's fit task; ``part`` (the network) gets the callbacks that
    propagate, so its epochs are subtasks of its own."""
    function, args, kwargs = job
    context = fit.context.subcontext(task_name="network" if part else "hgb")
    context.call_on_fit_task_begin(estimator=fit.estimator, X=X, y=y)
    if part is None:
        result = function(*args, **kwargs)
    else:
        with context.propagate_callback_context(part):
            result = function(*args, **kwargs)
    context.call_on_fit_task_end(estimator=fit.estimator, X=X, y=y)
    return result


_NETWORKS = (TabularMLPClassifier, TabularMLPRegressor)
