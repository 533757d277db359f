"""What the stopping rule should watch when dropout is on, measured.

(A study of the core's own rule: the two signals it no longer uses are put
back for the comparison by patching the rule, the one place in the
benchmarks that patches the package.)

scikit-learn's rule (without early stopping) stops once the training loss has
not fallen by ``tol`` for ``n_iter_no_change`` epochs. Dropout makes that loss
noisy, so the rule can fire while the network still learns. Three signals,
side by side on the same fits (seeds 0-2):

- *dropout loss*: the epoch's training loss, masks included (the rule before);
- *smoothed*: an exponential average (0.9) of that loss;
- *without masks*: the objective on every training row with the network as it
  predicts, one forward pass an epoch (the rule now).

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 \\
        python benchmarks/dropout_stopping.py > benchmarks/results_dropout_stopping.md
"""

import platform
import time
import warnings
from contextlib import contextmanager
from unittest import mock

import numpy as np
from sklearn.datasets import load_digits, make_blobs
from sklearn.model_selection import train_test_split

from sklearn_scratchnn import ScratchMLPClassifier, ScratchMLPRegressor
from sklearn_scratchnn.nn import fit
from sklearn_scratchnn.nn.training import EpochState


def workloads():
    """``(name, estimator factory, X_train, y_train, X_test, y_test)``."""
    X, y = make_blobs(n_samples=500, centers=2, cluster_std=3.0, random_state=0)
    yield ("blobs, 32 units, dropout 0.5",
           lambda s: ScratchMLPClassifier((32,), max_iter=400, dropout=0.5,
                                          random_state=s),
           X[:300], y[:300], X[300:], y[300:])  # fmt: skip
    rng = np.random.RandomState(0)
    X, X_test = rng.uniform(-1, 1, (300, 1)), rng.uniform(-1, 1, (200, 1))
    yield ("y = 2 x, 16 units, dropout 0.2",
           lambda s: ScratchMLPRegressor((16,), max_iter=1000, dropout=0.2,
                                         random_state=s),
           X, 2 * X[:, 0], X_test, 2 * X_test[:, 0])  # fmt: skip
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X / 16, y, train_size=500, random_state=0
    )
    yield ("digits, 128 relu units, dropout 0.2",
           lambda s: ScratchMLPClassifier((128,), activation="relu", max_iter=300,
                                          dropout=0.2, random_state=s),
           X_train, y_train, X_test, y_test)  # fmt: skip


@contextmanager
def signal(name):
    """The stopping rule on ``name``'s signal."""
    if name == "without masks":
        yield
        return
    original = EpochState.record_loss

    def record_loss(self, loss, n_samples, watched=None):
        if name == "smoothed":
            previous = getattr(self, "_smoothed", None)
            loss_seen = loss if previous is None else 0.9 * previous + 0.1 * loss
            self._smoothed = loss_seen
            return original(self, loss, n_samples, loss_seen)
        return original(self, loss, n_samples)  # the dropout loss itself

    # the other signals: the rule reads the epoch's own loss, so the loss
    # without masks need not be computed (a forward pass an epoch)
    with (
        mock.patch.object(EpochState, "record_loss", record_loss),
        mock.patch.object(fit, "loss_without_masks", lambda *a: 0.0),
    ):
        yield


def main():
    lines = [
        "# The stopping rule with dropout",
        "",
        f"`python benchmarks/dropout_stopping.py`, {platform.machine()}, Python "
        f"{platform.python_version()}, one thread; seeds 0-2, mean (min-max) of "
        "the epochs run, the held-out score (accuracy, or R^2), and the mean fit "
        "time.",
        "",
        "| workload | signal | epochs | held-out score | seconds |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, make, X, y, X_test, y_test in workloads():
        for kind in ("no dropout", "dropout loss", "smoothed", "without masks"):
            epochs, scores, seconds = [], [], []
            for seed in range(3):
                model = make(seed)
                if kind == "no dropout":
                    model.set_params(dropout=0.0)
                with warnings.catch_warnings(), signal(kind):
                    warnings.simplefilter("ignore")
                    start = time.perf_counter()
                    model.fit(X, y)
                    seconds.append(time.perf_counter() - start)
                epochs.append(model.n_iter_)
                scores.append(model.score(X_test, y_test))
            lines.append(
                f"| {name} | {kind} | {np.mean(epochs):.0f} ({min(epochs)}-"
                f"{max(epochs)}) | {np.mean(scores):.3f} ({min(scores):.3f}-"
                f"{max(scores):.3f}) | {np.mean(seconds):.2f} |"
            )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
