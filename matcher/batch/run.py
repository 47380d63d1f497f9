"""Run a batch: read chunks, score them through the pipeline, write scores and summary.

No row is ever dropped: a row that cannot be scored (empty skills, missing id, a cell over the
size limit, undecodable bytes, unreadable years) is written with `status=error` and the reason,
and counted in the closing report. Outputs are written to a temporary file and renamed when
complete; SIGTERM cleans up like Ctrl-C.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

import numpy as np

from ..errors import InputError, UsageError
from ..fsutil import atomic_write_bytes
from ..limits import CHUNK_ROWS
from ..score import role_positions
from .read import (
    ID_NAMES, KEEP, SKILL_NAMES, YEARS_NAMES, Layout, detect_layout, pick_column, read_chunks, select_columns,
)
from .local import local_chunks, workers_for
from .score import ChunkScores, mark_duplicates, score_chunk
from .summary import Summary
from .read import staged_input
from .write import Writer, neutralise_csv_text, tables_xlsx, to_long

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..pipeline import Pipeline


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


def _chunk_source(p: "Pipeline", layout: Layout, chosen: tuple[int, ...], *, engine: str, scheduler: str | None,
                  chunk_rows: int, long_input: bool, lang: str, workers: int | None,
                  progress: Callable[[int], None] | None, group_by: str | None = None) -> Iterator[ChunkScores]:
    """Scored chunks, in file order: read here, scored here (or in local workers) or on a Dask cluster."""
    chunks = read_chunks(layout, chunk_rows, long_input=long_input, progress=progress)
    if group_by:
        chunks = (c.assign(group=c[KEEP + group_by]) for c in chunks)
    if engine == "pandas":
        size = layout.path.stat().st_size if layout.path.is_file() else None
        yield from local_chunks(p, chunks, chosen, lang, workers_for(size, workers))
        return
    from .dask import dask_chunks

    yield from dask_chunks(p, chunks, chosen, lang, scheduler=scheduler)


def score_file(p: "Pipeline", input_path: Path | str, output: Path | str, *, summary: Path | str | None = None,
               roles: Sequence[str] = (), id_col: str | None = None, skills_col: str | None = None,
               years_col: str | None = None, fmt: str = "wide", long_input: bool = False, engine: str = "pandas",
               scheduler: str | None = None, chunk_rows: int = CHUNK_ROWS, lang: str = "de",
               show_progress: bool = False, sheet: str | int = 0, workers: int | None = None,
               shortlist: bool = False, keep_cols: Sequence[str] | None = None, group_by: str | None = None,
               report: Path | str | None = None, unrecognised: Path | str | None = None) -> BatchReport:
    """Score an export file and write the results (and the summary) atomically.

    `workers`: processes scoring chunks with the local engine (default: two on a large file
    where the platform can fork, else one); the output is the same for any number.
    `shortlist`: one role (a vacancy); the rows are written best first with a `rank` column,
    so they are held until the end (a shortlist of a million rows needs about 1 GB).
    `keep_cols`: the input columns carried into the output, before the scores (None: all; []:
    none). `group_by`: a column whose groups the summary and the report break down by.
    `report`: a self-contained HTML report; `unrecognised`: a CSV of the skills not recognised."""
    start = time.perf_counter()
    chosen = role_positions(p.ix, roles)
    out_path = Path(output)
    summary_path = Path(summary) if summary else None
    extras = Extras(Path(report) if report else None, Path(unrecognised) if unrecognised else None, group_by, lang)
    _check_targets(Path(input_path), out_path, summary_path, extras)
    with staged_input(Path(input_path)) as source:
        layout = detect_layout(source, id_col=id_col, skills_col=skills_col, years_col=years_col, sheet=sheet)
        layout = replace(layout, keep=_kept(layout, keep_cols, group_by, long_input))
        return _score_layout(p, layout, chosen, out_path, summary_path, start=start, fmt=fmt, long_input=long_input,
                             engine=engine, scheduler=scheduler, chunk_rows=chunk_rows, lang=lang,
                             show_progress=show_progress, workers=workers, shortlist=shortlist, extras=extras)


@dataclass(frozen=True)
class Extras:
    """The outputs besides the scores and the summary."""

    report: Path | None = None
    unrecognised: Path | None = None
    group_by: str | None = None
    lang: str = "de"


def _kept(layout: Layout, keep_cols: Sequence[str] | None, group_by: str | None, long_input: bool) -> tuple[str, ...]:
    """The input columns to carry: all by default, in their order; the --group-by one always."""
    names = list(layout.columns)
    wanted = [str(c) for c in keep_cols] if keep_cols is not None else names
    missing = [c for c in [*wanted, *([group_by] if group_by else [])] if c not in names]
    if missing:
        raise UsageError(f"no column {', '.join(map(repr, missing))} in {layout.path.name} (it has: "
                         f"{', '.join(names[:20])})", fix="name columns exactly as in the file's header")
    if long_input:  # one row per skill: no single value per employee to carry or to group by
        if group_by or keep_cols:
            raise UsageError("--long-input has one row per skill, so there is no one value per employee to "
                             f"{'group by' if group_by else 'keep'}",
                             fix="drop --group-by / --keep-cols, or export one row per employee")
        return ()
    keep = [c for c in names if c in wanted]
    if group_by and group_by not in keep:
        keep.append(group_by)
    return tuple(keep)


def ranked(scores: "pd.DataFrame") -> "pd.DataFrame":
    """Rows best first with a `rank` column: higher fit, then fewer unmet required gates (equal on
    both: the same rank); rows not scored last, without a rank, in their input order."""
    import pandas as pd

    ok = (scores["status"] == "ok").to_numpy()
    fit = scores["best_fit"].to_numpy(dtype=np.float64)
    unmet = scores["unmet_gates"].to_numpy(dtype=np.int64)
    order = np.lexsort((scores["row"].to_numpy(), unmet, -np.nan_to_num(fit, nan=-1.0), ~ok))
    f, u = fit[order], unmet[order]
    starts = np.r_[True, (f[1:] != f[:-1]) | (u[1:] != u[:-1])] if len(order) else np.zeros(0, dtype=bool)
    rank = np.maximum.accumulate(np.where(starts, np.arange(1, len(order) + 1), 0)) if len(order) else starts
    out = scores.iloc[order].reset_index(drop=True)
    out.insert(0, "rank", pd.arrays.IntegerArray(rank.astype(np.int64), ~ok[order]))  # masked: no rank
    return out


OUTPUT_FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet"}
SUMMARY_FORMATS = (".json", ".csv", ".xlsx")


def _check_targets(source: Path, out: Path, summary: Path | None, extras: "Extras | None" = None) -> None:
    """Refuse, before any work, outputs that would be written in the wrong format or over an input."""
    named = [("the input", source), ("the output (-o)", out)] + ([("the summary", summary)] if summary else [])
    if extras is not None:
        named += [(what, path) for what, path in (("the report", extras.report), ("the unrecognised list",
                                                                                 extras.unrecognised)) if path]
        if extras.report and extras.report.suffix.lower() not in (".html", ".htm"):
            raise UsageError(f"--report {extras.report}: the report is HTML", fix="name it .html")
        if extras.unrecognised and extras.unrecognised.suffix.lower() != ".csv":
            raise UsageError(f"--unrecognised {extras.unrecognised}: the list is CSV", fix="name it .csv")
    for i, (what, path) in enumerate(named):
        for other_what, other in named[:i]:
            if _same_file(path, other):
                raise UsageError(f"{what} and {other_what} are the same file ({path})",
                                 fix="give the outputs names of their own; the input is never overwritten")
    for what, path in named[1:]:
        if path.exists() and not path.is_file():
            raise UsageError(f"{what} {path} is not a regular file (a device, a pipe or a directory); outputs are "
                             "written to a temporary file and renamed into place",
                             fix="write to a file, then print or copy it (e.g. -o scores.csv && cat scores.csv)")
    if out.suffix.lower() not in OUTPUT_FORMATS:
        raise UsageError(f"-o {out}: unknown output format {out.suffix or '(no extension)'!r}",
                         fix="name the output .csv, .xlsx or .parquet")
    if summary is not None and summary.suffix.lower() not in SUMMARY_FORMATS:
        raise UsageError(f"--summary {summary}: unknown summary format {summary.suffix or '(no extension)'!r}",
                         fix="name the summary .json, .csv or .xlsx")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _score_layout(p: "Pipeline", layout: Layout, chosen: tuple[int, ...], out_path: Path, summary_path: Path | None, *,
                  start: float, fmt: str, long_input: bool, engine: str, scheduler: str | None, chunk_rows: int,
                  lang: str, show_progress: bool, workers: int | None, shortlist: bool = False,
                  extras: Extras = Extras()) -> BatchReport:
    writer = Writer(out_path, OUTPUT_FORMATS[out_path.suffix.lower()], bom=True,
                    delimiter=layout.delimiter if layout.fmt == "csv" else (";" if lang == "de" else ","),
                    labels=_labels(p, lang))
    for extra in (summary_path, extras.report, extras.unrecognised):
        if extra is not None:
            Writer.check_directory(extra)
    acc = Summary(p.ix, chosen, group_by=extras.group_by)
    renderer = None
    if extras.report is not None:
        from .report import Renderer

        renderer = Renderer(p.ix)  # the plotting library loads while the rows are scored
    seen: dict[str, int] = {}
    row_no = 0
    held: list[Any] = []  # a shortlist's chunks, ranked at the end
    bar = _Progress(layout.path, enabled=show_progress)
    try:
        with _sigterm_as_interrupt(), bar:
            for chunk in _chunk_source(p, layout, chosen, engine=engine, scheduler=scheduler, chunk_rows=chunk_rows,
                                       long_input=long_input, lang=lang, workers=workers, progress=bar.update_bytes,
                                       group_by=extras.group_by):
                scores = chunk.frame
                n = len(scores)
                scores.insert(0, "row", np.arange(row_no + 1, row_no + n + 1))
                row_no += n
                acc.duplicates += mark_duplicates(scores, seen)
                acc.add(chunk.tally)
                if shortlist:
                    held.append(scores)
                else:
                    writer.write(to_long(scores, p.ix.role_ids, chunk.order) if fmt == "long" else scores)
                bar.update_rows(n)
            if row_no == 0:
                raise InputError(f"{layout.path}: no data rows", fix="check the export: only a header was found")
            if held:
                import pandas as pd

                writer.write(ranked(pd.concat(held, ignore_index=True)))
            summary_bytes = None if summary_path is None else _summary_bytes(acc, summary_path, writer.delimiter)
            writer.sheets = acc.tables() if writer.fmt == "xlsx" else None  # the summary in the same workbook
            writer.commit()
    except FileExistsError:  # never the case for our own temporary name, unless something was planted there
        _close(renderer)
        writer.abort(remove=False)
        raise InputError(f"{writer.tmp} is in the way of the output's temporary file (another run's, or a planted "
                         "link; it is not followed); nothing was written",
                         fix=f"remove {writer.tmp}, then run again") from None
    except OSError as exc:
        _close(renderer)
        writer.abort()
        raise InputError(f"cannot write the output {out_path} ({exc.strerror or exc}); nothing was written",
                         fix="choose an -o location in a folder you can write to, with free space, then run "
                             "again") from None
    except BaseException:
        _close(renderer)
        writer.abort()
        raise
    later = [(summary_path, summary_bytes)]
    if renderer is not None:
        later.append((extras.report, renderer.render(acc, layout.path.name, extras.lang).encode("utf-8")))
    if extras.unrecognised is not None:
        later.append((extras.unrecognised, _unrecognised_csv(p, acc, writer.delimiter)))
    for path, content in later:
        if path is None or content is None:
            continue
        try:
            atomic_write_bytes(path, content)
        except OSError as exc:
            raise InputError(f"the scores were written to {out_path}, but {path} could not be written "
                             f"({exc.strerror or exc})",
                             fix="free disk space or choose another location for it, then run again") from None
    return BatchReport(acc.rows, acc.scored, dict(acc.errors), acc.duplicates, time.perf_counter() - start, out_path,
                       summary_path)


def _close(renderer: Any) -> None:
    if renderer is not None:
        renderer.close()


def _summary_bytes(acc: Summary, path: Path, delimiter: str) -> bytes:
    kind = path.suffix.lower()
    if kind == ".csv":
        return acc.to_csv_bytes(delimiter)
    if kind == ".xlsx":
        return tables_xlsx(acc.tables())
    return (json.dumps(acc.to_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _unrecognised_csv(p: "Pipeline", acc: Summary, delimiter: str) -> bytes:
    """text, count, closest plausible competency: what HR turns into overlay aliases."""
    comps = p.ix.data.competencies
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(["text", "count", "closest_id", "closest_label"])
    for text, count, hint in acc.unrecognised():
        w.writerow([text, count, hint, comps[hint].label_de if hint in comps else ""])
    return ("\ufeff" + neutralise_csv_text(buf.getvalue())).encode("utf-8")


def _labels(p: "Pipeline", lang: str) -> dict[str, str]:
    """Readable XLSX headers: role titles in the chosen language for the fit columns."""
    de = lang == "de"
    out = {"best_role": "Bester Beruf" if de else "Best role", "best_fit": "Passung" if de else "Fit",
           "best_band": "Stufe" if de else "Band", "best_core": "Kern" if de else "Core",
           "years_gate": "Jahre erfüllt" if de else "Years gate", "gates": "Voraussetzungen" if de else "Gates",
           "unmet_gates": "Offene Voraussetzungen" if de else "Unmet gates",
           "top_missing": "Es fehlt" if de else "Top missing", "suggested_courses": "Kurse" if de else "Courses",
           "unrecognised": "Nicht erkannt" if de else "Not recognised", "reason": "Grund" if de else "Reason",
           "years": "Jahre" if de else "Years", "rank": "Rang" if de else "Rank", "row": "Zeile" if de else "Row"}
    for rid, role in p.ix.data.roles.items():
        out[f"fit_{rid}"] = f"{'Passung' if de else 'Fit'}: {role.title(lang)}"
    return out


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


def score_frame(p: "Pipeline", df: "pd.DataFrame", *, roles: Sequence[str] = (), id_col: str | None = None,
                skills_col: str | None = None, years_col: str | None = None, lang: str = "de",
                rank: bool = False) -> "pd.DataFrame":
    """The CLI's wide output for an in-memory frame (no files involved); `rank` adds the
    shortlist's rank column (the rows keep their order)."""
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise UsageError(f"score_frame needs a pandas DataFrame, got {type(df).__name__}",
                         fix="e.g. score_frame(pd.read_csv('export.csv', dtype=str, keep_default_na=False))")
    id_col, skills_col, years_col = (None if c is None else str(c) for c in (id_col, skills_col, years_col))
    columns = [str(c) for c in df.columns]
    twice = sorted({c for c in columns if columns.count(c) > 1})
    if twice:
        raise UsageError(f"the frame has the columns {', '.join(map(repr, twice))} more than once",
                         fix="rename or drop the duplicates, e.g. df.loc[:, ~df.columns.duplicated()]")
    layout = Layout(path=Path("<frame>"), fmt="frame", columns=tuple(columns),
                    id_col=pick_column(columns, id_col, ID_NAMES, "id", "id_col", required=False),
                    skills_col=pick_column(columns, skills_col, SKILL_NAMES, "skills", "skills_col", required=True) or "",
                    years_col=pick_column(columns, years_col, YEARS_NAMES, "years", "years_col", required=False))
    frame = df.copy()
    frame.columns = columns
    scores = score_chunk(p, select_columns(frame, layout), role_positions(p.ix, roles), lang).frame
    scores.insert(0, "row", np.arange(1, len(scores) + 1))
    mark_duplicates(scores, {})
    return ranked(scores).sort_values("row").reset_index(drop=True) if rank else scores
