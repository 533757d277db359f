"""CSV files as a table: delimiter, missing-value markers, numbers, identifiers.

What a spreadsheet, R, SPSS or a UCI file writes is read as a person reads
it: the delimiter is detected, the common markers of a missing cell (``?``,
``NA``, ``-``, ...) are missing values, a column whose cells are nearly all
numbers is a numeric column, and a column that only identifies rows (a row
number, a customer id) is not a feature. Each decision that changes what the
network sees is reported as a note the command line prints.
"""

import csv
import re
import sys
from pathlib import Path

from .messages import CommandError

# pandas' own markers (keep_default_na) cover "", "NA", "N/A", "n/a", "NaN",
# "nan", "null", "NULL", "None", "#N/A", ...; these are the ones it does not:
# UCI files write "?", SPSS and spreadsheets "." or "-".
MISSING_MARKERS = ("?", "-", "--", ".", "na")

# A text column is read as numbers when this share of its filled cells parse
# (the rest become missing, with a note); above LOOKS_NUMERIC it is kept as
# text, with a note saying how to force it.
NEARLY_ALL = 0.95
LOOKS_NUMERIC = 0.5

_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def sniff_format(path, sample_bytes=65536, encoding="utf-8"):
    """``(delimiter, decimal)`` of a CSV file, from its first lines.

    A semicolon file with numbers such as ``1,5`` is a European export, whose
    decimal mark is the comma.
    """
    with Path(path).open(newline="", encoding=encoding, errors="replace") as f:
        sample = f.read(sample_bytes)
    lines = sample.splitlines()[:50]
    if len(lines) > 1 and len(sample) == sample_bytes:
        lines = lines[:-1]  # the last line may be cut short
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines), delimiters="".join(_DELIMITERS))
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    decimal = "," if delimiter == ";" and re.search(r"\d,\d", sample) else "."
    return delimiter, decimal


def read_csv(path, encoding="utf-8"):
    """The CSV file as a DataFrame, and notes on how it was read.

    Raises a CommandError that says what is wrong when the file cannot be
    read: a byte the encoding cannot read (its line named, and the option
    that reads it), a header naming a column twice; a row with fewer cells
    than the header is read with the rest missing, and named on standard
    error.
    """
    try:
        import pandas as pd
    except ImportError:
        raise CommandError(
            "reading CSV files needs pandas: pip install pandas "
            '(or pip install "sklearn-scratchnn[cli]")'
        ) from None
    path = Path(path)
    if not path.is_file():
        raise CommandError(f"no such file: {path}")
    _check_encoding(path, encoding)
    delimiter, decimal = sniff_format(path, encoding=encoding)
    lines, short_rows = _check_rows(path, delimiter, encoding)
    try:
        frame = pd.read_csv(
            path,
            sep=delimiter,
            decimal=decimal,
            encoding=encoding,
            na_values=list(MISSING_MARKERS),
            skipinitialspace=True,  # "a, ?, b" as UCI files write it
        )
    except pd.errors.EmptyDataError:
        message = f"{path} is empty: it needs a header row and data rows"
        raise CommandError(message) from None
    except pd.errors.ParserError as error:
        first_line = str(error).strip().splitlines()[0]
        message = f"{path} is not a readable CSV file: {first_line}"
        raise CommandError(message) from None
    if frame.empty:
        raise CommandError(f"{path} has a header but no data rows")
    if short_rows:
        print(short_rows, file=sys.stderr)
    if len(lines) == len(frame):  # so a message can name a row's line
        frame.attrs["lines"] = lines
    notes = []
    if delimiter != ",":
        mark = " with decimal commas" if decimal == "," else ""
        notes.append(f"{path.name} is {_DELIMITERS[delimiter]}-separated{mark}")
    return frame, notes


def _check_encoding(path, encoding):
    """A CommandError naming the line and column of the first byte that
    ``encoding`` cannot read (Python's own message counts bytes from wherever
    its reader's buffer began), and how to read the file."""
    data = path.read_bytes()
    try:
        data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start : error.start + 1].hex()
        advice = (
            "if it was saved as Latin-1 or Windows-1252 (older Excel, SPSS), "
            "--encoding latin-1 reads it"
            if encoding.lower().replace("_", "-") in ("utf-8", "utf8")
            else "name the encoding it was saved in with --encoding"
        )
        raise CommandError(
            f"{path} is not {encoding} text: byte 0x{byte} on line {line}, "
            f"column {column} cannot be read; {advice}"
        ) from None
    except LookupError:
        raise CommandError(
            f"--encoding {encoding!r} is not an encoding Python knows; "
            "try utf-8, latin-1 or cp1252"
        ) from None


def _check_rows(path, delimiter, encoding):
    """``(lines, warning)``: the line on which each data row ends, and a
    warning naming the rows with fewer cells than the header (pandas fills
    them in as missing), or None; a CommandError for a header that names a
    column twice (pandas would rename the second ``x.1``, a name nobody gave
    it)."""
    with path.open(newline="", encoding=encoding) as f:
        reader = csv.reader(f, delimiter=delimiter, skipinitialspace=True)
        header = next(reader, None)
        if header is None:
            return [], None
        seen = {}
        for position, name in enumerate(header, start=1):
            if name in seen and name.strip():
                raise CommandError(
                    f"the header of {path} (line 1) names column {name!r} twice, "
                    f"as columns {seen[name]} and {position}; rename one so "
                    "that each column has a name of its own"
                )
            seen[name] = position
        lines, short = [], []
        for row in reader:
            if not row:
                continue  # a blank line, which pandas skips too
            lines.append(reader.line_num)
            if len(row) < len(header):
                short.append((reader.line_num, len(row)))
    if not short:
        return lines, None
    shown_lines = ", ".join(str(line) for line, _ in short[:5])
    more = f" and {len(short) - 5} more" if len(short) > 5 else ""
    return lines, (
        f"warning: line(s) {shown_lines}{more} of {path} have fewer cells than its "
        f"header's {len(header)} (line {short[0][0]} has {short[0][1]}); their "
        "last cells are read as missing: check that the file is not cut short"
    )


def shown(values, limit=3):
    """The first ``limit`` values as a user reads them, and "..." if more."""
    text = ", ".join(repr(v) for v in values[:limit])
    return text + (", ..." if len(values) > limit else "")


def is_text(column):
    """Whether a column holds text (not numbers, booleans or dates)."""
    return column.dtype.kind not in "iufcbmM"


def read_numbers(X, forced=()):
    """``X`` with its numeric-looking text columns as numbers, and notes.

    A text column whose filled cells nearly all parse as numbers (or one named
    in ``forced``) becomes numeric, its other cells missing; one of which at
    least half parse is kept as text, with a note on how to force it.
    """
    import pandas as pd

    X = X.copy()
    notes = []
    for name in X.columns:
        column = X[name]
        if not is_text(column):
            continue
        filled = column.dropna()
        numbers = pd.to_numeric(filled, errors="coerce")
        share = float(numbers.notna().mean()) if len(filled) else 0.0
        others = list(dict.fromkeys(filled[numbers.isna()].astype(str)))
        if name in forced and len(filled) and not numbers.notna().any():
            raise CommandError(
                f"--numeric {name}: none of the {len(filled)} filled cells of "
                f"column {name!r} is a number ({shown(others)}); leave it out "
                "of --numeric to read it as categories"
            )
        if name in forced or share >= NEARLY_ALL:
            X[name] = pd.to_numeric(column, errors="coerce")
            if others:
                notes.append(
                    f"column {name!r} read as numbers: its non-numeric cells "
                    f"({shown(others)}) are treated as missing"
                )
        elif share >= LOOKS_NUMERIC:
            notes.append(
                f"column {name!r} looks numeric ({share:.0%} of its cells are "
                f"numbers) but is kept as text because of {shown(others)}; "
                f"--numeric {name} reads it as numbers, the rest as missing"
            )
    return X, notes


def identifier_reason(column):
    """Why a column only identifies rows, or None if it may mean something.

    An identifier is text unique to each row, or whole numbers unique to each
    row that are a row number or a shuffle of a contiguous range. Never a
    float column (measurements are naturally all different), never a column
    with a repeated or missing value.
    """
    n = len(column)
    if n < 2 or column.isna().any() or column.nunique() < n:
        return None
    if column.dtype.kind in "iu":
        low, high = int(column.min()), int(column.max())
        if high - low == n - 1:
            return f"an identifier (whole numbers {low} to {high}, one per row)"
        return None
    if is_text(column):
        return "an identifier (text unique to each row)"
    return None


def identifier_columns(X, keep=()):
    """``{column: reason}`` for the columns that only identify rows."""
    reasons = {}
    for name in X.columns:
        if name in keep:
            continue
        reason = identifier_reason(X[name])
        if reason is not None:
            reasons[name] = reason
    return reasons


def check_named(X, names, option, path):
    """Every column named by ``option`` must be in the file."""
    unknown = [name for name in names if name not in X.columns]
    if unknown:
        raise CommandError(
            f"{option} names column(s) that are not features of {path}: "
            f"{', '.join(map(repr, unknown))}"
        )
