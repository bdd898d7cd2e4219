"""Incident records: loading one file (with its organisation profile), the
schema check, the semantic checks, and the :class:`Incident` the rest of
breachdocs works from.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import difflib
import gc
import re
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..findings import Finding
from ..project import relative
from .codes import RESIDENCE_CODES, is_jurisdiction_code, suggest_code
from .schema_check import load_mapping, schema_findings
from .strict_yaml import Loaded, Path_

SCHEMA = "incident.schema.json"
PROFILE_PREFIX = "_organization"
#: Keys an organisation profile may provide.
PROFILE_KEYS = ("reporting_business", "signatory", "contact")


@dataclass
class Incident:
    """A validated incident. ``data`` follows ``incident.schema.json``; dates stay ISO text there."""

    path: str
    data: dict[str, Any]
    loaded: Loaded = field(repr=False)
    profile: Loaded | None = field(default=None, repr=False)

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def title(self) -> str:
        return str(self.data["title"])

    @property
    def status(self) -> str:
        return str(self.data["status"])

    @property
    def business(self) -> dict[str, Any]:
        return dict(self.data.get("reporting_business") or {})

    @property
    def residents(self) -> dict[str, int]:
        return dict(self.data["affected"]["residents"])

    @property
    def total_affected(self) -> int:
        return int(self.data["affected"]["total"])

    @property
    def elements(self) -> list[str]:
        return list(self.data["data"]["elements"])

    @property
    def filings(self) -> list[dict[str, Any]]:
        return list(self.data.get("filings") or [])

    def date(self, name: str) -> dt.date | None:
        """A date of ``dates`` (``discovered``, ``consumers_notified``, ...) or None."""
        value = (self.data.get("dates") or {}).get(name)
        return dt.date.fromisoformat(value) if value else None

    @property
    def discovered(self) -> dt.date:
        value = self.date("discovered")
        assert value is not None
        return value

    @property
    def timezone(self) -> dt.tzinfo | None:
        """The incident's time zone (``timezone``), or None when it gives none."""
        name = self.data.get("timezone")
        return zoneinfo.ZoneInfo(name) if name else None

    @property
    def aware_at(self) -> dt.datetime | None:
        """``dates.aware_at`` as an aware datetime in the incident's time zone, or None."""
        value = (self.data.get("dates") or {}).get("aware_at")
        if not value:
            return None
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        zone = self.timezone
        if moment.tzinfo is None:
            return moment.replace(tzinfo=zone) if zone else None
        return moment.astimezone(zone) if zone else moment

    def risk_assessment(self, code: str) -> tuple[int, dict[str, Any]] | None:
        """(index, entry) of the risk-of-harm determination recorded for jurisdiction ``code``."""
        for i, entry in enumerate(self.data.get("risk_assessment") or []):
            if entry.get("jurisdiction") == code:
                return i, entry
        return None

    def extension(self, code: str, duty: str) -> tuple[int, dict[str, Any]] | None:
        """(index, entry) of the extension recorded for one duty of one jurisdiction."""
        for i, entry in enumerate(self.data.get("extensions") or []):
            if entry.get("jurisdiction") == code and entry.get("duty") == duty:
                return i, entry
        return None

    def finding(self, path: Path_, message: str, *, severity: str = "error", key: bool = False) -> Finding:
        """A finding located in the file that holds ``path`` (the incident or its profile)."""
        source = self.loaded
        if self.profile is not None and path and path[0] in PROFILE_KEYS:
            if path not in self.loaded.marks.values and path not in self.loaded.marks.keys:
                if self.profile.marks.values.get(path) or self.profile.marks.keys.get(path):
                    source = self.profile
        return source.finding(path, message, key=key, severity=severity)


def profile_path(incidents_dir: Path, name: str) -> Path:
    suffix = "" if name == "default" else f"-{name}"
    return incidents_dir / f"{PROFILE_PREFIX}{suffix}.yaml"


def is_incident_file(path: Path) -> bool:
    return path.suffix == ".yaml" and not path.name.startswith("_")


def _merge_profile(data: dict[str, Any], profile: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(data)
    for key in PROFILE_KEYS:
        base = profile.get(key)
        if isinstance(base, dict):
            own = merged.get(key)
            merged[key] = {**base, **own} if isinstance(own, dict) else (own if key in merged else dict(base))
    return merged


#: An organisation's name in ``organization:``: a plain name, never a path.
_PROFILE_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def _load_profile(loaded: Loaded, incidents_dir: Path, display_dir: str,
                  root: Path | None = None) -> tuple[Loaded | None, list[Finding]]:
    name = loaded.data.get("organization")
    if name is None:
        default = profile_path(incidents_dir, "default")
        if not default.exists() and not default.is_symlink():
            return None, []
        name = "default"
    if not isinstance(name, str):
        return None, []
    if not _PROFILE_NAME.fullmatch(name):
        return None, [loaded.finding(("organization",), "an organisation is named by a plain name of lowercase letters, "
                                     "digits and '-' (no '/', '..' or spaces); write the NAME of "
                                     "incidents/_organization-NAME.yaml, e.g. organization: acme")]
    file = profile_path(incidents_dir, name)
    shown = f"{display_dir}/{file.name}" if display_dir else file.name
    if not file.exists() and not file.is_symlink():
        message = f"organisation profile '{name}' not found: create {shown} or remove 'organization'"
        return None, [loaded.finding(("organization",), message)]
    profile, problems = load_mapping(file, shown, what="an organisation profile must be a mapping of fields",
                                   root=root)
    if profile is None:
        return None, problems
    unknown = [k for k in profile.data if k not in PROFILE_KEYS]
    findings = [
        profile.finding((k,), f"unknown field '{k}' in an organisation profile; allowed: {', '.join(PROFILE_KEYS)}", key=True)
        for k in unknown
    ]
    return profile, findings


def load_incident(
    file: Path, *, display: str | None = None, today: dt.date | None = None, root: Path | None = None
) -> tuple[Incident | None, list[Finding]]:
    """Load, schema-check and semantically check one incident file (of the project ``root``, default
    the project that holds it)."""
    incident, problems = read_incident(file, display=display, root=root)
    if incident is None:
        return None, problems
    return check_incident(incident, file_stem=file.stem, today=today)


def read_incident(
    file: Path, *, display: str | None = None, root: Path | None = None
) -> tuple[Incident | None, list[Finding]]:
    """One incident file read with its organisation profile merged in, not yet checked (see
    :func:`check_incident`): None and the findings when it is not YAML holding a mapping or its profile
    cannot be used."""
    shown = display or str(file)
    loaded, problems = load_mapping(file, shown, what="an incident file must be a mapping of fields (id:, title:, ...)",
                                   root=root)
    if loaded is None:
        return None, problems
    display_dir = shown.rpartition("/")[0]
    profile, findings = _load_profile(loaded, file.parent, display_dir, root)
    if findings:
        return None, findings
    data = _merge_profile(loaded.data, profile.data) if profile else loaded.data
    return Incident(shown, data, loaded, profile), []


def check_incident(incident: Incident, *, file_stem: str, today: dt.date | None = None
                   ) -> tuple[Incident | None, list[Finding]]:
    """The schema and semantic checks of an incident :func:`read_incident` read from ``<file_stem>.yaml``:
    the incident (None when a finding is an error) and the findings."""
    merged = Loaded(incident.path, incident.data, incident.loaded.marks, [], incident.loaded.text)
    problems = [_relocate(incident, f) for f in schema_findings(merged, SCHEMA)]
    if problems:
        return None, problems
    problems = semantic_findings(incident, file_stem=file_stem, today=today or dt.date.today())
    return (None if any(f.is_error for f in problems) else incident), problems


def _relocate(incident: Incident, finding: Finding) -> Finding:
    """Point a schema finding about an inherited field at the profile file."""
    if incident.profile is None or not finding.field:
        return finding
    head = finding.field.split(".")[0].split("[")[0]
    if head not in PROFILE_KEYS:
        return finding
    path = tuple(finding.field.split("."))
    if path in incident.loaded.marks.values or path in incident.loaded.marks.keys:
        return finding
    if path in incident.profile.marks.values or path in incident.profile.marks.keys:
        line, col = incident.profile.marks.of(path)
        return Finding(incident.profile.path, line, col, finding.field, finding.message, finding.severity)
    return finding


def _parse_dates(incident: Incident) -> dict[str, dt.date]:
    return {k: dt.date.fromisoformat(v) for k, v in (incident.data.get("dates") or {}).items()
            if v and k != "aware_at"}


@cache
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def _zone_finding(incident: Incident) -> Finding | None:
    name = incident.data.get("timezone")
    if name is None:
        return None
    try:
        zoneinfo.ZoneInfo(name)
        return None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        guess = difflib.get_close_matches(name, _zone_names(), n=1)
        hint = f"did you mean '{guess[0]}'?" if guess else "write an IANA name such as Europe/Berlin, America/New_York or UTC"
        return incident.finding(("timezone",), f"'{name}' is not a time zone; {hint}")


def _time_findings(incident: Incident, today: dt.date) -> list[Finding]:
    """The time zone and the time of awareness."""
    zone = _zone_finding(incident)
    if zone is not None:
        return [zone]
    raw = (incident.data.get("dates") or {}).get("aware_at")
    if not raw:
        return []
    where = ("dates", "aware_at")
    try:
        moment = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return [incident.finding(where, f"'{raw}' is not a real date and time; write YYYY-MM-DDTHH:MM, "
                                 "e.g. 2025-04-01T09:30")]
    if moment.tzinfo is None and not incident.data.get("timezone"):
        return [incident.finding(where, "a time needs its time zone: add 'timezone:' with an IANA name "
                                 "(e.g. 'timezone: Europe/Berlin'), or write the time with its UTC offset "
                                 "(2025-04-01T09:30+02:00)")]
    aware = incident.aware_at
    assert aware is not None
    out = []
    if aware.date() < incident.discovered:
        out.append(incident.finding(where, f"{aware.date()} is before dates.discovered ({incident.discovered}): "
                                    "a business cannot be aware of a breach before it is discovered; correct one "
                                    "of the two"))
    if aware.date() > today:
        out.append(incident.finding(where, f"{aware.date()} is in the future (today is {today}); "
                                    "a past event needs the date it happened"))
    return out


def _past(incident: Incident, path: tuple[str | int, ...], value: str | None, today: dt.date,
          what: str) -> list[Finding]:
    if value and dt.date.fromisoformat(value) > today:
        return [incident.finding(path, f"{value} is in the future (today is {today}); record {what} once it "
                                 "has happened")]
    return []


def _law_fact_findings(incident: Incident, today: dt.date) -> list[Finding]:
    """Risk assessments, extensions, the law-enforcement request and GDPR residents."""
    out: list[Finding] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(incident.data.get("risk_assessment") or []):
        code = entry["jurisdiction"]
        if not is_jurisdiction_code(code):
            out.append(incident.finding(("risk_assessment", i, "jurisdiction"), _unknown_code_message(code)))
        if code in seen:
            out.append(incident.finding(("risk_assessment", i, "jurisdiction"), f"{code} has a determination "
                                        f"already (risk_assessment[{seen[code]}]); keep one per jurisdiction"))
        seen.setdefault(code, i)
        out += _past(incident, ("risk_assessment", i, "decided_on"), entry["decided_on"], today, "a determination")
        if dt.date.fromisoformat(entry["decided_on"]) < incident.discovered:
            out.append(incident.finding(("risk_assessment", i, "decided_on"), f"{entry['decided_on']} is before the "
                                        f"breach was discovered ({incident.discovered}); correct the date"))
        out += _past(incident, ("risk_assessment", i, "law_enforcement_consulted_on"),
                     entry.get("law_enforcement_consulted_on"), today, "a consultation")
        out += _past(incident, ("risk_assessment", i, "requested_on"), entry.get("requested_on"), today, "a request")
        if entry.get("requested_on") and entry["requested_on"] < entry["decided_on"]:
            out.append(incident.finding(("risk_assessment", i, "requested_on"), f"{entry['requested_on']} is before "
                                        f"the determination ({entry['decided_on']}); the determination is asked for "
                                        "once made: correct the date"))
    for i, entry in enumerate(incident.data.get("extensions") or []):
        if not is_jurisdiction_code(entry["jurisdiction"]):
            out.append(incident.finding(("extensions", i, "jurisdiction"), _unknown_code_message(entry["jurisdiction"])))
        out += _past(incident, ("extensions", i, "granted_on"), entry["granted_on"], today, "an extension")
    notice = incident.data.get("notice") or {}
    request = notice.get("law_enforcement_request")
    if request:
        out += _past(incident, ("notice", "law_enforcement_request", "requested_on"), request["requested_on"], today,
                     "a request")
        for i, further in enumerate(request.get("further") or []):
            out += _past(incident, ("notice", "law_enforcement_request", "further", i, "requested_on"),
                         further["requested_on"], today, "a request")
        if not notice.get("law_enforcement_delay"):
            out.append(incident.finding(("notice", "law_enforcement_request"), "a law-enforcement request is "
                                        "recorded but law_enforcement_delay is not true; write "
                                        "'law_enforcement_delay: true' (or remove the request)"))
    members = sorted(c for c in incident.residents if c.startswith("EU-") and c in RESIDENCE_CODES)
    if members and "EU" in incident.residents:
        out.append(incident.finding(("affected", "residents", "EU"), f"EU residents are counted twice: by member "
                                    f"state ({', '.join(members)}) and as EU; give them by member state only",
                                    key=True))
    return out


def semantic_findings(incident: Incident, *, file_stem: str, today: dt.date) -> list[Finding]:
    """Checks the schema cannot express: names, date order, counts, conditional fields."""
    out: list[Finding] = []
    data = incident.data
    add = out.append

    if incident.id != file_stem:
        add(incident.finding(("id",), f"the id '{incident.id}' differs from the file name '{file_stem}.yaml'; "
                             f"rename the file to {incident.id}.yaml or write id: {file_stem}"))

    dates = _parse_dates(incident)
    order = [
        ("breach_start", "breach_end", "the breach cannot end before it starts"),
        ("breach_start", "discovered", "a breach cannot be discovered before it starts"),
        ("discovered", "consumers_notified", "people cannot be notified before the breach was discovered"),
        ("breach_start", "contained", "a breach cannot be contained before it starts"),
        ("discovered", "determined", "the breach cannot be determined notifiable before it was discovered"),
    ]
    for earlier, later, why in order:
        if earlier in dates and later in dates and dates[later] < dates[earlier]:
            add(incident.finding(("dates", later), f"{dates[later]} is before dates.{earlier} ({dates[earlier]}): "
                                 f"{why}; correct one of the two dates"))
    planned = bool((data.get("notice") or {}).get("planned"))
    for name, value in dates.items():
        if value <= today:
            continue
        if name == "consumers_notified" and planned:
            continue
        hint = " (if the notice is scheduled, add 'planned: true' under notice)" if name == "consumers_notified" else ""
        add(incident.finding(("dates", name), f"{value} is in the future (today is {today}); "
                             f"a past event needs the date it happened{hint}"))
    if planned and "consumers_notified" not in dates:
        add(incident.finding(("notice", "planned"), "notice is marked planned but dates.consumers_notified is missing; "
                             "add the scheduled date"))

    for i, filing in enumerate(incident.filings):
        for key in ("submitted", "signed"):
            when = filing.get(key)
            if when and dt.date.fromisoformat(when) > today:
                add(incident.finding(("filings", i, key), f"{when} is in the future (today is {today}); "
                                     "record a filing once it has been made"))
        if filing.get("submitted") and dt.date.fromisoformat(filing["submitted"]) < incident.discovered:
            add(incident.finding(("filings", i, "submitted"), f"{filing['submitted']} is before the breach was "
                                 f"discovered ({incident.discovered}); correct the date"))
        code = filing.get("jurisdiction", "")
        if not is_jurisdiction_code(code):
            add(incident.finding(("filings", i, "jurisdiction"), _unknown_code_message(code)))

    residents = incident.residents
    for code in residents:
        if code not in RESIDENCE_CODES:
            add(incident.finding(("affected", "residents", code), _unknown_code_message(code), key=True))
    counted = sum(residents.values())
    if counted > incident.total_affected:
        add(incident.finding(("affected", "total"), f"the residents listed add up to {counted:,}, more than the total "
                             f"of {incident.total_affected:,}; raise the total or correct the counts"))

    info = data["data"]
    if info.get("protected") and not info.get("protection"):
        add(incident.finding(("data", "protected"), "protected is true but 'protection' is missing; "
                             "add data.protection describing the encryption or password protection"))
    if not info.get("protected") and info.get("key_compromised"):
        add(incident.finding(("data", "key_compromised"), "key_compromised is true but protected is false; "
                             "set protected: true and describe the protection, or remove key_compromised"))
    notice = data["notice"]
    if notice.get("law_enforcement_delay") and not (notice.get("law_enforcement_reference")
                                                    or notice.get("law_enforcement_request")):
        add(incident.finding(("notice", "law_enforcement_delay"), "a law-enforcement delay needs its request: "
                             "add notice.law_enforcement_request (agency, requested_on, written) or "
                             "notice.law_enforcement_reference (who asked, when, their reference)"))
    if notice.get("law_enforcement_delay") and not notice.get("delay_reason"):
        add(incident.finding(("notice", "law_enforcement_delay"), "a law-enforcement delay is a delay: "
                             "add notice.delay_reason describing it"))
    out += _time_findings(incident, today)
    out += _law_fact_findings(incident, today)
    maintainer = data.get("maintaining_business")
    if isinstance(maintainer, dict) and maintainer.get("name") == incident.business.get("name"):
        add(incident.finding(("maintaining_business", "name"), "the maintaining business is the reporting business; "
                             "remove maintaining_business (it is only for a different business)"))
    return out


def _unknown_code_message(code: str) -> str:
    guess = suggest_code(code)
    if guess and guess != code:
        return f"'{code}' is not a jurisdiction code; write {guess}"
    return (f"'{code}' is not a jurisdiction code; use US-XX for US states and territories (US-NC), GB, "
            "EU-XX for EU member states (EU-DE), or EU")


def find_incident_files(paths: Iterable[Path]) -> list[Path]:
    """Incident files among ``paths``, sorted. Folders are searched (profiles skipped); a profile named on its own
    stands for the incidents that inherit from it, every incident of its folder (a pre-commit hook names a changed
    profile so)."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir() and not is_incident_file(p):  # a folder named x.yaml is an incident file (and a finding)
            files.extend(f for f in p.glob("*.yaml") if is_incident_file(f))
        elif p.name.startswith(PROFILE_PREFIX) and p.suffix == ".yaml":
            files.extend(f for f in p.parent.glob("*.yaml") if is_incident_file(f))
        else:
            files.append(p)
    return sorted(set(files))


@contextlib.contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while loading: every object made is kept (no cycles to
    free), and its full passes over the growing heap cost ~12% of validating 10,000 incidents."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_incidents(
    paths: Iterable[Path], *, root: Path | None = None, today: dt.date | None = None
) -> tuple[list[Incident], list[Finding]]:
    """Load every incident under ``paths``; findings for all of them, plus duplicate ids."""
    incidents: list[Incident] = []
    findings: list[Finding] = []
    with no_cyclic_gc():
        for file in find_incident_files(paths):
            display = relative(file, root or Path.cwd())
            incident, problems = load_incident(file, display=display, today=today, root=root)
            findings.extend(problems)
            if incident is not None:
                incidents.append(incident)
    findings += duplicate_id_findings(incidents)
    return incidents, sorted(set(findings))


def duplicate_id_findings(incidents: Iterable[Incident]) -> list[Finding]:
    """A finding for each incident whose id an earlier one of ``incidents`` uses."""
    out: list[Finding] = []
    seen: dict[str, Incident] = {}
    for incident in incidents:
        other = seen.get(incident.id)
        if other is not None:
            out.append(incident.finding(("id",), f"the id '{incident.id}' is already used by {other.path}; "
                                        "give each incident its own id"))
        seen[incident.id] = incident
    return out
