"""Write tabular models as this release saves them (plain data, format 1).

They stand for what users have on disk, so a later change that cannot load
them fails CI (``tests/tabular/test_saved_models.py``). Written once, by
commit 86cbd37, before the package's modules were rearranged::

    python tests/data/saved_models/make_tabular1.py

Never regenerate them to make a failing test pass; the predictions recorded
at save time are beside each model (``tabular1_<name>.npy``).
"""

import json
import pickle
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
import skops
import skops.io

import sklearn_scratchnn
from sklearn_scratchnn import TabularMLPClassifier, TabularMLPRegressor

HERE = Path(__file__).parent


def table():
    rng = np.random.RandomState(0)
    n = 120
    X = pd.DataFrame(
        {
            "size": rng.normal(10, 3, n),
            "colour": rng.choice(["red", "green", "blue"], n),
            "shop": rng.choice([f"s{i}" for i in range(12)], n),
        }
    )
    X.loc[::9, "size"] = np.nan
    return X


def main():
    X = table()
    y_class = np.where(X["size"].fillna(10) > 10, "big", "small")
    y_reg = X["size"].fillna(10).to_numpy() * 2
    settings = dict(hidden_layer_sizes=(8,), max_iter=8, n_ensemble=2, random_state=0)
    warnings.simplefilter("ignore")
    for name, model, y in [
        ("classifier", TabularMLPClassifier(**settings), y_class),
        ("regressor", TabularMLPRegressor(**settings), y_reg),
    ]:
        model.fit(X, y)
        stem = HERE / f"tabular1_{name}"
        stem.with_suffix(".pickle").write_bytes(pickle.dumps(model, protocol=4))
        skops.io.dump(model, stem.with_suffix(".skops"))
        predictions = (
            model.predict_proba(X) if name == "classifier" else model.predict(X)
        )
        X.to_csv(stem.with_suffix(".csv"), index=False)
        np.save(stem.with_suffix(".npy"), predictions)
    versions = {
        "sklearn-scratchnn": sklearn_scratchnn.__version__,
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "scikit-learn": sklearn.__version__,
        "skops": skops.__version__,
    }
    (HERE / "tabular1_versions.json").write_text(json.dumps(versions, indent=2) + "\n")


if __name__ == "__main__":
    main()
