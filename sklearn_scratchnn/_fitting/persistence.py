"""Saved models as plain data: what a fitted estimator of either family
pickles, and how it loads.

A saved estimator holds only arrays, numbers, strings, and lists, tuples and
dicts of them: the flat parameter vector, the optimizer's moments and counters,
the stopping rule's numbers, the curves. The objects built around them (the
:class:`Network` with its activation and loss functions, the optimizer, the
stopping rule, the label binarizer) are rebuilt from names when the model is
loaded. So a skops file asks its reader to trust one type, the estimator's
class, and a pickle does not break when a private name moves.

The state carries a format version. A model saved in a newer format than this
release reads is refused with a message naming both; older formats load.
Callbacks set with ``set_callbacks`` configure a fit, not the model it makes:
a fitted estimator's state leaves them out, so a saved model (skops, pickle,
joblib) holds no progress bar, monitor or listener, and loads with no
callbacks set. An estimator not yet fitted keeps them, as scikit-learn's
estimators do, because that is how joblib hands an estimator to the worker
process that fits it.
"""

import inspect

import numpy as np
from sklearn.preprocessing import LabelBinarizer

from ..nn.training import EpochState
from .trained import CURVES, TrainedNetwork

# 2: a Scratch estimator saves its network as a TrainedNetwork's plain form,
# as a tabular model saves each of its networks (format 1 kept the network's
# arguments and its parameters apart; it still loads)
FORMAT_VERSION = 2
FORMAT_KEY = "_scratchnn_format"

# the fitted attributes of a LabelBinarizer that prediction and training read
_BINARIZER_ATTRIBUTES = ("classes_", "y_type_", "sparse_input_")

# what scikit-learn's callback API sets on an estimator: the callbacks, and the
# context a meta-estimator hands its sub-estimators for the fit in progress
_CALLBACK_ATTRIBUTES = ("_skl_callbacks", "_parent_callback_ctx")


def to_plain_state(state, objects=()):
    """An estimator's ``__dict__`` as plain data, with the format version.

    Both families save through here: a Scratch estimator's network, its
    parameters and its optimizer's state, a tabular model's networks, either
    one's label binarizer. ``objects`` names the fitted attributes that are
    transformers of ours, saved as their own state (a tabular model's
    preprocessing).
    """
    state = dict(state)
    if "network_" in state:
        # fitted: the model, without what drove its fit
        for name in _CALLBACK_ATTRIBUTES:
            state.pop(name, None)
    # views of the parameters: rebuilt on loading, so they stay views
    state.pop("coefs_", None)
    state.pop("intercepts_", None)
    if "_state" in state:
        state["_state"] = state["_state"].state_dict()
    if "networks_" in state:
        state["network_"] = None  # the first member
        state["networks_"] = [member.to_plain() for member in state["networks_"]]
    elif isinstance(state.get("network_"), TrainedNetwork):
        # (a blend's network_ is a whole estimator, which saves itself)
        state["network_"] = state["network_"].to_plain()
    if state.get("_label_binarizer") is not None:
        state["_label_binarizer"] = binarizer_state(state["_label_binarizer"])
    for name in objects:
        if name in state:
            state[name] = {"state": state[name].__getstate__()}
    state[FORMAT_KEY] = FORMAT_VERSION
    return state


def from_plain_state(state, estimator_class, objects=None, unversioned=None):
    """The ``__dict__`` that :func:`to_plain_state` saved, objects rebuilt.

    ``objects`` maps the names :func:`to_plain_state` was given to their
    classes; ``unversioned`` is the format a state without a version is in
    (None: such a state is refused). A parameter the saved model (or one of
    its ``objects``) predates gets its default.
    """
    name = estimator_class.__name__
    state = dict(state)
    version = state.pop(FORMAT_KEY, unversioned)
    if version is None:
        # only development builds before the first release saved unversioned
        # states (the objects pickled whole); the compatibility promise starts
        # at the first release (see the changelog)
        raise ValueError(
            f"This {name} was saved by a development build of "
            "sklearn-scratchnn older than its first release, whose files this "
            "release does not read. Fit the model again and save it anew."
        )
    if version > FORMAT_VERSION:
        raise ValueError(
            f"This {name} was saved in model format version {version}, "
            f"but this release of sklearn-scratchnn reads format versions up to "
            f"{FORMAT_VERSION}. Install the release that saved it (or a newer "
            "one) to load it."
        )
    if "_network" in state:  # format 1: a Scratch estimator's network apart
        state["network_"] = _format_1_network(state)
    if "_state" in state:
        state["_state"] = EpochState.from_state_dict(state["_state"])
    if state.get("networks_") is not None:
        state["networks_"] = [TrainedNetwork.from_plain(m) for m in state["networks_"]]
        state["network_"] = state["networks_"][0]
    elif isinstance(state.get("network_"), dict):  # a Scratch estimator's
        state["network_"] = trained = TrainedNetwork.from_plain(state["network_"])
        state["coefs_"], state["intercepts_"] = trained.coefs_, trained.intercepts_
    if state.get("_label_binarizer") is not None:
        state["_label_binarizer"] = binarizer_from_state(state["_label_binarizer"])
    for attribute, kind in (objects or {}).items():
        if attribute in state:
            saved = {**_parameter_defaults(kind), **state[attribute]["state"]}
            rebuilt = kind.__new__(kind)
            rebuilt.__setstate__(saved)
            state[attribute] = rebuilt
    for parameter, default in _parameter_defaults(estimator_class).items():
        state.setdefault(parameter, default)
    return state


def _format_1_network(state):
    """The network of a Scratch estimator saved in format 1, which kept the
    network's arguments (``_network``) and its parameters (``_params``)
    apart: as the plain form of a TrainedNetwork, with the estimator's curves."""
    plain = {name: state.get(name) for name in CURVES}
    plain.update(network=state.pop("_network"), params=state.pop("_params"))
    return plain


def _parameter_defaults(estimator_class):
    signature = inspect.signature(estimator_class.__init__)
    return {
        name: p.default
        for name, p in signature.parameters.items()
        if p.default is not inspect.Parameter.empty
    }


def binarizer_state(binarizer):
    """A fitted LabelBinarizer as plain data: what prediction reads of it."""
    return {name: getattr(binarizer, name) for name in _BINARIZER_ATTRIBUTES}


def binarizer_from_state(state):
    """The LabelBinarizer that :func:`binarizer_state` saved (one already
    rebuilt is returned as it is)."""
    if isinstance(state, LabelBinarizer):
        return state
    binarizer = LabelBinarizer()
    for name, value in state.items():
        setattr(binarizer, name, value)
    return binarizer


def convert_arrays(state, converter):
    """``state`` with every numeric array replaced by ``converter(array)``.

    Used to move a model between array namespaces and devices (NumPy, PyTorch,
    CuPy...). Arrays of labels (strings, objects) are left as they are.
    """
    if isinstance(state, dict):
        return {key: convert_arrays(value, converter) for key, value in state.items()}
    if isinstance(state, (list, tuple)):
        return type(state)(convert_arrays(value, converter) for value in state)
    if isinstance(state, np.ndarray):
        return converter(state) if state.dtype.kind in "biuf" else state
    if hasattr(state, "__dlpack__"):
        return converter(state)
    return state
