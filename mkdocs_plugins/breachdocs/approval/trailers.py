"""Approval without a review API: ``Approved-by:`` trailers on the merge commit, checked against the repository's list."""

from __future__ import annotations

from .approvers_list import APPROVERS_FILE, parse_person
from .changes import Change
from .model import TRAILER, Approval, Approver, Rules
from .rules import entitled


def trailer_approval(file: str, change: Change, rules: Rules, why_no_api: str = "") -> Approval:
    approvers = []
    for value in change.approved_by:
        person = parse_person(value)
        ok, why = entitled(rules, person)
        approvers.append(Approver(person.name, person.github, person.email, change.date, change.commit, ok, ok, why))
    problems = list(rules.problems)
    if not change.approved_by:
        problems.append(f"commit {change.commit[:12]} has no Approved-by: trailer"
                        + (f" and {why_no_api}" if why_no_api else ""))
    problems += [f"the Approved-by: trailer naming {a.label()} does not count: {a.note}" for a in approvers if not a.counts]
    approved = any(a.counts for a in approvers)
    return Approval(file, change.commit, change.date, TRAILER, approved, tuple(approvers),
                    () if approved else tuple(problems), rules=rules.where or APPROVERS_FILE)
