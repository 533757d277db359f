"""The benchmark harness runs (quick mode), so it cannot rot. No time is asserted."""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import needs_sklearn

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
