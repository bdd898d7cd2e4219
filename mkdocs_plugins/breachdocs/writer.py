"""The one writer for every output file: temporary file, then rename.

Nothing is ever half-written: a reader sees the old file or the new one.
Callers pass bytes that are already deterministic (fixed metadata, no
timestamps); :func:`source_date` gives the one timestamp a reproducible
build may use (``SOURCE_DATE_EPOCH``).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from .hashing import sha256_bytes


def write_atomic(path: Path, data: bytes | str, *, mode: int = 0o644, fsync: bool = True) -> str:
    """Write ``data`` to ``path`` atomically with permissions ``mode``; return its SHA-256.

    ``fsync=False`` skips the flush to disk (still atomic): for bulk output such as a mail
    merge, which syncs once at the end instead of once per file.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _beside(path, payload, mode, fsync)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return sha256_bytes(payload)


def _beside(path: Path, payload: bytes, mode: int, fsync: bool) -> str:
    """``payload`` written to a new temporary file beside ``path``; that file's name. A failed write
    removes it."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            if fsync:
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


class Staged:
    """Files that land together: :meth:`write` puts each beside its target under a temporary name,
    :meth:`commit` renames them all into place, :meth:`abort` removes them (and the folders it made).
    A write that fails half-way (a full disk) leaves the targets as they were."""

    def __init__(self) -> None:
        self._pending: list[tuple[str, Path]] = []
        self._made: list[Path] = []

    def write(self, path: Path, data: bytes | str, *, mode: int = 0o644, fsync: bool = True) -> str:
        payload = data.encode("utf-8") if isinstance(data, str) else data
        missing = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
        path.parent.mkdir(parents=True, exist_ok=True)
        self._made.extend(reversed(missing))
        self._pending.append((_beside(path, payload, mode, fsync), path))
        return sha256_bytes(payload)

    def commit(self) -> None:
        for tmp, path in self._pending:
            os.replace(tmp, path)
        self._pending.clear()
        self._made.clear()

    def abort(self) -> None:
        for tmp, _ in self._pending:
            Path(tmp).unlink(missing_ok=True)
        for folder in reversed(self._made):
            try:
                folder.rmdir()
            except OSError:
                pass
        self._pending.clear()
        self._made.clear()


def source_date() -> dt.datetime:
    """The build's timestamp: ``SOURCE_DATE_EPOCH`` if set, else 2000-01-01 UTC (never the clock)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch and epoch.isdigit() else 946_684_800
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
