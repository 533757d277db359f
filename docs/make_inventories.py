"""Write the small intersphinx inventories in ``_intersphinx/``.

The machines that build these docs have no internet access, so Sphinx cannot
download numpy's, scipy's and scikit-learn's ``objects.inv``. ``conf.py``
tries the real inventories first and falls back to these, which list only
the names our pages link to, with their real documentation addresses.

    python docs/make_inventories.py
"""

import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent / "_intersphinx"

PROJECTS = {
    "numpy": (
        "NumPy",
        "2.4",
        "reference/generated/{name}.html#{name}",
        [
            ("numpy.ndarray", "py:class"),
            ("numpy.float32", "py:attribute"),
            ("numpy.float64", "py:attribute"),
            ("numpy.exp", "py:data"),
            ("numpy.take", "py:function"),
            ("numpy.matmul", "py:data"),
            ("numpy.errstate", "py:class"),
            ("numpy.memmap", "py:class"),
        ],
    ),
    "scipy": (
        "SciPy",
        "1.17",
        "reference/generated/{name}.html#{name}",
        [
            ("scipy.optimize.minimize", "py:function"),
            ("scipy.special.expit", "py:data"),
            ("scipy.sparse.csr_matrix", "py:class"),
        ],
    ),
    "sklearn": (
        "scikit-learn",
        "1.9",
        "modules/generated/{name}.html#{name}",
        [
            ("sklearn.neural_network.MLPClassifier", "py:class"),
            ("sklearn.neural_network.MLPRegressor", "py:class"),
            ("sklearn.pipeline.Pipeline", "py:class"),
            ("sklearn.model_selection.GridSearchCV", "py:class"),
            ("sklearn.model_selection.train_test_split", "py:function"),
            ("sklearn.preprocessing.StandardScaler", "py:class"),
            ("sklearn.preprocessing.LabelBinarizer", "py:class"),
            ("sklearn.inspection.DecisionBoundaryDisplay", "py:class"),
            ("sklearn.utils.class_weight.compute_class_weight", "py:function"),
            ("sklearn.base.BaseEstimator", "py:class"),
            ("sklearn.base.ClassifierMixin", "py:class"),
            ("sklearn.base.RegressorMixin", "py:class"),
            ("sklearn.callback.ProgressBar", "py:class"),
            ("sklearn.callback.ScoringMonitor", "py:class"),
            ("sklearn.datasets.load_digits", "py:function"),
            ("sklearn.datasets.make_moons", "py:function"),
            ("sklearn.datasets.make_classification", "py:function"),
            ("sklearn.utils.estimator_checks.parametrize_with_checks", "py:function"),
            ("sklearn.exceptions.ConvergenceWarning", "py:class"),
        ],
    ),
}


def inventory(project, version, pattern, names):
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    lines = "".join(
        f"{name} {role} 1 {pattern.format(name=name)} -\n" for name, role in names
    )
    return header.encode() + zlib.compress(lines.encode())


if __name__ == "__main__":
    HERE.mkdir(exist_ok=True)
    for key, spec in PROJECTS.items():
        (HERE / f"{key}.inv").write_bytes(inventory(*spec))
        print(f"wrote {HERE / (key + '.inv')}")
