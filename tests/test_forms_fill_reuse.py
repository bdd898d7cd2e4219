"""The fast paths of filling: one parsed form shared by every fill, one serialisation per fill.

They must not change a byte: a filing is identified by its SHA-256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject

from benchmarks.generate import write_project
from breachdocs.forms import fill_incident, incident_values, load_form
from breachdocs.pdf import fill_pdf
from breachdocs.pdf.fill import apply_values
from breachdocs.project import Project
from breachdocs.project_check import check

FORM = "us-nc-ago-breach"


def _nc_incidents(tmp_path: Path, today: dt.date) -> list:
    write_project(tmp_path, 30, seed=5)
    incidents, findings = check(Project(tmp_path), today=today)
    assert not findings
    nc = [i for i in incidents if "US-NC" in i.residents]
    assert len(nc) >= 3, [i.residents for i in incidents]
    return nc[:3]


def _two_writes(pdf: bytes, incident, form) -> bytes:  # type: ignore[no-untyped-def]
    """The reference: a fresh parse, and the /ID taken from a first full write, then a second write."""
    values, _ = incident_values(form, incident)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    apply_values(writer, values)
    writer.metadata = None
    writer.add_metadata({"/Producer": "breachdocs", "/Title": f"{form.title} \u2014 {incident.id}", "/Subject": form.id})
    zero = ByteStringObject(b"\0" * 16)
    writer._ID = ArrayObject([zero, zero])
    first = io.BytesIO()
    writer.write(first)
    digest = ByteStringObject(hashlib.sha256(first.getvalue()).digest()[:16])
    writer._ID = ArrayObject([digest, digest])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_shared_reader_and_single_write_give_the_reference_bytes(tmp_path: Path, today: dt.date) -> None:
    incidents = _nc_incidents(tmp_path, today)
    form, _ = load_form(tmp_path / "templates", FORM)
    assert form is not None
    for incident in incidents:
        data, findings = fill_incident(form, incident)
        assert data is not None, findings
        assert data == _two_writes(form.pdf_bytes, incident, form), incident.id
    # and again, in reverse order: the shared parsed form keeps nothing of earlier fills
    for incident in reversed(incidents):
        again, _ = fill_incident(form, incident)
        assert again == _two_writes(form.pdf_bytes, incident, form)


def test_file_id_is_the_content_digest(tmp_path: Path, today: dt.date) -> None:
    incident = _nc_incidents(tmp_path, today)[0]
    form, _ = load_form(tmp_path / "templates", FORM)
    assert form is not None
    values, _ = incident_values(form, incident)
    data = fill_pdf(form.pdf_bytes, values)
    ids = re.findall(rb"/ID \[ <([0-9a-f]{32})> <([0-9a-f]{32})> \]", data)
    assert len(ids) == 1 and ids[0][0] == ids[0][1]
    with_zero = data.replace(ids[0][0], b"0" * 32)
    assert hashlib.sha256(with_zero).digest()[:16].hex().encode() == ids[0][0]
