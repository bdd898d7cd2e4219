"""Building and serving the site from Python (what ``breachdocs build``, ``serve`` and the tests call), with
the engine :mod:`.engine` chooses (ProperDocs when installed, else MkDocs)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ..project import Project
from .engine import use_engine


class SiteBuildError(Exception):
    """The site could not be built; the message holds what MkDocs reported (the incident findings first)."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def build_site(config_file: Path, *, site_dir: Path | None = None, strict: bool | None = None,
               jobs: int | None = None, **overrides: Any) -> Path:
    """Build the site of ``config_file`` (mkdocs.yml); return the folder it was written to.

    ``overrides`` replace top-level settings of mkdocs.yml; ``theme_overrides``
    (a dict) changes single theme settings, e.g. ``{"font": False}``; ``jobs`` sets
    the breachdocs plugin's processes (2 or more: filings made in the background while
    the pages render; see the plugin option ``jobs``).
    """
    use_engine()
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    theme_overrides: dict[str, Any] = overrides.pop("theme_overrides", None) or {}
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    try:
        config = load_config(
            str(config_file), site_dir=str(site_dir) if site_dir else None, strict=strict, **overrides
        )
        for key, value in theme_overrides.items():
            config.theme[key] = value
        if jobs is not None and "breachdocs" in config.plugins:
            config.plugins["breachdocs"].config["jobs"] = jobs
        build(config)
    except (Abort, ConfigurationError) as error:
        messages = collect.messages or [str(error)]
        raise SiteBuildError("\n".join(messages)) from None
    finally:
        logger.removeHandler(collect)
    return Path(config.site_dir)


def build_project_site(project: Project, folder: Path) -> None:
    """The site of the project's ``mkdocs.yml`` built into ``folder`` (nothing when it has none): what
    ``breachdocs publish`` hands the release to build."""
    config = project.root / "mkdocs.yml"
    if config.is_file():
        build_site(config, site_dir=folder)


def serve_site(config_file: Path, *, dev_addr: str | None = None, open_in_browser: bool = False) -> None:
    """Preview the site of ``config_file``, rebuilding when an incident, rule file or template changes
    (until interrupted)."""
    use_engine()
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import Abort, ConfigurationError

    try:
        serve(str(config_file), open_in_browser=open_in_browser, dev_addr=dev_addr)  # None: mkdocs.yml's
    except (Abort, ConfigurationError) as error:
        raise SiteBuildError(str(error)) from None
