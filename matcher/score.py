"""Fit, gates, gaps and courses for many candidates at once, in array operations.

Credit. A candidate is a row of confidences over the tree. How much evidence for node i
credits a requirement for node j (the hierarchy matrix H, built in `index/build.py`):

- 1 for j = i;
- ANCESTOR_CREDIT (0.85) per level when j is an ancestor of i: Salesforce says much about
  E-Commerce-Software, but less than a statement of E-Commerce-Software would;
- DESCENDANT_CREDIT (0.5) per level when j is a descendant of i: a general skill says
  something, not everything, about a specific one;
- RELATED_CREDIT (0.5) along a curated `related` link (and on, to the linked node's ancestors,
  as above); 1 along an `equivalent` link (two BIS nodes naming one activity);
- nothing for siblings.

Practice. Years of a role's own activity (`practice:` in its data: Kundenbetreuung for the
account managers, Key Account Management, Customer Success), stated on the line that names it
first (a dated job line, "4 Jahre Customer Success", a title line with its period on the line
beside it: `periods.dated_titles`), for at least PRACTICE_MIN_YEARS and as long as the role asks,
imply each of the role's other core competencies at PRACTICE_CREDIT times the reading's confidence
(`Pipeline.evidence_of`): a CV names what was special about a job, not everything it involved,
yet the practice is no proof of each part. A job title implies its own role's core and that of
the roles below it on the same ladder, never a senior's; a role without a practice of its own but
with a must-show competency (the Account Supervisor) is practised under its title only. What is
implied credits only itself (not its parents, children or links), so it reaches another role
only where that role asks for the very same competency. Not from a degree, a course, a goal, an
internship or a negated line.

A requirement's credit is its best single piece of evidence, `max_i conf_i * H[i, j]`; a role's
"z. B." examples satisfy the requirement they illustrate (their credit counts for it in full).
Two vague hints never add up to a certainty, and adding evidence never lowers a credit.

Fit. Each tier's coverage is the weighted share of its requirements credited, with one anchor:
core competencies that every trade shares (cross-sector, `taxonomy/reichweite.yaml`: leading
staff, project management, presenting, office and ERP software, languages) count in proportion
to the role's own core shown, in full from ANCHOR_FULL of it. A teacher who lists leadership
and management shows nothing of an account supervisor's customer care, and is no quarter of
one. Readiness is
the core coverage through an S-curve, `r = c^2 (3 - 2c)` (smoothstep): a quarter of the core
gives 16, half gives 50, three quarters 84; the first few core competencies do not make anyone
half-ready, and the last missing one does not make an otherwise complete profile unready. The
further competencies add a bonus that saturates once FURTHER_FULL of their weight is shown
(nobody has every optional skill): `b = min(1, further / FURTHER_FULL)`. The fit is
`100 x r x (1 - FURTHER_SHARE + FURTHER_SHARE x b)`: the core decides, the bonus is at most
FURTHER_SHARE of it and in proportion to it, so it cannot carry a candidate with little core
evidence. All core and further requirements give 100, nothing gives 0, and every term only
grows with credit, so adding a skill never lowers a fit. A role without core requirements
counts all of them as core; one without further ones has fit = 100 x r. The band a counsellor
says aloud: `ready` from READY points with no mandatory gate unmet, `close` from CLOSE points,
`far` below.

Best role: a role whose must-show competency (`gates.py`) nothing shows is held back while
another role has a fit: it comes after that group, among the rest by its fit. The other roles
within NEAR_POINTS of the top fit are one group, and with them the steps above the top role on
its career ladder within LADDER_POINTS (a senior step asks for more, so the same person fits it a
little less: the years say which step they stand on), and those below it when the years shown
fall short of the top role's. In it, fewer unmet mandatory
gates first, then the roles whose years the evidence meets (or that ask none; 0 is a stated entry
level) before those whose years are not shown, the more years missing the later: without
evidence of experience, an entry-level role comes first, and an Account Manager (1 year) is
nearer than a Senior (3 years). Then different jobs are compared by fit, the steps of one career
ladder (`Index.role_ladders`: Junior, Account, Senior Account Manager, Account Supervisor) by
seniority, the most senior met first: years say how far up a ladder someone came, not which job.

Courses give COURSE_CREDIT (learning a competency is not years of practising it), and their
gain is the fit recomputed with that credit, by the same formula.

Every function here takes a matrix with one row per candidate, so one CV (`match()`) and a
workforce chunk (`matcher batch`) go through the same arithmetic, the same gate rules, the
same tie rule and the same gap order; `pipeline.py` is the only caller that builds the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

import numpy as np

from .gates import gate_arrays

if TYPE_CHECKING:  # pragma: no cover
    from .index import Index
    from .index.lookup import RoleRows
    from .model import Course

ANCESTOR_CREDIT = 0.85
DESCENDANT_CREDIT = 0.5
RELATED_CREDIT = 0.5
LINK_CREDIT = {"related": RELATED_CREDIT, "equivalent": 1.0}
FURTHER_SHARE, FURTHER_FULL = 0.2, 0.5
READY, CLOSE = 70.0, 40.0
BANDS = ("ready", "close", "far")
NEAR_POINTS = 5.0
LADDER_POINTS = 10.0  # how far below the top fit a step above the top role on its ladder still joins the group
ANCHOR_FULL = 0.5  # share of a role's own (trade) core from which its cross-sector core counts in full
COURSE_CREDIT = 0.5
PRACTICE_CREDIT = 0.5  # a role's other core requirements, implied by years of its own activity
PRACTICE_MIN_YEARS = 1.0  # less is a stint (an internship), not practice, whatever the role asks
PLAN_STEPS = 3
PLAN_MIN_GAIN = 0.5  # fit points: a course adding less is not worth recommending
COURSES_PER_GAP = 3

@dataclass(frozen=True)
class Candidates:
    """What scoring needs of each candidate (one row each), as arrays.

    `evidence` holds the best confidence per competency; `years` is NaN when unknown;
    `education` is an index into EDUCATION_LEVELS or -1; `languages` holds, per language the
    roles ask for (`Index.language_ids`), an index into CEFR_LEVELS, NOT_LISTED when the language is
    not named and LISTED_NO_LEVEL when it is named without a level.
    """

    evidence: np.ndarray  # rows x competencies
    years: np.ndarray  # rows
    education: np.ndarray  # rows, int
    languages: np.ndarray  # rows x languages, int
    # rows x competencies: credit implied by practice (module docstring), given as it is, not
    # spread through the hierarchy or the links; None when nothing is implied
    implied: np.ndarray | None = None
    # rows x `Index.shown_ids`: the credit of each must-show competency from the person's own work
    # (not a degree, a course or a line about someone else: gates.py); None: from all evidence
    shown: np.ndarray | None = None

    def __len__(self) -> int:
        return int(self.evidence.shape[0])


@dataclass(frozen=True)
class Scores:
    """Everything computed for a set of candidates against the chosen roles."""

    credit: np.ndarray  # rows x competencies
    fits: np.ndarray  # rows x all roles
    core: np.ndarray  # rows x all roles: core coverage, 0-100
    further: np.ndarray  # rows x all roles: further coverage, 0-100 (NaN when the role has none)
    gates: tuple[np.ndarray, ...]  # per role: rows x its gates, status codes
    unmet: np.ndarray  # rows x all roles: mandatory gates not met
    chosen: tuple[int, ...]  # role positions scored, in index order
    order: np.ndarray  # rows x len(chosen): role positions, best first (the best-role rule)

    def bands(self, r: int) -> np.ndarray:
        """Band index (into BANDS) per candidate for role `r`."""
        return band_codes(self.fits[:, r], self.unmet[:, r])


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


def credits(ix: "Index", positions: Sequence[int], confidences: Sequence[float],
            implied: Sequence[bool] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """One candidate's credit with, per competency, which piece of evidence gave it (or -1).

    The dense reference for `evaluate`'s credit (tests prove they agree) and the source of the
    "which item shows this requirement" explanation. `implied` marks evidence that credits only
    its own competency (practice).
    """
    n = len(ix.comp_ids)
    if not len(positions):
        return np.zeros(n), np.full(n, -1)
    pos = np.asarray(positions)
    rows = ix.dense_hierarchy()[pos]
    if implied is not None and any(implied):
        rows = np.where(np.asarray(implied)[:, None], np.eye(n)[pos], rows)
    M = np.asarray(confidences, dtype=np.float64)[:, None] * rows
    best = M.argmax(axis=0)
    credit = M[best, np.arange(n)]
    best[credit <= 0] = -1
    return credit, best


def requirement_credit(rr: "RoleRows", sub: np.ndarray) -> np.ndarray:
    """Credit per requirement (rows x requirements) from `sub`, the credit over `rr.positions`:
    a requirement's own credit, or its best example's when higher."""
    n = rr.cols.size
    rc = sub[:, :n].copy()
    if rr.ex_req.size:
        np.maximum.at(rc.T, rr.ex_req, sub[:, n:].T)  # a requirement may have several examples
    return rc


def tier_coverage(rr: "RoleRows", rc: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Core and further coverage in [0, 1] per row (further None when the role has none); the
    cross-sector core counts in proportion to the anchor (module docstring)."""
    x = rc[:, rr.core_at]
    core = x[:, rr.trade_in_core] @ rr.core_w[rr.trade_in_core]
    if rr.cross_in_core.size:
        core = core + anchor(rr, rc) * (x[:, rr.cross_in_core] @ rr.core_w[rr.cross_in_core])
    return core, None if rr.further_w is None else rc[:, rr.further_at] @ rr.further_w


def anchor(rr: "RoleRows", rc: np.ndarray) -> np.ndarray:
    """The share (0-1) at which the role's cross-sector core counts, per row: the role's own
    core shown, relative to ANCHOR_FULL of it (1 for a role without cross-sector core)."""
    if not rr.cross_in_core.size:
        return np.ones(rc.shape[0])
    trade = rc[:, rr.core_at[rr.trade_in_core]] @ rr.core_w[rr.trade_in_core]
    return np.minimum(1.0, trade / (ANCHOR_FULL * rr.trade_share))


def combine(core: np.ndarray, further: np.ndarray | None) -> np.ndarray:
    """The fit formula (module docstring), in percent, from coverages in [0, 1]."""
    ready = core * core * (3.0 - 2.0 * core)
    if further is None:
        return 100.0 * ready
    bonus = np.minimum(1.0, further / FURTHER_FULL)
    return 100.0 * ready * (1.0 - FURTHER_SHARE + FURTHER_SHARE * bonus)


def role_fit(rr: "RoleRows", sub: np.ndarray) -> np.ndarray:
    """Fit (0-100) per row for one role, from the credit over `rr.positions`."""
    return combine(*tier_coverage(rr, requirement_credit(rr, sub)))


def fits(ix: "Index", credit: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fit, core and further coverage (0-100) of every role: each candidates x roles."""
    credit = np.atleast_2d(credit)
    shape = (credit.shape[0], len(ix.role_ids))
    fit, core, further = np.zeros(shape), np.zeros(shape), np.full(shape, np.nan)
    for r, rr in enumerate(ix.role_rows()):
        c, f = tier_coverage(rr, requirement_credit(rr, credit[:, rr.positions]))
        fit[:, r] = combine(c, f)
        core[:, r] = 100.0 * c
        if f is not None:
            further[:, r] = 100.0 * f
    return fit, core, further


def band_codes(fit: np.ndarray, unmet: np.ndarray) -> np.ndarray:
    """Index into BANDS: ready needs READY points and no unmet mandatory gate."""
    f = np.round(fit, 1)
    return np.where((f >= READY) & (unmet == 0), 0, np.where(f >= CLOSE, 1, 2)).astype(np.int8)


def role_positions(ix: "Index", role_ids: Sequence[str] = ()) -> tuple[int, ...]:
    """Index positions of the given roles (all roles when none are given), in index order."""
    return tuple(sorted(ix.role_ids.index(r) for r in role_ids)) if role_ids else tuple(range(len(ix.role_ids)))


def rank_roles(ix: "Index", fit: np.ndarray, unmet: np.ndarray, years: np.ndarray,
               chosen: Sequence[int], core: np.ndarray | None = None,
               further: np.ndarray | None = None, unshown: np.ndarray | None = None) -> np.ndarray:
    """Role positions per candidate, best first, by the best-role rule (module docstring); equal
    fits (all 0 for a text that shows no core at all) then by more core, then more further
    coverage, fewer unmet gates and role id. Values are compared rounded to 1e-6 so float noise
    never decides."""
    cols = np.asarray(chosen, dtype=np.int64)
    id_rank = np.argsort(np.argsort(np.asarray(ix.role_ids, dtype=object)[cols]))
    f = np.round(fit[:, cols], 6)
    u = unmet[:, cols]
    # a role whose must-show competency nothing shows is not the best one while another has a fit:
    # the group is formed around the best of the others, and it follows the group by its fit
    x = np.zeros_like(f, dtype=bool) if unshown is None else unshown[:, cols]
    after = x & (np.where(x, 0.0, f).max(axis=1, keepdims=True) > 0 if cols.size else x)
    top = np.where(after, -np.inf, f).max(axis=1, keepdims=True) if cols.size else f
    near = (f >= top - NEAR_POINTS) & ~after
    need = np.array([ix.data.roles[ix.role_ids[r]].gates.min_years for r in cols.tolist()], dtype=np.float64)[None, :]
    # and the steps above the top role on its own ladder, from further below; the steps below it
    # too when the years shown do not reach the top role's
    ladder = ix.role_ladders()[cols]
    lead = np.argmax(np.where(after, -np.inf, f), axis=1) if cols.size else np.zeros(len(f), dtype=np.int64)
    steps, lead_need = np.nan_to_num(need), np.nan_to_num(need[0, lead])[:, None]
    short = (~np.isnan(years) & (np.nan_to_num(years) < lead_need[:, 0]))[:, None]
    step_of_lead = (ladder[None, :] == ladder[lead][:, None]) & ((steps > lead_need) | (short & (steps < lead_need)))
    near |= step_of_lead & (f >= top - LADDER_POINTS) & ~after
    shown = np.nan_to_num(years, nan=0.0)[:, None]
    # years not shown (unknown or fewer): after every role whose years are met or that asks none
    # (nan), the more so the more years are missing; on a ladder, the most senior step met first
    missing = np.where(shown < need, shown - need, 0.0)
    senior = np.where(missing < 0, missing, np.nan_to_num(need))
    ladder_fit = np.empty_like(f)  # the best near fit on each role's ladder
    for step in np.unique(ladder):
        on = ladder == step
        ladder_fit[:, on] = np.max(np.where(near[:, on], f[:, on], -1.0), axis=1)[:, None]
    ids = np.broadcast_to(id_rank, f.shape)
    coverage = [np.zeros_like(f) if a is None else -np.round(np.nan_to_num(a[:, cols]), 6) for a in (further, core)]
    keys = (ids, u, *coverage, -f, np.where(near, -senior, 0.0), np.where(near, ladder, 0),
            np.where(near, -ladder_fit, 0.0), np.where(near, -missing, 0.0), np.where(near, u, 0), ~near)
    return cols[np.lexsort(keys, axis=-1)]


def evaluate(ix: "Index", cands: Candidates, chosen: Sequence[int]) -> Scores:
    """Credit, fit, gates and role order for every candidate."""
    credit = credit_matrix(ix, cands.evidence)
    if cands.implied is not None:
        credit = np.maximum(credit, cands.implied)
    fit, core, further = fits(ix, credit)
    gates, unmet, unshown = gate_arrays(ix, cands, credit)
    order = rank_roles(ix, fit, unmet, cands.years, chosen, core, further, unshown)
    return Scores(credit, fit, core, further, tuple(gates), unmet, tuple(chosen), order)


def gap_order(ix: "Index", r: int, credit: np.ndarray, limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The requirements of role `r` each candidate misses: core before further, then the largest
    weighted gap, ties by id.

    Returns (competency positions, gaps), rows x requirements (or `limit`); a gap of 0 means
    covered, so callers stop at the first zero.
    """
    rr = ix.role_rows()[r]
    gap = rr.w[None, :] * (1.0 - requirement_credit(rr, credit[:, rr.positions]))
    id_rank = np.broadcast_to(ix.comp_id_rank[rr.cols], gap.shape)
    further = np.broadcast_to(rr.is_further, gap.shape)
    covered = gap <= 0
    order = np.lexsort((id_rank, -gap, further, covered), axis=-1)
    if limit is not None:
        order = order[:, :limit]
    return rr.cols[order], np.take_along_axis(gap, order, axis=1)


def helpful_courses(ix: "Index", j: int, credit: float, limit: int = COURSES_PER_GAP) -> list["Course"]:
    """Courses that would raise competency `j` above the credit the candidate has, best first."""
    return [course for course, value in ix.ranked_courses()[j] if value > credit][:limit]


def trial_fits(rr: "RoleRows", sub: np.ndarray, cc: np.ndarray) -> np.ndarray:
    """Fit per row and course (rows x courses) with each course's credit (`cc`, courses x
    `rr.positions`) added to `sub`, the rows' credit over `rr.positions`."""
    rows, k = sub.shape[0], cc.shape[0]
    if rows * k <= 4096:  # one candidate (a learning plan): every course in one go
        stacked = np.maximum(sub[:, None, :], cc[None, :, :]).reshape(-1, sub.shape[1])
        return role_fit(rr, stacked).reshape(rows, k)
    out = np.empty((rows, k))
    for i in range(k):  # many rows: one course at a time keeps memory at rows x requirements
        out[:, i] = role_fit(rr, np.maximum(sub, cc[i]))
    return out


def course_gains(ix: "Index", r: int, credit: np.ndarray) -> np.ndarray:
    """Fit points each course would add to role `r` on its own: candidates x courses.

    The one gain rule, used by the learning plan and the workforce summary alike: the fit
    recomputed with the course's credit (COURSE_CREDIT) where it beats the candidate's.
    """
    rr = ix.role_rows()[r]
    cur = credit[:, rr.positions]
    useful, cc = ix.role_courses(r)  # the courses that credit anything of the role, and that credit
    out = np.zeros((cur.shape[0], len(ix.course_ids)))
    out[:, useful] = trial_fits(rr, cur, cc) - role_fit(rr, cur)[:, None]
    return out


def greedy_courses(rr: "RoleRows", courses: np.ndarray, cc: np.ndarray, sub: np.ndarray,
                   min_gain: float) -> list[tuple[int, float, float, int]]:
    """Courses one after another, each the one of `courses` (with their credit `cc`) that raises
    the mean fit of the rows of `sub` most on top of those before, by the one gain rule; at most
    PLAN_STEPS, each adding `min_gain` points or more. Per step: (course position, mean gain,
    mean fit after, rows it raises). The single-candidate learning plan and the workforce plan."""
    fit = role_fit(rr, sub)
    steps: list[tuple[int, float, float, int]] = []
    for _ in range(PLAN_STEPS if courses.size else 0):
        trials = trial_fits(rr, sub, cc)
        gains = trials.mean(axis=0) - fit.mean()
        i = int(np.argmax(gains))  # ties: the first, in the order given
        if gains[i] < min_gain:
            break
        helped = int((trials[:, i] > fit + 1e-9).sum())
        sub, fit = np.maximum(sub, cc[i]), trials[:, i]
        steps.append((int(courses[i]), float(gains[i]), float(fit.mean()), helped))
    return steps


def learning_plan(ix: "Index", r: int, credit: np.ndarray) -> list[tuple[int, float, float]]:
    """Greedy plan for one candidate: (course position, gain, fit after) per step, each course
    credited by the one gain rule on top of the steps before it."""
    rr = ix.role_rows()[r]
    useful, cc = ix.role_courses(r)
    sub = np.asarray(credit, dtype=np.float64)[None, rr.positions]
    return [(k, gain, min(100.0, after)) for k, gain, after, _ in greedy_courses(rr, useful, cc, sub, PLAN_MIN_GAIN)]
