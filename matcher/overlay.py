"""Where data files live: the bundled folders and the user's overlay, in one layout.

The overlay (`--data-dir DIR` or `MATCHER_DATA_DIR`) mirrors the bundled layout and is layered
on top. This module is the only place that knows the folder of each group (competencies in
`taxonomy/`, courses in `profiles/`, roles in `profiles/roles/`); the loader reads through it
and `import-bis` writes through it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable

from .errors import DataError
from .fsutil import NotReadable, read_bounded
from .limits import MAX_DATA_FILE_BYTES

ENV_DATA_DIR = "MATCHER_DATA_DIR"
# group -> folder, in the order files are read and written: each group refers only to the
# groups before it (roles name competencies and courses, courses name competencies).
LAYOUT = {"taxonomy": "taxonomy", "courses": "profiles", "roles": "profiles/roles"}
_PACKAGES = {"taxonomy": "matcher.taxonomy", "courses": "matcher.profiles", "roles": "matcher.profiles"}


def overlay_path(root: Path, group: str, name: str) -> Path:
    """The overlay file `name` (e.g. `key-account-manager.yaml`) of a group."""
    return root / LAYOUT[group] / name


def group_of(path: Path) -> str:
    """The group of an overlay file, from its folder."""
    return "roles" if path.parent.name == "roles" else "taxonomy" if path.parent.name == "taxonomy" else "courses"


@dataclass(frozen=True)
class SourceFile:
    """One data file: a display name for messages, and its bytes."""

    name: str
    layer: str  # "bundled" | "overlay"
    group: str  # "taxonomy" | "roles" | "courses"
    content: bytes


def data_files(data_dir: Path | str | None = None) -> list[SourceFile]:
    """Every data file, bundled first then overlay, each group sorted by name for determinism."""
    files: list[SourceFile] = []
    for group, sub in LAYOUT.items():
        folder = resources.files(_PACKAGES[group])
        if group == "roles":
            folder = folder.joinpath("roles")
        for entry in sorted((p for p in folder.iterdir() if p.name.endswith(".yaml")), key=lambda p: p.name):
            files.append(SourceFile(f"<bundled>/{sub}/{entry.name}", "bundled", group, entry.read_bytes()))
    if data_dir is not None:
        root = Path(data_dir)
        if not root.is_dir():
            raise DataError([f"{root}: the data directory does not exist or is not a directory. "
                             f"Fix: create it, or point --data-dir / {ENV_DATA_DIR} at an existing directory."])
        for group, sub in LAYOUT.items():
            folder = root / sub
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.yaml")):
                if path.name.startswith("."):
                    continue  # temporary files of an interrupted write
                try:
                    content = read_bounded(path, MAX_DATA_FILE_BYTES)
                except NotReadable as exc:
                    raise DataError([f"{path} {exc}. Fix: an overlay file is a YAML text file of at most "
                                     f"{MAX_DATA_FILE_BYTES:,} bytes; replace or remove it."]) from None
                except OSError as exc:
                    raise DataError([f"{path}: cannot read ({exc.strerror}). Fix: check its permissions."]) from None
                files.append(SourceFile(str(path), "overlay", group, content))
    return files


def fingerprint(files: Iterable[SourceFile]) -> str:
    """Hash of every data file's name and content: the index is stale when this changes."""
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode() + b"\0" + hashlib.sha256(f.content).digest())
    return h.hexdigest()
