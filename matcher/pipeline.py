"""The one path from text to fits: items, resolutions, evidence, scores, explanations.

Every entry point goes through here: `match()` and `report()` with one text, `score_frame`
and `matcher batch` with a chunk of cells, the Dask engine with a partition. They differ only
in how many candidates they pass at once, so they cannot disagree on a split, a resolution,
a gate, a tie or a gap:

1. split    `parse.split_items` (a pasted CV and a batch cell alike) and `parse.parse_item`
2. resolve  `Resolver.resolve`, once per distinct item string (cached), into a `Resolution`
3. evidence each candidate's best confidence per competency, stated years, education and
            language levels, as arrays (`score.Candidates`)
4. score    `score.evaluate`: credit, fits, gates and the role order for all rows at once
5. explain  for one candidate, `report()` turns a row into `RoleMatch` objects (`explain.py`:
            evidence by tier, gaps with courses, gates, learning plan) and the next career step

Real exports repeat the same skill strings thousands of times, so step 2 is keyed by the
distinct string and steps 3-4 are array operations over the whole chunk.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Sequence

import numpy as np

from .dates import total_years
from .limits import MAX_ITEM_CHARS
from .explain import role_match
from .model import CEFR_LEVELS, EDUCATION_LEVELS
from .normalise import key
from .parse import is_goal, level_of, parse_item, split_items
from .periods import STUDENT_JOBS, dated_titles, student_job
from .years import MAX_YEARS
from .resolver import NO_MATCH, Match, Resolver
from .results import CareerStep, MatchReport, Mention, Resolution, RoleMatch
from .gates import LISTED_NO_LEVEL, NOT_LISTED
from .score import PRACTICE_CREDIT, PRACTICE_MIN_YEARS, Candidates, Scores, credits, evaluate
from .spot import DENIALS, LINE_MANAGER, NEGATION_PREFIX, NEGATIONS, spot
from .vocab import content_words, is_heading

if TYPE_CHECKING:  # pragma: no cover
    from .index import Index
    from .model import Role

# Words that make a line no practice and no title of the person's own job, whatever it states: a
# negation, a course or training, a wish or a search, an internship, assisting those who do the
# work ("keine Erfahrung im Key Account Management", "Weiterbildung Key Account Management (2 Jahre)",
# "Werkstudent Key Account Management 2021 - 2023", "Key Account Manager Assistenz", "Account
# Manager gesucht")
NOT_OWN_JOB = STUDENT_JOBS | frozenset("""kein keine keinen ohne nicht no not without lernen erlernen lerne
moechte moechten wunsch wuensche kurs kurse seminar seminare weiterbildung fortbildung lehrgang ausbildung course
courses learn learning want wish gesucht angestrebt werden trainee assistenz assistent assistentin assistant
backoffice zusammenarbeit unterstuetzung unterstuetzt unterstuetzen unterstuetzte supporting supported assisting
assisted""".split())
TITLE_WORDS = 6  # longest role title looked for at the start of a line
# A word right after a title that makes the line another job ("Head of Sales Support", "Head of
# Sales Operations") (curated)
OTHER_JOB = frozenset("support operations ops administration backoffice".split())
# Words of rank or reach before a title (curated): "Senior Key Account Manager" is a key account manager
TITLE_SCOPES = frozenset("senior junior national global international regional strategic lead principal".split())
SENTENCE_WORDS = 4  # more content words than this: a sentence, read for the skills it names
CACHE_LIMIT = 500_000  # distinct item strings kept; cleared when full so memory stays bounded


@dataclass(frozen=True)
class Reading:
    """Many candidates' items, flattened: the candidate row of each item and its resolution."""

    rows: np.ndarray  # item -> candidate row
    codes: np.ndarray  # item -> position in `distinct`
    distinct: tuple[Resolution, ...]
    n_rows: int

    def items(self, row: int) -> list[Resolution]:
        return [self.distinct[c] for c in self.codes[self.rows == row].tolist()]


def _negated_line(k: str) -> bool:
    """A line that denies what it names: it starts with a negation ("no direct reports", "ohne
    Führungsverantwortung"; not "nicht nur", "not only") or ends with one after its label
    ("Personalverantwortung: nein")."""
    words = k.split()
    return len(words) >= 2 and ((words[0] in NEGATIONS and words[1] not in ("nur", "only"))
                                or words[-1] in DENIALS)


class Pipeline:
    """Text to scores over one index. Holds only the index and a cache of resolved strings."""

    def __init__(self, index: "Index", *, data_dir: str | None = None) -> None:
        self.ix = index
        self.data_dir = data_dir  # where the index's overlay came from: Dask workers load their own
        self.resolver = Resolver(index)
        self._cache: dict[str, Resolution] = {}
        self.extra_roles: tuple["Role", ...] = ()  # roles added to the index's own (a vacancy)

    def with_roles(self, roles: Sequence["Role"]) -> "Pipeline":
        """The same pipeline (resolver, resolution cache) scoring `roles` besides the index's own."""
        import copy

        p = copy.copy(self)
        p.ix = self.ix.with_roles(roles)
        p.extra_roles = self.extra_roles + tuple(roles)
        return p

    # -- 1-2: items and resolutions ------------------------------------------------------------

    def resolution(self, raw: str) -> Resolution:
        """How one item as written is read (cached by the exact string)."""
        hit = self._cache.get(raw)
        if hit is None:
            hit = self._resolve(raw)
            if len(raw) <= MAX_ITEM_CHARS:  # a pasted megabyte line is read, not kept
                if len(self._cache) >= CACHE_LIMIT:
                    self._cache.clear()
                self._cache[raw] = hit
        return hit

    def clear_cache(self) -> None:
        """Forget resolved strings (memory; or to time resolution itself in benchmarks)."""
        self._cache.clear()
        self.resolver.clear_cache()

    def _resolve(self, raw: str) -> Resolution:
        if is_goal(raw):  # a goal names what someone wants to learn, not what they can
            return Resolution(raw, raw.strip(), None, 0.0, "goal")
        item = parse_item(raw)
        if item.kind in ("education", "experience"):
            # a degree or an apprenticeship names its subject ("BA Business Administration"), a total
            # of years its field ("5 Jahre Berufserfahrung im Vertrieb"): evidence too
            subject = self._mentions(item.text, key(item.text), 0, NO_MATCH)
            return Resolution(raw, item.text, None, 1.0, item.kind, years=item.years, education=item.education,
                              truncated=item.truncated, span=item.span, mentions=tuple(subject))
        k = key(item.text)
        # nothing left, or a heading such as "Fachkompetenzen" (but a label is a skill, however it reads)
        if not k or (is_heading(raw) and self.resolver.strict(k).comp is None):
            return Resolution(raw, item.text, None, 0.0, "empty", truncated=item.truncated)
        n_words = len(content_words(k))
        # a sentence is never one label as a whole: only the skills it names (spot) count; nor is a
        # negated line ("ohne Personalverantwortung", "Teamverantwortung: keine") or one that names
        # a line manager ("Reports to: Head of Sales"): spot reads what its other words name
        whole = (n_words <= SENTENCE_WORDS and not _negated_line(key(NEGATION_PREFIX.sub(r"\1", item.text)))
                 and LINE_MANAGER.search(item.text) is None)
        m = self.resolver.resolve(item.text) if whole else NO_MATCH
        comps, ids = self.ix.data.competencies, self.ix.comp_ids
        mentions = self._mentions(item.text, k, n_words, m)
        title, words = self._title(k)
        if title is not None:  # a line that starts with a role's title: the person's own job, its activity
            mentions = [Mention(comps[ids[title]], 1.0, "title", words),
                        *(x for x in mentions if x.competency.id != ids[title])]
        if not mentions:
            hint = comps[ids[m.hint]] if m.hint is not None else None
            return Resolution(raw, item.text, None, 0.0, "none", hint, m.hint_score, item.level, item.years,
                              truncated=item.truncated, span=item.span, experience=item.experience)
        first = mentions[0]
        level = item.level
        if level is None and "language" in first.competency.kinds:  # "gute Englischkenntnisse": before the word
            level = level_of(raw)
        return Resolution(raw, item.text, first.competency, first.score, first.method, None, 0.0, level,
                          item.years, truncated=item.truncated, mentions=tuple(mentions), span=item.span,
                          experience=item.experience)

    def evidence_of(self, r: Resolution) -> tuple[Mention, ...]:
        """What an item shows: the competencies it names, then those it implies (method "practice").

        Years of a role's own activity, stated on the line that names it first (a dated job line
        "Account Manager 2019 - 2023", "4 Jahre Customer Success"), for at least PRACTICE_MIN_YEARS
        and as long as the role asks, imply the role's other core competencies (score.py). A
        degree, a course, a goal or a negated line is no practice."""
        rules = self.ix.practice_rules()
        if not rules or not r.mentions or r.method == "education":
            return r.mentions
        years = r.years if r.years is not None else r.experience
        if years is None and r.span is not None:
            years = total_years([r.span])
        first = r.mentions[0]
        own = self.ix.comp_pos[first.competency.id]
        if (not years or years < PRACTICE_MIN_YEARS or years > MAX_YEARS or own not in rules
                or not NOT_OWN_JOB.isdisjoint(key(r.raw).split())):
            return r.mentions
        comps, ids = self.ix.data.competencies, self.ix.comp_ids
        # a title implies the core of its role and of the roles below it (a junior's, not a senior's)
        ceiling = self.ix.practice_titles()[first.words][1] if first.method == "title" else MAX_YEARS
        implied: dict[int, Mention] = {}
        for need, core, titled in rules[own]:
            for j in core if ceiling >= need <= years and (first.method == "title" or not titled) else ():
                implied.setdefault(j, Mention(comps[ids[j]], round(PRACTICE_CREDIT * first.score, 4), "practice",
                                              first.words, first.competency))
        named = {m.competency.id for m in r.mentions}
        return r.mentions + tuple(m for m in implied.values() if m.competency.id not in named)

    def _title(self, k: str) -> tuple[int | None, str]:
        """The practice of the role whose title the line is or starts with ("Senior Account Manager",
        "Account Manager, ACME GmbH", "Key Account Manager bei ..."), and the title; a title the line
        only mentions ("worked with account managers") is none. A one-word title (KAM, CSM) counts
        only alone."""
        titles = self.ix.practice_titles()
        words = k.split()
        if not NOT_OWN_JOB.isdisjoint(words):  # "Account Manager gesucht", "Key Account Manager Assistenz"
            return None, ""
        for start in (0, 1) if words and words[0] in TITLE_SCOPES else (0,):
            # a scope before a title that names no role of its own: "Senior Key Account Manager",
            # "National Key Account Manager" (a Senior Account Manager is a title of its own)
            for n in range(min(len(words) - start, TITLE_WORDS), 0, -1):
                title = " ".join(words[start:start + n])
                if title in titles and (n >= 2 or len(words) == 1):
                    # a word after it that makes it another job: "Head of Sales Support"
                    after = words[start + n] if start + n < len(words) else ""
                    return (None, "") if after in OTHER_JOB else (titles[title][0], title)
        return None, ""

    def _mentions(self, text: str, k: str, n_words: int, m: Match) -> list[Mention]:
        """Every competency the item names, the best reading first.

        The cascade reads the item as one skill (a sentence with its strict steps only); `spot`
        finds the skills named inside it, added after the cascade's answer.
        """
        comps, ids = self.ix.data.competencies, self.ix.comp_ids
        out = [] if m.comp is None else [Mention(comps[ids[m.comp]], m.score, m.method, k)]
        if m.method in ("exact", "stem") and n_words <= 3:
            return out  # a label or alias as written names one competency, not its parts
        spotted = spot(self.resolver, text)
        for words, sm in spotted:
            if all(x.competency.id != ids[sm.comp] for x in out):  # type: ignore[index]
                out.append(Mention(comps[ids[sm.comp]], sm.score, sm.method, words))  # type: ignore[index]
        return out

    def read(self, rows: Sequence[Sequence[str]]) -> Reading:
        """Resolve every candidate's raw items, each distinct string once."""
        lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
        positions: dict[str, int] = {}
        codes = np.fromiter((positions.setdefault(raw, len(positions)) for raw in chain.from_iterable(rows)),
                            dtype=np.int64, count=int(lengths.sum()))
        distinct = tuple(self.resolution(raw) for raw in positions)
        return dated_titles(Reading(np.repeat(np.arange(len(rows)), lengths), codes, distinct, len(rows)))

    @staticmethod
    def reading_of(items: Sequence[Resolution]) -> Reading:
        """One candidate's reading from resolutions made elsewhere (`match_competencies`)."""
        return Reading(np.zeros(len(items), dtype=np.int64), np.arange(len(items), dtype=np.int64), tuple(items), 1)

    @staticmethod
    def split(text: str) -> list[str]:
        """The raw items of a pasted text or a batch cell (one splitter for both)."""
        return split_items(text)

    # -- 3: evidence -----------------------------------------------------------------------------

    def candidates(self, reading: Reading, years: np.ndarray | None = None) -> Candidates:
        """Evidence arrays for every row. `years` (NaN = not given) wins over years stated in the text."""
        ix = self.ix
        n, n_comp, langs = reading.n_rows, len(ix.comp_ids), ix.language_ids
        d = reading.distinct
        stated = np.array([r.years if r.method == "experience" and r.years is not None
                           else r.experience if r.experience is not None else np.nan for r in d])
        stated[stated > MAX_YEARS] = np.nan  # "99 Jahre" is no career
        edu = np.array([EDUCATION_LEVELS.index(r.education) if r.education else -1 for r in d], dtype=np.int64)
        # Every mention of every distinct item, flattened: (item code, competency, confidence, language column, level)
        per = [[(i, ix.comp_pos[m.competency.id], m.score,
                 langs.index(m.competency.id) if m.competency.id in langs else -1,
                 CEFR_LEVELS.index(r.level) if r.level else LISTED_NO_LEVEL, m.implied_by is not None)
                for m in self.evidence_of(r)]
               for i, r in enumerate(d)]
        counts = np.fromiter(map(len, per), dtype=np.int64, count=len(per))
        flat = np.array([m for ms in per for m in ms], dtype=np.float64).reshape(-1, 6)
        m_pos, m_conf, m_lang, m_level = flat[:, 1].astype(np.int64), flat[:, 2], flat[:, 3].astype(np.int64), \
            flat[:, 4].astype(np.int64)
        m_implied = flat[:, 5].astype(bool)

        rows, codes = reading.rows, reading.codes
        # each item's mentions: repeat the item by its count, index into the flat mention arrays
        item_counts = counts[codes] if len(codes) else np.zeros(0, dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64) if len(counts) else counts
        m_rows = np.repeat(rows, item_counts)
        m_idx = (np.repeat(starts[codes] - np.cumsum(item_counts) + item_counts, item_counts)
                 + np.arange(int(item_counts.sum()))) if len(codes) else np.zeros(0, dtype=np.int64)
        evidence, implied = np.zeros((n, n_comp)), None
        named = ~m_implied[m_idx]
        np.maximum.at(evidence, (m_rows[named], m_pos[m_idx][named]), m_conf[m_idx][named])
        if m_implied.any():  # practice: credits only the competency itself (score.py)
            implied = np.zeros((n, n_comp))
            np.maximum.at(implied, (m_rows[~named], m_pos[m_idx][~named]), m_conf[m_idx][~named])
        from_text = np.full(n, np.nan)
        told = ~np.isnan(stated[codes])
        np.fmax.at(from_text, rows[told], stated[codes[told]])
        # periods of work ("01/2015 – heute"): added up per candidate, overlaps once
        # a period counts as work when its line is only the period or names a skill or a job; study,
        # a student's job, "Arbeitslos 2015 - 2020", "Verheiratet seit 2000" or a phone number do not
        dated = np.array([r.span is not None and (r.method == "experience" or r.competency is not None)
                          and not student_job(r.raw) for r in d], dtype=bool)
        if dated.any():
            spans: dict[int, list[tuple[int, int]]] = {}
            for row, code in zip(rows[dated[codes]].tolist(), codes[dated[codes]].tolist()):
                spans.setdefault(row, []).append(d[code].span)  # type: ignore[arg-type]
            for row, periods in spans.items():
                from_text[row] = np.fmax(from_text[row], total_years(periods))
        given = np.full(n, np.nan) if years is None else np.asarray(years, dtype=np.float64)
        education = np.full(n, -1, dtype=np.int64)
        np.maximum.at(education, rows, edu[codes])
        shown = None
        if ix.shown_ids:  # must-show competencies, from the person's own work only (gates.py)
            own = np.array([r.method != "education" and NOT_OWN_JOB.isdisjoint(key(r.raw).split()) for r in d],
                           dtype=bool)
            mine = named & own[flat[:, 0].astype(np.int64)][m_idx]
            shown = np.zeros((n, len(ix.shown_ids)))
            for k, cid in enumerate(ix.shown_ids):
                h = ix.dense_hierarchy()[:, ix.comp_pos[cid]]
                np.maximum.at(shown[:, k], m_rows[mine], m_conf[m_idx][mine] * h[m_pos[m_idx][mine]])
        languages = np.full((n, len(langs)), NOT_LISTED, dtype=np.int64)
        spoken = m_lang[m_idx] >= 0
        np.maximum.at(languages, (m_rows[spoken], m_lang[m_idx][spoken]), m_level[m_idx][spoken])
        return Candidates(evidence, np.where(np.isnan(given), from_text, given), education, languages, implied, shown)

    # -- 4: scores -------------------------------------------------------------------------------

    def score(self, cands: Candidates, chosen: Sequence[int]) -> Scores:
        return evaluate(self.ix, cands, chosen)

    def unrecognised(self, reading: Reading) -> list[list[str]]:
        """Per row, the items that named no competency (as written), in order."""
        out: list[list[str]] = [[] for _ in range(reading.n_rows)]
        bad = np.array([r.method == "none" for r in reading.distinct], dtype=bool)
        mask = bad[reading.codes] if len(reading.codes) else np.zeros(0, dtype=bool)
        for row, code in zip(reading.rows[mask].tolist(), reading.codes[mask].tolist()):
            out[row].append(reading.distinct[code].raw.strip())
        return out

    # -- 5: one candidate, explained ---------------------------------------------------------------

    def report(self, items: Sequence[Resolution], reading: Reading, *, years: float | None, chosen: Sequence[int],
               top: int | None = None) -> MatchReport:
        """Every chosen role for the single candidate of `reading`, best first, with the next step."""
        cands = self.candidates(reading, None if years is None else np.array([years], dtype=np.float64))
        scores = self.score(cands, chosen)
        evidence = [(i.raw, m) for i in items for m in self.evidence_of(i)]  # every competency each item shows
        _, source = credits(self.ix, [self.ix.comp_pos[m.competency.id] for _, m in evidence],
                            [m.score for _, m in evidence], [m.implied_by is not None for _, m in evidence])
        stated_years = None if np.isnan(cands.years[0]) else float(cands.years[0])
        explained: dict[int, RoleMatch] = {}

        def explain(r: int) -> RoleMatch:
            if r not in explained:
                explained[r] = role_match(self.ix, r, scores, cands, source, evidence, stated_years)
            return explained[r]

        results = [explain(r) for r in scores.order[0].tolist()]
        next_steps: list[CareerStep] = []
        if results:
            best = results[0].role
            next_steps = [CareerStep(best, explain(self.ix.role_ids.index(nxt))) for nxt in best.career_next]
        return MatchReport(tuple(results[:top] if top is not None else results), tuple(items), tuple(next_steps),
                           stated_years)
