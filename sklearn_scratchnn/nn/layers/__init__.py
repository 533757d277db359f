"""The layers a network is stacked from, each forward pass beside its backward.

In the notation of ``docs/article.rst``: a layer maps its input ``a_in`` (one
row per sample) to its output; its backward pass receives ``delta``, the
gradient of the loss with respect to that output, writes the gradients of its
own parameters, and returns the gradient with respect to its input, which is
the ``delta`` of the layer before it. That is the chain rule, one layer at a
time.

A layer owns a slice of the network's one flat parameter vector
(``n_params`` entries, tagged by ``groups``); ``views(flat, start)`` gives its
parameters as views of any vector of that layout, the parameters themselves,
their gradient or an optimizer's moments alike. A layer keeps no arrays: the
network's workspace holds the buffers, made once per batch size, and
prediction allocates its own, so one network serves many threads.

This package never imports scikit-learn. Its modules, by kind: ``dense``
(``Dense``), ``elementwise`` (activations, dropout, scaling), ``embeddings``
(periodic and categorical), ``members`` (TabM-mini's member scales and heads).
"""

from ._shapes import _reshape
from .dense import Dense
from .elementwise import DROP_LEVELS, Activation, Dropout, ParametricActivation, Scale
from .embeddings import TWO_PI, CategoricalEmbedding, PeriodicEmbedding
from .members import MemberDense, MemberScale

__all__ = [
    "DROP_LEVELS",
    "TWO_PI",
    "Activation",
    "CategoricalEmbedding",
    "Dense",
    "Dropout",
    "MemberDense",
    "MemberScale",
    "ParametricActivation",
    "PeriodicEmbedding",
    "Scale",
    "_reshape",
]
