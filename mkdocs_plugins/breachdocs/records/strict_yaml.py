"""Strict YAML loading with source marks.

PyYAML follows YAML 1.1, which quietly changes what a person typed: an
unquoted ZIP ``01111`` becomes the octal number 585, ``no`` becomes ``false``,
``8:30`` becomes 510, and a duplicate key silently keeps its last value. For
legal records each of these is an error with a hint, reported with the line
and column where it stands.

:func:`load_yaml` returns plain JSON-like data (dates stay text, so the schema
checks their form), the line and column of every key and value, and findings.
It never raises for bad input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..files import FileProblem, read_file
from ..findings import Finding

MAX_BYTES = 1_000_000
MAX_NODES = 100_000
MAX_ALIASES = 100
#: Deepest nesting of lists and mappings read (a record is a few levels deep).
MAX_DEPTH = 40

Path_ = tuple[str | int, ...]

_PLAIN_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_PLAIN_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


def dotted(path: Path_) -> str:
    """``("affected", "residents", "US-NC")`` -> ``affected.residents.US-NC``; list items as ``[0]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


@dataclass
class Marks:
    """Line and column (1-based) of each key and value, by path."""

    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def of(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Where ``path`` stands; falls back to its nearest ancestor present."""
        p = tuple(path)
        while True:
            first, second = (self.keys, self.values) if key else (self.values, self.keys)
            if p in first:
                return first[p]
            if p in second:
                return second[p]
            if not p:
                return (1, 1)
            p = p[:-1]


@dataclass
class Loaded:
    path: str
    data: Any
    marks: Marks
    findings: list[Finding]
    text: str = ""

    def finding(self, path: Path_, message: str, *, key: bool = False, severity: str = "error") -> Finding:
        line, col = self.marks.of(path, key=key)
        return Finding(self.path, line, col, dotted(path), message, severity)  # type: ignore[arg-type]


class _Loader(yaml.SafeLoader):
    """SafeLoader whose composer we drive ourselves; nothing is constructed by PyYAML."""


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class _Builder:
    def __init__(self, path: str):
        self.path = path
        self.marks = Marks()
        self.findings: list[Finding] = []
        self.nodes = 0
        self.aliases = 0
        self.seen: set[int] = set()
        self.too_big = False
        self.too_deep = False

    def error(self, node: yaml.Node, path: Path_, message: str) -> None:
        line, col = _mark(node)
        self.findings.append(Finding(self.path, line, col, dotted(path), message))

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.nodes += 1
        if id(node) in self.seen:
            self.aliases += 1
        self.seen.add(id(node))
        if self.nodes > MAX_NODES or self.aliases > MAX_ALIASES:
            if not self.too_big:
                self.too_big = True
                self.error(
                    node,
                    path,
                    f"the file expands to too many values (more than {MAX_NODES:,} values "
                    f"or {MAX_ALIASES} alias uses); write the values out instead of using "
                    "many YAML anchors and aliases",
                )
            return None
        if len(path) > MAX_DEPTH:
            if not self.too_deep:
                self.too_deep = True
                self.error(node, path[:1], f"the values are nested more than {MAX_DEPTH} levels deep; "
                           "a record is a few levels deep: check the indentation and the brackets")
            return None
        self.marks.values.setdefault(path, _mark(node))
        if node.tag not in _STANDARD_TAGS:
            self.error(node, path, f"the YAML tag {node.tag!r} is not allowed; remove it and write plain text")
            return None
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.MappingNode)
        return self.mapping(node, path)

    def mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.error(key_node, path, "YAML merge keys (<<) are not allowed; write the fields out")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, path, "a key must be a plain name, not a list or mapping")
                continue
            key = key_node.value
            if not key_node.style and key_node.tag == "tag:yaml.org,2002:bool":
                self.error(
                    key_node,
                    path + (key,),
                    f"YAML 1.1 reads the key {key} as a true/false value; quote it: {_quoted(key)}:",
                )
            line, col = _mark(key_node)
            if key in first_seen:
                self.error(
                    key_node,
                    path + (key,),
                    f"duplicate key '{key}' (first given on line {first_seen[key]}); "
                    "YAML would silently keep only the last one: keep one and delete the other",
                )
                continue
            first_seen[key] = line
            child = path + (key,)  # one tuple for both marks: 10,000 incidents hold ~1.2M of them
            self.marks.keys[child] = (line, col)
            out[key] = self.build(value_node, child)
        return out

    def scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        text = node.value
        if node.style:  # quoted or block scalar: always text (plain is None in PyYAML, "" in libyaml)
            return text
        tag = node.tag
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            meaning = "true" if text.lower() in {"yes", "on", "y"} else "false"
            self.error(
                node,
                path,
                f"YAML 1.1 reads the unquoted word {text} as {meaning}; write {meaning} "
                f"for a yes/no answer, or quote it ({_quoted(text)}) if you mean the word",
            )
            return text
        numbers = {"tag:yaml.org,2002:int": (_PLAIN_INT, int), "tag:yaml.org,2002:float": (_PLAIN_FLOAT, float)}
        if tag in numbers:
            plain, kind = numbers[tag]
            if plain.fullmatch(text):
                return kind(text)
            self.error(
                node,
                path,
                f"YAML 1.1 reads the unquoted {text} as the number {yaml.safe_load(text)}; "
                f"quote it to keep it as written: {_quoted(text)}",
            )
            return text
        # timestamps stay text: the schema checks their form
        return text


def _decode(raw: bytes, path: str) -> tuple[str | None, list[Finding]]:
    if len(raw) > MAX_BYTES:
        return None, [
            Finding(path, 1, 1, "", f"the file is {len(raw):,} bytes, over the limit of {MAX_BYTES:,}; "
                    "split it or shorten long texts")
        ]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            Finding(path, line, col, "", f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8")
        ]
    return text, []


def _syntax_finding(exc: yaml.MarkedYAMLError, path: str) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or "invalid YAML"
    if "'\\t'" in problem or "\t" in problem:
        message = "a tab character cannot indent YAML; replace the tab with spaces"
    elif "expected a single document" in str(exc):
        message = "the file holds more than one YAML document (a second '---'); keep one record per file"
    else:
        context = f" ({exc.context})" if exc.context else ""
        message = f"YAML syntax error: {problem}{context}; check the indentation and quoting on this line"
    return Finding(path, line, col, "", message)


def _compose(text: str) -> yaml.Node | None:
    """The node tree of ``text``: libyaml's fast parser when present; PyYAML's own parser for a file
    it rejects, so syntax errors read the same everywhere."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.compose(text, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=_Loader)


def load_yaml_text(text: str, path: str) -> Loaded:
    """Parse YAML text strictly; see the module docstring."""
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        return Loaded(path, None, Marks(), [_syntax_finding(exc, path)], text)
    except RecursionError:
        return Loaded(path, None, Marks(), [Finding(path, 1, 1, "", f"the values are nested too deep to read "
                                                   f"(more than {MAX_DEPTH} levels); a record is a few levels deep: "
                                                   "check the indentation and the brackets")], text)
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors for text input
        return Loaded(path, None, Marks(), [Finding(path, 1, 1, "", f"YAML error: {exc}")], text)
    if node is None:
        return Loaded(path, None, Marks(), [Finding(path, 1, 1, "", "the file is empty; write the record's fields")], text)
    builder = _Builder(path)
    data = builder.build(node, ())
    return Loaded(path, data, builder.marks, builder.findings, text)


def load_yaml(file: Path, display: str | None = None, *, root: Path | None = None) -> Loaded:
    """Read and parse one YAML file strictly, through :func:`~breachdocs.files.read_file` (inside the
    project ``root`` after resolving links, a regular file, at most ``MAX_BYTES``). ``display`` is the
    path printed in findings."""
    shown = display or str(file)
    try:
        raw = read_file(file, root=root, limit=MAX_BYTES)
    except FileProblem as problem:
        return Loaded(shown, None, Marks(), [problem.finding(shown)])
    text, problems = _decode(raw, shown)
    if text is None:
        return Loaded(shown, None, Marks(), problems)
    return load_yaml_text(text, shown)
