"""Packets: several PDFs in one (a filled form followed by its attachments, such as
the consumer notice), with a bookmark for each part. Deterministic like every output.

The packet is the first part (the flattened form) with the other parts' pages
added by an incremental update (:mod:`.pdf_update`): its first bytes are the
flattened form exactly as filed alone, and only the attachment is written anew.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from .fill import PRODUCER, deterministic_bytes
from .pdf_update import add_pages


def build_packet(parts: Sequence[tuple[str, bytes]], *, title: str) -> bytes:
    """One PDF of ``parts`` ((bookmark title, PDF bytes), in order), each part bookmarked at its first page."""
    (_, first), *rest = parts
    starts, count = [], 0
    for _, data in parts:
        starts.append(count)
        count += len(PdfReader(io.BytesIO(data)).pages)
    file_id = hashlib.sha256(b"\0".join([title.encode(), *(data for _, data in parts)])).digest()[:16]
    updated = add_pages(first, after=[data for _, data in rest], info={"/Producer": PRODUCER, "/Title": title},
                        outline=[(name, start) for (name, _), start in zip(parts, starts, strict=True)], file_id=file_id)
    return updated if updated is not None else _whole_packet(parts, title)


def _whole_packet(parts: Sequence[tuple[str, bytes]], title: str) -> bytes:
    """The packet written afresh (when the first part does not allow an update)."""
    writer = PdfWriter()
    for name, data in parts:
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(data)), import_outline=False)
        writer.add_outline_item(title=name, page_number=start)
    writer.page_mode = "/UseOutlines"
    return deterministic_bytes(writer, {"/Title": title})


def text_pdf(title: str, text: str) -> bytes:
    """A plain, paginated PDF of ``text`` under ``title`` (an attachment given as text)."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=letter, invariant=1)
    canvas.setTitle(title)
    width, height = letter
    left, top, bottom, size, leading = 72.0, height - 72.0, 72.0, 10.5, 14.0
    y = top
    canvas.setFont("Helvetica-Bold", 12)
    canvas.drawString(left, y, title)
    y -= 2 * leading
    canvas.setFont("Helvetica", size)
    for paragraph in text.replace("\r\n", "\n").split("\n"):
        lines = simpleSplit(paragraph, "Helvetica", size, width - 2 * left) or [""]
        for line in lines:
            if y < bottom:
                canvas.showPage()
                canvas.setFont("Helvetica", size)
                y = top
            canvas.drawString(left, y, line)
            y -= leading
    canvas.showPage()
    canvas.save()
    return out.getvalue()
