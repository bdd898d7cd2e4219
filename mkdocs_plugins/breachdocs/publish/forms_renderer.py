"""The real forms engine behind the :class:`~.documents.FilingRenderer` seam.

For each form an incident uses (``breachdocs.forms.forms_for``), three
documents: the fillable copy for review, the flattened copy as submitted, and
the packet (flattened form + copy of the notice). Problems filling a form are
not reported here: ``check()`` reports them (forms add their findings there),
and a form that cannot be filled simply has no documents.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .documents import FilingDocument, source_token

if TYPE_CHECKING:
    from ..project import Project
    from ..records import Incident

PACKAGE = Path(__file__).resolve().parent.parent


class FormsRenderer:
    """Fills the forms of ``templates/forms/`` with ``breachdocs.forms``."""

    def __init__(self) -> None:
        # Everything whose code shapes a filing: the form engine and the notice letter attached to packets.
        self.token = source_token(*(PACKAGE / name for name in ("forms", "letters") if (PACKAGE / name).is_dir()))

    def render(self, project: Project, incident: Incident) -> list[FilingDocument]:
        from ..forms import forms_for, load_form
        from ..forms.outputs import build_outputs
        from ..letters import notice_copy

        docs: list[FilingDocument] = []
        for form_id in forms_for(project.templates_dir, incident):
            form, _ = load_form(project.templates_dir, form_id, root=project.root)
            if form is None:
                continue
            notice = notice_copy(project, incident, form.jurisdiction)
            outputs, _ = build_outputs(project.templates_dir, incident, [form_id], flatten=True, packet=True,
                                       fillable_too=True, notice_pdf=notice, root=project.root)
            for output in outputs:
                variant = output.name.removeprefix(form_id).removesuffix(".pdf").lstrip("-")
                docs.append(FilingDocument(incident.id, form_id, variant, form.jurisdiction, form.recipient,
                                           output.data))
        return docs
