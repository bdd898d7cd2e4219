"""Regulator forms: form folders (PDF + field map), values from incidents,
filling and flattening with pypdf, filing packets.
"""

from .acroform import PdfField
from .acroform import read_fields as read_pdf_fields
from .check import form_findings, forms_for, incident_values
from .fill import FillError, fill_incident, fill_pdf
from .folder import Form, form_ids, load_form
from .inspect import FieldInfo, list_fields
from .outputs import Output, build_outputs
from .packet import build_packet, text_pdf
from .values import FieldValue

__all__ = [
    "FieldInfo",
    "FieldValue",
    "PdfField",
    "FillError",
    "Output",
    "Form",
    "build_outputs",
    "build_packet",
    "fill_incident",
    "fill_pdf",
    "form_findings",
    "form_ids",
    "forms_for",
    "incident_values",
    "list_fields",
    "load_form",
    "read_pdf_fields",
    "text_pdf",
]
