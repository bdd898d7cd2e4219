"""The approval stamp: who approved a filing and in which merge commit, read back from the PDF."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from formtools import ROOT, pdftotext
from publish_support import MASSMUTUAL, NC_FORM, FakeForms, edit, git, make_project, pdf_text
from pypdf import PdfReader, PdfWriter

from breachdocs.filings.bundle import build_filings
from breachdocs.filings.documents import FilingDocument, FormsRenderer
from breachdocs.filings.stamp import read_stamp, stamp
from breachdocs.git import Approval, approval
from breachdocs.hashing import sha256_bytes, sha256_file
from breachdocs.project import Project
from breachdocs.project_check import check


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


def _massmutual_documents() -> list[FilingDocument]:
    project = Project(ROOT)
    incidents, findings = check(project, [project.incidents_dir / f"{MASSMUTUAL}.yaml"])
    assert findings == []
    return FormsRenderer().render(project, incidents[0])


LEE = Approval(commit="c" * 40, approvers=("Lee Lawyer <lee@example.com>", "Jos\u00e9 N\u00fa\u00f1ez <jn@example.com>"),
               source="Approved-by trailer", date="2026-11-01")


@pytest.mark.parametrize("variant", ["", "flat", "packet"])
def test_stamped_copy_is_the_filed_document_plus_an_update(variant: str) -> None:
    """The real NC filing: the stamped copy's first bytes are the filed document's, so cutting it at the
    filed length gives back the SHA-256 the incident records; poppler reads the cover and the same pages."""
    doc = next(d for d in _massmutual_documents() if d.variant == variant)
    stamped = stamp(doc.data, "2007 MassMutual: NC form", LEE)
    assert stamped[:len(doc.data)] == doc.data
    assert sha256_bytes(stamped[:len(doc.data)]) == sha256_bytes(doc.data) == read_stamp(stamped).filed_sha256
    filed_pages = len(PdfReader(io.BytesIO(doc.data)).pages)
    assert len(PdfReader(io.BytesIO(stamped)).pages) == filed_pages + 1
    text = pdftotext(stamped).split("\f")  # a second reader of the update: poppler
    assert "Approved by: Lee Lawyer <lee@example.com>, Jos\u00e9 N\u00fa\u00f1ez <jn@example.com>" in text[0]
    assert "c" * 40 in text[0]
    assert text[1:filed_pages + 1] == pdftotext(doc.data).split("\f")[:filed_pages]
    assert read_stamp(stamped).approved_by == "Lee Lawyer <lee@example.com>, Jos\u00e9 N\u00fa\u00f1ez <jn@example.com>"
    if variant == "":  # the fillable copy keeps its fields
        assert PdfReader(io.BytesIO(stamped)).get_fields() is not None
        assert set(PdfReader(io.BytesIO(stamped)).get_fields() or {}) == set(PdfReader(io.BytesIO(doc.data)).get_fields() or {})


def test_a_document_ending_in_a_cross_reference_stream_is_copied_whole() -> None:
    """pypdf writes its own incremental updates with a cross-reference stream; a plain update may not
    follow one, so such a document is stamped as a new file with the same cover, pages and metadata."""
    doc = next(d for d in _massmutual_documents() if d.variant == "flat")
    writer = PdfWriter(io.BytesIO(doc.data), incremental=True)
    writer.add_metadata({"/Subject": "updated elsewhere"})
    updated = io.BytesIO()
    writer.write(updated)
    filed = updated.getvalue()
    assert b"/XRef" in filed[len(doc.data):]
    stamped = stamp(filed, "t", LEE)
    assert not stamped.startswith(filed)
    assert len(PdfReader(io.BytesIO(stamped)).pages) == len(PdfReader(io.BytesIO(filed)).pages) + 1
    assert read_stamp(stamped).filed_sha256 == sha256_bytes(filed)
    assert "Approved by: Lee Lawyer" in pdftotext(stamped).split("\f")[0]
