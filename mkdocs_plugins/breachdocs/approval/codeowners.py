"""CODEOWNERS: who owns a file of the repository (GitHub's rules: gitignore-like patterns, last match wins).

Looked for where GitHub looks: ``.github/CODEOWNERS``, ``CODEOWNERS``, ``docs/CODEOWNERS``.
An owner is ``@login``, ``@org/team`` or an e-mail address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Where GitHub reads the CODEOWNERS file, in its order.
LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")


@dataclass(frozen=True)
class Rule:
    pattern: str
    regex: re.Pattern[str]
    owners: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class CodeOwners:
    """The rules of one CODEOWNERS file (``path`` is where it was read)."""

    path: str
    rules: tuple[Rule, ...]

    def owners(self, file: str) -> tuple[str, ...]:
        """The owners of ``file`` (a path relative to the repository root): the last matching rule's."""
        for rule in reversed(self.rules):
            if rule.regex.match(file):
                return rule.owners
        return ()


def parse(text: str, path: str = LOCATIONS[0]) -> CodeOwners:
    rules = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        pattern, *owners = line.split()
        rules.append(Rule(pattern, _regex(pattern), tuple(owners), number))
    return CodeOwners(path, tuple(rules))


def _regex(pattern: str) -> re.Pattern[str]:
    """A gitignore-style pattern as a regular expression over repository-relative paths."""
    anchored = pattern.startswith("/") or "/" in pattern.rstrip("/")
    directory = pattern.endswith("/")
    body = pattern.strip("/")
    out, i = [], 0
    while i < len(body):
        if body.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif body.startswith("/**", i) and i + 3 == len(body):
            out.append("/.*")
            i += 3
        elif body.startswith("**", i):
            out.append(".*")
            i += 2
        elif body[i] == "*":
            out.append("[^/]*")
            i += 1
        elif body[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(body[i]))
            i += 1
    prefix = "^" if anchored else "^(?:.*/)?"
    suffix = "/.*$" if directory else "(?:/.*)?$"
    return re.compile(prefix + "".join(out) + suffix)
