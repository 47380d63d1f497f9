"""Score a whole workforce from an HR export: fits, gaps, and a training-needs summary.

`read` finds the format, encoding, delimiter and columns and streams chunks; `score` runs
each chunk through the one pipeline (`matcher.pipeline`) and lays out the columns; `summary`
accumulates the training needs; `write` writes atomically; `run` drives it all, with the local
engine or `dask` on a cluster. `score_file` and `score_frame` are the entry points.
"""

from .read import Layout, detect_layout, read_chunks
from .run import BatchReport, score_file, score_frame
from .score import ChunkScores, score_chunk

__all__ = ["BatchReport", "ChunkScores", "Layout", "detect_layout", "read_chunks", "score_chunk", "score_file",
           "score_frame"]
