"""The command line, run as a user runs it: in a fresh process."""

import io
import json
import operator
import re
import subprocess
import sys
import warnings

import numpy as np
import pytest
from helpers import needs_sklearn, scratchnn_here

from sklearn_scratchnn import article
from sklearn_scratchnn.cli import main

pytestmark = pytest.mark.processes  # see pyproject.toml's markers and .ci/run


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
    np.testing.assert_array_equal(reported, article.REPORTED)
    np.testing.assert_array_less(np.abs(ours - article.y), 0.05)
    assert "1500 iterations" in result.stdout and "final loss" in result.stdout


def test_article_plot(tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "curve.png"
    run("article", "--plot", str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_help_lists_the_subcommands():
    out = run("--help").stdout
    for command in (
        "article",
        "digits",
        "fit",
        "predict",
        "evaluate",
        "info",
        "export",
    ):
        assert command in out


def test_digits_grid_search():
    out = run("digits", "--max-iter", "30", "--verbose", "0").stdout
    assert "hidden units | lr 0.001 | lr 0.01" in out
    assert len(re.findall(r"^\s+(16|32|64) \| +0\.\d{4} \| +0\.\d{4}$", out, re.M)) == 3
    accuracy = float(re.search(r"held-out accuracy: (\S+)", out).group(1))
    assert accuracy > 0.9


# -- tabular data: fit, evaluate, predict, info ----------------------------------------

pd = pytest.importorskip("pandas")


def _bundled(name, folder):
    """One of scikit-learn's bundled data sets as a CSV file with a header."""
    from sklearn import datasets

    bunch = getattr(datasets, f"load_{name}")(as_frame=True)
    frame = bunch.frame
    if name != "diabetes":  # class names, as a spreadsheet would have them
        frame["target"] = np.asarray(bunch.target_names)[bunch.target]
    path = folder / f"{name}.csv"
    frame.to_csv(path, index=False)
    return path, bunch


@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer"])
def test_pipeline_held_out_accuracy_matches_the_same_pipeline_in_python(tmp_path, name):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from sklearn_scratchnn import ScratchMLPClassifier

    path, bunch = _bundled(name, tmp_path)
    report = json.loads(
        run(
            "fit", str(path), "--target", "target", "--model", "pipeline", "--json"
        ).stdout
    )
    assert report["task"] == "classification"
    X_train, X_test, y_train, y_test = train_test_split(
        bunch.data, bunch.target, test_size=0.2, stratify=bunch.target, random_state=0
    )
    pipe = make_pipeline(
        StandardScaler(), ScratchMLPClassifier(activation="relu", random_state=0)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        accuracy = pipe.fit(X_train, y_train).score(X_test, y_test)
    assert abs(report["held_out"]["accuracy"] - accuracy) <= 0.02


def test_the_default_model_is_the_tabular_model_as_in_python(tmp_path, capsys):
    """``fit`` trains TabularMLPClassifier with its defaults: the held-out
    accuracy is exactly that of the same model fitted in Python on the same
    split, and the report names the epoch restored."""
    from sklearn.model_selection import train_test_split

    from sklearn_scratchnn import TabularMLPClassifier

    path, bunch = _bundled("breast_cancer", tmp_path)
    result = run("fit", str(path), "--target", "target", "--json")
    assert result.stderr == ""  # no warning: reaching its epochs is the plan
    report = json.loads(result.stdout)
    assert report["model"] == "TabularMLPClassifier"
    frame = pd.read_csv(path)
    X, y = frame.drop(columns=["target"]), frame["target"]
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=0
    )
    model = TabularMLPClassifier(random_state=0).fit(X_train, y_train)
    assert report["held_out"]["accuracy"] == model.score(X_test, y_test)
    assert report["epochs"] == model.n_iter_ == 64
    assert report["best_epoch"] == model.best_epoch_
    assert main(["fit", str(path), "--target", "target", "--max-iter", "8"]) == 0
    out = capsys.readouterr().out
    # snapshots at epochs 1, 2, 4 and 8, the best epoch's own left out
    restored = r"\(8 epochs, the best of them restored: epoch [1-8], averaged"
    assert re.search(restored + r" with [34] snapshots\)", out)


@pytest.mark.parametrize(
    "model, name",
    [("tabular", "TabularMLPRegressor"), ("pipeline", "ScratchMLPRegressor")],
)
def test_regression_on_diabetes_every_subcommand(tmp_path, capsys, model, name):
    # in-process (main() is what the console script runs): the tests above and
    # below run commands in fresh processes
    def command(*args):
        assert main([str(a) for a in args]) == 0
        return capsys.readouterr().out

    path, bunch = _bundled("diabetes", tmp_path)
    options = ("--model", model, "--max-iter", "50")
    saved = tmp_path / "diabetes.pkl"
    out = command("fit", path, "--target", "target", *options, "--save", saved)
    assert "regression, inferred from the target column" in out
    assert f"trained {name}" in out
    for score in ("R2", "MAE", "RMSE"):
        assert re.search(rf"^  {score} +-?[0-9.]+", out, re.M), score
    if model == "tabular":  # better than the training mean, whose R2 is about 0
        assert float(re.search(r"R2 +(-?[0-9.]+)", out).group(1)) > 0.1
    scores = json.loads(
        command("evaluate", saved, path, "--target", "target", "--json")
    )
    predicted = pd.read_csv(io.StringIO(command("predict", saved, path)))
    assert list(predicted.columns) == ["target"] and len(predicted) == len(bunch.frame)
    residual = predicted["target"] - bunch.target
    assert scores["rmse"] == pytest.approx(np.sqrt(np.mean(residual**2)), rel=1e-4)
    assert f"{name} predicting 'target'" in command("info", saved)


@pytest.fixture
def mixed_csv(tmp_path):
    """Numbers, a text column, and missing values in both."""
    rng = np.random.RandomState(0)
    n = 300
    frame = pd.DataFrame(
        {
            "id": [f"row{i}" for i in range(n)],
            "size": rng.normal(size=n) * 100 + 500,
            "colour": rng.choice(["red", "green", "blue"], size=n),
            "weight": rng.normal(size=n),
        }
    )
    frame["label"] = np.where(
        (frame["colour"] == "red") | (frame["weight"] > 0.5), "keep", "drop"
    )
    frame.loc[::17, "size"] = np.nan
    frame.loc[::23, "colour"] = np.nan
    path = tmp_path / "mixed.csv"
    frame.to_csv(path, index=False)
    return path, frame


# what info says of a column, per model
DESCRIBED = {
    "tabular": ("colour: categorical (one-hot, 4 categories)",
                "size: numeric (robust-scaled, smooth-clipped)"),
    # as its network reads them (HistGradientBoosting splits categories)
    "blend": ("colour: categorical (one-hot, 4 categories)",
              "size: numeric (robust-scaled, smooth-clipped)",
              "TabularBlendClassifier predicting 'label'"),
    "pipeline": ("colour: categorical (one-hot)", "size: numeric (scaled)"),
}  # fmt: skip


def call(*args):
    """The command line's stdout for ``args``, run in this process (the tests
    of a fresh process are the ones that call :func:`run`)."""
    code, out, err = scratchnn_here(*args)
    assert code == 0, err
    return out


# skops files of every kind of model are saved and read back
@pytest.mark.parametrize("kind", ["tabular", "blend", "pipeline"])
def test_fit_predict_evaluate_info_round_trip(mixed_csv, tmp_path, kind):
    pytest.importorskip("skops")
    path, frame = mixed_csv
    model = tmp_path / "model.skops"
    epochs = ["--max-iter", "300"] if kind == "pipeline" else []
    report = json.loads(
        call("fit", str(path), "--target", "label", "--model", kind,
            *epochs, "--refit-all", "--save", str(model), "--json",
        )
    )  # fmt: skip
    assert report["held_out"]["accuracy"] > 0.85
    assert report["refit_on_all_rows"] and report["saved_to"] == str(model)
    # predict: the input's row order, the id column, a header
    new = tmp_path / "new.csv"
    frame.drop(columns=["label"]).iloc[::-1].to_csv(new, index=False)
    out = tmp_path / "out.csv"
    call("predict", str(model), str(new), "--id", "id", "--output", str(out))
    predicted = pd.read_csv(out)
    assert list(predicted.columns) == ["id", "label"]
    assert list(predicted["id"]) == list(frame["id"].iloc[::-1])
    assert set(predicted["label"]) <= {"keep", "drop"}
    probabilities = pd.read_csv(
        io.StringIO(call("predict", str(model), str(new), "--proba"))
    )
    assert list(probabilities.columns) == ["proba_drop", "proba_keep"]
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)  # %.6g
    # evaluate: the same scores as predicting and scoring by hand
    scores = json.loads(
        call("evaluate", str(model), str(path), "--target", "label", "--json")
    )
    truth = frame["label"].iloc[::-1].to_numpy()  # the rows of new.csv
    assert scores["accuracy"] == pytest.approx((predicted["label"] == truth).mean())
    # info: what the model expects
    described = call("info", str(model))
    for line in DESCRIBED[kind]:
        assert line in described
    assert "classes: drop, keep" in described
    assert "saved with: sklearn-scratchnn" in described
    if kind == "blend":  # the weights fit reported, and what each part is
        weights = report["weights"]
        assert weights["network"] + weights["hgb"] == pytest.approx(1.0)
        shown = f"blend: network {weights['network']:.2f}, HistGradientBoosting"
        assert shown in described
        assert (
            "  layers: " in described and "column(s) split as categories" in described
        )


@pytest.mark.parametrize("kind", ["tabular", "pipeline"])
def test_unseen_categories_are_ignored_with_one_warning_line(mixed_csv, tmp_path, kind):
    _, frame = mixed_csv
    frame = frame.drop(columns=["id"])  # every id would be unseen
    path, model = tmp_path / "no_id.csv", tmp_path / "model.pkl"
    frame.to_csv(path, index=False)
    options = ("--model", kind, "--max-iter", "20", "--save", str(model))
    assert main(["fit", str(path), "--target", "label", *options]) == 0
    new = tmp_path / "new.csv"  # then predicted as a user would, in a fresh process
    unseen = frame.drop(columns=["label"]).head(3).assign(colour="purple")
    unseen.to_csv(new, index=False)
    result = run("predict", str(model), str(new))
    assert len(result.stdout.split()) == 4  # header and three predictions
    warning_lines = [
        line for line in result.stderr.splitlines() if line.startswith("warning:")
    ]
    assert warning_lines == [
        "warning: column 'colour' has values not seen in training ('purple'); "
        "those rows are predicted as if the column were empty"
    ]
    assert "Traceback" not in result.stderr and ".py" not in result.stderr


def test_convergence_is_one_readable_line(mixed_csv):
    path, _ = mixed_csv
    options = ("--model", "pipeline", "--max-iter", "3")
    result = run("fit", str(path), "--target", "label", *options)
    assert result.stderr.strip().splitlines() == [
        "warning: training stopped at the limit of 3 epochs before the training "
        "loss settled; that alone is no fault: judge the model by its held-out "
        "scores (more epochs, --max-iter, can fit the training rows closer and "
        "score worse on new ones)"
    ]


def _in_a_terminal(*args):
    """Run the command with its standard error on a pseudo-terminal."""
    import os
    import pty

    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "sklearn_scratchnn", *args],
        stdout=subprocess.DEVNULL,
        stderr=terminal,
        env={**os.environ, "COLUMNS": "120"},
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=300)
    os.close(controller)
    text = b"".join(chunks).decode(errors="replace")
    return process.returncode, re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)  # colours


@needs_sklearn("1.9", "The progress bar (scikit-learn's callback API)")
@pytest.mark.parametrize(
    "options",
    [
        ("--model", "pipeline", "--early-stopping"),
        ("--hidden", "16"),
        ("--model", "blend", "--hidden", "16"),  # the bar of its network
    ],
)
def test_progress_bar_in_a_terminal_and_not_when_piped(mixed_csv, options):
    pytest.importorskip("rich")
    path, _ = mixed_csv
    args = ("fit", str(path), "--target", "label", "--max-iter", "40")
    code, terminal = _in_a_terminal(*args, *options)
    assert code == 0
    assert "━" in terminal and re.search(r"\d+/40 epochs", terminal)
    assert re.search(r"loss \d\.\d{4}", terminal)
    assert "validation score" in terminal
    piped = run(*args)
    assert "validation score" not in piped.stderr and "━" not in piped.stderr


@pytest.mark.parametrize(
    "case, message",
    [
        ("missing file", "no such file: nowhere.csv"),
        ("missing column", "column 'price' is not in"),
        ("empty file", "is empty"),
        ("one class", "has one class only"),
        ("empty column", "entirely empty"),
        ("not a model", "is not a model file saved by 'fit --save'"),
        ("other columns", "lacks column(s) the model was trained on: colour"),
        ("missing model", "no such model file"),
    ],
)
def test_bad_input_is_one_line_and_status_2(mixed_csv, tmp_path, capsys, case, message):
    # in-process (main() is what the console script runs): a fresh process
    # per case would only add scikit-learn's import time
    path, frame = mixed_csv
    model = tmp_path / "model.pkl"
    if case in ("other columns",):
        assert main(["fit", str(path), "--target", "label", "--max-iter", "2",
                     "--save", str(model)]) == 0  # fmt: skip
        capsys.readouterr()
    files = {
        "empty": tmp_path / "empty.csv",
        "one class": tmp_path / "one.csv",
        "empty column": tmp_path / "hole.csv",
        "not a model": tmp_path / "notes.pkl",
        "other columns": tmp_path / "other.csv",
    }
    files["empty"].write_text("")
    frame.assign(label="keep").to_csv(files["one class"], index=False)
    frame.assign(weight=np.nan).to_csv(files["empty column"], index=False)
    files["not a model"].write_text("just some notes\n")
    frame.drop(columns=["colour"]).to_csv(files["other columns"], index=False)
    args = {
        "missing file": ["fit", "nowhere.csv", "--target", "y"],
        "missing column": ["fit", str(path), "--target", "price"],
        "empty file": ["fit", str(files["empty"]), "--target", "label"],
        "one class": ["fit", str(files["one class"]), "--target", "label"],
        "empty column": ["fit", str(files["empty column"]), "--target", "label"],
        "not a model": ["predict", str(files["not a model"]), str(path)],
        "other columns": ["predict", str(model), str(files["other columns"])],
        "missing model": ["info", str(tmp_path / "nothing.skops")],
    }[case]
    assert main(args) == 2
    err = capsys.readouterr().err
    error_lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 1 and message in error_lines[0]
    assert "Traceback" not in err


def test_loading_a_pickle_says_that_pickles_run_code(mixed_csv, tmp_path):
    path, _ = mixed_csv
    model = tmp_path / "model.pkl"
    run("fit", str(path), "--target", "label", "--max-iter", "2", "--save", str(model))
    result = run("info", str(model))
    assert "pickle" in result.stderr and "runs whatever code" in result.stderr
    assert ".skops" in result.stderr


def test_clear_error_from_a_fresh_process():
    result = run("fit", "nowhere.csv", "--target", "y", check=False)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: no such file: nowhere.csv"


def test_a_skops_file_with_foreign_types_is_refused(tmp_path):
    sio = pytest.importorskip("skops.io")
    from sklearn.preprocessing import FunctionTransformer

    path = tmp_path / "model.skops"
    sio.dump({"model": FunctionTransformer(operator.neg), "columns": ["a"]}, path)
    result = run("predict", str(path), str(path), check=False)
    assert result.returncode == 2
    assert "types that a model of ours never needs" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["tabular", "pipeline"])
def test_both_models_read_a_boolean_column_as_the_tabular_rule_says(tmp_path, kind):
    # one rule of what a column is (tabular.table_columns): booleans are
    # numbers for the pipeline too, as they are for the tabular model
    rng = np.random.RandomState(0)
    frame = pd.DataFrame({"x": rng.normal(size=80), "flag": rng.rand(80) > 0.5})
    frame["y"] = np.where(frame["flag"], "on", "off")
    path, model = tmp_path / "flags.csv", tmp_path / "model.pkl"
    frame.to_csv(path, index=False)
    assert pd.read_csv(path)["flag"].dtype == bool  # as pandas reads the file
    options = ("--model", kind, "--max-iter", "200", "--save", str(model))
    call("fit", str(path), "--target", "y", *options)
    described = call("info", str(model))
    assert re.search(r"flag: numeric \(", described), described
    predicted = pd.read_csv(io.StringIO(call("predict", str(model), str(path))))
    assert (predicted["y"] == frame["y"]).mean() > 0.9


def test_a_blend_is_fitted_as_in_python_and_exported(tmp_path):
    """``fit --model blend`` trains TabularBlendClassifier on the tabular
    network's options: the held-out accuracy is that of the same blend fitted
    in Python on the same split; ``export`` writes both parts in one graph."""
    rt = pytest.importorskip("onnxruntime")
    from sklearn.model_selection import train_test_split

    from sklearn_scratchnn import TabularBlendClassifier, TabularMLPClassifier

    path, _ = _bundled("breast_cancer", tmp_path)
    saved = tmp_path / "blend.pkl"
    report = json.loads(
        call("fit", path, "--target", "target", "--model", "blend", "--hidden", "16",
             "--save", saved, "--json")
    )  # fmt: skip
    assert report["model"] == "TabularBlendClassifier"
    assert report["epochs"] == 32  # the blend's network's default
    frame = pd.read_csv(path)
    X, y = frame.drop(columns=["target"]), frame["target"]
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=0
    )
    network = TabularMLPClassifier(hidden_layer_sizes=(16,), max_iter=32)
    blend = TabularBlendClassifier(network, random_state=0).fit(X_train, y_train)
    assert report["held_out"]["accuracy"] == blend.score(X_test, y_test)
    assert report["weights"] == {"network": blend.weights_[0], "hgb": blend.weights_[1]}
    call("export", saved, tmp_path / "blend.onnx")
    session = rt.InferenceSession(
        str(tmp_path / "blend.onnx"), providers=["CPUExecutionProvider"]
    )
    from sklearn_scratchnn.onnx import onnx_inputs

    labels, _ = session.run(None, onnx_inputs(blend, X_test))
    # float32 inputs: a row on the boundary may fall the other way
    assert np.mean(labels == blend.predict(X_test)) > 0.99
