"""Fit of every role from a candidate's evidence, in a few array operations.

A candidate is a vector of confidences over the tree. The hierarchy matrix H says how much
evidence for node i credits a requirement for node j (1 for i itself and its ancestors,
0.5 per level for its descendants, 0 for siblings). A requirement's credit is the best
single piece of evidence for it, `max_i conf_i * H[i, j]`, so two vague hints never add up
to a certainty, and adding evidence can never lower a credit. Fit is the weighted share
of the role's requirements credited: `100 * W @ credit / W.sum(1)`.

The same functions serve one CV (`credits`) and a workforce in chunks (`credit_matrix`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np

from .index import Index
from .model import EDUCATION_LEVELS
from .parse import cefr_at_least, education_at_least
from .results import Evidence, Gate, Missing, PlanStep, Resolution, RoleMatch

if TYPE_CHECKING:  # pragma: no cover
    import scipy.sparse as sp

PLAN_STEPS = 3
PLAN_MIN_GAIN = 0.5  # fit points: a course adding less is not worth recommending
COURSES_PER_GAP = 3


def credits(ix: Index, positions: Sequence[int], confidences: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """(credit per competency, index of the evidence that gave it or -1)."""
    n = len(ix.comp_ids)
    if not len(positions):
        return np.zeros(n), np.full(n, -1)
    H = ix.dense_hierarchy()
    M = np.asarray(confidences, dtype=np.float64)[:, None] * H[np.asarray(positions)]
    best = M.argmax(axis=0)
    credit = M[best, np.arange(n)]
    best[credit <= 0] = -1
    return credit, best


def credit_matrix(ix: Index, evidence: "sp.csr_matrix") -> np.ndarray:
    """Credits for many candidates at once: rows of `evidence` hold confidences per competency.

    Loops over the few non-zeros of the hierarchy (a node's ancestors and descendants), each
    step vectorised over all candidates, instead of materialising evidence x hierarchy rows.
    """
    E = np.asarray(evidence.toarray(), dtype=np.float64)
    out = E.copy()  # H[i, i] = 1
    data, indices, indptr = ix.hierarchy_csr
    present = np.nonzero(E.any(axis=0))[0]
    for i in present.tolist():
        col = E[:, i]
        for k in range(indptr[i], indptr[i + 1]):
            j = int(indices[k])
            if j != i:
                np.maximum(out[:, j], col * data[k], out=out[:, j])
    return out


def fits(ix: Index, credit: np.ndarray) -> np.ndarray:
    """Fit (0-100) of every role; `credit` is one vector or a candidates x competencies matrix."""
    W = ix.role_weights
    return 100.0 * (credit @ W.T) / W.sum(axis=1)


def role_fit(ix: Index, r: int, credit: np.ndarray) -> float:
    cols, w = ix.role_rows()[r]
    return float(100.0 * (w * credit[cols]).sum() / w.sum())


def learning_plan(ix: Index, r: int, credit: np.ndarray, cc: np.ndarray) -> tuple[PlanStep, ...]:
    """Greedy weighted set cover: repeatedly take the course that adds the most fit."""
    cols, w = ix.role_rows()[r]
    total = w.sum()
    current = credit[cols].copy()
    fit = 100.0 * (w * current).sum() / total
    steps: list[PlanStep] = []
    used: set[int] = set()
    for _ in range(PLAN_STEPS):
        after = np.maximum(current[None, :], cc[:, cols])
        gains = 100.0 * (after @ w) / total - fit
        for u in used:
            gains[u] = -1.0
        best = int(np.argmax(gains))
        if gains[best] < PLAN_MIN_GAIN:
            break
        used.add(best)
        current = after[best]
        fit += float(gains[best])
        steps.append(PlanStep(ix.data.courses[ix.course_ids[best]], float(gains[best]), min(100.0, fit)))
    return tuple(steps)


def years_status(min_years: float | None, years: float | None) -> str:
    """The years gate: met, unmet, or unknown when the candidate's years are not known."""
    if not min_years:
        return "met"
    if years is None:
        return "unknown"
    return "met" if years >= min_years else "unmet"


def role_positions(ix: Index, role_ids: Sequence[str] = ()) -> list[int]:
    """Index positions of the given roles (all roles when none are given), in index order."""
    return [ix.role_ids.index(r) for r in role_ids] if role_ids else list(range(len(ix.role_ids)))


def _gates(ix: Index, r: int, items: Sequence[Resolution], years: float | None) -> tuple[Gate, ...]:
    role = ix.data.roles[ix.role_ids[r]]
    out: list[Gate] = []
    g = role.gates
    if g.min_years is not None and g.min_years > 0:
        found = None if years is None else f"{years:g}"
        out.append(Gate("years", years_status(g.min_years, years), f">= {g.min_years:g}", found,
                        source=g.sources.get("min_years_source")))
    for lr in role.languages:
        stated = [i for i in items if i.competency is not None and i.competency.id == lr.competency_id]
        levels = [i.level for i in stated if i.level]
        if levels:
            best = max(levels)  # CEFR codes sort in level order
            status = "met" if cefr_at_least(best, lr.level) else "unmet"
            found: str | None = best
        else:
            status, found = "unknown", ("listed, no level" if stated else None)
        out.append(Gate("language", status, lr.level, found, lr.required, lr.competency_id, lr.source))
    if g.education is not None:
        levels = [i.education for i in items if i.education]
        if levels:
            best = max(levels, key=EDUCATION_LEVELS.index)
            status, found = ("met" if education_at_least(best, g.education) else "unmet"), best
        else:
            status, found = "unknown", None
        out.append(Gate("education", status, g.education, found, source=g.sources.get("education_source")))
    return tuple(out)


def role_match(ix: Index, r: int, credit: np.ndarray, source: np.ndarray, items: Sequence[Resolution],
               evidence_items: Sequence[Resolution], years: float | None, cc: np.ndarray) -> RoleMatch:
    """Everything about one role: fit, evidence, gaps with courses, gates, learning plan."""
    role = ix.data.roles[ix.role_ids[r]]
    comps = ix.data.competencies
    ranked_courses = ix.ranked_courses()
    credit_list = credit.tolist()
    source_list = source.tolist()
    matched: list[Evidence] = []
    missing: list[Missing] = []
    for req in role.requirements:
        j = ix.comp_pos[req.competency_id]
        c = credit_list[j]
        if c > 0:
            ev = evidence_items[source_list[j]]
            matched.append(Evidence(comps[req.competency_id], req.weight, c, ev.raw, ev.competency))  # type: ignore[arg-type]
        if c < 1.0:
            helpful = [course for course, value in ranked_courses[j] if value > c][:COURSES_PER_GAP]
            missing.append(Missing(comps[req.competency_id], req.weight, c, tuple(helpful)))
    matched.sort(key=lambda e: (-e.weight * e.credit, e.competency.id))
    missing.sort(key=lambda m: (-m.weight * (1 - m.credit), m.competency.id))
    return RoleMatch(role, role_fit(ix, r, credit), tuple(matched), tuple(missing),
                     _gates(ix, r, items, years), learning_plan(ix, r, credit, cc))
