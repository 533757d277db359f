"""The regressor's target standardisation: the network learns the targets
in units of their (weighted) spread, and predicts in the target's units."""

import numpy as np


def standardisation(y, sample_weight):
    """The (weighted) mean and spread of each target, ``(mean, scale)``.

    Where the squares of the deviations overflow (values past about 1e154),
    computed again on ``y`` divided by its largest magnitude, so that a
    target as large as 1e200 is standardised too; a spread that float64
    cannot hold (values near 1e308) is a ValueError saying what to do, never
    a model that predicts NaN.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        mean, spread = _mean_and_spread(y, sample_weight)
        if not (np.isfinite(mean).all() and np.isfinite(spread).all()):
            magnitude = np.max(np.abs(y), axis=0)
            unit = np.where(magnitude > 0, magnitude, 1.0)
            mean, spread = _mean_and_spread(y / unit, sample_weight)
            mean, spread = mean * unit, spread * unit
        scale = np.where(spread > 0, spread, 1.0)
        standardised = (y - mean) / scale
    if not (np.isfinite(scale).all() and np.isfinite(standardised).all()):
        raise ValueError(
            "y holds values too large for float64 arithmetic (largest "
            f"magnitude {float(np.max(np.abs(y))):.3g}): their spread "
            "overflows. Divide the target by a power of ten (e.g. 1e300) "
            "before fitting, and multiply the predictions back."
        )
    return mean, scale


def _mean_and_spread(y, sample_weight):
    mean = np.average(y, axis=0, weights=sample_weight)
    spread = np.sqrt(np.average((y - mean) ** 2, axis=0, weights=sample_weight))
    return mean, spread
