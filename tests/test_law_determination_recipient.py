"""Who gets a written risk-of-harm determination when the law sends it to a business's own regulator
(``risk_of_harm.send_to`` as a list of duty ids): the first listed duty written for the business, else
the first listed. Small rule files written here show the rule and its errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_law_dates import _load
from test_law_incident_facts import TODAY, duty, incident, law, pick

from breachdocs.law.obligations import obligations
from breachdocs.records import Incident

DETERMINATION = {"decided_on": "2025-06-10", "decided_by": "General Counsel", "harm_likely": False,
                 "written": True, "notes": "The laptop's disk was encrypted and the key was not with it."}
INSURER = "state-licensed-insurer"
LENDER = "state-licensed-financial-institution"

# --- the rule, on a small rule file -------------------------------------------------------------------------


def _maine_like(tmp_path: Path, send_to: Any) -> Any:
    """An Attorney General for every business but insurers, who tell their own regulator."""
    return law(tmp_path, "US-ME", risk_of_harm={"allowed": True, "written": True, "send_to": send_to,
                                                "citation": "Test Code 2(d)"}, duties=[
        duty("consumers"),
        duty("attorney-general", not_regulated_as=[INSURER], name="Attorney General"),
        duty("regulator", regulated_as=[INSURER], name="Bureau of Insurance")])


def _determined(tmp_path: Path, code: str, kinds: list[str], discovered: str = "2025-06-02") -> Incident:
    return incident(tmp_path, discovered=discovered, residents={code: 12},
                    business={"regulated_as": kinds} if kinds else {},
                    risk_assessment=[{"jurisdiction": code, **DETERMINATION}])


def test_an_insurers_determination_goes_to_its_regulator_and_any_others_to_the_attorney_general(
        tmp_path: Path) -> None:
    rules = _maine_like(tmp_path, ["regulator", "attorney-general"])
    insurer = pick(obligations(_determined(tmp_path, "US-ME", [INSURER]), rules, TODAY), "risk-determination",
                   "US-ME")
    assert (insurer.recipient["name"], insurer.title) == (
        "Bureau of Insurance", "Written risk-of-harm determination sent to the Bureau of Insurance")
    assert insurer.reasons[1] == ("Test Code 2(d): the written determination is sent to the Bureau of Insurance "
                                  "(the business is regulated as state-licensed-insurer)")
    other = pick(obligations(_determined(tmp_path, "US-ME", [], "2025-06-03"), rules, TODAY), "risk-determination",
                 "US-ME")
    assert other.recipient["name"] == "Attorney General"
    assert other.reasons[1] == ("Test Code 2(d): the written determination is sent to the Attorney General (not "
                                "the Bureau of Insurance: only for a business regulated as state-licensed-insurer)")


def test_a_listed_duty_that_excludes_the_business_is_passed_over(tmp_path: Path) -> None:
    rules = _maine_like(tmp_path, ["attorney-general", "regulator"])
    insurer = pick(obligations(_determined(tmp_path, "US-ME", [INSURER]), rules, TODAY), "risk-determination",
                   "US-ME")
    assert insurer.recipient["name"] == "Bureau of Insurance"
    assert insurer.reasons[1] == ("Test Code 2(d): the written determination is sent to the Bureau of Insurance "
                                  "(the business is regulated as state-licensed-insurer; not the Attorney General: "
                                  "not for a business regulated as state-licensed-insurer)")


def test_when_no_listed_duty_is_written_for_the_business_the_first_is_used(tmp_path: Path) -> None:
    rules = _maine_like(tmp_path, ["regulator"])
    sent = pick(obligations(_determined(tmp_path, "US-ME", []), rules, TODAY), "risk-determination", "US-ME")
    assert sent.recipient["name"] == "Bureau of Insurance"  # one id: as written, whatever the business
    assert sent.reasons[1] == "Test Code 2(d): the written determination is sent to the Bureau of Insurance"
    rules = law(tmp_path, "US-ME", risk_of_harm={"allowed": True, "send_to": ["regulator", "banking"],
                                                         "citation": "Test Code 2(d)"}, duties=[
        duty("consumers"), duty("regulator", regulated_as=[INSURER], name="Bureau of Insurance"),
        duty("banking", regulated_as=[LENDER], name="Bureau of Financial Institutions")])
    sent = pick(obligations(_determined(tmp_path, "US-ME", [], "2025-06-03"), rules, TODAY), "risk-determination",
                "US-ME")
    assert sent.recipient["name"] == "Bureau of Insurance"
    assert sent.reasons[1] == ("Test Code 2(d): the written determination is sent to the Bureau of Insurance (the "
                               "first recipient listed: none is written for a business of its kinds)")


# --- the rule file's errors: where, and what to write --------------------------------------------------------

WHAT_TO_WRITE = ("write the duty id whose recipient gets the determination (e.g. 'send_to: attorney-general'), or "
                 "a list of them, the first one written for the business being used (e.g. 'send_to: [regulator, "
                 "attorney-general]')")


@pytest.mark.parametrize(("send_to", "expected"), [
    (["regulator", "atorney-general"], ["us-fl.yaml:18:5: error: risk_of_harm.send_to[1]: 'atorney-general' is not "
                                        "a duty of this file; did you mean 'attorney-general'?"]),
    ([], [f"us-fl.yaml:16:12: error: risk_of_harm.send_to: an empty list names no recipient; {WHAT_TO_WRITE}"]),
    (30, [f"us-fl.yaml:16:12: error: risk_of_harm.send_to: the number 30 is not a duty id; {WHAT_TO_WRITE}"]),
    ({"duty": "regulator"}, [f"us-fl.yaml:17:5: error: risk_of_harm.send_to: a mapping is not a duty id; "
                             f"{WHAT_TO_WRITE}"]),
    (["regulator", 30], ["us-fl.yaml:18:5: error: risk_of_harm.send_to[1]: the number 30 is not a duty id; write the "
                         "id of a duty of this file, lowercase words joined by hyphens (e.g. 'regulator')"]),
    (["regulator", "regulator"], ["us-fl.yaml:17:3: error: risk_of_harm.send_to: lists 'regulator' more than once; "
                                  "keep one"]),
], ids=["unknown-id", "empty-list", "number", "mapping", "number-in-list", "twice"])
def test_a_send_to_that_names_no_duty_says_what_to_write(tmp_path: Path, send_to: Any, expected: list[str]) -> None:
    _, findings = _load(tmp_path, risk_of_harm={"allowed": True, "send_to": send_to},
                        duties=[duty("consumers"), duty("attorney-general"), duty("regulator")])
    assert findings == expected


def test_a_send_to_list_in_a_version_of_the_rule_is_checked_there(tmp_path: Path) -> None:
    _, findings = _load(tmp_path, risk_of_harm=[{"effective_from": "2005-01-01", "allowed": True,
                                                 "send_to": ["regulatr"]}],
                        duties=[duty("consumers"), duty("attorney-general"), duty("regulator")])
    assert findings == ["us-fl.yaml:18:5: error: risk_of_harm[0].send_to[0]: 'regulatr' is not a duty of this file; "
                        "did you mean 'regulator'?"]
