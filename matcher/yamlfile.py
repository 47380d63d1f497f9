"""Read one data file safely: YAML with limits, values cleaned for display.

The overlay is written by users and may come from anywhere: a file is parsed with the safe
loader, without YAML's implicit dates, with its alias expansion counted before anything is
built, and numbers and texts are checked before they reach the data model. Every problem is
collected with the file's name, never raised as a traceback.
"""

from __future__ import annotations

from typing import Any

from .model import SalaryBand
from .normalise import clean
from .overlay import SourceFile

MAX_YAML_NODES = 1_000_000


def _expanded_size(events: Any) -> int:
    """How many values a YAML document holds once every alias is replaced by what it names,
    counted from the event stream in linear time; stops counting past the bound."""
    import yaml

    total = 0
    sizes: dict[str, int] = {}
    open_at: list[tuple[str | None, int]] = []
    for event in events:
        if isinstance(event, yaml.AliasEvent):
            total += sizes.get(event.anchor, 1)
        elif isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            total += 1
            if isinstance(event, yaml.ScalarEvent):
                if event.anchor:
                    sizes[event.anchor] = 1
            else:
                open_at.append((event.anchor, total))
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)) and open_at:
            anchor, start = open_at.pop()
            if anchor:
                sizes[anchor] = total - start + 1
        if total > MAX_YAML_NODES:
            break
    return total


def _data_loader() -> Any:
    """The safe loader without YAML's implicit dates: `2023-02-30` or `2024-01-01` in a data file
    is text (a source, a note), never a date object that cannot be shown or written as JSON."""
    global _DATA_LOADER
    if _DATA_LOADER is None:
        base = _safe_loader()
        _DATA_LOADER = type("DataLoader", (base,), {"yaml_implicit_resolvers": {
            first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
            for first, resolvers in base.yaml_implicit_resolvers.items()}})
    return _DATA_LOADER


_DATA_LOADER: Any = None


def data_text(value: Any) -> str:
    """A label or title as it may be shown: control and bidi characters removed, one line."""
    return " ".join(clean(str(value)).split())


def opt_text(value: Any) -> str | None:
    return None if value is None else data_text(value)


def short(value: Any, limit: int = 80) -> str:
    """A value quoted in an error message, cut so that a huge one cannot flood the terminal."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def number_in(value: Any, low: float, high: float) -> float | None:
    """A finite number within [low, high], else None (also for 5,000-digit integers and booleans)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if low <= number <= high else None


def _safe_loader() -> Any:
    """The C safe loader (ten times faster) or the pure-Python one; never a full loader.

    Imported here, not at module level: queries check the data fingerprint without parsing YAML."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(f: SourceFile, problems: list[str]) -> Any:
    try:
        text = f.content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(f"{f.name}: not UTF-8 text (byte {exc.start}). Fix: save the file as UTF-8.")
        return None
    import yaml

    try:
        # Count what the document expands to before anything is built: a few hundred bytes of
        # nested aliases expand to gigabytes ("billion laughs"). Shared texts and lists (the
        # bundled data shares sources and provider lists) stay far below the bound.
        expanded = _expanded_size(yaml.parse(text, Loader=_safe_loader()))
        if expanded > MAX_YAML_NODES:
            problems.append(f"{f.name}: expands to more than {MAX_YAML_NODES:,} values through aliases (*name). "
                            "Fix: write the values out instead of nesting aliases.")
            return None
        doc = yaml.load(text, Loader=_data_loader())  # noqa: S506 - a safe loader, see _data_loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.append(f"{f.name}:{where}: invalid YAML ({reason}). Fix: correct the syntax there "
                        "(indentation, a missing colon, an unclosed quote or bracket).")
        return None
    except (ValueError, OverflowError, RecursionError) as exc:  # a 5,000-digit number, nesting thousands deep
        problems.append(f"{f.name}: a value cannot be read ({type(exc).__name__}: {short(str(exc))}). "
                        "Fix: use ordinary numbers and at most a few levels of nesting.")
        return None
    if doc is None:
        return None  # an empty file is allowed and contributes nothing
    if not isinstance(doc, dict):
        problems.append(f"{f.name}: expected a mapping at the top level, found {type(doc).__name__}. "
                        "Fix: see the data format in the README.")
        return None
    return doc


SALARY_NUMBERS = ("min", "max", "average")
SALARY_TEXTS = ("currency", "period", "country", "source", "label", "note")


def salary_band(s: Any, where: str, problems: list[str]) -> SalaryBand | None:
    """A role's salary band, its amounts and texts checked, or None with the problem noted."""
    fix = "Fix: e.g. '- {min: 38000, max: 52000, currency: EUR, period: annual, country: AT, source: ...}'."
    if not isinstance(s, dict):
        problems.append(f"{where}: salary band {short(s)} is not a mapping. {fix}")
        return None
    unknown = [k for k in s if k not in (*SALARY_NUMBERS, *SALARY_TEXTS, "gross")]
    missing = [k for k in ("currency", "period", "country", "source") if not s.get(k)]
    numbers = {k: number_in(s[k], 0.0, 1e9) for k in SALARY_NUMBERS if s.get(k) is not None}
    bad = [k for k, v in numbers.items() if v is None]
    if unknown or missing or bad:
        problems.append(f"{where}: salary band {short(s)}: " + "; ".join(
            x for x in (f"unknown fields {unknown}" if unknown else "", f"missing {missing}" if missing else "",
                        f"{bad} must be amounts from 0 to 1e9" if bad else "") if x) + f". {fix}")
        return None
    texts = {k: data_text(s[k]) for k in SALARY_TEXTS if s.get(k) is not None}
    return SalaryBand(**texts, **numbers, gross=bool(s.get("gross", True)))  # type: ignore[arg-type]
