"""Filling a PDF form (AcroForm) with pypdf: field values in, deterministic bytes out.

Appearance streams are drawn here (see appearance.py) for every text field,
so each value is visible in any viewer without NeedAppearances. Buttons get
their /V and, widget by widget, /AS. Flattening is done here too, from each
widget's own appearance (its /AS state), because pypdf's ``flatten=True``
draws all buttons of a radio group alike.

Output is deterministic: fixed document information, no timestamps, and a
file /ID derived from the content's SHA-256.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

from .acroform import PdfField, Widget, read_fields
from .appearance import Style, field_style, parse_da, text_appearance
from .pdf_encoding import fast_tokens

PRODUCER = "breachdocs"
_HIDDEN = 1 << 1


@dataclass(frozen=True)
class FieldValue:
    """What goes into one PDF field: ``text`` for text fields, ``state`` for buttons ("Off" = none)."""

    name: str
    text: str | None = None
    state: str | None = None
    source: str = ""  # where the value came from (a dotted path of the incident), to locate findings


class FillError(ValueError):
    """A value that cannot go into the PDF (unknown field, unknown option)."""


def _font(writer: PdfWriter, widget: Widget, fld: PdfField) -> tuple[Style, Any]:
    """The field's text style and a reference to its font (Helvetica added to /DR when missing)."""
    style, ref = field_style(writer.root_object, widget, fld)
    if ref is not None:
        return style, ref
    helvetica = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    })
    ref = writer._add_object(helvetica)
    acroform: Any = writer.root_object["/AcroForm"].get_object()
    dr = acroform.setdefault(NameObject("/DR"), DictionaryObject()).get_object()
    fonts = dr.setdefault(NameObject("/Font"), DictionaryObject()).get_object()
    fonts[NameObject("/" + style.font)] = ref
    return parse_da(fld.da, "Helvetica"), ref


def _set_text(writer: PdfWriter, fld: PdfField, text: str) -> None:
    fld.node[NameObject("/V")] = TextStringObject(text)
    for widget in fld.widgets:
        style, ref = _font(writer, widget, fld)
        stream = text_appearance(text, fld, widget, style, ref)
        widget.annot[NameObject("/AP")] = DictionaryObject({NameObject("/N"): writer._add_object(stream)})


def _set_state(fld: PdfField, state: str) -> None:
    if state == "on":
        if not fld.options:
            raise FillError(f"the checkbox '{fld.name}' has no 'on' appearance")
        state = fld.options[0]
    if state != "Off" and state not in fld.options:
        raise FillError(f"'{state}' is not an option of '{fld.name}'; its options are: {', '.join(fld.options)}")
    fld.node[NameObject("/V")] = NameObject("/" + state)
    for widget in fld.widgets:
        shown = state if state in widget.states else "Off"
        widget.annot[NameObject("/AS")] = NameObject("/" + shown)
        if widget.annot is not fld.node and "/V" in widget.annot:
            del widget.annot["/V"]


def _set_choice(writer: PdfWriter, fld: PdfField, text: str) -> None:
    if fld.options and text and text not in fld.options:
        raise FillError(f"'{text}' is not a choice of '{fld.name}'; its choices are: {', '.join(fld.options)}")
    _set_text(writer, fld, text)


def apply_values(writer: PdfWriter, values: Iterable[FieldValue]) -> None:
    fields = read_fields(writer)
    for value in values:
        fld = fields.get(value.name)
        if fld is None:
            raise FillError(f"the PDF has no field '{value.name}'")
        if fld.kind in ("checkbox", "radio"):
            _set_state(fld, value.state or "Off")
        elif fld.kind == "text":
            _set_text(writer, fld, value.text or "")
        elif fld.kind == "choice":
            _set_choice(writer, fld, value.text or "")
        else:
            raise FillError(f"the field '{value.name}' is a {fld.kind}; breachdocs cannot fill it")
    acroform: Any = writer.root_object["/AcroForm"].get_object()
    if "/NeedAppearances" in acroform:
        del acroform["/NeedAppearances"]


def _appearance(annot: DictionaryObject) -> Any:
    ap = annot.get("/AP")
    if ap is None:
        return None
    normal = ap.get_object().get("/N")
    if normal is None:
        return None
    target = normal.get_object()
    if isinstance(target, DictionaryObject) and "/Subtype" not in target and "/BBox" not in target:
        state = annot.get("/AS")
        if state is None or state not in target:
            return None
        return target.raw_get(state)
    return normal


def _placement(annot: DictionaryObject, xobject: Any) -> str:
    """The cm operator that maps the appearance's (transformed) BBox onto the widget's Rect (PDF 12.5.5)."""
    rect: Any = annot["/Rect"]
    x0, y0, x1, y1 = (float(v) for v in rect)
    rx0, ry0, rx1, ry1 = min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)
    bx0, by0, bx1, by1 = (float(v) for v in xobject.get("/BBox", [0, 0, rx1 - rx0, ry1 - ry0]))
    a, b, c, d, e, f = (float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0]))
    corners = [(a * x + c * y + e, b * x + d * y + f) for x in (bx0, bx1) for y in (by0, by1)]
    tx0, ty0 = min(p[0] for p in corners), min(p[1] for p in corners)
    tx1, ty1 = max(p[0] for p in corners), max(p[1] for p in corners)
    sx = (rx1 - rx0) / (tx1 - tx0) if tx1 > tx0 else 1.0
    sy = (ry1 - ry0) / (ty1 - ty0) if ty1 > ty0 else 1.0
    return f"{sx:.6g} 0 0 {sy:.6g} {rx0 - tx0 * sx:.6g} {ry0 - ty0 * sy:.6g} cm"


def flatten(writer: PdfWriter) -> None:
    """Draw every widget's current appearance into its page; remove the fields."""
    for index, page in enumerate(writer.pages):
        annots = page.get("/Annots")
        if annots is None:
            continue
        keep = ArrayObject()
        drawn: list[str] = []
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else DictionaryObject()
        xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
        for n, ref in enumerate(annots.get_object()):
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Widget":
                keep.append(ref)
                continue
            if int(annot.get("/F", 0)) & _HIDDEN:
                continue
            xobject = _appearance(annot)
            if xobject is None:
                continue
            name = f"/BDFlat{index}x{n}"
            xobjects[NameObject(name)] = xobject
            drawn.append(f"q {_placement(annot, xobject.get_object())} {name} Do Q")
        new_resources = DictionaryObject(resources)
        new_resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = new_resources
        if drawn:
            _wrap_contents(writer, page, "\n".join(drawn))
        if keep:
            page[NameObject("/Annots")] = keep
        else:
            del page["/Annots"]
    if "/AcroForm" in writer.root_object:
        del writer.root_object["/AcroForm"]


def _wrap_contents(writer: PdfWriter, page: Any, drawing: str) -> None:
    """Page content becomes: q, the original content, Q, then ``drawing`` (so no state leaks in)."""
    contents = page.get("/Contents")
    parts: list[Any] = []
    if contents is not None:
        target = contents.get_object()
        parts = list(target) if isinstance(target, ArrayObject) else [contents]
    def stream(data: str) -> Any:
        obj = DecodedStreamObject()
        obj.set_data(data.encode("ascii"))
        return writer._add_object(obj)
    page[NameObject("/Contents")] = ArrayObject([stream("q\n"), *parts, stream("\nQ\n" + drawing + "\n")])


def deterministic_bytes(writer: PdfWriter, info: Mapping[str, str]) -> bytes:
    """Serialise with fixed document information and an /ID derived from the content."""
    writer.metadata = None
    writer.add_metadata({"/Producer": PRODUCER, **{k if k.startswith("/") else "/" + k: v for k, v in info.items()}})
    placeholder = ByteStringObject(b"\0" * 16)
    writer._ID = ArrayObject([placeholder, placeholder])
    first = io.BytesIO()
    with fast_tokens():  # names and strings written by table: same bytes, ~25% less CPU per fill
        writer.write(first)
    data = first.getvalue()
    digest = hashlib.sha256(data).digest()[:16]
    # The /ID sits in the trailer, after every offset: writing the digest over the placeholder
    # gives the bytes a second write would, at half the cost (serialising is ~40% of a fill).
    tail = data.rfind(b"trailer")
    hole = b"<" + placeholder.hex().encode() + b">"
    if tail >= 0 and data.count(hole, tail) == 2:
        return data[:tail] + data[tail:].replace(hole, b"<" + digest.hex().encode() + b">")
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    out = io.BytesIO()
    with fast_tokens():
        writer.write(out)
    return out.getvalue()


def fill_pdf(pdf: bytes, values: Iterable[FieldValue], *, flatten_form: bool = False,
             info: Mapping[str, str] | None = None) -> bytes:
    """Fill ``pdf`` (an AcroForm) with ``values``; flattened if asked. Raises FillError on a bad value."""
    return fill_reader(PdfReader(io.BytesIO(pdf)), values, flatten_form=flatten_form, info=info)


def fill_reader(reader: PdfReader, values: Iterable[FieldValue], *, flatten_form: bool = False,
                info: Mapping[str, str] | None = None) -> bytes:
    """:func:`fill_pdf` from a parsed form, which is cloned and left as it was (so it can be reused)."""
    writer = PdfWriter(clone_from=reader)
    apply_values(writer, values)
    if flatten_form:
        flatten(writer)
    return deterministic_bytes(writer, info or {})


def fill_reader_copies(reader: PdfReader, values: Iterable[FieldValue], *,
                       info: Mapping[str, str] | None = None) -> tuple[bytes, bytes]:
    """The fillable and the flattened copy from one clone of the form: byte for byte what
    :func:`fill_reader` gives without and with ``flatten_form``, for little more than one fill."""
    writer = PdfWriter(clone_from=reader)
    apply_values(writer, values)
    fillable = deterministic_bytes(writer, info or {})
    if not _forget_metadata(writer):  # pypdf no longer works as measured: fill again, same bytes
        return fillable, fill_reader(reader, values, flatten_form=True, info=info)
    flatten(writer)
    return fillable, deterministic_bytes(writer, info or {})


def _forget_metadata(writer: PdfWriter) -> bool:
    """Take back the document information object :func:`deterministic_bytes` appended (the last object),
    so objects added next get the numbers a fresh fill gives them; False if it is not where expected."""
    info = writer._info_obj
    if info is None or not writer._objects or writer._objects[-1] is not info.get_object():
        return False
    writer._objects.pop()
    writer._info_obj = None
    return True


__all__ = ["FieldValue", "FillError", "apply_values", "deterministic_bytes", "fill_pdf", "fill_reader",
           "fill_reader_copies", "flatten"]
