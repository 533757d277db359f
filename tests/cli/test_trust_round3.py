"""What a new user met on five real tables, third round: each case as they
met it, through the API or the ``scratchnn`` command line (in this process
where a fresh one adds nothing to the case, else in a process of its own)."""

import re
import subprocess
import sys
import warnings

import numpy as np
import pytest
from helpers import scratchnn_here

from sklearn_scratchnn import (
    TabularMLPRegressor,
)

pd = pytest.importorskip("pandas")

SMALL = dict(hidden_layer_sizes=(8,), max_iter=4, random_state=0)


scratchnn = scratchnn_here


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


# -- 5. a missing value in a class target -----------------------------------------


def _labelled_rows(n=40):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(n, 2))
    return X, np.where(X[:, 0] > 0, "yes", "no").astype(object)


@pytest.mark.parametrize("family", ["scratch", "tabular"])
@pytest.mark.parametrize("hole", [None, np.nan, "pd.NA"])
def test_a_missing_class_label_is_one_value_error_naming_its_row(family, hole):
    from sklearn_scratchnn import ScratchMLPClassifier, TabularMLPClassifier

    X, y = _labelled_rows()
    y[[3, 17]] = pd.NA if hole == "pd.NA" else hole
    model = (
        ScratchMLPClassifier(hidden_layer_sizes=(4,), max_iter=5)
        if family == "scratch"
        else TabularMLPClassifier(**SMALL)
    )
    with pytest.raises(ValueError, match=r"2 row\(s\) have none.*3, 17.*dropna"):
        model.fit(X, y)
    with pytest.raises(ValueError, match=r"position\(s\) 3, 17"):
        model.fit(X, pd.Series(y, dtype="string" if hole == "pd.NA" else object))


def _table_with_missing_targets(tmp_path):
    X, y = _labelled_rows(60)
    frame = pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "y": y})
    frame.loc[[3, 10], "y"] = None
    path = tmp_path / "holes.csv"
    frame.to_csv(path, index=False)
    return path


def test_the_command_line_names_missing_targets_and_can_drop_them(tmp_path):
    path = _table_with_missing_targets(tmp_path)
    refused = scratchnn("fit", path, "--target", "y", "--max-iter", "2")
    _one_line_error(refused, "on line(s) 5, 12", "--drop-missing-target")
    code, out, err = scratchnn(
        "fit", path, "--target", "y", "--max-iter", "2", "--drop-missing-target",
        "--save", tmp_path / "m.pkl",
    )  # fmt: skip
    assert code == 0, err
    assert "left out 2 row(s)" in err and "on 46 rows" in out  # 58 rows, 12 held out
    code, out, err = scratchnn(
        "evaluate", tmp_path / "m.pkl", path, "--target", "y", "--drop-missing-target"
    )
    assert code == 0, err
    assert "scores on 58 rows" in out


def test_evaluate_refuses_a_missing_target_before_noting_other_columns(tmp_path):
    path = _table_with_missing_targets(tmp_path)
    code, _, err = scratchnn(
        "fit", path, "--target", "y", "--max-iter", "2", "--drop-missing-target",
        "--save", tmp_path / "m.pkl",
    )  # fmt: skip
    assert code == 0, err
    frame = pd.read_csv(path)
    frame["extra"] = 1.0
    frame.to_csv(path, index=False)
    lines = _one_line_error(
        scratchnn("evaluate", tmp_path / "m.pkl", path, "--target", "y"), "empty"
    )
    assert not any("extra" in line for line in lines), lines


# -- 8. predict: --id checked first, values written in full -----------------------


def _regression_table(tmp_path, scale=1.0):
    rng = np.random.RandomState(0)
    frame = pd.DataFrame({"a": rng.normal(size=80), "b": rng.normal(size=80)})
    frame["income"] = scale * (3 + frame["a"] + 0.1 * rng.normal(size=80))
    path = tmp_path / "incomes.csv"
    frame.to_csv(path, index=False)
    return path


def test_predict_checks_its_id_column_before_anything_else(tmp_path):
    path = _regression_table(tmp_path)
    code, _, err = scratchnn(
        "fit", path, "--target", "income", "--max-iter", "2",
        "--save", tmp_path / "m.pkl",
    )  # fmt: skip
    assert code == 0, err
    other = tmp_path / "other.csv"
    pd.DataFrame({"c": [1.0, 2.0]}).to_csv(other, index=False)  # no model column
    _one_line_error(
        scratchnn("predict", tmp_path / "m.pkl", other, "--id", "nosuch"),
        "--id column 'nosuch'",
    )


def test_predict_writes_every_digit_of_a_large_prediction(tmp_path):
    import pickle

    path = _regression_table(tmp_path, scale=1e6)  # incomes in the millions
    code, _, err = scratchnn(
        "fit", path, "--target", "income", "--max-iter", "20",
        "--save", tmp_path / "m.pkl",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = scratchnn("predict", tmp_path / "m.pkl", path)
    assert code == 0, err
    written = out.splitlines()[1:]
    assert not any("e+" in line for line in written), written[:3]
    with open(tmp_path / "m.pkl", "rb") as file:
        model = pickle.load(file)["model"]
    expected = model.predict(pd.read_csv(path).drop(columns="income"))
    np.testing.assert_array_equal(np.array(written, dtype=float), expected)


# -- 6. fit --help answers without importing scikit-learn -------------------------


def test_the_stated_tabular_defaults_are_the_estimators_own():
    from sklearn_scratchnn import TabularMLPClassifier, TabularMLPRegressor
    from sklearn_scratchnn.cli.options import TABULAR_DEFAULTS
    from sklearn_scratchnn.tabular._plan import DEFAULT_BATCH, REFERENCE_ROWS

    classifier, regressor = TabularMLPClassifier(), TabularMLPRegressor()
    for name in ("hidden_layer_sizes", "max_iter", "batch_size"):
        assert TABULAR_DEFAULTS[name] == getattr(classifier, name)
        assert TABULAR_DEFAULTS[name] == getattr(regressor, name)
    assert TABULAR_DEFAULTS["learning_rate_classification"] == (
        classifier.learning_rate_init
    )
    assert TABULAR_DEFAULTS["learning_rate_regression"] == regressor.learning_rate_init
    assert TABULAR_DEFAULTS["default_batch"] == DEFAULT_BATCH
    assert TABULAR_DEFAULTS["reference_rows"] == REFERENCE_ROWS


def test_fit_help_imports_neither_scikit_learn_nor_the_estimators():
    probe = (
        "import sys\n"
        "from sklearn_scratchnn.cli import main\n"
        "try:\n"
        "    main(['fit', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sklearn', 'scipy') or m.startswith('sklearn_scratchnn.tabular')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "64 epochs" in result.stdout  # the defaults are still stated
    assert result.stdout.strip().splitlines()[-1] == "[]"


# -- 9. --cv K: a bar for every fit, and Ctrl-C names the fold ----------------------


def _terminal_run(args, interrupt_on=None, timeout=240):
    """``scratchnn ARGS`` with standard error on a pseudo-terminal (where the
    progress bar shows): (status, what the terminal showed). With
    ``interrupt_on``, Ctrl-C (SIGINT) is sent once that text has shown."""
    import os
    import pty
    import re
    import select
    import signal
    import time

    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "sklearn_scratchnn", *map(str, args)],
        stdout=subprocess.DEVNULL,
        stderr=terminal,
        env={**os.environ, "COLUMNS": "160"},
    )
    os.close(terminal)
    chunks, sent, deadline = [], False, time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            chunks.append(chunk)
        shown = b"".join(chunks).decode(errors="replace")
        if interrupt_on and not sent and interrupt_on in shown:
            process.send_signal(signal.SIGINT)
            sent = True
    process.wait(timeout=60)
    os.close(controller)
    text = b"".join(chunks).decode(errors="replace")
    return process.returncode, re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


@pytest.fixture
def folds_table(tmp_path):
    rng = np.random.RandomState(0)
    frame = pd.DataFrame(rng.normal(size=(400, 3)), columns=list("abc"))
    frame["y"] = np.where(frame["a"] + frame["b"] > 0, "yes", "no")
    path = tmp_path / "folds.csv"
    frame.to_csv(path, index=False)
    return path


def test_cv_shows_a_labelled_bar_for_every_fold(folds_table):
    pytest.importorskip("rich")
    from sklearn_scratchnn._fitting.compat import CALLBACKS_AVAILABLE

    if not CALLBACKS_AVAILABLE:
        pytest.skip("the progress bar needs scikit-learn's callback API (1.9)")
    code, shown = _terminal_run(
        ["fit", folds_table, "--target", "y", "--max-iter", "5", "--cv", "3"]
    )
    assert code == 0, shown
    for fold in (1, 2, 3):
        assert re.search(rf"--cv fold {fold} of 3 .*5/5 epochs", shown), shown


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
def test_ctrl_c_during_a_fold_names_the_fold(folds_table):
    pytest.importorskip("rich")
    from sklearn_scratchnn._fitting.compat import CALLBACKS_AVAILABLE

    if not CALLBACKS_AVAILABLE:
        pytest.skip("the progress bar needs scikit-learn's callback API (1.9)")
    code, shown = _terminal_run(
        ["fit", folds_table, "--target", "y", "--max-iter", "300", "--cv", "2"],
        interrupt_on="--cv fold 1 of 2",
    )  # fmt: skip
    assert code == 130, shown
    # the epochs are named once the first has ended (Ctrl-C may come sooner)
    assert re.search(
        r"training interrupted in fold 1 of 2( after \d+ of 300 epochs)?; no model",
        shown,
    ), shown


# -- 7. the majority-class rate beside every accuracy -------------------------------


def test_the_majority_class_rate_stands_beside_accuracy_at_any_balance(tmp_path):
    rng = np.random.RandomState(0)
    frame = pd.DataFrame({"a": rng.normal(size=300), "b": rng.normal(size=300)})
    frame["y"] = np.where(np.arange(300) < 186, "stay", "leave")  # 62/38
    path = tmp_path / "balanced.csv"
    frame.to_csv(path, index=False)
    code, out, err = scratchnn("fit", path, "--target", "y", "--max-iter", "2")
    assert code == 0, err
    assert re.search(r"accuracy +\d\.\d{4}  \(always 'stay': 0\.6\d{3}\)", out), out


# -- 8. messages that said the wrong thing ------------------------------------------


def test_report_scores_share_one_format_and_snapshots_are_counted(tmp_path):
    path = _regression_table(tmp_path, scale=1e4)  # errors in the thousands
    code, out, err = scratchnn(
        "fit", path, "--target", "income", "--max-iter", "2", "--cv", "2"
    )
    assert code == 0, err
    assert re.search(r"^  MAE +\d+\.\d{4}$", out, re.M), out  # not 1.113e+04
    assert re.search(r"^  MAE +\d+\.\d{4} ± \d+\.\d{4}$", out, re.M), out
    assert re.search(r"averaged with (1 snapshot\)|\d+ snapshots)", out), out


def test_numeric_on_a_text_column_says_none_of_its_cells_are_numbers(tmp_path):
    frame = pd.DataFrame({"a": np.arange(40.0), "color": ["red", "blue"] * 20})
    frame["y"] = frame["a"] * 2
    path = tmp_path / "colors.csv"
    frame.to_csv(path, index=False)
    lines = _one_line_error(
        scratchnn("fit", path, "--target", "y", "--numeric", "color"),
        "none of the 40 filled cells of column 'color' is a number",
    )
    assert "empty" not in lines[-1]


def test_test_size_is_checked_as_a_share_of_the_rows(tmp_path):
    path = _regression_table(tmp_path)
    code, _, err = scratchnn("fit", path, "--target", "income", "--test-size", "100")
    assert code == 2 and "Traceback" not in err
    last = err.strip().splitlines()[-1]
    assert "between 0 and 1" in last and "range [1, inf)" not in last, last


def test_a_latin_1_file_is_named_by_line_and_read_with_encoding(tmp_path):
    rows = ["town,size,y"] + [f"Aalborg{i % 4},{i % 7},{i % 2}" for i in range(40)]
    rows[2] = "Næstved og omegn,1,1"  # line 3: its 'æ' is one byte in Latin-1
    path = tmp_path / "towns.csv"
    path.write_bytes("\n".join(rows).encode("latin-1"))
    _one_line_error(
        scratchnn("fit", path, "--target", "y"),
        "byte 0xe6 on line 3, column 2",
        "--encoding latin-1",
    )
    code, out, err = scratchnn(
        "fit", path, "--target", "y", "--encoding", "latin-1", "--max-iter", "2"
    )
    assert code == 0, err


# -- 10. a reader that names what is wrong with the file ----------------------------


def test_a_header_naming_a_column_twice_is_refused_with_its_line(tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text("x1,x2,x1,y\n" + "1,2,3,4\n" * 30)
    _one_line_error(
        scratchnn("fit", path, "--target", "y"),
        "(line 1) names column 'x1' twice, as columns 1 and 3",
    )


def test_a_short_row_is_named_by_its_line(tmp_path):
    path = tmp_path / "short.csv"
    rows = ["a,b,c,y"] + [f"{i},{i % 3},{i % 5},{i % 2}" for i in range(60)]
    rows[9] = "8,2"  # line 10: two of four cells
    path.write_text("\n".join(rows) + "\n")
    code, out, err = scratchnn("fit", path, "--target", "b", "--max-iter", "2")
    assert code == 0, err
    assert "line(s) 10 of" in err and "(line 10 has 2)" in err, err
    refused = scratchnn("fit", path, "--target", "y", "--max-iter", "2")
    _one_line_error(refused, "on line(s) 10")  # the line, not a 0-based position


# -- 11. docs that drifted from the code --------------------------------------------

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


def test_the_tabular_page_states_the_default_width_and_epochs():
    from sklearn_scratchnn import TabularMLPClassifier

    text = " ".join((ROOT / "docs" / "tabular.rst").read_text().split())
    found = re.search(r"Ours are (\w+) layers of (\d+) and train (\d+) epochs", text)
    assert found, "the page no longer states our width"
    words = {"two": 2, "three": 3, "four": 4}
    hidden = TabularMLPClassifier().hidden_layer_sizes
    assert (words[found.group(1)], int(found.group(2))) == (len(hidden), hidden[0])
    assert int(found.group(3)) == TabularMLPClassifier().max_iter


def test_export_help_says_which_saved_models_export():
    code, out, _ = scratchnn("export", "--help")
    text = " ".join(out.split())
    assert code == 0 and "Every tabular model" in text
    assert "--model pipeline model only where skl2onnx converts" in text
    assert "not a regressor" in text


def test_the_readme_names_every_type_a_pipeline_skops_file_asks_to_trust(tmp_path):
    sio = pytest.importorskip("skops.io")
    rng = np.random.RandomState(0)
    frame = pd.DataFrame({"a": rng.normal(size=80), "b": rng.normal(size=80)})
    frame["y"] = np.where(frame["a"] > 0, "yes", "no")
    frame.to_csv(tmp_path / "t.csv", index=False)
    code, _, err = scratchnn(
        "fit", tmp_path / "t.csv", "--target", "y", "--model", "pipeline",
        "--max-iter", "3", "--save", tmp_path / "p.skops",
    )  # fmt: skip
    assert code == 0, err
    readme = (ROOT / "README.md").read_text()
    asked = sio.get_untrusted_types(file=tmp_path / "p.skops")
    assert asked and all(name.rsplit(".", 1)[-1] in readme for name in asked)
    assert "numpy.dtype" in asked and "`numpy.dtype`" in readme


def test_the_readme_session_prints_what_the_commands_print(tmp_path):
    """The README's breast-cancer session, run from its own commands: the
    held-out scores and the predictions of the rows it names."""
    readme = (ROOT / "README.md").read_text()
    making = re.search(
        r"the file:\n?`(python -c \"from sklearn.datasets.*?)`\)", readme
    )
    rows = re.search(r"`(f\.drop\(columns='diagnosis'\)[^`]*)`", readme)
    assert making and rows, "the README no longer says how its files were made"
    script = making.group(1)[len('python -c "') : -1] + "; " + rows.group(1)
    subprocess.run([sys.executable, "-c", script], cwd=tmp_path, check=True)
    session = readme.split("$ scratchnn fit breast_cancer.csv --target diagnosis")[1]
    fit = scratchnn(
        "fit", "breast_cancer.csv", "--target", "diagnosis", "--save", "model.skops",
        cwd=tmp_path,
    )  # fmt: skip
    assert fit[0] == 0, fit[2]
    scores = session.split("held-out scores:\n")[1].split("model saved")[0]
    assert scores in fit[1]
    code, out, err = scratchnn(
        "predict", "model.skops", "new_patients.csv", "--proba", cwd=tmp_path
    )
    assert code == 0, err
    shown = session.split("--proba\n")[1].split("$ ")[0].strip().splitlines()
    assert out.splitlines()[0] == shown[0]
    np.testing.assert_allclose(
        [[float(v) for v in line.split(",")] for line in out.splitlines()[1:]],
        [[float(v) for v in line.split(",")] for line in shown[1:]],
        rtol=1e-9,
    )
