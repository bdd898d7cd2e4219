"""Making user text safe to put in a Markdown page.

Incident fields are user input. A page template puts them into Markdown that
MkDocs turns into HTML, so a field must not be able to add HTML (``<script>``),
Markdown (``*``, ``[link](...)``, ``{: attr}``, a heading or a list) or a
template expression (``{{ 7*7 }}``). :func:`md_text` writes every character
that means something to HTML or Markdown as a numeric character reference,
which Markdown leaves alone and the browser shows as the character itself, and
keeps the text on one source line so it cannot start a block.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from markupsafe import Markup

#: Characters that HTML, Markdown, its extensions (attr_list, tables, footnotes,
#: abbreviations, admonitions) or a template language give a meaning to.
_SPECIAL = "&<>\"'\\`*_{}[]()#+!|~^=$%:"
_ESCAPES: dict[int, str] = {ord(c): f"&#{ord(c)};" for c in _SPECIAL}
_ESCAPES.update({ord("\n"): "&#10;", ord("\r"): "", ord("\t"): " "})
#: A line starting with one of these can open a block (list, rule, numbered list, quote).
_LINE_START = "-.0123456789 "


def md_text(value: Any) -> Markup:
    """``value`` as text that reads the same once rendered, and is never markup."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    if isinstance(value, bool):
        return Markup("yes" if value else "no")
    if isinstance(value, int):
        return Markup(f"{value:,}")
    if isinstance(value, dt.date):
        return Markup(value.isoformat())
    return _escaped(str(value))


@functools.lru_cache(maxsize=1 << 16)
def _escaped(value: str) -> Markup:
    """:func:`md_text` of a string; remembered, as pages repeat the same names, codes and reasons."""
    text = value.translate(_ESCAPES)
    if text[:1] and text[0] in _LINE_START:
        text = f"&#{ord(text[0])};{text[1:]}"
    return Markup(text)


def paragraphs(value: Any) -> list[Markup]:
    """Text split at blank lines, each paragraph made safe with :func:`md_text`, its lines kept apart by ``<br>``."""
    if not value:
        return []
    blocks = str(value).replace("\r\n", "\n").split("\n\n")
    return [Markup("<br>").join(md_text(line.strip()) for line in block.strip().splitlines())
            for block in blocks if block.strip()]


def lines(value: Any, separator: str = "; ") -> Markup:
    """Text cut at ``separator`` (a reason trace ``a; b; c``), each part made safe, one part per line."""
    return Markup("<br>").join(md_text(part) for part in str(value or "").split(separator) if part.strip())

