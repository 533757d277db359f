"""The numerical core: a network on one flat parameter vector, and its training.

NumPy-first, and any Array API namespace through ``arrays.py``; it never
imports scikit-learn, so it can be read, tested and reused on its own. Imports
point one way: ``epochs`` -> ``training`` -> ``optimizers`` and ``network``
-> ``losses`` -> ``activations`` -> ``arrays``.

- ``layers.py``: the layers, each forward beside its backward: dense (and
  its NTK form), activation, parametric activation, dropout, scaling,
  periodic embedding;
- ``activations.py``: each activation beside its derivative;
- ``losses.py``: each loss beside the output-layer delta it produces;
- ``network.py``: the network on one flat parameter vector: forward, loss,
  backward;
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
"""
