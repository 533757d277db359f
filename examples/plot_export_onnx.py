"""
A tabular model as an ONNX graph, scored by onnxruntime
=======================================================

A :class:`~sklearn_scratchnn.TabularMLPClassifier` trained on a raw table —
numbers with holes, text with missing cells, a column of many categories —
is exported with its whole preprocessing, so that onnxruntime (in Python
here, but as well in Java, C#, C++ or a browser) scores raw rows with
nothing else around it. The graph takes one input per column, named as the
column: a float tensor for numbers (NaN where missing) and a string tensor
for text (``""`` where missing).

New rows are damaged on purpose: missing numbers, missing text, and
categories the model never saw in training. onnxruntime's probabilities are
drawn against the estimator's.
"""

import matplotlib.pyplot as plt
import numpy as np
import onnxruntime as rt
import pandas as pd
from skl2onnx import to_onnx

from sklearn_scratchnn import TabularMLPClassifier
from sklearn_scratchnn.onnx import input_types, onnx_inputs

rng = np.random.RandomState(0)


def customers(n):
    """A made-up table of customers, and whether each one churned."""
    frame = pd.DataFrame(
        {
            "age": rng.normal(45, 15, n).round(),
            "monthly_spend": rng.lognormal(3.5, 0.8, n),
            "plan": rng.choice(
                ["basic", "plus", "pro", None], n, p=[0.5, 0.3, 0.15, 0.05]
            ),
            "city": rng.choice([f"city {i}" for i in range(30)], n),
            "has_app": rng.rand(n) < 0.6,
        }
    )
    frame.loc[rng.rand(n) < 0.1, "monthly_spend"] = np.nan
    score = (
        (frame["age"] < 30) * 1.0
        + (frame["plan"] == "basic") * 1.2
        - frame["has_app"] * 0.8
        + rng.normal(0, 0.7, n)
    )
    return frame, np.where(score > 0.8, "churned", "stayed")


X, y = customers(1500)
clf = TabularMLPClassifier(hidden_layer_sizes=(64, 64), max_iter=16, random_state=0)
clf.fit(X, y)

# %%
# Export: :func:`~sklearn_scratchnn.onnx.input_types` lists the graph's
# inputs; importing :mod:`sklearn_scratchnn.onnx` registered the converter.
types = input_types(clf)
for name, kind in types:
    print(f"{name}: {type(kind).__name__}")
onx = to_onnx(clf, initial_types=types, options={"zipmap": False})

# %%
# New rows, with a few holes and unseen categories.
X_new, _ = customers(400)
X_new.loc[:40, "monthly_spend"] = np.nan
X_new.loc[40:80, "plan"] = None
X_new.loc[80:120, "plan"] = "enterprise"  # never seen in training
X_new.loc[120:160, "city"] = "a new city"  # never seen: the reserved slot

session = rt.InferenceSession(
    onx.SerializeToString(), providers=["CPUExecutionProvider"]
)
feeds = onnx_inputs(clf, X_new)  # each column as an (n, 1) array, "" for missing
labels, probabilities = session.run(None, feeds)
expected = clf.predict_proba(X_new)
print(f"largest difference: {np.abs(probabilities - expected).max():.1e}")
print(f"labels identical: {bool((labels == clf.predict(X_new)).all())}")

# %%
# onnxruntime computes in float32; the estimator in float64. The points lie
# on the diagonal.
fig, ax = plt.subplots(figsize=(4.5, 4.5))
ax.scatter(expected[:, 0], probabilities[:, 0], s=8)
ax.plot([0, 1], [0, 1], color="grey", lw=0.8)
ax.set_xlabel("estimator: P(churned)")
ax.set_ylabel("onnxruntime: P(churned)")
ax.set_title("The same model, two runtimes")
fig.tight_layout()
plt.show()
