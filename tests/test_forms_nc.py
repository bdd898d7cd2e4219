"""The North Carolina Security Breach Reporting Form filled for MassMutual: exactly the seed's values,
read back from the fields, from the flattened page text and seen in rendered pages."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from formtools import MASSMUTUAL, NC, ROOT, copy_project, dark_pixels, pdftotext, render
from pypdf import PdfReader

from breachdocs.cli import main
from breachdocs.forms import build_outputs, fill_incident, load_form
from breachdocs.hashing import sha256_bytes
from breachdocs.pdf import read_fields as read_pdf_fields
from breachdocs.project import Project
from breachdocs.project_check import check

#: The seed's values (../shared/seed/004_e1d5d7a582b433be.txt), field by field.
SEED_TEXT = {
    "business_name": "MassMutual Life Insurance Company",
    "business_street": "1295 State Street",
    "business_city_state_zip": "Springfield, MA 01111",
    "business_phone": "413-744-2765",
    "business_fax": "413-744-7080",
    "business_email": "dmiles@massmutual.com",
    "date_submitted": "October 17, 2007",
    "date_discovered": "August 10, 2007",
    "affected_total": "5135",
    "affected_nc": "195",
    "maintaining_business": "NA",
    "circumstances": "An electronic file containing a list of plan participants was emailed to the wrong recipient.",
    "protected": "yes",
    "protection": "The email was sent by secure email, encrypted, to the wrong recipient.",
    "prevention": "prior to sending, all email attachments will be opened to view to assure that the right "
                  "information is attached.",
    "date_notified": "distribution scheduled to begin 10/16/07",
    "delay_reason": "Internal information gathering, internal investigation of details and consultation with client.",
    "signature_date": "10/16/07",
    "contact_title": "Vice President",
    "contact_address": "same as above",
}
SEED_BOXES = {"notice_written": "/Yes", "notice_electronic": "/Off", "notice_telephone": "/Off",
              "notice_substitute": "/Off"}


@pytest.fixture(scope="module")
def filled() -> dict[bool, bytes]:
    project = Project(ROOT)
    incidents, findings = check(project, [project.incidents_dir / f"{MASSMUTUAL}.yaml"])
    assert findings == []
    form, problems = load_form(project.templates_dir, "us-nc-ago-breach", root=ROOT)
    assert form is not None, problems
    out = {}
    for flat in (False, True):
        data, problems = fill_incident(form, incidents[0], flatten_form=flat)
        assert data is not None and problems == []
        out[flat] = data
    return out


def test_fields_read_back_exactly_the_seed(filled: dict[bool, bytes]) -> None:
    fields = PdfReader(io.BytesIO(filled[False])).get_fields()
    assert fields is not None
    assert {name: fields[name].get("/V") for name in SEED_TEXT} == SEED_TEXT
    assert {name: fields[name].get("/V") for name in SEED_BOXES} == SEED_BOXES
    for empty in ("contact_address_2", "contact_phone", "contact_fax", "contact_email"):
        assert fields[empty].get("/V") == ""


def test_checkbox_widgets_show_their_state(filled: dict[bool, bytes]) -> None:
    reader = PdfReader(io.BytesIO(filled[False]))
    states = {str(a.get_object()["/T"]): a.get_object()["/AS"] for a in reader.pages[1]["/Annots"]
              if a.get_object().get("/FT") == "/Btn"}
    assert states == SEED_BOXES


def test_editable_copy_keeps_fields_and_has_appearances(filled: dict[bool, bytes]) -> None:
    reader = PdfReader(io.BytesIO(filled[False]))
    acroform = reader.trailer["/Root"]["/AcroForm"]
    assert "/NeedAppearances" not in acroform
    for page in reader.pages:
        for annot in page["/Annots"]:
            assert "/N" in annot.get_object()["/AP"]


def test_flattened_copy_has_no_fields_and_shows_every_value(filled: dict[bool, bytes]) -> None:
    reader = PdfReader(io.BytesIO(filled[True]))
    assert "/AcroForm" not in reader.trailer["/Root"]
    assert all("/Annots" not in page for page in reader.pages)
    for extracted in (pdftotext(filled[True]), "\n".join(p.extract_text() for p in reader.pages)):
        flat = " ".join(extracted.split())
        for value in SEED_TEXT.values():
            assert value in flat, value


def test_written_notice_is_the_only_tick(filled: dict[bool, bytes]) -> None:
    blank = render((NC / "form.pdf").read_bytes(), 2)
    page = render(filled[True], 2)
    boxes = {str(a.get_object()["/T"]): [float(v) for v in a.get_object()["/Rect"]]
             for a in PdfReader(io.BytesIO(filled[False])).pages[1]["/Annots"] if a.get_object().get("/FT") == "/Btn"}
    ink = {name: dark_pixels(page, rect, inset=2) - dark_pixels(blank, rect, inset=2) for name, rect in boxes.items()}
    assert ink["notice_written"] > 10
    assert [ink[n] for n in ("notice_electronic", "notice_telephone", "notice_substitute")] == [0, 0, 0]


@pytest.mark.parametrize("flat", [False, True], ids=["editable", "flattened"])
def test_every_value_is_drawn_inside_its_box(filled: dict[bool, bytes], flat: bool) -> None:
    """Rendered with pdftoppm: each filled field has ink inside its rectangle, and nothing changes outside them."""
    fields = read_pdf_fields(PdfReader(NC / "form.pdf"))
    for page_no in (1, 2):
        blank = render((NC / "form.pdf").read_bytes(), page_no)
        page = render(filled[flat], page_no)
        rects = [w.rect for f in fields.values() for w in f.widgets if w.page == page_no - 1]
        for name in SEED_TEXT:
            (widget,) = fields[name].widgets
            if widget.page == page_no - 1:
                assert dark_pixels(page, widget.rect, inset=1) > dark_pixels(blank, widget.rect, inset=1) + 20, name
        outside_changes = [
            (x, y) for y in range(page.height) for x in range(0, page.width, 2)
            if abs(page.getpixel((x, y)) - blank.getpixel((x, y))) > 60  # type: ignore[operator]
            and not any(r[0] - 1 <= x <= r[2] + 1 and r[1] - 1 <= page.height - y <= r[3] + 1 for r in rects)
        ]
        assert outside_changes == [], f"page {page_no}: ink outside the fields at {outside_changes[:5]}"


def test_output_is_byte_identical_run_to_run(filled: dict[bool, bytes]) -> None:
    project = Project(ROOT)
    incidents, _ = check(project, [project.incidents_dir / f"{MASSMUTUAL}.yaml"])
    form, _ = load_form(project.templates_dir, "us-nc-ago-breach", root=ROOT)
    assert form is not None
    for flat in (False, True):
        again, _ = fill_incident(form, incidents[0], flatten_form=flat)
        assert again == filled[flat]
    reader = PdfReader(io.BytesIO(filled[False]))
    assert "/CreationDate" not in reader.metadata and "/ModDate" not in reader.metadata
    first_id = reader.trailer["/ID"][0]
    assert first_id == reader.trailer["/ID"][1] and len(first_id) == 16
    assert filled[False] != filled[True]


def test_fill_in_a_fresh_process_gives_the_same_bytes(tmp_path: Path) -> None:
    """No hidden state (hash seeds, clocks): two separate runs of the command write identical files."""
    digests = []
    for run in ("a", "b"):
        out = tmp_path / run
        result = subprocess.run([str(Path(sys.executable).parent / "breachdocs"), "--root", str(ROOT), "fill", MASSMUTUAL,
                                 "--out", str(out), "--flatten"], capture_output=True, text=True,
                                env={"PYTHONHASHSEED": "1" if run == "a" else "2", "PATH": "/usr/bin:/bin"})
        assert result.returncode == 0, result.stderr
        digests.append(sha256_bytes((out / "us-nc-ago-breach-flat.pdf").read_bytes()))
    assert digests[0] == digests[1]


def test_cli_fill_writes_form_and_prints_path_and_sha(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--root", str(ROOT), "fill", MASSMUTUAL, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = tmp_path / "us-nc-ago-breach.pdf"
    assert result.output == f"{written}  sha256 {sha256_bytes(written.read_bytes())}\n"
    assert PdfReader(written).get_fields()["affected_nc"]["/V"] == "195"  # type: ignore[index]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["us-nc-ago-breach.pdf"]


def test_cli_fill_default_folder_is_out_filings(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    result = CliRunner().invoke(main, ["--root", str(root), "fill", MASSMUTUAL, "--flatten", "--packet"])
    assert result.exit_code == 0, result.output
    folder = root / "out" / "filings" / MASSMUTUAL
    assert sorted(p.name for p in folder.iterdir()) == ["us-nc-ago-breach-flat.pdf", "us-nc-ago-breach-packet.pdf"]
    assert result.stdout.splitlines()[0].startswith(f"out/filings/{MASSMUTUAL}/us-nc-ago-breach-flat.pdf  sha256 ")


def test_packet_is_form_then_notice_with_bookmarks() -> None:
    project = Project(ROOT)
    incidents, _ = check(project, [project.incidents_dir / f"{MASSMUTUAL}.yaml"])
    outputs, findings = build_outputs(project.templates_dir, incidents[0], packet=True, root=ROOT)
    assert findings == []
    packet = {o.name: o.data for o in outputs}["us-nc-ago-breach-packet.pdf"]
    reader = PdfReader(io.BytesIO(packet))
    assert len(reader.pages) == 3
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]  # type: ignore[union-attr]
    assert outline == [("North Carolina Security Breach Reporting Form", 0), ("Copy of the notice", 2)]
    assert "Copy of the notice to affected individuals" in reader.pages[2].extract_text()
    assert "/AcroForm" not in reader.trailer["/Root"]


def test_packet_attaches_the_notice_text_file(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    incident = root / "incidents" / f"{MASSMUTUAL}.yaml"
    (root / "incidents" / "notices").mkdir()
    (root / "incidents" / "notices" / "massmutual.txt").write_text(
        "Dear <NAME>:\n\nThis letter is to inform you that MassMutual inadvertently sent a file.\n", encoding="utf-8")
    incident.write_text(incident.read_text().replace("notice:\n", "notice:\n  notice_text: notices/massmutual.txt\n"))
    result = CliRunner().invoke(main, ["--root", str(root), "fill", MASSMUTUAL, "--packet", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    packet = PdfReader(tmp_path / "o" / "us-nc-ago-breach-packet.pdf")
    assert "MassMutual inadvertently sent a file." in packet.pages[2].extract_text()


def test_committed_form_is_what_make_form_draws(tmp_path: Path) -> None:
    script = NC / "make_form.py"
    copy = tmp_path / "make_form.py"
    copy.write_text(script.read_text())
    subprocess.run([sys.executable, str(copy)], check=True, capture_output=True)
    assert (tmp_path / "form.pdf").read_bytes() == (NC / "form.pdf").read_bytes()


def test_form_reproduces_the_seed_wording() -> None:
    text = " ".join(pdftotext((NC / "form.pdf").read_bytes()).split())
    for words in (
        "North Carolina Security Breach Reporting Form", "Pursuant to the Identity Theft Protection Act of 2005",
        "PLEASE SUBMIT FORM TO:", "Consumer Protection Division", "NC Attorney General's Office",
        "9001 Mail Service Center", "Raleigh, NC 27699-9001", "Telephone: (919) 716-6000",
        "Toll Free in NC: (877) 566-7226", "FAX: (919) 716-6050",
        "Date Security Breach Reporting Form submitted:", "Estimated number of NC residents affected:",
        "(pursuant to N.C.G.S. § 75-65(b)):", "password protected or encrypted in some manner.",
        "Describe any measures taken to prevent a similar Security Breach from occurring in the future:",
        "Date affected NC residents were/will be notified:", "pursuant to N.C.G.S. § 75-65(a) and (c):",
        "How NC residents were/will be notified? (pursuant to N.C.G.S. § 75-65(e))", "written notice",
        "electronic notice (email)", "telephone notice", "substitute notice",
        "Please attach copy of the notice if in written form", "Signature:", "Contact Person, Title:",
        "(if different from above)",
    ):
        assert words in text, words
    order = [text.index(w) for w in ("submitted:", "discovered:", "affected individuals:", "NC residents affected:",
                                     "maintaining or possessing", "circumstances surrounding the Security",
                                     "encrypted in some", "prevent a similar", "were/will be notified:",
                                     "any delay", "written notice", "substitute notice", "Signature:")]
    assert order == sorted(order)
    assert len(PdfReader(NC / "form.pdf").pages) == 2


def test_nc_map_covers_every_field() -> None:
    form, findings = load_form(ROOT / "templates", "us-nc-ago-breach", root=ROOT)
    assert form is not None and findings == []
    kinds = {f.name: f.type_label for f in read_pdf_fields(form.reader).values()}
    assert sorted(kinds) == sorted(form.field_map.fields)
    assert {k for k, v in kinds.items() if v == "checkbox"} == set(SEED_BOXES)
    assert {k for k, v in kinds.items() if v == "multiline text"} == {"circumstances", "protection", "prevention",
                                                                        "delay_reason"}
    assert re.fullmatch(r"[a-z_0-9]+", "".join(kinds))


def test_packet_attaches_the_generated_letter(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--root", str(ROOT), "fill", MASSMUTUAL, "--packet", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    packet = PdfReader(tmp_path / "us-nc-ago-breach-packet.pdf")
    letter = " ".join("".join(page.extract_text() for page in packet.pages[2:]).split())
    assert "Dear <NAME>:" in letter
    assert 'Massachusetts Mutual Life Insurance Company ("MassMutual")' in letter
    assert "1-800-743-5274" in letter
    assert [item.title for item in packet.outline][:1] == ["North Carolina Security Breach Reporting Form"]
