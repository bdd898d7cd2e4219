"""Facts the law turns on, besides counts and data elements: the form of the records, what the
business is, a risk-of-harm determination and the duties it creates, the GDPR risk level, the time
of awareness for deadlines in hours, extensions, and a project without a rule base.

Each law is a small rule file written here, so the test shows the rule it exercises; the real
rule files are walked for their dated elements and dated duty versions (both sides of each date).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from rule_base import copy_rule_base

from breachdocs.cli import main
from breachdocs.law.checks import incident_law_findings
from breachdocs.law.deadlines import deadlines_table, ics, open_duties
from breachdocs.law.obligations import Obligation, obligations, obligations_table, resident_count
from breachdocs.law.rules import SCHEMA_LINE, Duty, Jurisdiction, load_jurisdiction, load_jurisdictions
from breachdocs.project import Project
from breachdocs.project_check import check
from breachdocs.records import Incident, load_incident

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 24)
SOURCE = {"url": "https://example.gov/law", "read": "2026-11-30"}


def duty(duty_id: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": duty_id,
        "recipient": {"name": fields.pop("name", f"Recipient of {duty_id}")},
        "threshold": {"count": 1, "comparison": ">=", "of": fields.pop("of", "residents")},
        "deadline": fields.pop("deadline", {"days": 30}),
        "effective_from": fields.pop("effective_from", "2005-01-01"),
        "citation": fields.pop("citation", f"Test Code 1({duty_id})"),
        "verified": True,
        "source": SOURCE,
        **fields,
    }


def law(tmp_path: Path, code: str = "US-FL", *, duties: list[dict[str, Any]] | None = None,
        **top: Any) -> dict[str, Jurisdiction]:
    """One rule file in tmp_path/jurisdictions, loaded (and required to load without findings)."""
    data: dict[str, Any] = {
        "code": code, "name": f"Test {code}", "kind": "international" if code.startswith(("EU", "GB")) else "state",
        "residents": [code] if code.startswith("US-") else [code.split("-")[0]],
        "statute": {"citation": "Test Code 1", "title": "Breach law", "url": "https://example.gov/law",
                    "read": "2026-11-30"},
        "last_reviewed": "2026-11-30", "verified": True,
        **top,
        "duties": duties or [duty("consumers")],
    }
    folder = tmp_path / "jurisdictions"
    folder.mkdir(exist_ok=True)
    file = folder / f"{code.lower()}.yaml"
    file.write_text(SCHEMA_LINE + "\n" + yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    jurisdiction, findings = load_jurisdiction(file, file.name)
    assert jurisdiction is not None and not findings, [str(f) for f in findings]
    return {code: jurisdiction}


def incident(tmp_path: Path, *, discovered: str = "2025-06-02", residents: dict[str, int] | None = None,
             **fields: Any) -> Incident:
    data: dict[str, Any] = {
        "id": f"{discovered}-facts",
        "title": "Test incident",
        "status": "in-review",
        "reporting_business": {"name": "Example Co", "street": "1 Main Street", "city": "Tampa", "state": "FL",
                               "zip": "33601", "phone": "813-555-0100", "email": "privacy@example.com",
                               **fields.pop("business", {})},
        "dates": {"discovered": discovered, **fields.pop("dates", {})},
        "affected": {"total": sum((residents or {"US-FL": 10}).values()), "residents": residents or {"US-FL": 10}},
        "data": {"format": fields.pop("format", "electronic"), "elements": ["name", "ssn"], "protected": False},
        "circumstances": "A laptop was stolen.",
        "notice": {"methods": ["written"], **fields.pop("notice", {})},
        **fields,
    }
    folder = tmp_path / "incidents"
    folder.mkdir(exist_ok=True)
    file = folder / f"{data['id']}.yaml"
    file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    loaded, findings = load_incident(file, display=f"incidents/{file.name}", today=TODAY)
    assert loaded is not None, [str(f) for f in findings]
    return loaded


def law_findings(case: Incident, rules: dict[str, Jurisdiction]) -> list[Any]:
    return incident_law_findings(case, rules, obligations(case, rules, TODAY))


def pick(found: list[Obligation], duty_id: str, code: str = "US-FL") -> Obligation:
    return next(o for o in found if o.duty == duty_id and o.jurisdiction == code)


# --- the form of the records ------------------------------------------------------------------------

def test_paper_breach_under_an_electronic_only_law_owes_no_notice(tmp_path: Path) -> None:
    rules = law(tmp_path, personal_information={"citation": "Fla. Stat. 501.171(1)(g)", "record_forms": ["electronic"],
                                                "with_name": ["ssn"]})
    paper = pick(obligations(incident(tmp_path, format="paper"), rules, TODAY), "consumers")
    assert not paper.triggered and paper.status == "not-triggered"
    assert ("paper records only: Fla. Stat. 501.171(1)(g) covers electronic records only (data.format is paper)"
            in paper.reasons)
    both = pick(obligations(incident(tmp_path, discovered="2025-06-03", format="both"), rules, TODAY), "consumers")
    assert both.triggered


def test_a_law_without_record_forms_covers_paper(tmp_path: Path) -> None:
    rules = law(tmp_path, personal_information={"citation": "N.C.G.S. 75-61(10)", "with_name": ["ssn"]})
    assert pick(obligations(incident(tmp_path, format="paper"), rules, TODAY), "consumers").triggered


# --- what the business is -----------------------------------------------------------------------------

def test_not_regulated_as_sends_an_insurer_to_its_own_regulator(tmp_path: Path) -> None:
    rules = law(tmp_path, "US-ME", duties=[
        duty("attorney-general", not_regulated_as=["state-licensed-insurer"], citation="10 M.R.S. 1348(5)"),
        duty("regulator", regulated_as=["state-licensed-insurer"], name="Bureau of Insurance")])
    insurer = incident(tmp_path, residents={"US-ME": 3}, business={"regulated_as": ["state-licensed-insurer"]})
    found = obligations(insurer, rules, TODAY)
    ag = pick(found, "attorney-general", "US-ME")
    assert not ag.triggered
    assert "does not apply to a business regulated as state-licensed-insurer (10 M.R.S. 1348(5))" in ag.reasons
    assert pick(found, "regulator", "US-ME").triggered
    other = incident(tmp_path, discovered="2025-06-03", residents={"US-ME": 3})
    found = obligations(other, rules, TODAY)
    assert pick(found, "attorney-general", "US-ME").triggered
    assert not pick(found, "regulator", "US-ME").triggered


def test_a_service_provider_tells_the_owner_and_owes_nothing_else(tmp_path: Path) -> None:
    rules = law(tmp_path, duties=[duty("consumers"), duty("data-owner", regulated_as=["service-provider"],
                                                         deadline={"days": 10, "from": "determination"})])
    vendor = incident(tmp_path, business={"regulated_as": ["service-provider"]})
    found = obligations(vendor, rules, TODAY)
    owner = pick(found, "data-owner")
    assert owner.triggered and owner.due == dt.date(2025, 6, 12)
    consumers = pick(found, "consumers")
    assert not consumers.triggered
    assert ("the business maintains data it does not own (service-provider): it owes data-owner; this notice is "
            "the owner's") in consumers.reasons
    owner_business = obligations(incident(tmp_path, discovered="2025-06-03"), rules, TODAY)
    assert pick(owner_business, "consumers").triggered and not pick(owner_business, "data-owner").triggered


# --- risk of harm ---------------------------------------------------------------------------------------

FLORIDA = {"allowed": True, "duties": ["consumers"], "law_enforcement_consultation": True, "written": True,
           "keep_years": 5, "send_to": "attorney-general", "send_within_days": 30,
           "citation": "Fla. Stat. 501.171(4)(c)"}


def florida(tmp_path: Path) -> dict[str, Jurisdiction]:
    return law(tmp_path, risk_of_harm=FLORIDA, duties=[
        duty("consumers", deadline={"days": 30}), duty("attorney-general", name="Department of Legal Affairs")])


def test_without_a_determination_notice_is_owed_and_the_fact_is_named(tmp_path: Path) -> None:
    rules = florida(tmp_path)
    open_case = incident(tmp_path)
    consumers = pick(obligations(open_case, rules, TODAY), "consumers")
    assert consumers.triggered and consumers.status == "overdue"
    message = ("US-FL: the consumers duty depends on a risk-of-harm determination (Fla. Stat. 501.171(4)(c)); "
               "record it under risk_assessment (jurisdiction: US-FL, decided_on, decided_by, harm_likely, "
               "law_enforcement_consulted_on, written)")
    assert consumers.missing == (("risk_assessment", message),)
    assert f"  missing:  {message}" in obligations_table([consumers])
    findings = law_findings(open_case, rules)
    assert [str(f) for f in findings] == [f"incidents/{open_case.id}.yaml:1:1: warning: risk_assessment: {message}"]


def test_a_determination_without_consulting_law_enforcement_does_not_replace_notice(tmp_path: Path) -> None:
    rules = florida(tmp_path)
    case = incident(tmp_path, risk_assessment=[{"jurisdiction": "US-FL", "decided_on": "2025-06-20",
                                                "decided_by": "General Counsel", "harm_likely": False,
                                                "written": True}])
    consumers = pick(obligations(case, rules, TODAY), "consumers")
    assert consumers.triggered
    assert ("risk-of-harm determination of 2025-06-20 by General Counsel: harm not likely, but it does not replace "
            "notice: Fla. Stat. 501.171(4)(c) requires consulting law enforcement first") in consumers.reasons
    assert consumers.missing == (("risk_assessment[0].law_enforcement_consulted_on", (
        "US-FL: the determination replaces the consumers notice only with consulting law enforcement first "
        "(Fla. Stat. 501.171(4)(c)); record risk_assessment[0].law_enforcement_consulted_on")),)
    assert not [o for o in obligations(case, rules, TODAY) if o.duty.startswith("risk-determination")]


def test_a_full_determination_replaces_notice_and_creates_its_own_duties(tmp_path: Path) -> None:
    rules = florida(tmp_path)
    case = incident(tmp_path, risk_assessment=[{
        "jurisdiction": "US-FL", "decided_on": "2025-06-20", "decided_by": "General Counsel", "harm_likely": False,
        "law_enforcement_consulted_on": "2025-06-18", "law_enforcement_consulted_with": "FDLE", "written": True}],
        filings=[{"jurisdiction": "US-FL", "recipient": "risk-determination", "submitted": "2025-07-25"}])
    found = obligations(case, rules, TODAY)
    consumers = pick(found, "consumers")
    assert not consumers.triggered and consumers.missing == ()
    assert ("risk-of-harm determination of 2025-06-20 by General Counsel, after consulting FDLE on 2025-06-18: "
            "harm not likely, which replaces this notice (Fla. Stat. 501.171(4)(c))") in consumers.reasons
    record = pick(found, "risk-determination-record")
    assert (record.status, record.done, record.title) == (
        "done", dt.date(2025, 6, 20), "Written risk-of-harm determination, kept 5 years")
    assert "keep it until 2030-06-20 (5 years from the determination)" in record.reasons
    sent = pick(found, "risk-determination")
    assert (sent.due, sent.done, sent.status, sent.late_days) == (
        dt.date(2025, 7, 20), dt.date(2025, 7, 25), "done-late", 5)
    assert sent.recipient["name"] == "Department of Legal Affairs"
    assert law_findings(case, rules) == []  # the filing's recipient is a known duty


def test_harm_likely_keeps_the_notice(tmp_path: Path) -> None:
    rules = florida(tmp_path)
    case = incident(tmp_path, risk_assessment=[{"jurisdiction": "US-FL", "decided_on": "2025-06-20",
                                                "decided_by": "CISO", "harm_likely": True}])
    consumers = pick(obligations(case, rules, TODAY), "consumers")
    assert consumers.triggered and consumers.missing == ()
    assert "risk-of-harm determination of 2025-06-20 by CISO: harm likely, so notice is owed" in consumers.reasons


def test_plain_text_risk_of_harm_is_still_read_and_applies_nothing(tmp_path: Path) -> None:
    rules = law(tmp_path, risk_of_harm="No notice if harm is not reasonably likely.")
    assert rules["US-FL"].risk_of_harm is not None and rules["US-FL"].risk_of_harm.allowed is None
    consumers = pick(obligations(incident(tmp_path), rules, TODAY), "consumers")
    assert consumers.triggered and consumers.missing == ()


def test_risk_of_harm_naming_an_unknown_duty_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "jurisdictions"
    folder.mkdir()
    text = (SCHEMA_LINE + "\n" + yaml.safe_dump({
        "code": "US-FL", "name": "Florida", "kind": "state", "residents": ["US-FL"],
        "statute": {"citation": "x", "title": "x", "url": "https://example.gov", "read": "2026-11-30"},
        "last_reviewed": "2026-11-30", "verified": True,
        "risk_of_harm": {"allowed": True, "duties": ["consumer"], "send_to": "atorney-general"},
        "duties": [duty("consumers"), duty("attorney-general")]}, sort_keys=False))
    (folder / "us-fl.yaml").write_text(text, encoding="utf-8")
    _, findings = load_jurisdiction(folder / "us-fl.yaml", "jurisdictions/us-fl.yaml")
    assert [str(f) for f in findings] == [
        "jurisdictions/us-fl.yaml:17:5: error: risk_of_harm.duties[0]: 'consumer' is not a duty of this file; "
        "did you mean 'consumers'?",
        "jurisdictions/us-fl.yaml:18:12: error: risk_of_harm.send_to: 'atorney-general' is not a duty of this "
        "file; did you mean 'attorney-general'?",
    ]


# --- GDPR: awareness in hours, the risk level, member states --------------------------------------------

def gdpr_law(tmp_path: Path) -> dict[str, Jurisdiction]:
    return law(tmp_path, "EU-GDPR", duties=[
        duty("supervisory-authority", of="total", min_risk="risk", citation="GDPR Art. 33(1)",
             deadline={"hours": 72, "from": "awareness", "without_unreasonable_delay": True}),
        duty("consumers", of="total", min_risk="high", citation="GDPR Art. 34(1)",
             deadline={"without_unreasonable_delay": True})])


def test_72_hours_are_counted_from_the_time_of_awareness_in_the_incident_zone(tmp_path: Path) -> None:
    rules = gdpr_law(tmp_path)
    case = incident(tmp_path, discovered="2025-03-28", residents={"EU-DE": 40, "EU-FR": 2},
                    dates={"aware_at": "2025-03-28T10:15"}, timezone="Europe/Berlin", gdpr={"risk": "risk"})
    authority = pick(obligations(case, rules, dt.date(2025, 3, 30)), "supervisory-authority", "EU-GDPR")
    # 72 elapsed hours across the change to summer time (2025-03-30): 11:15 on the clock, not 10:15
    assert authority.due_at is not None and authority.due_at.isoformat() == "2025-03-31T11:15:00+02:00"
    assert authority.due == dt.date(2025, 3, 31) and authority.timezone == "Europe/Berlin"
    assert authority.due_text == "2025-03-31 11:15 Europe/Berlin"
    assert ("due 2025-03-31 11:15 Europe/Berlin: 72 hours after awareness (2025-03-28 10:15 Europe/Berlin)"
            in authority.reasons)
    assert "42 EU residents >= 1" not in authority.reasons and authority.reasons[0] == "42 affected in all >= 1"
    assert authority.to_dict()["due_at"] == "2025-03-31T11:15:00+02:00"
    consumers = pick(obligations(case, rules, dt.date(2025, 3, 30)), "consumers", "EU-GDPR")
    assert not consumers.triggered
    assert "gdpr.risk is risk: this duty applies only from high (GDPR Art. 34(1))" in consumers.reasons


def test_hours_without_a_time_of_awareness_are_whole_days_and_the_time_is_asked_for(tmp_path: Path) -> None:
    rules = gdpr_law(tmp_path)
    case = incident(tmp_path, discovered="2025-04-01", residents={"EU-IE": 3})
    found = obligations(case, rules, dt.date(2025, 4, 2))
    authority = pick(found, "supervisory-authority", "EU-GDPR")
    assert (authority.due, authority.due_at) == (dt.date(2025, 4, 4), None)
    assert [m for _f, m in authority.missing] == [
        "EU-GDPR: the supervisory-authority duty depends on the risk to people's rights and freedoms; record it "
        "under gdpr.risk (unlikely, risk or high)",
        "EU-GDPR: the supervisory-authority deadline is 72 hours, counted from the time of awareness; record it "
        "as dates.aware_at (e.g. 'aware_at: 2025-04-01T09:30') with the incident's timezone (e.g. 'timezone: "
        "Europe/Berlin')"]
    assert pick(found, "consumers", "EU-GDPR").triggered  # judged to apply until gdpr.risk says otherwise


def test_unlikely_risk_needs_no_notice_to_the_authority(tmp_path: Path) -> None:
    rules = gdpr_law(tmp_path)
    case = incident(tmp_path, residents={"EU-DE": 3}, gdpr={"risk": "unlikely"})
    assert not pick(obligations(case, rules, TODAY), "supervisory-authority", "EU-GDPR").triggered


def test_deadline_in_hours_goes_to_the_calendar_as_a_utc_time(tmp_path: Path) -> None:
    rules = gdpr_law(tmp_path)
    case = incident(tmp_path, discovered="2026-11-20", residents={"EU-DE": 5}, dates={"aware_at": "2026-11-20T16:45"},
                    timezone="Europe/Berlin", gdpr={"risk": "high"})
    found = open_duties(obligations(case, rules, dt.date(2026, 11, 21)))
    calendar = ics(found, dt.datetime(2026, 11, 21, tzinfo=dt.UTC)).replace("\r\n ", "")
    event = calendar.split("UID:2026-11-20-facts.eu-gdpr.supervisory-authority@breachdocs")[1].split("END:VEVENT")[0]
    assert "\r\nDTSTART:20261123T154500Z\r\n" in event and "DTEND" not in event
    assert "(due 2026-11-23 16:45 Europe/Berlin)" in event
    table = deadlines_table(found, dt.date(2026, 11, 21))
    assert table.startswith("2026-11-23 16:45 Europe/Berlin due soon ")
    assert " 2026-11-20-facts  EU-GDPR supervisory-authority: " in table.splitlines()[0]


def test_a_time_without_a_zone_and_a_wrong_zone_are_errors(tmp_path: Path) -> None:
    folder = tmp_path / "incidents"
    incident(tmp_path, dates={"aware_at": "2025-06-02T09:00"}, timezone="UTC")
    file = folder / "2025-06-02-facts.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("timezone: UTC", "timezone: Europe/Berln"), encoding="utf-8")
    _, findings = load_incident(file, display="x.yaml", today=TODAY)
    assert [f.message for f in findings] == ["'Europe/Berln' is not a time zone; did you mean 'Europe/Berlin'?"]
    file.write_text(text.replace("timezone: UTC\n", ""), encoding="utf-8")
    _, findings = load_incident(file, display="x.yaml", today=TODAY)
    assert [f.message for f in findings] == [
        "a time needs its time zone: add 'timezone:' with an IANA name (e.g. 'timezone: Europe/Berlin'), or write "
        "the time with its UTC offset (2025-04-01T09:30+02:00)"]


def test_eu_residents_by_member_state_or_as_eu_not_both(tmp_path: Path) -> None:
    incident(tmp_path, residents={"EU-DE": 3})
    file = tmp_path / "incidents" / "2025-06-02-facts.yaml"
    file.write_text(file.read_text().replace("EU-DE: 3", "EU-DE: 3\n    EU: 2").replace("total: 3", "total: 5"))
    _, findings = load_incident(file, display="x.yaml", today=TODAY)
    assert [f.message for f in findings] == [
        "EU residents are counted twice: by member state (EU-DE) and as EU; give them by member state only"]


# --- extensions and law-enforcement requests --------------------------------------------------------------

def test_an_extension_moves_the_deadline_as_far_as_the_law_allows(tmp_path: Path) -> None:
    rules = law(tmp_path, duties=[duty("consumers", deadline={
        "days": 30, "extension_days": 15,
        "extension_text": "15 additional days for good cause provided in writing to the department"})])
    case = incident(tmp_path, extensions=[{"jurisdiction": "US-FL", "duty": "consumers", "days": 20,
                                           "granted_on": "2025-06-25", "granted_by": "Department of Legal Affairs"}])
    consumers = pick(obligations(case, rules, TODAY), "consumers")
    assert consumers.due == dt.date(2025, 7, 17)  # 30 + 15 days from 2025-06-02
    assert "extended by 15 days to 2025-07-17" in consumers.reasons
    assert ("extension granted 2025-06-25 by Department of Legal Affairs (15 additional days for good cause "
            "provided in writing to the department)") in consumers.reasons
    assert [str(f) for f in law_findings(case, rules)][-1] == (
        f"incidents/{case.id}.yaml:31:9: error: extensions[0].days: US-FL: Test Code 1(consumers) allows an "
        "extension of at most 15 days of the consumers deadline; write 'days: 15'")


def test_an_extension_the_law_does_not_provide_is_not_applied(tmp_path: Path) -> None:
    rules = law(tmp_path)
    case = incident(tmp_path, extensions=[{"jurisdiction": "US-FL", "duty": "consumers", "days": 10,
                                           "granted_on": "2025-06-25"}])
    consumers = pick(obligations(case, rules, TODAY), "consumers")
    assert consumers.due == dt.date(2025, 7, 2)
    assert ("extensions[0] extends this deadline, but Test Code 1(consumers) provides no extension; not applied"
            in consumers.reasons)


def test_an_oral_request_where_the_law_wants_it_written_is_a_warning(tmp_path: Path) -> None:
    rules = law(tmp_path, consumer_notice={"law_enforcement_delay": {
        "allowed": True, "written_request": True, "citation": "Fla. Stat. 501.171(4)(b)"}})
    case = incident(tmp_path, notice={"law_enforcement_delay": True, "delay_reason": "FBI investigation.",
                                      "law_enforcement_request": {"agency": "FBI Tampa", "requested_on": "2025-06-05",
                                                                  "written": False}})
    assert [f.message for f in law_findings(case, rules) if f.severity == "warning"][-1] == (
        "US-FL: notice may be delayed only at a written request of law enforcement (or its contemporaneous "
        "memorandum) (Fla. Stat. 501.171(4)(b)); obtain it in writing and write 'written: true'")


# --- the real rule files: every dated element and every dated duty version, both sides --------------------

def _real() -> dict[str, Jurisdiction]:
    found, _ = load_jurisdictions(ROOT / "jurisdictions", root=ROOT)
    return found


REAL = _real()
SINCE = [(code, element, day) for code, j in REAL.items()
         for element, day in ((j.personal_information or {}).get("since") or {}).items()]
VERSIONS = [(code, d.id, d.effective_from) for code, j in REAL.items() for d in j.duties
            if d.effective_from > dt.date(1990, 1, 1)]
ENDS = [(code, d.id, d.effective_to) for code, j in REAL.items() for d in j.duties if d.effective_to]


def _real_incident(tmp_path: Path, j: Jurisdiction, day: dt.date, elements: list[str],
                   version: Duty | None = None) -> Incident:
    """An incident the law (and, given, that version of a duty) is written for."""
    code = next((c for c in j.residents if c != "EU"), "EU-DE") if j.residents else "US-NC"
    kinds = [] if j.residents else list(j.regulated_as[:1])
    if version is not None:
        kinds += [k for k in version.regulated_as[:1] if k not in kinds]
    case = incident(tmp_path, discovered=day.isoformat(), residents={code: 2000},
                    business={"regulated_as": kinds} if kinds else {})
    case.data["data"]["elements"] = elements
    return case


@pytest.mark.parametrize(("code", "element", "day"), SINCE, ids=[f"{c}-{e}-{d}" for c, e, d in SINCE])
def test_each_dated_element_counts_from_its_date_only(tmp_path: Path, code: str, element: str, day: str) -> None:
    j = REAL[code]
    since = dt.date.fromisoformat(day)
    alone = element in (j.personal_information or {}).get("alone", [])
    elements = [element] if alone else ["name", element]
    before = _real_incident(tmp_path, j, since - dt.timedelta(days=1), elements)
    consumers = pick(obligations(before, {code: j}, TODAY), "consumers", code)
    assert not consumers.triggered
    assert consumers.reasons[1].endswith(f"{element} counts only from {since}")
    on = _real_incident(tmp_path, j, since, elements)
    consumers = pick(obligations(on, {code: j}, TODAY), "consumers", code)
    assert consumers.triggered and f"{element} counts only" not in consumers.reason


@pytest.mark.parametrize(("code", "duty_id", "start"), VERSIONS, ids=[f"{c}-{d}-{s}" for c, d, s in VERSIONS])
def test_each_dated_duty_version_applies_from_its_first_day(tmp_path: Path, code: str, duty_id: str,
                                                           start: dt.date) -> None:
    j = REAL[code]
    version = next(d for d in j.versions(duty_id) if d.effective_from == start)
    case = _real_incident(tmp_path, j, start, ["name", "ssn"], version)
    on = pick(obligations(case, {code: j}, TODAY), duty_id, code)
    assert (on.in_force, on.effective_from, on.deadline) == (True, start, version.deadline.describe())
    kinds = case.business.get("regulated_as") or []
    earlier = j.in_force(duty_id, start - dt.timedelta(days=1), kinds)
    if earlier is not None and version.regulated_as and not earlier.written_for(kinds):
        earlier = None  # the text for all other businesses does not speak to this kind of business
    before = pick(obligations(_real_incident(tmp_path, j, start - dt.timedelta(days=1), ["name", "ssn"], version),
                              {code: j}, TODAY), duty_id, code)
    if earlier is None:
        assert not before.in_force and not before.triggered
        assert before.reasons[0].endswith(f"came into force on {start}")
    else:
        assert (before.in_force, before.effective_from, before.deadline) == (
            True, earlier.effective_from, earlier.deadline.describe())


@pytest.mark.parametrize(("code", "duty_id", "end"), ENDS, ids=[f"{c}-{d}-{e}" for c, d, e in ENDS])
def test_each_ended_duty_version_stops_after_its_last_day(tmp_path: Path, code: str, duty_id: str,
                                                         end: dt.date) -> None:
    j = REAL[code]
    last = pick(obligations(_real_incident(tmp_path, j, end, ["name", "ssn"]), {code: j}, TODAY), duty_id, code)
    assert (last.in_force, last.effective_to) == (True, end)
    after = pick(obligations(_real_incident(tmp_path, j, end + dt.timedelta(days=1), ["name", "ssn"]),
                             {code: j}, TODAY), duty_id, code)
    assert after.effective_to != end
    assert after.in_force == (j.in_force(duty_id, end + dt.timedelta(days=1)) is not None)


# --- no rule base: an error everywhere --------------------------------------------------------------------

NO_RULES = ("jurisdictions/: error: there is no rule base: no jurisdiction file (*.yaml) here, so no duty to notify "
            "anyone can be found; add the rule files (jurisdictions/us-nc.yaml, ...) to the project")


@pytest.mark.parametrize("command", [["validate"], ["obligations", "2025-06-02-facts"], ["deadlines"], ["build"]])
def test_a_project_without_a_rule_base_is_an_error(tmp_path: Path, command: list[str]) -> None:
    incident(tmp_path)
    result = CliRunner().invoke(main, ["--root", str(tmp_path), *command])
    assert result.exit_code == 1, result.output
    assert NO_RULES in result.output
    assert not (tmp_path / "site").exists()


def test_the_check_reports_no_rule_base_and_a_rule_base_clears_it(tmp_path: Path) -> None:
    case = incident(tmp_path)
    _, findings = check(Project(tmp_path), today=TODAY)
    assert [str(f) for f in findings] == [NO_RULES]
    copy_rule_base(tmp_path, "US-FL")
    _, findings = check(Project(tmp_path), today=TODAY)
    assert NO_RULES not in [str(f) for f in findings]
    result = CliRunner().invoke(main, ["--root", str(tmp_path), "obligations", case.id, "--format", "json",
                                       "--as-of", "2026-11-24"])
    assert result.exit_code == 0 and json.loads(result.output)["obligations"][0]["jurisdiction"] == "US-FL"


# --- the GDPR example incident: the authority's deadline as a date and time, everywhere ----------------

BERLIN = "2026-11-23-northwind-berlin-clinic-misconfigured-storage"


def test_gdpr_example_deadline_in_the_cli_json_and_calendar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    table = runner.invoke(main, ["--root", str(ROOT), "obligations", BERLIN, "--as-of", "2026-11-24"])
    assert table.exit_code == 0, table.output
    block = table.output.split("EU-GDPR supervisory-authority: due")[1].split("EU-GDPR consumers")[0]
    assert "  due:      2026-11-26 16:45 Europe/Berlin\n" in block
    document = json.loads(runner.invoke(main, ["--root", str(ROOT), "obligations", BERLIN, "--as-of", "2026-11-24",
                                               "--format", "json"]).output)
    authority = {(o["jurisdiction"], o["duty"]): o for o in document["obligations"]}
    for code in ("EU-GDPR", "GB-UKGDPR"):
        found = authority[(code, "supervisory-authority")]
        assert (found["due"], found["due_at"], found["timezone"]) == (
            "2026-11-26", "2026-11-26T16:45:00+01:00", "Europe/Berlin")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    calendar = tmp_path / "deadlines.ics"
    result = runner.invoke(main, ["--root", str(ROOT), "deadlines", "--as-of", "2026-11-24", "--ics", str(calendar)])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if f"{BERLIN}  EU-GDPR supervisory-authority" in x)
    assert line.startswith("2026-11-26 16:45 Europe/Berlin due soon ")
    text = calendar.read_bytes().decode("utf-8").replace("\r\n ", "")
    event = text.split(f"UID:{BERLIN}.eu-gdpr.supervisory-authority@breachdocs")[1].split("END:VEVENT")[0]
    assert "\r\nDTSTART:20261126T154500Z\r\n" in event and "(due 2026-11-26 16:45 Europe/Berlin)" in event


def test_gdpr_example_counts_member_states_as_eu_residents() -> None:
    incidents, findings = check(Project(ROOT), [ROOT / "incidents" / f"{BERLIN}.yaml"], today=TODAY)
    assert findings == []
    found = obligations(incidents[0], REAL, TODAY)
    assert {o.jurisdiction for o in found} == {"EU-GDPR", "GB-UKGDPR"}
    assert pick(found, "supervisory-authority", "EU-GDPR").reasons[0] == "1,485 affected in all >= 1"
    assert resident_count(incidents[0], REAL["EU-GDPR"]) == 1400  # EU-DE 1,200 + EU-FR 140 + EU-NL 60
    assert resident_count(incidents[0], REAL["GB-UKGDPR"]) == 85


def test_one_warning_names_every_duty_a_missing_determination_decides(tmp_path: Path) -> None:
    rules = law(tmp_path, risk_of_harm={"allowed": True, "duties": ["consumers", "attorney-general"],
                                        "citation": "Test Code 2"},
                duties=[duty("consumers"), duty("attorney-general")])
    case = incident(tmp_path)
    assert [f.message for f in law_findings(case, rules)] == [
        "US-FL: the consumers and attorney-general duties depend on a risk-of-harm determination (Test Code 2); "
        "record it under risk_assessment (jurisdiction: US-FL, decided_on, decided_by, harm_likely)"]


def gdpr_rule_of_harm(tmp_path: Path) -> dict[str, Jurisdiction]:
    """GDPR Art. 33(1), 33(5) as the rule base writes it: an unlikely risk, documented, needs no notice."""
    return law(tmp_path, "EU-GDPR", risk_of_harm={
        "allowed": True, "duties": ["supervisory-authority"], "written": True, "citation": "GDPR Art. 33(1), 33(5)"},
        duties=[duty("supervisory-authority", of="total", citation="GDPR Art. 33(1)",
                     deadline={"hours": 72, "from": "awareness"})])


@pytest.mark.parametrize(("gdpr", "triggered", "missing"), [
    ({"risk": "unlikely", "documented": True, "assessed_by": "DPO"}, False, []),
    ({"risk": "unlikely"}, True, ["gdpr.documented"]),
    ({"risk": "high"}, True, []),
])
def test_the_gdpr_risk_level_is_the_determination_under_a_gdpr_regime(
        tmp_path: Path, gdpr: dict[str, Any], triggered: bool, missing: list[str]) -> None:
    rules = gdpr_rule_of_harm(tmp_path)
    case = incident(tmp_path, discovered="2025-04-01", residents={"EU-DE": 3}, dates={"aware_at": "2025-04-01T09:00"},
                    timezone="Europe/Berlin", gdpr=gdpr)
    authority = pick(obligations(case, rules, dt.date(2025, 4, 2)), "supervisory-authority", "EU-GDPR")
    assert authority.triggered == triggered
    assert [name for name, _m in authority.missing] == missing
    if not triggered:
        assert ("gdpr.risk unlikely (risk-of-harm determination of 2025-04-01 by DPO): harm not likely, which "
                "replaces this notice (GDPR Art. 33(1), 33(5))") in authority.reasons
