"""The fields of a fillable PDF (AcroForm), as breachdocs sees them.

A *field* is a terminal node of the AcroForm field tree, named by its fully
qualified name (the partial names ``/T`` joined with dots, as pypdf and
Acrobat name them; a partial name may itself contain dots, as in the DS-11).
Each field has one or more *widgets*: the boxes on the pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject

FieldType = Literal["text", "checkbox", "radio", "choice", "button", "signature"]

FF_MULTILINE = 1 << 12
FF_COMB = 1 << 24
FF_RADIO = 1 << 15
FF_PUSHBUTTON = 1 << 16


@dataclass
class Widget:
    """One box of a field on a page; ``rect`` is (x0, y0, x1, y1) in points."""

    annot: DictionaryObject = field(repr=False)
    page: int
    rect: tuple[float, float, float, float]
    states: tuple[str, ...] = ()  # on-states of a button widget (without /Off)

    @property
    def width(self) -> float:
        return self.rect[2] - self.rect[0]

    @property
    def height(self) -> float:
        return self.rect[3] - self.rect[1]


@dataclass
class PdfField:
    name: str
    kind: FieldType
    node: DictionaryObject = field(repr=False)
    widgets: list[Widget] = field(default_factory=list)
    flags: int = 0
    max_len: int | None = None
    da: str = ""
    align: int = 0
    options: tuple[str, ...] = ()

    @property
    def multiline(self) -> bool:
        return self.kind == "text" and bool(self.flags & FF_MULTILINE)

    @property
    def comb(self) -> bool:
        return self.kind == "text" and bool(self.flags & FF_COMB) and bool(self.max_len)

    @property
    def page(self) -> int:
        return self.widgets[0].page if self.widgets else 0

    @property
    def type_label(self) -> str:
        """Type as `form-fields` prints it: text, multiline text, comb text, checkbox, radio, ..."""
        if self.kind == "text":
            return "multiline text" if self.multiline else ("comb text" if self.comb else "text")
        return self.kind

    def value(self) -> Any:
        v = self.node.get("/V")
        return v.get_object() if v is not None else None


def _inherited(start: DictionaryObject, key: str) -> Any:
    node: Any = start
    seen = 0
    while node is not None and seen < 64:
        if key in node:
            return node[key].get_object() if hasattr(node[key], "get_object") else node[key]
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
        seen += 1
    return None


def _qualified_name(start: DictionaryObject) -> str:
    node: Any = start
    parts: list[str] = []
    seen = 0
    while node is not None and seen < 64:
        if "/T" in node:
            parts.append(str(node["/T"]))
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
        seen += 1
    return ".".join(reversed(parts))


def _field_node(annot: DictionaryObject) -> DictionaryObject:
    """The terminal field a widget belongs to (the widget itself when merged)."""
    if "/T" in annot or "/Parent" not in annot:
        return annot
    parent: Any = annot["/Parent"].get_object()
    return parent  # type: ignore[no-any-return]


def _kind(ft: Any, flags: int) -> FieldType:
    if ft == "/Tx":
        return "text"
    if ft == "/Ch":
        return "choice"
    if ft == "/Sig":
        return "signature"
    if flags & FF_PUSHBUTTON:
        return "button"
    return "radio" if flags & FF_RADIO else "checkbox"


def _on_states(annot: DictionaryObject) -> tuple[str, ...]:
    ap = annot.get("/AP")
    normal = ap.get_object().get("/N") if ap is not None else None
    normal = normal.get_object() if normal is not None else None
    if not isinstance(normal, DictionaryObject):
        return ()
    return tuple(str(k)[1:] for k in normal if k != "/Off")


def _rect(annot: DictionaryObject) -> tuple[float, float, float, float]:
    rect: Any = annot["/Rect"]
    x0, y0, x1, y1 = (float(v) for v in rect)
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def read_fields(pdf: PdfReader | PdfWriter) -> dict[str, PdfField]:
    """Every terminal field with its widgets, in page order; name -> field."""
    fields: dict[str, PdfField] = {}
    acroform = pdf.root_object.get("/AcroForm")
    acroform = acroform.get_object() if acroform is not None else DictionaryObject()
    default_da = str(acroform.get("/DA", "/Helv 0 Tf 0 g"))
    default_q = int(acroform.get("/Q", 0))
    for index, page in enumerate(pdf.pages):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Widget":
                continue
            node = _field_node(annot)
            name = _qualified_name(node)
            if not name:
                continue
            entry = fields.get(name)
            if entry is None:
                flags = int(_inherited(node, "/Ff") or 0)
                ft = _inherited(node, "/FT")
                max_len = _inherited(node, "/MaxLen")
                options = _inherited(node, "/Opt") or []
                entry = PdfField(
                    name=name,
                    kind=_kind(ft, flags),
                    node=node,
                    flags=flags,
                    max_len=int(max_len) if max_len is not None else None,
                    da=str(_inherited(annot, "/DA") or default_da),
                    align=int(_inherited(annot, "/Q") or default_q),
                    options=tuple(str(o[1] if isinstance(o, list) else o) for o in options),
                )
                fields[name] = entry
            states = _on_states(annot) if entry.kind in ("checkbox", "radio") else ()
            entry.widgets.append(Widget(annot, index, _rect(annot), states))
    for entry in fields.values():
        if entry.kind in ("checkbox", "radio"):
            seen: list[str] = []
            for w in entry.widgets:
                seen.extend(s for s in w.states if s not in seen)
            entry.options = tuple(seen)
    return fields
