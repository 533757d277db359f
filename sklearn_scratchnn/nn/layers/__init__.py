"""The layers a network is stacked from, each forward pass beside its backward.

In the notation of ``docs/article.rst``: a layer maps its input ``a_in`` (one
row per sample) to its output; its backward pass receives ``delta``, the
gradient of the loss with respect to that output, writes the gradients of its
own parameters, and returns the gradient with respect to its input, which is
the ``delta`` of the layer before it. That is the chain rule, one layer at a
time.

Every layer follows one protocol (:class:`~.protocol.Layer`): it owns a
slice of the network's one flat parameter vector (``n_params`` entries,
tagged by ``groups``); ``views(flat, start)`` gives its parameters as views
of any vector of that layout, the parameters themselves, their gradient or
an optimizer's moments alike; ``initialize`` draws them; ``buffers`` makes
the arrays one training batch needs; ``forward(a_in, views, xp, buffers)``
and ``backward(a_in, a_out, delta, views, grads, xp, buffers, delta_in)``
have one signature each, so the network loops over its layers once each way.
A layer keeps no arrays: the network's workspace holds the buffers, made
once per batch size, and prediction allocates its own, so one network
serves many threads.

This package never imports scikit-learn. Its modules, by kind: ``protocol``
(``Layer``), ``dense`` (``Dense``, with the activation it applies),
``elementwise`` (dropout, parametric activations, scaling), ``embeddings``
(periodic and categorical), ``members`` (TabM-mini's member scales and heads).
"""

from ._shapes import _reshape
from .dense import Dense
from .elementwise import (
    DROP_LEVELS,
    Dropout,
    DroppedUnits,
    ParametricActivation,
    Scale,
)
from .embeddings import TWO_PI, CategoricalEmbedding, PeriodicEmbedding
from .members import MemberDense, MemberScale
from .protocol import Layer

__all__ = [
    "DROP_LEVELS",
    "TWO_PI",
    "CategoricalEmbedding",
    "Dense",
    "DroppedUnits",
    "Dropout",
    "Layer",
    "MemberDense",
    "MemberScale",
    "ParametricActivation",
    "PeriodicEmbedding",
    "Scale",
    "_reshape",
]
