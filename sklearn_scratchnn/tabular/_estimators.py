"""The tabular estimators: a raw table in, RealMLP's recipe (Holzmüller et
al., 2024) out.

Each is a complete model: a :class:`~._preprocessing.TablePreprocessor`
(numbers robust-scaled and smooth-clipped, missing values flagged, categories
one-hot or embedded) and RealMLP-TD's network trained on its output
(``_network.py``): a categorical embedding and a periodic embedding of the
numbers in front, a scaling layer, dense layers in the NTK parametrisation
with parametric activations, dropout and weight decay on ``flat_cos`` plans,
Adam with ``beta_2 = 0.95`` on the ``coslog4`` schedule, per-group learning
rates, and the best epoch on a validation split restored at the end,
averaged with snapshots of the network at the ends of the learning-rate
cycles. What both share is in ``_base.py``.
"""

from numbers import Real

import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin, _fit_context
from sklearn.metrics import r2_score
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_array

from .._fitting.docstrings import fill_docstring
from .._fitting.labels import check_no_missing_labels
from .._fitting.targets import Labels, Values, class_proba, predicted_labels
from .._fitting.transaction import transactional
from ._base import BaseTabularMLP, one_column_as_1d
from ._docs import DTYPE_PARAM, PLAN_PARAMS, SHARED_TAIL
from ._ensemble import mean_of
from ._recipe import Recipe
from ._standardisation import standardisation


@fill_docstring(
    plan_params=PLAN_PARAMS, dtype_param=DTYPE_PARAM, shared_tail=SHARED_TAIL
)
class TabularMLPClassifier(ClassifierMixin, BaseTabularMLP):
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
    narrower (64 units, not 256) and it trains 64 epochs, not 256 (fewer, of
    larger batches, past 10,000 rows): on our benchmark tables RealMLP's sizes
    scored lower on average, in nine times the time of 128 units, and 64
    units score as 128 do in 0.6 of their time.

    Parameters
    ----------
    hidden_layer_sizes : int or array-like of int, default=(64, 64, 64)
        Units per hidden layer. On our sixteen benchmark tables 64 units score
        as 128 do (0.0002 lower on average; no table lower by more than
        0.003) in 0.62 of the time, the fit's 6.8 times HGB's on average
        against 10.9; RealMLP's (256, 256, 256) scored lower than 128 on 6 of
        8 tables, in 2.4 times the time.
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
    network_ : TrainedNetwork
        The fitted network (its layers, parameters and curves); the first
        member of an ensemble.
    networks_ : list of TrainedNetwork
        Every member: for each network trained (``n_ensemble`` independent
        ones, or the one of shared members) its best epoch, then its
        snapshots; ``network_`` is the first.
    n_snapshots_ : int
        How many of ``networks_`` are snapshots (0 with ``snapshots=False``,
        or where a cycle's end is the restored epoch itself).
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
    TabularMLPRegressor : The same recipe for regression.

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
        **BaseTabularMLP._parameter_constraints,
        "label_smoothing": [Interval(Real, 0, 1, closed="left")],
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }
    _activation = "selu"

    def __init__(
        self,
        hidden_layer_sizes: int | tuple[int, ...] = (64, 64, 64),
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
        recipe: Recipe | None = None,
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
        self.recipe = recipe

    def _check_y(self, y):
        return check_array(y, ensure_2d=False, dtype=None)

    @transactional
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(
        self,
        X,
        y,
        sample_weight=None,
        *,
        X_val=None,
        y_val=None,
        sample_weight_val=None,
    ):
        """Fit to the table ``X`` and labels ``y``.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
        sample_weight : array-like of shape (n_samples,), default=None
        X_val : DataFrame or array-like of shape (n_val, n_features), default=None
            A validation set of your own (the columns of ``X``) to pick the
            best epoch on, instead of a split of ``validation_fraction``.
        y_val : array-like of shape (n_val,) or (n_val, n_outputs), default=None
            Its labels; given with ``X_val`` or not at all.
        sample_weight_val : array-like of shape (n_val,), default=None
            Weights of its rows in the validation score and loss (used as
            given: ``class_weight`` weighs the training rows only, as in
            scikit-learn's ``HistGradientBoostingClassifier``).

        Returns
        -------
        self : TabularMLPClassifier
        """
        check_no_missing_labels(y)
        X, sample_weight, validation = self._checked(
            X, y, sample_weight, X_val, y_val, sample_weight_val
        )
        y = one_column_as_1d(
            check_array(y, ensure_2d=False, dtype=None, input_name="y")
        )
        targets = Labels(self._name(), self.label_smoothing, self.class_weight)
        return self._fit_table(X, y, sample_weight, validation, targets)

    def predict(self, X):
        """Predicted labels of the rows of ``X`` (of the members' mean
        probabilities, for an ensemble)."""
        proba = self._mean_proba(self._table_input(X))
        return predicted_labels(proba, self._label_binarizer)

    def predict_proba(self, X):
        """Class probabilities of the rows of ``X`` (the members' mean)."""
        return self._mean_proba(self._table_input(X))

    def predict_log_proba(self, X):
        """Logarithms of :meth:`predict_proba`."""
        proba = self._mean_proba(self._table_input(X))
        with np.errstate(divide="ignore"):  # a probability of 0: -inf, as sklearn
            return np.log(proba)

    def _mean_proba(self, Z):
        return mean_of(class_proba(*network.forward(Z)) for network in self.networks_)


@fill_docstring(
    plan_params=PLAN_PARAMS, dtype_param=DTYPE_PARAM, shared_tail=SHARED_TAIL
)
class TabularMLPRegressor(RegressorMixin, BaseTabularMLP):
    """RealMLP's recipe for regression on a raw table, in NumPy.

    As :class:`TabularMLPClassifier` (the same preprocessing and network),
    with Mish in place of SELU, no label smoothing, a learning rate of 0.2
    (RealMLP's for regression), targets standardised inside and predictions
    clipped to the range of the training targets.

    Parameters
    ----------
    hidden_layer_sizes : int or array-like of int, default=(64, 64, 64)
        Units per hidden layer. On our sixteen benchmark tables 64 units score
        as 128 do (0.0002 lower on average; no table lower by more than
        0.003) in 0.62 of the time, the fit's 6.8 times HGB's on average
        against 10.9; RealMLP's (256, 256, 256) scored lower than 128 on 6 of
        8 tables, in 2.4 times the time.
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
    network_ : TrainedNetwork
        The fitted network (its layers, parameters and curves), on
        standardised targets; the first member of an ensemble.
    networks_ : list of TrainedNetwork
        Every member: for each network trained (``n_ensemble`` independent
        ones, or the one of shared members) its best epoch, then its
        snapshots; ``network_`` is the first.
    n_snapshots_ : int
        How many of ``networks_`` are snapshots (0 with ``snapshots=False``,
        or where a cycle's end is the restored epoch itself).
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
    TabularMLPClassifier : The same recipe for classification.

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
        hidden_layer_sizes: int | tuple[int, ...] = (64, 64, 64),
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
        recipe: Recipe | None = None,
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
        self.recipe = recipe

    def _check_y(self, y):
        y = check_array(y, ensure_2d=False, dtype="numeric")
        return self._standardised(y)

    def _standardised(self, y):
        return (y - self.y_mean_) / self.y_scale_

    @transactional
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(
        self,
        X,
        y,
        sample_weight=None,
        *,
        X_val=None,
        y_val=None,
        sample_weight_val=None,
    ):
        """Fit to the table ``X`` and targets ``y``.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : array-like of shape (n_samples,), default=None
        X_val : DataFrame or array-like of shape (n_val, n_features), default=None
            A validation set of your own (the columns of ``X``) to pick the
            best epoch on, instead of a split of ``validation_fraction``.
        y_val : array-like of shape (n_val,) or (n_val, n_outputs), default=None
            Its targets; given with ``X_val`` or not at all.
        sample_weight_val : array-like of shape (n_val,), default=None
            Weights of its rows in the validation score and loss (used as
            given: ``class_weight`` weighs the training rows only, as in
            scikit-learn's ``HistGradientBoostingClassifier``).

        Returns
        -------
        self : TabularMLPRegressor
        """
        X, sample_weight, validation = self._checked(
            X, y, sample_weight, X_val, y_val, sample_weight_val
        )
        y = check_array(y, ensure_2d=False, dtype="numeric", input_name="y")
        y = one_column_as_1d(y)
        self.y_mean_, self.y_scale_ = standardisation(y, sample_weight)
        self.y_min_, self.y_max_ = y.min(axis=0), y.max(axis=0)
        y = self._standardised(y)
        return self._fit_table(X, y, sample_weight, validation, Values())

    def predict(self, X):
        """Predicted targets of the rows of ``X`` (the members' mean, for an
        ensemble), within the training range."""
        Z = self._table_input(X)
        standardised = mean_of(_values(network, Z) for network in self.networks_)
        # clipped in the standardised units first, so that a huge target's
        # scale cannot overflow outside the training range
        low = (self.y_min_ - self.y_mean_) / self.y_scale_
        high = (self.y_max_ - self.y_mean_) / self.y_scale_
        y = np.clip(standardised, low, high) * self.y_scale_ + self.y_mean_
        return np.clip(y, self.y_min_, self.y_max_)

    def score(self, X, y, sample_weight=None):
        """R^2 of the predictions of ``X`` (scikit-learn's ``r2_score``).

        For targets whose squares overflow float64 (values past about
        1e154), computed in the standardised units, where R^2 is the same.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        score : float
        """
        predicted = self.predict(X)
        with np.errstate(over="ignore", invalid="ignore"):
            r2 = r2_score(y, predicted, sample_weight=sample_weight)
        if np.isfinite(r2):
            return float(r2)
        y = np.asarray(y, dtype=float)
        return float(
            r2_score(
                self._standardised(y),
                self._standardised(predicted),
                sample_weight=sample_weight,
            )
        )


def _values(network, Z):
    """A network's output: one column per target, a vector for one."""
    _, out = network.forward(Z)
    return out[:, 0] if out.shape[1] == 1 else out
