"""Rendering letters for one incident: the template loaded once, the law of each
state looked up, a PDF per recipient. :func:`render_sample` makes the copy
with placeholder recipient data that regulators ask for.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..findings import Finding, FindingsError
from ..project import Project
from ..records import Incident
from ..resources import layered_files
from .context import PLACEHOLDER, Recipient, letter_context, own_sections, template_name
from .letter_law import LetterLaw, law_for, load_letter_laws
from .pdf import UnprintableText, letter_pdf
from .template import LetterBody, LetterTemplate


@dataclass(frozen=True)
class Letter:
    """A rendered letter: the PDF and its plain text."""

    pdf: bytes
    text: str


class LetterRenderer:
    """Renders the letters of one incident; build once, call :meth:`body` / :meth:`letter` per recipient."""

    def __init__(self, project: Project, incident: Incident, *, laws: dict[str, LetterLaw] | None = None):
        self.project = project
        self.incident = incident
        self.laws = laws if laws is not None else load_letter_laws(project)
        name = template_name(incident)
        templates = layered_files(project.templates_dir, "templates", "letters", pattern="*.j2")
        if f"{name}.j2" not in templates:
            available = ", ".join(sorted(Path(p).stem for p in templates)) or "none"
            raise FindingsError([incident.finding(
                ("notice", "letter", "template"),
                f"there is no letter template '{name}' in templates/letters/ (available: {available}); "
                f"write one of those or add templates/letters/{name}.j2")])
        self.template = LetterTemplate(templates[f"{name}.j2"].parent, name, root=project.root)
        business = incident.business
        self.title = f"Notice of data security incident - {business.get('short_name') or business['name']}"
        self.author = str(business["name"])

    def unknown_sections(self) -> list[Finding]:
        """A warning for each of the incident's own sections (``notice.letter.sections``) the template lacks:
        its paragraphs appear nowhere."""
        names = self.template.section_names
        return [self.incident.finding(("notice", "letter", "sections", name), (
            f"the template {self.template.display} has no section '{name}', so these paragraphs appear nowhere; "
            f"its sections are: {', '.join(names)}"), key=True, severity="warning")
            for name in sorted(set(own_sections(self.incident)) - set(names))]

    def law_for(self, residence: str) -> LetterLaw | None:
        return law_for(self.laws, residence)

    def body(self, recipient: Recipient, *, residence: str | None = None, redact: bool = False) -> LetterBody:
        law = self.law_for(residence if residence is not None else recipient.residence)
        context = letter_context(self.incident, recipient, law)
        return self.template.render(context, redact=redact)

    def bodies(self, recipient: Recipient, residences: Sequence[str]) -> Iterator[LetterBody]:
        """``body(recipient, residence=r)`` for each residence in turn (raising where that one would),
        rendering what the residences share once (:meth:`LetterTemplate.render_each`)."""
        contexts = [letter_context(self.incident, recipient, self.law_for(r)) for r in residences]
        return self.template.render_each(contexts)

    def letter(self, recipient: Recipient, *, residence: str | None = None, redact: bool = False) -> Letter:
        body = self.body(recipient, residence=residence, redact=redact)
        personal = (recipient.name, recipient.address1, recipient.address2,
                    f"{recipient.city}, {recipient.state} {recipient.zip}")
        return Letter(letter_pdf(body, title=self.title, author=self.author, personal=personal), body.text)


def render_sample(project: Project, incident: Incident, jurisdiction: str | None = None) -> Letter:
    """The incident's letter with placeholder recipient data (<NAME>, <ADDRESS>, CITY, STATE ZIP).

    ``jurisdiction`` is a residence code (``US-NC``): the sample then carries the
    paragraphs that residents of that jurisdiction receive. Without one, the sample is
    the letter of the one jurisdiction every affected person lives in, if there is one
    (:func:`sole_residence`), else the letter without any state's paragraphs. Raises
    :class:`~breachdocs.findings.FindingsError` (located findings) when the
    template or the incident cannot make a letter.
    """
    renderer = LetterRenderer(project, incident)
    try:
        return renderer.letter(PLACEHOLDER, residence=jurisdiction or sole_residence(incident))
    except UnprintableText as exc:
        raise FindingsError([incident.finding(("notice",), str(exc))]) from None


def sole_residence(incident: Incident) -> str:
    """The residence code of every affected person, when they all live in one place; else ''."""
    places = [code for code, count in incident.residents.items() if count > 0]
    if len(places) == 1 and incident.residents[places[0]] == incident.total_affected:
        return places[0]
    return ""


def notice_copy(project: Project, incident: Incident, jurisdiction: str | None = None) -> bytes | None:
    """The sample letter as a PDF to attach to a filing packet, or None when no letter can be
    made (``check()`` reports why, with located findings)."""
    try:
        return render_sample(project, incident, jurisdiction).pdf
    except FindingsError:
        return None
