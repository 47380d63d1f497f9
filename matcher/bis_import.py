"""Import a BIS profile page (any translation) into the user's overlay directory.

The page is read by `bis_page.py` (structure only, any translation); this module merges it:

German terms in translated pages can carry typos (`Kundenbetreuungskennnisse`); they are
reconciled to the existing node by edit distance instead of creating a near-duplicate.

Everything is parsed and validated (the merged data is loaded) before anything is written;
files are then replaced atomically, one file per imported role, so an interrupted import
leaves the overlay as it was and imports of different roles never touch the same file.
Importing the same page twice writes identical bytes: nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import process
from rapidfuzz.distance import OSA

from .errors import DataError, ImportError_
from .fsutil import NotReadable, atomic_write_bytes, file_lock, read_bounded
from .limits import MAX_PAGE_BYTES
from .bis_page import Page, detect_lang, parse_page, read_page
from .loader import load, role_to_yaml
from .overlay import LAYOUT, SourceFile, data_files, group_of, overlay_path
from .model import Data, section_tier
from .normalise import degender, key, slugify
from .resolver import typo_budget


@dataclass(frozen=True)
class ImportResult:
    role_id: str
    action: str  # "added" | "updated" | "unchanged"
    requirements: int
    new_competencies: tuple[str, ...]
    aliases_added: int
    reconciled: tuple[tuple[str, str], ...]  # (German term on the page, existing label)
    files: tuple[str, ...]


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


def _dump(doc: Any) -> bytes:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120).encode("utf-8")


def _write_all(paths: list[Path], writes: dict[Path, bytes]) -> None:
    """Write the changed files, each atomically, so that the overlay stays valid throughout.

    Order: competencies, then courses, then the role (each refers only to what is already
    written). On an error the files already replaced are restored, so the overlay is as it was.
    """
    order = list(LAYOUT)
    previous: dict[Path, bytes | None] = {}
    try:
        for p in sorted(paths, key=lambda p: order.index(group_of(p))):
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
        content = read_bounded(path, MAX_PAGE_BYTES)
    except NotReadable as exc:
        raise ImportError_(f"{path} {exc}; a BIS page is a text file of at most {MAX_PAGE_BYTES:,} bytes",
                           fix="check that this is one BIS profile page, not an archive, a device or a concatenation") \
            from None
    except OSError as exc:
        raise ImportError_(f"{path}: cannot read the page ({exc.strerror})", fix="check the path") from None
    if root.exists() and not root.is_dir():
        raise ImportError_(f"{root}: not a directory", fix="point --data-dir at a directory (it is created if missing)")
    page = parse_page(read_page(content, path.name), path.name)
    root.mkdir(parents=True, exist_ok=True)
    with file_lock(root / ".import.lock"):
        return _merge(page, path.name, root, lang or detect_lang(page), dry_run)


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
        elif typo:  # the existing node, or one this page added a few terms earlier
            label = data.competencies[cid].label_de if cid in data.competencies else new_nodes[cid]["label_de"]
            if (term.german, label) not in reconciled:
                reconciled.append((term.german, label))
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

    base = role_to_yaml(existing) if existing else {"id": role_id, "title": {"de": page.title_de, "en": page.title_tr}}
    base["source"] = f"{source_name} (imported BIS page)"
    if page.ams_code:
        base["ams_code"] = page.ams_code
    # Each term in the tier its sections give (model.section_tier, as the loader reads it); a
    # term whose sections did not change keeps the entry the role file has, so a curated tier,
    # weight or note survives a re-import.
    # (An example's parent is derived again from the page's terms, so `example_of` is not kept: the
    # page may have dropped the requirement it named.) Requirements added by hand (no sections)
    # stay, after the page's.
    kept = {e["id"]: {k: v for k, v in e.items() if k != "example_of"} for e in base.get("requirements", [])}
    base["requirements"] = [
        kept[cid] if cid in kept and kept[cid].get("sections") == sections[cid] else
        {"id": cid, "tier": section_tier(tuple(sections[cid]), _kinds(data, cid)), "sections": sections[cid]}
        for cid in order] + [e for cid, e in kept.items() if cid not in sections and not e.get("sections")]
    if not any(e.get("tier") == "core" for e in base["requirements"]):
        # a page without job-advert or basic competencies: its technical areas are what the job rests on
        for e in base["requirements"]:
            if "technical-area" in e.get("sections", ()) and "cross-disciplinary" not in _kinds(data, e["id"]):
                e["tier"] = "core"
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

    writes: dict[Path, bytes] = {overlay_path(root, "roles", f"{role_id}.yaml"): _dump(base)}
    if taxonomy_doc["competencies"]:
        writes[overlay_path(root, "taxonomy", f"bis-{role_id}.yaml")] = _dump(taxonomy_doc)
    if course_entries:
        writes[overlay_path(root, "courses", f"courses-bis-{role_id}.yaml")] = _dump({"courses": course_entries})

    # Validate the merged result before touching the overlay.
    replaced = {str(p) for p in writes}
    merged = [f for f in current if f.name not in replaced] + [
        SourceFile(str(p), "overlay", group_of(p), content) for p, content in writes.items()]
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


def _kinds(data: Data, cid: str) -> tuple[str, ...]:
    comp = data.competencies.get(cid)
    return comp.kinds if comp is not None else ("technical",)
