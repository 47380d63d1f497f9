"""Resolve one skill phrase onto the competency tree, with a confidence and the method used.

A cascade from strict to loose, stopping at the first step that finds something. Strict
steps come first because they are certain and cheap; loose steps (typo distance, token
alignment, TF-IDF) accept a candidate only when the whole phrase is accounted for, because the
worst outcome for a user is a confident wrong match (`Tierpflege` on `Datenpflege`):

1. exact     the normalised phrase is a label or alias                        1.00
2. stem      the same after light stemming (plural, verb-noun, case)          0.95-0.97
3. compound  the phrase written as one German compound, or the reverse        0.92
4. core      without quality words (`Kenntnisse`, `skills`, `Geschick`), matched
             within the same quality class (knowledge vs. aptitude)           0.90
5. fuzzy     a typo: optimal-string-alignment distance within a budget that
             grows with length, first letter fixed (rapidfuzz)               0.80-0.90
6. tokens    every content word of the phrase found in one label, the label's
             other words only light verbs or generic heads (`management`)      0.85
   head      the skill before a context phrase (`Datenpflege im CRM`)          0.85
7. tfidf     character n-gram cosine (scikit-learn vocabulary, applied here
             with numpy) above a high threshold, confirmed by rapidfuzz        cosine x 0.9
8. parts     a phrase listing several skills (`MS Word, Excel, PowerPoint`,
             `Fremdsprachen: Englisch, Französisch`): each part resolved, the
             answer is their lowest common ancestor, else the best part       min(parts) x 0.95

Below the threshold nothing is returned, with the closest candidate as a hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .compounds import GERMAN_VERB, compound_variants, infinitive
from .normalise import key, stem
from .vocab import (
    CONTEXT_PREPOSITIONS, DOMAIN, FILLER, LIGHT, LIGHT_QUERY, QUALITY_SUFFIXES,
    bag_key, content_words, core, expand, stem_key,
)

if TYPE_CHECKING:  # pragma: no cover
    from .index import Index

_SPLIT_PARTS = re.compile(r"\s*(?:[,;/|+&()\[\]]|\bund\b|\band\b|\bsowie\b|\boder\b|\bor\b)\s*", re.IGNORECASE)
HINT_COSINE, HINT_RATIO = 0.6, 80  # a hint must be close in n-grams and in spelling, same first letter
PLURALS = ("s", "es", "e", "n", "en")
ADJECTIVE_ENDINGS = ("es", "em", "er", "en", "e")  # of a German adjective before its noun
WORK_HEADS = frozenset(stem(w) for w in "arbeiten arbeitsweise denken handeln auftreten wesen art vorgehen".split())
CONJUNCTIONS = frozenset("und oder and or sowie bzw".split())
MAX_PARTS = 12  # a phrase listing more skills than this is a sentence, not a list
LOOSE_PARTS = 4  # parts of one phrase that may use the loose (costly) steps
_HEADING = re.compile(r"^\s*([^:]{2,60}):\s*(.+)$")


@dataclass(frozen=True)
class Match:
    """What one phrase resolved to: a competency index (or None), the confidence and how."""

    comp: int | None
    score: float
    method: str
    hint: int | None = None  # closest candidate when unrecognised
    hint_score: float = 0.0


NO_MATCH = Match(None, 0.0, "none")


def typo_budget(n: int) -> int:
    if n < 6:
        return 0
    if n < 14:
        return 1
    if n < 24:
        return 2
    return 3


def _tokens_equal(q: str, e: str) -> bool:
    if q == e:
        return True
    if len(q) >= 7 and len(e) >= 7 and q[0] == e[0]:
        return OSA.distance(q, e, score_cutoff=1) <= 1
    return False


class Resolver:
    """The cascade over one index. Stateless apart from the index, so safe to share."""

    def __init__(self, index: "Index") -> None:
        self.ix = index
        # strict look-ups of short phrases repeat (the same words in many sentences of a CV, the
        # same windows across CVs): kept, bounded, and cleared with the pipeline's cache
        self._strict: dict[str, Match] = {}

    def clear_cache(self) -> None:
        self._strict.clear()

    def strict(self, k: str) -> Match:
        """The strict steps only (exact, stem, compound, core) for a normalised phrase `k`: what
        `spot` looks up inside sentences, where a loose reading would be guesswork."""
        return self._single(k, loose=False)

    # -- public ----------------------------------------------------------------------------

    def resolve(self, text: str) -> Match:
        """The cascade for a phrase (a sentence is read by `spot` instead: a look-alike of a whole
        sentence is noise)."""
        k = expand(key(text))
        if not k:
            return NO_MATCH
        found = self._single(k)
        if found.comp is not None and found.method != "exact" and " " not in k and not self.same_word(k, None):
            found = NO_MATCH  # one ordinary word that only stems like a label (`officer`, `office`)
        if found.comp is not None:
            return found
        parts = self._parts(text)
        if parts is not None:
            return parts
        return self._hint(k, found)

    def same_word(self, word: str, following: str | None) -> bool:
        """Whether a word that matched a label only by its stem names it in running text.

        An ordinary word that merely stems like a label is another word (`officer` is not
        `office`): it must be the label's own singular or plural. An inflected adjective before a
        noun describes that noun (`belastbares Netzwerk` is no Belastbarkeit), unless the noun is
        a way of working (`zielorientiertes Arbeiten`)."""
        exact = self.ix.exact
        if word in self.ix.common_words and not any(
                word + s in exact or (word.endswith(s) and word[:-len(s)] in exact) for s in PLURALS):
            return False
        # before a noun, not before a preposition or an article ("Vertriebsexpertise im ...")
        attributive = word.endswith(ADJECTIVE_ENDINGS) and following is not None and following not in FILLER
        return not (attributive and following not in CONJUNCTIONS and stem(following) not in WORK_HEADS)

    # -- steps -----------------------------------------------------------------------------

    def _single(self, k: str, *, loose: bool = True) -> Match:
        """The cascade for one phrase; `loose=False` stops after the strict steps (exact, stem,
        compound, core), which cost a few dictionary look-ups."""
        if not loose and len(k) <= 64:
            hit = self._strict.get(k)
            if hit is None:
                if len(self._strict) >= 100_000:
                    self._strict.clear()
                hit = self._strict[k] = self._cascade(k, loose=False)
            return hit
        return self._cascade(k, loose=loose)

    def _cascade(self, k: str, *, loose: bool) -> Match:
        ix = self.ix
        if k in ix.exact:
            return Match(ix.exact[k], 1.0, "exact")
        sk = stem_key(k)
        if sk in ix.stems:
            return Match(ix.stems[sk], 0.97, "stem")
        bag = bag_key(sk)
        if bag in ix.bags:
            return Match(ix.bags[bag], 0.95, "stem")
        compact = stem(k.replace(" ", ""))
        if compact in ix.compact:
            return Match(ix.compact[compact], 0.92, "compound")
        words = content_words(k)
        if words and words != k.split():
            stripped = " ".join(words)
            for table, score, method in ((ix.exact, 0.95, "exact"), (ix.stems, 0.93, "stem")):
                probe = stripped if table is ix.exact else stem_key(stripped)
                if probe in table:
                    return Match(table[probe], score, method)
        # a compound starts like one of the tree's compounds: checked on its first letters before
        # the variants are spelled out (most word pairs in a sentence are no compound)
        # (never across `und`/`or`: coordinated words are two things, `management or a customer`)
        if 2 <= len(words) <= 3 and (stem(words[0])[:4] in ix.compact_starts or stem(words[-1])[:4] in ix.compact_starts) \
                and not any(w in CONJUNCTIONS for w in k.split()):
            # reversed only when the words were apart (`Erstellung von Angeboten`), a German light
            # verb or its noun leads (`erstellt Angebote`) or a German verb does (`verhandelst
            # Verträge`, `präsentieren Produkte`); else the last word is the head, as in English
            # (`management accounts`)
            lead = infinitive(words[0])
            reverse = (f"{words[0]} {words[-1]}" not in k or (lead in LIGHT_QUERY and lead.endswith(("en", "ung")))
                       or (len(lead) >= 6 and lead.endswith(GERMAN_VERB) and stem(lead) not in DOMAIN))
            for variant in compound_variants(words, reverse=reverse, starts=ix.compact_starts):
                if variant in ix.compact:
                    return Match(ix.compact[variant], 0.92, "compound")
        c, cls = core(k)
        if c and c != sk:
            cands = ix.cores.get(c)
            if cands:
                same = [comp for comp_cls, comp in cands if comp_cls == cls or cls is None or comp_cls is None]
                return Match((same or [cands[0][1]])[0], 0.9, "core")
        if not loose:
            return NO_MATCH
        # Longer than every label by more than a typo: neither a typo of one nor an n-gram
        # look-alike (both need similar lengths), so those steps are skipped, not just failed.
        beyond = len(k) > ix.longest_key + 3
        # a typo needs a misspelt word: a phrase of words the tree or the language knows has none
        misspelt = any(w not in ix.common_words and stem(w) not in ix.word_stems for w in k.split())
        if not beyond and misspelt:
            typo = self._typo(k)
            if typo.comp is not None:
                return typo
        aligned = self._align(words)
        if aligned.comp is not None:
            return aligned
        head = self._head(k)
        if head.comp is not None:
            return head
        return NO_MATCH if beyond else self._tfidf(k)

    def _head(self, k: str) -> Match:
        """`Datenpflege im CRM`, `Reporting mit Power BI`: the skill before a context phrase,
        found by the strict steps only (exact, stem, compound)."""
        words = k.split()
        for i, w in enumerate(words[1:], 1):
            if w in CONTEXT_PREPOSITIONS:
                head = " ".join(words[:i])
                for table, probe in ((self.ix.exact, head), (self.ix.stems, stem_key(head)),
                                     (self.ix.compact, stem(head.replace(" ", "")))):
                    if probe in table:
                        return Match(table[probe], 0.85, "head")
                break
        return NO_MATCH

    def _typo(self, k: str) -> Match:
        budget = typo_budget(len(k))
        if not budget or k in self.ix.common_words:  # a real word is not a misspelling of another
            return NO_MATCH
        ix = self.ix
        best = process.extractOne(k, ix.keys, scorer=OSA.distance, score_cutoff=budget)
        if best is None:
            return NO_MATCH
        cand, dist, pos = best
        if cand[0] != k[0] or _other_compound(k, cand):
            return NO_MATCH
        return Match(ix.key_comp[pos], round(0.9 - 0.1 * dist / budget, 3), "fuzzy")

    def _align(self, words: list[str]) -> Match:
        # One word alone is matched by the strict steps or not at all: aligned by its stem it
        # finds labels that merely share it (`accounting` in account management, `Leader` in lead
        # management); more words than any label has cannot all align with one.
        if len(words) < 2 or len(set(words)) > self.ix.most_key_words:
            return NO_MATCH
        ix = self.ix
        content = [stem(w) for w in words if w not in LIGHT_QUERY]
        for query in (content, [t for t in content if t not in DOMAIN]):
            if not query:
                continue
            best: tuple[int, int] | None = None  # (extra words, entry position)
            for pos in ix.candidates_for(query):
                entry = ix.key_stems[pos]
                if not all(any(_tokens_equal(t, e) for e in entry) for t in query):
                    continue
                extra = [e for e in entry if not any(_tokens_equal(t, e) for t in query)]
                # one word left once the domain words are dropped must be the whole label: `staff
                # training` is not `conducting trainings`
                if any(e not in LIGHT for e in extra) or (extra and len(query) < 2):
                    continue
                rank = (len(extra), pos)
                if best is None or rank < best:
                    best = rank
            if best is not None:
                return Match(ix.key_comp[best[1]], 0.85 if query is content else 0.8, "tokens")
        return NO_MATCH

    def _tfidf(self, k: str) -> Match:
        ix = self.ix
        if not self._spelled_like_some_key(k):
            return NO_MATCH
        sims = ix.cosine(k)
        if sims is None or not sims.size:
            return NO_MATCH
        pos = int(np.argmax(sims))
        cos = float(sims[pos])
        cand = ix.keys[pos]
        # Accept only near-identical strings: inflection and spelling variants the earlier
        # steps missed. Anything looser is a hint, not an answer.
        if cos >= 0.8 and fuzz.ratio(k, cand) >= 88:
            return Match(ix.key_comp[pos], round(cos * 0.9, 3), "tfidf")
        return self._plausible_hint(k, pos, cos)

    def _parts(self, text: str) -> Match | None:
        heading = _HEADING.match(text)
        head_match: Match | None = None
        body = text
        if heading:
            head_match = self._single(expand(key(heading.group(1))))
            body = heading.group(2)
        pieces = _SPLIT_PARTS.split(body)
        if len(pieces) > 2 * MAX_PARTS:  # counted before normalising each: a sentence is no list
            return None
        pieces = [p for p in pieces if key(p)]
        if len(pieces) < 2 and head_match is None and "-" in body:
            pieces = [p for p in body.split("-") if key(p)]  # `PowerPoint-Präsentationen`
        if (len(pieces) < 2 and head_match is None) or len(pieces) > MAX_PARTS:
            return None
        pieces = _complete_suspended(pieces)
        # The loose steps (typo distance, n-grams) for the first few parts only: a line of many
        # parts is a sentence, and its cost must stay bounded per item.
        matches = [self._single(expand(key(p)), loose=i < LOOSE_PARTS) for i, p in enumerate(pieces)]
        found = [m for m in matches if m.comp is not None]
        if head_match is not None and head_match.comp is not None:
            found.append(head_match)
        if not found:
            return None
        comps = [m.comp for m in found]
        lca = self.ix.lowest_common_ancestor(comps)  # type: ignore[arg-type]
        score = round(min(m.score for m in found) * 0.95, 3)
        if lca is not None:
            return Match(lca, score, "parts")
        best = max(found, key=lambda m: m.score)
        return Match(best.comp, score, "parts")

    def _hint(self, k: str, found: Match) -> Match:
        if found.hint is not None:
            return found
        if len(k) > self.ix.longest_key + 3 or len(k.split()) > 4 or not self._spelled_like_some_key(k):
            return NO_MATCH  # a sentence-long item has no "closest" label worth showing
        sims = self.ix.cosine(k)
        if sims is None or not sims.size:
            return NO_MATCH
        pos = int(np.argmax(sims))
        return self._plausible_hint(k, pos, float(sims[pos]))

    def _spelled_like_some_key(self, k: str) -> bool:
        """Whether any label is spelled close enough to be an answer or a hint: both need a
        spelling ratio of HINT_RATIO or more, which rapidfuzz checks over all labels in C before
        the n-gram vectors are built."""
        n = len(k)
        # a ratio of 80 needs lengths within 2/3 of each other: only those labels are compared
        near = self.ix.keys_near_length(n)
        return bool(near) and process.extractOne(k, near, scorer=fuzz.ratio, score_cutoff=HINT_RATIO) is not None

    def _plausible_hint(self, k: str, pos: int, cos: float) -> Match:
        """The closest label as a hint only when it reads like what was written (a near miss the
        user may mean: shared n-grams and similar spelling), never a stranger that shares a
        syllable (`Führerschein` is no Mitarbeiterführung, `exel` no Auftragsabwicklung)."""
        near = self.ix.keys[pos]
        if (cos >= HINT_COSINE and fuzz.ratio(k, near) >= HINT_RATIO and near[:1] == k[:1]
                and not _other_compound(k, near)):
            return Match(None, 0.0, "none", self.ix.key_comp[pos], round(cos, 3))
        return NO_MATCH


def _other_compound(a: str, b: str) -> bool:
    """Two words that end alike but begin differently are two compounds, not a typo of one:
    `Krankenpflege` (nursing) is no misspelt `Kundenpflege`, nor `Produktmanagement` a misspelt
    `Projektmanagement`, though most letters agree. A typo changes a letter, not a word."""
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n >= 5 and OSA.distance(a[:len(a) - n], b[:len(b) - n]) >= 2


_SUSPENDED = re.compile(r"^(.*\w)-$")


def _complete_suspended(pieces: list[str]) -> list[str]:
    """`Kommunikations- und Präsentationsfähigkeit` -> both words with the shared head."""
    out = list(pieces)
    for i, p in enumerate(pieces[:-1]):
        m = _SUSPENDED.match(p.strip())
        if not m:
            continue
        nxt = key(pieces[i + 1]).split()
        last = nxt[-1] if nxt else ""
        for head in QUALITY_SUFFIXES + ("management", "technik", "strategien", "analyse", "analysen", "bearbeitung",
                                         "betreuung", "verhandlung", "verhandlungen", "marketing", "software"):
            if last.endswith(head) and len(last) > len(head):
                out[i] = m.group(1) + head
                break
    return out
