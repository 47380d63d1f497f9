"""The vectorised index: everything a query needs, built once from the data and persisted.

`matcher build` (or the first query after a data change) fits a scikit-learn TF-IDF
character n-gram model over every label and alias and derives the role, hierarchy and course
matrices (`build.py`); the fitted vocabulary and idf weights are applied at query time with
numpy (`tfidf.py`), so answering a query never imports scikit-learn. `store.py` keeps it on
disk with a manifest that names its hash, data fingerprint and library versions.
"""

from .build import build_index
from .lookup import Index
from .store import ENV_INDEX_DIR, FORMAT_VERSION, get_index, index_dir, paths_for, read_index, write_index
from .tfidf import NGRAM_RANGE, char_wb_ngrams

__all__ = ["ENV_INDEX_DIR", "FORMAT_VERSION", "NGRAM_RANGE", "Index", "build_index", "char_wb_ngrams", "get_index",
           "index_dir", "paths_for", "read_index", "write_index"]
