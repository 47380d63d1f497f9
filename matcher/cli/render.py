"""What the terminal shows: the fit per role, the learning plan, the explanation of one role.

Rich on a terminal (colour, the terminal's width), plain text when piped, without trailing
padding. From 140 columns a table; below, one block per role, so that at 80 columns nothing that
matters is cut (full role titles and competency labels, wrapped). Every label follows `--lang`.
User and data text is shown without control or bidi characters, and never read as markup, so a
CV or an overlay label cannot inject escape sequences or styles.
"""

from __future__ import annotations

import io
import os
import sys
import textwrap
from typing import TYPE_CHECKING, Any, Mapping

from ..normalise import clean
from ..results import round1
from ..score import CLOSE, COURSE_CREDIT, FURTHER_SHARE, READY

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

    from ..model import Competency, Requirement
    from ..results import MatchReport, RoleMatch, Shown

TABLE_FROM = 140  # columns: narrower terminals get one block per role (a table there cuts labels)

LABELS: dict[str, dict[str, Any]] = {
    "de": {
        "title": "Passung je Beruf ({k} von {n} Angaben erkannt{y})", "years": ", {y} Jahre Berufserfahrung",
        "role": "Beruf", "fit": "Passung", "band": "Stufe", "core": "Kern", "gates": "Voraussetzungen",
        "missing": "Es fehlt", "courses": "Kurse", "further": "weitere",
        "bands": {"ready": "bereit", "close": "nahe dran", "far": "noch weit"},
        "legend": "Stufe: bereit ab {r} % ohne offene Pflicht-Voraussetzung, nahe dran ab {c} %, sonst noch weit. "
                  "Kern: gezeigte Kernanforderungen. Voraussetzungen: ✓ erfüllt, ✗ nicht erfüllt, ? nicht angegeben; "
                  "* erwünscht, nicht verlangt.",
        "plan": "Lernplan für {role} ({fit} % jetzt; ein Kurs zählt {c} der Praxis in dem, was er lehrt):",
        "next": "Nächster Karriereschritt von {a}: {b} ({fit} %); größte Lücken: {gaps}",
        "unread": "Nicht erkannt (nicht gezählt):", "closest": "am ähnlichsten",
        "gate": {"shows": "zeigt", "years": "Jahre", "education": "Ausbildung"}, "none": "-",
        "explain": "{role}: Passung {fit} % ({band}); Kern {core} %, weitere {further}",
        "formula": "Passung = Bereitschaft(Kern) x ({a} + {b} x Bonus der weiteren); siehe 'How the fit is computed' "
                   "im README.",
        "anchor": "Branchenübergreifendes im Kern (‡) zählt zu {p} %: voll, sobald die Hälfte des berufseigenen Kerns gezeigt ist.",
        "tier": {"core": "Kern", "further": "Weitere"}, "shown_of": "{k} von {n} gezeigt",
        "cols": ("Anforderung", "Gewicht", "Anrechnung", "Nachweis"),
        "how": {"narrower": "über", "broader": "über", "example": "z. B.", "related": "≈ über", "equivalent": "= über",
                "practice": "aus Praxis in"},
        "gate_line": "Voraussetzung {name}: {status} (verlangt {req}, angegeben {found}{pref})",
        "status": {"met": "erfüllt", "unmet": "nicht erfüllt", "unknown": "unbekannt"}, "nothing": "nichts",
        "pref": ", erwünscht",
        "kinds": {"deepening": "Vertiefung", "advancement": "Aufstieg", "cross-cutting": "übergreifend",
                  "certificate": "Zertifikat", "training": "Schulung"},
        "edu": {"vocational": "Lehrabschluss", "matura": "Matura", "bachelor": "Bachelor", "master": "Master",
                "doctorate": "Doktorat"},
    },
    "en": {
        "title": "Fit per role ({k} of {n} skills recognised{y})", "years": ", {y} years",
        "role": "Role", "fit": "Fit", "band": "Band", "core": "Core", "gates": "Gates",
        "missing": "Top missing", "courses": "Courses", "further": "further",
        "bands": {"ready": "ready", "close": "close", "far": "far"},
        "legend": "Band: ready from {r}% with no required gate unmet, close from {c}%, far below. "
                  "Core: core requirements shown. Gates: ✓ met, ✗ unmet, ? unknown; * preferred, not required.",
        "plan": "Learning plan for {role} ({fit}% now; a course counts {c} of practice in what it teaches):",
        "next": "Next career step from {a}: {b} ({fit}%); top gaps: {gaps}",
        "unread": "Not recognised (not counted):", "closest": "closest",
        "gate": {"shows": "shows", "years": "years", "education": "edu"}, "none": "-",
        "explain": "{role}: fit {fit}% ({band}); core {core}%, further {further}",
        "formula": "fit = readiness(core) x ({a} + {b} x further bonus); see 'How the fit is computed' in the README.",
        "anchor": "Cross-sector core skills (‡) count {p}%: in full once half of the role's own core is shown.",
        "tier": {"core": "Core", "further": "Further"}, "shown_of": "{k} of {n} shown",
        "cols": ("Requirement", "Weight", "Credit", "Evidence"),
        "how": {"narrower": "via", "broader": "via", "example": "z. B.", "related": "≈ via", "equivalent": "= via",
                "practice": "practised as"},
        "gate_line": "gate {name}: {status} (required {req}, found {found}{pref})",
        "status": {"met": "met", "unmet": "unmet", "unknown": "unknown"}, "nothing": "nothing", "pref": ", preferred",
        "edu": {},
        "kinds": {},
    },
}


class _Unpadded(io.TextIOBase):
    """A stdout for piped output: every line without trailing spaces (rich pads to the width)."""

    def __init__(self, out: Any) -> None:
        self.out = out
        self.pending = ""

    def write(self, text: str) -> int:
        lines = (self.pending + text).split("\n")
        self.pending = lines.pop()
        for line in lines:
            self.out.write(line.rstrip() + "\n")
        return len(text)

    def flush(self) -> None:
        if self.pending:
            self.out.write(self.pending.rstrip())
            self.pending = ""
        self.out.flush()


def terminal() -> "Console":
    from rich.console import Console

    if sys.stdout.isatty():
        return Console(highlight=False)
    width = int(os.environ.get("COLUMNS", "0") or 0) or 110
    return Console(highlight=False, no_color=True, force_terminal=False, width=width, soft_wrap=False,
                   file=_Unpadded(sys.stdout))


def _pct(value: float, lang: str) -> str:
    text = f"{round1(value):.1f}"
    return text.replace(".", ",") if lang == "de" else text


def _num(value: float, lang: str) -> str:
    return f"{value:g}".replace(".", ",") if lang == "de" else f"{value:g}"


def _bar(fit: float, width: int = 10) -> str:
    full = int(round(fit / 100 * width))
    return "█" * full + "░" * (width - full)


def _gate_text(match: "RoleMatch", lang: str, short: bool = True) -> str:
    marks = {"met": "✓", "unmet": "✗", "unknown": "?"}
    parts = []
    for g in match.gates:
        name = LABELS[lang]["gate"].get(g.name, g.subject or g.name)
        if g.name == "language" and g.subject:
            name = (g.subject[:2].upper() if g.subject != "deutsch" else "DE") if short else g.subject.capitalize()
        need = LABELS[lang]["edu"].get(g.required, g.required) if g.name == "education" else g.required
        if g.name == "shows":  # the competency in the reader's language, as the gaps name it
            need = next((x.competency.label(lang) for x in (*match.matched, *match.missing)
                         if x.competency.id == g.subject), need)
        parts.append(f"{marks[g.status]}{name}{'' if g.mandatory else '*'} {need.replace('>=', '≥')}")
    return (", " if short else " · ").join(parts) or "-"


def print_report(report: "MatchReport", lang: str, console: "Console") -> None:
    L = LABELS[lang]
    # a degree or a total of years counts as a skill item only when it names a subject ("im Vertrieb")
    skills = [i for i in report.items if i.method not in ("goal", "empty")
              and (i.method not in ("education", "experience") or i.mentions)]
    recognised = sum(1 for i in skills if i.competency is not None or i.mentions)
    title = L["title"].format(k=recognised, n=len(skills),
                              y="" if report.years is None else L["years"].format(y=f"{report.years:g}"))
    if console.width >= TABLE_FROM:
        _table(report, lang, console, title)
    else:
        _blocks(report, lang, console, title)
    console.print(L["legend"].format(r=f"{READY:g}", c=f"{CLOSE:g}"), markup=False)
    if report.results:
        best = report.results[0]
        if best.plan:
            console.print("\n" + L["plan"].format(role=best.role.title(lang), fit=_pct(best.fit, lang),
                                                  c=_num(COURSE_CREDIT, lang)), markup=False)
            for i, step in enumerate(best.plan, 1):
                kind = L["kinds"].get(step.course.kind, step.course.kind)
                console.print(f"  {i}. {step.course.title(lang)} ({kind}): +{_pct(step.gain, lang)} -> "
                              f"{_pct(step.fit_after, lang)} %", markup=False)
        for s in report.next_steps:
            gaps = ", ".join(x.competency.label(lang) for x in s.match.missing[:3]) or "-"
            console.print("\n" + L["next"].format(a=s.from_role.title(lang), b=s.match.role.title(lang),
                                                  fit=_pct(s.match.fit, lang), gaps=gaps), markup=False)
    if report.unrecognised:
        console.print("\n" + L["unread"], markup=False)
        for item in report.unrecognised:
            hint = f" ({L['closest']}: {item.hint.label(lang)})" if item.hint is not None else ""
            console.print(f"  - {shown(item.raw)}{hint}", markup=False)


def _missing_and_courses(m: "RoleMatch", lang: str) -> tuple[str, str]:
    courses: list[str] = []
    for x in m.missing[:2]:
        for c in x.courses[:1]:
            if c.title(lang) not in courses:
                courses.append(c.title(lang))
    return ", ".join(x.competency.label(lang) for x in m.missing[:3]) or "-", ", ".join(courses) or "-"


def _table(report: "MatchReport", lang: str, console: "Console", title: str) -> None:
    from rich.table import Table

    L = LABELS[lang]
    table = Table(title=cell(title), title_justify="left", show_lines=False, expand=False)
    table.add_column(L["role"], no_wrap=True)
    table.add_column(L["fit"], no_wrap=True)
    table.add_column(L["band"], no_wrap=True)
    table.add_column(L["core"], justify="right", no_wrap=True)
    table.add_column(L["gates"])
    table.add_column(L["missing"])
    table.add_column(L["courses"])
    for m in report.results:
        missing, courses = _missing_and_courses(m, lang)
        table.add_row(cell(m.role.title(lang)), f"{_bar(m.fit)} {_pct(m.fit, lang):>5} %", L["bands"][m.band],
                      f"{m.core_matched}/{m.core_count}", cell(_gate_text(m, lang)), cell(missing), cell(courses))
    console.print(table)


def _blocks(report: "MatchReport", lang: str, console: "Console", title: str) -> None:
    """One block per role, wrapped to the width: nothing cut (titles, labels, course names)."""
    L = LABELS[lang]
    width = max(40, console.width)
    console.print(title, markup=False)

    def line(label: str, text: str) -> None:
        console.print(textwrap.fill(f"{label}: {text}", width=width, initial_indent="   ", subsequent_indent="     ",
                                    break_on_hyphens=False), markup=False)

    for rank, m in enumerate(report.results, 1):
        missing, courses = _missing_and_courses(m, lang)
        further = "" if m.further is None else f" · {L['further']} {_pct(m.further, lang)} %"
        console.print(f"\n{rank}. {m.role.title(lang)}", markup=False)
        console.print(f"   {_bar(m.fit)} {_pct(m.fit, lang)} % {L['bands'][m.band]} · {L['core']} "
                      f"{m.core_matched}/{m.core_count}{further}", markup=False)
        line(L["gates"], _gate_text(m, lang, short=False))
        line(L["missing"], missing)
        line(L["courses"], courses)
    console.print("")


def print_explain(m: "RoleMatch", comps: "Mapping[str, Competency]", lang: str, console: "Console") -> None:
    """Every requirement by tier (core gaps first), its examples below it, and how it was credited."""
    from rich.markup import escape
    from rich.table import Table

    L = LABELS[lang]
    further = "-" if m.further is None else f"{_pct(m.further, lang)} %"
    console.print(L["explain"].format(role=m.role.title(lang), fit=_pct(m.fit, lang), band=L["bands"][m.band],
                                      core=_pct(m.core, lang), further=further), markup=False)
    console.print(L["formula"].format(a=_num(1 - FURTHER_SHARE, lang), b=_num(FURTHER_SHARE, lang)), markup=False)
    if m.anchor is not None:
        console.print(L["anchor"].format(p=_pct(100 * m.anchor, lang)), markup=False)
    cross = {e.competency.id for e in m.matched if e.cross} | {x.competency.id for x in m.missing if x.cross}
    by_id = {e.competency.id: e for e in m.matched}
    for tier in ("core", "further"):
        reqs = [r for r in m.role.requirements if r.tier == tier]
        if not reqs:
            continue
        table = Table(title=f"{L['tier'][tier]} ({L['shown_of'].format(k=m.shown(tier), n=len(reqs))})",
                      title_justify="left")
        for col, kw in zip(L["cols"], ({}, {"justify": "right"}, {"justify": "right"}, {})):
            table.add_column(col, **kw)
        credit = {r.competency_id: by_id[r.competency_id].credit if r.competency_id in by_id else 0.0 for r in reqs}
        for req in sorted(reqs, key=lambda r: (credit[r.competency_id] >= 1, -r.weight * (1 - credit[r.competency_id]),
                                               r.competency_id)):
            e = by_id.get(req.competency_id)
            label = cell(comps[req.competency_id].label(lang)) + (" ‡" if req.competency_id in cross else "")
            if e is None:
                table.add_row(label, f"{req.weight:.2f}", "0.00", "-")
            else:
                how = L["how"].get(e.relation)
                via = f" ({how} {e.via.label(lang)})" if how else ""
                table.add_row(label, f"{req.weight:.2f}", f"{e.credit:.2f}", escape(shown(e.item) + via))
            examples = by_id[req.competency_id].examples if e is not None else ()
            for x in examples or tuple(_unshown(req, comps)):
                table.add_row(f"  z. B. {cell(x.competency.label(lang))} {'✓' if x.shown else '·'}", "", "", "")
        console.print(table)
    for g in m.gates:
        name, req = f"{g.name}{' ' + g.subject if g.subject else ''}", g.required
        if g.name == "shows":  # the competency in the reader's language; found is its credit
            req = comps[g.subject].label(lang) if g.subject in comps else req
            name = f"{L['gate']['shows']} {req}"
        console.print(L["gate_line"].format(name=name, status=L["status"][g.status], req=req,
                                            found=g.found or L["nothing"], pref="" if g.mandatory else L["pref"]),
                      markup=False)


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
