"""Building and serving the site from Python (what ``breachdocs build``, ``serve`` and the tests call), with
the engine :mod:`.engine` chooses (ProperDocs when installed, else MkDocs)."""

from __future__ import annotations

import errno
import logging
import traceback
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError

from ..project import Project, relative
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
        refusal = site_dir_problem(Path(config.site_dir))
        if refusal:
            raise SiteBuildError(refusal)
        build(config)
    except (Abort, ConfigurationError) as error:
        messages = collect.messages or [str(error)]
        raise SiteBuildError("\n".join(messages)) from None
    except jinja2.TemplateError as error:  # a page or theme template of the project
        raise SiteBuildError(template_problem(error, Path(config_file).resolve().parent)) from None
    except OSError as error:  # a full disk, a folder that cannot be written: one sentence, no traceback
        where = f" {error.filename}" if error.filename else ""
        advice = "free some disk space, then build again" if error.errno in (errno.ENOSPC, errno.EDQUOT) \
            else "check the folder, then build again"
        raise SiteBuildError(f"breachdocs: cannot write{where}: {error.strerror or error}; {advice} "
                             "(the site folder is incomplete: do not publish it)") from None
    finally:
        logger.removeHandler(collect)
    return Path(config.site_dir)


#: What a site built before holds (the theme's assets are written first, so a build that failed
#: half-way left them too): a folder with one of them may be emptied and built again.
_SITE_FILES = ("sitemap.xml", "search/search_index.json", "404.html", "assets/stylesheets", "assets/javascripts")


def site_dir_problem(site_dir: Path) -> str | None:
    """Why the site may not be built into ``site_dir``, or None: MkDocs empties the folder first, so it must
    be new, empty, or a site built before, never a folder of something else."""
    if site_dir.is_symlink() or (site_dir.exists() and not site_dir.is_dir()):
        return (f"breachdocs: {site_dir} is not a folder breachdocs made (a file or a link); building would replace "
                "it: choose a new folder (--site-dir)")
    if not site_dir.is_dir() or not any(site_dir.iterdir()) or any((site_dir / f).exists() for f in _SITE_FILES):
        return None
    return (f"breachdocs: {site_dir} holds files that are not a built site, and MkDocs empties the site folder "
            "before building: choose a new or empty folder (--site-dir), or move them away yourself")


def template_problem(error: jinja2.TemplateError, root: Path) -> str:
    """A template's failure as ``file:line: error: ...``, the line found in the traceback (Jinja runs a
    template as code whose file name is the template's)."""
    where = ""
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        where = f"{relative(error.filename, root)}:{error.lineno}: "
    else:
        frames = [f for f in traceback.extract_tb(error.__traceback__)
                  if Path(f.filename).suffix in {".j2", ".html"} and Path(f.filename).is_file()]
        inside = [f for f in frames if Path(f.filename).resolve().is_relative_to(root)] or frames
        if inside:
            where = f"{relative(inside[-1].filename, root)}:{inside[-1].lineno}: "
    if isinstance(error, SecurityError):
        return (f"{where}error: the template does something Jinja's sandbox forbids ({error.message}); a site "
                "template may only print the site's data, never reach Python objects, files or the environment")
    return f"{where}error: the template failed ({type(error).__name__}: {error.message}); correct the template"


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
