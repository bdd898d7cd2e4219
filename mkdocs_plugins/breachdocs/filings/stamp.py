"""The approval stamp: a copy of a filed document that says who approved it, and where.

The document as filed stays byte-for-byte what was sent; its SHA-256 is the one
recorded in the incident. The *stamped copy* is a separate file: a cover page
(the filing, the SHA-256 of the filed document, approvers, merge commit) in
front of the filed pages, and the same facts in the PDF's document information
(``/BreachdocsApprovedBy``, ``/BreachdocsCommit``, ``/BreachdocsFiledSHA256``).
Both are deterministic: the stamp holds only facts from Git, no clock.

The stamped copy is an *incremental update* of the filed document (ISO 32000-1,
7.5.6): its first bytes are the filed document exactly, followed by the cover
page, the page tree with the cover in front, the new document information and
a cross-reference section. So anyone can check a stamped copy by cutting it at
the filed document's length and comparing hashes, and stamping costs a few
objects instead of a copy of the whole document. A document whose last
cross-reference section is a stream (or that is encrypted) is copied whole.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from ..git import Approval
from ..hashing import sha256_bytes
from ..pdf.pdf_encoding import fast_tokens
from ..pdf.pdf_update import add_pages

META_APPROVED_BY = "/BreachdocsApprovedBy"
META_COMMIT = "/BreachdocsCommit"
META_FILED_SHA256 = "/BreachdocsFiledSHA256"
META_APPROVAL_SOURCE = "/BreachdocsApprovalSource"


@dataclass(frozen=True)
class Stamp:
    """What a stamped copy says, read back from its metadata."""

    approved_by: str
    commit: str
    filed_sha256: str
    source: str


def _cover(title: str, filed_sha256: str, approval: Approval | None) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=letter, invariant=True, pageCompression=0)
    pdf.setTitle(f"Approval stamp: {title}")
    width, height = letter
    y = height - 72
    lines = [
        ("Helvetica-Bold", 16, "Approval stamp (not part of the document as filed)"),
        ("Helvetica", 11, title),
        ("Helvetica", 11, ""),
        ("Helvetica", 11, "SHA-256 of the document as filed:"),
        ("Courier", 9, filed_sha256),
    ]
    if approval is None:
        lines.append(("Helvetica", 11, "Approved by: not recorded (built outside Git)"))
    else:
        lines += [
            ("Helvetica", 11, f"Approved by: {', '.join(approval.approvers)} ({approval.source})"),
            ("Helvetica", 11, "Merge commit:" if approval.source != "commit author" else "Commit:"),
            ("Courier", 9, approval.commit),
            ("Helvetica", 11, f"Date: {approval.date}"),
        ]
    lines.append(("Helvetica", 9, "The pages that follow are the document exactly as filed."))
    for font, size, text in lines:
        pdf.setFont(font, size)
        pdf.drawString(72, y, text)
        y -= max(size, 11) * 1.8
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _metadata(title: str, filed_sha256: str, approval: Approval | None) -> dict[str, str]:
    return {
        "/Title": f"{title} (stamped copy)",
        "/Producer": "breachdocs",
        META_APPROVED_BY: ", ".join(approval.approvers) if approval else "",
        META_COMMIT: approval.commit if approval else "",
        META_APPROVAL_SOURCE: approval.source if approval else "",
        META_FILED_SHA256: filed_sha256,
    }


def _file_id(filed_sha256: str, approval: Approval | None) -> ByteStringObject:
    """A stable file identifier: derived from the content, never random."""
    approved_by = ", ".join(approval.approvers) if approval else ""
    return ByteStringObject(bytes.fromhex(sha256_bytes((filed_sha256 + approved_by).encode())[:32]))


def stamp(filed: bytes, title: str, approval: Approval | None) -> bytes:
    """The stamped copy of ``filed``: cover page + filed pages + approval metadata."""
    filed_sha256 = sha256_bytes(filed)
    cover = _cover(title, filed_sha256, approval)
    meta = _metadata(title, filed_sha256, approval)
    ident = _file_id(filed_sha256, approval)
    updated = add_pages(filed, before=[cover], info=meta, keep_info=True, file_id=bytes(ident))
    return updated if updated is not None else _whole_copy(filed, cover, meta, ident)


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
    )
