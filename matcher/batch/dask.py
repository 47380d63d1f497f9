"""Run the batch's per-chunk function on a Dask cluster.

The input is read as a Dask dataframe (CSV with the local reader's own options, or Parquet)
and each partition is narrowed to the three columns and scored by the same `score_chunk` the
local engine uses; the driver collects partitions in order (a bounded window in flight) so the
output is byte-identical to the local engine's. Workers load the index themselves, from their
own installation (see "Limits and trust").
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterator

import numpy as np

from ..errors import InputError
from .read import csv_options, select_columns
from .score import ChunkScores, score_chunk

if TYPE_CHECKING:  # pragma: no cover
    from ..pipeline import Pipeline
    from .read import Layout


@lru_cache(maxsize=4)
def _worker_pipeline(data_dir: str | None) -> "Pipeline":
    from ..index import get_index
    from ..pipeline import Pipeline

    return Pipeline(get_index(data_dir), data_dir=data_dir)


def _score_partition(df: Any, layout: "Layout", data_dir: str | None, chosen: tuple[int, ...], lang: str) -> ChunkScores:
    frame = df.copy()
    frame.columns = [str(c).strip() for c in frame.columns]
    return score_chunk(_worker_pipeline(data_dir), select_columns(frame, layout), chosen, lang)


def dask_chunks(p: "Pipeline", layout: "Layout", chosen: tuple[int, ...], lang: str, *, scheduler: str | None,
                chunk_rows: int) -> Iterator[ChunkScores]:
    try:
        import dask
        import dask.dataframe as dd
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - optional dependency
        raise InputError("the dask engine needs dask and distributed", fix="pip install 'matcher[dask]'") from exc
    if layout.fmt == "xlsx":
        raise InputError("the dask engine reads CSV and Parquet, not XLSX", fix="use the default engine for .xlsx")
    cols = [c for c in (layout.id_col, layout.skills_col, layout.years_col) if c]
    if layout.fmt == "parquet":
        ddf = dd.read_parquet(str(layout.path), columns=cols)
    else:
        # blocksize=None: one partition per file region is not safe with quoted newlines, so
        # partitions are cut by rows after reading; the file must fit the cluster, not one machine.
        ddf = dd.read_csv(str(layout.path), blocksize=None, usecols=lambda c: str(c).strip() in cols,
                          **csv_options(layout))
        ddf = ddf.repartition(npartitions=max(1, int(np.ceil(len(ddf) / chunk_rows))))
    parts = ddf.to_delayed()
    task = dask.delayed(_score_partition)
    cluster = None
    client = Client(scheduler) if scheduler else Client(cluster := LocalCluster(n_workers=2, threads_per_worker=1,
                                                                                processes=True, dashboard_address=None))
    try:
        window = max(2, 2 * len(client.scheduler_info().get("workers", {})))
        futures: list[Any] = []
        submitted = 0
        for i in range(len(parts)):
            while submitted < len(parts) and submitted < i + window:
                futures.append(client.compute(task(parts[submitted], layout, p.data_dir, chosen, lang)))
                submitted += 1
            result = futures[i].result()
            futures[i] = None
            yield result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
