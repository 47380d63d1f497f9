"""Write batch results: CSV, XLSX or Parquet, atomically, with formula cells made inert.

Chunks stream to a temporary file next to the target, renamed into place only when the run
completes, so an interrupted run leaves nothing half-written; XLSX gets fixed timestamps so a
re-run is byte-identical.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_ROWS = 1_048_576


def neutralise(value: Any) -> Any:
    """Make a cell that a spreadsheet would run as a formula inert (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise_csv_text(text: str) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for row in rows:
        w.writerow([neutralise(c) for c in row])
    return buf.getvalue()


def _neutralise_frame(df: "pd.DataFrame") -> "pd.DataFrame":
    import pandas as pd

    df = df.copy()
    for col in df.columns:
        if df[col].dtype == object or pd.api.types.is_string_dtype(df[col]):
            text = df[col].astype(str)  # a missing value becomes "nan", never a formula
            risky = text.str.startswith(FORMULA_PREFIXES)
            if risky.any():
                df[col] = df[col].where(~risky, "'" + text)
    return df


class Writer:
    """Streams chunks to a temporary file next to the target; `commit` renames it into place.

    The temporary file is created exclusively and without following links, so a link planted
    in the output folder cannot make a run overwrite another file. CSV and Parquet are written
    by pyarrow (CSV: strings quoted, numbers bare, a missing value empty), chunk by chunk.
    """

    def __init__(self, target: Path, fmt: str, *, delimiter: str = ",", bom: bool = False,
                 labels: dict[str, str] | None = None, sheets: dict[str, list[list[Any]]] | None = None) -> None:
        """`delimiter`, `bom`: CSV as German Excel opens it by double-click (the input's delimiter,
        UTF-8 with a byte-order mark). `labels`: readable XLSX headers by column; `sheets`: further
        XLSX sheets (the summary), set before `commit`."""
        self.target = target
        self.fmt = fmt
        self.delimiter = delimiter
        self.bom = bom
        self.labels = labels or {}
        self.sheets = sheets
        self.check_directory(target)
        self.tmp = target.parent / f".{target.name}.{os.getpid()}.tmp"
        _remove_stale_temporaries(target)
        self._fh: Any = None
        self._writer: Any = None
        self._schema: Any = None
        self._frames: list[Any] = []
        self._rows = 0

    @staticmethod
    def check_directory(target: Path) -> None:
        """Before any work: the folder of an output exists and can be written."""
        if not target.parent.is_dir():
            raise InputError(f"{target.parent}: the output directory does not exist (for {target.name})",
                             fix="create it first")
        if not os.access(target.parent, os.W_OK):
            raise InputError(f"{target.parent}: the output directory is not writable (for {target.name})",
                             fix="choose another path, or fix the directory's permissions")

    def _open(self) -> Any:
        if self._fh is None:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            self._fh = os.fdopen(os.open(self.tmp, flags, 0o644), "wb")
            if self.fmt == "csv" and self.bom:
                self._fh.write(b"\xef\xbb\xbf")
        return self._fh

    def write(self, df: "pd.DataFrame") -> None:
        if self.fmt == "xlsx":  # openpyxl needs the rows in one go
            self._rows += len(df)
            if self._rows > XLSX_MAX_ROWS - 1:  # one row is the header
                raise InputError(f"{self._rows:,} rows and more: an Excel sheet holds at most {XLSX_MAX_ROWS:,} rows; "
                                 "nothing was written", fix="write .csv or .parquet instead (-o scores.csv)")
            self._frames.append(_neutralise_frame(df))
            return
        import pyarrow as pa

        if self.fmt == "csv":
            df = _neutralise_frame(df)
            if self.delimiter == ";":  # German Excel: `;` between cells and a decimal comma in numbers
                df = df.assign(**{c: _decimal_comma(df[c]) for c in df.columns if df[c].dtype.kind == "f"})
        table = pa.Table.from_pandas(df, preserve_index=False)
        if self._writer is None:
            self._schema = table.schema
            if self.fmt == "csv":
                import pyarrow.csv as pcsv

                self._writer = pcsv.CSVWriter(self._open(), table.schema,
                                              write_options=pcsv.WriteOptions(quoting_style="needed",
                                                                              delimiter=self.delimiter))
            else:
                import pyarrow.parquet as pq

                self._writer = pq.ParquetWriter(self._open(), table.schema)
        self._writer.write_table(table.cast(self._schema))

    def commit(self) -> None:
        if self.fmt == "xlsx":
            _write_xlsx(self._open(), self._frames, self.labels, self.sheets or {})
        elif self._writer is not None:
            self._writer.close()
        fh = self._open()
        fh.flush()
        os.fsync(fh.fileno())
        fh.close()
        os.replace(self.tmp, self.target)

    def abort(self, *, remove: bool = True) -> None:
        """Close and delete the temporary file (`remove=False`: it is not ours, leave it)."""
        for closer in (self._writer, self._fh):
            try:
                if closer is not None:
                    closer.close()
            except Exception:  # noqa: BLE001,S110 - cleaning up after a failure
                pass
        if remove and self._fh is not None:  # only a file this writer created
            try:
                self.tmp.unlink()
            except OSError:
                pass


def _decimal_comma(col: Any) -> Any:
    """Numbers as German Excel reads them in a `;` file (`57,7`); a missing value stays empty."""
    return col.map(lambda v: "" if v != v else (f"{v:.10g}").replace(".", ","))


def tables_xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    """A workbook of plain tables (the summary as .xlsx), one sheet each."""
    buf = io.BytesIO()
    _write_xlsx(buf, [], {}, sheets, scores=False)
    return buf.getvalue()


def _remove_stale_temporaries(target: Path) -> None:
    """Temporary files of runs that were killed (SIGKILL, power loss) and cannot clean up."""
    for path in target.parent.glob(f".{target.name}.*.tmp"):
        try:
            pid = int(path.name[len(target.name) + 2: -4])
            os.kill(pid, 0)  # still running: leave it alone
        except ProcessLookupError:
            try:
                path.unlink()
            except OSError:
                pass
        except (ValueError, PermissionError, OSError):
            continue


def _scores_sheet(ws: Any, df: Any, columns: list[str], percent: list[bool], labels: dict[str, str],
                  clean: Any) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws.freeze_panes = "A2"
    if columns:
        last = get_column_letter(len(columns))
        ws.auto_filter.ref = f"A1:{last}{len(df) + 1}"
        sample = df.head(200)
        for i, c in enumerate(columns, 1):
            longest = max([len(labels.get(c, c))] + [len(str(v)) for v in sample.iloc[:, i - 1].tolist()])
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest + 2))
            if percent[i - 1] and len(df):
                ws.conditional_formatting.add(
                    f"{get_column_letter(i)}2:{get_column_letter(i)}{len(df) + 1}",
                    ColorScaleRule(start_type="num", start_value=0, start_color="F8696B", mid_type="num",
                                   mid_value=0.5, mid_color="FFEB84", end_type="num", end_value=1, end_color="63BE7B"))
    bold = Font(bold=True)
    header = []
    for c in columns:
        cell = WriteOnlyCell(ws, value=labels.get(c, c))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in df.itertuples(index=False):
        values = []
        for v, pct in zip(row, percent):
            v = clean(v)
            if pct and isinstance(v, (int, float)):
                cell = WriteOnlyCell(ws, value=round(float(v) / 100.0, 4))
                cell.number_format = "0.0%"
                values.append(cell)
            else:
                values.append(v)
        ws.append(values)


def _write_xlsx(fh: Any, frames: list[Any], labels: dict[str, str], sheets: dict[str, list[list[Any]]], *,
                scores: bool = True) -> None:
    """XLSX an analyst can use at once: readable headers, the header row frozen, filters, column
    widths, fits as percentages with a colour scale, the summary as further sheets; with fixed
    timestamps, so that a re-run gives byte-identical output."""
    import datetime

    import pandas as pd
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # control characters XML cannot hold
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("scores") if scores else None
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    columns = [str(c) for c in df.columns]
    percent = [c.startswith("fit_") or c in ("best_fit", "best_core") for c in columns]

    def clean(v: Any) -> Any:
        if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
            return None
        return ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v

    if ws is not None:
        _scores_sheet(ws, df, columns, percent, labels, clean)
    for name, rows in sheets.items():
        extra = wb.create_sheet(name[:31])
        extra.freeze_panes = "A2"
        for i, head in enumerate(rows[0] if rows else [], 1):
            extra.column_dimensions[get_column_letter(i)].width = min(50, max(10, len(str(head)) + 2))
        for k, row in enumerate(rows):
            if k == 0:
                cells = []
                for v in row:
                    cell = WriteOnlyCell(extra, value=str(v))
                    cell.font = bold
                    cells.append(cell)
                extra.append(cells)
            else:
                extra.append([clean(v) for v in row])
    epoch = datetime.datetime(2000, 1, 1)
    wb.properties.created = epoch
    wb.properties.modified = epoch
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", content)
            dst.writestr(fixed, content)
    fh.write(out.getvalue())


# --- long output ------------------------------------------------------------------------------


def to_long(wide: "pd.DataFrame", role_ids: list[str], order: "np.ndarray") -> "pd.DataFrame":
    """One row per employee and role, ranked by the best-role rule (`order`: each row's role
    positions best first, as `match()` lists them), so rank 1 is the wide output's best_role."""
    import numpy as np
    import pandas as pd

    n = len(wide)
    rank_of = np.zeros((n, len(role_ids)), dtype=np.int64)
    if n and order.size:
        rank_of[np.arange(n)[:, None], order] = np.arange(1, order.shape[1] + 1)[None, :]
    scored = ~wide[[f"fit_{r}" for r in role_ids if f"fit_{r}" in wide]].isna().all(axis=1).to_numpy()
    parts = []
    for r, rank_source in enumerate(role_ids):
        col = f"fit_{rank_source}"
        if col not in wide:
            continue
        parts.append(pd.DataFrame({"row": wide["row"], "id": wide["id"], "status": wide["status"], "reason": wide["reason"],
                                   "role": rank_source, "fit": wide[col], "_order": wide["row"],
                                   "rank": pd.arrays.IntegerArray(rank_of[:, r], ~scored)}))
    long = pd.concat(parts, ignore_index=True)
    long = long.sort_values(["_order", "rank", "role"], kind="stable").drop(columns="_order")
    return long[["row", "id", "status", "reason", "role", "fit", "rank"]].reset_index(drop=True)
