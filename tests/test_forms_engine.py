"""The form engine on its own terms: value formatting and conditions, field-map checks, findings for
texts too long or values missing, radio groups flattened right, multi-line text wrapped at a fixed size,
and the commands' one-line errors with nothing written."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from formtools import MASSMUTUAL, NC, ROOT, copy_project, dark_pixels, pdftotext, render
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from breachdocs.cli import main
from breachdocs.forms import form_findings, forms_for
from breachdocs.forms.fieldmap import check_against_pdf, load_field_map
from breachdocs.forms.values import condition, format_value, spec_text
from breachdocs.pdf import FieldValue, fill_pdf, list_fields
from breachdocs.pdf import read_fields as read_pdf_fields
from breachdocs.pdf.appearance import layout, parse_da
from breachdocs.project import Project
from breachdocs.project_check import check

CTX = {
    "dates": {"discovered": "2007-08-10", "consumers_notified": "2007-10-16"},
    "filing": {"signed": "2007-10-16", "submitted": "2007-10-07"},
    "affected": {"total": 5135, "residents": {"US-NC": 195}},
    "data": {"protected": True},
    "notice": {"methods": ["written"], "planned": False},
    "contact": {"title": "Vice President"},
    "maintaining_business": None,
    "business": {"city": "Springfield", "state": "MA", "zip": "01111"},
}


@pytest.mark.parametrize(("value", "fmt", "text"), [
    ("2007-10-17", "%B %-d, %Y", "October 17, 2007"),
    ("2007-10-07", "%B %-d, %Y", "October 7, 2007"),
    ("2007-10-16", "%m/%d/%y", "10/16/07"),
    ("2007-08-01", "%-m/%-d/%Y", "8/1/2007"),
    (5135, "d", "5135"),
    (5135, ",", "5,135"),
    (1234567, ",", "1,234,567"),
    (True, "yes|no", "yes"),
    (False, "yes|no", "no"),
    (False, "X|", ""),
    (["written", "telephone"], None, "written, telephone"),
    ("1295 State Street", None, "1295 State Street"),
    (None, "d", None),
])
def test_format_value(value: object, fmt: str | None, text: str | None) -> None:
    assert format_value(value, fmt) == text


@pytest.mark.parametrize(("expr", "result"), [
    ("notice.methods contains written", True),
    ("notice.methods contains telephone", False),
    ("not notice.methods contains telephone", True),
    ("data.protected", True),
    ("notice.planned", False),
    ("data.no_such_thing", False),
    ("affected.residents.US-NC > 100", True),
    ("affected.residents.US-NC == 195", True),
    ("affected.total != 5135", False),
    ("dates.consumers_notified >= filing.signed", True),
    ("dates.discovered >= filing.signed", False),
    ("maintaining_business.name == 'NA'", False),
])
def test_conditions(expr: str, result: bool) -> None:
    assert condition(CTX, expr) is result


@pytest.mark.parametrize(("spec", "text"), [
    ({"value": "filing.submitted", "format": "%B %-d, %Y"}, "October 7, 2007"),
    ({"text": "{business.city}, {business.state} {business.zip}"}, "Springfield, MA 01111"),
    ({"join": ["contact.name", "contact.title"], "separator": ", "}, "Vice President"),
    ({"join": ["contact.street"], "default": "same as above"}, "same as above"),
    ({"value": "maintaining_business.name", "default": "NA"}, "NA"),
    ({"text": "{maintaining_business.name} ltd", "default": "NA"}, "NA"),
    ({"literal": "same as above"}, "same as above"),
    ({"value": "affected.total", "format": ","}, "5,135"),
    ({"cases": [{"when": "notice.planned", "literal": "planned"},
                {"when": "dates.consumers_notified >= filing.signed",
                 "text": "distribution scheduled to begin {dates.consumers_notified:%m/%d/%y}"},
                {"literal": "never"}]}, "distribution scheduled to begin 10/16/07"),
    ({"cases": [{"when": "notice.planned", "literal": "planned"}], "default": "none"}, "none"),
])
def test_spec_text(spec: dict[str, object], text: str) -> None:
    assert spec_text(CTX, spec)[0] == text


# --- findings on the MassMutual incident, changed -------------------------------------------------------


def _set_incident(root: Path, old: str, new: str) -> Path:
    file = root / "incidents" / f"{MASSMUTUAL}.yaml"
    source = file.read_text(encoding="utf-8")
    assert old in source
    file.write_text(source.replace(old, new, 1), encoding="utf-8")
    return file


CIRCUMSTANCES = "circumstances: An electronic file containing a list of plan participants was emailed to the wrong recipient."


def _too_long(findings: list) -> list:
    return [f for f in findings if "too long" in f.message]


def test_text_too_long_is_a_located_finding_with_the_overflow(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    long = " ".join(f"word{i}" for i in range(200))
    file = _set_incident(root, CIRCUMSTANCES, f"circumstances: {long}")
    _, findings = check(Project(root), [file])
    (finding,) = findings
    line = 1 + file.read_text().splitlines().index(f"circumstances: {long}")
    match = re.fullmatch(
        rf"incidents/{MASSMUTUAL}\.yaml:{line}:16: error: circumstances: the text is (\d+) characters too long for "
        rf"the field 'circumstances' of form us-nc-ago-breach \((\d+) of {len(long)} fit its 501x61 pt lines\); "
        r"shorten it, or say the rest in an attachment", str(finding))
    assert match, str(finding)
    over, room = int(match[1]), int(match[2])
    assert over + room == len(long) and over > 100
    # exactly at the boundary: what fits gives no finding, one more character gives "1 character too long"
    _set_incident(root, long, long[:room])
    assert check(Project(root), [file])[1] == []
    _set_incident(root, long[:room], long[:room + 1])
    (one,) = check(Project(root), [file])[1]
    assert "the text is 1 character too long for the field 'circumstances'" in one.message


def test_single_line_text_too_long(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    title = "Vice President of Retirement Services Compliance, Privacy and Information Security Operations"
    file = _set_incident(root, "contact:\n  title: Vice President\n", f"contact:\n  title: {title}\n")
    (finding,) = _too_long(check(Project(root), [file])[1])
    assert finding.field == "contact.title" and finding.path.endswith(f"{MASSMUTUAL}.yaml")
    assert re.search(r"the text is \d+ characters too long for the field 'contact_title'", finding.message)


def test_too_long_text_stops_fill_and_writes_nothing(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    _set_incident(root, CIRCUMSTANCES, "circumstances: " + "x" * 2000)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["--root", str(root), "fill", MASSMUTUAL, "--out", str(out)])
    assert result.exit_code == 1
    assert len(result.output.splitlines()) == 1 and "too long for the field 'circumstances'" in result.output
    assert not out.exists()


def test_unprintable_character_is_a_finding(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    file = _set_incident(root, "emailed to the wrong recipient.", "emailed \u2192 to the wrong recipient.")
    (finding,) = check(Project(root), [file])[1]
    assert finding.message == ("the form us-nc-ago-breach cannot print '\u2192' in its field 'circumstances'; "
                               "replace it with plain letters")


def test_required_value_missing(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    file = _set_incident(root, "prevention: prior to sending", "actions_taken_2: prior to sending")
    file.write_text(file.read_text().replace("actions_taken_2: prior to sending, all email attachments will be opened "
                                             "to view to assure that the right information is attached.\n", ""))
    _, findings = check(Project(root), [file])
    assert [str(f) for f in findings] == [  # the rule base names the field too: the NC filing needs it
        f"incidents/{MASSMUTUAL}.yaml:4:1: error: prevention: North Carolina requires this for the us-nc-ago-breach "
        "form (N.C.G.S. 75-65(f) (S.L. 2005-414)), since it was filed; add prevention (for example 'prevention: "
        "Prior to sending, all email attachments will be opened to view to assure that the right information is "
        "attached.')",
        f"incidents/{MASSMUTUAL}.yaml:4:1: error: prevention: the form us-nc-ago-breach needs 'prevention' for its "
        "field 'prevention'; add prevention to the incident",
    ]
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["--root", str(root), "fill", MASSMUTUAL, "--out", str(out)])
    assert result.exit_code == 1 and result.output == "".join(f"{f}\n" for f in findings)
    assert not out.exists()


def test_map_naming_a_field_the_pdf_lacks(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    fields = root / "templates" / "forms" / "us-nc-ago-breach" / "fields.yaml"
    fields.write_text(fields.read_text().replace("  business_fax:\n", "  business_facs:\n"))
    line = 1 + fields.read_text().splitlines().index("  business_facs:")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["--root", str(root), "fill", MASSMUTUAL, "--out", str(out)])
    assert result.exit_code == 1
    assert result.output == (
        f"templates/forms/us-nc-ago-breach/fields.yaml:{line}:3: error: fields.business_facs: "
        "templates/forms/us-nc-ago-breach/form.pdf has no field 'business_facs'; did you mean 'business_fax'?\n")
    assert not out.exists()
    # validate reports it too, with the warning that business_fax is now unmapped
    _, findings = check(Project(root))
    assert any("has no field 'business_facs'" in f.message for f in findings)


def test_field_map_schema_and_path_errors(tmp_path: Path) -> None:
    fields = tmp_path / "fields.yaml"
    fields.write_text("fields:\n  a:\n    valeu: business.name\n")
    fm, findings = load_field_map(fields, "fields.yaml")
    assert fm is None
    assert [str(f) for f in findings] == ["fields.yaml:3:5: error: fields.a.valeu: unknown field 'valeu'; did you mean 'value'?"]
    fields.write_text("fields:\n  b:\n    value: notise.methods\n  c:\n    value: business.name\n    literal: x\n"
                      "  d:\n    checked: notice.methds contains written\n"
                      "  e:\n    text: '{affected.residents.US-NC} {filing.sined:%d}'\n")
    fm, findings = load_field_map(fields, "fields.yaml")
    assert fm is None
    assert [str(f) for f in findings] == [
        "fields.yaml:3:5: error: fields.b: 'notise.methods' cannot be an incident value: the incident has no field "
        "'notise'; did you mean 'notice'?",
        "fields.yaml:4:3: error: fields.c: give exactly one of value, text, join, literal, cases, checked, choose, "
        "blank (found: value, literal)",
        "fields.yaml:8:5: error: fields.d: 'notice.methds' cannot be an incident value: notice has no field 'methds'; "
        "did you mean 'notice.methods'?",
        "fields.yaml:10:5: error: fields.e: 'filing.sined' cannot be an incident value: filing has no field 'sined'; "
        "did you mean 'filing.signed'?",
    ]


def test_unknown_form_in_filings_and_on_the_command_line(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    file = _set_incident(root, "form: us-nc-ago-breach", "form: us-nc-ago-breech")
    (finding,) = check(Project(root), [file])[1]
    assert finding.field == "filings[0].form"
    assert finding.message == ("unknown form 'us-nc-ago-breech': there is no templates/forms/us-nc-ago-breech/form.pdf "
                               "(forms available: us-nc-ago-breach)")
    result = CliRunner().invoke(main, ["--root", str(ROOT), "fill", MASSMUTUAL, "--form", "nope",
                                       "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.output == "templates/forms/nope: error: unknown form 'nope' (forms available: us-nc-ago-breach)\n"
    assert not (tmp_path / "o").exists()


def test_missing_incident(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--root", str(ROOT), "fill", "2099-01-01-nothing", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert result.output.startswith("Error: no incident '2099-01-01-nothing' in incidents/; incidents/ holds ")
    assert not (tmp_path / "o").exists()


def test_form_fields_lists_and_writes_a_usable_starting_map(tmp_path: Path) -> None:
    out = tmp_path / "fields.yaml"
    result = CliRunner().invoke(main, ["form-fields", str(NC / "form.pdf"), "--map-out", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 28
    assert lines[0] == "business_name  [text]  page 1  287x13 pt"
    assert "circumstances  [multiline text]  page 1  501x61 pt" in lines
    assert "notice_written  [checkbox]  page 2  12x12 pt  options: Yes" in lines
    fm, findings = load_field_map(out, "fields.yaml")
    assert fm is not None and findings == []
    assert check_against_pdf(fm, read_pdf_fields(PdfReader(NC / "form.pdf")), "form.pdf") == []
    assert fm.fields["notice_written"] == {"checked": "notice.methods contains written"}


def test_form_fields_errors(tmp_path: Path) -> None:
    not_pdf = tmp_path / "x.pdf"
    not_pdf.write_text("hello")
    missing = tmp_path / "none.pdf"
    for args, message, status in ((["form-fields", str(missing)], f"Error: no such PDF: {missing}", 2),
                                  (["form-fields", str(not_pdf)], f"Error: {not_pdf}: error: cannot read the PDF", 1)):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == status and result.output.startswith(message), result.output
    plain = tmp_path / "plain.pdf"
    canvas = Canvas(str(plain), invariant=1)
    canvas.drawString(72, 72, "no fields")
    canvas.save()
    result = CliRunner().invoke(main, ["form-fields", str(plain)])
    assert result.exit_code == 1 and result.output == f"Error: {plain} has no form fields (it is not a fillable AcroForm)\n"


def test_help_texts() -> None:
    fill_help = CliRunner().invoke(main, ["fill", "--help"]).output
    for words in ("INCIDENT", "--form FORM", "--out", "--flatten", "--packet", "SHA-256", "[default: out/filings/INCIDENT/]"):
        assert words in fill_help
    assert "--map-out" in CliRunner().invoke(main, ["form-fields", "--help"]).output


# --- radio groups and multi-line text in a tiny form ----------------------------------------------------

LONG = ("The first sentence of a long answer that cannot fit on one line of this box. A second sentence "
        "follows it, and a third one after that, so the text needs four or five lines.")


def _tiny_form() -> bytes:
    out = io.BytesIO()
    c = Canvas(out, pagesize=letter, invariant=1)
    form = c.acroForm
    for i, value in enumerate(("a", "b", "c")):
        form.radio(name="choice", value=value, selected=False, x=72 + 40 * i, y=700, size=16,
                   buttonStyle="circle", borderStyle="solid", shape="circle")
    form.textfield(name="story", x=72, y=520, width=200, height=120, fontName="Helvetica", fontSize=10,
                   fieldFlags="multiline", borderWidth=0, maxlen=None, value="")
    form.choice(name="pick", options=["one", "two", "three"], value="one", x=72, y=400, width=100, height=20,
                fontName="Helvetica", fontSize=10)
    c.showPage()
    c.save()
    return out.getvalue()


def test_tiny_form_has_a_radio_group_and_a_fixed_size_multiline_field() -> None:
    kinds = {f.name: (f.type, f.options) for f in list_fields(_tiny_form())}
    assert kinds == {"choice": ("radio", ("a", "b", "c")), "story": ("multiline text", ()),
                     "pick": ("choice", ("one", "two", "three"))}
    (story,) = [f for f in read_pdf_fields(PdfReader(io.BytesIO(_tiny_form()))).values() if f.name == "story"]
    assert parse_da(story.da).size == 10  # the case pypdf does not wrap


def test_radio_group_state_and_flattening() -> None:
    blank = _tiny_form()
    values = [FieldValue("choice", state="b"), FieldValue("story", text=LONG)]
    editable = fill_pdf(blank, values)
    reader = PdfReader(io.BytesIO(editable))
    assert reader.get_fields()["choice"]["/V"] == "/b"  # type: ignore[index]
    widgets = [a.get_object() for a in reader.pages[0]["/Annots"] if a.get_object().get("/Parent")]
    assert [str(w["/AS"]) for w in widgets] == ["/Off", "/b", "/Off"]
    flat = fill_pdf(blank, values, flatten_form=True)
    before, after = render(blank, 1), render(flat, 1)
    rects = [tuple(float(v) for v in w["/Rect"]) for w in widgets]
    ink = [dark_pixels(after, r, inset=3) - dark_pixels(before, r, inset=3) for r in rects]
    assert ink[0] == 0 and ink[2] == 0 and ink[1] > 15, ink


def test_unknown_radio_option_is_refused() -> None:
    from breachdocs.pdf import FillError

    with pytest.raises(FillError, match="'d' is not an option of 'choice'; its options are: a, b, c"):
        fill_pdf(_tiny_form(), [FieldValue("choice", state="d")])


def test_multiline_text_wraps_at_fixed_font_size() -> None:
    blank = _tiny_form()
    flat = fill_pdf(blank, [FieldValue("story", text=LONG)], flatten_form=True)
    fld = read_pdf_fields(PdfReader(io.BytesIO(blank)))["story"]
    lay = layout(LONG, fld, fld.widgets[0], parse_da(fld.da))
    assert lay.size == 10 and lay.fits and 4 <= len(lay.lines) <= 6
    assert " ".join(lay.lines) == LONG
    text_lines = [line.strip() for line in pdftotext(flat).splitlines() if line.strip()]
    assert text_lines == [*lay.lines, "one"]  # the story's lines, then the choice field below it
    before, after = render(blank, 1), render(flat, 1)
    x0, y0, x1, y1 = fld.widgets[0].rect
    lower = (x0, y0, x1, y1 - 40)  # below the first three lines: reached only by wrapped text
    assert dark_pixels(after, lower) > dark_pixels(before, lower) + 50
    right_of_box = (x1 + 1, y0, x1 + 200, y1)
    assert dark_pixels(after, right_of_box) == dark_pixels(before, right_of_box)


def test_fill_pdf_is_deterministic() -> None:
    values = [FieldValue("choice", state="c"), FieldValue("story", text=LONG)]
    assert fill_pdf(_tiny_form(), values, flatten_form=True) == fill_pdf(_tiny_form(), values, flatten_form=True)
    assert fill_pdf(_tiny_form(), values) == fill_pdf(_tiny_form(), values)


def test_residents_bring_their_state_form_before_any_filing(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    file = root / "incidents" / f"{MASSMUTUAL}.yaml"
    source = file.read_text(encoding="utf-8")
    file.write_text(source[: source.index("filings:")], encoding="utf-8")
    project = Project(root)
    (incident,), findings = check(project, [file])
    assert findings == []
    assert forms_for(project.templates_dir, incident) == ["us-nc-ago-breach"]
    assert form_findings(project, incident) == []
    result = CliRunner().invoke(main, ["--root", str(root), "fill", MASSMUTUAL, "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    fields = PdfReader(tmp_path / "o" / "us-nc-ago-breach.pdf").get_fields() or {}
    assert fields["date_submitted"]["/V"] == "" and fields["signature_date"]["/V"] == ""
    assert fields["date_notified"]["/V"] == "10/16/07"  # no filing date to compare with: the plain date


def test_incident_without_forms_is_told_how_to_name_one(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    file = root / "incidents" / f"{MASSMUTUAL}.yaml"
    source = file.read_text(encoding="utf-8").replace("US-NC: 195", "US-MA: 195")
    file.write_text(source[: source.index("filings:")], encoding="utf-8")
    result = CliRunner().invoke(main, ["--root", str(root), "fill", MASSMUTUAL, "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.output.endswith("error: filings: the incident uses no form: add filings[].form "
                                  "(e.g. form: us-nc-ago-breach) or name one with --form\n")


def test_choice_field_takes_one_of_its_options() -> None:
    from breachdocs.pdf import FillError

    filled = fill_pdf(_tiny_form(), [FieldValue("pick", text="two")])
    assert (PdfReader(io.BytesIO(filled)).get_fields() or {})["pick"]["/V"] == "two"
    flat = fill_pdf(_tiny_form(), [FieldValue("pick", text="three")], flatten_form=True)
    assert "three" in pdftotext(flat).split()
    with pytest.raises(FillError, match="'four' is not a choice of 'pick'; its choices are: one, two, three"):
        fill_pdf(_tiny_form(), [FieldValue("pick", text="four")])


def test_multiline_auto_size_shrinks_until_the_text_fits() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_tiny_form())))
    for annot in writer.pages[0]["/Annots"]:
        if annot.get_object().get("/T") == "story":
            annot.get_object()[NameObject("/DA")] = TextStringObject("/Helv 0 Tf 0 g")
    auto = io.BytesIO()
    writer.write(auto)
    text = " ".join([LONG] * 3)
    fld = read_pdf_fields(PdfReader(auto))["story"]
    lay = layout(text, fld, fld.widgets[0], parse_da(fld.da))
    assert lay.fits and 6 <= lay.size < 10
    flat = fill_pdf(auto.getvalue(), [FieldValue("story", text=text)], flatten_form=True)
    assert " ".join(pdftotext(flat).split()) == text + " one"
