"""One type for every problem breachdocs reports, and the ways it prints.

A :class:`Finding` locates a problem in a file (line and column, 1-based) and
names the field it concerns with a dotted path (``dates.discovered``,
``affected.residents.US-NC``). The CLI, the MkDocs build and pytest all print
findings through :func:`format_findings`, so a lawyer sees the same sentence
wherever the problem is caught.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]
Format = Literal["text", "github", "json"]

#: The control characters a terminal would act on (all but tab, line feed and carriage return), each mapped to
#: its escape, written as JSON writes it (``\\u001b``): printed JSON stays valid and means the same.
_CONTROLS = {c: f"\\u{c:04x}" for c in (*range(0x20), *range(0x7F, 0xA0)) if c not in (0x09, 0x0A, 0x0D)}


def printable(text: str) -> str:
    """``text`` with each control character a terminal would act on written as its escape (``\\u001b``): a name,
    an answer or a reviewer's name can hold them, and printed raw they could move the cursor, rewrite what is on
    the screen or retitle the terminal."""
    return text.translate(_CONTROLS)


@dataclass(frozen=True, order=True)
class Finding:
    """A located problem: ``path:line:column: severity: field: message``."""

    path: str
    line: int
    column: int
    field: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        field = f"{self.field}: " if self.field else ""
        return printable(f"{where}: {self.severity}: {field}{self.message}")

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class FindingsError(Exception):
    """Raised by code that cannot go on because its input has findings."""

    def __init__(self, findings: Iterable[Finding]):
        self.findings = sorted(findings)
        super().__init__("\n".join(str(f) for f in self.findings))


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.is_error for f in findings)


def _github_escape(text: str, *, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_github(finding: Finding) -> str:
    """A GitHub Actions workflow command that annotates the line in the diff."""
    props = [f"file={_github_escape(finding.path, prop=True)}"]
    if finding.line:
        props.append(f"line={finding.line}")
    if finding.column:
        props.append(f"col={finding.column}")
    if finding.field:
        props.append(f"title={_github_escape(finding.field, prop=True)}")
    return f"::{finding.severity} {','.join(props)}::{_github_escape(finding.message)}"


def format_findings(findings: Iterable[Finding], fmt: Format = "text") -> str:
    """All findings, sorted by file and line, in one of the three formats."""
    ordered = sorted(findings)
    if fmt == "json":
        return json.dumps([asdict(f) for f in ordered], indent=2, ensure_ascii=False)
    if fmt == "github":
        return "\n".join(format_github(f) for f in ordered)
    return "\n".join(str(f) for f in ordered)
