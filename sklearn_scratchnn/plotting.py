"""Plots of training, following scikit-learn's Display API."""

import numpy as np
from sklearn.utils.validation import check_is_fitted


def check_matplotlib_support(caller_name):
    """Raise an ImportError naming matplotlib and the extra that installs it."""
    try:
        import matplotlib  # noqa: F401
    except ImportError as error:
        raise ImportError(
            f"{caller_name} requires matplotlib. Install it with: "
            "pip install 'sklearn-scratchnn[plot]' (or pip install matplotlib)."
        ) from error


class LossCurveDisplay:
    """Training loss per epoch, with the validation loss and score if recorded.

    Create it with :meth:`from_estimator`; the constructor only stores the
    curves. Needs matplotlib (``pip install "sklearn-scratchnn[plot]"``).

    Parameters
    ----------
    loss_curve : array-like of shape (n_epochs,)
        Training loss after each epoch (each iteration for lbfgs).
    validation_loss_curve : array-like of shape (n_epochs,), default=None
        Validation loss after each epoch, with early stopping.
    validation_scores : array-like of shape (n_epochs,), default=None
        Validation score after each epoch, with early stopping.
    estimator_name : str, default=None
        Shown in the title.

    Attributes
    ----------
    line_ : matplotlib Line2D
        The training loss.
    validation_line_ : matplotlib Line2D or None
        The validation loss, when there is one.
    score_line_ : matplotlib Line2D or None
        The validation score, on a second y axis, when there is one.
    ax_ : matplotlib Axes
        The axes of the losses.
    score_ax_ : matplotlib Axes or None
        The second y axis, for the score.
    figure_ : matplotlib Figure
        The figure holding the axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_digits
    >>> from sklearn_scratchnn import ScratchMLPClassifier
    >>> from sklearn_scratchnn.plotting import LossCurveDisplay
    >>> X, y = load_digits(return_X_y=True)
    >>> clf = ScratchMLPClassifier(early_stopping=True, max_iter=20,
    ...                            random_state=0).fit(X / 16, y)
    >>> display = LossCurveDisplay.from_estimator(clf)
    >>> len(display.ax_.get_lines()), display.score_line_ is not None
    (2, True)
    """

    def __init__(
        self,
        *,
        loss_curve,
        validation_loss_curve=None,
        validation_scores=None,
        estimator_name=None,
    ):
        self.loss_curve = loss_curve
        self.validation_loss_curve = validation_loss_curve
        self.validation_scores = validation_scores
        self.estimator_name = estimator_name

    @classmethod
    def from_estimator(cls, estimator, *, ax=None, name=None, **kwargs):
        """Plot the curves a fitted estimator recorded.

        Parameters
        ----------
        estimator : ScratchMLPClassifier or ScratchMLPRegressor
            A fitted estimator.
        ax : matplotlib Axes, default=None
            Where to draw; a new figure when None.
        name : str, default=None
            Title; the estimator's class name when None.
        **kwargs : dict
            Passed to matplotlib's ``plot`` for the training loss.

        Returns
        -------
        display : LossCurveDisplay
            The display, with its artists.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from sklearn_scratchnn import ScratchMLPClassifier, article
        >>> from sklearn_scratchnn.plotting import LossCurveDisplay
        >>> clf = ScratchMLPClassifier(**article.article_params()).fit(
        ...     article.X, article.y)
        >>> int(LossCurveDisplay.from_estimator(clf).line_.get_xdata()[-1])
        1500
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        check_is_fitted(estimator, "loss_curve_")
        display = cls(
            loss_curve=estimator.loss_curve_,
            validation_loss_curve=getattr(estimator, "validation_loss_curve_", None),
            validation_scores=getattr(estimator, "validation_scores_", None),
            estimator_name=name or type(estimator).__name__,
        )
        return display.plot(ax=ax, **kwargs)

    def plot(self, ax=None, *, name=None, **kwargs):
        """Draw the curves.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Where to draw; a new figure when None.
        name : str, default=None
            Title; ``estimator_name`` when None.
        **kwargs : dict
            Passed to matplotlib's ``plot`` for the training loss.

        Returns
        -------
        display : LossCurveDisplay
            This display, with its artists.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> from sklearn_scratchnn.plotting import LossCurveDisplay
        >>> display = LossCurveDisplay(loss_curve=[0.9, 0.5, 0.3]).plot()
        >>> display.line_.get_ydata().tolist()
        [0.9, 0.5, 0.3]
        """
        check_matplotlib_support(f"{type(self).__name__}.plot")
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        epochs = np.arange(1, len(self.loss_curve) + 1)
        (self.line_,) = ax.plot(
            epochs, self.loss_curve, label="training loss", **kwargs
        )
        self.validation_line_ = self.score_line_ = self.score_ax_ = None
        if self.validation_loss_curve is not None:
            (self.validation_line_,) = ax.plot(
                epochs, self.validation_loss_curve, label="validation loss"
            )
        ax.set_xlabel("epoch")
        ax.set_ylabel("loss")
        handles = [self.line_] + (
            [self.validation_line_] if self.validation_line_ else []
        )
        if self.validation_scores is not None:
            self.score_ax_ = ax.twinx()
            (self.score_line_,) = self.score_ax_.plot(
                epochs,
                self.validation_scores,
                color="tab:green",
                linestyle="--",
                label="validation score",
            )
            self.score_ax_.set_ylabel("validation score")
            handles.append(self.score_line_)
        ax.legend(handles=handles, loc="best")
        ax.set_title(name or self.estimator_name or "loss curve")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self
