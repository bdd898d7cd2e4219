"""The approvers list kept in the repository (``.github/approvers.yaml``), and ``Approved-by:`` trailers.

Where no review API is at hand (a local build, another forge), a change is
approved by an ``Approved-by: Name <email>`` trailer on the commit that merged
it, and the trailer counts only for a person the repository lists::

    # .github/approvers.yaml
    approvers:
      - name: Lee Lawyer
        email: lee@example.com
        github: lee-lawyer      # optional: the same person's GitHub login
        teams: ["@acme/legal"]  # optional: CODEOWNERS teams the person belongs to

A CODEOWNERS team counts for its members: read from GitHub when the token may
read the organisation's teams, else from ``teams`` here (the workflow's own
token cannot read team membership).

The list and CODEOWNERS are read as they stood *before* the change (the merge
commit's first parent), so a change cannot add its own approver.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..records import load_yaml_text

APPROVERS_FILE = ".github/approvers.yaml"
_PERSON = re.compile(r"^\s*(?P<name>[^<]*?)\s*(?:<(?P<email>[^>]+)>)?\s*$")


@dataclass(frozen=True)
class Person:
    name: str
    email: str = ""
    github: str = ""
    teams: tuple[str, ...] = ()

    def matches(self, other: Person) -> bool:
        if self.email and other.email and self.email.lower() == other.email.lower():
            return True
        return bool(self.github and other.github and self.github.lower() == other.github.lower())

    def owner_names(self) -> set[str]:
        """How CODEOWNERS may name this person: ``@login`` or the e-mail address (lower case)."""
        return {n.lower() for n in (self.email, f"@{self.github}" if self.github else "", *self.teams) if n}


def parse_person(text: str) -> Person:
    """``Name <email>`` or ``@login`` (a trailer's value) as a person."""
    text = text.strip()
    if text.startswith("@") and " " not in text:
        return Person(text, github=text[1:])
    match = _PERSON.match(text)
    if match is None:
        return Person(text)
    return Person(match["name"] or match["email"] or text, match["email"] or "")


def parse_approvers(text: str, path: str = APPROVERS_FILE) -> tuple[list[Person], list[str]]:
    """The people of an approvers list, and what is wrong with it (``path:line: ...``)."""
    loaded = load_yaml_text(text, path)
    problems = [str(f) for f in loaded.findings]
    data: Any = loaded.data
    entries = data.get("approvers") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return [], [*problems, f"{path}: approvers: write a list of people, each with name and email"]
    people = []
    for entry in entries:
        if isinstance(entry, dict) and entry.get("name") and (entry.get("email") or entry.get("github")):
            teams = entry.get("teams") or []
            people.append(Person(str(entry["name"]), str(entry.get("email") or ""), str(entry.get("github") or ""),
                                 tuple(str(t) for t in teams) if isinstance(teams, list) else ()))
        else:
            problems.append(f"{path}: approvers: each entry needs name and email (or github), not {entry!r}")
    return people, problems
