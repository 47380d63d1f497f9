"""Batch speed and memory (issues 4 and 8).

- 100,000 employees with about 8 skills each: `matcher batch` as a user runs it (a fresh
  process, index already built) against the I/O floor (`io_floor.py`: a plain pandas script
  that only reads the same CSV and writes a CSV of the same shape), alternating, median of
  several runs of each; the ratio is the figure (target <= 2.5).
- The straightforward approach (one `rapidfuzz.process.extractOne` per skill mention, then
  scoring), timed on a subsample and scaled linearly (far too slow to run on all rows).
- 1,000,000 rows streamed through `matcher batch`: wall time (target < 25 s) and peak RSS
  (target < 1 GB).

    python benchmarks/bench_batch.py [--runs 3] [--skip-million]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import gen_export  # noqa: E402

from matcher import Matcher  # noqa: E402
from matcher.parse import split_items  # noqa: E402

HERE = Path(__file__).parent
MATCHER = str(Path(sys.executable).with_name("matcher"))


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a command run to completion."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    # ru_maxrss of children is the maximum over all of them so far: meaningful for the largest run
    return seconds, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


def naive(matcher: Matcher, path: Path, limit: int) -> float:
    """One extractOne per mention over all labels and aliases, then the same scoring."""
    import pandas as pd
    from rapidfuzz import fuzz, process

    from matcher.score import credits, fits

    ix = matcher.index
    df = pd.read_csv(path, dtype=str, keep_default_na=False, nrows=limit)
    start = time.perf_counter()
    for cell in df["skills"]:
        pos, conf = [], []
        for item in split_items(cell):
            hit = process.extractOne(item, ix.keys, scorer=fuzz.WRatio, score_cutoff=85)
            if hit is not None:
                pos.append(ix.key_comp[hit[2]])
                conf.append(hit[1] / 100)
        credit, _ = credits(ix, pos, conf)
        fits(ix, credit)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-million", action="store_true")
    ap.add_argument("--rows", type=int, default=100_000, help="employees in the main file (a smoke run uses few)")
    ap.add_argument("--sample", type=int, default=2000, help="employees timed with extractOne")
    args = ap.parse_args()
    m = Matcher(notify=None)
    m.index  # noqa: B018 - build the index before timing
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "employees.csv"
        gen_export.write(str(src), args.rows)
        ours, floor = [], []
        for i in range(args.runs):
            ours.append(timed([MATCHER, "batch", str(src), "-o", str(Path(tmp) / f"o{i}.csv"),
                               "--summary", str(Path(tmp) / f"s{i}.json")])[0])
            floor.append(timed([sys.executable, str(HERE / "io_floor.py"), str(src), str(Path(tmp) / f"f{i}.csv")])[0])
        t_ours, t_floor = statistics.median(ours), statistics.median(floor)
        print(f"matcher batch, {args.rows:,} employees (~8 skills, with --summary): median {t_ours:.2f} s "
              f"(runs {', '.join(f'{t:.2f}' for t in ours)})")
        print(f"I/O floor (pandas read + write of the same shape): median {t_floor:.2f} s "
              f"(runs {', '.join(f'{t:.2f}' for t in floor)})")
        print(f"ratio batch / I/O floor: {t_ours / t_floor:.2f}  (target <= 2.5)")
        sample = min(args.sample, args.rows)
        t_naive = naive(m, src, sample) * (args.rows / sample)
        print(f"straightforward (extractOne per mention), scaled from {sample} employees: {t_naive:.0f} s "
              f"-> {t_naive / t_ours:.0f}x slower  (target >= 20x)")

        if not args.skip_million:
            big = Path(tmp) / "e1m.csv"
            gen_export.write(str(big), 1_000_000, seed=3)
            seconds, peak_mb = timed([MATCHER, "batch", str(big), "-o", str(Path(tmp) / "o1m.csv")])
            print(f"1,000,000 rows streamed: {seconds:.1f} s (target < 25 s), peak RSS {peak_mb:.0f} MB "
                  f"(target < 1024 MB; file {big.stat().st_size / 1e6:.0f} MB)")


if __name__ == "__main__":
    main()
