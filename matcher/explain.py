"""One candidate's scores against one role, explained: the `RoleMatch` that `report()` returns.

Reads the arrays `score.evaluate` computed (it never recomputes a fit), and says per requirement
which item showed it and how: directly, through a narrower or broader competency, a "z. B."
example, or a curated lateral link ("≈ via").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import numpy as np

from .model import CEFR_LEVELS, EDUCATION_LEVELS
from .results import Evidence, Gate, Missing, PlanStep, RoleMatch, Shown
from .gates import LISTED_NO_LEVEL, STATUS, gate_specs, shown_credit
from .score import (
    BANDS, Candidates, Scores, anchor, gap_order, helpful_courses, learning_plan, requirement_credit,
)

if TYPE_CHECKING:  # pragma: no cover
    from .index import Index
    from .results import Mention

SHOWN = 0.8  # an example counts as shown (✓) from this credit: stated, or through a narrower item


def role_match(ix: "Index", r: int, scores: Scores, cands: Candidates, source: np.ndarray,
               evidence: Sequence[tuple[str, "Mention"]], years: float | None) -> RoleMatch:
    """The explained result for row 0 of `scores` and role position `r`."""
    role = ix.data.roles[ix.role_ids[r]]
    comps = ix.data.competencies
    credit = scores.credit[0]
    rr = ix.role_rows()[r]
    # the core requirements that count at the anchor (score.anchor); further ones count in full
    cross = {req.competency_id for req, c in zip(role.requirements, rr.cross.tolist())
             if c and req.tier == "core"} if rr.cross_in_core.size else set()
    matched: list[Evidence] = []
    by_id = {}
    for req in role.requirements:
        own = ix.comp_pos[req.competency_id]
        examples = tuple(Shown(comps[e.competency_id], bool(credit[ix.comp_pos[e.competency_id]] >= SHOWN))
                         for e in req.examples)
        best = max([own, *(ix.comp_pos[e.competency_id] for e in req.examples)], key=lambda j: credit[j])
        by_id[req.competency_id] = (req, examples)
        if credit[best] > 0:
            raw, mention = evidence[int(source[best])]
            via = mention.implied_by or mention.competency
            how = "practice" if mention.implied_by else _relation(ix, own, best, ix.comp_pos[via.id])
            matched.append(Evidence(comps[req.competency_id], req.weight, float(credit[best]), raw, via,
                                    req.tier, how, examples, req.competency_id in cross))
    matched.sort(key=lambda e: (e.tier != "core", -e.weight * e.credit, e.competency.id))
    cols, gaps = gap_order(ix, r, scores.credit[:1])
    missing = []
    for j, g in zip(cols[0].tolist(), gaps[0].tolist()):
        if g <= 0:
            break
        req, examples = by_id[ix.comp_ids[j]]
        have = 1.0 - g / req.weight
        missing.append(Missing(comps[req.competency_id], req.weight, have, tuple(helpful_courses(ix, j, have)),
                               req.tier, examples, req.competency_id in cross))
    plan = tuple(PlanStep(ix.data.courses[ix.course_ids[k]], gain, after) for k, gain, after in learning_plan(ix, r, credit))
    further = float(scores.further[0, r])
    band = BANDS[int(scores.bands(r)[0])]
    share = float(anchor(rr, requirement_credit(rr, scores.credit[:1, rr.positions]))[0]) if rr.cross_in_core.size else None
    return RoleMatch(role, float(scores.fits[0, r]), tuple(matched), tuple(missing), _gates(ix, r, scores, cands, years),
                     plan, float(scores.core[0, r]), None if np.isnan(further) else further, band, share)


def _relation(ix: "Index", own: int, best: int, via: int) -> str:
    """How the item reached the requirement: direct | example | narrower | broader | equivalent | related.

    `best` is the competency whose credit counts (the requirement, or one of its examples)."""
    if best != own:
        how = _path(ix, best, via)
        return "example" if how in ("direct", "narrower", "equivalent") else how
    return _path(ix, own, via)


def _path(ix: "Index", target: int, via: int) -> str:
    """The strongest route from evidence `via` to `target` (the order follows score.py's credits)."""
    if via == target:
        return "direct"
    links = {k.id: k.kind for k in ix.data.competencies[ix.comp_ids[via]].related}
    if links.get(ix.comp_ids[target]) == "equivalent":
        return "equivalent"
    if target in ix.ancestors(via):
        return "narrower"
    if via in ix.ancestors(target):
        return "broader"
    for linked, kind in links.items():  # a link credits the linked node and, on, its ancestors
        if target in ix.ancestors(ix.comp_pos[linked]):
            return kind
    return "related"


def _gates(ix: "Index", r: int, scores: Scores, cands: Candidates, years: float | None) -> tuple[Gate, ...]:
    out: list[Gate] = []
    for spec, code in zip(gate_specs(ix, r), scores.gates[r][0].tolist()):
        if spec.name == "shows":  # the credit the person's own work gives it
            shown = float(shown_credit(spec, cands, scores.credit)[0])
            found = f"{shown:.2f}" if shown > 0 else None
        elif spec.name == "years":
            found = None if years is None else f"{years:g}"
        elif spec.name == "language":
            level = int(cands.languages[0, spec.column])
            found = CEFR_LEVELS[level] if level >= 0 else ("listed, no level" if level == LISTED_NO_LEVEL else None)
        else:
            level = int(cands.education[0])
            found = EDUCATION_LEVELS[level] if level >= 0 else None
        out.append(Gate(spec.name, STATUS[code], spec.required, found, spec.mandatory, spec.subject, spec.source))
    return tuple(out)
