"""What a match returns: frozen dataclasses with `to_dict()` giving JSON-ready data.

The JSON shape (`SCHEMA_VERSION`) is a public interface (the CLI's `--json`), documented in
the README; change it only with a version bump.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Competency, Course, Role

SCHEMA_VERSION = 4  # 2: tiers, bands, core/further parts, relations and examples; 3: practice (implied evidence);
# 4: the `shows` gate (a competency a role must show)


def round1(value: float) -> float:
    """A fit or a gain to one decimal as every output shows it (JSON, the terminal, batch files):
    numpy's rounding, the one the batch columns use (`np.round`: scale, round half to even,
    unscale), done in plain Python for a scalar, so that all of them print the same number."""
    value = float(value)
    if value != value or value in (float("inf"), float("-inf")):
        return value
    return round(value * 10.0) / 10.0


def _period(span: tuple[int, int] | None) -> list[str] | None:
    """A span of months as ["YYYY-MM", "YYYY-MM"] (first and last month)."""
    if span is None:
        return None
    return [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in (span[0], span[1] - 1)]


def _comp(c: Competency | None) -> dict | None:
    return None if c is None else {"id": c.id, "label_de": c.label_de, "label_en": c.label_en}


@dataclass(frozen=True)
class Mention:
    """One competency read from an item: which words named it, how sure, by which method."""

    competency: Competency
    score: float
    method: str
    words: str  # the words of the item that name it (normalised)
    # method "practice": not named but implied by years of this role's own activity (score.py)
    implied_by: Competency | None = None

    def to_dict(self) -> dict:
        return {"competency": _comp(self.competency), "score": self.score, "method": self.method,
                "words": self.words}


@dataclass(frozen=True)
class Resolution:
    """How one input item was understood."""

    raw: str  # as written
    text: str  # after stripping bullets, levels and years
    competency: Competency | None
    score: float  # confidence in [0, 1]
    method: str  # exact | stem | compound | core | fuzzy | tokens | head | tfidf | parts | phrase | title | none | education | experience | goal | empty | given
    hint: Competency | None = None  # closest candidate when unrecognised
    hint_score: float = 0.0
    level: str | None = None
    years: float | None = None
    education: str | None = None
    truncated: bool = False  # the item was longer than MAX_ITEM_CHARS and was cut
    # Every competency the item names, the one in `competency` first: a sentence or a line such
    # as "Vertragsverhandlungen und Preisverhandlungen" names several, and all count as evidence.
    mentions: tuple[Mention, ...] = ()
    span: tuple[int, int] | None = None  # a period of work named in the item, in months (dates.py)
    experience: float | None = None  # total years of work the item states ("7 years of experience in ...")

    @property
    def further(self) -> tuple[Competency, ...]:
        """The competencies the item names besides the first (for a degree: its subject)."""
        return tuple(m.competency for m in self._further())

    def _further(self) -> tuple[Mention, ...]:
        return self.mentions[1:] if self.competency is not None else self.mentions

    def to_dict(self) -> dict:
        return {
            "input": self.raw, "text": self.text, "competency": _comp(self.competency), "score": self.score,
            "method": self.method, "further": [m.to_dict() for m in self._further()], "hint": _comp(self.hint),
            "hint_score": self.hint_score, "level": self.level, "years": self.years, "education": self.education,
            "truncated": self.truncated, "period": _period(self.span),
        }


@dataclass(frozen=True)
class Shown:
    """A "z. B." example of a requirement, and whether the candidate shows it."""

    competency: Competency
    shown: bool

    def to_dict(self) -> dict:
        return {"competency": _comp(self.competency), "shown": self.shown}


@dataclass(frozen=True)
class Evidence:
    """A requirement the candidate covers, the item that shows it, and the credit given."""

    competency: Competency
    weight: float
    credit: float  # confidence x credit factor (score.py), in (0, 1]
    item: str  # the input item
    via: Competency  # the competency the item resolved to
    tier: str = "core"
    # how `via` reaches the requirement: direct | example | narrower | broader | equivalent | related |
    # practice (implied by years of the role's own activity, `via`)
    relation: str = "direct"
    examples: tuple[Shown, ...] = ()
    cross: bool = False  # a cross-sector competency: counts at the role's anchor (RoleMatch.anchor)

    def to_dict(self) -> dict:
        return {"competency": _comp(self.competency), "tier": self.tier, "weight": self.weight,
                "credit": round(self.credit, 4), "item": self.item, "via": _comp(self.via), "relation": self.relation,
                "examples": [e.to_dict() for e in self.examples], "cross_sector": self.cross}


@dataclass(frozen=True)
class Missing:
    """A requirement not (fully) covered, with the courses that develop it."""

    competency: Competency
    weight: float
    credit: float  # partial credit already given (0 when nothing)
    courses: tuple[Course, ...] = ()
    tier: str = "core"
    examples: tuple[Shown, ...] = ()
    cross: bool = False  # a cross-sector competency (see Evidence.cross)

    def to_dict(self) -> dict:
        return {"competency": _comp(self.competency), "tier": self.tier, "weight": self.weight,
                "credit": round(self.credit, 4),
                "courses": [{"id": c.id, "title_de": c.title_de, "title_en": c.title_en} for c in self.courses],
                "examples": [e.to_dict() for e in self.examples], "cross_sector": self.cross}


@dataclass(frozen=True)
class Gate:
    """A condition that is not a skill's coverage: a competency the role must show at all, years,
    a language level, education."""

    name: str  # "shows" | "years" | "language" | "education"
    status: str  # "met" | "unmet" | "unknown"
    required: str
    found: str | None
    mandatory: bool = True  # False for "preferred" (e.g. English for a key account manager)
    subject: str | None = None  # the language id for language gates, the competency id for "shows"
    source: str | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}


@dataclass(frozen=True)
class PlanStep:
    course: Course
    gain: float  # fit points this course adds after the previous steps
    fit_after: float

    def to_dict(self) -> dict:
        return {"course": {"id": self.course.id, "title_de": self.course.title_de, "title_en": self.course.title_en,
                           "kind": self.course.kind}, "gain": round1(self.gain), "fit_after": round1(self.fit_after)}


@dataclass(frozen=True)
class RoleMatch:
    """How well the candidate fits one role, and what would close the gap."""

    role: Role
    fit: float  # 0-100: core coverage x (0.8 + 0.2 x further coverage), see score.py
    matched: tuple[Evidence, ...]
    missing: tuple[Missing, ...]
    gates: tuple[Gate, ...]
    plan: tuple[PlanStep, ...]
    core: float = 0.0  # 0-100: weighted share of the core requirements covered
    further: float | None = None  # 0-100, None when the role has no further requirements
    band: str = "far"  # ready | close | far (score.READY, score.CLOSE, gates)
    # 0-1: how much the role's cross-sector core (leadership, presenting, ...) counts, from the
    # role's own core shown (score.anchor); None when the role's core has no cross-sector part
    anchor: float | None = None

    @property
    def required_count(self) -> int:
        return len(self.role.requirements)

    @property
    def matched_count(self) -> int:
        return len(self.matched)

    @property
    def core_count(self) -> int:
        return sum(1 for r in self.role.requirements if r.tier == "core")

    @property
    def core_matched(self) -> int:
        return self.shown("core")

    def shown(self, tier: str) -> int:
        """Requirements of a tier the text shows at least in part (not those only implied by practice)."""
        return sum(1 for e in self.matched if e.tier == tier and e.relation != "practice")

    @property
    def unmet_gates(self) -> tuple[Gate, ...]:
        return tuple(g for g in self.gates if g.status == "unmet" and g.mandatory)

    @property
    def fit_after_plan(self) -> float:
        return self.plan[-1].fit_after if self.plan else self.fit

    def to_dict(self) -> dict:
        return {
            "role": {"id": self.role.id, "title_de": self.role.title_de, "title_en": self.role.title_en},
            "fit": round1(self.fit), "band": self.band, "core": round1(self.core),
            "further": None if self.further is None else round1(self.further),
            "anchor": None if self.anchor is None else round(self.anchor, 4),
            "core_count": self.core_count, "core_matched": self.core_matched,
            "required_count": self.required_count, "matched_count": self.matched_count,
            "gates": [g.to_dict() for g in self.gates],
            "matched": [e.to_dict() for e in self.matched], "missing": [m.to_dict() for m in self.missing],
            "plan": [p.to_dict() for p in self.plan], "fit_after_plan": round1(self.fit_after_plan),
        }


@dataclass(frozen=True)
class CareerStep:
    """A next role up from the best-fitting one, with how far away it is."""

    from_role: Role
    match: RoleMatch

    def to_dict(self) -> dict:
        return {"from": self.from_role.id, "role": self.match.role.id, "title_de": self.match.role.title_de,
                "title_en": self.match.role.title_en, "fit": round1(self.match.fit), "band": self.match.band,
                "missing": [m.to_dict() for m in self.match.missing[:5]],
                "gates": [g.to_dict() for g in self.match.gates]}


@dataclass(frozen=True)
class MatchReport:
    """Everything the CLI shows: per-role results, how each item was read, next steps."""

    results: tuple[RoleMatch, ...]
    items: tuple[Resolution, ...]
    next_steps: tuple[CareerStep, ...]
    years: float | None

    @property
    def unrecognised(self) -> tuple[Resolution, ...]:
        return tuple(r for r in self.items if r.method == "none")

    def to_dict(self) -> dict:
        return {
            "schema_version": SCHEMA_VERSION, "years": self.years,
            "results": [r.to_dict() for r in self.results],
            "items": [i.to_dict() for i in self.items],
            "unrecognised": [i.to_dict() for i in self.unrecognised],
            "next_steps": [s.to_dict() for s in self.next_steps],
        }
