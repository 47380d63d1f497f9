"""Periods of work: which dated lines of a CV are work, and which job title a period dates.

A CV's experience section lays a job out over several lines (title, employer, place, period,
its length); the reader gets them as separate items. Here the items of one CV are read
together: a period dates the title beside it (its years become that title's practice), a
period beside a degree or a student's job is no work, and the length an export writes beside an
open period ("Oct 2023 – Present · 8 mos") ends it where the CV was written.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from .normalise import key
from .parse import stated_months

if TYPE_CHECKING:  # pragma: no cover
    from .pipeline import Reading

# A student's or an intern's job: its period is no professional experience (a working student's
# hours are part-time, an internship is training), so it adds no years ("Werkstudentin Vertrieb
# 10/2023 – heute", "Praktikum Vertriebsinnendienst 04/2023 – 09/2023") (curated)
STUDENT_JOBS = frozenset("""praktikum praktika praktikant praktikantin werkstudent werkstudentin hilfskraft
ferienjob ferialpraktikum internship intern studentische studentischer studienbegleitend""".split())
STUDENT_PHRASES = ("working student", "while studying", "waehrend des studiums", "neben dem studium")


def student_job(k: str) -> bool:
    """Whether a line (its key) names a student's or an intern's job; not a job for students
    ("Account Manager Student Travel") nor one after the studies ("nach Abschluss des Studiums")."""
    return not STUDENT_JOBS.isdisjoint(k.split()) or any(p in k for p in STUDENT_PHRASES)


# A line between a period and its title may name the employer or the place ("ACME GmbH",
# "Vollzeit"), not time away from work
BREAKS = frozenset("""elternzeit karenz mutterschutz sabbatical auszeit arbeitslos arbeitssuchend arbeitsuchend
weltreise reise zivildienst wehrdienst pflegezeit leave break unemployed travel travelling""".split())
PERIOD_REACH = 3  # a period dates a title at most this many items away, over employer and place


def dated_titles(reading: "Reading") -> "Reading":
    """A period on a line of its own dates the job title beside it, as a tabular CV has them
    ("03/2019 – heute" above or under "Key Account Manager", with the employer or the place
    between or beside the period), so the title's years are practice (`Pipeline.evidence_of`).

    A CV keeps one layout: when its first title comes before its first period, every period
    belongs to the title above it, else to the title below it. A period next to a degree or an
    apprenticeship is that education's, and one beside a student's or an intern's job is that
    job's: neither is work, so neither adds years; time away from work ("Elternzeit") between a
    period and a title parts them; a title with a period or years of its own keeps them."""
    d = reading.distinct
    # a period alone, or beside the place or the employer ("Hamburg (since September 2023)"): the
    # latter is work only when it dates a title
    dates = np.fromiter((r.span is not None and not r.mentions and (r.method == "experience" or (
        r.method == "none" and BREAKS.isdisjoint(key(r.raw).split()))) for r in d), dtype=bool, count=len(d))
    if not dates.any():
        return reading
    titles = np.fromiter((r.method == "title" and r.span is None and r.years is None for r in d), dtype=bool,
                         count=len(d))
    student = np.fromiter((r.method not in ("experience", "education") and student_job(key(r.raw)) for r in d),
                          dtype=bool, count=len(d))
    between = np.fromiter((r.method in ("none", "empty") and BREAKS.isdisjoint(key(r.raw).split()) for r in d),
                          dtype=bool, count=len(d)) & ~student
    education = np.fromiter((r.method == "education" for r in d), dtype=bool, count=len(d))
    # "Oct 2023 – Present · 8 mos": the length the CV states ends an open period where it was written
    length = np.fromiter((stated_months(r.raw) if r.method in ("none", "empty") else 0 for r in d), dtype=np.int64,
                         count=len(d))
    rows, codes = reading.rows, reading.codes
    spans: dict[int, tuple[int, int] | None] = {}  # item -> the period it takes (None: the period is no work)
    for row in np.unique(rows[dates[codes]]).tolist():
        lo, hi = np.searchsorted(rows, row), np.searchsorted(rows, row, side="right")
        at = codes[lo:hi]
        jobs = titles[at] if titles[at].any() else student[at]  # the layout, read from the titles
        step = (-1 if np.argmax(jobs) < np.argmax(dates[at]) else 1) if jobs.any() else 0  # titles first: under them

        def beside(i: int, kind: np.ndarray) -> bool:  # the nearest item that is no employer or place, either side
            for s in (-1, 1):
                j = i + s
                while 0 <= j < len(at) and abs(j - i) < PERIOD_REACH and between[at[j]] and not length[at[j]]:
                    j += s
                if 0 <= j < len(at) and kind[at[j]]:
                    return True
            return False

        for i in np.nonzero(dates[at])[0].tolist():
            if beside(i, education):
                spans[lo + i] = None
                continue
            span = d[at[i]].span
            if i + 1 < len(at) and length[at[i + 1]] and span is not None:
                span = spans[lo + i] = (span[0], min(span[1], span[0] + int(length[at[i + 1]])))
            j = i + step
            while step and 0 <= j < len(at) and abs(j - i) < PERIOD_REACH and between[at[j]]:
                j += step
            if step and 0 <= j < len(at) and titles[at[j]] and lo + j not in spans:
                spans[lo + j] = span
            elif step and 0 <= j < len(at) and student[at[j]]:
                spans[lo + i] = None
    if not spans:
        return reading
    extra, new_codes = list(d), codes.copy()
    for j, span in spans.items():
        extra.append(replace(d[codes[j]], span=span))
        new_codes[j] = len(extra) - 1
    return replace(reading, codes=new_codes, distinct=tuple(extra))
