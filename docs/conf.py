"""Sphinx configuration of the sklearn-scratchnn documentation."""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sklearn_scratchnn  # noqa: E402

project = "sklearn-scratchnn"
author = "the sklearn-scratchnn developers"
copyright = "2026, the sklearn-scratchnn developers"
release = version = sklearn_scratchnn.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    # MathJax served from _static/mathjax: the math renders with no network
    "sphinx-mathjax-offline",  # (its import name has hyphens)
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
# the benchmark pages include Markdown results whose sections start at "##"
# (under a section of the including page): that nesting is intended
suppress_warnings = ["myst.header"]
exclude_patterns = [
    "_build",
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "auto_examples/*.zip",
    "auto_examples/*.md5",
    "sg_execution_times.rst",
]
html_theme = "pydata_sphinx_theme"
html_title = "sklearn-scratchnn"
html_theme_options = {"navigation_with_keys": False, "show_toc_level": 2}

numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
autodoc_default_options = {"members": False}

# The build machines are offline: try the real inventories, then the small
# ones docs/make_inventories.py writes (the names these pages link to).
_inv = str(Path(__file__).resolve().parent / "_intersphinx")
intersphinx_mapping = {
    "numpy": ("https://numpy.org/doc/stable/", (None, f"{_inv}/numpy.inv")),
    "scipy": ("https://docs.scipy.org/doc/scipy/", (None, f"{_inv}/scipy.inv")),
    "sklearn": ("https://scikit-learn.org/stable/", (None, f"{_inv}/sklearn.inv")),
}
intersphinx_timeout = 5

sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "download_all_examples": False,
    "remove_config_comments": True,
    "show_memory": False,
    "within_subsection_order": "FileNameSortKey",
}
