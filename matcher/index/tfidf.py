"""scikit-learn's `char_wb` TF-IDF, applied at query time with numpy alone.

`matcher build` fits a scikit-learn `TfidfVectorizer` over every label and alias; queries
re-use its vocabulary and idf weights here, so answering a query never imports scikit-learn
(1.5 s) or scipy. A test proves the vectors equal scikit-learn's `transform`.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

NGRAM_RANGE = (2, 4)


def char_wb_ngrams(text: str, lo: int = NGRAM_RANGE[0], hi: int = NGRAM_RANGE[1]) -> list[str]:
    """scikit-learn's `char_wb` analyzer, re-implemented so queries need no scikit-learn."""
    out: list[str] = []
    for w in text.split():
        w = f" {w} "
        n_w = len(w)
        for n in range(lo, hi + 1):
            offset = 0
            out.append(w[offset: offset + n])
            while offset + n < n_w:
                offset += 1
                out.append(w[offset: offset + n])
            if offset == 0:
                break
    return out


def vectorise(text: str, vocabulary: dict[str, int], idf: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """TF-IDF vector of `text` as (column indices, values), equal to scikit-learn's transform."""
    counts = Counter(g for g in char_wb_ngrams(text) if g in vocabulary)
    if not counts:
        return None
    cols = np.fromiter((vocabulary[g] for g in counts), dtype=np.int64, count=len(counts))
    tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
    vals = (1.0 + np.log(tf)) * idf[cols]
    return cols, vals / np.linalg.norm(vals)


def fit(keys: list[str]) -> tuple[dict[str, int], np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Vocabulary, idf and the keys x n-grams matrix (rows L2-normalised) as CSC arrays."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # build time only: slow import

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAM_RANGE, sublinear_tf=True, lowercase=False,
                                 dtype=np.float64)
    csc = vectorizer.fit_transform(keys).tocsc()
    csc.sort_indices()
    return ({str(k): int(v) for k, v in vectorizer.vocabulary_.items()},
            np.asarray(vectorizer.idf_, dtype=np.float64), (csc.data, csc.indices, csc.indptr))
