"""
Decision boundaries of each activation
======================================

The same network (two hidden layers of 16 units, L-BFGS) with each hidden
activation, on the two interleaved half-moons of
:func:`~sklearn.datasets.make_moons`, drawn with scikit-learn's
:class:`~sklearn.inspection.DecisionBoundaryDisplay`. The identity makes the
whole network linear, so its boundary is a straight line.
"""

import matplotlib.pyplot as plt
from sklearn.datasets import make_moons
from sklearn.inspection import DecisionBoundaryDisplay

from sklearn_scratchnn import ScratchMLPClassifier

X, y = make_moons(n_samples=300, noise=0.25, random_state=0)
fig, axes = plt.subplots(1, 4, figsize=(14, 3.5), sharey=True)
for ax, activation in zip(axes, ["logistic", "tanh", "relu", "identity"], strict=True):
    clf = ScratchMLPClassifier(
        hidden_layer_sizes=(16, 16),
        activation=activation,
        solver="lbfgs",
        max_iter=500,
        random_state=0,
    ).fit(X, y)
    DecisionBoundaryDisplay.from_estimator(
        clf, X, ax=ax, response_method="predict_proba", cmap="RdBu", alpha=0.6
    )
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu", edgecolor="k", s=15)
    ax.set_title(f"{activation}: accuracy {clf.score(X, y):.2f}")
fig.tight_layout()
plt.show()
