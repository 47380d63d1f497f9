"""Score one chunk of employees through the pipeline and lay the result out as output columns.

Nothing here reads text or scores on its own: cells are split, resolved and scored by
`Pipeline` exactly as `match()` does, and the best role, the years gate, the missing skills
and their courses come from the same functions `match()` uses (`score.evaluate`,
`score.gap_order`, `score.helpful_courses`). This module only checks rows, parses the years
column and formats.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

import numpy as np

from ..limits import MAX_CELL_CHARS
from ..years import years_value
from ..gates import STATUS, GateSpec, gate_specs
from ..score import BANDS, Scores, gap_order, helpful_courses
from .read import KEEP
from .summary import Tally, tally

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..index import Index
    from ..pipeline import Pipeline, Reading

TOP_MISSING = 3
_WORD = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class ChunkScores:
    """The output rows of a chunk, its share of the training-needs summary, and each row's roles
    best first (index positions, by the best-role rule: `--format long` ranks by it)."""

    frame: "pd.DataFrame"
    tally: Tally
    order: np.ndarray | None = None


def _row_problem(ident: str, cell: str) -> str | None:
    if "\ufffd" in cell or "\ufffd" in ident:
        return "undecodable bytes in the row (mixed or wrong encoding)"
    if len(cell) > MAX_CELL_CHARS:
        return f"skills cell over {MAX_CELL_CHARS} characters"
    if not ident.strip():
        return "missing id"
    if not _WORD.search(cell):
        return "empty skills"
    return None


def _years_column(texts: Sequence[str]) -> tuple[np.ndarray, list[str | None]]:
    """Years per row (NaN when empty) and, per row, why the cell could not be read."""
    memo: dict[str, tuple[float, str | None]] = {}
    for t in set(texts):
        try:
            value = years_value(t)
            memo[t] = (np.nan if value is None else value, None)
        except ValueError as exc:
            memo[t] = (np.nan, f"years: {exc}")
    return np.array([memo[t][0] for t in texts], dtype=np.float64), [memo[t][1] for t in texts]


def score_chunk(p: "Pipeline", chunk: "pd.DataFrame", chosen: Sequence[int], lang: str = "de") -> ChunkScores:
    """Scores for a chunk of (id, skills, years) text columns: the same rows, in order."""
    import pandas as pd

    ix = p.ix
    ids = chunk["id"].tolist()
    cells = chunk["skills"].tolist()
    years, year_problems = _years_column(chunk["years"].tolist())
    reason = [p_ or _row_problem(i, c) or y for i, c, y, p_ in zip(ids, cells, year_problems, chunk["problem"].tolist())]
    ok = np.array([r is None for r in reason], dtype=bool)
    reading = p.read([p.split(c) if good else [] for c, good in zip(cells, ok.tolist())])
    cands = p.candidates(reading, years)
    scores = p.score(cands, chosen)
    best = scores.order[:, 0] if len(chosen) else np.zeros(len(ids), dtype=np.int64)
    role_ids = ix.role_ids
    n = len(ids)
    rows = np.arange(n)

    out = pd.DataFrame({"id": ids, "status": np.where(ok, "ok", "error"), "reason": [r or "" for r in reason]})
    out["best_role"] = np.where(ok, np.asarray(role_ids, dtype=object)[best], "")
    out["best_fit"] = np.where(ok, np.round(scores.fits[rows, best], 1), np.nan)
    bands = {r: scores.bands(r) for r in chosen}
    best_band = np.full(n, "", dtype=object)
    for r in chosen:
        at = ok & (best == r)
        best_band[at] = np.asarray(BANDS, dtype=object)[bands[r][at]]
    out["best_band"] = best_band
    out["best_core"] = np.where(ok, np.round(scores.core[rows, best], 1), np.nan)
    for r in chosen:
        out[f"fit_{role_ids[r]}"] = np.where(ok, np.round(scores.fits[:, r], 1), np.nan)
    out["years"] = cands.years
    gate, gates, missing, courses = _target_role_columns(p, scores, best, ok, lang)
    out["years_gate"] = gate
    out["gates"] = gates
    out["unmet_gates"] = np.where(ok, scores.unmet[rows, best], 0)
    out["top_missing"] = missing
    out["suggested_courses"] = courses
    out["unrecognised"] = ["; ".join(u) for u in p.unrecognised(reading)]
    reasons = out["reason"].tolist()
    groups = chunk["group"].tolist() if "group" in chunk else None
    summary = tally(ix, tuple(chosen), scores.fits, bands, scores.credit, best, ok, reasons, groups, _unread(reading),
                    ids)
    kept = [c for c in chunk.columns if c.startswith(KEEP)]
    if kept:  # the input's own columns first, each under its name (prefixed when a score column has it)
        taken = set(out.columns) | {"row", "note", "rank"}
        names = [c[len(KEEP):] if c[len(KEEP):] not in taken else f"input_{c[len(KEEP):]}" for c in kept]
        out = pd.concat([pd.DataFrame({n: chunk[c].to_numpy() for n, c in zip(names, kept)}), out], axis=1)
    return ChunkScores(out, summary, scores.order)


def _unread(reading: "Reading") -> dict[str, list]:
    """Per unrecognised item text: how often it was named, and the closest plausible competency."""
    bad = [k for k, r in enumerate(reading.distinct) if r.method == "none" and r.raw.strip()]
    if not bad:
        return {}
    counts = np.bincount(reading.codes, minlength=len(reading.distinct))
    out: dict[str, list] = {}
    for k in bad:
        r = reading.distinct[k]
        entry = out.setdefault(r.raw.strip(), [0, r.hint.id if r.hint is not None else ""])
        entry[0] += int(counts[k])
    return out


def _target_role_columns(p: "Pipeline", scores: Scores, best: np.ndarray, ok: np.ndarray,
                         lang: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per row, for its best role: the years gate status, every gate's status, the top missing
    skills, a course for each.

    Employees share gap patterns, so each distinct (gaps, credits) pattern is formatted once.
    """
    ix = p.ix
    comps = list(ix.data.competencies.values())
    n = len(best)
    gate, gates, labels, courses = (np.full(n, "", dtype=object) for _ in range(4))
    for r in np.unique(best[ok]).tolist():
        idx = np.nonzero(ok & (best == r))[0]
        specs = gate_specs(ix, r)
        years_at = [k for k, spec in enumerate(specs) if spec.name == "years"]
        if years_at:
            gate[idx] = np.asarray(STATUS, dtype=object)[scores.gates[r][idx, years_at[0]]]
        if specs:
            names = [_gate_name(ix, spec) for spec in specs]
            pats, inv = np.unique(scores.gates[r][idx], axis=0, return_inverse=True)
            text = ["; ".join(f"{name} {STATUS[c]}" for name, c in zip(names, pat.tolist())) for pat in pats]
            gates[idx] = np.asarray(text, dtype=object)[inv.reshape(-1)]
        cols, gaps = gap_order(ix, r, scores.credit[idx], limit=TOP_MISSING)
        missing = gaps > 0
        picks = np.where(missing, cols, -1)
        have = np.where(missing, np.take_along_axis(scores.credit[idx], cols, axis=1), 0.0)
        patterns, inverse = np.unique(np.concatenate([picks, have], axis=1), axis=0, return_inverse=True)
        k = picks.shape[1]
        text = [_format_gaps(ix, comps, [int(j) for j in pattern[:k] if j >= 0], pattern[k:].tolist(), lang)
                for pattern in patterns]
        inverse = inverse.reshape(-1)
        labels[idx] = np.asarray([t[0] for t in text], dtype=object)[inverse]
        courses[idx] = np.asarray([t[1] for t in text], dtype=object)[inverse]
    return gate, gates, labels, courses


def _gate_name(ix: "Index", spec: "GateSpec") -> str:
    if spec.name == "shows":
        return f"shows {spec.required}"
    if spec.name == "years":
        return f"years {spec.required}"
    if spec.name == "language":
        return f"{ix.data.competencies[spec.subject].label_de} {spec.required}{'' if spec.mandatory else ' (preferred)'}"
    return f"education {spec.required}"


def _format_gaps(ix: "Index", comps: list, picks: list[int], have: list[float], lang: str) -> tuple[str, str]:
    """The missing skills' labels, and the first helpful course of each (without repeats)."""
    chosen: list[str] = []
    for j, c in zip(picks, have):
        for course in helpful_courses(ix, j, c, limit=1):
            if course.title(lang) not in chosen:
                chosen.append(course.title(lang))
    return "; ".join(comps[j].label(lang) for j in picks), "; ".join(chosen)


def mark_duplicates(scores: "pd.DataFrame", seen: dict[str, int]) -> int:
    """Fill the `note` column for ids seen before (in this or earlier chunks); returns how many.

    The first row of an id is remembered across chunks; an empty id is never a duplicate."""
    ids = scores["id"].tolist()
    rows = scores["row"].tolist()
    notes = [""] * len(ids)
    for k, ident in enumerate(ids):
        if ident:
            first = seen.setdefault(ident, rows[k])
            if first != rows[k]:
                notes[k] = f"duplicate id (first at row {first})"
    scores["note"] = notes
    return sum(1 for n in notes if n)
