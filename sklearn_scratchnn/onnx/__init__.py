"""ONNX export through skl2onnx (``pip install "sklearn-scratchnn[onnx]"``).

Importing this module registers converters for the four estimators with
skl2onnx, after which its usual entry point works::

    import sklearn_scratchnn.onnx  # noqa: F401  (registers the converters)
    from skl2onnx import to_onnx

    onx = to_onnx(clf, X[:1].astype(np.float32))  # a Scratch estimator
    onx = to_onnx(tab, frame[:1])  # a tabular model fitted on a DataFrame

The graph is the network itself: per layer ``MatMul``, ``Add`` and the
activation (``Sigmoid``, ``Tanh``, ``Relu``, ``Identity``; SELU, Mish and
GELU; ``Softmax`` or ``Sigmoid`` on the output layer, ``Exp`` for the
Poisson regressor), with the layers in front of it (the categorical and
periodic embeddings, the scaling layer) where the model has them. A
classifier's graph has skl2onnx's two outputs, the labels and the
probabilities (through a ZipMap unless ``options={"zipmap": False}``). The
ZipMap's maps hold floats (onnxruntime's ZipMap takes nothing else), so a
float64 graph casts its probabilities for them; without the ZipMap they keep
the graph's precision.

A blend's graph holds both of its parts: the network's (as below), and
HistGradientBoosting's table and trees (one ``TreeEnsembleRegressor`` of
``ai.onnx.ml``, whose categorical splits are chains of equality tests, as
HGB splits them), then their weighted average.

A tabular model's graph also holds its whole preprocessing: numbers
robust-scaled and smooth-clipped, missing numbers (NaN) imputed and flagged,
categories one-hot encoded or coded for the embedding (an unseen category
takes the reserved slot), and, for the regressor, the target's units and
the training range's clip. Fitted on a DataFrame, it takes one input per
column, named as the column (skl2onnx's convention for a frame): a string
tensor for text, where a missing cell is ``""``, and a number tensor for
numbers. :func:`input_types` gives those inputs and :func:`onnx_inputs` the
matching onnxruntime feeds. The network computes in float64 where every
float input is float64, else in float32; the numbers are scaled in float64
either way.

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
from skl2onnx.common.data_types import guess_numpy_type
from skl2onnx.common.shape_calculator import (
    calculate_linear_classifier_output_shapes,
    calculate_linear_regressor_output_shapes,
)

from ..scratch import ScratchMLPClassifier, ScratchMLPRegressor
from ..tabular import (
    TabularBlendClassifier,
    TabularBlendRegressor,
    TabularMLPClassifier,
    TabularMLPRegressor,
    is_missing,
    table_columns,
)
from . import _blend, _tabular
from ._graph import Graph, class_outputs, is_multilabel, network_graph, require_numpy
from ._table import table_input_types
from ._zipmap import parse_classifier


def _convert_classifier(scope, operator, container):
    model = operator.raw_operator
    X = operator.inputs[0]
    graph = Graph(scope, container, guess_numpy_type(X.type))
    p = network_graph(graph, model.network_, X.full_name)
    class_outputs(
        graph,
        p,
        model.network_,
        model.classes_,
        operator.outputs[0].full_name,
        operator.outputs[1].full_name,
    )


def _classifier_shapes(operator):
    require_numpy(operator.raw_operator.network_)
    calculate_linear_classifier_output_shapes(operator)
    model = operator.raw_operator
    if is_multilabel(model.network_):
        n = operator.inputs[0].get_first_dimension()
        operator.outputs[0].type.shape = [n, len(model.classes_)]


def _regressor_shapes(operator):
    require_numpy(operator.raw_operator.network_)
    calculate_linear_regressor_output_shapes(operator)
    n = operator.inputs[0].get_first_dimension()
    operator.outputs[0].type.shape = [n, operator.raw_operator.n_outputs_]


def _convert_regressor(scope, operator, container):
    X = operator.inputs[0]
    graph = Graph(scope, container, guess_numpy_type(X.type))
    out = network_graph(graph, operator.raw_operator.network_, X.full_name)
    graph.node("Identity", [out], operator.outputs[0].full_name)


def _classifier_parser(scope, model, inputs, custom_parsers=None):
    # skl2onnx's own parser reads classes_ before any converter of ours runs
    require_numpy(model.network_)
    return parse_classifier(scope, model, inputs, custom_parsers)


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
    update_registered_converter(
        TabularMLPClassifier,
        "SklearnScratchTabularMLPClassifier",
        _tabular.classifier_shapes,
        _tabular.convert_classifier,
        parser=_tabular.classifier_parser,
        options={"zipmap": [True, False, "columns"], "nocl": [True, False]},
    )
    update_registered_converter(
        TabularMLPRegressor,
        "SklearnScratchTabularMLPRegressor",
        _tabular.regressor_shapes,
        _tabular.convert_regressor,
        parser=_tabular.regressor_parser,
    )
    update_registered_converter(
        TabularBlendClassifier,
        "SklearnScratchTabularBlendClassifier",
        _blend.classifier_shapes,
        _blend.convert_classifier,
        parser=_blend.classifier_parser,
        options={"zipmap": [True, False, "columns"], "nocl": [True, False]},
    )
    update_registered_converter(
        TabularBlendRegressor,
        "SklearnScratchTabularBlendRegressor",
        _blend.regressor_shapes,
        _blend.convert_regressor,
        parser=_blend.regressor_parser,
    )


def input_types(model):
    """The graph inputs a fitted model takes, as skl2onnx's ``initial_types``.

    For a tabular model fitted on a DataFrame: one input per column, named as
    the column, a string tensor for a column of text or categories and a
    float tensor for one of numbers (``(None, 1)`` each). For a model fitted
    on an array of numbers, and for the Scratch estimators: one float matrix
    ``X`` of ``n_features_in_`` columns.

    Parameters
    ----------
    model : fitted estimator of this package

    Returns
    -------
    list of (str, skl2onnx type)

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_scratchnn import TabularMLPRegressor
    >>> from sklearn_scratchnn.onnx import input_types
    >>> X = pd.DataFrame({"size": [1.0, 2.0, 3.0, 4.0], "town": list("abab")})
    >>> reg = TabularMLPRegressor(hidden_layer_sizes=(4,), max_iter=2,
    ...                           random_state=0).fit(X, [1.0, 2.0, 3.0, 4.0])
    >>> [(name, type(kind).__name__) for name, kind in input_types(reg)]
    [('size', 'FloatTensorType'), ('town', 'StringTensorType')]
    """
    if isinstance(model, (TabularMLPClassifier, TabularMLPRegressor)):
        return table_input_types(model)
    if isinstance(model, (TabularBlendClassifier, TabularBlendRegressor)):
        return table_input_types(model.network_)  # the same columns
    from skl2onnx.common.data_types import FloatTensorType

    return [("X", FloatTensorType([None, model.n_features_in_]))]


def onnx_inputs(model, X, dtype=np.float32):
    """The rows of ``X`` as onnxruntime's feeds for ``input_types(model)``.

    Numbers become ``dtype`` (NaN where missing), text becomes strings with
    ``""`` for a missing cell, each an ``(n, 1)`` array named as its column;
    or one ``(n, n_features)`` matrix ``X``.

    Parameters
    ----------
    model : fitted estimator of this package
    X : DataFrame or array-like of shape (n_samples, n_features)
    dtype : float32 or float64, default=float32

    Returns
    -------
    dict of str to ndarray

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sklearn_scratchnn import TabularMLPRegressor
    >>> from sklearn_scratchnn.onnx import onnx_inputs
    >>> X = pd.DataFrame({"size": [1.0, 2.0, np.nan, 4.0],
    ...                   "town": ["a", None, "a", "b"]})
    >>> reg = TabularMLPRegressor(hidden_layer_sizes=(4,), max_iter=2,
    ...                           random_state=0).fit(X, [1.0, 2.0, 3.0, 4.0])
    >>> feeds = onnx_inputs(reg, X)
    >>> feeds["size"].ravel()
    array([ 1.,  2., nan,  4.], dtype=float32)
    >>> feeds["town"].ravel()
    array(['a', '', 'a', 'b'], dtype=object)
    """
    (first, _), *_ = types = input_types(model)
    _, columns = table_columns(X)
    if len(types) == 1 and first == "X" and len(columns) != 1:
        return {"X": np.column_stack([v.astype(dtype) for v, _ in columns])}
    if len(columns) != len(types):
        raise ValueError(
            f"X has {len(columns)} columns, but the model was fitted on "
            f"{len(types)}; give the same columns as in fit."
        )
    feeds = {}
    for (name, kind), (values, _) in zip(types, columns, strict=True):
        if type(kind).__name__ == "StringTensorType":
            text = ["" if is_missing(v) else str(v) for v in values]
            feeds[name] = np.array(text, dtype=object).reshape(-1, 1)
        else:
            feeds[name] = np.asarray(values, dtype=dtype).reshape(-1, 1)
    return feeds


register_onnx_converters()
