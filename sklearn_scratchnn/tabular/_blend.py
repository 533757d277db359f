"""The tabular network and HistGradientBoosting as one model: both fitted on
the same raw table, their predictions averaged with weights chosen on rows
neither of them trained on.

Networks and trees err on different rows (a tree cuts the table into boxes,
a network draws smooth boundaries), so their average beats either one where
both are good, and the weights, chosen on held-out rows, fall back on the
better one where the other is not. The fit:

1. splits off ``validation_fraction`` of the rows (stratified by class,
   identical rows on one side: the network's own split);
2. fits the network on the rest, choosing its epoch on the held-out rows, and
   HistGradientBoosting on the rest, side by side with ``n_jobs=2``;
3. chooses the weights on the held-out rows (Caruana's selection: log loss
   of the probabilities, squared error of the values);
4. with ``refit``, fits HistGradientBoosting again on every row (a second
   or so): the network keeps its fit, whose epoch those rows chose.
"""

import time
import warnings
from numbers import Integral, Real

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    RegressorMixin,
    _fit_context,
    clone,
)
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils import _safe_indexing, check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import (
    check_array,
    check_consistent_length,
    check_is_fitted,
    validate_data,
)

from .._fitting.callbacks import CallbackSupport, fit_callbacks
from .._fitting.checks import check_sample_weight
from .._fitting.class_weights import class_sample_weight
from .._fitting.epochs import split_for_validation
from .._fitting.labels import check_no_missing_labels
from .._fitting.persistence import from_plain_state, to_plain_state
from .._fitting.targets import Labels
from .._fitting.transaction import transactional
from ._base import MIN_VALIDATION_ROWS, _check_not_empty, one_column_as_1d
from ._estimators import TabularMLPClassifier, TabularMLPRegressor
from ._preprocessing import as_table, with_table_input
from ._selection import blended, greedy_weights, log_loss, squared_error
from ._trees import TreeEncoder

#: the parts, in the order of ``weights_``
PARTS = ("network", "hgb")


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
            part = kind() if given is None else clone(given)
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
                "categories (text, booleans and pandas categories are, numbers "
                "are not); leave its categorical_features at 'from_dtype', not "
                f"{hgb.categorical_features!r}."
            )
        return network, hgb

    def _checked(self, X, y, sample_weight):
        name = self._name()
        if y is None:
            raise ValueError(
                f"{name} requires y to be passed, but the target y is None."
            )
        X = as_table(X)
        _check_not_empty(X, name)
        validate_data(self, X, skip_check_array=True)
        check_consistent_length(X, y)
        sample_weight = check_sample_weight(sample_weight, np.empty((len(X), 0)))
        return X, sample_weight

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
            train = val = None
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
            network_fit = _followed(fit, jobs[0], network, X, y)
            hgb_fit = _followed(fit, jobs[1], None, E, y)
            (network, network_seconds) = network_fit
            (hgb_train, hgb_all, hgb_seconds) = hgb_fit
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

    def _inputs(self, X):
        """``X`` checked, and as HGB reads it."""
        check_is_fitted(self, "weights_")
        X = as_table(X)
        _check_not_empty(X, self._name())
        validate_data(self, X, skip_check_array=True, reset=False)
        with warnings.catch_warnings():
            # validate_data above has warned of missing feature names already
            warnings.filterwarnings("ignore", "X does not have valid feature names")
            return X, self.encoder_.transform(X)

    def _blended_output(self, X):
        X, E = self._inputs(X)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "X does not have valid feature names")
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

_SHARED_DOC = """
    network : TabularMLP{kind} or None, default=None
        The network (unfitted; a copy is fitted). None: its defaults. Its own
        parameters are the blend's, as ``network__max_iter`` (for
        ``set_params`` and ``GridSearchCV``) where one is given.
    hgb : HistGradientBoosting{kind} or None, default=None
        The gradient boosting (unfitted; copies are fitted), taking the
        table's categories natively: leave its ``categorical_features`` at
        ``"from_dtype"``, the blend sets it. None: its defaults.
    selection : {{"greedy", "equal"}}, default="greedy"
        How the weights are chosen on the held-out rows: Caruana's greedy
        selection with replacement (twenty places, so weights in steps of
        0.05; a part that does not help gets 0), or 0.5 each.
    refit : bool, default=True
        After the weights are chosen, fit HGB again on every row (the held-out
        ones included). The network keeps the fit whose epoch those rows chose.
    validation_fraction : float in (0, 1), default=0.2
        Share of the rows held out to choose the weights (and the network's
        epoch). Where that share is under 10 rows (fewer than 50 rows at 0.2),
        both parts fit every row and the weights are 0.5 each.
    n_jobs : int or None, default=None
        Fit the network and HGB side by side (2 is enough); None is 1, as in
        joblib.
    random_state : int, RandomState instance or None, default=None
        Seeds the split, and each part whose own ``random_state`` is None.
    verbose : bool, default=False
        Print each part's fit time, the held-out losses and the weights.
"""

_SHARED_ATTRIBUTES = """
    network_ : TabularMLP{kind}
        The fitted network (on the rows not held out).
    hgb_ : HistGradientBoosting{kind}
        The fitted gradient boosting (on every row, with ``refit``), reading
        ``encoder_``'s output.
    encoder_ : TreeEncoder
        The table as ``hgb_`` reads it: numbers, and codes of categories.
    weights_ : ndarray of shape (2,)
        The weights of the network and of HGB, summing to 1.
    validation_loss_ : dict or None
        The held-out loss ({loss}) of the ``"network"``, of ``"hgb"`` (fitted
        on the other rows) and of the ``"blend"``; None where no rows were
        held out.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Column names, when fitted on a DataFrame.
"""


def _doc(template, kind, **fields):
    return template.format(kind=kind, **fields).strip("\n")


class TabularBlendClassifier(ClassifierMixin, BaseTabularBlend):
    __doc__ = f"""The tabular network and HistGradientBoosting as one
    classifier: their probabilities averaged with weights chosen on held-out
    rows.

    Takes the raw table the tabular network takes (numbers, text, categories,
    missing cells). :class:`TabularMLPClassifier` reads it preprocessed in
    RealMLP's way; ``HistGradientBoostingClassifier`` reads numbers as they
    are and categories natively (:class:`TreeEncoder`). Both fit on the same
    rows, and the weights of their probabilities are chosen on the rows
    held out (see the module ``_blend``).

    Parameters
    ----------
{_doc(_SHARED_DOC, "Classifier")}
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, given to both parts (overriding their own)
        and to the held-out loss the weights are chosen by.

    Attributes
    ----------
    classes_ : ndarray
        Class labels.
{_doc(_SHARED_ATTRIBUTES, "Classifier", loss="log loss")}

    See Also
    --------
    TabularBlendRegressor : The same blend for regression.
    TabularMLPClassifier : The network alone.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_scratchnn import TabularBlendClassifier, TabularMLPClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = np.column_stack([rng.normal(size=300), rng.choice(["a", "b"], 300)])
    >>> y = (X[:, 0].astype(float) > 0) == (X[:, 1] == "a")
    >>> network = TabularMLPClassifier(hidden_layer_sizes=(32,), max_iter=50)
    >>> blend = TabularBlendClassifier(network, random_state=0).fit(X, y)
    >>> blend.weights_.sum()
    np.float64(1.0)
    >>> float(blend.score(X, y)) > 0.9
    True
    """

    _parameter_constraints: dict = {
        **BaseTabularBlend._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }
    _part_classes = (TabularMLPClassifier, HistGradientBoostingClassifier)

    def __init__(
        self,
        network: TabularMLPClassifier | None = None,
        hgb: HistGradientBoostingClassifier | None = None,
        *,
        selection: str = "greedy",
        refit: bool = True,
        validation_fraction: float = 0.2,
        class_weight: dict | str | None = None,
        n_jobs: int | None = None,
        random_state: int | np.random.RandomState | None = None,
        verbose: bool = False,
    ):
        self.network = network
        self.hgb = hgb
        self.selection = selection
        self.refit = refit
        self.validation_fraction = validation_fraction
        self.class_weight = class_weight
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    @transactional
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None):
        """Fit both parts to the table ``X`` and labels ``y``, then their
        weights.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Given to both parts, and to the held-out loss.

        Returns
        -------
        self : TabularBlendClassifier
        """
        check_no_missing_labels(y)
        X, sample_weight = self._checked(X, y, sample_weight)
        y = one_column_as_1d(
            check_array(y, ensure_2d=False, dtype=None, input_name="y")
        )
        if y.ndim != 1:
            raise ValueError(
                f"{self._name()} takes one column of labels, not {y.shape[1]} "
                "(HistGradientBoosting has no multilabel form); fit one per "
                "column (sklearn.multioutput.MultiOutputClassifier)."
            )
        targets = Labels(self._name())
        y = targets.fit(y)
        self.classes_ = targets.binarizer.classes_
        return self._fit_blend(
            X, y, sample_weight, strata=y, class_weight=self.class_weight
        )

    def _part_output(self, part, rows):
        return part.predict_proba(rows)

    def _loss(self, y, sample_weight, class_weight):
        codes = np.searchsorted(self.classes_, y)
        if class_weight is not None:
            binarizer = LabelBinarizer().fit(self.classes_)
            per_row, _ = class_sample_weight(
                class_weight, binarizer.transform(y), sample_weight, binarizer, None
            )
            sample_weight = per_row if sample_weight is None else sample_weight * per_row
        return lambda proba: log_loss(proba, codes, sample_weight)

    def predict_proba(self, X):
        """Class probabilities: the parts' weighted mean."""
        return self._blended_output(X)

    def predict_log_proba(self, X):
        """Logarithms of :meth:`predict_proba`."""
        with np.errstate(divide="ignore"):  # a probability of 0: -inf, as sklearn
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """The class of the highest blended probability."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


class TabularBlendRegressor(RegressorMixin, BaseTabularBlend):
    __doc__ = f"""The tabular network and HistGradientBoosting as one
    regressor: their predictions averaged with weights chosen on held-out
    rows.

    As :class:`TabularBlendClassifier`, for one numeric target: the weights
    minimise the held-out squared error.

    Parameters
    ----------
{_doc(_SHARED_DOC, "Regressor")}

    Attributes
    ----------
{_doc(_SHARED_ATTRIBUTES, "Regressor", loss="mean squared error")}

    See Also
    --------
    TabularBlendClassifier : The same blend for classification.
    TabularMLPRegressor : The network alone.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_scratchnn import TabularBlendRegressor, TabularMLPRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-2, 2, size=(300, 2))
    >>> y = np.sin(2 * X[:, 0]) + X[:, 1]
    >>> network = TabularMLPRegressor(hidden_layer_sizes=(32,), max_iter=50)
    >>> blend = TabularBlendRegressor(network, random_state=0).fit(X, y)
    >>> float(blend.score(X, y)) > 0.9
    True
    """

    _part_classes = (TabularMLPRegressor, HistGradientBoostingRegressor)

    def __init__(
        self,
        network: TabularMLPRegressor | None = None,
        hgb: HistGradientBoostingRegressor | None = None,
        *,
        selection: str = "greedy",
        refit: bool = True,
        validation_fraction: float = 0.2,
        n_jobs: int | None = None,
        random_state: int | np.random.RandomState | None = None,
        verbose: bool = False,
    ):
        self.network = network
        self.hgb = hgb
        self.selection = selection
        self.refit = refit
        self.validation_fraction = validation_fraction
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    @transactional
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, sample_weight=None):
        """Fit both parts to the table ``X`` and targets ``y``, then their
        weights.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None
            Given to both parts, and to the held-out loss.

        Returns
        -------
        self : TabularBlendRegressor
        """
        X, sample_weight = self._checked(X, y, sample_weight)
        y = check_array(y, ensure_2d=False, dtype="numeric", input_name="y")
        y = one_column_as_1d(y)
        if y.ndim != 1:
            raise ValueError(
                f"{self._name()} takes one target column, not {y.shape[1]} "
                "(HistGradientBoosting predicts one); fit one per column "
                "(sklearn.multioutput.MultiOutputRegressor)."
            )
        return self._fit_blend(X, y.astype(float), sample_weight)

    def _part_output(self, part, rows):
        return part.predict(rows)

    def _loss(self, y, sample_weight, class_weight):
        return lambda values: squared_error(values, y, sample_weight)

    def predict(self, X):
        """The parts' weighted mean prediction."""
        return self._blended_output(X)
