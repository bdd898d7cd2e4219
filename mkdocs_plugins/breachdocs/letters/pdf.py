"""Letters as PDF, in-process with reportlab's platypus.

Output is deterministic: ``invariant=1`` fixes the creation date and document
id, and the metadata carries no clock, path or recipient data. The standard
Times font is used while the text fits its character set (Windows-1252); other
text switches the letter to DejaVu Serif when the system has it.

Speed (a mail merge makes one PDF per recipient): page 1 has a head area of
fixed height (letterhead, date, address, salutation: the blocks that hold
recipient data) above the body. The body is the same for every recipient of a
state, so it is laid out once; its drawing operators are recorded and replayed
into each letter below that letter's own head. A head too tall for its area,
or a letter in an embedded font, is laid out in full instead.

Platypus measures every word of every paragraph (``stringWidth``), and letters and
worksheets repeat the same words: while a letter is laid out (:func:`_measured`, never
outside), paragraphs take each width from a memo of reportlab's own results, by text,
font object and size. The bytes are those of reportlab alone.
"""

from __future__ import annotations

import io
import re
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import escape
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus import paragraph as _paragraph

from .template import Block, LetterBody

PRODUCER = "breachdocs"
LANG = "en-US"
HEAD_HEIGHT = 2.8 * inch
_WIDTH, _HEIGHT = LETTER
_TOP = _HEIGHT - inch
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
_RECORDED_MAX = 64


class UnprintableText(ValueError):
    """The letter holds characters no available font can print."""


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


#: What to write instead of characters no font of ours prints.
PRINTABLE_ADVICE = "write the text in Latin, Greek or Cyrillic letters"


def unprintable(text: str) -> list[str]:
    """The characters of ``text`` (each once, in order) that a letter or worksheet cannot print: with DejaVu Serif,
    those it lacks (Chinese, Japanese or Korean script, Hebrew, emoji, ...); without it, all outside Windows-1252."""
    try:
        text.encode("cp1252")
        return []
    except UnicodeEncodeError:
        pass
    fonts = _unicode_fonts()
    if fonts is None:
        return [c for c in dict.fromkeys(text) if not _in_cp1252(c)]
    covered = pdfmetrics.getFont(fonts[0]).face.charToGlyph
    return [c for c in dict.fromkeys(text) if ord(c) > 0xFF and ord(c) not in covered]


def _in_cp1252(character: str) -> bool:
    try:
        character.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _fonts(body: LetterBody) -> tuple[str, str]:
    try:
        for block in body.blocks:
            block.markup.encode("cp1252")
    except UnicodeEncodeError:
        fonts = _unicode_fonts()
        if fonts is None:
            raise UnprintableText("the letter holds characters outside the Latin alphabet and no Unicode font "
                                  f"was found in {_DEJAVU}; install fonts-dejavu-core") from None
        if any(unprintable(block.markup) for block in body.blocks):
            raise UnprintableText("the letter holds characters its font (DejaVu Serif) cannot print, such as Chinese, "
                                  "Japanese or Korean script or emoji: they would print as empty boxes; "
                                  f"{PRINTABLE_ADVICE}") from None
        return fonts
    return "Times-Roman", "Times-Bold"


#: A word longer than this is broken into lines of ``_WORD_PIECE`` characters (reportlab's own splitting
#: of a long word grows with its square); a paragraph longer than ``_PIECE`` characters is laid out as
#: consecutive paragraphs of about that size (splitting one paragraph across pages grows the same way).
_LONG_WORD = re.compile(r"[^\s<>]{81,}")
_WORD_PIECE = 40
_PIECE = 4000
_CHARACTER = re.compile(r"&#?\w+;|.", re.S)
_TOKEN = re.compile(r"<[^>]*>|\s+|[^<\s]+")


def _break_long_words(markup: str) -> str:
    def cut(match: re.Match[str]) -> str:
        chars = _CHARACTER.findall(match.group())  # an entity (&amp;) is one character
        return "<br/>".join("".join(chars[i:i + _WORD_PIECE]) for i in range(0, len(chars), _WORD_PIECE))

    return _LONG_WORD.sub(cut, markup) if len(markup) > 80 else markup


def _pieces(markup: str) -> list[str]:
    """``markup`` cut at spaces or line breaks outside any tag into pieces of about ``_PIECE`` characters."""
    if len(markup) <= _PIECE:
        return [markup]
    pieces: list[str] = []
    start = depth = 0
    for token in _TOKEN.finditer(markup):
        text = token.group()
        breaks = text[0].isspace() or text.startswith("<br")
        if text.startswith("</"):
            depth -= 1
        elif text.startswith("<") and not text.endswith("/>"):
            depth += 1
        elif breaks and depth == 0 and token.start() - start >= _PIECE:
            pieces.append(markup[start:token.start()])
            start = token.end()
    pieces.append(markup[start:])
    return pieces


def _story(blocks: Sequence[Block], styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    story: list[Flowable] = []
    for b in blocks:
        if b.kind == "gap":
            story.append(Spacer(1, 12))
            continue
        pieces = _pieces(_break_long_words(b.markup))
        style = styles[b.kind]
        if len(pieces) > 1:
            joined = ParagraphStyle(f"{style.name}-cont", parent=style, spaceBefore=0, spaceAfter=0)
            story.extend(Paragraph(piece, joined) for piece in pieces[:-1])
        story.append(Paragraph(pieces[-1], style))
    return story


def _page_number(canvas: Any, doc: Any) -> None:
    canvas.saveState()
    canvas.setFont(doc.pageFont, 10)
    canvas.drawString(inch, _HEIGHT - 0.6 * inch, f"Page {doc.page}")
    canvas.restoreState()


def _metadata(title: str, author: str) -> dict[str, Any]:
    return {"title": title, "author": author, "subject": title, "creator": PRODUCER, "producer": PRODUCER,
            "keywords": "", "lang": LANG}


def _full_pdf(body: LetterBody, styles: dict[str, ParagraphStyle], regular: str, title: str, author: str) -> bytes:
    """The whole letter laid out by platypus in one frame per page."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=LETTER, leftMargin=inch, rightMargin=inch, topMargin=inch,
                            bottomMargin=inch, invariant=1, **_metadata(title, author))
    doc.pageFont = regular
    doc.build(_story(body.blocks, styles), onLaterPages=_page_number)
    return buffer.getvalue()


@dataclass(frozen=True)
class _Recorded:
    """A body laid out once: the fonts in the order the document met them, and each page's operators."""

    fonts: tuple[str, ...]
    pages: tuple[tuple[str, ...], ...]


_recorded: OrderedDict[tuple[str, tuple[Block, ...]], _Recorded] = OrderedDict()


def _record(blocks: tuple[Block, ...], styles: dict[str, ParagraphStyle], regular: str) -> _Recorded:
    key = (regular, blocks)
    found = _recorded.get(key)
    if found is not None:
        _recorded.move_to_end(key)
        return found
    pages: list[tuple[str, ...]] = []
    fonts: list[str] = []

    def keep(canvas: Any, _doc: Any) -> None:
        pages.append(tuple(canvas._code))
        fonts[:] = list(canvas._doc.fontMapping)

    doc = BaseDocTemplate(io.BytesIO(), pagesize=LETTER, invariant=1)
    doc.pageFont = regular
    first = Frame(inch, inch, _WIDTH - 2 * inch, _TOP - HEAD_HEIGHT - inch, id="body")
    later = Frame(inch, inch, _WIDTH - 2 * inch, _HEIGHT - 2 * inch, id="normal")
    doc.addPageTemplates([PageTemplate("first", [first], onPageEnd=keep, autoNextPageTemplate="later"),
                          PageTemplate("later", [later], onPage=_page_number, onPageEnd=keep)])
    doc.build(_story(blocks, styles))
    made = _Recorded(tuple(fonts), tuple(pages))
    _recorded[key] = made
    if len(_recorded) > _RECORDED_MAX:
        _recorded.popitem(last=False)
    return made


def _head_length(blocks: Sequence[Block], personal: Sequence[str]) -> int:
    """Number of leading blocks up to the last one holding recipient data."""
    needles = [str(escape(p)) for p in personal if p]
    last = -1
    for i, block in enumerate(blocks):
        if any(n in block.markup for n in needles):
            last = i
    return last + 1


def _replayed_pdf(head: Sequence[Block], recorded: _Recorded, styles: dict[str, ParagraphStyle],
                  title: str, author: str) -> bytes | None:
    """Head laid out now, body replayed; None when the head does not fit its area."""
    buffer = io.BytesIO()
    meta = _metadata(title, author)
    canvas = Canvas(buffer, pagesize=LETTER, invariant=1, lang=meta.pop("lang"))
    for name, value in meta.items():
        getattr(canvas, f"set{name.capitalize()}")(value)
    for font in recorded.fonts:  # same internal font names (/F1, /F2, ...) as in the recorded operators
        canvas._doc.getInternalFontName(font)
    pending = _story(head, styles)
    Frame(inch, _TOP - HEAD_HEIGHT, _WIDTH - 2 * inch, HEAD_HEIGHT, id="head").addFromList(pending, canvas)
    if pending:
        return None
    for code in recorded.pages:
        canvas._code.extend(code)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


#: Widths measured, by (text, font name, size, encoding): (the font object measured, its result).
_WIDTHS: dict[tuple[str, str, float, str], tuple[object, float]] = {}
_WIDTHS_MAX = 1 << 17


def _remembered(measure: Callable[..., float]) -> Callable[..., float]:
    """``measure`` (reportlab's ``stringWidth``) answered from :data:`_WIDTHS` while the font registered under
    the name is the one measured."""
    fonts = pdfmetrics._fonts  # reportlab's registry: a font registered anew under a name is measured anew

    def width(text: str, fontName: str, fontSize: float, encoding: str = "utf8") -> float:  # noqa: N803
        key = (text, fontName, fontSize, encoding)
        found = _WIDTHS.get(key)
        font = fonts.get(fontName)
        if found is not None and found[0] is font and font is not None:
            return found[1]
        value = measure(text, fontName, fontSize, encoding)
        if len(_WIDTHS) >= _WIDTHS_MAX:
            _WIDTHS.clear()
        _WIDTHS[key] = (fonts.get(fontName), value)
        return value

    return width


@contextmanager
def _measured() -> Iterator[None]:
    """Paragraphs measure words through :func:`_remembered` inside the block (reportlab is as it was after)."""
    plain = _paragraph.stringWidth
    _paragraph.stringWidth = _remembered(plain)
    try:
        yield
    finally:
        _paragraph.stringWidth = plain


def letter_pdf(body: LetterBody, *, title: str, author: str, personal: Sequence[str] = ()) -> bytes:
    """The letter as PDF bytes: US Letter, one-inch margins, 'Page N' from page 2 on.

    ``personal`` are the recipient's values (name, address lines): the blocks up
    to the last one holding them form the head of page 1; the rest is the body.
    """
    with _measured():
        return _letter_pdf(body, title=title, author=author, personal=personal)


def _letter_pdf(body: LetterBody, *, title: str, author: str, personal: Sequence[str]) -> bytes:
    regular, bold = _fonts(body)
    styles = _styles(regular, bold)
    blocks = body.blocks
    split = _head_length(blocks, personal)
    if regular.startswith("Times") and 0 < split < len(blocks):
        recorded = _record(tuple(blocks[split:]), styles, regular)
        made = _replayed_pdf(blocks[:split], recorded, styles, title, author)
        if made is not None:
            return made
    return _full_pdf(body, styles, regular, title, author)
