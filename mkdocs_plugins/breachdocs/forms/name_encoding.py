"""PDF names written from a memo: pypdf encodes every name a character at a time on every write.

A filled form writes the same few hundred names (``/Type``, ``/Rect``, ``/Annots`` ...) tens of
thousands of times; that encoding was about a quarter of a fill's CPU. ``NameObject.renumber`` is a
pure function of the name's text (and the class's ``renumber_table``), so its bytes are kept per
name and written again as they are: the output is byte-for-byte what pypdf writes
(``tests/test_forms_fill_pinned.py`` pins the SHA-256 of a filled form).
"""

from __future__ import annotations

from typing import Any

from pypdf.generic import NameObject

#: Bound on the memo, so a stream of odd names (flattening's per-widget XObject names) cannot grow it forever.
MAX_NAMES = 50_000
_encoded: dict[str, bytes] = {}
_original_renumber = NameObject.renumber


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


def _write_to_stream(self: NameObject, stream: Any) -> None:
    stream.write(encoded_name(self))


def install() -> None:
    """Make every NameObject write its memoised bytes (idempotent; the renumber table is not touched)."""
    if NameObject.renumber_table is not _TABLE:
        raise RuntimeError("pypdf's NameObject.renumber_table was replaced; the name memo would be stale")
    NameObject.write_to_stream = _write_to_stream  # type: ignore[method-assign]


_TABLE = NameObject.renumber_table

__all__ = ["MAX_NAMES", "encoded_name", "install"]
