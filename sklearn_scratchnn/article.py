"""The article's example: its 4-row table, its settings, and what it reports."""

import numpy as np

#: The article's training table: three binary inputs (the third always 1).
X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
#: Its target: 1 exactly when the first two inputs differ (XOR).
y = np.array([0, 1, 1, 0])
#: The predictions the article reports after 1500 iterations.
REPORTED = np.array([0.023, 0.979, 0.975, 0.025])


def article_params(random_state=0):
    """ScratchMLPClassifier parameters that replay the article's training.

    The article minimises the sum of squares ``sum_i (y_i - p_i)^2`` over its 4
    rows with the plain step ``W <- W - dSSE/dW``. Our ``squared_error`` is
    ``SSE / (2 n)``, so its gradient is ``dSSE/dW / (2 n)``; a learning rate of
    ``2 n = 8`` makes our step the article's step. Full batch (4 rows), no
    momentum, no L2, no shuffling, and exactly 1500 epochs (``tol=0`` with
    ``n_iter_no_change=1500`` keeps the stopping rule from firing).
    """
    n_samples = X.shape[0]
    return dict(
        hidden_layer_sizes=(4,),
        activation="logistic",
        loss="squared_error",
        solver="sgd",
        learning_rate_init=2.0 * n_samples,
        momentum=0.0,
        alpha=0.0,
        batch_size=n_samples,
        max_iter=1500,
        tol=0.0,
        n_iter_no_change=1500,
        shuffle=False,
        random_state=random_state,
    )
