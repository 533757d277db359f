"""A :class:`~sklearn_scratchnn.tabular.TablePreprocessor` as ONNX nodes: the
graph's inputs (one per column, or one matrix) in, the float matrix that
``transform`` returns out, in the same layout.

ONNX has no missing string: a missing text cell is given as ``""`` (as a CSV
reader or a database hands it over), and read as missing."""

import re

import numpy as np
from skl2onnx.common.data_types import (
    BooleanTensorType,
    DoubleTensorType,
    FloatTensorType,
    Int32TensorType,
    Int64TensorType,
    StringTensorType,
)

from ..tabular import TablePreprocessor
from ._graph import DOUBLE

NUMBER_TYPES = (
    FloatTensorType,
    DoubleTensorType,
    Int64TensorType,
    Int32TensorType,
    BooleanTensorType,
)
# |x| beyond this after scaling smooth-clips to 3 within 2e-10: clipping the
# scaled value there first keeps (x / 3)^2 finite in any precision
SATURATED = 1e6
LARGEST = 1e300  # infinity (which predict refuses) is clipped to this first


class TableExportError(ValueError):
    """What the export cannot cover, said in one line."""


def column_names(model):
    """The model's columns: the DataFrame's column names, or ``x0``, ``x1``,
    ... for an array."""
    names = getattr(model, "feature_names_in_", None)
    if names is None:
        return [f"x{j}" for j in range(model.n_features_in_)]
    return [str(c) for c in names]


def _onnx_name(column):
    name = re.sub(r"[^\w+]", "_", column)
    return "_" + name if re.match("^[0-9]", name) else name


def input_names(model):
    """The graph's input names for the model's columns: ONNX names are
    C-style, so skl2onnx writes ``_`` for any other character (``crl.tot``
    becomes ``crl_tot``) and puts ``_`` before a leading digit."""
    names = [_onnx_name(column) for column in column_names(model)]
    clashes = {n for n in names if names.count(n) > 1}
    if clashes:
        shared = [c for c in column_names(model) if _onnx_name(c) in clashes]
        raise TableExportError(
            f"columns {', '.join(shared)} would share an ONNX input name; "
            "rename them apart before fitting"
        )
    return names


def column_kinds(preprocessor):
    """``"number"`` or ``"text"`` for each input column, in order."""
    kinds = ["number"] * preprocessor.n_features_in_
    for j, _ in [*preprocessor.one_hot_columns_, *preprocessor.embedded_columns_]:
        kinds[j] = "text"
    return kinds


def resolve_inputs(model, inputs):
    """The graph's inputs checked against the model's columns: the list of
    one variable per column, or one matrix variable of numbers.

    ``inputs`` are skl2onnx's variables: one per column, named as the
    columns (skl2onnx's convention for a DataFrame), or one matrix of
    ``n_features_in_`` columns of numbers.
    """
    names, kinds = column_names(model), column_kinds(model.preprocessor_)
    aliases = dict(zip(input_names(model), names, strict=True))
    given = {aliases.get(v.raw_name, v.raw_name): v for v in inputs}
    if (len(inputs) == 1 and len(names) > 1) or inputs[0].raw_name not in (
        *names,
        *aliases,
    ):
        return _matrix_input(inputs, names, kinds)
    missing = [name for name in names if name not in given]
    if missing:
        raise TableExportError(
            f"the graph's inputs lack column(s) {', '.join(missing)}: give one "
            "input per column, named as in fit (sklearn_scratchnn.onnx."
            "input_types(model) lists them)"
        )
    for name, kind in zip(names, kinds, strict=True):
        _check_kind(given[name], name, kind)
    return [given[name] for name in names]


def input_columns(graph, model, inputs):
    """Per column of the table, the name of an ``(m, 1)`` tensor holding it."""
    resolved = resolve_inputs(model, inputs)
    if isinstance(resolved, list):
        return [variable.full_name for variable in resolved]
    return [graph.columns(resolved.full_name, [j]) for j in range(model.n_features_in_)]


def _matrix_input(inputs, names, kinds):
    if len(inputs) != 1:
        raise TableExportError(
            f"the graph's inputs ({', '.join(v.raw_name for v in inputs)}) are "
            f"not the model's columns ({', '.join(names)}); name one input per "
            "column as in fit (sklearn_scratchnn.onnx.input_types(model) lists "
            "them)"
        )
    if "text" in kinds:
        raise TableExportError(
            "a model with text columns takes one input per column: fit it on a "
            "DataFrame, or give initial_types=sklearn_scratchnn.onnx."
            "input_types(model)"
        )
    (matrix,) = inputs
    _check_kind(matrix, matrix.raw_name, "number")
    shape = matrix.type.shape
    width = shape[1] if len(shape) == 2 else None
    if width not in (None, len(names)):
        raise TableExportError(
            f"the input {matrix.raw_name!r} has {width} columns, but the model "
            f"was fitted on {len(names)}"
        )
    return matrix


def _check_kind(variable, name, kind):
    if kind == "text" and not isinstance(variable.type, StringTensorType):
        raise TableExportError(
            f"column {name!r} holds text in the model, so its input must be a "
            f"string tensor, not {type(variable.type).__name__} (a pandas "
            "category column counts as text: sklearn_scratchnn.onnx."
            "input_types(model) gives the types)"
        )
    if kind == "number" and not isinstance(variable.type, NUMBER_TYPES):
        raise TableExportError(
            f"column {name!r} holds numbers in the model, so its input must be "
            f"a float, integer or boolean tensor, not {type(variable.type).__name__}"
        )


def table_graph(graph, preprocessor, columns):
    """``preprocessor.transform`` as nodes: returns the name of the matrix,
    in the graph's precision (the numbers are scaled in float64 first)."""
    blocks = []
    if preprocessor.numeric_columns_:
        numbers, flags = _numbers_graph(
            graph, preprocessor.numeric_columns_, columns, preprocessor.smooth_clip
        )
        blocks += [numbers, *flags]
    for j, slots in preprocessor.one_hot_columns_:
        at = _slot_index(graph, columns[j], slots, default=-1)
        hot = graph.node("Equal", [at, graph.constant([range(len(slots))], np.int64)])
        blocks.append(graph.cast(hot, graph.proto))
    for j, codes in preprocessor.embedded_columns_:
        slots = sorted(codes, key=codes.get)  # code 1 first; 0 is unseen
        at = _slot_index(graph, columns[j], slots, default=-1)
        code = graph.node("Add", [at, graph.constant([1], np.int64)])
        blocks.append(graph.cast(code, graph.proto))
    return blocks[0] if len(blocks) == 1 else graph.node("Concat", blocks, axis=1)


def _numbers_graph(graph, numbers, columns, clip=True):
    """The numeric columns centred, scaled and smooth-clipped (``clip``;
    missing: 0), and the missing-value flags of those that had missing
    values in fit."""
    js, medians, scales, flagged = zip(*numbers, strict=True)
    x = [graph.cast(columns[j], DOUBLE) for j in js]
    x = x[0] if len(x) == 1 else graph.node("Concat", x, axis=1)

    def double(value):
        return graph.constant(value, np.float64)

    missing = graph.node("IsNaN", [x])
    x = graph.node(
        "Max", [graph.node("Min", [x, double([LARGEST])]), double([-LARGEST])]
    )
    centred = graph.node("Sub", [x, double([medians])])
    centred = graph.node("Where", [missing, double([0.0]), centred])
    scaled = graph.node("Mul", [centred, double([scales])])
    where = [i for i, flag in enumerate(flagged) if flag]
    flags = [graph.cast(graph.columns(missing, where), graph.proto)] if where else []
    if not clip:
        return graph.cast(scaled, graph.proto), flags
    scaled = graph.node(
        "Max", [graph.node("Min", [scaled, double([SATURATED])]), double([-SATURATED])]
    )
    # x / sqrt(1 + (x / 3)^2)
    ratio = graph.node("Div", [scaled, double([TablePreprocessor.CLIP])])
    root = graph.node(
        "Sqrt", [graph.node("Add", [double([1.0]), graph.node("Mul", [ratio, ratio])])]
    )
    clipped = graph.cast(graph.node("Div", [scaled, root]), graph.proto)
    return clipped, flags


def _slot_index(graph, column, slots, default):
    """Each text cell's position in ``slots`` as ``(m, 1)`` int64 (``default``
    for a category fit never saw); ``""`` and ``"(missing)"`` are missing."""
    keys = list(slots)
    if "(missing)" in slots:
        if "" in slots:
            raise TableExportError(
                "a text column held both empty strings and missing values in "
                "fit, which ONNX cannot tell apart (it reads '' as missing); "
                "fill the missing cells or the empty strings before fitting"
            )
        keys.append("")
    values = list(range(len(slots)))
    if "(missing)" in slots:
        values.append(slots.index("(missing)"))
    return graph.node(
        "LabelEncoder",
        [column],
        op_domain="ai.onnx.ml",
        keys_strings=keys,
        values_int64s=values,
        default_int64=default,
    )


def table_input_types(model):
    """skl2onnx's ``initial_types`` for the model: a string or float input
    per column, named as in fit (as ``input_names`` writes it); one
    float matrix ``X`` for a model fitted on an array of numbers."""
    kinds = column_kinds(model.preprocessor_)
    if getattr(model, "feature_names_in_", None) is None and "text" not in kinds:
        return [("X", FloatTensorType([None, len(kinds)]))]
    return [
        (name, (StringTensorType if kind == "text" else FloatTensorType)([None, 1]))
        for name, kind in zip(input_names(model), kinds, strict=True)
    ]
