"""Reading and writing files: text of unknown encoding in, whole files out, one writer at a time."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator


def atomic_write_bytes(path: Path, content: bytes, *, mode: int | None = None) -> None:
    """Write to a temporary file in the same directory, fsync, then rename over the target.

    The file gets `mode`, or the permissions a new file gets under the current umask (the
    temporary file alone would be private, 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode if mode is not None else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def decode_text(content: bytes) -> str:
    """Text from bytes of unknown encoding: UTF-16 by its BOM, else UTF-8 (with or without BOM),
    else cp1252 (German Windows and Excel), else latin-1, which decodes anything."""
    utf16 = content.startswith((b"\xff\xfe", b"\xfe\xff"))
    for encoding in ("utf-16",) if utf16 else ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive advisory lock on `path` (created if missing), released on exit.

    Serialises writers (index builds, overlay imports): the second waits, then sees the first's result.
    Best effort: where no lock file can be created (a read-only directory) it does not lock, and
    the caller's own write then fails with its own clear message.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: atomic rename alone keeps files whole
        yield
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(path, "a+b")  # noqa: SIM115 - closed below
    except OSError:
        yield
        return
    with fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


class NotReadable(Exception):
    """A path that is no regular file or pipe, or holds more than allowed; the caller words the error."""


def read_bounded(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file or a pipe, refusing more than `max_bytes`.

    Devices (`/dev/zero`), sockets and directories are refused without reading: they never end
    or are not files. A FIFO is opened without blocking, so one with no writer reads as empty
    instead of hanging; a pipe is read in bounded steps, so an endless one stops at the limit.
    """
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except IsADirectoryError:
        raise NotReadable("is a directory") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise NotReadable("is a directory")
        if not (stat.S_ISREG(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
            raise NotReadable("is not a regular file (a device or a socket)")
        if stat.S_ISREG(st.st_mode) and st.st_size > max_bytes:
            raise NotReadable(f"is {st.st_size:,} bytes, over the {max_bytes:,} byte limit")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # a pipe with a writer: wait for its data like any reader
        chunks: list[bytes] = []
        total = 0
        while block := os.read(fd, min(1 << 20, max_bytes + 1 - total)):
            chunks.append(block)
            total += len(block)
            if total > max_bytes:
                raise NotReadable(f"holds more than the {max_bytes:,} byte limit")
        return b"".join(chunks)
    finally:
        os.close(fd)
