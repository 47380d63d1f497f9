"""The index: lookup tables, the TF-IDF model and the role, hierarchy and course matrices.

Everything a query needs, built once from the data (`build.py`) and persisted (`store.py`).
Sparse matrices are stored as plain arrays so that a query needs numpy only: importing
scipy.sparse costs a fifth of the one-second cold-start budget.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Sequence

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from ..model import Data

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Role
from .tfidf import vectorise


@dataclass(frozen=True)
class RoleRows:
    """One role's requirements as arrays: competency positions, weights, which are core, and its
    "z. B." examples as (requirement index, competency position) pairs. The derived fields are
    what every fit reads, computed once."""

    cols: np.ndarray
    w: np.ndarray
    core: np.ndarray
    ex_req: np.ndarray
    ex_pos: np.ndarray
    cross: np.ndarray | None = None  # per requirement: a cross-sector competency (model.REUSE)
    positions: np.ndarray = field(init=False)  # every competency the fit reads: requirements, then examples
    core_w: np.ndarray = field(init=False)  # weights of the core tier (all requirements if none is core), summing to 1
    further_w: np.ndarray | None = field(init=False)  # the same for the further tier, None when there is none
    core_at: np.ndarray = field(init=False)
    further_at: np.ndarray = field(init=False)
    is_further: np.ndarray = field(init=False)  # per requirement: in the further tier
    # the core split for the anchor (score.tier_coverage): positions in core_at of the trade's own
    # and of the cross-sector requirements; `trade_share` is the trade's part of the core weight
    trade_in_core: np.ndarray = field(init=False)
    cross_in_core: np.ndarray = field(init=False)
    trade_share: float = field(init=False)

    def __post_init__(self) -> None:
        core = self.core if self.core.any() else np.ones_like(self.core)
        set_ = object.__setattr__
        set_(self, "positions", np.concatenate([self.cols, self.ex_pos]))
        set_(self, "core_at", np.nonzero(core)[0])
        set_(self, "further_at", np.nonzero(~core)[0])
        set_(self, "is_further", ~core)
        set_(self, "core_w", self.w[self.core_at] / self.w[self.core_at].sum())
        set_(self, "further_w", self.w[self.further_at] / self.w[self.further_at].sum() if self.further_at.size else None)
        cross = (self.cross if self.cross is not None else np.zeros_like(core))[self.core_at]
        if cross.all():  # a role whose whole core crosses trades has nothing to anchor it
            cross = np.zeros_like(cross)
        set_(self, "trade_in_core", np.nonzero(~cross)[0])
        set_(self, "cross_in_core", np.nonzero(cross)[0])
        set_(self, "trade_share", float(self.core_w[~cross].sum()))


@dataclass
class Index:
    """Lookup tables, TF-IDF model and matrices over one data set (see module docstring)."""

    data: Data
    fingerprint: str
    comp_ids: list[str]
    comp_pos: dict[str, int]
    exact: dict[str, int]
    stems: dict[str, int]
    bags: dict[str, int]
    compact: dict[str, int]
    cores: dict[str, list[tuple[str | None, int]]]
    keys: list[str]
    key_comp: list[int]
    key_stems: list[tuple[str, ...]]
    token_positions: dict[str, list[int]]
    vocabulary: dict[str, int]
    idf: np.ndarray
    # keys x n-grams TF-IDF matrix, rows L2-normalised, as CSC arrays (data, indices, indptr)
    tfidf_csc: tuple[np.ndarray, np.ndarray, np.ndarray]
    parent: np.ndarray  # parent position or -1
    depth: np.ndarray
    # evidence x requirement credit factor, as CSR arrays (data, indices, indptr)
    hierarchy_csr: tuple[np.ndarray, np.ndarray, np.ndarray]
    role_ids: list[str]
    course_ids: list[str]
    course_matrix: np.ndarray  # courses x competencies, 1 = develops
    token_vocab: list[str] = field(default_factory=list)
    # Frequent German and English words (wordfreq, folded): a word that is itself a common word is
    # never read as a typo of another (`Spelling` is not `selling`, `Verträge` not `Vorträge`).
    common_words: frozenset[str] = frozenset()

    # -- query-time helpers ------------------------------------------------------------------

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_cache", None)  # derived arrays are recomputed after loading, not stored
        state.pop("_near", None)
        state.pop("_near_length", None)
        return state

    def with_roles(self, roles: "Sequence[Role]") -> "Index":
        """This index with more roles (a vacancy built from an advert): the lookup tables and the
        matrices are shared, not copied; only what depends on the roles is derived again."""
        import copy
        from dataclasses import replace

        new = copy.copy(self)
        new.data = replace(self.data, roles={**self.data.roles, **{r.id: r for r in roles}})
        new.role_ids = list(new.data.roles)
        new.__dict__["_cache"] = {k: v for k, v in self.__dict__.get("_cache", {}).items()
                                  if k not in ("roles", "language_ids", "shown_ids", "role_courses", "practice", "titles",
                                               "ladders")}
        return new

    def _cached(self, name: str, make: Callable[[], np.ndarray]) -> np.ndarray:
        cache = self.__dict__.setdefault("_cache", {})
        if name not in cache:
            cache[name] = make()
        return cache[name]

    def dense_hierarchy(self) -> np.ndarray:
        def make() -> np.ndarray:
            data, indices, indptr = self.hierarchy_csr
            n = len(self.comp_ids)
            out = np.zeros((n, n))
            rows = np.repeat(np.arange(n), np.diff(indptr))
            out[rows, indices] = data
            return out
        return self._cached("H", make)

    @property
    def comp_id_rank(self) -> np.ndarray:
        """Each competency's position in id order: the documented tie-break between equal gaps."""
        return self._cached("id_rank", lambda: np.argsort(np.argsort(np.asarray(self.comp_ids, dtype=object))))

    def keys_near_length(self, n: int) -> list[str]:
        """Labels and aliases whose length is within a factor 1.5 of `n` (cached per length)."""
        near: dict[int, list[str]] = self.__dict__.setdefault("_near_length", {})
        if n not in near:
            near[n] = [k for k in self.keys if 2 * n <= 3 * len(k) and 2 * len(k) <= 3 * n]
        return near[n]

    @property
    def word_stems(self) -> frozenset[str]:
        """The stem and the core of every word of every label and alias: the words the tree knows."""
        from ..normalise import stem
        from ..vocab import core

        def make() -> frozenset[str]:
            words = {w for k in self.keys for w in k.split()}
            return frozenset({stem(w) for w in words} | {core(w)[0] for w in words} - {""})
        return self._cached("word_stems", make)  # type: ignore[return-value]

    @property
    def compact_starts(self) -> frozenset[str]:
        """First four letters of every compound form: a cheap test before spelling variants out."""
        return self._cached("compact_starts", lambda: frozenset(c[:4] for c in self.compact))  # type: ignore

    @property
    def longest_key(self) -> int:
        """Length of the longest label or alias: what a typo or an n-gram look-alike can be near."""
        return self._cached("longest_key", lambda: max(map(len, self.keys)))  # type: ignore[return-value]

    @property
    def most_key_words(self) -> int:
        """Content words of the wordiest label: more words than this cannot all align with one."""
        return self._cached("most_key_words", lambda: max(map(len, self.key_stems)))  # type: ignore[return-value]

    @property
    def shown_ids(self) -> list[str]:
        """The competencies some role must show (`gates.shows`): the columns of `Candidates.shown`."""
        def make() -> list:
            return list(dict.fromkeys(r.gates.shows for r in self.data.roles.values() if r.gates.shows))
        return self._cached("shown_ids", make)  # type: ignore[return-value]

    @property
    def language_ids(self) -> list[str]:
        """The languages any role asks for, in first-asked order: the columns of language evidence."""
        def make() -> list:
            return list(dict.fromkeys(lr.competency_id for role in self.data.roles.values() for lr in role.languages))
        return self._cached("language_ids", make)  # type: ignore[return-value]

    def cross_sector(self, cid: str) -> bool:
        """Whether a competency is cross-sector (model.REUSE): marked on it or on an ancestor, or
        of kind language or digital."""
        comps = self.data.competencies
        if comps[cid].kind in ("language", "digital"):
            return True
        return any(comps[self.comp_ids[p]].reuse == "cross-sector" for p in self.ancestors(self.comp_pos[cid]))

    def role_rows(self) -> list["RoleRows"]:
        """Per role, its requirements as the scoring arrays read them (in the role's order)."""
        def make() -> list:
            out = []
            for rid in self.role_ids:
                reqs = self.data.roles[rid].requirements
                examples = [(k, self.comp_pos[e.competency_id]) for k, r in enumerate(reqs) for e in r.examples]
                out.append(RoleRows(
                    cols=np.array([self.comp_pos[r.competency_id] for r in reqs], dtype=np.int64),
                    w=np.array([r.weight for r in reqs], dtype=np.float64),
                    core=np.array([r.tier == "core" for r in reqs], dtype=bool),
                    ex_req=np.array([k for k, _ in examples], dtype=np.int64),
                    ex_pos=np.array([p for _, p in examples], dtype=np.int64),
                    cross=np.array([self.cross_sector(r.competency_id) for r in reqs], dtype=bool)))
            return out
        return self._cached("roles", make)  # type: ignore[return-value]

    def practice_rules(self) -> dict[int, list[tuple[float, tuple[int, ...], bool]]]:
        """Per competency that is some role's own activity (`Role.practice`): for each such role, the
        years it asks for and its other core competencies, which that practice implies (score.py).
        A role without a practice but with a must-show competency (`gates.shows`) is practised
        under its title only (`True`): years of leading staff alone are no supervisor's practice,
        years as "Head of Sales" are."""
        def make() -> dict:
            out: dict[int, list[tuple[float, tuple[int, ...], bool]]] = {}
            for rid in self.role_ids:
                role = self.data.roles[rid]
                named = _practised(role)
                if named is None:
                    continue
                core = tuple(self.comp_pos[r.competency_id] for r in role.requirements
                             if r.tier == "core" and r.competency_id != named
                             and "language" not in self.data.competencies[r.competency_id].kinds)
                out.setdefault(self.comp_pos[named], []).append((role.gates.min_years or 0.0, core,
                                                                 role.practice is None))
            return out
        return self._cached("practice", make)  # type: ignore[return-value]

    def practice_titles(self) -> dict[str, tuple[int, float]]:
        """A role's title on a line ("Senior Account Manager", "Key-Account-ManagerIn"): the key of
        each title and title alias of a role with a `practice`, to that practice's position and the
        years the role asks (a junior's title implies no senior's core); of a role without one, to
        the competency it must show (`gates.shows`: "Head of Sales" names a leader of staff). A
        title two practices share names neither."""
        def make() -> dict:
            from ..normalise import key

            out: dict[str, tuple[int, float]] = {}
            for rid in self.role_ids:
                role = self.data.roles[rid]
                named = _practised(role)
                if named is None:
                    continue
                pos, years = self.comp_pos[named], role.gates.min_years or 0.0
                for t in (role.title_de, role.title_en, *role.title_aliases):
                    k = key(t)
                    had = out.get(k, (pos, years))
                    out[k] = (pos, max(years, had[1])) if had[0] == pos else (-1, 0.0)
            return {k: v for k, v in out.items() if k and v[0] >= 0}
        return self._cached("titles", make)  # type: ignore[return-value]

    def role_ladders(self) -> np.ndarray:
        """Per role position, the career ladder it stands on (score.py, best role): the roles that
        share a practice share one; a role without a practice of its own stands on the ladder whose
        practice it asks for as core (the Account Supervisor, who has worked as an account
        manager), else on a ladder of its own."""
        def make() -> np.ndarray:
            roles = [self.data.roles[i] for i in self.role_ids]
            practices = {r.practice.competency_id for r in roles if r.practice}
            def ladder(r: Any) -> str:
                if r.practice:
                    return r.practice.competency_id
                asked = [q.competency_id for q in r.requirements if q.tier == "core" and q.competency_id in practices]
                return asked[0] if asked else r.id
            return np.unique([ladder(r) for r in roles], return_inverse=True)[1]
        return self._cached("ladders", make)

    def ranked_courses(self) -> list[list[tuple[Any, float]]]:
        """Per competency: (course, credit it gives) ranked by credit, then breadth, then id order."""
        def make() -> list:
            cc = self.course_credit()
            breadth = self.course_matrix.sum(axis=1)
            courses = list(self.data.courses.values())
            return [[(courses[k], float(cc[k, j])) for k in sorted(np.nonzero(cc[:, j])[0],
                                                                    key=lambda k: (-cc[k, j], -breadth[k], k))]
                    for j in range(cc.shape[1])]
        return self._cached("ranked_courses", make)  # type: ignore[return-value]

    def role_courses(self, r: int) -> tuple[np.ndarray, np.ndarray]:
        """The courses that credit some competency role `r`'s fit reads, and that credit over
        `role_rows()[r].positions` (what every learning-plan step compares)."""
        cache = self._cached("role_courses", dict)  # type: ignore[arg-type]
        if r not in cache:
            cc = self.course_credit()[:, self.role_rows()[r].positions]
            useful = np.nonzero((cc > 0).any(axis=1))[0]
            cache[r] = (useful, cc[useful])
        return cache[r]

    def course_credit(self) -> np.ndarray:
        """Credit each course would give each competency (courses x competencies): what the course
        develops, through the same hierarchy as evidence, at COURSE_CREDIT (learnt, not practised)."""
        from ..score import COURSE_CREDIT

        def make() -> np.ndarray:
            H = self.dense_hierarchy()
            out = np.zeros(self.course_matrix.shape)
            for c, row in enumerate(self.course_matrix):
                cols = np.nonzero(row)[0]
                if cols.size:
                    out[c] = COURSE_CREDIT * H[cols].max(axis=0)
            return out
        return self._cached("CC", make)

    def vectorise(self, text: str) -> tuple[np.ndarray, np.ndarray] | None:
        return vectorise(text, self.vocabulary, self.idf)

    def cosine(self, text: str) -> np.ndarray | None:
        vec = self.vectorise(text)
        if vec is None:
            return None
        data, indices, indptr = self.tfidf_csc
        cols, vals = vec
        lo = indptr[cols]
        lens = indptr[cols + 1] - lo
        # every stored (key, n-gram) entry of the query's n-grams, gathered in one go
        at = np.repeat(lo - np.cumsum(lens) + lens, lens) + np.arange(int(lens.sum()))
        return np.bincount(indices[at], weights=data[at] * np.repeat(vals, lens), minlength=len(self.keys))

    def candidates_for(self, query: list[str]) -> list[int]:
        """Entries sharing a word (or a one-typo variant of one) with the query."""
        found: set[int] = set()
        near: dict[str, list[str]] = self.__dict__.setdefault("_near", {})
        for t in query:
            found.update(self.token_positions.get(t, ()))
            if len(t) >= 7:
                if t not in near:
                    if len(near) > 50_000:
                        near.clear()
                    near[t] = [c for c, _, _ in process.extract(t, self.token_vocab, scorer=OSA.distance,
                                                                 score_cutoff=1, limit=5)]
                for cand in near[t]:
                    found.update(self.token_positions.get(cand, ()))
        return sorted(found)

    def ancestors(self, pos: int) -> list[int]:
        out = [pos]
        while self.parent[out[-1]] >= 0:
            out.append(int(self.parent[out[-1]]))
        return out

    def lowest_common_ancestor(self, positions: list[int]) -> int | None:
        chains = [self.ancestors(p) for p in positions]
        common = set(chains[0]).intersection(*chains[1:])
        if not common:
            return None
        return max(common, key=lambda p: self.depth[p])


def _practised(role: "Role") -> str | None:
    """The competency a role's title and practice name: its own activity (`practice`), or for a
    role without one the competency it must show (`gates.shows`); None when it has neither."""
    return role.practice.competency_id if role.practice is not None else role.gates.shows
