"""Approvals read from the review API, kept by commit in the user's cache folder (never in the repository).

A merged commit's pull request and reviews do not change, so what the API said
of a commit is kept and a rebuild asks only about commits it has not judged. An
entry names what it answers (API address, repository, commit, file) and is used
only when that is the question asked; an unreadable or mismatched entry is
asked again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..hashing import sha256_bytes, user_cache_dir
from ..writer import write_atomic
from .github import GitHub
from .model import Approval


@dataclass(frozen=True)
class SavedApprovals:
    folder: Path
    api: str
    repository: str

    @classmethod
    def of(cls, root: Path, github: GitHub | None) -> SavedApprovals | None:
        """The saved approvals of the project at ``root`` for ``github`` (None: no API, nothing to save)."""
        if github is None:
            return None
        return cls(user_cache_dir(root) / "approvals", github.api, github.repository)

    def _key(self, file: str, commit: str) -> dict[str, str]:
        return {"api": self.api, "repository": self.repository, "commit": commit, "file": file}

    def _path(self, key: dict[str, str]) -> Path:
        return self.folder / f"{key['commit']}-{sha256_bytes(json.dumps(key, sort_keys=True).encode())[:16]}.json"

    def get(self, file: str, commit: str) -> Approval | None:
        key = self._key(file, commit)
        try:
            entry: Any = json.loads(self._path(key).read_text(encoding="utf-8"))
            if entry.get("key") != key:
                return None
            found = Approval.from_json(entry["approval"])
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None
        return found if (found.file, found.commit) == (file, commit) else None

    def put(self, approval: Approval) -> None:
        key = self._key(approval.file, approval.commit)
        entry = {"key": key, "approval": approval.to_json()}
        try:
            write_atomic(self._path(key), json.dumps(entry, sort_keys=True, indent=1), fsync=False)
        except OSError:
            pass  # a cache that cannot be written is asked again next time
