"""Pages added by an incremental update (``forms.pdf_update``): the original bytes first, every page
readable by a second PDF reader (poppler), bookmarks to the right pages, same bytes every time."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

from formtools import MASSMUTUAL, ROOT, pdftotext
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from breachdocs.forms import build_outputs
from breachdocs.pdf.packet import build_packet, text_pdf
from breachdocs.pdf.pdf_update import add_pages
from breachdocs.project import Project
from breachdocs.project_check import check


def _massmutual_flat() -> bytes:
    project = Project(ROOT)
    incidents, _ = check(project, [project.incidents_dir / f"{MASSMUTUAL}.yaml"])
    outputs, findings = build_outputs(project.templates_dir, incidents[0], flatten=True, root=ROOT)
    assert findings == []
    return outputs[0].data


def _pages_text(data: bytes) -> list[str]:
    return [" ".join(page.split()) for page in pdftotext(data).split("\f")[:-1]]


def _pdfinfo(data: bytes) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "in.pdf").write_bytes(data)
        return subprocess.run(["pdfinfo", str(Path(tmp) / "in.pdf")], capture_output=True, text=True, check=True)


def test_packet_is_the_flat_form_then_the_notice_in_one_update() -> None:
    flat = _massmutual_flat()
    notice = text_pdf("Copy of the notice", "Dear <NAME>:\n\nA paragraph of the notice.\n\n" + "More text. " * 400)
    packet = build_packet([("NC form", flat), ("Copy of the notice", notice)], title="NC form (packet)")
    assert packet[:len(flat)] == flat
    assert packet == build_packet([("NC form", flat), ("Copy of the notice", notice)], title="NC form (packet)")
    assert _pages_text(packet) == _pages_text(flat) + _pages_text(notice)
    info = _pdfinfo(packet)
    assert info.stderr == ""
    assert "Title:           NC form (packet)" in info.stdout
    assert f"Pages:           {2 + len(_pages_text(notice))}" in info.stdout
    reader = PdfReader(io.BytesIO(packet))
    assert [(i.title, reader.get_destination_page_number(i)) for i in reader.outline] == [  # type: ignore[union-attr]
        ("NC form", 0), ("Copy of the notice", 2)]
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def _inheriting_pdf(text: str) -> bytes:
    """One page whose font resources and media box sit on the page tree, not on the page."""
    writer = PdfWriter()
    page = writer.add_blank_page(300, 200)
    del page[NameObject("/Resources")]
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 14 Tf 20 100 Td ({text}) Tj ET".encode())
    page[NameObject("/Contents")] = writer._add_object(content)
    tree = writer.root_object["/Pages"]
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    tree[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_inherited_resources_travel_with_a_moved_page() -> None:
    extra = _inheriting_pdf("Inherited fonts still draw")
    assert extra.count(b"/Resources") == 1  # on the page tree only (pypdf's reader copies it onto the page)
    base = text_pdf("Base", "The first page.")
    both = add_pages(base, before=[extra], info={"/Title": "t"}, file_id=b"\1" * 16)
    assert both is not None and both.startswith(base)
    assert _pages_text(both) == ["Inherited fonts still draw", "Base The first page."]
    assert PdfReader(io.BytesIO(both)).pages[0].mediabox.width == 300


def test_keep_info_adds_to_the_original_information() -> None:
    base = text_pdf("Base", "Text.")  # reportlab's information: a title, producer and so on
    kept = add_pages(base, after=[base], info={"/Subject": "s"}, keep_info=True, file_id=b"\2" * 16)
    fresh = add_pages(base, after=[base], info={"/Subject": "s"}, file_id=b"\2" * 16)
    assert kept is not None and fresh is not None
    assert PdfReader(io.BytesIO(kept)).metadata["/Title"] == "Base"  # type: ignore[index]
    assert "/Title" not in (PdfReader(io.BytesIO(fresh)).metadata or {})
    first = base[base.rindex(b"/ID"):].split(b"<")[1].split(b">")[0]  # the original's first identifier
    assert b"/ID [ <" + first + b"> <" + b"02" * 16 + b"> ]" in kept[len(base):]


def test_a_cross_reference_stream_or_encryption_gets_none() -> None:
    flat = _massmutual_flat()
    writer = PdfWriter(io.BytesIO(flat), incremental=True)
    writer.add_metadata({"/Subject": "updated by pypdf"})
    streamed = io.BytesIO()
    writer.write(streamed)
    assert add_pages(streamed.getvalue(), after=[flat], info={}, file_id=b"\0" * 16) is None
    locked = PdfWriter(clone_from=PdfReader(io.BytesIO(flat)))
    locked.encrypt("secret")
    encrypted = io.BytesIO()
    locked.write(encrypted)
    assert add_pages(encrypted.getvalue(), after=[flat], info={}, file_id=b"\0" * 16) is None
    # A packet whose form cannot be updated is written afresh, with the same pages and bookmarks.
    packet = build_packet([("Form", streamed.getvalue()), ("Notice", flat)], title="p")
    assert _pages_text(packet) == _pages_text(flat) * 2
    assert len(PdfReader(io.BytesIO(packet)).outline) == 2
