"""Persist the index: where it lives, the manifest that vouches for it, load or rebuild.

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
from importlib import resources
from pathlib import Path
from typing import Callable

import joblib
import numpy as np

from .. import __version__
from ..fsutil import atomic_write_bytes, file_lock
from ..loader import load
from ..overlay import SourceFile, data_files, fingerprint
from .build import build_index
from .lookup import Index

FORMAT_VERSION = 2
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
