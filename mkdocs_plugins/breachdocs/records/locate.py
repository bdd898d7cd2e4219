"""Finding an incident from what a person typed: its id or the path of its file.

Every command that takes an incident goes through :func:`locate_incident`, so
``2007-08-10-massmutual-misdirected-email`` and
``incidents/2007-08-10-massmutual-misdirected-email.yaml`` name the same
incident everywhere, and a mistyped id gets the same located, actionable
message ("did you mean ...?").
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

from ..project import Project
from .incident import is_incident_file


class UnknownIncident(LookupError):
    """Nothing matches what was typed; ``str()`` is the message to show."""


def incident_ids(project: Project) -> list[str]:
    """The ids of the incidents in ``incidents/`` (their file names without ``.yaml``), sorted."""
    folder = project.incidents_dir
    if not folder.is_dir():
        return []
    return sorted(f.stem for f in folder.glob("*.yaml") if is_incident_file(f) and f.is_file())


def locate_incident(project: Project, ref: str) -> Path:
    """The file of the incident ``ref`` names: an existing file as given, else ``incidents/REF.yaml``.

    Raises :class:`UnknownIncident` saying where it looked and what the closest ids are.
    """
    given = Path(ref)
    if given.is_file():
        return given
    if given.is_dir():
        raise UnknownIncident(f"'{ref}' is a folder; name one incident: its id or its file")
    by_id = project.incidents_dir / f"{_as_id(ref)}.yaml"
    if _plain(ref) and by_id.is_file():
        return by_id
    raise UnknownIncident(_unknown(project, ref))


def locate_targets(project: Project, refs: Iterable[str]) -> list[Path]:
    """What ``validate`` checks: each ref an incident id, a file or a folder (as given, when it exists)."""
    targets = []
    for ref in refs:
        given = Path(ref)
        if given.exists():
            targets.append(given)
            continue
        by_id = project.incidents_dir / f"{_as_id(ref)}.yaml"
        if not (_plain(ref) and by_id.is_file()):
            raise UnknownIncident(_unknown(project, ref, folders=True))
        targets.append(by_id)
    return targets


def _as_id(ref: str) -> str:
    return ref.removesuffix(".yaml")


def _plain(ref: str) -> bool:
    """Whether ``ref`` can be an id: a bare name, no folder."""
    return bool(ref) and "/" not in ref and "\\" not in ref and ref not in (".", "..")


def _unknown(project: Project, ref: str, *, folders: bool = False) -> str:
    folder = project.relative(project.incidents_dir) + "/"
    ids = incident_ids(project)
    wanted = Path(_as_id(ref)).name
    close = difflib.get_close_matches(wanted, ids, n=3, cutoff=0.6)
    if not close:  # ids start with a date: try the words after it too
        close = [i for i in ids if wanted and wanted in i][:3]
    message = f"no incident '{ref}' in {folder}" if _plain(ref) else f"no such file or folder: {ref}"
    if close:
        return message + "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    what = "its id or its file, or a folder" if folders else "its id or its file"
    if not ids:
        return f"{message}; {folder} holds no incident yet (name an incident by {what})"
    shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
    return f"{message}; {folder} holds {shown} (name an incident by {what})"
