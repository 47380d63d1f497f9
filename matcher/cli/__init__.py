"""The `matcher` command line.

Every failure ends in one message on stderr that says what was wrong and how to fix it, and
an exit status: 2 for usage errors (unknown option or role, no input), 1 for data errors
(unreadable file, invalid data). Output is a rich table on a terminal and plain text when
piped; `--json` gives the documented schema.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from .. import __version__
from ..errors import InputError, MatcherError, UsageError
from ..fsutil import NotReadable, decode_text, read_bounded
from ..limits import MAX_INPUT_BYTES, MAX_ITEM_CHARS, MAX_ITEMS
from ..years import years_value
from .batch import add_batch_arguments
from .render import cell, print_explain, print_report, shown, terminal
from .vacancy import add_vacancy_arguments, cmd_vacancy, read_vacancy

if TYPE_CHECKING:  # pragma: no cover
    from ..api import Matcher

PASTE_HINT = "Paste the skill list, then press Ctrl-D on a new line (Ctrl-Z then Enter on Windows)."

EXAMPLES = """\
examples:
  matcher match "Salesforce, Verhandlungsgeschick, SAP, Englisch C1" --years 5
  matcher match --file examples/cv_key_account.txt --top 3
  pbpaste | matcher match --json
  matcher match --explain key-account-manager "CRM, Marktanalysen"
  matcher resolve "Kaltakquise" "Beschwerdemanagment" "Krankenpflege"
  matcher roles
  matcher taxonomy --json
  matcher import-bis page.txt --data-dir ~/matcher-data
  matcher vacancy examples/advert_de.txt [--save --data-dir ~/matcher-data]
  matcher match --vacancy examples/advert_de.txt --file examples/cv_key_account.txt
  matcher batch examples/employees.csv -o shortlist.csv --vacancy examples/advert_de.txt
  matcher serve --port 8000                  # the counsellor page at http://127.0.0.1:8000/
  matcher build
"""


# --- argument parsing -------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"matcher: error: {message}\n  fix: see 'matcher {self.prog.split()[-1] if ' ' in self.prog else ''} --help'"
              .replace("matcher  --help", "matcher --help"), file=sys.stderr)
        raise SystemExit(2)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be 1 or more")
    return value


def _port(text: str) -> int:
    value = _positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: use 1 to 65535")
    return value


def _years(text: str) -> float:
    try:
        value = years_value(text.replace(",", "."))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if value is None:
        raise argparse.ArgumentTypeError("no number of years given")
    return value


def build_parser() -> argparse.ArgumentParser:
    data_dir_help = "overlay directory layered over the bundled data (default: $MATCHER_DATA_DIR)"
    # Accepted before or after the command; SUPPRESS keeps the sub-command from resetting it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help=data_dir_help)
    top = argparse.ArgumentParser(add_help=False)
    top.add_argument("--data-dir", metavar="DIR", default=None, help=data_dir_help)
    parser = _Parser(prog="matcher", description="Match a CV's skills against the AMS BIS competency tree: fit per role, "
                     "missing skills, and the courses that close the gap.", epilog=EXAMPLES,
                     formatter_class=argparse.RawDescriptionHelpFormatter, parents=[top])
    parser.add_argument("--version", action="version", version=f"matcher {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    m = sub.add_parser("match", parents=[common], help="score every role for a skill list",
                       description="Score every role for a skill list given as arguments, --file, or on standard input.")
    m.add_argument("skills", nargs="*", metavar="SKILL", help="skills (each argument may hold a comma-separated list)")
    m.add_argument("--file", "-f", metavar="CV.txt", help="read the skill list from a text file ('-' for stdin)")
    m.add_argument("--top", type=_positive_int, metavar="N", help="show the N best roles")
    m.add_argument("--role", action="append", metavar="ID", help="only this role (repeatable; see 'matcher roles')")
    m.add_argument("--years", type=_years, metavar="N", help="years of professional experience")
    m.add_argument("--lang", choices=("de", "en"), default="de", help="language of labels in the output (default de)")
    m.add_argument("--json", action="store_true", help="machine-readable output (schema in the README)")
    m.add_argument("--explain", metavar="ROLE", help="list every requirement of ROLE with its evidence and credit")
    m.add_argument("--max-items", type=_positive_int, default=MAX_ITEMS, metavar="N",
                   help=f"refuse lists with more items than this (default {MAX_ITEMS})")
    m.add_argument("--vacancy", metavar="AD.txt", help="also score the vacancy built from this job advert (first)")

    v = sub.add_parser("vacancy", parents=[common], help="build a vacancy (a role) from a job advert",
                       description="Read a job advert: its requirements (core and further), gates, the nearest "
                                   "bundled role, and the lines it could not map.")
    add_vacancy_arguments(v)

    r = sub.add_parser("resolve", parents=[common], help="show how each skill is understood",
                       description="Show the competency, confidence and method for each skill item.")
    r.add_argument("skills", nargs="*", metavar="SKILL")
    r.add_argument("--file", "-f", metavar="FILE", help="read items from a text file ('-' for stdin)")
    r.add_argument("--json", action="store_true")
    r.add_argument("--lang", choices=("de", "en"), default="de")
    r.add_argument("--max-items", type=_positive_int, default=MAX_ITEMS, metavar="N",
                   help=f"refuse lists with more items than this (default {MAX_ITEMS})")

    sub.add_parser("build", parents=[common], help="(re)build the vectorised index in models/",
                   description="Rebuild the index from the data now (it is also rebuilt automatically when stale).")

    ro = sub.add_parser("roles", parents=[common], help="list the role profiles")
    ro.add_argument("--json", action="store_true")
    t = sub.add_parser("taxonomy", parents=[common], help="list every competency of the tree")
    t.add_argument("--json", action="store_true")

    i = sub.add_parser("import-bis", parents=[common], help="import a BIS profile page into the overlay",
                       description="Parse a BIS profile page (any translation) and merge it into the overlay directory.")
    i.add_argument("page", metavar="PAGE.txt")
    i.add_argument("--lang", metavar="CODE", help="language of the page's translations (default: detected)")
    i.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")

    sv = sub.add_parser("serve", parents=[common], help="serve the counsellor page and the HTTP API",
                        description="Run the web page (/) and the JSON API (/api/..., docs at /docs) on uvicorn.")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    sv.add_argument("--port", type=_port, default=8000, help="port, 1-65535 (default 8000)")
    sv.add_argument("--workers", type=_positive_int, default=min(2, os.cpu_count() or 1),
                    help="processes, each with its own warm index (default: 2, or 1 on one core)")

    b = sub.add_parser("batch", parents=[common], help="score a workforce export (CSV, XLSX, Parquet)",
                       description="Score every employee of an HR export against every role; write scores "
                                   "(and a training-needs summary) atomically.")
    add_batch_arguments(b)
    return parser


# --- input ------------------------------------------------------------------------------------


def read_text_file(path: str, max_bytes: int = MAX_INPUT_BYTES, *, what: str = "skill list",
                   fix: str | None = None) -> str:
    """A text file, or standard input for `-`, of at most `max_bytes`; `what` it holds and `fix`
    (how to give it right) make the messages (the defaults: a CV or skill list)."""
    if path == "-":
        return _read_stdin(max_bytes, what, fix)
    try:
        content = read_bounded(Path(path), max_bytes)
    except NotReadable as exc:
        raise InputError(f"{path} {exc}", fix=fix or "give a text file with the CV or skill list (one CV; for many "
                                                     "people use 'matcher batch')") from None
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", fix="check the path") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied", fix="check the file's permissions") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})", fix="check the path") from None
    return decode(content, path, what)


def decode(content: bytes, name: str, what: str = "skill list") -> str:
    if b"\x00" in content[:8192] and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name} looks binary (NUL bytes)", fix=f"save the {what} as plain text")
    return decode_text(content)


def _read_stdin(max_bytes: int, what: str = "skill list", fix: str | None = None) -> str:
    if sys.stdin is None:
        return ""
    if sys.stdin.isatty():
        print(PASTE_HINT.replace("skill list", what), file=sys.stderr)
    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(f"standard input is over the {max_bytes} byte limit for a {what}",
                         fix=fix or "pass only the CV's skills section, or use 'matcher batch' for many people")
    return decode(data, "standard input", what)


def _skills_from(args: argparse.Namespace) -> str:
    if args.skills and args.file:
        raise UsageError("give skills either as arguments or with --file, not both", fix="drop one of them")
    if args.skills:
        return "\n".join(args.skills)
    if args.file:
        return read_text_file(args.file)
    return _read_stdin(MAX_INPUT_BYTES)


def _dump_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


# --- commands ---------------------------------------------------------------------------------


def _matcher(args: argparse.Namespace) -> "Matcher":
    from ..api import Matcher

    return Matcher(args.data_dir or os.environ.get("MATCHER_DATA_DIR") or None,
                   max_items=getattr(args, "max_items", MAX_ITEMS))


def cmd_match(args: argparse.Namespace) -> int:
    text = _skills_from(args)
    from ..normalise import key

    if not key(text):
        raise UsageError("no skills given", fix='pass skills as arguments, e.g. matcher match "SAP, CRM", '
                         "or with --file CV.txt, or on standard input")
    if args.explain is not None and (not args.explain.strip() or args.role or args.top):
        raise UsageError("--explain takes one role id and shows all of its requirements; it does not combine "
                         "with --role or --top" if args.explain.strip() else "--explain needs a role id",
                         fix="e.g. matcher match --explain key-account-manager \"CRM, SAP\" (ids: matcher roles)")
    m = _matcher(args)
    vacancy = read_vacancy(m, args.vacancy, usable=True) if args.vacancy else None
    if args.explain:
        full = m.report(text, years=args.years, roles=[args.explain], vacancy=vacancy)
        if args.json:
            _dump_json({"schema_version": full.to_dict()["schema_version"], "explain": full.results[0].to_dict()})
        else:
            print_explain(full.results[0], m.index.data.competencies, args.lang, terminal())
        return 0
    report = m.report(text, years=args.years, roles=args.role, top=args.top, vacancy=vacancy)
    if args.json:
        _dump_json(report.to_dict())
    else:
        print_report(report, args.lang, terminal())
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    if args.skills and args.file:
        raise UsageError("give items either as arguments or with --file, not both", fix="drop one of them")
    m = _matcher(args)
    if args.skills:
        items: str | list[str] = list(args.skills)
    else:
        items = read_text_file(args.file) if args.file else _read_stdin(MAX_INPUT_BYTES)
    results = m.resolve(items)
    if not results:
        raise UsageError("no skills given", fix='e.g. matcher resolve "Kaltakquise" "SAP"')
    if args.json:
        _dump_json({"schema_version": 1, "items": [r.to_dict() for r in results]})
        return 0
    from rich.table import Table

    table = Table(title="How each item was understood", title_justify="left")
    for col in ("Input", "Competency", "Confidence", "Method", "Note"):
        table.add_column(col)
    from rich.markup import escape

    for r in results:
        raw = escape(shown(r.raw))
        cut = f"cut to {MAX_ITEM_CHARS} characters" if r.truncated else ""
        if r.competency is not None:
            note = ", ".join(x for x in (f"level {r.level}" if r.level else "", f"{r.years:g} years" if r.years else "",
                                         cut) if x)
            named = " + ".join([r.competency.label(args.lang), *(c.label(args.lang) for c in r.further)])
            table.add_row(raw, escape(named), f"{r.score:.2f}", r.method, note)
        elif r.method in ("education", "experience", "goal"):
            named = " + ".join(c.label(args.lang) for c in r.further) or "-"  # a degree's subject, a field of work
            table.add_row(raw, escape(named), "-", r.method, escape(r.education or (f"{r.years:g} years" if r.years else "")))
        else:
            hint = f"closest: {r.hint.label(args.lang)} ({r.hint_score:.2f})" if r.hint is not None else ""
            table.add_row(raw, "not recognised", "-", r.method, escape(", ".join(x for x in (hint, cut) if x)))
    terminal().print(table)
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    import time

    from ..index import index_dir

    start = time.perf_counter()
    ix = _matcher(args).build()
    print(f"built index: {len(ix.comp_ids)} competencies, {len(ix.keys)} labels and aliases, {len(ix.role_ids)} roles, "
          f"{len(ix.course_ids)} courses in {time.perf_counter() - start:.1f} s -> {index_dir()}")
    return 0


def cmd_roles(args: argparse.Namespace) -> int:
    data = _matcher(args).index.data
    if args.json:
        _dump_json({"schema_version": 1, "roles": [r.to_dict() for r in data.roles.values()]})
        return 0
    from rich.table import Table

    table = Table(title=f"{len(data.roles)} roles", title_justify="left")
    table.add_column("id", no_wrap=True, min_width=max(len(r) for r in data.roles))  # ids are copied into --role
    for col in ("title (de)", "title (en)", "AMS", "requirements", "next"):
        table.add_column(col)
    for r in data.roles.values():
        table.add_row(r.id, cell(r.title_de), cell(r.title_en), cell(r.ams_code or "-"), str(len(r.requirements)),
                      ", ".join(r.career_next) or "-")
    terminal().print(table)
    return 0


def cmd_taxonomy(args: argparse.Namespace) -> int:
    data = _matcher(args).index.data
    if args.json:
        _dump_json({"schema_version": 1, "competencies": [c.to_dict() for c in data.competencies.values()]})
        return 0
    out = terminal()
    children: dict[str | None, list[str]] = {}
    for c in data.competencies.values():
        children.setdefault(c.parent, []).append(c.id)

    def show(cid: str, depth: int) -> None:
        c = data.competencies[cid]
        out.print(f"{'  ' * depth}{c.label_de}  [{c.id}; {', '.join(c.kinds)}; {len(c.aliases)} aliases]",
                      markup=False)
        for child in children.get(cid, []):
            show(child, depth + 1)

    for root in children.get(None, []):
        show(root, 0)
    out.print(f"{len(data.competencies)} competencies")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from ..bis_import import import_page

    target = args.data_dir or os.environ.get("MATCHER_DATA_DIR")
    if not target:
        raise UsageError("import-bis needs an overlay directory to write to (the bundled data is never modified)",
                         fix="pass --data-dir DIR or set MATCHER_DATA_DIR")
    result = import_page(args.page, target, lang=args.lang, dry_run=args.dry_run)
    verb = "would be " if args.dry_run and result.action != "unchanged" else ""
    print(f"role '{result.role_id}' {verb}{result.action}: {result.requirements} requirements, "
          f"{len(result.new_competencies)} new competencies, {result.aliases_added} aliases added")
    for page_term, label in result.reconciled:
        print(f"  reconciled '{page_term}' with the existing '{label}'")
    for path in result.files:
        print(f"  {'would write' if args.dry_run else 'wrote'} {path}")
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from .batch import run_batch

    return run_batch(args, _matcher(args))


def _cmd_serve(args: argparse.Namespace) -> int:
    from .serve import cmd_serve

    return cmd_serve(args, _matcher(args))


def _cmd_vacancy(args: argparse.Namespace) -> int:
    target = args.data_dir or os.environ.get("MATCHER_DATA_DIR")
    if args.save and target and not Path(target).expanduser().exists():  # --save creates the overlay
        from ..api import Matcher

        return cmd_vacancy(args, Matcher(None))
    return cmd_vacancy(args, _matcher(args))


COMMANDS = {"batch": cmd_batch, "serve": _cmd_serve, "vacancy": _cmd_vacancy, "match": cmd_match, "resolve": cmd_resolve, "build": cmd_build, "roles": cmd_roles,
            "taxonomy": cmd_taxonomy, "import-bis": cmd_import}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return COMMANDS[args.command](args)
    except MatcherError as exc:
        print(f"matcher: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("matcher: interrupted; no partial output was left", file=sys.stderr)
        return 130
    except BrokenPipeError:
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return 0
    except OSError as exc:  # the environment (disk, permissions), not the input: still no traceback
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        print(f"matcher: error: {exc.strerror or exc}{where}\n  fix: check free space and permissions, then run again",
              file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
