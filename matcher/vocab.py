"""The words the parser, the resolver and the index agree on, in one place.

Which words carry no skill (fillers), which say what kind of claim a phrase makes (knowledge
vs. aptitude), which a label may add without changing what it names (light verbs, generic
heads), and which abbreviations people write. The parser uses them to drop section headings,
the index to build its lookup tables and the resolver to compare a phrase with them, so a
change here changes all three together. Every list is curated linguistic knowledge.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .normalise import key, stem

# Abbreviations people write in CVs, expanded before matching (curated).
ABBREVIATIONS = {
    "mgmt": "management", "mgt": "management", "mngt": "management", "managment": "management",
    "kenntn": "kenntnisse", "kennt": "kenntnisse", "bwl": "betriebswirtschaft", "vwl": "volkswirtschaft",
    "techn": "technik", "strat": "strategie", "dev": "development", "biz": "business", "cust": "customer",
    "pres": "praesentation", "praes": "praesentation", "engl": "englisch", "dt": "deutsch", "ca": "",
    # a way of working is the working itself ("strukturierte Arbeitsweise" = "strukturiertes Arbeiten");
    # "eigenständig" and "selbstständig" are one word (curated synonyms)
    "arbeitsweise": "arbeiten", "eigenstaendig": "selbststaendig", "eigenstaendige": "selbststaendige",
    "eigenstaendiges": "selbststaendiges", "eigenstaendiger": "selbststaendiger", "selbstaendig": "selbststaendig",
    "selbstaendige": "selbststaendige", "selbstaendiges": "selbststaendiges",
    # the irregular English past of a CV's verbs ("Led a team", "Built relationships", "Won new accounts");
    # not drove (drive is a trait), held (held presentations is said as it is) nor sold (sales knowledge
    # would come before what was sold to whom)
    "led": "leading", "built": "building", "won": "winning", "grew": "growing", "taught": "teaching",
    "ran": "running", "wrote": "writing",
}

# Words that carry no skill: determiners, prepositions, level and intensity adjectives.
FILLER = frozenset("""
a an the of in on for with to at by and or as from into via incl including within
der die das des dem den ein eine einer eines einem einen im in am an auf aus bei mit von vom
zu zur zum fuer fur ueber und oder sowie bzw inkl u
unser unsere unseren unserer unserem unseres ihr ihre ihren ihrer ihrem ihres dein deine deinen deiner deinem deines
mein meine meinen meiner meinem our your their its my
sehr gute guter gutes gutem guten gut fundierte fundierter fundiertes fundiert solide solider
umfassende umfassender umfassend vertiefte vertiefter erweiterte erweiterter tiefe tiefgehende
ausgepraegte ausgepraegtes ausgepraegter hohe hoher hohes hohem
strong excellent solid good very great advanced basic proficient experienced extensive deep
proven sound thorough broad profound high outstanding
mehrjaehrige langjaehrige jahrelange einschlaegige erste praktische practical hands
""".split())

# Quality words: what kind of claim a phrase makes about the skill. Two classes, because
# `Verkaufsgeschick` (aptitude) is Verkaufstalent while `Vertriebserfahrung` (knowledge) is
# Vertriebskenntnisse; "skills" says nothing about the class.
KNOWLEDGE = ("anwendungskenntnisse", "kenntnisse", "kenntnis", "berufserfahrung", "berufspraxis", "praxiserfahrung",
             "arbeitserfahrung", "erfahrungen", "erfahrung", "wissen", "knowhow",
             "knowledge", "experience", "expertise", "background", "verstaendnis", "understanding",
             "praktikum", "praktika", "internship", "werkstudent", "werkstudentin")
APTITUDE = ("staerke", "staerken", "geschick", "vermoegen", "faehigkeiten", "faehigkeit", "talent", "begabung",
            "kompetenz", "kompetenzen", "strength", "talent", "flair", "ability", "abilities", "aptitude",
            "gespuer", "sinn", "kraft", "sicherheit")
NEUTRAL = ("skills", "skill", "know", "how", "competence", "competences", "competency", "competencies",
           "capabilities", "capability")
QUALITY_SUFFIXES = tuple(sorted({*KNOWLEDGE, *APTITUDE}, key=len, reverse=True))

# Words a label may carry beyond what the user wrote without changing what it names: light
# verbs (`Abhalten von Kundenpräsentationen` = `Kundenpräsentationen`), generic heads
# (`Beschwerdemanagement` = `complaint management`).
_LIGHT_WORDS = """
abhalten halten durchfuehren durchfuehrung erstellen erstellung machen fuehren bearbeiten bearbeitung
holding conducting conduct giving give delivering preparing preparation handling handle managing manage
resolving resolve processing process doing performing running carrying
management managen betreuen betreuung pflegen betreiben ausfuehren uebernehmen leisten erledigen
""".split()
LIGHT = frozenset(stem(w) for w in _LIGHT_WORDS)  # compared with a label's (stemmed) words
LIGHT_QUERY = frozenset(_LIGHT_WORDS)  # compared with the user's words as written, so that the
# noun `Führung` (leadership) is not dropped as the verb `führen` although both stem to `fuehr`

# Domain words a user adds that labels often leave implicit (`customer complaints`).
DOMAIN = frozenset(stem(w) for w in """
kunden kunde kundinnen customer customers client clients sales vertrieb b2b b2c key large new neue neuer neuen
neues business geschaeft geschaefts account accounts mitarbeiter mitarbeitern mitarbeitende kollegen team teams
employees staff colleagues junge junger jungen junior juniors younger manager managern managers
""".split())

# Prepositions that start a context phrase, not the skill's object ("von"/"of" usually carry
# the object: `Pflege von Kundenbeziehungen`, so they are not here).
CONTEXT_PREPOSITIONS = frozenset("im in mit bei fuer per ueber mittels with in for using at via on within".split())

# Words that make a line a section heading rather than a skill (`Kenntnisse & Fähigkeiten`,
# `Soft skills`, `IT`), on top of the filler and quality words above.
HEADING_WORDS = frozenset("""
soft hard fachliche persoenliche sonstiges sonstige other kompetenzen profil profile key core technical it edv
languages sprachen qualifikationen qualifications faehigkeiten abilities fachkompetenzen kernkompetenzen
schluesselkompetenzen kompetenzprofil
""".split())


def expand(k: str) -> str:
    """Expand abbreviations in a normalised key."""
    words = [ABBREVIATIONS.get(w, w) for w in k.split()]
    return " ".join(w for w in words if w)


def stem_key(k: str) -> str:
    return " ".join(stem(t) for t in k.split())


def bag_key(sk: str) -> str:
    """A stemmed phrase with its leading words in any order but its last word kept last: the
    words before the head may be reordered (`strategische Vertriebs Planung`), the head may not,
    for it says what the phrase is: `management accounts` (bookkeeping) is no `account management`."""
    *lead, head = sk.split() or [""]
    return " ".join(sorted(lead) + [head])


# Describing words that may stand inside a skill's words (`complex deals`, `wichtiger Kunden`) or
# before a group of people (`ein kleines Team führen`, `lead a growing team`): a closed list,
# German ones with their endings, so that no noun is ever skipped (curated) ("neu", "new", "key"
# are not: they are part of what Neukunden and Key Accounts name)
DESCRIBING = re.compile(r"(?:komplex|wichtig|langfristig|gross|klein|strategisch|bestehend|international|national|"
                        r"regional|lokal|global|fest|eigen|treu|mittelstaendisch|wachsend|motiviert|engagiert|"
                        r"interdisziplinaer|schlagkraeftig|ganz|gesamt)(?:e|er|en|es|em)?|complex|large|"
                        r"major|big|small|strategic|existing|important|local|long-term|loyal|growing|whole|entire|"
                        r"dedicated|motivated|diverse|remote|virtual|cross|functional|performing|talented")
# the words for a group of people that DESCRIBING may stand before and not be content
GROUP_NOUNS = frozenset("team teams mitarbeiter mitarbeitern mitarbeitende mitarbeitenden staff employees".split())


def content_words(k: str) -> list[str]:
    """Words that name the skill: no fillers, no quality words, no numbers (`Führung von 8 Managern`),
    no describing words before a group of people (`lead a small team` is `lead a team`): they
    say what the team is like, not what the work is."""
    words = [t for t in k.split() if t not in FILLER and t not in NEUTRAL and not t.isdigit()]
    if not GROUP_NOUNS.intersection(words):
        return words
    out: list[str] = []
    for t in reversed(words):  # a run of describing words before the group's word: `small international team`
        if not (out and DESCRIBING.fullmatch(t) and (out[-1] in GROUP_NOUNS or DESCRIBING.fullmatch(out[-1]))):
            out.append(t)
    return out[::-1]


def core(k: str) -> tuple[str, str | None]:
    """Strip quality words and suffixes: (`verkauf`, "aptitude") for `Verkaufsgeschick`."""
    cls: str | None = None
    out: list[str] = []
    for t in k.split():
        if t in FILLER or t in NEUTRAL:
            continue
        if t in KNOWLEDGE:
            cls = cls or "knowledge"
            continue
        if t in APTITUDE:
            cls = cls or "aptitude"
            continue
        for suffix in QUALITY_SUFFIXES if t.endswith(QUALITY_SUFFIXES) else ():  # one C call rules most out
            if t.endswith(suffix) and len(t) - len(suffix) >= 4:
                t = t[: -len(suffix)]
                t = t[:-1] if t.endswith("s") and not t.endswith("ss") else t
                cls = cls or ("knowledge" if suffix in KNOWLEDGE else "aptitude")
                break
        out.append(stem(t))
    return " ".join(out), cls


def is_heading(text: str) -> bool:
    return len(text) <= 120 and _is_heading(text)


@lru_cache(maxsize=65536)
def _is_heading(text: str) -> bool:
    """`Kenntnisse & Fähigkeiten`, `Skills`, `Soft skills`: a section heading, not a skill.

    Cached: batch exports repeat the same pieces thousands of times."""
    words = key(text).split()
    return (bool(words) and len(words) <= 4 and words != ["it"]
            and all(w in FILLER or w in NEUTRAL or w in KNOWLEDGE or w in APTITUDE or w in HEADING_WORDS
                    for w in words))
