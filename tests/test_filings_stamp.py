"""The approval stamp: who approved a filing and in which merge commit, read back from the PDF."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from approval_support import merged_pull_request
from formtools import ROOT, pdftotext
from github_server import github_api, recorded
from publish_support import MASSMUTUAL, NC_FORM, FakeForms, pdf_text
from pypdf import PdfReader, PdfWriter

from breachdocs.approval import TRAILER, Approval, Approver
from breachdocs.filings.bundle import build_filings
from breachdocs.filings.documents import FilingDocument, FormsRenderer
from breachdocs.filings.stamp import read_stamp, stamp
from breachdocs.hashing import sha256_bytes, sha256_file
from breachdocs.project import Project
from breachdocs.project_check import check

REVIEWS = {  # scenario: (approved, who the stamp names as approving, a reason the cover gives)
    "approved": (True, "Lee Lawyer (@lee-lawyer)", ""),
    "changes-requested": (False, "", "@ana-counsel requested changes on 2026-11-01 and did not approve afterwards"),
    "approval-on-older-commit": (False, "", "not an approval of what was merged"),
    "reviewer-not-code-owner": (False, "", "Sam Support (@sam-support) does not count: not a code owner of this file"),
    "no-review": (False, "", "pull request #7 has no review"),
}


@pytest.mark.parametrize("scenario", list(REVIEWS))
def test_stamp_and_manifest_name_the_reviewer_who_approved(tmp_path: Path, scenario: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """For each review situation the stamp and the manifest say who approved (never dana-dev, who merged)."""
    project, commits = merged_pull_request(tmp_path / "repo")
    approved, names, reason = REVIEWS[scenario]
    incidents, _ = check(project)
    out = tmp_path / "out"
    with github_api(recorded(scenario, commits)) as (env, _):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        result = build_filings(project, incidents, out, renderer=FakeForms(), use_cache=False)
    assert result.unapproved == ([] if approved else [result.unapproved[0]])

    filed = out / "filings" / MASSMUTUAL / f"{NC_FORM}-flat.pdf"
    stamped = (out / "filings" / MASSMUTUAL / f"{NC_FORM}-flat.stamped.pdf").read_bytes()
    found = read_stamp(stamped)
    assert (found.approved, found.approved_by, found.commit) == (approved, names, commits["merge"])
    assert found.source == "GitHub pull request review of #7 (GitHub REST API)"
    assert found.filed_sha256 == sha256_file(filed)
    cover = " ".join(pdftotext(stamped).split("\f")[0].split())
    assert ("Approval: APPROVED" if approved else "Approval: NOT APPROVED") in cover
    assert "dana-dev" not in cover.replace("merged by @dana-dev", "")
    if approved:
        assert f"Approved by: Lee Lawyer (@lee-lawyer) (code owner) approved commit {commits['head']}" in cover
    else:
        assert reason in cover
    manifest = json.loads((out / "filings" / "manifest.json").read_text())
    row = next(r for r in manifest["filings"] if r["variant"] == "flat")
    assert row["stamped"]["approved"] is approved
    assert row["stamped"]["approved_by"] == ([names] if names else [])
    assert row["stamped"]["commit"] == commits["merge"]
    assert row["approval"]["pull_request"] == 7 and row["approval"]["merged_by"] == "dana-dev"
    assert "ghs_" not in json.dumps(manifest)  # the token never reaches an output
    # The pages after the cover are the filed document, and the filed bytes carry no stamp.
    assert pdf_text(stamped, 1) == pdf_text(filed.read_bytes(), 0)
    assert "/BreachdocsApprovedBy" not in (PdfReader(filed).metadata or {})


def test_without_the_api_the_stamp_says_the_trailer_is_its_source(tmp_path: Path) -> None:
    project, commits = merged_pull_request(tmp_path / "repo", trailer="Approved-by: Lee Lawyer <lee@example.com>")
    incidents, _ = check(project)
    build_filings(project, incidents, tmp_path / "out", renderer=FakeForms())
    stamped = (tmp_path / "out" / "filings" / MASSMUTUAL / f"{NC_FORM}-packet.stamped.pdf").read_bytes()
    found = read_stamp(stamped)
    assert (found.approved, found.approved_by) == (True, "Lee Lawyer <lee@example.com>")
    assert found.source == "Approved-by trailer on the merge commit, checked against .github/CODEOWNERS"
    assert "Source: Approved-by trailer on the merge commit" in pdftotext(stamped)


def test_a_merge_without_approval_is_stamped_not_approved(tmp_path: Path) -> None:
    """Whoever merged is not an approver: a merge without review or trailer is not approved."""
    project, commits = merged_pull_request(tmp_path / "repo")
    incidents, _ = check(project)
    result = build_filings(project, incidents, tmp_path / "out", renderer=FakeForms())
    assert result.unapproved == [f"incidents/{MASSMUTUAL}.yaml: NOT APPROVED in commit {commits['merge'][:12]}: commit "
                                 f"{commits['merge'][:12]} has no Approved-by: trailer and no review API (GITHUB_TOKEN, "
                                 "GITHUB_REPOSITORY and GITHUB_API_URL are not all set)"]
    found = read_stamp((tmp_path / "out" / "filings" / MASSMUTUAL / f"{NC_FORM}-flat.stamped.pdf").read_bytes())
    assert (found.approved, found.approved_by) == (False, "")


def test_stamped_copy_is_deterministic(tmp_path: Path) -> None:
    project, _ = merged_pull_request(tmp_path / "repo", trailer="Approved-by: Lee Lawyer <lee@example.com>")
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


LEE = Approval(file=f"incidents/{MASSMUTUAL}.yaml", commit="c" * 40, date="2026-11-01T10:00:00Z", source=TRAILER,
               approved=True, rules=".github/approvers.yaml", approvers=(
                   Approver("Lee Lawyer", email="lee@example.com", commit="c" * 40, code_owner=True, counts=True),
                   Approver("Jos\u00e9 N\u00fa\u00f1ez", email="jn@example.com", commit="c" * 40, code_owner=True,
                            counts=True)))


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
    assert "Approved by: Lee Lawyer <lee@example.com> (on the approvers list)" in text[0]
    assert "Approved by: Jos\u00e9 N\u00fa\u00f1ez <jn@example.com> (on the approvers list)" in text[0]
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


def _words_with_boxes(pdf: bytes, page: int = 1) -> list[tuple[str, float]]:
    """(word, right edge) of each word poppler finds on ``page`` (1-based)."""
    import html
    import re
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(src), "-"], check=True,
                             capture_output=True, text=True).stdout
    return [(html.unescape(m[2]), float(m[1])) for m in re.finditer(r'<word xMin="[^"]+" yMin="[^"]+" xMax="([^"]+)" '
                                                                     r'yMax="[^"]+">([^<]*)</word>', out)]


def test_the_stamp_text_fits_the_page() -> None:
    """Every word of the cover is on the page, inside the margins (poppler finds no cut line)."""
    from breachdocs.filings.stamp import cover_lines

    doc = next(d for d in _massmutual_documents() if d.variant == "flat")
    long = Approval(file=f"incidents/{MASSMUTUAL}.yaml", commit="d" * 40, date="2026-11-01T10:00:00Z",
                    source="GitHub pull request review", approved=False, rules=".github/CODEOWNERS",
                    pull_request=1234, pull_url="https://github.com/acme/breaches/pull/1234", merged_by="dana-dev",
                    approvers=tuple(Approver(f"Reviewer Number {n} With A Rather Long Name", login=f"reviewer-{n}",
                                             at="2026-11-01T09:30:00Z", commit="e" * 40, note="not a code owner")
                                    for n in range(12)),
                    problems=tuple(f"the approval of Reviewer Number {n} With A Rather Long Name (@reviewer-{n}) does "
                                   "not count: not a code owner of this file (.github/CODEOWNERS names @lee-lawyer, "
                                   "@ana-counsel)" for n in range(12)))
    title = f"{MASSMUTUAL}: {NC_FORM} flat (US-NC attorney-general), a title long enough to need a second line"
    stamped = stamp(doc.data, title, long)
    filed_pages = len(PdfReader(io.BytesIO(doc.data)).pages)
    cover_pages = len(PdfReader(io.BytesIO(stamped)).pages) - filed_pages
    assert cover_pages >= 2  # a long stamp goes on to a second page rather than off the bottom
    words = [w for page in range(1, cover_pages + 1) for w in _words_with_boxes(stamped, page)]
    width = 612
    assert words and all(right <= width - 72 + 0.5 for _, right in words), [w for w in words if w[1] > width - 72]
    found = [w for w, _ in words]
    expected = [w for _, _, text in cover_lines(title, sha256_bytes(doc.data), long) for w in text.split()]
    assert found[:len(expected)] == expected  # every word, in order: nothing cut at the edge or the bottom


def _cover_text(stamped: bytes) -> str:
    return pdftotext(stamped).split("\f")[0]


def test_the_drawn_cover_reads_as_the_cover_reportlab_makes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cover is drawn into the update directly; poppler reads the same lines, in the same places, as on the
    cover reportlab makes as a PDF of its own (for text outside the standard fonts' encoding)."""
    from breachdocs.filings import stamp as stamp_module

    doc = next(d for d in _massmutual_documents() if d.variant == "flat")
    title = "2007 MassMutual: NC form (a title with (parentheses) and a \\ backslash)"
    drawn = stamp(doc.data, title, LEE)
    monkeypatch.setattr(stamp_module, "_drawn_cover", lambda pages: None)
    made = stamp(doc.data, title, LEE)
    assert drawn != made
    assert _cover_text(drawn) == _cover_text(made)
    assert "(a title with (parentheses) and a \\ backslash)" in _cover_text(drawn)
    assert _words_with_boxes(drawn) == _words_with_boxes(made)
    assert read_stamp(drawn) == read_stamp(made)


def test_a_name_outside_the_standard_fonts_encoding_is_stamped_by_reportlab() -> None:
    doc = next(d for d in _massmutual_documents() if d.variant == "flat")
    polish = Approval(file=f"incidents/{MASSMUTUAL}.yaml", commit="c" * 40, date="2026-11-01T10:00:00Z",
                      source=TRAILER, approved=True, rules=".github/approvers.yaml", approvers=(
                          Approver("\u0141ukasz \u017bak", email="lz@example.com", commit="c" * 40, code_owner=True,
                                   counts=True),))
    stamped = stamp(doc.data, "t", polish)
    assert stamped.startswith(doc.data)
    assert read_stamp(stamped).approved_by == "\u0141ukasz \u017bak <lz@example.com>"
    assert "<lz@example.com> (on the approvers list)" in _cover_text(stamped)
    fonts = {str(f.get_object()["/BaseFont"]) for f in PdfReader(io.BytesIO(stamped)).pages[0]["/Resources"]["/Font"]
             .values()}
    assert "/ZapfDingbats" in fonts  # reportlab's substitute for the letters Helvetica lacks


def _worksheet() -> bytes:
    """A PDF as the regulator worksheets are made (``letters.plain_pdf``), of two pages."""
    from breachdocs.letters.plain_pdf import plain_pdf
    from breachdocs.letters.template import Block, LetterBody, Section

    blocks = [Block(kind, f"{n}. the answer to question {n} " * (8 if kind == "p" else 1))
              for n in range(1, 30) for kind in ("h", "p", "note")]
    return plain_pdf(LetterBody("w", (Section("portal", (), tuple(blocks)),)), title="t", author="a")


@pytest.mark.parametrize("variant", ["", "flat", "packet", "worksheet"])
def test_the_update_reads_the_filed_document_as_pypdf_does(variant: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The stamp reads only the trailer, catalog, page tree and document information of the filed document, where
    its cross-reference tables say (the packet: two sections, the second an update): the same bytes as when pypdf
    reads the whole document."""
    from breachdocs.pdf import pdf_update

    filed = _worksheet() if variant == "worksheet" else next(d.data for d in _massmutual_documents()
                                                             if d.variant == variant)
    found = pdf_update._STARTXREF.search(filed[-1024:])
    assert found is not None and pdf_update._read_base(filed, int(found.group(1))) is not None
    light = stamp(filed, "t", LEE)
    monkeypatch.setattr(pdf_update, "_read_base", lambda base, at: None)
    assert stamp(filed, "t", LEE) == light


def test_a_document_whose_tables_point_astray_is_read_by_pypdf() -> None:
    """Offsets that do not lead to the objects (bytes inserted after the header, the table left as it was): the
    light reading declines and
    pypdf, which repairs such tables, reads the document; the stamped copy is still the filed bytes plus an update."""
    from breachdocs.pdf import pdf_update

    good = _worksheet()
    inserted = b"% inserted comment shifting every object\n"
    shifted = good.replace(b"\n", b"\n" + inserted, 1)
    end = pdf_update._STARTXREF.search(shifted[-1024:])
    assert end is not None  # the pointer to the table is set right; the table's offsets are not
    filed = shifted.removesuffix(end.group()) + end.group().replace(end.group(1),
                                                                    str(int(end.group(1)) + len(inserted)).encode())
    found = pdf_update._STARTXREF.search(filed[-1024:])
    assert found is not None and pdf_update._read_base(filed, int(found.group(1))) is None
    stamped = stamp(filed, "t", LEE)
    assert stamped.startswith(filed)
    assert len(PdfReader(io.BytesIO(stamped)).pages) == len(PdfReader(io.BytesIO(good)).pages) + 1
    assert "Approved by: Lee Lawyer" in _cover_text(stamped)


@pytest.mark.parametrize("size", [b"3", b"99999999999"])
def test_a_trailer_size_that_is_not_the_highest_object_number_plus_one_is_copied_whole(size: bytes) -> None:
    """The update numbers its objects from the trailer's /Size: a smaller one would replace the document's own objects
    (its fonts), a larger one give numbers readers refuse. Such a document is stamped as a new file, which poppler
    reads without complaint: the cover, then every page as filed."""
    import re
    import subprocess

    good = _worksheet()
    filed = re.sub(rb"/Size \d+", b"/Size " + size, good)
    stamped = stamp(filed, "t", LEE)
    assert not stamped.startswith(filed)
    assert subprocess.run(["pdftotext", "-", "-"], input=stamped, capture_output=True, check=True).stderr == b""
    pages = pdftotext(stamped).split("\f")
    assert "Approved by: Lee Lawyer" in pages[0]
    assert pages[1:] == pdftotext(good).split("\f")
    assert read_stamp(stamped).filed_sha256 == sha256_bytes(filed)


def test_a_reviewer_name_made_to_break_the_cover_stays_on_the_page_as_its_words() -> None:
    """A reviewer's name (from Git, anyone's to choose) with PDF syntax, control characters and a word wider than
    the page: the cover shows its words inside the margins (the long word in pieces of 40, control characters as
    spaces), its drawing is placed text only, and the metadata keeps the name as given."""
    from pypdf.generic import ContentStream

    doc = next(d for d in _massmutual_documents() if d.variant == "flat")
    word = "W" * 300
    name = f"Eve ) Tj ET BT (x endstream %%EOF\x00Null\x1bEsc\x7fDel {word}"
    approval = Approval(file=f"incidents/{MASSMUTUAL}.yaml", commit="c" * 40, date="2026-11-01T10:00:00Z",
                        source=TRAILER, approved=True, rules=".github/approvers.yaml", approvers=(
                            Approver(name, email="eve@example.com", commit="c" * 40, code_owner=True, counts=True),))
    stamped = stamp(doc.data, "t", approval)
    assert stamped.startswith(doc.data) and stamped == stamp(doc.data, "t", approval)
    words = _words_with_boxes(stamped)
    assert all(right <= 612 - 72 + 0.5 for _, right in words)
    found = [w for w, _ in words]
    start = found.index("Eve")
    assert found[start:start + 17] == ["Eve", ")", "Tj", "ET", "BT", "(x", "endstream", "%%EOF", "Null", "Esc", "Del",
                                       *[word[i:i + 40] for i in range(0, 240, 40)]]
    reader = PdfReader(io.BytesIO(stamped))
    assert {op for _, op in ContentStream(reader.pages[0].get_contents(), reader).operations} == {
        b"BT", b"Tf", b"Tm", b"Tj", b"ET"}
    assert read_stamp(stamped).approved_by == f"{name} <eve@example.com>"
