"""Persist the index: where it lives, the manifest that vouches for it, load or rebuild.

Trust: the index is a joblib pickle and loading a pickle runs code. It is loaded only from
this installation's own index directory, only when a manifest written next to it by `build`
names its exact SHA-256, and only if the data fingerprint matches. Anything else (missing,
stale, corrupt, foreign) is rebuilt, with a one-line notice.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import re
import stat
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Callable

import joblib
import numpy as np

from .. import __version__
from ..errors import InputError
from ..fsutil import atomic_write_bytes, file_lock
from ..loader import load
from ..overlay import SourceFile, data_files, fingerprint
from .build import build_index
from .lookup import Index

FORMAT_VERSION = 13  # bumped when reading code changes what the index stores (13: labels without fillers)
ENV_INDEX_DIR = "MATCHER_INDEX_DIR"


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


# The modules whose code decides what the index holds (normalisation, stemming, vocabulary,
# the tables built from them): a change to any of them makes a stored index stale, as a change
# to the data does, even within one release.
_BUILD_MODULES = ("normalise.py", "vocab.py", "score.py", "index/build.py", "index/tfidf.py", "index/lookup.py")


@functools.lru_cache(maxsize=1)  # the sources do not change while the process runs
def _code_digest() -> str:
    package = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for name in _BUILD_MODULES:
        h.update(name.encode() + b"\0" + (package / name).read_bytes())
    return h.hexdigest()[:16]


def _versions() -> dict[str, str]:
    import rapidfuzz

    return {"matcher": __version__, "code": _code_digest(), "python": "%d.%d" % sys.version_info[:2],
            "numpy": np.__version__, "rapidfuzz": rapidfuzz.__version__, "joblib": joblib.__version__}


def _compatible(built: dict[str, str]) -> bool:
    now = _versions()
    major = lambda v: v.split(".")[0]  # noqa: E731
    return (built.get("matcher") == now["matcher"] and built.get("code") == now["code"]
            and built.get("python") == now["python"]
            and major(built.get("numpy", "")) == major(now["numpy"]))


def paths_for(fp: str, directory: Path | None = None) -> tuple[Path, Path]:
    d = directory or index_dir()
    return d / f"index-{fp[:16]}.joblib", d / f"index-{fp[:16]}.json"


def read_index(fp: str, directory: Path | None = None) -> tuple[Index | None, str]:
    """The stored index for this fingerprint, or (None, why not)."""
    blob_path, manifest_path = paths_for(fp, directory)
    if not manifest_path.exists() or not blob_path.exists():
        return None, "no index built yet"
    for path in (blob_path.parent, manifest_path, blob_path):
        check_trusted(path)
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
    atomic_write_bytes(blob_path, blob, mode=0o644)  # readable by all: a shared, prebuilt index
    manifest = {"format": FORMAT_VERSION, "fingerprint": index.fingerprint, "sha256": hashlib.sha256(blob).hexdigest(),
                "versions": _versions(), "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "files": list(index.data.files), "competencies": len(index.comp_ids), "roles": len(index.role_ids),
                "courses": len(index.course_ids), "surface_forms": len(index.keys)}
    atomic_write_bytes(manifest_path, (json.dumps(manifest, indent=2) + "\n").encode(), mode=0o644)
    return blob_path


KEEP_INDEXES = 8  # index pairs kept in the directory: the current one and the most recently built others
_INDEX_FILE = re.compile(r"\Aindex-([0-9a-f]{16})\.(?:joblib|json)\Z")


def _prune(directory: Path, keep: str) -> None:
    """Remove this matcher's own indexes of older data (bundled or any overlay), newest kept.

    Only files named like an index (`index-<16 hex>.joblib|json`) are candidates, so a shared
    MATCHER_INDEX_DIR loses nothing else."""
    groups: dict[str, list[Path]] = {}
    for path in directory.iterdir():
        m = _INDEX_FILE.match(path.name)
        if m and m.group(1) != keep[:16] and path.is_file() and not path.is_symlink():
            groups.setdefault(m.group(1), []).append(path)
    by_age = sorted(groups.values(), key=lambda paths: max(p.stat().st_mtime for p in paths), reverse=True)
    for paths in by_age[KEEP_INDEXES - 1:]:
        for path in paths:
            with contextlib.suppress(OSError):
                path.unlink()


def check_trusted(path: Path) -> None:
    """Refuse an index location that someone else could have written to.

    Loading the index unpickles it, and unpickling runs code: a pickle planted by another
    account would run as whoever loads it. The directory and the files must belong to the
    current user (or root) and be writable by nobody else, and the files must not be links."""
    if os.name != "posix" or not path.exists():
        return
    st = os.lstat(path)
    problem = None
    if stat.S_ISLNK(st.st_mode):
        problem = "is a symbolic link"
    elif st.st_uid not in (os.getuid(), 0):
        problem = f"belongs to another user (uid {st.st_uid})"
    elif st.st_mode & 0o022:
        problem = f"can be written by other users (mode {stat.S_IMODE(st.st_mode):o})"
    if problem:
        raise InputError(f"refusing to load the index: {path} {problem}, so loading it could run someone else's code",
                         fix=f"make it yours and private (chmod go-w), or set {ENV_INDEX_DIR} to a directory only "
                             "you can write")


def get_index(data_dir: Path | str | None = None, *, rebuild: bool = False,
              notify: Callable[[str], None] | None = None) -> Index:
    """Load the index for the current data, building (and persisting) it when needed."""
    files: list[SourceFile] = data_files(data_dir)
    fp = fingerprint(files)
    directory = index_dir()
    check_trusted(directory)
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
            _prune(directory, fp)
        except OSError as exc:
            if notify:
                notify(f"could not save the index in {directory} ({exc.strerror}); using it in memory only")
    return index
