"""Where a tabular fit's time goes: one fit of the defaults under cProfile.

The functions' own time (``tottime``) grouped by what they compute, as a
Markdown table. Run it alone, with the thread count it is to describe:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 \\
        python benchmarks/tabular_profile.py credit_data ames
"""

import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import tabular  # noqa: E402  (the benchmark's tables and splits)

# (what, file, function or class): a function counts for the first match; a
# class of nn.layers (a package of modules by kind) is found by its own lines
GROUPS = [
    ("matrix products", "arrays.py", "matmul"),
    ("activations (SELU, Mish) and their slopes", "activations.py", ""),
    ("parametric activations", None, "ParametricActivation"),
    ("periodic embedding", None, "PeriodicEmbedding"),
    ("dropout masks", None, "Dropout"),
    ("dense layers (besides their products)", None, "Dense"),
    ("Adam and weight decay", "optimizers.py", ""),
    ("preprocessing the table", "_preprocessing.py", ""),
]


def _class_lines():
    """``{class name: (module file, first line, last line)}`` of the layers,
    since cProfile names a method by its file and function alone."""
    import inspect

    from sklearn_scratchnn.nn import layers

    spans = {}
    for name, cls in inspect.getmembers(layers, inspect.isclass):
        if cls.__module__.startswith(layers.__name__):
            lines, start = inspect.getsourcelines(cls)
            file = Path(inspect.getsourcefile(cls))
            spans[name] = ("/".join(file.parts[-3:]), start, start + len(lines) - 1)
    return spans


def group_of(path, line, name, spans):
    for what, file, where in GROUPS:
        if file is not None:
            if path.endswith(file) and where in ("", name):
                return what
            continue
        tail, first, last = spans.get(where, ("", 0, -1))
        if tail and path.endswith(tail) and first <= line <= last:
            return what
    return "everything else"


def profile(item):
    from sklearn.model_selection import train_test_split

    table = next(t for t in tabular.TABLES if t[1] == item)
    X, y = tabular.load(*table)
    classify = table[3] == "classification"
    X_train, _, y_train, _ = train_test_split(
        X, y, test_size=0.2, random_state=0, stratify=y if classify else None
    )
    model = tabular.tabular(MODEL, classify, 0)
    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.runcall(model.fit, X_train, y_train)
    seconds = time.perf_counter() - start
    totals, spans = {}, _class_lines()
    for (path, line, name), row in pstats.Stats(profiler).stats.items():
        what = group_of(path, line, name, spans)
        totals[what] = totals.get(what, 0.0) + row[2]  # tottime
    return seconds, totals


MODEL = "tabular"


def main(items):
    for item in items:
        seconds, totals = profile(item)
        whole = sum(totals.values())
        print(f"### {item}: {seconds:.1f} s under the profiler\n")
        print("| where | share of the fit |\n| --- | --- |")
        for what, value in sorted(totals.items(), key=lambda kv: -kv[1]):
            print(f"| {what} | {value / whole:.0%} |")
        print()


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--model"]:  # a variant, as benchmarks/tabular.py names them
        MODEL, args = args[1], args[2:]
    main(args or ["credit_data"])
