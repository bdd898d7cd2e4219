"""The default letter: every fact of the MassMutual seed letter, taken from the incident, as PDF."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
from pathlib import Path

import pytest
from letters_fixtures import (
    MA_PARAGRAPH,
    MASSMUTUAL,
    NC_PARAGRAPH,
    edit_incident,
    incident,
    make_project,
    move_to_2020,
    pdf_text,
    shift_to_2020,
)
from pypdf import PdfReader

from breachdocs.letters import Recipient, content_findings, render_sample
from breachdocs.letters.render import LetterRenderer
from breachdocs.project import Project

ROOT = Path(__file__).resolve().parent.parent

#: The sentences of the 2007 letter (shared/seed/004_e1d5d7a582b433be.txt), in its order. The seed's
#: "identify theft" is written "identity theft", "F.T.C." in full, and the line of the three agencies'
#: numbers comes from the reference data (1-800-... numbers, "TransUnion"), so it is left out here.
SEED_SENTENCES = [
    'Massachusetts Mutual Life Insurance Company ("MassMutual") and its subsidiaries understand the importance of '
    "protecting the privacy and security of information about our customers, and take seriously our obligations "
    "to protect this information.",
    "This letter is to inform you that MassMutual inadvertently sent a file containing your personal information "
    "to another MassMutual client with whom we have an existing relationship.",
    "On August 10th, 2007 your personal information was included in a file sent via a secure email system to "
    "another MassMutual client.",
    "The other MassMutual client immediately advised us of the error and MassMutual took immediate steps to "
    "rectify the situation.",
    "MassMutual asked the client who received the file containing your personal information to immediately "
    "delete the file.",
    "MassMutual has received written confirmation from this client that the personal information contained in "
    "the file sent in error has been deleted from their records.",
    "We have conducted a review of the incident and its impact on our customers and have determined that personal "
    "identifying information, such as your name and social security number was included in the file "
    "inadvertently sent to the other MassMutual client.",
    "Our associates are instructed to safeguard client information.",
    "However, even after taking steps to protect confidential information, a security breach may occur.",
    "When we are informed of such situations, we review the matter and take appropriate corrective action.",
    "While there is no indication that the MassMutual client who received your personal information in error "
    "will in any way use your information, we would like to bring to your attention various steps you may want "
    "to consider taking to protect yourself against identity theft.",
    "You may request a credit report at any time by calling any one of the three credit reporting agencies:",
    "You are entitled to one free copy of your credit report per year from each of the three credit reporting "
    "agencies.",
    "When you receive your credit reports, you should review them carefully, looking for accounts that you did "
    "not open and for inquiries from creditors that you did not initiate.",
    "You may also want to verify the accuracy of personal information, such as home address and social security "
    "number.",
    "If you see anything that you do not understand, call the credit agency at the telephone number on the "
    "report.",
    "If you find suspicious activity on your credit report, you should contact your local police or sheriff's "
    "office and file a police report for identity theft.",
    "If you are in this situation, you may need copies of the police report to provide to creditors to clear up "
    "your records.",
    "Even if you do not find signs of fraud on your reports, you may want to check your credit report every three "
    "months for the next year.",
    "We will reimburse you for the cost of obtaining those credit reports.",
    "You may also want to examine your credit card, debit card, and bank statements carefully and immediately "
    "after you receive them to determine whether there are any unauthorized transactions.",
    "If at any time, you are concerned about identity theft, you can place a fraud alert on your credit file at "
    "no cost to you.",
    "A fraud alert requires that creditors contact you before opening new accounts.",
    "By calling any one of the above credit reporting agencies, you can automatically place a fraud alert with "
    "all 3 reporting agencies for 90 days or 7 years by providing them with certain required documentation and "
    "order your credit report from all three.",
    "For more information on identity theft, you can contact the Federal Trade Commission at www.ftc.gov, at "
    "1-877-438-4338, or at Consumer Response Center, Federal Trade Commission, 600 Pennsylvania Avenue, NW, "
    "Washington, DC 20580.",
    "We apologize for any inconvenience this may have caused you.",
    "As stated above, we have no indication that your information was improperly used.",
    "However, whenever a security breach occurs, regardless of the circumstances, it is our policy to provide our "
    "customers with additional information in order to protect against the possibility of identity theft.",
    "If you have any questions regarding this matter, please feel free to contact our Participant Information "
    "Center at 1-800-743-5274.",
    "Sincerely,",
    "Dennis J. Miles, Vice President",
    "MassMutual Retirement Services Division",
    "If you have already received your free credit reports, we will reimburse you for the cost of obtaining "
    "additional credit reports.",
    "We will not reimburse you for credit monitoring services which may also be offered by consumer reporting "
    "agencies.",
]
SEED_FILE = ROOT.parent / "shared" / "seed" / "004_e1d5d7a582b433be.txt"


def _seed_wording(text: str) -> str:
    text = text.replace("identify theft", "identity theft").replace("F.T.C.", "Federal Trade Commission")
    return " ".join(text.split())


def test_the_seed_sentences_are_the_seed_letters() -> None:
    if not SEED_FILE.is_file():
        pytest.skip("../shared/seed/ is not on this machine")
    seed = _seed_wording(SEED_FILE.read_text(encoding="utf-8"))
    assert [s for s in SEED_SENTENCES if s not in seed] == []


def test_the_seed_incidents_letter_sample_is_the_seed_letter_on_two_pages(tmp_path: Path) -> None:
    """The command regulators' copy is made with: the seed letter's sentences, in its words of 2007
    (its own paragraphs from the incident, the law's statements of 2007 from the template), on two pages,
    without a state's paragraphs (not every affected person lives in North Carolina)."""
    output = tmp_path / "sample.pdf"
    result = subprocess.run([str(Path(sys.executable).parent / "breachdocs"), "--root", str(ROOT), "letter-sample",
                             f"incidents/{MASSMUTUAL}.yaml", str(output)], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    pages = subprocess.run(["pdftotext", str(output), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(line for line in " ".join(pages.split("\f")).split() if line)
    text = " ".join(text.replace(" Page 2 ", " ").split())  # the running head of page 2
    assert [s for s in SEED_SENTENCES if s not in text] == []
    assert len(PdfReader(output).pages) == 2
    assert "October 16, 2007" in text and "Dear <NAME>:" in text
    assert NC_PARAGRAPH not in text and "What Happened" not in text  # the headings of the model notice are of 2016
    assert "free of charge" not in text and "identitytheft.gov" not in text  # the law of 2018 and 2016


def test_facts_come_from_the_incident_not_the_template(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    move_to_2020(project)  # the template's own words, without MassMutual's paragraphs
    edit_incident(project, "information_center: 1-800-743-5274", "information_center: 1-800-555-0199")
    edit_incident(project, "elements: [name, ssn]", "elements: [name, ssn, date_of_birth]")
    text = pdf_text(render_sample(project, incident(project)).pdf)
    assert "please call 1-800-555-0199" in text
    assert "1-800-743-5274" not in text
    assert "name, Social Security number and date of birth" in text


def test_sample_for_a_jurisdiction_carries_its_paragraphs(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    move_to_2020(project)  # North Carolina asks for its paragraph from 2009-10-01
    nc = pdf_text(render_sample(project, incident(project), "US-NC").pdf)
    assert NC_PARAGRAPH in nc and MA_PARAGRAPH not in nc
    assert "9001 Mail Service Center" in nc
    plain = pdf_text(render_sample(project, incident(project)).pdf)
    assert NC_PARAGRAPH not in plain and "9001 Mail Service Center" not in plain


def test_a_2007_sample_for_north_carolina_has_neither_its_paragraph_nor_the_attorney_general(tmp_path: Path) -> None:
    """The notice's FTC and Attorney General contacts came with S.L. 2009-355 (in force 2009-10-01)."""
    project = make_project(tmp_path)
    nc = pdf_text(render_sample(project, incident(project), "US-NC").pdf)
    assert NC_PARAGRAPH not in nc and "9001 Mail Service Center" not in nc
    assert content_findings(project, incident(project)) == []


def test_per_state_paragraphs_only_for_that_state(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    move_to_2020(project)  # Massachusetts gives its paragraph from 2007-10-31
    renderer = LetterRenderer(project, incident(project))
    texts = {state: pdf_text(renderer.letter(Recipient("Ada Lovelace", "1 Elm St", "", "Town", state, "12345")).pdf)
             for state in ("NC", "MA", "CA")}
    assert NC_PARAGRAPH in texts["NC"] and MA_PARAGRAPH not in texts["NC"]
    assert MA_PARAGRAPH in texts["MA"] and NC_PARAGRAPH not in texts["MA"]
    assert NC_PARAGRAPH not in texts["CA"] and MA_PARAGRAPH not in texts["CA"]
    assert "Dear Ada Lovelace:" in texts["CA"] and "Town, CA 12345" in texts["CA"]


def test_recipient_data_is_text_never_markup(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    renderer = LetterRenderer(project, incident(project))
    name = '<b>Smith & "Sons"</b> <img src="/etc/passwd"/>'
    letter = renderer.letter(Recipient(name, "1 Elm St", "", "Town", "CA", "12345"))
    assert f"Dear {name}:" in pdf_text(letter.pdf)
    assert f"Dear {name}:" in letter.text


def test_names_outside_latin1_print(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    renderer = LetterRenderer(project, incident(project))
    letter = renderer.letter(Recipient("Łukasz Żółć", "1 Elm St", "", "Town", "CA", "12345"))
    assert "Dear Łukasz Żółć:" in pdf_text(letter.pdf)
    again = renderer.letter(Recipient("Łukasz Żółć", "1 Elm St", "", "Town", "CA", "12345"))
    assert again.pdf == letter.pdf


def test_pdf_is_deterministic_with_fixed_metadata() -> None:
    project = Project(ROOT)
    first = render_sample(project, incident(project)).pdf
    assert render_sample(project, incident(project)).pdf == first
    code = ("import hashlib, sys; from pathlib import Path; from breachdocs.project import Project; "
            "from breachdocs.records import load_incident; from breachdocs.letters import render_sample; "
            f"p = Project(Path({str(ROOT)!r})); i, _ = load_incident(p.incidents_dir / '{MASSMUTUAL}.yaml'); "
            "sys.stdout.write(hashlib.sha256(render_sample(p, i).pdf).hexdigest())")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert other == hashlib.sha256(first).hexdigest()
    meta = PdfReader(io.BytesIO(first)).metadata
    assert meta is not None
    assert meta.get("/Producer") == "breachdocs" and meta.get("/Author") == "MassMutual Life Insurance Company"
    assert meta.get("/CreationDate", "").startswith("D:20000101")


def test_body_laid_out_once_gives_the_same_bytes_as_laid_out_afresh(tmp_path: Path) -> None:
    from breachdocs.letters import pdf

    project = make_project(tmp_path)
    renderer = LetterRenderer(project, incident(project))
    ada = Recipient("Ada Lovelace", "1 Elm St", "Flat 2", "Raleigh", "NC", "27601")
    first = renderer.letter(ada).pdf
    renderer.letter(Recipient("Alan Turing", "2 Oak St", "", "Boston", "MA", "02108"))
    assert renderer.letter(ada).pdf == first
    pdf._recorded.clear()
    assert renderer.letter(ada).pdf == first


def test_a_head_too_tall_for_its_area_is_laid_out_in_full(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    shift_to_2020(project)  # North Carolina's paragraph counts from 2009-10-01
    renderer = LetterRenderer(project, incident(project))
    name = " ".join(["Maximiliana Wolfeschlegelsteinhausenbergerdorff"] * 12)
    text = pdf_text(renderer.letter(Recipient(name, "1 Elm St", "Flat 2", "Raleigh", "NC", "27601")).pdf)
    assert f"Dear {name}:" in text
    assert "Participant Information Center" in text and NC_PARAGRAPH in text


def test_letter_sample_command_writes_the_sample(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from breachdocs.cli import main

    project = make_project(tmp_path)
    shift_to_2020(project)  # North Carolina's paragraph counts from 2009-10-01
    output = tmp_path / "sample.pdf"
    result = CliRunner().invoke(main, ["--root", str(project.root), "letter-sample",
                                       str(project.incidents_dir / f"{MASSMUTUAL}.yaml"), "--out", str(output),
                                       "--jurisdiction", "US-NC"])
    assert result.exit_code == 0, result.output
    data = output.read_bytes()
    assert result.stdout == f"{output}  sha256 {hashlib.sha256(data).hexdigest()}\n"
    assert data == render_sample(project, incident(project), "US-NC").pdf
    assert NC_PARAGRAPH in pdf_text(data)
