"""Class weights of the classifier: per-row weights from ``class_weight``.

``class_weight`` multiplies into ``sample_weight``: a dict gives each class its
weight; ``"balanced"`` gives class c the weight ``total / (n_classes * n_c)``
with ``n_c`` the class's *weighted* count, as scikit-learn's
``compute_class_weight`` does with ``sample_weight`` (per label, for multilabel
targets). Under ``partial_fit`` the counts run over every call so far.
"""

import numpy as np
from sklearn.utils.class_weight import compute_class_weight


def class_sample_weight(class_weight, Y, sample_weight, binarizer, previous_counts):
    """Per-row weight of its class (the product over labels, for multilabel).

    Returns ``(weights, counts)``: ``counts`` are the weighted class counts to
    keep for the next ``partial_fit`` ("balanced"), or None (a dict).
    """
    w = np.ones(len(Y)) if sample_weight is None else sample_weight
    if binarizer.y_type_ == "multilabel-indicator":
        if class_weight != "balanced":
            raise ValueError(
                "class_weight as a dict is not defined for multilabel y (each "
                "label is its own binary problem); use class_weight='balanced'."
            )
        # weighted counts of 0s (row 0) and 1s (row 1) of every label
        counts = np.stack([w @ (1 - Y), w @ Y]).astype(float)
        codes = Y.astype(int)
    else:
        codes = Y[:, 0].astype(int) if Y.shape[1] == 1 else Y.argmax(axis=1)
        if isinstance(class_weight, dict):
            per_class = compute_class_weight(
                class_weight, classes=binarizer.classes_, y=binarizer.classes_
            )
            return per_class[codes], None
        counts = np.bincount(codes, weights=w, minlength=len(binarizer.classes_))
        counts = counts.astype(float)[:, np.newaxis]
        codes = codes[:, np.newaxis]
    if previous_counts is not None:
        counts = counts + previous_counts
    present = counts > 0
    per_class = np.zeros_like(counts)
    np.divide(
        counts.sum(axis=0) / present.sum(axis=0),
        counts,
        out=per_class,
        where=present,
    )
    # row i, label k weighs per_class[codes[i, k], k]
    return per_class[codes, np.arange(codes.shape[1])].prod(axis=1), counts


def check_weighted_classes(Y, sample_weight, binarizer):
    """Weights that leave something to learn: a positive total, two classes."""
    if not sample_weight.sum() > 0:
        raise ValueError(
            "The sample weights (times class weights) sum to zero: there is "
            "nothing to learn from. Give some samples a positive weight."
        )
    if binarizer.y_type_ == "multilabel-indicator":
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
