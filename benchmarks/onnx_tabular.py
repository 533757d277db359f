"""The tabular models as ONNX graphs, checked by onnxruntime on every table
of ``benchmarks/tabular.py``, and their single-row latency beside HGB's.

For each table: the default ``TabularMLPClassifier``/``Regressor`` fitted on
80% of the rows (seed 0, as ``tabular.py`` splits them), exported through
skl2onnx with :func:`sklearn_scratchnn.onnx.input_types` (a float32 graph),
and run by onnxruntime on the held-out rows twice: as they are, and damaged
(a fifth of the numbers missing, a fifth of the text cells missing, a tenth
set to a category training never saw). Each is compared with ``predict_proba``
(labels with ``predict``) or ``predict``, in the standardised units the
network predicts (the target divided by its standard deviation).

Latency, on one table: one row at a time, the estimator's ``predict_proba``
on a one-row DataFrame against onnxruntime on the same row, and against
``HistGradientBoostingClassifier`` (one-hot text, numbers as they are)
exported through skl2onnx, all at one thread.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 \\
        OMP_NUM_THREADS=1 python benchmarks/onnx_tabular.py \\
        > benchmarks/results_onnx.md
"""

import argparse
import platform
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from tabular import TABLES, load  # noqa: E402


def damaged(X, seed=0):
    """``X`` with holes: numbers missing, text missing or never seen."""
    rng = np.random.RandomState(seed)
    X = X.copy()
    for column in X.columns:
        if str(X[column].dtype) == "category":
            values = X[column].astype(object)
            draw = rng.rand(len(values))
            values[draw < 0.2] = None
            values[(draw >= 0.2) & (draw < 0.3)] = "(never seen)"
            X[column] = values
        else:
            X[column] = X[column].astype(float).mask(rng.rand(len(X)) < 0.2)
    return X


def session(onx, threads=1):
    import onnxruntime as rt

    options = rt.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = threads
    return rt.InferenceSession(
        onx.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )


def rounded(X):
    """``X`` with its numbers rounded to float32, as a float32 input holds them."""
    X = X.copy()
    for column in X.columns:
        if X[column].dtype.kind in "biuf":
            X[column] = X[column].astype(np.float32).astype(float)
    return X


def agreement(model, graph, X, task):
    """``(largest difference, the same against the rows as float32 inputs
    hold them, labels identical)`` on the rows of ``X``."""
    from sklearn_scratchnn.onnx import onnx_inputs

    outputs = graph.run(None, onnx_inputs(model, X))
    if task == "classification":
        labels, proba = outputs
        gap = np.abs(proba - model.predict_proba(X)).max()
        graph_gap = np.abs(proba - model.predict_proba(rounded(X))).max()
        return float(gap), float(graph_gap), bool((labels == model.predict(X)).all())
    (values,) = outputs
    values = values.ravel()
    gap = np.abs(values - model.predict(X)).max() / model.y_scale_
    graph_gap = np.abs(values - model.predict(rounded(X))).max() / model.y_scale_
    return float(gap), float(graph_gap), None


def check_table(package, item, target, task, transform):
    from skl2onnx import to_onnx
    from sklearn.model_selection import train_test_split

    from sklearn_scratchnn import TabularMLPClassifier, TabularMLPRegressor
    from sklearn_scratchnn.onnx import input_types

    X, y = load(package, item, target, task, transform)
    X_train, X_test, y_train, _ = train_test_split(
        X, y, test_size=0.2, random_state=0,
        stratify=y if task == "classification" else None,
    )  # fmt: skip
    Model = TabularMLPClassifier if task == "classification" else TabularMLPRegressor
    model = Model(random_state=0).fit(X_train, y_train)
    options = {"zipmap": False} if task == "classification" else None
    graph = session(to_onnx(model, initial_types=input_types(model), options=options))
    clean = agreement(model, graph, X_test, task)
    holes = agreement(model, graph, damaged(X_test), task)
    return {"table": item, "task": task, "rows": len(X_test), "clean": clean,
            "damaged": holes, "model": model, "X_train": X_train,
            "y_train": y_train, "X_test": X_test}  # fmt: skip


def _median_seconds(call, repeats):
    call()  # warm
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def _skl2onnx_bools_as_ints():
    """skl2onnx 1.20 hands onnx a Python ``False`` for a leaf's
    ``nodes_missing_value_tracks_true``, which onnx 1.23's protobuf refuses
    ("Expected an int, got a boolean"): cast it, so that HGB exports."""
    import skl2onnx.common.tree_ensemble as trees

    original = trees.add_node
    if getattr(original, "casts_bools", False):
        return

    def add_node(*args, nodes_missing_value_tracks_true=0, **kwargs):
        missing = int(nodes_missing_value_tracks_true)
        return original(*args, nodes_missing_value_tracks_true=missing, **kwargs)

    add_node.casts_bools = True
    trees.add_node = add_node


def _hgb_graph(X_train, y_train):
    """HGB behind one-hot text, fitted and exported through skl2onnx."""
    from skl2onnx import to_onnx
    from skl2onnx.common.data_types import FloatTensorType, StringTensorType
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    text = [c for c in X_train.columns if str(X_train[c].dtype) == "category"]
    numbers = [c for c in X_train.columns if c not in text]
    X = X_train.copy()
    for column in text:  # ONNX has no missing string: "" it is, in fit too
        X[column] = X[column].astype(object).fillna("").astype(str)
    encode = ColumnTransformer(
        [("text", OneHotEncoder(handle_unknown="ignore"), text),
         ("numbers", "passthrough", numbers)],
        sparse_threshold=0,
    )  # fmt: skip
    hgb = make_pipeline(encode, HistGradientBoostingClassifier(random_state=0))
    hgb.fit(X, y_train)
    _skl2onnx_bools_as_ints()
    types = [
        (c, (StringTensorType if c in text else FloatTensorType)([None, 1]))
        for c in X.columns
    ]
    return session(to_onnx(hgb, initial_types=types, options={"zipmap": False}))


def latency(result, repeats):
    from sklearn_scratchnn.onnx import onnx_inputs

    model, X_test = result["model"], result["X_test"]
    row = X_test.iloc[:1]
    feeds = onnx_inputs(model, row)
    ours = session_of_model(model)
    hgb = _hgb_graph(result["X_train"], result["y_train"])
    hgb_feeds = dict(feeds)
    return {
        "estimator predict_proba": _median_seconds(
            lambda: model.predict_proba(row), repeats
        ),
        "onnxruntime, tabular model": _median_seconds(
            lambda: ours.run(None, feeds), repeats
        ),
        "onnxruntime, tabular model, feeds built from the row": _median_seconds(
            lambda: ours.run(None, onnx_inputs(model, row)), repeats
        ),
        "onnxruntime, HGB (skl2onnx)": _median_seconds(
            lambda: hgb.run(None, hgb_feeds), repeats
        ),
    }


def session_of_model(model):
    from skl2onnx import to_onnx

    from sklearn_scratchnn.onnx import input_types

    return session(
        to_onnx(model, initial_types=input_types(model), options={"zipmap": False})
    )


def render(results, timings, table):
    from threadpoolctl import threadpool_info

    import sklearn_scratchnn

    kernels = sorted(
        {i["architecture"] for i in threadpool_info() if "architecture" in i}
    )
    lines = [
        "# The tabular models in onnxruntime",
        "",
        "`python benchmarks/onnx_tabular.py` (its docstring gives the command), "
        f"sklearn-scratchnn {sklearn_scratchnn.__version__}, on "
        f"{platform.processor() or platform.machine()}, Python "
        f"{platform.python_version()}; BLAS kernels: {', '.join(kernels) or '?'}; "
        "one thread.",
        "",
        "Default model per table, seed 0's 80/20 split, float32 graph. Largest "
        "difference from the estimator on the held-out rows: probabilities "
        "(classification) or values over the target's standard deviation "
        "(regression); *damaged*: the same rows with a fifth of the numbers "
        "and of the text cells missing and a tenth of the text cells a "
        "category never seen in training.",
        "",
        "| table | task | rows | largest difference | of the graph alone | "
        "labels identical | damaged: largest difference | of the graph alone | "
        "labels identical |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:

        def shown(labels):
            return "-" if labels is None else ("yes" if labels else "**no**")

        (gap, alone, labels), (gap_d, alone_d, labels_d) = r["clean"], r["damaged"]
        lines.append(
            f"| {r['table']} | {r['task']} | {r['rows']} | {gap:.1e} | {alone:.1e} | "
            f"{shown(labels)} | {gap_d:.1e} | {alone_d:.1e} | {shown(labels_d)} |"
        )
    worst = max(max(r["clean"][0], r["damaged"][0]) for r in results)
    same = all(r["clean"][2] is not False and r["damaged"][2] is not False
               for r in results)  # fmt: skip
    lines += [
        "",
        f"Largest difference over all tables: {worst:.1e} (target: 1e-5); "
        f"labels identical on every table: {'yes' if same else 'no'}. *Of the "
        "graph alone*: against the estimator on the same rows rounded to "
        "float32, as a float32 input holds them (a longitude of -93.6 keeps "
        "only 8e-6 of its degrees); the rest of the difference is that "
        "rounding, which double inputs avoid.",
        "",
        f"Single-row latency on {table} (median of the calls, microseconds):",
        "",
        "| scoring one row | µs |",
        "| --- | --- |",
    ]
    lines += [f"| {name} | {seconds * 1e6:.0f} |" for name, seconds in timings.items()]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", nargs="*", help="a subset, by item name")
    parser.add_argument("--latency-table", default="credit_data")
    parser.add_argument("--repeats", type=int, default=300)
    args = parser.parse_args()
    results = []
    for spec in TABLES:
        if args.tables and spec[1] not in args.tables:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            results.append(check_table(*spec))
        print(f"{spec[1]}: {results[-1]['clean']}, {results[-1]['damaged']}",
              file=sys.stderr)  # fmt: skip
    chosen = next(r for r in results if r["table"] == args.latency_table)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        timings = latency(chosen, args.repeats)
    print(render(results, timings, args.latency_table))


if __name__ == "__main__":
    main()
