"""ScratchMLPRegressor: real-valued targets, one or several."""

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from sklearn.base import RegressorMixin, _fit_context
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.metaestimators import available_if

from .._fitting.docstrings import fill_docstring
from .._fitting.targets import Values
from ._base import BaseScratchMLP
from ._docs import NEW_PARAMETERS, SHARED_ATTRIBUTES, SHARED_PARAMETERS


@fill_docstring(
    shared_parameters=SHARED_PARAMETERS,
    new_parameters=NEW_PARAMETERS,
    shared_attributes=SHARED_ATTRIBUTES,
)
class ScratchMLPRegressor(RegressorMixin, BaseScratchMLP):
    """Multi-layer perceptron regressor written from scratch in NumPy.

    The same network and training as :class:`ScratchMLPClassifier`, with an
    identity output layer (``exp`` for the Poisson loss). Parameters have the
    names, meanings and defaults of :class:`sklearn.neural_network.MLPRegressor`,
    except ``activation``, which defaults to the article's ``"logistic"``.

    Parameters
    ----------
    {shared_parameters}
    loss : {"squared_error", "poisson"}, default="squared_error"
        ``"squared_error"``: half the mean over samples of ``sum_k (p_k -
        y_k) ** 2``; ``"poisson"``: half the Poisson deviance of ``p = exp(z)``,
        for non-negative targets such as counts.
    {new_parameters}

    Attributes
    ----------
    {shared_attributes}

    See Also
    --------
    sklearn.neural_network.MLPRegressor : scikit-learn's own MLP.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_scratchnn import ScratchMLPRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(200, 2))
    >>> y = X[:, 0] ** 2 + X[:, 1]
    >>> reg = ScratchMLPRegressor(hidden_layer_sizes=(20,), solver="lbfgs",
    ...                           random_state=0).fit(X, y)
    >>> bool(reg.score(X, y) > 0.99)
    True
    """

    _parameter_constraints: dict = {
        **BaseScratchMLP._parameter_constraints,
        "loss": [StrOptions({"squared_error", "poisson"})],
    }

    def __init__(
        self,
        hidden_layer_sizes: int | tuple[int, ...] = (100,),
        activation: Literal[
            "logistic", "tanh", "relu", "identity", "selu", "mish", "gelu"
        ] = "logistic",
        *,
        solver: Literal["adam", "sgd", "lbfgs"] = "adam",
        alpha: float = 0.0001,
        batch_size: int | Literal["auto"] = "auto",
        learning_rate: Literal[
            "constant",
            "invscaling",
            "adaptive",
            "cosine",
            "warmup_cosine",
            "coslog4",
            "flat_cos",
        ] = "constant",
        learning_rate_init: float = 0.001,
        power_t: float = 0.5,
        max_iter: int = 200,
        shuffle: bool = True,
        random_state: int | np.random.RandomState | None = None,
        tol: float = 1e-4,
        verbose: bool = False,
        warm_start: bool = False,
        momentum: float = 0.9,
        nesterovs_momentum: bool = True,
        early_stopping: bool = False,
        validation_fraction: float = 0.1,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-8,
        n_iter_no_change: int = 10,
        max_fun: int = 15000,
        loss: Literal["squared_error", "poisson"] = "squared_error",
        weight_decay: float = 0.0,
        dropout: float = 0.0,
        dropout_schedule: Literal[
            "constant", "cosine", "warmup_cosine", "coslog4", "flat_cos"
        ] = "constant",
        weight_decay_schedule: Literal[
            "constant", "cosine", "warmup_cosine", "coslog4", "flat_cos"
        ] = "constant",
        learning_rate_factors: dict[str, float] | None = None,
        input_scaling: bool = False,
        periodic_embedding: bool = False,
        parametric_activation: bool = False,
        parametrization: Literal["standard", "ntk"] = "standard",
    ):
        super().__init__(
            hidden_layer_sizes=hidden_layer_sizes,
            activation=activation,
            solver=solver,
            alpha=alpha,
            batch_size=batch_size,
            learning_rate=learning_rate,
            learning_rate_init=learning_rate_init,
            power_t=power_t,
            max_iter=max_iter,
            shuffle=shuffle,
            random_state=random_state,
            tol=tol,
            verbose=verbose,
            warm_start=warm_start,
            momentum=momentum,
            nesterovs_momentum=nesterovs_momentum,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            n_iter_no_change=n_iter_no_change,
            max_fun=max_fun,
            loss=loss,
            weight_decay=weight_decay,
            dropout=dropout,
            dropout_schedule=dropout_schedule,
            weight_decay_schedule=weight_decay_schedule,
            learning_rate_factors=learning_rate_factors,
            input_scaling=input_scaling,
            periodic_embedding=periodic_embedding,
            parametric_activation=parametric_activation,
            parametrization=parametrization,
        )

    # -- targets -------------------------------------------------------------

    def _new_targets(self, first_pass):
        """The fit's :class:`Values`, for its loss."""
        return Values(self.loss)

    # -- public API ----------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None):
        """Train the network on ``X`` and targets ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights; the loss is the weighted mean over samples.

        Returns
        -------
        self : ScratchMLPRegressor
            The fitted estimator.

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn_scratchnn import ScratchMLPRegressor
        >>> X = np.linspace(0, 1, 50).reshape(-1, 1)
        >>> Y = np.hstack([X, 1 - X])
        >>> reg = ScratchMLPRegressor(solver="lbfgs", random_state=0).fit(X, Y)
        >>> reg.n_outputs_, reg.out_activation_
        (2, 'identity')
        """
        return self._fit(X, y, sample_weight)

    @available_if(lambda est: est._check_solver())
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(
        self, X: ArrayLike, y: ArrayLike, sample_weight: ArrayLike | None = None
    ):
        """Train for one epoch on ``X, y``, continuing from the current weights.

        Only for ``solver="sgd"`` or ``"adam"``; ``early_stopping`` does not
        apply (every row given is trained on).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights.

        Returns
        -------
        self : ScratchMLPRegressor
            The updated estimator.

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn_scratchnn import ScratchMLPRegressor
        >>> X = np.linspace(0, 1, 40).reshape(-1, 1)
        >>> reg = ScratchMLPRegressor(random_state=0)
        >>> for start in range(0, 40, 10):
        ...     reg = reg.partial_fit(X[start:start + 10], X[start:start + 10, 0])
        >>> len(reg.loss_curve_)
        4
        """
        return self._fit(X, y, sample_weight, incremental=True)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.positive_only = self.loss == "poisson"
        return tags

    def predict(self, X: ArrayLike) -> np.ndarray:
        """Predicted targets.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            The network's output.

        Examples
        --------
        >>> import numpy as np
        >>> from sklearn_scratchnn import ScratchMLPRegressor
        >>> X = np.linspace(0, 1, 50).reshape(-1, 1)
        >>> reg = ScratchMLPRegressor(solver="lbfgs", random_state=0)
        >>> reg = reg.fit(X, 2 * X[:, 0])
        >>> reg.predict([[0.5]]).round(1)
        array([1.])
        """
        _, out, _ = self._forward(X, "predict")
        return out[:, 0] if out.shape[1] == 1 else out
