"""What a tabular model's network learns from the target, and how it is
scored: the classifier's labels as one-hot targets (smoothed, weighted by
class) scored by accuracy, the regressor's standardised values by R^2.

Each is a small object the estimator makes for one fit; the networks it
trains (in this process or in joblib's workers) share it.
"""

import numpy as np
from scipy.special import expit
from sklearn.metrics import accuracy_score, r2_score
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.multiclass import check_classification_targets

from .._fitting.class_weights import check_weighted_classes, class_sample_weight
from .._fitting.labels import integer_labels, one_hot
from ..nn.losses import smooth_labels


def class_proba(z, out):
    """Class probabilities of the output layer (``[1 - p, p]`` for one
    logistic output, ``1 - p`` as ``sigma(-z)``: the subtraction would round
    a small probability to 0)."""
    if out.shape[1] == 1:
        return np.hstack([expit(-z), out])
    return out


class Labels:
    """Classification targets: labels in, one-hot (or indicator) targets out.

    ``fit`` learns the classes (``binarizer``); ``encode`` turns labels into
    the network's targets in a dtype; ``weights`` multiplies the class
    weights into the sample weights; ``score`` is the accuracy of a forward
    pass's labels.
    """

    loss = "log_loss"

    def __init__(self, estimator_name, label_smoothing, class_weight):
        self.estimator_name = estimator_name
        self.label_smoothing = label_smoothing
        self.class_weight = class_weight
        self.binarizer = None

    def prepare(self, y):
        """Labels as given, integer labels in an object array read as ints."""
        return integer_labels(y)

    def fit(self, y):
        """Labels as :meth:`prepare` reads them, the classes learnt from them."""
        y = self.prepare(y)
        check_classification_targets(y)
        binarizer = LabelBinarizer().fit(y)
        if len(binarizer.classes_) < 2:
            raise ValueError(
                f"{self.estimator_name} needs samples of at least 2 classes in "
                "the data, but the data contains only one class: "
                f"{binarizer.classes_.tolist()[0]!r}."
            )
        self.binarizer = binarizer
        return y

    @property
    def output_activation(self):
        return "softmax" if self.binarizer.y_type_ == "multiclass" else "logistic"

    def encode(self, y, dtype, known=True):
        """The network's targets of labels ``y``, smoothed; ``known=False``
        checks first that the labels are among the classes (a validation
        set's)."""
        binarizer = self.binarizer
        if not known and binarizer.y_type_ != "multilabel-indicator":
            unknown = np.setdiff1d(np.unique(y), binarizer.classes_)
            if unknown.size:
                raise ValueError(
                    f"y_val has label(s) {unknown.tolist()} that y does not; "
                    "validate on labels the model is trained on."
                )
        Y = one_hot(y, binarizer, dtype)
        # softmax: K classes share each row; sigmoid outputs: 2 per column
        n_classes = Y.shape[1] if self.output_activation == "softmax" else 2
        return Y, smooth_labels(Y, self.label_smoothing, n_classes)

    def weights(self, sample_weight, Y, X):
        """``sample_weight`` (checked by the estimator) in X's dtype, times
        the class weights."""
        sample_weight = in_dtype(sample_weight, X.dtype)
        if self.class_weight is not None:
            weights, _ = class_sample_weight(
                self.class_weight, Y, sample_weight, self.binarizer, None
            )
            weights = weights.astype(X.dtype)
            sample_weight = (
                weights if sample_weight is None else sample_weight * weights
            )
        if sample_weight is not None:
            check_weighted_classes(Y, sample_weight, self.binarizer)
        return sample_weight

    def strata(self, y):
        """What the validation split stratifies by: the labels (not for
        multilabel targets)."""
        return None if self.binarizer.y_type_.startswith("multilabel") else y

    def labels(self, proba):
        if self.binarizer.y_type_ == "multilabel-indicator":
            return (proba > 0.5).astype(np.int64)
        return self.binarizer.classes_[np.argmax(proba, axis=1)]

    def score(self, z, out, y, sample_weight):
        """Accuracy of the labels the output gives."""
        labels = self.labels(class_proba(z, out))
        return accuracy_score(y, labels, sample_weight=sample_weight)


class Values:
    """Regression targets (standardised by the estimator): values as one
    column per target, scored by R^2."""

    loss = "squared_error"
    output_activation = "identity"

    def prepare(self, y):
        return y

    def fit(self, y):
        return y

    def encode(self, y, dtype, known=True):
        Y = y.reshape(len(y), -1).astype(dtype)
        return Y, Y

    def weights(self, sample_weight, Y, X):
        return in_dtype(sample_weight, X.dtype)

    def strata(self, y):
        return None

    def score(self, z, out, y, sample_weight):
        predicted = out[:, 0] if out.shape[1] == 1 else out
        return r2_score(y, predicted, sample_weight=sample_weight)


def in_dtype(sample_weight, dtype):
    """Checked weights (or None) in the network's dtype."""
    return None if sample_weight is None else sample_weight.astype(dtype)


def standardisation(y, sample_weight):
    """The (weighted) mean and spread of each target, ``(mean, scale)``.

    Where the squares of the deviations overflow (values past about 1e154),
    computed again on ``y`` divided by its largest magnitude, so that a
    target as large as 1e200 is standardised too; a spread that float64
    cannot hold (values near 1e308) is a ValueError saying what to do, never
    a model that predicts NaN.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        mean, spread = _mean_and_spread(y, sample_weight)
        if not (np.isfinite(mean).all() and np.isfinite(spread).all()):
            magnitude = np.max(np.abs(y), axis=0)
            unit = np.where(magnitude > 0, magnitude, 1.0)
            mean, spread = _mean_and_spread(y / unit, sample_weight)
            mean, spread = mean * unit, spread * unit
        scale = np.where(spread > 0, spread, 1.0)
        standardised = (y - mean) / scale
    if not (np.isfinite(scale).all() and np.isfinite(standardised).all()):
        raise ValueError(
            "y holds values too large for float64 arithmetic (largest "
            f"magnitude {float(np.max(np.abs(y))):.3g}): their spread "
            "overflows. Divide the target by a power of ten (e.g. 1e300) "
            "before fitting, and multiply the predictions back."
        )
    return mean, scale


def _mean_and_spread(y, sample_weight):
    mean = np.average(y, axis=0, weights=sample_weight)
    spread = np.sqrt(np.average((y - mean) ** 2, axis=0, weights=sample_weight))
    return mean, spread
