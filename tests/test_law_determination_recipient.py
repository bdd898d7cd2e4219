"""Who gets a written risk-of-harm determination when the law sends it to a business's own regulator
(``risk_of_harm.send_to`` as a list of duty ids): the first listed duty written for the business, else
the first listed. Vermont (9 V.S.A. 2435(d)(1)) sends it to the Department of Financial Regulation from a
data collector the Department licenses or registers, to the Attorney General from any other.

Small rule files written here show the rule and its errors; Vermont's real rule file is judged through
the command line, as text and JSON, and its letter is read back from the PDF.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rule_base import copy_rule_base
from test_law_dates import _load
from test_law_incident_facts import TODAY, duty, incident, law, pick

from breachdocs.cli import main
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


# --- Vermont, through the command line ------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
AG = "Vermont Attorney General's Office"
DFR = "Vermont Department of Financial Regulation, General Counsel"


def _vermont(tmp_path: Path, kinds: list[str], discovered: str = "2025-06-02") -> str:
    """A project with Vermont's rule file and its determination letter, and an incident with a determination."""
    copy_rule_base(tmp_path, "US-VT")
    (tmp_path / "jurisdictions" / "submissions").mkdir()
    shutil.copy(ROOT / "jurisdictions" / "submissions" / "us-vt-risk-determination.yaml",
                tmp_path / "jurisdictions" / "submissions")
    case = _determined(tmp_path, "US-VT", kinds, discovered)
    return case.id


def _json(tmp_path: Path, case: str) -> dict[str, dict[str, Any]]:
    result = CliRunner().invoke(main, ["--root", str(tmp_path), "obligations", case, "--as-of", "2025-06-12",
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    return {o["duty"]: o for o in json.loads(result.output)["obligations"]}


@pytest.mark.parametrize(("kinds", "recipient"), [([], AG), ([LENDER], DFR), ([INSURER], DFR)],
                         ids=["ordinary-business", "dfr-licensed-lender", "insurer"])
def test_vermont_sends_the_determination_to_the_attorney_general_or_the_department(
        tmp_path: Path, kinds: list[str], recipient: str) -> None:
    case = _vermont(tmp_path, kinds)
    rows = _json(tmp_path, case)
    sent = rows["risk-determination"]
    assert (sent["recipient"]["name"], sent["status"], sent["citation"]) == (recipient, "due", "9 V.S.A. 2435(d)")
    assert sent["title"] == f"Written risk-of-harm determination sent to the {recipient}"
    table = CliRunner().invoke(main, ["--root", str(tmp_path), "obligations", case, "--as-of", "2025-06-12"])
    assert table.exit_code == 0, table.output
    block = table.output.split("US-VT risk-determination: ")[1]
    assert block.split("\n")[1] == f"  to:       {recipient}"


def test_vermont_sends_a_licensees_determination_to_the_department_before_act_89_too(tmp_path: Path) -> None:
    """2435(d)(1) named the Department before Act 89 of 2020 (printed there as standing text), though the
    Department's preliminary notice dates from it."""
    rows = _json(tmp_path, _vermont(tmp_path, [INSURER], "2015-03-02"))
    assert rows["risk-determination"]["recipient"]["name"] == DFR
    assert rows["regulator"]["status"] == "not-triggered"


@pytest.mark.parametrize(("kinds", "preliminary"), [([], "attorney-general"), ([LENDER], "regulator")],
                         ids=["attorney-general", "department"])
def test_the_vermont_determination_stands_in_for_the_preliminary_notice(tmp_path: Path, kinds: list[str],
                                                                        preliminary: str) -> None:
    """2435(d)(1): "Notice of a security breach pursuant to subsection (b)" is not required, and (b)(3) is the
    preliminary notice to the Attorney General or the Department."""
    rows = _json(tmp_path, _vermont(tmp_path, kinds))
    for duty_id in ("consumers", preliminary):
        assert rows[duty_id]["status"] == "not-triggered"
        assert ("risk-of-harm determination of 2025-06-10 by General Counsel: harm not likely, which replaces this "
                "notice (9 V.S.A. 2435(d))") in rows[duty_id]["reasons"], duty_id


def test_without_a_determination_vermont_still_wants_the_preliminary_notice(tmp_path: Path) -> None:
    copy_rule_base(tmp_path, "US-VT")
    case = incident(tmp_path, residents={"US-VT": 12}, business={"regulated_as": [LENDER]})
    rows = _json(tmp_path, case.id)
    assert (rows["regulator"]["status"], rows["regulator"]["due"]) == ("due", "2025-06-23")
    assert "risk-determination" not in rows


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize(("kinds", "recipient", "other"), [([], AG, "Financial Regulation"),
                                                           ([LENDER], DFR, "Attorney General")],
                         ids=["attorney-general", "department"])
def test_the_vermont_letter_is_addressed_to_its_recipient_and_names_no_other(
        tmp_path: Path, kinds: list[str], recipient: str, other: str) -> None:
    case = _vermont(tmp_path, kinds)
    result = CliRunner().invoke(main, ["--root", str(tmp_path), "submission", case, "--duty",
                                       "US-VT:risk-determination", "--as-of", "2025-06-12", "--out",
                                       str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert f"Regulator: {recipient}\n" in result.output
    text = subprocess.run(["pdftotext", str(tmp_path / "out" / "us-vt-risk-determination-worksheet.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    lines = text.splitlines()
    after_date = lines[lines.index("<DATE>") + 1:]
    address = [recipient] + (["Department of Financial Regulation", "89 Main St.", "Montpelier, VT 05620-3101"]
                             if recipient == DFR else [])
    assert after_date[:len(address)] == address and after_date[len(address)].startswith("Re: "), text
    squashed = " ".join(text.split())
    assert ("Re: Vermont - notice of a determination that misuse is not reasonably possible, under 9 V.S.A. "
            "2435(d)") in squashed
    assert "Contact for questions about the determination" in squashed
    assert other not in squashed
