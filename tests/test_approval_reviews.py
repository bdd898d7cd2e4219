"""Approval from the pull request's reviews (GitHub's REST API on 127.0.0.1), else from trailers."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from approval_support import INCIDENT, merged_pull_request
from github_server import TOKEN, github_api, recorded

from breachdocs.approval import GITHUB_REVIEW, TRAILER, GitHub, approvals
from breachdocs.approval.codeowners import parse


def _review_approval(tmp_path: Path, scenario: str):  # type: ignore[no-untyped-def]
    project, commits = merged_pull_request(tmp_path / "repo")
    with github_api(recorded(scenario, commits)) as (env, requests):
        found = approvals(project.root, [INCIDENT], github=GitHub.from_env(env))[INCIDENT]
    assert all(auth == f"Bearer {TOKEN}" for _, auth in requests)
    assert len(requests) == len(set(requests))  # each answer is asked for once
    assert (found.commit, found.source, found.pull_request, found.merged_by) == (commits["merge"], GITHUB_REVIEW, 7,
                                                                                "dana-dev")
    assert any(path == f"/repos/acme/breaches/contents/.github/CODEOWNERS?ref={commits['base']}" for path, _ in requests)
    return found, commits


def test_approved_by_a_code_owner_on_the_merged_head(tmp_path: Path) -> None:
    found, commits = _review_approval(tmp_path, "approved")
    assert found.approved and found.problems == ()
    (lee,) = found.approved_by
    assert (lee.login, lee.name, lee.at, lee.commit, lee.code_owner) == (
        "lee-lawyer", "Lee Lawyer", "2026-11-01T09:30:00Z", commits["head"], True)
    assert found.names() == "Lee Lawyer (@lee-lawyer)"  # the reviewer, not dana-dev who merged
    assert found.source_text() == "GitHub pull request review of #7 (GitHub REST API)"
    assert found.pull_url == "https://github.com/acme/breaches/pull/7"


def test_changes_requested_is_not_approved(tmp_path: Path) -> None:
    found, _ = _review_approval(tmp_path, "changes-requested")
    assert not found.approved
    assert found.problems == ("@ana-counsel requested changes on 2026-11-01 and did not approve afterwards",)


def test_approval_of_an_older_commit_is_not_an_approval_of_what_was_merged(tmp_path: Path) -> None:
    found, commits = _review_approval(tmp_path, "approval-on-older-commit")
    assert not found.approved and found.approved_by == ()
    (lee,) = found.approvers
    assert lee.commit == commits["older"] and lee.code_owner and not lee.counts
    assert found.problems == (
        f"the approval of Lee Lawyer (@lee-lawyer) does not count: approved commit {commits['older'][:12]}, "
        f"not the merged head {commits['head'][:12]}: not an approval of what was merged",)


def test_approval_by_someone_who_is_not_a_code_owner(tmp_path: Path) -> None:
    found, _ = _review_approval(tmp_path, "reviewer-not-code-owner")
    assert not found.approved
    (sam,) = found.approvers
    assert (sam.login, sam.code_owner, sam.counts) == ("sam-support", False, False)
    assert found.problems == ("the approval of Sam Support (@sam-support) does not count: not a code owner of this "
                              "file (.github/CODEOWNERS names @lee-lawyer, @ana-counsel)",)


def test_no_review_is_not_approved(tmp_path: Path) -> None:
    found, _ = _review_approval(tmp_path, "no-review")
    assert not found.approved and found.approvers == ()
    assert found.problems == ("pull request #7 has no review",)


def test_without_the_api_an_approved_by_trailer_of_a_listed_approver_counts(tmp_path: Path) -> None:
    project, commits = merged_pull_request(tmp_path / "repo", trailer="Approved-by: Lee Lawyer <lee@example.com>")
    found = approvals(project.root, [INCIDENT])[INCIDENT]  # no GITHUB_* variables in tests
    assert (found.approved, found.source, found.commit) == (True, TRAILER, commits["merge"])
    assert found.names() == "Lee Lawyer <lee@example.com>"
    assert found.source_text() == "Approved-by trailer on the merge commit, checked against .github/CODEOWNERS"


@pytest.mark.parametrize(("trailer", "problem"), [
    (None, "has no Approved-by: trailer and no review API (GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL are "
           "not all set)"),
    ("Approved-by: Sam Support <sam@example.com>", "the Approved-by: trailer naming Sam Support <sam@example.com> "
     "does not count: not a code owner of this file (.github/CODEOWNERS names @lee-lawyer, @ana-counsel)"),
])
def test_without_the_api_a_missing_or_unlisted_trailer_is_not_approved(tmp_path: Path, trailer: str | None,
                                                                      problem: str) -> None:
    project, _ = merged_pull_request(tmp_path / "repo", trailer=trailer)
    found = approvals(project.root, [INCIDENT])[INCIDENT]
    assert not found.approved and found.source == TRAILER
    assert problem in " ".join(found.problems)


def test_an_api_that_refuses_the_token_falls_back_to_the_trailer_and_says_why(tmp_path: Path) -> None:
    project, commits = merged_pull_request(tmp_path / "repo", trailer="Approved-by: Lee Lawyer <lee@example.com>")
    with github_api(recorded("approved", commits)) as (env, _):
        found = approvals(project.root, [INCIDENT], github=GitHub.from_env({**env, "GITHUB_TOKEN": "wrong"}))[INCIDENT]
    assert found.approved and found.source == TRAILER
    assert "wrong" not in repr(GitHub.from_env({**env, "GITHUB_TOKEN": "wrong"}))


def test_codeowners_patterns_last_match_wins() -> None:
    owners = parse("*  @all\n/incidents/  @legal\n*.md @docs\nincidents/secret/** @ciso\n")
    assert owners.owners("incidents/a.yaml") == ("@legal",)
    assert owners.owners("incidents/readme.md") == ("@docs",)
    assert owners.owners("incidents/secret/x/y.yaml") == ("@ciso",)
    assert owners.owners("src/incidents/a.yaml") == ("@all",)
    assert owners.owners("docs/x.md") == ("@docs",)


def test_a_codeowners_team_counts_for_members_the_approvers_list_names(tmp_path: Path) -> None:
    """The workflow's token cannot read team members: the approvers list says who is in the team."""
    project, commits = merged_pull_request(tmp_path / "repo")
    answers = recorded("reviewer-not-code-owner", commits)  # sam-support approved the merged head
    codeowners = "*  @acme/engineering\n/incidents/  @acme/legal\n"
    listed = "approvers:\n  - name: Sam Support\n    github: sam-support\n    teams: ['@acme/legal']\n"
    answers["/repos/acme/breaches/contents/.github/CODEOWNERS"]["content"] = base64.b64encode(codeowners.encode()).decode()
    answers["/repos/acme/breaches/contents/.github/approvers.yaml"] = {
        "type": "file", "encoding": "base64", "content": base64.b64encode(listed.encode()).decode()}
    with github_api(answers) as (env, _):
        found = approvals(project.root, [INCIDENT], github=GitHub.from_env(env))[INCIDENT]
    assert found.approved and found.names() == "Sam Support (@sam-support)"
    (sam,) = found.approvers
    assert sam.code_owner and sam.counts


def test_a_codeowners_team_without_members_known_is_not_an_approval(tmp_path: Path) -> None:
    project, commits = merged_pull_request(tmp_path / "repo")
    answers = recorded("approved", commits)
    answers["/repos/acme/breaches/contents/.github/CODEOWNERS"]["content"] = base64.b64encode(
        b"/incidents/  @acme/legal\n").decode()
    with github_api(answers) as (env, requests):
        found = approvals(project.root, [INCIDENT], github=GitHub.from_env(env))[INCIDENT]
    assert not found.approved
    assert any(path.startswith("/orgs/acme/teams/legal/members") for path, _ in requests)  # asked; 404 here
    assert found.problems == ("the approval of Lee Lawyer (@lee-lawyer) does not count: not a code owner of this file "
                              "(.github/CODEOWNERS names @acme/legal); a member of @acme/legal counts once "
                              ".github/approvers.yaml lists them with teams: [@acme/legal]",)
