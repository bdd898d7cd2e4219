"""The submissions' checks: the files against the rule base, and each incident's answers.

- :func:`rule_base_findings`: each submission names a duty of a rule file (or one its risk-of-harm
  determination creates), its form exists, each answer is a field of the incident format; each
  regulator duty the engine can judge has a submission (in a project that has a submissions folder);
  no rule file names a form that does not exist.
- :func:`incident_findings`: for each regulator duty an incident triggers, each required question
  the incident does not answer, with the field to record it under. A warning while the duty is
  open (the facts are work still to do, and a draft must still build); an error once a filing of
  the duty is recorded (the record of what was sent must hold what the regulator was told); and each
  answer holding characters the worksheet's PDF cannot print (an error: the worksheet cannot be made).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from ..findings import Finding
from ..forms import form_ids
from ..law import Jurisdiction, Obligation
from ..law.obligations import possible_duty_ids
from ..letters.pdf import PRINTABLE_ADVICE, unprintable
from ..records import Incident
from ..resources import layers
from .answers import Answer, answers, duty_filing
from .fields import field_values, incident_field_exists
from .submission import NOT_REGULATOR, Submission, file_stem, load_submissions, submissions_dir
from .worksheet import Worksheet, worksheet_body

#: How a finding names what the regulator asks, by kind.
ASKS = {"form": "the form asks", "portal": "the portal asks", "filing": "the filing asks",
        "letter": "the letter must state"}


def rule_base_findings(
    project_root: Path | None, jurisdictions_dir: Path, templates_dir: Path, rules: Mapping[str, Jurisdiction]
) -> list[Finding]:
    """Findings of the submission files and of the rule files' forms (see the module docstring)."""
    found, findings = load_submissions(jurisdictions_dir, root=project_root)
    forms = form_ids(templates_dir)  # the project's own forms and breachdocs' packaged ones
    for submission in found.values():
        findings += _submission_findings(submission, rules, forms)
    folder = submissions_dir(jurisdictions_dir)
    described = bool(layers(jurisdictions_dir, "jurisdictions", folder.name))
    for jurisdiction in rules.values():
        for duty in jurisdiction.duties:
            if duty.form and forms and duty.form not in forms:
                findings.append(jurisdiction.loaded.finding(
                    ("duties", duty.index, "form"),
                    f"there is no form '{duty.form}' under templates/forms/; write form: null (and describe what the "
                    f"regulator asks in {_shown(folder, jurisdiction.code, duty.id)}) or add the form"))
        for duty_id in possible_duty_ids(jurisdiction):
            # A project without a submissions folder does not describe its regulators' questions.
            if duty_id in NOT_REGULATOR or (jurisdiction.code, duty_id) in found or not described:
                continue
            versions = jurisdiction.versions(duty_id)
            # A duty a risk-of-harm determination creates is written as risk_of_harm.send_to.
            where = ("duties", versions[0].index, "id") if versions else ("risk_of_harm", "send_to")
            findings.append(jurisdiction.loaded.finding(
                where,
                f"the regulator duty '{duty_id}' has no submission: create {_shown(folder, jurisdiction.code, duty_id)} "
                "with its kind (form, portal, letter or filing) and the questions the regulator asks",
                severity="warning"))
    return sorted(set(findings))


def _shown(folder: Path, code: str, duty: str) -> str:
    return f"jurisdictions/{folder.name}/{file_stem(code, duty)}.yaml"


def _submission_findings(submission: Submission, rules: Mapping[str, Jurisdiction], forms: list[str]) -> list[Finding]:
    out: list[Finding] = []
    jurisdiction = rules.get(submission.jurisdiction)
    if jurisdiction is None:
        out.append(submission.finding(("jurisdiction",), f"there is no rule file with code {submission.jurisdiction}; "
                                      f"write the code of a file in jurisdictions/ (for example US-TX)"))
    elif submission.duty not in possible_duty_ids(jurisdiction):
        duties = ", ".join(d for d in possible_duty_ids(jurisdiction) if d not in NOT_REGULATOR)
        out.append(submission.finding(("duty",), f"{jurisdiction.path} has no duty '{submission.duty}'; "
                                      f"its regulator duties are: {duties}"))
    if submission.form and forms and submission.form not in forms:
        out.append(submission.finding(("form",), f"there is no form '{submission.form}' under templates/forms/; "
                                      "write the id of a folder there, or make the submission a portal or letter"))
    for q in submission.questions:
        words = field_values(q.answer) if q.answer and not q.computed else None
        if q.map and q.answer and words is None:
            out.append(submission.finding(("questions", q.index, "map"), f"'{q.answer}' takes free text, so there is "
                                          "nothing to map; remove map"))
        for key, _choice in q.map:
            if words is not None and key not in words:
                out.append(submission.finding(("questions", q.index, "map", key), f"'{key}' is not a value of "
                                              f"{q.answer}; its values are: {', '.join(words)}"))
        if q.answer and not q.computed and not incident_field_exists(q.answer):
            out.append(submission.finding(("questions", q.index, "answer"), f"'{q.answer}' is not a field of the "
                                          "incident format (records/incident.schema.json); write an existing field, "
                                          "a computed value such as =residents, or answer: null with needs:"))
    return out


def missing_answers(incident: Incident, submission: Submission, obligation: Obligation,
                    found: Iterable[Answer]) -> list[Finding]:
    """A finding per required question ``found`` leaves unanswered that the incident can answer."""
    filed = duty_filing(incident, submission.jurisdiction, submission.duty) is not None
    severity = "error" if filed else "warning"
    asks = ASKS[submission.kind]
    why = f" ({obligation.citation})" if submission.kind == "letter" and obligation.citation else ""
    out = []
    for a in found:
        if not a.missing or not a.record_at or not incident_field_exists(a.record_at.split(" ")[0]):
            continue
        where = _record_path(incident, submission, a.record_at)
        out.append(incident.finding(where, (
            f"{submission.jurisdiction} {submission.duty}: {asks} '{a.question.label}'{why}; "
            f"record it under {a.record_at}" + (" (the filing is recorded, so its record must say what was sent)"
                                                if filed else "")), severity=severity))
    return out


def _record_path(incident: Incident, submission: Submission, record_at: str) -> tuple[str | int, ...]:
    head, _, rest = record_at.partition(".")
    if head == "filing":
        index = next((i for i, f in enumerate(incident.filings) if f.get("jurisdiction") == submission.jurisdiction
                      and f.get("recipient") == submission.duty), None)
        return ("filings", index, *rest.split(".")) if index is not None else ("filings",)
    if head == "risk_assessment":  # entries by jurisdiction: this one's
        entries = incident.data.get("risk_assessment") or []
        index = next((i for i, e in enumerate(entries) if isinstance(e, Mapping)
                      and e.get("jurisdiction") == submission.jurisdiction), None)
        return ("risk_assessment", index, *rest.split(".")) if index is not None else ("risk_assessment",)
    return tuple(record_at.split("."))


def incident_findings(
    incident: Incident, found: Iterable[Obligation], rules: Mapping[str, Jurisdiction],
    submissions: Mapping[tuple[str, str], Submission],
) -> list[Finding]:
    """For each triggered regulator duty of ``incident`` (judged in ``found``), the questions it leaves unanswered.

    A form's own check (forms) reports a form's missing values, so kind form is left to it.
    """
    out: list[Finding] = []
    for obligation in found:
        submission = submissions.get((obligation.jurisdiction, obligation.duty))
        if not obligation.triggered or submission is None or submission.kind == "form":
            continue
        given = answers(incident, submission, rules.get(obligation.jurisdiction))
        out += missing_answers(incident, submission, obligation, given)
        out += unprintable_answers(incident, submission, obligation, given)
    return out


def unprintable_answers(incident: Incident, submission: Submission, obligation: Obligation,
                        given: list[Answer]) -> list[Finding]:
    """A finding per answer holding characters the worksheet's PDF cannot print, at the field it comes from; one
    for such characters elsewhere in the worksheet (the business's or the signatory's name), at the incident."""
    out: list[Finding] = []
    reported: set[str] = set()
    for a in given:
        bad = unprintable(a.text or "")
        if not bad:
            continue
        reported.update(bad)
        field = a.source.split(" ")[0] or a.record_at
        out.append(incident.finding(_record_path(incident, submission, field), (
            f"{submission.jurisdiction} {submission.duty}: the worksheet cannot print "
            f"{', '.join(repr(c) for c in bad)} in its answer to '{a.question.label}'; {PRINTABLE_ADVICE}")))
    body = worksheet_body(Worksheet(incident, submission, obligation, tuple(given)))
    rest = [c for c in unprintable("".join(b.text for b in body.blocks)) if c not in reported]
    if rest:
        out.append(incident.finding((), f"{submission.jurisdiction} {submission.duty}: the worksheet cannot print "
                                        f"{', '.join(repr(c) for c in rest)} (in the business's, the signatory's or "
                                        f"the regulator's details); {PRINTABLE_ADVICE}"))
    return out
