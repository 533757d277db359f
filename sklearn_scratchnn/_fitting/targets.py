"""What a network learns from the target, and how it is scored, for both
families: a classifier's labels as one-hot targets (smoothed, weighted by
class) scored by accuracy, a regressor's values as one column per target
scored by R^2.

An estimator makes one of these objects for a fit (:class:`Labels` or
:class:`Values`); the fit reads the loss and output activation from it, has
it encode the targets and weigh the rows, and scores validation outputs with
it. Targets are encoded on the host, whatever the namespace of ``X``.
"""

import numpy as np
from scipy.special import expit
from sklearn.metrics import accuracy_score, r2_score
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.multiclass import (
    check_classification_targets,
    type_of_target,
    unique_labels,
)

from ..nn.activations import logistic
from ..nn.arrays import NUMPY
from ..nn.losses import smooth_labels
from .class_weights import check_weighted_classes, class_sample_weight
from .labels import integer_labels, one_hot


def class_proba(z, out, xp=NUMPY):
    """Class probabilities of the output layer: ``[1 - p, p]`` for one
    logistic output, the outputs as they are otherwise.

    ``1 - p`` is computed as ``sigma(-z)``: the subtraction would round a
    small probability to 0 long before ``sigma(-z)`` underflows, which would
    make ``log(proba)`` -inf where it is finite.
    """
    if out.shape[1] != 1:
        return out
    if xp.is_numpy:
        return np.hstack([expit(-z), out])
    negative = -z
    logistic(negative, xp)
    return xp.concat([negative, out], axis=1)


def predicted_labels(proba, binarizer, xp=NUMPY, classes=None):
    """The labels of class probabilities: ``classes[argmax]``, or each label
    above 0.5 for a multilabel target.

    ``classes`` defaults to the binarizer's; an estimator fitted on a device
    passes its numeric ``classes_`` there, so the labels stay on it.
    """
    if binarizer.y_type_ == "multilabel-indicator":
        return xp.astype(proba > 0.5, xp.int64)
    indices = xp.argmax(proba, axis=1)
    classes = binarizer.classes_ if classes is None else classes
    if isinstance(classes, np.ndarray):
        return classes[xp.to_numpy(indices)]
    return xp.take(classes, indices, axis=0)


def in_dtype(sample_weight, dtype):
    """Checked weights (or None) in the network's dtype."""
    return None if sample_weight is None else sample_weight.astype(dtype)


class Labels:
    """Classification targets: labels in, one-hot (or indicator) targets out.

    Parameters
    ----------
    estimator_name : str
        Named in the error for a single class.
    label_smoothing : float
        Of the targets the loss is fitted to (:meth:`smooth`).
    class_weight : dict, "balanced" or None
        Multiplied into the sample weights (:meth:`weights`).
    binarizer : LabelBinarizer, optional
        The classes of an earlier fit, for a fit that continues it; else
        :meth:`fit` learns them.
    """

    loss = "log_loss"

    def __init__(
        self, estimator_name, label_smoothing=0.0, class_weight=None, binarizer=None
    ):
        self.estimator_name = estimator_name
        self.label_smoothing = label_smoothing
        self.class_weight = class_weight
        self.binarizer = binarizer
        self.class_counts = None

    def prepare(self, y):
        """Labels as given, integer labels in an object array read as ints."""
        return integer_labels(y)

    def fit(self, y, classes=None, same_classes=False):
        """Labels as :meth:`prepare` reads them, the classes learnt from them
        (or from ``classes``, ``partial_fit``'s every class, seen or not).

        Labels that continue an earlier fit (``binarizer`` given) are checked
        against its classes instead: none new, and with ``same_classes``
        (``warm_start``) all of them.
        """
        y = self.prepare(y)
        check_classification_targets(y)
        if self.binarizer is not None:
            self._check_known(y, same_classes)
            return y
        if classes is not None and not type_of_target(y).startswith("multilabel"):
            binarizer = LabelBinarizer().fit(classes)
        else:
            binarizer = LabelBinarizer().fit(y)
        if len(binarizer.classes_) < 2:
            raise ValueError(
                f"{self.estimator_name} needs samples of at least 2 classes in "
                "the data, but the data contains only one class: "
                f"{binarizer.classes_.tolist()[0]!r}."
            )
        self.binarizer = binarizer
        return y

    def _check_known(self, y, same_classes):
        seen = unique_labels(y)
        classes = self.binarizer.classes_
        if same_classes and set(seen) != set(classes):
            raise ValueError(
                "warm_start can only be used where `y` has the same classes as in "
                f"the previous call to fit. Previously got {classes}, `y` "
                f"has {seen}."
            )
        if len(np.setdiff1d(seen, classes, assume_unique=True)):
            raise ValueError(
                f"`y` has classes not in `self.classes_`. `self.classes_` has "
                f"{classes}. 'y' has {seen}."
            )

    @property
    def output_activation(self):
        return "softmax" if self.binarizer.y_type_ == "multiclass" else "logistic"

    def encode(self, y, dtype, known=True):
        """The one-hot targets of labels ``y`` in ``dtype``; ``known=False``
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
        return one_hot(y, binarizer, dtype)

    def smooth(self, Y):
        """The targets the loss is fitted to: ``Y`` smoothed."""
        # softmax: K classes share each row; sigmoid outputs: 2 per column
        n_classes = Y.shape[1] if self.output_activation == "softmax" else 2
        return smooth_labels(Y, self.label_smoothing, n_classes)

    def weights(self, sample_weight, Y, dtype, previous_counts=None):
        """``sample_weight`` (checked by the estimator) in ``dtype``, times
        the class weights; a "balanced" weighting's counts are kept in
        ``class_counts``, to add ``partial_fit``'s next batch to
        (``previous_counts``)."""
        sample_weight = in_dtype(sample_weight, dtype)
        if self.class_weight is not None:
            weights, self.class_counts = class_sample_weight(
                self.class_weight, Y, sample_weight, self.binarizer, previous_counts
            )
            weights = weights.astype(dtype)
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

    def attributes(self):
        """The fitted attributes prediction needs (and the class counts)."""
        attributes = {
            "classes_": self.binarizer.classes_,
            "_label_binarizer": self.binarizer,
        }
        if self.class_counts is not None:
            attributes["_class_counts"] = self.class_counts
        return attributes

    def score(self, z, out, y, sample_weight):
        """Accuracy of the labels the output gives."""
        labels = predicted_labels(class_proba(z, out), self.binarizer)
        return accuracy_score(y, labels, sample_weight=sample_weight)


class Values:
    """Regression targets: values as one column per target, scored by R^2.

    Parameters
    ----------
    loss : {"squared_error", "poisson"}
        The loss; Poisson's outputs go through ``exp`` and its targets must
        not be negative.
    """

    def __init__(self, loss="squared_error"):
        self.loss = loss

    @property
    def output_activation(self):
        return "exp" if self.loss == "poisson" else "identity"

    def prepare(self, y):
        return y

    def fit(self, y, classes=None, same_classes=False):
        if self.loss == "poisson" and np.any(y < 0):
            raise ValueError(
                "Some value(s) of y are negative which is not allowed for Poisson "
                "regression. Use loss='squared_error' or shift the target."
            )
        return y

    def encode(self, y, dtype, known=True):
        return y.reshape(len(y), -1).astype(dtype)

    def smooth(self, Y):
        return Y

    def weights(self, sample_weight, Y, dtype, previous_counts=None):
        return in_dtype(sample_weight, dtype)

    def strata(self, y):
        return None

    def attributes(self):
        return {}

    def score(self, z, out, y, sample_weight):
        predicted = out[:, 0] if out.shape[1] == 1 else out
        return r2_score(y, predicted, sample_weight=sample_weight)
