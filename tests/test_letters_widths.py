"""Letters and worksheets measure words from a memo of reportlab's own widths while they are laid out: the same
bytes as reportlab measuring every word, a font registered anew under a name measured anew, and reportlab as it
was after every letter (also one that fails)."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import paragraph

from benchmarks.generate import write_project
from breachdocs.filings.documents import incident_worksheets
from breachdocs.letters import pdf as letter_pdf_module
from breachdocs.letters.pdf import letter_pdf
from breachdocs.letters.template import Block, LetterBody, Section
from breachdocs.project import Project
from breachdocs.project_check import check
from breachdocs.submissions.worksheet import worksheet_body

TODAY = dt.date(2026, 11, 24)
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def _body(*texts: str) -> LetterBody:
    blocks = [Block("h", "Notice of a data breach")]
    blocks += [Block("p", text) for text in texts]
    return LetterBody("test", (Section("body", (), tuple(blocks)),))


def _both(monkeypatch: pytest.MonkeyPatch, make: object) -> tuple[bytes, bytes]:
    assert callable(make)
    remembered = make()
    with monkeypatch.context() as patch:
        patch.setattr(letter_pdf_module, "_measured", contextlib.nullcontext)
        plain = make()
    return remembered, plain


def test_worksheet_bodies_laid_out_by_platypus_are_the_bytes_of_reportlab_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = Project(write_project(tmp_path, 12, seed=5))
    incidents, _ = check(project, today=TODAY)
    made = [ws for incident in incidents for ws in incident_worksheets(project, incident)]
    assert len(made) >= 12
    for ws in made:
        first, plain = _both(monkeypatch, lambda ws=ws: letter_pdf(worksheet_body(ws), title="t", author="a"))
        assert first == plain
        assert letter_pdf(worksheet_body(ws), title="t", author="a") == plain  # again, every width from the memo


@pytest.mark.skipif(not (DEJAVU / "DejaVuSerif.ttf").exists(), reason="needs fonts-dejavu-core")
def test_letters_in_both_fonts_and_with_long_words_are_the_bytes_of_reportlab_alone(
        monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [("We write about an incident that involved your information. " * 40).strip(),
             "Contact us at " + "x" * 300 + " or call 1-800-555-0100.",
             "Ωμέγα Ελλάδα: your name, address and Social Security number; Привет."]
    for body in (_body(*texts[:2]), _body(*texts)):  # Times, then DejaVu Serif (Greek and Cyrillic)
        for personal in ((), ("Dana Doe",)):
            first, plain = _both(monkeypatch, lambda b=body, p=personal: letter_pdf(b, title="t", author="a",
                                                                                   personal=p))
            assert first == plain
            assert letter_pdf(body, title="t", author="a", personal=personal) == plain


@pytest.mark.skipif(not (DEJAVU / "DejaVuSerif-Bold.ttf").exists(), reason="needs fonts-dejavu-core")
def test_a_font_registered_anew_under_a_name_is_measured_anew(monkeypatch: pytest.MonkeyPatch) -> None:
    name = "BreachdocsWidthTest"
    asked: list[str] = []

    def counted(text: str, font: str, size: float, encoding: str = "utf8") -> float:
        asked.append(text)
        return float(pdfmetrics.stringWidth(text, font, size, encoding))

    pdfmetrics.registerFont(TTFont(name, str(DEJAVU / "DejaVuSerif.ttf")))
    measure = letter_pdf_module._remembered(counted)
    first = measure("Notice of a breach", name, 11)
    assert measure("Notice of a breach", name, 11) == first and asked == ["Notice of a breach"]
    bold = TTFont(name, str(DEJAVU / "DejaVuSerif-Bold.ttf"))
    monkeypatch.setitem(pdfmetrics._fonts, name, bold)  # another font object under the name (as a Type 1 font is)
    again = measure("Notice of a breach", name, 11)
    assert asked == ["Notice of a breach"] * 2
    assert again == bold.stringWidth("Notice of a breach", 11) != first


def test_reportlab_is_as_it_was_after_a_letter_and_after_one_that_fails() -> None:
    plain = paragraph.stringWidth
    assert plain is pdfmetrics.stringWidth
    letter_pdf(_body("A short letter."), title="t", author="a")
    assert paragraph.stringWidth is plain
    with pytest.raises(ValueError), letter_pdf_module._measured():
        assert paragraph.stringWidth is not plain
        raise ValueError("a failure while laying out")
    assert paragraph.stringWidth is plain
