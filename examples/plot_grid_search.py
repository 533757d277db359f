"""
Grid search on digits
=====================

``ScratchMLPClassifier`` in a :class:`~sklearn.pipeline.Pipeline` with a
:class:`~sklearn.preprocessing.StandardScaler`, tuned by
:class:`~sklearn.model_selection.GridSearchCV` over the hidden layer's size and
the learning rate, on scikit-learn's hand-written digits.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_scratchnn import ScratchMLPClassifier

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)
pipe = Pipeline(
    [
        ("scale", StandardScaler()),
        ("mlp", ScratchMLPClassifier(max_iter=60, random_state=0)),
    ]
)
sizes = [8, 16, 32, 64]
rates = [1e-3, 3e-3, 1e-2, 3e-2]
search = GridSearchCV(
    pipe,
    {
        "mlp__hidden_layer_sizes": [(s,) for s in sizes],
        "mlp__learning_rate_init": rates,
    },
    cv=3,
    n_jobs=2,
)
# 60 epochs a fit is this search's budget, and most candidates stop there, each
# with a ConvergenceWarning: the cross-validated score, not the warning, is what
# the search compares, so the warning is silenced (scikit-learn hands the filter
# to the parallel workers too).
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    search.fit(X_train, y_train)
print("best:", search.best_params_)
print(f"held-out accuracy: {search.score(X_test, y_test):.4f}")

# %%
# Mean cross-validated accuracy of every pair: more units and larger steps help,
# up to a point, within 60 epochs.
scores = search.cv_results_["mean_test_score"].reshape(len(sizes), len(rates))
fig, ax = plt.subplots()
image = ax.imshow(scores, cmap="viridis")
ax.set_xticks(range(len(rates)), [str(r) for r in rates])
ax.set_yticks(range(len(sizes)), [str(s) for s in sizes])
ax.set_xlabel("learning_rate_init")
ax.set_ylabel("hidden units")
for i, j in np.ndindex(scores.shape):
    ax.text(j, i, f"{scores[i, j]:.3f}", ha="center", va="center", color="white")
fig.colorbar(image, label="mean CV accuracy")
ax.set_title("GridSearchCV on digits")
plt.show()
