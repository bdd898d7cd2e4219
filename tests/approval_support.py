"""Temporary Git repositories where a pull request changes an incident and is merged (real commits)."""

from __future__ import annotations

from pathlib import Path

from publish_support import MASSMUTUAL, edit, git, make_project

from breachdocs.project import Project

CODEOWNERS = "# Legal owns the incident records.\n*            @acme/engineering\n/incidents/  @lee-lawyer @ana-counsel\n"
APPROVERS = """\
# People whose Approved-by: trailer counts as legal approval of a change.
approvers:
  - name: Lee Lawyer
    email: lee@example.com
    github: lee-lawyer
  - name: Ana Counsel
    email: ana@example.com
    github: ana-counsel
"""
INCIDENT = f"incidents/{MASSMUTUAL}.yaml"


def merged_pull_request(folder: Path, *, trailer: str | None = None) -> tuple[Project, dict[str, str]]:
    """A project whose main branch got CODEOWNERS and the approvers list, then a pull request of two
    commits changing the incident, merged with a merge commit by its author. Returns the commits
    (``base``, ``older``, ``head``, ``merge``)."""
    project = make_project(folder)
    root = project.root
    (root / ".github").mkdir()
    (root / ".github" / "CODEOWNERS").write_text(CODEOWNERS, encoding="utf-8")
    (root / ".github" / "approvers.yaml").write_text(APPROVERS, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Code owners and approvers")
    base = git(root, "rev-parse", "HEAD")
    git(root, "checkout", "-qb", "fix-total")
    edit(root / INCIDENT, "total: 5135", "total: 5136")
    git(root, "commit", "-qam", "Correct the total")
    older = git(root, "rev-parse", "HEAD")
    edit(root / INCIDENT, "US-NC: 195", "US-NC: 196")
    git(root, "commit", "-qam", "Correct the NC count")
    head = git(root, "rev-parse", "HEAD")
    git(root, "checkout", "-q", "main")
    message = "Merge pull request #7 from acme/fix-total" + (f"\n\n{trailer}" if trailer else "")
    git(root, "merge", "-q", "--no-ff", "-m", message, "fix-total")
    merge = git(root, "rev-parse", "HEAD")
    return project, {"base": base, "older": older, "head": head, "merge": merge}
