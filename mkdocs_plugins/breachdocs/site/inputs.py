"""Gathering what the site shows from a project: the plain inputs of the page builders.

:func:`collect` runs the same check as ``breachdocs validate`` and returns its
findings; the caller decides whether they stop the build. Everything else is
read from the project's folders and passed on as plain values
(:class:`~.pages.SiteInputs`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..findings import Finding
from ..project import Project, check
from ..records import Incident, load_yaml
from .history import file_histories
from .pages import SiteInputs


@dataclass(frozen=True)
class SiteSources:
    """Where a site's data lives (absolute paths) and the options that shape it."""

    root: Path
    incidents: Path
    jurisdictions: Path
    templates: Path
    filings: str = "filings"
    use_directory_urls: bool = True

    @classmethod
    def of(cls, project: Project) -> SiteSources:
        return cls(project.root, project.incidents_dir, project.jurisdictions_dir, project.templates_dir)


def recorded_filings(incidents: list[Incident]) -> list[dict[str, Any]]:
    """The filings recorded in the incidents, as plain filing inputs."""
    return [
        {"incident": i.id, **{k: v for k, v in f.items() if v is not None}}
        for i in incidents for f in i.filings
    ]


def jurisdiction_files(folder: Path, root: Path) -> tuple[list[dict[str, Any]], list[Finding]]:
    """The mappings of ``folder/*.yaml`` (loaded strictly)."""
    out: list[dict[str, Any]] = []
    findings: list[Finding] = []
    for file in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        loaded = load_yaml(file, file.relative_to(root).as_posix() if file.is_relative_to(root) else str(file))
        findings.extend(loaded.findings)
        if isinstance(loaded.data, dict) and "code" in loaded.data:
            out.append(loaded.data)
    return out, findings


def histories(sources: SiteSources, incidents: list[Incident]) -> dict[str, list[dict[str, Any]]]:
    files = {i.id: (sources.root / i.path).resolve() for i in incidents}
    found = file_histories(sources.incidents, files.values())
    return {key: [vars(c) for c in found.get(file, [])] for key, file in files.items()}


def collect(sources: SiteSources, *, today: dt.date | None = None) -> tuple[SiteInputs, list[Finding]]:
    """Everything the site shows, and the findings of the check (the build stops on errors)."""
    incidents, findings = check(Project(sources.root), [sources.incidents])
    jurisdictions, problems = jurisdiction_files(sources.jurisdictions, sources.root)
    inputs = SiteInputs(
        incidents=incidents,
        today=today or dt.date.today(),
        filings=recorded_filings(incidents),
        jurisdictions=jurisdictions,
        history=histories(sources, incidents),
        use_directory_urls=sources.use_directory_urls,
    )
    return inputs, sorted([*findings, *problems])
