"""Batch speed and memory (issue 4).

- 100,000 employees with about 8 skills each: wall time of `score_file` (target < 10 s),
  median of several runs, against the straightforward approach (one
  `rapidfuzz.process.extractOne` per skill mention, then scoring), measured in the same run on
  a subsample and scaled linearly (it is far too slow to run on all rows).
- 1,000,000 rows streamed through `matcher batch` in a subprocess: peak RSS (target < 1 GB).

    python benchmarks/bench_batch.py [--runs 3] [--skip-million]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


sys.path.insert(0, str(Path(__file__).parent))
import gen_export  # noqa: E402

from matcher import Matcher  # noqa: E402
from matcher.batch import score_file, split_cell  # noqa: E402


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
        for item in split_cell(cell):
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
    args = ap.parse_args()
    m = Matcher(notify=None)
    m.index  # noqa: B018 - load before timing
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "e100k.csv"
        gen_export.write(str(src), 100_000)
        times = []
        for i in range(args.runs):
            t = time.perf_counter()
            score_file(Matcher(notify=None), src, Path(tmp) / f"o{i}.csv", summary=Path(tmp) / f"s{i}.json")
            times.append(time.perf_counter() - t)
        ours = statistics.median(times)
        print(f"100,000 employees (~8 skills): median {ours:.2f} s over {args.runs} runs "
              f"(min {min(times):.2f}, max {max(times):.2f})  (target < 10 s)")
        sample = 2000
        t_naive = naive(m, src, sample) * (100_000 / sample)
        print(f"straightforward (extractOne per mention), scaled from {sample} employees: {t_naive:.0f} s "
              f"-> {t_naive / ours:.0f}x slower  (target >= 20x)")

        if not args.skip_million:
            big = Path(tmp) / "e1m.csv"
            gen_export.write(str(big), 1_000_000, seed=3)
            matcher_exe = str(Path(sys.executable).with_name("matcher"))
            t = time.perf_counter()
            proc = subprocess.run([sys.executable, "-c", (
                "import resource, subprocess, sys;"
                f"subprocess.run([{matcher_exe!r}, 'batch', {str(big)!r}, '-o', {str(Path(tmp) / 'o1m.csv')!r}], check=True);"
                "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")],
                capture_output=True, text=True, check=True)
            peak_mb = int(proc.stdout.strip().splitlines()[-1]) / 1024
            print(f"1,000,000 rows streamed: {time.perf_counter() - t:.1f} s, peak RSS {peak_mb:.0f} MB  "
                  f"(target < 1024 MB; file {big.stat().st_size / 1e6:.0f} MB)")


if __name__ == "__main__":
    main()
