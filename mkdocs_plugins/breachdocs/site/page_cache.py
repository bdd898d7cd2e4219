"""Each generated page kept between builds, by the hash of everything it is made of.

A page (:mod:`.pages`: its Markdown and HTML blocks) is made of the incidents it shows, their duties as judged
on the build's day, filings with their links and approval, letters, worksheets, the Git history of the incident
files, the rule files, the page templates, the site's options and our code. :meth:`PageCache.key` hashes:

- the check key of each incident the page shows (:class:`~breachdocs.check_cache.CheckCache`: the text of its
  file and of its profile as read, the file ``notice.notice_text`` names, every rule, submission, template and
  form file, the project's own and breachdocs' packaged, our code, the libraries, the day dates are checked
  against and the day duties are judged on); the check's entry holds its obligations, letter law and
  worksheet answers are made of the same files, so the key stands for its duties, letter and worksheets;
  for the pages of no incident (a jurisdiction with none), the checks' shared key, which covers the rule files;
- every other value the page is made of, as the build has it: an incident's filings with their links and
  approval, its Git history, what its worksheets' links depend on (approval, signing); the filings the dashboard
  lists, the notes on the project's own rule files, the calendar's path;
- in the key every page of a build shares: the page templates (each folder they are read from: the site's own
  and breachdocs' packaged ones), the build's day, the site options that change pages (the filings folder, the
  URL style), breachdocs' version and our code.

A change to any one gives the page another key: it is made again, never shown stale. Entries live in the
user's cache folder (``$XDG_CACHE_HOME/breachdocs/<project>/pages``), never in the project; each is written
atomically (owner-only) and read only when it names its key and form and its body matches its SHA-256
(:class:`~breachdocs.check_cache.KeptEntries`); a folder of entries unused for a day and a half is removed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .. import __version__
from ..check_cache import KeptEntries, folder_digests
from ..hashing import code_token, sha256_bytes, user_cache_dir
from ..project import Project
from ..resources import layers
from .pages import Page

#: The form of an entry; a different one is ignored.
FORMAT = "breachdocs-page/1"


class PageCache(KeptEntries):
    """Generated pages by key (in the project's ``pages`` folder of the user's cache folder)."""

    FORMAT = FORMAT

    @classmethod
    def of(cls, project: Project, templates: Path, *, today: dt.date, use_directory_urls: bool,
           filings: str | None) -> PageCache:
        """The cache of ``project``'s pages rendered from the page templates of ``templates`` (its ``site/``
        folder, then breachdocs' packaged one) on ``today``; its folders unused for a day and a half are
        removed."""
        parts = {
            "format": FORMAT,
            "breachdocs": __version__,
            "code": code_token("."),
            "today": today.isoformat(),
            "templates": folder_digests(project, layers(templates, "templates", "site")),
            "use_directory_urls": use_directory_urls,
            "filings": filings,
        }
        cache = cls(user_cache_dir(project.root) / "pages", sha256_bytes(json.dumps(parts, sort_keys=True).encode()))
        cache.prune()
        return cache

    def key(self, checked: str, uri: str, values: Mapping[str, Any]) -> str | None:
        """The hash of the page at ``uri`` made of what ``checked`` (a check key, or the checks' shared key) stands
        for and ``values``; None (the page is made, not kept) without ``checked`` or when a value has no plain
        form to hash."""
        if not checked:
            return None
        try:
            plain = json.dumps([self.shared, checked, uri, values], sort_keys=True, ensure_ascii=False,
                               default=_plain)
        except (TypeError, ValueError):
            return None
        return sha256_bytes(plain.encode())

    def page(self, key: str, uri: str) -> Page | None:
        """The page kept under ``key``, when it is the page at ``uri`` and whole."""
        body = self.body(key)
        if not isinstance(body, dict) or body.get("uri") != uri:
            return None
        markdown, in_nav, blocks = body.get("markdown"), body.get("in_nav"), body.get("blocks")
        if (not isinstance(markdown, str) or not isinstance(in_nav, bool) or not isinstance(blocks, list)
                or not all(isinstance(b, str) for b in blocks)):
            return None
        return Page(uri, markdown, in_nav, tuple(blocks))

    def put(self, key: str, page: Page) -> None:
        self.keep(key, {"uri": page.uri, "markdown": page.markdown, "in_nav": page.in_nav,
                        "blocks": list(page.blocks)})


def _plain(value: Any) -> Any:
    """A value JSON has no form for, as one that names its kind and every part of it."""
    if isinstance(value, dt.datetime):
        return ["datetime", value.isoformat(), str(value.tzinfo)]
    if isinstance(value, dt.date):
        return ["date", value.isoformat()]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [type(value).__qualname__, {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}]
    if isinstance(value, (set, frozenset)):
        return ["set", sorted(json.dumps(v, sort_keys=True, default=_plain) for v in value)]
    raise TypeError(f"no plain form for {type(value).__name__}")
