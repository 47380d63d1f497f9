"""Skills named inside a sentence or a line that names several: the words a tree label is made of,
found by looking up runs of words with the resolver's strict steps.

The resolver reads an item as one skill; this finds what an item names inside it: `Du gehst
sicher mit CRM-Systemen um`, `Vertragsverhandlungen und Preisverhandlungen`, `Kunden- und
qualitätsorientierte Arbeitsweise`. Only the strict steps are used (no typo distance, no
n-grams), negated mentions are skipped, and one word counts only when it is specific.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .normalise import key, stem
from .resolver import CONJUNCTIONS, Match
from .vocab import (APTITUDE, CONTEXT_PREPOSITIONS, DESCRIBING, DOMAIN, FILLER, KNOWLEDGE, LIGHT_QUERY, NEUTRAL,
                    QUALITY_SUFFIXES, content_words, core, expand)

if TYPE_CHECKING:  # pragma: no cover
    from .resolver import Resolver

SPOT_WINDOW = 4  # longest run of words looked up inside a sentence (labels have at most a few)
SPOT_FACTOR = 0.9  # a skill named inside a sentence is a little less certain than one listed
SPOT_EDGE = FILLER | frozenset(KNOWLEDGE) | frozenset(APTITUDE) | frozenset(NEUTRAL) | LIGHT_QUERY
# A window of several words may not start with a filler or a quality word (`mit CRM` is `CRM`,
# but "Erfahrung im Vertrieb" may), nor end with a filler; light words and quality words may end
# it (`Account Management`, `presentation skills`). One word alone is none of these.
SPOT_START = FILLER | frozenset(KNOWLEDGE) | frozenset(APTITUDE) | frozenset(NEUTRAL)
_SUSPENDED_PAIR = re.compile(r"\b(\w{3,})-\s*(und|oder|and|or|&|,|/|bzw\.?|sowie)\s*([\w-]{4,})", re.IGNORECASE)
MODIFIER_ENDINGS = ("es", "e", "er", "en", "em", "ed", "al", "ive", "ic", "ous", "ful", "ing")  # adjectives, de/en
# Working alongside, not doing: `directly with`, `in enger Zusammenarbeit mit` (curated; a bare
# `worked with CRM` is using it)
COLLABORATING = frozenset("collaborated collaborating collaboration collaborate partnered partnering liaised liaising "
                          "directly closely together zusammenarbeit zusammengearbeitet zusammenarbeiten eng enger engen "
                          "gemeinsam zusammen".split())
# Handing work over (`Übergabe von Upsell-Chancen an das Account Management`, `pass larger deals to
# senior colleagues`, `escalated to the key account team`): the one it goes to does it (curated)
HANDING_OVER = frozenset("uebergabe uebergeben uebergibst uebergebe weitergabe weitergeben weitergeleitet weiterleitung "
                         "handover handoff handed hand handing pass passed passing escalated escalate escalating "
                         "eskaliert eskalation".split())
# A person of rank after one's own possessive is someone else (`together with my team lead`,
# `meinem Teamleiter berichten`): a noun for a person who leads, not the skill of leading (curated)
MINE = frozenset("my mein meine meinem meinen meiner meines".split())
LEADER_NOUNS = ("lead", "leader", "leiter", "leiterin", "manager", "managerin", "supervisor", "vorgesetzte",
                "vorgesetzten", "vorgesetzter", "chef", "chefin", "head", "boss")
# Someone else's: what follows `Unterstützung der`, `Zuarbeit für die`, `Supported the`, `reporting
# to`, `Sekretärin der` is whom the person helps (`Unterstützung der Vertriebsleitung` is no
# leadership); only across articles and `für`, `to`, `an`: `Unterstützung bei der
# Angebotserstellung` is helping with the work itself (curated). `support` and `by` need an
# article after them (`Sales Support, Back Office`, `leads by cold calling` are the person's own).
SUPPORT_WORDS = frozenset("""
unterstuetzung unterstuetzte unterstuetzt unterstuetzen zuarbeit assistenz assistentin assistent sekretaerin
sekretaer berichtet berichtete berichten schnittstelle kontakt anleitung weitergeleitet supported supporting
assist assisted assisting assistant reporting reported reports under unter alongside liaison
""".split())
BEFORE_AN_ARTICLE = frozenset(("support", "by"))  # `support the sales team`, `models used by the sales team`
_ARTICLES = frozenset("der die das des dem den the a an our unsere unserer unseren fuer for to an zur zum".split())
# A skill's word and the word after it that together name something else: bookkeeping (`accounts
# payable`), a group of people (`the customer's leadership team`, `management team`, `customer
# care stakeholders`), a place or a job (`front office`, `office manager`) or a line manager
# (`reporting to the Head of Sales`); only as written side by side, so `People leadership (team
# of 6)` stays leadership (curated)
OTHER_TERMS = re.compile(r"\b(?:accounts?\s+(?:payable|receivables?)|(?:leadership|management)\s+teams?|"
                         r"(?:senior|executive|school|company|hospital|thought)\s+leadership|"
                         r"(?:relationships?\s+with|beziehungen\s+zu)\s+(?:(?:den|the|our|their|unseren)\s+)?"
                         r"(?:parents|eltern|colleagues|kollegen|patients|patienten|students|pupils|sch(?:ü|ue)lern|"
                         r"families|familien|residents|bewohnern|staff)|"
                         r"customer\s+(?:care|service|success)\s+(?:stakeholders?|leadership|leads)|"
                         r"(?:sales|marketing)\s+stakeholders?|"
                         r"(?:front|box|home|post|head|branch)\s+office|office\s+(?:manager(?:in)?|assistant|assistenz))\b",
                         re.I)
# A line manager (`The role reports to the Head of Sales`, `Reports to: Sales Director`, `reporting
# into the VP Sales`), unless the reports are documents (`weekly reports to the director`) (curated)
LINE_MANAGER = re.compile(r"\b(?:(\w+)\s+)?report(?:s|ed|ing)?\s+(?:directly\s+)?(?:in)?to\b\s*:?\s*(?:the\s+|our\s+|a\s+)?"
                          r"(?:head|ceo|cfo|coo|cso|cco|vp|director|managing|general|country|regional|sales\s+director|"
                          r"sales\s+manager|account\s+director|team\s+lead(?:er)?|manager|chief)\b", re.I)
DOCUMENTS = frozenset("weekly monthly daily quarterly annual yearly regular sales financial status written kpi "
                      "performance progress detailed".split())
# Words that stand between a German verb and its object without changing what the pair names
# (`Verträge hast du mehrfach erfolgreich verhandelt`): pronouns, auxiliaries and adverbs of
# manner (curated). A prepositional phrase may stand there too (`Neukunden im Mittelstand akquiriert`).
# Only the person's own pronouns: `er`, `wir` or a passive (`wurde verhandelt`) is someone else's
# doing, and ends the look.
CLAUSE_WORDS = frozenset("""
ich du sie hast habe haben hatte hatten hattest bist sind war waren wirst werden kannst kann koennen konnte
dabei dort bereits schon mehrfach erfolgreich eigenverantwortlich selbststaendig gerne gern aktiv regelmaessig
kontinuierlich nachhaltig zuverlaessig professionell souveraen kompetent gezielt proaktiv laufend taeglich
persoenlich auch stets immer neue neuen neuer telefonisch ausfuehrlich individuell fachkundig intensiv
schriftlich muendlich
""".split())
PASSIVE = frozenset("wurde wurden worden wurdest wird".split())
# Prepositions that open a phrase of their own between a verb and its object (`vor Ort`, `aus 8
# Mitarbeitern`); before a noun, they make it no object (`im Team geführt`, `mit Kunden geschult`)
PHRASE_PREPOSITIONS = CONTEXT_PREPOSITIONS | frozenset("von vom aus an am auf vor nach zu zum zur beim durch unter".split())
# Endings of nouns that are no verb: after a phrase, the pair's second word must be the verb
# (`Kunden im Bereich Schulung` is no Kundenschulung)
NOUN_ENDINGS = ("ung", "ungen", "heit", "keit", "schaft", "ion", "ionen", "tum", "nis", "ismus")
# English function words: a German clause holds none
ENGLISH_FUNCTION = frozenset("the and or with of to using your you our we is are a".split())
_ENGLISH_ENDINGS = ("ing", "ed", "ion", "ity", "ies", "ness", "ship", "ment", "ly")
BRACKET_GAP = 7  # words at most between a verb and its object (most of them clause words)
PHRASE_WORDS = 3  # words of a prepositional phrase's own after its preposition (`von 5 Account Managern`)
NEGATIONS = frozenset("kein keine keinen keiner keines ohne nicht nie niemals no not without non never".split())
DENIALS = NEGATIONS | {"nein", "none"}  # a negation as an answer, after a label
# a negation that is part of a word: `Nicht-Muttersprachler`, `Non-Food-Verkauf` (joined, so no negation)
NEGATION_PREFIX = re.compile(r"\b(non|nicht|no)-(?=\w)", re.I)
NEGATION_REACH = 6  # words a negation reaches back over fillers and quality words
# A wish is no skill yet: `Ich möchte künftig ein Team leiten`, `looking to move into key account management`
WISHES = frozenset("moechte moechten wuerde wuerden would like aspiring aspire looking hoping wish wunsch ziel goal "
                   "anstreben strebe interested interessiert grow".split())
MAX_COMPOUND = 40  # letters of the longest word completing a suspended compound (`Kunden- und ...`)
# A requirement waived after its name: `Branchenkenntnisse nicht erforderlich`, `SAP not required`.
WAIVED = frozenset("erforderlich notwendig noetig vorausgesetzt verlangt required necessary needed".split())


def _not_own(words: list[str], start: int, end: int | None = None) -> bool:
    """Whether the words from `start` name whom the person supports (`Unterstützung der
    Vertriebsleitung`, `reporting to the`), works with (`worked directly with our largest
    clients' teams`, `in Zusammenarbeit mit dem Key Account Management`, `together with my team
    lead`) or answers to (`my team lead`), or what the person only wishes to do, not what the
    person does."""
    before = words[max(0, start - 4):start]
    if any(w in WISHES for w in before):
        return True
    if before and before[-1] in MINE and any(w.endswith(LEADER_NOUNS) for w in words[start:start + 2]):
        return True
    # whom one works with is the object of `with`/`mit` after a word of working together (`closely
    # with our largest clients' teams`), not what follows it (`zusammen mit dem Vertriebsteam
    # Neukunden akquiriert`); whom work is handed to, the object of `to`/`an` after a handing over
    for partner, verbs in ((("with", "mit"), COLLABORATING), (("to", "an", "zum", "zur"), HANDING_OVER)):
        at = max((k for k, w in enumerate(before) if w in partner), default=-1)
        # the verb before, or (German) after the object: `Leads an das Account Management übergeben`
        around = words[max(0, start - 6):start] + (words[end:end + 2] if end is not None else [])
        if at >= 0 and all(w in _ARTICLES or w in MINE or w in FILLER for w in before[at + 1:]) and any(
                w in verbs for w in around):
            return True
    for k, w in enumerate(reversed(before)):  # `Zuarbeit für die`, `Supported the`, `Sekretärin der`
        if w in SUPPORT_WORDS or (w in BEFORE_AN_ARTICLE and k > 0):
            return True
        if w not in _ARTICLES:
            return False
    return False


def _negated(words: list[str], start: int) -> bool:
    """A negation among the three words before `start` (`keine SAP-Kenntnisse`, `no CRM`), or
    further back over fillers and quality words only (`keine Erfahrung in der Führung eines Teams`,
    `no experience in team leadership`)."""
    def denies(j: int) -> bool:  # not `nicht nur`, `not only`
        return words[j] in NEGATIONS and (j + 1 >= len(words) or words[j + 1] not in ("nur", "only"))

    if any(denies(j) for j in range(max(0, start - 3), start)):
        return True
    for j in range(start - 1, max(0, start - NEGATION_REACH) - 1, -1):
        if denies(j):
            return True
        if not (words[j] in FILLER or words[j] in KNOWLEDGE or words[j] in APTITUDE or words[j] in NEUTRAL):
            return False
    return False


def _waived(words: list[str], end: int) -> bool:
    """Waived (`Branchenkenntnisse nicht erforderlich`), or denied at the end of the line
    (`Personalverantwortung: keine`, `Reisebereitschaft: nein`)."""
    after = words[end:end + 3]
    return (len(after) >= 2 and after[0] in NEGATIONS and any(w in WAIVED for w in after[1:])) or (
        len(after) == 1 and after[0] in DENIALS)


def spot(r: "Resolver", text: str) -> list[tuple[str, Match]]:
    """Competencies named inside a longer phrase or a sentence, in reading order.

    `Du gehst sicher mit CRM-Systemen um`, `Vertragsverhandlungen und Preisverhandlungen`:
    windows of up to SPOT_WINDOW words are looked up with the strict steps only (exact,
    stem, compound, core), longest first, never overlapping. A single word counts only when
    it is specific (not a filler, quality or light word), and nothing counts right after a
    negation (`keine SAP-Kenntnisse`, `no CRM`) or when waived (`Branchenkenntnisse nicht
    erforderlich`). Returns (the words, the match) pairs.
    """
    text = LINE_MANAGER.sub(lambda m: m.group(0) if (m.group(1) or "").lower() in DOCUMENTS else " ",
                            OTHER_TERMS.sub(" ", NEGATION_PREFIX.sub(r"\1", text)))
    words = expand(key(complete_hyphens(r, text))).split()
    if len(words) < 2:
        return []
    taken = [False] * len(words)
    found: list[tuple[int, str, Match]] = []
    # Coordinated words sharing a head: `selbstständiges und zielorientiertes Arbeiten` also
    # names `selbstständiges Arbeiten`, and is looked up first.
    for c in range(1, len(words) - 2):
        left = words[c - 1]
        # only a modifier shares the head: "selbstständiges und ...", not "B2B sales and ..."
        if (words[c] in CONJUNCTIONS and left not in SPOT_EDGE and stem(left) not in DOMAIN
                and left.endswith(MODIFIER_ENDINGS)):
            m = r.strict(f"{words[c - 1]} {words[c + 2]}")
            if m.comp is not None and not any(w in NEGATIONS for w in words[max(0, c - 4):c - 1]):
                taken[c - 1] = True
                found.append((c - 1, f"{words[c - 1]} {words[c + 2]}",
                              Match(m.comp, round(m.score * SPOT_FACTOR, 3), "phrase")))
    # Words the tree knows (a stem or core of some label's word, a filler, a number or a describing word);
    # a window of unknown words cannot match by any strict step except a compound, so it is not
    # looked up.
    vocab = r.ix.word_stems
    known = [w in FILLER or w.isdigit() or stem(w) in vocab or core(w)[0] in vocab
             or DESCRIBING.fullmatch(w) is not None for w in words]
    starts = r.ix.compact_starts
    for n in range(min(SPOT_WINDOW, len(words)), 0, -1):
        if n == 1:  # before single words, the pairs around a describing word and across a clause
            _pairs_around_describing_words(r, words, taken, found)
            _pairs_across_a_clause(r, words, taken, found)
        for i in range(len(words) - n + 1):
            if any(taken[i:i + n]):
                continue
            window = words[i:i + n]
            if not all(known[i:i + n]) and not (2 <= n <= 3 and (stem(window[0])[:4] in starts
                                                                  or stem(window[-1])[:4] in starts)):
                continue
            # "Erfahrung im Vertrieb" may start with its quality word; no window ends with one
            if (n == 1 and window[0] in SPOT_EDGE) or window[-1] in FILLER or (
                    window[0] in SPOT_START and not (n >= 3 and window[0] in KNOWLEDGE)) or not content_words(
                    " ".join(window)):
                continue
            if n == 1 and not _specific(window[0]):
                continue
            m = r.strict(" ".join(window))
            if m.comp is not None and n == 1 and m.method != "exact" and not r.same_word(
                    window[0], words[i + 1] if i + 1 < len(words) else None):
                continue
            if m.comp is not None and m.method == "compound" and _verb_last(window) and _no_object(words, i, n):
                continue  # `Inventur im Team geführt`, `wurde mit Kunden geschult`
            if m.comp is not None:
                # a negated or someone else's skill takes its words too: `no experience in team
                # leadership` does not leave `leadership`
                taken[i:i + n] = [True] * n
                if not (_negated(words, i) or _waived(words, i + n) or _not_own(words, i, i + n)):
                    found.append((i, " ".join(window), Match(m.comp, round(m.score * SPOT_FACTOR, 3), "phrase")))
    found.sort(key=lambda f: f[0])
    seen: set[int] = set()
    out = []
    for _, text_, m in found:
        if m.comp not in seen:
            seen.add(m.comp)  # type: ignore[arg-type]
            out.append((text_, m))
    return out


def _pairs_around_describing_words(r: "Resolver", words: list[str], taken: list[bool],
                                   found: list[tuple[int, str, Match]]) -> None:
    """A describing word between the two words of a skill (`Negotiating complex deals`, `Betreuung
    wichtiger Kunden`): the pair without it, looked up strictly, among the words still free. Runs
    after the longer windows, so a label that holds the describing word (`Betreuung bestehender
    Kunden`) is found whole, and before single words, so `negotiating` alone does not win."""
    for i in range(len(words) - 2):
        if (taken[i] or taken[i + 2] or not DESCRIBING.fullmatch(words[i + 1])
                or words[i] in FILLER or words[i + 2] in FILLER
                or _negated(words, i) or _not_own(words, i)):
            continue
        m = r.strict(f"{words[i]} {words[i + 2]}")
        if m.comp is not None:
            taken[i] = taken[i + 2] = True
            found.append((i, f"{words[i]} {words[i + 2]}", Match(m.comp, round(m.score * SPOT_FACTOR, 3), "phrase")))


def _pairs_across_a_clause(r: "Resolver", words: list[str], taken: list[bool],
                           found: list[tuple[int, str, Match]]) -> None:
    """A German verb and its object apart (`Verträge hast du mehrfach erfolgreich verhandelt`,
    `Neukunden im Mittelstand akquiriert`, `Sie akquirieren neue Kunden im B2B-Umfeld`): the two
    count only as one label of the tree (Vertragsverhandlung, Kundenakquise, Kunden betreuen), and
    only across clause words, describing words, one prepositional phrase and one coordinated
    object (`Verträge und Rahmenverträge verhandelt`). German only: English keeps its verb beside
    its object, and an English word between ends the look. Runs after the windows, so whatever
    the words name side by side comes first."""
    n = len(words)
    for i in range(n - 2):
        if taken[i] or not _clause_word_may_pair(words[i]) or words[i] in CLAUSE_WORDS or _not_own(words, i):
            continue
        before = words[max(0, i - 4):i]
        if _negated(words, i) or words[i] in NEGATIONS or any(w in PASSIVE for w in before[-3:] + [words[i]]):
            continue
        verbal_noun = words[i].endswith(("ung", "ungen"))  # its object follows it: `Gewinnung neuer Kunden`
        if not verbal_noun and _in_a_phrase(before):
            continue  # `im Team geführt`, `mit schwierigen Kunden geschult`: no object
        phrase = 0  # words of a prepositional phrase or a coordinated object still to pass
        coordinated = False  # the word after `und` is the second object, not the verb
        for j in range(i + 1, min(n, i + BRACKET_GAP + 2)):
            w = words[j]
            if w in NEGATIONS or w in ENGLISH_FUNCTION or w in PASSIVE:
                break
            between = w in FILLER or w in CLAUSE_WORDS or DESCRIBING.fullmatch(w) is not None
            if (j > i + 1 and not between and not taken[j] and not coordinated and _clause_word_may_pair(w)
                    and (verbal_noun or not w.endswith(NOUN_ENDINGS))):
                # read a verbal noun and its object as `X von Y`
                m = r.strict(f"{words[i]} von {w}" if verbal_noun else f"{words[i]} {w}")
                if m.comp is not None and m.method != "core" and not (j + 1 < n and words[j + 1] in PASSIVE):
                    taken[i] = taken[j] = True
                    found.append((i, f"{words[i]} {w}", Match(m.comp, round(m.score * SPOT_FACTOR, 3), "phrase")))
                    break
            if w in CONJUNCTIONS:
                phrase, coordinated = 1, True
            elif w in PHRASE_PREPOSITIONS:
                phrase = PHRASE_WORDS
            elif between:
                continue
            elif phrase:
                phrase, coordinated = phrase - 1, False
            else:
                break


def _verb_last(window: list[str]) -> bool:
    """Whether the window may be an object and its verb (`Team geführt`), not a noun phrase
    (`Analyse von Markt`)."""
    return "von" not in window and "of" not in window and not window[-1].endswith(NOUN_ENDINGS)


def _no_object(words: list[str], i: int, n: int) -> bool:
    """Whether a verb and the noun before it (words i to i+n) are no verb and its object: the
    noun stands in a prepositional phrase (`im Team geführt`), or the clause is passive (`wurde
    ... geschult`: done to the person, or by someone else)."""
    before = words[max(0, i - 4):i]
    return _in_a_phrase(before) or any(w in PASSIVE for w in before[-3:] + words[i:i + n + 1])


def _in_a_phrase(before: list[str]) -> bool:
    """Whether the word after `before` stands in a prepositional phrase: a preposition right
    before it, or before one or two describing or inflected words (`mit schwierigen Kunden`)."""
    for w in reversed(before[-3:]):
        if w in PHRASE_PREPOSITIONS:
            return True
        if not (w in FILLER or DESCRIBING.fullmatch(w) or w.endswith(("e", "en", "er", "em", "es"))):
            return False
    return False


def _clause_word_may_pair(word: str) -> bool:
    """Not a number, a quality word (`Skills`, `Organisationstalent`) or an English form."""
    return not (word.isdigit() or word in FILLER or word.endswith(QUALITY_SUFFIXES) or word in NEUTRAL
                or word.endswith(_ENGLISH_ENDINGS))


def complete_hyphens(r: "Resolver", text: str) -> str:
    """`Kunden- und qualitätsorientierte` -> `Kundenorientierte und qualitätsorientierte`,
    `Projekt- & Stakeholder-Management` -> `Projektmanagement & ...`: a suspended compound gets
    the head of the next word; without a hyphen there, the longest ending of the next word
    that completes it into a known label or alias (the tree itself decides where to cut)."""
    def complete(m: re.Match[str]) -> str:
        left, sep, right = m.group(1), m.group(2), m.group(3)
        if "-" in right:
            return f"{left}{right.rsplit('-', 1)[1].lower()} {sep} {right}"
        if len(right) > MAX_COMPOUND:  # no German word part is longer: not worth a look-up per letter
            return m.group(0)
        for cut in range(3, len(right) - 3):
            candidate = left + right[cut:]
            if r.strict(expand(key(candidate))).comp is not None:
                return f"{candidate} {sep} {right}"
        return m.group(0)

    return _SUSPENDED_PAIR.sub(complete, text) if "-" in text else text


def _specific(word: str) -> bool:
    """Whether one word alone may name a competency inside a sentence: long enough, and not a
    domain word that only sets the scene (`Kunden`, `Team`, `Sales`)."""
    return len(word) >= 3 and stem(word) not in DOMAIN
