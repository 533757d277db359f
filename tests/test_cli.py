"""The command line, run as a user runs it: in a fresh process."""

import operator
import re
import subprocess
import sys

import numpy as np
import pytest

from sklearn_scratchnn import _article
from sklearn_scratchnn.__main__ import main


def run(*args, check=True):
    result = subprocess.run(
        [sys.executable, "-m", "sklearn_scratchnn", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_main_job_prints_the_article_table():
    result = run()
    assert result.stderr == ""  # no warnings leak to the user
    rows = re.findall(
        r"^\s*([01])\s+([01])\s+1 \|\s+([01]) \| (\S+) \| (\S+)$",
        result.stdout,
        flags=re.MULTILINE,
    )
    assert len(rows) == 4
    ours = np.array([float(r[3]) for r in rows])
    reported = np.array([float(r[4]) for r in rows])
    np.testing.assert_array_equal(reported, _article.REPORTED)
    np.testing.assert_array_less(np.abs(ours - _article.y), 0.05)
    assert "1500 iterations" in result.stdout and "final loss" in result.stdout


def test_article_plot(tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "curve.png"
    run("article", "--plot", str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_help_lists_the_subcommands():
    out = run("--help").stdout
    for command in ("article", "digits", "fit", "predict"):
        assert command in out


def test_digits_grid_search():
    out = run("digits", "--max-iter", "30", "--verbose", "0").stdout
    assert "hidden units | lr 0.001 | lr 0.01" in out
    assert len(re.findall(r"^\s+(16|32|64) \| +0\.\d{4} \| +0\.\d{4}$", out, re.M)) == 3
    accuracy = float(re.search(r"held-out accuracy: (\S+)", out).group(1))
    assert accuracy > 0.9


@pytest.fixture
def csv_files(tmp_path):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(120, 3))
    labels = np.where(X[:, 0] + X[:, 1] > 0, "yes", "no")
    train = tmp_path / "train.csv"
    lines = ["a,b,c,label"] + [
        f"{x[0]},{x[1]},{x[2]},{label}" for x, label in zip(X, labels, strict=True)
    ]
    train.write_text("\n".join(lines) + "\n")
    new = tmp_path / "new.csv"
    new.write_text("c,b,a\n0.0,2.0,2.0\n0.0,-2.0,-2.0\n")
    return tmp_path, train, new


@pytest.mark.parametrize("suffix", [".pkl", ".skops"])
def test_fit_then_predict(csv_files, suffix):
    if suffix == ".skops":
        pytest.importorskip("skops")
    folder, train, new = csv_files
    model = folder / f"model{suffix}"
    out = run(
        "fit",
        str(train),
        "--target",
        "label",
        "--hidden",
        "8",
        "--learning-rate",
        "0.05",
        "--max-iter",
        "300",
        "--save",
        str(model),
    ).stdout
    assert "trained ScratchMLPClassifier on 120 rows x 3 features" in out
    assert float(re.search(r"training score (\S+)", out).group(1)) > 0.9
    # columns are matched by name, whatever their order in the new file
    assert run("predict", str(model), str(new)).stdout.split() == ["label", "yes", "no"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["fit", "nowhere.csv", "--target", "y"], "no such file: nowhere.csv"),
        (["fit", "{train}", "--target", "price"], "column 'price' is not in"),
        (["fit", "{bad}", "--target", "label"], "'seven' is not a number"),
        (["predict", "missing.pkl", "{train}"], "no such model file"),
    ],
)
def test_clear_errors(csv_files, capsys, args, message):
    # in-process (main() is what the console script runs): a fresh process
    # per case would only add scikit-learn's import time
    folder, train, _ = csv_files
    bad = folder / "bad.csv"
    bad.write_text("a,label\n1.0,x\nseven,y\n")
    args = [a.format(train=train, bad=bad) for a in args]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_clear_error_from_a_fresh_process(csv_files):
    result = run("fit", "nowhere.csv", "--target", "y", check=False)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: no such file: nowhere.csv"


def test_a_skops_file_with_foreign_types_is_refused(tmp_path):
    sio = pytest.importorskip("skops.io")
    from sklearn.preprocessing import FunctionTransformer

    path = tmp_path / "model.skops"
    sio.dump({"model": FunctionTransformer(operator.neg), "features": ["a"]}, path)
    result = run("predict", str(path), str(path), check=False)
    assert result.returncode == 2
    assert "types that a model of ours never needs" in result.stderr
    assert "Traceback" not in result.stderr
