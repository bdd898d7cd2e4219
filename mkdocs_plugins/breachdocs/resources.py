"""breachdocs' own data, and a project's files layered over it.

breachdocs ships a rule base (``jurisdictions/``, with ``submissions/``), default
templates (``templates/``: letters, forms, site pages and theme) and site assets
(``assets/``), and the GitHub files of a content repository (``github/``). In an installed wheel they are package data under
``breachdocs/_data/``; in a source checkout (an editable install) they are the
checkout's top-level folders ``jurisdictions/``, ``templates/`` and
``site_src/assets/``.

A project's own folders come first: a project file overrides the packaged file of
the same name (a form folder, the form of the same id), and any other project file
extends them. :func:`layers` gives the folders in that order; every reader of rule
files, templates and assets asks it where to look.

The environment variable ``BREACHDOCS_DATA`` names another data folder (laid out as
``_data/``); set to the empty string, a project sees only its own files.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .findings import Finding

#: The data kinds and where a source checkout keeps each (relative to the checkout).
KINDS = {"jurisdictions": "jurisdictions", "templates": "templates", "assets": "site_src/assets",
         # the repository files a new content repository starts with (workflows, CODEOWNERS, PR template)
         "github": ".github"}
#: The package folder a wheel carries them in (``breachdocs/_data/<kind>``).
DATA_PACKAGE_DIR = "_data"
ENVIRONMENT = "BREACHDOCS_DATA"
#: How findings and pages name a packaged file: ``breachdocs:jurisdictions/us-nc.yaml``.
PACKAGED_PREFIX = "breachdocs:"

#: The JSON Schemas editors check a project's files with, by the name a project keeps its copy under
#: (``schemas/<name>``, named on each file's first line), and where breachdocs keeps each.
EDITOR_SCHEMAS = {
    "incident.schema.json": "records/incident.schema.json",
    "organization.schema.json": "records/organization.schema.json",
    "jurisdiction.schema.json": "law/jurisdiction.schema.json",
}
#: The project folder holding the copies.
SCHEMAS_DIR = "schemas"
#: The command that refreshes them.
UPDATE_SCHEMAS = "breachdocs init --update-schemas"

_PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=8)
def _checkout_or_data(setting: str | None) -> tuple[Path, bool] | None:
    if setting is not None:
        return (Path(setting).resolve(), False) if setting else None
    data = _PACKAGE / DATA_PACKAGE_DIR
    if data.is_dir():
        return data, False
    checkout = _PACKAGE.parent.parent  # mkdocs_plugins/breachdocs -> the checkout
    if (checkout / "pyproject.toml").is_file() and (checkout / "jurisdictions").is_dir():
        return checkout, True
    return None


def packaged_dir(kind: str, *parts: str) -> Path | None:
    """The packaged folder of ``kind`` (``jurisdictions``, ``templates`` or ``assets``), or a folder
    under it (``packaged_dir("templates", "letters")``); None when there is none."""
    found = _checkout_or_data(os.environ.get(ENVIRONMENT))
    if found is None:
        return None
    base, checkout = found
    folder = base.joinpath(KINDS[kind] if checkout else kind, *parts)
    return folder if folder.is_dir() else None


def layers(own: Path, kind: str, *parts: str) -> list[Path]:
    """The folders to read ``kind`` from, the project's own first: ``own/parts`` (``own`` is the
    project's folder of that kind, e.g. ``project.templates_dir``) and the packaged one; each
    once, only those that exist."""
    folders: list[Path] = []
    for folder in (own.joinpath(*parts), packaged_dir(kind, *parts)):
        if folder is not None and folder.is_dir() and folder.resolve() not in {f.resolve() for f in folders}:
            folders.append(folder)
    return folders


def layered_files(own: Path, kind: str, *parts: str, pattern: str = "*") -> dict[str, Path]:
    """Every entry matching ``pattern`` in :func:`layers`, by name: the project's own wins."""
    found: dict[str, Path] = {}
    for folder in layers(own, kind, *parts):
        for path in sorted(folder.glob(pattern)):
            found.setdefault(path.name, path)
    return dict(sorted(found.items()))


def is_packaged(path: Path, own: Path | None = None) -> bool:
    """Whether ``path`` is one of breachdocs' packaged files (and not a file of the project folder
    ``own``, in a source checkout where the two are the same)."""
    real = path.resolve()
    if own is not None and real.is_relative_to(own.resolve()):
        return False
    return any(real.is_relative_to(folder.resolve()) for folder in _packaged_dirs())


def _packaged_dirs() -> Iterable[Path]:
    for kind in KINDS:
        folder = packaged_dir(kind)
        if folder is not None:
            yield folder


def packaged_name(path: Path) -> str | None:
    """``path`` named as breachdocs ships it (``breachdocs:jurisdictions/us-nc.yaml``), when it is packaged."""
    real = path.resolve()
    for kind in KINDS:
        folder = packaged_dir(kind)
        if folder is not None and real.is_relative_to(folder.resolve()):
            return f"{PACKAGED_PREFIX}{kind}/{real.relative_to(folder.resolve()).as_posix()}"
    return None


def own_file_note(display: str, own: Path, kind: str) -> str:
    """What a project's own file does to breachdocs' packaged ones: ``"replaces"`` (a packaged file of
    the same name), ``"adds"`` (none), or ``""`` for a packaged file itself (and in a source checkout
    of breachdocs, where the project's files are the packaged ones). ``display`` is the file as
    :func:`breachdocs.project.relative` names it, ``own`` the project's folder of ``kind``."""
    packaged = packaged_dir(kind)
    if display.startswith(PACKAGED_PREFIX) or packaged is None or (own.is_dir() and own.samefile(packaged)):
        return ""
    return "replaces" if (packaged / Path(display).name).is_file() else "adds"


def editor_schema(name: str) -> Path:
    """breachdocs' own file of the editor schema ``name`` (a key of :data:`EDITOR_SCHEMAS`)."""
    return _PACKAGE / EDITOR_SCHEMAS[name]


def schema_copy_findings(root: Path) -> list[Finding]:
    """A warning for each copy in ``root/schemas/`` that differs from this breachdocs' schema (the editor
    would check files against an older or newer schema than ``validate``), or that is missing."""
    folder = root / SCHEMAS_DIR
    if not folder.is_dir():
        return []
    findings = []
    for name in EDITOR_SCHEMAS:
        copy = folder / name
        if not copy.is_file():
            problem = "is missing, so editors cannot check the files that name it"
        elif copy.read_bytes() != editor_schema(name).read_bytes():
            problem = "differs from the schema of this breachdocs, so editors check the files differently from validate"
        else:
            continue
        findings.append(Finding(f"{SCHEMAS_DIR}/{name}", 0, 0, "", f"the editor schema {problem}; "
                                f"refresh the copies with `{UPDATE_SCHEMAS}` and commit them", "warning"))
    return findings
