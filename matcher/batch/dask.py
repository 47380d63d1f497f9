"""Run the batch's per-chunk function on a Dask cluster.

The driver reads the file with the local engine's own reader (so both engines see the same
rows, and report the same damaged ones) and submits each chunk to the cluster, where the same
`score_chunk` scores it; results are collected in order with a bounded window in flight, so
the output is byte-identical to the local engine's. Workers load the index themselves, from their
own installation (see "Limits and trust").
"""

from __future__ import annotations

from collections import deque
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable, Iterator


from ..errors import InputError
from .score import ChunkScores, score_chunk

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..model import Role
    from ..pipeline import Pipeline


@lru_cache(maxsize=4)
def _worker_pipeline(data_dir: str | None, extra: tuple["Role", ...] = ()) -> "Pipeline":
    """The worker's pipeline over its own copy of the index, with the driver's extra roles (a
    vacancy) added, so that a role index means the same role on both sides."""
    from ..index import get_index
    from ..pipeline import Pipeline

    p = Pipeline(get_index(data_dir), data_dir=data_dir)
    return p.with_roles(extra) if extra else p


def _score_partition(chunk: Any, data_dir: str | None, extra: tuple["Role", ...], chosen: tuple[int, ...],
                     lang: str) -> ChunkScores:
    return score_chunk(_worker_pipeline(data_dir, extra), chunk, chosen, lang)


def dask_chunks(p: "Pipeline", chunks: Iterable["pd.DataFrame"], chosen: tuple[int, ...], lang: str, *,
                scheduler: str | None) -> Iterator[ChunkScores]:
    """Score `chunks` (read on the driver by the local engine's reader) on a Dask cluster, in order."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - optional dependency
        raise InputError("the dask engine needs dask and distributed", fix="pip install 'matcher[dask]'") from exc
    cluster = None
    try:
        client = Client(scheduler, timeout="10s") if scheduler else Client(
            cluster := LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None))
    except (OSError, TimeoutError, ValueError) as exc:
        where = f"the Dask scheduler at {scheduler}" if scheduler else "a local Dask cluster"
        raise InputError(f"cannot reach {where} ({type(exc).__name__}: {str(exc).splitlines()[0][:120]}); "
                         "nothing was written",
                         fix="check the --scheduler address (e.g. tcp://host:8786) and that the scheduler runs, "
                             "or leave out --engine dask") from None
    try:
        window = max(2, 2 * len(client.scheduler_info().get("workers", {})))
        futures: deque[Any] = deque()
        for chunk in chunks:
            futures.append(client.submit(_score_partition, chunk, p.data_dir, p.extra_roles, chosen, lang, pure=False))
            if len(futures) >= window:
                yield futures.popleft().result()
        while futures:
            yield futures.popleft().result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
