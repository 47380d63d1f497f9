"""What the terminal shows: the fit table, the learning plan, the explanation of one role.

Rich on a terminal (colour, the terminal's width), plain text when piped; user text is shown
without control or bidi characters so a CV cannot inject escape sequences.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Mapping

from ..normalise import clean
from ..results import round1
from ..score import CLOSE, COURSE_CREDIT, FURTHER_SHARE, READY

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from ..model import Competency, Requirement
    from ..results import MatchReport, RoleMatch, Shown


def terminal() -> "Console":
    from rich.console import Console

    if sys.stdout.isatty():
        return Console(highlight=False)
    width = int(os.environ.get("COLUMNS", "0") or 0) or 110
    return Console(highlight=False, no_color=True, force_terminal=False, width=width, soft_wrap=False)


def _bar(fit: float, width: int = 10) -> str:
    full = int(round(fit / 100 * width))
    return "█" * full + "░" * (width - full)


def _gate_text(match: "RoleMatch") -> str:
    marks = {"met": "✓", "unmet": "✗", "unknown": "?"}
    parts = []
    for g in match.gates:
        label = {"years": "years", "education": "edu"}.get(g.name, g.subject or g.name)
        if g.name == "language" and g.subject:
            label = g.subject[:2].upper() if g.subject != "deutsch" else "DE"
        parts.append(f"{marks[g.status]}{label}{'' if g.mandatory else '*'} {g.required}")
    return ", ".join(parts) or "-"


def print_report(report: "MatchReport", lang: str, console: "Console") -> None:
    from rich.table import Table

    skills = [i for i in report.items if i.method not in ("education", "experience", "goal", "empty")]
    recognised = sum(1 for i in skills if i.competency is not None)
    table = Table(title=f"Fit per role ({recognised} of {len(skills)} skills recognised"
                  f"{'' if report.years is None else f', {report.years:g} years'})", title_justify="left",
                  show_lines=False, expand=False)
    table.add_column("Role", no_wrap=True)
    table.add_column("Fit", no_wrap=True)
    table.add_column("Band", no_wrap=True)
    table.add_column("Core", justify="right", no_wrap=True)
    table.add_column("Gates")
    table.add_column("Top missing")
    table.add_column("Courses")
    for m in report.results:
        missing = ", ".join(x.competency.label(lang) for x in m.missing[:3]) or "-"
        courses: list[str] = []
        for x in m.missing[:2]:
            for c in x.courses[:1]:
                if c.title(lang) not in courses:
                    courses.append(c.title(lang))
        table.add_row(cell(m.role.title(lang)), f"{_bar(m.fit)} {round1(m.fit):5.1f}%", m.band,
                      f"{m.core_matched}/{m.core_count}", cell(_gate_text(m)), cell(missing),
                      cell(", ".join(courses) or "-"))
    console.print(table)
    console.print(f"Band: ready from {READY:g}% with no required gate unmet, close from {CLOSE:g}%, far below. "
                  "Core: core requirements shown. Gates: ✓ met, ✗ unmet, ? unknown; * preferred, not required.")
    if report.results:
        best = report.results[0]
        if best.plan:
            console.print(f"\nLearning plan for {best.role.title(lang)} ({round1(best.fit):.1f}% now; a course counts "
                          f"{COURSE_CREDIT:g} of practice in what it teaches):", markup=False)
            for i, step in enumerate(best.plan, 1):
                console.print(f"  {i}. {step.course.title(lang)} ({step.course.kind}): +{round1(step.gain):.1f} -> "
                              f"{round1(step.fit_after):.1f}%", markup=False)
        for s in report.next_steps:
            top = ", ".join(x.competency.label(lang) for x in s.match.missing[:3]) or "-"
            console.print(f"\nNext career step from {s.from_role.title(lang)}: {s.match.role.title(lang)} "
                          f"({round1(s.match.fit):.1f}%); top gaps: {top}", markup=False)
    if report.unrecognised:
        console.print("\nNot recognised (not counted):")
        for item in report.unrecognised:
            hint = f" (closest: {item.hint.label(lang)})" if item.hint is not None else ""
            console.print(f"  - {shown(item.raw)}{hint}", markup=False)


_RELATION = {"narrower": "via", "broader": "via", "example": "z. B.", "related": "≈ via", "equivalent": "= via"}


def print_explain(m: "RoleMatch", comps: "Mapping[str, Competency]", lang: str, console: "Console") -> None:
    """Every requirement by tier (core gaps first), its examples below it, and how it was credited."""
    from rich.markup import escape
    from rich.table import Table

    further = "-" if m.further is None else f"{round1(m.further):.1f}%"
    console.print(f"{m.role.title(lang)}: fit {round1(m.fit):.1f}% ({m.band}); core {round1(m.core):.1f}%, "
                  f"further {further}", markup=False)
    console.print(f"fit = readiness(core) x ({1 - FURTHER_SHARE:g} + {FURTHER_SHARE:g} x further bonus); "
                  "see 'How the fit is computed' in the README.", markup=False)
    by_id = {e.competency.id: e for e in m.matched}
    for tier in ("core", "further"):
        reqs = [r for r in m.role.requirements if r.tier == tier]
        if not reqs:
            continue
        shown_n = sum(1 for r in reqs if r.competency_id in by_id)
        table = Table(title=f"{tier.capitalize()} ({shown_n} of {len(reqs)} shown)", title_justify="left")
        for col, kw in (("Requirement", {}), ("Weight", {"justify": "right"}), ("Credit", {"justify": "right"}),
                        ("Evidence", {})):
            table.add_column(col, **kw)
        credit = {r.competency_id: by_id[r.competency_id].credit if r.competency_id in by_id else 0.0 for r in reqs}
        for req in sorted(reqs, key=lambda r: (credit[r.competency_id] >= 1, -r.weight * (1 - credit[r.competency_id]),
                                               r.competency_id)):
            e = by_id.get(req.competency_id)
            label = cell(comps[req.competency_id].label(lang))
            if e is None:
                table.add_row(label, f"{req.weight:.2f}", "0.00", "-")
            else:
                how = _RELATION.get(e.relation)
                via = f" ({how} {e.via.label(lang)})" if how else ""
                table.add_row(label, f"{req.weight:.2f}", f"{e.credit:.2f}", escape(shown(e.item) + via))
            examples = by_id[req.competency_id].examples if e is not None else ()
            for x in examples or tuple(_unshown(req, comps)):
                table.add_row(f"  z. B. {cell(x.competency.label(lang))} {'✓' if x.shown else '·'}", "", "", "")
        console.print(table)
    for g in m.gates:
        console.print(f"gate {g.name}{' ' + g.subject if g.subject else ''}: {g.status} (required {g.required}, "
                      f"found {g.found or 'nothing'}{'' if g.mandatory else ', preferred'})")


def _unshown(req: "Requirement", comps: "Mapping[str, Competency]") -> "list[Shown]":
    from ..results import Shown

    return [Shown(comps[x.competency_id], False) for x in req.examples]


def cell(text: str) -> str:
    """Data text (a label, a title: user-editable in the overlay) for a rich table cell: shown as
    written, never read as markup (`[/]` would otherwise end a style or raise)."""
    from rich.markup import escape

    return escape(shown(text))


def shown(text: str) -> str:
    """User text for the terminal: no control or bidi-override characters (no escape-sequence injection)."""
    return clean(text).strip()
