"""Atomic publishing: build into a fresh folder, then switch the published path to it.

``DEST`` is a symbolic link to ``.<DEST>.releases/<digest>/`` beside it. A
publish builds into ``.<DEST>.releases/<random>.partial/``; only when the whole
build has succeeded is that folder renamed to its content digest and ``DEST``
switched with one ``rename(2)`` of a new link over the old one. So:

- a failed build publishes nothing and leaves ``DEST`` as it was;
- a reader (a web server, an upload step) sees the old tree or the new one, never a mix;
- a publish interrupted half-way leaves only a ``.partial`` folder, removed by
  the next run, which simply builds again;
- the same content builds to the same digest (reproducible builds), so a
  re-run of the same commit reuses its release.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from ..filings.bundle import FilingsResult, build_filings
from ..filings.documents import FilingRenderer
from ..filings.signing import SigningKey
from ..findings import FindingsError, has_errors
from ..hashing import tree_digest
from ..project import Project
from ..project_check import check

PARTIAL = ".partial"
#: Builds a project's site into a folder (the CLI hands in the MkDocs build).
SiteBuilder = Callable[[Project, Path], None]


#: The file that marks a releases folder as made by ``breachdocs publish``.
MARKER = ".breachdocs-publish"


class PublishError(Exception):
    """Publishing refused: the message says why and what to do."""


def releases_dir(dest: Path) -> Path:
    return dest.parent / f".{dest.name}.releases"


def lock_file(dest: Path) -> Path:
    return dest.parent / f".{dest.name}.lock"


def check_destination(dest: Path) -> None:
    """Raise :class:`PublishError` unless ``dest`` is new or a link breachdocs made to one of its releases."""
    releases = releases_dir(dest)
    ours = (releases / MARKER).is_file() and not releases.is_symlink()
    if dest.is_symlink():
        target = Path(os.path.normpath(dest.parent / os.readlink(dest)))
        if ours and target.parent == releases:
            return
        raise PublishError(f"{dest} is a link that breachdocs publish did not make; publish to a new path "
                           "(--dest), or remove the link yourself")
    if dest.exists() or os.path.lexists(dest):
        raise PublishError(f"{dest} already exists and was not made by breachdocs publish; breachdocs never "
                           "replaces what it did not create: publish to a new path (--dest), or move it away yourself")
    if releases.exists() and not ours:
        raise PublishError(f"{releases} exists and was not made by breachdocs publish; publish to another path "
                           "(--dest), or move it away yourself")


@contextlib.contextmanager
def publishing_lock(dest: Path) -> Iterator[None]:
    """Hold the lock of ``dest``: a second publish to the same place refuses instead of racing this one."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_file(dest), os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishError(f"another breachdocs publish to {dest} is running; wait for it to finish, "
                               "then publish again") from None
        yield
    finally:
        os.close(fd)


def readable(folder: Path) -> None:
    """Folders 0755 and files 0644 under ``folder`` (a release breachdocs made): a web server running
    as another user can read them."""
    os.chmod(folder, 0o755)
    for path in folder.rglob("*"):
        if not path.is_symlink():
            os.chmod(path, 0o755 if path.is_dir() else 0o644)


def switch_atomically(dest: Path, build: Callable[[Path], None], *, keep: int = 2) -> Path:
    """Run ``build(folder)`` on a fresh folder; if it returns, make ``dest`` point at it. Returns the release.

    Refuses (:class:`PublishError`) a ``dest`` breachdocs did not make, and a second publish to the same
    ``dest`` while one runs."""
    dest = dest.absolute()
    check_destination(dest)
    with publishing_lock(dest):
        check_destination(dest)
        releases = releases_dir(dest)
        releases.mkdir(parents=True, exist_ok=True)
        os.chmod(releases, 0o755)
        if not (releases / MARKER).is_file():
            (releases / MARKER).write_text("Releases of breachdocs publish; the link beside it points at one.\n",
                                           encoding="utf-8")
        for leftover in releases.glob(f"*{PARTIAL}"):  # from an interrupted run (none is running: we hold the lock)
            shutil.rmtree(leftover, ignore_errors=True)
        work = Path(tempfile.mkdtemp(prefix="build-", suffix=PARTIAL, dir=releases))
        try:
            build(work)
            readable(work)
            digest = tree_digest(work)[:16]
            release = releases / digest
            if release.is_dir() and not release.is_symlink() and tree_digest(release)[:16] == digest:
                shutil.rmtree(work)  # this very content is already a release (a re-run of the same commit)
            else:
                if release.exists() or release.is_symlink():  # not what its name says: replaced
                    shutil.rmtree(release, ignore_errors=True)
                os.rename(work, release)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        _point(dest, release)
        _prune(releases, release, keep)
    return release


def _point(dest: Path, release: Path) -> None:
    """Make ``dest`` a symlink to ``release`` with one atomic rename."""
    link = dest.parent / f".{dest.name}.link-tmp"
    if link.is_symlink():
        link.unlink()
    os.symlink(os.path.relpath(release, dest.parent), link)
    os.replace(link, dest)


def _prune(releases: Path, current: Path, keep: int) -> None:
    others = sorted((p for p in releases.iterdir() if p.is_dir() and not p.is_symlink() and p != current
                     and not p.name.endswith(PARTIAL)), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[keep:]:
        shutil.rmtree(old, ignore_errors=True)


def build_release(
    project: Project, dest: Path, *, site_builder: SiteBuilder | None = None, keep: int = 2,
    renderer: FilingRenderer | None = None, report: Callable[[FilingsResult], None] | None = None,
    signing: SigningKey | None = None,
) -> Path:
    """Validate, build the site (with ``site_builder``, when given) and the filings bundle; publish atomically.

    Raises :class:`FindingsError` (publishing nothing) when the incidents have errors; whatever
    ``site_builder`` raises also publishes nothing.
    """
    check_destination(dest.absolute())
    incidents, findings = check(project)
    if has_errors(findings):
        raise FindingsError(findings)

    def build(folder: Path) -> None:
        if site_builder is not None:
            site_builder(project, folder)
        result = build_filings(project, incidents, folder, renderer=renderer, signing=signing)
        if report is not None:
            report(result)

    return switch_atomically(dest, build, keep=keep)
