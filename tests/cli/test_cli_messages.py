"""What the command line tells its user, met on real-looking small tables:
each message says what happened and which option to change, in the words the
user typed. In-process (``main``), which is what a fresh process runs."""

import json
import warnings

import numpy as np
import pytest

from sklearn_scratchnn.cli import main
from sklearn_scratchnn.cli.messages import readable_warnings

pd = pytest.importorskip("pandas")


def _csv(tmp_path, frame, name="data.csv"):
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return str(path)


def _run(capsys, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing may leak past the command
        code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _noise(n=200, seed=1):
    """Features that say nothing about a 65/35 target."""
    rng = np.random.RandomState(seed)
    frame = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    frame["y"] = np.where(rng.rand(n) < 0.65, "No", "Yes")
    return frame


def test_the_pipelines_regression_learns_a_target_far_from_zero(tmp_path, capsys):
    rng = np.random.RandomState(0)
    frame = pd.DataFrame(rng.normal(size=(400, 3)), columns=["a", "b", "c"])
    frame["salary"] = 80_000 + 15_000 * frame["a"] - 5_000 * frame["b"]
    path = _csv(tmp_path, frame)
    code, out, _ = _run(capsys, "fit", path, "--target", "salary", "--model",
                        "pipeline", "--json")  # fmt: skip
    assert code == 0
    assert json.loads(out)["held_out"]["r2"] > 0.9  # R^2 -40 on the raw target


def test_a_count_read_as_classes_suggests_regression(tmp_path, capsys):
    rng = np.random.RandomState(0)
    frame = pd.DataFrame({"age": rng.normal(40, 10, 80)})
    frame["visits"] = rng.poisson(1.5, 80)
    frame.loc[0, "visits"] = 9  # a count seen once
    code, _, err = _run(capsys, "fit", _csv(tmp_path, frame), "--target", "visits")
    assert code == 2
    assert "read as" in err and "classes" in err and "--regression" in err
    assert "least populated" not in err  # not scikit-learn's raw sentence


def test_an_infinite_target_is_counted_like_an_empty_one(tmp_path, capsys):
    frame = pd.DataFrame({"a": np.arange(30.0), "y": np.arange(30.0)})
    frame.loc[[3, 7], "y"] = np.inf
    code, _, err = _run(capsys, "fit", _csv(tmp_path, frame), "--target", "y")
    assert code == 2
    assert "'y' has 2 infinite value(s)" in err
    assert "RuntimeWarning" not in err


def test_a_score_no_better_than_the_majority_class_is_flagged(tmp_path, capsys):
    path = _csv(tmp_path, _noise())
    code, _, err = _run(capsys, "fit", path, "--target", "y", "--model", "pipeline",
                        "--max-iter", "300")  # fmt: skip
    assert code == 0
    # 65/35 is not imbalanced by the 2:1 rule, and is flagged all the same
    assert "no better than always predicting 'No'" in err or (
        "predicts 'No' for every held-out row" in err
    )


def test_cv_reports_each_score_as_mean_and_spread(tmp_path, capsys):
    path = _csv(tmp_path, _noise(120))
    code, out, _ = _run(capsys, "fit", path, "--target", "y", "--max-iter", "4",
                        "--cv", "3")  # fmt: skip
    assert code == 0
    assert "cross-validated over 3 folds of all 120 rows:" in out
    assert len([line for line in out.splitlines() if " ± " in line]) == 3
    code, out, _ = _run(capsys, "fit", path, "--target", "y", "--max-iter", "4",
                        "--cv", "3", "--json")  # fmt: skip
    accuracy = json.loads(out)["cross_validation"]["accuracy"]
    assert len(accuracy["folds"]) == 3
    assert accuracy["mean"] == pytest.approx(np.mean(accuracy["folds"]))


def test_a_small_held_out_share_suggests_cv(tmp_path, capsys):
    code, out, _ = _run(capsys, "fit", _csv(tmp_path, _noise(150)), "--target",
                        "y", "--max-iter", "4")  # fmt: skip
    assert code == 0 and "--cv 5 gives its spread" in out


def test_warnings_name_the_option_not_the_parameter(capsys):
    with readable_warnings():
        warnings.warn("lower learning_rate_init, or raise batch_size", stacklevel=1)
    err = capsys.readouterr().err
    assert "lower --learning-rate, or raise --batch-size" in err


def test_evaluate_on_one_class_and_predict_with_extra_columns_say_so(tmp_path, capsys):
    pytest.importorskip("skops")
    frame = _noise()
    frame["note"] = "x"
    path, model = _csv(tmp_path, frame), str(tmp_path / "m.skops")
    code, _, _ = _run(capsys, "fit", path, "--target", "y", "--drop", "note",
                      "--max-iter", "4", "--save", model)  # fmt: skip
    assert code == 0
    only_no = _csv(tmp_path, frame[frame["y"] == "No"], "no.csv")
    code, _, err = _run(capsys, "evaluate", model, only_no, "--target", "y")
    assert code == 0 and "holds one class only ('No')" in err
    assert "y_pred contains classes" not in err
    code, _, err = _run(capsys, "predict", model, path)
    assert code == 0
    assert "column(s) the model does not use are ignored: note" in err


def test_a_balanced_model_below_the_majority_accuracy_is_not_flagged(capsys):
    """``--class-weight balanced`` trades accuracy for the rare class: an
    accuracy under the majority's with a balanced accuracy well above chance
    learnt something, and is not told it learnt nothing."""
    from sklearn_scratchnn.cli.fitting import _majority_warning

    def scores(balanced):
        return {
            "accuracy": 0.85,
            "balanced_accuracy": balanced,
            "majority_class": "no",
            "majority_class_accuracy": 0.88,
            "confusion_matrix": [[360, 60], [10, 46]],
        }

    _majority_warning(scores(0.82), 476)
    assert capsys.readouterr().err == ""
    _majority_warning(scores(0.52), 476)
    assert "no better than always predicting 'no'" in capsys.readouterr().err
