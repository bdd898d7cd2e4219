"""From an incident to a form's field values, with the findings a lawyer acts on:
a required value missing, a text too long for its box, a character the form's
font cannot print. :func:`form_findings` is what the whole-project check runs.
"""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from ..files import FileProblem, read_text
from ..findings import Finding
from ..pdf.acroform import PdfField
from ..pdf.appearance import characters_that_fit, field_style, fits, unencodable
from ..pdf.fill import FieldValue
from ..project import Project
from ..records import Incident
from .folder import Form, form_ids, load_form
from .values import context, field_value, filing_index, incident_path, missing_required


def forms_for(templates_dir: Path, incident: Incident) -> list[str]:
    """Forms the incident uses: its filings' forms, then forms of the jurisdictions its residents live in."""
    wanted = [f["form"] for f in incident.filings if f.get("form")]
    residents = set(incident.residents)
    for form_id in form_ids(templates_dir):
        if form_id in wanted:
            continue
        form, _ = load_form(templates_dir, form_id)
        if form is not None and form.jurisdiction in residents:
            wanted.append(form_id)
    return list(dict.fromkeys(wanted))


def notice_text(incident: Incident, root: Path | None = None) -> tuple[str | None, list[Finding]]:
    """The text of the file ``notice.notice_text`` names (relative to the incident, inside the project
    ``root``), or None and a finding; None and no finding when the incident names none."""
    name = (incident.data.get("notice") or {}).get("notice_text")
    if not name:
        return None, []
    base = (root or Path.cwd())
    try:
        return read_text(base / Path(incident.path).parent / str(name), root=base), []
    except FileProblem as problem:
        return None, [incident.finding(("notice", "notice_text"), f"cannot use {name}: {problem.message} "
                                                                  "(a UTF-8 text file, named relative to the incident)")]


def text_findings(pdf: PdfReader, fields: dict[str, PdfField], value: FieldValue,
                  incident: Incident, form_id: str) -> list[Finding]:
    """Too long for its box (by font metrics, multi-line aware) or not printable in the field's font."""
    fld = fields.get(value.name)
    text = value.text or ""
    if fld is None or fld.kind not in ("text", "choice") or not text:
        return []
    where = incident_path(incident, form_id, value.source)
    out: list[Finding] = []
    bad = unencodable(text)
    if bad:
        out.append(incident.finding(where, f"the form {form_id} cannot print {', '.join(repr(c) for c in bad)} "
                                           f"in its field '{value.name}'; replace it with plain letters"))
    for widget in fld.widgets:
        style, _ = field_style(pdf.root_object, widget, fld)
        if fits(text, fld, widget, style):
            continue
        room = characters_that_fit(text, fld, widget, style)
        over = len(text) - room
        shape = "lines" if fld.multiline else "line"
        out.append(incident.finding(where, f"the text is {over} character{'s' if over != 1 else ''} too long for "
                                           f"the field '{value.name}' of form {form_id} ({room} of {len(text)} "
                                           f"fit its {widget.width:.0f}x{widget.height:.0f} pt {shape}); "
                                           "shorten it, or say the rest in an attachment"))
        break
    return out


def incident_values(form: Form, incident: Incident) -> tuple[list[FieldValue], list[Finding]]:
    """Every mapped field's value for ``incident``, and what is wrong with them."""
    ctx = context(incident, form.id)
    reader, fields = form.reader, form.pdf_fields
    values: list[FieldValue] = []
    findings: list[Finding] = []
    for name, spec in form.field_map.fields.items():
        value = field_value(ctx, name, spec)
        values.append(value)
        problem = missing_required(incident, form.id, value, spec)
        if problem is not None:
            findings.append(problem)
        findings += text_findings(reader, fields, value, incident, form.id)
    return values, findings


def form_findings(project: Project, incident: Incident) -> list[Finding]:
    """Findings for every form ``incident`` uses: unknown or broken forms, missing values, texts too long."""
    templates_dir, root = project.templates_dir, project.root
    findings: list[Finding] = notice_text(incident, root)[1]
    if not form_ids(templates_dir):
        return findings  # without any form (its own or packaged), a project only records filings made elsewhere
    for form_id in forms_for(templates_dir, incident):
        if form_id not in form_ids(templates_dir):
            index = filing_index(incident, form_id)
            where: tuple[str | int, ...] = ("filings", index, "form") if index is not None else ("filings",)
            known = ", ".join(form_ids(templates_dir)) or "none"
            findings.append(incident.finding(where, f"unknown form '{form_id}': there is no "
                                                    f"templates/forms/{form_id}/form.pdf (forms available: {known})"))
            continue
        form, problems = load_form(templates_dir, form_id, root=root)
        findings += [f for f in problems if f.is_error]
        if form is not None:
            findings += incident_values(form, incident)[1]
    return findings
