"""A role's requirement entries, as written, become its tiered requirements.

Kept apart from the loader because `import-bis`, the loader and the round trip
(`requirement_entries`) must agree on one rule:

- an entry's tier is written (`tier:`) or follows from its BIS sections (`model.section_tier`),
  else it is core; a cross-disciplinary (soft) skill is never core;
- an `example` is not a requirement: it hangs below the requirement it illustrates, written as
  `example_of:` or else the nearest ancestor in the tree that the role requires;
- two requirements linked as `equivalent` in the tree are counted once: the one in the better
  tier (then the higher weight, then the first listed) stays, the other is kept in its `also`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping

from .model import TIERS, Competency, Example, Requirement, section_tier, section_weight


@dataclass(frozen=True)
class Entry:
    """One requirement line of a role file, checked but not yet placed."""

    competency_id: str
    weight: float | None  # None only for an example written without one
    tier: str
    sections: tuple[str, ...]
    source: str | None
    note: str | None
    example_of: str | None = None

    def as_example(self) -> Example:
        return Example(self.competency_id, self.tier, self.sections, self.source, self.note, self.weight)


def tier_of(raw: Any, sections: tuple[str, ...], comp: Competency) -> str | None:
    """The written tier, else the one the sections give, else core (further for a soft skill),
    so that a role file written before tiers existed reads as it meant; None when unknown."""
    if raw is not None:
        return raw if raw in TIERS else None
    if sections:
        return section_tier(sections, comp.kinds)
    return "further" if "cross-disciplinary" in comp.kinds else "core"


def assemble(entries: list[Entry], comps: Mapping[str, Competency], where: str,
             problems: list[str]) -> tuple[Requirement, ...]:
    """Requirements in file order, examples and equivalents placed below them (see module doc)."""
    kept: list[Requirement] = []
    for e in entries:
        if e.tier == "example":
            continue
        if e.tier == "core" and "cross-disciplinary" in comps[e.competency_id].kinds:
            problems.append(f"{where}: requirement '{e.competency_id}' is a cross-disciplinary (soft) skill and "
                            "cannot be core. Fix: write 'tier: further'.")
            continue
        req = Requirement(e.competency_id, e.weight or 0.0, e.tier, e.sections, e.source, e.note)
        twin = next((k for k, r in enumerate(kept) if _equivalent(comps, r.competency_id, e.competency_id)), None)
        if twin is None:
            kept.append(req)
            continue
        old = kept[twin]
        if (TIERS.index(req.tier), -req.weight) < (TIERS.index(old.tier), -old.weight):
            kept[twin] = replace(req, also=(_as_example(old), *old.also))
        else:
            kept[twin] = replace(old, also=(*old.also, e.as_example()))
    by_id = {r.competency_id: k for k, r in enumerate(kept)}
    for r in list(kept):
        for a in r.also:
            by_id[a.competency_id] = by_id[r.competency_id]
    for e in entries:
        if e.tier != "example":
            continue
        parent = e.example_of or _required_ancestor(comps, e.competency_id, by_id)
        if parent is None or parent not in by_id:
            problems.append(f"{where}: example '{e.competency_id}' illustrates no requirement of this role "
                            f"({'example_of: ' + parent if parent else 'no ancestor in the tree is required'}). "
                            "Fix: write 'example_of: <a required id>', or 'tier: further'.")
            continue
        k = by_id[parent]
        if kept[k].tier == "core" and "cross-disciplinary" in comps[e.competency_id].kinds:
            problems.append(f"{where}: example '{e.competency_id}' is a cross-disciplinary (soft) skill and would "
                            f"satisfy the core requirement '{parent}'. Fix: write 'tier: further' for it.")
            continue
        kept[k] = replace(kept[k], examples=(*kept[k].examples, e.as_example()))
    return tuple(kept)


def _as_example(r: Requirement) -> Example:
    return Example(r.competency_id, r.tier, r.sections, r.source, r.note, r.weight)


def _equivalent(comps: Mapping[str, Competency], a: str, b: str) -> bool:
    return any(link.id == b and link.kind == "equivalent" for link in comps[a].related)


def _required_ancestor(comps: Mapping[str, Competency], cid: str, required: Mapping[str, int]) -> str | None:
    parent = comps[cid].parent
    while parent is not None:
        if parent in required:
            return parent
        parent = comps[parent].parent if parent in comps else None
    return None


def requirement_entries(requirements: tuple[Requirement, ...]) -> list[dict[str, Any]]:
    """The role file's requirement lines for `requirements`: the inverse of `assemble`."""
    out: list[dict[str, Any]] = []

    def line(cid: str, tier: str, sections: tuple[str, ...], weight: float | None, source: str | None,
             note: str | None, example_of: str | None = None) -> None:
        derived = section_weight(sections) if sections else None
        out.append({"id": cid, "tier": tier, **({"sections": list(sections)} if sections else {}),
                    **({"weight": weight} if weight is not None and weight != derived else {}),
                    **({"example_of": example_of} if example_of else {}),
                    **({"source": source} if source else {}), **({"note": note} if note else {})})

    for r in requirements:
        line(r.competency_id, r.tier, r.sections, r.weight, r.source, r.note)
        for a in r.also:
            line(a.competency_id, a.tier, a.sections, a.weight, a.source, a.note)
        for x in r.examples:
            line(x.competency_id, x.tier, x.sections, x.weight, x.source, x.note, r.competency_id)
    return out
