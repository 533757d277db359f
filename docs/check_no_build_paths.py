"""Check that no built page shows a path of the machine that built it.

A warning printed by a gallery example, a traceback or an autodoc default
would show where the repository, the home directory or the Python environment
of the build machine lie; a reader has no use for them, and they change from
one build to the next. Usage: ``python docs/check_no_build_paths.py BUILD_DIR``.
"""

import site
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_paths():
    """The folders of this machine that a page could leak."""
    paths = {ROOT, Path.home(), Path(sys.prefix), Path(sys.base_prefix)}
    paths |= {Path(p) for p in site.getsitepackages()}
    paths.add(Path(sysconfig.get_paths()["purelib"]))
    return sorted({str(p) for p in paths if str(p) not in ("/", "")}, key=len)


def leaks(build_dir):
    """``[(page, path)]`` for every built page that names one of those folders."""
    found = []
    for page in sorted(Path(build_dir).rglob("*.html")):
        text = page.read_text(errors="replace")
        for path in build_paths():
            if path in text:
                found.append((page.relative_to(build_dir), path))
                break
    return found


def main(build_dir):
    found = leaks(build_dir)
    for page, path in found:
        print(f"{page}: shows {path}, a path of the build machine")
    if found:
        sys.exit(1)
    print(f"no built page shows a path of this machine ({len(build_paths())} checked)")


if __name__ == "__main__":
    main(sys.argv[1])
