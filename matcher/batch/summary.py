"""The training-needs summary: fit distribution, common gaps and course demand, chunk by chunk,
for the whole workforce and per group (`--group-by`), plus the skills nobody's tree recognised.

Course gains use `score.course_gains`, the rule the single-candidate learning plan uses. Each
chunk's share (`Tally`) is small arrays computed where the chunk is scored (possibly a worker
process), so that the credit matrix never travels.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..score import BANDS, course_gains, requirement_credit
from .write import neutralise_csv_text

if TYPE_CHECKING:  # pragma: no cover
    from ..index import Index

BINS = 10  # the fit histogram: 0-10, 10-20, ..., 90-100
MAX_UNREAD = 50_000  # distinct unrecognised texts counted (the rarest beyond this are dropped)
MAX_GROUPS = 200  # groups reported (a column with more values is no grouping)
PLAN_ROWS = 2_000  # employees per role the workforce plan is chosen on (the first ones: bounded memory and time)
PLAN_MIN_GAIN = 0.1  # mean fit points: a course adding less to the workforce ends the plan
PLAN_CANDIDATES = 8  # courses tried at each step: those adding the most on their own
HEATMAP_ROWS = 60  # up to this many employees, the report draws each one against each role


@dataclass
class Part:
    """Fit distribution, gaps and course demand of some employees (all, or one group)."""

    fit_counts: dict[str, dict[str, float]] = field(default_factory=dict)  # role -> n, sum, >=50/70/90, bands
    hist: dict[str, np.ndarray] = field(default_factory=dict)  # role -> employees per 10-point fit bin
    gap_weight: dict[str, np.ndarray] = field(default_factory=dict)  # role -> per requirement: summed weighted gap
    gap_count: dict[str, np.ndarray] = field(default_factory=dict)  # role -> per requirement: employees short of it
    course_helped: np.ndarray | None = None  # per course: employees it would help
    course_gain: np.ndarray | None = None  # per course: fit points it would add, summed

    def add(self, other: "Part") -> None:
        for rid, counts in other.fit_counts.items():
            mine = self.fit_counts.setdefault(rid, dict.fromkeys(counts, 0))
            for k, v in counts.items():
                mine[k] += v
            for name in ("hist", "gap_weight", "gap_count"):
                acc = getattr(self, name)
                acc[rid] = acc.get(rid, 0) + getattr(other, name)[rid]
        for name in ("course_helped", "course_gain"):
            mine, theirs = getattr(self, name), getattr(other, name)
            setattr(self, name, theirs if mine is None else mine + theirs)

    def to_dict(self, ix: "Index", top: int = 10) -> dict:
        comps = ix.data.competencies
        roles = {}
        for rid, c in self.fit_counts.items():
            rr = ix.role_rows()[ix.role_ids.index(rid)]
            gw, gc = self.gap_weight[rid], self.gap_count[rid]
            order = sorted(range(rr.cols.size), key=lambda j: (not rr.core[j], -gw[j], -gc[j], j))[:top]
            roles[rid] = {
                "employees": int(c["n"]), "mean_fit": round(c["sum"] / c["n"], 1) if c["n"] else None,
                "at_least_50": int(c["50"]), "at_least_70": int(c["70"]), "at_least_90": int(c["90"]),
                "bands": {b: int(c[b]) for b in BANDS},
                "histogram": [int(x) for x in self.hist[rid]],
                "top_missing": [{"id": ix.comp_ids[rr.cols[j]], "label_de": comps[ix.comp_ids[rr.cols[j]]].label_de,
                                 "tier": "core" if rr.core[j] else "further", "weight": round(float(rr.w[j]), 2),
                                 "employees_missing": int(gc[j]), "weighted_gap": round(float(gw[j]), 2)}
                                for j in order if gc[j] > 0],
            }
        courses = []
        if self.course_gain is not None and self.course_helped is not None:
            for k in sorted(range(len(ix.course_ids)), key=lambda k: (-self.course_gain[k], k)):
                course = ix.data.courses[ix.course_ids[k]]
                courses.append({"id": course.id, "title_de": course.title_de, "kind": course.kind,
                                "employees_helped": int(self.course_helped[k]),
                                "total_fit_added": round(float(self.course_gain[k]), 1),
                                "mean_fit_added": round(float(self.course_gain[k]) / self.course_helped[k], 2)
                                if self.course_helped[k] else 0.0})
        return {"roles": roles, "course_demand": courses}


@dataclass(frozen=True)
class Tally:
    """What one chunk adds to the summary."""

    rows: int
    errors: dict[str, int]
    part: Part
    groups: dict[str, Part]
    unread: dict[str, list[Any]]  # text -> [count, closest competency id or ""]
    plan_rows: dict[str, np.ndarray] = field(default_factory=dict)  # target role -> credit over its positions
    first: list[tuple[str, list[float]]] = field(default_factory=list)  # (id, fit per chosen role), first rows


def tally(ix: "Index", chosen: tuple[int, ...], fits: np.ndarray, bands: dict[int, np.ndarray], credit: np.ndarray,
          target: np.ndarray, ok: np.ndarray, reasons: list[str], groups: list[str] | None = None,
          unread: dict[str, list[Any]] | None = None, ids: list[str] | None = None) -> Tally:
    """The summary's share of one chunk: fit distribution and gaps per chosen role, and course
    demand for each employee's target role (the best, or the --role one); per group as well.

    The per-employee gaps and course gains are computed once and summed per group, so a
    breakdown costs sums, not another scoring of the chunk."""
    errors: dict[str, int] = {}
    for reason, good in zip(reasons, ok.tolist()):
        if not good:
            errors[reason] = errors.get(reason, 0) + 1
    gaps = {}
    for r in chosen:
        rr = ix.role_rows()[r]
        cr = requirement_credit(rr, credit[:, rr.positions])
        gaps[r] = (rr.w * (1 - cr), (cr < 1).astype(np.float64))
    gains = np.zeros((len(ok), len(ix.course_ids)))
    plan_rows = {}
    for r in np.unique(target[ok]).tolist():
        rows = np.nonzero(ok & (target == r))[0]
        gains[rows] = course_gains(ix, r, credit[rows])
        # the workforce plan reads at most PLAN_ROWS employees per role: no more leave the worker
        plan_rows[ix.role_ids[r]] = credit[rows[:PLAN_ROWS]][:, ix.role_rows()[r].positions].astype(np.float32)
    parts: dict[str, Part] = {}
    if groups is not None:
        labels = np.asarray(groups, dtype=object)
        for g in dict.fromkeys(labels[ok].tolist()):
            parts[str(g)] = _part(ix, chosen, fits, bands, gaps, gains, ok & (labels == g))
    first = [(str(ids[k]) if ids else str(k), [round(float(fits[k, r]), 1) for r in chosen])
             for k in np.nonzero(ok)[0][:HEATMAP_ROWS].tolist()]
    return Tally(len(ok), errors, _part(ix, chosen, fits, bands, gaps, gains, ok), parts, unread or {}, plan_rows,
                 first)


def _part(ix: "Index", chosen: tuple[int, ...], fits: np.ndarray, bands: dict[int, np.ndarray],
          gaps: dict[int, tuple[np.ndarray, np.ndarray]], gains: np.ndarray, mask: np.ndarray) -> Part:
    part = Part()
    for r in chosen:
        rid = ix.role_ids[r]
        f = np.round(fits[mask, r], 1)  # the fits as written in the output
        b = bands[r][mask]
        part.fit_counts[rid] = {"n": int(f.size), "sum": float(f.sum()),
                                **{str(t): int((f >= t).sum()) for t in (50, 70, 90)},
                                **{name: int((b == k).sum()) for k, name in enumerate(BANDS)}}
        part.hist[rid] = np.bincount(np.minimum((f // (100 / BINS)).astype(np.int64), BINS - 1),
                                     minlength=BINS).astype(np.float64)
        part.gap_weight[rid] = gaps[r][0][mask].sum(axis=0)
        part.gap_count[rid] = gaps[r][1][mask].sum(axis=0)
    g = gains[mask]
    part.course_helped = (g > 1e-9).sum(axis=0).astype(np.float64)
    part.course_gain = g.sum(axis=0)
    return part


@dataclass
class Summary:
    """Accumulates, chunk by chunk, what a manager reads: fit distribution, common gaps, course
    demand (all employees and per group), the skills not recognised, and the rows not scored."""

    ix: "Index"
    chosen: tuple[int, ...]
    group_by: str | None = None
    rows: int = 0
    scored: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    duplicates: int = 0
    part: Part = field(default_factory=Part)
    groups: dict[str, Part] = field(default_factory=dict)
    unread: dict[str, list[Any]] = field(default_factory=dict)
    plan_rows: dict[str, list[np.ndarray]] = field(default_factory=dict)
    first: list[tuple[str, list[float]]] = field(default_factory=list)
    _plan: list[dict] | None = None

    def add(self, t: Tally) -> None:
        self._plan = None
        self.rows += t.rows
        self.scored += t.rows - sum(t.errors.values())
        for reason, count in t.errors.items():
            self.errors[reason] = self.errors.get(reason, 0) + count
        self.part.add(t.part)
        for g, part in t.groups.items():
            if g in self.groups or len(self.groups) < MAX_GROUPS:
                self.groups.setdefault(g, Part()).add(part)
        self.first.extend(t.first[:max(0, HEATMAP_ROWS + 1 - len(self.first))])
        for rid, rows in t.plan_rows.items():
            held = self.plan_rows.setdefault(rid, [])
            room = PLAN_ROWS - sum(len(x) for x in held)
            if room > 0:
                held.append(rows[:room])
        for text, (count, hint) in t.unread.items():
            mine = self.unread.get(text)
            if mine is not None:
                mine[0] += count
            elif len(self.unread) < MAX_UNREAD:
                self.unread[text] = [count, hint]

    def workforce_plan(self) -> list[dict]:
        """Per role, a greedy plan over the employees whose best (or --role) role it is: the course
        that raises their mean fit most, then the next on top of it, up to score.PLAN_STEPS; each course
        credited by the single-candidate rule (score.COURSE_CREDIT, the same fit formula)."""
        if self._plan is not None:
            return self._plan
        from ..score import greedy_courses, role_fit

        ix = self.ix
        out = []
        for rid, held in sorted(self.plan_rows.items()):
            rows = np.concatenate(held).astype(np.float64) if held else np.zeros((0, 0))
            if not len(rows):
                continue
            r = ix.role_ids.index(rid)
            rr = ix.role_rows()[r]
            useful, cc = ix.role_courses(r)
            alone = self.part.course_gain[useful] if self.part.course_gain is not None else np.zeros(useful.size)
            keep = np.argsort(-alone, kind="stable")[:PLAN_CANDIDATES]  # the few worth trying together
            steps = []
            for k, _, after, helped in greedy_courses(rr, useful[keep], cc[keep], rows, PLAN_MIN_GAIN):
                course = ix.data.courses[ix.course_ids[k]]
                steps.append({"course": course.id, "title_de": course.title_de, "employees_helped": helped,
                              "mean_fit_after": round(after, 1)})
            start = float(role_fit(rr, rows).mean())
            out.append({"role": rid, "employees": int(len(rows)), "mean_fit_before": round(start, 1), "steps": steps})
        self._plan = out
        return out

    def unrecognised(self) -> list[tuple[str, int, str]]:
        """(text, employees naming it, closest plausible competency id or "") by count."""
        return sorted(((t, int(c), h) for t, (c, h) in self.unread.items()), key=lambda x: (-x[1], x[0]))

    def to_dict(self, top: int = 10) -> dict:
        whole = self.part.to_dict(self.ix, top)
        courses = whole["course_demand"]
        out = {
            "schema_version": 3, "rows": self.rows, "scored": self.scored, "errors": dict(sorted(self.errors.items())),
            "duplicate_ids": self.duplicates, "roles": whole["roles"], "course_demand": courses,
            "recommended_courses": [c["id"] for c in courses[:3] if c["total_fit_added"] > 0],
            "note": "course gains are each course on its own, for each employee's best (or --role) role",
            "unrecognised": [{"text": t, "count": c, "closest": h or None} for t, c, h in self.unrecognised()[:top * 5]],
            "workforce_plan": self.workforce_plan(),
            "workforce_plan_note": (f"courses chosen one after another for the employees whose best (or --role) role "
                                    f"it is (the first {PLAN_ROWS:,} per role, a sample when there are more); a course "
                                    "counts as half of shown "
                                    "practice, as in the single-candidate learning plan"),
        }
        if self.group_by:
            out["group_by"] = self.group_by
            out["groups"] = {g: {"employees": int(next(iter(p.fit_counts.values()))["n"]) if p.fit_counts else 0,
                                 **p.to_dict(self.ix, 5)} for g, p in sorted(self.groups.items())}
        return out

    def tables(self) -> dict[str, list[list[Any]]]:
        """The summary as tables, one per section, each with its own clear columns (CSV, XLSX)."""
        d = self.to_dict()
        t: dict[str, list[list[Any]]] = {
            "rows": [["what", "count"], ["rows read", d["rows"]], ["rows scored", d["scored"]],
                     ["duplicate ids", d["duplicate_ids"]], *([f"error: {r}", c] for r, c in d["errors"].items())],
            "fit_by_role": [["role", "employees", "mean_fit", "ready", "close", "far", "at_least_50", "at_least_70",
                             "at_least_90"]] + [[rid, r["employees"], r["mean_fit"], *r["bands"].values(), r["at_least_50"],
                                                 r["at_least_70"], r["at_least_90"]] for rid, r in d["roles"].items()],
            "top_missing": [["role", "competency", "label", "tier", "employees_missing", "weighted_gap"]] + [
                [rid, g["id"], g["label_de"], g["tier"], g["employees_missing"], g["weighted_gap"]]
                for rid, r in d["roles"].items() for g in r["top_missing"]],
            "course_demand": [["course", "title", "kind", "employees_helped", "total_fit_added", "mean_fit_added"]] + [
                [c["id"], c["title_de"], c["kind"], c["employees_helped"], c["total_fit_added"], c["mean_fit_added"]]
                for c in d["course_demand"]],
            "unrecognised": [["text", "count", "closest"]] + [[u["text"], u["count"], u["closest"] or ""]
                                                              for u in d["unrecognised"]],
            "workforce_plan": [["role", "employees", "step", "course", "title", "employees_helped", "mean_fit"]] + [
                row for p in d["workforce_plan"] for row in (
                    [[p["role"], p["employees"], 0, "", "(now)", "", p["mean_fit_before"]]]
                    + [[p["role"], p["employees"], k, s["course"], s["title_de"], s["employees_helped"],
                        s["mean_fit_after"]] for k, s in enumerate(p["steps"], 1)])],
        }
        if self.group_by:
            t["groups"] = [[self.group_by, "role", "employees", "mean_fit", "ready", "close", "far", "top_missing",
                            "top_course"]] + [
                [g, rid, r["employees"], r["mean_fit"], *r["bands"].values(),
                 "; ".join(x["label_de"] for x in r["top_missing"][:3]),
                 next((c["title_de"] for c in gd["course_demand"] if c["total_fit_added"] > 0), "")]
                for g, gd in d["groups"].items() for rid, r in gd["roles"].items()]
        return t

    def to_csv_bytes(self, delimiter: str = ",") -> bytes:
        """One long table with explicit columns: the section, then that section's own columns (with
        `;`, numbers get a decimal comma, as German Excel reads them)."""
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")

        def cell(v: Any) -> Any:
            return str(v).replace(".", ",") if delimiter == ";" and isinstance(v, float) else v

        for name, rows in self.tables().items():
            w.writerow(["section", *rows[0]])
            for row in rows[1:]:
                w.writerow([name, *map(cell, row)])
            w.writerow([])
        return ("\ufeff" + neutralise_csv_text(buf.getvalue())).encode("utf-8")
