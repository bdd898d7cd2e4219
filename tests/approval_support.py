"""Temporary Git repositories where a pull request changes an incident and is merged (real commits)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

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


def merge_another_pull_request(root: Path, number: int, old: str, new: str) -> dict[str, str]:
    """Merge a pull request ``number`` of one commit changing ``old`` to ``new`` in the incident (merge commit).
    Returns its commits (``base``, ``head``, ``merge``)."""
    base = git(root, "rev-parse", "HEAD")
    git(root, "checkout", "-qb", f"change-{number}")
    edit(root / INCIDENT, old, new)
    git(root, "commit", "-qam", f"Change {number}")
    head = git(root, "rev-parse", "HEAD")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", f"Merge pull request #{number} from acme/change-{number}", f"change-{number}")
    return {"base": base, "head": head, "merge": git(root, "rev-parse", "HEAD")}


def recorded_pull_request(answers: dict[str, Any], number: int, commits: dict[str, str]) -> dict[str, Any]:
    """``answers`` (a recorded scenario for pull request #7) with the same reviews given to pull request
    ``number`` merged as ``commits`` (approvals on its head)."""
    (seven,) = [v for k, v in answers.items() if k.endswith("/pulls") and "/commits/" in k]
    entry = copy.deepcopy(seven[0])
    entry.update(number=number, merge_commit_sha=commits["merge"],
                 html_url=f"https://github.com/acme/breaches/pull/{number}")
    entry["head"]["sha"], entry["base"]["sha"] = commits["head"], commits["base"]
    reviews = copy.deepcopy(answers["/repos/acme/breaches/pulls/7/reviews"])
    for review in reviews:
        review["commit_id"] = commits["head"]
    return {**answers, f"/repos/acme/breaches/commits/{commits['merge']}/pulls": [entry],
            f"/repos/acme/breaches/pulls/{number}/reviews": reviews}
