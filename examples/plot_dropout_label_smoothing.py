"""
Dropout and label smoothing on a network that overfits
======================================================

A wide network (256 relu units, adam at ``learning_rate_init=0.01``) trained on
200 of scikit-learn's hand-written digits fits its training rows within a few
dozen epochs; after that its held-out log-loss climbs again, as its
probabilities grow more confident than its accuracy warrants. Two of the
pieces the core adds beyond scikit-learn's MLP change that fit:

- ``dropout=0.5`` leaves out half of the hidden units in every mini-batch
  (and none at prediction);
- ``label_smoothing=0.1`` fits the targets ``0.9 y + 0.1 / 10`` instead of
  one-hot rows, so no probability is pushed towards exactly 1.

Each model is trained one epoch at a time with ``partial_fit`` and scored on
the held-out rows after every epoch, with the same seed.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split

from sklearn_scratchnn import ScratchMLPClassifier

X, y = load_digits(return_X_y=True)
X = X / 16.0
X_train, X_val, y_train, y_val = train_test_split(
    X, y, train_size=200, stratify=y, random_state=0
)
common = dict(
    hidden_layer_sizes=(256,), activation="relu", learning_rate_init=0.01,
    random_state=0,
)  # fmt: skip
models = {
    "plain": ScratchMLPClassifier(**common),
    "dropout=0.5": ScratchMLPClassifier(dropout=0.5, **common),
    "label_smoothing=0.1": ScratchMLPClassifier(label_smoothing=0.1, **common),
}
epochs = 100
curves = {name: {"train": [], "log-loss": [], "accuracy": []} for name in models}
for name, model in models.items():
    for _ in range(epochs):
        model.partial_fit(X_train, y_train, classes=np.arange(10))
        curve = curves[name]
        curve["train"].append(log_loss(y_train, model.predict_proba(X_train)))
        curve["log-loss"].append(log_loss(y_val, model.predict_proba(X_val)))
        curve["accuracy"].append(model.score(X_val, y_val))
    best = int(np.argmin(curve["log-loss"]))
    print(
        f"{name:20s} held-out log-loss: best {curve['log-loss'][best]:.3f} "
        f"(epoch {best + 1}), last {curve['log-loss'][-1]:.3f}; "
        f"accuracy last {curve['accuracy'][-1]:.4f}"
    )

# %%
# Left, the training loss; middle, the held-out log-loss, which turns upwards
# for the plain network and stays nearly flat with dropout; right, the
# held-out accuracy. Label smoothing caps the probabilities, which costs
# log-loss on rows it gets right but not accuracy.
fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
for ax, key in zip(axes, ["train", "log-loss", "accuracy"], strict=True):
    for name in models:
        ax.plot(np.arange(1, epochs + 1), curves[name][key], label=name)
    ax.set_title("training log-loss" if key == "train" else f"held-out {key}")
    ax.set_xlabel("epoch")
axes[0].set_yscale("log")
axes[0].legend()
fig.tight_layout()
plt.show()
