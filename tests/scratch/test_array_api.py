"""The same estimators on other array namespaces: array-api-strict, PyTorch, CuPy.

With scikit-learn's ``array_api_dispatch`` on, fit and predict compute in the
namespace and on the device of ``X``. The same ``random_state`` must give the
same network as on NumPy (to 1e-12 in float64): initial weights and shuffling
are drawn by NumPy on the host in every case. PyTorch and CuPy are not in the
``test`` extra; their tests skip when the package or the device is missing.
"""

import pickle

import numpy as np
import pytest
from helpers import fit_quietly
from numpy.testing import assert_allclose
from sklearn import config_context
from sklearn.datasets import make_classification

from sklearn_scratchnn import ScratchMLPClassifier, ScratchMLPRegressor
from sklearn_scratchnn._fitting.compat import ARRAY_API_SUPPORTED

pytestmark = pytest.mark.skipif(
    not ARRAY_API_SUPPORTED,
    reason="array API support needs scikit-learn >= 1.9",
)

X, y = make_classification(
    n_samples=150, n_features=6, n_informative=4, n_classes=3, random_state=0
)
Y_REG = X[:, 0] - 2 * X[:, 1]
TARGETS = {ScratchMLPClassifier: y, ScratchMLPRegressor: Y_REG}


def _strict():
    xp = pytest.importorskip("array_api_strict")
    return xp, xp.Device("CPU_DEVICE")


def _torch(device):
    torch = pytest.importorskip("torch")
    if device == "cuda" and not torch.cuda.is_available():
        pytest.skip("PyTorch has no CUDA device here")
    from sklearn.externals.array_api_compat import torch as xp

    return xp, torch.device(device)


def _cupy():
    pytest.importorskip("cupy")
    from sklearn.externals.array_api_compat import cupy as xp

    return xp, None


NAMESPACES = {
    "array_api_strict": _strict,
    "torch-cpu": lambda: _torch("cpu"),
    "torch-cuda": lambda: _torch("cuda"),
    "cupy": _cupy,
}


def _namespace_name(array):
    from sklearn.utils._array_api import get_namespace

    with config_context(array_api_dispatch=True):
        return get_namespace(array)[0].__name__


def _to_numpy(array):
    from sklearn.utils._array_api import move_to

    return move_to(array, xp=np, device="cpu")


def _fit_both(Estimator, namespace, fit_params=None, **params):
    """The same estimator fitted on NumPy and on ``namespace``."""
    xp, device = NAMESPACES[namespace]()
    params = {"hidden_layer_sizes": (7, 5), "max_iter": 12, "random_state": 0} | params
    fit_params = fit_params or {}
    target = TARGETS[Estimator]
    on_numpy = fit_quietly(Estimator(**params), X, target, **fit_params)
    moved = {k: xp.asarray(v, device=device) for k, v in fit_params.items()}
    with config_context(array_api_dispatch=True):
        on_xp = fit_quietly(
            Estimator(**params),
            xp.asarray(X, device=device),
            xp.asarray(target, device=device),
            **moved,
        )
    return on_numpy, on_xp, xp, device


CASES = {
    "adam": {},
    "sgd": {"solver": "sgd", "learning_rate": "adaptive"},
    "lbfgs": {"solver": "lbfgs"},
    "early stopping": {"early_stopping": True, "validation_fraction": 0.2},
    "relu": {"activation": "relu"},
    "tanh, squared error": {"activation": "tanh", "loss": "squared_error"},
    "selu": {"activation": "selu"},
    "mish": {"activation": "mish"},
    "gelu, sgd": {"activation": "gelu", "solver": "sgd"},
    "label smoothing": {"label_smoothing": 0.1},
    "weight decay": {"weight_decay": 0.01},
    "dropout, cosine": {"dropout": 0.2, "learning_rate": "cosine"},
    "embedding, scaling, parametric, ntk": {
        "activation": "mish",
        "periodic_embedding": True,
        "input_scaling": True,
        "parametric_activation": True,
        "parametrization": "ntk",
    },
    "planned regularisation, group rates": {
        "dropout": 0.2,
        "dropout_schedule": "flat_cos",
        "weight_decay": 0.02,
        "weight_decay_schedule": "flat_cos",
        "input_scaling": True,
        "learning_rate_factors": {"biases": 0.1, "scales": 6.0},
    },
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("namespace", NAMESPACES)
def test_classifier_trains_the_same_network(namespace, case):
    on_numpy, on_xp, xp, device = _fit_both(
        ScratchMLPClassifier, namespace, **CASES[case]
    )
    assert _namespace_name(on_xp._params) == _namespace_name(xp.asarray([0.0]))
    assert_allclose(_to_numpy(on_xp._params), on_numpy._params, rtol=1e-12, atol=1e-12)
    assert on_xp.loss_curve_ == pytest.approx(on_numpy.loss_curve_, rel=1e-12)
    X_xp = xp.asarray(X, device=device)
    with config_context(array_api_dispatch=True):
        proba = on_xp.predict_proba(X_xp)
        labels = on_xp.predict(X_xp)
    assert _namespace_name(proba) == _namespace_name(X_xp)
    assert_allclose(_to_numpy(proba), on_numpy.predict_proba(X), rtol=1e-10)
    assert_allclose(_to_numpy(labels), on_numpy.predict(X))


@pytest.mark.parametrize(
    "case", ["adam", "lbfgs", "early stopping", "poisson", "sample weights"]
)
@pytest.mark.parametrize("namespace", NAMESPACES)
def test_regressor_trains_the_same_network(namespace, case):
    params = {"poisson": {"loss": "poisson"}}.get(case, CASES.get(case, {}))
    fit_params = {}
    if case == "sample weights":
        fit_params["sample_weight"] = np.arange(len(X)) % 4 * 0.5
    if case == "poisson":
        TARGETS[ScratchMLPRegressor] = np.abs(Y_REG)
    try:
        on_numpy, on_xp, xp, device = _fit_both(
            ScratchMLPRegressor, namespace, fit_params, **params
        )
    finally:
        TARGETS[ScratchMLPRegressor] = Y_REG
    assert_allclose(_to_numpy(on_xp._params), on_numpy._params, rtol=1e-12, atol=1e-12)
    with config_context(array_api_dispatch=True):
        predicted = on_xp.predict(xp.asarray(X, device=device))
    assert_allclose(_to_numpy(predicted), on_numpy.predict(X), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_class_weights_warm_start_and_partial_fit(namespace):
    xp, device = NAMESPACES[namespace]()
    params = dict(hidden_layer_sizes=(6,), max_iter=5, random_state=0)
    models = {}
    for name, (data, target) in {
        "numpy": (X, y),
        "xp": (xp.asarray(X, device=device), xp.asarray(y, device=device)),
    }.items():
        with config_context(array_api_dispatch=True):
            warm = ScratchMLPClassifier(
                warm_start=True, class_weight="balanced", **params
            )
            fit_quietly(warm, data, target)
            fit_quietly(warm, data, target)
            partial = ScratchMLPClassifier(class_weight={0: 2.0}, **params)
            for _ in range(3):
                partial.partial_fit(data, target, classes=[0, 1, 2])
        models[name] = (warm, partial)
    for fitted_numpy, fitted_xp in zip(*models.values(), strict=True):
        assert fitted_xp.n_iter_ == fitted_numpy.n_iter_
        assert_allclose(
            _to_numpy(fitted_xp._params), fitted_numpy._params, rtol=1e-12, atol=1e-12
        )


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_coefs_are_views_of_the_parameters(namespace):
    _, on_xp, xp, device = _fit_both(ScratchMLPClassifier, namespace)
    X_xp = xp.asarray(X, device=device)
    with config_context(array_api_dispatch=True):
        before = _to_numpy(on_xp.predict_proba(X_xp))
        on_xp.coefs_[-1][...] = 0.0  # write through the view
        on_xp.intercepts_[-1][...] = 0.0
        after = _to_numpy(on_xp.predict_proba(X_xp))
    assert not np.allclose(before, after)
    assert_allclose(after, 1 / 3)  # every logit is now 0: uniform probabilities
    assert float(xp.sum(xp.abs(on_xp._params[-3:]))) == 0.0


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_a_model_moves_to_numpy(namespace):
    from sklearn.utils._array_api import move_estimator_to

    on_numpy, on_xp, xp, device = _fit_both(ScratchMLPClassifier, namespace)
    moved = move_estimator_to(on_xp, xp=np, device="cpu")
    assert type(moved._params) is np.ndarray
    assert np.shares_memory(moved.coefs_[0], moved._params)
    assert_allclose(moved.predict_proba(X), on_numpy.predict_proba(X), rtol=1e-10)
    # and it pickles as plain NumPy data, like any model fitted on NumPy
    restored = pickle.loads(pickle.dumps(moved))
    assert restored.predict_proba(X).tobytes() == moved.predict_proba(X).tobytes()
    # the original is untouched
    assert _namespace_name(on_xp._params) == _namespace_name(xp.asarray([0.0]))
    # and training continues from the moved optimizer state as on NumPy
    moved.partial_fit(X, y)
    on_numpy.partial_fit(X, y)
    assert_allclose(moved._params, on_numpy._params, rtol=1e-12, atol=1e-12)


def test_predicting_on_another_namespace_raises():
    xp, device = _strict()
    with config_context(array_api_dispatch=True):
        clf = fit_quietly(
            ScratchMLPClassifier(max_iter=3, random_state=0),
            xp.asarray(X, device=device),
            xp.asarray(y, device=device),
        )
        for method in ("predict", "predict_proba", "decision_function"):
            with pytest.raises(ValueError, match="must use the same namespace"):
                getattr(clf, method)(X)
        with pytest.raises(ValueError, match="must use the same namespace"):
            clf.partial_fit(X, y)


def test_string_labels_stay_numpy_and_predictions_follow_them():
    xp, device = _strict()
    labels = np.array(["ant", "bee", "cat"])[y]
    with config_context(array_api_dispatch=True):
        clf = fit_quietly(
            ScratchMLPClassifier(max_iter=5, random_state=0),
            xp.asarray(X, device=device),
            labels,
        )
        predicted = clf.predict(xp.asarray(X, device=device))
    assert isinstance(clf.classes_, np.ndarray)
    assert set(predicted) <= {"ant", "bee", "cat"}


def test_sparse_input_with_dispatch_on_trains_on_numpy():
    sp = pytest.importorskip("scipy.sparse")
    X_sparse = sp.csr_matrix(np.where(X > 0.5, X, 0.0))
    with config_context(array_api_dispatch=True):
        clf = fit_quietly(ScratchMLPClassifier(max_iter=3, random_state=0), X_sparse, y)
        assert isinstance(clf.predict_proba(X_sparse), np.ndarray)


def test_loss_curve_display_of_a_model_on_another_namespace():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from sklearn_scratchnn.plotting import LossCurveDisplay

    _, on_xp, _, _ = _fit_both(
        ScratchMLPClassifier, "array_api_strict", early_stopping=True
    )
    display = LossCurveDisplay.from_estimator(on_xp)
    assert len(display.line_.get_xdata()) == on_xp.n_iter_


def test_numpy_only_tools_say_what_to_do_with_a_device_model():
    _, on_xp, _, _ = _fit_both(ScratchMLPClassifier, "array_api_strict")
    # without dispatch, X is NumPy and the parameters are not
    with pytest.raises(ValueError, match="move_estimator_to"):
        on_xp.predict(X)
    pytest.importorskip("skl2onnx")
    from skl2onnx import to_onnx

    import sklearn_scratchnn.onnx  # noqa: F401 - registers the converters

    with pytest.raises(TypeError, match="ONNX export needs a model with NumPy"):
        to_onnx(on_xp, X[:1].astype(np.float32))


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_bulk_prediction_in_blocks(namespace):
    # more rows than one prediction block (1024), and not a multiple of it
    on_numpy, on_xp, xp, device = _fit_both(ScratchMLPClassifier, namespace)
    X_big = np.random.RandomState(0).normal(size=(2500, X.shape[1]))
    with config_context(array_api_dispatch=True):
        proba = on_xp.predict_proba(xp.asarray(X_big, device=device))
    assert_allclose(_to_numpy(proba), on_numpy.predict_proba(X_big), rtol=1e-10)


def test_moving_within_numpy_shares_nothing():
    from sklearn.utils._array_api import move_estimator_to

    model = fit_quietly(ScratchMLPClassifier(max_iter=3, random_state=0), X, y)
    before = model._params.copy()
    # scikit-learn's converter, and one that hands back the very same arrays
    # (as a converter may, within one namespace and device)
    for moved in (
        move_estimator_to(model, xp=np, device="cpu"),
        model.__sklearn_array_api_convert__(lambda array: array),
    ):
        assert not np.shares_memory(moved._params, model._params)
        assert not np.shares_memory(moved._state.optimizer.m, model._state.optimizer.m)
        moved.coefs_[0][...] = 0.0  # writing into the copy's views
        assert model._params.tobytes() == before.tobytes()


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_tabm_members_compute_the_same_on_any_namespace(namespace):
    """TabM-mini's members (the scaled copies, the shared layers, a head
    each, the mean) in the core, with dropout: loss, gradient and prediction
    as on NumPy. No estimator exposes them but the tabular ones (NumPy)."""
    from sklearn_scratchnn.nn.arrays import NUMPY, array_ops
    from sklearn_scratchnn.nn.layers import Dropout
    from sklearn_scratchnn.nn.network import Network

    xp, device = NAMESPACES[namespace]()
    ops = array_ops(xp, device, _to_numpy)
    net = Network(
        [6, 5, 4, 3], "selu", "softmax", "log_loss", members=3, input_scaling=True,
        periodic_embedding={"n_columns": 6, "n_frequencies": 2, "width": 2},
        parametric_activation=True, parametrization="ntk",
    )  # fmt: skip
    params = net.initialize(np.random.RandomState(0), np.float64)
    Y = np.eye(3)[y]
    results = []
    for ops_ in (NUMPY, ops):
        flat = ops_.from_numpy(params)
        ws = net.workspace(flat, ops_.empty(flat.shape, dtype=flat.dtype), 150,
                           ops_, Dropout(0.3, np.random.RandomState(1)))  # fmt: skip
        X_ = ops_.from_numpy(X)
        ws.draw_dropout(X_)
        loss = net.loss_and_gradient(ws, X_, ops_.from_numpy(Y), 1.0 / 150, 0.0)
        _, proba = net.forward(flat, X_, xp=ops_)
        results.append((loss, ops_.to_numpy(ws.grad), ops_.to_numpy(proba)))
    (loss, grad, proba), (loss_xp, grad_xp, proba_xp) = results
    assert loss_xp == pytest.approx(loss, rel=1e-12)
    assert_allclose(grad_xp, grad, rtol=1e-10, atol=1e-12)
    assert_allclose(proba_xp, proba, rtol=1e-10)
