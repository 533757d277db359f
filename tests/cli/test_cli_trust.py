"""The command line keeps what it had: Ctrl-C never replaces a saved model,
every save is atomic, and its help states the defaults the code has."""

import os
import re
import signal
import subprocess
import sys
import time
import warnings

import numpy as np
import pytest

from sklearn_scratchnn import TabularMLPClassifier, TabularMLPRegressor
from sklearn_scratchnn.cli import main
from sklearn_scratchnn.cli.commands import _parser
from sklearn_scratchnn.cli.model_files import save_model
from sklearn_scratchnn.cli.options import PIPELINE_DEFAULTS
from sklearn_scratchnn.tabular._plan import DEFAULT_BATCH, REFERENCE_ROWS

pd = pytest.importorskip("pandas")


def _fit_help():
    sub = next(a for a in _parser()._actions if a.dest == "command")
    return " ".join(sub.choices["fit"].format_help().split())  # one line


def test_fit_help_states_the_estimators_defaults():
    text = _fit_help()
    classifier, regressor = TabularMLPClassifier(), TabularMLPRegressor()
    hidden = classifier.hidden_layer_sizes
    assert (
        f"trains {len(hidden)} hidden layers of {hidden[0]} units for "
        f"{classifier.max_iter} epochs" in text
    )
    assert f"(tabular: {' '.join(map(str, hidden))}; pipeline: 100)" in text
    from sklearn_scratchnn.tabular._blend import NETWORK_EPOCHS

    assert (
        f"epochs (tabular: {classifier.max_iter}; blend's network: "
        f"{NETWORK_EPOCHS}; pipeline: 200)" in text
    )
    assert f"'blend', that network (for {NETWORK_EPOCHS} epochs)" in text
    assert classifier.batch_size == "auto"
    assert f"(tabular: {DEFAULT_BATCH}, larger past {REFERENCE_ROWS:,} rows;" in text
    assert (
        f"(tabular: {classifier.learning_rate_init} classification, "
        f"{regressor.learning_rate_init} regression; pipeline: 0.001)" in text
    )
    assert PIPELINE_DEFAULTS["max_iter"] == 200 and PIPELINE_DEFAULTS["hidden"] == [100]
    assert not re.search(r"\{(tab|pipe)_\w+\}", text)  # every placeholder filled


def test_the_pipelines_batch_fits_a_small_table(tmp_path, capsys):
    rng = np.random.RandomState(0)
    frame = pd.DataFrame({"a": rng.normal(size=120), "b": rng.normal(size=120)})
    frame["y"] = np.where(frame["a"] > 0, "yes", "no")
    path = tmp_path / "small.csv"
    frame.to_csv(path, index=False)
    code = main(["fit", str(path), "--target", "y", "--model", "pipeline",
                 "--max-iter", "300"])  # fmt: skip
    assert code == 0
    assert "batch" not in capsys.readouterr().err  # 96 training rows: one batch


def test_a_failed_save_leaves_the_existing_file_and_no_debris(tmp_path):
    class Unpicklable:
        def __reduce__(self):
            raise RuntimeError("cannot pickle this")

    path = tmp_path / "model.pkl"
    path.write_bytes(b"the old model")
    with pytest.raises(RuntimeError, match="cannot pickle"):
        save_model({"model": Unpicklable()}, path)
    assert path.read_bytes() == b"the old model"
    assert [p.name for p in tmp_path.iterdir()] == ["model.pkl"]
    save_model({"model": 1}, path)  # a save that works replaces it
    assert path.read_bytes() != b"the old model"
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask  # not mkstemp's 0o600


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
def test_ctrl_c_during_fit_keeps_the_existing_model_and_exits_130(tmp_path):
    rng = np.random.RandomState(0)
    frame = pd.DataFrame(rng.normal(size=(20000, 6)), columns=list("abcdef"))
    frame["y"] = 2 * frame["a"] + rng.normal(size=len(frame))
    data, model = tmp_path / "big.csv", tmp_path / "existing.pkl"
    frame.to_csv(data, index=False)
    model.write_bytes(b"a good model saved earlier")
    process = subprocess.Popen(
        [sys.executable, "-m", "sklearn_scratchnn", "fit", str(data), "--target",
         "y", "--max-iter", "1000", "--save", str(model)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(6)  # imports and reading take under 3 s; 1000 epochs, minutes
    assert process.poll() is None, process.communicate()
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert model.read_bytes() == b"a good model saved earlier"
    assert re.search(
        r"training interrupted( after \d+ of 1000 epochs)?; no model was saved, "
        r"and .*existing.pkl is as it was",
        err,
    ), err
    assert "Traceback" not in err and "model saved" not in out
    assert sorted(os.listdir(tmp_path)) == ["big.csv", "existing.pkl"]


def test_ctrl_c_outside_training_is_status_130_too(monkeypatch, capsys):
    from sklearn_scratchnn.cli import commands

    def interrupted(args, out):
        raise KeyboardInterrupt

    monkeypatch.setattr(commands, "info", interrupted)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert main(["info", "whatever.skops"]) == 130
    assert "interrupted; no file was changed" in capsys.readouterr().err
