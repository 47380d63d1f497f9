"""The cost of the workforce report (issue 14): `matcher batch` on 100,000 employees with
`--report report.html --group-by Abteilung` against the same run without, fresh processes,
alternating, medians; and the size of the HTML (drawn from aggregates, so it does not grow
with the workforce). Targets: < 20 % more time, < 5 MB.

    python benchmarks/bench_report.py [--rows 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import gen_export  # noqa: E402

MATCHER = str(Path(sys.executable).with_name("matcher"))
DEPARTMENTS = ("Vertrieb Innendienst", "Vertrieb Außendienst", "Key Account", "Kundenservice", "Marketing")


def write(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["employee_id", "Abteilung", "skills", "years"])
        for k, (ident, cell, years) in enumerate(gen_export.rows(n, seed=7)):
            w.writerow([ident, DEPARTMENTS[k % len(DEPARTMENTS)], cell, years])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "employees.csv"
        write(src, args.rows)
        plain, with_report = [], []
        report = Path(tmp) / "report.html"
        for _ in range(args.runs):
            for extra, into in (([], plain), (["--report", str(report), "--group-by", "Abteilung"], with_report)):
                start = time.perf_counter()
                subprocess.run([MATCHER, "batch", str(src), "-o", f"{tmp}/o.csv", *extra], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                into.append(time.perf_counter() - start)
        a, b = statistics.median(plain), statistics.median(with_report)
        print(f"{args.rows:,} employees: matcher batch median {a:.2f} s; with --report --group-by Abteilung median "
              f"{b:.2f} s (+{100 * (b / a - 1):.0f} %, target < 20 %); report {report.stat().st_size / 1e6:.2f} MB "
              "(target < 5 MB)")


if __name__ == "__main__":
    main()
