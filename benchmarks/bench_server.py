"""`matcher serve` under load (issue 13).

- start-up: from launching `matcher serve` (index already built) to the first answered request
  (target < 3 s);
- load: CLIENTS concurrent keep-alive clients for SECONDS on `POST /api/match` with a 15-item
  list: errors, p50 and p99 latency, requests per second (targets: no error, >= 200 requests/s,
  p99 < 200 ms on the 2-core machine; the clients run on the same machine, in one asyncio
  process with a minimal HTTP/1.1 client, so that they take as little of it as possible);
- while the load runs, a 6 MB body is refused with 413 (target < 100 ms).

    python benchmarks/bench_server.py [--clients 32] [--seconds 20] [--workers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

MATCHER = str(Path(sys.executable).with_name("matcher"))
SKILLS = ("Kaltakquise, Angebotserstellung, SAP, Salesforce, Verhandlungsgeschick, Englisch C1, MS Office, "
          "Beschwerdemanagement, Marktanalysen, Key Account Management, Präsentationen, Teamführung, Reporting, "
          "Projektmanagement, CRM")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(port: int, workers: int) -> tuple[subprocess.Popen, float]:
    began = time.perf_counter()
    proc = subprocess.Popen([MATCHER, "serve", "--port", str(port), "--workers", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as res:
                if res.status == 200:
                    return proc, time.perf_counter() - began
        except OSError:
            if proc.poll() is not None or time.perf_counter() - began > 60:
                raise SystemExit("matcher serve did not start")
            time.sleep(0.02)


def request(port: int, body: bytes) -> bytes:
    return (f"POST /api/match HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
    await reader.readexactly(length)
    return status


async def client(port: int, until: float, latencies: list[float], errors: list[str]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    payload = request(port, json.dumps({"skills": SKILLS}).encode())
    try:
        while time.perf_counter() < until:
            began = time.perf_counter()
            writer.write(payload)
            status = await read_response(reader)
            latencies.append(time.perf_counter() - began)
            if status != 200:
                errors.append(str(status))
    except (OSError, asyncio.IncompleteReadError) as exc:
        errors.append(type(exc).__name__)
    finally:
        writer.close()


async def oversized(port: int, delay: float) -> float:
    await asyncio.sleep(delay)
    body = b'{"skills": "' + b"x" * (6 * 1024 * 1024) + b'"}'
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    began = time.perf_counter()
    writer.write(request(port, body)[: 2000])  # the headers announce 6 MB; the answer must not wait for it
    await writer.drain()
    status = await read_response(reader)
    took = time.perf_counter() - began
    writer.close()
    if status != 413:
        raise SystemExit(f"a 6 MB body got {status}, not 413")
    return took


async def load(port: int, clients: int, seconds: float) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    until = time.perf_counter() + seconds
    tasks = [client(port, until, latencies, errors) for _ in range(clients)]
    *_, refused = await asyncio.gather(*tasks, oversized(port, seconds / 2))
    return latencies, errors, refused


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--workers", type=int, default=2, help="as matcher serve's default on two cores")
    args = ap.parse_args()
    port = free_port()
    proc, startup = start(port, args.workers)
    try:
        print(f"start-up of matcher serve to the first answered request: {startup:.2f} s  (target < 3 s)")
        latencies, errors, refused = asyncio.run(load(port, args.clients, args.seconds))
        lat = sorted(latencies)
        p99 = lat[int(0.99 * (len(lat) - 1))]
        print(f"{args.clients} clients for {args.seconds:g} s on POST /api/match (15 items, {args.workers} worker(s)): "
              f"{len(lat)} requests, {len(errors)} errors, {len(lat) / args.seconds:.0f} requests/s, "
              f"p50 {1000 * statistics.median(lat):.1f} ms, p99 {1000 * p99:.1f} ms  "
              f"(targets: no error, >= 200/s, p99 < 200 ms)")
        print(f"a 6 MB body during the load: 413 in {1000 * refused:.1f} ms  (target < 100 ms)")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
