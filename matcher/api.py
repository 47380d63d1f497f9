"""The Python interface: `Matcher`, and `match()` / `resolve()` on a cached default.

    >>> from matcher import match, resolve
    >>> results = match("Salesforce, Verhandlungsgeschick, SAP, Englisch C1", years=5)
    >>> results[0].role.id, round(results[0].fit, 1)  # doctest: +SKIP

The module-level functions share one `Matcher` per data directory (honouring
`MATCHER_DATA_DIR`), so the index is loaded once per process.
"""

from __future__ import annotations

import numbers
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence


from .errors import InputError, UsageError
from .index import Index, get_index
from .limits import MAX_ITEMS, MAX_TEXT_CHARS
from .overlay import ENV_DATA_DIR
from .parse import MAX_YEARS
from .pipeline import Pipeline
from .results import MatchReport, Mention, Resolution, RoleMatch
from .score import role_positions

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .batch import BatchReport
    from .pipeline import Reading

Skills = str | Sequence[str]


def _stderr_notice(message: str) -> None:
    print(f"matcher: {message}", file=sys.stderr)


class Matcher:
    """Resolve skills and score roles against one data set (bundled data plus an optional overlay)."""

    def __init__(self, data_dir: str | Path | None = None, *,
                 notify: Callable[[str], None] | None = _stderr_notice, max_items: int = MAX_ITEMS) -> None:
        if data_dir is not None and not isinstance(data_dir, (str, os.PathLike)):
            raise UsageError(f"data_dir must be a path (str or pathlib.Path), got {type(data_dir).__name__}",
                             fix='e.g. Matcher("~/matcher-data") or Matcher() for the bundled data')
        if isinstance(max_items, bool) or not isinstance(max_items, numbers.Integral) or max_items < 1:
            raise UsageError(f"max_items must be a whole number >= 1, got {max_items!r}", fix="e.g. max_items=5000")
        self.data_dir = Path(data_dir).expanduser() if data_dir else None
        self.max_items = max_items
        self._notify = notify
        self._pipeline: Pipeline | None = None

    # -- plumbing ----------------------------------------------------------------------------

    @property
    def pipeline(self) -> Pipeline:
        """The one text-to-fit pipeline over this data set (loads the index on first use)."""
        if self._pipeline is None:
            self._pipeline = Pipeline(get_index(self.data_dir, notify=self._notify), data_dir=self._data_dir_str)
        return self._pipeline

    @property
    def _data_dir_str(self) -> str | None:
        return str(self.data_dir) if self.data_dir else None

    @property
    def index(self) -> Index:
        return self.pipeline.ix

    def build(self) -> Index:
        """Rebuild the index from the data now (what `matcher build` does)."""
        self._pipeline = Pipeline(get_index(self.data_dir, rebuild=True, notify=self._notify), data_dir=self._data_dir_str)
        return self._pipeline.ix

    @property
    def roles(self) -> list[str]:
        return list(self.index.role_ids)

    # -- resolution -------------------------------------------------------------------------

    def resolve(self, skills: Skills) -> list[Resolution]:
        """One result per item, in order. A string is split into items; a list is taken item by item."""
        return self._read(skills)[0]

    def _read(self, skills: Skills) -> tuple[list[Resolution], "Reading"]:
        if isinstance(skills, str) and len(skills) > MAX_TEXT_CHARS:
            raise InputError(f"the skill list has {len(skills):,} characters; the limit for one CV is {MAX_TEXT_CHARS:,}",
                             fix="pass only the skills section, or use 'matcher batch' for many people")
        p = self.pipeline
        raws = p.split(skills) if isinstance(skills, str) else _as_list(skills)
        if len(raws) > self.max_items:
            raise InputError(f"{len(raws):,} skill items; the limit for one CV is {self.max_items:,}",
                             fix="pass only the skills section, raise the limit (--max-items / max_items=), "
                                 "or use 'matcher batch' for many people")
        reading = p.read([raws])
        items = reading.items(0)
        if isinstance(skills, str):  # a bare bullet or punctuation in a pasted text is not an item
            items = [i for i in items if i.method != "empty"]
        return items, reading

    # -- matching ---------------------------------------------------------------------------

    def report(self, skills: Skills, *, years: float | None = None, roles: Iterable[str] | None = None,
               top: int | None = None) -> MatchReport:
        """Every role scored, best first, with how each item was read and the next career step."""
        chosen, years = self._options(years, roles, top)
        items, reading = self._read(skills)
        return self.pipeline.report(items, reading, years=years, chosen=chosen, top=top)

    def match_competencies(self, ids: Iterable[str], *, years: float | None = None,
                           roles: Iterable[str] | None = None, top: int | None = None) -> list[RoleMatch]:
        """Score a set of competency ids directly, with no reading: what scoring makes of exactly
        this evidence (each id fully shown), so scoring can be judged apart from reading.

            >>> Matcher().match_competencies(["verkaufsverhandlung", "salesforce"], years=5)  # doctest: +SKIP
        """
        chosen, years = self._options(years, roles, top)
        wanted = [ids] if isinstance(ids, str) else list(ids)
        comps = self.index.data.competencies
        unknown = [i for i in wanted if not isinstance(i, str) or i not in comps]
        if unknown:
            raise UsageError(f"unknown competency id {', '.join(map(repr, unknown[:5]))}",
                             fix="use ids from 'matcher taxonomy' (e.g. verkaufsverhandlung)")
        items = [Resolution(cid, comps[cid].label_de, comps[cid], 1.0, "given",
                            mentions=(Mention(comps[cid], 1.0, "given", cid),)) for cid in dict.fromkeys(wanted)]
        reading = self.pipeline.reading_of(items)
        return list(self.pipeline.report(items, reading, years=years, chosen=chosen, top=top).results)

    def _options(self, years: float | None, roles: Iterable[str] | None,
                 top: int | None) -> tuple[tuple[int, ...], float | None]:
        role_filter = self.check_roles(roles)
        if years is not None and (not isinstance(years, numbers.Real) or isinstance(years, bool)
                                  or not 0 <= float(years) <= MAX_YEARS):
            raise UsageError(f"years must be a number from 0 to {MAX_YEARS}, got {years!r}", fix="e.g. years=5")
        if top is not None and (not isinstance(top, int) or top < 1):
            raise UsageError(f"top must be a positive whole number, got {top!r}", fix="e.g. top=3")
        chosen = role_positions(self.index, sorted(role_filter) if role_filter else ())
        return chosen, None if years is None else float(years)

    def match(self, skills: Skills, *, years: float | None = None, roles: Iterable[str] | None = None,
              top: int | None = None) -> list[RoleMatch]:
        """Every role (or the `roles` subset), best fit first."""
        return list(self.report(skills, years=years, roles=roles, top=top).results)

    def score_frame(self, df: "pd.DataFrame", *, roles: Iterable[str] | None = None, id_col: str | None = None,
                    skills_col: str | None = None, years_col: str | None = None, lang: str = "de") -> "pd.DataFrame":
        """Score a workforce table: the same wide result `matcher batch` writes, one row per input row."""
        from .batch import score_frame

        return score_frame(self.pipeline, df, roles=sorted(self.check_roles(roles) or ()), id_col=id_col, skills_col=skills_col, years_col=years_col, lang=lang)

    def score_file(self, input_path: str | Path, output: str | Path, *, roles: Iterable[str] | None = None,
                   **options: Any) -> "BatchReport":
        """Score an export file and write the scores (and `summary=` the training needs) atomically.

        The options are those of `matcher batch` (see `matcher.batch.score_file`)."""
        from .batch import score_file

        return score_file(self.pipeline, input_path, output, roles=sorted(self.check_roles(roles) or ()), **options)

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
    bad = [type(s).__name__ for s in skills if s is not None and not isinstance(s, str)]
    if bad:
        raise UsageError(f"skill items must be strings, got {', '.join(sorted(set(bad)))}",
                         fix='e.g. match(["SAP", "CRM"]); decode bytes first')
    return ["" if s is None else s for s in skills]


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
