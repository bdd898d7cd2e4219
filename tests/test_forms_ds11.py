"""The engine on a real government form we did not make: the US passport application DS-11
(../shared/testdata/forms/, present on developer machines and in CI, never committed).
Listed, every field type filled and read back, flattened, rendered."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from formtools import ROOT, dark_pixels, pdftotext, render
from pypdf import PdfReader

from breachdocs.pdf import FieldValue, fill_pdf, list_fields
from breachdocs.pdf import read_fields as read_pdf_fields
from breachdocs.pdf.appearance import characters_that_fit, fits, parse_da

DS11 = ROOT.parent / "shared" / "testdata" / "forms" / "us-state-dept-ds11.pdf"
pytestmark = pytest.mark.skipif(not DS11.parent.is_dir(), reason="../shared/testdata/forms/ is not on this machine")

DPI = 144  # the smallest boxes are 8 pt: two pixels per point to see a tick
SCALE = DPI / 72
GROUPS = {  # checkbox groups: one widget per option, at most one on
    "Selection": ("Book", "Card", "Both"),
    "Gender": ("M", "F", "X"),
    "Additional #": ("Home", "Work", "Cell", "Other"),
    "Book Status": ("Submitting", "Stolen", "Lost", "Possession"),
}


@pytest.fixture(scope="module")
def blank() -> bytes:
    return DS11.read_bytes()


def _sample(name: str, index: int) -> str:
    letters = "".join(c for c in name.upper() if c.isalnum())
    return f"{letters[:6]}{index:02d}ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@pytest.fixture(scope="module")
def values(blank: bytes) -> list[FieldValue]:
    """A value for every field: text that fits each box (cut with the engine's own measure), an option per button."""
    fields = read_pdf_fields(PdfReader(io.BytesIO(blank)))
    out = []
    for i, (name, fld) in enumerate(fields.items()):
        if fld.kind == "text":
            text = _sample(name, i)
            room = characters_that_fit(text, fld, fld.widgets[0], parse_da(fld.da))
            out.append(FieldValue(name, text=text[:room]))
        elif fld.kind == "checkbox":
            out.append(FieldValue(name, state=fld.options[i % len(fld.options)]))
    return out


def test_lists_every_field(blank: bytes) -> None:
    reader = PdfReader(io.BytesIO(blank))
    assert len(reader.pages) == 6
    pypdf_names = set(reader.get_fields() or {})
    assert len(pypdf_names) == 86
    infos = list_fields(blank)
    ours = {f.name for f in infos}
    # pypdf also counts the 4 inner nodes of the dotted hierarchical names; we list terminal fields
    assert sorted(pypdf_names - ours) == ["Most recent U", "Most recent U.S",
                                          "Your name as printed on your most recent U",
                                          "Your name as printed on your most recent U.S"]
    assert ours <= pypdf_names and len(infos) == 82
    by_name = {f.name: f for f in infos}
    assert by_name["Most recent U.S. passport book number"].type == "text"
    assert by_name["Applicant Last Name"].type == "comb text" and by_name["Applicant Last Name"].max_len == 21
    assert by_name["Gender"].options == ("M", "F", "X") and by_name["Gender"].widgets == 3
    assert by_name["Clear"].type == "button"
    assert {f.page for f in infos} == {5, 6}
    kinds = {f.type for f in infos}
    assert kinds == {"text", "comb text", "checkbox", "button"}


@pytest.fixture(scope="module")
def filled(blank: bytes, values: list[FieldValue]) -> bytes:
    return fill_pdf(blank, values)


@pytest.fixture(scope="module")
def flat(blank: bytes, values: list[FieldValue]) -> bytes:
    return fill_pdf(blank, values, flatten_form=True)


def test_every_field_type_round_trips(blank: bytes, values: list[FieldValue], filled: bytes) -> None:
    reader = PdfReader(io.BytesIO(filled))
    got = reader.get_fields() or {}
    for value in values:
        expected = value.text if value.text is not None else f"/{value.state}"
        assert got[value.name].get("/V") == expected, value.name
    fields = read_pdf_fields(reader)
    for name, options in GROUPS.items():
        chosen = next(v.state for v in values if v.name == name)
        shown = [str(w.annot["/AS"])[1:] for w in fields[name].widgets]
        assert shown == [chosen if s == chosen else "Off" for s in options], name
    assert fill_pdf(blank, values) == filled


def test_flattened_copy_shows_every_text(values: list[FieldValue], flat: bytes) -> None:
    reader = PdfReader(io.BytesIO(flat))
    assert "/AcroForm" not in reader.trailer["/Root"]
    squeezed = "".join(pdftotext(flat).split())
    for value in values:
        if value.text:
            assert "".join(value.text.split()) in squeezed, value.name


def test_rendered_values_sit_in_their_boxes(blank: bytes, values: list[FieldValue], flat: bytes) -> None:
    fields = read_pdf_fields(PdfReader(io.BytesIO(blank)))
    for page_no in (5, 6):
        before, after = render(blank, page_no, DPI), render(flat, page_no, DPI)
        rects = [w.rect for f in fields.values() for w in f.widgets if w.page == page_no - 1]
        for value in values:
            fld = fields[value.name]
            if value.text and fld.widgets[0].page == page_no - 1:
                rect = fld.widgets[0].rect
                assert dark_pixels(after, rect, dpi=DPI) > dark_pixels(before, rect, dpi=DPI) + 20, value.name
            if value.state and value.state != "Off":
                for widget in fld.widgets:
                    if widget.page == page_no - 1:
                        gained = (dark_pixels(after, widget.rect, inset=1, dpi=DPI)
                                  - dark_pixels(before, widget.rect, inset=1, dpi=DPI))
                        assert (gained > 8) == (value.state in widget.states), (value.name, widget.states)
        changed = [
            (x / SCALE, y / SCALE) for y in range(0, after.height, 3) for x in range(0, after.width, 3)
            if abs(after.getpixel((x, y)) - before.getpixel((x, y))) > 60  # type: ignore[operator]
            and not any(r[0] - 1 <= x / SCALE <= r[2] + 1 and r[1] - 1 <= (after.height - y) / SCALE <= r[3] + 1
                        for r in rects)
        ]
        assert changed == [], f"page {page_no}: ink outside the fields at {changed[:5]}"


def test_too_long_for_real_boxes(blank: bytes) -> None:
    fields = read_pdf_fields(PdfReader(io.BytesIO(blank)))
    year = fields["Applicant DOB Y"]  # comb field, MaxLen 4
    assert fits("2024", year, year.widgets[0], parse_da(year.da))
    assert not fits("20245", year, year.widgets[0], parse_da(year.da))
    divorce = fields["Widow/Divorce Date (mm/dd/yyyy)"]  # 93 pt wide, fixed 18 pt font
    style = parse_da(divorce.da)
    assert style.size == 18
    assert not fits("01/02/2003", divorce, divorce.widgets[0], style)
    assert characters_that_fit("01/02/2003", divorce, divorce.widgets[0], style) == 9  # one character too many


def test_ds11_file_is_not_in_the_repository() -> None:
    assert not list(ROOT.glob("**/us-state-dept-ds11.pdf"))
    assert Path(DS11).is_file()
