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


class CheckProgress:
    """``progress(stage, done, total)`` of the project check, as :class:`Progress` lines per stage."""

    STAGES = {"law": "incidents checked (law)", "forms": "incidents checked (forms)",
              "letters": "incidents checked (letters)"}

    def __init__(self, *, every: int | None = None) -> None:
        self.every = every
        self.stages: dict[str, Progress] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.stages:
            self.stages[stage] = Progress(self.STAGES.get(stage, stage), every=self.every)
        self.stages[stage](done, total)
