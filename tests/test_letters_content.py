"""The content check in `breachdocs validate`: each jurisdiction's required letter content is present."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from letters_fixtures import MASSMUTUAL, NC_REQUIRED, edit_incident, incident, make_project

from breachdocs.letters import render_sample
from breachdocs.project import check

TODAY = dt.date(2026, 11, 24)


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
    project = make_project(tmp_path, nc_required=NC_REQUIRED + ", credit_monitoring")
    _, findings = check(project, today=TODAY)
    line, column = _line_of(project.root, "template")
    assert [str(f) for f in findings] == [
        f"incidents/{MASSMUTUAL}.yaml:{line}:{column}: error: notice.letter.template: the consumer letter for "
        "North Carolina residents lacks 'credit_monitoring' (the offer of free credit monitoring), which "
        "N.C.G.S. 75-65(d)(1)-(7) requires (jurisdictions/us-nc.yaml); add to templates/letters/default.j2 a "
        'section that provides it: {% call section("...", provides="credit_monitoring") %} ... {% endcall %}'
    ]


def test_content_is_judged_from_the_rendered_letter(tmp_path: Path) -> None:
    project = make_project(tmp_path, nc_required=NC_REQUIRED + ", credit_monitoring")
    edit_incident(project, "reimburse_credit_reports: true",
                  "reimburse_credit_reports: true\n    credit_monitoring_months: 24")
    _, findings = check(project, today=TODAY)
    assert findings == []


def test_ag_contact_needs_the_attorney_general_in_the_rule_base(tmp_path: Path) -> None:
    project = make_project(tmp_path, nc_ag=False)
    _, findings = check(project, today=TODAY)
    assert len(findings) == 1 and "lacks 'ag_contact'" in findings[0].message


def test_jurisdictions_without_residents_are_not_checked(tmp_path: Path) -> None:
    # Massachusetts requires content too, but the incident has no Massachusetts residents
    project = make_project(tmp_path)
    edit_incident(project, "US-NC: 195", "US-NC: 195\n    US-MA: 0")
    _, findings = check(project, today=TODAY)
    assert findings == []


def test_state_paragraph_with_the_attorney_generals_number_provides_ag_contact(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    nc = project.jurisdictions_dir / "us-nc.yaml"
    nc.write_text(nc.read_text(encoding="utf-8").replace(
        "Attorney General's Office.", "Attorney General's Office, telephone 919-716-6000."), encoding="utf-8")
    _, findings = check(project, today=TODAY)
    assert findings == []
    text = render_sample(project, incident(project), "US-NC").text
    assert "telephone 919-716-6000" in text
    assert "You may also contact the North Carolina Attorney General" not in text  # not said twice
