"""The network as ONNX nodes, layer by layer, keyed by the layer's type: the
layers in front, the dense layers with their activations, the parametric
activations. Each layer's nodes compute what its ``forward`` does in
``nn/layers/``, from the same flat parameter vector's views."""

import math

import numpy as np
from skl2onnx.proto import onnx_proto

from ..nn.layers import (
    TWO_PI,
    CategoricalEmbedding,
    Dense,
    MemberDense,
    MemberScale,
    ParametricActivation,
    PeriodicEmbedding,
    Scale,
)

_ONNX_OPS = {
    "identity": "Identity",
    "logistic": "Sigmoid",
    "tanh": "Tanh",
    "relu": "Relu",
    "softmax": "Softmax",
    "exp": "Exp",
}

FLOAT, DOUBLE = onnx_proto.TensorProto.FLOAT, onnx_proto.TensorProto.DOUBLE
INT64 = onnx_proto.TensorProto.INT64


class Graph:
    """Adds nodes and constants to skl2onnx's container, in one precision
    (``dtype``: float32 or float64) unless told otherwise."""

    def __init__(self, scope, container, dtype):
        self.scope, self.container = scope, container
        self.dtype = np.dtype(dtype)
        self.proto = DOUBLE if self.dtype == np.float64 else FLOAT

    def node(self, op_type, inputs, output=None, op_domain=None, op_version=2, **attrs):
        """Add one node; returns the name of its output. ``op_version`` is
        that of an operator of ``op_domain`` (``ai.onnx.ml``)."""
        output = output or self.scope.get_unique_variable_name(op_type.lower())
        extra = {"op_domain": op_domain, "op_version": op_version} if op_domain else {}
        self.container.add_node(
            op_type,
            inputs,
            output,
            name=self.scope.get_unique_operator_name(op_type),
            **extra,
            **attrs,
        )
        return output

    def constant(self, value, dtype=None):
        """An initializer holding ``value`` (in the graph's precision, or in
        ``dtype``: int64 or bytes for strings)."""
        name = self.scope.get_unique_variable_name("constant")
        value = np.asarray(value, dtype=dtype or self.dtype)
        proto = {
            np.dtype(np.float32): FLOAT,
            np.dtype(np.float64): DOUBLE,
            np.dtype(np.int64): INT64,
        }[value.dtype]
        self.container.add_initializer(
            name, proto, list(value.shape), value.ravel().tolist()
        )
        return name

    def columns(self, a, indices):
        """The columns ``indices`` of the matrix ``a``."""
        return self.node("Gather", [a, self.constant(indices, np.int64)], axis=1)

    def cast(self, a, proto):
        return self.node("Cast", [a], to=proto)


def require_numpy(trained):
    """``trained`` (a model's :class:`TrainedNetwork`) holds NumPy arrays."""
    if not isinstance(trained.params, np.ndarray):
        raise TypeError(
            f"ONNX export needs a model with NumPy arrays; this one was fitted on "
            f"{type(trained.params).__module__} arrays. Move it first: "
            "sklearn.utils._array_api.move_estimator_to(model, xp=numpy, "
            'device="cpu").'
        )


def network_graph(graph, trained, a):
    """The forward pass of ``trained`` (a model's :class:`TrainedNetwork`)
    from the matrix ``a``: each layer's nodes, by its type, then the output
    activation; returns the output layer's activation."""
    require_numpy(trained)
    network = trained.network
    views = network.views(trained.params)
    for layer, layer_views in zip(network.layers, views, strict=True):
        a = _LAYERS[type(layer)](graph, layer, layer_views, a)
    if network.members > 1:
        return _members_mean(graph, network.output.name, a, network.layers[-1])
    return _activation(graph, network.output.name, a)


def _dense(graph, layer, views, a):
    """``f(a W + b)``: the NTK factor folded into ``W``."""
    W, b = views
    if layer.factor is not None:
        W = W * layer.factor
    z = graph.node(
        "Add", [graph.node("MatMul", [a, graph.constant(W)]), graph.constant(b[None])]
    )
    return (
        z if layer.activation is None else _activation(graph, layer.activation.name, z)
    )


def _member_dense(graph, layer, views, a):
    """Each member's head on its ``(k, m, fan_in)`` rows (``b`` is
    ``(k, 1, fan_out)`` already)."""
    W, b = views
    if layer.factor is not None:
        W = W * layer.factor
    return graph.node(
        "Add", [graph.node("MatMul", [a, graph.constant(W)]), graph.constant(b)]
    )


def _parametric_activation(graph, layer, views, z):
    """``z + w (f(z) - z)``."""
    (w,) = views
    gap = graph.node("Sub", [_activation(graph, layer.function.name, z), z])
    gap = graph.node("Mul", [gap, graph.constant(w[None, :])])
    return graph.node("Add", [z, gap])


def _member_scale(graph, layer, views, a):
    """``(k, m, width)``: member ``i``'s copy of the rows ``a r_i``; the
    layers after it compute on all members at once (MatMul broadcasts)."""
    (r,) = views
    return graph.node("Mul", [a, graph.constant(r)])


def _members_mean(graph, name, z, head):
    """The output activation of each member's ``(k, m, n_outputs)`` rows as
    a matrix (softmax along its rows), then the mean over the members, as a
    product with ``1 / k`` (no float64 ``Mean`` in onnxruntime 1.23)."""
    k, n_outputs = head.k, head.fan_out
    z = graph.node("Reshape", [z, graph.constant([-1, n_outputs], np.int64)])
    out = graph.node(
        "Reshape", [_activation(graph, name, z), graph.constant([k, -1], np.int64)]
    )
    mean = graph.node("MatMul", [graph.constant(np.full((1, k), 1.0 / k)), out])
    return graph.node("Reshape", [mean, graph.constant([-1, n_outputs], np.int64)])


def _scale(graph, layer, views, a):
    (s,) = views
    return graph.node("Mul", [a, graph.constant(s[np.newaxis, :])])


def _categorical_embedding(graph, layer, tables, a):
    """``[x_rest, E_1[q_1], ..., E_c[q_c]]``: each code column (a whole number
    as a float) as an index into its table."""
    blocks = [graph.columns(a, np.arange(layer.n_rest))] if layer.n_rest else []
    for j, table in enumerate(tables):
        code = graph.cast(graph.columns(a, [layer.n_rest + j]), INT64)
        code = graph.node("Reshape", [code, graph.constant([-1], np.int64)])
        blocks.append(graph.node("Gather", [graph.constant(table), code], axis=0))
    return graph.node("Concat", blocks, axis=1)


def _periodic_embedding(graph, layer, views, a):
    """``[x, e_1, ..., e_n]`` with ``e_j = cos(2 pi c_j x_j + p_j) V_j + beta_j``:
    the columns as a batch dimension, as in the layer's forward pass."""
    c, p, V, beta = views
    n, d = layer.n, layer.d
    # laid out (column, row, frequency) from the start: a Transpose straight
    # into MatMul is fused by onnxruntime into a kernel with no float64 form
    x = graph.node("Transpose", [graph.columns(a, np.arange(n))], perm=[1, 0])
    x = graph.node("Reshape", [x, graph.constant([n, -1, 1], np.int64)])  # (n, m, 1)
    u = graph.node("Mul", [x, graph.constant(c * TWO_PI)])  # c is (n, 1, k)
    u = graph.node("Add", [u, graph.constant(p)])  # (n, m, k)
    e = graph.node("MatMul", [_cosine(graph, u), graph.constant(V)])  # (n, m, d)
    e = graph.node("Transpose", [e], perm=[1, 0, 2])
    e = graph.node("Add", [e, graph.constant(beta.reshape(n, d))])
    e = graph.node("Reshape", [e, graph.constant([-1, n * d], np.int64)])
    return graph.node("Concat", [a, e], axis=1)


def _cosine(graph, u):
    """``cos(u)``: ONNX's ``Cos`` in float32; in float64, which onnxruntime's
    ``Cos`` lacks before release 1.2x, the Taylor series of cos on
    ``r = u - 2 pi round(u / 2 pi)`` in ``[-pi, pi]``, to the term in ``r^32``
    (the next is below 1e-19), by Horner's rule in ``r^2``."""
    if graph.dtype == np.float32:
        return graph.node("Cos", [u])
    turns = graph.node("Round", [graph.node("Div", [u, graph.constant([TWO_PI])])])
    r = graph.node("Sub", [u, graph.node("Mul", [turns, graph.constant([TWO_PI])])])
    r2 = graph.node("Mul", [r, r])
    # (-1)^j / (2j)! for j = 16 .. 0
    terms = [(-1) ** j / math.factorial(2 * j) for j in range(16, -1, -1)]
    total = graph.constant([terms[0]])
    for term in terms[1:]:
        total = graph.node(
            "Add", [graph.node("Mul", [total, r2]), graph.constant([term])]
        )
    return total


# each layer's nodes, by its type
_LAYERS = {
    Scale: _scale,
    CategoricalEmbedding: _categorical_embedding,
    PeriodicEmbedding: _periodic_embedding,
    MemberScale: _member_scale,
    Dense: _dense,
    MemberDense: _member_dense,
    ParametricActivation: _parametric_activation,
}


def _activation(graph, name, z):
    if name in _COMPOSED:
        return _COMPOSED[name](graph, z)
    attrs = {"axis": 1} if name == "softmax" else {}
    return graph.node(_ONNX_OPS[name], [z], **attrs)


def _selu(graph, z):
    # lambda (max(z, 0) + alpha (exp(min(z, 0)) - 1)): onnxruntime's Selu
    # has no float64 kernel
    from ..nn.activations import SELU_ALPHA, SELU_LAMBDA

    zero = graph.constant([0.0])
    negative = graph.node(
        "Sub",
        [graph.node("Exp", [graph.node("Min", [z, zero])]), graph.constant([1.0])],
    )
    negative = graph.node("Mul", [negative, graph.constant([SELU_ALPHA])])
    total = graph.node("Add", [graph.node("Max", [z, zero]), negative])
    return graph.node("Mul", [total, graph.constant([SELU_LAMBDA])])


def _mish(graph, z):
    # z tanh(softplus(z)) = z n / (n + 2) with n = e^z (e^z + 2), the form
    # nn/activations.py computes (Mish is opset 18, and onnxruntime's
    # Softplus has no float64 kernel); e^z capped at e^20, where the ratio is 1
    e = graph.node("Exp", [graph.node("Min", [z, graph.constant([20.0])])])
    n = graph.node("Mul", [e, graph.node("Add", [e, graph.constant([2.0])])])
    ratio = graph.node("Div", [n, graph.node("Add", [n, graph.constant([2.0])])])
    return graph.node("Mul", [z, ratio])


def _gelu(graph, z):
    # z/2 (1 + tanh(c (z + k z^3))), GELU's tanh form (Gelu is opset 20)
    from ..nn.activations import GELU_C, GELU_K

    def const(value):
        return graph.constant([value])

    def mul(a, b):
        return graph.node("Mul", [a, b])

    def add(a, b):
        return graph.node("Add", [a, b])

    cube = mul(mul(z, z), z)
    inner = mul(const(GELU_C), add(z, mul(const(GELU_K), cube)))
    t = graph.node("Tanh", [inner])
    return mul(mul(const(0.5), z), add(const(1.0), t))


# hidden activations that ONNX has no operator for in every opset, or whose
# operator takes constants: built from the ones it has
_COMPOSED = {"selu": _selu, "mish": _mish, "gelu": _gelu}


def is_multilabel(trained):
    """Whether a classifier's network predicts independent labels: several
    logistic outputs (one is a binary classifier's; softmax, multiclass)."""
    return trained.out_activation_ == "logistic" and trained.n_outputs_ > 1


def class_outputs(graph, p, trained, classes, label_out, proba_out):
    """A classifier's two outputs from the output layer's activation ``p``
    of its network ``trained``: the probabilities (``[1 - p, p]`` for one
    logistic output) and the labels (the most probable class; each label
    above 0.5 for multilabel)."""
    n_outputs = trained.n_outputs_
    if is_multilabel(trained):
        graph.node("Identity", [p], proba_out)
        above = graph.node("Greater", [p, graph.constant([0.5])])
        graph.node("Cast", [above], label_out, to=INT64)
        return
    if n_outputs == 1:  # binary: [1 - p, p]
        q = graph.node("Sub", [graph.constant([[1.0]]), p])
        graph.node("Concat", [q, p], proba_out, axis=1)
    else:
        graph.node("Identity", [p], proba_out)
    labels_of(graph, proba_out, classes, label_out)


def labels_of(graph, proba, classes, label_out):
    """The most probable class of each row of ``proba``, as ``label_out``."""
    index = graph.node("ArgMax", [proba], axis=1, keepdims=0)
    if classes.dtype.kind in "iub":
        table = graph.constant(classes.astype(np.int64), np.int64)
    else:
        table = graph.scope.get_unique_variable_name("classes")
        graph.container.add_initializer(
            table,
            onnx_proto.TensorProto.STRING,
            [len(classes)],
            [str(c).encode() for c in classes],
        )
    graph.node("Gather", [table, index], label_out, axis=0)
