"""Read an Excel sheet as the text a person sees in it, streamed row by row.

openpyxl's read-only mode streams the rows (a large workbook is never held whole), and each
cell becomes the text Excel shows: an id stored as the number 123 with the format `00000`
reads `00123`, a whole number stored as 5.0 reads `5`, a date reads `2024-01-31`, and `NA`,
`NULL`, `None` or `N/A` stay the text they are (no missing-value guessing).
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any, Iterator

from ..errors import InputError


def _open(path: Path) -> Any:
    from openpyxl import load_workbook

    return load_workbook(path, read_only=True, data_only=True)  # data_only: formulas as their values


def _sheet(workbook: Any, path: Path, sheet: str | int) -> Any:
    names = workbook.sheetnames
    if isinstance(sheet, str) and not sheet.isdigit():
        if sheet not in names:
            raise InputError(f"{path}: no sheet {sheet!r} (the sheets are: {', '.join(map(repr, names))})",
                             fix="name one of them with --sheet")
        return workbook[sheet]
    position = int(sheet)
    if not 0 <= position < len(names):
        raise InputError(f"{path}: no sheet number {position} (it has {len(names)})", fix="name one with --sheet")
    return workbook[names[position]]


def cell_text(value: Any, number_format: str = "General") -> str:
    """A cell's value as Excel displays it, for the formats that matter in an HR export."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        digits = number_format.strip()
        if isinstance(value, int) and digits and set(digits) == {"0"} and value >= 0:
            return str(value).zfill(len(digits))  # a zero-padded id: "00000" shows 123 as 00123
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


def header(path: Path, sheet: str | int) -> list[str]:
    workbook = _open(path)
    try:
        first = next(_sheet(workbook, path, sheet).iter_rows(max_row=1), ())
        return [cell_text(c.value).strip() for c in first]
    finally:
        workbook.close()


def rows(path: Path, sheet: str | int, width: int) -> Iterator[list[str]]:
    """Data rows (after the header) as texts, padded to the header's width; empty rows skipped."""
    workbook = _open(path)
    try:
        it = _sheet(workbook, path, sheet).iter_rows()
        next(it, None)
        for row in it:
            texts = [cell_text(c.value, getattr(c, "number_format", "General") or "General") for c in row]
            if any(t.strip() for t in texts):
                yield (texts + [""] * width)[:max(width, len(texts))]
    finally:
        workbook.close()
