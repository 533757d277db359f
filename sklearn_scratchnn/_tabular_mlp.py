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

import math
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, is_classifier
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
from ._tabular_ensemble import mean_of, member_seeds, train_members
from ._tabular_plan import network_dtype, training_plan
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
MIN_VALIDATION_ROWS = 10  # below this, no split: the last epoch is kept


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


def _check_not_empty(X, name):
    """At least one row and one column, in the shape the user gave."""
    shape = X.shape if hasattr(X, "shape") else np.shape(X)
    for axis, what in ((0, "sample(s)"), (1, "feature(s)")):
        if len(shape) > axis and shape[axis] == 0:
            raise ValueError(
                f"Found array with 0 {what} (shape={tuple(shape)}) while a "
                f"minimum of 1 is required by {name}."
            )


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


# the training plan's parameters, the same in both estimators
PLAN_PARAMS = """\
    max_iter : int, default=64
        Epochs on a table of up to 10,000 rows; a larger table of ``n`` rows
        trains ``ceil(max_iter / s)`` epochs of a batch ``s`` times larger,
        ``s = sqrt(n / 10,000)``, so that its gradient steps stay as many as
        10,000 rows get and the fit's time grows as ``sqrt(n)``, not ``n``
        (``budget="fixed"`` turns this off). The learning-rate plan covers
        every epoch, and the best is kept. RealMLP trains 256; on our
        benchmark tables 256 scored lower on 5 of 6, in 4.3 times the time
        (see the "Tabular models" page). The name is scikit-learn's, as the
        Scratch estimators have it.
    batch_size : int or "auto", default="auto"
        Rows per mini-batch (all of them for smaller tables): "auto" is 256,
        grown by ``s`` past 10,000 rows as ``max_iter`` says; an integer is
        used as given.
    budget : {"rows", "fixed"}, default="rows"
        "rows" sets the plan from the table's size as ``max_iter`` says;
        "fixed" trains ``max_iter`` epochs of ``batch_size`` (256 for
        "auto") rows on any table, as models saved before this parameter
        existed did.
"""

DTYPE_PARAM = """\
    dtype : {"auto", "float64", "float32"}, default="auto"
        Precision of the network's arithmetic. "auto" is float32 (RealMLP's)
        for tables of 1,000 rows or more, where it fits in about half of
        float64's time at the same scores on our benchmark tables, and
        float64 below, where a fit takes a second or less either way. In
        float32 a row of weight 2 trains only to within float32's rounding
        (1e-7) of two copies of it; scikit-learn's checks ask for that to
        1e-7 exactly, and float64 gives it. As HistGradientBoosting's
        ``early_stopping="auto"``, the choice follows the table's size.
"""

# the parameters both estimators end their docstrings with
SHARED_TAIL = """\
    random_state : int, RandomState instance or None, default=None
        The same integer gives the same model, bit for bit.
    verbose : bool, default=False
        Print the loss and validation score of every epoch.
    n_ensemble : int, default=1
        Members of the ensemble, whose predictions are averaged; 1 is the
        model without an ensemble, bit for bit. How they are made is
        ``ensemble``'s choice.
    ensemble : {"independent", "shared"}, default="independent"
        "independent": ``n_ensemble`` networks, each seeded apart from
        ``random_state`` (its own initial weights, validation split,
        shuffling and dropout); training costs ``n_ensemble`` times one
        network's, in ``n_jobs`` at once. "shared": TabM-mini (Gorishniy et
        al., 2025), one network whose ``n_ensemble`` members share every
        hidden layer and differ in a scale of their input (random signs at
        the start) and in their output layer; each step trains them all on
        ``n_ensemble`` copies of the batch, which the hidden layers pay for,
        and ``n_jobs`` has no members to spread. The "Tabular models" page
        compares both on the time/score curve.
    snapshots : bool, default=True
        Average, with each network's restored best epoch, the network at the
        ends of ``coslog4``'s four learning-rate cycles (epochs 4, 13, 30 and
        64 of 64; a snapshot ensemble, Huang et al., 2017): no extra
        training, up to five forward passes a prediction. On our benchmark
        tables it scored higher than the best epoch alone (the "Tabular
        models" page). False predicts with the best epoch alone.
    n_jobs : int or None, default=None
        Independent members trained at once, through joblib (``-1``: every
        core; None: 1 unless in a ``joblib.parallel_backend`` context, where
        a dask or ray backend spreads them over a cluster). The members, and
        so the predictions, are the same for any value.
    max_epochs : int, default="deprecated"
        The former name of ``max_iter``; given, it is used, with a
        ``FutureWarning``. It will be removed in 0.2.
"""


def _with_shared_tail(cls):
    for slot, text in [
        ("plan_params", PLAN_PARAMS),
        ("dtype_param", DTYPE_PARAM),
        ("shared_tail", SHARED_TAIL),
    ]:
        cls.__doc__ = cls.__doc__.replace(f"    {{{slot}}}\n", text)
    return cls


@_with_shared_tail
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


@_with_shared_tail
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
