"""Command-line timings: each command in a fresh process, as a user runs it.

Times ``--help``, ``fit``, ``predict`` and ``info`` on a small CSV file (the
README's ``breast_cancer.csv``: 569 rows, 30 numeric columns), with pickle and
``.skops`` model files, beside the imports that each format needs, which are
the floor a command cannot go below. ``--before DIR`` times a second checkout
of the package (e.g. a ``git worktree`` of an earlier commit) interleaved with
this one, for a before/after table from one run. Writes ``results_cli.md``.

    python benchmarks/cli.py --before /tmp/before --repeats 7
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent

# what loading each kind of model file must import, whatever our code does
FLOORS = {
    "python itself": "pass",
    "pickle model: scikit-learn's Pipeline and pandas": "import sklearn.pipeline",
    ".skops model: skops.io": "import skops.io",
}


def commands(folder):
    data, pkl, skops = (folder / n for n in ("breast_cancer.csv", "m.pkl", "m.skops"))
    # the Scratch Pipeline, the model these timings were first taken with (and
    # the only one before --model: a --before checkout that old needs the
    # option taken out here)
    fit = ["fit", data, "--target", "diagnosis", "--model", "pipeline",
           "--max-iter", "300"]  # fmt: skip
    return {
        "--help": ["--help"],
        "fit --help": ["fit", "--help"],
        "fit, --save m.pkl": [*fit, "--save", pkl],
        "fit, --save m.skops": [*fit, "--save", skops],
        "predict m.pkl": ["predict", pkl, data, "--output", folder / "out.csv"],
        "predict m.skops": ["predict", skops, data, "--output", folder / "out.csv"],
        "info m.pkl": ["info", pkl],
        "info m.skops": ["info", skops],
    }


def write_data(folder):
    from sklearn.datasets import load_breast_cancer

    bunch = load_breast_cancer(as_frame=True)
    frame = bunch.frame.rename(columns={"target": "diagnosis"})
    frame["diagnosis"] = bunch.target_names[bunch.target]
    frame.to_csv(folder / "breast_cancer.csv", index=False)


def timed(argv, env, cwd):
    """Seconds of one command; run from ``cwd`` so that PYTHONPATH, not the
    current directory, says which checkout of the package it imports."""
    start = time.perf_counter()
    subprocess.run(argv, env=env, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def measure(trees, repeats):
    """``{tree: {command: median seconds}}``, and the floors' medians."""
    times = {tree: {} for tree in trees}
    floors = {name: [] for name in FLOORS}
    folders = {tree: Path(tempfile.mkdtemp(prefix="scratchnn-cli-")) for tree in trees}
    for tree, folder in folders.items():
        write_data(folder)
        where = subprocess.run(
            [sys.executable, "-c", "import sklearn_scratchnn as m; print(m.__file__)"],
            env={**os.environ, "PYTHONPATH": str(tree)},
            cwd=folder,
            capture_output=True,
            text=True,
        ).stdout
        assert where.startswith(str(tree)), f"{tree} imports {where}"
    for _ in range(repeats):
        for name, code in FLOORS.items():
            argv = [sys.executable, "-c", code]
            floors[name].append(timed(argv, os.environ, folders[trees[0]]))
        for tree in trees:  # interleaved: the VM's drift hits both alike
            env = {**os.environ, "PYTHONPATH": str(tree)}
            for name, args in commands(folders[tree]).items():
                argv = [sys.executable, "-m", "sklearn_scratchnn", *map(str, args)]
                seconds = timed(argv, env, folders[tree])
                times[tree].setdefault(name, []).append(seconds)
    median = statistics.median
    return (
        {tree: {n: median(t) for n, t in rows.items()} for tree, rows in times.items()},
        {name: median(t) for name, t in floors.items()},
    )


def machine():
    import numpy
    import pandas
    import sklearn
    import skops

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from threadpoolctl import threadpool_info

    kernels = {
        i.get("architecture") for i in threadpool_info() if i.get("architecture")
    }
    return (
        f"{cpu}, {os.cpu_count()} cores, BLAS kernels {', '.join(sorted(kernels))} "
        "(OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for the run); "
        f"Python {platform.python_version()}, "
        f"NumPy {numpy.__version__}, scikit-learn {sklearn.__version__}, pandas "
        f"{pandas.__version__}, skops {skops.__version__}"
    )


def report(times, floors, trees, repeats, before_name):
    ms = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
    lines = [
        "# Command-line timings",
        "",
        f"Machine: {machine()}. Each command in a fresh process, median of "
        f"{repeats} interleaved repeats (`python benchmarks/cli.py"
        + (" --before DIR" if len(trees) > 1 else "")
        + f" --repeats {repeats}`); the file is `breast_cancer.csv` (569 rows, "
        "30 numeric columns), `fit` trains 300 epochs of the Scratch Pipeline "
        "(`--model pipeline`).",
        "",
    ]
    after = times[trees[0]]
    if len(trees) > 1:
        before = times[trees[1]]
        lines += [
            f"| command | before ({before_name}) | after | change |",
            "| --- | --- | --- | --- |",
        ]
        for name in after:
            change = after[name] / before[name] - 1
            lines.append(
                f"| `{name}` | {ms(before[name])} | {ms(after[name])} | {change:+.0%} |"
            )
    else:
        lines += ["| command | time |", "| --- | --- |"]
        lines += [f"| `{name}` | {ms(t)} |" for name, t in after.items()]
    lines += [
        "",
        "What loading a model file must import, whatever our code does (a fresh "
        "`python -c`):",
        "",
        "| floor | time |",
        "| --- | --- |",
    ]
    lines += [f"| {name} | {ms(t)} |" for name, t in floors.items()]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="another checkout to time beside this one")
    parser.add_argument("--before-name", default="before", help="its label")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", default=str(HERE / "results_cli.md"))
    args = parser.parse_args(argv)
    trees = [ROOT] + ([Path(args.before).resolve()] if args.before else [])
    times, floors = measure(trees, args.repeats)
    text = report(times, floors, trees, args.repeats, args.before_name)
    Path(args.out).write_text(text)
    print(text)


if __name__ == "__main__":
    main()
