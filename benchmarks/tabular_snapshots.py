"""Which snapshots to average: one fit per table and seed, its predictions
combined afterwards in every way tried, against the restored best epoch.

The tabular default keeps, beside its restored best epoch, its network at
the ends of ``coslog4``'s four cycles (``snapshot_epochs``; the last is the
last epoch) in ``networks_``, so each combination is scored on the same fit,
each member predicting as the model's only network: the best epoch alone
(the reference), the last epoch, the four ends with and without the best
epoch, and the last two or three of them. On the benchmark's eight tables,
80/20 splits, 3 seeds, one thread:

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


def members_by_epoch(model):
    """``(best, ends)``: a fitted model's restored best epoch, and its network
    at each end of ``coslog4``'s cycles in order (the best epoch's own where
    it is one of them: the model keeps it once)."""
    from sklearn_scratchnn.tabular._network import snapshot_epochs

    best, *snapshots = model.networks_
    kept = model.best_epoch_ or model.n_iter_
    rest = iter(snapshots)
    ends = [
        best if epoch == kept else next(rest)
        for epoch in sorted(snapshot_epochs(model.n_iter_))
    ]
    return best, ends


def scored(task, model, members, X_test, y_test):
    """The score of the mean prediction of the networks ``members``, each
    predicting as the model's only network (its public ``networks_``)."""
    from sklearn.metrics import accuracy_score, r2_score

    kept, outputs = model.networks_, []
    for member in members:
        model.networks_ = [member]
        if task == "classification":
            outputs.append(model.predict_proba(X_test))
        else:
            outputs.append(model.predict(X_test))
    model.networks_ = kept
    mean = np.mean(outputs, axis=0)
    if task == "classification":
        return accuracy_score(y_test, model.classes_[np.argmax(mean, axis=1)])
    return r2_score(y_test, mean)


def run(seeds=(0, 1, 2)):
    from sklearn.model_selection import train_test_split

    changes = {}  # {(combination, table): [score - best's, per seed]}
    for package, item, target, task, transform in tabular.TABLES:
        X, y = tabular.load(package, item, target, task, transform)
        for seed in seeds:
            X_train, X_test, y_train, y_test = train_test_split(
                X, y, test_size=0.2, random_state=seed,
                stratify=y if task == "classification" else None,
            )  # fmt: skip
            model = tabular.tabular("tabular", task == "classification", seed)
            best, ends = members_by_epoch(model.fit(X_train, y_train))
            reference = scored(task, model, [best], X_test, y_test)
            for name, pick in COMBINATIONS.items():
                # the last epoch is the last cycle's end
                score = scored(task, model, pick(best, ends[-1], ends), X_test, y_test)
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
