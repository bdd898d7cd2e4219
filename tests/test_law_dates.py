"""The law at the date it was in force: the forms of record and the risk-of-harm rule an amendment
changed, deadlines due by whichever limit comes first, a determination sent only when the regulator
asks for it, and the further periods of the SEC's law-enforcement delay.

The real rule files are walked on both sides of every dated change; small rule files written here
show each rule's errors.
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
from test_law_incident_facts import REAL, TODAY, _real_incident, duty, florida, incident, law_findings, pick

from breachdocs.cli import main
from breachdocs.law.deadlines import deadlines_table, ics, open_duties
from breachdocs.law.duty_state import state_of
from breachdocs.law.obligations import obligations, obligations_table
from breachdocs.law.rules import SCHEMA_LINE, Jurisdiction, load_jurisdiction
from breachdocs.records import load_incident
from breachdocs.site.pages import duty_line, judged

# --- forms of record an amendment brought under the law --------------------------------------------------

RECORD_FORMS = [(code, form, day) for code, j in REAL.items() for form, day in j.record_forms_since.items()]


def test_the_rule_base_dates_paper_records_in_washington_and_iowa() -> None:
    assert RECORD_FORMS == [("US-IA", "paper", dt.date(2014, 7, 1)), ("US-WA", "paper", dt.date(2015, 7, 24))]


@pytest.mark.parametrize(("code", "form", "day"), RECORD_FORMS, ids=[f"{c}-{f}-{d}" for c, f, d in RECORD_FORMS])
def test_each_dated_record_form_counts_from_its_date_only(tmp_path: Path, code: str, form: str,
                                                         day: dt.date) -> None:
    j = REAL[code]
    citation = (j.personal_information or {})["citation"]
    before = _real_incident(tmp_path, j, day - dt.timedelta(days=1), ["name", "ssn"])
    before.data["data"]["format"] = form
    consumers = pick(obligations(before, {code: j}, TODAY), "consumers", code)
    assert not consumers.triggered
    assert (f"{form} records only: {citation} covers {form} records only from {day}; a breach discovered "
            f"{day - dt.timedelta(days=1)} falls under the earlier text, on electronic records "
            f"(data.format is {form})") in consumers.reasons
    on = _real_incident(tmp_path, j, day, ["name", "ssn"])
    on.data["data"]["format"] = form
    consumers = pick(obligations(on, {code: j}, TODAY), "consumers", code)
    assert consumers.triggered and not any("records only" in r for r in consumers.reasons)


# --- the risk-of-harm rule by version -----------------------------------------------------------------------

CHANGES = [(code, earlier.effective_to, later.effective_from) for code, j in REAL.items()
           for earlier, later in zip(j.risk_of_harm_versions, j.risk_of_harm_versions[1:], strict=False)]


def test_the_rule_base_dates_the_risk_of_harm_rules_that_changed() -> None:
    assert [(c, str(d)) for c, _end, d in CHANGES] == [
        ("US-AR", "2019-07-23"), ("US-FED-HIPAA", "2013-09-23"), ("US-LA", "2018-08-01"), ("US-WA", "2015-07-24")]
    assert all(end == start - dt.timedelta(days=1) for _c, end, start in CHANGES)


def _determined(case: Any, code: str, **entry: Any) -> Any:
    case.data["risk_assessment"] = [{"jurisdiction": code, "decided_on": case.discovered.isoformat(),
                                     "decided_by": "General Counsel", "harm_likely": False, "written": True, **entry}]
    return case


@pytest.mark.parametrize(("code", "end", "start"), CHANGES, ids=[f"{c}-{s}" for c, _e, s in CHANGES])
def test_each_risk_of_harm_version_judges_the_breaches_of_its_days(tmp_path: Path, code: str, end: dt.date,
                                                                   start: dt.date) -> None:
    j = REAL[code]
    for day in (end, start):
        rule = j.risk_of_harm_on(day)
        assert rule is not None
        case = _determined(_real_incident(tmp_path, j, day, ["name", "ssn"]), code)
        consumers = pick(obligations(case, {code: j}, TODAY), "consumers", code)
        assert not consumers.triggered
        assert (f"risk-of-harm determination of {day} by General Counsel: {rule.standard}, which replaces this "
                f"notice ({rule.citation})") in consumers.reasons


def test_hipaa_judges_a_breach_by_the_harm_standard_until_the_omnibus_compliance_date(tmp_path: Path) -> None:
    hipaa = {"US-FED-HIPAA": REAL["US-FED-HIPAA"]}
    found = {}
    for day in ("2013-09-22", "2013-09-23"):
        case = _determined(_real_incident(tmp_path, hipaa["US-FED-HIPAA"], dt.date.fromisoformat(day),
                                          ["name", "medical"]), "US-FED-HIPAA")
        found[day] = pick(obligations(case, hipaa, TODAY), "consumers", "US-FED-HIPAA").reasons[-1]
    assert found == {
        "2013-09-22": "risk-of-harm determination of 2013-09-22 by General Counsel: no significant risk of financial, "
                      "reputational, or other harm to the individual, which replaces this notice (45 CFR 164.402 "
                      "(2009 interim final rule, 74 FR 42740))",
        "2013-09-23": "risk-of-harm determination of 2013-09-23 by General Counsel: a low probability that the "
                      "protected health information has been compromised (risk assessment of at least four factors), "
                      "which replaces this notice (45 CFR 164.402 (definition of breach, paragraph (2)))",
    }


def test_a_determination_replaces_nothing_before_the_law_allowed_one(tmp_path: Path) -> None:
    rule = {"allowed": True, "effective_from": "2019-07-23", "citation": "Test Code 2(d)"}
    rules = law_of(tmp_path, risk_of_harm=[rule])
    before = _determined(incident(tmp_path, discovered="2019-07-22"), "US-FL")
    consumers = pick(obligations(before, rules, TODAY), "consumers")
    assert consumers.triggered and consumers.missing == ()
    assert ("the risk-of-harm determination does not replace this notice: Test Code 2(d) lets one replace it only "
            "for a breach discovered from 2019-07-23") in consumers.reasons
    on = _determined(incident(tmp_path, discovered="2019-07-23"), "US-FL")
    assert not pick(obligations(on, rules, TODAY), "consumers").triggered


def test_arkansas_wants_the_determination_in_writing_only_from_act_1030(tmp_path: Path) -> None:
    ar = {"US-AR": REAL["US-AR"]}
    before = _determined(incident(tmp_path, discovered="2019-07-22", residents={"US-AR": 2000}), "US-AR")
    assert [o.duty for o in obligations(before, ar, TODAY) if o.duty.startswith("risk-determination")] == []
    on = _determined(incident(tmp_path, discovered="2019-07-23", residents={"US-AR": 2000}), "US-AR")
    record = pick(obligations(on, ar, TODAY), "risk-determination-record", "US-AR")
    assert (record.title, record.status, record.due) == (
        "Written risk-of-harm determination, kept 5 years; sent to the Arkansas Attorney General on request",
        "done", None)
    assert "keep it until 2024-07-23 (5 years from the determination)" in record.reasons


def test_arkansas_sends_the_determination_within_30_days_of_the_request(tmp_path: Path) -> None:
    ar = {"US-AR": REAL["US-AR"]}
    case = _determined(incident(tmp_path, discovered="2025-06-02", residents={"US-AR": 2000}), "US-AR",
                       requested_on="2025-09-01")
    sent = pick(obligations(case, ar, TODAY), "risk-determination", "US-AR")
    assert sent.due == dt.date(2025, 10, 1)  # 30 days after the request
    assert state_of(sent, dt.date(2025, 10, 1)).label != "overdue"
    assert state_of(sent, dt.date(2025, 10, 2)).label == "overdue"


# --- a determination sent only when the regulator asks ---------------------------------------------------

LA = {"US-LA": REAL["US-LA"]}
LA_AG = "Louisiana Department of Justice, Office of the Attorney General, Consumer Protection Section"


def _louisiana(tmp_path: Path, discovered: str = "2025-06-02", **entry: Any) -> Any:
    case = incident(tmp_path, discovered=discovered, residents={"US-LA": 40}, **entry.pop("fields", {}))
    return _determined(case, "US-LA", decided_on="2025-06-20" if discovered == "2025-06-02" else discovered, **entry)


def test_louisiana_keeps_the_determination_and_sends_it_only_on_request(tmp_path: Path) -> None:
    found = obligations(_louisiana(tmp_path), LA, TODAY)
    assert [(o.duty, o.triggered, o.status) for o in found] == [
        ("consumers", False, "not-triggered"), ("attorney-general", False, "not-triggered"),
        ("data-owner", False, "not-triggered"), ("risk-determination-record", True, "done")]
    record = found[-1]
    assert record.title == f"Written risk-of-harm determination, kept 5 years; sent to the {LA_AG} on request"
    assert (record.deadline, record.due, record.done) == (
        "in writing, with the determination; sent on request, within 30 days of the request", None,
        dt.date(2025, 6, 20))
    assert record.reasons[2:] == (
        "keep it until 2030-06-02 (5 years from discovery)", "documented in writing",
        f"sent to the {LA_AG} only when it asks for it, within 30 days of the request; no request recorded "
        "(risk_assessment[0].requested_on)")
    assert open_duties(obligations(_louisiana(tmp_path), LA, dt.date(2031, 1, 1))) == []


@pytest.mark.parametrize(("filed", "status"), [("2025-10-01", "done-on-time"), ("2025-10-02", "done-late")])
def test_a_request_of_the_louisiana_attorney_general_is_answered_within_30_days(tmp_path: Path, filed: str,
                                                                              status: str) -> None:
    case = _louisiana(tmp_path, requested_on="2025-09-01", fields={"filings": [
        {"jurisdiction": "US-LA", "recipient": "risk-determination", "submitted": filed}]})
    found = obligations(case, LA, TODAY)
    sent = pick(found, "risk-determination", "US-LA")
    assert (sent.title, sent.due, sent.status, sent.deadline) == (
        f"Written risk-of-harm determination sent to the {LA_AG} on its request", dt.date(2025, 10, 1), status,
        "30 days after the request")
    assert sent.reasons[1:3] == (
        f"La. R.S. 51:3074(I); 51:3073(2): the written determination is sent to the {LA_AG} when it asks for it, "
        "within 30 days of the request; requested on 2025-09-01", "due 2025-10-01: 30 days after the request (2025-09-01)")
    assert "on request" not in pick(found, "risk-determination-record", "US-LA").title
    assert law_findings(case, LA) == []


def test_a_request_changes_nothing_where_the_law_sends_the_determination_at_once(tmp_path: Path) -> None:
    case = _determined(incident(tmp_path), "US-FL", decided_on="2025-06-20", requested_on="2025-09-01",
                       law_enforcement_consulted_on="2025-06-18")
    sent = pick(obligations(case, florida(tmp_path), TODAY), "risk-determination")
    assert (sent.due, sent.deadline) == (dt.date(2025, 7, 20), "30 days after the determination")


def test_a_louisiana_request_still_unanswered_is_overdue_after_30_days(tmp_path: Path) -> None:
    sent = pick(obligations(_louisiana(tmp_path, requested_on="2025-09-01"), LA, dt.date(2025, 10, 2)),
                "risk-determination", "US-LA")
    assert (sent.status, state_of(sent, dt.date(2025, 10, 2)).label) == ("overdue", "overdue")


def test_before_act_382_louisiana_wanted_no_record_of_the_determination(tmp_path: Path) -> None:
    found = obligations(_louisiana(tmp_path, discovered="2018-07-31"), LA, TODAY)
    assert [o.duty for o in found] == ["consumers", "attorney-general", "data-owner"]
    assert ("risk-of-harm determination of 2018-07-31 by General Counsel: no reasonable likelihood of harm to "
            "customers, which replaces this notice (La. R.S. 51:3074(G) (Acts 2005, No. 499))") in found[0].reasons


def test_a_request_recorded_before_the_determination_is_an_error(tmp_path: Path) -> None:
    case = incident(tmp_path, residents={"US-LA": 40}, risk_assessment=[{
        "jurisdiction": "US-LA", "decided_on": "2025-06-20", "decided_by": "General Counsel", "harm_likely": False,
        "written": True, "requested_on": "2025-09-01"}])
    file = tmp_path / case.path
    file.write_text(file.read_text(encoding="utf-8").replace("2025-09-01", "2025-06-19"), encoding="utf-8")
    _, findings = load_incident(file, display=case.path, today=TODAY)
    assert [f"{f.field}: {f.message}" for f in findings] == [
        "risk_assessment[0].requested_on: 2025-06-19 is before the determination (2025-06-20); the determination "
        "is asked for once made: correct the date"]


# --- deadlines due by whichever limit comes first ----------------------------------------------------------

VT = {"US-VT": REAL["US-VT"]}
VT_DEADLINE = "14 business days after discovery, or no later than the consumer notice if that is earlier"


@pytest.mark.parametrize(("notified", "due", "line"), [
    (None, "2025-06-23", "due 2025-06-23: 14 business days after discovery (discovery on 2025-06-02); or no later "
                         "than the consumer notice if that is earlier: the consumer notice has no date yet"),
    ("2025-06-10", "2025-06-10", "due 2025-06-10: no later than the consumer notice (the consumer notice on "
                                 "2025-06-10), earlier than 14 business days after discovery (2025-06-23)"),
    ("2025-06-23", "2025-06-23", "due 2025-06-23: 14 business days after discovery (discovery on 2025-06-02); or no "
                                 "later than the consumer notice: 2025-06-23, not earlier"),
    ("2025-07-01", "2025-06-23", "due 2025-06-23: 14 business days after discovery (discovery on 2025-06-02); or no "
                                 "later than the consumer notice: 2025-07-01, not earlier"),
])
def test_vermont_preliminary_notice_is_due_by_whichever_comes_first(tmp_path: Path, notified: str | None, due: str,
                                                                    line: str) -> None:
    case = incident(tmp_path, residents={"US-VT": 10}, dates={"consumers_notified": notified} if notified else {})
    ag = pick(obligations(case, VT, TODAY), "attorney-general", "US-VT")
    assert (ag.deadline, ag.due, ag.reasons[-1]) == (VT_DEADLINE, dt.date.fromisoformat(due), line)


def test_vermont_preliminary_notice_after_the_consumer_notice_is_late(tmp_path: Path) -> None:
    case = incident(tmp_path, residents={"US-VT": 10}, dates={"consumers_notified": "2025-06-10"},
                    filings=[{"jurisdiction": "US-VT", "recipient": "attorney-general", "submitted": "2025-06-13"}])
    ag = pick(obligations(case, VT, TODAY), "attorney-general", "US-VT")
    assert (ag.status, ag.late_days) == ("done-late", 3)
    assert ag.reasons[-1] == "3 day(s) after the deadline of 2025-06-10"


@pytest.mark.parametrize(("notified", "due"), [("2025-07-01", "2025-07-01"), ("2025-07-25", "2025-07-20")])
def test_arkansas_attorney_general_notice_is_due_with_the_consumer_notice_or_45_days(
        tmp_path: Path, notified: str, due: str) -> None:
    case = incident(tmp_path, residents={"US-AR": 2000},
                    dates={"determined": "2025-06-05", "consumers_notified": notified})
    ag = pick(obligations(case, {"US-AR": REAL["US-AR"]}, TODAY), "attorney-general", "US-AR")
    assert (ag.due, ag.deadline) == (dt.date.fromisoformat(due), "45 days after the determination of the breach, "
                                     "or no later than the consumer notice if that is earlier")


def _vermont_project(tmp_path: Path) -> str:
    copy_rule_base(tmp_path, "US-VT")
    return incident(tmp_path, residents={"US-VT": 10}, dates={"consumers_notified": "2025-06-10"}).id


def test_the_earlier_limit_in_the_cli_text_json_and_calendar(tmp_path: Path) -> None:
    case = _vermont_project(tmp_path)
    runner = CliRunner()
    base = ["--root", str(tmp_path)]
    table = runner.invoke(main, [*base, "obligations", case, "--as-of", "2025-06-12"])
    assert table.exit_code == 0, table.output
    block = table.output.split("US-VT attorney-general: overdue")[1].split("US-VT regulator")[0]
    assert "  due:      2025-06-10\n" in block
    document = json.loads(runner.invoke(main, [*base, "obligations", case, "--as-of", "2025-06-12", "--format",
                                               "json"]).output)
    ag = next(o for o in document["obligations"] if o["duty"] == "attorney-general")
    assert (ag["due"], ag["deadline"], ag["status"]) == ("2025-06-10", VT_DEADLINE, "overdue")
    lines = runner.invoke(main, [*base, "deadlines", "--as-of", "2025-06-12"]).output.splitlines()
    assert f"2025-06-10          overdue                         {case}  US-VT attorney-general: {VT_DEADLINE}" in lines
    calendar = runner.invoke(main, [*base, "deadlines", "--as-of", "2025-06-12", "--format", "ics"]).output
    event = calendar.replace("\r\n ", "").split(f"UID:{case}.us-vt.attorney-general@breachdocs")[1]
    assert "DTSTART;VALUE=DATE:20250610" in event.split("END:VEVENT")[0]


def test_the_earlier_limit_decides_the_duty_state_on_the_site(tmp_path: Path) -> None:
    case = incident(tmp_path, residents={"US-VT": 10}, dates={"consumers_notified": "2025-06-10"})
    ag = pick(obligations(case, VT, dt.date(2025, 6, 12)), "attorney-general", "US-VT")
    assert state_of(ag, dt.date(2025, 6, 12)).label == "overdue"  # 14 business days would end 2025-06-23
    line = duty_line(judged(ag, dt.date(2025, 6, 12)))
    assert 'data-due="2025-06-10"' in line and ">overdue</span>" in line
    assert "overdue" in deadlines_table([ag], dt.date(2025, 6, 12)) and "due:      2025-06-10" in obligations_table([ag])
    assert "DTSTART;VALUE=DATE:20250610" in ics([ag], dt.datetime(2025, 6, 12, tzinfo=dt.UTC))


# --- the SEC's law-enforcement delay and its further periods --------------------------------------------------

SEC = {"US-FED-SEC": REAL["US-FED-SEC"]}
AG = "United States Attorney General"


def _sec(tmp_path: Path, *further: dict[str, Any]) -> Any:
    request: dict[str, Any] = {"agency": AG, "requested_on": "2025-06-12", "written": True, "attorney_general": True,
                               "until": "2025-07-16"}
    if further:
        request["further"] = list(further)
    return incident(tmp_path, residents={"US-NC": 10}, business={"regulated_as": ["sec-registrant"]},
                    dates={"materiality_determined": "2025-06-10"},
                    notice={"law_enforcement_delay": True, "delay_reason": "National security.",
                            "law_enforcement_request": request})


SECOND = {"requested_on": "2025-07-10", "written": True, "until": "2025-08-15"}
THIRD = {"requested_on": "2025-08-10", "written": True, "until": "2025-10-14", "extraordinary": True}


def _filing(tmp_path: Path, *further: dict[str, Any]) -> Any:
    return pick(obligations(_sec(tmp_path, *further), SEC, TODAY), "sec", "US-FED-SEC")


def test_the_attorney_general_extends_the_sec_delay_30_days_then_60_in_extraordinary_circumstances(
        tmp_path: Path) -> None:
    assert _filing(tmp_path).due == dt.date(2025, 7, 16)
    assert _filing(tmp_path, SECOND).due == dt.date(2025, 8, 15)
    sec = _filing(tmp_path, SECOND, THIRD)
    assert sec.due == dt.date(2025, 10, 14)
    assert sec.reasons[-3:] == (
        "delayed at the written request of United States Attorney General of 2025-06-12 (Form 8-K Item 1.05(c)): "
        "due 2025-07-16, at most 30 days after the deadline of 2025-06-16",
        "delay extended at the written request of United States Attorney General of 2025-07-10: due 2025-08-15, "
        "at most 30 days after 2025-07-16",
        "delay extended at the written request of United States Attorney General of 2025-08-10: due 2025-10-14, "
        "at most 60 days after 2025-08-15 (extraordinary circumstances)")


def test_a_further_period_is_capped_at_what_the_rule_allows(tmp_path: Path) -> None:
    sec = _filing(tmp_path, dict(SECOND, until="2025-09-30"))
    assert sec.due == dt.date(2025, 8, 15)
    assert sec.reasons[-1] == ("notice.law_enforcement_request.further[0].until is 2025-09-30, beyond the 30 days "
                               "Form 8-K Item 1.05(c) allows")


def test_the_final_period_needs_extraordinary_circumstances(tmp_path: Path) -> None:
    sec = _filing(tmp_path, SECOND, dict(THIRD, extraordinary=False))
    assert sec.due == dt.date(2025, 8, 15)
    assert sec.reasons[-1] == ("notice.law_enforcement_request.further[1] is not applied: Form 8-K Item 1.05(c) "
                               "allows this period only in extraordinary circumstances "
                               "(notice.law_enforcement_request.further[1].extraordinary is not true)")


def test_an_oral_further_request_does_not_extend_the_sec_delay(tmp_path: Path) -> None:
    sec = _filing(tmp_path, dict(SECOND, written=False))
    assert sec.due == dt.date(2025, 7, 16)
    assert sec.reasons[-1] == ("notice.law_enforcement_request.further[0] is not applied: Form 8-K Item 1.05(c) "
                               "requires the request in writing (or a contemporaneous memorandum); "
                               "notice.law_enforcement_request.further[0].written is false")


def test_beyond_the_final_period_only_the_commission_can_allow_more(tmp_path: Path) -> None:
    sec = _filing(tmp_path, SECOND, THIRD, {"requested_on": "2025-10-10", "written": True, "until": "2025-11-30"})
    assert sec.due == dt.date(2025, 10, 14)
    assert sec.reasons[-1] == ("notice.law_enforcement_request.further[2] is not applied: Form 8-K Item 1.05(c) "
                               "allows 2 further periods at most; a longer delay only by Commission exemptive order, "
                               "at the Attorney General's further request")


# --- the rule file's errors: where, and what to write ------------------------------------------------------------

def law_of(tmp_path: Path, **top: Any) -> dict[str, Jurisdiction]:
    """A small Florida rule file with ``top`` fields, loaded without findings."""
    jurisdiction, findings = _load(tmp_path, **top)
    assert jurisdiction is not None and not findings, findings
    return {"US-FL": jurisdiction}


def _load(tmp_path: Path, **top: Any) -> tuple[Jurisdiction | None, list[str]]:
    folder = tmp_path / "jurisdictions"
    folder.mkdir(exist_ok=True)
    duties = top.pop("duties", [duty("consumers"), duty("attorney-general")])
    text = SCHEMA_LINE + "\n" + yaml.safe_dump({
        "code": "US-FL", "name": "Florida", "kind": "state", "residents": ["US-FL"],
        "statute": {"citation": "x", "title": "x", "url": "https://example.gov", "read": "2026-11-30"},
        "last_reviewed": "2026-11-30", "verified": True, **top, "duties": duties}, sort_keys=False)
    (folder / "us-fl.yaml").write_text(text, encoding="utf-8")
    jurisdiction, findings = load_jurisdiction(folder / "us-fl.yaml", "us-fl.yaml")
    return jurisdiction, [str(f) for f in findings]


def test_risk_of_harm_versions_need_their_first_day_and_may_not_overlap(tmp_path: Path) -> None:
    _, findings = _load(tmp_path, risk_of_harm=[
        {"allowed": True, "effective_from": "2005-01-01"},
        {"allowed": True, "effective_from": "2019-07-23"},
        {"allowed": False}])
    assert findings == [
        "us-fl.yaml:15:3: error: risk_of_harm[0].effective_to: two versions of the risk-of-harm rule are in force at once (the "
        "next starts 2019-07-23); give this one 'effective_to: \"2019-07-22\"'",
        "us-fl.yaml:19:3: error: risk_of_harm[2]: a version of the risk-of-harm rule needs the first day it is in "
        "force: add effective_from (e.g. 'effective_from: \"2013-09-23\"')",
    ]


def test_a_determination_sent_on_request_needs_its_recipient(tmp_path: Path) -> None:
    _, findings = _load(tmp_path, risk_of_harm={"allowed": True, "on_request": True, "keep_from": "discovery"})
    assert findings == [
        "us-fl.yaml:16:15: error: risk_of_harm.on_request: on_request needs send_to: the duty id whose recipient gets "
        "the determination (e.g. 'send_to: attorney-general')",
        "us-fl.yaml:17:14: error: risk_of_harm.keep_from: keep_from needs keep_years: how many years the written "
        "determination is kept (e.g. 'keep_years: 5')",
    ]


def test_a_dated_record_form_must_be_one_the_law_covers(tmp_path: Path) -> None:
    _, findings = _load(tmp_path, personal_information={
        "citation": "x", "with_name": ["ssn"], "record_forms": ["electronic"], "record_forms_since": {"paper": "2015-07-24"}})
    assert findings == ["us-fl.yaml:21:5: error: personal_information.record_forms_since.paper: 'paper' is not in "
                        "record_forms; add it there too, or remove it here"]


def test_an_earlier_limit_of_the_consumer_notice_cannot_be_the_consumer_notice(tmp_path: Path) -> None:
    _, findings = _load(tmp_path, duties=[
        duty("consumers", deadline={"days": 30, "or_earlier": [{"days": 0, "from": "consumer_notice"}]}),
        duty("attorney-general", deadline={"without_unreasonable_delay": True, "or_earlier": [{"days": 3}]})])
    assert findings == [
        "us-fl.yaml:26:13: error: duties[0].deadline.or_earlier[0].from: the consumer notice cannot be counted from "
        "itself; write from: discovery (or determination)",
        "us-fl.yaml:43:5: error: duties[1].deadline.or_earlier: or_earlier gives other limits of a deadline counted "
        "in days or hours: add days (e.g. 'days: 14') or hours",
    ]


def test_further_delay_periods_extend_a_delay_of_fixed_length(tmp_path: Path) -> None:
    _, findings = _load(tmp_path, duties=[duty("consumers", law_enforcement_delay={
        "allowed": True, "further": [{"days": 30}]})])
    assert findings == ["us-fl.yaml:33:5: error: duties[0].law_enforcement_delay.further: further periods extend a "
                        "delay of a fixed length: add days (e.g. 'days: 30')"]


@pytest.mark.parametrize(("residents", "sent"), [(500, False), (501, True)])
def test_new_york_sends_the_determination_only_when_over_500_residents_are_affected(
        tmp_path: Path, residents: int, sent: bool) -> None:
    ny = {"US-NY": REAL["US-NY"]}
    case = _determined(incident(tmp_path, discovered="2025-06-02", residents={"US-NY": residents}), "US-NY")
    found = {o.duty: o for o in obligations(case, ny, TODAY) if o.duty.startswith("risk-determination")}
    assert ("risk-determination" in found) is sent
    record = found["risk-determination-record"]
    unsent = (f"not sent to the {REAL['US-NY'].versions('attorney-general')[-1].recipient['name']}: 500 residents "
              "affected, and N.Y. Gen. Bus. Law 899-aa(2)(a) sends it only when over 500 are")
    assert (unsent in record.reasons) is not sent
    if sent:
        assert found["risk-determination"].due == dt.date(2025, 6, 12)  # ten days after the determination


def test_a_first_limit_not_yet_dated_leaves_the_other_limit_due(tmp_path: Path) -> None:
    """Arkansas' two limits written the other way round ("with the consumer notice, or 45 days after the
    determination if that is earlier"): before the consumer notice, the 45 days are the due date."""
    rules = copy_rule_base(tmp_path / "rules", "US-AR") / "us-ar.yaml"
    text = rules.read_text(encoding="utf-8")
    swapped = text.replace("      days: 45\n      basis: calendar\n      from: determination\n      or_earlier:\n"
                           "        - {days: 0, from: consumer_notice}",
                           "      days: 0\n      basis: calendar\n      from: consumer_notice\n      or_earlier:\n"
                           "        - {days: 45, from: determination}")
    assert swapped != text
    rules.write_text(swapped, encoding="utf-8")
    arkansas, findings = load_jurisdiction(rules, "us-ar.yaml")
    assert findings == [] and arkansas is not None
    case = incident(tmp_path, residents={"US-AR": 2000}, dates={"determined": "2025-06-05"})
    ag = pick(obligations(case, {"US-AR": arkansas}, TODAY), "attorney-general", "US-AR")
    assert ag.due == dt.date(2025, 7, 20)
    assert ag.reasons[-1] == ("due 2025-07-20: 45 days after the determination of the breach (determination "
                              "on 2025-06-05), earlier than no later than the consumer notice (not yet dated)")
