"""The whole-project check: every check there is, run on a project's incidents.

:func:`check_project` loads the incidents and the rule files, judges every
incident's obligations, and runs the record checks (``records``), the law's
checks, the forms', the letters', the regulator submissions' (``submissions``:
the files, and each triggered duty's questions the incident leaves unanswered) and the
binding filing record's (``filings``), so the CLI, the MkDocs build and pytest report the same
findings. It returns what it computed on the way (incidents, rules,
obligations), so a caller that shows them (the site) does not compute them
again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .filings.binding import record_findings
from .findings import Finding
from .forms import form_findings
from .law import Jurisdiction, Obligation, obligations
from .law.checks import incident_law_findings
from .law.rules import load_rule_base, no_rule_base_finding
from .letters import content_findings
from .letters.letter_law import load_letter_laws
from .progress import ProgressCallback
from .project import Project
from .records import Incident, find_incident_files, load_incidents
from .resources import schema_copy_findings
from .submissions import incident_findings as submission_findings
from .submissions import load_submissions, rule_base_findings


@dataclass
class ProjectCheck:
    """What :func:`check_project` found and computed."""

    incidents: list[Incident]
    findings: list[Finding]
    #: The jurisdiction rule files by code (those that load).
    rules: dict[str, Jurisdiction] = field(default_factory=dict)
    #: Each incident's obligations (by incident id), judged as of ``as_of``.
    obligations: dict[str, list[Obligation]] = field(default_factory=dict)
    as_of: dt.date = dt.date.min


def check_project(
    project: Project, paths: Iterable[Path] | None = None, *, today: dt.date | None = None,
    as_of: dt.date | None = None, progress: ProgressCallback | None = None,
) -> ProjectCheck:
    """Load and check incidents (default: all of ``incidents/``) and, when asked for or when checking
    everything, the rule files.

    ``today`` is the day dates are checked against (none may be later); ``as_of`` the day obligations are
    judged (due or overdue), ``today`` unless given. No finding depends on ``as_of``. ``progress`` is
    told ``(incidents checked, incidents)`` as each loaded incident's checks finish.
    """
    day = today or dt.date.today()
    judged_on = as_of or day
    wanted = list(paths) if paths else []
    rule_files = [p for p in wanted if _within(p, project.jurisdictions_dir)]
    targets = [p for p in wanted if p not in rule_files] if paths else [project.incidents_dir]
    incidents, findings = load_incidents(targets, root=project.root, today=day) if targets else ([], [])
    include_rules = not paths or bool(rule_files)
    result = ProjectCheck(incidents, [], as_of=judged_on)
    missing = no_rule_base_finding(project)
    if missing is not None:  # without law no duty could be found: an error, not silence
        result.findings = sorted([*findings, missing])
        return result
    result.rules, rule_findings = load_rule_base(project)
    if include_rules:
        files = {f.resolve() for f in rule_files if f.is_file()}
        findings += [f for f in rule_findings if not files or (project.root / f.path).resolve() in files]
        findings += [f for f in rule_base_findings(project.root, project.jurisdictions_dir, project.templates_dir,
                                                   result.rules)
                     if not files or (project.root / f.path).resolve() in files
                     or f.path.startswith("jurisdictions/submissions/")]
    submissions, _problems = load_submissions(project.jurisdictions_dir, root=project.root)
    laws = load_letter_laws(project) if incidents else {}
    for done, incident in enumerate(incidents, 1):
        found = obligations(incident, result.rules, judged_on)
        result.obligations[incident.id] = found
        findings += incident_law_findings(incident, result.rules, found)
        findings += submission_findings(incident, found, result.rules, submissions)
        # forms: unknown forms, required values missing, texts too long for their box
        findings += [f for f in form_findings(project, incident) if f not in findings]
        # letters: each jurisdiction's required consumer-letter content is in the incident's letter
        findings += [f for f in content_findings(project, incident, laws=laws) if f not in findings]
        if progress is not None:
            progress(done, len(incidents))
    findings += record_findings(project, incidents)
    result.findings = sorted(findings)
    return result


def check(
    project: Project, paths: Iterable[Path] | None = None, *, today: dt.date | None = None,
    progress: ProgressCallback | None = None,
) -> tuple[list[Incident], list[Finding]]:
    """The incidents and findings of :func:`check_project`."""
    result = check_project(project, paths, today=today, progress=progress)
    return result.incidents, result.findings


#: Incidents checked at a time by :func:`validate`.
BATCH = 250


def validate(
    project: Project, paths: Iterable[Path] | None = None, *, today: dt.date | None = None, batch: int = BATCH,
    progress: ProgressCallback | None = None,
) -> tuple[int, list[Finding]]:
    """The findings of :func:`check`, without keeping the incidents: (incidents checked, findings).

    Incident files are checked ``batch`` at a time and let go, so memory stays the same however many
    there are (``check`` returns every incident, for a build that shows them). The one check across
    files, that no two incidents share an id, is kept up with a map of ids to files. ``progress`` is
    told ``(files checked, files)`` as each batch finishes.
    """
    targets = list(paths) if paths else [project.incidents_dir]
    rule_files = [p for p in targets if _within(p, project.jurisdictions_dir)]
    targets = [p for p in targets if p not in rule_files]
    day = today or dt.date.today()
    findings: set[Finding] = set(schema_copy_findings(project.root))
    if not paths or rule_files:  # the rule files themselves, as check() reports them
        findings.update(check_project(project, rule_files or [project.jurisdictions_dir], today=day).findings)
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
        if progress is not None:
            progress(start + len(chunk), len(files))
    return checked, sorted(findings)


def _within(path: Path, folder: Path) -> bool:
    return path.resolve() == folder.resolve() or folder.resolve() in path.resolve().parents
