"""Periods of work: which dated lines of a CV are work, and which job title a period dates.

A CV's experience section lays a job out over several lines (title, employer, place, period,
its length); the reader gets them as separate items. Here the items of one CV are read
together: a period dates the title beside it (its years become that title's practice), a
period beside a degree or a student's job is no work, and the length an export writes beside an
open period ("Oct 2023 – Present · 8 mos") ends it where the CV was written.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from .normalise import key
from .years import only_a_length

if TYPE_CHECKING:  # pragma: no cover
    from .pipeline import Reading

# A student's or an intern's job, or a side job: its period is no professional experience (a
# working student's hours are part-time, an internship is training, "geringfügig" is a few hours
# a week), so it adds no years ("Werkstudentin Vertrieb 10/2023 – heute", "Praktikum
# Vertriebsinnendienst 04/2023 – 09/2023") (curated)
STUDENT_JOBS = frozenset("""praktikum praktika praktikant praktikantin werkstudent werkstudentin hilfskraft
ferienjob ferialpraktikum internship intern studentische studentischer studienbegleitend geringfuegig
nebenjob minijob aushilfe aushilfskraft""".split())
STUDENT_PHRASES = ("working student", "while studying", "waehrend des studiums", "neben dem studium")


def student_job(raw: str) -> bool:
    """Whether a line names a student's or an intern's job; not a job for students ("Account
    Manager Student Travel"), one after the studies ("nach Abschluss des Studiums") nor an
    international one ("Intern. Vertrieb")."""
    k = key(raw)
    words = set(k.split()) - ({"intern"} if _INTERNATIONAL.search(raw) else set())
    return not STUDENT_JOBS.isdisjoint(words) or any(p in k for p in STUDENT_PHRASES)


_INTERNATIONAL = re.compile(r"\bintern\.", re.I)


# A line between a period and its title may name the employer or the place ("ACME GmbH",
# "Vollzeit"), not time away from work
BREAKS = frozenset("""elternzeit karenz mutterschutz sabbatical auszeit arbeitslos arbeitssuchend arbeitsuchend
weltreise reise zivildienst wehrdienst pflegezeit leave break unemployed travel travelling""".split())
PERIOD_REACH = 3  # a period dates a title at most this many items away, over employer and place


def dated_titles(reading: "Reading") -> "Reading":
    """A period on a line of its own dates the job title beside it, as a tabular CV has them
    ("03/2019 – heute" above or under "Key Account Manager", with the employer or the place
    between or beside the period), so the title's years are practice (`Pipeline.evidence_of`).

    A CV keeps one layout: when its first job (a title, or a student's job) comes before its
    first period, every period belongs to the line above it, else to the line below it. A period
    next to a degree or an apprenticeship is that education's, one beside a student's or an
    intern's job is that job's, one beside time away ("Elternzeit", "Sabbatical") is that time's:
    none is work, so none adds years. A title with a period or years of its own keeps them."""
    d = reading.distinct
    # a period alone, or beside the place or the employer ("Hamburg (since September 2023)"): the
    # latter is work only when it dates a title
    dates = np.fromiter((r.span is not None and not r.mentions and (r.method == "experience" or (
        r.method == "none" and BREAKS.isdisjoint(key(r.raw).split()))) for r in d), dtype=bool, count=len(d))
    if not dates.any():
        return reading
    titles = np.fromiter((r.method == "title" and r.span is None and r.years is None for r in d), dtype=bool,
                         count=len(d))
    student = np.fromiter((r.method not in ("experience", "education") and student_job(r.raw) for r in d),
                          dtype=bool, count=len(d))
    between = np.fromiter((r.method in ("none", "empty") and BREAKS.isdisjoint(key(r.raw).split()) for r in d),
                          dtype=bool, count=len(d)) & ~student
    education = np.fromiter((r.method == "education" for r in d), dtype=bool, count=len(d))
    # "Oct 2023 – Present · 8 mos": the length the CV states ends an open period where it was written
    length = np.fromiter(((only_a_length(r.raw) or 0) if r.method in ("none", "empty") else 0 for r in d),
                         dtype=np.int64, count=len(d))
    away = np.fromiter((r.method in ("none", "empty") and not BREAKS.isdisjoint(key(r.raw).split()) for r in d),
                       dtype=bool, count=len(d))
    rows, codes = reading.rows, reading.codes
    spans: dict[int, tuple[int, int] | None] = {}  # item -> the period it takes (None: the period is no work)
    for row in np.unique(rows[dates[codes]]).tolist():
        lo, hi = np.searchsorted(rows, row), np.searchsorted(rows, row, side="right")
        at = codes[lo:hi]
        # the layout, read from the jobs (the degrees when there are none): periods under them or above
        jobs = titles[at] | student[at] if (titles[at] | student[at]).any() else education[at]
        step = (-1 if np.argmax(jobs) < np.argmax(dates[at]) else 1) if jobs.any() else 0
        for i in np.nonzero(dates[at])[0].tolist():
            span = d[at[i]].span
            if i + 1 < len(at) and length[at[i + 1]] and span is not None:
                span = spans[lo + i] = (span[0], min(span[1], span[0] + int(length[at[i + 1]])))
            j = i + step  # the line the period belongs to, over the employer and the place
            while step and 0 <= j < len(at) and abs(j - i) < PERIOD_REACH and between[at[j]]:
                j += step
            # a degree right beside it: a CV may lay out its education unlike its jobs, so the
            # period dates no title, and is no work unless a job owns it in the layout's direction
            degree = (i > 0 and education[at[i - 1]]) or (i + 1 < len(at) and education[at[i + 1]])
            if not (step and 0 <= j < len(at)) or not (titles | student | education | away)[at[j]]:
                if degree:
                    spans[lo + i] = None
            elif titles[at[j]]:
                if not degree and lo + j not in spans:
                    spans[lo + j] = span
            else:
                spans[lo + i] = None  # a student's job, a degree or time away: no work
    if not spans:
        return reading
    extra, new_codes = list(d), codes.copy()
    for j, span in spans.items():
        extra.append(replace(d[codes[j]], span=span))
        new_codes[j] = len(extra) - 1
    return replace(reading, codes=new_codes, distinct=tuple(extra))
