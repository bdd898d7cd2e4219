"""From Git: the commits that changed each incident file on the branch, and files as they stood."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..git import is_repo
from ..git import run as git

_RECORD = "%x1e%H%x00%P%x00%cI%x00%(trailers:key=Approved-by,valueonly,separator=%x1f)"


@dataclass(frozen=True)
class Change:
    commit: str
    parents: tuple[str, ...]
    date: str
    approved_by: tuple[str, ...]  # the values of its Approved-by: trailers

    @property
    def base(self) -> str:
        """The branch as it stood before the change (the commit itself for a first commit)."""
        return self.parents[0] if self.parents else self.commit


def repository_prefix(root: Path) -> str | None:
    """The project's folder relative to the repository root (``""`` at the root), None outside Git."""
    if not is_repo(root):
        return None
    return git(root, "rev-parse", "--show-prefix", check=False)


def change_history(root: Path, paths: list[str], rev: str = "HEAD") -> dict[str, list[Change]]:
    """Per path (relative to ``root``): its first-parent changes, newest first (one ``git log``).

    The list ends with the latest change that added the file. That addition is judged like every other
    change, except when it is the repository's first commit (the repository's creation, before any review
    could happen) and later changes follow it.
    """
    if not paths or not is_repo(root):
        return {}
    wanted = set(paths)
    out = git(root, "log", "--first-parent", "--full-history", "--diff-merges=first-parent", "--name-status",
              "--no-renames", "--relative", f"--format={_RECORD}", rev, "--", *sorted(wanted), check=False)
    found: dict[str, list[Change]] = {}
    added: set[str] = set()
    for record in filter(None, out.split("\x1e")):
        head, _, names = record.partition("\n")
        commit, parents, date, trailers = (head.split("\x00") + ["", "", ""])[:4]
        change = Change(commit, tuple(parents.split()), date,
                        tuple(t.strip() for t in trailers.split("\x1f") if t.strip()))
        for line in names.split("\n"):
            status, _, name = line.strip().partition("\t")
            if name not in wanted or name in added:
                continue
            if status.startswith("A") and name in found and not change.parents:
                added.add(name)  # added by the repository's first commit: its history starts after it
                continue
            found.setdefault(name, []).append(change)
            if status.startswith("A"):
                added.add(name)
        if len(added) == len(wanted):
            break
    return found


def file_at(root: Path, rev: str, repo_path: str) -> str | None:
    """The text of ``repo_path`` (relative to the repository root) at ``rev``, or None when it has none."""
    if not git(root, "ls-tree", "--full-tree", "--name-only", rev, "--", repo_path, check=False):
        return None
    return git(root, "show", f"{rev}:{repo_path}", check=False)
