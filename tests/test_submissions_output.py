"""Regulator worksheets in the outputs: every answer of every triggered regulator duty of every example
incident read back from the built incident page and from the worksheet PDF in the filings bundle."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from breachdocs.cli import main
from breachdocs.filings.documents import worksheet_documents
from breachdocs.project import Project
from breachdocs.project_check import check_project
from breachdocs.submissions import Worksheet, load_submissions, worksheets
from breachdocs.submissions.submission import NOT_REGULATOR

ROOT = Path(__file__).resolve().parent.parent
PROJECT = Project(ROOT)
VENDOR = "2025-06-12-northwind-billing-vendor-ransomware"


def _worksheets() -> list[Worksheet]:
    checked = check_project(PROJECT)
    found, _ = load_submissions(PROJECT.jurisdictions_dir, root=ROOT)
    return [w for i in checked.incidents for w in worksheets(i, checked.obligations[i.id], checked.rules, found)]


WORKSHEETS = _worksheets()


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_the_examples_have_portal_letter_and_filing_worksheets() -> None:
    kinds = {w.submission.kind for w in WORKSHEETS}
    assert {"portal", "letter"} <= kinds
    assert {(w.incident.id, w.id) for w in WORKSHEETS} >= {(VENDOR, "us-tx-attorney-general"),
                                                            (VENDOR, "us-fed-hipaa-hhs"),
                                                            (VENDOR, "us-va-attorney-general")}


@pytest.mark.parametrize("ws", WORKSHEETS, ids=[f"{w.incident.id[:10]}-{w.id}" for w in WORKSHEETS])
def test_each_answer_is_on_the_incident_page(built_site: Path, ws: Worksheet) -> None:
    page = (built_site / "incidents" / ws.incident.id / "index.html").read_text(encoding="utf-8")
    start = page.index(f'data-worksheet="{ws.id}"')
    block = html.unescape(page[start:page.index("</table>", start)])
    for a in ws.answers:
        assert f'data-question="{a.question.label}">{a.shown}</span>' in block, (ws.id, a.question.id)
        assert f"<code>{a.source or '-'}</code>" in block or a.question.needs, (ws.id, a.question.id)
    link = f'href="../../filings/{ws.incident.id}/{ws.filename}"'
    assert link in page


@pytest.mark.parametrize("ws", WORKSHEETS, ids=[f"{w.incident.id[:10]}-{w.id}" for w in WORKSHEETS])
def test_each_answer_is_in_the_worksheet_pdf(built_site: Path, ws: Worksheet) -> None:
    pdf = built_site / "filings" / ws.incident.id / ws.filename
    text = _squash(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    assert _squash(ws.submission.title) in text
    for a in ws.answers:
        assert _squash(a.shown) in text, (ws.id, a.question.id, a.shown)
        assert _squash(a.question.label) in text, (ws.id, a.question.id)
    if ws.submission.kind == "letter":
        assert f"under {ws.obligation.citation}" in text  # the letter names the law it is sent under


def test_worksheet_pdfs_are_listed_in_the_manifest_with_their_hash(built_site: Path) -> None:
    manifest = json.loads((built_site / "filings" / "manifest.json").read_text(encoding="utf-8"))
    rows = {(r["incident"], r["form"]): r for r in manifest["filings"] if r["variant"] == "worksheet"}
    assert set(rows) == {(w.incident.id, w.id) for w in WORKSHEETS}
    import hashlib
    for (incident, form), row in rows.items():
        data = (built_site / row["file"]).read_bytes()
        assert row["file"] == f"filings/{incident}/{form}-worksheet.pdf"
        assert hashlib.sha256(data).hexdigest() == row["sha256"]


def test_worksheet_pdfs_are_byte_identical_when_made_again() -> None:
    incident = next(w.incident for w in WORKSHEETS if w.incident.id == VENDOR)
    first = [d.data for d in worksheet_documents(PROJECT, incident)]
    assert first == [d.data for d in worksheet_documents(PROJECT, incident)]
    assert all(d.startswith(b"%PDF-") for d in first)


def test_the_texas_answers_read_back_from_the_pdf(built_site: Path) -> None:
    pdf = built_site / "filings" / VENDOR / "us-tx-attorney-general-worksheet.pdf"
    text = _squash(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    assert ("The number of Texans affected by the breach at the time of notification 412 number, required; from: "
            "affected.residents.US-TX") in text
    assert "FBI Charlotte field office was notified on June 13, 2025 (report CLT-2025-0612)" in text
    assert "Filed: 2025-07-21 (reference TX-OAG-2025-33018)" in text


# --- command line -------------------------------------------------------------------------------------------------

def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--root", str(ROOT), *args])
    return result.exit_code, result.output


def test_obligations_json_names_each_duty_submission_kind_and_file() -> None:
    code, out = _run("obligations", VENDOR, "--as-of", "2026-11-30", "--format", "json")
    assert code == 0, out
    rows = {(r["jurisdiction"], r["duty"]): r for r in json.loads(out)["obligations"]}
    texas = rows[("US-TX", "attorney-general")]["submission"]
    assert texas["kind"] == "portal" and texas["file"] == "jurisdictions/submissions/us-tx-attorney-general.yaml"
    assert texas["worksheet"] == f"filings/{VENDOR}/us-tx-attorney-general-worksheet.pdf"
    assert rows[("US-WA", "attorney-general")]["submission"]["worksheet"] is None  # not triggered
    assert rows[("US-NC", "attorney-general")]["submission"]["kind"] == "form"
    assert rows[("US-NC", "attorney-general")]["submission"]["form"] == "us-nc-ago-breach"
    assert rows[("US-NC", "consumers")]["submission"] is None
    assert all(r["submission"] for k, r in rows.items() if k[1] not in NOT_REGULATOR)


def test_submission_command_prints_and_writes_one_duty(tmp_path: Path) -> None:
    code, out = _run("submission", VENDOR, "--duty", "US-TX:attorney-general", "--out", str(tmp_path))
    assert code == 0, out
    assert "9. The number of Texans affected by the breach at the time of notification [number, required]\n" \
           "   answer: 412\n   from:   affected.residents.US-TX\n" in out
    assert (tmp_path / "us-tx-attorney-general-worksheet.pdf").read_bytes().startswith(b"%PDF-")
    assert "Missing" not in out


def test_submission_command_names_the_duties_it_knows() -> None:
    code, out = _run("submission", VENDOR, "--duty", "US-ZZ:attorney-general")
    assert code != 0
    assert "US-ZZ:attorney-general is not a triggered regulator duty of " + VENDOR in out
    assert "US-TX:attorney-general" in out


def test_submission_command_of_a_form_duty_prints_its_questions() -> None:
    code, out = _run("submission", VENDOR, "--duty", "US-NC:attorney-general")
    assert code == 0, out
    assert "Submit as: PDF form" in out and "answer: Northwind Health Partners, Inc." in out


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_letter_to_a_regulator_is_addressed_and_signed(tmp_path: Path) -> None:
    code, out = _run("submission", VENDOR, "--duty", "US-VA:attorney-general", "--out", str(tmp_path))
    assert code == 0, out
    text = subprocess.run(["pdftotext", str(tmp_path / "us-va-attorney-general-worksheet.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert text.startswith("Northwind Health Partners, Inc.\n400 Glenwood Avenue\nRaleigh NC 27603")
    assert "Jordan Avery" in text and "Chief Privacy Officer" in text
    assert dt.date(2025, 6, 12) and "How the breach was discovered" in text


def test_the_sec_form_8k_draft_is_due_four_business_days_after_materiality(built_site: Path) -> None:
    incident = "2026-11-16-northwind-scheduling-system-ransomware"
    pdf = built_site / "filings" / incident / "us-fed-sec-sec-worksheet.pdf"
    text = _squash(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    assert "SEC Form 8-K, Item 1.05 Material Cybersecurity Incidents" in text
    assert "Due: 2026-11-25 (4 business days after the materiality determination)" in text  # Thu 19 Nov + 4
    assert "Date of Report (Date of earliest event reported) November 19, 2026" in text
    page = html.unescape((built_site / "incidents" / incident / "index.html").read_text(encoding="utf-8"))
    assert "2026-11-25 (4 business days after the materiality determination)" in page


# --- GDPR Art. 33 and the UK ICO report ----------------------------------------------------------------------------

GDPR_INCIDENT = """\
id: 2026-10-20-northwind-newsletter-platform
title: Newsletter subscriber list copied from the mailing platform
status: in-review
reporting_business:
  regulated_as: [eu-controller, uk-controller]
  ico_registration_number: ZA765432
dates:
  breach_start: "2026-10-18"
  breach_end: "2026-10-19"
  discovered: "2026-10-20"
  aware_at: "2026-10-20T11:15"
  consumers_notified: "2026-10-27"
timezone: Europe/Berlin
affected:
  total: 1310
  residents:
    EU-DE: 900
    EU-FR: 300
    GB: 110
data:
  format: electronic
  elements: [name, email, address]
  protected: false
  records_count: 1452
circumstances: An attacker used a leaked API key of the mailing platform to export the newsletter subscriber list.
actions_taken: We revoked the key, rotated every platform credential and asked the platform to review its logs.
prevention: API keys are now kept in a vault, limited to one address range and rotated monthly.
breach:
  kind: [hacking]
  location: [cloud-service]
  how_discovered: The mailing platform alerted us to an export from an unknown address.
  cyber_incident: true
  cia_affected: [confidentiality]
security:
  safeguards: Access to the platform needed single sign-on; API keys were stored in the build server's settings.
gdpr:
  risk: risk
  lead_authority: Berliner Beauftragte für Datenschutz und Informationsfreiheit
  dpo_contact: Dr. Lena Fischer, Data Protection Officer, dpo@northwind.example.eu, +49 30 5550 1200
  data_subject_categories: [subscribers, patients]
  likely_consequences: Phishing emails that use the subscribers' names and postal addresses.
  consequences_likelihood: unlikely
  data_subjects_told: told
notice:
  methods: [electronic]
  letter:
    template: default
"""


@pytest.fixture(scope="module")
def gdpr_worksheets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Worksheet]:
    root = tmp_path_factory.mktemp("gdpr")
    for name in ("jurisdictions", "templates"):
        shutil.copytree(ROOT / name, root / name)
    (root / "incidents").mkdir()
    shutil.copy(ROOT / "incidents" / "_organization.yaml", root / "incidents")
    (root / "incidents" / "2026-10-20-northwind-newsletter-platform.yaml").write_text(GDPR_INCIDENT, encoding="utf-8")
    project = Project(root)
    checked = check_project(project, as_of=dt.date(2026, 10, 21), today=dt.date(2026, 11, 30))
    # The consumer letter's GDPR content is the letters' business (its check runs apart); the rest must be clean.
    assert not [f for f in checked.findings if f.is_error and f.field != "notice.letter.template"], checked.findings
    found, _ = load_submissions(project.jurisdictions_dir, root=root)
    (incident,) = checked.incidents
    made = worksheets(incident, checked.obligations[incident.id], checked.rules, found)
    return {w.id: w for w in made}


def _pdf_text(ws: Worksheet) -> str:
    from breachdocs.submissions import worksheet_pdf
    pdf = subprocess.run(["pdftotext", "-", "-"], input=worksheet_pdf(ws), capture_output=True, check=True).stdout
    return _squash(pdf.decode("utf-8"))


def test_gdpr_art_33_notification_is_due_72_hours_after_awareness(gdpr_worksheets: dict[str, Worksheet]) -> None:
    ws = gdpr_worksheets["eu-gdpr-supervisory-authority"]
    assert ws.obligation.due == dt.date(2026, 10, 23)
    got = {a.question.id: a.text for a in ws.answers}
    assert got["data_subject_categories"] == "Subscribers; Patients"  # the authority's categories
    assert got["records_count"] == "1452" and got["data_subjects_count"] == "1310"
    assert got["dpo_contact"] == "Dr. Lena Fischer, Data Protection Officer, dpo@northwind.example.eu, +49 30 5550 1200"
    assert got["aware_at"] == "20 October 2026, 11:15 (Europe/Berlin)"
    assert got["supervisory_authority"] == "Berliner Beauftragte für Datenschutz und Informationsfreiheit"
    assert got["likely_consequences"] == "Phishing emails that use the subscribers' names and postal addresses."
    assert got["breach_period"] == "18 October 2026 to 19 October 2026"  # European dates for a European authority
    assert dict(ws.heading())["Due"].startswith("2026-10-23 11:15 Europe/Berlin (")  # 72 hours after awareness
    assert "72 hours" in dict(ws.heading())["Due"]
    assert ws.submission.kind == "letter"  # Art. 33(3) lists the contents: the PDF is the letter to the authority
    text = _pdf_text(ws)
    assert "Re: GDPR Art. 33" in text or "under GDPR Art. 33(1)" in text
    for a in ws.answers:
        assert _squash(a.shown) in text, a.question.id


def test_uk_ico_report_answers_from_the_incident(gdpr_worksheets: dict[str, Worksheet]) -> None:
    ws = gdpr_worksheets["gb-ukgdpr-supervisory-authority"]
    got = {a.question.id: a.text for a in ws.answers}
    assert got["report_type"] == "Initial report"
    assert got["registration_number"] == "ZA765432"
    assert got["cyber_incident"] == "Yes" and got["cia_affected"] == "Confidentiality"
    assert got["consequences_likelihood"] == "Unlikely"
    assert got["data_subjects_told"] == "Yes, we've told affected data subjects"
    assert got["reason_for_report"] == "I consider the incident meets the threshold to report"
    assert got["discovered_at"] == "20 October 2026"
    assert ws.missing == []
    text = _pdf_text(ws)
    for a in ws.answers:
        assert _squash(a.shown) in text, a.question.id


def test_the_eu_uk_example_shows_the_art_33_notification_and_the_ico_report_with_72_hours(built_site: Path) -> None:
    incident = "2026-11-23-northwind-berlin-clinic-misconfigured-storage"
    page = html.unescape((built_site / "incidents" / incident / "index.html").read_text(encoding="utf-8"))
    for sheet in ("eu-gdpr-supervisory-authority", "gb-ukgdpr-supervisory-authority"):
        start = page.index(f'data-worksheet="{sheet}"')
        block = page[start:page.index("</table>", start)]
        # aware_at 2026-11-23 16:45 Berlin time + 72 hours
        assert "<dd>2026-11-26 16:45 Europe/Berlin (" in block and "72 hours" in block, sheet
    letter = _squash(subprocess.run(
        ["pdftotext", str(built_site / "filings" / incident / "eu-gdpr-supervisory-authority-worksheet.pdf"), "-"],
        capture_output=True, text=True, check=True).stdout)
    assert "Re: Notification of a personal data breach" in letter or "under GDPR Art. 33(1)" in letter
    assert "Berliner Beauftragte für Datenschutz und Informationsfreiheit" in letter
    assert "23 November 2026, 16:45 (Europe/Berlin)" in letter
