"""The approval stamp: a copy of a filed document that says who approved it, and where.

The document as filed stays byte-for-byte what was sent; its SHA-256 is the one
recorded in the incident. The *stamped copy* is a separate file: a cover page
(the filing, the SHA-256 of the filed document, whether the change was
approved, the reviewers who approved it -- not who merged it -- with the commit
each approved, the source of the approval, the merge commit) in front of the
filed pages, and the same facts in the PDF's document information
(``/BreachdocsApproved``, ``/BreachdocsApprovedBy``, ``/BreachdocsApprovalSource``,
``/BreachdocsCommit``, ``/BreachdocsFiledSHA256``). The cover's lines are wrapped
to the page as the worksheets' are (a word wider than the line cut, control
characters as spaces). Both are deterministic: the stamp holds only facts from Git
and the review, no clock.

The stamped copy is an *incremental update* of the filed document (ISO 32000-1,
7.5.6): its first bytes are the filed document exactly, followed by the cover
page, the page tree with the cover in front, the new document information and
a cross-reference section. So anyone can check a stamped copy by cutting it at
the filed document's length and comparing hashes, and stamping costs a few
objects instead of a copy of the whole document. A document whose last
cross-reference section is a stream (or that is encrypted) is copied whole.

The cover is drawn straight into the update (:class:`DrawnPage`: its text operators in
the standard Helvetica and Courier fonts), not made as a PDF of its own and parsed
again; a cover with text those fonts' encoding (Windows-1252) lacks is made by
reportlab, which prints such characters from its substitute fonts, and copied in.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from ..approval import Approval
from ..hashing import sha256_bytes
from ..letters.plain_pdf import wrap_lines
from ..pdf.pdf_encoding import fast_tokens
from ..pdf.pdf_update import DrawnPage, add_pages
from ..pdf.text_pages import Line, operators

META_APPROVED_BY = "/BreachdocsApprovedBy"
META_APPROVED = "/BreachdocsApproved"
META_COMMIT = "/BreachdocsCommit"
META_FILED_SHA256 = "/BreachdocsFiledSHA256"
META_APPROVAL_SOURCE = "/BreachdocsApprovalSource"
META_PULL_REQUEST = "/BreachdocsPullRequest"
MARGIN = 72


@dataclass(frozen=True)
class Stamp:
    """What a stamped copy says, read back from its metadata."""

    approved_by: str
    commit: str
    filed_sha256: str
    source: str
    approved: bool = False
    pull_request: str = ""


def cover_lines(title: str, filed_sha256: str, approval: Approval | None) -> list[tuple[str, int, str]]:
    """The cover page's lines as (font, size, text), before wrapping."""
    lines = [
        ("Helvetica-Bold", 16, "Approval stamp (not part of the document as filed)"),
        ("Helvetica", 11, title),
        ("Helvetica", 11, "SHA-256 of the document as filed:"),
        ("Courier", 9, filed_sha256),
    ]
    if approval is None:
        return [*lines, ("Helvetica-Bold", 11, "Approval: not recorded (built outside Git)")]
    if approval.approved:
        lines.append(("Helvetica-Bold", 11, "Approval: APPROVED"))
    else:
        lines.append(("Helvetica-Bold", 11, "Approval: NOT APPROVED (this document is not published as approved)"))
    for approver in approval.approvers:
        role = "code owner" if approver.code_owner else "not entitled to approve this file"
        if approver.code_owner and approval.rules.endswith("approvers.yaml"):
            role = "on the approvers list"
        said = "Approved by" if approval.approved else "Approving review by"
        lines.append(("Helvetica", 11, f"{said}: {approver.label()} ({role})"
                      + ("" if approver.counts else ": does not count")))
        lines.append(("Helvetica", 9, f"approved commit {approver.commit} at {approver.at}"))
    lines.append(("Helvetica", 11, f"Source: {approval.source_text()}"))
    if approval.pull_url:
        lines.append(("Helvetica", 9, approval.pull_url))
    lines.append(("Helvetica", 11, "Merge commit:"))
    lines.append(("Courier", 9, approval.commit))
    merged = f", merged by @{approval.merged_by}" if approval.merged_by else ""
    lines.append(("Helvetica", 11, f"Date: {approval.date}{merged}"))
    for earlier in approval.history:
        lines.append(("Helvetica", 9, f"Earlier change: {earlier.text()}"))
    for problem in approval.problems:
        lines.append(("Helvetica", 9, f"Not approved: {problem}"))
    return lines


#: The cover's fonts by the resource names its drawn pages give them.
_FONTS = {"F1": "Helvetica", "F2": "Helvetica-Bold", "F3": "Courier"}
_FONT_NAMES = {font: name for name, font in _FONTS.items()}


def _placed(title: str, filed_sha256: str, approval: Approval | None) -> list[list[Line]]:
    """The cover's pages, each its lines wrapped to the page and placed."""
    width, height = letter
    y = height - MARGIN
    pages: list[list[Line]] = [[]]
    lines = [*cover_lines(title, filed_sha256, approval),
             ("Helvetica", 9, "The pages that follow are the document exactly as filed.")]
    for font, size, text in lines:
        for part in wrap_lines(text, font, size, width - 2 * MARGIN) or [""]:
            if y < MARGIN:  # a long list of approvers or reasons goes on to another page
                pages.append([])
                y = height - MARGIN
            pages[-1].append(Line(font, size, MARGIN, y, part))
            y -= size * 1.35
        y -= size * 0.6
    return pages


def _drawn_cover(pages: list[list[Line]]) -> list[DrawnPage] | None:
    """The cover's pages drawn in the standard fonts; None when a line holds a character they cannot print."""
    try:
        return [DrawnPage(operators(page, _FONT_NAMES), _FONTS) for page in pages]
    except UnicodeEncodeError:
        return None


def _cover(pages: list[list[Line]], title: str) -> bytes:
    """The cover as a PDF of its own, by reportlab (for text outside the standard fonts' encoding)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter, invariant=True, pageCompression=0)
    pdf.setTitle(f"Approval stamp: {title}")
    for page in pages:
        for line in page:
            pdf.setFont(line.font, line.size)
            pdf.drawString(line.x, line.y, line.text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _metadata(title: str, filed_sha256: str, approval: Approval | None) -> dict[str, str]:
    return {
        "/Title": f"{title} (stamped copy)",
        "/Producer": "breachdocs",
        META_APPROVED_BY: approval.names() if approval and approval.approved else "",
        META_APPROVED: ("yes" if approval.approved else "no") if approval else "not recorded",
        META_COMMIT: approval.commit if approval else "",
        META_APPROVAL_SOURCE: approval.source_text() if approval else "",
        META_PULL_REQUEST: approval.pull_url if approval else "",
        META_FILED_SHA256: filed_sha256,
    }


def _file_id(filed_sha256: str, approval: Approval | None) -> ByteStringObject:
    """A stable file identifier: derived from the content, never random."""
    approved_by = json.dumps(approval.to_json(), sort_keys=True) if approval else ""
    return ByteStringObject(bytes.fromhex(sha256_bytes((filed_sha256 + approved_by).encode())[:32]))


def stamp(filed: bytes, title: str, approval: Approval | None) -> bytes:
    """The stamped copy of ``filed``: cover page + filed pages + approval metadata."""
    filed_sha256 = sha256_bytes(filed)
    pages = _placed(title, filed_sha256, approval)
    drawn = _drawn_cover(pages)
    cover: list[bytes | DrawnPage] = [*drawn] if drawn is not None else [_cover(pages, title)]
    meta = _metadata(title, filed_sha256, approval)
    ident = _file_id(filed_sha256, approval)
    updated = add_pages(filed, before=cover, info=meta, keep_info=True, file_id=bytes(ident))
    return updated if updated is not None else _whole_copy(filed, _cover(pages, title), meta, ident)


def _whole_copy(filed: bytes, cover: bytes, meta: dict[str, str], ident: ByteStringObject) -> bytes:
    """The stamped copy written afresh: the cover's and the filed document's pages in a new PDF."""
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(cover)))
    writer.append(PdfReader(io.BytesIO(filed)))
    writer.add_metadata(meta)
    writer._ID = ArrayObject([ident, ident])
    out = io.BytesIO()
    with fast_tokens():
        writer.write(out)
    return out.getvalue()


def read_stamp(data: bytes) -> Stamp:
    """The stamp of a stamped copy, from its document information."""
    meta: Any = PdfReader(io.BytesIO(data)).metadata or {}
    return Stamp(
        approved_by=str(meta.get(META_APPROVED_BY, "")),
        commit=str(meta.get(META_COMMIT, "")),
        filed_sha256=str(meta.get(META_FILED_SHA256, "")),
        source=str(meta.get(META_APPROVAL_SOURCE, "")),
        approved=str(meta.get(META_APPROVED, "")) == "yes",
        pull_request=str(meta.get(META_PULL_REQUEST, "")),
    )
