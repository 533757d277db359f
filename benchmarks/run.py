"""Benchmarks: ScratchMLPClassifier against scikit-learn's MLPClassifier.

Both run side by side in the same process on the same data with the same
parameters; repeats are interleaved (ours, sklearn, ours, sklearn, ...) and
the median is reported. The GEMM floor is the same matrix products alone, at
the same shapes and dtype: no implementation of this network can be faster.

    python benchmarks/run.py            # full run, writes results.md and .png
    python benchmarks/run.py --quick    # seconds: small sizes, one repeat
    python benchmarks/run.py --from-json RUN.json   # re-render a saved run

Peak memory is measured in a fresh subprocess per library (ru_maxrss).
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import scipy
import sklearn
from sklearn.datasets import load_digits, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from sklearn_scratchnn import ScratchMLPClassifier  # noqa: E402

HERE = Path(__file__).resolve().parent

# Workload (a): scikit-learn's parameters, spelled out so both get the same.
FIT_PARAMS = dict(
    hidden_layer_sizes=(100,),
    activation="logistic",
    solver="adam",
    batch_size=200,
    max_iter=5,
    tol=0.0,
    random_state=0,
)

# The fit rows: workload (a), with scikit-learn's default activation, with a
# small batch (per-call overhead) and with two hidden layers (the backward pass).
FIT_WORKLOADS = {
    "logistic, batch 200, (100,)": {},
    "relu, batch 200, (100,)": {"activation": "relu"},
    "logistic, batch 32, (100,)": {"batch_size": 32},
    "relu, batch 32, (100,)": {"activation": "relu", "batch_size": 32},
    "logistic, batch 200, (256, 128)": {"hidden_layer_sizes": (256, 128)},
    "relu, batch 200, (256, 128)": {
        "activation": "relu",
        "hidden_layer_sizes": (256, 128),
    },
}


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _interleaved(fns, repeats):
    """Median seconds of each function, running them in turn ``repeats`` times.

    Also returns, for every function after the first, the median of the
    first's time over its time in each round: this VM's speed drifts over
    minutes, and a ratio of two runs made back to back drifts much less than a
    ratio of two medians.
    """
    times = {name: [] for name in fns}
    results = {}
    for _ in range(repeats):
        for name, fn in fns.items():
            seconds, results[name] = _timed(fn)
            times[name].append(seconds)
    first, *others = fns
    ratios = {
        name: statistics.median(
            a / b for a, b in zip(times[first], times[name], strict=True)
        )
        for name in others
    }
    medians = {name: statistics.median(t) for name, t in times.items()}
    return medians, results, ratios


def _quiet(fn):
    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return fn()

    return run


def classification_data(n_samples, dtype, seed=0):
    X, y = make_classification(
        n_samples=n_samples,
        n_features=100,
        n_informative=30,
        n_classes=10,
        random_state=seed,
    )
    return X.astype(dtype), y


def gemm_floor(n_samples, layer_units, batch_size, epochs, dtype):
    """The matrix products of every batch of the fit, alone.

    Per batch and layer: the forward product ``a @ W``, the weight gradient
    ``a.T @ delta`` and, for every layer but the first, the delta sent back
    ``delta @ W.T``; at the same shapes and dtype as the fit.
    """
    rng = np.random.default_rng(0)
    m = batch_size

    def arr(*shape):
        return rng.standard_normal(shape).astype(dtype)

    acts = [arr(m, units) for units in layer_units]  # inputs, then deltas
    shapes = zip(layer_units[:-1], layer_units[1:], strict=True)
    weights = [arr(fan_in, fan_out) for fan_in, fan_out in shapes]
    outs = [np.empty((m, units), dtype) for units in layer_units]
    grads = [np.empty_like(W) for W in weights]
    n_batches = -(-n_samples // batch_size) * epochs

    def run():
        for _ in range(n_batches):
            for layer, W in enumerate(weights):  # forward
                np.matmul(acts[layer], W, out=outs[layer + 1])
            for layer in range(len(weights) - 1, -1, -1):  # backward
                np.matmul(acts[layer].T, acts[layer + 1], out=grads[layer])
                if layer > 0:
                    np.matmul(acts[layer + 1], weights[layer].T, out=outs[layer])

    return run


def max_weight_difference(ours, theirs):
    """Largest |ours - theirs| over every weight and bias: parity, in one number."""
    pairs = zip(
        ours.coefs_ + ours.intercepts_,
        theirs.coefs_ + theirs.intercepts_,
        strict=True,
    )
    return max(float(np.max(np.abs(a - b))) for a, b in pairs)


def bench_fit(X, y, params, repeats):
    X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    units = (X.shape[1], *params["hidden_layer_sizes"], len(np.unique(y)))
    fns = {
        "ours": _quiet(lambda: ScratchMLPClassifier(**params).fit(X_train, y_train)),
        "sklearn": _quiet(lambda: MLPClassifier(**params).fit(X_train, y_train)),
        "floor": gemm_floor(
            len(X_train), units, params["batch_size"], params["max_iter"], X.dtype
        ),
    }
    times, models, ratios = _interleaved(fns, repeats)
    accuracy = {k: models[k].score(X_test, y_test) for k in ("ours", "sklearn")}
    parity = max_weight_difference(models["ours"], models["sklearn"])
    return {
        "times": times,
        "ratio": ratios["sklearn"],
        "floor_ratio": ratios["floor"],
        "accuracy": accuracy,
        "max_weight_diff": parity,
    }


def bench_single_row(repeats, calls):
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    params = dict(hidden_layer_sizes=(64,), activation="logistic", random_state=0)
    ours = _quiet(lambda: ScratchMLPClassifier(**params).fit(X, y))()
    theirs = _quiet(lambda: MLPClassifier(**params).fit(X, y))()
    rows = [X[i : i + 1] for i in range(calls)]

    def latency(model):
        def run():
            for row in rows:
                model.predict_proba(row)

        return run

    times, _, ratios = _interleaved(
        {"ours": latency(ours), "sklearn": latency(theirs)}, repeats
    )
    return dict({k: v / calls for k, v in times.items()}, ratio=ratios["sklearn"])


def bench_bulk(n_samples, repeats):
    X, y = classification_data(n_samples, np.float64)
    small = dict(FIT_PARAMS, max_iter=1)
    ours = _quiet(lambda: ScratchMLPClassifier(**small).fit(X[:2000], y[:2000]))()
    theirs = _quiet(lambda: MLPClassifier(**small).fit(X[:2000], y[:2000]))()
    times, _, ratios = _interleaved(
        {
            "ours": lambda: ours.predict_proba(X),
            "sklearn": lambda: theirs.predict_proba(X),
        },
        repeats,
    )
    return dict(times, ratio=ratios["sklearn"])


MEMORY_CHILD = """
import json, sys, tracemalloc, warnings
import numpy as np
sys.path.insert(0, {root!r})
lib, n = sys.argv[1], int(sys.argv[2])
from sklearn.neural_network import MLPClassifier
from sklearn_scratchnn import ScratchMLPClassifier
rng = np.random.default_rng(0)
X = np.empty((n, 100), dtype=np.float32)
for start in range(0, n, 50_000):  # filled in chunks: no float64 copy
    X[start:start + 50_000] = rng.standard_normal((min(50_000, n - start), 100))
y = (X[:, :10].argmax(axis=1)).astype(np.int64)
Estimator = ScratchMLPClassifier if lib == "ours" else MLPClassifier
params = {params!r}
# NumPy reports its allocations to tracemalloc: the peak during fit is what
# fitting adds on top of X (BLAS's own small work buffers are not counted).
tracemalloc.start()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    Estimator(**params).fit(X, y)
_, peak = tracemalloc.get_traced_memory()
x_mb = X.nbytes / 2**20
print(json.dumps({{"peak_mb": x_mb + peak / 2**20, "x_mb": x_mb}}))
"""


def bench_memory(n_samples):
    code = MEMORY_CHILD.format(
        root=str(HERE.parent), params=dict(FIT_PARAMS, max_iter=1)
    )
    result = {}
    for lib in ("ours", "sklearn"):
        out = subprocess.run(
            [sys.executable, "-c", code, lib, str(n_samples)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        result[lib] = json.loads(out.strip().splitlines()[-1])
    return result


def bench_n_jobs(repeats, max_iter, quick=False):
    """GridSearchCV on digits with 1 and 2 parallel fits (loky processes)."""
    from sklearn.model_selection import GridSearchCV

    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    grid = {"hidden_layer_sizes": [(32,), (64,)], "learning_rate_init": [1e-3, 1e-2]}
    if quick:
        grid = {"hidden_layer_sizes": [(8,)], "learning_rate_init": [1e-3, 1e-2]}

    def search(n_jobs):
        def run():
            return GridSearchCV(
                ScratchMLPClassifier(max_iter=50, random_state=0),
                grid,
                cv=3,
                n_jobs=n_jobs,
            ).fit(X, y)

        return _quiet(run)

    times, _, _ = _interleaved({"1": search(1), "2": search(2)}, repeats)
    return times


def bench_cli_help(repeats):
    """Median seconds of the command line's --help, in a fresh process each time."""
    times = {}
    for args in (["--help"], ["fit", "--help"]):
        command = [sys.executable, "-m", "sklearn_scratchnn", *args]
        runs = []
        for _ in range(repeats):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            runs.append(time.perf_counter() - start)
        times[" ".join(args)] = statistics.median(runs)
    return times


def bench_scaling(sizes, repeats):
    times = {}
    for n in sizes:
        X, y = classification_data(n, np.float64)

        def fit(X=X, y=y):
            return ScratchMLPClassifier(**FIT_PARAMS).fit(X, y)

        times[n] = _interleaved({"ours": _quiet(fit)}, repeats)[0]["ours"]
    return times


def profile(fn, top=8):
    """Where ``fn`` spends its time: the functions with most time of their own."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(fn)
    stats = pstats.Stats(profiler).stats
    total = sum(entry[2] for entry in stats.values())
    rows = sorted(
        (
            (entry[2], entry[0], f"{Path(file).name}:{name}")
            for (file, _, name), entry in stats.items()
        ),
        reverse=True,
    )[:top]
    return [
        {"function": where, "calls": calls, "seconds": own, "share": own / total}
        for own, calls, where in rows
    ]


def bench_profiles(n_samples):
    X, y = classification_data(n_samples, np.float64)
    one_epoch = dict(FIT_PARAMS, max_iter=1)
    fitted = _quiet(lambda: ScratchMLPClassifier(**one_epoch).fit(X, y))()
    profiles = {}
    for name in (
        "logistic, batch 200, (100,)",
        "logistic, batch 32, (100,)",
        "logistic, batch 200, (256, 128)",
    ):
        params = dict(one_epoch, **FIT_WORKLOADS[name])
        profiles[f"fit {name} (one epoch, float64)"] = profile(
            _quiet(lambda params=params: ScratchMLPClassifier(**params).fit(X, y))
        )
    profiles["bulk predict_proba (float64)"] = profile(lambda: fitted.predict_proba(X))
    return profiles


def machine():
    from threadpoolctl import threadpool_info

    blas = [
        f"{i['internal_api']} {i.get('version')} ({i.get('architecture')}, "
        f"{i['num_threads']} threads)"
        for i in threadpool_info()
        if i["user_api"] == "blas"
    ]
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(
                line.split(":", 1)[1].strip() for line in f if "model name" in line
            )
    except (OSError, StopIteration):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
        "blas": "; ".join(sorted(set(blas))) or "unknown",
    }


def run(quick=False):
    sizes = dict(
        fit=5_000 if quick else 100_000,
        bulk=5_000 if quick else 100_000,
        memory=20_000 if quick else 500_000,
        scaling=[1_000, 2_000, 20_000] if quick else [10_000, 100_000, 1_000_000],
        repeats=1 if quick else 5,
        calls=50 if quick else 1000,
    )
    results = {"machine": machine(), "quick": quick, "sizes": sizes, "fit": []}
    for dtype in ("float64", "float32"):
        X, y = classification_data(sizes["fit"], dtype)
        for workload, overrides in FIT_WORKLOADS.items():
            params = dict(FIT_PARAMS, **overrides)
            row = bench_fit(X, y, params, sizes["repeats"])
            results["fit"].append(dict(row, workload=workload, dtype=dtype))
    results["single_row"] = bench_single_row(sizes["repeats"], sizes["calls"])
    results["bulk"] = bench_bulk(sizes["bulk"], sizes["repeats"])
    results["memory"] = bench_memory(sizes["memory"])
    results["scaling"] = bench_scaling(sizes["scaling"], 1)
    results["n_jobs"] = bench_n_jobs(sizes["repeats"], 5 if quick else 50, quick)
    results["profiles"] = bench_profiles(sizes["fit"])
    results["cli_help"] = bench_cli_help(sizes["repeats"])
    return results


def _ms(seconds):
    return f"{seconds * 1e3:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def report(results):
    """Markdown: a table of figure, ours, sklearn, ratio, floor, target."""
    s = results["sizes"]
    fit_rows = []
    for r in results["fit"]:
        t, acc = r["times"], r["accuracy"]
        fit_rows.append(
            (
                f"(a) {r['workload']}",
                r["dtype"],
                _ms(t["ours"]),
                _ms(t["sklearn"]),
                f"{r['ratio']:.2f}",
                _ms(t["floor"]),
                f"{r['floor_ratio']:.2f}",
                f"{acc['ours']:.4f} / {acc['sklearn']:.4f}",
                f"{r['max_weight_diff']:.1e}",
            )
        )
    rows = []
    t = results["single_row"]
    rows.append(
        (
            "(b) single-row predict_proba latency (digits model)",
            f"{t['ours'] * 1e6:.1f} us",
            f"{t['sklearn'] * 1e6:.1f} us",
            f"{t['ratio']:.2f}",
            "<= 0.15",
        )
    )
    t = results["bulk"]
    rows.append(
        (
            f"(c) bulk predict_proba, {s['bulk']:,} rows",
            _ms(t["ours"]),
            _ms(t["sklearn"]),
            f"{t['ratio']:.2f}",
            "<= 0.7",
        )
    )
    m = results["memory"]
    rows.append(
        (
            f"(d) peak fit memory, {s['memory']:,} x 100 float32 "
            f"(X is {m['ours']['x_mb']:.0f} MB)",
            f"{m['ours']['peak_mb']:.0f} MB",
            f"{m['sklearn']['peak_mb']:.0f} MB",
            f"{m['ours']['peak_mb'] / m['sklearn']['peak_mb']:.2f}",
            "<= X + 50 MB, <= sklearn",
        )
    )
    sc = results["scaling"]
    sizes = sorted(sc, key=int)
    linear = sc[sizes[-1]] / (10 * sc[sizes[-2]])
    rows.append(
        (
            "(e) fit time for n = " + ", ".join(f"{int(n):,}" for n in sizes),
            ", ".join(_ms(sc[n]) for n in sizes),
            "",
            f"largest / (10 x middle) = {linear:.2f}",
            "<= 1.2",
        )
    )
    t = results["n_jobs"]
    rows.append(
        (
            f"(f) GridSearchCV on digits, {'6' if results['quick'] else '12'} fits, "
            "n_jobs=1 / n_jobs=2",
            f"{_ms(t['1'])} / {_ms(t['2'])}",
            "",
            f"speed-up {t['1'] / t['2']:.2f}x on 2 cores",
            "no oversubscription",
        )
    )
    h = results["cli_help"]
    rows.append(
        (
            "(g) command line: `scratchnn --help` / `scratchnn fit --help`, "
            "fresh process",
            f"{_ms(h['--help'])} / {_ms(h['fit --help'])}",
            "",
            "",
            "<= 0.5 s",
        )
    )
    lines = [
        "# Benchmark results",
        "",
        "Generated by `python benchmarks/run.py"
        + (" --quick" if results["quick"] else "")
        + "`: ours and scikit-learn's MLPClassifier side by side in one process, "
        "interleaved repeats, medians. Ratio = ours / sklearn (lower is better): "
        "the median, over the repeats, of the two runs made back to back.",
        "",
        f"Fit: `make_classification` {s['fit']:,} x 100, 10 classes, 75% for "
        "training, adam, 5 epochs with `tol=0`. Floor = the same matrix products "
        "alone (see README.md); ours / floor = how far the fit is above it "
        "(paired the same way). "
        "Accuracy on the held-out 25%. Weight diff = the largest |ours - sklearn| "
        "over all weights and biases after the fit (same seed).",
        "",
        "| fit | dtype | ours | sklearn | ratio | floor | ours / floor "
        "| accuracy ours / sklearn | weight diff |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in fit_rows]
    lines += [
        "",
        "| figure | ours | sklearn | ratio | target |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    lines += ["", "Targets:", ""] + [f"- {line}" for line in verdicts(results)]
    lines += ["", "Machine:", ""]
    lines += [f"- {k}: {v}" for k, v in results["machine"].items()]
    for title, rows in results["profiles"].items():
        lines += [
            "",
            f"Profile of ours, {title}: the functions with the most time "
            "of their own (cProfile)",
            "",
            "| function | calls | own time | share |",
            "| --- | --- | --- | --- |",
        ]
        lines += [
            f"| {r['function']} | {r['calls']} | {_ms(r['seconds'])} | "
            f"{r['share']:.0%} |"
            for r in rows
        ]
    analysis = HERE / "analysis.md"  # hand-written: what limits the missed targets
    if analysis.exists():
        lines += ["", analysis.read_text().strip()]
    return "\n".join(lines) + "\n"


def verdicts(results):
    """One line per target of the performance issue: met or not, by how much."""
    out = []

    def say(ok, text):
        out.append(("met: " if ok else "missed: ") + text)

    for r in results["fit"]:
        acc = r["accuracy"]
        ratio, floor = r["ratio"], r["floor_ratio"]
        name = f"fit {r['workload']}, {r['dtype']}"
        say(ratio <= 0.5, f"{name}: <= 0.5 x sklearn (ours {ratio:.2f} x)")
        if r["dtype"] == "float32":
            say(floor <= 2.5, f"{name}: <= 2.5 x the GEMM floor (ours {floor:.2f} x)")
        gap = abs(acc["ours"] - acc["sklearn"]) * 100
        say(gap <= 0.5, f"{name}: accuracy within 0.5 points ({gap:.2f})")
    r = results["single_row"]
    say(
        r["ratio"] <= 0.15,
        f"single-row predict_proba <= 0.15 x ({r['ratio']:.2f} x)",
    )
    r = results["bulk"]
    say(
        r["ratio"] <= 0.7,
        f"bulk predict_proba <= 0.7 x ({r['ratio']:.2f} x)",
    )
    m = results["memory"]
    ours, theirs, x = m["ours"]["peak_mb"], m["sklearn"]["peak_mb"], m["ours"]["x_mb"]
    say(
        ours <= x + 50 and ours <= theirs,
        f"peak fit memory <= X + 50 MB and <= sklearn (X + {ours - x:.0f} MB; "
        f"sklearn X + {theirs - x:.0f} MB)",
    )
    sc = results["scaling"]
    n = sorted(sc, key=int)
    linear = sc[n[-1]] / (10 * sc[n[-2]])
    say(linear <= 1.2, f"fit time linear in n ({linear:.2f} <= 1.2)")
    slowest = max(results["cli_help"].values())
    say(slowest <= 0.5, f"command-line --help <= 0.5 s ({slowest:.2f} s)")
    return out


def plot(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 6))
    labels, ratios = [], []
    for r in results["fit"]:
        labels.append(f"fit {r['workload']}, {r['dtype']}")
        ratios.append(r["ratio"])
    for key, label in [("single_row", "1-row proba"), ("bulk", "bulk proba")]:
        labels.append(label)
        ratios.append(results[key]["ratio"])
    m = results["memory"]
    labels.append("fit memory")
    ratios.append(m["ours"]["peak_mb"] / m["sklearn"]["peak_mb"])
    ax1.barh(labels, ratios, color="tab:blue")
    ax1.axvline(1.0, color="black", linewidth=1)
    ax1.axvline(0.5, color="gray", linewidth=1, linestyle="--")
    ax1.set_xlabel("ours / scikit-learn (lower is better)")
    ax1.set_title("Side by side")
    sc = results["scaling"]
    n = sorted(sc, key=int)
    ax2.loglog([int(k) for k in n], [sc[k] for k in n], "o-", label="ours")
    ref = [sc[n[0]] * int(k) / int(n[0]) for k in n]
    ax2.loglog([int(k) for k in n], ref, "--", color="gray", label="linear in n")
    ax2.set_xlabel("n_samples")
    ax2.set_ylabel("fit seconds (5 epochs)")
    ax2.set_title("Fit time against n")
    ax2.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, seconds")
    parser.add_argument("--out", default=str(HERE / "results.md"))
    parser.add_argument(
        "--plot", default=str(HERE / "results.png"), help="PNG path, or 'none'"
    )
    parser.add_argument("--json", default=None, help="also dump raw results here")
    parser.add_argument(
        "--from-json",
        default=None,
        help="write the report and plot of a run saved with --json, without "
        "running anything (after editing analysis.md, say)",
    )
    args = parser.parse_args(argv)
    if args.from_json:
        results = json.loads(Path(args.from_json).read_text())
    else:
        results = run(quick=args.quick)
    text = report(results)
    Path(args.out).write_text(text)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    if args.plot != "none":
        plot(results, args.plot)
    print(text)


if __name__ == "__main__":
    main()
