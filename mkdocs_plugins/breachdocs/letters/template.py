"""Letter templates: Jinja2 in the sandbox, sections that declare their content.

A letter template (``templates/letters/NAME.j2``) writes its text in sections::

    {% call section("what_happened", provides="incident_description") %}
      <h>What Happened</h>
      <p>{{ incident.circumstances | sentence }}</p>
    {% endcall %}

``provides`` names the content ids (the ``required_content`` vocabulary of the
jurisdiction files) the section gives the reader. A section that renders empty
provides nothing, so the content check (:mod:`.content_check`) proves each
required element from the letter as rendered, not from what a template claims
in passing. Inside a section the blocks are ``<h>`` (heading), ``<p>``
(paragraph), ``<line>`` (a line of an address or signature), ``<note>`` (small
print) and ``<gap/>`` (blank space); inside a block only ``<b> <i> <u> <sup>
<br/>`` are allowed. Output is autoescaped, so data never turns into markup.

Templates run in Jinja2's immutable sandbox with ``StrictUndefined``: a value
the letter data lacks is an error naming the template, the line and the value.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup

from ..findings import Finding, FindingsError
from .context import join_words

BLOCK_KINDS = ("h", "p", "line", "note", "gap")
INLINE_TAGS = frozenset({"b", "i", "u", "sup", "br"})

_SECTION = re.compile(r'<section name="([^"]*)" provides="([^"]*)">(.*?)</section>', re.S)
_BLOCK = re.compile(r"<(h|p|line|note)>(.*?)</\1>|<gap\s*/>", re.S)
_TAG = re.compile(r"<\s*/?\s*([A-Za-z][A-Za-z0-9]*)([^>]*)>")
_SPACE = re.compile(r"\s+")
_UNDEFINED = re.compile(r"'([^']+)' is undefined|has no attribute '([^']+)'|no element '?([^']+?)'?$")


@dataclass(frozen=True)
class Block:
    """One paragraph-like piece of a letter; ``markup`` is escaped text with inline tags."""

    kind: str
    markup: str

    @property
    def text(self) -> str:
        return html.unescape(_TAG.sub(lambda m: "\n" if m.group(1) == "br" else "", self.markup))


@dataclass(frozen=True)
class Section:
    name: str
    provides: tuple[str, ...]
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class LetterBody:
    """A rendered letter: its sections in order."""

    template: str
    sections: tuple[Section, ...]

    @property
    def blocks(self) -> list[Block]:
        return [b for s in self.sections for b in s.blocks]

    def provided(self) -> set[str]:
        """Content ids given by sections that rendered some text."""
        return {c for s in self.sections if any(b.text.strip() for b in s.blocks) for c in s.provides}

    @property
    def text(self) -> str:
        """Plain text: blocks separated by blank lines, address and signature lines kept together."""
        out: list[str] = []
        for block in self.blocks:
            if block.kind == "gap":
                out.append("")
            elif block.kind == "line" and out and out[-1] != "" and not out[-1].endswith("\n"):
                out[-1] += "\n" + block.text
            else:
                out.append(block.text)
        return "\n\n".join(p for p in out if p) + "\n"


def _section(name: str, provides: str | Iterable[str] = (), *, caller: Any) -> Markup:
    ids = provides.split() if isinstance(provides, str) else [str(p) for p in provides]
    head = Markup('<section name="{}" provides="{}">').format(name, " ".join(ids))
    return head + Markup(caller()) + Markup("</section>")


def _sentence(value: Any) -> str:
    """Capitalise the first letter and end with a full stop: 'prior to sending ...' -> 'Prior to sending ....'."""
    text = str(value).strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


@cache
def _environment(directory: str) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(directory),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.globals["section"] = _section
    env.filters["sentence"] = _sentence
    env.filters["words"] = join_words
    return env


def _display(file: str, root: Path | None) -> str:
    path = Path(file)
    if root is not None and path.is_relative_to(root):
        return path.relative_to(root).as_posix()
    return str(path)


class LetterTemplate:
    """A letter template of ``templates/letters/``, loaded once and rendered per recipient."""

    def __init__(self, templates_dir: Path, name: str, *, root: Path | None = None):
        self.directory = templates_dir.resolve()
        self.name = name
        self.root = root.resolve() if root else None
        self.display = _display(str(self.directory / f"{name}.j2"), self.root)
        env = _environment(str(self.directory))
        try:
            self._template = env.get_template(f"{name}.j2")
        except jinja2.TemplateSyntaxError as exc:
            where = _display(exc.filename or str(self.directory / f"{name}.j2"), self.root)
            raise FindingsError([Finding(where, exc.lineno, 1, "", f"template syntax error: {exc.message}; "
                                         "correct the Jinja tag on this line")]) from None
        except jinja2.TemplateNotFound as exc:
            raise FindingsError([Finding(self.display, 0, 0, "", f"the template {exc.name} does not exist in "
                                         f"{_display(str(self.directory), self.root)}/")]) from None

    def render(self, context: Mapping[str, Any], *, redact: bool = False) -> LetterBody:
        """Render and parse into sections. ``redact`` keeps data out of error messages (mail merge)."""
        try:
            output = self._template.render(context)
        except Exception as exc:  # noqa: BLE001 - every template failure becomes one located finding
            raise FindingsError([self._finding(exc, redact=redact)]) from None
        return self._parse(output)

    def _line(self, exc: BaseException) -> tuple[str, int]:
        file, line = self.display, 0
        tb = exc.__traceback__
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name.endswith(".j2") and Path(name).is_relative_to(self.directory):
                file, line = _display(name, self.root), tb.tb_lineno
            tb = tb.tb_next
        return file, line

    def _finding(self, exc: BaseException, *, redact: bool) -> Finding:
        if isinstance(exc, jinja2.TemplateSyntaxError):
            where = _display(exc.filename, self.root) if exc.filename else self.display
            return Finding(where, exc.lineno, 1, "", f"template syntax error: {exc.message}; correct the Jinja tag")
        file, line = self._line(exc)
        if isinstance(exc, jinja2.UndefinedError):
            match = _UNDEFINED.search(str(exc.message or ""))
            name = next((g for g in match.groups() if g), "?") if match else "?"
            message = (f"the template uses the value '{name}', which the letter data does not have; add it to the "
                       "incident, or write the line inside {% if ... is defined %}")
            return Finding(file, line, 1, "", message)
        if isinstance(exc, SecurityError):
            detail = "" if redact else f" ({exc})"
            return Finding(file, line, 1, "", f"the template does something the sandbox forbids{detail}; a letter "
                           "template may only print the letter data and use Jinja's plain tags and filters")
        if isinstance(exc, jinja2.TemplateNotFound):
            return Finding(file, line, 1, "", f"the template includes '{exc.name}', which is not a file of "
                           f"{_display(str(self.directory), self.root)}/")
        if isinstance(exc, FindingsError):
            return exc.findings[0]
        detail = "" if redact else f": {type(exc).__name__}: {exc}"
        return Finding(file, line, 1, "", f"the template failed{detail}; correct the expression on this line")

    def _error(self, message: str) -> FindingsError:
        return FindingsError([Finding(self.display, 0, 0, "", message)])

    def _parse(self, output: str) -> LetterBody:
        sections: list[Section] = []
        rest = _SECTION.sub("", output)
        if rest.strip():
            raise self._error("the template writes text outside {% call section(...) %} ... {% endcall %}; "
                              "put every paragraph inside a section that says what it provides")
        for name, provides, inner in _SECTION.findall(output):
            if "<section " in inner:
                raise self._error(f"section '{name}' holds another section; sections cannot be nested")
            leftover = _BLOCK.sub("", inner)
            if leftover.strip():
                raise self._error(f"section '{name}' has text outside <p>, <h>, <line> or <note>; "
                                  "wrap each paragraph in <p>...</p>")
            blocks = []
            for match in _BLOCK.finditer(inner):
                kind = match.group(1) or "gap"
                markup = _SPACE.sub(" ", match.group(2) or "").strip()
                bad = [t.group(0) for t in _TAG.finditer(markup)
                       if t.group(1).lower() not in INLINE_TAGS or t.group(2).strip() not in ("", "/")]
                if bad:
                    raise self._error(f"section '{name}' uses the tag {bad[0]}; inside a paragraph only "
                                      "<b>, <i>, <u>, <sup> and <br/> are allowed, without attributes")
                markup = re.sub(r"<br\s*/?>", "<br/>", markup)
                if kind == "gap" or markup:
                    blocks.append(Block(kind, markup))
            sections.append(Section(name, tuple(provides.split()), tuple(blocks)))
        return LetterBody(self.display, tuple(sections))
