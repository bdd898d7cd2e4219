"""The obligations engine, deadlines and the iCalendar feed, judged on real and
synthetic incidents against the rule base in jurisdictions/."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from breachdocs.cli import main
from breachdocs.law.business_days import add_business_days, federal_holidays
from breachdocs.law.deadlines import ics, open_duties
from breachdocs.law.obligations import Obligation, obligations, obligations_json
from breachdocs.law.rules import Jurisdiction, load_jurisdictions
from breachdocs.project import Project
from breachdocs.project_check import check
from breachdocs.records import Incident, load_incident

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 24)
MASSMUTUAL = "2007-08-10-massmutual-misdirected-email"

INCIDENT = """\
id: {id}
title: Test incident
status: notified
reporting_business:
  name: Example Co
  street: 1 Main Street
  city: Raleigh
  state: NC
  zip: "27601"
  phone: 919-555-0100
  email: privacy@example.com
{regulated}
dates:
  discovered: "{discovered}"
{dates}
affected:
  total: {total}
  residents: {residents}
data:
  format: electronic
  elements: [name, ssn]
  protected: false
circumstances: A laptop was stolen.
prevention: Disks are encrypted now.
notice:
  methods: [written]
{notice}
signatory:
  title: Privacy Officer
{filings}
"""


@pytest.fixture(scope="module")
def rules() -> dict[str, Jurisdiction]:
    found, _ = load_jurisdictions(ROOT / "jurisdictions", root=ROOT)
    return found


@pytest.fixture(scope="module")
def massmutual() -> Incident:
    incidents, findings = check(Project(ROOT), [ROOT / "incidents" / f"{MASSMUTUAL}.yaml"], today=TODAY)
    assert not findings
    return incidents[0]


def make(tmp_path: Path, *, discovered: str, residents: dict[str, int], total: int | None = None,
         dates: dict[str, str] | None = None, filings: list[dict[str, str]] | None = None,
         regulated: list[str] | None = None, notice: str = "") -> Incident:
    ident = f"{discovered}-test"
    text = INCIDENT.format(
        id=ident,
        discovered=discovered,
        dates="".join(f'  {k}: "{v}"\n' for k, v in (dates or {}).items()),
        total=total if total is not None else sum(residents.values()),
        residents=json.dumps(residents),
        regulated=f"  regulated_as: {json.dumps(regulated)}" if regulated else "",
        notice=notice,
        filings=("filings:\n" + "".join(
            "  - " + json.dumps(f) + "\n" for f in filings)) if filings else "",
    )
    file = tmp_path / f"{ident}.yaml"
    file.write_text(text, encoding="utf-8")
    incident, findings = load_incident(file, today=TODAY)
    assert incident is not None, "\n".join(map(str, findings))
    return incident


def pick(found: list[Obligation], code: str, duty: str) -> Obligation:
    return next(o for o in found if o.jurisdiction == code and o.duty == duty)


# --- MassMutual: the seed filing, judged by the law of 2007 -------------------------------------

def test_massmutual_nc_filing_done_2007_10_17_under_the_2007_law(rules, massmutual) -> None:
    ag = pick(obligations(massmutual, rules, TODAY), "US-NC", "attorney-general")
    assert ag.done == dt.date(2007, 10, 17)
    assert ag.status == "done"
    assert ag.form == "us-nc-ago-breach"
    # 2007: N.C.G.S. 75-65(f) (2005) required AG notice only above 1,000 persons
    assert ag.in_force and not ag.triggered
    assert ag.citation == "N.C.G.S. 75-65(f) (S.L. 2005-414)"
    assert "195 US-NC residents not > 1,000" in ag.reasons
    assert ("from 2009-10-01 N.C.G.S. 75-65(e1) applies instead (threshold >= 1, without unreasonable delay "
            "after the consumer notice); not applied to a breach discovered 2007-08-10") in ag.reasons
    assert ag.reasons[-1] == "filed 2007-10-17, although not required"


def test_massmutual_consumer_notice_sent_2007_10_16(rules, massmutual) -> None:
    notice = pick(obligations(massmutual, rules, TODAY), "US-NC", "consumers")
    assert notice.triggered and notice.done == dt.date(2007, 10, 16) and notice.status == "done"
    assert notice.citation == "N.C.G.S. 75-65(a)"
    assert notice.deadline == "without unreasonable delay" and notice.due is None
    assert notice.target == dt.date(2007, 9, 9)  # internal target: 30 days after discovery
    assert notice.reason.startswith("195 US-NC residents >= 1; personal information: name + ssn; ")


def test_massmutual_credit_bureaus_not_triggered(rules, massmutual) -> None:
    bureaus = pick(obligations(massmutual, rules, TODAY), "US-NC", "credit-bureaus")
    assert (bureaus.triggered, bureaus.status) == (False, "not-triggered")


def test_massmutual_only_nc_is_in_play(rules, massmutual) -> None:
    assert {o.jurisdiction for o in obligations(massmutual, rules, TODAY)} == {"US-NC"}


# --- deadlines, statuses and effective dates ------------------------------------------------------

def test_texas_ag_30_days_from_determination_done_late(tmp_path, rules) -> None:
    incident = make(tmp_path, discovered="2025-06-12", residents={"US-TX": 300},
                    dates={"determined": "2025-07-01", "consumers_notified": "2025-07-20"},
                    filings=[{"jurisdiction": "US-TX", "recipient": "attorney-general", "submitted": "2025-08-05"}])
    ag = pick(obligations(incident, rules, TODAY), "US-TX", "attorney-general")
    assert (ag.due, ag.status, ag.late_days) == (dt.date(2025, 7, 31), "done-late", 5)
    assert "due 2025-07-31: without unreasonable delay, at the latest 30 days after the determination of the " \
           "breach (determination on 2025-07-01)" in ag.reasons


def test_texas_ag_60_days_before_2023_09_01(tmp_path, rules) -> None:
    incident = make(tmp_path, discovered="2023-08-31", residents={"US-TX": 250})
    ag = pick(obligations(incident, rules, TODAY), "US-TX", "attorney-general")
    assert (ag.triggered, ag.due, ag.status) == (True, dt.date(2023, 10, 30), "overdue")


def test_washington_threshold_is_more_than_500(tmp_path, rules) -> None:
    at_500 = make(tmp_path, discovered="2024-01-10", residents={"US-WA": 500})
    assert not pick(obligations(at_500, rules, TODAY), "US-WA", "attorney-general").triggered
    over = make(tmp_path, discovered="2024-01-11", residents={"US-WA": 501})
    ag = pick(obligations(over, rules, TODAY), "US-WA", "attorney-general")
    assert ag.triggered and ag.due == dt.date(2024, 2, 10)


def test_washington_45_days_before_2020_03_01(tmp_path, rules) -> None:
    incident = make(tmp_path, discovered="2020-02-29", residents={"US-WA": 600})
    assert pick(obligations(incident, rules, TODAY), "US-WA", "attorney-general").due == dt.date(2020, 4, 14)


def test_consumer_notice_status_from_dates_and_late_days(tmp_path, rules) -> None:
    incident = make(tmp_path, discovered="2025-01-10", residents={"US-NY": 10},
                    dates={"consumers_notified": "2025-02-14"}, notice="  delay_reason: Forensic review.")
    notice = pick(obligations(incident, rules, TODAY), "US-NY", "consumers")
    assert (notice.due, notice.done, notice.status, notice.late_days) == (
        dt.date(2025, 2, 9), dt.date(2025, 2, 14), "done-late", 5)


def test_duty_in_force_after_discovery_says_so_and_shows_the_filing(tmp_path, rules) -> None:
    incident = make(tmp_path, discovered="2024-12-01", residents={"US-NY": 10},
                    dates={"consumers_notified": "2024-12-28"},
                    filings=[{"jurisdiction": "US-NY", "recipient": "department-of-financial-services",
                              "submitted": "2024-12-30"}])
    dfs = pick(obligations(incident, rules, TODAY), "US-NY", "department-of-financial-services")
    assert (dfs.in_force, dfs.triggered, dfs.status, dfs.done) == (False, False, "done", dt.date(2024, 12, 30))
    assert dfs.reasons[0] == ("not in force when the breach was discovered (2024-12-01): N.Y. Gen. Bus. Law "
                              "899-aa(8)(a) (S2659-B) came into force on 2024-12-21")
    assert dfs.reasons[-1] == "filed 2024-12-30, although not required"


def test_open_duty_becomes_overdue_after_its_due_date(tmp_path, rules) -> None:
    incident = make(tmp_path, discovered="2026-10-01", residents={"US-WA": 10})
    notice = pick(obligations(incident, rules, dt.date(2026, 10, 31)), "US-WA", "consumers")
    assert (notice.due, notice.status) == (dt.date(2026, 10, 31), "due")
    assert pick(obligations(incident, rules, dt.date(2026, 11, 1)), "US-WA", "consumers").status == "overdue"


def test_encrypted_data_with_safe_key_is_not_triggered(tmp_path, rules) -> None:
    incident = make(tmp_path, discovered="2025-03-03", residents={"US-NC": 50})
    incident.data["data"].update(protected=True, protection="AES-256 disk encryption", key_compromised=False)
    notice = pick(obligations(incident, rules, TODAY), "US-NC", "consumers")
    assert not notice.triggered
    assert "data encrypted and the key not compromised: encryption safe harbour (N.C.G.S. 75-61(14))" \
        in notice.reasons


def test_hipaa_duties_by_size_and_state(tmp_path, rules) -> None:
    small = make(tmp_path, discovered="2023-05-02", residents={"US-NC": 499}, regulated=["hipaa-covered-entity"])
    found = obligations(small, rules, TODAY)
    assert not pick(found, "US-FED-HIPAA", "hhs").triggered
    log = pick(found, "US-FED-HIPAA", "hhs-log")
    assert log.triggered and log.due == dt.date(2024, 2, 29)  # 60 days after 2023-12-31 (leap year)
    big = make(tmp_path, discovered="2023-05-03", residents={"US-NC": 501, "US-VA": 400},
               regulated=["hipaa-covered-entity"])
    found = obligations(big, rules, TODAY)
    assert pick(found, "US-FED-HIPAA", "hhs").due == dt.date(2023, 7, 2)
    media = pick(found, "US-FED-HIPAA", "media")
    assert media.triggered and media.reasons[0] == "501 US-NC residents (the most of any state) > 500"


def test_sec_four_business_days_skip_christmas(tmp_path, rules) -> None:
    incident = make(tmp_path, discovered="2024-12-16", residents={"US-NC": 1}, regulated=["sec-registrant"],
                    dates={"materiality_determined": "2024-12-20"})
    sec = pick(obligations(incident, rules, TODAY), "US-FED-SEC", "sec")
    assert sec.due == dt.date(2024, 12, 27)
    assert "for review: only if the registrant determines the incident is material" in sec.reason


def test_gdpr_72_hours(tmp_path, rules) -> None:
    incident = make(tmp_path, discovered="2025-04-01", residents={"EU": 3})
    authority = pick(obligations(incident, rules, TODAY), "EU-GDPR", "supervisory-authority")
    assert authority.due == dt.date(2025, 4, 4) and authority.deadline.endswith("72 hours after awareness")


def test_federal_holidays_and_business_days() -> None:
    assert dt.date(2024, 6, 19) in federal_holidays(2024)  # Juneteenth
    assert dt.date(2021, 12, 31) in federal_holidays(2021)  # New Year 2022 observed on Friday
    assert dt.date(2024, 11, 28) in federal_holidays(2024)  # Thanksgiving
    assert add_business_days(dt.date(2024, 11, 27), 1) == dt.date(2024, 11, 29)


# --- JSON, deadlines and iCalendar ---------------------------------------------------------------

def test_json_output_is_stable_and_documented(rules, massmutual) -> None:
    found = obligations(massmutual, rules, TODAY)
    first = obligations_json(massmutual, found, TODAY, 30)
    assert first == obligations_json(massmutual, obligations(massmutual, rules, TODAY), TODAY, 30)
    document = json.loads(first)
    assert list(document) == ["format", "incident", "as_of", "internal_target_days", "obligations"]
    assert document["format"] == "breachdocs-obligations/1"
    assert list(document["obligations"][0]) == [
        "jurisdiction", "jurisdiction_name", "duty", "title", "recipient", "triggered", "reason", "reasons",
        "deadline", "due", "due_text", "target", "form", "required_fields", "status", "done", "late_days", "filings", "citation",
        "effective_from", "effective_to", "in_force", "verified", "source", "due_at", "timezone", "missing"]


def test_cli_obligations_json(massmutual) -> None:
    result = CliRunner().invoke(main, ["--root", str(ROOT), "obligations", MASSMUTUAL, "--as-of", "2026-11-24",
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    ag = [o for o in json.loads(result.output)["obligations"] if o["duty"] == "attorney-general"][0]
    assert (ag["done"], ag["status"], ag["form"]) == ("2007-10-17", "done", "us-nc-ago-breach")


def test_cli_obligations_unknown_incident() -> None:
    result = CliRunner().invoke(main, ["--root", str(ROOT), "obligations", "no-such-incident"])
    assert result.exit_code == 2
    assert result.output.startswith("Error: no incident 'no-such-incident' in incidents/; incidents/ holds "
                                    "2007-08-10-massmutual-misdirected-email, ")


def test_deadlines_soonest_first_and_ics_is_deterministic(tmp_path, rules) -> None:
    stamp = dt.datetime.fromtimestamp(1700000000, tz=dt.UTC)
    late = make(tmp_path, discovered="2026-10-20", residents={"US-TX": 300}, dates={"determined": "2026-10-25"})
    soon = make(tmp_path, discovered="2026-10-01", residents={"US-WA": 10})
    day = dt.date(2026, 10, 28)
    found = open_duties(o for i in (late, soon) for o in obligations(i, rules, day))
    dates = [o.sort_date for o in found]
    assert dates == sorted(dates) and found[0].incident == soon.id
    calendar = ics(found, stamp)
    assert calendar == ics(open_duties(o for i in (soon, late) for o in obligations(i, rules, day)), stamp)
    lines = calendar.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert all(len(line.encode()) <= 75 for line in lines)
    assert "DTSTAMP:20231114T221320Z" in lines
    assert "UID:2026-10-01-test.us-wa.consumers@breachdocs" in calendar.replace("\r\n ", "")
    assert "DTSTART;VALUE=DATE:20261031" in lines


def test_cli_deadlines_writes_ics_stamped_with_source_date_epoch(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    out = tmp_path / "deadlines.ics"
    args = ["--root", str(ROOT), "deadlines", "--as-of", "2026-11-24", "--format", "ics", "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and result.stderr.startswith("wrote ") and f" event(s) to {out}  sha256 " in result.stderr
    first = out.read_bytes()
    assert b"2026-11-02-northwind-patient-portal-credential-stuffing" in first
    assert first.startswith(b"BEGIN:VCALENDAR\r\n") and b"DTSTAMP:20231114T221320Z\r\n" in first
    assert CliRunner().invoke(main, args).exit_code == 0 and out.read_bytes() == first


# --- law checks in project.check ----------------------------------------------------------------

def test_nc_incident_missing_a_form_field_is_reported(tmp_path) -> None:
    (tmp_path / "incidents").mkdir()
    (tmp_path / "jurisdictions").mkdir()
    (tmp_path / "jurisdictions" / "us-nc.yaml").write_bytes((ROOT / "jurisdictions" / "us-nc.yaml").read_bytes())
    incident = make(tmp_path / "incidents", discovered="2025-02-03", residents={"US-NC": 5},
                    dates={"consumers_notified": "2025-02-20"})
    text = Path(incident.path).read_text(encoding="utf-8").replace("prevention: Disks are encrypted now.\n", "")
    Path(incident.path).write_text(text, encoding="utf-8")
    _, findings = check(Project(tmp_path), today=TODAY)
    # North Carolina's breach is one that creates a material risk of harm: without a determination the engine
    # says so (a warning) and judges the duties as owed.
    assert [f.field for f in findings if f.severity == "warning"] == ["risk_assessment"]
    assert [str(f) for f in findings if f.severity == "error"] == [
        f"incidents/{incident.id}.yaml:1:1: error: prevention: North Carolina requires this for the us-nc-ago-breach "
        "form (N.C.G.S. 75-65(e1)), since the duty applies to this incident; add prevention (for example "
        "'prevention: Prior to sending, all email attachments will be opened to view to assure that the right "
        "information is attached.')"
    ]


def test_late_consumer_notice_needs_a_delay_reason(tmp_path) -> None:
    (tmp_path / "incidents").mkdir()
    (tmp_path / "jurisdictions").mkdir()
    (tmp_path / "jurisdictions" / "us-wa.yaml").write_bytes((ROOT / "jurisdictions" / "us-wa.yaml").read_bytes())
    incident = make(tmp_path / "incidents", discovered="2025-02-03", residents={"US-WA": 5},
                    dates={"consumers_notified": "2025-03-20"})
    _, findings = check(Project(tmp_path), today=TODAY)
    assert [str(f) for f in findings] == [
        f"incidents/{incident.id}.yaml:15:23: error: dates.consumers_notified: people were notified 2025-03-20, "
        "15 day(s) after the deadline (US-WA RCW 19.255.010(8): due 2025-03-05); add notice.delay_reason "
        "explaining the delay (for example 'delay_reason: Internal information gathering, internal investigation "
        "of details and consultation with client.')"
    ]


def test_example_incidents_pass_the_law_checks() -> None:
    _, findings = check(Project(ROOT), today=TODAY)
    assert [str(f) for f in findings] == []


def test_filing_with_a_misspelt_recipient_is_reported(tmp_path) -> None:
    (tmp_path / "incidents").mkdir()
    (tmp_path / "jurisdictions").mkdir()
    (tmp_path / "jurisdictions" / "us-nc.yaml").write_bytes((ROOT / "jurisdictions" / "us-nc.yaml").read_bytes())
    incident = make(tmp_path / "incidents", discovered="2025-02-03", residents={"US-NC": 5},
                    dates={"consumers_notified": "2025-02-20"},
                    filings=[{"jurisdiction": "US-NC", "recipient": "attorney-generl", "submitted": "2025-02-21"},
                             {"jurisdiction": "US-SC", "recipient": "regulator", "submitted": "2025-02-21"}])
    _, findings = check(Project(tmp_path), today=TODAY)
    assert [str(f) for f in findings if f.severity == "error"] == [
        f"incidents/{incident.id}.yaml:32:44: error: filings[0].recipient: 'attorney-generl' is not a duty of US-NC; "
        "did you mean 'attorney-general'?",
        f"incidents/{incident.id}.yaml:33:22: error: filings[1].jurisdiction: there is no rule file for US-SC "
        "(jurisdictions/us-sc.yaml); check the code or add the file",
    ]


def test_gdpr_encryption_spares_only_the_data_subjects(tmp_path, rules) -> None:
    """GDPR Art. 34(3)(a): encryption spares the communication to data subjects, not the Art. 33 notice."""
    incident = make(tmp_path, discovered="2025-04-02", residents={"EU": 3})
    incident.data["data"].update(protected=True, protection="AES-256", key_compromised=False)
    found = obligations(incident, rules, TODAY)
    assert pick(found, "EU-GDPR", "supervisory-authority").triggered
    assert not pick(found, "EU-GDPR", "consumers").triggered


def test_letter_content_rules_of_each_triggered_consumer_notice(tmp_path, rules) -> None:
    incident = make(tmp_path, discovered="2025-05-05", residents={"US-NC": 4, "US-MA": 2, "US-WA": 1})
    found = {o.jurisdiction for o in obligations(incident, rules, TODAY) if o.duty == "consumers" and o.triggered}
    assert {"US-NC", "US-MA", "US-WA"} <= found
    assert "ag_contact" in rules["US-NC"].required_content  # N.C.G.S. 75-65(d)(7)
    assert "police_report" in rules["US-MA"].required_content  # M.G.L. c. 93H, 3(b)
    assert any("9001 Mail Service Center" in p for p in rules["US-NC"].letter_paragraphs)


def test_element_added_by_amendment_counts_only_from_its_date(tmp_path, rules) -> None:
    """N.Y. Gen. Bus. Law 899-aa(1)(b) (S2376-B): medical information counts from 2025-03-21."""
    before = make(tmp_path, discovered="2025-03-20", residents={"US-NY": 5})
    before.data["data"]["elements"] = ["name", "medical"]
    notice = pick(obligations(before, rules, TODAY), "US-NY", "consumers")
    assert not notice.triggered
    assert notice.reasons[1].endswith("do not meet its definition; medical counts only from 2025-03-21")
    after = make(tmp_path, discovered="2025-03-21", residents={"US-NY": 5})
    after.data["data"]["elements"] = ["name", "medical"]
    assert pick(obligations(after, rules, TODAY), "US-NY", "consumers").triggered


def test_judged_again_when_the_incident_or_its_rules_change(tmp_path: Path) -> None:
    """Obligations are reused between the check and the site only for the same data and the same rule
    files: a changed incident or rule file is judged afresh."""
    (tmp_path / "jurisdictions").mkdir()
    rule_file = tmp_path / "jurisdictions" / "us-nc.yaml"
    rule_file.write_text((ROOT / "jurisdictions" / "us-nc.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    incident = make(tmp_path, discovered="2025-05-05", residents={"US-NC": 4})

    def nc(rules: dict[str, Jurisdiction]) -> Obligation:
        return pick(obligations(incident, rules, TODAY), "US-NC", "consumers")

    first, _ = load_jurisdictions(tmp_path / "jurisdictions", root=tmp_path)
    assert nc(first).triggered and obligations(incident, first, TODAY) == obligations(incident, first, TODAY)
    incident.data["affected"]["residents"] = {"US-VA": 4}
    assert obligations(incident, first, TODAY) == []
    incident.data["affected"]["residents"] = {"US-NC": 4}
    assert nc(first).title != "Tell them"
    text = rule_file.read_text(encoding="utf-8")
    assert nc(first).title == "Notice to affected North Carolina residents"
    rule_file.write_text(text.replace("title: Notice to affected North Carolina residents", "title: Tell them"),
                         encoding="utf-8")
    second, _ = load_jurisdictions(tmp_path / "jurisdictions", root=tmp_path)
    assert nc(second).title == "Tell them"


def test_a_smaller_reporting_company_owes_item_1_05_only_from_its_own_compliance_date(tmp_path, rules) -> None:
    """SEC Item 1.05: other registrants from 2023-12-18, smaller reporting companies from 2024-06-15."""
    small = ["sec-registrant", "sec-smaller-reporting-company"]
    early = pick(obligations(make(tmp_path, discovered="2024-03-01", residents={}, total=10, regulated=small),
                            rules, TODAY), "US-FED-SEC", "sec")
    assert not early.triggered
    assert "not in force when the breach was discovered (2024-03-01)" in early.reason
    assert early.effective_from == dt.date(2024, 6, 15)
    large = pick(obligations(make(tmp_path, discovered="2024-03-01", residents={}, total=10, regulated=["sec-registrant"]),
                             rules, TODAY), "US-FED-SEC", "sec")
    assert large.effective_from == dt.date(2023, 12, 18)


@pytest.mark.parametrize(("code", "residents"), [("EU-GDPR", {"EU-DE": 3}), ("GB-UKGDPR", {"GB": 3})])
def test_data_subjects_are_told_only_of_a_high_risk(tmp_path, rules, code, residents) -> None:
    """GDPR and UK GDPR Art. 34(1): the communication to data subjects needs a likely high risk; Art. 33 a risk."""
    found = {}
    for risk in ("unlikely", "risk", "high"):
        incident = make(tmp_path, discovered="2025-04-02", residents=residents)
        incident.data["gdpr"] = {"risk": risk}
        judged = obligations(incident, rules, TODAY)
        found[risk] = (pick(judged, code, "supervisory-authority").triggered, pick(judged, code, "consumers").triggered)
    assert found == {"unlikely": (False, False), "risk": (True, False), "high": (True, True)}
