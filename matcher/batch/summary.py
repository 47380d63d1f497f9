"""The training-needs summary: fit distribution, common gaps and course demand, chunk by chunk.

Course gains use `score.course_gains`, the rule the single-candidate learning plan uses.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..score import course_gains
from .score import ChunkScores
from .write import neutralise_csv_text

if TYPE_CHECKING:  # pragma: no cover
    from ..index import Index


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

    def add(self, chunk: ChunkScores) -> None:
        ix = self.ix
        scores, credit, best, ok = chunk.frame, chunk.credit, chunk.target, chunk.ok
        self.rows += len(scores)
        self.scored += int(ok.sum())
        for reason in scores.loc[~ok, "reason"]:
            self.errors[reason] = self.errors.get(reason, 0) + 1
        role_ids = ix.role_ids
        if self.course_helped is None:
            self.course_helped = np.zeros(len(ix.course_ids))
            self.course_gain = np.zeros(len(ix.course_ids))
        for r in self.chosen:
            rid = role_ids[r]
            col = scores.get(f"fit_{rid}")
            if col is None:
                continue
            f = col.to_numpy(dtype=float)[ok]
            c = self.fit_counts.setdefault(rid, {"n": 0, "sum": 0.0, "50": 0, "70": 0, "90": 0})
            c["n"] += f.size
            c["sum"] += float(f.sum())
            for t in (50, 70, 90):
                c[str(t)] += int((f >= t).sum())
            cols, w = ix.role_rows()[r]
            cr = credit[ok][:, cols]
            self.gap_weight[rid] = self.gap_weight.get(rid, np.zeros(cols.size)) + (w * (1 - cr)).sum(axis=0)
            self.gap_count[rid] = self.gap_count.get(rid, np.zeros(cols.size)) + (cr < 1).sum(axis=0)
        # Course demand, for each employee's target role (the best, or the --role one).
        for r in set(best[ok].tolist()):
            gain = course_gains(ix, r, credit[ok & (best == r)])
            assert self.course_helped is not None and self.course_gain is not None
            self.course_helped += (gain > 1e-9).sum(axis=0)
            self.course_gain += gain.sum(axis=0)

    def to_dict(self, top: int = 10) -> dict:
        ix = self.ix
        comps = ix.data.competencies
        roles = {}
        for rid, c in self.fit_counts.items():
            r = ix.role_ids.index(rid)
            cols, w = ix.role_rows()[r]
            gw, gc = self.gap_weight[rid], self.gap_count[rid]
            order = sorted(range(cols.size), key=lambda j: (-gw[j], -gc[j], j))[:top]
            roles[rid] = {
                "employees": c["n"], "mean_fit": round(c["sum"] / c["n"], 1) if c["n"] else None,
                "at_least_50": c["50"], "at_least_70": c["70"], "at_least_90": c["90"],
                "top_missing": [{"id": ix.comp_ids[cols[j]], "label_de": comps[ix.comp_ids[cols[j]]].label_de,
                                 "weight": round(float(w[j]), 2), "employees_missing": int(gc[j]),
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
            "schema_version": 1, "rows": self.rows, "scored": self.scored, "errors": dict(sorted(self.errors.items())),
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
            for g in r["top_missing"]:
                w.writerow(["top_missing", rid, g["id"], g["label_de"], g["employees_missing"], g["weighted_gap"]])
        for c in d["course_demand"]:
            w.writerow(["course_demand", "", c["id"], c["title_de"], c["employees_helped"], c["total_fit_added"]])
        return neutralise_csv_text(buf.getvalue()).encode("utf-8")
