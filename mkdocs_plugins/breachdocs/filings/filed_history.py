"""The filings an incident has ever recorded with a SHA-256, as first recorded (from Git).

A filing entry with a ``sha256`` is identified by that hash, not by the fields
around it: the entry as it stood in the commit that first recorded the hash
(its jurisdiction, recipient, form and submission date) is what was filed. An
edit that changes those fields, or removes the entry, is caught by comparing
with this history.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import git
from ..records import load_yaml_text

#: The fields that say what a filing was; an edit may not change them without an amendment entry.
IDENTITY = ("jurisdiction", "recipient", "form", "submitted")


def recorded_filings(root: Path, paths: list[str]) -> dict[str, dict[str, dict[str, Any]]]:
    """Per incident path (relative to ``root``): {sha256: the filing entry as the commit that first recorded it had it}.

    Reads the commits (reachable from HEAD) that changed a ``sha256`` line of an incident, oldest first.
    Empty outside Git.
    """
    if not paths or not git.is_repo(root):
        return {}
    wanted = set(paths)
    log = git.run(root, "log", "--reverse", "--format=%x1e%H", "--name-only", "--relative", "-G", "sha256:",
                      "HEAD", "--", *sorted(wanted), check=False)
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for record in filter(None, log.split("\x1e")):
        commit, _, names = record.partition("\n")
        for name in (n.strip() for n in names.splitlines()):
            if name not in wanted:
                continue
            for entry in _filings_at(root, commit.strip(), name):
                found.setdefault(name, {}).setdefault(str(entry["sha256"]), entry)
    return found


def _filings_at(root: Path, commit: str, path: str) -> list[dict[str, Any]]:
    text = git.run(root, "show", f"{commit}:./{path}", check=False)
    if not text:
        return []
    data = load_yaml_text(text, path).data
    filings = data.get("filings") if isinstance(data, dict) else None
    if not isinstance(filings, list):
        return []
    return [{k: str(v) for k, v in f.items() if k in (*IDENTITY, "sha256", "kind")}
            for f in filings if isinstance(f, dict) and isinstance(f.get("sha256"), str)]
