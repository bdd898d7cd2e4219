"""The content check: each jurisdiction's consumer letter carries what its law requires.

For every jurisdiction whose residents the incident affects, the incident's
letter is rendered as residents there would receive it, and each content id of
the jurisdiction's ``consumer_notice.required_content`` in force when the breach
was discovered must be provided by a section of the letter that rendered text.
A missing one is a finding that names the statute.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..findings import Finding, FindingsError
from ..project import Project
from ..records import Incident
from ..resources import layers
from .context import PLACEHOLDER, law_date, own_sections
from .letter_law import LetterLaw, law_for, load_letter_laws
from .render import LetterRenderer

#: What each content id means, in the words of a finding.
CONTENT_WORDS: dict[str, str] = {
    "incident_description": "a description of what happened",
    "incident_date": "the date or period of the breach",
    "notice_date": "the date of the notice",
    "data_elements": "the types of information involved",
    "business_actions": "what the business did to protect the information",
    "contact_information": "how to reach the business, with a telephone number",
    "individual_steps": "what the reader can do",
    "remain_vigilant": "advice to remain vigilant (review statements, monitor credit reports)",
    "credit_bureaus": "numbers and addresses of the consumer reporting agencies",
    "ftc_contact": "contact details of the Federal Trade Commission",
    "ag_contact": "contact details of the state Attorney General",
    "identity_theft_information": "a statement that the FTC, the Attorney General and the agencies have "
                                  "information on preventing identity theft",
    "fraud_alert": "how to place a fraud alert",
    "security_freeze": "how to place a security freeze",
    "police_report": "the right to file and obtain a police report",
    "credit_monitoring": "the offer of free credit monitoring",
    "law_enforcement_delay": "whether notice was delayed by law enforcement",
    "likely_consequences": "the likely consequences of the breach",
    "dpo_contact": "contact details of the data protection officer",
    "mitigation_measures": "measures taken or proposed to mitigate the breach",
}


def content_findings(
    project: Project, incident: Incident, *, laws: dict[str, LetterLaw] | None = None,
    residences: Iterable[str] | None = None,
) -> list[Finding]:
    """Findings for required letter content missing in any jurisdiction the incident affects.

    ``residences`` (codes such as ``US-CA``) adds jurisdictions to check: a mail merge passes the
    states of its recipients, which may go beyond the incident's resident counts.
    """
    laws = laws if laws is not None else load_letter_laws(project)
    codes = {code for code, count in incident.residents.items() if count > 0} | set(residences or ())
    day = law_date(incident)
    found: dict[str, tuple[str, LetterLaw]] = {}  # by the law's own code: EU-DE and EU-FR are one law
    for code in sorted(codes):
        law = law_for(laws, code)
        if law is not None and law.required_on(day):
            found.setdefault(law.code, (code, law))
    targets = list(found.values())
    if not layers(project.templates_dir, "templates", "letters"):
        return []  # a project without letter templates (it makes no letters)
    if not targets and not own_sections(incident):
        return []  # nothing required
    try:
        renderer = LetterRenderer(project, incident, laws=laws)
    except FindingsError as exc:
        return list(exc.findings)
    where = ("notice", "letter", "template")
    findings: list[Finding] = renderer.unknown_sections()
    bodies = renderer.bodies(PLACEHOLDER, [code for code, _law in targets])
    for _code, law in targets:
        try:
            body = next(bodies)
        except FindingsError as exc:
            return sorted(set(exc.findings))
        provided = body.provided()
        for content in law.required_on(day):
            if content in provided:
                continue
            what = CONTENT_WORDS.get(content, content)
            findings.append(incident.finding(where, (
                f"the consumer letter for {law.name} residents lacks '{content}' ({what}), which {law.citation} "
                f"requires ({law.path}); add to {renderer.template.display} a section that provides it: "
                f'{{% call section("...", provides="{content}") %}} ... {{% endcall %}}')))
    return findings
