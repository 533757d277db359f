"""Check that the built docs render their math with no network.

Run after ``sphinx-build`` (``.ci/run`` does): the derivation page must carry
its equations as math for MathJax to typeset, and load MathJax from the built
site itself, never from a CDN.

    python docs/check_offline_math.py docs/_build/html
"""

import re
import sys
from pathlib import Path


def main(html_dir):
    html_dir = Path(html_dir)
    page = (html_dir / "article.html").read_text(encoding="utf-8")
    scripts = re.findall(r'<script[^>]*src="([^"]*mathjax[^"]*)"', page, re.I)
    problems = []
    if not scripts:
        problems.append("article.html loads no MathJax script")
    for src in scripts:
        if re.match(r"(https?:)?//", src):
            problems.append(f"MathJax comes from the network: {src}")
        elif not (html_dir / src.split("?")[0]).is_file():
            problems.append(f"MathJax script {src} is not in the built site")
    # Sphinx wraps each equation in a math span or div for MathJax to render
    equations = re.findall(r'class="math[^"]*"', page)
    if len(equations) < 10:
        problems.append(f"article.html has {len(equations)} equations, expected many")
    for problem in problems:
        print(f"docs: {problem}", file=sys.stderr)
    if not problems:
        print(f"docs: {len(equations)} equations, MathJax served from {scripts[0]}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/_build/html"))
