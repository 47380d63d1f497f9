"""Import a BIS profile page (any translation) into the user's overlay directory.

BIS publishes every profile in machine-translated languages; each translation keeps the German
original of every term in brackets: `Sales negotiation (Verkaufsverhandlung)`. Layouts differ
(headings, bullet characters, line breaks), so the parser works from structure only: section
headings are recognised by their German names, nesting by indentation, terms by brackets,
"z. B." examples by brackets inside brackets. English words are never relied on.

German terms in translated pages can carry typos (`Kundenbetreuungskennnisse`); they are
reconciled to the existing node by edit distance instead of creating a near-duplicate.

Everything is parsed and validated (the merged data is loaded) before anything is written;
files are then replaced atomically, one file per imported role, so an interrupted import
leaves the overlay as it was and imports of different roles never touch the same file.
Importing the same page twice writes identical bytes: nothing changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import process
from rapidfuzz.distance import OSA

from .errors import DataError, ImportError_
from .fsutil import atomic_write_bytes, decode_text, file_lock
from .limits import MAX_PAGE_BYTES
from .loader import SourceFile, data_files, load
from .model import Data, Role
from .normalise import clean, degender, key, slugify
from .resolver import typo_budget


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


@dataclass(frozen=True)
class ImportResult:
    role_id: str
    action: str  # "added" | "updated" | "unchanged"
    requirements: int
    new_competencies: tuple[str, ...]
    aliases_added: int
    reconciled: tuple[tuple[str, str], ...]  # (German term on the page, existing label)
    files: tuple[str, ...]


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
            for lo, hi in re.findall(r"(\d[\d.]*)\s+bis\s+(\d[\d.]*)\s+Euro\s+brutto", line):
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


def _detect_lang(page: Page) -> str:
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


SECTION_OF = {("advert", 0): "advert", ("basic", 0): "basic", ("technical", 0): "technical-area",
              ("technical", 1): "technical-competency", ("technical", 2): "technical-example",
              ("cross", 0): "cross", ("cross", 1): "cross-sub", ("cross", 2): "cross-sub",
              ("advert", 1): "advert", ("advert", 2): "advert", ("basic", 1): "basic", ("basic", 2): "basic"}
KIND_OF = {"advert": "technical", "basic": "basic", "technical": "technical", "cross": "cross-disciplinary"}


class _Reconciler:
    """Map a German term from the page to an existing node: exact key, then a small typo."""

    def __init__(self, data: Data) -> None:
        self.by_key = {key(c.label_de): c.id for c in data.competencies.values()}
        for c in data.competencies.values():
            for a in c.aliases:
                if a.lang == "de":
                    self.by_key.setdefault(key(a.text), c.id)
        self.keys = list(self.by_key)

    def find(self, german: str) -> tuple[str | None, bool]:
        k = key(german)
        if k in self.by_key:
            return self.by_key[k], False
        budget = typo_budget(len(k))
        if budget:
            best = process.extractOne(k, self.keys, scorer=OSA.distance, score_cutoff=budget)
            if best is not None and best[0][0] == k[0]:
                return self.by_key[best[0]], True
        return None, False

    def add(self, german: str, cid: str) -> None:
        self.by_key[key(german)] = cid
        self.keys.append(key(german))


def _role_yaml(role: Role) -> dict[str, Any]:
    """A loaded role back in the data format, to carry its other fields through an update."""
    out: dict[str, Any] = {"id": role.id, "title": {"de": role.title_de, "en": role.title_en}, "source": role.source}
    if role.ams_code:
        out["ams_code"] = role.ams_code
    if role.bis_area:
        out["bis_area"] = role.bis_area
    out["title_aliases"] = {"de": list(role.title_aliases)}
    out["related_roles"] = {"de": list(role.related_roles)}
    out["requirements"] = [
        {"id": r.competency_id, **({"sections": list(r.sections)} if r.sections else {"weight": r.weight}),
         **({"source": r.source} if r.source else {})} for r in role.requirements
    ]
    out["languages"] = [{"id": lr.competency_id, "level": lr.level, "required": lr.required,
                         **({"source": lr.source} if lr.source else {})} for lr in role.languages]
    g = role.gates
    gates: dict[str, Any] = {k: v for k, v in (("min_years", g.min_years), ("education", g.education),
                                                 ("education_note", g.education_note)) if v is not None}
    gates.update(g.sources)
    if g.qualification_levels:
        gates["qualification_levels"] = {"de": list(g.qualification_levels)}
    out["gates"] = gates
    out["career"] = {"next": list(role.career_next)}
    out["salary"] = [s.to_dict() for s in role.salary]
    return out


def _dump(doc: Any) -> bytes:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120).encode("utf-8")


def _write_all(paths: list[Path], writes: dict[Path, bytes]) -> None:
    """Write the changed files, each atomically, so that the overlay stays valid throughout.

    Order: competencies, then courses, then the role (each refers only to what is already
    written). On an error the files already replaced are restored, so the overlay is as it was.
    """
    order = {"taxonomy": 0, "profiles": 1, "roles": 2}
    previous: dict[Path, bytes | None] = {}
    try:
        for p in sorted(paths, key=lambda p: order.get(p.parent.name, 1)):
            previous[p] = p.read_bytes() if p.exists() else None
            atomic_write_bytes(p, writes[p])
    except BaseException:
        for p, old in previous.items():
            try:
                if old is None:
                    p.unlink(missing_ok=True)
                else:
                    atomic_write_bytes(p, old)
            except OSError:
                pass
        raise


def import_page(path: Path | str, data_dir: Path | str, *, lang: str | None = None, dry_run: bool = False) -> ImportResult:
    """Parse `path`, merge it into the overlay at `data_dir`, and report what changed."""
    path = Path(path)
    root = Path(data_dir)
    try:
        if path.stat().st_size > MAX_PAGE_BYTES:  # refuse before reading it all into memory
            raise ImportError_(f"{path}: {path.stat().st_size} bytes is more than a BIS page ({MAX_PAGE_BYTES} byte limit)",
                               fix="check that this is one BIS profile page, not an archive or a concatenation")
        content = path.read_bytes()
    except OSError as exc:
        raise ImportError_(f"{path}: cannot read the page ({exc.strerror})", fix="check the path") from exc
    if root.exists() and not root.is_dir():
        raise ImportError_(f"{root}: not a directory", fix="point --data-dir at a directory (it is created if missing)")
    page = parse_page(read_page(content, path.name), path.name)
    root.mkdir(parents=True, exist_ok=True)
    with file_lock(root / ".import.lock"):
        return _merge(page, path.name, root, lang or _detect_lang(page), dry_run)


def _merge(page: Page, source_name: str, root: Path, lang: str, dry_run: bool) -> ImportResult:
    current = data_files(root)  # read once: parsed now, and merged with the new files below
    data = load(files=current)
    rec = _Reconciler(data)
    by_title = {key(degender(r.title_de)): r for r in data.roles.values()}
    existing = next((r for r in data.roles.values() if page.ams_code and r.ams_code == page.ams_code), None) \
        or by_title.get(key(degender(page.title_de)))
    role_id = existing.id if existing else slugify(degender(page.title_de))

    new_nodes: dict[str, dict[str, Any]] = {}
    alias_add: dict[str, set[str]] = {}
    reconciled: list[tuple[str, str]] = []
    sections: dict[str, list[str]] = {}
    order: list[str] = []
    id_of: dict[str, str] = {}

    known_keys = {key(c.label_de) for c in data.competencies.values()}
    for c in data.competencies.values():
        known_keys.update(key(a.text) for a in c.aliases)
        if c.label_en:
            known_keys.add(key(c.label_en))

    for term in page.terms:
        cid, typo = rec.find(term.german)
        if cid is None:
            cid = slugify(term.german)
            while cid in data.competencies and cid not in new_nodes:
                cid += "-bis"
            parent_id = id_of.get(term.parent) if term.parent else None
            new_nodes.setdefault(cid, {
                "id": cid, "label_de": term.german.strip(), "label_en": term.translation if lang == "en" else "",
                **({"parent": parent_id} if parent_id else {}), "kind": KIND_OF[term.section],
                "source": f"{source_name} § {term.section} (imported)",
            })
            rec.add(term.german, cid)
        elif typo and (term.german, data.competencies[cid].label_de) not in reconciled:
            reconciled.append((term.german, data.competencies[cid].label_de))
        id_of[term.german] = cid
        tr_key = key(term.translation)
        if tr_key and tr_key not in known_keys and tr_key != key(term.german):
            alias_add.setdefault(cid, set()).add(term.translation.strip())
            known_keys.add(tr_key)
        section = SECTION_OF[(term.section, term.level)]
        if cid not in sections:
            sections[cid] = []
            order.append(cid)
        if section not in sections[cid]:
            sections[cid].append(section)
    for area in page.digcomp_areas:
        cid = f"digcomp-{area}"
        if cid in data.competencies and cid not in sections:
            sections[cid] = ["digital"]
            order.append(cid)

    base = _role_yaml(existing) if existing else {"id": role_id, "title": {"de": page.title_de, "en": page.title_tr}}
    base["source"] = f"{source_name} (imported BIS page)"
    if page.ams_code:
        base["ams_code"] = page.ams_code
    base["requirements"] = [{"id": cid, "sections": sections[cid]} for cid in order]
    if page.specialisations:
        base["title_aliases"] = {"de": list(dict.fromkeys(page.specialisations)), "source": f"{source_name} § Berufsspezialisierungen"}
    if page.related:
        base["related_roles"] = {"de": list(dict.fromkeys(page.related)), "source": f"{source_name} § Verwandte Berufe"}
    if page.german_level:
        langs = [x for x in base.get("languages", []) if x["id"] != "deutsch"]
        base["languages"] = [{"id": "deutsch", "level": page.german_level, "required": True,
                              "source": f"{source_name} § Deutschkenntnisse nach GERS"}, *langs]
    if page.salary and not existing:
        base["salary"] = page.salary
    base.setdefault("career", {"next": []})

    taxonomy_doc = {"competencies": [
        *new_nodes.values(),
        *({"id": cid, "aliases": {lang: sorted(texts)}} for cid, texts in sorted(alias_add.items())),
    ]}
    known_courses = {key(c.title_de) for c in data.courses.values()}
    course_entries = []
    for kind, title in page.courses:
        if key(title) in known_courses:
            continue
        cid, _ = rec.find(title)
        if cid is None:
            continue  # a course whose subject is not in the tree cannot be linked to a gap
        course_entries.append({"id": f"bis-{slugify(title)}", "title_de": title, "kind":
                               {"deepening": "deepening", "advancement": "advancement", "cross": "cross-cutting"}[kind],
                               "develops": [cid], "develops_source": "curated (title matched on import)",
                               "source": f"{source_name} § Weiterbildung"})
        known_courses.add(key(title))

    writes: dict[Path, bytes] = {
        root / "profiles" / "roles" / f"{role_id}.yaml": _dump(base),
    }
    if taxonomy_doc["competencies"]:
        writes[root / "taxonomy" / f"bis-{role_id}.yaml"] = _dump(taxonomy_doc)
    if course_entries:
        writes[root / "profiles" / f"courses-bis-{role_id}.yaml"] = _dump({"courses": course_entries})

    # Validate the merged result before touching the overlay.
    replaced = {str(p) for p in writes}
    merged = [f for f in current if f.name not in replaced] + [
        SourceFile(str(p), "overlay", "roles" if p.parent.name == "roles" else "taxonomy" if p.parent.name == "taxonomy"
                   else "courses", content) for p, content in writes.items()]
    try:
        load(files=merged)
    except DataError as exc:
        raise ImportError_(f"the imported page would make the data invalid:\n{exc}",
                           fix="report this page; the overlay was left unchanged") from exc

    changed = [p for p, content in writes.items() if not p.exists() or p.read_bytes() != content]
    if not dry_run:
        try:
            _write_all(changed, writes)
        except OSError as exc:
            raise ImportError_(f"cannot write to the overlay {root} ({exc.strerror or exc}); it was left as it was",
                               fix="check free space and permissions of the overlay directory") from None
    action = "unchanged" if not changed else ("updated" if existing else "added")
    return ImportResult(role_id, action, len(order), tuple(new_nodes), sum(len(v) for v in alias_add.values()),
                        tuple(reconciled), tuple(str(p) for p in changed))
