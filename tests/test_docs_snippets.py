"""Every Python snippet of the README and of the docs pages runs as written.

A page's snippets run in order in one fresh Python process, in an empty
folder, as a reader would paste them one after the other; the process must
succeed and print no warning that the page does not name (a page that shows
a ``ConvergenceWarning`` on purpose says so in its text). A page that needs
an optional package (skops, dask, onnxruntime, scikit-learn's callbacks, a
GPU) is skipped where it is not installed.
"""

import importlib.util
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.rst"))]
# modules a snippet may import that the test extra does not guarantee
OPTIONAL = ("torch", "cupy", "sklearn.callback", "dask_ml", "skops", "skl2onnx")


def snippets(path):
    """The page's Python snippets, in order, dedented."""
    text = path.read_text()
    if path.suffix == ".md":
        return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)
    found, lines = [], text.splitlines()
    for i, line in enumerate(lines):
        directive = re.match(r"^(\s*)\.\. code-block:: python\s*$", line)
        if not directive:
            continue
        indent, block = len(directive.group(1)), []
        for body in lines[i + 1 :]:
            if body.strip() and len(body) - len(body.lstrip()) <= indent:
                break
            block.append(body)
        found.append(textwrap.dedent("\n".join(block)).strip() + "\n")
    return found


def _missing(code):
    for module in OPTIONAL:
        if re.search(rf"^\s*(import|from) {re.escape(module)}\b", code, re.M):
            try:
                if importlib.util.find_spec(module) is None:
                    return module
            except ModuleNotFoundError:  # its parent package is missing
                return module
    if 'device="cuda"' in code:
        import torch

        if not torch.cuda.is_available():
            return "a CUDA device"
    return None


PAGES_WITH_CODE = [page for page in PAGES if snippets(page)]


def test_every_page_with_python_is_checked():
    names = {page.name for page in PAGES_WITH_CODE}
    assert {"README.md", "getting_started.rst", "tabular.rst", "scaling.rst"} <= names


@pytest.mark.parametrize("page", PAGES_WITH_CODE, ids=lambda page: page.name)
def test_the_pages_snippets_run_as_written(page, tmp_path):
    code = "\n\n".join(snippets(page))
    missing = _missing(code)
    if missing:
        pytest.skip(f"{page.name} needs {missing}")
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "SCIPY_ARRAY_API": "1", "OPENBLAS_NUM_THREADS": "1"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    text = page.read_text()
    warned = set(re.findall(r"\b(\w*Warning)\b", result.stderr))
    unnamed = sorted(w for w in warned if w not in text)
    assert not unnamed, f"{page.name} prints {unnamed} without a word:\n{result.stderr}"
