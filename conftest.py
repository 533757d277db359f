"""Doctest collection: skip modules whose optional dependency is missing."""

import importlib.util

collect_ignore = []
if importlib.util.find_spec("skl2onnx") is None:
    collect_ignore.append("sklearn_scratchnn/onnx.py")
