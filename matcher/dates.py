"""Periods of work as CVs write them: `01/2015 – heute`, `2019 - Current`, `seit 2016`,
`Jan 2015 to Mar 2018`. Each becomes a span of months; the pipeline adds up a candidate's spans
(overlaps counted once) as years of experience when no years are given.
"""

from __future__ import annotations

import datetime
import re

_MONTHS = {
    "jan": 1, "januar": 1, "january": 1, "jänner": 1, "feb": 2, "februar": 2, "february": 2, "mar": 3, "mär": 3,
    "maerz": 3, "märz": 3, "march": 3, "apr": 4, "april": 4, "may": 5, "mai": 5, "jun": 6, "juni": 6, "june": 6,
    "jul": 7, "juli": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
    "okt": 10, "oktober": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "dez": 12, "dezember": 12,
    "december": 12,
}
_NOW = r"heute|today|present|current|currently|now|dato|aktuell|jetzt|laufend|ongoing"
_MONTH = r"(?:(?P<{p}m>0?[1-9]|1[0-2])\s*[./]\s*|(?P<{p}n>[a-zäöü]{{3,9}})\.?\s+)?(?P<{p}y>(?:19|20)\d\d)\b"
_RANGE = re.compile(r"\b" + _MONTH.format(p="a") + r"\s*(?:[-–—]|to|bis|until|till)\s*(?:"
                    + _MONTH.format(p="b") + r"|(?P<now>" + _NOW + r")\b)", re.IGNORECASE)
_ANY_YEAR = re.compile(r"(?:19|20)\d\d")
# a range cut by a line break, as text copied from a PDF CV often is: "Consultant 01/2015 to" + "Current"
_OPEN_END = re.compile(r"\b(?:19|20)\d\d\s*(?:[-–—]|to|bis|until|till)$", re.IGNORECASE)
_CLOSING = re.compile(r"(?:" + _MONTH.format(p="b") + r"|(?:" + _NOW + r")\b)", re.IGNORECASE)
_SINCE = re.compile(r"\b(?:seit|since)\s+" + _MONTH.format(p="a"), re.IGNORECASE)


def join_cut_ranges(lines: list[str]) -> list[str]:
    """Lines with a period of work cut after its "to" put back together (`01/2014 to` and
    `01/2015` on the next line are one span), so the span counts as experience."""
    out: list[str] = []
    for line in lines:
        if out and _CLOSING.match(line) and _OPEN_END.search(out[-1]):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def today() -> datetime.date:
    return datetime.date.today()


def _month(m: re.Match[str], p: str) -> int | None:
    """Months since year 0 of one end of a span; None for a name that is no month."""
    year = int(m.group(f"{p}y"))
    number, name = m.group(f"{p}m"), m.group(f"{p}n")
    if name is not None and name.lower() not in _MONTHS:
        return None
    month = int(number) if number else _MONTHS[name.lower()] if name else 1
    return year * 12 + month - 1


def find_span(text: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """((start month, end month), (where the dates stand in `text`)), or None.

    An end given as a year alone counts to its December; `heute`, `present` and `seit` to now.
    Spans in the future, reversed or longer than 50 years are not spans."""
    if not _ANY_YEAR.search(text):  # most items hold no year at all: one quick scan
        return None
    now = today()
    current = now.year * 12 + now.month - 1
    m = _RANGE.search(text) or _SINCE.search(text)
    if m is None:
        return None
    start = _month(m, "a")
    if start is None:
        return None
    groups = m.groupdict()
    if groups.get("by"):
        end = _month(m, "b")
        if end is None:
            return None
        if not groups.get("bm") and not groups.get("bn"):
            end += 11  # "2015 - 2018": to the end of 2018
    else:
        end = current
    end = min(end, current)
    if not 0 <= end - start <= 600:
        return None
    return (start, end + 1), m.span()


def total_years(spans: list[tuple[int, int]]) -> float:
    """Years covered by a set of month spans, overlaps counted once."""
    months = 0
    last = -1
    for start, end in sorted(spans):
        start = max(start, last)
        if end > start:
            months += end - start
            last = end
    return round(months / 12, 1)
