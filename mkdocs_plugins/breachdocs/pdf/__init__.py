"""The PDF engine, knowing nothing of incidents: AcroForm fields, appearance streams, filling and
flattening with deterministic bytes, incremental updates that add pages, and packets of several PDFs."""

from .acroform import PdfField, read_fields
from .fill import FieldValue, FillError, fill_pdf
from .inspect import FieldInfo, list_fields
from .packet import build_packet, text_pdf

__all__ = [
    "FieldInfo",
    "FieldValue",
    "FillError",
    "PdfField",
    "build_packet",
    "fill_pdf",
    "list_fields",
    "read_fields",
    "text_pdf",
]
