"""A job advert becomes a role: the vacancy a candidate or a workforce is matched against.

An advert is read line by line through the same pipeline as a CV (`Pipeline.resolution`), but
its structure matters: the profile or requirement section says what the vacancy asks for, a
"nice to have" section or a line marked `von Vorteil` / `a plus` says what it would like, the
tasks section says what the job is, and benefits and company text say nothing. So:

- a requirement line gives core requirements, a nice-to-have line or a task further ones; a
  cross-disciplinary (soft) skill is further wherever it stands (as in every role);
- a language named with a level becomes a language gate (required unless a nice-to-have);
  "mindestens 3 Jahre Berufserfahrung" / "2+ years" the years gate; a degree or an
  apprenticeship the education gate (the lowest one the advert accepts);
- the nearest bundled role (its fit to the vacancy's requirements, and the advert title against
  the roles' titles) lends the career path and the salary bands where the advert is silent;
- lines that named nothing are kept (`unread`) so that HR can add aliases in the overlay, and
  `understood` says how much of the advert was read. An advert mostly not understood (a trade
  the tree does not cover) is reported as such, never turned into a confident empty role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from .errors import InputError
from .model import EDUCATION_LEVELS, Competency, Gates, LanguageRequirement, Requirement, Role
from .normalise import clean, key, slugify
from .parse import level_of, section_of
from .years import experience_in, years_in_figures

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    from .pipeline import Pipeline

MAX_ADVERT_BYTES = 512 * 1024  # an advert is a page or two; more is not one advert
MIN_UNDERSTOOD = 0.3  # below this share of read lines, the advert is "mostly not understood"
MIN_SHARED = 0.05  # ... or when its requirements cover less of every bundled role's core (and no title names one)
TITLE_BONUS = 50.0  # closeness points a bundled role gains when the advert's title names it
WEIGHTS = {"core": 1.0, "further": 0.6, "nice": 0.4}

_NICE = re.compile(
    r"\b(?:von\s+vorteil|vorteilhaft|wünschenswert|wuenschenswert|idealerweise|ideally|nice[-\s]to[-\s]have|"
    r"(?:is\s+)?an?\s+(?:big\s+)?(?:plus|advantage|bonus)|ein\s+plus|plus(?:punkt)?\b|preferred|gerne|optional|"
    r"wäre\s+(?:schön|super|toll)|wären\s+(?:schön|super|toll)|would\s+be\s+(?:great|nice))", re.I)
_NICE_HEADING = re.compile(r"^(?:nice[-\s]to[-\s]have|von\s+vorteil|wünschenswert|bonus|plus|das\s+würde\s+uns\s+"
                           r"begeistern|good\s+to\s+have|preferred|ideally)\b", re.I)
_TASK_HEADING = re.compile(r"^(?:deine\s+aufgaben|ihre\s+aufgaben|aufgaben|tätigkeiten|taetigkeiten|"
                           r"responsibilities|your\s+tasks|what\s+you(?:'ll|\s+will)\s+do|your\s+role|die\s+rolle|"
                           r"das\s+erwartet\s+dich|was\s+dich\s+erwartet)\b", re.I)


@dataclass(frozen=True)
class AdvertLine:
    """One line of the advert, where it stood and what was read from it."""

    number: int
    text: str
    section: str  # "requirements" (its skills core, soft skills further) | "nice" | "tasks" (further)
    competencies: tuple[str, ...] = ()
    gates: tuple[str, ...] = ()  # "years", "language:<id>", "education"

    @property
    def understood(self) -> bool:
        return bool(self.competencies or self.gates)


@dataclass(frozen=True)
class Vacancy:
    """A role built from an advert, with how it was read (`Matcher().vacancy(text)`)."""

    role: Role
    nearest_role: Role | None
    lines: tuple[AdvertLine, ...]
    understood: float  # share of the read lines (requirements, nice to have, tasks) that named something
    source: str
    competencies: tuple[Competency, ...]  # of role.requirements, in order (for labels)
    shared: float = 0.0  # the most of a bundled role's core that the vacancy's requirements cover (0-1)
    titled: bool = False  # the advert's title names a bundled role

    @property
    def unread(self) -> tuple[str, ...]:
        return tuple(line.text for line in self.lines if not line.understood)

    @property
    def ok(self) -> bool:
        """Enough was understood to match people against it: a share of the lines, a core
        requirement, and something of the trades the tree covers."""
        return (self.understood >= MIN_UNDERSTOOD and any(r.tier == "core" for r in self.role.requirements)
                and (self.shared >= MIN_SHARED or self.titled))

    @property
    def verdict(self) -> str:
        read = len(self.lines)
        done = sum(1 for line in self.lines if line.understood)
        if self.ok:
            return f"understood {done} of {read} requirement lines ({self.understood:.0%})"
        if self.understood < MIN_UNDERSTOOD:
            why = f"only {done} of {read} requirement lines named anything the tree knows ({self.understood:.0%})"
        elif not any(r.tier == "core" for r in self.role.requirements):
            why = "only soft skills and nice-to-haves were recognised, nothing the job requires"
        else:
            why = (f"what it requires shares {self.shared:.0%} of the core of any role the tree covers "
                   f"(sales, account management, customer care; at least {MIN_SHARED:.0%} needed)")
        return f"mostly not understood: {why}; the advert is probably from another trade, so no vacancy is built"

    def to_dict(self) -> dict:
        g = self.role.gates
        return {
            "id": self.role.id, "title": self.role.title_de, "source": self.source,
            "requirements": [
                {"competency": {"id": c.id, "label_de": c.label_de, "label_en": c.label_en}, "tier": r.tier,
                 "weight": r.weight, "line": r.note} for r, c in zip(self.role.requirements, self.competencies)],
            "gates": {"min_years": g.min_years, "education": g.education,
                      "languages": [{"id": lr.competency_id, "level": lr.level, "required": lr.required,
                                     "line": lr.note} for lr in self.role.languages]},
            "nearest_role": None if self.nearest_role is None else {
                "id": self.nearest_role.id, "title_de": self.nearest_role.title_de,
                "title_en": self.nearest_role.title_en},
            "career_next": list(self.role.career_next), "salary": [s.to_dict() for s in self.role.salary],
            "unread": list(self.unread), "understood": round(self.understood, 3), "ok": self.ok,
            "verdict": self.verdict,
        }


def read_advert(p: "Pipeline", text: str, *, title: str | None = None, source: str = "advert",
                today: date | None = None) -> Vacancy:
    """Build the vacancy of `text` (see the module docstring). Raises InputError for an advert
    with nothing to read: empty, binary, or no requirement, nice-to-have or task lines."""
    if not isinstance(text, str) or "\x00" in text:
        raise InputError("the advert is not text (it holds binary data)", fix="paste or pass the advert as plain text")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_ADVERT_BYTES:
        raise InputError(f"the advert has more than {MAX_ADVERT_BYTES:,} bytes; one advert is a page or two",
                         fix="pass one advert, without attachments")
    text = clean(text)
    if not key(text):
        raise InputError("the advert is empty", fix="paste the advert's text, with its requirements")
    lines, first = _advert_lines(text)
    if not lines:
        raise InputError("the advert has no requirement section: no line says what a candidate should bring "
                         "(only benefits, company text or headings)",
                         fix="paste the profile or requirements part ('Ihr Profil', 'Anforderungen', 'Requirements')")
    ix = p.ix
    comps = ix.data.competencies
    read: list[AdvertLine] = []
    reqs: dict[str, tuple[str, float, int, str]] = {}  # id -> (tier, weight, line number, line)
    languages: dict[str, LanguageRequirement] = {}
    years: list[float] = []
    education: list[str] = []
    for number, line, section in lines:
        line_nice = section == "nice"
        found: list[tuple[str, bool]] = []  # (competency id, nice)
        gates: list[str] = []
        for raw in p.split(line):
            nice = line_nice or bool(_NICE.search(raw))  # "Deutsch C1, Englisch von Vorteil": per item
            res = p.resolution(raw)
            if res.education and not nice:
                education.append(res.education)
                gates.append("education")
            for m in res.mentions:
                c = m.competency
                if "language" in c.kinds:
                    lr = LanguageRequirement(c.id, res.level or level_of(raw) or "B2", not nice,
                                             f"{source} § line {number}", line[:200])
                    old = languages.get(c.id)
                    if old is None or (lr.required, lr.level) > (old.required, old.level):
                        languages[c.id] = lr
                    gates.append(f"language:{c.id}")
                else:
                    found.append((c.id, nice))
        wanted = experience_in(years_in_figures(line))
        if wanted is not None and not (line_nice or _NICE.search(line)):
            years.append(wanted)
            gates.append("years")
        for cid, nice in found:
            t = "further" if nice or section == "tasks" or "cross-disciplinary" in comps[cid].kinds else "core"
            w = WEIGHTS["nice"] if nice else WEIGHTS[t]
            old_req = reqs.get(cid)
            if old_req is None or (t == "core", w) > (old_req[0] == "core", old_req[1]):
                reqs[cid] = (t, w, number, line)
        read.append(AdvertLine(number, line, section, tuple(dict.fromkeys(c for c, _ in found)),
                               tuple(dict.fromkeys(gates))))
    understood = sum(1 for x in read if x.understood) / len(read)
    requirements = tuple(Requirement(cid, w, t, (), f"{source} § line {n}", line[:200])
                         for cid, (t, w, n, line) in reqs.items())
    title = _clean_title(title or first or "Vacancy")
    nearest, shared, named = _nearest(p, requirements, title)
    day = (today or date.today()).isoformat()
    sources = {}
    if years:
        sources["min_years_source"] = source
    if education:
        sources["education_source"] = source
    role = Role(
        id=_role_id(title, ix.data.roles, source), title_de=title, title_en=title, requirements=requirements,
        source=f"{source} (job advert, read {day})", languages=tuple(languages.values()),
        gates=Gates(min_years=max(years) if years else None,
                    education=min(education, key=EDUCATION_LEVELS.index) if education else None, sources=sources),
        # where the advert is silent: the nearest bundled role's career path and salary bands
        career_next=nearest.career_next if nearest else (), salary=nearest.salary if nearest else (),
        related_roles=(nearest.title_de,) if nearest else (), origin=source,
    )
    return Vacancy(role, nearest, tuple(read), understood, source,
                   tuple(comps[r.competency_id] for r in requirements), shared, named)


def _advert_lines(text: str) -> tuple[list[tuple[int, str, str]], str | None]:
    """(line number, line, section) for the lines that say what the vacancy asks, and the title.

    Before the first heading an advert holds its title and company text; an advert without any
    heading is a pasted requirement list, read whole, except a first line that is a title."""
    raw = []
    for n, line in enumerate(text.splitlines(), 1):
        bare = line.strip().lstrip("-–—•·*▪●> ").strip()
        if key(bare):
            raw.append((n, bare, bare != line.strip()))  # the flag: the line had a bullet
    headed = any(_heading(line) is not None for _, line, _ in raw)
    n0, line0, bullet0 = raw[0] if raw else (0, "", True)
    title = line0 if (not bullet0 and len(line0) <= 100 and _heading(line0) is None
                      and not _looks_like_requirement(line0)) else None
    section = "intro" if headed else "requirements"
    out: list[tuple[int, str, str]] = []
    for n, line, _ in raw:
        kind = _heading(line)
        if kind is not None:
            section = kind
        elif section in ("requirements", "nice", "tasks") and not (title is not None and n == n0):
            out.append((n, line, section))
    return out, title


def _heading(line: str) -> str | None:
    """The section a heading line opens, or None for a line that is not a heading."""
    if len(line) > 60:
        return None
    bare = line.rstrip(":").strip()
    if _NICE_HEADING.match(bare):
        return "nice"
    if _TASK_HEADING.match(bare):
        return "tasks"
    found = section_of(line)
    if found == "skip":
        return "skip"
    if found == "read":
        return "requirements"
    return "skip" if line.endswith(":") and len(bare.split()) <= 5 and not _looks_like_requirement(bare) else None


def _looks_like_requirement(line: str) -> bool:
    return bool(re.search(r"\b(?:erfahrung|kenntnisse|experience|knowledge|skills?|abgeschlossen|degree)\b", line, re.I))


def _clean_title(title: str) -> str:
    """`Key Account Manager (m/w/d) Lebensmittelhandel – Wien` -> `Key Account Manager Lebensmittelhandel`:
    no gender marker, and a long title cut at its first dash or bar (location, employer)."""
    text = " ".join(_GENDER.sub(" ", title).split())
    if len(text) > 40:
        text = re.split(r"\s[–—|-]\s", text, maxsplit=1)[0]
    return text.strip(" -–—|,")[:120] or "Vacancy"


def _role_id(title: str, roles: dict, source: str) -> str:
    """`vacancy-<title>`; a role of that id saved from the same advert keeps it (so a re-save is
    idempotent), any other gets a number."""
    base = ("vacancy-" + slugify(title))[:60].strip("-")
    rid, k = base, 2
    while rid in roles and not same_advert(roles[rid].source, source):
        rid, k = f"{base}-{k}", k + 1
    return rid


def same_advert(role_source: str, source: str) -> bool:
    """True when a role's source names this advert (a vacancy saved from it)."""
    return role_source.startswith(f"{source} (job advert")


_GENDER = re.compile(r"\((?:[mwfdxi]\s*[/|,]\s*)+[mwfdxi]\)|\b[mwfdx](?:/[mwfdx]){1,3}\b|:in\b|\*in\b", re.I)


def _nearest(p: "Pipeline", requirements: tuple[Requirement, ...], title: str) -> tuple[Role | None, float, bool]:
    """The bundled role closest to the vacancy, how much of a role's core the vacancy shares, and
    whether the advert's title names a bundled role.

    Closeness is the geometric mean of two coverages: of the role's core by the vacancy's
    requirements (as evidence: core in full, further at half), and of the vacancy's requirements
    by the role's (each credited through the hierarchy and the curated links); a role whose
    title the advert's title contains gains TITLE_BONUS (the longest such title only, so `Key
    Account Manager` wins over `Account Manager`)."""
    from .normalise import degender
    from .score import credit_matrix, fits

    ix = p.ix
    if not ix.role_ids or not requirements:
        return None, 0.0, False
    evidence = np.zeros((1, len(ix.comp_ids)))
    for r in requirements:
        j = ix.comp_pos[r.competency_id]
        evidence[0, j] = max(evidence[0, j], 1.0 if r.tier == "core" else 0.5)
    _, core, _ = fits(ix, credit_matrix(ix, evidence))
    want = np.array([ix.comp_pos[r.competency_id] for r in requirements])
    w = np.array([r.weight for r in requirements])
    H = ix.dense_hierarchy()
    words = set(key(degender(_GENDER.sub(" ", title))).split())
    # the yardsticks: the curated roles, not vacancies saved earlier (one would find itself)
    curated = [k for k, rid in enumerate(ix.role_ids) if "(job advert" not in ix.data.roles[rid].source]
    named = {}
    for k in curated:
        role = ix.data.roles[ix.role_ids[k]]
        for n in (role.title_de, role.title_en, *role.title_aliases):
            toks = key(degender(n)).split()
            if toks and set(toks) <= words:
                named[k] = max(named.get(k, 0), len(toks))
    longest = max(named.values(), default=0)
    best: tuple[float, str] | None = None
    for k in curated:
        rid = ix.role_ids[k]
        have = [ix.comp_pos[r.competency_id] for r in ix.data.roles[rid].requirements]
        covered = float(H[np.asarray(have)][:, want].max(axis=0) @ w / w.sum())
        score = 100.0 * np.sqrt(core[0, k] / 100.0 * covered) + (TITLE_BONUS if named.get(k, 0) == longest > 0 else 0)
        if best is None or (score, rid) > best:
            best = (score, rid)
    if best is None:
        return None, 0.0, False
    return ix.data.roles[best[1]], float(core[0, curated].max()) / 100.0, longest > 0


def save_vacancy(v: Vacancy, data_dir: "Path | str") -> tuple[str, "Path"]:
    """Write the vacancy's role into the overlay as `profiles/roles/<id>.yaml`: validated with the
    rest of the data first, atomically, and idempotently (a re-save of the same advert changes
    nothing but, on another day, the date it was read). Returns ("added" | "updated" |
    "unchanged", the path)."""
    from pathlib import Path

    import yaml

    from .errors import DataError
    from .fsutil import atomic_write_bytes, file_lock
    from .loader import load, role_to_yaml
    from .overlay import SourceFile, data_files, overlay_path

    if not v.ok:
        raise InputError(f"not saved: the advert was {v.verdict}", fix="nothing was written")
    root = Path(data_dir).expanduser()
    if root.exists() and not root.is_dir():
        raise InputError(f"{root}: not a directory", fix="point --data-dir at a directory (it is created if missing)")
    root.mkdir(parents=True, exist_ok=True)
    path = overlay_path(root, "roles", f"{v.role.id}.yaml")
    doc = role_to_yaml(v.role)
    header = (f"# Vacancy built by `matcher vacancy` from the job advert {v.source}: requirements from its\n"
              "# profile section (core), nice-to-haves and tasks (further); career path and salary from the\n"
              f"# nearest bundled role ({v.nearest_role.id if v.nearest_role else 'none'}). Edit freely.\n")
    content = (header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120)).encode("utf-8")
    with file_lock(root / ".import.lock"):
        if path.exists():
            old = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            if isinstance(old, dict) and {**old, "source": None} == {**doc, "source": None}:
                return "unchanged", path
        current = data_files(root)
        merged = [f for f in current if f.name != str(path)] + [SourceFile(str(path), "overlay", "roles", content)]
        try:
            load(files=merged)
        except DataError as exc:
            raise InputError(f"the vacancy would make the data invalid:\n{exc}", fix="nothing was written") from exc
        action = "updated" if path.exists() else "added"
        atomic_write_bytes(path, content)
    return action, path
