"""Score a whole workforce from an HR export: fits, gaps, and a training-needs summary.

Real exports repeat the same skill strings thousands of times, so each distinct string is
split, cleaned and resolved once (caches shared across chunks). A chunk of employees becomes
a sparse employee x competency evidence matrix; hierarchy credit is its max-product with the
credit-propagation matrix, and all role fits are one matrix product. Files are streamed in
chunks so memory stays flat as the file grows; `--engine dask` runs the same per-chunk
function over a Dask dataframe, and the driver writes the chunks in order, so both engines
give byte-identical output.

No row is ever dropped: a row that cannot be scored (empty skills, missing id, a cell over the
size limit, undecodable bytes) is written with `status=error` and the reason, and counted in
the closing report. Outputs are written to a temporary file and renamed when complete.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import re
import signal
import sys
import time
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

import numpy as np

from .errors import InputError, UsageError
from .fsutil import atomic_write_bytes
from .limits import CHUNK_ROWS, MAX_CELL_CHARS
from .normalise import key
from .score import credit_matrix, role_positions, years_status
from .score import fits as role_fits

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .api import Matcher

TOP_MISSING = 3
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

ID_NAMES = ("id", "employee id", "employee_id", "employeeid", "personalnummer", "personal nr", "personalnr", "pers nr",
            "mitarbeiter id", "mitarbeiternummer", "mitarbeiter nr", "staff id", "name", "mitarbeiter", "employee")
SKILL_NAMES = ("skills", "skill", "kompetenzen", "kompetenz", "faehigkeiten", "fahigkeiten", "kenntnisse",
               "competencies", "qualifikationen", "skill name", "skillname")
YEARS_NAMES = ("years", "years experience", "years of experience", "experience years", "berufserfahrung",
               "berufserfahrung jahre", "jahre berufserfahrung", "erfahrung jahre", "jahre")

_WORD = re.compile(r"[^\W_]")
_CELL_SPLIT = re.compile(r"\s*(?:[;|\n\r\u2022]|(?<!\d),|,(?!\d))\s*")


# --- reading --------------------------------------------------------------------------------


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


def _pick(columns: Iterable[str], wanted: str | None, names: tuple[str, ...], what: str, option: str,
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
        id_col=_pick(columns, id_col, ID_NAMES, "id", "--id-col", required=False),
        skills_col=_pick(columns, skills_col, SKILL_NAMES, "skills", "--skills-col", required=True) or "",
        years_col=_pick(columns, years_col, YEARS_NAMES, "years", "--years-col", required=False),
        columns=tuple(columns), sheet=sheet,
    )


def _normalise_chunk(df: "pd.DataFrame", layout: Layout) -> "pd.DataFrame":
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
                yield _normalise_chunk(frame.iloc[start: start + chunk_rows], layout)
            return
        if layout.fmt == "parquet":
            import pyarrow.parquet as pq

            pf = pq.ParquetFile(layout.path)
            cols = [c for c in (layout.id_col, layout.skills_col, layout.years_col) if c]
            for batch in pf.iter_batches(batch_size=chunk_rows, columns=cols):
                yield _normalise_chunk(batch.to_pandas(), layout)
            return
        with layout.path.open("rb") as raw:
            reader = pd.read_csv(raw, sep=layout.delimiter, encoding=layout.encoding, encoding_errors="replace",
                                 dtype=str, keep_default_na=False, chunksize=chunk_rows, skipinitialspace=True,
                                 on_bad_lines="warn", engine="c")
            for chunk in reader:
                chunk.columns = [str(c).strip() for c in chunk.columns]
                yield _normalise_chunk(chunk, layout)
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


# --- scoring one chunk ------------------------------------------------------------------------


@dataclass
class Scorer:
    """Per-chunk scoring with caches that persist across chunks (one per process)."""

    matcher: "Matcher"
    target_roles: tuple[str, ...] = ()
    lang: str = "de"
    item_cache: dict[str, tuple[int, float]] = field(default_factory=dict)  # raw item -> (comp pos | -1, conf)
    cache_limit: int = 500_000

    def _resolve_items(self, raws: Iterable[str]) -> None:
        from .parse import parse_item

        todo = [r for r in dict.fromkeys(raws) if r not in self.item_cache]
        if len(self.item_cache) + len(todo) > self.cache_limit:
            self.item_cache.clear()
        for raw in todo:
            item = parse_item(raw)
            if item.kind != "skill" or not key(item.text):
                self.item_cache[raw] = (-2, 0.0)  # education/experience: not a skill, not unrecognised
                continue
            m = self.matcher.resolver.resolve(item.text)
            self.item_cache[raw] = (m.comp if m.comp is not None else -1, m.score)

    def score(self, chunk: "pd.DataFrame") -> tuple["pd.DataFrame", np.ndarray, np.ndarray]:
        """Scores for a normalised chunk (id, skills, years), the same rows in order; with the
        credit matrix and each row's target role, which the summary needs."""
        import pandas as pd
        import scipy.sparse as sp


        ix = self.matcher.index
        n_rows = len(chunk)
        ids = chunk["id"].tolist()
        cells = chunk["skills"].tolist()
        status = ["ok"] * n_rows
        reason = [""] * n_rows
        items_per_row: list[list[str]] = []
        for i, (ident, cell) in enumerate(zip(ids, cells)):
            problem = None
            if "\ufffd" in cell or "\ufffd" in ident:
                problem = "undecodable bytes in the row (mixed or wrong encoding)"
            elif len(cell) > MAX_CELL_CHARS:
                problem = f"skills cell over {MAX_CELL_CHARS} characters"
            elif not ident.strip():
                problem = "missing id"
            elif not _WORD.search(cell):
                problem = "empty skills"
            if problem:
                status[i], reason[i] = "error", problem
                items_per_row.append([])
            else:
                items_per_row.append(split_cell(cell))
        self._resolve_items(r for items in items_per_row for r in items)

        rows, cols, vals = [], [], []
        unrecognised: list[str] = []
        for i, items in enumerate(items_per_row):
            bad = []
            for raw in items:
                pos, conf = self.item_cache[raw]
                if pos >= 0:
                    rows.append(i)
                    cols.append(pos)
                    vals.append(conf)
                elif pos == -1:
                    bad.append(raw.strip())
            unrecognised.append("; ".join(bad))
        n = len(ix.comp_ids)
        evidence = _dedupe_max(np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64),
                               np.asarray(vals, dtype=np.float64), n_rows, n, sp)
        credit = credit_matrix(ix, evidence)
        fits = role_fits(ix, credit)
        error_rows = np.array([s != "ok" for s in status])
        fits[error_rows] = np.nan

        role_ids = ix.role_ids
        chosen = role_positions(ix, self.target_roles)
        sub = fits[:, chosen]
        best_local = np.argmax(np.nan_to_num(sub, nan=-1.0), axis=1)
        best = np.array([chosen[b] for b in best_local], dtype=int) if n_rows else np.zeros(0, dtype=int)
        gap_labels, gap_courses = self._gaps(credit, best)

        out = pd.DataFrame({"id": ids, "status": status, "reason": reason})
        out["best_role"] = [role_ids[b] if s == "ok" else "" for b, s in zip(best, status)]
        out["best_fit"] = [round(float(fits[i, b]), 1) if s == "ok" else np.nan for i, (b, s) in
                           enumerate(zip(best, status))]
        for r in chosen:
            out[f"fit_{role_ids[r]}"] = np.round(fits[:, r], 1)
        out["years"] = [_years(y) for y in chunk["years"].tolist()]
        out["years_gate"] = [self._years_gate(role_ids[b], y) if s == "ok" else ""
                             for b, y, s in zip(best, out["years"], status)]
        out["top_missing"] = [g if s == "ok" else "" for g, s in zip(gap_labels, status)]
        out["suggested_courses"] = [c if s == "ok" else "" for c, s in zip(gap_courses, status)]
        out["unrecognised"] = unrecognised
        return out, credit, best

    def _years_gate(self, role_id: str, years: float) -> str:
        need = self.matcher.index.data.roles[role_id].gates.min_years
        return years_status(need, None if math.isnan(years) else years)

    def _gaps(self, credit: np.ndarray, best: np.ndarray) -> tuple[list[str], list[str]]:
        ix = self.matcher.index
        comps = list(ix.data.competencies.values())
        ranked = ix.ranked_courses()
        rows_by_role: dict[int, list[int]] = {}
        for i, r in enumerate(best.tolist()):
            rows_by_role.setdefault(r, []).append(i)
        out_labels = [""] * len(best)
        out_courses = [""] * len(best)
        memo: dict[tuple, tuple[str, str]] = {}
        for r, idx in rows_by_role.items():
            cols, w = ix.role_rows()[r]
            gap = w[None, :] * (1.0 - credit[np.asarray(idx)][:, cols])
            # stable order: larger gap first, then requirement order in the profile
            order = np.argsort(-gap, axis=1, kind="stable")[:, :TOP_MISSING]
            for k, row in enumerate(idx):
                picks = tuple(int(cols[j]) for j in order[k] if gap[k, j] > 1e-9)
                memo_key = (picks, tuple(credit[row, p] for p in picks))
                if memo_key not in memo:  # employees share gap patterns: format each once
                    chosen: list[str] = []
                    for p in picks:
                        for course, value in ranked[p]:
                            if value > credit[row, p]:
                                title = course.title(self.lang)
                                if title not in chosen:
                                    chosen.append(title)
                                break
                    memo[memo_key] = ("; ".join(comps[p].label(self.lang) for p in picks), "; ".join(chosen))
                out_labels[row], out_courses[row] = memo[memo_key]
        return out_labels, out_courses


def split_cell(cell: str) -> list[str]:
    """Skill items of one cell: separated by ; , | bullets or newlines (not a decimal comma)."""
    if "," in cell:
        parts = _CELL_SPLIT.split(cell)
    else:
        parts = cell.replace("|", ";").replace("\n", ";").replace("\r", ";").replace("\u2022", ";").split(";")
    return [p.strip() for p in parts if p.strip()]


def _years(text: str) -> float:
    """Years from a cell ("5", "5,5", "5 Jahre"); NaN when absent or unreadable."""
    m = re.search(r"\d+(?:[.,]\d+)?", text or "")
    return float(m.group(0).replace(",", ".")) if m else math.nan


def mark_duplicates(scores: "pd.DataFrame", seen: dict[str, int]) -> int:
    """Fill the `note` column for ids seen before (in this or earlier chunks); returns how many."""
    notes = []
    for ident, r in zip(scores["id"], scores["row"]):
        if ident and ident in seen:
            notes.append(f"duplicate id (first at row {seen[ident]})")
        else:
            if ident:
                seen[ident] = int(r)
            notes.append("")
    scores["note"] = notes
    return sum(1 for n in notes if n)


def _dedupe_max(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, m: int, n: int, sp: Any) -> Any:
    """CSR evidence with the highest confidence per (row, competency); CSR would sum duplicates."""
    if rows.size:
        keys = rows * n + cols
        order = np.lexsort((-vals, keys))
        keys, vals = keys[order], vals[order]
        first = np.ones(keys.size, dtype=bool)
        first[1:] = keys[1:] != keys[:-1]
        keys, vals = keys[first], vals[first]
        rows, cols = keys // n, keys % n
    return sp.csr_matrix((vals, (rows, cols)), shape=(m, n))


# --- the training-needs summary ---------------------------------------------------------------


@dataclass
class Summary:
    """Accumulates, chunk by chunk, what a manager reads: fit distribution, common gaps, course demand."""

    matcher: "Matcher"
    target_roles: tuple[str, ...] = ()
    rows: int = 0
    scored: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    duplicates: int = 0
    fit_counts: dict[str, dict[str, float]] = field(default_factory=dict)
    gap_weight: dict[str, np.ndarray] = field(default_factory=dict)
    gap_count: dict[str, np.ndarray] = field(default_factory=dict)
    course_helped: np.ndarray | None = None
    course_gain: np.ndarray | None = None

    def add(self, scores: "pd.DataFrame", credit: np.ndarray, best: np.ndarray) -> None:
        ix = self.matcher.index
        ok = (scores["status"] == "ok").to_numpy()
        self.rows += len(scores)
        self.scored += int(ok.sum())
        for reason in scores.loc[~ok, "reason"]:
            self.errors[reason] = self.errors.get(reason, 0) + 1
        role_ids = ix.role_ids
        chosen = role_positions(ix, self.target_roles)
        cc = ix.course_credit()
        if self.course_helped is None:
            self.course_helped = np.zeros(len(ix.course_ids))
            self.course_gain = np.zeros(len(ix.course_ids))
        for r in chosen:
            rid = role_ids[r]
            col = scores.get(f"fit_{rid}")
            if col is None:
                continue
            f = col.to_numpy(dtype=float)[ok]
            c = self.fit_counts.setdefault(rid, {"n": 0, "sum": 0.0, "50": 0, "70": 0, "90": 0})
            c["n"] += f.size
            c["sum"] += float(f.sum())
            for t in (50, 70, 90):
                c[str(t)] += int((f >= t).sum())
            cols, w = ix.role_rows()[r]
            cr = credit[ok][:, cols]
            self.gap_weight[rid] = self.gap_weight.get(rid, np.zeros(cols.size)) + (w * (1 - cr)).sum(axis=0)
            self.gap_count[rid] = self.gap_count.get(rid, np.zeros(cols.size)) + (cr < 1).sum(axis=0)
        # Course demand, for each employee's target role (the best, or the --role one).
        for r in set(best[ok].tolist()):
            rows = np.nonzero(ok & (best == r))[0]
            cols, w = ix.role_rows()[r]
            cur = credit[rows][:, cols]
            before = cur @ w
            for k in range(len(ix.course_ids)):
                gain = 100.0 * (np.maximum(cur, cc[k, cols][None, :]) @ w - before) / w.sum()
                assert self.course_helped is not None and self.course_gain is not None
                self.course_helped[k] += int((gain > 1e-9).sum())
                self.course_gain[k] += float(gain.sum())

    def to_dict(self, top: int = 10) -> dict:
        ix = self.matcher.index
        comps = ix.data.competencies
        roles = {}
        for rid, c in self.fit_counts.items():
            r = ix.role_ids.index(rid)
            cols, w = ix.role_rows()[r]
            gw, gc = self.gap_weight[rid], self.gap_count[rid]
            order = sorted(range(cols.size), key=lambda j: (-gw[j], -gc[j], j))[:top]
            roles[rid] = {
                "employees": c["n"], "mean_fit": round(c["sum"] / c["n"], 1) if c["n"] else None,
                "at_least_50": c["50"], "at_least_70": c["70"], "at_least_90": c["90"],
                "top_missing": [{"id": ix.comp_ids[cols[j]], "label_de": comps[ix.comp_ids[cols[j]]].label_de,
                                 "weight": round(float(w[j]), 2), "employees_missing": int(gc[j]),
                                 "weighted_gap": round(float(gw[j]), 2)} for j in order if gc[j] > 0],
            }
        courses = []
        if self.course_gain is not None and self.course_helped is not None:
            for k in sorted(range(len(ix.course_ids)), key=lambda k: (-self.course_gain[k], k)):
                course = ix.data.courses[ix.course_ids[k]]
                courses.append({"id": course.id, "title_de": course.title_de, "kind": course.kind,
                                "employees_helped": int(self.course_helped[k]),
                                "total_fit_added": round(float(self.course_gain[k]), 1),
                                "mean_fit_added": round(float(self.course_gain[k]) / self.course_helped[k], 2)
                                if self.course_helped[k] else 0.0})
        return {
            "schema_version": 1, "rows": self.rows, "scored": self.scored, "errors": dict(sorted(self.errors.items())),
            "duplicate_ids": self.duplicates, "roles": roles, "course_demand": courses,
            "recommended_courses": [c["id"] for c in courses[:3] if c["total_fit_added"] > 0],
            "note": "course gains are each course on its own, for each employee's best (or --role) role",
        }

    def to_csv_bytes(self) -> bytes:
        d = self.to_dict()
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["section", "role", "id", "label", "employees", "value"])
        w.writerow(["rows", "", "", "rows read", d["rows"], ""])
        w.writerow(["rows", "", "", "rows scored", d["scored"], ""])
        for reason, count in d["errors"].items():
            w.writerow(["errors", "", "", reason, count, ""])
        for rid, r in d["roles"].items():
            for t in ("at_least_50", "at_least_70", "at_least_90"):
                w.writerow(["fit_distribution", rid, t, f"fit >= {t[-2:]}", r[t], ""])
            w.writerow(["fit_distribution", rid, "mean", "mean fit", r["employees"], r["mean_fit"]])
            for g in r["top_missing"]:
                w.writerow(["top_missing", rid, g["id"], g["label_de"], g["employees_missing"], g["weighted_gap"]])
        for c in d["course_demand"]:
            w.writerow(["course_demand", "", c["id"], c["title_de"], c["employees_helped"], c["total_fit_added"]])
        return neutralise_csv_text(buf.getvalue()).encode("utf-8")


# --- writing ----------------------------------------------------------------------------------


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


class _Writer:
    """Streams chunks to a temporary file next to the target; `commit` renames it into place."""

    def __init__(self, target: Path, fmt: str) -> None:
        self.target = target
        self.fmt = fmt
        if not target.parent.is_dir():
            raise InputError(f"{target.parent}: the output directory does not exist", fix="create it first")
        if not os.access(target.parent, os.W_OK):
            raise InputError(f"{target.parent}: the output directory is not writable",
                             fix="choose another -o path, or fix the directory's permissions")
        self.tmp = target.parent / f".{target.name}.{os.getpid()}.tmp"
        _remove_stale_temporaries(target)
        self._fh: Any = None
        self._pq: Any = None
        self._frames: list[Any] = []
        self._header = True

    def write(self, df: "pd.DataFrame") -> None:
        if self.fmt == "csv":
            if self._fh is None:
                self._fh = open(self.tmp, "w", encoding="utf-8", newline="")  # noqa: SIM115
            _neutralise_frame(df).to_csv(self._fh, index=False, header=self._header, lineterminator="\n")
            self._header = False
        elif self.fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(df, preserve_index=False)
            if self._pq is None:
                self._pq = pq.ParquetWriter(self.tmp, table.schema)
            self._pq.write_table(table.cast(self._pq.schema))
        else:  # xlsx: openpyxl needs the rows in one go
            self._frames.append(_neutralise_frame(df))

    def commit(self) -> None:
        if self.fmt == "csv":
            if self._fh is None:
                self._fh = open(self.tmp, "w", encoding="utf-8", newline="")  # noqa: SIM115
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
        elif self.fmt == "parquet":
            if self._pq is not None:
                self._pq.close()
        else:
            _write_xlsx(self.tmp, self._frames)
        os.replace(self.tmp, self.target)

    def abort(self) -> None:
        for closer in (self._fh, self._pq):
            try:
                if closer is not None:
                    closer.close()
            except Exception:  # noqa: BLE001,S110 - cleaning up after a failure
                pass
        try:
            self.tmp.unlink()
        except OSError:
            pass


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


def _write_xlsx(path: Path, frames: list[Any]) -> None:
    """XLSX with fixed timestamps, so that a re-run gives byte-identical output."""
    import datetime

    import pandas as pd
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("scores")
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    ws.append([str(c) for c in df.columns])
    for row in df.itertuples(index=False):
        ws.append([None if (isinstance(v, float) and math.isnan(v)) else v for v in row])
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
    path.write_bytes(out.getvalue())


def _format_of(path: Path) -> str:
    ext = path.suffix.lower()
    return {".xlsx": "xlsx", ".parquet": "parquet"}.get(ext, "csv")


# --- long output ------------------------------------------------------------------------------


def to_long(wide: "pd.DataFrame", role_ids: list[str]) -> "pd.DataFrame":
    import pandas as pd

    parts = []
    for rank_source in role_ids:
        col = f"fit_{rank_source}"
        if col not in wide:
            continue
        parts.append(pd.DataFrame({"row": wide["row"], "id": wide["id"], "status": wide["status"], "reason": wide["reason"],
                                   "role": rank_source, "fit": wide[col], "_order": wide["row"]}))
    long = pd.concat(parts, ignore_index=True)
    long["rank"] = long.groupby("_order")["fit"].rank(method="first", ascending=False)
    long = long.sort_values(["_order", "rank", "role"], kind="stable").drop(columns="_order")
    long["rank"] = long["rank"].astype("Int64")
    return long.reset_index(drop=True)


# --- driver -----------------------------------------------------------------------------------


@dataclass
class BatchReport:
    rows: int
    scored: int
    errors: dict[str, int]
    duplicates: int
    seconds: float
    output: Path
    summary: Path | None


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM cleans up like Ctrl-C (no partial output); restored afterwards."""
    if not hasattr(signal, "SIGTERM") or os.name == "nt":  # pragma: no cover
        yield
        return
    try:
        previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _chunk_source(layout: Layout, *, engine: str, scheduler: str | None, chunk_rows: int, long_input: bool,
                  scorer: Scorer, progress: Callable[[int], None] | None) -> Iterator[tuple[Any, np.ndarray, np.ndarray]]:
    """(scores, credit, best) per chunk, in file order, from the chosen engine."""
    if engine == "pandas" or long_input:
        for chunk in read_chunks(layout, chunk_rows, long_input=long_input, progress=progress):
            yield scorer.score(chunk)
        return
    from .dask_engine import dask_chunks

    yield from dask_chunks(layout, scorer, scheduler=scheduler, chunk_rows=chunk_rows)


def score_file(matcher: "Matcher", input_path: Path | str, output: Path | str, *, summary: Path | str | None = None,
               roles: Iterable[str] | None = None, id_col: str | None = None, skills_col: str | None = None,
               years_col: str | None = None, fmt: str = "wide", long_input: bool = False, engine: str = "pandas",
               scheduler: str | None = None, chunk_rows: int = CHUNK_ROWS, lang: str = "de",
               show_progress: bool = False, sheet: str | int = 0) -> BatchReport:
    """Score an export file and write the results (and the summary) atomically."""
    start = time.perf_counter()
    target_roles = _target_roles(matcher, roles)
    layout = detect_layout(input_path, id_col=id_col, skills_col=skills_col, years_col=years_col, sheet=sheet)
    out_path = Path(output)
    summary_path = Path(summary) if summary else None
    if out_path.resolve() == layout.path.resolve():
        raise UsageError("the output would overwrite the input", fix="choose another -o path")
    writer = _Writer(out_path, _format_of(out_path))
    scorer = Scorer(matcher, target_roles, lang)
    acc = Summary(matcher, target_roles)
    seen: dict[str, int] = {}
    row_no = 0
    bar = _Progress(layout.path, enabled=show_progress)
    try:
        with _sigterm_as_interrupt(), bar:
            for scores, credit, best in _chunk_source(layout, engine=engine, scheduler=scheduler,
                                                      chunk_rows=chunk_rows, long_input=long_input, scorer=scorer,
                                                      progress=bar.update_bytes):
                n = len(scores)
                scores.insert(0, "row", np.arange(row_no + 1, row_no + n + 1))
                row_no += n
                acc.duplicates += mark_duplicates(scores, seen)
                acc.add(scores, credit, best)
                writer.write(to_long(scores, matcher.roles) if fmt == "long" else scores)
                bar.update_rows(n)
            if row_no == 0:
                raise InputError(f"{layout.path}: no data rows", fix="check the export: only a header was found")
            writer.commit()
            if summary_path is not None:
                if summary_path.suffix.lower() == ".csv":
                    atomic_write_bytes(summary_path, acc.to_csv_bytes())
                else:
                    atomic_write_bytes(summary_path, (json.dumps(acc.to_dict(), ensure_ascii=False, indent=2) + "\n")
                                       .encode("utf-8"))
    except OSError as exc:
        writer.abort()
        raise InputError(f"cannot write the output ({exc.strerror or exc}); nothing was written",
                         fix="free disk space or choose another -o location, then run again") from None
    except BaseException:
        writer.abort()
        raise
    return BatchReport(acc.rows, acc.scored, dict(acc.errors), acc.duplicates, time.perf_counter() - start, out_path,
                       summary_path)


class _Progress:
    """A rich progress bar (bytes read, rows/s, ETA) on a terminal; silent when piped."""

    def __init__(self, path: Path, enabled: bool) -> None:
        self.enabled = enabled
        self.total = path.stat().st_size if path.exists() else None
        self.rows = 0
        self.start = time.perf_counter()
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> "_Progress":
        if self.enabled:
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(TextColumn("scoring"), BarColumn(), TextColumn("{task.fields[rows]} rows"),
                                      TextColumn("{task.fields[rate]} rows/s"), TimeRemainingColumn(),
                                      transient=True, console=None)
            self._progress.start()
            self._task = self._progress.add_task("scoring", total=self.total, rows=0, rate=0)
        return self

    def update_bytes(self, done: int) -> None:
        if self._progress is not None:
            self._progress.update(self._task, completed=done)

    def update_rows(self, n: int) -> None:
        self.rows += n
        if self._progress is not None:
            rate = int(self.rows / max(time.perf_counter() - self.start, 1e-9))
            self._progress.update(self._task, rows=self.rows, rate=rate)

    def __exit__(self, *exc: Any) -> None:
        if self._progress is not None:
            self._progress.stop()


def _target_roles(matcher: "Matcher", roles: Iterable[str] | None) -> tuple[str, ...]:
    """The `--role` subset, validated, in the index's role order; () for all roles."""
    if not roles:
        return ()
    return tuple(sorted(matcher.check_roles(list(roles)) or [], key=matcher.roles.index))


def score_frame(matcher: "Matcher", df: "pd.DataFrame", *, roles: Iterable[str] | None = None,
                id_col: str | None = None, skills_col: str | None = None, years_col: str | None = None,
                lang: str = "de") -> "pd.DataFrame":
    """The CLI's wide output for an in-memory frame (no files involved)."""
    target_roles = _target_roles(matcher, roles)
    columns = [str(c) for c in df.columns]
    layout = Layout(path=Path("<frame>"), fmt="frame", columns=tuple(columns),
                    id_col=_pick(columns, id_col, ID_NAMES, "id", "id_col", required=False),
                    skills_col=_pick(columns, skills_col, SKILL_NAMES, "skills", "skills_col", required=True) or "",
                    years_col=_pick(columns, years_col, YEARS_NAMES, "years", "years_col", required=False))
    frame = df.copy()
    frame.columns = columns
    scores, _, _ = Scorer(matcher, target_roles, lang).score(_normalise_chunk(frame, layout))
    scores.insert(0, "row", np.arange(1, len(scores) + 1))
    mark_duplicates(scores, {})
    return scores


# --- CLI --------------------------------------------------------------------------------------


def run_cli(args: argparse.Namespace, matcher: "Matcher") -> int:
    if args.chunk_rows < 1:
        raise UsageError("--chunk-rows must be 1 or more", fix="e.g. --chunk-rows 5000")
    if args.scheduler and args.engine != "dask":
        raise UsageError("--scheduler needs --engine dask", fix="add --engine dask")
    report = score_file(matcher, args.input, args.output, summary=args.summary, roles=args.role, id_col=args.id_col,
                        skills_col=args.skills_col, years_col=args.years_col, fmt=args.format,
                        long_input=args.long_input, engine=args.engine, scheduler=args.scheduler,
                        chunk_rows=args.chunk_rows, lang=args.lang, show_progress=sys.stderr.isatty(),
                        sheet=args.sheet)
    errors = sum(report.errors.values())
    print(f"scored {report.scored} of {report.rows} rows in {report.seconds:.1f} s "
          f"({report.rows / max(report.seconds, 1e-9):,.0f} rows/s) -> {report.output}", file=sys.stderr)
    if errors:
        details = "; ".join(f"{count} {reason}" for reason, count in sorted(report.errors.items()))
        print(f"{errors} rows could not be scored (kept in the output with status=error): {details}", file=sys.stderr)
    if report.duplicates:
        print(f"{report.duplicates} rows repeat an earlier id (see the 'note' column)", file=sys.stderr)
    if report.summary:
        print(f"summary -> {report.summary}", file=sys.stderr)
    return 0
