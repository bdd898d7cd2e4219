"""A letter follows the law in force when the breach was discovered: what it says of the law
(letters/consumer_reference.yaml law_facts) and what the law requires of it
(consumer_notice.required_content_since), each on both sides of its date."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from letters_fixtures import NC_PARAGRAPH, edit_incident, incident, make_project, move_to_2020, pdf_text
from pypdf import PdfReader

from breachdocs.law.rules import load_jurisdictions
from breachdocs.letters import content_findings, render_sample
from breachdocs.letters.context import consumer_reference, law_on
from breachdocs.project import Project

ROOT = Path(__file__).resolve().parent.parent

#: For each fact of the law a letter states: words the sample carries from its date on, and words it
#: carries before (None: nothing in their place).
STATEMENTS = {
    "free_annual_credit_report": ("one free copy of your credit report per year", None),
    "breach_notice_headings": ("What Happened", "credit card, debit card, and bank statements carefully"),
    "identitytheft_gov": ("www.identitytheft.gov", None),
    "fraud_alert_one_year": ("An initial fraud alert lasts one year", "for 90 days or 7 years"),
    "free_security_freeze": ("security freeze on your credit file, free of charge", None),
}


def test_every_fact_of_the_law_has_its_statement() -> None:
    assert sorted(consumer_reference()["law_facts"]) == sorted(STATEMENTS)


@pytest.mark.parametrize("fact", sorted(STATEMENTS))
def test_the_letter_states_the_law_of_the_discovery_date(tmp_path: Path, fact: str) -> None:
    since = dt.date.fromisoformat(consumer_reference()["law_facts"][fact]["since"])
    project = make_project(tmp_path)
    move_to_2020(project)
    after, before = STATEMENTS[fact]
    texts = {}
    for day in (since - dt.timedelta(days=1), since):
        edit_incident(project, f'"{_discovered(project)}"', f'"{day}"')  # breach, discovery, containment
        assert law_on(day)[fact] == (day == since)
        texts[day] = " ".join(pdf_text(render_sample(project, incident(project)).pdf).split())
    assert after in texts[since] and after not in texts[since - dt.timedelta(days=1)]
    if before is not None:
        assert before in texts[since - dt.timedelta(days=1)] and before not in texts[since]


def _discovered(project: Project) -> str:
    return str(incident(project).data["dates"]["discovered"])


JURISDICTIONS, _ = load_jurisdictions(ROOT / "jurisdictions", root=ROOT)
CONTENT_SINCE = [(j.code, content, day.isoformat()) for j in JURISDICTIONS.values()
                 for content, day in j.required_content_since.items()]


def test_the_rule_base_dates_its_letter_requirements() -> None:
    assert ("US-MA", "credit_monitoring", "2019-04-11") in CONTENT_SINCE


@pytest.mark.parametrize(("code", "content", "day"), CONTENT_SINCE, ids=[f"{c}-{i}-{d}" for c, i, d in CONTENT_SINCE])
def test_each_dated_letter_requirement_counts_from_its_date(tmp_path: Path, code: str, content: str, day: str) -> None:
    """A letter lacking the content: no finding the day before the amendment, a finding from its date."""
    project = make_project(tmp_path)
    move_to_2020(project)
    rule = ROOT / "jurisdictions" / f"{code.lower()}.yaml"
    (project.jurisdictions_dir / rule.name).write_bytes(rule.read_bytes())
    template = project.templates_dir / "letters" / "default.j2"
    text = template.read_text(encoding="utf-8")
    # the letter leaves the content out: every section providing it is dropped
    template.write_text(text.replace(f'provides="{content}"', 'provides=""'), encoding="utf-8")
    edit_incident(project, "US-NC: 195", f"US-NC: 195\n    {code}: 4")
    since = dt.date.fromisoformat(day)
    name = JURISDICTIONS[code].name
    lacking = {}
    for when in (since - dt.timedelta(days=1), since):
        edit_incident(project, f'"{_discovered(project)}"', f'"{when}"')  # breach, discovery, containment
        lacking[when] = [f.message for f in content_findings(project, incident(project))
                         if f"lacks '{content}'" in f.message and f"letter for {name} residents" in f.message]
    assert lacking[since - dt.timedelta(days=1)] == []
    assert len(lacking[since]) == 1 and lacking[since][0].startswith("the consumer letter for ")


def test_sample_carries_the_nc_paragraph_when_everyone_lives_in_north_carolina(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    edit_incident(project, "total: 5135", "total: 195")
    data = render_sample(project, incident(project)).pdf
    assert NC_PARAGRAPH in pdf_text(data)
    assert len(PdfReader(io.BytesIO(data)).pages) == 2
    assert content_findings(project, incident(project)) == []


def test_own_paragraphs_for_a_section_the_template_lacks_are_a_warning(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    edit_incident(project, "      what_happened:", "      what_hapened:")
    assert [str(f) for f in content_findings(project, incident(project))] == [
        f"incidents/{incident(project).id}.yaml:66:7: warning: notice.letter.sections.what_hapened: the template "
        "templates/letters/default.j2 has no section 'what_hapened', so these paragraphs appear nowhere; its "
        "sections are: letterhead, date, address, salutation, opening, what_happened, when, law_enforcement, "
        "what_information, what_we_are_doing, likely_consequences, credit_monitoring, what_you_can_do, "
        "credit_reports, police_report, fraud_alert, security_freeze, ftc, attorney_general, state_paragraphs, "
        "incident_paragraphs, more_information, dpo, closing, footnotes"]
