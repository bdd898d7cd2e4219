"""The approval stamp: who approved a filing and in which merge commit, read back from the PDF."""

from __future__ import annotations

import json
from pathlib import Path

from publish_support import MASSMUTUAL, NC_FORM, FakeForms, edit, git, make_project, pdf_text
from pypdf import PdfReader

from breachdocs.project import check
from breachdocs.publish.filings import build_filings
from breachdocs.publish.gitinfo import approval
from breachdocs.publish.stamp import read_stamp
from breachdocs.publish.writer import sha256_file


def _merge_reviewed_change(root: Path, trailer: str | None) -> str:
    """A feature branch changing the incident, merged into main with --no-ff (and an approval trailer)."""
    git(root, "checkout", "-q", "-b", "fix-total")
    edit(root / "incidents" / f"{MASSMUTUAL}.yaml", "total: 5135", "total: 5136")
    git(root, "commit", "-q", "-am", "Correct the total")
    git(root, "checkout", "-q", "main")
    message = "Merge pull request #7 from fix-total" + (f"\n\n{trailer}" if trailer else "")
    git(root, "merge", "-q", "--no-ff", "-m", message, "fix-total")
    return git(root, "rev-parse", "HEAD")


def test_stamp_names_the_approver_and_merge_commit(tmp_path: Path) -> None:
    project = make_project(tmp_path / "repo")
    merge = _merge_reviewed_change(project.root, "Approved-by: Lee Lawyer <lee@example.com>")
    incidents, _ = check(project)
    out = tmp_path / "out"
    build_filings(project, incidents, out, renderer=FakeForms())

    filed = out / "filings" / MASSMUTUAL / f"{NC_FORM}-flat.pdf"
    stamped = out / "filings" / MASSMUTUAL / f"{NC_FORM}-flat.stamped.pdf"
    stamp = read_stamp(stamped.read_bytes())
    assert stamp.approved_by == "Lee Lawyer <lee@example.com>"
    assert stamp.commit == merge
    assert stamp.source == "Approved-by trailer"
    assert stamp.filed_sha256 == sha256_file(filed)

    cover = pdf_text(stamped.read_bytes(), 0)
    assert "Approved by: Lee Lawyer <lee@example.com>" in cover
    assert merge in cover
    # The pages after the cover are the filed document, and the filed bytes carry no stamp.
    assert pdf_text(stamped.read_bytes(), 1) == pdf_text(filed.read_bytes(), 0)
    assert len(PdfReader(stamped).pages) == 2
    assert "/BreachdocsApprovedBy" not in (PdfReader(filed).metadata or {})
    manifest = json.loads((out / "filings" / "manifest.json").read_text())
    row = next(r for r in manifest["filings"] if r["variant"] == "flat")
    assert row["stamped"]["approved_by"] == ["Lee Lawyer <lee@example.com>"]
    assert row["stamped"]["commit"] == merge


def test_without_trailer_the_merge_author_approves(tmp_path: Path) -> None:
    project = make_project(tmp_path / "repo")
    merge = _merge_reviewed_change(project.root, None)
    found = approval(project.root, f"incidents/{MASSMUTUAL}.yaml")
    assert found is not None
    assert (found.commit, found.approvers, found.source) == (merge, ("Dana Dev <dana@example.com>",), "merge author")


def test_reviewed_by_trailer_counts_when_no_approved_by(tmp_path: Path) -> None:
    project = make_project(tmp_path / "repo")
    _merge_reviewed_change(project.root, "Reviewed-by: Ana Counsel <ana@example.com>\nReviewed-by: Bo Law <bo@x.org>")
    found = approval(project.root, f"incidents/{MASSMUTUAL}.yaml")
    assert found is not None and found.approvers == ("Ana Counsel <ana@example.com>", "Bo Law <bo@x.org>")


def test_stamped_copy_is_deterministic(tmp_path: Path) -> None:
    project = make_project(tmp_path / "repo")
    _merge_reviewed_change(project.root, "Approved-by: Lee Lawyer <lee@example.com>")
    incidents, _ = check(project)
    build_filings(project, incidents, tmp_path / "a", renderer=FakeForms(), use_cache=False)
    build_filings(project, incidents, tmp_path / "b", renderer=FakeForms(), use_cache=False)
    name = f"filings/{MASSMUTUAL}/{NC_FORM}-packet.stamped.pdf"
    assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
