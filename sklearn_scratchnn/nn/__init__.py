"""The numerical core: a network on one flat parameter vector, and its training.

NumPy-first, and any Array API namespace through ``arrays.py``; it never
imports scikit-learn, so it can be read, tested and reused on its own. Imports
point one way: ``epochs`` -> ``training`` -> ``optimizers`` and ``network``
-> ``losses`` -> ``activations`` -> ``arrays``.

- ``layers/``: the layers, each forward beside its backward, one protocol
  for all (``Layer``: one signature for each method), by kind: dense (with
  the activation it applies, and its NTK form), elementwise (parametric
  activation, dropout, scaling), embeddings (periodic, categorical),
  TabM-mini's members;
- ``activations.py``: each activation beside its derivative;
- ``losses.py``: each loss beside the output-layer delta it produces;
- ``network.py``: the network on one flat parameter vector: layout,
  initialisation, forward, loss; ``backprop.py``: the loss and its gradient
  on a batch (the backward pass); ``workspace.py``: the buffers they use;
- ``arrays.py``: the array namespace the core computes in (NumPy's ``out=``
  kept);
- ``optimizers.py``: SGD (momentum, Nesterov) and Adam, in place on the flat
  vector, with decoupled weight decay and per-group learning rates;
- ``schedules.py``: plans over a fit's batches (cosine, coslog4, flat_cos)
  for the learning rate, dropout and weight decay;
- ``rows.py``: keys of identical rows (dropout draws one mask per row);
- ``training.py``: mini-batches, one epoch, the stopping rule, L-BFGS via scipy;
- ``epochs.py``: the epoch loop of sgd/adam (shuffling, early stopping's best
  weights, interruption, divergence), reporting through a hook;
- ``split.py``: early stopping's validation split.

Examples
--------
The article's network, trained by the core alone: 3 inputs, 4 sigmoid units,
one sigmoid output, the sum of squares by plain gradient descent on its four
rows (our squared error is that sum over ``2 n``, hence the rate ``2 n = 8``):

>>> import numpy as np
>>> from sklearn_scratchnn.nn import EpochState, Network, TrainingPlan, train
>>> X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
>>> Y = np.array([[0.0], [1.0], [1.0], [0.0]])
>>> network = Network([3, 4, 1], "logistic", "logistic", "squared_error")
>>> params = network.initialize(np.random.RandomState(0), np.float64)
>>> plan = TrainingPlan(solver="sgd", learning_rate_init=8.0, max_iter=1500,
...                     batch_size=4, shuffle=False, alpha=0.0, tol=0.0,
...                     momentum=0.0)
>>> train(network, params, (X, Y, None), plan, state=EpochState(),
...       random_state=np.random.RandomState(0))
'max_iter'
>>> z, out = network.forward(params, X)
>>> (out[:, 0] > 0.5).astype(int)  # XOR of the first two inputs
array([0, 1, 1, 0])
"""

from .fit import TrainingPlan, train
from .layers import (
    CategoricalEmbedding,
    Dense,
    Dropout,
    DroppedUnits,
    Layer,
    MemberDense,
    MemberScale,
    ParametricActivation,
    PeriodicEmbedding,
    Scale,
)
from .network import Network
from .optimizers import SGD, Adam
from .training import DivergenceError, EpochState

__all__ = [
    "Adam",
    "CategoricalEmbedding",
    "Dense",
    "DivergenceError",
    "DroppedUnits",
    "Dropout",
    "EpochState",
    "Layer",
    "MemberDense",
    "MemberScale",
    "Network",
    "ParametricActivation",
    "PeriodicEmbedding",
    "SGD",
    "Scale",
    "TrainingPlan",
    "train",
]
