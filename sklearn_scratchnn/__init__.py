"""A neural network written from scratch in NumPy, as scikit-learn estimators."""

__all__ = [
    "IterationLimitWarning",
    "ScratchMLPClassifier",
    "ScratchMLPRegressor",
    "TabularBlendClassifier",
    "TabularBlendRegressor",
    "TabularMLPClassifier",
    "TabularMLPRegressor",
    "TrainingInterruptedWarning",
]
__version__ = "0.1.0"


def __getattr__(name):
    # Imported on first use, so that `scratchnn --help` does not pay for
    # importing scikit-learn (seconds) before it can answer.
    if name in ("ScratchMLPClassifier", "ScratchMLPRegressor"):
        from . import scratch

        return getattr(scratch, name)
    if name in (
        "TabularBlendClassifier",
        "TabularBlendRegressor",
        "TabularMLPClassifier",
        "TabularMLPRegressor",
    ):
        from . import tabular

        return getattr(tabular, name)
    if name in ("IterationLimitWarning", "TrainingInterruptedWarning"):
        from ._fitting import outcomes

        return getattr(outcomes, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return [*globals(), *__all__]
