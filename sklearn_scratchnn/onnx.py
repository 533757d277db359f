"""ONNX export through skl2onnx (``pip install "sklearn-scratchnn[onnx]"``).

Importing this module registers converters for both estimators with skl2onnx,
after which its usual entry point works::

    import sklearn_scratchnn.onnx  # noqa: F401  (registers the converters)
    from skl2onnx import to_onnx

    onx = to_onnx(clf, X[:1].astype(np.float32))

The graph is the network itself: per layer ``MatMul``, ``Add`` and the
activation (``Sigmoid``, ``Tanh``, ``Relu``, ``Identity``; ``Softmax`` or
``Sigmoid`` on the output layer, ``Exp`` for the Poisson regressor). A
classifier's graph has skl2onnx's two outputs, the labels and the
probabilities (through a ZipMap unless ``options={"zipmap": False}``).

Examples
--------
>>> import numpy as np
>>> import onnxruntime as rt
>>> from skl2onnx import to_onnx
>>> import sklearn_scratchnn.onnx  # noqa: F401
>>> from sklearn_scratchnn import ScratchMLPClassifier
>>> rng = np.random.RandomState(0)
>>> X = rng.normal(size=(50, 3)).astype(np.float32)
>>> clf = ScratchMLPClassifier(solver="lbfgs", random_state=0).fit(X, X[:, 0] > 0)
>>> onx = to_onnx(clf, X[:1], options={"zipmap": False})
>>> session = rt.InferenceSession(
...     onx.SerializeToString(), providers=["CPUExecutionProvider"])
>>> labels, proba = session.run(None, {"X": X})
>>> bool((labels == clf.predict(X)).all())
True
>>> bool(np.allclose(proba, clf.predict_proba(X), atol=1e-5))
True
"""

import numpy as np
from skl2onnx import update_registered_converter
from skl2onnx._parse import _parse_sklearn_classifier
from skl2onnx.common.data_types import guess_numpy_type, guess_proto_type
from skl2onnx.common.shape_calculator import (
    calculate_linear_classifier_output_shapes,
    calculate_linear_regressor_output_shapes,
)
from skl2onnx.proto import onnx_proto

from ._classifier import ScratchMLPClassifier
from ._regressor import ScratchMLPRegressor

_ONNX_OPS = {
    "identity": "Identity",
    "logistic": "Sigmoid",
    "tanh": "Tanh",
    "relu": "Relu",
    "softmax": "Softmax",
    "exp": "Exp",
}


def _node(scope, container, op_type, inputs, output=None, **attrs):
    """Add one node; returns the name of its output."""
    output = output or scope.get_unique_variable_name(op_type.lower())
    container.add_node(
        op_type, inputs, output, name=scope.get_unique_operator_name(op_type), **attrs
    )
    return output


def _constant(scope, container, value, proto_type):
    name = scope.get_unique_variable_name("constant")
    value = np.asarray(value)
    container.add_initializer(
        name, proto_type, list(value.shape), value.ravel().tolist()
    )
    return name


def _require_numpy(model):
    if not isinstance(model._params, np.ndarray):
        raise TypeError(
            f"ONNX export needs a model with NumPy arrays; this one was fitted on "
            f"{type(model._params).__module__} arrays. Move it first: "
            "sklearn.utils._array_api.move_estimator_to(model, xp=numpy, "
            'device="cpu").'
        )


def _network_graph(scope, operator, container):
    """The forward pass: returns the name of the output layer's activation."""
    model = operator.raw_operator
    _require_numpy(model)
    network = model._network
    for option, what in (
        ("periodic_embedding", "the periodic embedding (periodic_embedding=True)"),
        ("categorical_embedding", "the categorical embedding of a TabularMLP"),
    ):
        if network.options[option] is not None:
            raise ValueError(
                f"ONNX export does not cover {what} yet; export a model without "
                "it, or save it with skops or pickle."
            )
    X = operator.inputs[0]
    dtype, proto = guess_numpy_type(X.type), guess_proto_type(X.type)

    def constant(value):
        return _constant(scope, container, np.asarray(value, dtype=dtype), proto)

    views = network.views(model._params)
    a = X.full_name
    if network.front:  # the scaling layer: a factor per column
        (s,) = views[0]
        a = _node(scope, container, "Mul", [a, constant(s[np.newaxis, :])])
    for (dense, activation), (at, after) in zip(
        network.blocks, network._positions, strict=True
    ):
        W, b = views[at]
        if dense.factor is not None:  # NTK: the forward pass's factor, folded in
            W = W * dense.factor
        z = _node(
            scope,
            container,
            "Add",
            [_node(scope, container, "MatMul", [a, constant(W)]), constant(b[None, :])],
        )
        if activation is None:
            a = _activation(scope, container, model.out_activation_, z, dtype, proto)
            continue
        f_z = _activation(scope, container, model.activation, z, dtype, proto)
        if activation.fused:
            a = f_z
            continue
        # parametric: z + w (f(z) - z)
        (w,) = views[after]
        gap = _node(scope, container, "Sub", [f_z, z])
        gap = _node(scope, container, "Mul", [gap, constant(w[None, :])])
        a = _node(scope, container, "Add", [z, gap])
    return a, dtype, proto


def _activation(scope, container, name, z, dtype, proto):
    if name in _COMPOSED:
        return _COMPOSED[name](scope, container, z, dtype, proto)
    attrs = {"axis": 1} if name == "softmax" else {}
    return _node(scope, container, _ONNX_OPS[name], [z], **attrs)


def _selu(scope, container, z, dtype, proto):
    from .nn.activations import SELU_ALPHA, SELU_LAMBDA

    return _node(scope, container, "Selu", [z], alpha=SELU_ALPHA, gamma=SELU_LAMBDA)


def _mish(scope, container, z, dtype, proto):
    # z tanh(softplus(z)), from operators of every opset (Mish is opset 18)
    softplus = _node(scope, container, "Softplus", [z])
    return _node(
        scope, container, "Mul", [z, _node(scope, container, "Tanh", [softplus])]
    )


def _gelu(scope, container, z, dtype, proto):
    # z/2 (1 + tanh(c (z + k z^3))), GELU's tanh form (Gelu is opset 20)
    from .nn.activations import GELU_C, GELU_K

    def const(value):
        return _constant(scope, container, np.array([value], dtype=dtype), proto)

    def mul(a, b):
        return _node(scope, container, "Mul", [a, b])

    def add(a, b):
        return _node(scope, container, "Add", [a, b])

    cube = mul(mul(z, z), z)
    inner = mul(const(GELU_C), add(z, mul(const(GELU_K), cube)))
    t = _node(scope, container, "Tanh", [inner])
    return mul(mul(const(0.5), z), add(const(1.0), t))


# hidden activations that ONNX has no operator for in every opset, or whose
# operator takes constants: built from the ones it has
_COMPOSED = {"selu": _selu, "mish": _mish, "gelu": _gelu}


def _convert_classifier(scope, operator, container):
    model = operator.raw_operator
    label_out, proba_out = operator.outputs[0].full_name, operator.outputs[1].full_name
    p, dtype, proto = _network_graph(scope, operator, container)
    if model._label_binarizer.y_type_ == "multilabel-indicator":
        _node(scope, container, "Identity", [p], proba_out)
        above = _node(
            scope,
            container,
            "Greater",
            [p, _constant(scope, container, np.array([0.5], dtype), proto)],
        )
        _node(
            scope,
            container,
            "Cast",
            [above],
            label_out,
            to=onnx_proto.TensorProto.INT64,
        )
        return
    if model.n_outputs_ == 1:  # binary: [1 - p, p]
        one = _constant(scope, container, np.array([[1.0]], dtype), proto)
        q = _node(scope, container, "Sub", [one, p])
        _node(scope, container, "Concat", [q, p], proba_out, axis=1)
    else:
        _node(scope, container, "Identity", [p], proba_out)
    index = _node(scope, container, "ArgMax", [proba_out], axis=1, keepdims=0)
    classes = model.classes_
    if classes.dtype.kind in "iub":
        table = _constant(
            scope, container, classes.astype(np.int64), onnx_proto.TensorProto.INT64
        )
    else:
        table = scope.get_unique_variable_name("classes")
        container.add_initializer(
            table,
            onnx_proto.TensorProto.STRING,
            [len(classes)],
            [str(c).encode() for c in classes],
        )
    _node(scope, container, "Gather", [table, index], label_out, axis=0)


def _classifier_shapes(operator):
    _require_numpy(operator.raw_operator)
    calculate_linear_classifier_output_shapes(operator)
    model = operator.raw_operator
    if model._label_binarizer.y_type_ == "multilabel-indicator":
        n = operator.inputs[0].get_first_dimension()
        operator.outputs[0].type.shape = [n, len(model.classes_)]


def _regressor_shapes(operator):
    _require_numpy(operator.raw_operator)
    calculate_linear_regressor_output_shapes(operator)
    n = operator.inputs[0].get_first_dimension()
    operator.outputs[0].type.shape = [n, operator.raw_operator.n_outputs_]


def _convert_regressor(scope, operator, container):
    out, _, _ = _network_graph(scope, operator, container)
    _node(scope, container, "Identity", [out], operator.outputs[0].full_name)


def _classifier_parser(scope, model, inputs, custom_parsers=None):
    # skl2onnx's own parser reads classes_ before any converter of ours runs
    _require_numpy(model)
    return _parse_sklearn_classifier(scope, model, inputs, custom_parsers)


def register_onnx_converters():
    """Register the converters with skl2onnx (done when this module is imported).

    Examples
    --------
    >>> from sklearn_scratchnn.onnx import register_onnx_converters
    >>> register_onnx_converters()  # again: harmless
    """
    update_registered_converter(
        ScratchMLPClassifier,
        "SklearnScratchMLPClassifier",
        _classifier_shapes,
        _convert_classifier,
        parser=_classifier_parser,
        options={"zipmap": [True, False, "columns"], "nocl": [True, False]},
    )
    update_registered_converter(
        ScratchMLPRegressor,
        "SklearnScratchMLPRegressor",
        _regressor_shapes,
        _convert_regressor,
    )


register_onnx_converters()
