"""The content check in `breachdocs validate`: each jurisdiction's required letter content is present."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from letters_fixtures import (
    MASSMUTUAL,
    edit_incident,
    edit_jurisdiction,
    incident,
    make_project,
    move_to_2020,
    shift_to_2020,
)

from breachdocs.findings import Finding
from breachdocs.letters import content_findings, render_sample
from breachdocs.letters.letter_law import load_letter_laws
from breachdocs.project import Project
from breachdocs.project_check import check

TODAY = dt.date(2026, 11, 24)


def _letter_findings(project: Project) -> list[Finding]:
    _, findings = check(project, today=TODAY)
    return [f for f in findings if f.field == "notice.letter.template"]


def _line_of(project_root: Path, key: str) -> tuple[int, int]:
    lines = (project_root / "incidents" / f"{MASSMUTUAL}.yaml").read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.strip().startswith(f"{key}:"))
    return number, lines[number - 1].index(key) + len(key) + 3


def test_default_template_satisfies_north_carolina(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    incidents, findings = check(project, today=TODAY)
    assert [i.id for i in incidents] == [MASSMUTUAL]
    assert findings == []


def test_missing_required_content_is_a_finding_naming_the_statute(tmp_path: Path) -> None:
    project = make_project(tmp_path, nc_required="likely_consequences")
    line, column = _line_of(project.root, "template")
    assert [str(f) for f in _letter_findings(project)] == [
        f"incidents/{MASSMUTUAL}.yaml:{line}:{column}: error: notice.letter.template: the consumer letter for "
        "North Carolina residents lacks 'likely_consequences' (the likely consequences of the breach), which "
        "N.C.G.S. 75-65(d)(1)-(7) requires (jurisdictions/us-nc.yaml); add to templates/letters/default.j2 a "
        'section that provides it: {% call section("...", provides="likely_consequences") %} ... {% endcall %}'
    ]


def test_content_is_judged_from_the_rendered_letter(tmp_path: Path) -> None:
    # Massachusetts requires an offer of credit monitoring (from 2019-04-11): the section renders only when the
    # incident makes one
    project = make_project(tmp_path)
    move_to_2020(project)
    edit_incident(project, "US-NC: 195", "US-NC: 195\n    US-MA: 4")
    assert _letter_findings(project) == []
    edit_incident(project, "credit_monitoring_months: 18", "credit_monitoring_months: 0")
    assert [f.message.split(",")[0] for f in _letter_findings(project)] == [
        "the consumer letter for Massachusetts residents lacks 'credit_monitoring' (the offer of free credit monitoring)"
    ]


def test_ag_contact_from_state_paragraph_or_from_the_attorney_generals_duty(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    shift_to_2020(project)  # North Carolina asks for the Attorney General's contact from 2009-10-01
    # North Carolina's paragraph carries the Attorney General's number: it provides ag_contact, nothing said twice
    text = render_sample(project, incident(project), "US-NC").text
    assert "919-716-6000" in text and "You may also contact" not in text
    # without the number in the paragraph, the office's details come from the attorney-general duty
    edit_jurisdiction(project, "us-nc", "or 919-716-6000; ", "")
    text = " ".join(render_sample(project, incident(project), "US-NC").text.split())
    assert ("You may also contact the North Carolina Attorney General, Consumer Protection Division, NC Attorney "
            "General's Office, 9001 Mail Service Center, Raleigh, NC 27699-9001, telephone (919) 716-6000.") in text
    assert _letter_findings(project) == []


def test_ag_contact_missing_is_reported(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    edit_jurisdiction(project, "us-nc", "or 919-716-6000; ", "")
    nc = load_letter_laws(project.jurisdictions_dir, root=project.root)["US-NC"]
    without_office = {"US-NC": dataclasses.replace(nc, jurisdiction=None)}  # a rule base naming no AG office
    findings = content_findings(project, incident(project), laws=without_office)
    assert [f.message.split(",")[0] for f in findings] == [
        "the consumer letter for North Carolina residents lacks 'ag_contact' (contact details of the state "
        "Attorney General)"
    ]


def test_jurisdictions_without_residents_are_not_checked(tmp_path: Path) -> None:
    # Massachusetts requires credit monitoring, but the incident has no Massachusetts residents
    project = make_project(tmp_path)
    edit_incident(project, "credit_monitoring_months: 18", "credit_monitoring_months: 0")
    edit_incident(project, "US-NC: 195", "US-NC: 195\n    US-MA: 0")
    assert _letter_findings(project) == []
