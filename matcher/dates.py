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
# a month as a number (after a day: "01.03.2016", "01/09/2016") or a name, then the year
_MONTH = (r"(?:(?:(?:0?[1-9]|[12]\d|3[01])\s*[./]\s*(?=(?:0?[1-9]|1[0-2])\s*[./]\s*(?:19|20)\d\d))?"
          r"(?P<{p}m>0?[1-9]|1[0-2])\s*[./]\s*|(?P<{p}n>[a-zäöü]{{3,9}})\.?\s+)?(?P<{p}y>(?:19|20)\d\d)\b")
_RANGE = re.compile(r"\b" + _MONTH.format(p="a") + r"\s*(?:(?:[-–—]\s*)?(?:bis|to|until|till)|[-–—])\s*(?:"
                    + _MONTH.format(p="b") + r"|(?P<now>" + _NOW + r")\b)", re.IGNORECASE)
_ANY_YEAR = re.compile(r"(?:19|20)\d\d")
# a range cut by a line break, as text copied from a PDF CV often is: "Consultant 01/2015 to" + "Current"
_OPEN_END = re.compile(r"\b(?:19|20)\d\d\s*(?:[-–—]|to|bis|until|till)$", re.IGNORECASE)
_CLOSING = re.compile(r"\(?(?:" + _MONTH.format(p="b") + r"|(?:" + _NOW + r")\b)[\s.,;:)]*$", re.IGNORECASE)
_SINCE = re.compile(r"\b(?:seit|since|ab)\s+" + _MONTH.format(p="a"), re.IGNORECASE)


def join_cut_ranges(lines: list[str]) -> list[str]:
    """Lines with a period of work cut after its "to" put back together (`01/2014 to` and
    `01/2015` on the next line are one span), so the span counts as experience. The second line
    must hold only the end date: one that goes on ("03/2019 Account Manager 04/2019 - heute")
    starts a line of its own."""
    out: list[str] = []
    last = -1  # the last line that holds text: a blank line may stand between the two halves
    for line in lines:
        if last >= 0 and _CLOSING.match(line) and _OPEN_END.search(out[last]):
            out[last] = f"{out[last]} {line}"
            continue
        out.append(line)
        if line.strip():
            last = len(out) - 1
    return out


def today() -> datetime.date:
    return datetime.date.today()


def _named(m: re.Match[str], p: str) -> str | None:
    """The month name of one end, None when there is none: a word before a bare year that is no
    month ("Vertrieb 2017 - heute") is the item's text, not part of the date."""
    name = m.group(f"{p}n")
    return name.lower() if name is not None and name.lower() in _MONTHS else None


def _month(m: re.Match[str], p: str) -> int:
    """Months since year 0 of one end of a span."""
    year = int(m.group(f"{p}y"))
    number, name = m.group(f"{p}m"), _named(m, p)
    month = int(number) if number else _MONTHS[name] if name else 1
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
    # a word before the year that is no month ("Vertrieb 2017 - heute") stays the item's text
    a = m.start("ay") if m.group("an") is not None and not _named(m, "a") else m.start()
    start = _month(m, "a")
    groups = m.groupdict()
    if groups.get("by"):
        end = _month(m, "b")
        if not groups.get("bm") and not _named(m, "b"):
            end += 11  # "2015 - 2018": to the end of 2018
    else:
        end = current
    end = min(end, current)
    if not 0 <= end - start <= 600:
        return None
    return (start, end + 1), (a, m.end())


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
