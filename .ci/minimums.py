"""Print pip constraints that pin every run-time dependency at its declared minimum.

pyproject.toml is the one place the minimums are written; this turns each
``name>=X`` of ``[project] dependencies`` into ``name==X`` so that CI tests
exactly what is promised. Used as ``pip install -c <(python .ci/minimums.py)``.
"""

import pathlib
import re
import sys

import tomllib

project = tomllib.loads(
    (pathlib.Path(__file__).parent.parent / "pyproject.toml").read_text()
)["project"]
if sys.argv[1:] == ["python"]:
    # the lowest Python that requires-python allows, as "3.10"
    print(re.fullmatch(r">=\s*(\d+\.\d+)", project["requires-python"]).group(1))
    sys.exit()
for requirement in project["dependencies"]:
    name, minimum = re.fullmatch(r"([\w.-]+)\s*>=\s*([\w.]+)", requirement).groups()
    print(f"{name}=={minimum}")
