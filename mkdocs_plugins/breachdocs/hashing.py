"""SHA-256 of bytes, files and folders, and the token that names our own code in caches.

Filings are identified by the SHA-256 of their bytes; caches are keyed by the
hash of what made them. One recipe for each: a folder's digest covers the
names and bytes of every file under it, and :func:`code_token` is the digest
of the breachdocs sources that shape an output, so editing them makes every
cached output stale.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

#: The package's own folder: ``code_token`` names parts of it relative to here.
PACKAGE = Path(__file__).resolve().parent
#: Files of ours that shape outputs: code, schemas, packaged data, templates.
CODE_SUFFIXES = frozenset({".py", ".json", ".yaml", ".j2"})


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def user_cache_dir(root: Path) -> Path:
    """A project's folder in the user's cache folder (``$XDG_CACHE_HOME/breachdocs/<hash of its path>``),
    outside the repository: a fresh clone never brings one. An ``XDG_CACHE_HOME`` that is relative (the XDG
    specification calls it invalid) or that leads into the project (where the cache would be published with the
    pages, or a cache committed to the repository read as the machine's own) is ignored for ``~/.cache``. The path
    has its links resolved: a link found under it later is not of the user's making (the caches then keep nothing)."""
    project = root.resolve()
    name = sha256_bytes(str(project).encode())[:16]
    given = Path(os.environ.get("XDG_CACHE_HOME") or "")
    if given.is_absolute():
        folder = (given.resolve() / "breachdocs" / name)
        if not folder.is_relative_to(project):
            return folder
    return (Path.home() / ".cache").resolve() / "breachdocs" / name


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tree_digest(folder: Path) -> str:
    """SHA-256 over the names (relative, POSIX) and bytes of every file under ``folder`` ('' lines when none);
    of a link, its name and where it points (its target is not read)."""
    lines = []
    if folder.is_dir():
        for file in sorted(folder.rglob("*")):
            if file.is_symlink():  # where it leads, never what (a link may lead out of the project)
                lines.append(f"{file.relative_to(folder).as_posix()} -> {os.readlink(file)}")
            elif file.is_file():
                lines.append(f"{file.relative_to(folder).as_posix()} {sha256_file(file)}")
    return sha256_bytes("\n".join(lines).encode())


@functools.lru_cache(maxsize=64)
def code_token(*parts: str) -> str:
    """The digest of our sources under ``parts`` (package-relative folders or files, e.g. ``"forms"``,
    ``"filings/stamp.py"``): their names and bytes. It changes whenever code that shapes an output does
    (read once per process: code does not change under a running process)."""
    digest = hashlib.sha256()
    for part in parts:
        base = PACKAGE / part
        files = sorted(base.rglob("*")) if base.is_dir() else [base]
        for file in files:
            if file.is_file() and file.suffix in CODE_SUFFIXES:
                digest.update(file.relative_to(PACKAGE).as_posix().encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()
