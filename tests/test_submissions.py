"""Regulator submissions: every regulator duty of the rule base has one, each file holds together, each
incident's answers are right, and missing answers are reported where to record them."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
import yaml

from breachdocs.findings import format_findings
from breachdocs.law import load_jurisdictions, obligations
from breachdocs.law.obligations import SEND_DUTY, possible_duty_ids
from breachdocs.project import Project
from breachdocs.project_check import check, check_project
from breachdocs.records import load_incident
from breachdocs.submissions import answers, load_submissions, rule_base_findings, worksheets
from breachdocs.submissions.checks import incident_field_exists
from breachdocs.submissions.submission import NOT_REGULATOR, SCHEMA

ROOT = Path(__file__).resolve().parent.parent
PROJECT = Project(ROOT)
SUBMISSIONS = ROOT / "jurisdictions" / "submissions"
VENDOR = "2025-06-12-northwind-billing-vendor-ransomware"
AS_OF = dt.date(2026, 11, 30)


def _rules() -> dict:
    return load_jurisdictions(PROJECT.jurisdictions_dir, root=ROOT)[0]


def test_every_submission_file_loads_without_findings() -> None:
    found, findings = load_submissions(PROJECT.jurisdictions_dir, root=ROOT)
    assert not findings, "\n" + format_findings(findings)
    assert len(found) == len(list(SUBMISSIONS.glob("*.yaml"))) >= 56


def test_every_submission_names_a_duty_an_existing_form_and_incident_fields() -> None:
    findings = rule_base_findings(ROOT, PROJECT.jurisdictions_dir, PROJECT.templates_dir, _rules())
    assert not findings, "\n" + format_findings(findings)
    found, _ = load_submissions(PROJECT.jurisdictions_dir, root=ROOT)
    rules = _rules()
    for submission in found.values():
        assert submission.duty in possible_duty_ids(rules[submission.jurisdiction]), submission.path
        if submission.kind == "form":
            assert (PROJECT.templates_dir / "forms" / str(submission.form) / "form.pdf").is_file(), submission.path
        for q in submission.questions:
            if q.answer and not q.computed:
                assert incident_field_exists(q.answer), f"{submission.path}: {q.id}: {q.answer}"


def test_every_regulator_duty_of_the_rule_base_has_a_submission() -> None:
    found, _ = load_submissions(PROJECT.jurisdictions_dir, root=ROOT)
    duties = {(j.code, d) for j in _rules().values() for d in possible_duty_ids(j) if d not in NOT_REGULATOR}
    assert duties - set(found) == set()
    assert set(found) - duties == set()


def _everywhere_incident(tmp_path: Path) -> Path:
    """An incident that brings every rule file into play (residents of every place a law protects, every kind of
    business) with a written no-harm determination, after consulting law enforcement, under each law (and asked
    for by the regulator, where a law sends it only on request)."""
    rules = _rules()
    data = yaml.safe_load((ROOT / "incidents" / f"{VENDOR}.yaml").read_text(encoding="utf-8"))
    codes = sorted({c if c != "EU" else "EU-DE" for j in rules.values() for c in j.residents})
    kinds = sorted({k for j in rules.values() for k in j.data.get("regulated_as") or []} - {"service-provider"})
    data["affected"] = {"total": 1000 * len(codes), "residents": dict.fromkeys(codes, 1000)}
    data["reporting_business"] = {"regulated_as": kinds}
    data["risk_assessment"] = [{"jurisdiction": code, "decided_on": "2025-06-20", "decided_by": "General Counsel",
                                "harm_likely": False, "law_enforcement_consulted_on": "2025-06-18",
                                "written": True, "requested_on": "2025-06-25"} for code in sorted(rules)]
    data["filings"] = []
    file = tmp_path / "incidents" / f"{VENDOR}.yaml"
    file.parent.mkdir()
    shutil.copy(ROOT / "incidents" / "_organization.yaml", file.parent)
    file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return file


def test_every_duty_the_engine_judges_for_a_regulator_has_a_submission(tmp_path: Path) -> None:
    rules = _rules()
    incident, problems = load_incident(_everywhere_incident(tmp_path), display="incidents/everywhere.yaml")
    assert incident is not None, problems
    judged = obligations(incident, rules, AS_OF)
    assert {o.jurisdiction for o in judged} == set(rules)  # every law is in play
    duties = {(o.jurisdiction, o.duty) for o in judged if o.duty not in NOT_REGULATOR}
    found, _ = load_submissions(PROJECT.jurisdictions_dir, root=ROOT)
    assert duties - set(found) == set()
    # Sending the written determination is a duty where a law says so (where only on request, once asked), with
    # its own letter.
    sent = {o.jurisdiction for o in judged if o.duty == SEND_DUTY}
    assert sent == {"US-AK", "US-AR", "US-FL", "US-LA", "US-NY", "US-VT"}
    assert {found[(code, SEND_DUTY)].kind for code in sent} == {"letter"}


def test_a_determination_duty_without_a_submission_is_named_at_send_to(tmp_path: Path) -> None:
    project = _copy_project(tmp_path)
    (project / "jurisdictions" / "submissions" / "us-fl-risk-determination.yaml").unlink()
    rules = load_jurisdictions(project / "jurisdictions", root=project)[0]
    findings = rule_base_findings(project, project / "jurisdictions", project / "templates", rules)
    line = next(n for n, text in enumerate((project / "jurisdictions" / "us-fl.yaml").read_text().splitlines(), 1)
                if text.startswith("  send_to:"))
    assert [str(f) for f in findings] == [
        f"jurisdictions/us-fl.yaml:{line}:12: warning: risk_of_harm.send_to: the regulator duty 'risk-determination' "
        "has no submission: create jurisdictions/submissions/us-fl-risk-determination.yaml with its kind (form, "
        "portal, letter or filing) and the questions the regulator asks"]


def test_no_rule_file_names_a_form_that_does_not_exist() -> None:
    forms = PROJECT.templates_dir / "forms"
    named = {(j.code, d.id, d.form) for j in _rules().values() for d in j.duties if d.form}
    assert named, "the rule base names at least the North Carolina form"
    assert [n for n in named if not (forms / str(n[2])).is_dir()] == []


def test_a_rule_file_naming_a_missing_form_is_a_located_error(tmp_path: Path) -> None:
    project = _copy_project(tmp_path)
    file = project / "jurisdictions" / "us-in.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("form: null", "form: us-in-ago-breach", 1),
                    encoding="utf-8")
    rules = load_jurisdictions(project / "jurisdictions", root=project)[0]
    findings = rule_base_findings(project, project / "jurisdictions", project / "templates", rules)
    assert [str(f).split(": error: ")[1] for f in findings if f.path == "jurisdictions/us-in.yaml"] == [
        "duties[2].form: there is no form 'us-in-ago-breach' under templates/forms/; write form: null (and describe "
        "what the regulator asks in jurisdictions/submissions/us-in-attorney-general.yaml) or add the form"]


def _copy_project(tmp: Path) -> Path:
    for name in ("jurisdictions", "templates", "incidents"):
        shutil.copytree(ROOT / name, tmp / name)
    return tmp


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d.update(confirmed=False, unconfirmed=None) or d.pop("unconfirmed"),
     "us-tx-attorney-general.yaml:15:12: error: confirmed: confirmed is false but 'unconfirmed' is missing; add "
     "unconfirmed: what could not be checked on the regulator's page, and why"),
    (lambda d: d["questions"][0].update(answer="=residnts"),
     "us-tx-attorney-general.yaml:25:11: error: questions[0].answer: '=residnts' is not in the expected form"),
    (lambda d: d["questions"][1].update(id="organization_name"),
     "us-tx-attorney-general.yaml:26:7: error: questions[1].id: the question id 'organization_name' is used twice "
     "in this file; give each question its own id"),
    (lambda d: d.update(duty="attorney-generl"),
     "us-tx-attorney-general.yaml:2:7: error: duty: the file is named us-tx-attorney-general.yaml but holds US-TX "
     "attorney-generl; rename it to us-tx-attorney-generl.yaml"),
])
def test_a_broken_submission_file_gives_a_located_message(tmp_path: Path, change, expected: str) -> None:
    project = _copy_project(tmp_path)
    file = project / "jurisdictions" / "submissions" / "us-tx-attorney-general.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    change(data)
    file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=200), encoding="utf-8")
    _found, findings = load_submissions(project / "jurisdictions", root=project)
    assert any(str(f).startswith("jurisdictions/submissions/" + expected) for f in findings), \
        "\n" + format_findings(findings)


@pytest.mark.parametrize(("file", "opening", "expected"), [
    ("us-fl-risk-determination", "{company} writes under {citation}.",
     "opening: the opening names '{company}', which the letter cannot fill; write {business} or {citation}, and {{ "
     "or }} for a brace"),
    ("us-tx-attorney-general", "{business} reports.",
     "opening: only a letter has an opening paragraph (this submission is portal); remove opening or write kind: "
     "letter"),
])
def test_a_letter_opening_names_only_what_the_letter_fills(tmp_path: Path, file: str, opening: str,
                                                           expected: str) -> None:
    project = _copy_project(tmp_path)
    path = project / "jurisdictions" / "submissions" / f"{file}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["opening"] = opening
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=200), encoding="utf-8")
    _found, findings = load_submissions(project / "jurisdictions", root=project)
    assert [str(f).split(": error: ")[1] for f in findings] == [expected]


def test_an_answer_that_is_no_incident_field_is_named(tmp_path: Path) -> None:
    project = _copy_project(tmp_path)
    file = project / "jurisdictions" / "submissions" / "us-tx-attorney-general.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("answer: contact.title", "answer: contact.titel"),
                    encoding="utf-8")
    rules = load_jurisdictions(project / "jurisdictions", root=project)[0]
    findings = rule_base_findings(project, project / "jurisdictions", project / "templates", rules)
    assert [str(f) for f in findings] == [
        "jurisdictions/submissions/us-tx-attorney-general.yaml:55:13: error: questions[3].answer: 'contact.titel' is "
        "not a field of the incident format (records/incident.schema.json); write an existing field, a computed "
        "value such as =residents, or answer: null with needs:"]


def test_submission_files_start_with_the_schema_line() -> None:
    line = "# yaml-language-server: $schema=../../mkdocs_plugins/breachdocs/submissions/submission.schema.json"
    assert SCHEMA == "submissions/submission.schema.json"
    assert [f.name for f in SUBMISSIONS.glob("*.yaml") if f.read_text(encoding="utf-8").splitlines()[0] != line] == []


# --- answers ------------------------------------------------------------------------------------------------------

def _vendor_answers(key: tuple[str, str]) -> dict[str, str | None]:
    incident, findings = load_incident(ROOT / "incidents" / f"{VENDOR}.yaml", display=f"incidents/{VENDOR}.yaml")
    assert incident is not None, findings
    found, _ = load_submissions(PROJECT.jurisdictions_dir, root=ROOT)
    return {a.question.id: a.text for a in answers(incident, found[key], _rules()[key[0]])}


def test_texas_portal_answers_from_the_incident() -> None:
    got = _vendor_answers(("US-TX", "attorney-general"))
    assert got["organization_name"] == "Northwind Health Partners, Inc."
    assert got["organization_address"] == "400 Glenwood Avenue, Raleigh, NC 27603"
    assert got["representative_name"] == "Sam Okafor" and got["representative_title"] == "Privacy Counsel"
    assert got["texans_affected"] == "412"
    assert got["texans_notified"] == "412"  # everyone, as consumers were notified before the report
    assert got["information_types"] == ("name, Social Security number, health insurance information and "
                                        "financial account number")
    assert got["notice_methods"] == "Written notice (letter) and substitute notice"
    assert got["notice_date"] == "July 18, 2025"
    assert got["law_enforcement"] == ("FBI Charlotte field office was notified on June 13, 2025 (report "
                                      "CLT-2025-0612). Notice was not delayed at law enforcement's request.")
    assert got["services_offered"] == "24 months of free credit monitoring"


def test_hhs_portal_answers_in_the_portal_choices() -> None:
    got = _vendor_answers(("US-FED-HIPAA", "hhs"))
    values = set(got.values())
    assert "Initial Breach Report" in values  # filing.kind: no filing recorded yet, so the initial report
    assert "Hacking/IT Incident" in values  # breach.kind [ransomware, hacking]: one choice of HHS's list
    assert "Network Server" in values
    assert "Healthcare Provider" in values  # reporting_business.hipaa_entity_type, from the organisation profile
    assert ("Privacy Rule Safeguards (Training, Policies and Procedures, etc.); Security Rule Administrative "
            "Safeguards (Risk Analysis, Risk Management, etc.); Security Rule Technical Safeguards (Access Controls, "
            "Transmission Security, etc.)") in values
    assert got["substitute_notice"] == "Yes" and got["media_notice"] == "No"


def test_a_map_names_only_the_field_values_and_the_portal_choices(tmp_path: Path) -> None:
    project = _copy_project(tmp_path)
    file = project / "jurisdictions" / "submissions" / "us-fed-hipaa-hhs.yaml"
    text = file.read_text(encoding="utf-8")
    text = text.replace('      theft: "Theft"', '      theft: "Stolen"').replace('      loss: "Loss"', '      lost: "Loss"')
    file.write_text(text, encoding="utf-8")
    found, findings = load_submissions(project / "jurisdictions", root=project)
    assert [str(f).split(": error: ")[1] for f in findings] == [
        "questions[23].map: 'Stolen' is not one of the question's choices; write one of: Hacking/IT Incident | "
        "Improper Disposal | Loss | Theft | Unauthorized Access/Disclosure"]
    file.write_text(text.replace('      theft: "Stolen"', '      theft: "Theft"'), encoding="utf-8")
    rules = load_jurisdictions(project / "jurisdictions", root=project)[0]
    findings = rule_base_findings(project, project / "jurisdictions", project / "templates", rules)
    assert [str(f).split(": error: ")[1] for f in findings] == [
        "questions[23].map.lost: 'lost' is not a value of breach.kind; its values are: hacking, ransomware, malware, "
        "phishing, credential-stuffing, theft, loss, improper-disposal, unauthorized-access, inadvertent-disclosure, "
        "insider-wrongdoing, misdirected-communication, other"]


def _answers_of(tmp_path: Path, change, key: tuple[str, str]) -> dict[str, str | None]:
    """The answers to one submission of the vendor incident after ``change`` (its data, then the profile's)."""
    file, profile = tmp_path / f"{VENDOR}.yaml", tmp_path / "_organization.yaml"
    data = yaml.safe_load((ROOT / "incidents" / file.name).read_text(encoding="utf-8"))
    business = yaml.safe_load((ROOT / "incidents" / profile.name).read_text(encoding="utf-8"))
    change(data, business)
    file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    profile.write_text(yaml.safe_dump(business, sort_keys=False, allow_unicode=True), encoding="utf-8")
    incident, problems = load_incident(file, display=f"incidents/{VENDOR}.yaml", today=AS_OF)
    assert incident is not None, problems
    found, _ = load_submissions(PROJECT.jurisdictions_dir, root=ROOT)
    return {a.question.id: a.text for a in answers(incident, found[key], _rules()[key[0]])}


HACKING = "External system breach (e.g., hacking)"
DEVICE = "Loss or theft of device or media (e.g., computer, laptop, external hard drive, thumb drive, CD, tape)"


@pytest.mark.parametrize(("key", "question"), [
    (("US-ME", "attorney-general"), "breach_description"),
    (("US-ME", "regulator"), "breach_description"),
    (("US-IN", "attorney-general"), "breach_description"),
    (("US-NE", "attorney-general"), "breach_type"),
    (("US-NY", "attorney-general"), "breach_description"),
])
def test_breach_kinds_read_as_the_portal_choices(tmp_path: Path, key: tuple[str, str], question: str) -> None:
    def kinds(data: dict, _business: dict) -> None:
        data["breach"]["kind"] = ["ransomware", "phishing", "theft", "misdirected-communication"]

    assert _answers_of(tmp_path, kinds, key)[question] == f"{HACKING}; {DEVICE}; Inadvertent disclosure"


@pytest.mark.parametrize("key", [("US-NY", "attorney-general"), ("US-NY", "department-of-state"),
                                 ("US-NY", "state-police"), ("US-NE", "attorney-general")])
@pytest.mark.parametrize(("kind", "shown"), [
    ("health-care", "Health Care"), ("retail", "Other Commercial"), ("not-for-profit", "Not-for-profit"),
    ("government", "Government"),  # New York or elsewhere: the business chooses; shown in words
    (None, "Health Care"),  # no organization_type: the profile's industry, in its own words
])
def test_organization_type_reads_as_the_portal_choice(tmp_path: Path, key: tuple[str, str], kind: str | None,
                                                      shown: str) -> None:
    def organization(_data: dict, business: dict) -> None:
        if kind:
            business["reporting_business"]["organization_type"] = kind

    assert _answers_of(tmp_path, organization, key)["organization_type"] == shown


def test_new_york_credit_bureau_question_reads_the_filings() -> None:
    assert _vendor_answers(("US-NY", "attorney-general"))["credit_bureaus_notified"] == "No"


# --- validate: missing answers ------------------------------------------------------------------------------------

def _vendor_without(tmp_path: Path, drop: str) -> list[str]:
    project = _copy_project(tmp_path)
    file = project / "incidents" / f"{VENDOR}.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    head, _, tail = drop.partition(".")
    if tail:
        data[head].pop(tail)
    else:
        data.pop(head)
    file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    _incidents, findings = check(Project(project), [file], today=AS_OF)
    return [str(f) for f in findings]


def test_a_missing_answer_of_an_open_duty_is_a_warning_naming_the_field(tmp_path: Path) -> None:
    found = _vendor_without(tmp_path, "breach.kind")
    assert f"incidents/{VENDOR}.yaml:47:3: warning: breach.kind: US-NY attorney-general: the portal asks " \
           "'Description of breach (select all that apply)'; record it under breach.kind" in found
    assert all(" error: " not in f for f in found), found


def test_a_missing_answer_of_a_filed_duty_is_an_error(tmp_path: Path) -> None:
    found = _vendor_without(tmp_path, "law_enforcement")
    assert f"incidents/{VENDOR}.yaml:1:1: error: law_enforcement.notified: US-TX attorney-general: the portal asks " \
           "'Information regarding whether law enforcement is engaged in investigating the breach'; record it " \
           "under law_enforcement.notified (the filing is recorded, so its record must say what was sent)" in found


def test_a_letter_names_the_statute_requiring_the_missing_content(tmp_path: Path) -> None:
    found = _vendor_without(tmp_path, "breach.how_discovered")
    assert any("warning: breach.how_discovered: US-VA attorney-general: the letter must state 'How the breach was "
               "discovered' (Va. Code 18.2-186.6(B)); record it under breach.how_discovered" in f for f in found), found


# --- worksheets ---------------------------------------------------------------------------------------------------

def test_every_example_incident_has_a_worksheet_for_each_triggered_regulator_duty() -> None:
    checked = check_project(PROJECT, as_of=AS_OF)
    found, _ = load_submissions(PROJECT.jurisdictions_dir, root=ROOT)
    for incident in checked.incidents:
        judged = obligations(incident, checked.rules, AS_OF)
        triggered = {(o.jurisdiction, o.duty) for o in judged if o.triggered and o.duty not in NOT_REGULATOR}
        made = {(w.submission.jurisdiction, w.submission.duty)
                for w in worksheets(incident, judged, checked.rules, found, kinds=("portal", "letter", "filing",
                                                                                   "form"))}
        assert triggered == made, incident.id
        for w in worksheets(incident, judged, checked.rules, found):
            assert w.missing == [], f"{incident.id} {w.id}: {[a.question.label for a in w.missing]}"


# --- editors ------------------------------------------------------------------------------------------------------

from tests.editor_lsp import YamlLanguageServer, available  # noqa: E402

needs_server = pytest.mark.skipif(not available() and not os.environ.get("CI"),
                                  reason="yaml-language-server not installed (make test installs it with npm)")


@needs_server
def test_submission_files_open_in_an_editor_with_no_problem_underlined() -> None:
    with YamlLanguageServer(ROOT) as server:
        shown = {f.name: server.diagnostics(f) for f in sorted(SUBMISSIONS.glob("*.yaml"))}
    assert {name: found for name, found in shown.items() if found} == {}


@needs_server
def test_an_editor_underlines_a_bad_submission_where_validate_does(tmp_path: Path) -> None:
    folder = tmp_path / "jurisdictions" / "submissions"
    folder.mkdir(parents=True)
    schema = tmp_path / "mkdocs_plugins" / "breachdocs" / "submissions"
    schema.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs_plugins" / "breachdocs" / SCHEMA, schema / "submission.schema.json")
    text = (SUBMISSIONS / "us-tx-attorney-general.yaml").read_text(encoding="utf-8")
    bad = folder / "us-tx-attorney-general.yaml"
    bad.write_text(text.replace("kind: portal", "kind: website").replace("answer: =residents", "answer: =residnts"),
                   encoding="utf-8")
    with YamlLanguageServer(tmp_path) as server:
        shown = server.diagnostics(bad)
    _found, findings = load_submissions(tmp_path / "jurisdictions", root=tmp_path)
    assert sorted({line for line, _ in shown}) == sorted({f.line for f in findings}), (shown, findings)


def test_alaska_determination_answers_come_from_the_incident_risk_assessment(tmp_path: Path) -> None:
    project = _copy_project(tmp_path)
    file = project / "incidents" / f"{VENDOR}.yaml"
    data = yaml.safe_load(file.read_text(encoding="utf-8"))
    data["affected"]["residents"]["US-AK"] = 40
    data["affected"]["total"] += 40
    file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    found, _ = load_submissions(project / "jurisdictions", root=project)
    rules = load_jurisdictions(project / "jurisdictions", root=project)[0]

    def alaska() -> dict[str, str | None]:
        incident, problems = load_incident(file, display=f"incidents/{VENDOR}.yaml", today=AS_OF)
        assert incident is not None, problems
        return {a.question.id: a.text for a in answers(incident, found[("US-AK", "attorney-general")], rules["US-AK"])}

    assert alaska()["determination_date"] == ("No determination that harm is unlikely under US-AK (the people "
                                              "affected are notified)")
    data["risk_assessment"] = [{"jurisdiction": "US-AK", "decided_on": "2025-07-01", "decided_by": "General Counsel",
                                "harm_likely": False, "notes": "The forensic review found no access to Alaska files."}]
    file.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    got = alaska()
    assert got["determination_date"] == "July 1, 2025" and got["determination"] == "No"
    assert got["investigation"] == "The forensic review found no access to Alaska files."
