"""Read the competency tree, role profiles and courses, validate them, layer the user's overlay.

The files come from `overlay.data_files` (bundled first, then the overlay); entries of the
overlay add competencies, aliases, roles and courses, or replace a bundled entry with the same
id. Bundled files are never written. `role_to_yaml` is the inverse of the role reader, so a
role written back (by `import-bis`) reads as it was.

Validation collects every problem before failing, each naming the file, the entry and the
fix, because a user editing YAML wants the whole list at once.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .errors import DataError
from .model import (
    CEFR_LEVELS, EDUCATION_LEVELS, KINDS, REUSE, SECTION_WEIGHTS, TIERS, Alias, Competency, Course, Data, Gates,
    LanguageRequirement, Practice, Role, section_weight,
)
from .normalise import key
from .overlay import SourceFile, data_files
from .links import read_links, symmetric_links
from .tiers import Entry, assemble, requirement_entries, tier_of
from .yamlfile import data_text, number_in, opt_text, parse_yaml, salary_band, short

ID_PATTERN = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")  # \Z: no trailing newline
COURSE_KINDS = ("deepening", "advancement", "cross-cutting", "certificate", "training")


def load(data_dir: Path | str | None = None, files: list[SourceFile] | None = None) -> Data:
    """Load and validate the data; raises DataError listing every problem found."""
    if files is None:
        files = data_files(data_dir)
    problems: list[str] = []
    parsed = [(f, parse_yaml(f, problems)) for f in files]

    comps: dict[str, Competency] = {}
    comp_layer: dict[str, tuple[str, str]] = {}  # id -> (layer, file) that defined it
    for f, doc in parsed:
        if f.group == "taxonomy" and doc is not None:
            _read_taxonomy(f, doc, comps, comp_layer, problems)
    _check_tree(comps, problems)
    _check_aliases(comps, problems)
    symmetric_links(comps, problems)

    roles: dict[str, Role] = {}
    courses: dict[str, Course] = {}
    seen_roles: dict[str, str] = {}
    seen_courses: dict[str, str] = {}
    for f, doc in parsed:
        if doc is None:
            continue
        if f.group == "roles":
            role = _read_role(f, doc, comps, problems)
            if role is not None:
                if role.id in seen_roles and seen_roles[role.id] == f.layer:
                    problems.append(f"{f.name}: role '{role.id}' is also defined in {roles[role.id].origin}. "
                                    "Fix: give one of them another id, or merge the files.")
                roles[role.id] = role
                seen_roles[role.id] = f.layer
        elif f.group == "courses":
            for course in _read_courses(f, doc, comps, problems):
                if course.id in seen_courses and seen_courses[course.id] == f.layer:
                    problems.append(f"{f.name}: course '{course.id}' is defined twice. Fix: give it a unique id.")
                courses[course.id] = course
                seen_courses[course.id] = f.layer
    for role in roles.values():
        for nxt in role.career_next:
            if nxt == role.id:
                problems.append(f"{role.origin}: role '{role.id}': career.next names the role itself. "
                                "Fix: name the role a holder moves on to.")
            elif nxt not in roles:
                problems.append(f"{role.origin}: role '{role.id}': career.next names unknown role '{nxt}'. "
                                f"Fix: use one of {sorted(roles)}.")
    if problems:
        raise DataError(problems)
    return Data(competencies=comps, roles=roles, courses=courses, files=tuple(f.name for f in files))


# --- parsing helpers ---------------------------------------------------------------------


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in _as_list(value) if v is not None and str(v).strip())


def _where(f: SourceFile, entry: Any, index: int) -> str:
    ident = entry.get("id") if isinstance(entry, dict) else None
    return f"{f.name}: entry {index + 1}" + (f" '{ident}'" if ident else "")


def _read_aliases(raw: Any, where: str, problems: list[str]) -> tuple[Alias, ...]:
    if raw is None:
        return ()
    if isinstance(raw, list):  # a plain list is allowed: language unknown
        raw = {"und": raw}
    if not isinstance(raw, dict):
        problems.append(f"{where}: aliases must map a language code to a list of strings, e.g. "
                        "'aliases: {de: [Kundenakquise], en: [customer acquisition]}'.")
        return ()
    out: list[Alias] = []
    for lang, texts in raw.items():
        if not isinstance(lang, str) or not re.fullmatch(r"[a-z]{2,3}", lang):
            problems.append(f"{where}: alias language '{lang}' is not a language code. Fix: use e.g. de, en, fr, or zxx "
                            "for brand names.")
            continue
        for text in _as_list(texts):
            if not isinstance(text, (str, int, float)) or not key(str(text)):
                problems.append(f"{where}: alias {text!r} ({lang}) is empty or not text. Fix: remove it.")
                continue
            out.append(Alias(data_text(text), lang))
    return tuple(out)


def _read_taxonomy(f: SourceFile, doc: dict, comps: dict[str, Competency], comp_layer: dict[str, tuple[str, str]],
                   problems: list[str]) -> None:
    entries = doc.get("competencies")
    if not isinstance(entries, list):
        problems.append(f"{f.name}: no 'competencies:' list. Fix: put the entries under a top-level 'competencies:' key.")
        return
    for i, entry in enumerate(entries):
        where = _where(f, entry, i)
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected a mapping with id, label_de, ... Fix: see the data format in the README.")
            continue
        cid = entry.get("id")
        if not isinstance(cid, str) or not ID_PATTERN.match(cid):
            problems.append(f"{where}: id {cid!r} is not a slug. Fix: use lower-case letters, digits and hyphens, "
                            "e.g. 'kundenbetreuungskenntnisse'.")
            continue
        aliases = _read_aliases(entry.get("aliases"), where, problems)
        related = read_links(entry.get("related"), where, f.name, problems)
        reuse = entry.get("reuse")
        if reuse is not None and reuse not in REUSE:
            problems.append(f"{where}: reuse {short(reuse)} must be the text 'cross-sector'. Fix: write 'reuse: "
                            "cross-sector' for a competency most trades share, or leave it out.")
            continue
        previous = comps.get(cid)
        if previous is not None and "label_de" not in entry:  # an extension: add aliases and links (and a reuse mark)
            comps[cid] = Competency(**{**previous.__dict__, "aliases": previous.aliases + aliases,
                                       "related": previous.related + related, "reuse": reuse or previous.reuse})
            continue
        if previous is not None:
            prev_layer, prev_file = comp_layer[cid]
            if prev_layer == f.layer:
                problems.append(f"{where}: duplicate id '{cid}' (first in {prev_file}). Fix: rename one, or merge them.")
                continue
        label_de = entry.get("label_de")
        if "label_de" not in entry and previous is None and set(entry) <= {"id", "aliases", "related", "reuse"}:
            problems.append(f"{where}: '{cid}' is no competency of the tree (read so far), so there is nothing to extend. "
                            "Fix: use an existing id (see 'matcher taxonomy'), put the extension in a file read after "
                            "the one that defines it, or define it with label_de, kind and source.")
            continue
        if not isinstance(label_de, str) or not label_de.strip():
            problems.append(f"{where}: missing label_de (the German term as BIS writes it). Fix: add 'label_de: ...'.")
            continue
        kinds = _strings(entry.get("kind"))
        bad = [k for k in kinds if k not in KINDS]
        if not kinds or bad:
            problems.append(f"{where}: kind {list(kinds) or None} is not one of {list(KINDS)}. Fix: set 'kind:' to one of them.")
            continue
        sources = _strings(entry.get("source"))
        if not sources:
            problems.append(f"{where}: no source. Fix: add 'source:' naming the seed file and section, or 'curated'.")
            continue
        parent = entry.get("parent")
        if parent is not None and not isinstance(parent, str):
            problems.append(f"{where}: parent must be a competency id. Fix: write 'parent: some-id'.")
            continue
        comps[cid] = Competency(
            id=cid, label_de=data_text(label_de), label_en=data_text(entry.get("label_en") or ""), parent=parent,
            kinds=kinds, sources=sources, aliases=aliases, placement=opt_text(entry.get("placement")), origin=f.name,
            # a replaced node keeps a reuse mark curated for it elsewhere unless it sets its own
            related=related, reuse=reuse or (previous.reuse if previous is not None else None),
        )
        comp_layer[cid] = (f.layer, f.name)


def _check_tree(comps: dict[str, Competency], problems: list[str]) -> None:
    for c in comps.values():
        if c.parent is not None and c.parent not in comps:
            problems.append(f"{c.origin}: '{c.id}': unknown parent '{c.parent}'. Fix: use an existing id "
                            "(see 'matcher taxonomy') or remove the parent.")
    reported: set[str] = set()
    for c in comps.values():
        seen = [c.id]
        parent = c.parent
        while parent is not None and parent in comps:
            if parent in seen:
                cycle = seen[seen.index(parent):] + [parent]
                if not reported.intersection(cycle):
                    problems.append(f"{c.origin}: '{c.id}': the parent chain loops ({' -> '.join(cycle)}). "
                                    "Fix: change one 'parent:' so the chain ends at a top-level area.")
                    reported.update(cycle)
                break
            seen.append(parent)
            parent = comps[parent].parent


def _check_aliases(comps: dict[str, Competency], problems: list[str]) -> None:
    """A German label or alias must point to one node only; English labels may repeat (BIS does)."""
    owner: dict[str, str] = {}
    for c in comps.values():
        for text in (c.label_de, *(a.text for a in c.aliases)):
            k = key(text)
            other = owner.setdefault(k, c.id)
            if other != c.id:
                problems.append(f"{c.origin}: '{c.id}': alias or label '{text}' also names '{other}'. "
                                "Fix: keep it on one of the two competencies.")


def _read_role(f: SourceFile, doc: dict, comps: dict[str, Competency], problems: list[str]) -> Role | None:
    rid = doc.get("id")
    where = f"{f.name}: role '{rid}'"
    if not isinstance(rid, str) or not ID_PATTERN.match(rid):
        problems.append(f"{f.name}: role id {rid!r} is not a slug. Fix: e.g. 'id: key-account-manager'.")
        return None
    title = doc.get("title")
    if not isinstance(title, dict) or not title.get("de"):
        problems.append(f"{where}: missing title. Fix: 'title: {{de: Key-Account-ManagerIn, en: Key account manager}}'.")
        return None
    entries: list[Entry] = []
    seen: set[str] = set()
    for i, r in enumerate(_as_list(doc.get("requirements"))):
        if not isinstance(r, dict) or not isinstance(r.get("id"), str):
            problems.append(f"{where}: requirement {i + 1} needs an 'id'. Fix: '- {{id: verkaufsverhandlung, weight: 0.8}}'.")
            continue
        cid = r["id"]
        if cid not in comps:
            problems.append(f"{where}: requirement '{cid}' is not a known competency. "
                            "Fix: use an id from 'matcher taxonomy', or add the competency to taxonomy/.")
            continue
        if cid in seen:
            problems.append(f"{where}: requirement '{cid}' is listed twice. Fix: keep one (list its sections together).")
            continue
        sections = _strings(r.get("sections"))
        bad = [s for s in sections if s not in SECTION_WEIGHTS]
        if bad:
            problems.append(f"{where}: requirement '{cid}': unknown section {bad}. Fix: use {list(SECTION_WEIGHTS)}.")
            continue
        raw_weight = r.get("weight")
        explicit = None if raw_weight is None else number_in(raw_weight, 0.0, 1.0)
        weight = section_weight(sections) if raw_weight is None and sections else explicit
        tier = tier_of(r.get("tier"), sections, comps[cid])
        if tier is None:
            problems.append(f"{where}: requirement '{cid}': tier {short(r.get('tier'))} is not one of {list(TIERS)}. "
                            "Fix: write 'tier: core' (cannot do the job without), 'further' or 'example'.")
            continue
        if not weight and (tier != "example" or raw_weight is not None):  # an example needs no weight
            problems.append(f"{where}: requirement '{cid}': weight {short(raw_weight)} is out of range. "
                            "Fix: a number in (0, 1], or 'sections:' to derive it.")
            continue
        seen.add(cid)
        example_of = r.get("example_of")
        if example_of is not None and (not isinstance(example_of, str) or tier != "example"):
            problems.append(f"{where}: requirement '{cid}': example_of {short(example_of)} " + (
                "must be one competency id." if tier == "example" else "belongs on an example only (tier: example).")
                + " Fix: e.g. '{id: salesforce, tier: example, example_of: e-commerce-software}'.")
            continue
        entries.append(Entry(cid, weight, tier, sections, opt_text(r.get("source") or doc.get("source")),
                             opt_text(r.get("note")), example_of if isinstance(example_of, str) else None))
    reqs = assemble(entries, comps, where, problems)
    if not reqs:
        problems.append(f"{where}: no valid requirements. Fix: list at least one competency under 'requirements:'.")
        return None
    if not any(r.tier == "core" for r in reqs):
        problems.append(f"{where}: no core requirement, so its fit would rest on further ones alone. Fix: write "
                        "'tier: core' for what the job cannot be done without (soft skills cannot be core).")
        return None
    langs: list[LanguageRequirement] = []
    for lr in _as_list(doc.get("languages")):
        if (not isinstance(lr, dict) or not isinstance(lr.get("id"), str) or lr["id"] not in comps
                or str(lr.get("level", "")).upper() not in CEFR_LEVELS):
            problems.append(f"{where}: language requirement {short(lr)} needs a known language id and a CEFR level. "
                            "Fix: e.g. '- {id: englisch, level: C1, required: true}'.")
            continue
        langs.append(LanguageRequirement(lr["id"], str(lr["level"]).upper(), bool(lr.get("required", True)),
                                         opt_text(lr.get("source")), opt_text(lr.get("note"))))
    g = _mapping(doc, "gates", where, problems)
    raw_years = g.get("min_years")
    min_years = None if raw_years is None else number_in(raw_years, 0.0, 80.0)
    if raw_years is not None and min_years is None:
        problems.append(f"{where}: gates.min_years {short(raw_years)} must be a number from 0 to 80. "
                        "Fix: e.g. 'min_years: 3'.")
    education = g.get("education")
    if education is not None and education not in EDUCATION_LEVELS:
        problems.append(f"{where}: gates.education {short(education)} is not one of {list(EDUCATION_LEVELS)}.")
        education = None
    core_ids = {r.competency_id for r in reqs if r.tier == "core"}
    shows = g.get("shows")
    if shows is not None and (not isinstance(shows, str) or shows not in core_ids
                              or not (isinstance(g.get("shows_source"), str) and g["shows_source"].strip())):
        problems.append(f"{where}: gates.shows {short(shows)} must name one of the role's core requirements, with "
                        "shows_source. Fix: e.g. 'shows: mitarbeiterfuehrung' and 'shows_source: \"<seed> § <section>\"'.")
        shows = None
    quals = g.get("qualification_levels") or {}
    gates = Gates(
        min_years=min_years, education=education, education_note=opt_text(g.get("education_note")), shows=shows,
        education_required=g.get("education_required") is not False,
        qualification_levels=_strings(quals.get("de") if isinstance(quals, dict) else quals),
        sources={k: v for k, v in g.items() if k.endswith("source") and isinstance(v, str)},
    )
    salary = [band for band in (salary_band(s, where, problems) for s in _as_list(doc.get("salary"))) if band]
    career = _mapping(doc, "career", where, problems)
    practice = _mapping(doc, "practice", where, problems)
    texts = [practice.get("id"), practice.get("source"), *([practice["note"]] if "note" in practice else [])]
    if isinstance(doc.get("practice"), dict) and (set(practice) - {"id", "source", "note"} or not all(
            isinstance(t, str) and t.strip() for t in texts) or practice["id"] not in core_ids):
        problems.append(f"{where}: practice {short(practice)} must name one of the role's core requirements (id), the "
                        "source that says so, and optionally a note. Fix: e.g. 'practice: {id: key-account-management, "
                        "source: \"<seed> § <section>\"}'.")
        practice = {}
    aliases = doc.get("title_aliases") or {}
    related = doc.get("related_roles") or {}
    return Role(
        id=rid, title_de=data_text(title["de"]), title_en=data_text(title.get("en") or title["de"]), requirements=tuple(reqs),
        source=data_text(doc.get("source") or ""), ams_code=data_text(doc["ams_code"]) if doc.get("ams_code") else None,
        bis_area=opt_text(doc.get("bis_area")),
        title_aliases=_strings(aliases.get("de")) + _strings(aliases.get("en")) if isinstance(aliases, dict) else _strings(aliases),
        related_roles=_strings(related.get("de")) if isinstance(related, dict) else _strings(related),
        languages=tuple(langs), gates=gates, career_next=_strings(career.get("next")), salary=tuple(salary),
        origin=f.name, practice=Practice(practice["id"], data_text(practice["source"]), opt_text(practice.get("note")))
        if practice else None,
    )


def _mapping(doc: dict, name: str, where: str, problems: list[str]) -> dict:
    value = doc.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"{where}: '{name}' must be a mapping, found {type(value).__name__} {short(value)}. "
                        "Fix: see the role format in the README.")
        return {}
    return value


def role_to_yaml(role: Role) -> dict[str, Any]:
    """A loaded role back in the data format: the inverse of `_read_role` (a test proves the round trip).

    `import-bis` uses it to carry a role's other fields through an update."""
    out: dict[str, Any] = {"id": role.id, "title": {"de": role.title_de, "en": role.title_en}, "source": role.source}
    if role.ams_code:
        out["ams_code"] = role.ams_code
    if role.bis_area:
        out["bis_area"] = role.bis_area
    out["title_aliases"] = {"de": list(role.title_aliases)}
    out["related_roles"] = {"de": list(role.related_roles)}
    out["requirements"] = requirement_entries(role.requirements)
    out["languages"] = [{"id": lr.competency_id, "level": lr.level, "required": lr.required,
                         **({"source": lr.source} if lr.source else {}), **({"note": lr.note} if lr.note else {})}
                        for lr in role.languages]
    g = role.gates
    gates: dict[str, Any] = {k: v for k, v in (("min_years", g.min_years), ("education", g.education),
                                                 ("education_note", g.education_note), ("shows", g.shows),
                                                 ("education_required", None if g.education_required else False))
                             if v is not None}
    gates.update(g.sources)
    if g.qualification_levels:
        gates["qualification_levels"] = {"de": list(g.qualification_levels)}
    out["gates"] = gates
    if role.practice:
        p = role.practice
        out["practice"] = {"id": p.competency_id, "source": p.source, **({"note": p.note} if p.note else {})}
    out["career"] = {"next": list(role.career_next)}
    out["salary"] = [s.to_dict() for s in role.salary]
    return out


def _read_courses(f: SourceFile, doc: dict, comps: dict[str, Competency], problems: list[str]) -> list[Course]:
    entries = doc.get("courses")
    if entries is None:
        return []
    out: list[Course] = []
    for i, c in enumerate(_as_list(entries)):
        where = _where(f, c, i)
        if not isinstance(c, dict) or not isinstance(c.get("id"), str) or not ID_PATTERN.match(c["id"]):
            problems.append(f"{where}: a course needs a slug 'id'. Fix: e.g. 'id: wb-marktanalysen'.")
            continue
        if c.get("kind") not in COURSE_KINDS:
            problems.append(f"{where}: kind {c.get('kind')!r} is not one of {list(COURSE_KINDS)}.")
            continue
        develops = _strings(c.get("develops"))
        unknown = [d for d in develops if d not in comps]
        if unknown or not develops:
            problems.append(f"{where}: develops {list(unknown) or 'nothing'}: unknown competency ids. "
                            "Fix: list ids from 'matcher taxonomy'.")
            continue
        if not c.get("title_de") or not c.get("source"):
            problems.append(f"{where}: a course needs title_de and source. Fix: add them.")
            continue
        out.append(Course(
            id=c["id"], title_de=data_text(c["title_de"]), title_en=data_text(c.get("title_en") or c["title_de"]), kind=c["kind"],
            develops=develops, source=str(c["source"]), provider_types=_strings(c.get("provider_types")),
            providers=_strings(c.get("providers")), entry_requirements=_strings(c.get("entry_requirements")),
        ))
    return out
