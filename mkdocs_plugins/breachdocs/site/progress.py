"""Progress of a long build, in MkDocs' log: a line every so many items (incidents checked, pages
written, filings made), so a build of a thousand incidents is not silent until its end."""

from __future__ import annotations

from mkdocs.plugins import get_plugin_logger

log = get_plugin_logger(__name__)

#: Items between two progress lines.
EVERY = 100


class Progress:
    """Counts done out of a total; logs (INFO) at every ``every`` items and at the last one.

    An instance holds plain values only, so it can be handed to the background filings process.
    """

    def __init__(self, what: str, *, every: int | None = None) -> None:
        self.what = what
        self.every = max(1, every or EVERY)

    def __call__(self, done: int, total: int) -> None:
        if total >= self.every and (done % self.every == 0 or done == total):
            log.info(f"{self.what}: {done:,} of {total:,}")
