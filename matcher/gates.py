"""Gates: the conditions of a role that are not a skill's coverage, and what each candidate meets.

Years of experience, a language level, an education level, and a competency the role must show
at all (a supervisor leads staff). Gates never change a fit: an unmet mandatory gate keeps a
role from `ready` and ranks it later among roles of about the same fit (score.py, best role); a
role whose must-show competency nothing shows is not the best role while another has a fit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .model import CEFR_LEVELS, EDUCATION_LEVELS

if TYPE_CHECKING:  # pragma: no cover
    from .index import Index
    from .score import Candidates

# Gate statuses as small integers in the arrays; names in results and outputs.
MET, UNMET, UNKNOWN = 0, 1, 2
STATUS = ("met", "unmet", "unknown")
LISTED_NO_LEVEL = -2  # a language listed without a level
NOT_LISTED = -3  # a language not named at all: below LISTED_NO_LEVEL, so that max() prefers any mention
# Credit from which a must-show competency is shown: more than a broader skill (`Management` for
# leading staff), a related one or a practice implies (0.5 each): the competency itself, named
SHOWS_MIN = 0.6


@dataclass(frozen=True)
class GateSpec:
    """One gate of one role: what it asks, as the arrays compare it."""

    name: str  # "shows" | "years" | "language" | "education"
    required: str
    need: float  # years, or a level index; for "shows", its column in Candidates.shown
    mandatory: bool = True
    subject: str | None = None
    column: int = -1  # the language's column in Candidates.languages, the competency's for "shows"
    source: str | None = None


def gate_specs(ix: "Index", r: int) -> tuple[GateSpec, ...]:
    """The gates of role `r`, in the order results list them: what it must show, years, languages,
    education."""
    role = ix.data.roles[ix.role_ids[r]]
    g = role.gates
    out: list[GateSpec] = []
    if g.shows is not None:
        out.append(GateSpec("shows", ix.data.competencies[g.shows].label_de, float(ix.shown_ids.index(g.shows)),
                            subject=g.shows, column=ix.comp_pos[g.shows], source=g.sources.get("shows_source")))
    if g.min_years is not None and g.min_years > 0:
        out.append(GateSpec("years", f">= {g.min_years:g}", float(g.min_years), source=g.sources.get("min_years_source")))
    for lr in role.languages:
        out.append(GateSpec("language", lr.level, float(CEFR_LEVELS.index(lr.level)), lr.required, lr.competency_id,
                            ix.language_ids.index(lr.competency_id), lr.source))
    if g.education is not None:
        out.append(GateSpec("education", g.education, float(EDUCATION_LEVELS.index(g.education)), g.education_required,
                            source=g.sources.get("education_source")))
    return tuple(out)


def shown_credit(spec: GateSpec, cands: "Candidates", credit: np.ndarray) -> np.ndarray:
    """Per candidate, the credit of a must-show competency from the person's own work
    (`Candidates.shown`), or from all the evidence when no reading tells them apart (ids given)."""
    return credit[:, spec.column] if cands.shown is None else cands.shown[:, int(spec.need)]


def gate_status(spec: GateSpec, cands: "Candidates", credit: np.ndarray) -> np.ndarray:
    """Status code per candidate: met when the evidence reaches the need, unknown when absent; a
    competency the role must show is met when the person's own work names it (SHOWS_MIN; a
    leadership course or degree, or a line about someone else, is no evidence of a leader) and
    unmet without."""
    if spec.name == "shows":
        return np.where(shown_credit(spec, cands, credit) >= SHOWS_MIN, MET, UNMET).astype(np.int8)
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


def gate_arrays(ix: "Index", cands: "Candidates", credit: np.ndarray) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Per role, every candidate's gate statuses; and per candidate and role, how many mandatory
    gates are unmet and whether a must-show competency is."""
    n_roles = len(ix.role_ids)
    unmet = np.zeros((len(cands), n_roles), dtype=np.int64)
    unshown = np.zeros((len(cands), n_roles), dtype=bool)
    gates: list[np.ndarray] = []
    for r in range(n_roles):
        specs = gate_specs(ix, r)
        status = (np.stack([gate_status(s, cands, credit) for s in specs], axis=1) if specs
                  else np.zeros((len(cands), 0), dtype=np.int8))
        unmet[:, r] = ((status == UNMET) & np.array([s.mandatory for s in specs], dtype=bool)).sum(axis=1)
        unshown[:, r] = ((status == UNMET) & np.array([s.name == "shows" for s in specs], dtype=bool)).any(axis=1)
        gates.append(status)
    return gates, unmet, unshown
