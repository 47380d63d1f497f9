"""Read a BIS profile page (any translation) into its structure: sections, terms, courses.

BIS publishes every profile in machine-translated languages; each translation keeps the German
original of every term in brackets: `Sales negotiation (Verkaufsverhandlung)`. Layouts differ
(headings, bullet characters, line breaks), so the parser works from structure only: section
headings are recognised by their German names, nesting by indentation, terms by brackets,
"z. B." examples by brackets inside brackets. English words are never relied on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import ImportError_
from .fsutil import decode_text
from .limits import MAX_PAGE_BYTES
from .normalise import clean

# Sections by their German heading (the part BIS never translates).
SECTIONS = [
    ("advert", re.compile(r"In\s+Inseraten\s+gefragte", re.I)),
    ("basic", re.compile(r"Berufliche\s+Basiskompetenzen", re.I)),
    ("cross", re.compile(r"Überfachliche\s+berufliche\s+Kompetenzen", re.I)),
    ("technical", re.compile(r"Fachliche\s+berufliche\s+Kompetenzen", re.I)),
    ("digital", re.compile(r"Digitale[n]?\s+Kompetenzen|Detailinfos\s+zu\s+den\s+digitalen", re.I)),
    ("specialisations", re.compile(r"Berufsspezialisierungen", re.I)),
    ("related", re.compile(r"Verwandte\s+Berufe", re.I)),
    ("course-deepening", re.compile(r"Weiterbildung\s+Vertiefung", re.I)),
    ("course-advancement", re.compile(r"Weiterbildung\s+Aufstiegsperspektiven", re.I)),
    ("course-cross", re.compile(r"Bereichsübergreifende\s+Weiterbildung", re.I)),
    ("providers", re.compile(r"Weiterbildungsveranstalter", re.I)),
    ("german", re.compile(r"Deutschkenntnisse\s+nach\s+GERS", re.I)),
    ("ams", re.compile(r"AMS-Berufssystematik", re.I)),
    ("income", re.compile(r"\(Einkommen\)|^#+\s*Einkommen", re.I)),
    ("other", re.compile(r"Haupttätigkeiten|Beschäftigungsmöglichkeiten|Aktuelle\s+Stellenangebote|Weitere\s+berufliche"
                         r"|Qualifikationsniveaus|Zertifikate|Ausbildung|Arbeitsumfeld|Berufslexikon|Ausbildungskompass"
                         r"|Weitere\s+Berufsinfos|Zuordnung\s+zu\s+BIS", re.I)),
]
_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?P<bullets>(?:[-*•·∙▪◦●‣⁃–o](?=\s)\s*)+)(?P<text>.*)$")
_HEADING = re.compile(r"^\s*(?:#{1,6}\s*|\*\*)")
_GENDER_MARK = re.compile(r"\s*\(\s*[mwfdx]\s*(?:/\s*[mwfdx]\s*){1,2}\)", re.I)
# "2.150 bis 3.480 Euro brutto": numbers with thousands dots, at most 999.999.999.999, matched
# only where a number starts, so a line of "1.1.1..." is read in linear time
_INCOME = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{3}){0,3})\s+bis\s+(\d{1,3}(?:\.\d{3}){0,3})\s+Euro\s+brutto", re.I)
_EXAMPLES = re.compile(r"^\s*(?:z\.\s*B\.|zB\.?|e\.\s*g\.)\s*", re.I)


@dataclass
class Term:
    german: str
    translation: str
    section: str
    level: int  # 0 area / item, 1 competency / sub-item, 2 example
    parent: str | None = None  # German term of the parent


@dataclass
class Page:
    title_de: str = ""
    title_tr: str = ""
    terms: list[Term] = field(default_factory=list)
    digcomp_areas: list[int] = field(default_factory=list)
    specialisations: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    courses: list[tuple[str, str]] = field(default_factory=list)  # (kind, German title)
    german_level: str | None = None
    ams_code: str | None = None
    salary: list[dict] = field(default_factory=list)


def _bracket_groups(text: str) -> list[tuple[int, int]]:
    """Top-level balanced (...) spans."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                start = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i))
    return spans


def split_term(text: str) -> tuple[str, str, list[tuple[str, str]]] | None:
    """`Sales technology (Verkaufstechnik) (z. B. A (B), C (D))` -> (translation, German, examples)."""
    spans = _bracket_groups(text)
    if not spans:
        return None
    s0, e0 = spans[0]
    translation = text[:s0].strip(" -–•·*o\t")
    german = text[s0 + 1: e0].strip()
    examples: list[tuple[str, str]] = []
    for s, e in spans[1:]:
        inner = _EXAMPLES.sub("", text[s + 1: e])
        for part in _split_examples(inner):
            sub = split_term(part)
            if sub:
                examples.append((sub[0], sub[1]))
    if not german or "(" in german:
        return None
    return translation, german, examples


def _split_examples(inner: str) -> list[str]:
    parts, depth, cur = [], 0, []
    for ch in inner:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def _section_of(line: str) -> str | None:
    for name, pattern in SECTIONS:
        if pattern.search(line):
            return name
    return None


def _indent_width(indent: str) -> int:
    return len(indent.replace("\t", "    "))


def read_page(content: bytes, name: str = "page") -> str:
    if not content.strip():
        raise ImportError_(f"{name}: the file is empty", fix="copy the whole BIS profile page into the file")
    if len(content) > MAX_PAGE_BYTES:
        raise ImportError_(f"{name}: {len(content)} bytes is more than a BIS page ({MAX_PAGE_BYTES} byte limit)",
                           fix="check that this is one BIS profile page, not an archive or a concatenation")
    if b"\x00" in content:
        raise ImportError_(f"{name}: binary data (NUL bytes), not a text page",
                           fix="save the BIS page as plain text (UTF-8) and import that")
    return clean(decode_text(content))


def parse_page(text: str, name: str = "page") -> Page:
    page = Page()
    section: str | None = None
    stack: list[tuple[int, str]] = []  # (indent, German term) of open competency bullets
    for raw_line in text.splitlines():
        line = raw_line.rstrip()
        if not line.strip():
            continue
        bullet = _BULLET.match(line)
        is_heading = bool(_HEADING.match(line)) or (not bullet and len(line) < 160 and not line.strip().endswith("."))
        found = _section_of(line) if (is_heading or not bullet) else None
        if found and not (bullet and section in ("advert", "basic", "technical", "cross")):
            section = found
            stack = []
            continue
        if not page.title_de and section is None and not bullet:  # the first bracketed line is the title
            t = split_term(line.lstrip("# ").strip())
            if t:
                page.title_tr, page.title_de = t[0], t[1]
                continue
        body = bullet.group("text") if bullet else line.strip()
        if section in ("advert", "basic", "technical", "cross"):
            if not bullet:
                continue
            term = split_term(body)
            if term is None:
                continue
            translation, german, examples = term
            width = _indent_width(bullet.group("indent"))
            while stack and stack[-1][0] >= width:
                stack.pop()
            level = len(stack)
            parent = stack[-1][1] if stack else None
            page.terms.append(Term(german, translation, section, min(level, 1), parent))
            stack.append((width, german))
            for ex_tr, ex_de in examples:
                page.terms.append(Term(ex_de, ex_tr, section, 2, german))
        elif section == "digital":
            m = re.match(r"^\|?\s*([0-5])\s*-\s*\S", line)
            if m and int(m.group(1)) not in page.digcomp_areas:
                page.digcomp_areas.append(int(m.group(1)))
        elif section in ("specialisations", "related"):
            for s, e in _bracket_groups(body):
                german = _GENDER_MARK.sub("", body[s + 1: e]).strip()
                if german and "(" not in german and not _GENDER_MARK.fullmatch(f"({german})"):
                    (page.specialisations if section == "specialisations" else page.related).append(german)
        elif section and section.startswith("course-"):
            title = body.strip("•·*- ").strip()
            t = split_term(title)
            title = t[1] if t else title
            if title and not _section_of(title):
                page.courses.append((section.removeprefix("course-"), title))
        elif section == "german":
            m = re.search(r"\b([ABC][12])\b", line)
            if m and page.german_level is None:
                page.german_level = m.group(1)
        elif section == "ams":
            m = re.search(r"\b(\d{6})\b", line)
            if m and page.ams_code is None:
                page.ams_code = m.group(1)
        elif section == "income":
            for lo, hi in _INCOME.findall(line):
                label = None
                m = re.search(r"\(([^()]*?):\s*\d", line)
                if m:
                    label = m.group(1).strip()
                band = {"min": int(lo.replace(".", "")), "max": int(hi.replace(".", "")), "currency": "EUR",
                        "period": "monthly", "gross": True, "country": "AT", "source": f"{name} § Einkommen"}
                if label:
                    band["label"] = label
                if band not in page.salary:
                    page.salary.append(band)
    if not page.terms:
        if not _bracket_groups(text):
            raise ImportError_(f"{name}: no German terms in brackets found; this does not look like a BIS profile page",
                               fix="copy the page from the BIS site in a translation that shows the German originals "
                                   "in brackets, e.g. 'Sales negotiation (Verkaufsverhandlung)'")
        raise ImportError_(f"{name}: no competency sections found (e.g. 'Fachliche berufliche Kompetenzen')",
                           fix="copy the whole profile page, including its competency lists")
    if not page.title_de:
        raise ImportError_(f"{name}: no profile title found (a first heading like '# Key account manager "
                           "(Key-Account-ManagerIn)')", fix="include the page's title line")
    return page


def detect_lang(page: Page) -> str:
    words = " ".join(t.translation for t in page.terms).lower().split()
    markers = {
        "en": {"and", "of", "the", "skills", "knowledge", "sales", "customer"},
        "fr": {"de", "la", "le", "des", "et", "connaissances", "client", "clients", "vente"},
        "es": {"de", "la", "el", "y", "conocimientos", "cliente", "ventas", "del"},
        "it": {"di", "e", "il", "della", "conoscenze", "cliente", "vendita", "delle"},
        "de": {"und", "von", "der", "kenntnisse"},
    }
    scores = {lang: sum(w in m for w in words) for lang, m in markers.items()}
    return max(scores, key=lambda k: (scores[k], k == "en"))
