"""What a fillable PDF holds: its fields (name, type, options, page, size),
for ``breachdocs form-fields`` and for writing a starting field map.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from .acroform import read_fields


@dataclass(frozen=True)
class FieldInfo:
    name: str
    type: str
    options: tuple[str, ...]
    page: int  # 1-based
    width: float
    height: float
    max_len: int | None
    widgets: int

    def line(self) -> str:
        extra = f"  options: {', '.join(self.options)}" if self.options else ""
        limit = f"  max {self.max_len} chars" if self.max_len else ""
        return (f"{self.name}  [{self.type}]  page {self.page}  {self.width:.0f}x{self.height:.0f} pt"
                f"{limit}{extra}")


def list_fields(pdf: Path | bytes | PdfReader) -> list[FieldInfo]:
    """Every terminal field of ``pdf`` (a file, its bytes, or the PDF parsed) in page order."""
    reader = pdf if isinstance(pdf, PdfReader) else PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    out = []
    for fld in read_fields(reader).values():
        first = fld.widgets[0]
        out.append(FieldInfo(fld.name, fld.type_label, fld.options, fld.page + 1, first.width, first.height,
                             fld.max_len, len(fld.widgets)))
    return out
