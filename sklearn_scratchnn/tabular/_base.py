"""What the tabular classifier and regressor share: their parameters' checks,
fit (the table preprocessed, then its networks trained through the core's
entry), the preprocessed input of prediction, and saving as plain data.

Nothing here is a Scratch estimator: the tabular models train the core's
:class:`~..nn.network.Network` themselves (``_network.py``).
"""

import warnings
from numbers import Integral, Real
from typing import NamedTuple

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from .._fitting.callbacks import CallbackSupport, fit_callbacks
from .._fitting.checks import (
    check_hidden_layer_sizes,
    check_sample_weight,
    shared_constraints,
)
from .._fitting.epochs import EpochTask, Rows
from .._fitting.persistence import from_plain_state, to_plain_state
from .._fitting.targets import in_dtype
from ._ensemble import member_seeds, train_members
from ._network import (
    NetworkJob,
    recipe_architecture,
    recipe_plan,
    restored_epoch,
    snapshot_epochs,
)
from ._plan import network_dtype, training_plan
from ._preprocessing import TablePreprocessor, as_table, with_table_input
from ._recipe import REALMLP_TD, Recipe

MIN_VALIDATION_ROWS = 10  # below this, no split: the last epoch is kept


class ValidationSet(NamedTuple):
    """A validation set of the user's own, as ``fit`` was given it (checked)."""

    X: object  # a table, preprocessed by the fitted TablePreprocessor
    y: object
    sample_weight: np.ndarray | None


def _check_not_empty(X, name):
    """At least one row and one column, in the shape the user gave."""
    shape = X.shape if hasattr(X, "shape") else np.shape(X)
    for axis, what in ((0, "sample(s)"), (1, "feature(s)")):
        if len(shape) > axis and shape[axis] == 0:
            raise ValueError(
                f"Found array with 0 {what} (shape={tuple(shape)}) while a "
                f"minimum of 1 is required by {name}."
            )


def checked_fit_table(estimator, X, y, sample_weight):
    """``(X, sample_weight)`` of a fit, checked before anything is learnt: a
    target given, a table of at least one row and column (whose columns
    scikit-learn records), as long as ``y``, and weights checked with the
    Scratch estimators' messages."""
    name = type(estimator).__name__
    if y is None:
        raise ValueError(f"{name} requires y to be passed, but the target y is None.")
    X = as_table(X)
    _check_not_empty(X, name)
    validate_data(estimator, X, skip_check_array=True)
    check_consistent_length(X, y)
    return X, check_sample_weight(sample_weight, np.empty((len(X), 0)))


def checked_predict_table(estimator, X, fitted):
    """The table ``X`` a fitted estimator (``fitted``: an attribute it has
    once fitted) is asked to predict, checked against the fit's columns."""
    check_is_fitted(estimator, fitted)
    X = as_table(X)
    _check_not_empty(X, type(estimator).__name__)
    validate_data(estimator, X, skip_check_array=True, reset=False)
    return X


def one_column_as_1d(y):
    """A column vector of targets as 1-D, with scikit-learn's warning."""
    return column_or_1d(y, warn=True) if y.ndim == 2 and y.shape[1] == 1 else y


class BaseTabularMLP(CallbackSupport, BaseEstimator):
    """What the tabular classifier and regressor share (``set_callbacks``
    included, where scikit-learn has callbacks: the fit is one task, each
    epoch of a network trained in this process a subtask of it)."""

    _parameter_constraints: dict = {
        **shared_constraints(),
        "budget": [StrOptions({"rows", "fixed"})],
        # a split is always made here (no early_stopping switch), so not 0
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "max_one_hot": [Interval(Integral, 1, None, closed="left")],
        "embedding_width": [Interval(Integral, 1, None, closed="left")],
        "dtype": [StrOptions({"auto", "float64", "float32"})],
        "n_ensemble": [Interval(Integral, 1, None, closed="left")],
        "ensemble": [StrOptions({"independent", "shared"})],
        "snapshots": ["boolean"],
        "n_jobs": [Integral, None],
        "recipe": [Recipe, None],
    }

    def _name(self):
        return type(self).__name__

    def _recipe(self):
        return REALMLP_TD if self.recipe is None else self.recipe

    def _network_plan(self, epochs, batch):
        """The training plan of every network."""
        return recipe_plan(
            epochs,
            batch,
            self.learning_rate_init,
            self.dropout,
            self.weight_decay,
            self._recipe(),
        )

    def _network_architecture(self, preprocessor):
        """The network's layers besides the dense ones."""
        members = self.n_ensemble if self.ensemble == "shared" else 1
        return recipe_architecture(
            preprocessor, self.embedding_width, members, self._recipe()
        )

    def _checked(self, X, y, sample_weight, X_val, y_val, sample_weight_val):
        """``(X, sample_weight, validation)`` checked, each once and before
        anything is learnt; ``validation`` is None or a :class:`ValidationSet`
        (its table is checked against the columns when it is preprocessed)."""
        name = type(self).__name__
        X, sample_weight = checked_fit_table(self, X, y, sample_weight)
        if (X_val is None) != (y_val is None):
            raise ValueError(
                "X_val and y_val go together: give both for a validation set of "
                "your own, or neither to split one off the training data."
            )
        if X_val is None:
            if sample_weight_val is not None:
                raise ValueError(
                    "sample_weight_val weighs the rows of X_val, and fit was given "
                    "no X_val; give X_val and y_val with it, or leave it out."
                )
            return X, sample_weight, None
        X_val = as_table(X_val)
        _check_not_empty(X_val, name)
        check_consistent_length(X_val, y_val)
        sample_weight_val = check_sample_weight(
            sample_weight_val, np.empty((len(X_val), 0))
        )
        return X, sample_weight, ValidationSet(X_val, y_val, sample_weight_val)

    def _fit_table(self, X, y, sample_weight, validation_set, targets):
        """Preprocess, then train ``n_ensemble`` networks seeded apart on the
        targets ``y`` as ``targets`` (a ``_fitting.targets.Labels`` or ``Values``)
        encodes them."""
        hidden = check_hidden_layer_sizes(self.hidden_layer_sizes)
        preprocessor = TablePreprocessor(
            max_one_hot=self.max_one_hot, smooth_clip=self._recipe().smooth_clip
        )
        Z = preprocessor.fit_transform(X, sample_weight=sample_weight)
        n_rows = Z.shape[0]
        dtype = network_dtype(self.dtype, n_rows)
        Z = Z.astype(dtype)
        epochs, batch = training_plan(
            n_rows, self.max_iter, self.batch_size, self.budget
        )
        y = targets.fit(y)
        Y = targets.encode(y, dtype)
        Y_train = targets.smooth(Y)
        sample_weight = targets.weights(sample_weight, Y, dtype)
        validation = None
        if validation_set is not None:
            Z_val = preprocessor.transform(validation_set.X).astype(dtype)
            y_val = targets.prepare(self._check_y(validation_set.y))
            Y_val = targets.smooth(targets.encode(y_val, dtype, known=False))
            sw_val = in_dtype(validation_set.sample_weight, dtype)
            validation = Rows(Z_val, y_val, Y_val, sw_val)
        job = NetworkJob(
            name=self._name(),
            hidden_layer_sizes=hidden,
            activation=self._activation,
            architecture=self._network_architecture(preprocessor),
            plan=self._network_plan(epochs, batch),
            targets=targets,
            split=validation is not None
            or n_rows * self.validation_fraction >= MIN_VALIDATION_ROWS,
            validation_fraction=self.validation_fraction,
            snapshot_epochs=snapshot_epochs(epochs) if self.snapshots else frozenset(),
            data_init=self._recipe().data_init,
            verbose=bool(self.verbose),
        )
        seeds = member_seeds(self.random_state, self._n_networks())
        data = Rows(Z, y, Y_train, sample_weight)
        with fit_callbacks(self, X, y, sample_weight, epochs * len(seeds)) as fit:
            task = None
            if fit is not None:  # the epochs' subtasks see the table as given
                attributes = self._epoch_attributes(preprocessor, targets)
                task = EpochTask(fit, attributes, X, y)
            trained = train_members(job, seeds, data, validation, self.n_jobs, task)
            # fitted before the task ends: its callbacks see the fitted model
            members = [member for group in trained for member in group]
            self._publish(preprocessor, targets, members)
        return self

    def _publish(self, preprocessor, targets, members):
        for name, value in targets.attributes().items():
            setattr(self, name, value)
        self.preprocessor_ = preprocessor
        self.networks_ = members
        self.network_ = network = members[0]
        self.n_iter_ = network.n_iter_
        self.loss_curve_ = network.loss_curve_
        self.validation_scores_ = network.validation_scores_
        self.best_epoch_ = restored_epoch(
            network.validation_scores_, network.validation_loss_curve_
        )

    def _epoch_attributes(self, preprocessor, targets):
        """An epoch's fitted attributes, for a callback that scores the model
        as it stands (one network: the one training, at that epoch)."""
        fitted = targets.attributes()

        def attributes(network):
            scores = network.validation_scores_
            return {
                **fitted,
                "preprocessor_": preprocessor,
                "network_": network,
                "networks_": [network],
                "n_iter_": network.n_iter_,
                "loss_curve_": list(network.loss_curve_),
                "validation_scores_": None if scores is None else list(scores),
            }

        return attributes

    @property
    def n_snapshots_(self):
        # derived from networks_, so models saved before it existed have it
        if "networks_" not in vars(self):
            raise AttributeError(f"{type(self).__name__} has no n_snapshots_: fit it")
        return len(self.networks_) - self._n_networks()

    def _n_networks(self):
        """Networks trained: ``n_ensemble``, or one holding them all."""
        return 1 if self.ensemble == "shared" else self.n_ensemble

    def _table_input(self, X):
        X = checked_predict_table(self, X, "network_")
        with warnings.catch_warnings():
            # validate_data above has warned of missing feature names already
            warnings.filterwarnings("ignore", "X does not have valid feature names")
            Z = self.preprocessor_.transform(X)
        return Z.astype(self.network_.coefs_[0].dtype)  # the fit's precision

    def __sklearn_tags__(self):
        return with_table_input(super().__sklearn_tags__())

    # Saved as plain data (_fitting/persistence.py): the preprocessing's
    # statistics and each network's layers, parameters and curves, so that a
    # skops file of a tabular model asks its reader to trust one type, the
    # model's class.

    def __getstate__(self):
        return to_plain_state(super().__getstate__(), objects=_SAVED_OBJECTS)

    def __setstate__(self, state):
        state = dict(state)
        # files saved while max_iter still had a former name beside it
        state.pop("max_epochs", None)
        # files of the first tabular release carry no format version: format 1
        state = from_plain_state(
            state, type(self), objects=_SAVED_OBJECTS, unversioned=1
        )
        super().__setstate__(state)


# the fitted attributes saved as their own (plain) state
_SAVED_OBJECTS = {"preprocessor_": TablePreprocessor}
