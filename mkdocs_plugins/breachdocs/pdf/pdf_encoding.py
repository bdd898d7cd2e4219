"""PDF names and strings written with table lookups while our writer writes.

pypdf encodes names and strings a character at a time on every write. A filled form writes the same few
hundred names (``/Type``, ``/Rect``, ``/Annots`` ...) tens of thousands of times, and each text string byte
by byte with one ``stream.write`` per byte; that was about a third of a fill's CPU. Both are pure
functions of the object's text, so:

- ``NameObject``: the bytes of ``NameObject.renumber`` are kept per name (a bounded memo);
- ``TextStringObject``: the encoded bytes (``get_encoded_bytes``, untouched) are escaped with a
  256-entry table, every byte that is not an ASCII letter, digit or space as ``\\ooo``, exactly as
  pypdf's loop does, and written at once.

The output is byte-for-byte what pypdf writes (``tests/test_forms_fill_pinned.py`` pins the SHA-256 of a
filled form and compares both encoders with pypdf's own on tricky text).

Nothing changes on import. :func:`fast_tokens` puts the two writers in place for the length of a
``with`` block (our writer wraps each write in it) and takes them away after. Before the first use it
checks that pypdf still works as measured (the attributes it relies on are there, and its own writers
give the bytes ours give on tricky samples); if not, it warns once and leaves pypdf's own code in place:
same bytes, only slower.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import BytesIO
from typing import Any

from pypdf.generic import NameObject, TextStringObject

#: Bound on the memo, so a stream of odd names (flattening's per-widget XObject names) cannot grow it forever.
MAX_NAMES = 50_000
#: Names and texts on which our writers must give pypdf's bytes before they are used.
SAMPLE_NAMES = ("/Type", "/A#B", "/two words", "/Caf\u00e9", "/x(y)")
SAMPLE_TEXTS = ("Springfield, MA 01111", "a (b) \\ c", "tab\there\nnew line", "Caf\u00e9 \u2014 \u00bd", "\u4e2d\u6587")

_encoded: dict[str, bytes] = {}
#: pypdf's own code, as found on import (None where pypdf has no such attribute).
_original_renumber: Callable[[NameObject], bytes] | None = getattr(NameObject, "renumber", None)
_original_text_write: Callable[..., None] | None = getattr(TextStringObject, "write_to_stream", None)
_TABLE = getattr(NameObject, "renumber_table", None)
#: pypdf's rule: a byte is written as itself when ``bytes.isalnum()`` (ASCII letters, digits) or a space.
_ESCAPED = [bytes([b]) if bytes([b]).isalnum() or b == 0x20 else b"\\%03o" % b for b in range(256)]

_lock = threading.Lock()
_depth = 0
_usable: bool | None = None  # unknown until the first use
_saved: dict[type, Any] = {}


def encoded_name(name: NameObject) -> bytes:
    """The bytes pypdf writes for ``name`` (PdfStreamError for a name without its leading '/', as pypdf)."""
    key = str.__str__(name)
    data = _encoded.get(key)
    if data is None:
        assert _original_renumber is not None
        data = _original_renumber(name)
        if len(_encoded) >= MAX_NAMES:
            _encoded.clear()
        _encoded[key] = data
    return data


def encoded_text(text: TextStringObject) -> bytes:
    """The bytes pypdf writes for a text string: ``(`` the escaped encoded bytes ``)``."""
    return b"(" + b"".join([_ESCAPED[b] for b in text.get_encoded_bytes()]) + b")"


def _write_name(self: NameObject, stream: Any, encryption_key: Any = None) -> None:
    stream.write(encoded_name(self))


def _write_text(self: TextStringObject, stream: Any, encryption_key: Any = None) -> None:
    stream.write(encoded_text(self))


def pypdf_differs() -> str | None:
    """Why our writers cannot stand in for this pypdf's (None when they can)."""
    if _original_renumber is None or _original_text_write is None or _TABLE is None:
        return "pypdf's NameObject.renumber, NameObject.renumber_table or TextStringObject.write_to_stream is gone"
    if getattr(NameObject, "renumber_table", None) is not _TABLE:
        return "pypdf's NameObject.renumber_table was replaced; the name memo would be stale"
    try:
        for name in SAMPLE_NAMES:
            theirs = BytesIO()
            NameObject(name).write_to_stream(theirs)
            if theirs.getvalue() != _original_renumber(NameObject(name)):
                return f"pypdf writes the name {name!r} other than NameObject.renumber does"
        for text in SAMPLE_TEXTS:
            theirs = BytesIO()
            _original_text_write(TextStringObject(text), theirs)
            if theirs.getvalue() != encoded_text(TextStringObject(text)):
                return f"pypdf writes the text {text!r} other than breachdocs' table does"
    except Exception as error:  # noqa: BLE001 - any surprise means: do not stand in for pypdf
        return f"checking pypdf's writers failed: {error!r}"
    return None


def _check() -> bool:
    global _usable
    if _usable is None:
        reason = pypdf_differs()
        if reason is not None:
            warnings.warn(f"breachdocs: {reason}; writing PDFs with pypdf's own code (same bytes, slower)",
                          RuntimeWarning, stacklevel=4)
        _usable = reason is None
    return _usable


@contextmanager
def fast_tokens() -> Iterator[None]:
    """Within the block, NameObject and TextStringObject write through the tables (while the block runs,
    for every pypdf user of the process, with the same bytes); after it, pypdf's own code again."""
    global _depth
    with _lock:
        use = _check()
        if use:
            if _depth == 0:
                ours: tuple[tuple[type, Any], ...] = ((NameObject, _write_name), (TextStringObject, _write_text))
                for cls, writer in ours:
                    _saved[cls] = cls.__dict__.get("write_to_stream")
                    setattr(cls, "write_to_stream", writer)  # noqa: B010 - the class attribute, while the block runs
            _depth += 1
    try:
        yield
    finally:
        if use:
            with _lock:
                _depth -= 1
                if _depth == 0:
                    for cls, own in _saved.items():
                        if own is None:
                            delattr(cls, "write_to_stream")
                        else:
                            setattr(cls, "write_to_stream", own)  # noqa: B010
                    _saved.clear()


__all__ = ["MAX_NAMES", "encoded_name", "encoded_text", "fast_tokens", "pypdf_differs"]
