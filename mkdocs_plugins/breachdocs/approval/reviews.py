"""Approval from the pull request's reviews, read from GitHub's REST API.

For the commit that merged a change: the pull request that merged it, each
reviewer's latest decisive review (approved, changes requested, dismissed), the
commit each approval was given on, and whether the reviewer is a code owner of
the file. An approval counts only when it was given on the head commit that was
merged, by a code owner, and nobody's latest review requests changes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .approvers_list import Person
from .changes import Change
from .github import GitHub, GitHubError
from .model import GITHUB_REVIEW, Approval, Approver, Rules
from .rules import entitled

DECISIVE = ("APPROVED", "CHANGES_REQUESTED", "DISMISSED")


def merged_pull_request(github: GitHub, commit: str) -> dict[str, Any] | None:
    """The merged pull request whose merge (or squash) commit is ``commit``; else one that contains it."""
    pulls = [p for p in github.get(f"/commits/{commit}/pulls") if isinstance(p, dict) and p.get("merged_at")]
    exact = [p for p in pulls if p.get("merge_commit_sha") == commit]
    found = exact or pulls
    return found[0] if found else None


def review_approval(github: GitHub, file: str, change: Change, rules: Rules) -> Approval:
    """The approval of ``change`` to ``file`` from its pull request's reviews (GitHubError when unreadable)."""
    base = Approval(file, change.commit, change.date, GITHUB_REVIEW, False, rules=rules.where)
    pull = merged_pull_request(github, change.commit)
    if pull is None:
        return replace(base, problems=(f"commit {change.commit[:12]} reached the branch without a merged pull "
                                     "request, so nobody reviewed it",))
    number = int(pull["number"])
    head = str((pull.get("head") or {}).get("sha", ""))
    merged_by = str((pull.get("merged_by") or {}).get("login", ""))
    base = replace(base, pull_request=number, pull_url=str(pull.get("html_url", "")), merged_head=head,
                 merged_by=merged_by)
    latest: dict[str, dict[str, Any]] = {}
    for review in sorted(github.get_all(f"/pulls/{number}/reviews"), key=lambda r: str(r.get("submitted_at") or "")):
        login = str((review.get("user") or {}).get("login", ""))
        if login and review.get("state") in DECISIVE:
            latest[login] = review
    teams = _team_reader(github)
    approvers, problems = [], []
    for login, review in sorted(latest.items()):
        when = str(review.get("submitted_at") or "")
        if review["state"] == "CHANGES_REQUESTED":
            problems.append(f"@{login} requested changes on {when[:10]} and did not approve afterwards")
            continue
        if review["state"] != "APPROVED":
            continue
        commit = str(review.get("commit_id") or "")
        person = Person(_name(github, login), github=login)
        owner, why = entitled(rules, person, teams)
        notes = [] if owner else [why]
        if commit != head:
            notes.append(f"approved commit {commit[:12]}, not the merged head {head[:12]}: "
                         "not an approval of what was merged")
        approvers.append(Approver(person.name, login, "", when, commit, owner, not notes, "; ".join(notes)))
    if not latest:
        problems.append(f"pull request #{number} has no review")
    for a in approvers:
        if not a.counts:
            problems.append(f"the approval of {a.label()} does not count: {a.note}")
    blocked = any(r["state"] == "CHANGES_REQUESTED" for r in latest.values())
    approved = any(a.counts for a in approvers) and not blocked
    if not approved and not problems:
        problems.append(f"pull request #{number} has no approving review")
    return replace(base, approved=approved, approvers=tuple(approvers), problems=tuple(problems))


def _name(github: GitHub, login: str) -> str:
    try:
        user = github.get(f"/users/{login}")
    except GitHubError:
        return login
    return str(user.get("name") or login) if isinstance(user, dict) else login


def _team_reader(github: GitHub) -> Any:
    cache: dict[str, set[str] | None] = {}

    def members(owner: str) -> set[str] | None:
        if owner not in cache:
            org, _, team = owner.removeprefix("@").partition("/")
            try:
                cache[owner] = {str(m.get("login", "")).lower() for m in github.get_all(f"/orgs/{org}/teams/{team}/members")}
            except GitHubError:
                cache[owner] = None  # the token may not read team members: not counted as an owner
        return cache[owner]

    return members


