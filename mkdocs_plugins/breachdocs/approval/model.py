"""What an approval is: who approved which commit of an incident file, from which source, and whether it counts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: Sources of an approval, as the stamp and the manifest name them.
GITHUB_REVIEW = "GitHub pull request review"
TRAILER = "Approved-by trailer"
NO_SOURCE = "none"


@dataclass(frozen=True)
class Approver:
    """One person who approved (or tried to): a reviewer, or the person an ``Approved-by:`` trailer names."""

    name: str
    login: str = ""  # GitHub login, when known
    email: str = ""
    at: str = ""  # when they approved, ISO 8601
    commit: str = ""  # the commit they approved
    code_owner: bool = False  # a code owner of the file (or, without CODEOWNERS, on the approvers list)
    counts: bool = False  # an approval of what was merged, by someone entitled to give it
    note: str = ""  # why it does not count

    def label(self) -> str:
        if self.login and self.name and self.name != self.login:
            return f"{self.name} (@{self.login})"
        if self.login:
            return f"@{self.login}"
        return f"{self.name} <{self.email}>" if self.email else self.name


@dataclass(frozen=True)
class EarlierChange:
    """How an earlier change to an incident file (on the branch, after the file was added) was approved."""

    commit: str
    date: str
    source: str  # GITHUB_REVIEW, TRAILER or NO_SOURCE
    approved: bool
    pull_request: int | None = None
    approved_by: str = ""  # the names of those whose approval counts
    problems: tuple[str, ...] = ()  # why it is not approved

    def text(self) -> str:
        """One short line: the commit, its source, approved or not and why."""
        source = f"pull request #{self.pull_request}" if self.pull_request is not None else self.source
        if self.approved:
            return f"commit {self.commit[:12]} ({self.date[:10]}, {source}): approved by {self.approved_by}"
        return f"commit {self.commit[:12]} ({self.date[:10]}, {source}): NOT APPROVED: {'; '.join(self.problems)}"


@dataclass(frozen=True)
class Approval:
    """The approval of the change that brought an incident file to its current state, with the earlier ones.

    ``approved`` holds only when that change and every earlier one (``history``) are approved.
    """

    file: str  # the incident file, relative to the repository root
    commit: str  # the commit on the branch that last changed it (a merge or squash commit)
    date: str  # that commit's committer date, ISO 8601
    source: str  # GITHUB_REVIEW, TRAILER or NO_SOURCE
    approved: bool
    approvers: tuple[Approver, ...] = ()
    problems: tuple[str, ...] = ()  # why it is not approved, or what could not be read
    pull_request: int | None = None
    pull_url: str = ""
    merged_head: str = ""  # the pull request's head commit when it was merged
    merged_by: str = ""
    rules: str = ""  # where the list of who may approve was read (CODEOWNERS or the approvers list)
    history: tuple[EarlierChange, ...] = ()  # the earlier changes since the file was added, oldest first

    @property
    def approved_by(self) -> tuple[Approver, ...]:
        """The approvals that count."""
        return tuple(a for a in self.approvers if a.counts)

    def earlier(self) -> EarlierChange:
        """This approval, judged alone, as an entry of a later change's history."""
        return EarlierChange(self.commit, self.date, self.source, self.approved, self.pull_request,
                             self.names() if self.approved else "", self.problems)

    def names(self) -> str:
        return ", ".join(a.label() for a in self.approved_by) or "nobody"

    def source_text(self) -> str:
        if self.source == GITHUB_REVIEW and self.pull_request is not None:
            return f"{GITHUB_REVIEW} of #{self.pull_request} (GitHub REST API)"
        if self.source == TRAILER:
            return f"{TRAILER} on the merge commit, checked against {self.rules or 'the approvers list'}"
        return "no approval source"

    def summary(self) -> str:
        """One line for a build's output."""
        if self.approved:
            return f"{self.file}: approved by {self.names()} ({self.source_text()}) in commit {self.commit[:12]}"
        return f"{self.file}: NOT APPROVED in commit {self.commit[:12]}: {'; '.join(self.problems)}"

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["approvers"] = [asdict(a) for a in self.approvers]
        out["problems"] = list(self.problems)
        out["history"] = [{**asdict(h), "problems": list(h.problems)} for h in self.history]
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Approval:
        return cls(**{**data, "approvers": tuple(Approver(**a) for a in data.get("approvers", [])),
                      "problems": tuple(data.get("problems", [])),
                      "history": tuple(EarlierChange(**{**h, "problems": tuple(h.get("problems", []))})
                                       for h in data.get("history", []))})


@dataclass
class Rules:
    """Who may approve a file: CODEOWNERS (when the repository has one), else the approvers list."""

    owners: tuple[str, ...] = ()  # CODEOWNERS owners of the file, lower case (``@login``, ``@org/team``, e-mail)
    has_codeowners: bool = False
    approvers: list[Any] = field(default_factory=list)  # approvers_list.Person
    where: str = ""
    problems: list[str] = field(default_factory=list)
