"""What the installed package says about itself."""

import importlib.metadata
from pathlib import Path

import sklearn_scratchnn


def test_version_is_written_once():
    # pyproject.toml reads the version from __init__.py (setuptools' dynamic
    # attr), so the installed metadata and the module can never disagree.
    installed = importlib.metadata.version("sklearn-scratchnn")
    assert installed == sklearn_scratchnn.__version__


def test_type_hints_are_shipped():
    assert (Path(sklearn_scratchnn.__file__).parent / "py.typed").is_file()
