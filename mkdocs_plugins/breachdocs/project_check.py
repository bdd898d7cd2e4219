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

from .check_cache import CheckCache, CheckedIncident
from .filings.binding import record_findings
from .findings import Finding
from .forms import form_findings
from .law import Jurisdiction, Obligation, obligations
from .law.checks import incident_law_findings
from .law.rules import load_rule_base, no_rule_base_finding
from .letters import content_findings
from .letters.letter_law import LetterLaw, load_letter_laws
from .progress import ProgressCallback
from .project import Project, relative
from .records import Incident, find_incident_files
from .records.incident import check_incident, duplicate_id_findings, no_cyclic_gc, read_incident
from .resources import schema_copy_findings
from .submissions import Submission, load_submissions, rule_base_findings
from .submissions import incident_findings as submission_findings


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
    #: Each incident's check key (by id, :meth:`~.check_cache.CheckCache.key`: the hash of everything its check
    #: depends on, the days included), when the check cache is used; else empty.
    keys: dict[str, str] = field(default_factory=dict)
    #: The hash of what every incident's check shares (rule, submission and template files, our code, the
    #: libraries, the days: :func:`~.check_cache.shared_key`), when the check cache is used; else empty.
    shared: str = ""


def check_project(
    project: Project, paths: Iterable[Path] | None = None, *, today: dt.date | None = None,
    as_of: dt.date | None = None, progress: ProgressCallback | None = None, use_cache: bool = True,
) -> ProjectCheck:
    """Load and check incidents (default: all of ``incidents/``) and, when asked for or when checking
    everything, the rule files.

    ``today`` is the day dates are checked against (none may be later); ``as_of`` the day obligations are
    judged (due or overdue), ``today`` unless given. No finding depends on ``as_of``. ``progress`` is
    told ``(incidents checked, incidents)`` as each loaded incident's checks finish. Each incident's check
    is kept in the user's cache folder by the hash of everything it depends on (:mod:`.check_cache`) and
    reused while none of that changes; ``use_cache=False`` checks every incident afresh and keeps nothing.
    """
    day = today or dt.date.today()
    judged_on = as_of or day
    wanted = list(paths) if paths else []
    rule_files = [p for p in wanted if _within(p, project.jurisdictions_dir)]
    targets = [p for p in wanted if p not in rule_files] if paths else [project.incidents_dir]
    cache = (CheckCache.of(project, today=day.isoformat(), as_of=judged_on.isoformat()) if use_cache
             else CheckCache(None, ""))
    loaded, findings = _load(project, targets, day, cache) if targets else ([], [])
    incidents = [incident for incident, *_rest in loaded]
    include_rules = not paths or bool(rule_files)
    result = ProjectCheck(incidents, [], as_of=judged_on, shared=cache.shared if cache.folder is not None else "")
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
    submissions: dict[tuple[str, str], Submission] | None = None
    laws: dict[str, LetterLaw] | None = None
    seen = set(findings)
    for done, (incident, key, kept, load) in enumerate(loaded, 1):
        if kept is None:
            if submissions is None:
                submissions = load_submissions(project.jurisdictions_dir, root=project.root)[0]
                laws = load_letter_laws(project)
            kept = _check(project, incident, result.rules, judged_on, submissions, laws or {}, load)
            cache.put(key, kept)
        result.obligations[incident.id] = list(kept.obligations)
        if cache.folder is not None:
            result.keys[incident.id] = key
        findings += kept.law
        seen.update(kept.law)
        # forms and letters: a finding already reported (located in a shared profile) is not repeated
        for found in (kept.forms, kept.letters):
            new = [f for f in found if f not in seen]
            findings += new
            seen.update(new)
        if progress is not None:
            progress(done, len(loaded))
    findings += record_findings(project, incidents)
    result.findings = sorted(findings)
    return result


def _load(project: Project, targets: list[Path], day: dt.date, cache: CheckCache
          ) -> tuple[list[tuple[Incident, str, CheckedIncident | None, tuple[Finding, ...]]], list[Finding]]:
    """The incidents under ``targets`` that pass their own checks, each with its cache key, its whole check
    when the cache holds it and the findings of its own checks; and the findings of loading (as
    :func:`~breachdocs.records.load_incidents` gives them)."""
    out: list[tuple[Incident, str, CheckedIncident | None, tuple[Finding, ...]]] = []
    findings: list[Finding] = []
    with no_cyclic_gc():
        for file in find_incident_files(targets):
            incident, problems = read_incident(file, display=relative(file, project.root), root=project.root)
            if incident is None:
                findings += problems
                continue
            key = cache.key(incident, project.root)
            kept = cache.get(key, incident.id)
            if kept is not None:
                findings += kept.load
                if kept.valid:
                    out.append((incident, key, kept, kept.load))
                continue
            checked, problems = check_incident(incident, file_stem=file.stem, today=day)
            findings += problems
            if checked is None:
                cache.put(key, CheckedIncident(tuple(problems), False))
            else:
                out.append((incident, key, None, tuple(problems)))
    findings += duplicate_id_findings(i for i, *_rest in out)
    return out, sorted(set(findings))


def _check(project: Project, incident: Incident, rules: dict[str, Jurisdiction], as_of: dt.date,
           submissions: dict[tuple[str, str], Submission], laws: dict[str, LetterLaw],
           load: tuple[Finding, ...]) -> CheckedIncident:
    """The checks of one incident that passed its own (``load``: their findings): obligations, the law's, the
    submissions', the forms' and the letters' findings."""
    found = obligations(incident, rules, as_of)
    law = incident_law_findings(incident, rules, found) + submission_findings(incident, found, rules, submissions)
    # forms: unknown forms, required values missing, texts too long for their box
    # letters: each jurisdiction's required consumer-letter content is in the incident's letter
    return CheckedIncident(load, True, tuple(found), tuple(law), tuple(form_findings(project, incident)),
                           tuple(content_findings(project, incident, laws=laws)))


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
