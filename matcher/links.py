"""Curated lateral links between competencies (`related:` in the tree), read symmetrically.

Either end may state a link; the loader adds the reverse, refuses a link to an unknown id or
to itself, and refuses two ends that disagree on the kind (which would credit differently by
direction). How much a link credits is score.py's rule (LINK_CREDIT).
"""

from __future__ import annotations

from typing import Any

from .model import Competency, Link
from .yamlfile import data_text, opt_text, short

LINK_KINDS = ("related", "equivalent")


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def read_links(raw: Any, where: str, origin: str, problems: list[str]) -> tuple[Link, ...]:
    out: list[Link] = []
    for link in _as_list(raw):
        if (not isinstance(link, dict) or not isinstance(link.get("id"), str)
                or link.get("kind", "related") not in LINK_KINDS or not link.get("source")):
            problems.append(f"{where}: related link {short(link)} needs an id, a source and a kind from "
                            f"{list(LINK_KINDS)}. Fix: e.g. '- {{id: verkaufsverhandlung, source: curated}}'.")
            continue
        out.append(Link(link["id"], link.get("kind", "related"), data_text(link["source"]), opt_text(link.get("note")),
                        origin))
    return tuple(out)


def symmetric_links(comps: dict[str, Competency], problems: list[str]) -> None:
    """Check every link's target and add its reverse, so that either end may state it."""
    reverse: dict[str, list[Link]] = {}
    for c in comps.values():
        for link in c.related:
            if link.id not in comps or link.id == c.id:
                problems.append(f"{link.origin or c.origin}: '{c.id}': related link to unknown or same id '{link.id}'. "
                                "Fix: use an existing id from 'matcher taxonomy', and not the entry's own.")
                continue
            back = next((k for k in comps[link.id].related if k.id == c.id), None)
            if back is not None and back.kind != link.kind and c.id < link.id:
                problems.append(f"{link.origin or c.origin}: '{c.id}' calls '{link.id}' {link.kind}, but "
                                f"{back.origin or comps[link.id].origin} calls it {back.kind} the other way. "
                                "Fix: state the link once (it is read both ways), or give both ends the same kind.")
            reverse.setdefault(link.id, []).append(Link(c.id, link.kind, link.source, link.note, link.origin))
    for cid, links in reverse.items():
        c = comps[cid]
        known = {k.id for k in c.related}
        new = tuple(k for k in links if k.id not in known)
        if new:
            comps[cid] = Competency(**{**c.__dict__, "related": c.related + new})
