"""Who approved each change to an incident: the pull request's reviews, else ``Approved-by:`` trailers.

:func:`approvals` gives, for each incident file, the :class:`Approval` of the
commit that brought it to its current state, with the history of the earlier
changes on the branch since the file was added: the file counts as approved only
when every one of them was. With GitHub's API at hand (the workflow's
``GITHUB_TOKEN``, ``GITHUB_REPOSITORY``, ``GITHUB_API_URL``), an approval is read
from the pull request's reviews; otherwise from the merge commit's
``Approved-by:`` trailers checked against the approvers list kept in the
repository. Who may approve (CODEOWNERS, the approvers list) is read as the
branch stood before each change. Each approval says which source it came from.

The approval of a merged commit does not change: what the API said of a commit
is kept in the user's cache folder (outside the repository, :mod:`.saved`), so a
rebuild asks the API only about commits it has not judged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from .changes import Change, change_history, file_at, repository_prefix
from .github import GitHub, GitHubError
from .model import GITHUB_REVIEW, NO_SOURCE, TRAILER, Approval, Approver, EarlierChange
from .reviews import review_approval
from .rules import read_rules
from .saved import SavedApprovals
from .trailers import trailer_approval

__all__ = ["GITHUB_REVIEW", "NO_SOURCE", "TRAILER", "Approval", "Approver", "EarlierChange", "GitHub", "approvals"]

_USE_ENV = object()


def approvals(root: Path, paths: list[str], rev: str = "HEAD", github: GitHub | None | object = _USE_ENV
              ) -> dict[str, Approval]:
    """The approval of each of ``paths`` (relative to ``root``) as of ``rev``; paths without history are left out.

    ``github`` defaults to the API of the environment (None: do not use one).
    """
    prefix = repository_prefix(root)
    if prefix is None:
        return {}
    api = GitHub.from_env() if github is _USE_ENV else github
    assert api is None or isinstance(api, GitHub)
    changes = change_history(root, paths, rev)
    # The same commits give the same approvals: a site build and its filings ask once (the history decides).
    key = (str(root.resolve()), tuple(sorted((p, tuple(c.commit for c in h)) for p, h in changes.items())),
           (api.api, api.repository) if api else None)
    if key not in _KNOWN:
        _KNOWN.clear()  # one project's latest answers are all a process keeps
        _KNOWN[key] = _approvals(root, prefix, changes, api)
    return dict(_KNOWN[key])


_KNOWN: dict[Any, dict[str, Approval]] = {}


def _approvals(root: Path, prefix: str, changes: dict[str, list[Change]], api: GitHub | None
               ) -> dict[str, Approval]:
    out: dict[str, Approval] = {}
    files: dict[tuple[str, str], str | None] = {}  # (commit, path): a repository file, read once
    saved = SavedApprovals.of(root, api)

    def local(rev: str, location: str) -> str | None:
        if (rev, location) not in files:
            files[rev, location] = file_at(root, rev, location)
        return files[rev, location]

    def judged(file: str, change: Change) -> Approval:
        found = saved.get(file, change.commit) if saved else None
        if found is None:
            found = _approval(file, change, api, local)
            if saved and found.source == GITHUB_REVIEW:  # what the API said; a fallback is asked again
                saved.put(found)
        return found

    for path, history in changes.items():
        latest, *earlier = (judged(prefix + path, change) for change in history)
        out[path] = _with_history(latest, tuple(a.earlier() for a in reversed(earlier)))
    return out


def _with_history(latest: Approval, history: tuple[EarlierChange, ...]) -> Approval:
    """The latest change's approval, approved only when every earlier change was too (which one was not, why)."""
    unapproved = [h for h in history if not h.approved]
    problems = [f"earlier change in commit {h.commit[:12]} ({h.date[:10]}) is not approved: {'; '.join(h.problems)}"
                for h in unapproved]
    return replace(latest, approved=latest.approved and not unapproved, problems=(*latest.problems, *problems),
                   history=history)


def _approval(file: str, change: Change, github: GitHub | None, local: Callable[[str, str], str | None]) -> Approval:
    if github is not None:
        try:
            rules = read_rules(lambda location: github.file(location, change.base), file)
            return review_approval(github, file, change, rules)
        except GitHubError as error:
            why = f"the GitHub API could not be read ({error})"
    else:
        why = "no review API (GITHUB_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL are not all set)"
    rules = read_rules(lambda location: local(change.base, location), file)
    return trailer_approval(file, change, rules, why)
