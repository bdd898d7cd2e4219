"""The one way breachdocs runs Git: the source commit, a revision's files (who approved a change: ``approval``).

Every function returns None (or an empty value) outside a Git work tree or
without ``git`` installed, so a build from an exported tarball still works; it
just carries no commit and no history.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path


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
