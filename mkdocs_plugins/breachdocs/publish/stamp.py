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
import re
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)
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
    updated = _incremental(filed, cover, meta, ident)
    return updated if updated is not None else _whole_copy(filed, cover, meta, ident)


def _whole_copy(filed: bytes, cover: bytes, meta: dict[str, str], ident: ByteStringObject) -> bytes:
    """The stamped copy written afresh: the cover's and the filed document's pages in a new PDF."""
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(cover)))
    writer.append(PdfReader(io.BytesIO(filed)))
    writer.add_metadata(meta)
    writer._ID = ArrayObject([ident, ident])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")


def _incremental(filed: bytes, cover: bytes, meta: dict[str, str], ident: ByteStringObject) -> bytes | None:
    """``filed`` + an update that puts the cover page first and sets the metadata; None if the
    document does not allow a plain update (cross-reference stream, encryption, odd trailer)."""
    found = _STARTXREF.search(filed[-1024:])
    if found is None or not filed[int(found.group(1)):].startswith(b"xref"):
        return None
    reader = PdfReader(io.BytesIO(filed))
    trailer = reader.trailer
    if reader.is_encrypted:
        return None
    pages_ref = trailer["/Root"].get_object().raw_get("/Pages")
    if not isinstance(pages_ref, IndirectObject):
        return None
    size = int(trailer["/Size"])

    # The cover's objects (page, content stream, fonts), renumbered after the filed document's.
    source = PdfReader(io.BytesIO(cover))
    page = source.pages[0]
    numbers: dict[int, int] = {}
    order: list[IndirectObject] = []

    def renumber(value: Any) -> Any:
        if isinstance(value, IndirectObject):
            if value.idnum not in numbers:
                numbers[value.idnum] = size + len(numbers)
                order.append(value)
            return IndirectObject(numbers[value.idnum], 0, None)  # type: ignore[arg-type]
        if isinstance(value, StreamObject):
            copy = StreamObject()
            copy.set_data(value.get_data())  # uncompressed: the cover is drawn without compression
            copy.update({k: renumber(v) for k, v in value.items() if k not in ("/Length", "/Filter")})
            return copy
        if isinstance(value, DictionaryObject):
            return DictionaryObject({k: renumber(v) for k, v in value.items()})
        if isinstance(value, ArrayObject):
            return ArrayObject(renumber(v) for v in value)
        return value

    cover_page = DictionaryObject({k: renumber(v) for k, v in page.items() if k != "/Parent"})
    cover_page[NameObject("/Parent")] = pages_ref
    objects: dict[int, PdfObject] = {}
    done = 0
    while done < len(order):  # objects reached from the cover page, each copied once
        ref = order[done]
        objects[numbers[ref.idnum]] = renumber(ref.get_object())
        done += 1
    cover_number = size + len(numbers)
    objects[cover_number] = cover_page

    tree = pages_ref.get_object()
    new_tree = DictionaryObject(tree.items())
    new_tree[NameObject("/Kids")] = ArrayObject([IndirectObject(cover_number, 0, None), *tree.raw_get("/Kids")])
    new_tree[NameObject("/Count")] = NumberObject(int(tree["/Count"]) + 1)
    objects[pages_ref.idnum] = new_tree

    info = DictionaryObject()
    old_info = trailer.get("/Info")
    if old_info is not None:
        info.update(old_info.get_object().items())
    info.update({NameObject(k): TextStringObject(v) for k, v in meta.items()})
    info_number = cover_number + 1
    objects[info_number] = info

    out = io.BytesIO()
    out.write(filed if filed.endswith(b"\n") else filed + b"\n")
    offsets: dict[int, int] = {}
    generations = {pages_ref.idnum: pages_ref.generation}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(f"{number} {generations.get(number, 0)} obj\n".encode())
        objects[number].write_to_stream(out)
        out.write(b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n")
    runs: list[list[int]] = []
    for number in sorted(offsets):
        if runs and runs[-1][-1] == number - 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    for run in runs:
        out.write(f"{run[0]} {len(run)}\n".encode())
        for number in run:
            out.write(f"{offsets[number]:010d} {generations.get(number, 0):05d} n\r\n".encode())
    first_id = trailer.get("/ID")
    new_trailer = DictionaryObject({
        NameObject("/Size"): NumberObject(max(size, info_number + 1)),
        NameObject("/Root"): trailer.raw_get("/Root"),
        NameObject("/Info"): IndirectObject(info_number, 0, None),  # type: ignore[arg-type]
        NameObject("/ID"): ArrayObject([first_id[0] if first_id else ident, ident]),
        NameObject("/Prev"): NumberObject(int(found.group(1))),
    })
    out.write(b"trailer\n")
    new_trailer.write_to_stream(out)
    out.write(f"\nstartxref\n{xref}\n%%EOF\n".encode())
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
