"""Speed: warm `Matcher.match()` on a 15-item CV (target p50 < 5 ms) and on a whole two-page CV
(target < 30 ms), cold `matcher match`
wall time (target median < 1 s), `matcher build` (target < 5 s). Medians of several runs;
the machine is noisy, so compare ratios rather than single numbers."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from matcher import Matcher

CV = ("Key Account Management, Vertragsverhandlungen, Marktanalysen, SAP, Englisch C1, Kundenpräsentationen, "
      "Entwicklung von Vertriebsstrategien, CRM, Kaltakquise, Beschwerdemanagment, MS Office, Reporting, "
      "Verhandlungsgeschick, Salesforce (4 Jahre), Krankenpflege")
MATCHER = str(Path(sys.executable).with_name("matcher"))


def timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    m = Matcher(notify=None)
    m.match(CV)  # load the index
    rounds = [timed(lambda: m.match(CV), 200) for _ in range(5)]  # the machine is noisy: 5 rounds
    p50s = sorted(1000 * statistics.median(r) for r in rounds)
    warm = [t for r in rounds for t in r]
    print(f"warm match(), the same 15 items again (cached): p50 {statistics.median(p50s):.2f} ms (rounds {p50s[0]:.2f}-"
          f"{p50s[-1]:.2f}), p95 {1000 * sorted(warm)[int(0.95 * len(warm))]:.2f} ms  (target p50 < 5 ms)")

    def fresh() -> None:
        m.pipeline.clear_cache()  # resolve every item again, as for a CV never seen before
        m.match(CV)

    rounds = [timed(fresh, 200) for _ in range(5)]
    p50s = sorted(1000 * statistics.median(r) for r in rounds)
    print(f"warm match(), 15 new items (resolution cache cleared each time): p50 {statistics.median(p50s):.2f} ms "
          f"(rounds {p50s[0]:.2f}-{p50s[-1]:.2f})  (target p50 < 5 ms)")

    whole = (Path(__file__).resolve().parent.parent / "examples" / "cv_whole_de.txt").read_text(encoding="utf-8")

    def fresh_cv() -> None:
        m.pipeline.clear_cache()
        m.match(whole)

    rounds = [timed(fresh_cv, 30) for _ in range(5)]
    p50s = sorted(1000 * statistics.median(r) for r in rounds)
    print(f"warm match(), a whole two-page CV (examples/cv_whole_de.txt, {len(whole):,} characters, cache cleared): "
          f"p50 {statistics.median(p50s):.1f} ms (rounds {p50s[0]:.1f}-{p50s[-1]:.1f})  (target < 30 ms)")

    cold = timed(lambda: subprocess.run([MATCHER, "match", CV], capture_output=True, check=True), 7)
    print(f"cold `matcher match`: median {statistics.median(cold):.3f} s  (target < 1 s)")

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "MATCHER_INDEX_DIR": tmp}
        build = timed(lambda: subprocess.run([MATCHER, "build"], capture_output=True, check=True, env=env), 3)
    print(f"`matcher build`: median {statistics.median(build):.2f} s  (target < 5 s)")


if __name__ == "__main__":
    main()
