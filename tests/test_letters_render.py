"""The default letter: every fact of the MassMutual seed letter, taken from the incident, as PDF."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
from pathlib import Path

from letters_fixtures import MA_PARAGRAPH, MASSMUTUAL, NC_PARAGRAPH, edit_incident, incident, make_project, pdf_text
from pypdf import PdfReader

from breachdocs.letters import Recipient, render_sample
from breachdocs.letters.render import LetterRenderer
from breachdocs.project import Project

ROOT = Path(__file__).resolve().parent.parent

#: Facts of the 2007 letter (shared/seed/004_e1d5d7a582b433be.txt), as the default template words them.
SEED_FACTS = [
    "October 16, 2007",  # the letter is dated the day notices went out
    "<NAME>", "<ADDRESS>", "CITY, STATE ZIP", "Dear <NAME>:",
    'Massachusetts Mutual Life Insurance Company ("MassMutual")',
    "understands the importance of protecting the privacy and security of information about our customers",
    "An electronic file containing a list of plan participants was emailed to the wrong recipient.",
    "on August 10, 2007",
    "The other MassMutual client immediately advised us of the error",
    "has received written confirmation from this client that the personal information contained in the file "
    "sent in error has been deleted from their records",
    "name and Social Security number",
    "Equifax: 1-800-685-1111", "Experian: 1-888-397-3742", "TransUnion: 1-800-888-4213",
    "review them carefully for accounts you did not open",
    "file a police report for identity theft",
    "check your credit report every three months for the next year. We will reimburse you for the cost of "
    "obtaining those credit reports",
    "credit card, debit card and bank account statements",
    "place a fraud alert on your credit file at no cost to you",
    "Federal Trade Commission at www.ftc.gov",
    "1-877-438-4338",
    "600 Pennsylvania Avenue, NW, Washington, DC 20580",
    "We apologize for any inconvenience",
    "please call 1-800-743-5274",
    "Sincerely,",
    "Dennis J. Miles, Vice President",
    "MassMutual Retirement Services Division",
    "We will not reimburse you for credit monitoring services which may also be offered by consumer reporting "
    "agencies.",
]


def test_default_letter_carries_every_fact_of_the_seed() -> None:
    project = Project(ROOT)
    letter = render_sample(project, incident(project))
    text = pdf_text(letter.pdf)
    missing = [fact for fact in SEED_FACTS if fact not in text]
    assert not missing, f"not in the PDF text: {missing}"
    plain = " ".join(letter.text.split())
    assert [fact for fact in SEED_FACTS if fact not in plain] == []  # the text returned alongside says the same


def test_facts_come_from_the_incident_not_the_template(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    edit_incident(project, "information_center: 1-800-743-5274", "information_center: 1-800-555-0199")
    edit_incident(project, "elements: [name, ssn]", "elements: [name, ssn, date_of_birth]")
    text = pdf_text(render_sample(project, incident(project)).pdf)
    assert "please call 1-800-555-0199" in text
    assert "1-800-743-5274" not in text
    assert "name, Social Security number and date of birth" in text


def test_sample_for_a_jurisdiction_carries_its_paragraphs(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    nc = pdf_text(render_sample(project, incident(project), "US-NC").pdf)
    assert NC_PARAGRAPH in nc and MA_PARAGRAPH not in nc
    assert "9001 Mail Service Center" in nc
    plain = pdf_text(render_sample(project, incident(project)).pdf)
    assert NC_PARAGRAPH not in plain and "9001 Mail Service Center" not in plain


def test_per_state_paragraphs_only_for_that_state(tmp_path: Path) -> None:
    project = make_project(tmp_path)
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
    renderer = LetterRenderer(project, incident(project))
    name = " ".join(["Maximiliana Wolfeschlegelsteinhausenbergerdorff"] * 12)
    text = pdf_text(renderer.letter(Recipient(name, "1 Elm St", "Flat 2", "Raleigh", "NC", "27601")).pdf)
    assert f"Dear {name}:" in text
    assert "For More Information" in text and NC_PARAGRAPH in text


def test_letter_sample_command_writes_the_sample(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from breachdocs.cli import main

    project = make_project(tmp_path)
    output = tmp_path / "sample.pdf"
    result = CliRunner().invoke(main, ["--root", str(project.root), "letter-sample",
                                       str(project.incidents_dir / f"{MASSMUTUAL}.yaml"), "--out", str(output),
                                       "--jurisdiction", "US-NC"])
    assert result.exit_code == 0, result.output
    data = output.read_bytes()
    assert result.stdout == f"{output}  sha256 {hashlib.sha256(data).hexdigest()}\n"
    assert data == render_sample(project, incident(project), "US-NC").pdf
    assert NC_PARAGRAPH in pdf_text(data)
