"""Adding pages to a finished PDF by an *incremental update* (ISO 32000-1, 7.5.6).

The original bytes stay as they are, first in the file; after them come the
added pages (copied with everything they use), the page tree with the new
pages in it, the document information, optionally bookmarks, and a
cross-reference section that points back to the original one. Readers see one
document; anyone can cut the file at the original length and get the original
back, hash for hash. It is also cheap: only the new objects are written,
instead of copying every object of the document (what ``PdfWriter.append``
does).

Used for the approval stamp (a cover page in front of a filed document) and
for filing packets (the notice's pages after the flattened form).
:func:`add_pages` returns None when a plain update is not possible (the last
cross-reference section is a stream, or the document is encrypted); callers
then write the document afresh.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from typing import Any, cast

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

from .pdf_encoding import fast_tokens

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
#: Page attributes a page may take from its ancestors in the page tree; copied onto a moved page.
_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


def _ref(number: int) -> IndirectObject:
    return IndirectObject(number, 0, cast(Any, None))


class _Objects:
    """The objects of the update, numbered after the original document's."""

    def __init__(self, size: int) -> None:
        self.next = size
        self.written: dict[int, tuple[int, PdfObject]] = {}  # number -> (generation, object)

    def new(self, obj: PdfObject | None = None) -> int:
        number = self.next
        self.next += 1
        if obj is not None:
            self.written[number] = (0, obj)
        return number

    def replace(self, ref: IndirectObject, obj: PdfObject) -> None:
        self.written[ref.idnum] = (ref.generation, obj)


def _copy_pages(data: bytes, objects: _Objects, parent: IndirectObject) -> list[IndirectObject]:
    """Every page of ``data``, copied with what it uses into ``objects``; their references, in order."""
    reader = PdfReader(io.BytesIO(data))
    numbers: dict[int, int] = {}
    pending: list[IndirectObject] = []

    def copy(value: Any) -> Any:
        if isinstance(value, IndirectObject):
            if value.idnum not in numbers:
                numbers[value.idnum] = objects.new()
                pending.append(value)
            return _ref(numbers[value.idnum])
        if isinstance(value, StreamObject):
            stream = StreamObject()
            stream._data = value._data  # the bytes as stored (still encoded), with the same /Filter
            stream.update({k: copy(v) for k, v in value.items() if k != "/Length"})
            return stream
        if isinstance(value, DictionaryObject):
            return DictionaryObject({k: copy(v) for k, v in value.items()})
        if isinstance(value, ArrayObject):
            return ArrayObject(copy(v) for v in value)
        return value

    refs = []
    for page in reader.pages:
        attributes = {k: v for k, v in page.items() if k != "/Parent"}
        ancestor = page.get("/Parent")
        while ancestor is not None:  # inherited attributes become the page's own
            node = ancestor.get_object()
            for key in _INHERITED:
                if key not in attributes and key in node:
                    attributes[key] = node.raw_get(key)
            ancestor = node.get("/Parent")
        copied = DictionaryObject({k: copy(v) for k, v in attributes.items()})
        copied[NameObject("/Parent")] = parent
        refs.append(_ref(objects.new(copied)))
    done = 0
    while done < len(pending):  # everything the pages reach, each object once (copy() appends what it meets)
        ref = pending[done]
        objects.written[numbers[ref.idnum]] = (0, copy(ref.get_object()))
        done += 1
    return refs


def _outline(objects: _Objects, items: Sequence[tuple[str, IndirectObject]]) -> IndirectObject:
    """A flat outline (bookmarks), each item opening its page fitted to the window."""
    root = _ref(objects.new())
    refs = [_ref(objects.new()) for _ in items]
    for n, ((title, page), ref) in enumerate(zip(items, refs, strict=True)):
        item = DictionaryObject({
            NameObject("/Title"): TextStringObject(title),
            NameObject("/Parent"): root,
            NameObject("/Dest"): ArrayObject([page, NameObject("/Fit")]),
        })
        if n > 0:
            item[NameObject("/Prev")] = refs[n - 1]
        if n + 1 < len(refs):
            item[NameObject("/Next")] = refs[n + 1]
        objects.written[ref.idnum] = (0, item)
    outlines = DictionaryObject({NameObject("/Type"): NameObject("/Outlines"),
                                 NameObject("/Count"): NumberObject(len(refs))})
    if refs:
        outlines[NameObject("/First")] = refs[0]
        outlines[NameObject("/Last")] = refs[-1]
    objects.written[root.idnum] = (0, outlines)
    return root


def add_pages(
    base: bytes,
    *,
    before: Sequence[bytes] = (),
    after: Sequence[bytes] = (),
    info: Mapping[str, str],
    keep_info: bool = False,
    outline: Sequence[tuple[str, int]] = (),
    file_id: bytes,
) -> bytes | None:
    """``base`` with the pages of the ``before`` documents in front and of ``after`` at the end.

    ``info`` sets the document information (added to the original's with ``keep_info``);
    ``outline`` replaces the bookmarks with (title, index of the page in the result);
    ``file_id`` (16 bytes) is the second part of the file identifier, the first stays
    the original's. None when ``base`` does not allow a plain update.
    """
    found = _STARTXREF.search(base[-1024:])
    if found is None or not base[int(found.group(1)):].startswith(b"xref"):
        return None
    reader = PdfReader(io.BytesIO(base))
    if reader.is_encrypted:
        return None
    trailer = reader.trailer
    root_ref = trailer.raw_get("/Root")
    catalog = root_ref.get_object()
    pages_ref = catalog.raw_get("/Pages")
    if not isinstance(root_ref, IndirectObject) or not isinstance(pages_ref, IndirectObject):
        return None
    objects = _Objects(int(cast(Any, trailer["/Size"])))

    front = [ref for data in before for ref in _copy_pages(data, objects, pages_ref)]
    back = [ref for data in after for ref in _copy_pages(data, objects, pages_ref)]
    tree: Any = pages_ref.get_object()
    new_tree = DictionaryObject(tree.items())
    new_tree[NameObject("/Kids")] = ArrayObject([*front, *tree.raw_get("/Kids"), *back])
    new_tree[NameObject("/Count")] = NumberObject(int(tree["/Count"]) + len(front) + len(back))
    objects.replace(pages_ref, new_tree)

    if outline:
        pages: list[Any] = [*front, *(p.indirect_reference for p in reader.pages), *back]
        new_catalog = DictionaryObject(catalog.items())
        new_catalog[NameObject("/Outlines")] = _outline(objects, [(title, pages[i]) for title, i in outline])
        new_catalog[NameObject("/PageMode")] = NameObject("/UseOutlines")
        objects.replace(root_ref, new_catalog)

    document_info = DictionaryObject()
    old_info = trailer.get("/Info")
    if keep_info and old_info is not None:
        document_info.update(old_info.get_object().items())
    document_info.update({NameObject(k): TextStringObject(v) for k, v in info.items()})
    info_number = objects.new(document_info)

    out = io.BytesIO()
    out.write(base if base.endswith(b"\n") else base + b"\n")
    offsets: dict[int, int] = {}
    with fast_tokens():
        for number in sorted(objects.written):
            generation, obj = objects.written[number]
            offsets[number] = out.tell()
            out.write(f"{number} {generation} obj\n".encode())
            obj.write_to_stream(out)
            out.write(b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n")
    runs: list[list[int]] = []
    for number in sorted(offsets):
        if runs and runs[-1][-1] == number - 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    for run in runs:
        out.write(f"{run[0]} {len(run)}\n".encode())
        for number in run:
            out.write(f"{offsets[number]:010d} {objects.written[number][0]:05d} n\r\n".encode())
    second = ByteStringObject(file_id)
    first_id = trailer.get("/ID")
    first = first_id[0] if first_id else second
    first = ByteStringObject(getattr(first, "original_bytes", first))  # as bytes: written in hex, as it came
    new_trailer = DictionaryObject({
        NameObject("/Size"): NumberObject(objects.next),
        NameObject("/Root"): root_ref,
        NameObject("/Info"): _ref(info_number),
        NameObject("/ID"): ArrayObject([first, second]),
        NameObject("/Prev"): NumberObject(int(found.group(1))),
    })
    out.write(b"trailer\n")
    with fast_tokens():
        new_trailer.write_to_stream(out)
    out.write(f"\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()
