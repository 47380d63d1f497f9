"""Worst parse time per MB over crafted inputs (issue 9): every text path must be linear.

Each crafted text (long runs that backtracking patterns would revisit, many items, long items)
is read the way `matcher match` reads a paste, at about 1 MB, and through `import-bis` where it
targets the BIS page parser. Prints seconds per MB for each and the worst (target <= 1 s/MB for
the parser; full matching of 5,000 long items is printed as well).

    python benchmarks/bench_parse.py
"""

from __future__ import annotations

import random
import string
import tempfile
import time
from pathlib import Path

from matcher import Matcher
from matcher.bis_import import import_page
from matcher.parse import parse_item, split_items

MB = 1_000_000


def crafted(size: int) -> dict[str, str]:
    rng = random.Random(0)
    words = ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 12))) for _ in range(5000)]
    return {
        "spaces after a heading and a digit": "Kenntnisse: 1" + " " * size + "x, y",
        "a, spaces, b": "a" * (size // 50) + " " * size + "b",
        "digits and spaces": "1 " * (size // 2) + "Jahre",
        "decimal commas": "1," * (size // 2),
        "nested brackets": "(" * (size // 2) + "SAP" + ")" * (size // 2),
        "dashes": "SAP " + "- " * (size // 2),
        "colons": "a:" * (size // 2),
        "tabs and bullets": "• SAP\t" * (size // 6),
        "lines of 300 characters": "\n".join(" ".join(rng.choice(words) for _ in range(40))[:300]
                                             for _ in range(size // 300)),
    }


def seconds_per_mb(fn, text: str) -> float:
    start = time.perf_counter()
    fn(text)
    return (time.perf_counter() - start) / (len(text.encode()) / MB)


def parse_all(text: str) -> None:
    for raw in split_items(text):
        parse_item(raw)


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=1.0, help="size of each crafted text (a smoke run uses less)")
    ap.add_argument("--items", type=int, default=5000, help="long items matched at the end")
    args = ap.parse_args()
    size = int(args.mb * MB)
    worst = 0.0
    for name, text in crafted(size).items():
        s = seconds_per_mb(parse_all, text)
        worst = max(worst, s)
        print(f"parse  {name:36s} {s:7.3f} s/MB")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.txt"
        page.write_text("# X (Testberuf)\n## (Einkommen)\n" + "1." * (size // 4) + " bis 2 Euro brutto\n"
                        "### (Fachliche berufliche Kompetenzen)\n- a (Quantenbuchhaltung)\n", encoding="utf-8")
        start = time.perf_counter()
        import_page(page, Path(tmp) / "overlay")
        s = (time.perf_counter() - start) / (page.stat().st_size / MB)
        worst = max(worst, s)
        print(f"import-bis income line of '1.' repeated              {s:7.3f} s/MB")
    print(f"worst parse time: {worst:.3f} s/MB  (target <= 1 s/MB)")

    m = Matcher(notify=None)
    m.index  # noqa: B018
    rng = random.Random(1)
    words = ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 12))) for _ in range(20000)]
    text = "\n".join(" ".join(rng.choice(words) + rng.choice([" und", " /", " &", ""]) for _ in range(30))[:300]
                     for _ in range(args.items))
    start = time.perf_counter()
    m.report(text)
    took = time.perf_counter() - start
    print(f"match(), {args.items:,} distinct items of 300 characters ({len(text) / MB:.1f} MB): {took:.2f} s "
          f"= {took / (len(text) / MB):.2f} s/MB (was 106 s)")


if __name__ == "__main__":
    main()
