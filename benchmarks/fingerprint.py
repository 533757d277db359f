"""A fingerprint of many fits: the bits of every fitted parameter and prediction.

A refactor that must leave training unchanged is checked by running this
before and after it and comparing the two files::

    python benchmarks/fingerprint.py before.json   # on the old commit
    python benchmarks/fingerprint.py after.json    # on the new one
    python benchmarks/fingerprint.py --compare before.json after.json

Each configuration's entry is a SHA-256 of its fitted parameters (every
network's flat vector, in order) and of its predictions on the training rows,
so one changed bit anywhere changes it. The configurations cover both
families: every solver, several activations and losses, float32, early
stopping, class and sample weights, ``partial_fit``, warm starts, and the
tabular models' ensembles, snapshots, validation sets and precisions.
"""

import hashlib
import json
import sys
import warnings

import numpy as np
import pandas as pd
from sklearn.datasets import make_classification, make_regression

from sklearn_scratchnn import (
    ScratchMLPClassifier,
    ScratchMLPRegressor,
    TabularMLPClassifier,
    TabularMLPRegressor,
)


def _digest(*arrays):
    h = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(np.asarray(a))
        h.update(str((a.dtype, a.shape)).encode())
        h.update(a.tobytes())
    return h.hexdigest()[:20]


def _scratch_parameters(model):
    return [*model.coefs_, *model.intercepts_]


def _tabular_parameters(model):
    return [np.asarray(n.params) for n in model.networks_]


def _table(n=300, seed=0, task="classification"):
    rng = np.random.RandomState(seed)
    if task == "classification":
        X, y = make_classification(n, 5, n_informative=3, n_classes=3, random_state=0)
    else:
        X, y = make_regression(n, 5, noise=5.0, random_state=0)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(5)])
    frame.loc[rng.rand(n) < 0.1, "x1"] = np.nan
    frame["colour"] = rng.choice(["red", "green", "blue"], n)
    frame["town"] = pd.Categorical(rng.choice([f"t{i}" for i in range(15)], n))
    return frame, y


def scratch_configurations():
    X, y = make_classification(200, 6, n_informative=4, n_classes=3, random_state=0)
    Xr, yr = make_regression(200, 6, noise=2.0, random_state=0)
    yr = yr / 100
    w = np.random.RandomState(1).rand(200) + 0.5
    for solver in ("sgd", "adam", "lbfgs"):
        for activation in ("logistic", "relu", "tanh", "identity"):
            params = dict(solver=solver, activation=activation, max_iter=25)
            yield f"clf {solver} {activation}", ScratchMLPClassifier, params, X, y, {}
            yield f"reg {solver} {activation}", ScratchMLPRegressor, params, Xr, yr, {}
    more = [
        ("clf early_stopping", dict(early_stopping=True, max_iter=40)),
        ("clf float32", dict(max_iter=20)),
        ("clf class_weight", dict(class_weight="balanced", max_iter=20)),
        ("clf sample_weight", dict(max_iter=20)),
        ("clf nesterov", dict(solver="sgd", momentum=0.8, max_iter=20)),
        ("clf adaptive", dict(solver="sgd", learning_rate="adaptive", max_iter=20)),
        ("clf two layers", dict(hidden_layer_sizes=(7, 5), max_iter=20)),
    ]
    for name, params in more:
        Xc = X.astype(np.float32) if "float32" in name else X
        fit = {"sample_weight": w} if "sample_weight" in name else {}
        yield name, ScratchMLPClassifier, {**params, "random_state": 0}, Xc, y, fit
    yield (
        "reg early_stopping",
        ScratchMLPRegressor,
        dict(early_stopping=True, max_iter=40),
        Xr,
        yr,
        {},
    )
    yield (
        "reg sample_weight",
        ScratchMLPRegressor,
        dict(max_iter=20),
        Xr,
        yr,
        {"sample_weight": w},
    )


def tabular_configurations():
    X, y = _table()
    Xr, yr = _table(task="regression")
    w = np.random.RandomState(2).rand(len(y)) + 0.5
    base = dict(max_iter=6, random_state=0)
    for name, params in [
        ("default", {}),
        ("no snapshots", dict(snapshots=False)),
        ("ensemble 3", dict(n_ensemble=3)),
        ("ensemble 3 n_jobs 2", dict(n_ensemble=3, n_jobs=2)),
        ("shared 3", dict(n_ensemble=3, ensemble="shared")),
        ("float32", dict(dtype="float32")),
        ("fixed budget", dict(budget="fixed", batch_size=32)),
        ("one hot 20", dict(max_one_hot=20)),
        ("two layers", dict(hidden_layer_sizes=(16, 8))),
    ]:
        p = {**base, **params}
        yield f"tab clf {name}", TabularMLPClassifier, p, X, y, {}
        yield f"tab reg {name}", TabularMLPRegressor, p, Xr, yr, {}
    yield (
        "tab clf sample_weight",
        TabularMLPClassifier,
        base,
        X,
        y,
        {"sample_weight": w},
    )
    yield (
        "tab reg sample_weight",
        TabularMLPRegressor,
        base,
        Xr,
        yr,
        {"sample_weight": w},
    )
    yield (
        "tab clf class_weight",
        TabularMLPClassifier,
        {**base, "class_weight": "balanced"},
        X,
        y,
        {},
    )
    yield (
        "tab clf X_val",
        TabularMLPClassifier,
        base,
        X[:240],
        y[:240],
        {
            "X_val": X[240:],
            "y_val": y[240:],
        },
    )
    yield (
        "tab reg X_val",
        TabularMLPRegressor,
        base,
        Xr[:240],
        yr[:240],
        {
            "X_val": Xr[240:],
            "y_val": yr[240:],
        },
    )


def fingerprints():
    out = {}
    for name, Estimator, params, X, y, fit in scratch_configurations():
        params = {"hidden_layer_sizes": (9,), "random_state": 0, **params}
        model = Estimator(**params).fit(X, y, **fit)
        predicted = model.predict_proba(X) if hasattr(model, "classes_") else None
        predictions = [model.predict(X)] + ([] if predicted is None else [predicted])
        out[name] = _digest(*_scratch_parameters(model), *predictions)
        if name.startswith("clf sgd logistic"):  # partial_fit and warm_start
            model = Estimator(**params)
            for _ in range(3):
                model.partial_fit(X, y, classes=np.unique(y))
            out[name + " partial_fit"] = _digest(*_scratch_parameters(model))
            model = Estimator(**{**params, "warm_start": True}).fit(X, y)
            model.fit(X, y)
            out[name + " warm_start"] = _digest(*_scratch_parameters(model))
    for name, Estimator, params, X, y, fit in tabular_configurations():
        model = Estimator(**params).fit(X, y, **fit)
        predictions = [model.predict(X)]
        if hasattr(model, "predict_proba"):
            predictions.append(model.predict_proba(X))
        out[name] = _digest(*_tabular_parameters(model), *predictions)
    return out


def main(argv):
    if argv[:1] == ["--compare"]:
        before, after = (json.loads(open(p).read()) for p in argv[1:3])
        changed = sorted(k for k in before if before[k] != after.get(k))
        missing = sorted(set(before) ^ set(after))
        print(f"{len(before)} fingerprints; changed: {changed}; only in one: {missing}")
        return 1 if changed or missing else 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prints = fingerprints()
    with open(argv[0], "w") as f:
        json.dump(prints, f, indent=1, sort_keys=True)
    print(f"{len(prints)} fingerprints written to {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
