"""
Decision boundaries of each activation
======================================

The same network (two hidden layers of 16 units, L-BFGS) with each hidden
activation, scikit-learn's four and SELU, Mish and GELU, on the two
interleaved half-moons of :func:`~sklearn.datasets.make_moons`, drawn with
scikit-learn's :class:`~sklearn.inspection.DecisionBoundaryDisplay`. The
identity makes the whole network linear, so its boundary is a straight line.
"""

import warnings

import matplotlib.pyplot as plt
from sklearn.datasets import make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.inspection import DecisionBoundaryDisplay

from sklearn_scratchnn import ScratchMLPClassifier

X, y = make_moons(n_samples=300, noise=0.25, random_state=0)
activations = ["logistic", "tanh", "relu", "identity", "selu", "mish", "gelu"]
fig, axes = plt.subplots(2, 4, figsize=(14, 7), sharex=True, sharey=True)
axes[-1, -1].set_visible(False)
for ax, activation in zip(axes.ravel(), activations, strict=False):
    clf = ScratchMLPClassifier(
        hidden_layer_sizes=(16, 16),
        activation=activation,
        solver="lbfgs",
        max_iter=500,
        random_state=0,
    )
    with warnings.catch_warnings():
        # 500 lbfgs iterations are this figure's budget; with older SciPy
        # releases a fit can stop there, which is not what the figure is about
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    DecisionBoundaryDisplay.from_estimator(
        clf, X, ax=ax, response_method="predict_proba", cmap="RdBu", alpha=0.6
    )
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu", edgecolor="k", s=15)
    ax.set_title(f"{activation}: accuracy {clf.score(X, y):.2f}")
fig.tight_layout()
plt.show()
