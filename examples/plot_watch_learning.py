"""
Watch the network learn
=======================

A network with one hidden layer of six tanh units learns the two interleaved
half-moons of :func:`~sklearn.datasets.make_moons`, one epoch at a time through
``partial_fit``. At a few epochs we stop to look: the left column is the
network's decision (the probability of the red class over the plane), and the
other columns are three of the hidden units, each a tanh of a weighted sum of the
two inputs. Every hidden unit can only draw a straight, soft edge across the plane;
the output layer learns to combine those edges into the curved boundary the moons
need, while each edge turns and sharpens to be of use.
"""

# %%
import copy

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_moons
from sklearn.preprocessing import StandardScaler

from sklearn_scratchnn import ScratchMLPClassifier

X, y = make_moons(n_samples=300, noise=0.2, random_state=0)
X = StandardScaler().fit_transform(X)

clf = ScratchMLPClassifier(
    hidden_layer_sizes=(6,),
    activation="tanh",
    learning_rate_init=0.03,
    random_state=0,
)
shown = [1, 5, 25, 200]
snapshots = {}
for epoch in range(1, shown[-1] + 1):
    clf.partial_fit(X, y, classes=[0, 1])  # one epoch over the 300 points
    if epoch in shown:
        snapshots[epoch] = copy.deepcopy(clf)

# %%
# The decision and three hidden units, at four moments of training
# -----------------------------------------------------------------
#
# The hidden activations are computed straight from the fitted weights:
# ``tanh(x @ coefs_[0] + intercepts_[0])`` is the first layer of the network.

xx, yy = np.meshgrid(np.linspace(-2.5, 2.5, 150), np.linspace(-2.5, 2.5, 150))
grid = np.column_stack([xx.ravel(), yy.ravel()])
units = [0, 1, 2]

fig, axes = plt.subplots(
    len(shown), 1 + len(units), figsize=(11, 2.6 * len(shown)), sharex=True, sharey=True
)
for row, epoch in zip(axes, shown, strict=True):
    model = snapshots[epoch]
    proba = model.predict_proba(grid)[:, 1].reshape(xx.shape)
    row[0].contourf(xx, yy, proba, levels=20, cmap="RdBu_r", vmin=0, vmax=1)
    row[0].scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu_r", s=8, edgecolor="k", lw=0.3)
    accuracy = model.score(X, y)
    row[0].set_ylabel(f"epoch {epoch}\naccuracy {accuracy:.2f}")
    hidden = np.tanh(grid @ model.coefs_[0] + model.intercepts_[0])
    for ax, unit in zip(row[1:], units, strict=True):
        ax.contourf(
            xx, yy, hidden[:, unit].reshape(xx.shape), levels=20, cmap="PuOr",
            vmin=-1, vmax=1,
        )  # fmt: skip
        ax.scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu_r", s=4, alpha=0.4)
axes[0, 0].set_title("network: P(red)")
for ax, unit in zip(axes[0, 1:], units, strict=True):
    ax.set_title(f"hidden unit {unit + 1}")
fig.tight_layout()

# %%
# The loss, epoch by epoch
# ------------------------
#
# ``partial_fit`` appends one entry to ``loss_curve_`` per call; the dots mark
# the epochs drawn above.

from sklearn_scratchnn.plotting import LossCurveDisplay  # noqa: E402

display = LossCurveDisplay.from_estimator(clf, name="moons, 6 tanh units")
display.ax_.plot(shown, [clf.loss_curve_[e - 1] for e in shown], "o", color="C3")
display.ax_.set_yscale("log")
plt.show()
