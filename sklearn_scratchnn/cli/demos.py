"""The command line's demonstrations: the article's network, and digits.

``article`` trains the article's network on its 4-row table and prints its
predictions beside the article's; ``digits`` runs a Pipeline + GridSearchCV
over hidden size and learning rate on scikit-learn's digits.
"""

import sys
import time
import warnings

from .. import article as the_article
from .messages import CommandError


def article(args, out=sys.stdout):
    from sklearn.exceptions import ConvergenceWarning

    from ..scratch import ScratchMLPClassifier

    clf = ScratchMLPClassifier(**the_article.article_params(args.random_state))
    with warnings.catch_warnings():
        # The article trains for exactly 1500 iterations; reaching them is the
        # plan, not a convergence failure.
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(the_article.X, the_article.y)
    proba = clf.predict_proba(the_article.X)[:, 1]
    print(
        "The article's network: 3 inputs, 4 sigmoid hidden units, 1 sigmoid output,\n"
        f"trained for {clf.n_iter_} iterations of gradient descent on the sum of "
        "squares.\n",
        file=out,
    )
    print(" X1 X2 X3 |  Y | ours  | article", file=out)
    for row, target, ours, theirs in zip(
        the_article.X, the_article.y, proba, the_article.REPORTED, strict=True
    ):
        inputs = " ".join(f"{int(v):2d}" for v in row)
        print(f" {inputs} | {target:2d} | {ours:.3f} | {theirs:.3f}", file=out)
    print(f"\nfinal loss (half the mean squared error): {clf.loss_:.6f}", file=out)
    if args.plot:
        _save_loss_curve(clf, args.plot)
        print(f"loss curve written to {args.plot}", file=out)
    return clf


def _save_loss_curve(estimator, path):
    try:
        import matplotlib
    except ImportError as error:
        raise CommandError(
            "--plot needs matplotlib: pip install 'sklearn-scratchnn[plot]'"
        ) from error
    matplotlib.use("Agg")
    from ..plotting import LossCurveDisplay

    display = LossCurveDisplay.from_estimator(estimator, name="the article's network")
    display.figure_.savefig(path, dpi=100)


def digits(args, out=sys.stdout):
    from sklearn.datasets import load_digits
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import GridSearchCV, train_test_split
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    from ..scratch import ScratchMLPClassifier

    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    pipe = Pipeline(
        [
            ("scale", StandardScaler()),
            ("mlp", ScratchMLPClassifier(max_iter=args.max_iter, random_state=0)),
        ]
    )
    grid = {
        "mlp__hidden_layer_sizes": [(16,), (32,), (64,)],
        "mlp__learning_rate_init": [1e-3, 1e-2],
    }
    n_fits = 3 * len(grid["mlp__hidden_layer_sizes"]) * 2
    print(f"Grid search: {n_fits} fits (3 folds x 6 candidates) ...", file=out)
    start = time.perf_counter()
    search = GridSearchCV(pipe, grid, cv=3, n_jobs=args.n_jobs, verbose=args.verbose)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        search.fit(X_train, y_train)
    print(f"done in {time.perf_counter() - start:.1f} s\n", file=out)
    print("mean cross-validated accuracy", file=out)
    print("hidden units | lr 0.001 | lr 0.01", file=out)
    scores = search.cv_results_["mean_test_score"]
    params = search.cv_results_["params"]
    for size in grid["mlp__hidden_layer_sizes"]:
        row = [
            score
            for score, p in zip(scores, params, strict=True)
            if p["mlp__hidden_layer_sizes"] == size
        ]
        print(f"{size[0]:12d} | {row[0]:8.4f} | {row[1]:7.4f}", file=out)
    best = search.best_params_
    print(
        f"\nbest: {best['mlp__hidden_layer_sizes'][0]} hidden units, learning rate "
        f"{best['mlp__learning_rate_init']}",
        file=out,
    )
    print(f"held-out accuracy: {search.score(X_test, y_test):.4f}", file=out)
    return search
