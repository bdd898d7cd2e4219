"""Text layout and appearance streams for text fields.

pypdf's own appearance streams are not enough for filings: a multi-line
field only wraps when its /DA font size is 0, and nothing says whether the
text fits. Here one layout function measures text with the font's metrics
and the box's width and height (multi-line aware); the fit check and the
drawn appearance both use it, so what is reported too long is exactly what
would not be shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
)
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

from .acroform import PdfField, Widget

PAD = 2.0
AUTO_MAX = 12.0
AUTO_MIN = 6.0
LEADING = 1.15
ENCODING = "cp1252"

_STANDARD = {
    "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique",
    "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic",
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique",
}
_ALIASES = {"Helv": "Helvetica", "HeBo": "Helvetica-Bold", "TiRo": "Times-Roman", "Cour": "Courier",
            "Arial": "Helvetica", "ArialMT": "Helvetica", "Arial-BoldMT": "Helvetica-Bold"}


@dataclass(frozen=True)
class Style:
    """What a field's /DA says: font resource name, size (0 = auto), colour operators."""

    font: str
    size: float
    color: str
    metrics: str  # a standard-14 font name used for measuring

    @property
    def ascent(self) -> float:
        face = getFont(self.metrics).face
        return float(face.ascent) / 1000.0

    @property
    def descent(self) -> float:
        face = getFont(self.metrics).face
        return float(face.descent) / 1000.0


def parse_da(da: str, base_font: str | None = None) -> Style:
    tokens = da.split()
    font, size, color = "Helv", 0.0, "0 g"
    if "Tf" in tokens:
        i = tokens.index("Tf")
        if i >= 2:
            font = tokens[i - 2].lstrip("/")
            try:
                size = float(tokens[i - 1])
            except ValueError:
                size = 0.0
        rest = tokens[:i - 2] + tokens[i + 1:]
        color = " ".join(rest) or "0 g"
    metrics = _metrics_name(base_font or font)
    return Style(font, size, color, metrics)


def field_style(root: DictionaryObject, widget: Widget, fld: PdfField) -> tuple[Style, Any]:
    """The text style of a widget and a reference to its /DR font (None when the font is not in /DR)."""
    name = parse_da(fld.da).font
    acroform = root.get("/AcroForm")
    holders = (widget.annot.get("/DR"), acroform.get_object().get("/DR") if acroform is not None else None)
    for holder in holders:
        fonts = holder.get_object().get("/Font") if holder is not None else None
        fonts = fonts.get_object() if fonts is not None else None
        if fonts is not None and "/" + name in fonts:
            ref = fonts.raw_get("/" + name)
            return parse_da(fld.da, str(ref.get_object().get("/BaseFont", name))), ref
    return parse_da(fld.da), None


def _metrics_name(name: str) -> str:
    name = name.lstrip("/").split("+")[-1]
    if name in _STANDARD:
        return name
    if name in _ALIASES:
        return _ALIASES[name]
    lowered = name.lower()
    family = "Times" if "times" in lowered else "Courier" if "cour" in lowered else "Helvetica"
    bold = "bold" in lowered or lowered.endswith("bo")
    if family == "Times":
        return "Times-Bold" if bold else "Times-Roman"
    return f"{family}-Bold" if bold else family


def width(text: str, style: Style, size: float) -> float:
    return float(stringWidth(text, style.metrics, size))


def wrap(text: str, style: Style, size: float, room: float) -> list[str]:
    """Lines of ``text`` wrapped to ``room`` points; explicit newlines kept; long words broken."""
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = ""
        for word in re.split(r"(?<=\s)(?=\S)", paragraph):
            candidate = line + word
            if width(candidate.rstrip(), style, size) <= room or not line:
                line = candidate
            else:
                lines.append(line.rstrip())
                line = word
            while width(line.rstrip(), style, size) > room and len(line) > 1:
                cut = len(line) - 1
                while cut > 1 and width(line[:cut], style, size) > room:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line.rstrip())
    return lines


@dataclass(frozen=True)
class Layout:
    """How a text sits in a widget: size, lines, and whether it fits."""

    size: float
    lines: tuple[str, ...]
    fits: bool


def _line_height(size: float) -> float:
    return size * LEADING


def layout(text: str, fld: PdfField, widget: Widget, style: Style) -> Layout:
    w, h = widget.width, widget.height
    if fld.comb:
        size = style.size or min(AUTO_MAX, max(AUTO_MIN, (h - 2 * PAD) * 0.75))
        cell = w / max(fld.max_len or 1, 1)
        while not style.size and size > AUTO_MIN and text and max(width(c, style, size) for c in text) > cell - 1:
            size = max(AUTO_MIN, size - 0.5)  # auto size: every character inside its cell
        return Layout(size, (text,), len(text) <= (fld.max_len or 0))
    room = w - 2 * PAD
    if fld.multiline:
        sizes = [style.size] if style.size else _auto_sizes()
        best: Layout | None = None
        for size in sizes:
            lines = wrap(text, style, size, room)
            fits = len(lines) * _line_height(size) <= h - 2 * PAD + 0.01
            best = Layout(size, tuple(lines), fits)
            if fits:
                break
        assert best is not None
        return best
    single = text.replace("\r", " ").replace("\n", " ")
    if style.size:
        return Layout(style.size, (single,), width(single, style, style.size) <= room)
    size = min(AUTO_MAX, max(AUTO_MIN, (h - 2 * PAD) * 0.78))
    while size > AUTO_MIN and width(single, style, size) > room:
        size = max(AUTO_MIN, size - 0.5)
    return Layout(size, (single,), width(single, style, size) <= room)


def _auto_sizes() -> list[float]:
    sizes, s = [], AUTO_MAX
    while s >= AUTO_MIN:
        sizes.append(s)
        s -= 0.5
    return sizes


def characters_that_fit(text: str, fld: PdfField, widget: Widget, style: Style) -> int:
    """The longest prefix of ``text`` (in characters) that fits the widget."""
    if fld.max_len is not None and not fld.comb:
        limit = fld.max_len
    else:
        limit = len(text)
    lo, hi = 0, min(limit, len(text))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if layout(text[:mid], fld, widget, style).fits:
            lo = mid
        else:
            hi = mid - 1
    return lo


def fits(text: str, fld: PdfField, widget: Widget, style: Style) -> bool:
    if fld.max_len is not None and len(text) > fld.max_len:
        return False
    return layout(text, fld, widget, style).fits


def _pdf_string(text: str) -> str:
    raw = text.encode(ENCODING, errors="replace")
    out = []
    for b in raw:
        ch = chr(b)
        if ch in "()\\":
            out.append("\\" + ch)
        elif b < 32 or b > 126:
            out.append(f"\\{b:03o}")
        else:
            out.append(ch)
    return "(" + "".join(out) + ")"


def unencodable(text: str) -> str:
    """Characters the field fonts cannot show (they would print as '?')."""
    bad = []
    for ch in text:
        try:
            ch.encode(ENCODING)
        except UnicodeEncodeError:
            if ch not in bad:
                bad.append(ch)
    return "".join(bad)


def _num(v: float) -> str:
    text = f"{v:.3f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def _colors(mk: Any) -> tuple[str, str]:
    """Fill and stroke operators for /MK /BG and /BC (empty when absent)."""
    def op(key: str, gray: str, rgb: str, cmyk: str) -> str:
        if mk is None or key not in mk:
            return ""
        values = [float(v) for v in mk[key]]
        names = {1: gray, 3: rgb, 4: cmyk}
        if len(values) not in names:
            return ""
        return " ".join(_num(v) for v in values) + " " + names[len(values)]
    return op("/BG", "g", "rg", "k"), op("/BC", "G", "RG", "K")


def text_appearance(text: str, fld: PdfField, widget: Widget, style: Style,
                    font_ref: object | None) -> DecodedStreamObject:
    """A Form XObject drawing ``text`` in the widget's box (wrapped, aligned, clipped)."""
    w, h = widget.width, widget.height
    lay = layout(text, fld, widget, style)
    size = lay.size
    mk = widget.annot.get("/MK")
    fill, stroke = _colors(mk.get_object() if mk is not None else None)
    ops: list[str] = ["/Tx BMC", "q"]
    if fill:
        ops.append(f"{fill} 0 0 {_num(w)} {_num(h)} re f")
    border = widget.annot.get("/BS")
    bw = float(border.get_object().get("/W", 1)) if border is not None else 1.0
    if stroke and bw > 0:
        ops.append(f"{stroke} {_num(bw)} w {_num(bw / 2)} {_num(bw / 2)} {_num(w - bw)} {_num(h - bw)} re s")
    ops.append(f"1 1 {_num(max(w - 2, 0))} {_num(max(h - 2, 0))} re W n")
    ops.append("BT")
    ops.append(f"/{style.font} {_num(size)} Tf {style.color}")
    ascent, descent = style.ascent, style.descent
    if fld.comb:
        cell = w / max(fld.max_len or 1, 1)
        y = (h - (ascent - descent) * size) / 2 - descent * size
        for i, ch in enumerate(text):
            x = i * cell + (cell - width(ch, style, size)) / 2
            ops.append(f"1 0 0 1 {_num(x)} {_num(y)} Tm {_pdf_string(ch)} Tj")
    else:
        if fld.multiline:
            y = h - PAD - ascent * size
            step = _line_height(size)
        else:
            y = (h - (ascent - descent) * size) / 2 - descent * size
            step = 0.0
        for line in lay.lines:
            lw = width(line, style, size)
            x = PAD if fld.align == 0 else (w - lw) / 2 if fld.align == 1 else w - PAD - lw
            ops.append(f"1 0 0 1 {_num(x)} {_num(y)} Tm {_pdf_string(line)} Tj")
            y -= step
    ops += ["ET", "Q", "EMC"]
    stream = DecodedStreamObject()
    stream.set_data("\n".join(ops).encode("ascii"))
    stream[NameObject("/Type")] = NameObject("/XObject")
    stream[NameObject("/Subtype")] = NameObject("/Form")
    stream[NameObject("/BBox")] = ArrayObject([NumberObject(0), NumberObject(0), FloatObject(w), FloatObject(h)])
    resources = DictionaryObject()
    if font_ref is not None:
        resources[NameObject("/Font")] = DictionaryObject({NameObject("/" + style.font): font_ref})
    stream[NameObject("/Resources")] = resources
    return stream
