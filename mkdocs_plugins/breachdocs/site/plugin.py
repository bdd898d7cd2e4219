"""The ``breachdocs`` MkDocs plugin: MkDocs events only, over :mod:`.inputs` and :mod:`.pages`.

The generated pages reach MkDocs as files whose Markdown is the whole page (their HTML blocks in
place); when MkDocs reads one, the plugin hands it the page's light Markdown instead (a placeholder
line per block) and puts the blocks back into the HTML MkDocs made of it (:class:`~.pages.Page`),
so MkDocs converts only headings and paragraphs. Progress (incidents checked, pages written, filings
made) goes to MkDocs' log.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage

from ..files import folder_findings
from ..filings.manifest import files_of
from ..findings import FindingsError, format_findings, has_errors
from ..project import Project
from ..resources import layers, packaged_dir
from . import stages
from .config import BreachdocsConfig
from .filings_job import FilingsJob
from .inputs import SiteSources, collect
from .page_cache import PageCache
from .pages import Page, SiteInputs, build_pages
from .progress import Progress

log = get_plugin_logger(__name__)


class BreachdocsPlugin(BasePlugin[BreachdocsConfig]):
    """Adds the generated compliance pages to the site; a bad incident stops the build."""

    def __init__(self) -> None:
        self.sources: SiteSources | None = None
        self.inputs: SiteInputs | None = None
        self.filings: FilingsJob | None = None
        #: The generated pages by source path, for their light Markdown and their HTML blocks.
        self.pages: dict[str, Page] = {}
        self.written: Progress = Progress("pages written")
        self.total_pages = 0
        self.done_pages = 0

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        options = self.config
        self.sources = SiteSources(
            root=root,
            incidents=root / options.incidents,
            jurisdictions=root / options.jurisdictions,
            templates=root / options.templates,
            filings=options.filings_dir.strip("/") if options.filings else None,
            use_directory_urls=config.use_directory_urls,
        )
        _add_theme_layers(config, self.sources.templates)
        try:
            today = dt.date.fromisoformat(options.today) if options.today else None
        except ValueError as error:
            raise PluginError(f"plugins.breachdocs.today: {error}; write a date as YYYY-MM-DD") from None
        self.inputs, findings = collect(self.sources, today=today, progress=Progress("incidents checked"))
        # What MkDocs and the theme read themselves: pages, assets, theme overrides, templates
        sources = [Path(config.docs_dir), self.sources.templates]
        if getattr(config.theme, "custom_dir", None):
            sources.append(Path(str(config.theme.custom_dir)))
        findings += [f for folder in dict.fromkeys(sources) if folder.is_dir() for f in folder_findings(folder, root=root)]
        if has_errors(findings) or (options.strict and findings):
            raise PluginError("breachdocs: the incidents have problems:\n" + format_findings(findings))
        for finding in findings:  # warnings only: shown, and `mkdocs build --strict` stops on them
            log.warning(str(finding))
        self._cancel_filings()
        if self.sources.filings:  # begun now: with 2+ jobs they are made while MkDocs renders the pages
            jobs = options.jobs if options.jobs > 0 else stages.default_jobs()
            self.filings = stages.start_filings(Project(root), self.inputs.incidents, jobs=jobs,
                                                progress=Progress("incidents' filings made"), made=self.inputs.made)
        return config

    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        """The theme's templates rendered in Jinja's sandbox: a template (an override in the project)
        can print the page and the configuration, never reach the environment or a file."""
        sandbox = SandboxedEnvironment(loader=env.loader, extensions=list(env.extensions),
                                       autoescape=env.autoescape, undefined=env.undefined,
                                       trim_blocks=env.trim_blocks, lstrip_blocks=env.lstrip_blocks)
        sandbox.filters.update(env.filters)
        sandbox.tests.update(env.tests)
        sandbox.globals.update(env.globals)
        sandbox.policies.update(env.policies)
        return sandbox

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.inputs is not None and self.sources is not None
        self.pages = {}
        made = Progress("pages generated")
        total = len(self.inputs.incidents)
        kept = PageCache.of(Project(self.sources.root), self.sources.templates, today=self.inputs.today,
                            use_directory_urls=self.sources.use_directory_urls, filings=self.sources.filings)
        for page in build_pages(self.inputs, self.sources.templates, kept):
            if files.get_file_from_path(page.uri) is not None:
                docs = Path(os.path.relpath(config.docs_dir, self.sources.root)).as_posix()
                raise PluginError(f"{docs}/{page.uri}: this page is generated by breachdocs from the incidents; "
                                  "rename or remove the hand-written file")
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.uri, content=page.source, inclusion=inclusion))
            self.pages[page.uri] = page
            if page.uri.startswith("incidents/") and page.uri != "incidents/index.md":
                made(len(self.pages) - 4, total)
        for path, content in self.inputs.files.items():
            files.append(File.generated(config, path, content=content))
        self.total_pages = sum(1 for f in files if f.is_documentation_page())
        self.done_pages = 0
        self.written = Progress("pages written")
        _add_packaged_assets(files, config)
        return files

    def on_page_markdown(self, markdown: str, /, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        """A generated page's light Markdown (a placeholder line per HTML block), unless another plugin
        changed the page's Markdown before: then that is converted as it is."""
        mine = self.pages.get(page.file.src_uri)
        if mine is not None and mine.blocks and markdown == mine.source_body:
            return mine.body
        return markdown

    def on_page_content(self, html: str, /, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        """The HTML MkDocs made of the light Markdown, its blocks waiting (as comments) until the page is
        finished."""
        mine = self.pages.get(page.file.src_uri)
        return mine.content(html) if mine is not None else html

    def on_post_page(self, output: str, /, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        """Every block in place in the finished page."""
        mine = self.pages.pop(page.file.src_uri, None)  # written now: its blocks are no longer needed
        self.done_pages += 1
        self.written(self.done_pages, self.total_pages)
        return mine.output(output) if mine is not None else output

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        assert self.sources is not None
        for folder in (self.sources.incidents, self.sources.jurisdictions, self.sources.templates):
            if folder.is_dir():
                server.watch(str(folder))
        return server

    def on_post_build(self, config: MkDocsConfig) -> None:
        """The filings, after the pages: every filing PDF and the manifest into the site's filings folder."""
        assert self.sources is not None
        if self.filings is None or not self.sources.filings:
            return
        job, self.filings = self.filings, None
        try:
            result = job.wait(Path(config.site_dir) / self.sources.filings)
        except FindingsError as error:
            raise PluginError("breachdocs: the filings cannot be made:\n" + format_findings(error.findings)) from None
        except RuntimeError as error:
            raise PluginError(str(error)) from None
        linked = self.inputs.filing_files if self.inputs is not None else set()
        made = files_of(result.manifest.get("filings", []))
        for file in sorted(linked - made):  # a warning: `mkdocs build --strict` stops on it
            log.warning(f"breachdocs: {file} is linked from its incident page, but the filings build did not make it")
        for file in sorted(made - linked):
            log.warning(f"breachdocs: {file} was made, but no incident page links it")

    def on_build_error(self, error: Exception) -> None:
        self._cancel_filings()

    def on_shutdown(self) -> None:
        self._cancel_filings()

    def _cancel_filings(self) -> None:
        if self.filings is not None:
            self.filings.cancel()
            self.filings = None


def _add_theme_layers(config: MkDocsConfig, templates: Path) -> None:
    """The theme overrides of ``templates/site/theme/`` (the project's own, then breachdocs'), after
    ``theme.custom_dir`` and before the theme itself: a project needs no ``custom_dir`` of its own."""
    dirs: list[str] = config.theme.dirs
    known = {Path(d).resolve() for d in dirs}
    at = 1 if config.theme.custom_dir else 0
    for folder in layers(templates, "templates", "site", "theme"):
        if folder.resolve() not in known:
            dirs.insert(at, str(folder))
            at += 1


def _add_packaged_assets(files: Files, config: MkDocsConfig) -> None:
    """breachdocs' stylesheet, script and vendored Mermaid (``assets/``), unless the project's pages
    have a file of the same name."""
    folder = packaged_dir("assets")
    if folder is None:
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        uri = f"assets/{path.relative_to(folder).as_posix()}"
        if files.get_file_from_path(uri) is None:
            files.append(File(uri, src_dir=str(folder.parent), dest_dir=config.site_dir,
                              use_directory_urls=config.use_directory_urls))
