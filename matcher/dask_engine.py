"""Run the batch scorer's per-chunk function on a Dask cluster.

The input is read as a Dask dataframe (CSV or Parquet) and each partition is normalised and
scored by the same `Scorer.score` the local engine uses; the driver collects partitions in
order (a bounded window in flight) so the output is byte-identical to the local engine's.
Workers load the index themselves, from their own installation (see "Limits and trust").
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterator

import numpy as np

from .errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from .batch import Layout, Scorer


@lru_cache(maxsize=4)
def _worker_scorer(data_dir: str | None, roles: tuple[str, ...], lang: str) -> "Scorer":
    from .api import Matcher
    from .batch import Scorer

    return Scorer(Matcher(data_dir, notify=None), roles, lang)


def _score_partition(df: Any, layout: "Layout", data_dir: str | None, roles: tuple[str, ...], lang: str) -> tuple:
    from .batch import _normalise_chunk

    scorer = _worker_scorer(data_dir, roles, lang)
    frame = df.copy()
    frame.columns = [str(c).strip() for c in frame.columns]
    return scorer.score(_normalise_chunk(frame, layout))


def dask_chunks(layout: "Layout", scorer: "Scorer", *, scheduler: str | None, chunk_rows: int) -> Iterator[tuple]:
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
        ddf = dd.read_csv(str(layout.path), sep=layout.delimiter, encoding=layout.encoding,
                          encoding_errors="replace", dtype=str, keep_default_na=False, blocksize=None,
                          skipinitialspace=True, usecols=lambda c: str(c).strip() in cols)
        ddf = ddf.repartition(npartitions=max(1, int(np.ceil(len(ddf) / chunk_rows))))
    data_dir = str(scorer.matcher.data_dir) if scorer.matcher.data_dir else None
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
                futures.append(client.compute(task(parts[submitted], layout, data_dir, scorer.target_roles, scorer.lang)))
                submitted += 1
            result = futures[i].result()
            futures[i] = None
            yield result
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
