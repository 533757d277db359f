"""Which snapshots to average: one fit per table and seed, its predictions
combined afterwards in every way tried, against the restored best epoch.

The weights after every epoch are recorded (by wrapping the epoch loop), so
each combination is scored on the same fit: the best epoch alone (the
reference), the last epoch, the snapshots at the ends of ``coslog4``'s four
cycles (the epochs ``_snapshot_epochs`` picks) with and without the best
epoch, and the last two or three of them. The tabular default otherwise,
with ``snapshots=False`` (the best epoch is the model's own prediction), on
the benchmark's eight tables, 80/20 splits, 3 seeds, one thread:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 \\
        OMP_NUM_THREADS=1 python benchmarks/tabular_snapshots.py \\
        > benchmarks/results_tabular_snapshots.md
"""

import platform
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import tabular  # noqa: E402  (the benchmark's tables and scores)

# each combination: the epochs it averages, from the best epoch ("best"),
# the run's epochs and the snapshot epochs (in order)
COMBINATIONS = {
    "last epoch": lambda best, last, ends: [last],
    "4 ends": lambda best, last, ends: ends,
    "best + 4 ends": lambda best, last, ends: [best, *ends],
    "best + last 3 ends": lambda best, last, ends: [best, *ends[1:]],
    "best + last 2 ends": lambda best, last, ends: [best, *ends[2:]],
    "best + last epoch": lambda best, last, ends: [best, last],
}


def recorded_fit(model, X, y):
    """``model`` fitted on ``X``, ``y``; the weights after each epoch."""
    from sklearn_scratchnn.nn import epochs as epoch_loop

    seen, one_epoch = [], epoch_loop._one_epoch

    def spy(loop, *args, **kwargs):
        ended = one_epoch(loop, *args, **kwargs)
        seen.append(loop.ws.params.copy())
        return ended

    epoch_loop._one_epoch = spy
    try:
        model.fit(X, y)
    finally:
        epoch_loop._one_epoch = one_epoch
    return seen


def scored(task, model, weights, X_test, y_test):
    """The score of the mean prediction of the networks with ``weights``."""
    from sklearn.metrics import accuracy_score, r2_score

    network, kept = model.network_, model.network_._params.copy()
    outputs = []
    for params in weights:
        network._params[...] = params
        if task == "classification":
            outputs.append(model.predict_proba(X_test))
        else:
            outputs.append(model.predict(X_test))
    network._params[...] = kept
    mean = np.mean(outputs, axis=0)
    if task == "classification":
        return accuracy_score(y_test, model.classes_[np.argmax(mean, axis=1)])
    return r2_score(y_test, mean)


def run(seeds=(0, 1, 2)):
    from sklearn.model_selection import train_test_split

    from sklearn_scratchnn.tabular._network import snapshot_epochs

    changes = {}  # {(combination, table): [score - best's, per seed]}
    for package, item, target, task, transform in tabular.TABLES:
        X, y = tabular.load(package, item, target, task, transform)
        for seed in seeds:
            X_train, X_test, y_train, y_test = train_test_split(
                X, y, test_size=0.2, random_state=seed,
                stratify=y if task == "classification" else None,
            )  # fmt: skip
            model = tabular.tabular(
                "tabular, no snapshots", task == "classification", seed
            )
            seen = recorded_fit(model, X_train, y_train)
            best = model.network_._params.copy()
            ends = [seen[e - 1] for e in sorted(snapshot_epochs(len(seen)))]
            reference = scored(task, model, [best], X_test, y_test)
            for name, pick in COMBINATIONS.items():
                score = scored(task, model, pick(best, seen[-1], ends), X_test, y_test)
                changes.setdefault((name, item), []).append(score - reference)
            print(f"{item} seed {seed} done", file=sys.stderr, flush=True)
    return changes


def render(changes):
    tables = list(dict.fromkeys(table for _, table in changes))
    lines = ["# Which snapshots to average", "",
             f"`python benchmarks/tabular_snapshots.py` on {platform.machine()}, "
             f"Python {platform.python_version()}, one thread; 3 seeds. The change "
             "in score (accuracy or R^2) over the restored best epoch alone, on "
             "the same fit: the mean over seeds, then over tables.", "",
             "| combination | mean change | tables worse | "
             + " | ".join(tables) + " |",
             "| --- | --- | --- |" + " --- |" * len(tables)]  # fmt: skip
    for name in COMBINATIONS:
        per_table = [float(np.mean(changes[(name, t)])) for t in tables]
        lines.append(
            f"| {name} | {np.mean(per_table):+.4f} | "
            f"{sum(c < 0 for c in per_table)}/{len(tables)} | "
            + " | ".join(f"{c:+.4f}" for c in per_table)
            + " |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(run()), end="")
