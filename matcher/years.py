"""How long: years of experience as CVs and adverts write them, read the same way in both.

`3 years of SAP`, `SAP (4 Jahre)`, `mindestens 3 Jahre einschlägige Berufserfahrung`, `3-5 years of
relevant sales experience`, `DIRECT SALES - Experience - 36 months`, `drei Jahre`, `mehrjährige
Vertriebserfahrung`. A range gives its first number (what a CV holder has at least, what an
advert asks at least). Not every number of years is a duration of work: a negated one (`ohne
mehrjährige Berufserfahrung`), a point in time (`in drei Jahren`, `vor 2 Jahren`, `in den ersten
zwölf Monaten`) and experience of life or travel are not, so the parser (`parse.py`) and the
advert reader (`vacancy.py`) both go through `years_of`.
"""

from __future__ import annotations

import re

from .normalise import key

MAX_YEARS = 80

_UNIT = r"(?:jahre?n?|j\.|jhr\.?|years?|yrs?\.?|y\.|(?P<months>monate?n?|months?))"
YEARS = re.compile(
    r"(?:(?:(?P<less>weniger\s+als|less\s+than|unter|under|bis(?:\s+zu|\s+ca\.?|\s+etwa)?|up\s+to)|"
    r"(?P<almost>knapp|fast|beinahe|nearly|almost)|(?:nicht|not|no)\s+(?:weniger\s+als|less\s+than)|"
    r"über|ueber|mehr\s+als|more\s+than|over|ca\.?|approx\.?|about|rund)\s+)?"
    r"(?<![\d.,])(?P<n>\d{1,2}(?:[.,]\d)?)\s*(?:\+\s*)?(?:(?:[-–—]|to|bis)\s*\d{1,2}(?:[.,]\d)?\s*)?"
    rf"{_UNIT}\b['’]?"  # the possessive of "3 years' experience"
    r"(?:\s+(?P<exp>(?:berufs)?erfahrung(?:en)?|praxis|experience|of\s+experience|work\s+experience|"
    r"professional\s+experience)\b)?",
    re.I,
)
# "6 Jahre Berufserfahrung", "over 10 years of professional experience": the total, alone on a line
TOTAL_EXPERIENCE = re.compile(
    r"^\s*(?:(?:über|ueber|mehr\s+als|more\s+than|over)\s+)?(\d{1,2})\s*(?:\+\s*)?(?:jahre?n?|years?|yrs?|monate?n?|months?)\s*"
    r"(?:berufserfahrung|berufspraxis|erfahrung|work\s+experience|professional\s+experience|experience|"
    r"of\s+(?:work|professional)?\s*experience)(?:\s+(?:im|in|als)\s+(?:vertrieb|verkauf|sales|account\s*management))?\s*$",
    re.I,
)
# "Berufserfahrung: 4 Jahre", "Experience - 6 years": the total, label first
_EXPERIENCE_LABEL = (r"(?:berufserfahrung|berufspraxis|erfahrung|work\s+experience|professional\s+experience|experience)"
                     r"(?:\s+(?:im|in\s+der|in)\s+[\w-]+)?")  # "Berufserfahrung im Vertrieb"
EXPERIENCE_HEAD = re.compile(rf"^\s*{_EXPERIENCE_LABEL}\s*$", re.I)
EXPERIENCE_FIRST = re.compile(
    rf"^\s*{_EXPERIENCE_LABEL}"
    r"\s*[:\-–]?\s*(?:(?:über|ueber|mehr\s+als|more\s+than|over|ca\.?)\s+)?\d{1,2}(?:[.,]\d)?\s*(?:\+\s*)?"
    r"(?:jahre?n?|years?|yrs?|monate?n?|months?)\.?\s*$", re.I)
# Experience of life, travel or a stay abroad is no experience of work.
_NOT_WORK = r"(?!lebens|auslands|reise)"
# Years of experience stated in a sentence: "with 7 years of experience in B2B sales", "4 Jahre
# Vertriebserfahrung", "3 Jahre Erfahrungen im Verkauf". Possessive quantifiers (`*+`, `++`): a run
# of spaces or a word is taken whole, never split between neighbouring quantifiers, so a crafted
# run of spaces costs linear time.
EXPERIENCE_IN_SENTENCE = re.compile(
    r"(?:\b(?:(?:nicht|not|no)\s++(?:weniger\s++als|less\s++than)|"  # at least
    r"(?P<less>weniger\s++als|less\s++than|unter|under|bis(?:\s++zu|\s++ca\.?+|\s++etwa)?+|up\s++to)|"
    r"(?P<almost>knapp|fast|beinahe|nearly|almost))\s++)?"
    r"(?<![\d.,])\b(?P<n>\d{1,2}(?:[.,]\d)?)\s*+(?:\+|plus)?\s*+(?:(?:[-–—]|to|bis)\s*+\d{1,2}(?:[.,]\d)?\s*+)?"
    r"(?:jahre?n?|years?|yrs?|(?P<months>monate?n?|months?))\b['’]?(?:\s++\w++){0,4}?\s++"
    rf"(?:\b{_NOT_WORK}[a-zäöüß]*erfahrung(?:en)?|berufspraxis|experience)\b", re.I)

# The words before a number of years that make it no duration of work: a negation, or a point
# in time (`in drei Jahren`, `vor 2 Jahren`, `within two years`, `in deinen ersten zwölf Monaten`).
_NEGATIONS = frozenset("ohne kein keine keinen keiner no not without non".split())
_POINT_BEFORE = frozenset("in vor innerhalb binnen within ersten first nächsten naechsten next kommenden coming".split())
# ... unless what follows says what the years were spent on: "In 5 Jahren im Key Account Management
# den Umsatz verdoppelt", "in five years of key account management"
_SPENT_ON = frozenset("of im in als as at bei".split())
_POINT_AFTER = frozenset("ago later später spaeter zuvor".split())

# Years written in words become figures before the patterns above read them (curated): "drei
# Jahre", "five years", "eineinhalb Jahre", "a decade". "Mehrere"/"several" is more than two
# (Duden: "mehr als zwei"), so 3; "einige"/"a few" 2; "langjährig" 5, "jahrzehntelang" 10: the least
# a reader takes them for. "Viele Jahre" is left alone: adverts use it of the company. The
# adjectives count only before the experience they qualify ("mehrjährige Vertriebserfahrung", not
# "langjährige Kunden").
_COUNT_WORDS = {
    "ein": "1", "einem": "1", "einen": "1", "eines": "1", "one": "1", "a": "1", "an": "1",
    "zwei": "2", "two": "2", "drei": "3", "three": "3", "vier": "4", "four": "4", "fünf": "5", "fuenf": "5",
    "five": "5", "sechs": "6", "six": "6", "sieben": "7", "seven": "7", "acht": "8", "eight": "8", "neun": "9",
    "nine": "9", "zehn": "10", "ten": "10", "elf": "11", "eleven": "11", "zwölf": "12", "zwoelf": "12",
    "twelve": "12", "fifteen": "15", "fünfzehn": "15", "fuenfzehn": "15", "eighteen": "18", "achtzehn": "18",
    "zwanzig": "20", "twenty": "20", "eineinhalb": "1,5", "anderthalb": "1,5", "zweieinhalb": "2,5",
    "dreieinhalb": "3,5", "einige": "2", "few": "2", "couple": "2", "mehrere": "3", "mehreren": "3",
    "several": "3", "multiple": "3",
}
_ADJECTIVE_YEARS = {"ein": "1", "mehr": "3", "lang": "5", "zwei": "2", "drei": "3", "vier": "4", "fünf": "5",
                    "fuenf": "5", "sechs": "6", "sieben": "7", "acht": "8", "neun": "9", "zehn": "10"}
_SINGULAR = frozenset(("jahr", "year", "monat", "month"))
_YEARS_IN_WORDS = re.compile(
    r"\b(?P<half>half\s+a\s+year|ein(?:em)?\s+halben?\s+jahre?s?)\b"  # six months
    r"|\b(?P<decade>a\s+decade|ein(?:em)?\s+jahrzehnt)\b"
    r"|\b(?P<pre>(?P<from>[a-zäöüß]+)\s+(?:bis|to|oder|or)\s+)?"  # "ein bis zwei Jahre": a range gives its first
    r"(?:a\s+(?=(?:few|couple)\b))?(?P<word>[a-zäöüß]+)(?:\s+and\s+a\s+half)?(?:\s+of)?\s+"
    r"(?P<unit>jahre?n?|years?|monate?n?|months?)\b"
    r"|\b(?P<adj>ein|mehr|lang|zwei|drei|vier|fünf|fuenf|sechs|sieben|acht|neun|zehn|\d{1,2}-?)\s*j(?:ä|ae)hrige[nrms]?"
    rf"\s+(?={_NOT_WORK}[\w-]*(?:erfahrung|praxis)\b)"  # "mehrjährige Berufserfahrung", "3-jährige Erfahrung"
    rf"|\b(?P<long>jahr(?:zehnt)?elange[nr]?)\s+(?={_NOT_WORK}[\w-]*(?:erfahrung|praxis)\b)", re.I)


_UNIT_HINT = re.compile("jahr|year|jähr|jaehr|monat|month|decade", re.I)


def years_in_figures(text: str) -> str:
    """The text with its years written in words as figures (`drei Jahre` -> `3 Jahre`,
    `mehrjährige Erfahrung` -> `3 Jahre Erfahrung`), so that one set of patterns reads both."""
    if _UNIT_HINT.search(text) is None:  # most items name no time at all
        return text

    def figure(m: re.Match[str]) -> str:
        if m.group("half"):
            return "6 Monate" if m.group("half")[0] in "eE" else "6 months"
        if m.group("decade"):
            return "10 Jahre" if m.group("decade")[0] in "eE" else "10 years"
        if m.group("word") is not None:
            word, unit = m.group("word").lower(), m.group("unit")
            n = _COUNT_WORDS.get(word)
            if n is None or (n == "1") != (unit.lower() in _SINGULAR) and "and a half" not in m.group(0):
                return m.group(0)
            if "and a half" in m.group(0):
                n = f"{n},5"
            first = _COUNT_WORDS.get((m.group("from") or "").lower())
            return f"{first} bis {n} {unit}" if first else f"{m.group('pre') or ''}{n} {unit}"
        if m.group("long"):  # jahrelang(e/en/er), jahrzehntelang
            return "10 Jahre " if "zehnt" in m.group("long").lower() else "5 Jahre "
        adj = m.group("adj").lower().rstrip("-")
        return f"{adj if adj.isdigit() else _ADJECTIVE_YEARS[adj]} Jahre "

    return _YEARS_IN_WORDS.sub(figure, text)


def years_of(m: re.Match[str]) -> float | None:
    """The years a `YEARS` or `EXPERIENCE_IN_SENTENCE` match states ("1,5" is 1.5, "18 months"
    1.5; "less than 4 years" is half of them: some, not 4), or None when they are no duration of
    work: negated, or a point in time (module docstring)."""
    before = m.string[:m.start()].lower().split()[-2:]
    after = [w.strip(".,;") for w in m.string[m.end():m.end() + 16].lower().split()[:1]]
    if any(w in _NEGATIONS for w in before) or (after and after[0] in _POINT_AFTER) or (
            before and before[-1] in _POINT_BEFORE and not (after and after[0] in _SPENT_ON)):
        return None
    value = float(m.group("n").replace(",", "."))
    if m.group("months"):  # "Experience - 36 months", "18 Monate": in years
        value = round(value / 12, 2)
    if m.group("almost"):  # "knapp 3 Jahre", "nearly 3 years": not quite 3
        value -= 0.5
    return value / 2 if m.group("less") else value


def experience_in(text: str) -> float | None:
    """The years of work a line (its figures spelt out: `years_in_figures`) states: in a sentence
    ("3 Jahre Berufserfahrung im Vertrieb") or after a label ("Berufserfahrung: 3 Jahre"); None
    when it states none, or negates them ("ohne mehrjährige Berufserfahrung"). The parser reads a
    CV's total with it, the advert reader a years gate."""
    stated = EXPERIENCE_IN_SENTENCE.search(text) or (YEARS.search(text) if EXPERIENCE_FIRST.match(text) else None)
    return years_of(stated) if stated else None


# The length of a period as CV exports write it beside the period ("(9 Monate)", "· 2 yrs 3 mos")
_LENGTH = re.compile(r"\b(?P<n>\d{1,2})\s*(?:(?P<months>monate?n?|mon\.|months?|mos?\.?)|jahre?n?|j\.|years?|yrs?\.?)"
                     r"(?!\w)|\b(?:und|and)\b", re.I)


def only_a_length(text: str) -> int | None:
    """The months a text that states nothing but a period's length adds up to ("1 Jahr 10 Monate"
    is 22, "" is 0); None when it says more. An open period ("heute") ends where the CV stated
    its length, for that is when it was written (`parse.parse_item`, `periods.dated_titles`)."""
    if key(_LENGTH.sub(" ", text)):
        return None
    return sum(int(m.group("n")) * (1 if m.group("months") else 12) for m in _LENGTH.finditer(text) if m.group("n"))


_YEARS_VALUE = re.compile(r"(\d{1,2}(?:[.,]\d{1,2})?)\s*(?:\+|jahre?n?|j\.?|jhr\.?|years?|yrs?\.?)?", re.I)


def years_value(text: str) -> float | None:
    """Years of experience as a person writes them in a form or a spreadsheet cell.

    `5`, `5,5`, `5.5`, `5 Jahre`, `5 years`, `5+`; empty gives None. Anything else (`-5`,
    `10 Monate`, `2019`, `1e309`) raises ValueError: it is not a number of years, and reading
    its digits would give a confident wrong gate. The CLI's `--years` and batch cells share it.
    """
    stripped = text.strip()
    if not stripped:
        return None
    m = _YEARS_VALUE.fullmatch(stripped)
    if m is None:
        raise ValueError(f"{text.strip()[:40]!r} is not a number of years (0-{MAX_YEARS}, e.g. 5 or 5,5)")
    value = float(m.group(1).replace(",", "."))
    if value > MAX_YEARS:
        raise ValueError(f"{value:g} is more than {MAX_YEARS} years")
    return value
