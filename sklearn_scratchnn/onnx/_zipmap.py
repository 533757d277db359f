"""skl2onnx's classifier parse, with float probabilities into the ZipMap.

onnxruntime's ZipMap takes float tensors only, and a float64 input (a pandas
frame of float64 columns, or a float64 array) makes a float64 graph:
skl2onnx's own classifiers then build a graph that onnxruntime rejects
("Type 'tensor(double)' of input parameter (probabilities) of operator
(ZipMap)"). Ours cast the probabilities to float for the ZipMap's maps
(``output_probability``), which hold floats anyway; with ``zipmap=False``
they stay in the graph's precision.
"""

from skl2onnx._parse import _apply_zipmap, _parse_sklearn_simple_model
from skl2onnx.common.data_types import DoubleTensorType, FloatTensorType


def parse_classifier(scope, model, inputs, custom_parsers=None):
    """The label and probabilities of ``model``, through a float ZipMap
    unless the ``zipmap`` option is False."""
    options = scope.get_options(model, dict(zipmap=True))
    outputs = _parse_sklearn_simple_model(scope, model, inputs, custom_parsers)
    if options["zipmap"] is False:
        return outputs
    label, probabilities = outputs
    if isinstance(probabilities.type, DoubleTensorType):
        cast = scope.declare_local_operator("SklearnCast")
        cast.inputs = [probabilities]
        probabilities = scope.declare_local_variable(
            "probabilities_float", FloatTensorType(probabilities.type.shape)
        )
        cast.outputs.append(probabilities)
    return _apply_zipmap(
        options["zipmap"], scope, model, FloatTensorType(), [label, probabilities]
    )
