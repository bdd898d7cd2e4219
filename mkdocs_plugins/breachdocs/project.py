"""Where a breachdocs project keeps its data, and the whole-project check.

A project is a folder with ``incidents/``, ``jurisdictions/`` and
``templates/``. :func:`check` runs every check there is on the incidents:
the record checks of ``records`` and the checks of the later stages (law,
forms, letters), so the CLI, the MkDocs build and pytest report the same
findings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .findings import Finding
from .forms import form_findings
from .law.checks import project_law_findings
from .records import Incident, load_incidents


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def incidents_dir(self) -> Path:
        return self.root / "incidents"

    @property
    def jurisdictions_dir(self) -> Path:
        return self.root / "jurisdictions"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The nearest folder at or above ``start`` holding ``incidents/``; else ``start`` itself."""
        here = (start or Path.cwd()).resolve()
        for candidate in (here, *here.parents):
            if (candidate / "incidents").is_dir():
                return cls(candidate)
        return cls(here)


def check(
    project: Project, paths: Iterable[Path] | None = None, *, today: dt.date | None = None
) -> tuple[list[Incident], list[Finding]]:
    """Load and check incidents (default: all of ``incidents/``)."""
    targets = list(paths) if paths else [project.incidents_dir]
    rule_files = [p for p in targets if _within(p, project.jurisdictions_dir)]
    targets = [p for p in targets if p not in rule_files]
    incidents, findings = load_incidents(targets, root=project.root, today=today) if targets else ([], [])
    findings += project_law_findings(
        project.jurisdictions_dir, incidents, root=project.root, today=today or dt.date.today(),
        files=[f for f in rule_files if f.is_file()], include_rules=not paths or bool(rule_files),
    )
    for incident in incidents:  # forms: unknown forms, required values missing, texts too long for their box
        findings += [f for f in form_findings(project, incident) if f not in findings]
    findings += [f for f in _letter_findings(project, incidents) if f not in findings]
    findings += _publish_checks(project, incidents)
    return incidents, sorted(findings)


def _publish_checks(project: Project, incidents: list[Incident]) -> list[Finding]:
    """The binding filing record: a filed document may not change without an amendment."""
    from .publish.record import record_findings

    return record_findings(project, incidents)


def _within(path: Path, folder: Path) -> bool:
    return path.resolve() == folder.resolve() or folder.resolve() in path.resolve().parents


def _letter_findings(project: Project, incidents: list[Incident]) -> list[Finding]:
    """letters: each jurisdiction's required consumer-letter content is in the incident's letter."""
    from .letters import content_findings  # letters imports project: import here, not at the top
    from .letters.letter_law import load_letter_laws

    laws = load_letter_laws(project.jurisdictions_dir, root=project.root)
    return [f for incident in incidents for f in content_findings(project, incident, laws=laws)]
