"""Who changed an incident file, what and when, from Git.

One ``git log --name-status -M`` over the incidents folder gives the history of
every file in it, following renames inside the folder (what ``git log
--follow`` does for one file, without one process per incident: the build
stays linear with a thousand incidents). Outside a Git work tree, or without
``git``, every history is empty.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import git

_RECORD = "\x1e"
_FIELD = "\x1f"


@dataclass(frozen=True)
class Change:
    """One commit that touched a file."""

    commit: str
    author: str
    date: str
    subject: str


def file_histories(folder: Path, files: Iterable[Path]) -> dict[Path, list[Change]]:
    """The commits that touched each of ``files`` (all under ``folder``), newest first."""
    wanted = [f.resolve() for f in files]
    histories: dict[Path, list[Change]] = {f: [] for f in wanted}
    if not folder.is_dir():
        return histories
    top = git.run(folder, "rev-parse", "--show-toplevel", check=False)
    if not top:
        return histories
    toplevel = Path(top.strip()).resolve()
    log = git.run(
        toplevel, "log", "-M", "--name-status", f"--format={_RECORD}%h{_FIELD}%an{_FIELD}%as{_FIELD}%s",
        "--", folder.resolve().relative_to(toplevel).as_posix(), check=False,
    )
    if not log:
        return histories
    # Name in the commit being read -> the file it is today.
    tracked = {f.relative_to(toplevel).as_posix(): f for f in wanted if f.is_relative_to(toplevel)}
    for record in filter(None, log.split(_RECORD)):  # (the output comes stripped of its first separator)
        header, _, body = record.partition("\n")
        commit, author, date, subject = header.split(_FIELD, 3)
        change = Change(commit, author, date, subject)
        for line in body.splitlines():
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            status, name = parts[0], parts[-1]
            file = tracked.get(name)
            if file is None:
                continue
            histories[file].append(change)
            if status.startswith("R") and len(parts) == 3:
                tracked[parts[1]] = tracked.pop(name)
            elif status.startswith("A"):
                del tracked[name]
    return histories
