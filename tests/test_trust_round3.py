"""What a new user met on five real tables, third round: each case as they
met it, through the API or a real ``scratchnn`` process."""

import subprocess
import sys
import time
import warnings

import numpy as np
import pytest

from sklearn_scratchnn import (
    ScratchMLPClassifier,
    TabularMLPClassifier,
    TabularMLPRegressor,
)
from tests.helpers import fit_quietly

pd = pytest.importorskip("pandas")

SMALL = dict(hidden_layer_sizes=(8,), max_iter=4, random_state=0)


def scratchnn(*args, cwd=None):
    """``scratchnn ARGS`` in a process of its own: (status, stdout, stderr)."""
    result = subprocess.run(
        [sys.executable, "-m", "sklearn_scratchnn", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
    )
    return result.returncode, result.stdout, result.stderr


def _one_line_error(result, *words):
    code, out, err = result
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert lines[-1].startswith("error: ") and "Traceback" not in err, err
    for word in words:
        assert word in lines[-1], lines[-1]
    return lines


# -- 4. a huge finite target ----------------------------------------------------


def test_a_huge_finite_target_gives_a_finite_model_or_one_clear_error():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(120, 3))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow RuntimeWarning anywhere
        y = 1e200 * (X[:, 0] + 0.1 * rng.normal(size=120))
        model = TabularMLPRegressor(**{**SMALL, "max_iter": 30}).fit(X, y)
        predicted = model.predict(X)
        assert np.isfinite(predicted).all()
        assert np.isfinite(model.score(X, y)) and model.score(X, y) > 0.5
        # the same table in ordinary units: the same R^2, as R^2 has no units
        plain = TabularMLPRegressor(**{**SMALL, "max_iter": 30}).fit(X, y / 1e200)
        assert model.score(X, y) == pytest.approx(plain.score(X, y / 1e200), 1e-6)
        one = X[:, 0].copy()
        one[7] = 1e308  # one cell, as on the command line
        assert np.isfinite(TabularMLPRegressor(**SMALL).fit(X, one).predict(X)).all()
        hopeless = np.full(120, -1.7e308)
        hopeless[0] = 1.7e308  # its distance from the mean overflows float64
        with pytest.raises(ValueError, match="too large for float64.*Divide"):
            TabularMLPRegressor(**SMALL).fit(X, hopeless)


def test_a_huge_target_cell_on_the_command_line_is_scored_without_warnings(
    tmp_path,
):
    rng = np.random.RandomState(0)
    frame = pd.DataFrame({"a": rng.normal(size=150), "b": rng.normal(size=150)})
    frame["y"] = 3 * frame["a"]
    frame.loc[7, "y"] = 1e308
    path = tmp_path / "huge.csv"
    frame.to_csv(path, index=False)
    code, out, err = scratchnn("fit", path, "--target", "y", "--max-iter", "3")
    assert code == 0, err
    assert "Warning" not in err and "NaN" not in err + out
    assert "R2" in out and "nan" not in out.lower()
