"""`matcher batch`: its options, and the closing report on stderr."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..limits import CHUNK_ROWS

if TYPE_CHECKING:  # pragma: no cover
    from ..api import Matcher


def add_batch_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", metavar="EMPLOYEES", help="CSV (any of , ; tab |; UTF-8 or cp1252), .xlsx or .parquet")
    p.add_argument("-o", "--output", required=True, metavar="SCORES", help="output file: .csv, .xlsx or .parquet")
    p.add_argument("--summary", metavar="SUMMARY", help="training-needs summary: .json or .csv")
    p.add_argument("--role", action="append", metavar="ID", help="score only these roles (repeatable)")
    p.add_argument("--id-col", metavar="COL", help="id column (default: found by name, e.g. id, Personalnummer)")
    p.add_argument("--skills-col", metavar="COL", help="skills column (default: found by name, e.g. skills, Kompetenzen)")
    p.add_argument("--years-col", metavar="COL", help="years-of-experience column (optional)")
    p.add_argument("--format", choices=("wide", "long"), default="wide", help="one row per employee (wide) or per "
                   "employee and role (long)")
    p.add_argument("--long-input", action="store_true", help="input has one row per employee and skill")
    p.add_argument("--engine", choices=("pandas", "dask"), default="pandas", help="dask: run chunks on a Dask cluster")
    p.add_argument("--workers", type=int, metavar="N", help="local engine: processes that score chunks (default: 2 "
                   "on a large file, else 1); the output is the same for any number")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (default: a local cluster)")
    p.add_argument("--chunk-rows", type=int, default=CHUNK_ROWS, metavar="N", help=f"rows per chunk (default {CHUNK_ROWS})")
    p.add_argument("--lang", choices=("de", "en"), default="de", help="language of labels in the output")
    p.add_argument("--sheet", default=0, metavar="NAME", help="XLSX: the sheet to read (default: the first)")
    p.add_argument("--keep-cols", metavar="A,B", help="input columns to keep in the output, before the scores "
                   "(default: all of them)")
    p.add_argument("--drop-input-cols", action="store_true", help="keep none of the input's columns")
    p.add_argument("--group-by", metavar="COLUMN", help="break the summary and the report down by this column "
                   "(e.g. Abteilung, Standort)")
    p.add_argument("--report", metavar="REPORT.html", help="write a self-contained HTML report (charts, gaps, "
                   "course demand, unrecognised skills, data quality)")
    p.add_argument("--unrecognised", metavar="OUT.csv", help="write the skills not recognised, with counts and the "
                   "closest competency (for overlay aliases)")
    p.add_argument("--vacancy", metavar="AD.txt", help="rank everyone for the vacancy built from this job advert "
                   "(a shortlist: rank, fit, band, gates, core gaps, courses)")


def run_batch(args: argparse.Namespace, matcher: "Matcher") -> int:
    if args.vacancy and (args.role or args.format == "long"):
        raise UsageError("--vacancy ranks everyone for that one vacancy; it does not combine with --role or "
                         "--format long", fix="drop --role / --format long, or run without --vacancy")
    if args.chunk_rows < 1:
        raise UsageError("--chunk-rows must be 1 or more", fix="e.g. --chunk-rows 5000")
    if args.sheet != 0 and not str(args.input).lower().endswith((".xlsx", ".xlsm")):
        raise UsageError("--sheet names a sheet of an Excel workbook; the input is not one",
                         fix="leave out --sheet, or pass the .xlsx file")
    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers must be 1 or more", fix="e.g. --workers 2")
    if args.scheduler and args.engine != "dask":
        raise UsageError("--scheduler needs --engine dask", fix="add --engine dask")
    vacancy = None
    if args.vacancy:
        from .vacancy import read_vacancy

        vacancy = read_vacancy(matcher, args.vacancy, usable=True)
    if args.keep_cols is not None and args.drop_input_cols:
        raise UsageError("--keep-cols and --drop-input-cols contradict each other", fix="use one of them")
    keep = [] if args.drop_input_cols else (
        [c.strip() for c in args.keep_cols.split(",") if c.strip()] if args.keep_cols is not None else None)
    report = matcher.score_file(args.input, args.output, summary=args.summary, roles=args.role, vacancy=vacancy,
                                keep_cols=keep, group_by=args.group_by, report=args.report,
                                unrecognised=args.unrecognised,
                                id_col=args.id_col, skills_col=args.skills_col, years_col=args.years_col,
                                fmt=args.format, long_input=args.long_input, engine=args.engine,
                                scheduler=args.scheduler, chunk_rows=args.chunk_rows, lang=args.lang,
                                show_progress=sys.stderr.isatty(), sheet=args.sheet, workers=args.workers)
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
