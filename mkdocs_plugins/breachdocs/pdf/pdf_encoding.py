"""PDF names and strings written with table lookups: pypdf encodes them a character at a time on every write.

A filled form writes the same few hundred names (``/Type``, ``/Rect``, ``/Annots`` ...) tens of
thousands of times, and each text string byte by byte with one ``stream.write`` per byte; that was
about a third of a fill's CPU. Both are pure functions of the object's text, so:

- ``NameObject``: the bytes of ``NameObject.renumber`` are kept per name (a bounded memo);
- ``TextStringObject``: the encoded bytes (``get_encoded_bytes``, untouched) are escaped with a
  256-entry table, every byte that is not an ASCII letter, digit or space as ``\\ooo``, exactly as
  pypdf's loop does, and written at once.

The output is byte-for-byte what pypdf writes (``tests/test_forms_fill_pinned.py`` pins the
SHA-256 of a filled form and compares both encoders with pypdf's own on tricky text).
"""

from __future__ import annotations

from typing import Any

from pypdf.generic import NameObject, TextStringObject

#: Bound on the memo, so a stream of odd names (flattening's per-widget XObject names) cannot grow it forever.
MAX_NAMES = 50_000
_encoded: dict[str, bytes] = {}
_original_renumber = NameObject.renumber
_original_text_write = TextStringObject.write_to_stream
_TABLE = NameObject.renumber_table
#: pypdf's rule: a byte is written as itself when ``bytes.isalnum()`` (ASCII letters, digits) or a space.
_ESCAPED = [bytes([b]) if bytes([b]).isalnum() or b == 0x20 else b"\\%03o" % b for b in range(256)]


def encoded_name(name: NameObject) -> bytes:
    """The bytes pypdf writes for ``name`` (PdfStreamError for a name without its leading '/', as pypdf)."""
    key = str.__str__(name)
    data = _encoded.get(key)
    if data is None:
        data = _original_renumber(name)
        if len(_encoded) >= MAX_NAMES:
            _encoded.clear()
        _encoded[key] = data
    return data


def encoded_text(text: TextStringObject) -> bytes:
    """The bytes pypdf writes for a text string: ``(`` the escaped encoded bytes ``)``."""
    return b"(" + b"".join([_ESCAPED[b] for b in text.get_encoded_bytes()]) + b")"


def _write_name(self: NameObject, stream: Any) -> None:
    stream.write(encoded_name(self))


def _write_text(self: TextStringObject, stream: Any) -> None:
    stream.write(encoded_text(self))


def install() -> None:
    """Make every NameObject and TextStringObject write through the tables (idempotent)."""
    if NameObject.renumber_table is not _TABLE:
        raise RuntimeError("pypdf's NameObject.renumber_table was replaced; the name memo would be stale")
    NameObject.write_to_stream = _write_name  # type: ignore[method-assign]
    TextStringObject.write_to_stream = _write_text  # type: ignore[method-assign]


__all__ = ["MAX_NAMES", "encoded_name", "encoded_text", "install"]
