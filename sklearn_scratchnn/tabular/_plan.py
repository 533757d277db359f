"""How long, in what batches and in what precision a tabular network trains,
set from the number of rows the table has.

A fixed plan of epochs makes a fit's cost grow with the rows: 64 epochs of
200,000 rows are 64 times more gradient steps than 64 epochs of 3,125. But a
larger table does not need more steps to fit as well: each step sees a
better sample of it. So, past ``REFERENCE_ROWS`` rows, the batch grows and
the epochs shrink by the same factor ``s = sqrt(rows / REFERENCE_ROWS)``:

    batch  = batch_size * s,    epochs = ceil(max_iter / s),

which keeps the number of steps what ``REFERENCE_ROWS`` rows get (64 epochs
of 256 rows of the 8,000 left after the validation split: 2,048 steps),
while the cost of a fit grows as ``sqrt(rows)``, not as the rows. Tables of
up to ``REFERENCE_ROWS`` rows train the recipe's plan unchanged. The
benchmark's scaling page (``benchmarks/results_tabular_scaling.md``) shows
the curve this rule was chosen from, beside a fixed plan and the two halves
of the rule alone.
"""

import math

import numpy as np

REFERENCE_ROWS = 10_000  # up to here, the recipe's plan; past it, sqrt growth
FLOAT32_ROWS = 1_000  # from here on, "auto" precision is float32
DEFAULT_BATCH = 256


def training_plan(n_rows, max_iter, batch_size, budget="rows"):
    """``(epochs, batch)`` for a table of ``n_rows`` rows.

    ``budget="fixed"`` is ``max_iter`` epochs of ``batch_size`` rows
    whatever the table's size; ``"rows"`` is the rule of this module.
    ``batch_size="auto"`` is 256 rows (grown by the rule); an integer is
    used as given, and only the epochs then follow the rule.
    """
    scale = 1.0
    if budget == "rows" and n_rows > REFERENCE_ROWS:
        scale = math.sqrt(n_rows / REFERENCE_ROWS)
    epochs = max(1, math.ceil(max_iter / scale - 1e-9))
    if batch_size == "auto":
        return epochs, int(round(DEFAULT_BATCH * scale))
    return epochs, int(batch_size)


def network_dtype(dtype, n_rows):
    """The network's precision: ``dtype`` itself, or for ``"auto"`` float32
    from ``FLOAT32_ROWS`` rows on (half the time of float64 there, at the
    same scores on the benchmark's tables) and float64 below, where a fit
    takes under a second either way and float64 keeps a weighted row equal
    to its copies, as scikit-learn's checks ask, to 1e-7."""
    if dtype == "auto":
        return np.dtype(np.float32 if n_rows >= FLOAT32_ROWS else np.float64)
    return np.dtype(dtype)
