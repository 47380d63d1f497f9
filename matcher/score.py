"""Fit, gates, gaps and courses for many candidates at once, in array operations.

A candidate is a row of confidences over the tree. The hierarchy matrix H says how much
evidence for node i credits a requirement for node j (1 for i itself and its ancestors,
0.5 per level for its descendants, 0 for siblings). A requirement's credit is the best
single piece of evidence for it, `max_i conf_i * H[i, j]`, so two vague hints never add up
to a certainty, and adding evidence can never lower a credit. Fit is the weighted share
of the role's requirements credited: `100 * W @ credit / W.sum(1)`.

Every function here takes a matrix with one row per candidate, so one CV (`match()`) and a
workforce chunk (`matcher batch`) go through the same arithmetic, the same gate rules, the
same tie rule and the same gap order; `pipeline.py` is the only caller that builds the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

import numpy as np

from .model import CEFR_LEVELS, EDUCATION_LEVELS

if TYPE_CHECKING:  # pragma: no cover
    from .index import Index
    from .model import Course

PLAN_STEPS = 3
PLAN_MIN_GAIN = 0.5  # fit points: a course adding less is not worth recommending
COURSES_PER_GAP = 3

# Gate statuses as small integers in the arrays; names in results and outputs.
MET, UNMET, UNKNOWN = 0, 1, 2
STATUS = ("met", "unmet", "unknown")
LISTED_NO_LEVEL = -2  # a language listed without a level; -1 = not listed


@dataclass(frozen=True)
class Candidates:
    """What scoring needs of each candidate (one row each), as arrays.

    `evidence` holds the best confidence per competency; `years` is NaN when unknown;
    `education` is an index into EDUCATION_LEVELS or -1; `languages` holds, per language the
    roles ask for (`Index.language_ids`), an index into CEFR_LEVELS, -1 when the language is not
    listed and LISTED_NO_LEVEL when it is listed without a level.
    """

    evidence: np.ndarray  # rows x competencies
    years: np.ndarray  # rows
    education: np.ndarray  # rows, int
    languages: np.ndarray  # rows x languages, int

    def __len__(self) -> int:
        return int(self.evidence.shape[0])


@dataclass(frozen=True)
class GateSpec:
    """One gate of one role: what it asks, as the arrays compare it."""

    name: str  # "years" | "language" | "education"
    required: str
    need: float  # years, or a level index
    mandatory: bool = True
    subject: str | None = None
    column: int = -1  # the language's column in Candidates.languages
    source: str | None = None


@dataclass(frozen=True)
class Scores:
    """Everything computed for a set of candidates against the chosen roles."""

    credit: np.ndarray  # rows x competencies
    fits: np.ndarray  # rows x all roles
    gates: tuple[np.ndarray, ...]  # per role: rows x its gates, status codes
    unmet: np.ndarray  # rows x all roles: mandatory gates not met
    chosen: tuple[int, ...]  # role positions scored, in index order
    order: np.ndarray  # rows x len(chosen): role positions, best first (the tie rule)


def credit_matrix(ix: "Index", evidence: np.ndarray) -> np.ndarray:
    """Credits for many candidates at once: rows of `evidence` hold confidences per competency.

    Loops over the few non-zeros of the hierarchy (a node's ancestors and descendants), each
    step vectorised over all candidates, instead of materialising evidence x hierarchy rows.
    """
    E = np.asarray(evidence, dtype=np.float64)
    out = E.copy()  # H[i, i] = 1
    data, indices, indptr = ix.hierarchy_csr
    for i in np.nonzero(E.any(axis=0))[0].tolist():
        col = E[:, i]
        for k in range(indptr[i], indptr[i + 1]):
            j = int(indices[k])
            if j != i:
                np.maximum(out[:, j], col * data[k], out=out[:, j])
    return out


def credits(ix: "Index", positions: Sequence[int], confidences: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """One candidate's credit with, per competency, which piece of evidence gave it (or -1).

    The dense reference for `credit_matrix` (tests prove they agree) and the source of the
    "which item shows this requirement" explanation.
    """
    n = len(ix.comp_ids)
    if not len(positions):
        return np.zeros(n), np.full(n, -1)
    M = np.asarray(confidences, dtype=np.float64)[:, None] * ix.dense_hierarchy()[np.asarray(positions)]
    best = M.argmax(axis=0)
    credit = M[best, np.arange(n)]
    best[credit <= 0] = -1
    return credit, best


def fits(ix: "Index", credit: np.ndarray) -> np.ndarray:
    """Fit (0-100) of every role; `credit` is one vector or a candidates x competencies matrix."""
    W = ix.role_weights
    return 100.0 * (credit @ W.T) / W.sum(axis=1)


def role_positions(ix: "Index", role_ids: Sequence[str] = ()) -> tuple[int, ...]:
    """Index positions of the given roles (all roles when none are given), in index order."""
    return tuple(sorted(ix.role_ids.index(r) for r in role_ids)) if role_ids else tuple(range(len(ix.role_ids)))


def gate_specs(ix: "Index", r: int) -> tuple[GateSpec, ...]:
    """The gates of role `r`, in the order results list them: years, languages, education."""
    role = ix.data.roles[ix.role_ids[r]]
    g = role.gates
    out: list[GateSpec] = []
    if g.min_years is not None and g.min_years > 0:
        out.append(GateSpec("years", f">= {g.min_years:g}", float(g.min_years), source=g.sources.get("min_years_source")))
    for lr in role.languages:
        out.append(GateSpec("language", lr.level, float(CEFR_LEVELS.index(lr.level)), lr.required, lr.competency_id,
                            ix.language_ids.index(lr.competency_id), lr.source))
    if g.education is not None:
        out.append(GateSpec("education", g.education, float(EDUCATION_LEVELS.index(g.education)),
                            source=g.sources.get("education_source")))
    return tuple(out)


def gate_status(spec: GateSpec, cands: Candidates) -> np.ndarray:
    """Status code per candidate: met when the evidence reaches the need, unknown when absent."""
    if spec.name == "years":
        have = cands.years
        known = ~np.isnan(have)
    elif spec.name == "language":
        have = cands.languages[:, spec.column].astype(np.float64)
        known = have >= 0
    else:
        have = cands.education.astype(np.float64)
        known = have >= 0
    return np.where(known, np.where(have >= spec.need, MET, UNMET), UNKNOWN).astype(np.int8)


def rank_roles(ix: "Index", fit: np.ndarray, unmet: np.ndarray, chosen: Sequence[int]) -> np.ndarray:
    """Role positions per candidate, best first: higher fit, then fewer unmet mandatory gates,
    then role id. Fits are compared rounded to 1e-6 so float noise never decides a tie."""
    cols = np.asarray(chosen, dtype=np.int64)
    id_rank = np.argsort(np.argsort(np.asarray(ix.role_ids, dtype=object)[cols]))
    f = -np.round(fit[:, cols], 6)
    u = unmet[:, cols]
    ids = np.broadcast_to(id_rank, f.shape)
    return cols[np.lexsort((ids, u, f), axis=-1)]


def evaluate(ix: "Index", cands: Candidates, chosen: Sequence[int]) -> Scores:
    """Credit, fit, gates and role order for every candidate."""
    credit = credit_matrix(ix, cands.evidence)
    fit = fits(ix, credit)
    n_roles = len(ix.role_ids)
    unmet = np.zeros((len(cands), n_roles), dtype=np.int64)
    gates: list[np.ndarray] = []
    for r in range(n_roles):
        specs = gate_specs(ix, r)
        status = (np.stack([gate_status(s, cands) for s in specs], axis=1) if specs
                  else np.zeros((len(cands), 0), dtype=np.int8))
        mandatory = np.array([s.mandatory for s in specs], dtype=bool)
        unmet[:, r] = ((status == UNMET) & mandatory).sum(axis=1)
        gates.append(status)
    return Scores(credit, fit, tuple(gates), unmet, tuple(chosen), rank_roles(ix, fit, unmet, chosen))


def gap_order(ix: "Index", r: int, credit: np.ndarray, limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The requirements of role `r` each candidate misses, largest weighted gap first, ties by id.

    Returns (competency positions, gaps), rows x requirements (or `limit`); a gap of 0 means
    covered, so callers stop at the first zero.
    """
    cols, w = ix.role_rows()[r]
    gap = w[None, :] * (1.0 - credit[:, cols])
    id_rank = np.broadcast_to(ix.comp_id_rank[cols], gap.shape)
    order = np.lexsort((id_rank, -gap), axis=-1)
    if limit is not None:
        order = order[:, :limit]
    return cols[order], np.take_along_axis(gap, order, axis=1)


def helpful_courses(ix: "Index", j: int, credit: float, limit: int = COURSES_PER_GAP) -> list["Course"]:
    """Courses that would raise competency `j` above the credit the candidate has, best first."""
    return [course for course, value in ix.ranked_courses()[j] if value > credit][:limit]


def course_gains(ix: "Index", r: int, credit: np.ndarray) -> np.ndarray:
    """Fit points each course would add to role `r` on its own: candidates x courses.

    The one gain rule, used by the learning plan and the workforce summary alike.
    """
    cols, w = ix.role_rows()[r]
    cur = credit[:, cols]
    cc = ix.course_credit()[:, cols]  # courses x requirements
    out = np.empty((cur.shape[0], cc.shape[0]))
    for k in range(cc.shape[0]):  # a loop over the few courses keeps memory at rows x requirements
        out[:, k] = (np.maximum(cur, cc[k]) - cur) @ w
    return 100.0 * out / w.sum()


def learning_plan(ix: "Index", r: int, credit: np.ndarray) -> list[tuple[int, float, float]]:
    """Greedy weighted set cover for one candidate: (course position, gain, fit after) per step."""
    current = np.array(credit, dtype=np.float64)
    fit = float(fits(ix, current)[r])
    cols, _ = ix.role_rows()[r]
    cc = ix.course_credit()
    steps: list[tuple[int, float, float]] = []
    used: set[int] = set()
    for _ in range(PLAN_STEPS):
        gains = course_gains(ix, r, current[None, :])[0]
        for u in used:
            gains[u] = -1.0
        best = int(np.argmax(gains))
        if gains[best] < PLAN_MIN_GAIN:
            break
        used.add(best)
        current[cols] = np.maximum(current[cols], cc[best, cols])
        fit += float(gains[best])
        steps.append((best, float(gains[best]), min(100.0, fit)))
    return steps
