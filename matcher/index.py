"""The vectorised index: everything a query needs, built once from the data and persisted.

`matcher build` (or the first query after a data change) fits a scikit-learn TF-IDF
character n-gram model over every label and alias and derives the role, hierarchy and course
matrices. The fitted vocabulary and idf weights are stored as plain arrays and applied at
query time with numpy, so answering a query never imports scikit-learn (1.5 s here).

Trust: the index is a joblib pickle and loading a pickle runs code. It is loaded only from
this installation's own index directory, only when a manifest written next to it by `build`
names its exact SHA-256, and only if the data fingerprint matches. Anything else (missing,
stale, corrupt, foreign) is rebuilt, with a one-line notice.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Callable

import joblib
import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from . import __version__
from .fsutil import atomic_write_bytes, file_lock
from .loader import SourceFile, data_files, fingerprint, load
from .model import Data
from .normalise import key, stem
from .resolver import FILLER, NEUTRAL, core, expand, stem_key

FORMAT_VERSION = 1
ENV_INDEX_DIR = "MATCHER_INDEX_DIR"
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


@dataclass
class Index:
    """Lookup tables, TF-IDF model and matrices over one data set (see module docstring)."""

    data: Data
    fingerprint: str
    comp_ids: list[str]
    comp_pos: dict[str, int]
    exact: dict[str, int]
    stems: dict[str, int]
    bags: dict[str, int]
    compact: dict[str, int]
    cores: dict[str, list[tuple[str | None, int]]]
    keys: list[str]
    key_comp: list[int]
    key_stems: list[tuple[str, ...]]
    token_positions: dict[str, list[int]]
    vocabulary: dict[str, int]
    idf: np.ndarray
    # keys x n-grams TF-IDF matrix, rows L2-normalised, as CSC arrays (data, indices, indptr).
    # Sparse matrices are stored as plain arrays so that a query needs numpy only: importing
    # scipy.sparse costs a fifth of the one-second cold-start budget.
    tfidf_csc: tuple[np.ndarray, np.ndarray, np.ndarray]
    parent: np.ndarray  # parent position or -1
    depth: np.ndarray
    # evidence x requirement credit factor, as CSR arrays (data, indices, indptr)
    hierarchy_csr: tuple[np.ndarray, np.ndarray, np.ndarray]
    role_ids: list[str]
    role_weights: np.ndarray  # roles x competencies (few roles: dense)
    course_ids: list[str]
    course_matrix: np.ndarray  # courses x competencies, 1 = develops
    token_vocab: list[str] = field(default_factory=list)

    # -- query-time helpers ------------------------------------------------------------------

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_cache", None)  # derived arrays are recomputed after loading, not stored
        return state

    def _cached(self, name: str, make: Callable[[], np.ndarray]) -> np.ndarray:
        cache = self.__dict__.setdefault("_cache", {})
        if name not in cache:
            cache[name] = make()
        return cache[name]

    def dense_hierarchy(self) -> np.ndarray:
        def make() -> np.ndarray:
            data, indices, indptr = self.hierarchy_csr
            n = len(self.comp_ids)
            out = np.zeros((n, n))
            rows = np.repeat(np.arange(n), np.diff(indptr))
            out[rows, indices] = data
            return out
        return self._cached("H", make)

    def role_rows(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per role: (competency positions, weights) of its requirements."""
        def make() -> list:
            return [(np.nonzero(w)[0], w[np.nonzero(w)[0]]) for w in self.role_weights]
        return self._cached("roles", make)  # type: ignore[return-value]

    def ranked_courses(self) -> list[list[tuple[Any, float]]]:
        """Per competency: (course, credit it gives) ranked by credit, then breadth, then id order."""
        def make() -> list:
            cc = self.course_credit()
            breadth = self.course_matrix.sum(axis=1)
            courses = list(self.data.courses.values())
            return [[(courses[k], float(cc[k, j])) for k in sorted(np.nonzero(cc[:, j])[0],
                                                                    key=lambda k: (-cc[k, j], -breadth[k], k))]
                    for j in range(cc.shape[1])]
        return self._cached("ranked_courses", make)  # type: ignore[return-value]

    def course_credit(self) -> np.ndarray:
        """Credit each course would give each competency (courses x competencies)."""
        def make() -> np.ndarray:
            H = self.dense_hierarchy()
            out = np.zeros(self.course_matrix.shape)
            for c, row in enumerate(self.course_matrix):
                cols = np.nonzero(row)[0]
                if cols.size:
                    out[c] = H[cols].max(axis=0)
            return out
        return self._cached("CC", make)

    def vectorise(self, text: str) -> tuple[np.ndarray, np.ndarray] | None:
        """TF-IDF vector of `text` as (column indices, values), equal to scikit-learn's transform."""
        counts = Counter(g for g in char_wb_ngrams(text) if g in self.vocabulary)
        if not counts:
            return None
        cols = np.fromiter((self.vocabulary[g] for g in counts), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        vals = (1.0 + np.log(tf)) * self.idf[cols]
        norm = np.linalg.norm(vals)
        return cols, vals / norm

    def cosine(self, text: str) -> np.ndarray | None:
        vec = self.vectorise(text)
        if vec is None:
            return None
        data, indices, indptr = self.tfidf_csc
        sims = np.zeros(len(self.keys))
        for c, v in zip(vec[0], vec[1]):
            lo, hi = indptr[c], indptr[c + 1]
            sims[indices[lo:hi]] += data[lo:hi] * v
        return sims

    def candidates_for(self, query: list[str]) -> list[int]:
        """Entries sharing a word (or a one-typo variant of one) with the query."""
        found: set[int] = set()
        for t in query:
            found.update(self.token_positions.get(t, ()))
            if len(t) >= 7:
                for cand, _, _ in process.extract(t, self.token_vocab, scorer=OSA.distance, score_cutoff=1, limit=5):
                    found.update(self.token_positions.get(cand, ()))
        return sorted(found)

    def ancestors(self, pos: int) -> list[int]:
        out = [pos]
        while self.parent[out[-1]] >= 0:
            out.append(int(self.parent[out[-1]]))
        return out

    def lowest_common_ancestor(self, positions: list[int]) -> int | None:
        chains = [self.ancestors(p) for p in positions]
        common = set(chains[0]).intersection(*chains[1:])
        if not common:
            return None
        return max(common, key=lambda p: self.depth[p])


# --- building -------------------------------------------------------------------------------


def build_index(data: Data, fp: str) -> Index:
    import scipy.sparse as sp  # build time only
    from sklearn.feature_extraction.text import TfidfVectorizer  # build time only: slow import

    comps = list(data.competencies.values())
    comp_ids = [c.id for c in comps]
    comp_pos = {cid: i for i, cid in enumerate(comp_ids)}

    # German labels and curated aliases first, English labels last: the German term is the key,
    # and BIS gives two nodes the same English label ("Sales knowledge").
    surface: list[tuple[str, int]] = []
    for c in comps:
        for text in (c.label_de, *(a.text for a in c.aliases)):
            surface.append((expand(key(text)), comp_pos[c.id]))
    for c in comps:
        if c.label_en:
            surface.append((expand(key(c.label_en)), comp_pos[c.id]))

    exact: dict[str, int] = {}
    stems: dict[str, int] = {}
    bags: dict[str, int] = {}
    compact: dict[str, int] = {}
    cores: dict[str, list[tuple[str | None, int]]] = {}
    keys: list[str] = []
    key_comp: list[int] = []
    for k, pos in surface:
        if not k:
            continue
        if k not in exact:
            exact[k] = pos
            keys.append(k)
            key_comp.append(pos)
        sk = stem_key(k)
        stems.setdefault(sk, pos)
        bags.setdefault(" ".join(sorted(sk.split())), pos)
        compact.setdefault(stem(k.replace(" ", "")), pos)
        c, cls = core(k)
        if c:
            entry = (cls, pos)
            if entry not in cores.setdefault(c, []):
                cores[c].append(entry)

    key_stems = [tuple(stem(t) for t in k.split() if t not in FILLER and t not in NEUTRAL) for k in keys]
    token_positions: dict[str, list[int]] = {}
    for i, toks in enumerate(key_stems):
        for t in set(toks):
            token_positions.setdefault(t, []).append(i)

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAM_RANGE, sublinear_tf=True, lowercase=False,
                                 dtype=np.float64)
    csc = vectorizer.fit_transform(keys).tocsc()
    csc.sort_indices()

    n = len(comps)
    parent = np.full(n, -1, dtype=np.int32)
    for c in comps:
        if c.parent is not None:
            parent[comp_pos[c.id]] = comp_pos[c.parent]
    depth = np.zeros(n, dtype=np.int32)

    # Credit that evidence for node i gives a requirement for node j: full for j = i and for
    # every ancestor of i (Salesforce proves E-Commerce-Software), 0.5 per level for a
    # descendant of i (E-Commerce-Software says something, not everything, about Salesforce),
    # nothing for siblings.
    rows, cols, vals = [], [], []
    for i in range(n):
        chain = [i]
        while parent[chain[-1]] >= 0:
            chain.append(int(parent[chain[-1]]))
        depth[i] = len(chain) - 1
        for level, j in enumerate(chain):
            rows.append(i)
            cols.append(j)
            vals.append(1.0)
            if level:
                rows.append(j)
                cols.append(i)
                vals.append(0.5 ** level)
    dense_h = np.zeros((n, n))
    dense_h[rows, cols] = vals
    hierarchy = sp.csr_matrix(dense_h)

    roles = list(data.roles.values())
    rw_rows, rw_cols, rw_vals = [], [], []
    for r_i, role in enumerate(roles):
        for req in role.requirements:
            rw_rows.append(r_i)
            rw_cols.append(comp_pos[req.competency_id])
            rw_vals.append(req.weight)
    role_weights = np.zeros((len(roles), n))
    role_weights[rw_rows, rw_cols] = rw_vals

    courses = list(data.courses.values())
    c_rows, c_cols = [], []
    for c_i, course in enumerate(courses):
        for cid in course.develops:
            c_rows.append(c_i)
            c_cols.append(comp_pos[cid])
    course_matrix = np.zeros((len(courses), n))
    course_matrix[c_rows, c_cols] = 1.0

    return Index(
        data=data, fingerprint=fp, comp_ids=comp_ids, comp_pos=comp_pos, exact=exact, stems=stems, bags=bags,
        compact=compact, cores=cores, keys=keys, key_comp=key_comp, key_stems=key_stems,
        token_positions=token_positions, vocabulary={str(k): int(v) for k, v in vectorizer.vocabulary_.items()},
        idf=np.asarray(vectorizer.idf_, dtype=np.float64), tfidf_csc=(csc.data, csc.indices, csc.indptr), parent=parent,
        depth=depth, hierarchy_csr=(hierarchy.data, hierarchy.indices, hierarchy.indptr), role_ids=[r.id for r in roles], role_weights=role_weights,
        course_ids=[c.id for c in courses], course_matrix=course_matrix, token_vocab=sorted(token_positions),
    )


# --- persistence ----------------------------------------------------------------------------


def index_dir() -> Path:
    """The package's models/ folder when writable, else the user's cache directory."""
    override = os.environ.get(ENV_INDEX_DIR)
    if override:
        return Path(override)
    try:
        pkg = Path(str(resources.files("matcher.models")))
        if pkg.is_dir() and os.access(pkg, os.W_OK):
            return pkg
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - zipped install
        pass
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "matcher"


def _versions() -> dict[str, str]:
    import rapidfuzz

    return {"matcher": __version__, "python": "%d.%d" % sys.version_info[:2], "numpy": np.__version__,
            "rapidfuzz": rapidfuzz.__version__, "joblib": joblib.__version__}


def _compatible(built: dict[str, str]) -> bool:
    now = _versions()
    major = lambda v: v.split(".")[0]  # noqa: E731
    return (built.get("matcher") == now["matcher"] and built.get("python") == now["python"]
            and major(built.get("numpy", "")) == major(now["numpy"]))


def paths_for(fp: str, directory: Path | None = None) -> tuple[Path, Path]:
    d = directory or index_dir()
    return d / f"index-{fp[:16]}.joblib", d / f"index-{fp[:16]}.json"


def read_index(fp: str, directory: Path | None = None) -> tuple[Index | None, str]:
    """The stored index for this fingerprint, or (None, why not)."""
    blob_path, manifest_path = paths_for(fp, directory)
    if not manifest_path.exists() or not blob_path.exists():
        return None, "no index built yet"
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        blob = blob_path.read_bytes()
    except (OSError, ValueError):
        return None, "index manifest unreadable"
    if manifest.get("format") != FORMAT_VERSION or manifest.get("fingerprint") != fp:
        return None, "index was built from other data"
    if not _compatible(manifest.get("versions", {})):
        return None, "index was built with other library versions"
    if hashlib.sha256(blob).hexdigest() != manifest.get("sha256"):
        return None, "index file does not match its manifest (corrupt or replaced)"
    try:
        index = joblib.load(io.BytesIO(blob))
    except Exception:  # noqa: BLE001 - any unpickling failure means: rebuild
        return None, "index file unreadable"
    if not isinstance(index, Index) or index.fingerprint != fp:
        return None, "index content does not match its manifest"
    return index, "ok"


def write_index(index: Index, directory: Path | None = None) -> Path:
    blob_path, manifest_path = paths_for(index.fingerprint, directory)
    buf = io.BytesIO()
    joblib.dump(index, buf, compress=3)
    blob = buf.getvalue()
    atomic_write_bytes(blob_path, blob)
    manifest = {"format": FORMAT_VERSION, "fingerprint": index.fingerprint, "sha256": hashlib.sha256(blob).hexdigest(),
                "versions": _versions(), "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "files": list(index.data.files), "competencies": len(index.comp_ids), "roles": len(index.role_ids),
                "courses": len(index.course_ids), "surface_forms": len(index.keys)}
    atomic_write_bytes(manifest_path, (json.dumps(manifest, indent=2) + "\n").encode())
    return blob_path


def _prune(directory: Path, keep: str) -> None:
    """Remove indexes of older data versions built from the same kind of source."""
    for path in directory.glob("index-*.*"):
        if not path.name.startswith(f"index-{keep[:16]}"):
            with contextlib.suppress(OSError):
                path.unlink()


def get_index(data_dir: Path | str | None = None, *, rebuild: bool = False,
              notify: Callable[[str], None] | None = None) -> Index:
    """Load the index for the current data, building (and persisting) it when needed."""
    files: list[SourceFile] = data_files(data_dir)
    fp = fingerprint(files)
    directory = index_dir()
    if not rebuild:
        index, why = read_index(fp, directory)
        if index is not None:
            return index
        if notify:
            notify(f"{why}; building it (a few seconds, once)")
    with file_lock(directory / ".build.lock"):
        if not rebuild:
            index, _ = read_index(fp, directory)  # another process may have built it meanwhile
            if index is not None:
                return index
        index = build_index(load(files=files), fp)
        try:
            write_index(index, directory)
            if data_dir is None:
                _prune(directory, fp)
        except OSError as exc:
            if notify:
                notify(f"could not save the index in {directory} ({exc.strerror}); using it in memory only")
    return index
