"""The one way breachdocs runs Git: the source commit, a revision's files, who approved a change.

Every function returns None (or an empty value) outside a Git work tree or
without ``git`` installed, so a build from an exported tarball still works; it
just carries no commit and no history.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

#: Commit trailers naming the people who approved a change, in order of precedence.
APPROVAL_TRAILERS = ("Approved-by", "Reviewed-by")


class GitError(Exception):
    """A Git command failed; the message is Git's own, with the command."""


def run(root: Path, *args: str, check: bool = True) -> str:
    """``git -C root ARGS``: its output (stripped); GitError when it fails and ``check``, else ''."""
    try:
        result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    except OSError as error:  # git is not installed
        if check:
            raise GitError(f"git {' '.join(args)}: {error}") from None
        return ""
    if check and result.returncode != 0:
        raise GitError(f"git {' '.join(args)}: {result.stderr.strip() or result.stdout.strip()}")
    return result.stdout.strip() if result.returncode == 0 else ""


def is_repo(root: Path) -> bool:
    return run(root, "rev-parse", "--is-inside-work-tree", check=False) == "true"


def head_commit(root: Path) -> str | None:
    """The full commit id of HEAD, or None outside Git."""
    if not is_repo(root):
        return None
    return run(root, "rev-parse", "HEAD", check=False) or None


def resolve(root: Path, rev: str) -> str:
    """The full commit id of ``rev``; GitError if it names no commit."""
    return run(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False) or _no_rev(rev)


def _no_rev(rev: str) -> str:
    raise GitError(f"'{rev}' is not a commit in this repository")


def export_tree(root: Path, rev: str, dest: Path) -> str:
    """Extract the files of ``rev`` into ``dest`` (like ``git archive``); return the commit id."""
    commit = resolve(root, rev)
    archive = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", commit], capture_output=True)
    if archive.returncode != 0:
        raise GitError(f"git archive {rev}: {archive.stderr.decode(errors='replace').strip()}")
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")
    return commit


@dataclass(frozen=True)
class Approval:
    """Who approved the current state of a file, and in which commit it reached the branch."""

    commit: str  # the first-parent commit (a merge commit on main) that last changed the file
    approvers: tuple[str, ...]
    source: str  # the trailer the approvers came from, or "merge author"
    date: str  # committer date of that commit, ISO 8601


def approval(root: Path, path: str, rev: str = "HEAD") -> Approval | None:
    """The approval of ``path`` (relative to ``root``) as of ``rev``.

    That is the first-parent commit that last changed the file: on the main
    branch, the merge commit (or squash commit) of the pull request that
    brought the change. Approvers come from its ``Approved-by:`` trailers, else
    its ``Reviewed-by:`` trailers, else its author (who merged it). None outside
    Git or when the file has no history.
    """
    return approvals(root, [path], rev).get(path)


_RECORD = "%x1e%H%x00%P%x00%an <%ae>%x00%cI%x00" + "%x00".join(
    f"%(trailers:key={t},valueonly,separator=%x1f)" for t in APPROVAL_TRAILERS
)


def approvals(root: Path, paths: list[str], rev: str = "HEAD") -> dict[str, Approval]:
    """:func:`approval` of many paths with one ``git log`` (paths without history are left out)."""
    if not paths or not is_repo(root):
        return {}
    wanted = set(paths)
    out = run(root, "log", "--first-parent", "--full-history", "--diff-merges=first-parent", "--name-only",
              "--relative", f"--format={_RECORD}", rev, "--", *sorted(wanted), check=False)
    found: dict[str, Approval] = {}
    for record in filter(None, out.split("\x1e")):
        head, _, names = record.partition("\n")
        commit, parents, author, date, *trailers = head.split("\x00")
        approval_ = _approval(commit, parents, author, date, trailers)
        for name in names.split("\n"):
            name = name.strip()
            if name in wanted and name not in found:
                found[name] = approval_
        if len(found) == len(wanted):
            break
    return found


def _approval(commit: str, parents: str, author: str, date: str, trailers: list[str]) -> Approval:
    for trailer, names in zip(APPROVAL_TRAILERS, trailers, strict=False):
        found = tuple(n.strip() for n in names.split("\x1f") if n.strip())
        if found:
            return Approval(commit, found, f"{trailer} trailer", date)
    return Approval(commit, (author,), "merge author" if len(parents.split()) > 1 else "commit author", date)
