"""`matcher batch --report report.html`: one self-contained HTML file an HR analyst can open
offline, print, and act on.

Drawn from the summary's aggregates only (never one mark per employee), so the file stays small
for any workforce: the fit distribution and readiness bands per role, the top gaps (and, with
`--group-by`, a group-by-gap heatmap), the course demand, the skills nobody's tree recognised
(what to add to the overlay), and data quality. Charts are matplotlib's SVG, inline, with text
kept as text and every namespace and metadata link removed: the file refers to nothing outside it.
"""

from __future__ import annotations

import html
import io
import re
from datetime import date
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from .summary import HEATMAP_ROWS

if TYPE_CHECKING:  # pragma: no cover
    from .summary import Summary

BAND_COLOURS = {"ready": "#1f7a3f", "close": "#c98a00", "far": "#a3322b"}


class Renderer:
    """Renders the report in a forked process that imports the plotting library while the batch
    runs (the import takes most of a second of CPU; in a thread of this process it would contend
    with the scoring for the interpreter). Where fork is not available, it renders here."""

    def __init__(self, ix: Any) -> None:
        import multiprocessing

        self.ix = ix
        self.proc: Any = None
        if "fork" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("fork")
            self.conn, child = ctx.Pipe()
            self.proc = ctx.Process(target=_serve, args=(child, ix), daemon=True)
            self.proc.start()

    def render(self, acc: "Summary", source: str, lang: str) -> str:
        payload = (acc.to_dict(), list(acc.first), acc.scored, source, lang)
        if self.proc is None:
            return render(self.ix, *payload)
        try:
            self.conn.send(payload)
            ok, result = self.conn.recv()
        except (EOFError, OSError):  # the drawing process is gone: draw here
            return render(self.ix, *payload)
        finally:
            self.close()
        if not ok:
            raise InputError(f"the scores were written, but the report could not be drawn ({result})",
                             fix="run again without --report, and report this with the input file")
        return result

    def close(self) -> None:
        if self.proc is not None:
            if self.proc.is_alive():
                self.proc.terminate()
            self.proc.join(timeout=10)


def _serve(conn: Any, ix: Any) -> None:
    try:
        import matplotlib.figure  # noqa: F401 - loaded while the parent scores
        payload = conn.recv()
        conn.send((True, render(ix, *payload)))
    except EOFError:
        pass
    except Exception as exc:  # noqa: BLE001 - reported by the parent
        conn.send((False, f"{type(exc).__name__}: {exc}"))


T = {
    "de": {"title": "Auswertung der Belegschaft", "rows": "Zeilen gelesen", "scored": "bewertet", "file": "Datei",
           "dist": "Verteilung der Passung je Beruf", "bands": "Bereitschaft je Beruf", "gaps": "Häufigste Lücken",
           "groups": "Lücken je Gruppe", "courses": "Kursbedarf", "unread": "Nicht erkannte Kenntnisse",
           "quality": "Datenqualität", "employees": "Beschäftigte", "fit": "Passung (%)", "gap": "gewichtete Lücke",
           "added": "Passung gesamt hinzugefügt (Punkte)", "text": "Angabe", "count": "Anzahl", "closest": "am ähnlichsten",
           "reason": "Grund", "none": "Keine.", "mean": "Mittel", "ready": "bereit", "close": "nahe dran", "far": "noch weit",
           "role": "Beruf", "missing": "fehlt bei", "note": "Kursnutzen: jeder Kurs für sich, für den jeweils besten Beruf.",
           "group": "Gruppe", "dup": "doppelte IDs", "plan": "Weiterbildungsplan für die Belegschaft",
           "plan_line": "Diese {k} Kurse heben für {n} Beschäftigte die mittlere Passung für {role} von {a} % auf {b} % "
                        "(ein Kurs zählt halb so viel wie gezeigte Praxis).",
           "course": "Kurs", "helped": "Beschäftigte, denen er hilft", "after": "mittlere Passung danach (%)",
           "people": "Passung je Beschäftigte und Beruf"},
    "en": {"title": "Workforce report", "rows": "rows read", "scored": "scored", "file": "File",
           "dist": "Fit distribution per role", "bands": "Readiness per role", "gaps": "Top gaps",
           "groups": "Gaps per group", "courses": "Course demand", "unread": "Skills not recognised",
           "quality": "Data quality", "employees": "employees", "fit": "fit (%)", "gap": "weighted gap",
           "added": "total fit added (points)", "text": "text", "count": "count", "closest": "closest",
           "reason": "reason", "none": "None.", "mean": "mean", "ready": "ready", "close": "close", "far": "far",
           "role": "role", "missing": "missing for", "note": "Course value: each course on its own, for each employee's best role.",
           "group": "group", "dup": "duplicate ids", "plan": "Workforce training plan",
           "plan_line": "These {k} courses, for {n} employees, raise the mean fit for {role} from {a} % to {b} % "
                        "(a course counts as half of shown practice).",
           "course": "course", "helped": "employees it helps", "after": "mean fit after (%)",
           "people": "Fit per employee and role"},
}


def _svg(fig: Any) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Creator": None, "Date": None, "Format": None,
                                                                   "Type": None})
    text = buf.getvalue()
    text = text[text.index("<svg"):]  # no XML declaration or doctype inside HTML
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    text = re.sub(r'\s+xmlns(?::\w+)?="[^"]*"', "", text)  # namespace names look like links
    return text


def _figure(width: float, height: float, left: float = 0.08, bottom: float = 0.12) -> Any:
    """A figure with fixed margins (a layout engine would cost most of the report's time)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height))
    fig.subplots_adjust(left=left, right=0.97, bottom=bottom, top=0.92, hspace=0.7, wspace=0.3)
    return fig


def render(ix: Any, d: dict, first: list, scored: int, source: str, lang: str = "de") -> str:
    import matplotlib

    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: small, selectable, no embedded glyphs
    matplotlib.rcParams["font.family"] = "sans-serif"
    L = T.get(lang, T["de"])
    roles = d["roles"]
    titles = {rid: role.title(lang) for rid, role in ix.data.roles.items()}
    parts: list[str] = []

    if roles:  # fit distribution: one line per role over the 10-point bins, the band limits marked
        n = len(roles)
        fig = _figure(8, 3.2, left=0.08, bottom=0.15)
        ax = fig.add_subplot(1, 1, 1)
        centres = [i * 10 + 5 for i in range(10)]
        for rid, r in roles.items():
            mean = r["mean_fit"] if r["mean_fit"] is not None else "-"
            ax.plot(centres, r["histogram"], marker="o", markersize=3, linewidth=1.5,
                    label=f"{titles[rid]} ({L['mean']} {mean} %)")
        for x, colour in ((40, BAND_COLOURS["close"]), (70, BAND_COLOURS["ready"])):
            ax.axvline(x, color=colour, linestyle="--", linewidth=1)
        ax.set_xlim(0, 100)
        ax.set_xlabel(L["fit"], fontsize=8)
        ax.set_ylabel(L["employees"], fontsize=8)
        ax.tick_params(labelsize=7)
        ax.legend(fontsize=7, loc="upper right")
        parts.append(f"<h2>{L['dist']}</h2>{_svg(fig)}")

        fig = _figure(8, 0.45 * n + 1, left=0.3, bottom=0.6 / (0.45 * n + 1))  # bands: one stacked bar per role
        ax = fig.add_subplot(1, 1, 1)
        left = [0.0] * n
        names = [titles[rid] for rid in roles]
        for band in ("ready", "close", "far"):
            values = [r["bands"][band] for r in roles.values()]
            ax.barh(names, values, left=left, color=BAND_COLOURS[band], label=L[band])
            left = [a + b for a, b in zip(left, values)]
        ax.invert_yaxis()
        ax.set_xlabel(L["employees"], fontsize=8)
        ax.tick_params(labelsize=8)
        ax.legend(fontsize=8, loc="lower right")
        parts.append(f"<h2>{L['bands']}</h2>{_svg(fig)}")

        if 0 < len(first) <= HEATMAP_ROWS and scored <= HEATMAP_ROWS:  # a small team: each one by role
            people = first
            fig = _figure(8, 0.28 * len(people) + 2, left=0.2, bottom=1.6 / (0.28 * len(people) + 2))
            ax = fig.add_subplot(1, 1, 1)
            im = ax.imshow([f for _, f in people], cmap="RdYlGn", vmin=0, vmax=100, aspect="auto")
            ax.set_xticks(range(len(roles)), [titles[rid] for rid in roles], rotation=30, ha="right", fontsize=7)
            ax.set_yticks(range(len(people)), [i for i, _ in people], fontsize=7)
            fig.colorbar(im, ax=ax, label=L["fit"]).ax.tick_params(labelsize=7)
            parts.append(f"<h2>{L['people']}</h2>{_svg(fig)}")

        gaps = sorted(((g["weighted_gap"], f"{g['label_de']} ({titles[rid]})", g["employees_missing"])
                       for rid, r in roles.items() for g in r["top_missing"][:5]), reverse=True)[:12]
        if gaps:
            fig = _figure(8, 0.35 * len(gaps) + 1, left=0.5, bottom=0.6 / (0.35 * len(gaps) + 1))
            ax = fig.add_subplot(1, 1, 1)
            ax.barh([g[1] for g in gaps], [g[0] for g in gaps], color="#a3322b")
            ax.invert_yaxis()
            ax.set_xlabel(L["gap"], fontsize=8)
            ax.tick_params(labelsize=8)
            parts.append(f"<h2>{L['gaps']}</h2>{_svg(fig)}")

    if d.get("groups"):  # groups x the most common gaps of the first role: a heatmap of the share missing
        rid = next(iter(roles))
        labels = [g["id"] for g in roles[rid]["top_missing"][:8]]
        names = {g["id"]: g["label_de"] for g in roles[rid]["top_missing"]}
        groups = list(d["groups"].items())[:30]
        if labels and groups:
            grid = []
            for _, gd in groups:
                r = gd["roles"].get(rid, {})
                missing = {g["id"]: g["employees_missing"] for g in r.get("top_missing", [])}
                total = max(1, r.get("employees", 0))
                grid.append([100 * missing.get(c, 0) / total for c in labels])
            fig = _figure(8, 0.35 * len(groups) + 2.5, left=0.25, bottom=1.8 / (0.35 * len(groups) + 2.5))
            ax = fig.add_subplot(1, 1, 1)
            im = ax.imshow(grid, cmap="Reds", vmin=0, vmax=100, aspect="auto")
            ax.set_xticks(range(len(labels)), [names[c] for c in labels], rotation=35, ha="right", fontsize=7)
            ax.set_yticks(range(len(groups)), [g for g, _ in groups], fontsize=8)
            fig.colorbar(im, ax=ax, label=f"{L['missing']} (%)").ax.tick_params(labelsize=7)
            parts.append(f"<h2>{L['groups']}: {html.escape(titles[rid])} ({html.escape(d['group_by'])})</h2>{_svg(fig)}"
                         + _table([L["group"], L["employees"], L["mean"], L["ready"], L["close"], L["far"]],
                                  [[g, gd["roles"].get(rid, {}).get("employees", 0), gd["roles"].get(rid, {}).get("mean_fit"),
                                    *gd["roles"].get(rid, {}).get("bands", {}).values()] for g, gd in groups]))

    courses = [c for c in d["course_demand"] if c["total_fit_added"] > 0][:10]
    if courses:
        fig = _figure(8, 0.35 * len(courses) + 1, left=0.5, bottom=0.6 / (0.35 * len(courses) + 1))
        ax = fig.add_subplot(1, 1, 1)
        ax.barh([c["title_de"][:60] for c in courses], [c["total_fit_added"] for c in courses], color="#1f7a3f")
        ax.invert_yaxis()
        ax.set_xlabel(L["added"], fontsize=8)
        ax.tick_params(labelsize=8)
        parts.append(f"<h2>{L['courses']}</h2>{_svg(fig)}<p class=note>{L['note']}</p>")

    plans = [p for p in d.get("workforce_plan", []) if p["steps"]]
    if plans:
        block = [f"<h2>{L['plan']}</h2>"]
        for p in plans:
            last = p["steps"][-1]["mean_fit_after"]
            block.append("<p>" + html.escape(L["plan_line"].format(k=len(p["steps"]), n=p["employees"],
                                                                     role=titles.get(p["role"], p["role"]),
                                                                     a=p["mean_fit_before"], b=last)) + "</p>")
            block.append(_table([L["course"], L["helped"], L["after"]],
                                [[s_["title_de"], s_["employees_helped"], s_["mean_fit_after"]] for s_ in p["steps"]]))
        parts.append("".join(block))

    comps = ix.data.competencies
    unread = [[u["text"], u["count"], comps[u["closest"]].label_de if u["closest"] in comps else ""]
              for u in d["unrecognised"][:30]]
    parts.append(f"<h2>{L['unread']}</h2>" + (_table([L["text"], L["count"], L["closest"]], unread) if unread
                                                else f"<p>{L['none']}</p>"))
    errors = [[reason, count] for reason, count in d["errors"].items()] + (
        [[L["dup"], d["duplicate_ids"]]] if d["duplicate_ids"] else [])
    parts.append(f"<h2>{L['quality']}</h2>" + (_table([L["reason"], L["count"]], errors) if errors
                                                 else f"<p>{L['none']}</p>"))
    head = (f"<h1>{L['title']}</h1><p>{L['file']}: {html.escape(source)} · {date.today().isoformat()} · "
            f"{d['rows']:,} {L['rows']}, {d['scored']:,} {L['scored']}</p>")
    return ("<!doctype html><html lang=" + ("de" if lang == "de" else "en") + "><head><meta charset=utf-8>"
            "<meta name=viewport content='width=device-width, initial-scale=1'>"
            f"<title>{L['title']}</title><style>{_CSS}</style></head><body>{head}{''.join(parts)}</body></html>\n")


def _table(head: list[str], rows: list[list[Any]]) -> str:
    cells = "".join(f"<th>{html.escape(str(h))}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{body}</tbody></table>"


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2430;max-width:1000px;margin:0 auto;
padding:1rem;line-height:1.4}h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d8dde5}
svg{max-width:100%;height:auto}table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}
th,td{border:1px solid #d8dde5;padding:.25rem .5rem;text-align:left}th{background:#f5f7fa}.note{color:#5b6472}
@media print{h2{break-after:avoid}svg,table{break-inside:avoid}}
"""
