"""Write the tabular models of the release before they were saved as plain data.

Those files stand for what users of that release have on disk. They were
written once, by that release (commit 9a954fe) in a worktree of its own:

    git worktree add /tmp/old 9a954fe
    PYTHONPATH=/tmp/old python tests/data/saved_models/make_tabular0.py \\
        tests/data/saved_models

Never regenerate them with a later release; tests/test_tabular.py loads them
and checks the predictions recorded beside them (``tabular0_*.npy``).
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
import sklearn_scratchnn._tabular_mlp
from sklearn_scratchnn import TabularMLPClassifier, TabularMLPRegressor


def main():
    # the release before plain-state saving has no _as_public
    assert not hasattr(sklearn_scratchnn._tabular_mlp, "_as_public"), (
        "run this with the release of commit 9a954fe on PYTHONPATH"
    )
    HERE = Path(sys.argv[1])
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
    y_class = np.where(X["size"].fillna(10) > 10, "big", "small")
    y_reg = X["size"].fillna(10).to_numpy() * 2
    warnings.simplefilter("ignore")
    for name, model, y in [
        (
            "classifier",
            TabularMLPClassifier(hidden_layer_sizes=(8,), max_epochs=4, random_state=0),
            y_class,
        ),
        (
            "regressor",
            TabularMLPRegressor(hidden_layer_sizes=(8,), max_epochs=4, random_state=0),
            y_reg,
        ),
    ]:
        model.fit(X, y)
        stem = HERE / f"tabular0_{name}"
        stem.with_suffix(".pickle").write_bytes(pickle.dumps(model, protocol=4))
        skops.io.dump(model, stem.with_suffix(".skops"))
        predictions = (
            model.predict_proba(X) if name == "classifier" else model.predict(X)
        )
        X.to_csv(stem.with_suffix(".csv"), index=False)
        np.save(stem.with_suffix(".npy"), predictions)
    (HERE / "tabular0_versions.json").write_text(
        json.dumps(
            {
                "sklearn-scratchnn": "0.1.0 at 9a954fe (tabular models pickled whole)",
                "python": sys.version.split()[0],
                "numpy": np.__version__,
                "scikit-learn": sklearn.__version__,
                "skops": skops.__version__,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
