"""Plain-text bodies laid out line by line (``letters.plain_pdf``, the regulator worksheets' PDFs): every
word printed in order inside the margins, pages numbered from page 2, headings kept with what follows,
long words cut, the Unicode font when the text needs it, the same bytes every time."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from markupsafe import escape
from pypdf import PdfReader
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from breachdocs.letters import plain_pdf as plain_pdf_module
from breachdocs.letters.plain_pdf import plain_pdf
from breachdocs.letters.template import Block, LetterBody, Section

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
SENTENCE = "The business learned that an unauthorised person copied files holding names and account numbers."


def _body(*blocks: tuple[str, str]) -> LetterBody:
    return LetterBody("test", (Section("s", (), tuple(Block(kind, markup) for kind, markup in blocks)),))


def _pages(data: bytes) -> list[str]:
    """Each page's text as pdftotext reads it, whitespace collapsed."""
    pages = []
    for n in range(1, len(PdfReader(io.BytesIO(data)).pages) + 1):
        out = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-", "-"], input=data, capture_output=True,
                             check=True).stdout.decode("utf-8")
        pages.append(" ".join(out.split()))
    return pages


def _word_boxes(data: bytes) -> list[tuple[str, float, float, float, float]]:
    """(word, left, top, right, bottom) of every word pdftotext finds, in points from the page's top left."""
    out = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=data, capture_output=True, check=True).stdout
    found = re.finditer(rb'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', out)
    return [(m.group(5).decode(), *(float(m.group(i)) for i in range(1, 5))) for m in found]


def test_a_long_body_reads_back_in_order_inside_the_margins_with_later_pages_numbered() -> None:
    paragraph = " ".join([SENTENCE] * 12)
    blocks = [("h", "Worksheet &amp; answers"), ("line", "Incident: 2025-01-01-x"), ("gap", "")]
    for n in range(1, 41):
        blocks += [("h", f"{n}. Question number {n}"), ("p", f"Answer {n}: {paragraph}"),
                   ("note", f"text, required; from: field_{n}")]
    data = plain_pdf(_body(*blocks), title="t", author="a")
    pages = _pages(data)
    assert len(pages) > 3
    assert not pages[0].startswith("Page") and "Page 1" not in pages[0]
    assert all(page.startswith(f"Page {n}") for n, page in enumerate(pages[1:], 2))
    text = " ".join(page.split(" ", 2)[2] if n else page for n, page in enumerate(pages))
    expected = "Worksheet & answers Incident: 2025-01-01-x " + " ".join(
        f"{n}. Question number {n} Answer {n}: {paragraph} text, required; from: field_{n}" for n in range(1, 41))
    assert text == expected
    width, height = LETTER
    boxes = _word_boxes(data)
    numbers = [box for box in boxes if box[2] < inch]  # above the top margin: only the page numbers
    assert [word for word, *_ in numbers] == [w for n in range(2, len(pages) + 1) for w in ("Page", str(n))]
    for _word, left, _top, right, bottom in boxes:
        assert inch <= left and right <= width - inch
        assert bottom <= height - inch


def test_a_heading_is_never_the_last_line_of_a_page() -> None:
    blocks = []
    for n in range(1, 60):
        blocks += [("h", f"Heading {n}"), ("p", f"Answer {n}" + " words" * (n % 7 * 15))]
    data = plain_pdf(_body(*blocks), title="t", author="a")
    for page in _pages(data):
        words = page.split()
        assert words[-2] != "Heading" and not page.endswith(tuple(f"Heading {n}" for n in range(60)))


def test_a_word_wider_than_the_line_is_cut_into_pieces_of_forty_characters() -> None:
    word = "W" * 1000
    data = plain_pdf(_body(("p", f"see {word} here")), title="t", author="a")
    text = " ".join(_pages(data))
    pieces = text.removeprefix("see ").removesuffix(" here").split()
    assert "".join(pieces) == word and {len(p) for p in pieces} == {40}


def test_line_breaks_in_a_block_start_new_lines_and_entities_print_as_characters() -> None:
    data = plain_pdf(_body(("line", "Acme &lt;Holdings&gt; &#34;East&#34;<br/>1 Main Street<br/>Raleigh NC")),
                     title="t", author="a")
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    assert out.splitlines()[:3] == ['Acme <Holdings> "East"', "1 Main Street", "Raleigh NC"]


def test_a_blank_line_between_paragraphs_is_kept_and_none_is_added_at_the_ends() -> None:
    data = plain_pdf(_body(("line", "<br/>First paragraph.<br/><br/>Second paragraph.<br/>")), title="t", author="a")
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
    assert [line.strip() for line in out.decode().splitlines()][:3] == ["First paragraph.", "", "Second paragraph."]
    assert plain_pdf_module.wrap_lines("\nFirst.\n\nSecond.\n", "Times-Roman", 11, 400) == ["First.", "", "Second."]


def test_the_same_body_gives_the_same_bytes_and_the_metadata_carries_the_title() -> None:
    body = _body(("h", "Title"), ("p", SENTENCE))
    first = plain_pdf(body, title="Incident: worksheet", author="Acme")
    assert first == plain_pdf(body, title="Incident: worksheet", author="Acme")
    meta = PdfReader(io.BytesIO(first)).metadata
    assert meta is not None and meta.title == "Incident: worksheet" and meta.author == "Acme"


@pytest.mark.skipif(not (DEJAVU / "DejaVuSerif.ttf").exists(), reason="needs fonts-dejavu-core")
def test_text_outside_latin_1_is_printed_in_the_unicode_font() -> None:
    data = plain_pdf(_body(("h", "Ωμέγα"), ("p", "Привет, Ελλάδα: your name and address.")), title="t", author="a")
    assert " ".join(_pages(data)) == "Ωμέγα Привет, Ελλάδα: your name and address."
    fonts = {str(f.get_object()["/BaseFont"]) for f in PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"]
             .values()}
    assert {"/AAAAAA+DejaVuSerif", "/AAAAAA+DejaVuSerif-Bold"} <= fonts and not any("Times" in f for f in fonts)


@pytest.mark.skipif(not (DEJAVU / "DejaVuSerif-Bold.ttf").exists(), reason="needs fonts-dejavu-core")
def test_a_font_registered_anew_under_a_name_is_measured_anew(monkeypatch: pytest.MonkeyPatch) -> None:
    name = "BreachdocsPlainWidthTest"
    pdfmetrics.registerFont(TTFont(name, str(DEJAVU / "DejaVuSerif.ttf")))
    widths = plain_pdf_module._widths(name, 11)
    widths["Notice"] = 1.0
    assert plain_pdf_module._widths(name, 11)["Notice"] == 1.0  # remembered while the font is the same
    monkeypatch.setitem(pdfmetrics._fonts, name, TTFont(name, str(DEJAVU / "DejaVuSerif-Bold.ttf")))
    assert "Notice" not in plain_pdf_module._widths(name, 11)


def test_a_times_body_is_written_directly_and_read_strictly_by_pypdf_and_poppler() -> None:
    """Bodies in Times (text in its encoding) are written without reportlab (``pdf.text_pages``): a well-formed
    PDF that pypdf reads in strict mode, with the title (accents and all) and language in it."""
    body = _body(("h", "Caf\u00e9 &amp; (parentheses) \\ backslash"), ("p", SENTENCE))
    data = plain_pdf(body, title="Jos\u00e9 N\u00fa\u00f1ez: worksheet (2)", author="Acme \\ Co")
    reader = PdfReader(io.BytesIO(data), strict=True)
    assert reader.metadata is not None
    assert (reader.metadata.title, reader.metadata.author) == ("Jos\u00e9 N\u00fa\u00f1ez: worksheet (2)", "Acme \\ Co")
    assert reader.trailer["/Root"]["/Lang"] == "en-US"
    assert " ".join(_pages(data)) == f"Caf\u00e9 & (parentheses) \\ backslash {SENTENCE}"
    fonts = {str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert fonts == {"/Times-Roman", "/Times-Bold"}
    assert subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stderr == b""


ODD_TEXTS = {
    "pdf syntax": ("a) Tj ET BT /F1 99 Tf (b %%EOF <</Type /Page>> endstream endobj xref",
                   "a) Tj ET BT /F1 99 Tf (b %%EOF <</Type /Page>> endstream endobj xref"),
    "backslashes and unbalanced parentheses": ("(((( \\ \\\\ \\) )", "(((( \\ \\\\ \\) )"),
    "control characters": ("NUL\x00ESC\x1bFF\x0cVT\x0bTAB\tDEL\x7fCR\rend", "NUL ESC FF VT TAB DEL CR end"),
    "combining marks": ("cafe\u0301 e\u0301te\u0301", "café été"),
    "an empty answer": ("", ""),
    "an answer of only whitespace": (" \t \x0b ", ""),
}


@pytest.mark.parametrize("name", list(ODD_TEXTS))
def test_text_made_to_break_the_pdf_reads_back_as_its_words_and_adds_no_operator(name: str) -> None:
    """Whatever an answer holds, the page shows its words (control characters separate them like spaces) and the
    content stream holds only the operators of placed lines: one text string per line, nothing injected."""
    from pypdf.generic import ContentStream

    given, shown = ODD_TEXTS[name]
    data = plain_pdf(_body(("h", "Question"), ("p", str(escape(given))), ("note", "from: field")),
                     title=f"t {given}", author="a")
    assert data == plain_pdf(_body(("h", "Question"), ("p", str(escape(given))), ("note", "from: field")),
                             title=f"t {given}", author="a")
    reader = PdfReader(io.BytesIO(data), strict=True)
    expected = " ".join(["Question", shown, "from: field"]).replace("  ", " ")
    assert [unicodedata.normalize("NFC", page) for page in _pages(data)] == [expected]  # combining marks as given
    assert " ".join(unicodedata.normalize("NFC", reader.pages[0].extract_text()).split()) == expected
    ops = ContentStream(reader.pages[0].get_contents(), reader).operations
    strings = [operands[0] for operands, op in ops if op == b"Tj"]
    assert {op for _, op in ops} <= {b"BT", b"ET", b"Tf", b"Tm", b"Td", b"Tj", b"TL", b"cm", b"q", b"Q"}  # text placed
    if name != "combining marks":  # in Times, written directly: each line one string of its text
        assert [" ".join(str(s).split()) for s in strings] == [w for w in ("Question", shown, "from: field") if w]
