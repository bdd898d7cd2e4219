"""Filing packets: the filled form followed by its attachments (the consumer
notice), one PDF with a bookmark for each part. Deterministic like every output.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from .fill import deterministic_bytes


def build_packet(parts: Sequence[tuple[str, bytes]], *, title: str) -> bytes:
    """One PDF of ``parts`` ((bookmark title, PDF bytes), in order), each part bookmarked at its first page."""
    writer = PdfWriter()
    for name, data in parts:
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(data)), import_outline=False)
        writer.add_outline_item(title=name, page_number=start)
    writer.page_mode = "/UseOutlines"
    return deterministic_bytes(writer, {"/Title": title})


def text_pdf(title: str, text: str) -> bytes:
    """A plain, paginated PDF of ``text`` under ``title`` (the notice attachment until letters are generated)."""
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
