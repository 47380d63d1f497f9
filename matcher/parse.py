"""Turn what people paste into skill items, keeping the evidence that is not a skill.

A CV skills section arrives as lines, bullets (`•·-*`), numbering, commas, semicolons or
pipes, with proficiency and years around the skill: `Englisch: C1`, `Excel – sehr gut`,
`SAP (advanced)`, `3 years of SAP`, `(4 Jahre)`. The skill text is what gets resolved; a
language level and years are kept as evidence for the gates. Education (`Bachelor BWL`,
`kaufmännische Lehre`) and total experience (`6 Jahre Berufserfahrung`) are recognised as
gate evidence, not as skills.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .limits import MAX_ITEM_CHARS
from .model import CEFR_LEVELS, EDUCATION_LEVELS
from .dates import find_span, join_cut_ranges
from .normalise import clean, key
from .years import (EXPERIENCE_FIRST, EXPERIENCE_HEAD, TOTAL_EXPERIENCE, YEARS, experience_in, only_a_length,
                    years_in_figures, years_of)
from .vocab import is_heading


_BULLET = re.compile(r"^\s*(?:[-–—•·∙▪▫◦●○‣⁃*>+»✓✔☐☑■□]+|\(?\d{1,3}[.)](?!\d)|\(?[a-zA-Z][.)](?=\s))\s*")
# Separators within a line; a comma between digits is a decimal comma ("1,5 Jahre"). Pieces
# are stripped afterwards rather than matching spaces here, which would backtrack over long runs.
_SEPARATORS = "|•·∙▪●"  # item separators besides ";" and "," (one set for every splitting path)
_PIECE_SPLIT = re.compile(f"[;{re.escape(_SEPARATORS)}]|(?<!\\d),|,(?!\\d)")
_GROUP_MARK = re.compile(r"[,;|•·]")
_SEPARATOR_IN_BRACKETS = re.compile(f"[(\\[][^()\\[\\]]*[,;{re.escape(_SEPARATORS)}]")  # after an opening bracket


# Patterns searched over user text start at a word or a digit and never put two unbounded
# runs of the same characters side by side (`\s*[:-]?\s*`), which backtracks quadratically over
# a long run of spaces: every text path stays linear (tests/test_hardening.py times it).
_CEFR = re.compile(r"(?:\b(?:GERS?|CEFR|Niveau|Level)\s*(?:[:\-]\s*)?)?\b([ABC][12])(?:\+|\s*[-/]\s*[ABC][12])?\b", re.I)
_LEVEL_WORDS: list[tuple[re.Pattern[str], str | None]] = [
    (re.compile(r"\b(?:muttersprache|muttersprachlich(?:e[nrs]?)?|native(?:\s+speaker)?|mother\s+tongue|erstsprache)\b",
                re.I), "C2"),
    (re.compile(r"\b(?:verhandlungssicher(?:e[nrs]?)?|business\s+fluent|flie(?:ss|ß)end(?:e[nrs]?)?|fluent(?:ly)?|bilingual|"
                r"zweisprachig)\b", re.I), "C1"),
    (re.compile(r"\b(?:sehr\s+gut(?:e|er|es)?|very\s+good|excellent|exzellent|hervorragend|advanced|fortgeschritten|proficient|expert(?:e|enwissen)?)\b", re.I), "C1"),
    (re.compile(r"\b(?:gut(?:e|er|es)?|good|intermediate|mittel|solid(?:e)?|conversational)\b", re.I), "B2"),
    (re.compile(r"\b(?:grundkenntnisse|basis(?:kenntnisse|wissen)?|basic(?:s)?|beginner|anfänger|elementary|schulkenntnisse)\b", re.I), "A2"),
]
_EDUCATION: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:dr\.|doktor(?:at)?|ph\.?\s?d|promotion|doctorate)\b", re.I), "doctorate"),
    (re.compile(r"\b(?:master|m\.?\s?sc|m\.?\s?a\.|mba|magister|mag\.|diplom(?:-|\s)?(?:kauf|ing|betriebs|volks)|dipl\.)"
                r"|\b(?-i:MA|MSc)\b", re.I), "master"),
    (re.compile(r"\b(?:bachelor|b\.?\s?sc|b\.?\s?a\.|bakk|studium|hochschulabschluss|fh-abschluss|university\s+degree|"
                r"degree\s+in|universit(?:y|ät|aet)|fachhochschule|hochschule|college)\b|\b(?-i:BA|BBA|BSc)\b|\bb\.\s?a\.",
                re.I),
     "bachelor"),
    (re.compile(r"\b(?:matura|abitur|reifeprüfung|hak|hlw|bhs|a-levels?|high\s+school)\b", re.I), "matura"),
    (re.compile(r"\b(?:lehre|lehrabschluss|berufsausbildung|ausbildung\s+(?:als|zum|zur)|kaufmännische\s+ausbildung|"
                r"kaufmaennische\s+ausbildung|apprenticeship|vocational\s+training|bms|handelsschule|"
                r"(?:industrie|büro|einzelhandels|groß-?\s*und\s+außenhandels)kauf(?:mann|frau)|"
                r"gesellenbrief|gesellenprüfung|"
                r"lehre\s+als|ausbildung\s+zum|ausbildung\s+zur|diploma\s+(?:in|of))", re.I), "vocational"),
]
_ALTERNATIVES = re.compile(r"\b(?:oder|or|bzw)\b|/", re.I)
_TRADE_TITLE = re.compile(r"\bkauf(?:mann|frau|leute)\s+(?:im|in\s+der|für|fuer)\s", re.I)
_ANY_EDUCATION = re.compile("|".join(f"(?:{p.pattern})" for p, _ in _EDUCATION), re.I)
_ANY_LANGUAGE_LEVEL = re.compile("|".join(f"(?:{p.pattern})" for p, _ in _LEVEL_WORDS[:2]), re.I)
# A function word run into the capitalised word after it, as copied text often has them.
_GLUED = re.compile(r"\b(im|in|am|an|zum|zur|mit|von|vom|bei|auf|für|fuer|[Dd]ir|du|ihr|und|oder|sowie|sehr|gute|guter|gutes|"
                    r"the|and|of|with)(?=[A-ZÄÖÜ][a-zäöüß])")
_PERCENT = re.compile(r"\b\d{1,3}\s*%")
_PAREN = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]\s*")
_DIGIT = re.compile(r"\d")
_EDGE_PUNCTUATION = " .,;:!?-–—*_~\"'`´"  # stripped from both ends of an item
_ANNOTATION_SEP = re.compile(r"\s*(?:[:=]|\s[-–—]\s|\s[-–—]$)\s*")


@dataclass(frozen=True)
class Item:
    """One skill phrase as written, the text to resolve, and what was stripped as evidence."""

    raw: str
    text: str
    level: str | None = None  # CEFR level stated or implied ("fließend" -> C1)
    years: float | None = None  # years with this skill
    kind: str = "skill"  # "skill" | "education" | "experience"
    education: str | None = None
    truncated: bool = False
    span: tuple[int, int] | None = None  # months of a period of work ("01/2015 – heute"), see dates.py
    experience: float | None = None  # total years of work stated in a sentence ("7 years of experience in ...")


def level_of(text: str) -> str | None:
    """A CEFR level stated or implied anywhere in the text (`C1`, `fließend`, `sehr gut`), or None."""
    m = _CEFR.search(text)
    if m:
        return m.group(1).upper()
    for pattern, level in _LEVEL_WORDS:
        if pattern.search(text):
            return level
    return None


def _is_annotation(text: str) -> bool:
    """True when the text says how well or how long, and nothing else."""
    rest = _PERCENT.sub(" ", _CEFR.sub(" ", text))
    rest = YEARS.sub(" ", rest)
    for pattern, _ in _LEVEL_WORDS:
        rest = pattern.sub(" ", rest)
    rest = re.sub(r"\b(?:niveau|level|kenntnisse|skills?|in\s+wort\s+und\s+schrift|written\s+and\s+spoken|"
                  r"schriftlich|mündlich|spoken|written|und|and|bis|to|sprachkenntnisse)\b", " ", rest, flags=re.I)
    return not key(rest)


def parse_item(raw: str) -> Item:
    """Strip bullets, annotations and punctuation from one item."""
    text = years_in_figures(clean(raw))
    whole = text
    truncated = len(text) > MAX_ITEM_CHARS
    if truncated:
        text = text[:MAX_ITEM_CHARS]
    text = _BULLET.sub("", text)
    text = _GLUED.sub(r"\1 ", text).strip()  # "imVertrieb", "DirDeutschkenntnisse": lost spaces
    years: float | None = None
    level: str | None = None
    digits = _DIGIT.search(text) is not None  # years, levels (C1), dates and percentages all need one

    if digits and (TOTAL_EXPERIENCE.match(text) or EXPERIENCE_FIRST.match(text)):
        m = YEARS.search(text)
        return Item(raw, text, years=years_of(m) if m else None, kind="experience",
                    truncated=truncated)
    found = find_span(text) if digits else None
    span = None
    if found is not None:
        span, (a, b) = found
        text = (text[:a] + " " + text[b:]).strip()
        # only dates, or dates and their length ("Sept. 2023 – heute (9 Monate)", "2 yrs 3 mos"): a
        # period of work, nothing to resolve; the length the CV states is as long as "heute" was
        # when it was written, so it ends the period
        months = only_a_length(text)
        if months is not None:
            if months:
                span = (span[0], min(span[1], span[0] + months))
            return Item(raw, text, kind="experience", truncated=truncated, span=span)
    if _ANY_EDUCATION.search(text):  # one search rules most items out
        levels = [edu for pattern, edu in _EDUCATION if pattern.search(text)]
        if levels:
            # "Ausbildung oder Studium": either will do, so the lower; otherwise the highest named
            either = _ALTERNATIVES.search(text) is not None
            return Item(raw, text, kind="education", education=levels[-1] if either else levels[0],
                        truncated=truncated, span=span)
    if span is None and _TRADE_TITLE.search(text):
        # "Kaufmann im Einzelhandel" names an apprenticeship; with dates of work beside it, a job
        return Item(raw, text, kind="education", education="vocational", truncated=truncated)

    # Parenthesised annotations: "(4 Jahre)", "(advanced)", "(C1)"; other parentheses stay.
    def paren(m: re.Match[str]) -> str:
        nonlocal years, level
        inner = m.group(1)
        if _is_annotation(inner):
            y = YEARS.search(inner)
            if y:
                years = years_of(y)
            level = level or level_of(inner)
            return " "
        return m.group(0)

    if "(" in text or "[" in text:
        text = _PAREN.sub(paren, text).strip()
    # "Englisch: C1", "Excel – sehr gut", "SAP - 3 Jahre": the tail after a separator.
    parts = _ANNOTATION_SEP.split(text, maxsplit=1) if (":" in text or "=" in text or "-" in text
                                                         or "–" in text or "—" in text) else [text]
    if len(parts) == 2 and parts[0].strip() and not parts[0].strip().isdigit() and _is_annotation(parts[1]):
        tail = parts[1]
        y = YEARS.search(tail)
        if y:
            years = years_of(y)
        level = level or level_of(tail)
        text = parts[0]
    # Leading or trailing years/levels: "3 years of SAP", "SAP 3 Jahre", "Englisch C1", "fluent English".
    y = YEARS.search(text) if digits else None
    # at the item's start or end, or saying what they count: not "Großkunden mit Rahmenverträgen
    # über 5 Jahre betreut" (how long the contracts run)
    if y and (y.group("exp") or len(text[:y.start()].split()) <= 1 or key(text[y.end():]) in ("", "months")):
        # the number goes, the word that says what it counts stays: "Ich habe 3 Jahre Berufserfahrung
        # im Vertrieb" still names Berufserfahrung im Vertrieb
        rest = (text[: y.start()] + " " + (y.group("exp") or "") + " " + text[y.end():]).strip()
        rest = re.sub(r"^(?:of|in|with|mit|im|in der)\s+", "", rest, flags=re.I)
        stated = years_of(y)
        if key(rest) and stated is not None:  # "in drei Jahren", "vor 2 Jahren" stay as written
            years, text = stated, rest
    if "%" in text and _PERCENT.search(text) and key(_PERCENT.sub(" ", text)):  # "Reisebereitschaft 50%"
        text = _PERCENT.sub(" ", text)
    lv = _CEFR.search(text) if digits else None
    if lv and key(_CEFR.sub(" ", text)):
        level = level or lv.group(1).upper()
        text = _CEFR.sub(" ", text)
    for pattern, implied in _LEVEL_WORDS[:2] if _ANY_LANGUAGE_LEVEL.search(text) else ():
        # "fließend", "native": about languages only
        if pattern.search(text) and key(pattern.sub(" ", text)):
            level = level or implied
            text = pattern.sub(" ", text)
    text = " ".join(text.split()).strip(_EDGE_PUNCTUATION)
    return Item(raw, text, level=level, years=years, truncated=truncated, span=span,
                experience=experience_in(whole) if digits else None)


_HEAD_COLON = re.compile(r"(?<!\d):|:(?!\d)")


def split_items(text: str) -> list[str]:
    """Split a pasted skills section into raw item strings (order kept, empties dropped).

    Lines (any line break, U+2028, tab), then `;` `|` bullets and commas (not a decimal comma).
    `Heading: a, b` gives `a` and `b` (the heading names a group); `Englisch: C1` stays one
    item because what follows the colon is only a level. The one splitter for a pasted CV and
    a batch cell alike, so it avoids regular expressions where plain string methods do.
    """
    out: list[str] = []
    skipping = False  # inside a section that holds no skills ("Wir bieten", "About us")
    lines = [_BULLET.sub("", line).strip() for line in clean(text).replace("\t", "\n").splitlines()]
    for line in join_cut_ranges(lines) if len(lines) > 1 else lines:
        if not line:
            continue
        # one look at the line's start, for the lines that can be headings, goals or one-line sections
        head = _HEADLINE.match(line) if (len(line) <= 60 or ":" in line) and line[:1].isalpha() else None
        if head and head.lastgroup == "read" and not line.endswith(":") and not _SECTION_ALONE.match(line):
            head = None  # "Experience in cold calling", "Berufserfahrung im Vertrieb": a skill, not a heading
        if len(line) <= 60 and (line.endswith(":") or (head and head.lastgroup != "goal") or is_heading(line)):
            skipping = bool(head and head.lastgroup == "skip")  # a heading: its section is read, or not
            continue
        if skipping or (head and head.lastgroup == "goal"):
            continue  # benefits and company text are not skills; a goal ("Ziel: ...") is not one yet
        if head and head.lastgroup == "skip" or (":" in line and _SKIP_SECTION.match(line.partition(":")[0])):
            continue  # the same on one line: "Wir bieten: Firmenwagen, ...", "Hobbys: Lesen, ..."
        colon = _HEAD_COLON.search(line) if ":" in line else None  # not a time or a grade ("2:1", "9:30")
        if colon is not None:
            head, rest = line[:colon.start()], line[colon.end():]
            # an annotation ("C1", "sehr gut", "3 Jahre") is short: a long tail is a list
            if len(head) <= 40 and _GROUP_MARK.search(rest) and (len(rest) > 80 or not _is_annotation(rest)):
                # "Berufserfahrung: 4 Jahre, Kaltakquise": the years belong to the heading
                line = f"{head}: {rest.lstrip()}" if EXPERIENCE_HEAD.match(head) else rest
        if ("(" in line or "[" in line) and _SEPARATOR_IN_BRACKETS.search(line):
            pieces = _split_outside_brackets(line)  # "Verkäuferin (H&M, Filiale Graz)" is one item
        elif "," in line:
            pieces = _PIECE_SPLIT.split(line)
        else:  # the common case, without a regular expression
            for sep in _SEPARATORS:
                line = line.replace(sep, ";")
            pieces = line.split(";")
        out.extend(p for p in map(str.strip, pieces)
                   if (_is_item(p) if len(p) <= MAX_ITEM_CHARS else _is_item.__wrapped__(p)))
    return out


# Section headings of CVs and adverts. Benefits, company descriptions and how to apply hold no
# skills, so their lines are skipped until the next heading; every other section is read.
_SKIP_SECTION = re.compile(
    r"^(?:was\s+wir\s+(?:dir\s+|ihnen\s+)?bieten|wir\s+bieten|das\s+bieten\s+wir|unser\s+angebot|deine\s+vorteile|"
    r"ihre\s+vorteile|benefits|perks|what\s+we\s+offer|we\s+offer|our\s+offer|what\s+you\s+get|über\s+uns|"
    r"ueber\s+uns|wer\s+wir\s+sind|about\s+us|who\s+we\s+are|das\s+unternehmen|unternehmen|the\s+company|"
    r"kontakt|contact|bewerbung(?!\s+(?:als|um|zum|zur|for|as)\b)|so\s+bewirbst\s+du\s+dich|how\s+to\s+apply|"
    r"interessen|hobbys?|hobbies|"
    r"interests|referenzen|references|gehalt|vergütung|verguetung|salary|compensation)\b[^:]*:?$", re.I)
_SECTION = re.compile(
    r"^(?:berufserfahrung|beruflicher\s+werdegang|werdegang|ausbildung|bildung|bildungsweg|work\s+experience|"
    r"professional\s+experience|experience|employment(?:\s+history)?|education|skills|kenntnisse|kompetenzen|"
    r"fachkompetenzen|sprachen|languages|profil|profile|summary|zusammenfassung|dein\s+profil|ihr\s+profil|"
    r"was\s+du\s+mitbringst|was\s+sie\s+mitbringen|anforderungen|requirements|qualifications|"
    r"deine\s+aufgaben|ihre\s+aufgaben|aufgaben|responsibilities|your\s+tasks|must[-\s]haves?|nice\s+to\s+have|"
    r"what\s+you(?:'ll)?\s+bring|what\s+you\s+need|your\s+profile|about\s+you|who\s+you\s+are|your\s+skills|"
    r"das\s+bringst\s+du\s+mit|das\s+zeichnet\s+dich\s+aus|das\s+solltest\s+du\s+mitbringen)"
    r"\b[^:]*:?$", re.I)
_SECTION_ALONE = re.compile(_SECTION.pattern.replace(r"\b[^:]*:?$", r"\s*:?$"), re.I)  # the heading, nothing after
_GOAL = re.compile(r"^(?:ziel|ziele|karriereziel|berufsziel|berufswunsch|wunsch|objective|career\s+objective|goal|"
                   r"career\s+goal|aspiration|career\s+aspiration)\s*:", re.I)
_HEADLINE = re.compile(f"(?P<skip>{_SKIP_SECTION.pattern})|(?P<read>{_SECTION.pattern})|(?P<goal>{_GOAL.pattern[1:]})",
                       re.I)


def section_of(line: str) -> str | None:
    """`read` for a heading whose section holds skills or requirements, `skip` for one that holds
    none (benefits, company, how to apply), None for a line that is no heading."""
    m = _HEADLINE.match(line.strip())
    return None if m is None or m.lastgroup == "goal" else m.lastgroup


def is_goal(text: str) -> bool:
    """`Ziel: Vertriebsleitung`, `Career goal: ...`: what someone wants to become, not a skill yet."""
    return _GOAL.match(text.strip()) is not None


def _split_outside_brackets(line: str) -> list[str]:
    """The pieces of a line, separators inside (round or square) brackets ignored."""
    pieces: list[str] = []
    depth = start = 0
    for i, ch in enumerate(line):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and (ch == ";" or ch in _SEPARATORS or (ch == "," and not (0 < i < len(line) - 1 and line[i - 1].isdigit()
                                                                      and line[i + 1].isdigit()))):
            pieces.append(line[start:i])
            start = i + 1
    pieces.append(line[start:])
    return pieces


@lru_cache(maxsize=65536)
def _is_item(piece: str) -> bool:
    return bool(key(piece)) and not is_heading(piece)


def parse(skills: str | list[str] | tuple[str, ...]) -> list[Item]:
    """Items from a pasted text (split) or a list (each element one item, cleaned not split)."""
    raws = split_items(skills) if isinstance(skills, str) else [str(s) for s in skills if s is not None]
    items = [parse_item(r) for r in raws]
    return [i for i in items if key(i.text) or i.kind != "skill"]


def cefr_at_least(have: str, need: str) -> bool:
    return CEFR_LEVELS.index(have) >= CEFR_LEVELS.index(need)


def education_at_least(have: str, need: str) -> bool:
    return EDUCATION_LEVELS.index(have) >= EDUCATION_LEVELS.index(need)
