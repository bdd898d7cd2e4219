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
from .law.obligations import forget_judged
from .records import Incident, find_incident_files, load_incidents


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
        project, incidents, today=today or dt.date.today(),
        files=[f for f in rule_files if f.is_file()], include_rules=not paths or bool(rule_files),
    )
    for incident in incidents:  # forms: unknown forms, required values missing, texts too long for their box
        findings += [f for f in form_findings(project, incident) if f not in findings]
    findings += [f for f in _letter_findings(project, incidents) if f not in findings]
    findings += _publish_checks(project, incidents)
    return incidents, sorted(findings)


#: Incidents checked at a time by :func:`validate`.
BATCH = 250


def validate(
    project: Project, paths: Iterable[Path] | None = None, *, today: dt.date | None = None, batch: int = BATCH
) -> tuple[int, list[Finding]]:
    """The findings of :func:`check`, without keeping the incidents: (incidents checked, findings).

    Incident files are checked ``batch`` at a time and let go, so memory stays the same however many
    there are (``check`` returns every incident, for a build that shows them). The one check across
    files, that no two incidents share an id, is kept up with a map of ids to files.
    """
    targets = list(paths) if paths else [project.incidents_dir]
    rule_files = [p for p in targets if _within(p, project.jurisdictions_dir)]
    targets = [p for p in targets if p not in rule_files]
    day = today or dt.date.today()
    findings: set[Finding] = set()
    if not paths or rule_files:  # the rule files themselves, as check() reports them
        findings.update(project_law_findings(project, [], today=day,
                                             files=[f for f in rule_files if f.is_file()], include_rules=True))
    files = find_incident_files(targets) if targets else []
    seen: dict[str, str] = {}  # id -> file of the last incident with it, as load_incidents keeps it
    checked = 0
    for start in range(0, len(files), batch):
        chunk = files[start:start + batch]
        incidents, found = check(project, chunk, today=day)
        findings.update(found)
        here = {i.path for i in incidents}
        for incident in incidents:  # ids used in an earlier batch (load_incidents saw this batch's own)
            other = seen.get(incident.id)
            if other is not None and other not in here:
                findings.add(incident.finding(("id",), f"the id '{incident.id}' is already used by {other}; "
                                              "give each incident its own id"))
            seen[incident.id] = incident.path
        checked += len(incidents)
        forget_judged()  # the obligations kept for a build to show; a validation shows none
    return checked, sorted(findings)


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
