"""What the command line may write over: one rule for ``fit --save``,
``predict --output`` and ``export``.

A command never writes over a file it reads (the model, the data). Nor, unless
asked with ``--force``, over an existing file of another kind than the one it
writes (a table replaced by a model, a model by predictions), nor to a name
whose suffix says another kind (``--save table.csv``). A file of the same kind
is replaced, as ``cp`` or ``pandas.to_csv`` would: that is the point of naming
it.
"""

import os
from pathlib import Path

from .messages import CommandError

# what a file is, by its suffix
_SUFFIXES = {
    "model": (".skops", ".pkl", ".pickle", ".joblib"),
    "table": (".csv", ".tsv", ".txt", ".dat"),
    "ONNX graph": (".onnx",),
}
# ... and by its first bytes: a zip archive (skops) or a pickle of protocol 2
# or newer; an ONNX ModelProto opens with its ir_version field (tag 0x08)
_MODEL_BYTES = (b"PK\x03\x04", b"\x80")
_ONNX_BYTES = b"\x08"


def _kind_by_suffix(path):
    for kind, suffixes in _SUFFIXES.items():
        if path.suffix.lower() in suffixes:
            return kind
    return None


def _kind_by_content(path):
    """What an existing file holds, from its first bytes (None: unreadable)."""
    try:
        with path.open("rb") as f:
            start = f.read(4096)
    except OSError:
        return None
    if start.startswith(_MODEL_BYTES):
        return "model"
    if start.startswith(_ONNX_BYTES):
        return "ONNX graph"
    if b"\x00" not in start:
        return "table"  # text: a CSV file, or text of some other kind
    return "binary file"


def _same_file(path, other):
    try:
        return os.path.samefile(path, other)
    except OSError:  # one of them does not exist
        return False


def check_output(path, *, option, kind, reads, force):
    """Refuse to write a ``kind`` to ``path`` where it would replace what it
    must not; one line saying why and what to do.

    Parameters
    ----------
    path : Path
        Where the command writes.
    option : str
        How the user named it (``"--save"``, ``"--output"``, ``"ONNX_FILE"``).
    kind : {"model", "table", "ONNX graph"}
        What the command writes.
    reads : dict of str to path
        The files the command reads, by what they are (``{"model": ...}``).
    force : bool
        ``--force``: replace an existing file of another kind.
    """
    path = Path(path)
    for what, read in reads.items():
        if _same_file(path, read):
            raise CommandError(
                f"{option} {path} is the {what} this command reads; write the "
                f"{kind} to another file"
            )
    if force:
        return
    named = _kind_by_suffix(path)
    if named is not None and named != kind:
        raise CommandError(
            f"{option} {path}: the name says {_a(named)} but this writes {_a(kind)}; "
            f"give it a {' or '.join(_SUFFIXES[kind])} name, or pass --force"
        )
    if path.is_file() and named != kind:
        held = _kind_by_content(path)
        if held != kind:
            raise CommandError(
                f"{option} {path} exists and holds {_a(held or 'file')}, not "
                f"{_a(kind)}; name another file, or pass --force to replace it"
            )


def _a(kind):
    return f"an {kind}" if kind[0] in "aeiouAEIOU" else f"a {kind}"
