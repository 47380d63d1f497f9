"""Read an HR export: detect its format, encoding, delimiter and columns; stream it in chunks.

Every chunk comes out as three text columns (id, skills, years) in file order, whatever the
input looked like (CSV of any common dialect, XLSX, Parquet, one row per skill with
`--long-input`), so scoring never sees the file format.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

import numpy as np

from ..errors import InputError, UsageError
from ..limits import CHUNK_ROWS
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


def _detect_encoding(sample: bytes) -> str:
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        sample[:-4].decode("utf-8") if len(sample) > 4 else sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # Valid UTF-8 multi-byte characters next to invalid bytes: a mixed file. Read it as UTF-8
    # so the odd rows show up as undecodable (and are reported) instead of turning every
    # UTF-8 umlaut into mojibake.
    decoded = sample.decode("utf-8", errors="replace")
    if any(ord(ch) > 127 and ch != "\ufffd" for ch in decoded):
        return "utf-8"
    return "cp1252"  # German Excel exports


def _detect_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()][:50]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t|").delimiter
    except csv.Error:
        header = lines[0]
        counts = {d: header.count(d) for d in ",;\t|"}
        return max(counts, key=lambda d: counts[d]) if max(counts.values()) else ","


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
            import pandas as pd

            sheets = pd.ExcelFile(path).sheet_names
            if isinstance(sheet, str) and sheet not in sheets:
                raise InputError(f"{path}: no sheet {sheet!r} (the sheets are: {', '.join(map(repr, sheets))})",
                                 fix="name one of them with --sheet")
            columns = [str(c) for c in pd.read_excel(path, sheet_name=sheet, nrows=0, dtype=str).columns]
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
            enc = _detect_encoding(sample)
            text = sample.decode(enc, errors="replace")
            delim = _detect_delimiter(text)
            header = next(csv.reader(io.StringIO(text), delimiter=delim), [])
            columns = [c.strip() for c in header]
            fmt = "csv"
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken xlsx/parquet: say so, do not trace back
        raise InputError(f"{path}: cannot read it as {ext.lstrip('.') or 'CSV'} ({type(exc).__name__}: {exc})",
                         fix="check that the file is complete and of the type its extension says") from None
    return Layout(
        path=path, fmt=fmt, encoding=enc, delimiter=delim,
        id_col=pick_column(columns, id_col, ID_NAMES, "id", "--id-col", required=False),
        skills_col=pick_column(columns, skills_col, SKILL_NAMES, "skills", "--skills-col", required=True) or "",
        years_col=pick_column(columns, years_col, YEARS_NAMES, "years", "--years-col", required=False),
        columns=tuple(columns), sheet=sheet,
    )


def select_columns(df: "pd.DataFrame", layout: Layout) -> "pd.DataFrame":
    """The three columns the scorer needs, as strings: id, skills, years."""
    import pandas as pd

    out = pd.DataFrame(index=df.index)
    out["id"] = _text_column(df[layout.id_col]) if layout.id_col else ""
    out["skills"] = _text_column(df[layout.skills_col])
    out["years"] = _text_column(df[layout.years_col]) if layout.years_col else ""
    return out.reset_index(drop=True)


def _text_column(col: "pd.Series") -> "pd.Series":
    import pandas as pd

    if pd.api.types.is_string_dtype(col) and not col.isna().any():
        return col.astype(str)
    return col.map(_cell_text)


def _cell_text(value: Any) -> str:
    """Any cell as text: numbers and dates as written, lists (Parquet arrays) joined, bytes decoded."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, (list, tuple, np.ndarray)):
        return "; ".join(_cell_text(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def csv_options(layout: Layout) -> dict[str, Any]:
    """The options every CSV reader uses (the local engine and Dask alike), so both read the same rows."""
    return {"sep": layout.delimiter, "encoding": layout.encoding, "encoding_errors": "replace", "dtype": str,
            "keep_default_na": False, "skipinitialspace": True, "on_bad_lines": "warn"}


def read_chunks(layout: Layout, chunk_rows: int = CHUNK_ROWS, *, long_input: bool = False,
                progress: Callable[[int], None] | None = None) -> Iterator["pd.DataFrame"]:
    """Normalised chunks (id, skills, years) in file order."""
    if long_input:
        yield from _long_to_wide(read_chunks(layout, chunk_rows), chunk_rows)
        return
    import pandas as pd

    try:
        if layout.fmt == "xlsx":
            frame = pd.read_excel(layout.path, sheet_name=layout.sheet, dtype=object)  # not streamed: read whole
            frame = frame.loc[:, [c for c in frame.columns if str(c) in layout.columns]]
            frame.columns = [str(c) for c in frame.columns]
            for start in range(0, len(frame), chunk_rows):
                yield select_columns(frame.iloc[start: start + chunk_rows], layout)
            return
        if layout.fmt == "parquet":
            import pyarrow.parquet as pq

            pf = pq.ParquetFile(layout.path)
            cols = [c for c in (layout.id_col, layout.skills_col, layout.years_col) if c]
            for batch in pf.iter_batches(batch_size=chunk_rows, columns=cols):
                yield select_columns(batch.to_pandas(), layout)
            return
        with layout.path.open("rb") as raw:
            reader = pd.read_csv(raw, chunksize=chunk_rows, engine="c", **csv_options(layout))
            for chunk in reader:
                chunk.columns = [str(c).strip() for c in chunk.columns]
                yield select_columns(chunk, layout)
                if progress:
                    progress(raw.tell())
    except (InputError, UsageError):
        raise
    except Exception as exc:  # noqa: BLE001 - malformed file: clear message, no traceback
        first_line = (str(exc).splitlines() or [""])[0]
        raise InputError(f"{layout.path}: cannot read the file ({type(exc).__name__}: {first_line})",
                         fix="check the export (delimiter, quoting) or name the columns with --id-col/--skills-col"
                         ) from None


def _long_to_wide(chunks: Iterable["pd.DataFrame"], chunk_rows: int) -> Iterator["pd.DataFrame"]:
    """One row per employee and skill -> one row per employee (skills joined), in order of first appearance.

    Employees may be spread over the file, so this holds one list per employee in memory.
    """
    import pandas as pd

    skills: dict[str, list[str]] = {}
    years: dict[str, str] = {}
    for chunk in chunks:
        for ident, skill, yrs in zip(chunk["id"], chunk["skills"], chunk["years"]):
            bucket = skills.setdefault(ident, [])
            if skill.strip():
                bucket.append(skill.replace(";", ","))
            if yrs and not years.get(ident):
                years[ident] = yrs
    ids = list(skills)
    for start in range(0, len(ids), chunk_rows):
        part = ids[start: start + chunk_rows]
        yield pd.DataFrame({"id": part, "skills": ["; ".join(skills[i]) for i in part],
                            "years": [years.get(i, "") for i in part]})
