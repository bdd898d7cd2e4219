"""A new content repository: what ``breachdocs init`` writes.

A company keeps its incidents in a repository of its own; breachdocs brings the rule
base, the templates and the site's theme (:mod:`breachdocs.resources`). The new
repository holds ``incidents/`` (the organisation profile and one fictional example),
``mkdocs.yml``, ``site_src/``, the GitHub workflows, ``CODEOWNERS`` and the pull-request
template, ``.pre-commit-config.yaml``, ``.gitignore``, ``requirements.txt`` (the
breachdocs it is built with) and ``schemas/``: copies of the editor schemas, so the
line ``# yaml-language-server: $schema=../schemas/incident.schema.json`` works there.

Nothing existing is overwritten: :func:`scaffold` writes no file unless none of them
exists yet. :func:`update_schemas` rewrites only the schema copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..resources import EDITOR_SCHEMAS, SCHEMAS_DIR, editor_schema, packaged_dir
from ..writer import write_atomic

FILES = Path(__file__).resolve().parent / "files"
#: Files kept under another name in the package (dot files would be taken for this repository's own).
RENAMED = {"gitignore": ".gitignore", "pre-commit-config.yaml": ".pre-commit-config.yaml"}


class ScaffoldError(Exception):
    """The repository cannot be written; the message says why and what to do."""


@dataclass(frozen=True)
class Planned:
    """One file of the new repository: where it goes (relative, POSIX) and its bytes."""

    path: str
    data: bytes


def planned_files() -> list[Planned]:
    """Every file of a new repository, in the order written."""
    files: list[Planned] = []
    for source in sorted(p for p in FILES.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        relative = source.relative_to(FILES).as_posix()
        data = source.read_bytes()
        if relative == "requirements.txt":
            data = data.replace(b"{version}", __version__.encode())
        files.append(Planned(RENAMED.get(relative, relative), data))
    github = packaged_dir("github")
    if github is None:
        raise ScaffoldError("this breachdocs has no GitHub files to copy (its package data is missing); "
                            "reinstall breachdocs")
    for source in sorted(p for p in github.rglob("*") if p.is_file()):
        files.append(Planned(f".github/{source.relative_to(github).as_posix()}", source.read_bytes()))
    files += schema_files()
    return files


def schema_files() -> list[Planned]:
    """The editor schemas of this breachdocs, as ``schemas/<name>``."""
    return [Planned(f"{SCHEMAS_DIR}/{name}", editor_schema(name).read_bytes()) for name in EDITOR_SCHEMAS]


def scaffold(target: Path) -> list[str]:
    """Write a new content repository into ``target`` (created when missing); the paths written.

    Raises :class:`ScaffoldError`, writing nothing, when any of its files exists already.
    """
    files = planned_files()
    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target} is a file, not a folder; name a new or existing folder")
    existing = [f.path for f in files if (target / f.path).exists() or (target / f.path).is_symlink()]
    if existing:
        listed = ", ".join(existing[:5]) + (f" and {len(existing) - 5} more" if len(existing) > 5 else "")
        raise ScaffoldError(f"{target}: {listed} already exist(s); breachdocs init never overwrites a file: "
                            "move them away or choose a new folder (to refresh only the schemas: "
                            "breachdocs init --update-schemas)")
    return _write(target, files)


def update_schemas(target: Path) -> list[str]:
    """Rewrite the copies of the editor schemas in ``target/schemas/`` with this breachdocs' schemas."""
    if not target.is_dir():
        raise ScaffoldError(f"{target} is not a folder; name the content repository's folder")
    return _write(target, schema_files())


def _write(target: Path, files: list[Planned]) -> list[str]:
    for planned in files:
        path = target / planned.path
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, planned.data)
    return [f.path for f in files]
