"""What several test modules share."""

import contextlib
import io
import os
import warnings

import pytest
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.fixes import parse_version


def fit_quietly(estimator, X, y, **fit_params):
    """Fit, ignoring ConvergenceWarning: tests train for few epochs on purpose."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return estimator.fit(X, y, **fit_params)


def needs_sklearn(version, feature):
    """Skip a test that compares with a feature scikit-learn added in ``version``."""
    installed = parse_version(sklearn.__version__)
    return pytest.mark.skipif(
        installed < parse_version(version),
        reason=f"{feature} needs scikit-learn >= {version} "
        f"(installed: {sklearn.__version__})",
    )


def scratchnn_here(*args, cwd=None):
    """``scratchnn ARGS`` run in this process: (status, stdout, stderr).

    ``cli.main`` is what the console script calls, so this is the command
    as a user runs it, less a fresh interpreter's imports (about 2 s each);
    the tests of what only a process of its own shows (a terminal, Ctrl-C,
    what an import pulls in, a traceback-free exit) start one.
    """
    from sklearn_scratchnn.cli import main

    out, err = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as exit:  # argparse's usage errors
                code = exit.code
    finally:
        os.chdir(previous)
    return code, out.getvalue(), err.getvalue()
