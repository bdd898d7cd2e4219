"""Regulator forms, the incident side: form folders (PDF + field map), an incident's values for a
form's fields and what is wrong with them, and an incident's forms filled, flattened and packed.
The PDF work itself is :mod:`breachdocs.pdf`'s.
"""

from .check import form_findings, forms_for, incident_values
from .fill import fill_incident, fill_incident_copies
from .folder import Form, form_folders, form_ids, load_form
from .outputs import Output, build_outputs

__all__ = [
    "Form",
    "Output",
    "build_outputs",
    "fill_incident",
    "fill_incident_copies",
    "form_findings",
    "form_folders",
    "form_ids",
    "forms_for",
    "incident_values",
    "load_form",
]
