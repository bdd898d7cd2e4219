"""The approval stamp: a copy of a filed document that says who approved it, and where.

The document as filed stays byte-for-byte what was sent; its SHA-256 is the one
recorded in the incident. The *stamped copy* is a separate file: a cover page
(the filing, the SHA-256 of the filed document, approvers, merge commit) in
front of the filed pages, and the same facts in the PDF's document information
(``/BreachdocsApprovedBy``, ``/BreachdocsCommit``, ``/BreachdocsFiledSHA256``).
Both are deterministic: the stamp holds only facts from Git, no clock.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from .gitinfo import Approval
from .writer import sha256_bytes

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


def stamp(filed: bytes, title: str, approval: Approval | None) -> bytes:
    """The stamped copy of ``filed``: cover page + filed pages + approval metadata."""
    filed_sha256 = sha256_bytes(filed)
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(_cover(title, filed_sha256, approval))))
    writer.append(PdfReader(io.BytesIO(filed)))
    approved_by = ", ".join(approval.approvers) if approval else ""
    writer.add_metadata({
        "/Title": f"{title} (stamped copy)",
        "/Producer": "breachdocs",
        META_APPROVED_BY: approved_by,
        META_COMMIT: approval.commit if approval else "",
        META_APPROVAL_SOURCE: approval.source if approval else "",
        META_FILED_SHA256: filed_sha256,
    })
    # A stable file identifier: derived from the content, never random.
    ident = ByteStringObject(bytes.fromhex(sha256_bytes((filed_sha256 + approved_by).encode())[:32]))
    writer._ID = ArrayObject([ident, ident])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def read_stamp(data: bytes) -> Stamp:
    """The stamp of a stamped copy, from its document information."""
    meta = PdfReader(io.BytesIO(data)).metadata or {}
    return Stamp(
        approved_by=str(meta.get(META_APPROVED_BY, "")),
        commit=str(meta.get(META_COMMIT, "")),
        filed_sha256=str(meta.get(META_FILED_SHA256, "")),
        source=str(meta.get(META_APPROVAL_SOURCE, "")),
    )
