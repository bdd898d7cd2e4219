"""Every change to an incident since it was added is judged (pull request reviews on 127.0.0.1), and what the
API said of a commit is kept in the user's cache folder: a rebuild asks nothing it already knows."""

from __future__ import annotations

from pathlib import Path

import pytest
from approval_support import INCIDENT, merge_another_pull_request, merged_pull_request, recorded_pull_request
from github_server import github_api, recorded
from publish_support import edit, git

import breachdocs.approval
from breachdocs.approval import GITHUB_REVIEW, EarlierChange, GitHub, approvals
from breachdocs.filings.stamp import cover_lines

LEE = "Lee Lawyer (@lee-lawyer)"


def test_a_direct_unreviewed_change_before_a_reviewed_one_is_not_approved(tmp_path: Path) -> None:
    project, commits = merged_pull_request(tmp_path / "repo")
    root = project.root
    edit(root / INCIDENT, "US-NC: 196", "US-NC: 197")
    git(root, "commit", "-qam", "Fix the NC count straight on main")
    direct = git(root, "rev-parse", "HEAD")
    later = merge_another_pull_request(root, 8, "total: 5136", "total: 5137")
    answers = recorded_pull_request(recorded("approved", commits), 8, later)
    answers[f"/repos/acme/breaches/commits/{direct}/pulls"] = []  # GitHub's answer for a commit pushed to main
    with github_api(answers) as (env, _):
        found = approvals(root, [INCIDENT], github=GitHub.from_env(env))[INCIDENT]
    assert (found.commit, found.pull_request, found.names()) == (later["merge"], 8, LEE)  # the latest, reviewed
    assert not found.approved
    reason = (f"earlier change in commit {direct[:12]} (2026-11-01) is not approved: commit {direct[:12]} reached "
              "the branch without a merged pull request, so nobody reviewed it")
    assert found.problems == (reason,)
    assert [(h.commit, h.pull_request, h.approved) for h in found.history] == [
        (commits["merge"], 7, True), (direct, None, False)]
    assert found.summary() == f"{INCIDENT}: NOT APPROVED in commit {later['merge'][:12]}: {reason}"
    stamp = cover_lines("NC notice", "0" * 64, found)
    assert ("Helvetica-Bold", 11, "Approval: NOT APPROVED (this document is not published as approved)") in stamp
    assert ("Helvetica", 9, f"Not approved: {reason}") in stamp


def _two_pull_requests(tmp_path: Path) -> tuple[Path, dict[str, str], dict[str, str], dict[str, object]]:
    project, first = merged_pull_request(tmp_path / "repo")
    second = merge_another_pull_request(project.root, 8, "total: 5136", "total: 5137")
    return project.root, first, second, recorded_pull_request(recorded("approved", first), 8, second)


def test_two_reviewed_pull_requests_are_approved_and_the_history_lists_the_earlier_one(tmp_path: Path) -> None:
    root, first, second, answers = _two_pull_requests(tmp_path)
    with github_api(answers) as (env, _):
        found = approvals(root, [INCIDENT], github=GitHub.from_env(env))[INCIDENT]
    assert found.approved and found.problems == ()
    assert (found.commit, found.pull_request, found.source, found.names()) == (second["merge"], 8, GITHUB_REVIEW, LEE)
    assert found.history == (EarlierChange(first["merge"], "2026-11-01T10:00:00+00:00", GITHUB_REVIEW, True, 7, LEE),)
    assert found.history[0].text() == f"commit {first['merge'][:12]} (2026-11-01, pull request #7): approved by {LEE}"
    assert breachdocs.approval.Approval.from_json(found.to_json()) == found  # as the manifest keeps it
    stamp = cover_lines("NC notice", "0" * 64, found)
    assert ("Helvetica", 9, f"Earlier change: {found.history[0].text()}") in stamp


def test_a_rebuild_asks_the_api_nothing_about_commits_already_judged(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    root, first, second, answers = _two_pull_requests(tmp_path)
    with github_api(answers) as (env, requests):
        built = approvals(root, [INCIDENT], github=GitHub.from_env(env))[INCIDENT]
        asked = [path.split("?", 1)[0] for path, _ in requests]
        for commit in (first["merge"], second["merge"]):
            assert asked.count(f"/repos/acme/breaches/commits/{commit}/pulls") == 1
        assert len(asked) == len(requests) > 2
        monkeypatch.setattr(breachdocs.approval, "_KNOWN", {})  # a new build process
        rebuilt = approvals(root, [INCIDENT], github=GitHub.from_env(env))[INCIDENT]
        assert len(requests) == len(asked)  # the second build made no request
    assert rebuilt == built and rebuilt.approved
    saved = sorted(p.name[:40] for p in (tmp_path / "user-cache").rglob("approvals/*.json"))
    assert saved == sorted((first["merge"], second["merge"]))
    assert git(root, "status", "--porcelain", "--ignored") == ""  # nothing written into the repository


def test_an_incident_added_straight_on_the_branch_stays_unapproved_after_a_reviewed_change(tmp_path: Path) -> None:
    """The commit that adds an incident is a change like any other (only the repository's first commit, its
    creation, is not judged once later changes follow)."""
    project, commits = merged_pull_request(tmp_path / "repo")
    root = project.root
    added = "incidents/2026-11-02-added-on-main.yaml"
    (root / added).write_text((root / INCIDENT).read_text(encoding="utf-8"), encoding="utf-8")
    git(root, "add", added)
    git(root, "commit", "-qm", "Add an incident straight on main")
    direct = git(root, "rev-parse", "HEAD")
    base = direct
    git(root, "checkout", "-qb", "change-8")
    edit(root / added, "US-NC: 196", "US-NC: 197")
    git(root, "commit", "-qam", "Change 8")
    head = git(root, "rev-parse", "HEAD")
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--no-ff", "-m", "Merge pull request #8 from acme/change-8", "change-8")
    later = {"base": base, "head": head, "merge": git(root, "rev-parse", "HEAD")}
    answers = recorded_pull_request(recorded("approved", commits), 8, later)
    answers[f"/repos/acme/breaches/commits/{direct}/pulls"] = []
    with github_api(answers) as (env, _):
        found = approvals(root, [added], github=GitHub.from_env(env))[added]
    assert (found.pull_request, found.names()) == (8, LEE)
    assert not found.approved
    assert found.problems == (f"earlier change in commit {direct[:12]} (2026-11-01) is not approved: commit "
                              f"{direct[:12]} reached the branch without a merged pull request, so nobody reviewed it",)
