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

import os
import shutil
import tempfile
from collections.abc import Callable
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


def releases_dir(dest: Path) -> Path:
    return dest.parent / f".{dest.name}.releases"


def switch_atomically(dest: Path, build: Callable[[Path], None], *, keep: int = 2) -> Path:
    """Run ``build(folder)`` on a fresh folder; if it returns, make ``dest`` point at it. Returns the release."""
    dest = dest.absolute()
    releases = releases_dir(dest)
    releases.mkdir(parents=True, exist_ok=True)
    for leftover in releases.glob(f"*{PARTIAL}"):  # from an interrupted run
        shutil.rmtree(leftover, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix="build-", suffix=PARTIAL, dir=releases))
    try:
        build(work)
        release = releases / tree_digest(work)[:16]
        if release.exists():
            shutil.rmtree(work)  # this very content is already a release (a re-run of the same commit)
        else:
            os.rename(work, release)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    _point(dest, release)
    _prune(releases, release, keep)
    return release


def _point(dest: Path, release: Path) -> None:
    """Make ``dest`` a symlink to ``release`` with one atomic rename."""
    if dest.exists() and not dest.is_symlink():
        # First publish over a plain folder: keep it as an earlier release, then link.
        os.rename(dest, releases_dir(dest) / f"previous-{tree_digest(dest)[:16]}")
    link = dest.parent / f".{dest.name}.link-tmp"
    link.unlink(missing_ok=True)
    os.symlink(os.path.relpath(release, dest.parent), link)
    os.replace(link, dest)


def _prune(releases: Path, current: Path, keep: int) -> None:
    others = sorted((p for p in releases.iterdir() if p.is_dir() and p != current and not p.name.endswith(PARTIAL)),
                    key=lambda p: p.stat().st_mtime, reverse=True)
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
