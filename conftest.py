"""Test-session set-up, read by pytest before any test module is imported."""

import importlib.util
import os

# scikit-learn's array API dispatch needs SciPy's array API mode, which SciPy
# reads once, when it is first imported: set it before anything imports SciPy,
# so that `python -m pytest` runs the array API tests as written.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

# Under pytest-xdist (the README's `-n auto`) one worker runs on each core:
# one BLAS thread each, or the workers' thread pools fight over the cores (two
# workers of two OpenBLAS threads on two cores took a quarter more CPU time).
# Set before any test imports NumPy; the commands tests start inherit it.
if "PYTEST_XDIST_WORKER" in os.environ:
    for threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(threads, "1")

# Doctest collection: skip modules whose optional dependency is missing.
collect_ignore = []
if importlib.util.find_spec("skl2onnx") is None:
    collect_ignore.append("sklearn_scratchnn/onnx")  # the package, every module


def pytest_collection_modifyitems(items):
    import pytest

    # The docstring examples train for a few epochs to stay short (and the
    # article's runs its fixed 1500): reaching the iteration limit is what
    # they show, so their ConvergenceWarning is expected. Tests are run with
    # every other warning as an error (pyproject.toml).
    for item in items:
        if type(item).__name__ == "DoctestItem":
            item.add_marker(
                pytest.mark.filterwarnings(
                    "ignore::sklearn.exceptions.ConvergenceWarning"
                )
            )
