"""Shipping a model as ONNX, checked with onnxruntime (saving: test_persistence)."""

import numpy as np
import pytest
from helpers import fit_quietly
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import (
    make_classification,
    make_multilabel_classification,
    make_regression,
)

from sklearn_scratchnn import ScratchMLPClassifier, ScratchMLPRegressor

SKLEARN_ACTIVATIONS = ["logistic", "tanh", "relu", "identity"]


@pytest.fixture(scope="module")
def classification():
    X, y = make_classification(
        n_samples=200, n_features=6, n_informative=4, n_classes=3, random_state=0
    )
    return X.astype(np.float32), y


# -- ONNX --------------------------------------------------------------------------


def _onnx_run(model, X, **options):
    pytest.importorskip("skl2onnx")
    rt = pytest.importorskip("onnxruntime")
    from skl2onnx import to_onnx

    import sklearn_scratchnn.onnx  # noqa: F401  (registers the converters)

    onx = to_onnx(model, X[:1], **options)
    session = rt.InferenceSession(
        onx.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    return session.run(None, {session.get_inputs()[0].name: X})


@pytest.mark.parametrize("activation", [*SKLEARN_ACTIVATIONS, "selu", "mish", "gelu"])
@pytest.mark.parametrize("target", ["binary", "multiclass", "strings", "multilabel"])
def test_onnx_classifier_matches_predict_proba(classification, activation, target):
    X, y = classification
    if target == "binary":
        y = y % 2
    elif target == "strings":
        y = np.array(["ant", "bee", "cat"])[y]
    elif target == "multilabel":
        X, y = make_multilabel_classification(
            n_samples=200, n_classes=4, random_state=0
        )
        X = X.astype(np.float32)
    clf = fit_quietly(
        ScratchMLPClassifier(
            hidden_layer_sizes=(7, 5),
            activation=activation,
            max_iter=30,
            random_state=0,
        ),
        X,
        y,
    )
    labels, proba = _onnx_run(clf, X, options={"zipmap": False})
    assert_allclose(proba, clf.predict_proba(X), atol=1e-5)
    assert_array_equal(labels, clf.predict(X))


def test_onnx_default_options_work(classification):
    X, y = classification
    clf = fit_quietly(ScratchMLPClassifier(max_iter=10, random_state=0), X, y)
    labels, proba = _onnx_run(clf, X)  # skl2onnx.to_onnx(est, X[:1]) as is
    assert_array_equal(labels, clf.predict(X))
    as_array = np.array([[row[c] for c in clf.classes_] for row in proba])
    assert_allclose(as_array, clf.predict_proba(X), atol=1e-5)


@pytest.mark.parametrize("activation", [*SKLEARN_ACTIVATIONS, "selu", "mish", "gelu"])
@pytest.mark.parametrize("n_targets", [1, 2])
def test_onnx_regressor_matches_predict(activation, n_targets):
    X, y = make_regression(
        n_samples=150, n_features=5, n_targets=n_targets, random_state=0
    )
    X, y = X.astype(np.float32), y / y.std()
    reg = fit_quietly(
        ScratchMLPRegressor(activation=activation, max_iter=30, random_state=0), X, y
    )
    (out,) = _onnx_run(reg, X)
    assert_allclose(
        out.reshape(reg.predict(X).shape), reg.predict(X), rtol=1e-5, atol=1e-5
    )


def test_onnx_poisson_regressor():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(150, 4)).astype(np.float32)
    y = rng.poisson(np.exp(X[:, 0]))
    reg = fit_quietly(
        ScratchMLPRegressor(loss="poisson", max_iter=30, random_state=0), X, y
    )
    (out,) = _onnx_run(reg, X)
    assert_allclose(out.ravel(), reg.predict(X), rtol=1e-5)


def test_onnx_covers_ntk_scaling_and_parametric_activations(classification):
    X, y = classification
    clf = fit_quietly(
        ScratchMLPClassifier(
            hidden_layer_sizes=(7, 5), activation="selu", max_iter=30,
            random_state=0, input_scaling=True, parametric_activation=True,
            parametrization="ntk", learning_rate_init=0.01,
        ),
        X, y,
    )  # fmt: skip
    labels, proba = _onnx_run(clf, X, options={"zipmap": False})
    assert_allclose(proba, clf.predict_proba(X), rtol=1e-4, atol=1e-5)
    assert_array_equal(labels, clf.predict(X))


@pytest.mark.parametrize("activation", ["selu", "mish"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_onnx_covers_the_periodic_embedding(classification, activation, dtype):
    X, y = classification
    clf = fit_quietly(
        ScratchMLPClassifier(
            hidden_layer_sizes=(7,), activation=activation, max_iter=5,
            random_state=0, periodic_embedding=True,
        ),
        X.astype(dtype), y,
    )  # fmt: skip
    labels, proba = _onnx_run(clf, X.astype(dtype), options={"zipmap": False})
    assert proba.dtype == dtype  # the graph computes in its input's precision
    assert_allclose(proba, clf.predict_proba(X.astype(dtype)), rtol=1e-4, atol=1e-5)
    assert_array_equal(labels, clf.predict(X.astype(dtype)))
