"""Filling an incident's form: the form's field map gives the values, :mod:`breachdocs.pdf.fill` the bytes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pypdf import PdfReader

from ..findings import Finding
from ..pdf.fill import FieldValue, FillError, fill_reader, fill_reader_copies
from ..records import Incident
from .check import incident_values
from .folder import Form

T = TypeVar("T")


def fill_incident(form: Form, incident: Incident, *, flatten_form: bool = False) -> tuple[bytes | None, list[Finding]]:
    """The form filled from ``incident``; None (and the findings) when any finding is an error."""
    return _from_incident(form, incident, lambda reader, values, info: fill_reader(
        reader, values, flatten_form=flatten_form, info=info))


def fill_incident_copies(form: Form, incident: Incident) -> tuple[tuple[bytes, bytes] | None, list[Finding]]:
    """(fillable, flattened) as :func:`fill_incident` makes them, from one fill; None on an error finding."""
    return _from_incident(form, incident, lambda reader, values, info: fill_reader_copies(reader, values, info=info))


def _from_incident(form: Form, incident: Incident, make: Callable[[PdfReader, list[FieldValue], dict[str, str]], T]
                   ) -> tuple[T | None, list[Finding]]:
    """``make(form, values, document information)`` for the incident's values; None on an error finding."""
    values, findings = incident_values(form, incident)
    if any(f.is_error for f in findings):
        return None, findings
    info = {"/Title": f"{form.title} \u2014 {incident.id}", "/Subject": form.id}
    try:
        return make(form.reader, values, info), findings
    except FillError as exc:
        return None, [*findings, form.field_map.loaded.finding(("fields",), str(exc))]
    except Exception as exc:  # noqa: BLE001 - a damaged PDF: a finding, never a traceback half-way through a build
        return None, [*findings, form.field_map.loaded.finding(("fields",), f"the form's PDF cannot be filled "
                                                               f"({type(exc).__name__}); replace form.pdf with the "
                                                               "regulator's fillable PDF")]
