"""The documents of an incident's filings: each form it uses filled (fillable copy), flattened (as
submitted) and packed with the notice to the people affected (packet).

:func:`filing_documents` is the one function that makes them: ``breachdocs fill``, the filings
bundle (and so the site and a release) and the binding-record check all take their documents
from it. The bundle asks a :class:`FilingRenderer` for them (the real one is
:class:`FormsRenderer`); its ``token`` names everything about the renderer that changes its output,
so that the filings cache can tell a stale document from a fresh one. Tests pass a fake renderer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ..findings import Finding
from ..forms import build_outputs, form_folders, forms_for, load_form
from ..hashing import code_token
from ..law import Jurisdiction, Obligation, obligations
from ..law.rules import load_rule_base
from ..letters import notice_copy
from ..letters.pdf import UnprintableText
from ..project import Project
from ..records import Incident
from ..submissions import Submission, Worksheet, load_submissions, worksheet_pdf, worksheets
from .manifest import document_file

#: The variant of a regulator worksheet (or regulator letter): ``<jurisdiction>-<duty>-worksheet.pdf``.
WORKSHEET = "worksheet"

#: Variants of one filing: the editable fill, the flattened copy sent to the regulator, the packet.
VARIANTS = ("", "flat", "packet")


@dataclass(frozen=True)
class FilingDocument:
    """One PDF of one filing of one incident."""

    incident: str
    form: str
    variant: str  # "" (fillable), "flat" (flattened, as submitted), "packet" (form + notice), "filed-<sha12>",
    #               "worksheet" (a regulator's questions answered; ``form`` is then the submission id)
    jurisdiction: str
    recipient: str
    data: bytes

    @property
    def relpath(self) -> str:
        """Where it lives under the output folder: ``filings/<incident>/<form>[-variant].pdf``."""
        return document_file(self.incident, self.form, self.variant)

    @property
    def filename(self) -> str:
        return self.relpath.rsplit("/", 1)[1]


@dataclass(frozen=True)
class PlannedDocument:
    """A document the filings of an incident will have, before it is made."""

    form: str
    variant: str
    jurisdiction: str
    recipient: str


#: Later filings that record a change of an earlier one (its document as filed is then kept beside).
LATER_KINDS = ("amendment", "supplemental")


def superseded(filings: list[dict[str, Any]], index: int, identity: dict[str, Any] | None = None) -> bool:
    """Whether a later entry records an amendment or supplement of filing ``index``: of the filing as
    ``identity`` says it was first recorded, when given; after every entry when ``index`` is -1 (the
    filing's own entry was removed)."""
    first = identity or filings[index]
    return any(
        later.get("kind") in LATER_KINDS
        and later.get("form") == first.get("form")
        and later.get("jurisdiction") == first.get("jurisdiction")
        for later in (filings if index < 0 else filings[index + 1:])
    )


def planned_documents(project: Project, incident: Incident, made: list[Worksheet] | None = None
                      ) -> list[PlannedDocument]:
    """The documents :func:`filing_documents` and the bundle will make for ``incident``, without making them:
    each variant of each form it uses that loads, and the copy as filed of each recorded filing that a
    later amendment supersedes (the bundle recovers it from Git), and each regulator worksheet (``made``: the
    incident's :func:`incident_worksheets`, when the caller has them)."""
    out: list[PlannedDocument] = []
    for form_id in forms_for(project.templates_dir, incident):
        form, _ = load_form(project.templates_dir, form_id, root=project.root)
        if form is not None:
            out += [PlannedDocument(form_id, variant, form.jurisdiction, form.recipient) for variant in VARIANTS]
    for index, filing in enumerate(incident.filings):
        if filing.get("sha256") and filing.get("form") and superseded(incident.filings, index):
            out.append(PlannedDocument(str(filing["form"]), f"filed-{str(filing['sha256'])[:12]}",
                                       str(filing["jurisdiction"]), str(filing["recipient"])))
    out += [PlannedDocument(ws.id, WORKSHEET, ws.submission.jurisdiction, ws.submission.duty)
            for ws in (incident_worksheets(project, incident) if made is None else made)]
    return out


def filing_documents(
    project: Project, incident: Incident, forms: Sequence[str] | None = None, *, packet: bool = True
) -> tuple[list[FilingDocument], list[Finding]]:
    """The documents of ``incident``'s filings: for each form (default: every form it uses), the fillable
    copy, the flattened copy and (``packet``) the packet; and the findings of making them.

    A form with an error finding has no documents (the others still have theirs).
    """
    templates = project.templates_dir
    chosen = list(forms) if forms else forms_for(templates, incident)
    if not chosen:  # build_outputs says how to name a form
        return [], build_outputs(templates, incident, None, root=project.root)[1]
    documents: list[FilingDocument] = []
    findings: list[Finding] = []
    for form_id in chosen:
        form, _ = load_form(templates, form_id, root=project.root)
        notice = notice_copy(project, incident, form.jurisdiction) if packet and form is not None else None
        outputs, found = build_outputs(templates, incident, [form_id], flatten=True, packet=packet,
                                       fillable_too=True, notice_pdf=notice, root=project.root)
        findings += found
        if form is None:
            continue
        for output in outputs:
            variant = output.name.removeprefix(form_id).removesuffix(".pdf").lstrip("-")
            documents.append(FilingDocument(incident.id, form_id, variant, form.jurisdiction, form.recipient,
                                            output.data))
    return documents, findings


def incident_worksheets(project: Project, incident: Incident, rules: dict[str, Jurisdiction] | None = None,
                        judged: list[Obligation] | None = None,
                        submissions: Mapping[tuple[str, str], Submission] | None = None) -> list[Worksheet]:
    """The regulator worksheets of ``incident``: one per triggered regulator duty of the project's rule base
    whose submission is a portal, letter or filing. The caller may hand in what it has: the ``rules``, the
    incident's obligations (``judged``, on any day) and the ``submissions``."""
    if rules is None:
        rules = load_rule_base(project)[0]
    if submissions is None:
        submissions = load_submissions(project.jurisdictions_dir, root=project.root)[0]
    # Worksheets show due dates, not statuses, so the day they are judged on does not change them.
    return worksheets(incident, obligations(incident, rules, dt.date.max) if judged is None else judged, rules,
                      submissions)


def worksheet_documents(project: Project, incident: Incident, made: Sequence[Worksheet] | None = None
                        ) -> list[FilingDocument]:
    """A PDF per regulator worksheet of ``incident`` (``made``: its :func:`incident_worksheets`, when the caller
    has them): its questions answered (kind letter: the letter to the regulator). Missing answers show as
    missing; a worksheet holding characters no font of ours prints has no document: the check says so of both."""
    documents = []
    for ws in incident_worksheets(project, incident) if made is None else made:
        try:
            data = worksheet_pdf(ws)
        except UnprintableText:
            continue
        documents.append(FilingDocument(incident.id, ws.id, WORKSHEET, ws.submission.jurisdiction,
                                        ws.submission.duty, data))
    return documents


class FilingRenderer(Protocol):
    """Anything that renders an incident's filing documents."""

    @property
    def token(self) -> str:
        """Changes whenever the renderer's output for the same inputs could change."""
        ...

    def render(self, project: Project, incident: Incident) -> list[FilingDocument]: ...


class FormsRenderer:
    """The documents of :func:`filing_documents`. Problems are not reported here: the project check
    reports them, and a form that cannot be filled simply has no documents."""

    def __init__(self, made: Mapping[str, tuple[Incident, Sequence[Worksheet]]] | None = None) -> None:
        # Everything whose code shapes a filing: the PDF engine, the forms, the notice attached to packets.
        self.token = code_token("pdf", "forms", "letters", "law", "submissions", "filings/documents.py")
        #: Worksheets the caller made (:func:`incident_worksheets`) by incident id, with the incident they were
        #: made of: used for that very incident object only (another, such as an earlier revision's, is answered
        #: afresh).
        self._made = dict(made or {})

    def __getstate__(self) -> dict[str, Any]:
        """Sent to worker processes without the worksheets (there the incidents are copies: answered afresh)."""
        return {**self.__dict__, "_made": {}}

    def render(self, project: Project, incident: Incident) -> list[FilingDocument]:
        made = self._made.get(incident.id)
        return filing_documents(project, incident)[0] + worksheet_documents(
            project, incident, made[1] if made is not None and made[0] is incident else None)


def form_exists(project: Project, form: str) -> bool:
    """Whether ``templates/forms/<form>/`` holds a form (so a recorded filing of it can be re-rendered)."""
    return form in form_folders(project.templates_dir)
