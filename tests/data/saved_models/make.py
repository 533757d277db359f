"""Write the saved models that tests/fitting/test_persistence.py loads.

Run once per model format (``python tests/data/saved_models/make.py``) and
commit the files: they stand for what users have on disk, so a later change
that cannot load them fails CI. Never regenerate the files of an existing
format to make a failing test pass. The predictions are recorded at save time
beside each model, in ``<name>.npz``.
"""

import json
import pickle
import sys
import warnings
from pathlib import Path

import numpy as np
import sklearn
from sklearn.datasets import load_diabetes, load_iris
from sklearn.exceptions import ConvergenceWarning

import sklearn_scratchnn
from sklearn_scratchnn import ScratchMLPClassifier, ScratchMLPRegressor
from sklearn_scratchnn._fitting.persistence import FORMAT_VERSION

HERE = Path(__file__).parent


def models():
    X, y = load_iris(return_X_y=True)
    labels = np.array(["setosa", "versicolor", "virginica"])[y]
    classifier = ScratchMLPClassifier(
        hidden_layer_sizes=(8,), max_iter=30, early_stopping=True, random_state=0
    ).fit(X, labels)
    yield "classifier", classifier, X, classifier.predict_proba(X)

    X, y = load_diabetes(return_X_y=True)
    regressor = ScratchMLPRegressor(
        hidden_layer_sizes=(8,), solver="lbfgs", max_iter=30, random_state=0
    ).fit(X, y / 100)
    yield "regressor", regressor, X, regressor.predict(X)


def main():
    import skops.io

    warnings.simplefilter("ignore", ConvergenceWarning)
    for name, model, X, predictions in models():
        stem = HERE / f"format{FORMAT_VERSION}_{name}"
        stem.with_suffix(".pickle").write_bytes(pickle.dumps(model, protocol=4))
        skops.io.dump(model, stem.with_suffix(".skops"))
        np.savez(stem.with_suffix(".npz"), X=X, predictions=predictions)
    versions = {
        "sklearn-scratchnn": sklearn_scratchnn.__version__,
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "scikit-learn": sklearn.__version__,
        "skops": skops.__version__,
    }
    (HERE / f"format{FORMAT_VERSION}_versions.json").write_text(
        json.dumps(versions, indent=2) + "\n"
    )


if __name__ == "__main__":
    main()
