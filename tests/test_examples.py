"""The gallery runs without a warning, as its pages are built.

sphinx-gallery writes whatever an example warns into the rendered page, with
the build machine's file paths in it; an example that shows a warning on
purpose catches it and says so.
"""

import runpy
import warnings
from pathlib import Path

import pytest

pytestmark = pytest.mark.processes  # see pyproject.toml's markers and .ci/run

pytest.importorskip("matplotlib")
EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("plot_*.py"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.name)
def test_example_runs_without_warnings(example, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.setattr(plt, "show", lambda *args, **kwargs: None)  # as the gallery
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        runpy.run_path(str(example), run_name="__main__")
    plt.close("all")
