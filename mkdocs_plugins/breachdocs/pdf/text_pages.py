"""Pages of text lines in the standard PDF fonts (Times, Helvetica, Courier: not embedded), written
directly: the content-stream operators of placed lines, and a whole PDF of such pages.

For documents made by the thousand whose layout is already decided line by line (the regulator
worksheets, the approval stamp's cover): no drawing library between the lines and the bytes. Text
is in WinAnsi encoding (Windows-1252); :func:`literal` raises ``UnicodeEncodeError`` for anything
else, and the caller then draws with reportlab. The bytes depend only on the arguments.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Mapping, Sequence
from typing import NamedTuple

PAGE_SIZE = (612, 792)  # US Letter, in points


class Line(NamedTuple):
    """One line of text: its font (a standard font's name), size, and baseline start."""

    font: str
    size: float
    x: float
    y: float
    text: str


_ESCAPES = ((b"\\", b"\\\\"), (b"(", b"\\("), (b")", b"\\)"), (b"\r", b"\\r"), (b"\n", b"\\n"))


def literal(text: str) -> bytes:
    """``text`` as a PDF literal string in WinAnsi encoding (``UnicodeEncodeError`` outside it)."""
    data = text.encode("cp1252")
    for plain, escaped in _ESCAPES:
        data = data.replace(plain, escaped)
    return b"(" + data + b")"


def number(value: float) -> bytes:
    """A PDF number with at most two decimals, no trailing zeros."""
    return (f"{value:.2f}".rstrip("0").rstrip(".") or "0").encode()


def operators(lines: Sequence[Line], names: Mapping[str, str]) -> bytes:
    """The content-stream operators drawing ``lines``; ``names`` gives each font's resource name."""
    ops = [b"BT"]
    for line in lines:
        ops.append(b"/%s %s Tf 1 0 0 1 %s %s Tm %s Tj" % (names[line.font].encode(), number(line.size),
                                                         number(line.x), number(line.y), literal(line.text)))
    ops.append(b"ET\n")
    return b"\n".join(ops)


def resource_names(fonts: Sequence[str]) -> dict[str, str]:
    """Resource names for ``fonts`` in order: F1, F2, ..."""
    return {font: f"F{n}" for n, font in enumerate(fonts, 1)}


def _text_string(value: str) -> bytes:
    """A text string of the document information: literal when ASCII, else UTF-16 with its byte order mark."""
    if value.isascii():
        return literal(value)
    return b"<feff" + value.encode("utf-16-be").hex().encode() + b">"


def text_pdf(pages: Sequence[Sequence[Line]], fonts: Sequence[str], info: Mapping[str, str], *,
             lang: str = "") -> bytes:
    """A PDF of ``pages`` (each its lines), in the standard ``fonts`` (every font a line names), with the document
    information ``info`` (``{"Title": ..., "Author": ...}``). Its identifier is a hash of everything in it."""
    names = resource_names(fonts)
    first_page = 5 + len(fonts)  # 1 catalog, 2 page tree, 3 information, 4 font dictionary, then fonts
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R" + (b" /Lang " + literal(lang) if lang else b"") + b" >>",
        b"<< /Type /Pages /Count %d /Kids [%s] >>" % (len(pages), b" ".join(
            b"%d 0 R" % (first_page + 2 * n) for n in range(len(pages)))),
        b"<< " + b" ".join(b"/%s %s" % (key.encode(), _text_string(value)) for key, value in info.items()) + b" >>",
        b"<< " + b" ".join(b"/%s %d 0 R" % (names[font].encode(), 5 + n) for n, font in enumerate(fonts)) + b" >>",
    ]
    objects += [b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding >>" % font.encode()
                for font in fonts]
    for n, lines in enumerate(pages):
        content = zlib.compress(operators(lines, names), 6)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font 4 0 R >> "
                       b"/Contents %d 0 R >>" % (*PAGE_SIZE, first_page + 2 * n + 1))
        objects.append(b"<< /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    out = [b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"]
    offsets = []
    at = len(out[0])
    for n, body in enumerate(objects, 1):
        chunk = b"%d 0 obj\n%s\nendobj\n" % (n, body)
        offsets.append(at)
        out.append(chunk)
        at += len(chunk)
    ident = hashlib.sha256(b"".join(out)).hexdigest()[:32].encode()
    out.append(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out += [b"%010d 00000 n \n" % offset for offset in offsets]
    out.append(b"trailer\n<< /Size %d /Root 1 0 R /Info 3 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
               % (len(objects) + 1, ident, ident, at))
    return b"".join(out)
