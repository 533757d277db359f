"""Before/after speed of fit in one process: another checkout against this one.

The other checkout's package is copied under another name (its imports are
relative), so both load side by side with scikit-learn's MLP, and each
workload of ``run.py``'s figure (a) (100k x 100, 10 classes, adam, 5 epochs)
is fitted by all three in turn, ``--repeats`` times: the VM's drift then hits
them alike. Reports the best time of each, the change, the ratios to
scikit-learn, and whether before and after reach bit-identical weights.

    git worktree add /tmp/before COMMIT
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/ab.py \\
        --before /tmp/before --repeats 3 --out benchmarks/results_ab.md
"""

import argparse
import importlib
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

WORKLOADS = [
    ("logistic", 200, (100,)),
    ("relu", 200, (100,)),
    ("logistic", 32, (100,)),
    ("relu", 32, (100,)),
    ("logistic", 200, (256, 128)),
    ("relu", 200, (256, 128)),
]


def load_before(checkout):
    folder = Path(tempfile.mkdtemp())
    shutil.copytree(Path(checkout) / "sklearn_scratchnn", folder / "scratch_before")
    sys.path.insert(0, str(folder))
    return importlib.import_module("scratch_before").ScratchMLPClassifier


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="the other checkout")
    parser.add_argument("--before-name", default="before")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", help="also write the table here")
    args = parser.parse_args(argv)
    from threadpoolctl import threadpool_info

    from sklearn_scratchnn import ScratchMLPClassifier as After

    Before = load_before(args.before)
    kernels = sorted(
        {i["architecture"] for i in threadpool_info() if "architecture" in i}
    )
    warnings.simplefilter("ignore")
    X, y = make_classification(
        n_samples=100_000, n_features=100, n_informative=30, n_classes=10,
        random_state=0,
    )  # fmt: skip
    lines = [
        f"BLAS kernels: {', '.join(kernels)}; best of {args.repeats} interleaved "
        "runs each.",
        "",
        f"| fit | dtype | {args.before_name} | after | change | {args.before_name} "
        "/ sklearn | after / sklearn | same weights |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    print("\n".join(lines), flush=True)
    for dtype in (np.float64, np.float32):
        X_train, _, y_train, _ = train_test_split(X.astype(dtype), y, random_state=0)
        for activation, batch, hidden in WORKLOADS:
            params = dict(
                hidden_layer_sizes=hidden, activation=activation, batch_size=batch,
                max_iter=5, tol=0.0, random_state=0,
            )  # fmt: skip
            times = {"before": [], "after": [], "sklearn": []}
            fitted = {}
            for _ in range(args.repeats):
                for name, Estimator in (
                    ("before", Before), ("after", After), ("sklearn", MLPClassifier)
                ):  # fmt: skip
                    start = time.perf_counter()
                    fitted[name] = Estimator(**params).fit(X_train, y_train)
                    times[name].append(time.perf_counter() - start)
            b, a, k = (min(times[n]) for n in ("before", "after", "sklearn"))
            same = np.array_equal(fitted["before"]._params, fitted["after"]._params)
            lines.append(
                f"| {activation}, batch {batch}, {hidden} | {np.dtype(dtype).name} | "
                f"{b:.3f} s | {a:.3f} s | {a / b - 1:+.1%} | {b / k:.2f} | "
                f"{a / k:.2f} | {'yes' if same else 'no'} |"
            )
            print(lines[-1], flush=True)
    if args.out:
        Path(args.out).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
