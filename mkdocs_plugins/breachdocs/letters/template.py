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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from ..findings import Finding, FindingsError
from ..project import relative
from .context import join_words

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

    @cached_property
    def text(self) -> str:
        """Plain text (computed once: the content check asks each block of each state's letter)."""
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


@jinja2.pass_context
def _section(context: Any, name: str, provides: str | Iterable[str] = (), *, caller: Any) -> Markup:
    """A section; the incident's own paragraphs for it (``letter.sections``) replace the template's text."""
    ids = provides.split() if isinstance(provides, str) else [str(p) for p in provides]
    head = Markup('<section name="{}" provides="{}">').format(name, " ".join(ids))
    letter = context.get("letter")
    own = (letter.get("sections") or {}).get(name) if isinstance(letter, Mapping) else None
    body = caller() if own is None else Markup("").join(Markup("<p>{}</p>").format(p) for p in own)
    return head + Markup(body) + Markup("</section>")


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


#: Top-level statements a template may be split at; anything that sets or shares template-level
#: state (assignments, macros, imports, includes, inheritance) makes the template render whole.
_SPLITTABLE = (nodes.Output, nodes.CallBlock, nodes.If, nodes.For)
_SHARED_STATE = (nodes.Assign, nodes.AssignBlock, nodes.Macro, nodes.Import, nodes.FromImport, nodes.Include,
                 nodes.Extends, nodes.Block, nodes.ContextReference, nodes.DerivedContextReference)

#: A compiled top-level statement and the names it reads.
Chunk = tuple[jinja2.Template, frozenset[str]]
_CHUNKS: dict[int, tuple[jinja2.Template, tuple[Chunk, ...] | None]] = {}


def _chunks(env: jinja2.Environment, template: jinja2.Template) -> tuple[Chunk, ...] | None:
    """The template's top-level statements, each compiled on its own (once per compiled template), or
    None when the template cannot be split. Rendered in order and joined, they give the template's output."""
    cached = _CHUNKS.get(id(template))
    if cached is not None and cached[0] is template:
        return cached[1]
    chunks: tuple[Chunk, ...] | None = None
    if template.name is not None and env.loader is not None:
        source, filename, _ = env.loader.get_source(env, template.name)
        tree = env.parse(source, template.name, filename)
        if all(isinstance(n, _SPLITTABLE) for n in tree.body) and not any(tree.find_all(_SHARED_STATE)):
            chunks = tuple(
                (env.template_class.from_code(
                    env, env.compile(nodes.Template([node], lineno=1), template.name, filename), env.make_globals(None)),
                 frozenset(n.name for n in node.find_all(nodes.Name)))
                for node in tree.body)
    _CHUNKS[id(template)] = (template, chunks)
    return chunks


class LetterTemplate:
    """A letter template of ``templates/letters/``, loaded once and rendered per recipient."""

    def __init__(self, templates_dir: Path, name: str, *, root: Path | None = None):
        self.directory = templates_dir.resolve()
        self.name = name
        self.root = root.resolve() if root else None
        self.display = relative(str(self.directory / f"{name}.j2"), self.root)
        env = self._env = _environment(str(self.directory))
        try:
            self._template = env.get_template(f"{name}.j2")
        except jinja2.TemplateSyntaxError as exc:
            where = relative(exc.filename or str(self.directory / f"{name}.j2"), self.root)
            raise FindingsError([Finding(where, exc.lineno, 1, "", f"template syntax error: {exc.message}; "
                                         "correct the Jinja tag on this line")]) from None
        except jinja2.TemplateNotFound as exc:
            raise FindingsError([Finding(self.display, 0, 0, "", f"the template {exc.name} does not exist in "
                                         f"{relative(str(self.directory), self.root)}/")]) from None

    @cached_property
    def section_names(self) -> tuple[str, ...]:
        """Names of the sections the template writes, in order."""
        assert self._env.loader is not None
        source, _, _ = self._env.loader.get_source(self._env, f"{self.name}.j2")
        return tuple(dict.fromkeys(re.findall(r"""section\(\s*["']([^"']+)["']""", source)))

    def render(self, context: Mapping[str, Any], *, redact: bool = False) -> LetterBody:
        """Render and parse into sections. ``redact`` keeps data out of error messages (mail merge)."""
        try:
            output = self._template.render(context)
        except Exception as exc:  # noqa: BLE001 - every template failure becomes one located finding
            raise FindingsError([self._finding(exc, redact=redact)]) from None
        return self._parse(output)

    def render_each(self, contexts: Sequence[Mapping[str, Any]], *, redact: bool = False) -> Iterator[LetterBody]:
        """``render(context)`` for each context in turn, the same bodies and the same errors, but
        each top-level statement that reads only values all contexts share is rendered once, and each
        distinct section is parsed once (the content check renders one letter per state)."""
        chunks = _chunks(self._env, self._template) if len(contexts) > 1 else None
        if chunks is None:
            for context in contexts:
                yield self.render(context, redact=redact)
            return
        first = contexts[0]
        varying = {key for context in contexts[1:] for key in set(context) | set(first)
                   if key not in context or key not in first
                   or (context[key] is not first[key] and context[key] != first[key])}
        shared: dict[int, str | Finding] = {}
        memo: dict[tuple[str, str, str], Section | FindingsError] = {}
        found_in: dict[str, list[tuple[str, str, str]] | None] = {}
        for context in contexts:
            parts: list[str] = []
            for index, (chunk, names) in enumerate(chunks):
                done = None if names & varying else shared.get(index)
                if done is None:
                    try:
                        done = chunk.render(context)
                    except Exception as exc:  # noqa: BLE001 - as in render()
                        done = self._finding(exc, redact=redact)
                    if not names & varying:
                        shared[index] = done
                if isinstance(done, Finding):
                    raise FindingsError([done])
                parts.append(done)
            found = self._found(parts, found_in)
            yield self._parse("".join(parts), memo) if found is None else self._sections(found, memo)

    @staticmethod
    def _found(parts: list[str], found_in: dict[str, list[tuple[str, str, str]] | None],
               ) -> list[tuple[str, str, str]] | None:
        """The sections of ``"".join(parts)``, found part by part (each distinct part once), or None
        unless every part holds only whole sections and white space: then, and only then, the
        sections of the joined text are those of its parts in order."""
        found: list[tuple[str, str, str]] = []
        for part in parts:
            if part not in found_in:
                found_in[part] = None if _SECTION.sub("", part).strip() else _SECTION.findall(part)
            sections = found_in[part]
            if sections is None:
                return None
            found.extend(sections)
        return found

    def _line(self, exc: BaseException) -> tuple[str, int]:
        file, line = self.display, 0
        tb = exc.__traceback__
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name.endswith(".j2") and Path(name).is_relative_to(self.directory):
                file, line = relative(name, self.root), tb.tb_lineno
            tb = tb.tb_next
        return file, line

    def _finding(self, exc: BaseException, *, redact: bool) -> Finding:
        if isinstance(exc, jinja2.TemplateSyntaxError):
            where = relative(exc.filename, self.root) if exc.filename else self.display
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
                           f"{relative(str(self.directory), self.root)}/")
        if isinstance(exc, FindingsError):
            return exc.findings[0]
        detail = "" if redact else f": {type(exc).__name__}: {exc}"
        return Finding(file, line, 1, "", f"the template failed{detail}; correct the expression on this line")

    def _error(self, message: str) -> FindingsError:
        return FindingsError([Finding(self.display, 0, 0, "", message)])

    def _parse(self, output: str, memo: dict[tuple[str, str, str], Section | FindingsError] | None = None,
               ) -> LetterBody:
        """Sections of the rendered output; ``memo`` keeps parsed sections (and errors) between renders."""
        rest = _SECTION.sub("", output)
        if rest.strip():
            raise self._error("the template writes text outside {% call section(...) %} ... {% endcall %}; "
                              "put every paragraph inside a section that says what it provides")
        return self._sections(_SECTION.findall(output), memo)

    def _sections(self, found_sections: list[tuple[str, str, str]],
                  memo: dict[tuple[str, str, str], Section | FindingsError] | None) -> LetterBody:
        sections: list[Section] = []
        for found in found_sections:
            if memo is None:
                sections.append(self._parse_section(*found))
                continue
            section = memo.get(found)
            if section is None:
                try:
                    section = memo[found] = self._parse_section(*found)
                except FindingsError as exc:
                    section = memo[found] = exc
            if isinstance(section, FindingsError):
                raise FindingsError(section.findings)
            sections.append(section)
        return LetterBody(self.display, tuple(sections))

    def _parse_section(self, name: str, provides: str, inner: str) -> Section:
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
        return Section(name, tuple(provides.split()), tuple(blocks))
