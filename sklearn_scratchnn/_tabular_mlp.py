"""Tabular MLPs: a raw table in, RealMLP's recipe (Holzmüller et al., 2024) out.

Each estimator is a complete model: a :class:`~._table.TablePreprocessor`
(numbers robust-scaled and smooth-clipped, missing values flagged, categories
one-hot or embedded) and a Scratch estimator that trains RealMLP-TD's network
on its output: a categorical embedding and a periodic embedding of the numbers
in front, a scaling layer, dense layers in the NTK parametrisation with
parametric activations, dropout and weight decay on ``flat_cos`` plans, Adam
with ``beta_2 = 0.95`` on the ``coslog4`` schedule, per-group learning rates,
and the best epoch on a validation split restored at the end, averaged with
snapshots of the network at the ends of the learning-rate cycles.
"""

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils._param_validation import Hidden, Interval, StrOptions
from sklearn.utils.validation import (
    check_array,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from ._callbacks import CallbackSupport
from ._checks import check_sample_weight
from ._classifier import ScratchMLPClassifier
from ._regressor import ScratchMLPRegressor
from ._table import TablePreprocessor, as_table, with_table_input
from ._tabular_docs import with_shared_tail
from ._tabular_ensemble import mean_of, member_seeds, train_members
from ._tabular_network import (  # the networks' classes: where pickles look
    LR_FACTORS,
    _as_public,
    _members,
    _restored_epoch,
    _snapshot_epochs,
    _TableNetworkClassifier,
    _TableNetworkRegressor,
)
from ._tabular_plan import network_dtype, training_plan

MIN_VALIDATION_ROWS = 10  # below this, no split: the last epoch is kept


def _check_not_empty(X, name):
    """At least one row and one column, in the shape the user gave."""
    shape = X.shape if hasattr(X, "shape") else np.shape(X)
    for axis, what in ((0, "sample(s)"), (1, "feature(s)")):
        if len(shape) > axis and shape[axis] == 0:
            raise ValueError(
                f"Found array with 0 {what} (shape={tuple(shape)}) while a "
                f"minimum of 1 is required by {name}."
            )


class _BaseTabularMLP(CallbackSupport, BaseEstimator):
    """What the tabular classifier and regressor share (``set_callbacks``
    included, where scikit-learn has callbacks: they watch the network's fit,
    one subtask per epoch)."""

    _parameter_constraints: dict = {
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "max_epochs": [
            Interval(Integral, 1, None, closed="left"),
            Hidden(StrOptions({"deprecated"})),
        ],
        "batch_size": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "budget": [StrOptions({"rows", "fixed"})],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "max_one_hot": [Interval(Integral, 1, None, closed="left")],
        "embedding_width": [Interval(Integral, 1, None, closed="left")],
        "dtype": [StrOptions({"auto", "float64", "float32"})],
        "n_ensemble": [Interval(Integral, 1, None, closed="left")],
        "ensemble": [StrOptions({"independent", "shared"})],
        "snapshots": ["boolean"],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def _epochs(self):
        """``max_iter``, or the deprecated ``max_epochs`` where it is given."""
        if isinstance(self.max_epochs, str) and self.max_epochs == "deprecated":
            return self.max_iter
        warnings.warn(
            "max_epochs was renamed max_iter, the name scikit-learn's MLP and "
            "the Scratch estimators give it; max_epochs will be removed in "
            f"0.2. Use max_iter={self.max_epochs}.",
            FutureWarning,
            stacklevel=4,
        )
        return self.max_epochs

    def _network_params(self, random_state, epochs):
        """The Scratch estimator's parameters for RealMLP's recipe."""
        return dict(
            hidden_layer_sizes=self.hidden_layer_sizes,
            activation=self._activation,
            alpha=0.0,
            learning_rate="coslog4",
            learning_rate_init=self.learning_rate_init,
            max_iter=epochs,
            random_state=random_state,
            tol=0.0,
            verbose=self.verbose,
            beta_2=0.95,
            # the best epoch over all of them: the rule never stops early
            n_iter_no_change=np.inf,
            weight_decay=self.weight_decay,
            weight_decay_schedule="flat_cos",
            dropout=self.dropout,
            dropout_schedule="flat_cos",
            learning_rate_factors=LR_FACTORS,
        )

    def _checked(self, X, y, sample_weight):
        """``(X, sample_weight)`` validated, before anything is learnt."""
        self._validate_params()
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y "
                "is None."
            )
        X = as_table(X)
        _check_not_empty(X, type(self).__name__)
        validate_data(self, X, skip_check_array=True)
        if sample_weight is not None:  # the Scratch estimators' checks, messages
            sample_weight = check_sample_weight(sample_weight, np.empty((len(X), 0)))
        return X, sample_weight

    def _fit_table(self, X, y, sample_weight, X_val, y_val, Network, **extra):
        """Preprocess, then train ``n_ensemble`` networks of the class
        ``Network`` (a Scratch estimator's subclass), seeded apart."""
        preprocessor = TablePreprocessor(max_one_hot=self.max_one_hot)
        Z = preprocessor.fit(X, sample_weight=sample_weight).transform(X)
        n_rows = Z.shape[0]
        dtype = network_dtype(self.dtype, n_rows)
        Z = Z.astype(dtype)
        epochs, batch = training_plan(
            n_rows, self._epochs(), self.batch_size, self.budget
        )
        if (X_val is None) != (y_val is None):
            raise ValueError(
                "X_val and y_val go together: give both for a validation set of "
                "your own, or neither to split one off the training data."
            )
        validation = None
        if X_val is not None:
            Z_val = preprocessor.transform(X_val).astype(dtype)
            validation = (Z_val, self._check_y(y_val), None)
        split = validation is not None or n_rows * self.validation_fraction >= (
            MIN_VALIDATION_ROWS
        )
        table = {
            "n_numeric": preprocessor.n_numeric_,
            "cardinalities": preprocessor.cardinalities_,
            "embedding_width": self.embedding_width,
            "validation": validation,
            "snapshot_epochs": _snapshot_epochs(epochs) if self.snapshots else (),
            # TabM-mini: one network of n_ensemble members sharing its layers
            "members": self.n_ensemble if self.ensemble == "shared" else 1,
        }
        networks = []
        for seed in member_seeds(self.random_state, self._n_networks()):
            network = Network(**self._network_params(seed, epochs), **extra)
            network.set_params(
                batch_size=batch,
                early_stopping=split,
                validation_fraction=self.validation_fraction,
            )
            network._table = table
            networks.append(network)
        callbacks = getattr(self, "_skl_callbacks", None)
        trained = train_members(
            networks, Z, y, sample_weight, callbacks, self.n_jobs, _members
        )
        members = [member for group in trained for member in group]
        self.preprocessor_ = preprocessor
        self.networks_ = members
        self.network_ = network = members[0]
        self.n_iter_ = network.n_iter_
        self.loss_curve_ = network.loss_curve_
        self.validation_scores_ = network.validation_scores_
        self.best_epoch_ = _restored_epoch(network)
        return self

    def _n_networks(self):
        """Networks trained: ``n_ensemble``, or one holding them all."""
        return 1 if self.ensemble == "shared" else self.n_ensemble

    def _table_input(self, X):
        check_is_fitted(self, "network_")
        X = as_table(X)
        _check_not_empty(X, type(self).__name__)
        validate_data(self, X, skip_check_array=True, reset=False)
        with warnings.catch_warnings():
            # validate_data above has warned of missing feature names already
            warnings.filterwarnings("ignore", "X does not have valid feature names")
            Z = self.preprocessor_.transform(X)
        return Z.astype(self.network_.coefs_[0].dtype)  # the fit's precision

    def __sklearn_tags__(self):
        return with_table_input(super().__sklearn_tags__())

    # Saved as plain data: the preprocessing's statistics and the network's
    # state (a Scratch estimator's own plain state), so that a skops file of a
    # tabular model asks its reader to trust one type, the model's class.

    def __getstate__(self):
        state = dict(super().__getstate__())  # object's is the __dict__ itself
        if "network_" in state:
            # a model of an earlier release has one network_ and no networks_
            members = state.pop("networks_", None) or [state["network_"]]
            state["network_"] = None  # the first member
            state["networks_"] = [_plain(_as_public(n)) for n in members]
            state["preprocessor_"] = {"state": state["preprocessor_"].__getstate__()}
        return state

    def __setstate__(self, state):
        state = dict(state)
        # models saved before the ensemble existed: one member, in n_jobs=None
        state.setdefault("n_ensemble", 1)
        state.setdefault("n_jobs", None)
        state.setdefault("ensemble", "independent")  # ... before shared members
        state.setdefault("snapshots", False)  # ... and before snapshots
        # ... and before the plan followed the table's size
        state.setdefault("budget", "fixed")
        if "max_iter" not in state:  # ... and before max_epochs was renamed
            state["max_iter"] = state.get("max_epochs", 64)
            state["max_epochs"] = "deprecated"
        members = state.get("networks_")
        if members is not None and isinstance(members[0], dict):
            state["networks_"] = [_from_plain(member) for member in members]
            state["network_"] = state["networks_"][0]
            state["preprocessor_"] = _rebuilt(
                TablePreprocessor, state["preprocessor_"]["state"]
            )
        if "network_" in state and "networks_" not in state:  # pickled whole
            state["networks_"] = [state["network_"]]
        super().__setstate__(state)


def _one_column_as_1d(y):
    """A column vector of targets as 1-D, with scikit-learn's warning: warned
    of here, as members trained in other processes would warn there."""
    return column_or_1d(y, warn=True) if y.ndim == 2 and y.shape[1] == 1 else y


def _plain(network):
    return {"estimator": type(network).__name__, "state": network.__getstate__()}


def _from_plain(plain):
    public = {c.__name__: c for c in (ScratchMLPClassifier, ScratchMLPRegressor)}
    return _rebuilt(public[plain["estimator"]], plain["state"])


def _rebuilt(cls, state):
    """An instance of ``cls`` from its ``__getstate__``."""
    instance = cls.__new__(cls)
    instance.__setstate__(state)
    return instance


@with_shared_tail
class TabularMLPClassifier(ClassifierMixin, _BaseTabularMLP):
    """RealMLP's recipe for classifying the rows of a raw table, in NumPy.

    Takes a pandas or polars DataFrame, or an array, with numeric, boolean,
    categorical or text columns and missing values, and needs no
    preprocessing or tuning: numbers are centred on their median, scaled by
    their interquartile range and smooth-clipped; missing numbers are flagged;
    categories are one-hot encoded (up to ``max_one_hot``) or embedded. The
    network follows RealMLP-TD (Holzmüller et al., 2024): periodic embeddings
    of the numbers, a scaling layer, three hidden layers of parametric SELU
    units in the NTK parametrisation, dropout and weight decay that fade out
    over the second half of training, label smoothing, Adam on the four-cycle
    ``coslog4`` schedule, and the epoch that scores best on a held-out 20%
    restored at the end, its predictions averaged with those of the network
    at the end of each learning-rate cycle (``snapshots``). Its layers are
    narrower (128 units, not 256) and it trains 64 epochs, not 256 (fewer, of
    larger batches, past 10,000 rows): on our benchmark tables RealMLP's sizes
    scored lower on average, in nine times the time.

    Parameters
    ----------
    hidden_layer_sizes : int or array-like of int, default=(128, 128, 128)
        Units per hidden layer. RealMLP's are (256, 256, 256); on our
        benchmark tables 256 scored lower on 6 of 8, in 2.4 times the time.
    {plan_params}
    learning_rate_init : float, default=0.04
        Adam's peak learning rate (RealMLP's for classification).
    dropout : float in [0, 1), default=0.15
        Dropout after every hidden layer, lowered to 0 over the second half.
    weight_decay : float, default=0.02
        Decoupled weight decay of the dense layers' weights, on the same plan.
    label_smoothing : float in [0, 1), default=0.1
        Targets ``(1 - label_smoothing) y + label_smoothing / K``.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, multiplied into ``sample_weight``.
    validation_fraction : float in (0, 1), default=0.2
        Share of the rows (stratified by class) held out to pick the best
        epoch, unless ``fit`` is given ``X_val`` and ``y_val``; where that
        share is under 10 rows (tables of fewer than 50 rows at 0.2), the fit
        trains on every row and keeps the last epoch.
    max_one_hot : int, default=9
        Categorical columns with more categories than this are embedded.
    embedding_width : int, default=8
        Values per category of an embedded column.
    {dtype_param}
    {shared_tail}

    Attributes
    ----------
    classes_ : ndarray
        Class labels.
    preprocessor_ : TablePreprocessor
        The fitted preprocessing.
    network_ : estimator
        The fitted network (a :class:`ScratchMLPClassifier`); the first
        member of an ensemble.
    networks_ : list of estimator
        Every member: for each network trained (``n_ensemble`` independent
        ones, or the one of shared members) its best epoch, then its
        snapshots; ``network_`` is the first.
    best_epoch_ : int or None
        The epoch restored (None without a validation set), of ``network_``.
    n_iter_ : int
        Epochs run (by ``network_``).
    loss_curve_ : list of float
        Training loss of each epoch (of ``network_``).
    validation_scores_ : list of float or None
        Validation accuracy of each epoch.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Column names, when fitted on a DataFrame.

    See Also
    --------
    ScratchMLPClassifier : The network alone, scikit-learn's MLP from scratch.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_scratchnn import TabularMLPClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = np.column_stack([rng.normal(size=200), rng.choice(["a", "b"], 200)])
    >>> y = (X[:, 0].astype(float) > 0) == (X[:, 1] == "a")
    >>> clf = TabularMLPClassifier(hidden_layer_sizes=(32,), max_iter=100,
    ...                            random_state=0).fit(X, y)
    >>> float(clf.score(X, y)) > 0.85
    True
    """

    _parameter_constraints: dict = {
        **_BaseTabularMLP._parameter_constraints,
        "label_smoothing": [Interval(Real, 0, 1, closed="left")],
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }
    _activation = "selu"

    def __init__(
        self,
        hidden_layer_sizes: int | tuple[int, ...] = (128, 128, 128),
        *,
        max_iter: int = 64,
        batch_size: int | str = "auto",
        budget: str = "rows",
        learning_rate_init: float = 0.04,
        dropout: float = 0.15,
        weight_decay: float = 0.02,
        label_smoothing: float = 0.1,
        class_weight: dict | str | None = None,
        validation_fraction: float = 0.2,
        max_one_hot: int = 9,
        embedding_width: int = 8,
        dtype: str = "auto",
        random_state: int | np.random.RandomState | None = None,
        verbose: bool = False,
        n_ensemble: int = 1,
        ensemble: str = "independent",
        snapshots: bool = True,
        n_jobs: int | None = None,
        max_epochs: int | str = "deprecated",
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.budget = budget
        self.learning_rate_init = learning_rate_init
        self.dropout = dropout
        self.weight_decay = weight_decay
        self.label_smoothing = label_smoothing
        self.class_weight = class_weight
        self.validation_fraction = validation_fraction
        self.max_one_hot = max_one_hot
        self.embedding_width = embedding_width
        self.dtype = dtype
        self.random_state = random_state
        self.verbose = verbose
        self.n_ensemble = n_ensemble
        self.ensemble = ensemble
        self.snapshots = snapshots
        self.n_jobs = n_jobs
        self.max_epochs = max_epochs

    def _check_y(self, y):
        return check_array(y, ensure_2d=False, dtype=None)

    def fit(self, X, y, sample_weight=None, X_val=None, y_val=None):
        """Fit to the table ``X`` and labels ``y``.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
        sample_weight : array-like of shape (n_samples,), default=None
        X_val, y_val : table and labels, default=None
            A validation set to pick the best epoch on, instead of a split.

        Returns
        -------
        self : TabularMLPClassifier
        """
        X, sample_weight = self._checked(X, y, sample_weight)
        y = _one_column_as_1d(
            check_array(y, ensure_2d=False, dtype=None, input_name="y")
        )
        self._fit_table(
            X, y, sample_weight, X_val, y_val, _TableNetworkClassifier,
            label_smoothing=self.label_smoothing, class_weight=self.class_weight,
        )  # fmt: skip
        self.classes_ = self.network_.classes_
        return self

    def predict(self, X):
        """Predicted labels of the rows of ``X`` (of the members' mean
        probabilities, for an ensemble)."""
        Z = self._table_input(X)
        if len(self.networks_) == 1:
            return self.network_.predict(Z)
        proba = self._mean_proba(Z)
        if self.network_._label_binarizer.y_type_ == "multilabel-indicator":
            return (proba > 0.5).astype(int)
        return self.classes_[np.argmax(proba, axis=1)]

    def predict_proba(self, X):
        """Class probabilities of the rows of ``X`` (the members' mean)."""
        return self._mean_proba(self._table_input(X))

    def predict_log_proba(self, X):
        """Logarithms of :meth:`predict_proba`."""
        Z = self._table_input(X)
        if len(self.networks_) == 1:
            return self.network_.predict_log_proba(Z)
        with np.errstate(divide="ignore"):  # a probability of 0: -inf, as sklearn
            return np.log(self._mean_proba(Z))

    def _mean_proba(self, Z):
        return mean_of(network.predict_proba(Z) for network in self.networks_)


@with_shared_tail
class TabularMLPRegressor(RegressorMixin, _BaseTabularMLP):
    """RealMLP's recipe for regression on a raw table, in NumPy.

    As :class:`TabularMLPClassifier` (the same preprocessing and network),
    with Mish in place of SELU, no label smoothing, a learning rate of 0.2
    (RealMLP's for regression), targets standardised inside and predictions
    clipped to the range of the training targets.

    Parameters
    ----------
    hidden_layer_sizes : int or array-like of int, default=(128, 128, 128)
        Units per hidden layer. RealMLP's are (256, 256, 256); on our
        benchmark tables 256 scored lower on 6 of 8, in 2.4 times the time.
    {plan_params}
    learning_rate_init : float, default=0.2
        Adam's peak learning rate.
    dropout : float in [0, 1), default=0.15
        Dropout after every hidden layer, lowered to 0 over the second half.
    weight_decay : float, default=0.02
        Decoupled weight decay of the dense layers' weights, on the same plan.
    validation_fraction : float in (0, 1), default=0.2
        Share of the rows held out to pick the best epoch (by R^2), unless
        ``fit`` is given ``X_val`` and ``y_val``; where that share is under 10
        rows (tables of fewer than 50 rows at 0.2), the fit trains on every
        row and keeps the last epoch.
    max_one_hot : int, default=9
        Categorical columns with more categories than this are embedded.
    embedding_width : int, default=8
        Values per category of an embedded column.
    {dtype_param}
    {shared_tail}

    Attributes
    ----------
    preprocessor_ : TablePreprocessor
        The fitted preprocessing.
    network_ : estimator
        The fitted network (a :class:`ScratchMLPRegressor`), on standardised
        targets; the first member of an ensemble.
    networks_ : list of estimator
        Every member: for each network trained (``n_ensemble`` independent
        ones, or the one of shared members) its best epoch, then its
        snapshots; ``network_`` is the first.
    best_epoch_ : int or None
        The epoch restored (None without a validation set), of ``network_``.
    n_iter_ : int
        Epochs run (by ``network_``).
    loss_curve_ : list of float
        Training loss of each epoch (of ``network_``).
    validation_scores_ : list of float or None
        Validation R^2 of each epoch.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Column names, when fitted on a DataFrame.

    See Also
    --------
    ScratchMLPRegressor : The network alone, scikit-learn's MLP from scratch.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_scratchnn import TabularMLPRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-2, 2, size=(300, 2))
    >>> y = np.sin(2 * X[:, 0]) + X[:, 1]
    >>> reg = TabularMLPRegressor(hidden_layer_sizes=(32,), max_iter=100,
    ...                           random_state=0).fit(X, y)
    >>> float(reg.score(X, y)) > 0.9
    True
    """

    _activation = "mish"

    def __init__(
        self,
        hidden_layer_sizes: int | tuple[int, ...] = (128, 128, 128),
        *,
        max_iter: int = 64,
        batch_size: int | str = "auto",
        budget: str = "rows",
        learning_rate_init: float = 0.2,
        dropout: float = 0.15,
        weight_decay: float = 0.02,
        validation_fraction: float = 0.2,
        max_one_hot: int = 9,
        embedding_width: int = 8,
        dtype: str = "auto",
        random_state: int | np.random.RandomState | None = None,
        verbose: bool = False,
        n_ensemble: int = 1,
        ensemble: str = "independent",
        snapshots: bool = True,
        n_jobs: int | None = None,
        max_epochs: int | str = "deprecated",
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.max_iter = max_iter
        self.batch_size = batch_size
        self.budget = budget
        self.learning_rate_init = learning_rate_init
        self.dropout = dropout
        self.weight_decay = weight_decay
        self.validation_fraction = validation_fraction
        self.max_one_hot = max_one_hot
        self.embedding_width = embedding_width
        self.dtype = dtype
        self.random_state = random_state
        self.verbose = verbose
        self.n_ensemble = n_ensemble
        self.ensemble = ensemble
        self.snapshots = snapshots
        self.n_jobs = n_jobs
        self.max_epochs = max_epochs

    def _check_y(self, y):
        y = check_array(y, ensure_2d=False, dtype="numeric")
        return self._standardised(y)

    def _standardised(self, y):
        return (y - self.y_mean_) / self.y_scale_

    def fit(self, X, y, sample_weight=None, X_val=None, y_val=None):
        """Fit to the table ``X`` and targets ``y``.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : array-like of shape (n_samples,), default=None
        X_val, y_val : table and targets, default=None
            A validation set to pick the best epoch on, instead of a split.

        Returns
        -------
        self : TabularMLPRegressor
        """
        X, sample_weight = self._checked(X, y, sample_weight)
        y = check_array(y, ensure_2d=False, dtype="numeric", input_name="y")
        y = _one_column_as_1d(y)
        self.y_mean_ = np.average(y, axis=0, weights=sample_weight)
        spread = np.sqrt(
            np.average((y - self.y_mean_) ** 2, axis=0, weights=sample_weight)
        )
        self.y_scale_ = np.where(spread > 0, spread, 1.0)
        self.y_min_, self.y_max_ = y.min(axis=0), y.max(axis=0)
        y = self._standardised(y)
        return self._fit_table(
            X, y, sample_weight, X_val, y_val, _TableNetworkRegressor
        )

    def predict(self, X):
        """Predicted targets of the rows of ``X`` (the members' mean, for an
        ensemble), within the training range."""
        Z = self._table_input(X)
        standardised = mean_of(network.predict(Z) for network in self.networks_)
        y = standardised * self.y_scale_ + self.y_mean_
        return np.clip(y, self.y_min_, self.y_max_)
