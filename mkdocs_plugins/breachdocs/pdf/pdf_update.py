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
cross-reference section is a stream, the document is encrypted, or its trailer's
``/Size`` is not one more than its highest object number); callers then write the
document afresh.

An added page is either copied from another PDF or given as a :class:`DrawnPage`
(its operators and the standard fonts they name), which costs no parsing. The
original document is not parsed whole either: the update needs only its trailer,
catalog, page tree and document information, read where its cross-reference
tables say they are (:func:`_read_base`); a document those tables do not describe
plainly is read by pypdf instead, with the same result.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from pypdf import PdfReader
from pypdf.errors import PdfReadError
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
    read_object,
)

from .pdf_encoding import fast_tokens

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_SUBSECTION = re.compile(rb"(\d+) (\d+)[ \t]*\r?\n")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_OBJECT = re.compile(rb"(\d+)\s+(\d+)\s+obj\s*")
_TRAILER = re.compile(rb"\s*trailer\s*")
#: Page attributes a page may take from its ancestors in the page tree; copied onto a moved page.
_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


def _ref(number: int) -> IndirectObject:
    return IndirectObject(number, 0, cast(Any, None))


@dataclass(frozen=True)
class DrawnPage:
    """A page given as its drawing: uncompressed content-stream operators and the standard (Type 1, not
    embedded) fonts they name, by resource name (``{"F1": "Helvetica"}``); text in WinAnsi encoding."""

    content: bytes
    fonts: Mapping[str, str]
    size: tuple[float, float] = (612, 792)


def _drawn_page(page: DrawnPage, objects: _Objects, parent: IndirectObject) -> IndirectObject:
    fonts = DictionaryObject()
    for name, base_font in sorted(page.fonts.items()):
        fonts[NameObject(f"/{name}")] = _ref(objects.new(DictionaryObject({
            NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject(f"/{base_font}"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})))
    content = StreamObject()
    content._data = page.content
    return _ref(objects.new(DictionaryObject({
        NameObject("/Type"): NameObject("/Page"), NameObject("/Parent"): parent,
        NameObject("/MediaBox"): ArrayObject([NumberObject(0), NumberObject(0), *map(_number, page.size)]),
        NameObject("/Resources"): DictionaryObject({NameObject("/Font"): fonts}),
        NameObject("/Contents"): _ref(objects.new(content))})))


def _number(value: float) -> NumberObject:
    return NumberObject(int(value))


class _Unread:
    """Stands for the reader of references read by :func:`_read_base` (never resolved: only written back); strict,
    so that anything pypdf would repair is an error there and the document is left to pypdf."""

    strict = True

    def get_object(self, _reference: Any) -> None:
        raise PdfReadError("a reference to resolve")


_UNREAD: Any = _Unread()


@dataclass(frozen=True)
class _Base:
    """What an update needs of the original document."""

    trailer: DictionaryObject
    catalog: DictionaryObject
    tree: DictionaryObject
    info: DictionaryObject | None


def _read_base(base: bytes, xref_at: int) -> _Base | None:
    """The trailer, catalog, page tree and document information of ``base``, read at the offsets its
    cross-reference tables give (newest first, following ``/Prev``); None when they are anything but plain
    tables of a document whose page tree is a dictionary of direct ``/Kids`` and ``/Count``."""
    offsets: dict[int, int] = {}
    trailer: DictionaryObject | None = None
    seen: set[int] = set()
    at: int | None = xref_at
    try:
        while at is not None:
            if at in seen or not base.startswith(b"xref", at):
                return None
            seen.add(at)
            pos = at + 4
            while pos < len(base) and base[pos] in b" \t\r\n":
                pos += 1
            while (sub := _SUBSECTION.match(base, pos)) is not None:
                first, count = int(sub.group(1)), int(sub.group(2))
                pos = sub.end()
                for number in range(first, first + count):
                    entry = _ENTRY.match(base, pos)
                    if entry is None:
                        return None
                    in_use = entry.group(3) == b"n" and int(entry.group(2)) == 0  # else freed (or reused): -1
                    offsets.setdefault(number, int(entry.group(1)) if in_use else -1)
                    pos = entry.end()
                    while pos < len(base) and base[pos] in b" \r\n":
                        pos += 1
            found = _TRAILER.match(base, pos)
            if found is None:
                return None
            stream = io.BytesIO(base)
            stream.seek(found.end())
            section = read_object(stream, _UNREAD)
            if not isinstance(section, DictionaryObject) or "/XRefStm" in section or "/Encrypt" in section:
                return None
            trailer = trailer or section
            previous = section.get("/Prev")
            at = int(previous) if isinstance(previous, NumberObject) else None
            if previous is not None and at is None:
                return None

        def load(ref: Any) -> DictionaryObject | None:
            if not isinstance(ref, IndirectObject) or ref.generation != 0 or offsets.get(ref.idnum, -1) < 0:
                return None
            header = _OBJECT.match(base, offsets[ref.idnum])
            if header is None or int(header.group(1)) != ref.idnum or int(header.group(2)) != 0:
                return None
            stream = io.BytesIO(base)
            stream.seek(header.end())
            value = read_object(stream, _UNREAD)
            return value if isinstance(value, DictionaryObject) else None

        assert trailer is not None
        catalog = load(trailer.raw_get("/Root")) if "/Root" in trailer else None
        tree = load(catalog.raw_get("/Pages")) if catalog is not None and "/Pages" in catalog else None
        info = load(trailer.raw_get("/Info")) if "/Info" in trailer else None
    except (ValueError, KeyError, IndexError, TypeError, PdfReadError):
        return None
    if (catalog is None or tree is None or ("/Info" in trailer and info is None)
            or not isinstance(tree.get("/Kids"), ArrayObject) or not isinstance(tree.get("/Count"), NumberObject)
            or trailer.get("/Size") != max(offsets, default=-1) + 1):
        return None
    return _Base(trailer, catalog, tree, info)


def _size_true(base: bytes, size: Any) -> bool:
    """Whether ``size`` (the trailer's ``/Size``) is one more than the highest number of an object ``base`` holds, as
    the standard requires: the update's objects are numbered from it, so a smaller one would replace objects of the
    document and a larger one give numbers past what readers accept. (For a document pypdf reads: its tables may
    not say, so the objects themselves are counted.)"""
    return bool(size == max((int(m.group(1)) for m in _OBJECT.finditer(base)), default=-1) + 1)


def _read_base_by_pypdf(reader: PdfReader) -> _Base:
    trailer = reader.trailer
    info = trailer.get("/Info")
    return _Base(trailer, cast(DictionaryObject, trailer.raw_get("/Root").get_object()),
                 cast(DictionaryObject, trailer.raw_get("/Root").get_object().raw_get("/Pages").get_object()),
                 cast(DictionaryObject, info.get_object()) if info is not None else None)


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
    before: Sequence[bytes | DrawnPage] = (),
    after: Sequence[bytes | DrawnPage] = (),
    info: Mapping[str, str],
    keep_info: bool = False,
    outline: Sequence[tuple[str, int]] = (),
    file_id: bytes,
) -> bytes | None:
    """``base`` with the pages of the ``before`` documents (or drawn pages) in front and of ``after`` at the end.

    ``info`` sets the document information (added to the original's with ``keep_info``);
    ``outline`` replaces the bookmarks with (title, index of the page in the result);
    ``file_id`` (16 bytes) is the second part of the file identifier, the first stays
    the original's. None when ``base`` does not allow a plain update.
    """
    found = _STARTXREF.search(base[-1024:])
    if found is None or not base[int(found.group(1)):].startswith(b"xref"):
        return None
    known = None if outline else _read_base(base, int(found.group(1)))
    reader = None
    if known is None:
        reader = PdfReader(io.BytesIO(base))
        if reader.is_encrypted or not _size_true(base, reader.trailer.get("/Size")):
            return None
        known = _read_base_by_pypdf(reader)
    trailer, catalog = known.trailer, known.catalog
    root_ref = trailer.raw_get("/Root")
    pages_ref = catalog.raw_get("/Pages")
    if not isinstance(root_ref, IndirectObject) or not isinstance(pages_ref, IndirectObject):
        return None
    objects = _Objects(int(cast(Any, trailer["/Size"])))

    def added(documents: Sequence[bytes | DrawnPage]) -> list[IndirectObject]:
        return [ref for item in documents
                for ref in ([_drawn_page(item, objects, pages_ref)] if isinstance(item, DrawnPage)
                            else _copy_pages(item, objects, pages_ref))]

    front, back = added(before), added(after)
    tree: Any = known.tree
    new_tree = DictionaryObject(tree.items())
    new_tree[NameObject("/Kids")] = ArrayObject([*front, *tree.raw_get("/Kids"), *back])
    new_tree[NameObject("/Count")] = NumberObject(int(tree["/Count"]) + len(front) + len(back))
    objects.replace(pages_ref, new_tree)

    if outline:
        assert reader is not None
        pages: list[Any] = [*front, *(p.indirect_reference for p in reader.pages), *back]
        new_catalog = DictionaryObject(catalog.items())
        new_catalog[NameObject("/Outlines")] = _outline(objects, [(title, pages[i]) for title, i in outline])
        new_catalog[NameObject("/PageMode")] = NameObject("/UseOutlines")
        objects.replace(root_ref, new_catalog)

    document_info = DictionaryObject()
    if keep_info and known.info is not None:
        document_info.update(known.info.items())
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
