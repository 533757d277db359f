"""Converters of the blends: one graph holding the network (its table's
preprocessing and its layers), HistGradientBoosting (its table and trees,
``_trees.py``) and their weighted average, as ``predict_proba`` and
``predict`` compute it."""

import numpy as np
from skl2onnx._parse import _parse_sklearn_simple_model
from skl2onnx.common.data_types import Int64TensorType, StringTensorType
from sklearn.utils.validation import check_is_fitted

from ..tabular import fitted_trees
from . import _tabular
from ._graph import DOUBLE, Graph, labels_of
from ._table import input_columns
from ._tabular import graph_dtype, network_probabilities, network_values
from ._trees import hgb_probabilities, hgb_values, tree_input
from ._zipmap import parse_classifier


def _checked(blend, inputs):
    """The tabular network's checks, on the blend's network: the inputs are
    its columns."""
    check_is_fitted(blend, "weights_")
    _tabular.checked(blend.network_, inputs)


def classifier_parser(scope, model, inputs, custom_parsers=None):
    _checked(model, inputs)
    return parse_classifier(scope, model, inputs, custom_parsers)


def regressor_parser(scope, model, inputs, custom_parsers=None):
    _checked(model, inputs)
    return _parse_sklearn_simple_model(scope, model, inputs, custom_parsers)


def classifier_shapes(operator):
    model = operator.raw_operator
    n = operator.inputs[0].get_first_dimension()
    classes = model.classes_
    label = Int64TensorType if classes.dtype.kind in "iub" else StringTensorType
    operator.outputs[0].type = label([n])
    operator.outputs[1].type = _tabular.tensor_type(operator.inputs)([n, len(classes)])


def regressor_shapes(operator):
    n = operator.inputs[0].get_first_dimension()
    operator.outputs[0].type = _tabular.tensor_type(operator.inputs)([n, 1])


def _weighted(graph, blend, network_part, hgb_part, columns):
    """``w_network * network + w_hgb * hgb`` in float64, each part built only
    where its weight is not 0 (``predict`` skips it too)."""
    w_network, w_hgb = blend.weights_
    parts = []
    if w_network > 0:
        out = graph.cast(network_part(graph, blend.network_, columns), DOUBLE)
        parts.append(graph.node("Mul", [out, graph.constant([w_network], np.float64)]))
    if w_hgb > 0:
        trees = fitted_trees(blend.hgb_, blend.encoder_.categorical_mask_)
        E = tree_input(graph, blend.encoder_, trees, columns)
        out = hgb_part(graph, trees, E)
        parts.append(graph.node("Mul", [out, graph.constant([w_hgb], np.float64)]))
    return parts[0] if len(parts) == 1 else graph.node("Add", parts)


def convert_classifier(scope, operator, container):
    blend = operator.raw_operator
    graph = Graph(scope, container, graph_dtype(operator.inputs))
    columns = input_columns(graph, blend.network_, operator.inputs)
    proba = _weighted(graph, blend, network_probabilities, hgb_probabilities, columns)
    # back to a sum of 1 in float64, as predict_proba does
    total = graph.node("ReduceSum", [proba, graph.constant([1], np.int64)], keepdims=1)
    proba = graph.cast(graph.node("Div", [proba, total]), graph.proto)
    graph.node("Identity", [proba], operator.outputs[1].full_name)
    labels_of(graph, operator.outputs[1].full_name, blend.classes_,
              operator.outputs[0].full_name)  # fmt: skip


def convert_regressor(scope, operator, container):
    blend = operator.raw_operator
    graph = Graph(scope, container, graph_dtype(operator.inputs))
    columns = input_columns(graph, blend.network_, operator.inputs)
    values = _weighted(graph, blend, network_values, hgb_values, columns)
    graph.node("Cast", [values], operator.outputs[0].full_name, to=graph.proto)
