"""The training-needs summary: fit distribution, common gaps and course demand, chunk by chunk.

Course gains use `score.course_gains`, the rule the single-candidate learning plan uses.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..score import BANDS, course_gains, requirement_credit
from .write import neutralise_csv_text

if TYPE_CHECKING:  # pragma: no cover
    from ..index import Index


@dataclass(frozen=True)
class Tally:
    """What one chunk adds to the summary: small arrays, computed where the chunk is scored
    (possibly a worker process), so that the credit matrix never travels."""

    rows: int
    errors: dict[str, int]
    fit_counts: dict[str, dict[str, float]]  # role id -> n, sum, counts at or above 50/70/90, and per band
    gap_weight: dict[str, np.ndarray]  # role id -> per requirement: summed weighted gap
    gap_count: dict[str, np.ndarray]  # role id -> per requirement: employees not fully covering it
    course_helped: np.ndarray  # per course: employees it would help
    course_gain: np.ndarray  # per course: fit points it would add, summed


def tally(ix: "Index", chosen: tuple[int, ...], fits: np.ndarray, bands: dict[int, np.ndarray], credit: np.ndarray,
          target: np.ndarray, ok: np.ndarray, reasons: list[str]) -> Tally:
    """The summary's share of one chunk: fit distribution and gaps per chosen role, and course
    demand for each employee's target role (the best, or the --role one)."""
    errors: dict[str, int] = {}
    for reason, good in zip(reasons, ok.tolist()):
        if not good:
            errors[reason] = errors.get(reason, 0) + 1
    fit_counts, gap_weight, gap_count = {}, {}, {}
    for r in chosen:
        rid = ix.role_ids[r]
        f = np.round(fits[ok, r], 1)  # the fits as written in the output
        b = bands[r][ok]
        fit_counts[rid] = {"n": int(f.size), "sum": float(f.sum()),
                           **{str(t): int((f >= t).sum()) for t in (50, 70, 90)},
                           **{name: int((b == k).sum()) for k, name in enumerate(BANDS)}}
        rr = ix.role_rows()[r]
        cr = requirement_credit(rr, credit[ok][:, rr.positions])
        gap_weight[rid] = (rr.w * (1 - cr)).sum(axis=0)
        gap_count[rid] = (cr < 1).sum(axis=0).astype(np.float64)
    helped = np.zeros(len(ix.course_ids))
    gained = np.zeros(len(ix.course_ids))
    for r in np.unique(target[ok]).tolist():
        gain = course_gains(ix, r, credit[ok & (target == r)])
        helped += (gain > 1e-9).sum(axis=0)
        gained += gain.sum(axis=0)
    return Tally(len(ok), errors, fit_counts, gap_weight, gap_count, helped, gained)


@dataclass
class Summary:
    """Accumulates, chunk by chunk, what a manager reads: fit distribution, common gaps, course demand."""

    ix: "Index"
    chosen: tuple[int, ...]
    rows: int = 0
    scored: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    duplicates: int = 0
    fit_counts: dict[str, dict[str, float]] = field(default_factory=dict)
    gap_weight: dict[str, np.ndarray] = field(default_factory=dict)
    gap_count: dict[str, np.ndarray] = field(default_factory=dict)
    course_helped: np.ndarray | None = None
    course_gain: np.ndarray | None = None

    def add(self, t: Tally) -> None:
        self.rows += t.rows
        self.scored += t.rows - sum(t.errors.values())
        for reason, count in t.errors.items():
            self.errors[reason] = self.errors.get(reason, 0) + count
        for rid, counts in t.fit_counts.items():
            mine = self.fit_counts.setdefault(rid, {"n": 0, "sum": 0.0, "50": 0, "70": 0, "90": 0,
                                                    **{b: 0 for b in BANDS}})
            for k, v in counts.items():
                mine[k] += v
            self.gap_weight[rid] = self.gap_weight.get(rid, 0) + t.gap_weight[rid]
            self.gap_count[rid] = self.gap_count.get(rid, 0) + t.gap_count[rid]
        self.course_helped = t.course_helped if self.course_helped is None else self.course_helped + t.course_helped
        self.course_gain = t.course_gain if self.course_gain is None else self.course_gain + t.course_gain

    def to_dict(self, top: int = 10) -> dict:
        ix = self.ix
        comps = ix.data.competencies
        roles = {}
        for rid, c in self.fit_counts.items():
            r = ix.role_ids.index(rid)
            rr = ix.role_rows()[r]
            cols, w = rr.cols, rr.w
            gw, gc = self.gap_weight[rid], self.gap_count[rid]
            order = sorted(range(cols.size), key=lambda j: (not rr.core[j], -gw[j], -gc[j], j))[:top]
            roles[rid] = {
                "employees": c["n"], "mean_fit": round(c["sum"] / c["n"], 1) if c["n"] else None,
                "at_least_50": c["50"], "at_least_70": c["70"], "at_least_90": c["90"],
                "bands": {b: c[b] for b in BANDS},
                "top_missing": [{"id": ix.comp_ids[cols[j]], "label_de": comps[ix.comp_ids[cols[j]]].label_de,
                                 "tier": "core" if rr.core[j] else "further", "weight": round(float(w[j]), 2), "employees_missing": int(gc[j]),
                                 "weighted_gap": round(float(gw[j]), 2)} for j in order if gc[j] > 0],
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
        return {
            "schema_version": 2, "rows": self.rows, "scored": self.scored, "errors": dict(sorted(self.errors.items())),
            "duplicate_ids": self.duplicates, "roles": roles, "course_demand": courses,
            "recommended_courses": [c["id"] for c in courses[:3] if c["total_fit_added"] > 0],
            "note": "course gains are each course on its own, for each employee's best (or --role) role",
        }

    def to_csv_bytes(self) -> bytes:
        d = self.to_dict()
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["section", "role", "id", "label", "employees", "value"])
        w.writerow(["rows", "", "", "rows read", d["rows"], ""])
        w.writerow(["rows", "", "", "rows scored", d["scored"], ""])
        for reason, count in d["errors"].items():
            w.writerow(["errors", "", "", reason, count, ""])
        for rid, r in d["roles"].items():
            for t in ("at_least_50", "at_least_70", "at_least_90"):
                w.writerow(["fit_distribution", rid, t, f"fit >= {t[-2:]}", r[t], ""])
            w.writerow(["fit_distribution", rid, "mean", "mean fit", r["employees"], r["mean_fit"]])
            for band, count in r["bands"].items():
                w.writerow(["bands", rid, band, f"band {band}", count, ""])
            for g in r["top_missing"]:
                w.writerow(["top_missing", rid, g["id"], g["label_de"], g["employees_missing"], g["weighted_gap"]])
        for c in d["course_demand"]:
            w.writerow(["course_demand", "", c["id"], c["title_de"], c["employees_helped"], c["total_fit_added"]])
        return neutralise_csv_text(buf.getvalue()).encode("utf-8")
