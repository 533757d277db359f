"""Schedules planned over a fit: the factor of a setting's initial value at
each step, as a function of ``t``, the fraction of the fit's steps done.

``t = step / total_steps``, with ``total_steps = max_iter * batches per
epoch``, so the plan is fixed before training and stepped per batch (the
first batch at ``t = 0``). Today's learning-rate schedules of scikit-learn
(``constant``, ``invscaling``, ``adaptive``) act per epoch and live in
``optimizers.py``, unchanged.

This module never imports scikit-learn.
"""

import math

WARMUP = 0.05  # warmup_cosine: the share of the steps spent warming up


def cosine(t):
    """``(1 + cos(pi t)) / 2``: from 1 down to 0 (Loshchilov & Hutter, 2017)."""
    return 0.5 * (1.0 + math.cos(math.pi * t))


def warmup_cosine(t):
    """Linear from 0 to 1 over the first 5% of the steps, then cosine to 0."""
    if t < WARMUP:
        return t / WARMUP
    return cosine((t - WARMUP) / (1.0 - WARMUP))


def coslog4(t):
    """RealMLP's four cycles: ``(1 - cos(2 pi log2(1 + 15 t))) / 2``.

    ``log2(1 + 15 t)`` runs from 0 to 4, so the factor rises from 0 to 1 and
    falls back to 0 four times, each cycle twice as long as the one before
    (Holzmüller et al., 2024).
    """
    return 0.5 * (1.0 - math.cos(2.0 * math.pi * math.log2(1.0 + 15.0 * t)))


def coslog4_cycle_ends():
    """Where ``coslog4``'s cycles end, as shares of the steps: the ``t`` at
    which ``log2(1 + 15 t)`` is 1, 2, 3 and 4, ``(2^c - 1) / 15``. The
    learning rate is 0 there, so each is the bottom of a cycle: the weights a
    snapshot ensemble (Huang et al., 2017) keeps."""
    return tuple((2**cycle - 1) / 15 for cycle in range(1, 5))


def flat_cos(t):
    """1 for the first half of the steps, then a cosine down to 0 (RealMLP's
    schedule of dropout and weight decay)."""
    return 1.0 if t < 0.5 else cosine(2.0 * t - 1.0)


SCHEDULES = {
    "cosine": cosine,
    "warmup_cosine": warmup_cosine,
    "coslog4": coslog4,
    "flat_cos": flat_cos,
}


class Plan:
    """A schedule over ``total_steps`` steps: ``factor(step)``."""

    def __init__(self, name, total_steps):
        self.shape = SCHEDULES[name]
        self.total_steps = max(int(total_steps), 1)

    def factor(self, step):
        return self.shape(min(step / self.total_steps, 1.0))


class Plans:
    """The plans of one fit, each a :class:`Plan` or None: the learning
    rate's, dropout's and the weight decay's (RealMLP has dropout and weight
    decay follow ``flat_cos``).

    ``apply(step, optimizer, dropout)`` sets each planned setting to its
    initial value times its plan's factor at ``step``, before that batch.
    """

    def __init__(self, learning_rate=None, dropout=None, weight_decay=None):
        self.learning_rate = learning_rate
        self.dropout = dropout
        self.weight_decay = weight_decay

    def __bool__(self):
        return any((self.learning_rate, self.dropout, self.weight_decay))

    def apply(self, step, optimizer, dropout=None):
        if self.learning_rate is not None:
            factor = self.learning_rate.factor(step)
            optimizer.learning_rate = optimizer.learning_rate_init * factor
        if self.dropout is not None and dropout is not None:
            dropout.rate = dropout.initial_rate * self.dropout.factor(step)
        if self.weight_decay is not None:
            optimizer.decay_factor = self.weight_decay.factor(step)
