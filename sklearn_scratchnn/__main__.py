"""``python -m sklearn_scratchnn``: reproduce the article's table."""

import argparse
import sys
import warnings

from sklearn.exceptions import ConvergenceWarning

from . import _article
from ._classifier import ScratchMLPClassifier


def article(random_state=0, out=sys.stdout):
    """Train the article's network and print its predictions beside the article's."""
    clf = ScratchMLPClassifier(**_article.article_params(random_state))
    with warnings.catch_warnings():
        # The article trains for exactly 1500 iterations; reaching them is the
        # plan, not a convergence failure.
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(_article.X, _article.y)
    proba = clf.predict_proba(_article.X)[:, 1]
    print(
        "The article's network: 3 inputs, 4 sigmoid hidden units, 1 sigmoid output,",
        file=out,
    )
    print(
        f"trained for {clf.n_iter_} iterations of gradient descent "
        "on the sum of squares.",
        file=out,
    )
    print(file=out)
    print(" X1 X2 X3 |  Y | ours   | article", file=out)
    for row, target, ours, theirs in zip(
        _article.X, _article.y, proba, _article.REPORTED, strict=True
    ):
        inputs = " ".join(f"{int(v):2d}" for v in row)
        print(f"{inputs} | {target:2d} | {ours:.3f}  | {theirs:.3f}", file=out)
    print(file=out)
    print(f"final loss (half the mean squared error): {clf.loss_:.6f}", file=out)
    return clf


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m sklearn_scratchnn",
        description="Train the article's two-layer network on its 4-row table.",
    )
    parser.add_argument(
        "--random-state", type=int, default=0, help="seed of the initial weights"
    )
    args = parser.parse_args(argv)
    article(args.random_state)
    return 0


if __name__ == "__main__":
    sys.exit(main())
