"""`matcher vacancy`, and the `--vacancy AD.txt` of `matcher match` and `matcher batch`.

An advert is read from a file or standard input (`-`), with its own size limit and messages;
a vacancy that was mostly not understood is reported with the lines that were not, and never
saved or matched against (exit status 1).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError
from ..vacancy import MAX_ADVERT_BYTES, save_vacancy

if TYPE_CHECKING:  # pragma: no cover
    from ..api import Matcher
    from ..vacancy import Vacancy


def add_vacancy_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("advert", metavar="AD.txt", help="the job advert as text ('-' for standard input)")
    p.add_argument("--json", action="store_true", help="machine-readable output (schema in the README)")
    p.add_argument("--save", action="store_true", help="write the vacancy into the overlay (--data-dir) as a role")
    p.add_argument("--title", metavar="TITLE", help="the vacancy's title (default: the advert's first line)")
    p.add_argument("--lang", choices=("de", "en"), default="de", help="language of labels in the output")


def read_vacancy(m: "Matcher", path: str, title: str | None = None, *, usable: bool = False) -> "Vacancy":
    """The vacancy of the advert at `path` (or standard input for `-`); `usable`: refuse one that
    was mostly not understood (to match against it), pointing at `matcher vacancy`."""
    from . import read_text_file

    text = read_text_file(path, MAX_ADVERT_BYTES, what="job advert",
                          fix="give one job advert as a text file (one or two pages)")
    v = m.vacancy(text, title=title, source="stdin" if path == "-" else Path(path).name)
    if usable and not v.ok:
        raise InputError(f"the advert {path} was {v.verdict}",
                         fix="run 'matcher vacancy' on it to see the lines that were not understood")
    return v


def cmd_vacancy(args: argparse.Namespace, m: "Matcher") -> int:
    import json

    from .render import shown, terminal

    v = read_vacancy(m, args.advert, args.title)
    if args.json:
        sys.stdout.write(json.dumps({"schema_version": 1, "vacancy": v.to_dict()}, ensure_ascii=False, indent=2) + "\n")
    else:
        out = terminal()
        role = v.role
        out.print(f"Vacancy: {shown(role.title_de)}  [{role.id}]", markup=False)
        out.print(f"Read from {v.source}: {v.verdict}.", markup=False)
        if v.nearest_role is not None:
            out.print(f"Nearest bundled role: {v.nearest_role.title(args.lang)} (career path and salary bands taken "
                      "from it)", markup=False)
        comps = m.index.data.competencies
        for tier in ("core", "further"):
            reqs = [r for r in role.requirements if r.tier == tier]
            if reqs:
                out.print(f"\n{tier.capitalize()} ({len(reqs)}):", markup=False)
                for r in reqs:
                    out.print(f"  - {comps[r.competency_id].label(args.lang)}  <- \"{shown(r.note or '')[:90]}\"",
                              markup=False)
        gates = [f"years >= {role.gates.min_years:g}"] if role.gates.min_years else []
        gates += [f"{comps[lr.competency_id].label(args.lang)} {lr.level}{'' if lr.required else ' (preferred)'}"
                  for lr in role.languages]
        gates += [f"education {role.gates.education}"] if role.gates.education else []
        out.print(f"\nGates: {', '.join(gates) or 'none stated'}", markup=False)
        if v.unread:
            out.print("\nNot understood (add aliases for these in the overlay, see the README):", markup=False)
            for line in v.unread:
                out.print(f"  - {shown(line)[:110]}", markup=False)
    if not v.ok:
        print(f"matcher: error: the advert was {v.verdict}\n  fix: nothing was built or saved", file=sys.stderr)
        return 1
    if args.save:
        target = args.data_dir or __import__("os").environ.get("MATCHER_DATA_DIR")
        if not target:
            from ..errors import UsageError

            raise UsageError("--save needs an overlay directory to write to (the bundled data is never modified)",
                             fix="pass --data-dir DIR or set MATCHER_DATA_DIR")
        action, path = save_vacancy(v, target)
        print(f"vacancy '{v.role.id}' {action}: {path}", file=sys.stderr if args.json else sys.stdout)
    return 0
