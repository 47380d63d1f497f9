"""Run a batch: read chunks, score them through the pipeline, write scores and summary.

No row is ever dropped: a row that cannot be scored (empty skills, missing id, a cell over the
size limit, undecodable bytes, unreadable years) is written with `status=error` and the reason,
and counted in the closing report. Outputs are written to a temporary file and renamed when
complete; SIGTERM cleans up like Ctrl-C.
"""

from __future__ import annotations

import json
import os
import signal
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

import numpy as np

from ..errors import InputError, UsageError
from ..fsutil import atomic_write_bytes
from ..limits import CHUNK_ROWS
from ..score import role_positions
from .read import ID_NAMES, SKILL_NAMES, YEARS_NAMES, Layout, detect_layout, pick_column, read_chunks, select_columns
from .score import ChunkScores, mark_duplicates, score_chunk
from .summary import Summary
from .write import Writer, format_of, to_long

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
                  chunk_rows: int, long_input: bool, lang: str,
                  progress: Callable[[int], None] | None) -> Iterator[ChunkScores]:
    """Scored chunks, in file order: read here, scored here or on a Dask cluster."""
    chunks = read_chunks(layout, chunk_rows, long_input=long_input, progress=progress)
    if engine == "pandas":
        for chunk in chunks:
            yield score_chunk(p, chunk, chosen, lang)
        return
    from .dask import dask_chunks

    yield from dask_chunks(p, chunks, chosen, lang, scheduler=scheduler)


def score_file(p: "Pipeline", input_path: Path | str, output: Path | str, *, summary: Path | str | None = None,
               roles: Sequence[str] = (), id_col: str | None = None, skills_col: str | None = None,
               years_col: str | None = None, fmt: str = "wide", long_input: bool = False, engine: str = "pandas",
               scheduler: str | None = None, chunk_rows: int = CHUNK_ROWS, lang: str = "de",
               show_progress: bool = False, sheet: str | int = 0) -> BatchReport:
    """Score an export file and write the results (and the summary) atomically."""
    start = time.perf_counter()
    chosen = role_positions(p.ix, roles)
    layout = detect_layout(input_path, id_col=id_col, skills_col=skills_col, years_col=years_col, sheet=sheet)
    out_path = Path(output)
    summary_path = Path(summary) if summary else None
    if out_path.resolve() == layout.path.resolve():
        raise UsageError("the output would overwrite the input", fix="choose another -o path")
    writer = Writer(out_path, format_of(out_path))
    acc = Summary(p.ix, chosen)
    seen: dict[str, int] = {}
    row_no = 0
    bar = _Progress(layout.path, enabled=show_progress)
    try:
        with _sigterm_as_interrupt(), bar:
            for chunk in _chunk_source(p, layout, chosen, engine=engine, scheduler=scheduler, chunk_rows=chunk_rows,
                                       long_input=long_input, lang=lang, progress=bar.update_bytes):
                scores = chunk.frame
                n = len(scores)
                scores.insert(0, "row", np.arange(row_no + 1, row_no + n + 1))
                row_no += n
                acc.duplicates += mark_duplicates(scores, seen)
                acc.add(chunk)
                writer.write(to_long(scores, p.ix.role_ids) if fmt == "long" else scores)
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


def score_frame(p: "Pipeline", df: "pd.DataFrame", *, roles: Sequence[str] = (), id_col: str | None = None,
                skills_col: str | None = None, years_col: str | None = None, lang: str = "de") -> "pd.DataFrame":
    """The CLI's wide output for an in-memory frame (no files involved)."""
    columns = [str(c) for c in df.columns]
    layout = Layout(path=Path("<frame>"), fmt="frame", columns=tuple(columns),
                    id_col=pick_column(columns, id_col, ID_NAMES, "id", "id_col", required=False),
                    skills_col=pick_column(columns, skills_col, SKILL_NAMES, "skills", "skills_col", required=True) or "",
                    years_col=pick_column(columns, years_col, YEARS_NAMES, "years", "years_col", required=False))
    frame = df.copy()
    frame.columns = columns
    scores = score_chunk(p, select_columns(frame, layout), role_positions(p.ix, roles), lang).frame
    scores.insert(0, "row", np.arange(1, len(scores) + 1))
    mark_duplicates(scores, {})
    return scores
