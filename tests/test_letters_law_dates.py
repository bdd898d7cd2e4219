"""A letter follows the law in force when the breach was discovered: what it says of the law
(letters/consumer_reference.yaml law_facts) and what the law requires of it
(consumer_notice.required_content_since), each on both sides of its date."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from letters_fixtures import (
    MA_PARAGRAPH,
    MA_PARAGRAPH_BEFORE_2019,
    NC_PARAGRAPH,
    edit_incident,
    incident,
    make_project,
    move_to_2020,
    pdf_text,
    shift_to_2020,
)
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
    # (and the state's own paragraphs, which may give it too from the same date)
    text = re.sub(r'provides="([^"]*)"', lambda m: 'provides="' + " ".join(
        c for c in m.group(1).split() if c != content) + '"', text)
    template.write_text(text.replace("provides=state_provides", 'provides=""'), encoding="utf-8")
    if code != "US-NC":
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


@pytest.mark.parametrize("year", [2007, 2020])
def test_sample_carries_the_nc_paragraph_when_everyone_lives_in_north_carolina(tmp_path: Path, year: int) -> None:
    """In MassMutual's words, on two pages; North Carolina's paragraph is the law's from 2009-10-01 only."""
    project = make_project(tmp_path)
    if year == 2020:
        shift_to_2020(project)
    edit_incident(project, "total: 5135", "total: 195")
    data = render_sample(project, incident(project)).pdf
    assert (NC_PARAGRAPH in pdf_text(data)) == (year == 2020)
    if year == 2007:  # like the seed; a 2020 letter also states the law of 2020 and needs a third page
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


#: Every dated letter paragraph of the rule base: (code, first day, last day or None, words on one line).
DATED_PARAGRAPHS = [(j.code, raw.get("from"), raw.get("to"), " ".join(raw["text"].split()))
                    for j in JURISDICTIONS.values()
                    for raw in j.consumer_notice.get("letter_paragraphs") or [] if isinstance(raw, dict)]


def test_the_rule_base_dates_its_letter_paragraphs() -> None:
    assert [(c, f, t) for c, f, t, _ in DATED_PARAGRAPHS if c in ("US-NC", "US-MA")] == [
        ("US-MA", None, "2019-04-10"), ("US-MA", "2019-04-11", None), ("US-NC", "2009-10-01", None)]


def _sample_text(project: Project, code: str, day: dt.date) -> str:
    edit_incident(project, f'"{_discovered(project)}"', f'"{day}"')  # breach, discovery, containment
    return " ".join(pdf_text(render_sample(project, incident(project), code).pdf).split())


@pytest.mark.parametrize(("code", "start", "end", "words"), DATED_PARAGRAPHS,
                         ids=[f"{c}-{f or ''}-{t or ''}" for c, f, t, _ in DATED_PARAGRAPHS])
def test_each_dated_paragraph_is_in_the_letters_of_its_period_only(tmp_path: Path, code: str, start: str | None,
                                                                   end: str | None, words: str) -> None:
    project = make_project(tmp_path)
    move_to_2020(project)
    rule = ROOT / "jurisdictions" / f"{code.lower()}.yaml"
    (project.jurisdictions_dir / rule.name).write_bytes(rule.read_bytes())
    one_day = dt.timedelta(days=1)
    if start is not None:
        first = dt.date.fromisoformat(start)
        assert words not in _sample_text(project, code, first - one_day)
        assert words in _sample_text(project, code, first)
    if end is not None:
        last = dt.date.fromisoformat(end)
        assert words in _sample_text(project, code, last)
        assert words not in _sample_text(project, code, last + one_day)


def test_a_massachusetts_letter_before_2019_does_not_say_the_freeze_is_free(tmp_path: Path) -> None:
    """St. 2018 c. 444 made the security freeze free of charge from 2019-04-11; before, an agency could
    charge for it, and the Massachusetts paragraph says so."""
    project = make_project(tmp_path)
    move_to_2020(project)
    before = _sample_text(project, "US-MA", dt.date(2019, 4, 10))
    assert MA_PARAGRAPH_BEFORE_2019 in before and MA_PARAGRAPH not in before
    assert "A consumer reporting agency may charge up to $5 to place, lift or remove a security freeze" in before
    assert "Massachusetts residents have the right to obtain a police report regarding this incident, and to place " \
           "a security freeze on their credit reports by contacting each of the nationwide consumer reporting " \
           "agencies" in before
    assert "on their credit reports free of charge" not in before
    after = _sample_text(project, "US-MA", dt.date(2019, 4, 11))
    assert MA_PARAGRAPH in after and MA_PARAGRAPH_BEFORE_2019 not in after


def test_a_2009_north_carolina_letter_needs_the_contacts_only_from_october(tmp_path: Path) -> None:
    """A letter without the credit bureaus, the FTC and the Attorney General is complete for a breach discovered
    2009-09-30 and lacks them from 2009-10-01 (N.C.G.S. 75-65(d)(6), (7), S.L. 2009-355), but for the Attorney
    General's contact: North Carolina's own paragraph, in force from the same day, gives it."""
    project = make_project(tmp_path)
    move_to_2020(project)
    template = project.templates_dir / "letters" / "default.j2"
    text = template.read_text(encoding="utf-8")
    for content in ("ag_contact", "ftc_contact", "credit_bureaus", "identity_theft_information"):
        text = text.replace(f'"{content}', '"').replace(f' {content}"', '"')
    template.write_text(text, encoding="utf-8")
    lacking = {}
    for day in (dt.date(2009, 9, 30), dt.date(2009, 10, 1)):
        edit_incident(project, f'"{_discovered(project)}"', f'"{day}"')
        lacking[day] = sorted(f.message.split("lacks '")[1].split("'")[0] for f in content_findings(
            project, incident(project)) if "letter for North Carolina residents" in f.message)
    assert lacking[dt.date(2009, 9, 30)] == []
    assert lacking[dt.date(2009, 10, 1)] == ["credit_bureaus", "ftc_contact", "identity_theft_information"]
