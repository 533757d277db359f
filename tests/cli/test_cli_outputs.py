"""The command line never writes over a file it must not: the model it reads,
the data it reads, or (unless asked with --force) an existing file of another
kind. Each refusal is one line and a nonzero exit: in a real process for the
model's own file, in this process (``cli.main``, as the console script runs
it) for the rest."""

import subprocess
import sys

import numpy as np
import pytest
from helpers import scratchnn_here

pytestmark = pytest.mark.processes  # see pyproject.toml's markers and .ci/run

pd = pytest.importorskip("pandas")


def scratchnn_process(*args, cwd=None):
    """``scratchnn ARGS`` in a process of its own: (status, stdout, stderr)."""
    result = subprocess.run(
        [sys.executable, "-m", "sklearn_scratchnn", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
    )
    return result.returncode, result.stdout, result.stderr


scratchnn = scratchnn_here


def _refused(result, *words):
    code, out, err = result
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    for word in words:
        assert word in lines[0], lines[0]
    assert "Traceback" not in err


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A table, and a model fitted on it by ``scratchnn fit --save``."""
    folder = tmp_path_factory.mktemp("outputs")
    rng = np.random.RandomState(0)
    frame = pd.DataFrame({"a": rng.normal(size=80), "b": rng.normal(size=80)})
    frame["y"] = np.where(frame["a"] > 0, "yes", "no")
    table, model = folder / "good.csv", folder / "m.pkl"
    frame.to_csv(table, index=False)
    code, out, err = scratchnn(
        "fit", table, "--target", "y", "--hidden", "4", "--max-iter", "2",
        "--save", model,
    )  # fmt: skip
    assert code == 0, err
    return folder, table, model


def _unchanged(*paths):
    return {path: path.read_bytes() for path in paths}


def test_predict_refuses_to_write_over_the_model_or_its_input(files):
    folder, table, model = files
    before = _unchanged(table, model)
    _refused(
        scratchnn_process("predict", model, table, "--output", model), "is the model"
    )
    _refused(scratchnn("predict", model, table, "--output", table), "is the data file")
    # a second name for the same file is the same file
    _refused(
        scratchnn("predict", model, table, "--output", "./m.pkl", cwd=folder),
        "is the model",
    )
    # --force does not make it safe to destroy what is being read
    _refused(scratchnn("predict", model, table, "--output", model, "--force"))
    assert _unchanged(table, model) == before


def test_fit_refuses_to_save_over_its_table_or_into_a_tables_name(files):
    folder, table, model = files
    before = _unchanged(table)
    _refused(
        scratchnn("fit", table, "--target", "y", "--save", table, "--force"),
        "is the training table",
    )
    other = folder / "other.csv"
    other.write_text("x,y\n1,2\n")
    _refused(
        scratchnn("fit", table, "--target", "y", "--save", other),
        "the name says a table",
        "--force",
    )
    _refused(  # a new file with a table's name is refused too
        scratchnn("fit", table, "--target", "y", "--save", folder / "new.csv"),
        "the name says a table",
    )
    assert not (folder / "new.csv").exists()
    notes = folder / "notes"  # no suffix: the kind is read from the file
    notes.write_text("my notes\n")
    _refused(
        scratchnn("fit", table, "--target", "y", "--save", notes),
        "exists and holds a table, not a model",
    )
    assert notes.read_text() == "my notes\n" and other.read_text() == "x,y\n1,2\n"
    assert _unchanged(table) == before


def test_predict_refuses_an_existing_file_of_another_kind_unless_forced(files):
    folder, table, model = files
    kept = folder / "kept"  # a model under a name that does not say so
    kept.write_bytes(model.read_bytes())
    _refused(
        scratchnn("predict", model, table, "--output", kept),
        "exists and holds a model, not a table",
    )
    assert kept.read_bytes() == model.read_bytes()
    code, out, err = scratchnn("predict", model, table, "--output", kept, "--force")
    assert code == 0, err
    assert kept.read_text().splitlines()[0] == "y"
    # a table of the same kind is replaced, as naming it asks
    preds = folder / "preds.csv"
    preds.write_text("old\n")
    code, _, err = scratchnn("predict", model, table, "--output", preds)
    assert code == 0, err
    assert preds.read_text().splitlines()[0] == "y"


def test_fit_replaces_a_model_and_forced_writes_what_it_is_told(files):
    folder, table, model = files
    again = folder / "again.pkl"
    again.write_bytes(model.read_bytes())
    code, out, err = scratchnn(
        "fit", table, "--target", "y", "--hidden", "4", "--max-iter", "2",
        "--save", again,
    )  # fmt: skip
    assert code == 0 and "model saved" in out, err
    forced = folder / "forced.csv"
    code, out, err = scratchnn(
        "fit", table, "--target", "y", "--hidden", "4", "--max-iter", "2",
        "--save", forced, "--force",
    )  # fmt: skip
    assert code == 0, err
    assert forced.read_bytes()[:1] == b"\x80"  # a pickle, as asked


def test_export_refuses_the_model_and_an_existing_file_of_another_kind(files):
    pytest.importorskip("skl2onnx")
    folder, table, model = files
    twin = folder / "twin.onnx"
    twin.write_bytes(model.read_bytes())
    _refused(scratchnn("export", twin, twin), "is the model")
    assert twin.read_bytes() == model.read_bytes()
