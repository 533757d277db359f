"""Losses, each written beside the output-layer delta it produces.

Every loss here is a weighted mean over samples of a per-sample loss summed
over the outputs::

    L = sum_i r_i * l(y_i, a_i)        with  r_i = w_i / sum_j w_j

(``r_i = 1 / n`` without sample weights), which is scikit-learn's
normalisation. Each function returns ``L`` and writes the output-layer delta
``dL/dz`` (the gradient with respect to the output pre-activation ``z``) into
``delta``, already multiplied by ``r_i``, so the backward pass only has to
multiply matrices. ``softmax_sums`` is what a softmax output layer computed
on its way (log-loss uses it); the other losses ignore it.

For the "canonical" pairs (sigmoid or softmax with log-loss, identity with
squared error, exp with Poisson) the chain rule through the output activation
collapses to ``delta = a - y``; squared error with a sigmoid or softmax output
(the article's network) goes through the activation's derivative explicitly.
"""

from .activations import log_max, logsumexp
from .arrays import NUMPY


def _weighted_sum(per_sample, row_weight, xp):
    """sum_i r_i * per_sample_i, for a scalar or per-row ``row_weight``."""
    if isinstance(row_weight, float):
        return float(xp.sum(per_sample)) * row_weight
    return float(per_sample @ row_weight)


def _scale_rows(delta, row_weight):
    if isinstance(row_weight, float):
        delta *= row_weight
    else:
        delta *= row_weight[:, None]


def log_loss(z, a, y, row_weight, output, delta, softmax_sums=None, xp=NUMPY):
    """Cross-entropy of sigmoid outputs (binary, multilabel) or a softmax.

    It is computed from the pre-activation ``z`` rather than from ``log(a)``:
    ``a`` rounds to exactly 0 or 1 for large ``|z|`` and its log would be
    infinite, while the forms below stay finite for any finite ``z``.
    """
    if output.name == "softmax":
        # -sum_k y_k log softmax(z)_k = logsumexp(z) - sum_k y_k z_k (as sum y = 1);
        # this form never multiplies a zero target by an infinite log.
        if softmax_sums is None:
            log_sum_exp = logsumexp(z, xp)
        else:  # the softmax's row maxima and sums of exp(z - max)
            z_max, total = softmax_sums
            log_sum_exp = (z_max + xp.log(total))[:, 0]
        per_sample = log_sum_exp - xp.einsum("ij,ij->i", y, z)
    else:
        # -[y log sigma(z) + (1 - y) log(1 - sigma(z))] = log(1 + e^z) - y z
        per_sample = xp.sum(xp.logaddexp(0, z) - y * z, axis=1)
    # dL/dz = a - y for both: the softmax/sigmoid Jacobian cancels the 1/a.
    xp.subtract(a, y, out=delta)
    _scale_rows(delta, row_weight)
    return _weighted_sum(per_sample, row_weight, xp)


def squared_error(z, a, y, row_weight, output, delta, softmax_sums=None, xp=NUMPY):
    """Half the squared error, summed over outputs: l = 1/2 * sum_k (a_k - y_k)^2.

    With ``r_i = 1/n`` this is ``1/(2n)`` times the article's sum of squares.
    """
    xp.subtract(a, y, out=delta)  # dl/da = a - y
    per_sample = 0.5 * xp.einsum("ij,ij->i", delta, delta)
    output.backward(a, delta, xp)  # chain rule: dl/dz = dl/da * da/dz
    _scale_rows(delta, row_weight)
    return _weighted_sum(per_sample, row_weight, xp)


def poisson(z, a, y, row_weight, output, delta, softmax_sums=None, xp=NUMPY):
    """Half the Poisson deviance of ``a = exp(z)``: l = y log(y/a) - y + a."""
    # log(a) is z (capped where exp was capped), which avoids log(0).
    log_a = xp.minimum(z, log_max(z, xp))
    per_sample = xp.sum(xp.xlogy(y, y) - y * log_a - y + a, axis=1)
    xp.subtract(a, y, out=delta)  # dl/dz = a - y
    _scale_rows(delta, row_weight)
    return _weighted_sum(per_sample, row_weight, xp)


def smooth_labels(Y, epsilon, n_classes):
    """Label smoothing: the targets ``(1 - epsilon) y + epsilon / K``.

    Each one-hot row keeps its sum of 1, so log-loss keeps its form and its
    delta ``a - y`` (Szegedy et al., 2016). ``n_classes`` is ``K``: the number
    of columns for a softmax output, 2 for each sigmoid output (binary and
    multilabel targets: each column is its own two-class problem). With
    ``epsilon = 0`` the targets are returned as they are.
    """
    if epsilon == 0:
        return Y
    return (1 - epsilon) * Y + epsilon / n_classes


LOSSES = {
    "log_loss": log_loss,
    "squared_error": squared_error,
    "poisson": poisson,
}
