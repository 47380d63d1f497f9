"""The Python interface: `Matcher`, and `match()` / `resolve()` on a cached default.

    >>> from matcher import match, resolve
    >>> results = match("Salesforce, Verhandlungsgeschick, SAP, Englisch C1", years=5)
    >>> results[0].role.id, round(results[0].fit, 1)  # doctest: +SKIP

The module-level functions share one `Matcher` per data directory (honouring
`MATCHER_DATA_DIR`), so the index is loaded once per process.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

import numpy as np

from .errors import InputError, UsageError
from .limits import MAX_ITEMS, MAX_TEXT_CHARS
from .index import Index, get_index
from .loader import ENV_DATA_DIR
from .parse import Item, parse, parse_item
from .resolver import Resolver
from .results import CareerStep, MatchReport, Resolution, RoleMatch
from .score import credits, role_match

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

Skills = str | Sequence[str]


def _stderr_notice(message: str) -> None:
    print(f"matcher: {message}", file=sys.stderr)


class Matcher:
    """Resolve skills and score roles against one data set (bundled data plus an optional overlay)."""

    def __init__(self, data_dir: str | Path | None = None, *,
                 notify: Callable[[str], None] | None = _stderr_notice, max_items: int = MAX_ITEMS) -> None:
        self.data_dir = Path(data_dir) if data_dir else None
        self.max_items = max_items
        self._notify = notify
        self._index: Index | None = None
        self._resolver: Resolver | None = None

    # -- plumbing ----------------------------------------------------------------------------

    @property
    def index(self) -> Index:
        if self._index is None:
            self._index = get_index(self.data_dir, notify=self._notify)
            self._resolver = Resolver(self._index)
        return self._index

    @property
    def resolver(self) -> Resolver:
        self.index  # noqa: B018 - loads the index and the resolver with it
        assert self._resolver is not None
        return self._resolver

    def build(self) -> Index:
        """Rebuild the index from the data now (what `matcher build` does)."""
        self._index = get_index(self.data_dir, rebuild=True, notify=self._notify)
        self._resolver = Resolver(self._index)
        return self._index

    @property
    def roles(self) -> list[str]:
        return list(self.index.role_ids)

    # -- resolution -------------------------------------------------------------------------

    def _resolve_item(self, item: Item) -> Resolution:
        comps = self.index.data.competencies
        if item.kind in ("education", "experience"):
            return Resolution(item.raw, item.text, None, 1.0, item.kind, years=item.years, education=item.education)
        m = self.resolver.resolve(item.text)
        if m.comp is None and not item.text.strip():
            return Resolution(item.raw, item.text, None, 0.0, "empty")
        comp = comps[self.index.comp_ids[m.comp]] if m.comp is not None else None
        hint = comps[self.index.comp_ids[m.hint]] if m.hint is not None else None
        return Resolution(item.raw, item.text, comp, m.score, m.method, hint, m.hint_score, item.level, item.years)

    def resolve(self, skills: Skills) -> list[Resolution]:
        """One result per item, in order. A string is split into items; a list is taken item by item."""
        if isinstance(skills, str) and len(skills) > MAX_TEXT_CHARS:
            raise InputError(f"the skill list has {len(skills):,} characters; the limit for one CV is {MAX_TEXT_CHARS:,}",
                             fix="pass only the skills section, or use 'matcher batch' for many people")
        items = parse(skills) if isinstance(skills, str) else [parse_item(str(s)) for s in _as_list(skills)]
        if len(items) > self.max_items:
            raise InputError(f"{len(items):,} skill items; the limit for one CV is {self.max_items:,}",
                             fix="pass only the skills section, raise the limit (--max-items / max_items=), "
                                 "or use 'matcher batch' for many people")
        return [self._resolve_item(i) for i in items]

    # -- matching ---------------------------------------------------------------------------

    def report(self, skills: Skills, *, years: float | None = None, roles: Iterable[str] | None = None,
               top: int | None = None) -> MatchReport:
        """Every role scored, best first, with how each item was read and the next career step."""
        ix = self.index
        role_filter = self.check_roles(roles)
        if years is not None and (not isinstance(years, (int, float)) or isinstance(years, bool) or years < 0
                                  or not np.isfinite(years)):
            raise UsageError(f"years must be a number >= 0, got {years!r}", fix="e.g. years=5")
        if top is not None and (not isinstance(top, int) or top < 1):
            raise UsageError(f"top must be a positive whole number, got {top!r}", fix="e.g. top=3")
        items = self.resolve(skills)
        if years is None:  # "6 Jahre Berufserfahrung" in the CV stands in for years=
            stated = [i.years for i in items if i.method == "experience" and i.years is not None]
            years = max(stated) if stated else None
        evidence = [i for i in items if i.competency is not None]
        credit, source = credits(ix, [ix.comp_pos[i.competency.id] for i in evidence],  # type: ignore[union-attr]
                                 [i.score for i in evidence])
        cc = ix.course_credit()
        chosen = [r for r, rid in enumerate(ix.role_ids) if role_filter is None or rid in role_filter]
        results = [role_match(ix, r, credit, source, items, evidence, years, cc) for r in chosen]
        results.sort(key=lambda m: (-round(m.fit, 6), len(m.unmet_gates), m.role.id))
        by_id = {m.role.id: m for m in results}
        next_steps: list[CareerStep] = []
        if results:
            best = results[0].role
            for nxt in best.career_next:
                step = by_id.get(nxt) or role_match(ix, ix.role_ids.index(nxt), credit, source, items, evidence,
                                                     years, cc)
                next_steps.append(CareerStep(best, step))
        if top is not None:
            results = results[:top]
        return MatchReport(tuple(results), tuple(items), tuple(next_steps), years)

    def match(self, skills: Skills, *, years: float | None = None, roles: Iterable[str] | None = None,
              top: int | None = None) -> list[RoleMatch]:
        """Every role (or the `roles` subset), best fit first."""
        return list(self.report(skills, years=years, roles=roles, top=top).results)

    def score_frame(self, df: "pd.DataFrame", *, roles: Iterable[str] | None = None, id_col: str | None = None,
                    skills_col: str | None = None, years_col: str | None = None, lang: str = "de") -> "pd.DataFrame":
        """Score a workforce table: the same wide result `matcher batch` writes, one row per input row."""
        from .batch import score_frame

        return score_frame(self, df, roles=roles, id_col=id_col, skills_col=skills_col, years_col=years_col, lang=lang)

    def check_roles(self, roles: Iterable[str] | None) -> set[str] | None:
        if roles is None:
            return None
        wanted = [roles] if isinstance(roles, str) else list(roles)
        unknown = [r for r in wanted if r not in self.index.data.roles]
        if unknown:
            raise UsageError(f"unknown role id {', '.join(map(repr, unknown))}",
                             fix=f"use one of: {', '.join(self.index.role_ids)} (see 'matcher roles')")
        return set(wanted)


def _as_list(skills: Sequence[str]) -> list[str]:
    if not isinstance(skills, (list, tuple)):
        raise UsageError(f"skills must be a string or a list of strings, got {type(skills).__name__}",
                         fix='e.g. match("SAP, CRM") or match(["SAP", "CRM"])')
    return ["" if s is None else str(s) for s in skills]


_DEFAULTS: dict[str | None, Matcher] = {}


def default_matcher() -> Matcher:
    data_dir = os.environ.get(ENV_DATA_DIR) or None
    if data_dir not in _DEFAULTS:
        _DEFAULTS[data_dir] = Matcher(data_dir)
    return _DEFAULTS[data_dir]


def match(skills: Skills, *, years: float | None = None, roles: Iterable[str] | None = None,
          top: int | None = None) -> list[RoleMatch]:
    """Score every role for a skill list (string or list). See `Matcher.match`."""
    return default_matcher().match(skills, years=years, roles=roles, top=top)


def resolve(skills: Skills) -> list[Resolution]:
    """How each item maps onto the competency tree. See `Matcher.resolve`."""
    return default_matcher().resolve(skills)


def score_frame(df: "pd.DataFrame", **kwargs: object) -> "pd.DataFrame":
    """Score a workforce table with the default matcher. See `Matcher.score_frame`."""
    return default_matcher().score_frame(df, **kwargs)  # type: ignore[arg-type]
