"""Read an HR export: detect its format, encoding, delimiter and columns; stream it in chunks.

Every chunk comes out as three text columns (id, skills, years) in file order, whatever the
input looked like (CSV of any common dialect, XLSX, Parquet, one row per skill with
`--long-input`), so scoring never sees the file format.
"""

from __future__ import annotations

import csv
import io
import math
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

import numpy as np

from ..errors import InputError, UsageError
from ..limits import CHUNK_ROWS, MAX_CELL_CHARS, MAX_PIPED_INPUT_BYTES
from ..normalise import key

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

ID_NAMES = ("id", "employee id", "employee_id", "employeeid", "personalnummer", "personal nr", "personalnr", "pers nr",
            "mitarbeiter id", "mitarbeiternummer", "mitarbeiter nr", "staff id", "name", "mitarbeiter", "employee")
SKILL_NAMES = ("skills", "skill", "kompetenzen", "kompetenz", "faehigkeiten", "fahigkeiten", "kenntnisse",
               "competencies", "qualifikationen", "skill name", "skillname")
YEARS_NAMES = ("years", "years experience", "years of experience", "experience years", "berufserfahrung",
               "berufserfahrung jahre", "jahre berufserfahrung", "erfahrung jahre", "jahre")


@dataclass(frozen=True)
class Layout:
    """How to read a file: format, encoding, delimiter, and which columns hold what."""

    path: Path
    fmt: str  # csv | xlsx | parquet
    encoding: str = "utf-8"
    delimiter: str = ","
    id_col: str | None = None
    skills_col: str = ""
    years_col: str | None = None
    columns: tuple[str, ...] = ()
    sheet: str | int = 0  # XLSX: sheet name or position
    keep: tuple[str, ...] = ()  # input columns carried into the output (and available to --group-by)


KEEP = "keep:"  # prefix of a carried input column in a chunk (never meets a score column)


def _detect_encoding(path: Path) -> str:
    """UTF-16 or UTF-8 by BOM; UTF-8 when the whole file decodes as UTF-8; cp1252 (German Excel)
    when no valid UTF-8 multi-byte character appears anywhere. A file with both (rows pasted from
    two sources) is read as UTF-8, so the odd rows show up as undecodable and are reported
    instead of turning every UTF-8 umlaut into mojibake. Reads the whole file (in blocks): an
    umlaut in row 90,000 decides as much as one in row 1."""
    import codecs

    with path.open("rb") as fh:
        head = fh.read(4)
        if head.startswith(b"\xef\xbb\xbf"):
            return "utf-8-sig"
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return "utf-16"
        fh.seek(0)
        strict = codecs.getincrementaldecoder("utf-8")()
        lenient = codecs.getincrementaldecoder("utf-8")(errors="replace")
        valid, multibyte = True, False
        while block := fh.read(1 << 20):
            if valid:
                try:
                    strict.decode(block)
                    multibyte = multibyte or max(block) >= 0x80  # valid UTF-8 beyond ASCII seen
                    continue
                except UnicodeDecodeError:
                    valid = False
            if not multibyte:
                multibyte = any(ord(ch) > 127 and ch != "\ufffd" for ch in lenient.decode(block))
            if multibyte:
                return "utf-8"
        if valid:
            try:
                strict.decode(b"", final=True)
                return "utf-8"
            except UnicodeDecodeError:
                pass
    return "cp1252"


def _detect_delimiter(header: str) -> str:
    """The delimiter is what separates the header's names: the most frequent of `, ; tab |` in
    the header line (a comma on a tie or when there is none). Linear in the line's length,
    unlike csv.Sniffer, which a crafted line can keep busy for seconds."""
    counts = {d: header.count(d) for d in ",;\t|"}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def pick_column(columns: Iterable[str], wanted: str | None, names: tuple[str, ...], what: str, option: str,
          required: bool) -> str | None:
    cols = list(columns)
    if wanted is not None:
        if wanted in cols:
            return wanted
        folded = {key(c): c for c in cols}
        if key(wanted) in folded:
            return folded[key(wanted)]
        raise InputError(f"no column {wanted!r} (the columns are: {', '.join(map(repr, cols))})",
                         fix=f"pass the exact column name with {option}")
    folded = {key(c).replace(" ", ""): c for c in cols}
    for name in names:
        hit = folded.get(key(name).replace(" ", ""))
        if hit is not None:
            return hit
    if required:
        raise InputError(f"cannot find the {what} column among: {', '.join(map(repr, cols))}",
                         fix=f"name it with {option} COLUMN")
    return None


@contextmanager
def staged_input(path: Path) -> Iterator[Path]:
    """The input as a regular file: itself, or a pipe (`<(cat export.csv)`) copied once to a
    temporary file, since detecting the layout and reading the rows each need the start.
    Devices (`/dev/zero`) are refused: they never end."""
    import stat
    import tempfile

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", fix="check the path") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})", fix="check the path and its permissions") from None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        yield path  # a directory gets its own message from detect_layout
        return
    if not stat.S_ISFIFO(mode):
        raise InputError(f"{path} is not a regular file (a device or a socket)", fix="give the path of the export file")
    with tempfile.NamedTemporaryFile(prefix="matcher-input-", suffix=path.suffix or ".csv") as tmp:
        with path.open("rb") as src:
            copied = 0
            while block := src.read(1 << 20):
                copied += len(block)
                if copied > MAX_PIPED_INPUT_BYTES:
                    raise InputError(f"{path}: more than {MAX_PIPED_INPUT_BYTES:,} bytes from a pipe",
                                     fix="save the export to a file and pass its path")
                tmp.write(block)
        tmp.flush()
        yield Path(tmp.name)


def detect_layout(path: Path | str, *, id_col: str | None = None, skills_col: str | None = None,
                  years_col: str | None = None, sheet: str | int = 0) -> Layout:
    """Format by extension; encoding, delimiter and columns by looking at the file."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file", fix="check the path")
    if path.is_dir():
        raise InputError(f"{path} is a directory", fix="give the path of the export file")
    ext = path.suffix.lower()
    try:
        if ext in (".xlsx", ".xlsm"):
            from . import excel

            columns = excel.header(path, sheet)
            fmt, enc, delim = "xlsx", "utf-8", ","
        elif ext == ".parquet":
            import pyarrow.parquet as pq

            columns = list(pq.read_schema(path).names)
            fmt, enc, delim = "parquet", "utf-8", ","
        else:
            with path.open("rb") as fh:
                sample = fh.read(65536)
            if not sample.strip():
                raise InputError(f"{path}: the file is empty", fix="export the employee list again")
            if b"\x00" in sample and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise InputError(f"{path}: binary data, not a CSV file",
                                 fix="export as CSV, or use the .xlsx/.parquet extension for those formats")
            enc = _detect_encoding(path)
            lines = [ln for ln in sample.decode(enc, errors="replace").splitlines() if ln.strip()]
            delim = _detect_delimiter(lines[0] if lines else "")
            with path.open("rb") as fh:  # the whole first record: a wide or multi-line header too
                header = next(csv.reader(io.TextIOWrapper(fh, encoding=enc, errors="replace", newline=""),
                                         delimiter=delim), [])
            columns = [c.strip() for c in header]
            fmt = "csv"
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken xlsx/parquet: say so, do not trace back
        raise InputError(f"{path}: cannot read it as {ext.lstrip('.') or 'CSV'} ({type(exc).__name__}: {exc})",
                         fix="check that the file is complete and of the type its extension says") from None
    seen: set[str] = set()
    twice = sorted({c for c in columns if c and (c in seen or seen.add(c))})  # type: ignore[func-returns-value]
    if twice:
        raise InputError(f"{path}: the header names {', '.join(map(repr, twice))} more than once, so it is unclear "
                         "which column to read", fix="rename the duplicate columns in the export")
    return Layout(
        path=path, fmt=fmt, encoding=enc, delimiter=delim,
        id_col=pick_column(columns, id_col, ID_NAMES, "id", "--id-col", required=False),
        skills_col=pick_column(columns, skills_col, SKILL_NAMES, "skills", "--skills-col", required=True) or "",
        years_col=pick_column(columns, years_col, YEARS_NAMES, "years", "--years-col", required=False),
        columns=tuple(columns), sheet=sheet,
    )


def select_columns(df: "pd.DataFrame", layout: Layout) -> "pd.DataFrame":
    """The three columns the scorer needs, as strings (id, skills, years), and the kept ones."""
    import pandas as pd

    out = pd.DataFrame(index=df.index)
    out["id"] = _text_column(df[layout.id_col]) if layout.id_col else ""
    out["skills"] = _text_column(df[layout.skills_col])
    out["years"] = _text_column(df[layout.years_col]) if layout.years_col else ""
    out["problem"] = ""
    for name in layout.keep:
        out[KEEP + name] = _text_column(df[name])
    return out.reset_index(drop=True)


def _text_column(col: "pd.Series") -> "pd.Series":
    import pandas as pd

    if pd.api.types.is_string_dtype(col) and not col.isna().any():
        return col.astype(str)
    return col.map(_cell_text)


def _cell_text(value: Any) -> str:
    """Any cell as text: numbers and dates as written, lists (Parquet arrays) joined, bytes decoded."""
    if value is None or type(value).__name__ in ("NAType", "NaTType") or (isinstance(value, float)
                                                                         and math.isnan(value)):
        return ""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, (list, tuple, np.ndarray)):
        return "; ".join(_cell_text(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_chunks(layout: Layout, chunk_rows: int = CHUNK_ROWS, *, long_input: bool = False,
                progress: Callable[[int], None] | None = None) -> Iterator["pd.DataFrame"]:
    """Normalised chunks (id, skills, years) in file order."""
    if long_input:
        yield from _long_to_wide(read_chunks(layout, chunk_rows), chunk_rows)
        return
    import pandas as pd

    try:
        if layout.fmt == "xlsx":
            from . import excel

            want = [layout.columns.index(c) if c else -1 for c in (layout.id_col, layout.skills_col, layout.years_col)]
            kept = [layout.columns.index(c) for c in layout.keep]
            names = ["id", "skills", "years", "problem", *(KEEP + c for c in layout.keep)]
            buf: list[list[str]] = []
            for cells in excel.rows(layout.path, layout.sheet, len(layout.columns)):
                buf.append([cells[i] if i >= 0 else "" for i in want] + [""] + [cells[i] for i in kept])
                if len(buf) >= chunk_rows:
                    yield pd.DataFrame(buf, columns=names, dtype=object)
                    buf = []
            if buf:
                yield pd.DataFrame(buf, columns=names, dtype=object)
            return
        if layout.fmt == "parquet":
            import pyarrow.parquet as pq

            pf = pq.ParquetFile(layout.path)
            cols = list(dict.fromkeys([c for c in (layout.id_col, layout.skills_col, layout.years_col) if c]
                                      + list(layout.keep)))
            for batch in pf.iter_batches(batch_size=chunk_rows, columns=cols):
                yield select_columns(batch.to_pandas(), layout)
            return
        yield from _csv_chunks(layout, chunk_rows, progress)
    except (InputError, UsageError):
        raise
    except Exception as exc:  # noqa: BLE001 - malformed file: clear message, no traceback
        first_line = (str(exc).splitlines() or [""])[0]
        raise InputError(f"{layout.path}: cannot read the file ({type(exc).__name__}: {first_line})",
                         fix="check the export (delimiter, quoting) or name the columns with --id-col/--skills-col"
                         ) from None


def _csv_chunks(layout: Layout, chunk_rows: int, progress: Callable[[int], None] | None) -> Iterator["pd.DataFrame"]:
    """CSV rows as chunks, each input record exactly once and in order.

    A record whose field count differs from the header's, or whose quoted cell swallowed what look
    like further rows (a quote never closed), keeps its place with a `problem` (its row becomes an
    error with that reason): never re-aligned, merged or dropped. All-empty surplus fields are harmless.
    """
    import pandas as pd

    cols = {name: i for i, name in enumerate(layout.columns)}
    width = len(layout.columns)
    want = [cols[c] if c else -1 for c in (layout.id_col, layout.skills_col, layout.years_col)]
    kept = [cols[c] for c in layout.keep]
    names = ("id", "skills", "years", "problem", *(KEEP + c for c in layout.keep))
    csv.field_size_limit(max(MAX_CELL_CHARS * 100, 1 << 24))
    with layout.path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=layout.encoding, errors="replace", newline=None)
        # strict: a quote closed in the middle of a field, or never closed, stops the run with the
        # line, rather than letting the rows after it slide into one cell
        reader = csv.reader(text, delimiter=layout.delimiter, skipinitialspace=True, strict=True)
        columns: tuple[list[str], ...] = tuple([] for _ in names)  # id, skills, years, problem, kept...
        ident, skills, years, problems = columns[:4]
        extra = columns[4:]
        i_id, i_skills, i_years = want
        try:
            next(reader, None)  # the header
        except csv.Error as exc:
            raise _quoting_error(layout.path, 0, exc) from None
        line = reader.line_num
        records = iter(reader)
        while True:
            try:
                fields = next(records)
            except StopIteration:
                break
            except csv.Error as exc:
                raise _quoting_error(layout.path, line, exc) from None
            start, line = line + 1, reader.line_num
            n = len(fields)
            if n == width and line == start:  # the common case: a whole one-line record
                ident.append(fields[i_id] if i_id >= 0 else "")
                skills.append(fields[i_skills])
                years.append(fields[i_years] if i_years >= 0 else "")
                problems.append("")
                for column, i in zip(extra, kept):
                    column.append(fields[i])
            else:
                if not fields or (n == 1 and not fields[0].strip()):
                    continue  # a blank line is not a record
                if line > start and _swallowed_rows(fields, width, layout.delimiter, i_id):
                    raise InputError(f"{layout.path}: line {start}: a quote opened in this row is not closed, so the "
                                     f"lines after it (up to line {line}) would be read into one cell; nothing was "
                                     "written", fix="close the quote in that row of the export (or remove it), then "
                                                    "run again")
                for column, i in zip(columns[:3] + extra, want + kept):
                    column.append(fields[i] if 0 <= i < n else "")
                problems.append(_record_problem(fields, width))
            if len(ident) >= chunk_rows:
                yield pd.DataFrame(dict(zip(names, columns)))
                columns = tuple([] for _ in names)
                ident, skills, years, problems = columns[:4]
                extra = columns[4:]
                if progress:
                    progress(raw.tell())
        if ident:
            yield pd.DataFrame(dict(zip(names, columns)))


def _quoting_error(path: Path, line: int, exc: csv.Error) -> InputError:
    return InputError(f"{path}: line {line + 1}: broken quoting, a quote is not closed where the field ends ({exc}); "
                      "nothing was written",
                      fix="close or remove the stray quote in that row of the export, then run again")


def _record_problem(fields: list[str], width: int) -> str:
    if len(fields) != width and not (len(fields) > width and not any(f.strip() for f in fields[width:])):
        return (f"the row has {len(fields)} fields where the header has {width} (a stray delimiter or a broken "
                "quote?); fix the row in the export")
    return ""


def _swallowed_rows(fields: list[str], width: int, delimiter: str, id_index: int) -> bool:
    """Whether a record spanning lines pulled following rows in (a quote opened and not closed).

    So when its field count is off, or when a line inside one of its cells reads like a row of
    the file: about as many fields as the header, one of them shaped like this row's id (`E0017`
    and `E0018`). A quoted cell with line breaks that holds anything else is an ordinary multi-line
    cell, commas and all (`SAP` / `Excel, Word`)."""
    multiline = [f for f in fields if "\n" in f]
    if not multiline:
        return False
    if len(fields) != width:
        return True
    if not 0 <= id_index < len(fields) or not fields[id_index].strip():
        return False
    own = _shape(fields[id_index].strip())
    for cell in multiline:
        for line in cell.split("\n")[1:]:
            parts = line.split(delimiter)
            if len(parts) >= width - 1 and any(_shape(p.strip()) == own for p in parts):
                return True
    return False


def _shape(text: str) -> str:
    """`E0017` -> `a9999`: letters and digits by class, other characters as they are."""
    return "".join("9" if ch.isdigit() else "a" if ch.isalpha() else ch for ch in text)


def _long_to_wide(chunks: Iterable["pd.DataFrame"], chunk_rows: int) -> Iterator["pd.DataFrame"]:
    """One row per employee and skill -> one per employee (skills joined, first appearance order;
    employees may be spread over the file, so this holds one list per employee in memory)."""
    import pandas as pd

    skills: dict[str, list[str]] = {}
    years: dict[str, str] = {}
    problems: dict[str, str] = {}
    for chunk in chunks:
        for ident, skill, yrs, problem in zip(chunk["id"], chunk["skills"], chunk["years"], chunk["problem"]):
            bucket = skills.setdefault(ident, [])
            if skill.strip():
                bucket.append(skill.replace(";", ","))
            if yrs and not years.get(ident):
                years[ident] = yrs
            if problem and ident not in problems:  # one damaged line makes the employee's row an error
                problems[ident] = problem
    ids = list(skills)
    for start in range(0, len(ids), chunk_rows):
        part = ids[start: start + chunk_rows]
        yield pd.DataFrame({"id": part, "skills": ["; ".join(skills[i]) for i in part],
                            "years": [years.get(i, "") for i in part], "problem": [problems.get(i, "") for i in part]})
