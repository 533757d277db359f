"""ScratchMLPClassifier: labels in, probabilities out."""

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import expit
from sklearn.base import ClassifierMixin, _fit_context
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d

from ._activations import log_logistic, log_softmax
from ._base import BaseScratchMLP


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
    hidden_layer_sizes : int or array-like of int, default=(100,)
        Units in each hidden layer; ``(7, 5)`` is two hidden layers.
    activation : {"logistic", "tanh", "relu", "identity"}, default="logistic"
        Hidden activation: the sigmoid ``1 / (1 + exp(-z))``, ``tanh(z)``,
        ``max(z, 0)`` or ``z``.
    solver : {"adam", "sgd", "lbfgs"}, default="adam"
        ``"sgd"``: mini-batch gradient descent with (Nesterov) momentum;
        ``"adam"``: Adam; ``"lbfgs"``: full-batch L-BFGS-B from
        :func:`scipy.optimize.minimize` on the flat parameter vector.
    alpha : float, default=0.0001
        Strength of the L2 penalty ``alpha / (2 * sum(sample_weight)) *
        sum(W ** 2)`` on the weights (not the biases).
    batch_size : int or "auto", default="auto"
        Rows per mini-batch for sgd and adam; ``"auto"`` is
        ``min(200, n_samples)``. Ignored by lbfgs, which uses every row.
    learning_rate_init : float, default=0.001
        Step size of sgd and adam.
    max_iter : int, default=200
        Epochs for sgd and adam (passes over the data); iterations for lbfgs.
    shuffle : bool, default=True
        Whether sgd and adam shuffle the rows before each epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights and the shuffling. The same integer gives
        bit-identical parameters.
    tol : float, default=1e-4
        sgd/adam stop once the training loss has not improved by at least
        ``tol`` for ``n_iter_no_change`` consecutive epochs; lbfgs stops once
        the largest gradient entry is below ``tol``.
    verbose : bool, default=False
        Print the loss after each epoch (iteration for lbfgs).
    momentum : float, default=0.9
        Momentum of sgd, in [0, 1].
    nesterovs_momentum : bool, default=True
        Whether sgd uses Nesterov's momentum.
    beta_1 : float, default=0.9
        Decay of Adam's first-moment estimate, in [0, 1).
    beta_2 : float, default=0.999
        Decay of Adam's second-moment estimate, in [0, 1).
    epsilon : float, default=1e-8
        Adam's numerical-stability constant.
    n_iter_no_change : int, default=10
        Epochs without ``tol`` improvement before sgd/adam stop.
    max_fun : int, default=15000
        Most loss evaluations lbfgs may make.
    loss : {"log_loss", "squared_error"}, default="log_loss"
        ``"log_loss"`` is the cross-entropy; ``"squared_error"`` is the
        article's sum of squares, normalised as half the mean over samples
        of ``sum_k (p_k - y_k) ** 2``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels (``arange(n_labels)`` for a multilabel indicator y).
    coefs_ : list of ndarray
        ``coefs_[i]`` is the ``(fan_in, fan_out)`` weight matrix of layer
        ``i``: a view of the flat parameter vector, so writing into it
        changes the model.
    intercepts_ : list of ndarray
        Bias vectors, views like ``coefs_``.
    loss_ : float
        Training loss (with the L2 penalty) after the last epoch/iteration.
    loss_curve_ : list of float
        Training loss after each epoch (each iteration for lbfgs).
    best_loss_ : float or None
        Lowest loss seen by sgd/adam; None for lbfgs.
    n_iter_ : int
        Epochs (sgd, adam) or iterations (lbfgs) run.
    t_ : int
        Training samples seen by the optimizer (sgd, adam).
    n_layers_ : int
        Layers, input and output included.
    n_outputs_ : int
        Output units: 1 for binary, one per class or label otherwise.
    out_activation_ : str
        ``"logistic"`` (binary, multilabel) or ``"softmax"`` (multiclass).
    n_features_in_ : int
        Number of features seen in fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names seen in fit, when X had string column names.

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
    }

    def __init__(
        self,
        hidden_layer_sizes: int | tuple[int, ...] = (100,),
        activation: Literal["logistic", "tanh", "relu", "identity"] = "logistic",
        *,
        solver: Literal["adam", "sgd", "lbfgs"] = "adam",
        alpha: float = 0.0001,
        batch_size: int | Literal["auto"] = "auto",
        learning_rate_init: float = 0.001,
        max_iter: int = 200,
        shuffle: bool = True,
        random_state: int | np.random.RandomState | None = None,
        tol: float = 1e-4,
        verbose: bool = False,
        momentum: float = 0.9,
        nesterovs_momentum: bool = True,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        n_iter_no_change: int = 10,
        max_fun: int = 15000,
        loss: Literal["log_loss", "squared_error"] = "log_loss",
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.loss = loss

    # -- targets ----------------------------------------------------------------

    def _encode_targets(self, y, dtype):
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        binarizer = LabelBinarizer().fit(y)
        if len(binarizer.classes_) < 2:
            raise ValueError(
                f"{type(self).__name__} needs samples of at least 2 classes in "
                "the data, but the data contains only one class: "
                f"{binarizer.classes_.tolist()[0]!r}."
            )
        self._label_binarizer = binarizer
        self.classes_ = binarizer.classes_
        return binarizer.transform(y).astype(dtype)

    def _check_weighted_targets(self, Y, sample_weight):
        if (
            sample_weight is None
            or self._label_binarizer.y_type_ == "multilabel-indicator"
        ):
            return
        positive = sample_weight > 0
        if Y.shape[1] == 1:
            n_weighted_classes = len(np.unique(Y[positive, 0]))
        else:
            n_weighted_classes = int(np.count_nonzero(Y[positive].any(axis=0)))
        if n_weighted_classes < 2:
            raise ValueError(
                "Only one class has a non-zero sample_weight; a classifier needs "
                "samples of at least 2 classes with positive weight."
            )

    def _output_activation(self, Y):
        if self._label_binarizer.y_type_ == "multiclass":
            return "softmax"
        return "logistic"

    # -- public API -------------------------------------------------------------

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
        z, _ = self._forward(X)
        return z.ravel() if z.shape[1] == 1 else z

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
        z, out = self._forward(X)
        return self._proba(z, out)

    def _proba(self, z, out):
        if out.shape[1] == 1:
            # sigma(-z) rather than 1 - sigma(z): the subtraction rounds to 0
            # long before sigma(-z) underflows, which would make log(proba)
            # -inf where predict_log_proba is finite.
            return np.hstack([expit(-z), out])
        return out

    def predict_log_proba(self, X: ArrayLike) -> np.ndarray:
        """Logarithm of :meth:`predict_proba`, computed stably from the logits.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Finite even where a probability rounds to 0.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from sklearn_scratchnn import ScratchMLPClassifier
        >>> X, y = load_iris(return_X_y=True)
        >>> clf = ScratchMLPClassifier(solver="lbfgs", random_state=0).fit(X, y)
        >>> clf.predict_log_proba(X[:2]).shape
        (2, 3)
        """
        z, _ = self._forward(X)
        if self.out_activation_ == "softmax":
            return log_softmax(z)
        if z.shape[1] == 1:  # log(1 - sigma(z)) = log sigma(-z)
            return log_logistic(np.hstack([-z, z]))
        return log_logistic(z)

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
        z, out = self._forward(X)
        if self._label_binarizer.y_type_ == "multilabel-indicator":
            return (out > 0.5).astype(int)
        return self.classes_[np.argmax(self._proba(z, out), axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags
