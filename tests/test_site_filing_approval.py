"""The incident page shows, for each filing: submitted date, recipient, SHA-256, who approved it (pull request,
commit) and links to every document, read from a real review (GitHub API on 127.0.0.1) on a real repository."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import markdown
import pytest
from approval_support import INCIDENT, merge_another_pull_request, merged_pull_request, recorded_pull_request
from github_server import github_api, recorded
from publish_support import ROOT, edit

from breachdocs.approval import GitHub, approvals
from breachdocs.project_check import check
from breachdocs.site.pages import environment, render_incident
from breachdocs.site.stages import filings as site_filings

SHA = "7c1b0e4f" * 8


def _page(tmp_path: Path, scenario: str) -> tuple[str, dict[str, str]]:
    project, commits = merged_pull_request(tmp_path / "repo")
    edit(project.root / INCIDENT, "    kind: initial\n", f"    kind: initial\n    sha256: {SHA}\n")
    incidents, _ = check(project)
    with github_api(recorded(scenario, commits)) as (env, _):
        found = approvals(project.root, [INCIDENT], github=GitHub.from_env(env))
    filings, _ = site_filings(project, incidents, "filings", found, signed=True)
    page = render_incident(environment(ROOT / "templates"), incidents[0], today=dt.date(2026, 11, 24), filings=filings)
    text = html.unescape(page.html(markdown.markdown(page.body, extensions=["tables", "attr_list", "md_in_html"])))
    return " ".join(text.split()), commits


def test_an_approved_filing_shows_its_reviewer_pull_request_commit_hash_and_documents(tmp_path: Path) -> None:
    text, commits = _page(tmp_path, "approved")
    assert "<dt>Submitted</dt><dd>2007-10-17</dd>" in text
    assert "<dt>Recipient</dt><dd>attorney-general</dd>" in text
    assert f"<dt>SHA-256</dt><dd><code>{SHA}</code></dd>" in text
    assert (f"<dt>Approval</dt><dd>approved by Lee Lawyer (@lee-lawyer) (code owner), approving commit "
            f"<code>{commits['head'][:12]}</code> at 2026-11-01T09:30:00Z<br><small>"
            '<a href="https://github.com/acme/breaches/pull/7">pull request #7</a>, merge commit '
            f"<code>{commits['merge']}</code> (GitHub pull request review of #7 (GitHub REST API))</small></dd>") in text
    folder = "../../filings/2007-08-10-massmutual-misdirected-email"
    for label, name in [("Fillable copy (for review)", "us-nc-ago-breach.pdf"),
                        ("Flattened (as submitted)", "us-nc-ago-breach-flat.pdf"),
                        ("Filing packet", "us-nc-ago-breach-packet.pdf"),
                        ("Flattened (as submitted), with approval stamp", "us-nc-ago-breach-flat.stamped.pdf"),
                        ("Flattened (as submitted), signed", "us-nc-ago-breach-flat.signed.pdf"),
                        ("Filing packet, signed", "us-nc-ago-breach-packet.signed.pdf")]:
        assert f'<a class="bd-pdf" href="{folder}/{name}">{label} PDF</a>' in text
    assert "dana-dev" not in text  # who merged is not who approved


@pytest.mark.parametrize(("scenario", "reason"), [
    ("changes-requested", "@ana-counsel requested changes on 2026-11-01 and did not approve afterwards"),
    ("no-review", "pull request #7 has no review"),
])
def test_a_filing_nobody_approved_says_so_and_links_no_signed_copy(tmp_path: Path, scenario: str, reason: str) -> None:
    text, _ = _page(tmp_path, scenario)
    assert f"<dt>Approval</dt><dd><strong>NOT APPROVED</strong>: {reason}<br>" in text
    assert "signed PDF" not in text and "with approval stamp PDF" in text


def test_the_page_lists_the_earlier_changes_and_whether_each_was_approved(tmp_path: Path) -> None:
    project, first = merged_pull_request(tmp_path / "repo")
    second = merge_another_pull_request(project.root, 8, "total: 5136", "total: 5137")
    edit(project.root / INCIDENT, "    kind: initial\n", f"    kind: initial\n    sha256: {SHA}\n")
    incidents, _ = check(project)
    with github_api(recorded_pull_request(recorded("approved", first), 8, second)) as (env, _):
        found = approvals(project.root, [INCIDENT], github=GitHub.from_env(env))
    filings, _ = site_filings(project, incidents, "filings", found, signed=False)
    page = render_incident(environment(ROOT / "templates"), incidents[0], today=dt.date(2026, 11, 24), filings=filings)
    text = " ".join(html.unescape(page.html(markdown.markdown(page.body, extensions=["tables", "attr_list",
                                                                                      "md_in_html"]))).split())
    assert (f"merge commit <code>{second['merge']}</code> (GitHub pull request review of #8 (GitHub REST API))<br>"
            f"earlier change: commit {first['merge'][:12]} (2026-11-01, pull request #7): approved by Lee Lawyer "
            "(@lee-lawyer)</small>") in text
