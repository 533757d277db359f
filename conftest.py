"""Test-session set-up, read by pytest before any test module is imported."""

import importlib.util
import os

# scikit-learn's array API dispatch needs SciPy's array API mode, which SciPy
# reads once, when it is first imported: set it before anything imports SciPy,
# so that `python -m pytest` runs the array API tests as written.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

# Doctest collection: skip modules whose optional dependency is missing.
collect_ignore = []
if importlib.util.find_spec("skl2onnx") is None:
    collect_ignore.append("sklearn_scratchnn/onnx.py")
