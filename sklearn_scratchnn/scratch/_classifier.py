"""ScratchMLPClassifier: labels in, probabilities out."""

from numbers import Real
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import ClassifierMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import unique_labels

from .._fitting.compat import to_numpy
from .._fitting.docstrings import fill_docstring
from .._fitting.labels import integer_labels
from .._fitting.targets import Labels, class_proba, predicted_labels
from ._base import BaseScratchMLP
from ._docs import NEW_PARAMETERS, SHARED_ATTRIBUTES, SHARED_PARAMETERS


@fill_docstring(
    shared_parameters=SHARED_PARAMETERS,
    new_parameters=NEW_PARAMETERS,
    shared_attributes=SHARED_ATTRIBUTES,
)
class ScratchMLPClassifier(ClassifierMixin, BaseScratchMLP):
    """Multi-layer perceptron classifier written from scratch in NumPy.

    The network of "How to build your own Neural Network from scratch in
    Python", ``y_hat = s(W2 s(W1 x + b1) + b2)``, generalised to any number of
    hidden layers, trained by backpropagation with SGD, Adam or L-BFGS.
    Parameters have the names, meanings and defaults of
    :class:`sklearn.neural_network.MLPClassifier`, except ``activation``,
    which defaults to the article's ``"logistic"``.

    Parameters
    ----------
    {shared_parameters}
    loss : {"log_loss", "squared_error"}, default="log_loss"
        ``"log_loss"`` is the cross-entropy; ``"squared_error"`` is the
        article's sum of squares, normalised as half the mean over samples
        of ``sum_k (p_k - y_k) ** 2``.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, multiplied into ``sample_weight``: ``{label:
        weight}``, or ``"balanced"`` for ``n_samples / (n_classes *
        bincount(y))`` (per label for multilabel y). scikit-learn's
        MLPClassifier has no such parameter. ``partial_fit`` takes a dict
        only, as the class frequencies of all the data are not known there.
    label_smoothing : float in [0, 1), default=0.0
        Fit to the targets ``(1 - label_smoothing) * y + label_smoothing / K``
        instead of the one-hot ``y`` (``K`` classes for a softmax output, 2 for
        each sigmoid output), as PyTorch's ``CrossEntropyLoss(label_smoothing=)``
        does: the network is not pushed towards probabilities of exactly 0 and
        1. The losses reported (``loss_``, ``loss_curve_``) are against the
        smoothed targets. 0 fits the labels as they are, as scikit-learn does.
    {new_parameters}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels (``arange(n_labels)`` for a multilabel indicator y).
    {shared_attributes}

    See Also
    --------
    sklearn.neural_network.MLPClassifier : scikit-learn's own MLP.

    Examples
    --------
    The article's table, learnt as the article learns it (see the docs for
    why ``learning_rate_init=8`` reproduces its plain gradient step):

    >>> import numpy as np
    >>> from sklearn_scratchnn import ScratchMLPClassifier
    >>> X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
    >>> y = np.array([0, 1, 1, 0])
    >>> clf = ScratchMLPClassifier(
    ...     hidden_layer_sizes=4, loss="squared_error", solver="sgd",
    ...     learning_rate_init=8.0, momentum=0.0, alpha=0.0, batch_size=4,
    ...     max_iter=1500, tol=0.0, n_iter_no_change=1500, shuffle=False,
    ...     random_state=0,
    ... ).fit(X, y)
    >>> clf.predict(X)
    array([0, 1, 1, 0])
    >>> bool(np.all(np.abs(clf.predict_proba(X)[:, 1] - y) < 0.05))
    True
    """

    _parameter_constraints: dict = {
        **BaseScratchMLP._parameter_constraints,
        "loss": [StrOptions({"log_loss", "squared_error"})],
        "class_weight": [dict, StrOptions({"balanced"}), None],
        "label_smoothing": [Interval(Real, 0, 1, closed="left")],
    }

    def __init__(
        self,
        hidden_layer_sizes: int | tuple[int, ...] = (100,),
        activation: Literal[
            "logistic", "tanh", "relu", "identity", "selu", "mish", "gelu"
        ] = "logistic",
        *,
        solver: Literal["adam", "sgd", "lbfgs"] = "adam",
        alpha: float = 0.0001,
        batch_size: int | Literal["auto"] = "auto",
        learning_rate: Literal[
            "constant",
            "invscaling",
            "adaptive",
            "cosine",
            "warmup_cosine",
            "coslog4",
            "flat_cos",
        ] = "constant",
        learning_rate_init: float = 0.001,
        power_t: float = 0.5,
        max_iter: int = 200,
        shuffle: bool = True,
        random_state: int | np.random.RandomState | None = None,
        tol: float = 1e-4,
        verbose: bool = False,
        warm_start: bool = False,
        momentum: float = 0.9,
        nesterovs_momentum: bool = True,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        n_iter_no_change: int = 10,
        max_fun: int = 15000,
        loss: Literal["log_loss", "squared_error"] = "log_loss",
        class_weight: dict | Literal["balanced"] | None = None,
        label_smoothing: float = 0.0,
        weight_decay: float = 0.0,
        dropout: float = 0.0,
        dropout_schedule: Literal[
            "constant", "cosine", "warmup_cosine", "coslog4", "flat_cos"
        ] = "constant",
        weight_decay_schedule: Literal[
            "constant", "cosine", "warmup_cosine", "coslog4", "flat_cos"
        ] = "constant",
        learning_rate_factors: dict[str, float] | None = None,
        input_scaling: bool = False,
        periodic_embedding: bool = False,
        parametric_activation: bool = False,
        parametrization: Literal["standard", "ntk"] = "standard",
    ):
        super().__init__(
            hidden_layer_sizes=hidden_layer_sizes,
            activation=activation,
            solver=solver,
            alpha=alpha,
            batch_size=batch_size,
            learning_rate=learning_rate,
            learning_rate_init=learning_rate_init,
            power_t=power_t,
            max_iter=max_iter,
            shuffle=shuffle,
            random_state=random_state,
            tol=tol,
            verbose=verbose,
            warm_start=warm_start,
            momentum=momentum,
            nesterovs_momentum=nesterovs_momentum,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            n_iter_no_change=n_iter_no_change,
            max_fun=max_fun,
            loss=loss,
            weight_decay=weight_decay,
            dropout=dropout,
            dropout_schedule=dropout_schedule,
            weight_decay_schedule=weight_decay_schedule,
            learning_rate_factors=learning_rate_factors,
            input_scaling=input_scaling,
            periodic_embedding=periodic_embedding,
            parametric_activation=parametric_activation,
            parametrization=parametrization,
        )
        self.class_weight = class_weight
        self.label_smoothing = label_smoothing

    # -- targets -------------------------------------------------------------

    def _new_targets(self, first_pass):
        """The fit's :class:`Labels`: new, or continuing the fitted classes."""
        return Labels(
            self._name(),
            self.label_smoothing,
            self.class_weight,
            binarizer=None if first_pass else self._label_binarizer,
        )

    # -- public API ----------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None):
        """Train the network on ``X`` and labels ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a multilabel indicator matrix.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights; the loss is the weighted mean over samples.
            Multiplied by the class weights when ``class_weight`` is set.

        Returns
        -------
        self : ScratchMLPClassifier
            The fitted estimator.

        Examples
        --------
        >>> from sklearn.datasets import make_classification
        >>> from sklearn_scratchnn import ScratchMLPClassifier
        >>> X, y = make_classification(random_state=0)
        >>> clf = ScratchMLPClassifier(solver="lbfgs", random_state=0).fit(X, y)
        >>> clf.n_layers_, clf.n_outputs_, clf.out_activation_
        (3, 1, 'logistic')
        """
        return self._fit(X, y, sample_weight)

    @available_if(lambda est: est._check_solver())
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        sample_weight: ArrayLike | None = None,
        classes: ArrayLike | None = None,
    ):
        """Train for one epoch on ``X, y``, continuing from the current weights.

        Only for ``solver="sgd"`` or ``"adam"``. The optimizer's state (Adam's
        moments, momentum) carries over from call to call, so feeding the data
        chunk by chunk trains as one long run would. ``early_stopping`` does
        not apply: every row given is trained on.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a multilabel indicator matrix.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights.
        classes : array-like of shape (n_classes,), default=None
            Every class of the whole data set: required on the first call
            (``y`` need not contain them all), optional later.

        Returns
        -------
        self : ScratchMLPClassifier
            The updated estimator.

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn_scratchnn import ScratchMLPClassifier
        >>> X = np.array([[0.0, 1.0], [1.0, 0.0], [0.5, 0.5], [1.0, 1.0]])
        >>> clf = ScratchMLPClassifier(random_state=0)
        >>> for _ in range(3):
        ...     clf = clf.partial_fit(X[:2], [0, 1], classes=[0, 1, 2])
        ...     clf = clf.partial_fit(X[2:], [2, 1])
        >>> clf.classes_, len(clf.loss_curve_)
        (array([0, 1, 2]), 6)
        """
        if classes is not None:
            classes = integer_labels(np.asarray(to_numpy(classes)))
        if not self._is_fitted() and classes is None:
            raise ValueError("classes must be passed on the first call to partial_fit.")
        if self._is_fitted() and classes is not None:
            fitted = self._label_binarizer.classes_
            if not np.array_equal(fitted, unique_labels(classes)):
                raise ValueError(
                    f"`classes={classes!r}` is not the same as on last call to "
                    f"partial_fit, was: {fitted!r}"
                )
        return self._fit(X, y, sample_weight, incremental=True, classes=classes)

    def decision_function(self, X: ArrayLike) -> np.ndarray:
        """Output layer's pre-activation ``z`` (the logits).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        z : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            For a binary problem, ``z > 0`` predicts ``classes_[1]``.

        Examples
        --------
        >>> from sklearn.datasets import make_classification
        >>> from sklearn_scratchnn import ScratchMLPClassifier
        >>> X, y = make_classification(random_state=0)
        >>> clf = ScratchMLPClassifier(solver="lbfgs", random_state=0).fit(X, y)
        >>> clf.decision_function(X[:3]).shape
        (3,)
        """
        z, _, xp = self._forward(X, "decision_function")
        return xp.reshape(z, (-1,)) if z.shape[1] == 1 else z

    def predict_proba(self, X: ArrayLike) -> np.ndarray:
        """Probability of each class (each label, for multilabel y).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns follow ``classes_``; rows sum to 1 except for multilabel
            problems, whose labels are independent.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from sklearn_scratchnn import ScratchMLPClassifier
        >>> X, y = load_iris(return_X_y=True)
        >>> clf = ScratchMLPClassifier(solver="lbfgs", random_state=0).fit(X, y)
        >>> proba = clf.predict_proba(X[:2])
        >>> proba.shape, bool(abs(proba.sum(axis=1) - 1).max() < 1e-12)
        ((2, 3), True)
        """
        z, out, xp = self._forward(X, "predict_proba")
        return class_proba(z, out, xp)

    def predict_log_proba(self, X: ArrayLike) -> np.ndarray:
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Exactly ``log(predict_proba(X))``: ``-inf`` where a probability
            underflows to 0 (never NaN, and no RuntimeWarning).

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from sklearn_scratchnn import ScratchMLPClassifier
        >>> X, y = load_iris(return_X_y=True)
        >>> clf = ScratchMLPClassifier(solver="lbfgs", random_state=0).fit(X, y)
        >>> clf.predict_log_proba(X[:2]).shape
        (2, 3)
        """
        z, out, xp = self._forward(X, "predict_log_proba")
        with xp.errstate(divide="ignore"):  # log(0) = -inf is the answer there
            return xp.log(class_proba(z, out, xp))

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Predicted class labels (an indicator matrix for multilabel y).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_labels)
            ``classes_[argmax(predict_proba(X))]`` for binary and multiclass
            problems; ``predict_proba(X) > 0.5`` per label for multilabel.

        Examples
        --------
        >>> from sklearn_scratchnn import ScratchMLPClassifier
        >>> X = [[0, 0], [0, 1], [1, 0], [1, 1]] * 5
        >>> y = ["no", "yes", "yes", "yes"] * 5
        >>> clf = ScratchMLPClassifier(solver="lbfgs", random_state=0).fit(X, y)
        >>> clf.predict([[0, 0], [1, 1]])
        array(['no', 'yes'], dtype='<U3')
        """
        z, out, xp = self._forward(X, "predict")
        # numeric classes_ live on the device of a model fitted there
        classes = None if xp.is_numpy else self.classes_
        return predicted_labels(
            class_proba(z, out, xp), self._label_binarizer, xp, classes
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags
