"""The document exactly as filed, after an amendment changed what the incident renders today.

While a recorded filing is untouched, today's rendering *is* the document as
filed (the binding-record check guarantees it). Once an amendment is recorded,
today's rendering is the amended document; the original is recovered from Git:
the commits where the incident's ``sha256`` line appeared are exported, the
incident rendered as it stood there, and the document whose SHA-256 equals the
recorded one is published beside the current ones as
``<form>-filed-<sha12>.pdf``. If no revision reproduces it (the form engine
changed since), nothing is published for it and the caller is told.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .. import git
from ..hashing import sha256_bytes
from ..project import Project
from ..records import Incident, load_incidents
from .documents import FilingDocument


def missing_filed(incident: Incident, documents: list[FilingDocument]) -> list[dict[str, Any]]:
    """Recorded filings (with form and sha256) whose document is not among today's ``documents``."""
    present = {sha256_bytes(d.data) for d in documents}
    return [f for f in incident.filings if f.get("sha256") and f.get("form") and f["sha256"] not in present]


def recorded_revisions(project: Project, incident: Incident, sha256: str) -> Iterator[tuple[Project, Incident]]:
    """The project and incident as they stood in each commit that added or removed ``sha256`` (oldest first).

    Each revision is exported into a temporary folder that lives until the caller asks for the next one.
    """
    root = project.root
    if not git.is_repo(root):
        return
    commits = git.run(root, "log", "--format=%H", "-S", sha256, "--", incident.path, check=False)
    prefix = git.run(root, "rev-parse", "--show-prefix", check=False)
    for commit in reversed(commits.split()):  # oldest first: where the hash was recorded
        with tempfile.TemporaryDirectory(prefix="breachdocs-filed-") as tmp:
            git.export_tree(root, commit, Path(tmp))
            then = Project(Path(tmp) / prefix if prefix else Path(tmp))
            found, _ = load_incidents([then.root / incident.path], root=then.root)
            for old in found:
                if any(f.get("sha256") == sha256 for f in old.filings):
                    yield then, old


def recover(
    project: Project, incident: Incident, filing: dict[str, Any],
    render: Callable[[Project, Incident], list[FilingDocument]],
) -> FilingDocument | None:
    """The filed document of ``filing`` rendered from the revision that recorded it, or None.

    ``render(project, incident)`` renders an incident of an exported revision (the
    caller's cached renderer).
    """
    for then, old in recorded_revisions(project, incident, filing["sha256"]):
        for doc in render(then, old):
            if doc.form == filing["form"] and sha256_bytes(doc.data) == filing["sha256"]:
                return FilingDocument(incident.id, doc.form, f"filed-{filing['sha256'][:12]}",
                                      filing["jurisdiction"], filing["recipient"], doc.data)
    return None
