"""What ``breachdocs fill`` produces for an incident: each form filled
(editable, or flattened for submission) and, on request, the filing packet
(flattened form + copy of the notice). Everything is built in memory first,
so a caller writes nothing unless every file could be made.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..findings import Finding
from ..pdf.packet import build_packet, text_pdf
from ..records import Incident
from .check import forms_for, notice_text
from .fill import fill_incident, fill_incident_copies
from .folder import form_ids, load_form


@dataclass(frozen=True)
class Output:
    name: str  # file name inside the output folder
    data: bytes


def notice_attachment(incident: Incident, root: Path | None = None) -> tuple[bytes | None, list[Finding]]:
    """The notice as a PDF from ``notice.notice_text`` (a text file beside the incident), or a placeholder page."""
    name = (incident.data.get("notice") or {}).get("notice_text")
    title = f"Copy of the notice to affected individuals \u2014 {incident.id}"
    if not name:
        return text_pdf(title, "The notice sent to affected individuals is attached to this filing as sent. "
                               "(breachdocs: the incident gives no notice.notice_text and no letter could be "
                               "generated for it.)"), []
    text, findings = notice_text(incident, root)
    if text is None:
        return None, findings
    return text_pdf(title, text), []


def build_outputs(templates_dir: Path, incident: Incident, wanted: list[str] | None = None, *,
                  flatten: bool = False, packet: bool = False, notice_pdf: bytes | None = None,
                  root: Path | None = None, fillable_too: bool = False) -> tuple[list[Output], list[Finding]]:
    """Every file for ``incident`` (forms ``wanted``, default: the forms it uses); none if any error.

    With ``flatten`` and ``fillable_too``, each form's fillable copy as well, from the same fill.
    """
    findings: list[Finding] = []
    chosen = list(wanted) if wanted else forms_for(templates_dir, incident)
    if not chosen:
        return [], [incident.finding(("filings",), "the incident uses no form: add filings[].form "
                                                   "(e.g. form: us-nc-ago-breach) or name one with --form")]
    outputs: list[Output] = []
    for form_id in chosen:
        if form_id not in form_ids(templates_dir):
            known = ", ".join(form_ids(templates_dir)) or "none"
            findings.append(Finding(f"templates/forms/{form_id}", 0, 0, "",
                                    f"unknown form '{form_id}' (forms available: {known})"))
            continue
        form, problems = load_form(templates_dir, form_id, root=root)
        findings += [f for f in problems if f.is_error]
        if form is None:
            continue
        if flatten and fillable_too:
            copies, problems = fill_incident_copies(form, incident)
            data = copies[1] if copies else None
            if copies:
                outputs.append(Output(f"{form_id}.pdf", copies[0]))
        else:
            data, problems = fill_incident(form, incident, flatten_form=flatten)
        findings += [f for f in problems if f.is_error]
        if data is None:
            continue
        outputs.append(Output(f"{form_id}-flat.pdf" if flatten else f"{form_id}.pdf", data))
        if packet:
            flat = data if flatten else fill_incident(form, incident, flatten_form=True)[0]
            has_text = bool((incident.data.get("notice") or {}).get("notice_text"))
            notice, problems = (notice_pdf, []) if notice_pdf is not None and not has_text \
                else notice_attachment(incident, root)
            findings += problems
            if flat is not None and notice is not None:
                parts = [(form.title, flat)]
                if form.meta.get("attach_notice", True):
                    parts.append(("Copy of the notice", notice))
                outputs.append(Output(f"{form_id}-packet.pdf",
                                      build_packet(parts, title=f"{form.title} \u2014 {incident.id} (packet)")))
    if any(f.is_error for f in findings):
        return [], findings
    return outputs, findings
