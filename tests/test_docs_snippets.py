"""Every Python snippet of the README and of the docs pages runs as written.

A page's snippets run in order in one fresh Python process, in an empty
folder, as a reader would paste them one after the other; the process must
succeed, and no snippet may print a warning that neither it nor the text
beside it names (a snippet that shows a ``ConvergenceWarning`` on purpose
says so beside it). A page that needs
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

pytestmark = pytest.mark.processes  # see pyproject.toml's markers and .ci/run

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.rst"))]
# modules a snippet may import that the test extra does not guarantee
OPTIONAL = ("torch", "cupy", "sklearn.callback", "dask_ml", "skops", "skl2onnx")


def snippets(path):
    """The page's Python snippets, in order, dedented."""
    return [code for code, _ in snippets_in_context(path)]


def snippets_in_context(path):
    """``(code, context)`` for each Python snippet of the page: its code and
    the page's text from the end of the snippet before it to the start of the
    one after, the prose a reader reads beside it."""
    text = path.read_text()
    found = []  # (code, start, end) as offsets in text
    if path.suffix == ".md":
        for match in re.finditer(r"^```python\n(.*?)^```", text, flags=re.S | re.M):
            found.append((match.group(1), match.start(), match.end()))
    else:
        lines = text.splitlines(keepends=True)
        starts = [0]
        for line in lines:
            starts.append(starts[-1] + len(line))
        for i, line in enumerate(lines):
            directive = re.match(r"^(\s*)\.\. code-block:: python\s*$", line)
            if not directive:
                continue
            indent, block, end = len(directive.group(1)), [], i + 1
            for body in lines[i + 1 :]:
                if body.strip() and len(body) - len(body.lstrip()) <= indent:
                    break
                block.append(body.rstrip("\n"))
                end += 1
            code = textwrap.dedent("\n".join(block)).strip() + "\n"
            found.append((code, starts[i], starts[end]))
    bounds = [0, *(e for _, _, e in found)]
    nexts = [*(s for _, s, _ in found[1:]), len(text)]
    return [(code, text[bounds[i] : nexts[i]]) for i, (code, _, _) in enumerate(found)]


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
    pieces = snippets_in_context(page)
    # each snippet announced on standard error, so a warning is told apart by
    # the snippet that printed it; "always", so a warning the snippet before
    # printed from the same line of ours shows again
    marker = "@@ snippet {} @@"
    code = "\n\n".join(
        "import sys as _sys, warnings as _warnings\n"
        '_warnings.simplefilter("always")\n'
        f"print({marker.format(i)!r}, file=_sys.stderr, flush=True)\n{snippet}"
        for i, (snippet, _) in enumerate(pieces)
    )
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
    printed = re.split(r"@@ snippet (\d+) @@\n", result.stderr)
    for index, stderr in zip(printed[1::2], printed[2::2], strict=True):
        _, context = pieces[int(index)]
        warned = set(re.findall(r"\b(\w*Warning)\b", stderr))
        unnamed = sorted(w for w in warned if w not in context)
        assert not unnamed, (
            f"snippet {int(index) + 1} of {page.name} prints {unnamed}, which "
            f"neither it nor the text beside it names:\n{stderr}"
        )
