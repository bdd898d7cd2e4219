"""Written risk-of-harm determinations sent to a regulator (a rule file's ``risk_of_harm.send_to``): each law's
letter answered from the incident's determination, on the incident page and in the filings bundle."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from breachdocs.project import Project
from breachdocs.project_check import check_project
from breachdocs.submissions import Worksheet, load_submissions, worksheets

ROOT = Path(__file__).resolve().parent.parent
INCIDENT = "2025-08-04-northwind-misdirected-statements"
DETERMINED = ("US-AK", "US-FL", "US-LA", "US-NY", "US-VT")
NOTES = "The statements went to one partner clinic's billing office, which deleted them unopened the same day."


def _incident() -> dict[str, Any]:
    """Statements emailed by mistake to a partner clinic; under each law that allows it, a written determination
    that harm is not likely replaces notice to the people affected."""
    data = yaml.safe_load((ROOT / "incidents" / "2025-06-12-northwind-billing-vendor-ransomware.yaml")
                          .read_text(encoding="utf-8"))
    data.pop("maintaining_business")
    residents = {"US-AK": 40, "US-FL": 120, "US-LA": 35, "US-NY": 620, "US-VT": 12}
    data.update(
        id=INCIDENT, title="Billing statements emailed to the wrong clinic", status="in-review",
        affected={"total": sum(residents.values()), "residents": residents},
        dates={"breach_start": "2025-08-01", "breach_end": "2025-08-01", "discovered": "2025-08-04"},
        circumstances="A billing clerk emailed a file of patient statements to a partner clinic's billing office "
                      "instead of our own.",
        filings=[],
    )
    data["breach"] = {"kind": ["inadvertent-disclosure"], "location": ["email"],
                      "how_discovered": "The partner clinic told us the same day."}
    data["risk_assessment"] = [
        {"jurisdiction": code, "decided_on": "2025-08-11", "decided_by": "General Counsel", "harm_likely": False,
         "law_enforcement_consulted_on": "2025-08-08", "law_enforcement_consulted_with": "FDLE Cybercrime Office",
         "written": True, "notes": NOTES,
         # Louisiana wants the determination only when its Attorney General asks for it
         **({"requested_on": "2025-08-12"} if code == "US-LA" else {})} for code in (*DETERMINED, "US-FED-HIPAA")]
    return data


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Worksheet]]:
    """The example site with the incident above (filings built), and its worksheets by id."""
    from site_fixtures import site_project

    from breachdocs.site.build import build_site

    project = site_project(tmp_path_factory.mktemp("determination"), incidents=[_incident()], filings=True)
    shutil.copy(ROOT / "incidents" / "_organization.yaml", project / "incidents")
    checked = check_project(Project(project), as_of=dt.date(2025, 8, 12))
    found, _ = load_submissions(project / "jurisdictions", root=project)
    (incident,) = checked.incidents
    made = {w.id: w for w in worksheets(incident, checked.obligations[incident.id], checked.rules, found)}
    built = build_site(project / "mkdocs.yml", strict=True, theme_overrides={"font": False})
    return built, made


def test_each_law_that_wants_the_determination_sent_has_its_letter(site: tuple[Path, dict[str, Worksheet]]) -> None:
    _built, made = site
    sent = {w.submission.jurisdiction: w for w in made.values() if w.submission.duty == "risk-determination"}
    assert sorted(sent) == list(DETERMINED)
    assert {w.submission.kind for w in sent.values()} == {"letter"}
    assert all(w.missing == [] for w in sent.values()), {k: [a.question.id for a in w.missing] for k, w in sent.items()}
    florida = sent["US-FL"]
    assert florida.obligation.due == dt.date(2025, 9, 10)  # 30 days after the determination
    assert sent["US-NY"].obligation.due == dt.date(2025, 8, 21)  # ten days
    assert sent["US-LA"].obligation.due == dt.date(2025, 9, 11)  # 30 days after the Attorney General's request


def test_the_florida_determination_answers_come_from_the_incident(site: tuple[Path, dict[str, Worksheet]]) -> None:
    got = {a.question.id: a.text for a in site[1]["us-fl-risk-determination"].answers}
    assert got["covered_entity"] == "Northwind Health Partners, Inc."
    assert got["individuals"] == "120"
    assert got["investigation"] == NOTES
    assert got["law_enforcement_agency"] == "FDLE Cybercrime Office"
    assert got["law_enforcement_date"] == "August 8, 2025"
    assert got["determination"] == ("The covered entity reasonably determines that the breach has not and will not "
                                    "likely result in identity theft or any other financial harm to the individuals "
                                    "whose personal information has been accessed.")
    assert got["determination_date"] == "August 11, 2025"
    assert got["decided_by"] == "General Counsel"
    assert got["in_writing"] == "Yes"
    assert got["breach_dates"] == "August 1, 2025" and got["discovered"] == "August 4, 2025"


def test_the_new_york_determination_names_the_inadvertent_disclosure(site: tuple[Path, dict[str, Worksheet]]) -> None:
    got = {a.question.id: a.text for a in site[1]["us-ny-risk-determination"].answers}
    assert got["inadvertent_disclosure"] == ("Yes, an inadvertent disclosure by persons authorized to access private "
                                             "information")
    assert got["residents"] == "620"
    assert got["determination"].startswith("The business reasonably determines that the exposure will not likely")


def test_each_determination_letter_is_on_the_incident_page(site: tuple[Path, dict[str, Worksheet]]) -> None:
    built, made = site
    page = html.unescape((built / "incidents" / INCIDENT / "index.html").read_text(encoding="utf-8"))
    for code in DETERMINED:
        ws = made[f"{code.lower()}-risk-determination"]
        start = page.index(f'data-worksheet="{ws.id}"')
        block = page[start:page.index("</table>", start)]
        for a in ws.answers:
            assert f'data-question="{a.question.label}">{a.shown}</span>' in block, (ws.id, a.question.id)
        assert f'href="../../filings/{INCIDENT}/{ws.filename}"' in page


def test_each_determination_letter_pdf_is_in_the_filings(site: tuple[Path, dict[str, Worksheet]]) -> None:
    built, made = site
    for code in DETERMINED:
        ws = made[f"{code.lower()}-risk-determination"]
        pdf = built / "filings" / INCIDENT / ws.filename
        text = _squash(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                      check=True).stdout)
        assert text.startswith("Northwind Health Partners, Inc. 400 Glenwood Avenue Raleigh NC 27603"), ws.id
        assert f"under {ws.obligation.citation}" in text
        for a in ws.answers:
            assert _squash(a.question.label) in text and _squash(a.shown) in text, (ws.id, a.question.id)
        assert "Jordan Avery Chief Privacy Officer" in text
    florida = _squash(subprocess.run(
        ["pdftotext", str(built / "filings" / INCIDENT / "us-fl-risk-determination-worksheet.pdf"), "-"],
        capture_output=True, text=True, check=True).stdout)
    assert ("Northwind Health Partners, Inc. provides its written determination under Fla. Stat. 501.171(4)(c) that "
            "the breach described below has not and will not likely result in identity theft") in florida
    assert "gives notice of a breach" not in florida


def test_a_missing_determination_fact_is_named_at_its_entry(tmp_path: Path) -> None:
    from site_fixtures import site_project

    from breachdocs.project_check import check

    data = _incident()
    florida = next(e for e in data["risk_assessment"] if e["jurisdiction"] == "US-FL")
    florida.pop("law_enforcement_consulted_with")
    project = site_project(tmp_path, incidents=[data])
    shutil.copy(ROOT / "incidents" / "_organization.yaml", project / "incidents")
    file = project / "incidents" / f"{INCIDENT}.yaml"
    line = next(n for n, text in enumerate(file.read_text(encoding="utf-8").splitlines(), 1)
                if text == "- jurisdiction: US-FL")
    _incidents, findings = check(Project(project), [file], today=dt.date(2025, 8, 12))
    assert f"incidents/{INCIDENT}.yaml:{line}:3: warning: risk_assessment[1].law_enforcement_consulted_with: US-FL " \
           "risk-determination: the letter must state 'The relevant federal, state or local law enforcement agency " \
           "consulted' (Fla. Stat. 501.171(4)(c)); record it under risk_assessment.law_enforcement_consulted_with" \
           in [str(f) for f in findings], [str(f) for f in findings]
