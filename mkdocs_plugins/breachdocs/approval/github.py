"""A small reader of GitHub's REST API: the pull request that merged a commit, its reviews, files, users.

Configured from the workflow's environment (``GITHUB_TOKEN``, ``GITHUB_REPOSITORY``,
``GITHUB_API_URL``). The token is sent only to the API address and never
appears in a message, a repr or an output.
"""

from __future__ import annotations

import base64
import json
import os
import re
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

TIMEOUT_SECONDS = 20
_NEXT = re.compile(r'<([^>]+)>;\s*rel="next"')


class GitHubError(Exception):
    """The API could not answer (the message names the request, never the token)."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class GitHub:
    api: str
    repository: str  # owner/name
    token: str = field(repr=False)
    #: Answers already read (pull requests, reviews, files, users are asked once per build).
    answers: dict[str, tuple[Any, Mapping[str, str]]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> GitHub | None:
        """The API of the workflow running this build, or None when a variable is missing."""
        env = os.environ if env is None else env
        token, repository = env.get("GITHUB_TOKEN", ""), env.get("GITHUB_REPOSITORY", "")
        api = env.get("GITHUB_API_URL", "") or ("https://api.github.com" if token and repository else "")
        if not (token and repository and api):
            return None
        return cls(api.rstrip("/"), repository, token)

    def get(self, path: str) -> Any:
        """The JSON answer to ``GET {api}/repos/{repository}{path}`` (``path`` may start with ``/`` outside it)."""
        return self._get(self._url(path))[0]

    def _url(self, path: str) -> str:
        """``/orgs/...`` and ``/users/...`` are read as they are; anything else is of the repository."""
        if path.startswith(("/orgs/", "/users/")):
            return f"{self.api}{path}"
        return f"{self.api}/repos/{self.repository}{path}"

    def get_all(self, path: str) -> list[Any]:
        """Every page of a list answer."""
        sep = "&" if "?" in path else "?"
        url: str | None = f"{self._url(path)}{sep}per_page=100"
        items: list[Any] = []
        while url:
            page, headers = self._get(url)
            if not isinstance(page, list):
                raise GitHubError(f"GET {_shown(url)}: expected a list")
            items.extend(page)
            found = _NEXT.search(headers.get("Link", ""))
            url = found[1] if found and found[1].startswith(self.api + "/") else None
        return items

    def file(self, path: str, ref: str) -> str | None:
        """A file of the repository at ``ref`` (None when there is none)."""
        try:
            answer = self.get(f"/contents/{path}?ref={ref}")
        except GitHubError as error:
            if error.status == 404:
                return None
            raise
        if not isinstance(answer, dict) or answer.get("encoding") != "base64":
            return None
        return base64.b64decode(answer.get("content", "")).decode("utf-8", errors="replace")

    def _get(self, url: str) -> tuple[Any, Mapping[str, str]]:
        if url not in self.answers:
            self.answers[url] = self._fetch(url)
        return self.answers[url]

    def _fetch(self, url: str) -> tuple[Any, Mapping[str, str]]:
        request = urllib.request.Request(url, headers={
            "Accept": "application/vnd.github+json",
            "Authorization": f"Bearer {self.token}",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": "breachdocs",
        })
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310 - the API address
                return json.loads(answer.read().decode("utf-8")), answer.headers
        except urllib.error.HTTPError as error:
            raise GitHubError(f"GET {_shown(url)}: HTTP {error.code}", error.code) from None
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            raise GitHubError(f"GET {_shown(url)}: {reason}") from None


def _shown(url: str) -> str:
    return url.split("?", 1)[0]
