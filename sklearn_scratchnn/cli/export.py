"""``scratchnn export MODEL ONNX_FILE``: a saved model as an ONNX graph.

The graph takes the model's columns as they are in the CSV file, one input
each, named as the column: a float for a numeric column (NaN where missing)
and a string for any other (an empty string where missing). It returns the
predicted labels and the class probabilities (classification) or the
predicted values (regression). skl2onnx builds it; onnxruntime, in any
language, runs it.
"""

import sys
from pathlib import Path

from .messages import CommandError
from .model_files import load_model, written_beside
from .outputs import check_output

_NEEDS_ONNX = (
    'export needs skl2onnx and onnxruntime: pip install "sklearn-scratchnn[onnx]"'
)


def _input_types(saved):
    """skl2onnx's ``initial_types`` for the model's columns."""
    from skl2onnx.common.data_types import FloatTensorType, StringTensorType

    model = saved["model"]
    from ..onnx import input_types

    if getattr(model, "named_steps", None) is None:  # the tabular model, a blend
        return input_types(model)
    categorical = set(saved["categorical"])
    return [
        (c, (StringTensorType if c in categorical else FloatTensorType)([None, 1]))
        for c in saved["columns"]
    ]


def _graph(saved):
    try:
        from skl2onnx import to_onnx

        import sklearn_scratchnn.onnx  # noqa: F401  (registers the converters)
    except ImportError:
        raise CommandError(_NEEDS_ONNX) from None
    options = {"zipmap": False} if saved["task"] == "classification" else None
    types = _input_types(saved)
    model = saved["model"]
    if getattr(model, "named_steps", None) is None:
        return to_onnx(model, initial_types=types, options=options), types
    try:  # the pipeline: scikit-learn's transformers, skl2onnx's converters
        return to_onnx(model, initial_types=types, options=options), types
    except (NotImplementedError, RuntimeError, ValueError, TypeError) as error:
        reason = str(error).strip().splitlines()[0]
        raise CommandError(
            f"skl2onnx cannot convert this --model pipeline model ({reason}); "
            "the tabular model, fit's default, exports with all of its "
            "preprocessing"
        ) from None


def export_onnx(args, out=sys.stdout):
    model_path, target = Path(args.model), Path(args.onnx)
    if target.suffix != ".onnx":
        raise CommandError(f"{target}: the ONNX file's name must end in .onnx")
    if not target.parent.is_dir():
        raise CommandError(f"{target}: the directory {target.parent} does not exist")
    check_output(
        target,
        option="ONNX_FILE",
        kind="ONNX graph",
        reads={"model": model_path},
        force=args.force,
    )
    saved = load_model(model_path)
    onx, types = _graph(saved)
    with written_beside(target) as temporary:
        temporary.write_bytes(onx.SerializeToString())
    print(f"ONNX graph written to {target}", file=out)
    print("inputs (one per column, each of shape [rows, 1]):", file=out)
    for (name, kind), column in zip(types, saved["columns"], strict=True):
        text = type(kind).__name__ == "StringTensorType"
        what = "string, '' where missing" if text else "float, NaN where missing"
        named = "" if name == column else f" (column {column!r})"
        print(f"  {name}{named}: {what}", file=out)
    outputs = ", ".join(o.name for o in onx.graph.output)
    print(f"outputs: {outputs}", file=out)
    return onx
