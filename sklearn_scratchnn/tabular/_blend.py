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

import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin, _fit_context
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import check_array

from .._fitting.class_weights import class_sample_weight
from .._fitting.docstrings import fill_docstring
from .._fitting.labels import check_no_missing_labels
from .._fitting.targets import Labels
from .._fitting.transaction import transactional
from ._base import checked_fit_table, one_column_as_1d
from ._blend_base import NETWORK_EPOCHS, PARTS, BaseTabularBlend
from ._docs import blend_docs
from ._estimators import TabularMLPClassifier, TabularMLPRegressor
from ._selection import log_loss, squared_error

__all__ = ["NETWORK_EPOCHS", "PARTS", "TabularBlendClassifier", "TabularBlendRegressor"]


@fill_docstring(**blend_docs("Classifier", "log loss"))
class TabularBlendClassifier(ClassifierMixin, BaseTabularBlend):
    """The tabular network and HistGradientBoosting as one classifier: their
    probabilities averaged with weights chosen on held-out rows.

    Takes the raw table the tabular network takes (numbers, text, categories,
    missing cells). :class:`TabularMLPClassifier` reads it preprocessed in
    RealMLP's way; ``HistGradientBoostingClassifier`` reads numbers as they
    are and categories natively (:class:`~sklearn_scratchnn.tabular.TreeEncoder`).
    Both fit on the same rows, and the weights of their probabilities are
    chosen on the rows held out (see the "Tabular models" page).

    Parameters
    ----------
    {blend_params}
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, given to both parts (overriding their own)
        and to the held-out loss the weights are chosen by.
    {blend_tail}

    Attributes
    ----------
    classes_ : ndarray
        Class labels.
    {blend_attributes}

    See Also
    --------
    TabularBlendRegressor : The same blend for regression.
    TabularMLPClassifier : The network alone.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_scratchnn import TabularBlendClassifier, TabularMLPClassifier
    >>> rng = np.random.RandomState(0)
    >>> x, town = rng.normal(size=400), rng.choice(["north", "south"], 400)
    >>> X = np.empty((400, 2), dtype=object)
    >>> X[:, 0], X[:, 1] = x, town
    >>> noise = rng.normal(scale=0.3, size=400)
    >>> y = np.sin(2 * x) + (town == "north") + noise > 0.5
    >>> network = TabularMLPClassifier(hidden_layer_sizes=(32,), max_iter=30)
    >>> blend = TabularBlendClassifier(network, random_state=0).fit(X, y)
    >>> blend.weights_  # the network's, HGB's
    array([0.15, 0.85])
    >>> held_out = blend.validation_loss_  # the blend below either part
    >>> bool(held_out["blend"] < min(held_out["network"], held_out["hgb"]))
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
        X, sample_weight = checked_fit_table(self, X, y, sample_weight)
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
        return part.predict_proba(rows).astype(float)

    def _loss(self, y, sample_weight, class_weight):
        codes = np.searchsorted(self.classes_, y)
        if class_weight is not None:
            binarizer = LabelBinarizer().fit(self.classes_)
            per_row, _ = class_sample_weight(
                class_weight, binarizer.transform(y), sample_weight, binarizer, None
            )
            sample_weight = (
                per_row if sample_weight is None else sample_weight * per_row
            )
        return lambda proba: log_loss(proba, codes, sample_weight)

    def predict_proba(self, X):
        """Class probabilities: the parts' weighted mean."""
        proba = self._blended_output(X)
        # a float32 network's probabilities sum to 1 in float32's precision:
        # in float64 they are made to again
        return proba / proba.sum(axis=1, keepdims=True)

    def predict_log_proba(self, X):
        """Logarithms of :meth:`predict_proba`."""
        with np.errstate(divide="ignore"):  # a probability of 0: -inf, as sklearn
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """The class of the highest blended probability."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]


@fill_docstring(**blend_docs("Regressor", "mean squared error"))
class TabularBlendRegressor(RegressorMixin, BaseTabularBlend):
    """The tabular network and HistGradientBoosting as one regressor: their
    predictions averaged with weights chosen on held-out rows.

    As :class:`TabularBlendClassifier`, for one numeric target: the weights
    minimise the held-out squared error.

    Parameters
    ----------
    {blend_params}
    {blend_tail}

    Attributes
    ----------
    {blend_attributes}

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
        X, sample_weight = checked_fit_table(self, X, y, sample_weight)
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
        return part.predict(rows).astype(float)

    def _loss(self, y, sample_weight, class_weight):
        return lambda values: squared_error(values, y, sample_weight)

    def predict(self, X):
        """The parts' weighted mean prediction."""
        return self._blended_output(X)
