"""Who may approve a file, as the repository said before the change: CODEOWNERS, else the approvers list."""

from __future__ import annotations

from collections.abc import Callable

from .approvers_list import APPROVERS_FILE, Person, parse_approvers
from .codeowners import LOCATIONS, parse
from .model import Rules


def read_rules(read: Callable[[str], str | None], file: str) -> Rules:
    """The rules for ``file`` (repository path); ``read(path)`` gives a repository file's text or None."""
    rules = Rules()
    for location in LOCATIONS:
        text = read(location)
        if text is not None:
            owners = parse(text, location)
            rules.owners = tuple(o.lower() for o in owners.owners(file))
            rules.has_codeowners = True
            rules.where = location
            break
    text = read(APPROVERS_FILE)
    if text is not None:
        rules.approvers, rules.problems = parse_approvers(text)
        rules.where = rules.where or APPROVERS_FILE
    return rules


def entitled(rules: Rules, person: Person, teams: Callable[[str], set[str] | None] | None = None) -> tuple[bool, str]:
    """Whether ``person`` may approve the file, and if not, why (in words)."""
    if rules.has_codeowners:
        names = person.owner_names()
        listed = next((p for p in rules.approvers if p.matches(person)), None)
        if listed is not None:  # the approvers list says who a login or an e-mail address belongs to
            names |= listed.owner_names()
        if names & set(rules.owners):
            return True, ""
        for owner in rules.owners:
            if "/" in owner and owner.startswith("@") and teams is not None:
                members = teams(owner)
                if members is not None and person.github.lower() in members:
                    return True, ""
        if not rules.owners:
            return False, f"{rules.where} names no code owner of this file"
        named_teams = [o for o in rules.owners if "/" in o and o.startswith("@")]
        hint = (f"; a member of {', '.join(named_teams)} counts once {APPROVERS_FILE} lists them with teams: "
                f"[{named_teams[0]}]" if named_teams else "")
        return False, f"not a code owner of this file ({rules.where} names {', '.join(rules.owners)}){hint}"
    if rules.approvers:
        if any(p.matches(person) for p in rules.approvers):
            return True, ""
        return False, f"not on the approvers list {APPROVERS_FILE}"
    return False, f"the repository names nobody who may approve: add {LOCATIONS[0]} or {APPROVERS_FILE}"
