"""Plain-text letter bodies as PDF, laid out line by line (no platypus).

For documents made by the thousand whose blocks are plain text, such as the regulator worksheets:
each block's text (line breaks kept, no other inline markup) is wrapped greedily to the line
width, and the lines are drawn with the fonts, sizes, leading and spacing of the letters' styles
(:mod:`.pdf`): page 1 without a number, 'Page N' from page 2 on, one-inch margins. A heading is
kept with the start of the block after it, and a paragraph does not leave its first line alone at
the foot of a page. A word wider than the line is cut into lines of ``_WORD_PIECE`` characters, as
the letters cut a very long word.

The placed lines are written straight to PDF in the standard Times fonts (:mod:`..pdf.text_pages`);
a body that needs DejaVu Serif (text outside Windows-1252) is drawn on a reportlab canvas, which
embeds the font. It costs a small part of what platypus costs (no paragraph markup parsed, no
flowables measured and split); like every document, the bytes are deterministic (no clock).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas

from ..pdf.text_pages import Line, text_pdf
from .pdf import _WORD_PIECE, _fonts, _metadata, _styles
from .template import Block, LetterBody

_WIDTH, _HEIGHT = LETTER
#: The text area: the letters' frame (one-inch margins) less platypus's 6-point frame padding.
_PAD = 6
_LEFT = inch + _PAD
_RIGHT = _WIDTH - inch - _PAD
_TOP = _HEIGHT - inch - _PAD
_BOTTOM = inch + _PAD
_GAP = 12
#: Fonts written directly (standard, not embedded); any other is drawn by reportlab.
STANDARD = frozenset({"Times-Roman", "Times-Bold"})
#: Word widths measured, by (font name, size): the font object measured (a font registered anew under a name is
#: measured anew) and its words' widths.
_WIDTHS: dict[tuple[str, float], tuple[object, dict[str, float]]] = {}
_WIDTHS_MAX = 1 << 16
#: Control characters (NUL, escape, form feed, vertical tab, DEL, the C1 set, ...; not the line break): they
#: separate words like a space, never reach the page (where they print as nothing, or as a stray glyph).
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class _Laid:
    """One block wrapped: its font, size, leading, spacing and lines."""

    font: str
    size: float
    leading: float
    before: float
    after: float
    keep_with_next: bool
    lines: tuple[str, ...]


def _wrap(text: str, font: str, size: float, width: float, widths: dict[str, float]) -> list[str]:
    """``text``'s lines (a line break starts a new one) wrapped greedily at spaces (and control characters) to
    ``width``."""
    space = stringWidth(" ", font, size)

    def measure(word: str) -> float:
        found = widths.get(word)
        if found is None:
            found = widths[word] = stringWidth(word, font, size)
        return found

    lines: list[str] = []
    given_text = _CONTROL.sub(" ", text).strip()
    for given in given_text.split("\n") if given_text else []:
        whole = " ".join(given.split())
        if not whole:  # a blank line (between paragraphs) is kept
            lines.append("")
            continue
        if measure(whole) <= width:  # the line fits as it is (labels and short answers: most lines)
            lines.append(whole)
            continue
        words: list[str] = []
        for word in whole.split():
            if measure(word) > width:  # a word wider than the line: pieces of _WORD_PIECE characters
                words += [word[i:i + _WORD_PIECE] for i in range(0, len(word), _WORD_PIECE)]
            else:
                words.append(word)
        line: list[str] = []
        used = 0.0
        for word in words:
            wide = measure(word)
            if line and used + space + wide > width:
                lines.append(" ".join(line))
                line, used = [], 0.0
            used = used + space + wide if line else wide
            line.append(word)
        if line:
            lines.append(" ".join(line))
    return lines


def wrap_lines(text: str, font: str, size: float, width: float) -> list[str]:
    """``text``'s lines in ``font`` at ``size`` wrapped to ``width`` as the worksheets wrap them: at spaces, control
    characters separating words like a space, a line break starting a new line, a word wider than the line cut
    into pieces."""
    return _wrap(text, font, size, width, _widths(font, size))


def _widths(font: str, size: float) -> dict[str, float]:
    """The remembered word widths of ``font`` (as registered now) at ``size``."""
    current = getFont(font)
    found = _WIDTHS.get((font, size))
    if found is None or found[0] is not current or len(found[1]) > _WIDTHS_MAX:
        found = _WIDTHS[(font, size)] = (current, {})
    return found[1]


def _lay_out(blocks: Sequence[Block], regular: str, bold: str) -> list[_Laid | None]:
    """Each block wrapped (None for a gap)."""
    styles = _styles(regular, bold)
    laid: list[_Laid | None] = []
    for block in blocks:
        if block.kind == "gap":
            laid.append(None)
            continue
        style = styles[block.kind]
        font, size = style.fontName, float(style.fontSize)
        lines = _wrap(block.text, font, size, _RIGHT - _LEFT, _widths(font, size))
        laid.append(_Laid(font, size, float(style.leading), float(style.spaceBefore), float(style.spaceAfter),
                          bool(getattr(style, "keepWithNext", 0)), tuple(lines)))
    return laid


def _start(item: _Laid | None) -> float:
    """The height a block needs at the foot of a page to begin there (a paragraph's first two lines)."""
    if item is None:
        return _GAP
    return item.leading * min(len(item.lines), 2)


def _placed(laid: Sequence[_Laid | None], regular: str) -> list[list[Line]]:
    """The lines of each page, placed: the blocks in order, page numbers from page 2 on."""
    pages: list[list[Line]] = [[]]
    y = _TOP

    def new_page() -> None:
        nonlocal y
        pages.append([Line(regular, 10, inch, _HEIGHT - 0.6 * inch, f"Page {len(pages) + 1}")])
        y = _TOP

    for n, item in enumerate(laid):
        at_top = y == _TOP
        if item is None:
            if not at_top:
                y -= _GAP
            continue
        if not item.lines:
            continue
        before = 0.0 if at_top else item.before
        need = item.leading * min(len(item.lines), 2)  # never a paragraph's first line alone at the foot
        if item.keep_with_next:  # a heading whole, with the start of what follows it
            need = item.leading * len(item.lines) + item.after + _start(laid[n + 1] if n + 1 < len(laid) else None)
        if not at_top and y - before - need < _BOTTOM:
            new_page()
        elif not at_top:
            y -= before
        for text in item.lines:
            if y - item.leading < _BOTTOM and y != _TOP:
                new_page()
            pages[-1].append(Line(item.font, item.size, _LEFT, y - item.size, text))
            y -= item.leading
        y -= item.after
    return pages


def plain_pdf(body: LetterBody, *, title: str, author: str) -> bytes:
    """``body`` (blocks of plain text) as PDF bytes: US Letter, one-inch margins, 'Page N' from page 2 on."""
    regular, bold = _fonts(body)
    pages = _placed(_lay_out(body.blocks, regular, bold), regular)
    meta = _metadata(title, author)
    lang = meta.pop("lang")
    if regular in STANDARD:  # Times: written directly (the text is in its encoding: _fonts chose it so)
        info = {name.capitalize(): value for name, value in meta.items()}
        return text_pdf(pages, (regular, bold), info, lang=lang)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER, invariant=1, lang=lang)
    for name, value in meta.items():
        getattr(canvas, f"set{name.capitalize()}")(value)
    for lines in pages:
        text = canvas.beginText()
        for line in lines:
            text.setFont(line.font, line.size)
            text.setTextOrigin(line.x, line.y)
            text.textOut(line.text)
        canvas.drawText(text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
