"""class_weight: what scikit-learn's MLPClassifier does not have."""

import numpy as np
import pytest
from helpers import fit_quietly
from numpy.testing import assert_allclose
from sklearn.datasets import make_classification
from sklearn.metrics import balanced_accuracy_score, recall_score
from sklearn.model_selection import train_test_split
from sklearn.utils.class_weight import compute_sample_weight

from sklearn_scratchnn import ScratchMLPClassifier


@pytest.fixture(scope="module")
def imbalanced():
    X, y = make_classification(
        n_samples=2000,
        n_features=10,
        weights=[0.95, 0.05],
        flip_y=0.0,
        class_sep=0.5,
        random_state=0,
    )
    return train_test_split(X, y, test_size=0.5, stratify=y, random_state=0)


def test_balanced_raises_minority_recall(imbalanced):
    X_train, X_test, y_train, y_test = imbalanced
    params = dict(hidden_layer_sizes=(20,), max_iter=50, random_state=0)
    plain = fit_quietly(ScratchMLPClassifier(**params), X_train, y_train)
    balanced = fit_quietly(
        ScratchMLPClassifier(class_weight="balanced", **params), X_train, y_train
    )
    recall_plain = recall_score(y_test, plain.predict(X_test))
    recall_balanced = recall_score(y_test, balanced.predict(X_test))
    assert recall_balanced > recall_plain + 0.5, (recall_plain, recall_balanced)
    assert balanced_accuracy_score(
        y_test, balanced.predict(X_test)
    ) > balanced_accuracy_score(y_test, plain.predict(X_test))


def test_balanced_is_sklearns_balanced_sample_weight(imbalanced):
    X, _, y, _ = imbalanced
    params = dict(solver="lbfgs", max_iter=30, random_state=0)
    by_class = fit_quietly(
        ScratchMLPClassifier(class_weight="balanced", **params), X, y
    )
    by_sample = fit_quietly(
        ScratchMLPClassifier(**params),
        X,
        y,
        sample_weight=compute_sample_weight("balanced", y),
    )
    assert_allclose(by_class._params, by_sample._params, rtol=1e-10)


def test_dict_multiplies_sample_weight(imbalanced):
    X, _, y, _ = imbalanced
    sw = np.random.RandomState(0).uniform(0.5, 2.0, size=len(y))
    params = dict(solver="lbfgs", max_iter=30, random_state=0)
    by_class = fit_quietly(
        ScratchMLPClassifier(class_weight={0: 1.0, 1: 7.0}, **params),
        X,
        y,
        sample_weight=sw,
    )
    by_sample = fit_quietly(
        ScratchMLPClassifier(**params),
        X,
        y,
        sample_weight=sw * np.where(y == 1, 7.0, 1.0),
    )
    assert_allclose(by_class._params, by_sample._params, rtol=1e-10)


def test_unknown_class_in_dict_is_an_error(imbalanced):
    X, _, y, _ = imbalanced
    with pytest.raises(ValueError, match=r"classes, \[1\], are not in class_weight"):
        ScratchMLPClassifier(class_weight={0: 1.0, 5: 2.0}).fit(X, y)


def test_partial_fit_balances_by_everything_seen_so_far(imbalanced):
    X, _, y, _ = imbalanced
    clf = ScratchMLPClassifier(class_weight="balanced")
    clf.partial_fit(X[:500], y[:500], classes=[0, 1])
    clf.partial_fit(X[500:], y[500:])
    assert_allclose(clf._class_counts[:, 0], np.bincount(y))
