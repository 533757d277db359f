"""The traps a new user met in the command line, one test each.

Each CSV file is written by the test; the commands run in-process through
``main`` (what the console script runs) unless a fresh process is the point.
"""

import json
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from sklearn_scratchnn.cli import fitting, main

pd = pytest.importorskip("pandas")


def run_main(capsys, *args):
    """``(status, stdout, stderr)`` of one command, in this process."""
    status = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def loans(n=600, seed=0, positives=0.12):
    """A loan table: numbers, text, an id, a row number and a rare class."""
    rng = np.random.RandomState(seed)
    income = rng.lognormal(10, 0.5, size=n)
    debt = rng.uniform(0, 1, size=n)
    score = -3.2 + 2.5 * debt + rng.normal(scale=0.5, size=n)
    deny = score > np.quantile(score, 1 - positives)
    return pd.DataFrame(
        {
            "rownames": np.arange(1, n + 1),
            "customer": [f"C{100000 + i}" for i in rng.permutation(n)],
            "income": income.round(2),
            "debt_ratio": debt.round(4),
            "region": rng.choice(["north", "south", "east"], size=n),
            "deny": np.where(deny, "yes", "no"),
        }
    )


# -- 1. a finished fit is never lost to a save that fails ----------------------------

_BLOCK_SKOPS = textwrap.dedent(
    """
    import sys

    class NoSkops:  # a fresh environment without skops
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] == "skops":
                raise ModuleNotFoundError(f"No module named {name!r}")

    sys.meta_path.insert(0, NoSkops())
    from sklearn.pipeline import Pipeline
    from sklearn_scratchnn import TabularMLPClassifier
    def announcing(fit):
        def announced(self, *args, **kwargs):
            print("training started", file=sys.stderr)
            return fit(self, *args, **kwargs)
        return announced
    for model in (Pipeline, TabularMLPClassifier):
        model.fit = announcing(model.fit)
    from sklearn_scratchnn.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


def test_a_skops_save_without_skops_fails_before_training(tmp_path):
    path = tmp_path / "loans.csv"
    loans().to_csv(path, index=False)
    model = tmp_path / "model.skops"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            _BLOCK_SKOPS,
            "fit",
            str(path),
            "--target",
            "deny",
            "--save",
            str(model),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 2
    assert "training started" not in result.stderr  # nothing trained, then lost
    assert result.stderr.splitlines()[0].startswith(f"error: --save {model}: ")
    assert "pip install skops" in result.stderr
    assert "--save " + str(model.with_suffix(".pkl")) in result.stderr


def test_a_save_into_a_missing_directory_fails_before_training(tmp_path, capsys):
    path = tmp_path / "loans.csv"
    loans().to_csv(path, index=False)
    target = tmp_path / "nowhere" / "model.pkl"
    status, out, err = run_main(
        capsys, "fit", path, "--target", "deny", "--save", target
    )
    assert status == 2 and out == ""
    assert "the directory" in err and "does not exist" in err


def test_the_report_is_printed_before_a_save_that_fails(tmp_path, capsys, monkeypatch):
    path = tmp_path / "loans.csv"
    loans().to_csv(path, index=False)

    def disk_full(saved, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fitting, "save_model", disk_full)
    status, out, err = run_main(
        capsys,
        "fit",
        path,
        "--target",
        "deny",
        "--max-iter",
        "5",
        "--save",
        tmp_path / "m.pkl",
    )
    assert status == 2
    assert "held-out scores:" in out and "balanced accuracy" in out
    assert "model saved" not in out
    assert "error: the model was trained but not saved" in err
    assert "No space left on device" in err


# -- 2. numbers written with placeholders stay numbers ------------------------------


def test_missing_value_markers_are_missing_and_numbers_stay_numbers(tmp_path, capsys):
    frame = loans().astype({"income": object, "debt_ratio": object})
    markers = ["?", "NA", "n/a", "-", "", ".", "NaN", "null"]
    for i, marker in enumerate(markers):
        frame.loc[i * 7 :: 50, "income"] = marker
    frame.loc[3, "debt_ratio"] = "unknown"  # one stray word among numbers
    codes = np.where(np.arange(len(frame)) % 3, "12", "A7")  # 2/3 numbers: text
    frame["branch"] = codes
    path, model = tmp_path / "loans.csv", tmp_path / "model.pkl"
    frame.to_csv(path, index=False)
    status, out, err = run_main(
        capsys, "fit", path, "--target", "deny", "--max-iter", "5", "--save", model
    )
    assert status == 0, err
    assert (
        "note: column 'debt_ratio' read as numbers: its non-numeric cells "
        "('unknown') are treated as missing"
    ) in out
    assert (
        "note: column 'branch' looks numeric (67% of its cells are numbers) but "
        "is kept as text because of 'A7'; --numeric branch reads it as numbers, "
        "the rest as missing"
    ) in out
    status, described, _ = run_main(capsys, "info", model)
    assert "income: numeric (robust-scaled, smooth-clipped)" in described
    assert "debt_ratio: numeric (robust-scaled, smooth-clipped)" in described
    assert "branch: categorical (one-hot, 2 categories)" in described
    # --numeric forces it; and prediction reads the markers as training did
    run_main(
        capsys,
        "fit",
        path,
        "--target",
        "deny",
        "--max-iter",
        "5",
        "--numeric",
        "branch",
        "--save",
        model,
    )
    assert "branch: numeric (robust-scaled" in run_main(capsys, "info", model)[1]
    status, out, err = run_main(capsys, "predict", model, path)
    assert status == 0 and len(out.splitlines()) == len(frame) + 1
    assert "numeric column 'debt_ratio' has text ('unknown')" in err


def test_semicolon_and_tab_files_are_read_as_tables(tmp_path, capsys):
    frame = loans()
    semicolon, tab = tmp_path / "loans_eu.csv", tmp_path / "loans.tsv"
    frame.to_csv(semicolon, sep=";", decimal=",", index=False)
    frame.to_csv(tab, sep="\t", index=False)
    for path, note in (
        (semicolon, "is semicolon-separated with decimal commas"),
        (tab, "is tab-separated"),
    ):
        status, out, err = run_main(
            capsys, "fit", path, "--target", "deny", "--max-iter", "5", "--json"
        )
        assert status == 0, err
        report = json.loads(out)
        assert f"{path.name} {note}" in report["notes"]
        # income, debt_ratio and region: the identifiers dropped, the rest read
        assert report["columns"] == 3


# -- 3. identifiers are not features ------------------------------------------------


def test_identifier_columns_are_dropped_and_named(tmp_path, capsys):
    frame = loans()
    rng = np.random.RandomState(1)
    frame["reading"] = rng.normal(size=len(frame))  # floats: all different, kept
    frame["sparse_ids"] = rng.permutation(len(frame)) * 3  # not contiguous: kept
    frame["branch"] = rng.randint(0, 5, size=len(frame))  # repeats: kept
    path, model = tmp_path / "loans.csv", tmp_path / "model.pkl"
    frame.to_csv(path, index=False)
    status, out, err = run_main(
        capsys, "fit", path, "--target", "deny", "--max-iter", "5", "--save", model
    )
    assert status == 0, err
    notes = [line for line in out.splitlines() if line.startswith("note:")]
    assert notes == [
        f"note: dropped column 'rownames': an identifier (whole numbers 1 to "
        f"{len(frame)}, one per row); --keep rownames uses it",
        "note: dropped column 'customer': an identifier (text unique to each "
        "row); --keep customer uses it",
    ]
    described = run_main(capsys, "info", model)[1]
    for kept in ("income", "debt_ratio", "region", "reading", "sparse_ids", "branch"):
        assert f"  {kept}: " in described and f"  {kept}: dropped" not in described
    assert "  rownames: dropped, an identifier" in described
    # --keep uses one anyway, --drop leaves out any column
    status, out, _ = run_main(
        capsys,
        "fit",
        path,
        "--target",
        "deny",
        "--max-iter",
        "5",
        "--keep",
        "rownames",
        "--drop",
        "branch",
        "reading",
        "--json",
    )
    assert status == 0 and json.loads(out)["columns"] == 5  # customer still out
    status, _, err = run_main(
        capsys, "fit", path, "--target", "deny", "--drop", "nothing"
    )
    assert status == 2 and "--drop names column(s) that are not features" in err


# -- 4. class imbalance: balanced accuracy first, and an answer to it ---------------


def test_an_imbalanced_target_reports_balanced_accuracy_first(tmp_path, capsys):
    path = tmp_path / "loans.csv"
    loans().to_csv(path, index=False)
    args = ("fit", path, "--target", "deny", "--hidden", "16", "--json")
    plain = json.loads(run_main(capsys, *args)[1])["held_out"]
    balanced = json.loads(run_main(capsys, *args, "--class-weight", "balanced")[1])
    # weighting the rare class finds more of it than the unweighted fit does
    assert balanced["held_out"]["balanced_accuracy"] > plain["balanced_accuracy"]
    assert plain["majority_class"] == "no"
    assert plain["majority_class_accuracy"] == pytest.approx(0.88, abs=0.01)
    status, out, _ = run_main(capsys, *args[:-1], "--max-iter", "300")
    scores = out.split("held-out scores:\n")[1].splitlines()
    assert scores[0].startswith("  balanced accuracy")
    assert scores[1].startswith("  accuracy") and "(always 'no': 0.88" in scores[1]


def test_balanced_data_reports_accuracy_first(tmp_path, capsys):
    path = tmp_path / "even.csv"
    loans(positives=0.5).to_csv(path, index=False)
    status, out, _ = run_main(
        capsys, "fit", path, "--target", "deny", "--max-iter", "300"
    )
    assert out.split("held-out scores:\n")[1].startswith("  accuracy ")
    # the baseline stands beside accuracy at any balance, here a coin's
    assert re.search(r"accuracy +\d\.\d{4}  \(always '\w+': 0\.5000\)", out), out


def test_the_epoch_limit_advice_points_at_the_held_out_scores(tmp_path, capsys):
    path = tmp_path / "loans.csv"
    loans().to_csv(path, index=False)
    options = ("--model", "pipeline", "--max-iter", "3", "--refit-all")
    status, _, err = run_main(capsys, "fit", path, "--target", "deny", *options)
    # one line, though both fits stop at the limit
    limit, *others = sorted(err.splitlines(), key=lambda line: "limit" not in line)
    assert limit == (
        "warning: training stopped at the limit of 3 epochs before the training "
        "loss settled; that alone is no fault: judge the model by its held-out "
        "scores (more epochs, --max-iter, can fit the training rows closer and "
        "score worse on new ones)"
    )
    # and, 3 epochs being too few here, the flag of a score below the baseline
    assert all("no better than always predicting" in line for line in others)


def test_a_model_that_predicts_one_class_says_so(tmp_path, capsys):
    path = tmp_path / "loans.csv"
    loans().to_csv(path, index=False)
    status, out, err = run_main(
        capsys,
        "fit",
        path,
        "--target",
        "deny",
        "--learning-rate",
        "10",
        "--max-iter",
        "1",  # one epoch: its snapshots are the best epoch, nothing to average
        "--json",
    )
    assert status == 0
    scores = json.loads(out)["held_out"]
    predicted_yes = np.array(scores["confusion_matrix"])[
        :, scores["labels"].index("yes")
    ]
    assert predicted_yes.sum() == 0  # every held-out row predicted 'no'
    assert (
        "warning: the model predicts 'no' for every held-out row, as if it learned "
        "nothing from the features; try --class-weight balanced, more epochs "
        "(--max-iter) or another --learning-rate (now 10)"
    ) in err.splitlines()


# -- 7. messages that mislead --------------------------------------------------------


def test_swapped_arguments_are_named(tmp_path, capsys):
    path, model = tmp_path / "loans.csv", tmp_path / "model.pkl"
    loans().to_csv(path, index=False)
    run_main(
        capsys, "fit", path, "--target", "deny", "--max-iter", "2", "--save", model
    )
    for command in ("predict", "evaluate"):
        extra = ["--target", "deny"] if command == "evaluate" else []
        status, _, err = run_main(capsys, command, path, model, *extra)
        assert status == 2
        assert err == (
            f"error: the arguments look swapped: {model} is a model file and "
            f"{path} is not; the model comes first: scratchnn {command} {model} "
            f"{path}\n"
        )


def test_regression_on_a_text_target_names_the_column_and_value(tmp_path, capsys):
    path = tmp_path / "loans.csv"
    loans().to_csv(path, index=False)
    status, _, err = run_main(capsys, "fit", path, "--target", "region", "--regression")
    assert status == 2
    first = loans()["region"].iloc[0]
    assert err.startswith(
        f"error: regression needs numbers, but the target column 'region' holds "
        f"text: {first!r} in data row 1"
    )


@pytest.mark.parametrize(
    "model, option, value, named",
    [
        ("pipeline", "--hidden", "0", "--hidden must be a positive integer"),
        ("pipeline", "--learning-rate", "-1",
         "--learning-rate must be a float in the range"),
        ("pipeline", "--batch-size", "0", "--batch-size must be a str among"),
        ("pipeline", "--alpha", "-1", "--alpha must be a float in the range"),
        ("tabular", "--hidden", "0", "--hidden must be a positive integer"),
        ("tabular", "--learning-rate", "-1",
         "--learning-rate must be a float in the range"),
        ("tabular", "--batch-size", "0", "--batch-size must be a str among"),
        ("tabular", "--max-iter", "0", "--max-iter must be an int in the range"),
        ("tabular", "--alpha", "0.1", "--alpha is an option of --model pipeline"),
        ("tabular", "--solver", "sgd", "--solver is an option of --model pipeline"),
    ],
)  # fmt: skip
def test_invalid_options_are_named_as_typed(
    tmp_path, capsys, model, option, value, named
):
    path = tmp_path / "loans.csv"
    loans().to_csv(path, index=False)
    args = ("--target", "deny", "--model", model, option, value)
    status, out, err = run_main(capsys, "fit", path, *args)
    assert status == 2 and out == ""
    assert err.startswith(f"error: {named}")
    assert "learning_rate_init" not in err and "hidden_layer_sizes" not in err
    assert "max_epochs" not in err


# -- 6. skops is imported only for .skops files -------------------------------------


def test_pickle_models_never_import_skops(tmp_path):
    """skops.io alone takes seconds to import: fit, predict and info on a
    pickle must not pay for it (benchmarks/cli.py times every command)."""
    path, model = tmp_path / "loans.csv", tmp_path / "model.pkl"
    loans().to_csv(path, index=False)
    code = textwrap.dedent(
        f"""
        import contextlib, io, sys
        from sklearn_scratchnn.cli import main
        for args in (
            ["fit", {str(path)!r}, "--target", "deny", "--max-iter", "2",
             "--save", {str(model)!r}],
            ["predict", {str(model)!r}, {str(path)!r}],
            ["info", {str(model)!r}],
        ):
            with contextlib.redirect_stdout(io.StringIO()):
                assert main(args) == 0
        loaded = sorted(m for m in sys.modules if m.split(".")[0] == "skops")
        assert not loaded, loaded
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
