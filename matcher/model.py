"""The data the recommender reasons over, as frozen dataclasses.

Frozen because a loaded tree is shared by every query (and by worker processes in batch
runs): nothing may change it behind another caller's back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

KINDS = ("basic", "technical", "cross-disciplinary", "digital", "language")

# Importance of a requirement by the BIS section it is listed in. Skills "requested in job
# adverts" matter most; basic before technical; within the technical tree an area (top
# level) counts more than a competency, which counts more than its "z. B." example, because
# the example is one way among several to show the competency. A term in several sections
# takes the highest weight.
SECTION_WEIGHTS: Mapping[str, float] = MappingProxyType({
    "advert": 1.0,
    "basic": 0.8,
    "technical-area": 0.5,
    "technical-competency": 0.4,
    "technical-example": 0.25,
    "cross": 0.4,
    "cross-sub": 0.3,
    "digital": 0.1,
})

# A requirement's tier. Core: what the role cannot do without (BIS: the competencies "requested in
# job adverts" and the basic ones); further: the rest of the profile, a bounded bonus; example: a
# BIS "z. B." item, not a requirement but evidence for the requirement it illustrates.
TIERS = ("core", "further", "example")

# How far a competency carries across trades (ESCO's reusability levels): `cross-sector` ones
# (leadership, project management, presenting, office software, languages) are shown in most
# trades, so on their own they say little about fitness for this one (score.py, the anchor).
# Marked on a tree node, inherited by everything below it; language and digital kinds always are.
REUSE = ("cross-sector",)

CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")

# Education levels in ascending order; a gate asks for at least one of them.
EDUCATION_LEVELS = ("vocational", "matura", "bachelor", "master", "doctorate")


def section_weight(sections: tuple[str, ...]) -> float:
    return max(SECTION_WEIGHTS[s] for s in sections)


def section_tier(sections: tuple[str, ...], kinds: tuple[str, ...]) -> str:
    """The tier the BIS sections of a term give it (`import-bis` and the loader share this rule).

    Requested in adverts or basic: core, unless the term is a cross-disciplinary (soft) skill,
    which is never core; listed only as a "z. B." example: an example; anything else: further.
    """
    if {"advert", "basic"} & set(sections) and "cross-disciplinary" not in kinds:
        return "core"
    if sections and set(sections) == {"technical-example"}:
        return "example"
    return "further"


@dataclass(frozen=True)
class Link:
    """A curated lateral link between two competencies, read symmetrically.

    `related`: evidence for one gives the other partial credit (score.RELATED_CREDIT);
    `equivalent`: two BIS nodes that name the same thing (Beschwerdemanagement and
    Reklamationsbearbeitung): full credit, and a role listing both counts them once.
    """

    id: str
    kind: str  # "related" | "equivalent"
    source: str
    note: str | None = None
    origin: str = ""  # the data file that states it (for messages)


@dataclass(frozen=True)
class Alias:
    text: str
    lang: str  # ISO 639-1, or "zxx" for brand and product names (no language)


@dataclass(frozen=True)
class Competency:
    id: str
    label_de: str
    label_en: str
    parent: str | None
    kinds: tuple[str, ...]
    sources: tuple[str, ...]
    aliases: tuple[Alias, ...] = ()
    placement: str | None = None  # "curated" when the source does not state the parent
    origin: str = ""  # the data file it came from
    related: tuple[Link, ...] = ()  # symmetric: the loader adds the reverse of every link
    reuse: str | None = None  # "cross-sector" when marked on this node (REUSE; inherited: Index.cross_sector)

    @property
    def kind(self) -> str:
        return self.kinds[0]

    def label(self, lang: str = "de") -> str:
        return self.label_en if lang == "en" and self.label_en else self.label_de

    def to_dict(self) -> dict:
        aliases: dict[str, list[str]] = {}
        for a in self.aliases:
            aliases.setdefault(a.lang, []).append(a.text)
        return {
            "id": self.id, "label_de": self.label_de, "label_en": self.label_en, "parent": self.parent,
            "kind": list(self.kinds), "source": list(self.sources), "placement": self.placement, "aliases": aliases,
            "related": [{"id": k.id, "kind": k.kind, "source": k.source} for k in self.related],
            "reuse": self.reuse,
        }


@dataclass(frozen=True)
class Requirement:
    """One competency a role asks for, in its tier (core or further; examples hang below).

    `examples` are the role's "z. B." items for this requirement: each satisfies it fully.
    `also` are requirements the role listed separately that name the same thing (an
    `equivalent` link); they are counted once, here.
    """

    competency_id: str
    weight: float
    tier: str = "core"
    sections: tuple[str, ...] = ()
    source: str | None = None
    note: str | None = None
    examples: tuple["Example", ...] = ()
    also: tuple["Example", ...] = ()


@dataclass(frozen=True)
class Example:
    """A role's entry kept below another requirement (an example, or an equivalent listed twice)."""

    competency_id: str
    tier: str = "example"  # as written: an equivalent listed twice keeps its own tier
    sections: tuple[str, ...] = ()
    source: str | None = None
    note: str | None = None
    weight: float | None = None  # its own weight, written back when the sections do not give it


@dataclass(frozen=True)
class LanguageRequirement:
    competency_id: str
    level: str  # CEFR
    required: bool
    source: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class SalaryBand:
    currency: str
    period: str  # "monthly" | "annual"
    country: str
    source: str
    min: float | None = None
    max: float | None = None
    average: float | None = None
    gross: bool = True
    label: str | None = None
    note: str | None = None

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Gates:
    min_years: float | None = None
    education: str | None = None  # minimum of EDUCATION_LEVELS
    education_note: str | None = None
    education_required: bool = True  # False: the source says "normally" (a preference, not a condition)
    qualification_levels: tuple[str, ...] = ()
    sources: Mapping[str, str] = field(default_factory=dict)
    # a core competency without evidence of which the role is not what someone does (a
    # supervisor leads staff): gates.py, and the best-role rule in score.py
    shows: str | None = None


@dataclass(frozen=True)
class Practice:
    """A role's own activity (score.py, practice): years of doing it imply the role's core."""

    competency_id: str
    source: str
    note: str | None = None


@dataclass(frozen=True)
class Role:
    id: str
    title_de: str
    title_en: str
    requirements: tuple[Requirement, ...]
    source: str
    ams_code: str | None = None
    bis_area: str | None = None
    title_aliases: tuple[str, ...] = ()
    related_roles: tuple[str, ...] = ()
    languages: tuple[LanguageRequirement, ...] = ()
    gates: Gates = Gates()
    career_next: tuple[str, ...] = ()
    salary: tuple[SalaryBand, ...] = ()
    origin: str = ""
    practice: Practice | None = None

    def title(self, lang: str = "de") -> str:
        return self.title_en if lang == "en" else self.title_de

    def to_dict(self) -> dict:
        return {
            "id": self.id, "title_de": self.title_de, "title_en": self.title_en, "ams_code": self.ams_code,
            "bis_area": self.bis_area, "source": self.source, "title_aliases": list(self.title_aliases),
            "related_roles": list(self.related_roles),
            "requirements": [
                {"id": r.competency_id, "tier": r.tier, "weight": r.weight, "sections": list(r.sections),
                 "source": r.source, "note": r.note, "examples": [e.competency_id for e in r.examples],
                 "also": [e.competency_id for e in r.also]}
                for r in self.requirements
            ],
            "languages": [
                {"id": lr.competency_id, "level": lr.level, "required": lr.required, "source": lr.source}
                for lr in self.languages
            ],
            "gates": {"min_years": self.gates.min_years, "education": self.gates.education, "shows": self.gates.shows,
                      "education_required": self.gates.education_required,
                      "qualification_levels": list(self.gates.qualification_levels)},
            "career_next": list(self.career_next),
            "salary": [s.to_dict() for s in self.salary],
            "practice": self.practice.competency_id if self.practice else None,
        }


@dataclass(frozen=True)
class Course:
    id: str
    title_de: str
    title_en: str
    kind: str  # deepening | advancement | cross-cutting | certificate | training
    develops: tuple[str, ...]
    source: str
    provider_types: tuple[str, ...] = ()
    providers: tuple[str, ...] = ()
    entry_requirements: tuple[str, ...] = ()

    def title(self, lang: str = "de") -> str:
        return self.title_en if lang == "en" else self.title_de


@dataclass(frozen=True)
class Data:
    """The whole loaded data set: tree, roles and courses, in file order."""

    competencies: Mapping[str, Competency]
    roles: Mapping[str, Role]
    courses: Mapping[str, Course]
    files: tuple[str, ...]  # every file read, for the index manifest
