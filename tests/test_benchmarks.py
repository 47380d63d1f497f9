"""Smoke runs of the benchmarks, so that they never rot (the figures come from `make bench`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


def test_batch_benchmark_smoke_run(tmp_path):
    proc = subprocess.run([sys.executable, str(BENCH / "bench_batch.py"), "--rows", "300", "--runs", "1",
                           "--sample", "50", "--skip-million"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    for line in ("matcher batch, 300 employees", "I/O floor", "ratio batch / I/O floor", "extractOne"):
        assert line in proc.stdout, proc.stdout


def test_parse_benchmark_smoke_run():
    proc = subprocess.run([sys.executable, str(BENCH / "bench_parse.py"), "--mb", "0.02", "--items", "50"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "worst parse time" in proc.stdout and "match(), 50 distinct items" in proc.stdout


def test_vacancy_benchmark_smoke_run():
    proc = subprocess.run([sys.executable, str(BENCH / "bench_vacancy.py"), "--rows", "300", "--runs", "1"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    for line in ("role adverts: nearest bundled role acceptable", "unrelated adverts", "building a vacancy",
                 "ranked for one vacancy"):
        assert line in proc.stdout, proc.stdout


def test_server_benchmark_smoke_run():
    proc = subprocess.run([sys.executable, str(BENCH / "bench_server.py"), "--seconds", "2", "--clients", "4"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    for line in ("start-up of matcher serve", "0 errors", "a 6 MB body during the load: 413"):
        assert line in proc.stdout, proc.stdout
