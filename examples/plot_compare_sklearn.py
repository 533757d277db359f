"""
Side by side with scikit-learn's MLPClassifier
==============================================

The same parameters and seed for both: ours follows scikit-learn's training
step for step (same initial weights, same shuffling, same loss), so the
accuracies agree; the times differ. ``benchmarks/run.py`` measures this
properly, with repeats; here is one run.
"""

import time
import warnings

import matplotlib.pyplot as plt
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

from sklearn_scratchnn import ScratchMLPClassifier

X, y = make_classification(
    n_samples=20_000, n_features=50, n_informative=20, n_classes=5, random_state=0
)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
params = dict(
    hidden_layer_sizes=(64,), activation="logistic", max_iter=10, random_state=0
)

results = {}
for name, Estimator in [
    ("sklearn-scratchnn", ScratchMLPClassifier),
    ("scikit-learn", MLPClassifier),
]:
    start = time.perf_counter()
    with warnings.catch_warnings():
        # both train exactly 10 epochs, the budget being timed: stopping at
        # that limit is the plan, not the convergence failure it warns of
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = Estimator(**params).fit(X_train, y_train)
    results[name] = (time.perf_counter() - start, model.score(X_test, y_test))
    print(f"{name:18s} fit {results[name][0]:.2f} s, accuracy {results[name][1]:.4f}")

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.5))
names = list(results)
ax1.bar(names, [results[n][0] for n in names], color=["tab:blue", "tab:gray"])
ax1.set_ylabel("fit seconds (10 epochs)")
ax2.bar(names, [results[n][1] for n in names], color=["tab:blue", "tab:gray"])
ax2.set_ylabel("held-out accuracy")
ax2.set_ylim(0, 1)
fig.tight_layout()
plt.show()
