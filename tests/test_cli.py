"""``python -m sklearn_scratchnn`` runs the main job from a fresh process."""

import re
import subprocess
import sys

import numpy as np

from sklearn_scratchnn import _article


def test_main_job_prints_the_article_table():
    result = subprocess.run(
        [sys.executable, "-m", "sklearn_scratchnn"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stderr == ""  # no warnings leak to the user
    rows = re.findall(
        r"^\s*([01])\s+([01])\s+1 \|\s+([01]) \| (\S+)\s+\| (\S+)$",
        result.stdout,
        flags=re.MULTILINE,
    )
    assert len(rows) == 4
    ours = np.array([float(r[3]) for r in rows])
    reported = np.array([float(r[4]) for r in rows])
    np.testing.assert_array_equal(reported, _article.REPORTED)
    np.testing.assert_array_less(np.abs(ours - _article.y), 0.05)
    assert "iterations" in result.stdout and "final loss" in result.stdout
