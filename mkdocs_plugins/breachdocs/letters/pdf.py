"""Letters as PDF, in-process with reportlab's platypus.

Output is deterministic: ``invariant=1`` fixes the creation date and document
id, and the metadata carries no clock, path or recipient data. The standard
Times font is used while the text fits its character set (Windows-1252); other
text switches the letter to DejaVu Serif when the system has it.

Speed: line breaking dominates, and most of a letter is the same for every
recipient, so paragraphs are kept in a small cache and their line breaks are
computed once per width (see :class:`_CachedParagraph`).
"""

from __future__ import annotations

import io
from collections import OrderedDict
from functools import cache
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from .template import Block, LetterBody

PRODUCER = "breachdocs"
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_CACHE_SIZE = 512


class UnprintableText(ValueError):
    """The letter holds characters no available font can print."""


class _CachedParagraph(Paragraph):
    """A Paragraph whose line breaks are computed once per width, so it can be reused across letters."""

    def breakLines(self, width: Any) -> Any:  # noqa: N802 - reportlab's name
        key = tuple(width) if isinstance(width, list | tuple) else width
        memo: dict[Any, Any] = self.__dict__.setdefault("_breaks", {})
        if key not in memo:
            memo[key] = super().breakLines(width)
        return memo[key]

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803 - reportlab's names
        # splitting at a page end changes line data in place: split a fresh copy, keep the cached one intact
        fresh = Paragraph(self.text, self.style)
        fresh.wrap(availWidth, availHeight)
        return fresh.split(availWidth, availHeight)  # type: ignore[no-any-return]


@cache
def _styles(regular: str, bold: str) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=regular, fontSize=11, leading=14, spaceAfter=8)
    return {
        "p": body,
        "h": ParagraphStyle("h", parent=body, fontName=bold, spaceBefore=4, spaceAfter=3, keepWithNext=1),
        "line": ParagraphStyle("line", parent=body, spaceAfter=0),
        "note": ParagraphStyle("note", parent=body, fontSize=9, leading=11),
    }


@cache
def _unicode_fonts() -> tuple[str, str] | None:
    regular, bold = _DEJAVU / "DejaVuSerif.ttf", _DEJAVU / "DejaVuSerif-Bold.ttf"
    if not (regular.exists() and bold.exists()):
        return None
    pdfmetrics.registerFont(TTFont("DejaVuSerif", str(regular)))
    pdfmetrics.registerFont(TTFont("DejaVuSerif-Bold", str(bold)))
    pdfmetrics.registerFontFamily("DejaVuSerif", normal="DejaVuSerif", bold="DejaVuSerif-Bold",
                                  italic="DejaVuSerif", boldItalic="DejaVuSerif-Bold")
    return "DejaVuSerif", "DejaVuSerif-Bold"


def _fonts(body: LetterBody) -> tuple[str, str]:
    try:
        for block in body.blocks:
            block.markup.encode("cp1252")
    except UnicodeEncodeError:
        fonts = _unicode_fonts()
        if fonts is None:
            raise UnprintableText("the letter holds characters outside the Latin alphabet and no Unicode font "
                                  f"was found in {_DEJAVU}; install fonts-dejavu-core") from None
        return fonts
    return "Times-Roman", "Times-Bold"


_paragraphs: OrderedDict[tuple[str, str, str], Paragraph] = OrderedDict()


def _paragraph(block: Block, style: ParagraphStyle) -> Paragraph:
    key = (block.kind, style.fontName, block.markup)
    found = _paragraphs.get(key)
    if found is not None:
        _paragraphs.move_to_end(key)
        found.__dict__.pop("_postponed", None)  # platypus marks a flowable moved to the next page; not ours to keep
        return found
    made = _CachedParagraph(block.markup, style)
    _paragraphs[key] = made
    if len(_paragraphs) > _CACHE_SIZE:
        _paragraphs.popitem(last=False)
    return made


def _story(body: LetterBody, styles: dict[str, ParagraphStyle], *, cached: bool) -> list[Flowable]:
    story: list[Flowable] = []
    for block in body.blocks:
        if block.kind == "gap":
            story.append(Spacer(1, 12))
        elif cached:
            story.append(_paragraph(block, styles[block.kind]))
        else:
            story.append(Paragraph(block.markup, styles[block.kind]))
    return story


def _page_number(canvas: Any, doc: Any) -> None:
    canvas.saveState()
    canvas.setFont(doc.pageFont, 10)
    canvas.drawString(inch, LETTER[1] - 0.6 * inch, f"Page {doc.page}")
    canvas.restoreState()


def letter_pdf(body: LetterBody, *, title: str, author: str) -> bytes:
    """The letter as PDF bytes: US Letter, one-inch margins, 'Page N' from page 2 on."""
    regular, bold = _fonts(body)
    styles = _styles(regular, bold)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=LETTER, leftMargin=inch, rightMargin=inch, topMargin=inch, bottomMargin=inch,
        invariant=1, title=title, author=author, subject=title, creator=PRODUCER, producer=PRODUCER,
        keywords="", lang="en-US",
    )
    doc.pageFont = regular
    # embedded (TrueType) fonts number their glyphs per document: no reuse of laid-out paragraphs there
    doc.build(_story(body, styles, cached=regular.startswith("Times")), onLaterPages=_page_number)
    return buffer.getvalue()
