"""The local engine: score chunks in this process, or in forked worker processes on a large file.

Scoring is Python-heavy (splitting and formatting), so threads would share one core; forked
workers inherit the loaded index (no second load, pages shared copy-on-write) and score whole
chunks, while this process reads, writes and sums up. Results come back in file order (a small
window in flight), so the output is byte-identical whatever the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .score import ChunkScores, score_chunk

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..pipeline import Pipeline

PARALLEL_FROM_BYTES = 4 * 1024 * 1024  # smaller inputs are scored in-process: starting workers costs more
_WORKER: "Pipeline | None" = None  # set before the fork; each worker uses its inherited copy


def workers_for(size_bytes: int | None, requested: int | None = None) -> int:
    """How many worker processes: `requested`, else two (the machine's cores, at most) for a large
    file where processes can be forked, else none (score here)."""
    if requested is not None:  # more processes than cores only add start-up and copying
        return max(1, min(requested, os.cpu_count() or 1))
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if size_bytes is not None and size_bytes < PARALLEL_FROM_BYTES:
        return 1
    return max(1, min(2, os.cpu_count() or 1))


def _worker_init(parent: int) -> None:
    """A worker leaves Ctrl-C to the parent (which stops the run and cleans up) and exits as soon
    as the parent is gone, even after a SIGKILL: it must never outlive the run, holding its pipes."""
    import signal
    import threading
    import time

    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _score(chunk: "pd.DataFrame", chosen: tuple[int, ...], lang: str) -> ChunkScores:
    assert _WORKER is not None
    return score_chunk(_WORKER, chunk, chosen, lang)


def local_chunks(p: "Pipeline", chunks: Iterable["pd.DataFrame"], chosen: tuple[int, ...], lang: str,
                 workers: int) -> Iterator[ChunkScores]:
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for chunk in chunks:
            yield score_chunk(p, chunk, chosen, lang)
        return
    from concurrent.futures import ProcessPoolExecutor

    global _WORKER
    _WORKER = p
    pending: deque[Any] = deque()
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                             initializer=_worker_init, initargs=(os.getpid(),)) as pool:
        try:
            for chunk in chunks:
                pending.append(pool.submit(_score, chunk, chosen, lang))
                if len(pending) >= 2 * workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:  # interrupted: do not wait for chunks nobody will write
                future.cancel()
