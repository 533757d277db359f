"""Converters of the tabular estimators: the table's preprocessing, the
network with its front layers, and the output as ``predict`` gives it."""

import numpy as np
from skl2onnx._parse import _parse_sklearn_simple_model
from skl2onnx.common.data_types import (
    DoubleTensorType,
    FloatTensorType,
    Int64TensorType,
    StringTensorType,
)
from sklearn.utils.validation import check_is_fitted

from ._graph import Graph, class_outputs, is_multilabel, network_graph, require_numpy
from ._table import input_columns, resolve_inputs, table_graph
from ._zipmap import parse_classifier


def graph_dtype(inputs):
    """float64 where every float input is float64, else float32 (the
    precision of ONNX's usual float inputs)."""
    floats = [
        v.type
        for v in inputs
        if isinstance(v.type, (FloatTensorType, DoubleTensorType))
    ]
    if floats and all(isinstance(t, DoubleTensorType) for t in floats):
        return np.float64
    return np.float32


def checked(model, inputs):
    """A fitted tabular model's NumPy arrays and the graph's inputs checked
    against its columns: one-line errors before any node is made."""
    check_is_fitted(model, "network_")
    for member in _members(model):
        require_numpy(member)
    resolve_inputs(model, inputs)


def classifier_parser(scope, model, inputs, custom_parsers=None):
    checked(model, inputs)
    return parse_classifier(scope, model, inputs, custom_parsers)


def regressor_parser(scope, model, inputs, custom_parsers=None):
    checked(model, inputs)
    return _parse_sklearn_simple_model(scope, model, inputs, custom_parsers)


def tensor_type(inputs):
    return DoubleTensorType if graph_dtype(inputs) == np.float64 else FloatTensorType


def classifier_shapes(operator):
    model = operator.raw_operator
    n = operator.inputs[0].get_first_dimension()
    classes = model.classes_
    label = Int64TensorType if classes.dtype.kind in "iub" else StringTensorType
    if is_multilabel(model.network_):
        operator.outputs[0].type = Int64TensorType([n, len(classes)])
    else:
        operator.outputs[0].type = label([n])
    operator.outputs[1].type = tensor_type(operator.inputs)([n, len(classes)])


def regressor_shapes(operator):
    n = operator.inputs[0].get_first_dimension()
    width = operator.raw_operator.network_.n_outputs_
    operator.outputs[0].type = tensor_type(operator.inputs)([n, width])


def _network_output(scope, operator, container):
    model = operator.raw_operator
    graph = Graph(scope, container, graph_dtype(operator.inputs))
    columns = input_columns(graph, model, operator.inputs)
    return graph, network_output(graph, model, columns)


def network_output(graph, model, columns):
    """A tabular model's output layer from the graph's ``columns``: its
    preprocessing, then each member's network on the same table, outputs
    averaged (probabilities, or standardised values), as predict averages them."""
    table = table_graph(graph, model.preprocessor_, columns)
    outputs = [network_graph(graph, member, table) for member in _members(model)]
    return _mean(graph, outputs)


def network_probabilities(graph, model, columns):
    """A tabular classifier's class probabilities (``[1 - p, p]`` for one
    logistic output)."""
    p = network_output(graph, model, columns)
    if model.network_.n_outputs_ != 1:
        return p
    q = graph.node("Sub", [graph.constant([[1.0]]), p])
    return graph.node("Concat", [q, p], axis=1)


def network_values(graph, model, columns):
    """A tabular regressor's predictions, as ``predict`` gives them."""
    return _in_target_units(graph, model, network_output(graph, model, columns))


def _mean(graph, outputs):
    """The members' outputs averaged: summed, then divided by their number
    (onnxruntime 1.23 has no float64 ``Mean``)."""
    total = outputs[0]
    for output in outputs[1:]:
        total = graph.node("Add", [total, output])
    if len(outputs) == 1:
        return total
    return graph.node("Div", [total, graph.constant([len(outputs)])])


def _members(model):
    return getattr(model, "networks_", None) or [model.network_]


def convert_classifier(scope, operator, container):
    model = operator.raw_operator
    graph, p = _network_output(scope, operator, container)
    class_outputs(
        graph,
        p,
        model.network_,
        model.classes_,
        operator.outputs[0].full_name,
        operator.outputs[1].full_name,
    )


def convert_regressor(scope, operator, container):
    """The standardised output back in the target's units, clipped to the
    training range, as ``predict`` does."""
    graph, out = _network_output(scope, operator, container)
    y = _in_target_units(graph, operator.raw_operator, out)
    graph.node("Identity", [y], operator.outputs[0].full_name)


def _in_target_units(graph, model, out):
    def row(value):
        return graph.constant(np.reshape(value, (1, -1)))

    y = graph.node(
        "Add", [graph.node("Mul", [out, row(model.y_scale_)]), row(model.y_mean_)]
    )
    return graph.node(
        "Min", [graph.node("Max", [y, row(model.y_min_)]), row(model.y_max_)]
    )
