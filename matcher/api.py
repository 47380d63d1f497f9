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
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence


from .errors import InputError, UsageError
from .index import Index, get_index
from .limits import MAX_ITEMS, MAX_TEXT_CHARS
from .overlay import ENV_DATA_DIR
from .years import MAX_YEARS
from .pipeline import Pipeline
from .results import MatchReport, Mention, Resolution, RoleMatch
from .score import role_positions

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .batch import BatchReport
    from .pipeline import Reading
    from .vacancy import Vacancy

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
               top: int | None = None, vacancy: "Vacancy | None" = None) -> MatchReport:
        """Every role scored, best first, with how each item was read and the next career step.

        With a `vacancy` (from `vacancy()`), its result comes first and the roles follow for
        comparison (`roles` and `top` choose among those)."""
        p = self._scoring(vacancy)
        chosen, years = self._options(years, roles, top, p, vacancy)
        items, reading = self._read(skills)
        report = p.report(items, reading, years=years, chosen=chosen, top=None if vacancy else top)
        if vacancy is None:
            return report
        own = [r for r in report.results if r.role.id == vacancy.role.id]
        others = [r for r in report.results if r.role.id != vacancy.role.id]
        return replace(report, results=tuple(own + (others[:top] if top is not None else others)))

    def vacancy(self, text: str, *, title: str | None = None, source: str = "advert") -> "Vacancy":
        """A job advert read into a vacancy: `.role` (a normal `Role`), `.nearest_role`, `.unread`,
        `.understood`, `.ok` and `.to_dict()`. See `matcher/vacancy.py` for how it is read.

            >>> v = Matcher().vacancy(open("examples/advert_de.txt").read())  # doctest: +SKIP
            >>> Matcher().match("Key Account Management, SAP", vacancy=v)[0].fit  # doctest: +SKIP
        """
        from .vacancy import read_advert

        if not isinstance(text, str):
            raise UsageError(f"the advert must be text, got {type(text).__name__}", fix="decode it first")
        return read_advert(self.pipeline, text, title=title, source=source)

    def _scoring(self, vacancy: "Vacancy | None") -> Pipeline:
        """The pipeline that scores the bundled roles, and the vacancy's role when one is given."""
        if vacancy is None:
            return self.pipeline
        from .vacancy import Vacancy, same_advert

        if not isinstance(vacancy, Vacancy):
            raise UsageError(f"vacancy must come from Matcher().vacancy(text), got {type(vacancy).__name__}",
                             fix="build it with v = Matcher().vacancy(advert_text)")
        if not vacancy.ok:
            raise InputError(f"the advert '{vacancy.role.title_de}' was {vacancy.verdict}",
                             fix="check that it is a sales, account or customer-care advert, or add aliases for its "
                                 "unread lines in the overlay")
        clash = self.index.data.roles.get(vacancy.role.id)
        if clash is not None and clash != vacancy.role and not same_advert(clash.source, vacancy.source):
            raise UsageError(f"the vacancy's id '{vacancy.role.id}' is a role of this data set already",
                             fix="build the vacancy with this Matcher, or give it another title")
        cached = self.__dict__.get("_vacancy_pipeline")
        if cached is None or cached[0] is not vacancy or cached[1] is not self.pipeline:
            cached = (vacancy, self.pipeline, self.pipeline.with_roles([vacancy.role]))
            self.__dict__["_vacancy_pipeline"] = cached
        return cached[2]

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

    def _options(self, years: float | None, roles: Iterable[str] | None, top: int | None,
                 p: Pipeline | None = None, vacancy: "Vacancy | None" = None) -> tuple[tuple[int, ...], float | None]:
        role_filter = self.check_roles(roles)
        if vacancy is not None and role_filter is not None:
            role_filter.add(vacancy.role.id)
        if years is not None and (not isinstance(years, numbers.Real) or isinstance(years, bool)
                                  or not 0 <= float(years) <= MAX_YEARS):
            raise UsageError(f"years must be a number from 0 to {MAX_YEARS}, got {years!r}", fix="e.g. years=5")
        if top is not None and (not isinstance(top, int) or top < 1):
            raise UsageError(f"top must be a positive whole number, got {top!r}", fix="e.g. top=3")
        chosen = role_positions((p or self.pipeline).ix, sorted(role_filter) if role_filter else ())
        return chosen, None if years is None else float(years)

    def match(self, skills: Skills, *, years: float | None = None, roles: Iterable[str] | None = None,
              top: int | None = None, vacancy: "Vacancy | None" = None) -> list[RoleMatch]:
        """Every role (or the `roles` subset), best fit first; with a `vacancy`, its result first."""
        return list(self.report(skills, years=years, roles=roles, top=top, vacancy=vacancy).results)

    def score_frame(self, df: "pd.DataFrame", *, roles: Iterable[str] | None = None, id_col: str | None = None,
                    skills_col: str | None = None, years_col: str | None = None, lang: str = "de",
                    vacancy: "Vacancy | None" = None) -> "pd.DataFrame":
        """Score a workforce table: the same wide result `matcher batch` writes, one row per input row.

        With a `vacancy`, the table scores it alone and gains a `rank` column (1 = best fit)."""
        from .batch import score_frame

        p = self._scoring(vacancy)
        chosen = [vacancy.role.id] if vacancy is not None else sorted(self.check_roles(roles) or ())
        return score_frame(p, df, roles=chosen, id_col=id_col, skills_col=skills_col, years_col=years_col, lang=lang,
                           rank=vacancy is not None)

    def score_file(self, input_path: str | Path, output: str | Path, *, roles: Iterable[str] | None = None,
                   vacancy: "Vacancy | None" = None, **options: Any) -> "BatchReport":
        """Score an export file and write the scores (and `summary=` the training needs) atomically.

        The options are those of `matcher batch` (see `matcher.batch.score_file`). With a
        `vacancy`, the output is a shortlist: the vacancy alone, ranked best first."""
        from .batch import score_file

        p = self._scoring(vacancy)
        chosen = [vacancy.role.id] if vacancy is not None else sorted(self.check_roles(roles) or ())
        return score_file(p, input_path, output, roles=chosen, shortlist=vacancy is not None, **options)

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
          top: int | None = None, vacancy: "Vacancy | None" = None) -> list[RoleMatch]:
    """Score every role for a skill list (string or list). See `Matcher.match`."""
    return default_matcher().match(skills, years=years, roles=roles, top=top, vacancy=vacancy)


def vacancy(text: str, *, title: str | None = None, source: str = "advert") -> "Vacancy":
    """A job advert read into a vacancy with the default matcher. See `Matcher.vacancy`."""
    return default_matcher().vacancy(text, title=title, source=source)


def resolve(skills: Skills) -> list[Resolution]:
    """How each item maps onto the competency tree. See `Matcher.resolve`."""
    return default_matcher().resolve(skills)


def score_frame(df: "pd.DataFrame", **kwargs: object) -> "pd.DataFrame":
    """Score a workforce table with the default matcher. See `Matcher.score_frame`."""
    return default_matcher().score_frame(df, **kwargs)  # type: ignore[arg-type]
