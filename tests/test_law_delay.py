"""A law-enforcement delay counts only when the law lets that authority ask, in the form the law asks:
the SEC's Item 1.05(c) delay only at the United States Attorney General's written notice (30 days at
most), a state's only at a written request where its law says so. And Idaho's agencies' 24-hour notice
to the Attorney General binds government agencies only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from test_law_incident_facts import REAL, TODAY, duty, incident, law, law_findings, pick

from breachdocs.law.obligations import obligations

SEC = {"US-FED-SEC": REAL["US-FED-SEC"]}


def _sec_case(tmp_path: Path, request: dict[str, Any]) -> Any:
    return incident(tmp_path, residents={"US-NC": 10}, business={"regulated_as": ["sec-registrant"]},
                    dates={"materiality_determined": "2025-06-10"},
                    notice={"law_enforcement_delay": True, "delay_reason": "National security.",
                            "law_enforcement_request": request})


def test_sec_filing_without_a_delay_is_due_four_business_days_after_materiality(tmp_path: Path) -> None:
    case = incident(tmp_path, residents={"US-NC": 10}, business={"regulated_as": ["sec-registrant"]},
                    dates={"materiality_determined": "2025-06-10"})
    assert pick(obligations(case, SEC, TODAY), "sec", "US-FED-SEC").due == dt.date(2025, 6, 16)


@pytest.mark.parametrize(("until", "due"), [("2025-07-01", dt.date(2025, 7, 1)), ("2025-09-01", dt.date(2025, 7, 16))])
def test_the_attorney_generals_written_notice_delays_the_sec_filing_at_most_30_days(
        tmp_path: Path, until: str, due: dt.date) -> None:
    case = _sec_case(tmp_path, {"agency": "United States Attorney General", "requested_on": "2025-06-12",
                                "written": True, "attorney_general": True, "until": until})
    sec = pick(obligations(case, SEC, TODAY), "sec", "US-FED-SEC")
    assert sec.due == due
    assert ("delayed at the written request of United States Attorney General of 2025-06-12 (Form 8-K Item "
            f"1.05(c)): due {due}, at most 30 days after the deadline of 2025-06-16") in sec.reasons
    assert [f.message for f in law_findings(case, SEC) if "law_enforcement" in f.field] == []
    beyond = "notice.law_enforcement_request.until is 2025-09-01, beyond the 30 days Form 8-K Item 1.05(c) allows"
    assert (beyond in sec.reasons) == (until == "2025-09-01")


def test_an_fbi_request_does_not_delay_the_sec_filing(tmp_path: Path) -> None:
    case = _sec_case(tmp_path, {"agency": "FBI Charlotte field office", "requested_on": "2025-06-12",
                                "written": True, "until": "2025-07-01"})
    sec = pick(obligations(case, SEC, TODAY), "sec", "US-FED-SEC")
    assert sec.due == dt.date(2025, 6, 16)
    assert ("the law-enforcement delay does not count: only the United States Attorney General may request it "
            "(Form 8-K Item 1.05(c)); the request came from FBI Charlotte field office "
            "(notice.law_enforcement_request.attorney_general is not true)") in sec.reasons
    assert not any(r.startswith("delayed at") for r in sec.reasons)
    assert [f.message for f in law_findings(case, SEC) if "law_enforcement" in f.field] == [
        "US-FED-SEC: this request does not delay the sec notice: only the United States Attorney General may "
        "request it (Form 8-K Item 1.05(c)); the request came from FBI Charlotte field office "
        "(notice.law_enforcement_request.attorney_general is not true); its deadline still runs"]


def test_the_attorney_generals_oral_request_does_not_delay_the_sec_filing(tmp_path: Path) -> None:
    case = _sec_case(tmp_path, {"agency": "United States Attorney General", "requested_on": "2025-06-12",
                                "written": False, "attorney_general": True})
    sec = pick(obligations(case, SEC, TODAY), "sec", "US-FED-SEC")
    assert sec.due == dt.date(2025, 6, 16)
    assert ("the law-enforcement delay does not count: Form 8-K Item 1.05(c) requires the request in writing (or a "
            "contemporaneous memorandum); notice.law_enforcement_request.written is false") in sec.reasons


def _state(tmp_path: Path, written_request: bool) -> Any:
    return law(tmp_path, consumer_notice={"law_enforcement_delay": {
        "allowed": True, "written_request": written_request, "citation": "Fla. Stat. 501.171(4)(b)"}},
        duties=[duty("consumers")])


def _state_case(tmp_path: Path, written: bool, until: str | None = "2025-08-01") -> Any:
    request: dict[str, Any] = {"agency": "FBI Tampa", "requested_on": "2025-06-05", "written": written}
    if until:
        request["until"] = until
    return incident(tmp_path, notice={"law_enforcement_delay": True, "delay_reason": "FBI investigation.",
                                      "law_enforcement_request": request})


def test_a_written_request_delays_a_state_notice_until_law_enforcement_allows_it(tmp_path: Path) -> None:
    consumers = pick(obligations(_state_case(tmp_path, True), _state(tmp_path, True), TODAY), "consumers")
    assert consumers.due is None and consumers.target == dt.date(2025, 8, 1)
    assert consumers.reasons[-2:] == (
        "delayed at the written request of FBI Tampa of 2025-06-05 (Fla. Stat. 501.171(4)(b)) until 2025-08-01: "
        "notice is owed without unreasonable delay after it, not by 2025-07-02 (internal target 2025-08-01)",
        "the internal target of 2025-08-01 has passed")


def test_an_oral_request_does_not_delay_a_state_notice_that_wants_it_written(tmp_path: Path) -> None:
    rules = _state(tmp_path, True)
    case = _state_case(tmp_path, False)
    consumers = pick(obligations(case, rules, TODAY), "consumers")
    assert consumers.due == dt.date(2025, 7, 2) and consumers.status == "overdue"
    assert consumers.reasons[-1] == (
        "the law-enforcement delay does not count: Fla. Stat. 501.171(4)(b) requires the request in writing (or a "
        "contemporaneous memorandum); notice.law_enforcement_request.written is false")


def test_an_oral_request_delays_a_state_notice_where_the_law_allows_it(tmp_path: Path) -> None:
    consumers = pick(obligations(_state_case(tmp_path, False), _state(tmp_path, False), TODAY), "consumers")
    assert consumers.due is None and consumers.target == dt.date(2025, 8, 1)


def test_a_delay_without_its_end_asks_for_it(tmp_path: Path) -> None:
    rules = _state(tmp_path, True)
    case = _state_case(tmp_path, True, until=None)
    consumers = pick(obligations(case, rules, TODAY), "consumers")
    assert consumers.due is None and consumers.target is None and consumers.status == "due"
    assert consumers.reasons[-1] == (
        "delayed at the written request of FBI Tampa of 2025-06-05 (Fla. Stat. 501.171(4)(b)): notice is owed once "
        "law enforcement says it no longer impedes the investigation, not by 2025-07-02; that date is not recorded")
    assert [f.message for f in law_findings(case, rules) if f.severity == "warning"] == [
        "US-FL: the consumers duty depends on the end of the law-enforcement delay; record it as "
        "notice.law_enforcement_request.until"]


def test_the_rule_base_reserves_the_sec_delay_to_the_attorney_general() -> None:
    versions = REAL["US-FED-SEC"].versions("sec")
    assert len(versions) == 2
    for version in versions:
        rule = REAL["US-FED-SEC"].delay_rule(version)
        assert rule is not None and (rule.requested_by, rule.written_request, rule.days) == (
            "us-attorney-general", True, 30)


# --- Idaho: agencies tell the Attorney General within 24 hours (Idaho Code 28-51-105(1)) ---------------

IDAHO = {"US-ID": REAL["US-ID"]}


def test_idaho_agencies_tell_the_attorney_general_within_24_hours(tmp_path: Path) -> None:
    case = incident(tmp_path, residents={"US-ID": 10}, business={"regulated_as": ["government-agency"]})
    ag = pick(obligations(case, IDAHO, TODAY), "attorney-general", "US-ID")
    assert ag.triggered and ag.due == dt.date(2025, 6, 3)
    assert "business regulated as government-agency" in ag.reasons


def test_idaho_businesses_owe_the_attorney_general_nothing(tmp_path: Path) -> None:
    case = incident(tmp_path, residents={"US-ID": 10})
    ag = pick(obligations(case, IDAHO, TODAY), "attorney-general", "US-ID")
    assert not ag.triggered and ag.status == "not-triggered"
    assert "applies only to a business regulated as government-agency" in ag.reasons


# --- the real rule files: every state whose delay needs a written request, both ways -----------------

WRITTEN = sorted(code for code, j in REAL.items()
                 if (j.consumer_notice.get("law_enforcement_delay") or {}).get("written_request"))


def test_the_rule_base_names_the_states_whose_delay_needs_a_written_request() -> None:
    assert {"US-FL", "US-MO", "US-NC"} <= set(WRITTEN)


@pytest.mark.parametrize("code", WRITTEN)
def test_each_state_delays_its_consumer_notice_only_at_a_written_request(tmp_path: Path, code: str) -> None:
    rules = {code: REAL[code]}
    outcome = {}
    for written in (True, False):
        case = incident(tmp_path, residents={code: 10}, notice={
            "law_enforcement_delay": True, "delay_reason": "Criminal investigation.",
            "law_enforcement_request": {"agency": "State police", "requested_on": "2025-06-05", "written": written,
                                        "until": "2025-08-01"}})
        outcome[written] = pick(obligations(case, rules, TODAY), "consumers", code)
    citation = REAL[code].consumer_notice["law_enforcement_delay"]["citation"]
    assert outcome[True].target == dt.date(2025, 8, 1) and outcome[True].due is None
    assert any(r.startswith(f"delayed at the written request of State police of 2025-06-05 ({citation}) until "
                            "2025-08-01") for r in outcome[True].reasons)
    assert (f"the law-enforcement delay does not count: {citation} requires the request in writing (or a "
            "contemporaneous memorandum); notice.law_enforcement_request.written is false") in outcome[False].reasons
    assert not any(r.startswith("delayed at") for r in outcome[False].reasons)
