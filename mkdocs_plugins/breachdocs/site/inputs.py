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

from ..approval import approvals as read_approvals
from ..filings.signing import signing_configured
from ..findings import Finding, has_errors
from ..progress import ProgressCallback
from ..project import Project
from ..project_check import check_project
from ..records import Incident
from . import stages
from .history import file_histories
from .pages import SiteInputs


@dataclass(frozen=True)
class SiteSources:
    """Where a site's data lives (absolute paths) and the options that shape it."""

    root: Path
    incidents: Path
    jurisdictions: Path
    templates: Path
    #: Folder of the built site that holds the filing PDFs; None when the build writes none.
    filings: str | None = "filings"
    use_directory_urls: bool = True

    @classmethod
    def of(cls, project: Project) -> SiteSources:
        return cls(project.root, project.incidents_dir, project.jurisdictions_dir, project.templates_dir)


def histories(sources: SiteSources, incidents: list[Incident]) -> dict[str, list[dict[str, Any]]]:
    files = {i.id: (sources.root / i.path).resolve() for i in incidents}
    found = file_histories(sources.incidents, files.values())
    return {key: [vars(c) for c in found.get(file, [])] for key, file in files.items()}


def collect(sources: SiteSources, *, today: dt.date | None = None,
            progress: ProgressCallback | None = None) -> tuple[SiteInputs, list[Finding]]:
    """Everything the site shows, and the findings of the check (with errors, nothing else is gathered:
    the build stops). ``progress`` is told how the check goes."""
    project = Project(sources.root)
    as_of = today or dt.date.today()
    checked = check_project(project, [sources.incidents], as_of=as_of, progress=progress)
    incidents, findings = checked.incidents, checked.findings
    if has_errors(findings):
        return SiteInputs(incidents, as_of), findings
    duties, jurisdictions, calendar = stages.law(checked.rules, checked.obligations, as_of)
    approvals = read_approvals(project.root, [i.path for i in incidents])
    made = stages.incident_worksheets(project, checked.rules, checked.obligations, incidents)
    filings, linked = stages.filings(project, incidents, sources.filings, approvals, signed=signing_configured(),
                                     made=made)
    inputs = SiteInputs(
        incidents=incidents,
        today=as_of,
        duties=duties,
        filings=filings,
        filing_files=linked,
        jurisdictions=jurisdictions,
        own_rules=stages.own_rules(jurisdictions, sources.jurisdictions),
        letters=stages.letters(project, incidents),
        worksheets=stages.worksheets(made, incidents, sources.filings, approvals, signed=signing_configured()),
        history=histories(sources, incidents),
        calendar=stages.CALENDAR,
        files={stages.CALENDAR: calendar},
        use_directory_urls=sources.use_directory_urls,
        made=made,
        checked=checked.keys,
        check_shared=checked.shared,
    )
    return inputs, findings
