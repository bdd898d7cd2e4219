"""Jurisdiction rule files: loading, validation and effective-date selection.

A file in ``jurisdictions/`` is one jurisdiction's breach-notification law
(schema: ``jurisdiction.schema.json`` beside this module; field guide:
``jurisdictions/README.md``). :func:`load_jurisdictions` reads them strictly
(``records.strict_yaml``), checks them against the schema and the rules the
schema cannot express, and returns :class:`Jurisdiction` objects with every
problem as a located :class:`~breachdocs.findings.Finding`.

A duty may appear in several versions (same ``id``, successive
``effective_from``/``effective_to``); :meth:`Jurisdiction.in_force` picks the
version in force on a given day, normally the incident's discovery date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..findings import Finding
from ..project import relative
from ..records.schema_check import load_mapping
from ..records.strict_yaml import Loaded
from ..resources import layered_files

SCHEMA = "law/jurisdiction.schema.json"
SCHEMA_LINE = "# yaml-language-server: $schema=../mkdocs_plugins/breachdocs/law/jurisdiction.schema.json"
#: Duty id of the notice to the affected people themselves.
CONSUMERS = "consumers"


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class Threshold:
    """``count comparison of``: e.g. ``1000 > residents`` means more than 1,000 residents."""

    count: int
    comparison: str
    of: str

    def met(self, value: int) -> bool:
        return {
            ">=": value >= self.count,
            ">": value > self.count,
            "<": value < self.count,
            "<=": value <= self.count,
        }[self.comparison]


@dataclass(frozen=True)
class Deadline:
    """When a notice is due; see the schema's ``deadline`` for the fields."""

    days: int | None = None
    hours: int | None = None
    basis: str = "calendar"
    start: str = "discovery"
    without_unreasonable_delay: bool = False
    text: str = ""

    @property
    def fixed(self) -> bool:
        """True when the law gives a number of days or hours (a date can be computed)."""
        return self.days is not None or self.hours is not None

    def describe(self) -> str:
        """``30 calendar days from discovery``; ``without unreasonable delay``; ``72 hours from discovery``."""
        event = {
            "discovery": "discovery",
            "determination": "the determination of the breach",
            "consumer_notice": "the consumer notice",
            "materiality_determination": "the materiality determination",
            "calendar_year_end": "the end of the calendar year",
        }[self.start]
        if self.hours is not None:
            limit = f"{self.hours} hours after {event}"
        elif self.days is not None:
            unit = "business day" if self.basis == "business" else "day"
            plural = "" if abs(self.days) == 1 else "s"
            if self.start == "consumer_notice" and self.days == 0:
                limit = "no later than the consumer notice"
            elif self.days < 0:
                limit = f"{-self.days} {unit}{plural} before {event}"
            else:
                limit = f"{self.days} {unit}{plural} after {event}"
        else:
            limit = ""
        if self.without_unreasonable_delay:
            delay = "without unreasonable delay"
            if self.start == "consumer_notice" and not limit:
                delay += " after the consumer notice"
            return f"{delay}, at the latest {limit}" if limit else delay
        return limit


@dataclass(frozen=True)
class Duty:
    """One version of one notice duty of a jurisdiction."""

    id: str
    index: int  # position in the file's duties list, for locating findings
    title: str
    recipient: dict[str, Any]
    form: str | None
    threshold: Threshold
    deadline: Deadline
    effective_from: dt.date
    effective_to: dt.date | None
    citation: str
    verified: bool
    source: dict[str, Any]
    condition: str = ""
    regulated_as: tuple[str, ...] = ()
    required_fields: tuple[str, ...] = ()
    notes: str = ""

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    @property
    def period(self) -> str:
        """``from 2005-12-01 to 2009-09-30`` or ``from 2009-10-01``."""
        return f"from {self.effective_from}" + (f" to {self.effective_to}" if self.effective_to else "")


@dataclass
class Jurisdiction:
    """One validated jurisdiction file."""

    path: str
    data: dict[str, Any]
    duties: list[Duty]
    loaded: Loaded = field(repr=False)

    @property
    def code(self) -> str:
        return str(self.data["code"])

    @property
    def name(self) -> str:
        return str(self.data["name"])

    @property
    def kind(self) -> str:
        return str(self.data["kind"])

    @property
    def residents(self) -> list[str]:
        return list(self.data.get("residents") or [])

    @property
    def regulated_as(self) -> list[str]:
        return list(self.data.get("regulated_as") or [])

    @property
    def verified(self) -> bool:
        return bool(self.data["verified"])

    @property
    def personal_information(self) -> dict[str, Any] | None:
        return self.data.get("personal_information")

    @property
    def safe_harbour(self) -> dict[str, Any] | None:
        return self.data.get("encryption_safe_harbour")

    @property
    def consumer_notice(self) -> dict[str, Any]:
        return dict(self.data.get("consumer_notice") or {})

    @property
    def required_content(self) -> list[str]:
        """Content ids the consumer letter must contain (for the letters stage)."""
        return list(self.consumer_notice.get("required_content") or [])

    @property
    def letter_paragraphs(self) -> list[str]:
        """Paragraphs added to letters for residents of this jurisdiction."""
        return list(self.consumer_notice.get("letter_paragraphs") or [])

    def duty_ids(self) -> list[str]:
        """Duty ids in the order they first appear in the file."""
        return list(dict.fromkeys(d.id for d in self.duties))

    def versions(self, duty_id: str) -> list[Duty]:
        """Every version of one duty, oldest first."""
        return sorted((d for d in self.duties if d.id == duty_id), key=lambda d: d.effective_from)

    def in_force(self, duty_id: str, day: dt.date) -> Duty | None:
        """The version of ``duty_id`` in force on ``day``, or None."""
        return next((d for d in self.versions(duty_id) if d.in_force(day)), None)


def _duty(raw: dict[str, Any], index: int) -> Duty:
    t = raw["threshold"]
    d = raw["deadline"]
    return Duty(
        id=raw["id"],
        index=index,
        title=raw.get("title") or raw["id"].replace("-", " ").capitalize(),
        recipient=dict(raw["recipient"]),
        form=raw.get("form"),
        threshold=Threshold(t["count"], t["comparison"], t["of"]),
        deadline=Deadline(
            days=d.get("days"),
            hours=d.get("hours"),
            basis=d.get("basis", "calendar"),
            start=d.get("from", "discovery"),
            without_unreasonable_delay=bool(d.get("without_unreasonable_delay")),
            text=d.get("text", ""),
        ),
        effective_from=dt.date.fromisoformat(raw["effective_from"]),
        effective_to=_date(raw.get("effective_to")),
        citation=raw["citation"],
        verified=bool(raw["verified"]),
        source=dict(raw["source"]),
        condition=raw.get("condition", ""),
        regulated_as=tuple(raw.get("regulated_as") or ()),
        required_fields=tuple(raw.get("required_fields") or ()),
        notes=raw.get("notes", ""),
    )


def _friendlier(finding: Finding) -> Finding:
    """Rewrite the schema's anyOf messages into what to write."""
    if finding.field.endswith("deadline.days") and "required field 'days'" in finding.message:
        message = ("a deadline needs days (e.g. 'days: 30'), hours (e.g. 'hours: 72') "
                   "or 'without_unreasonable_delay: true'")
        return Finding(finding.path, finding.line, finding.column, finding.field.rsplit(".", 1)[0], message)
    if finding.field == "residents" and "required field 'residents'" in finding.message:
        message = ("say what brings this law into play: 'residents: [US-NC]' (residence codes) "
                   "and/or 'regulated_as: [hipaa-covered-entity]'")
        return Finding(finding.path, 1, 1, "", message)
    return finding


def _semantic(loaded: Loaded, file: Path, duties: list[Duty]) -> list[Finding]:
    data = loaded.data
    out: list[Finding] = []
    code = data["code"]
    if file.name != f"{code.lower()}.yaml":
        out.append(loaded.finding(("code",), f"the code '{code}' does not match the file name '{file.name}'; "
                                  f"rename the file to {code.lower()}.yaml or write code: {file.stem.upper()}"))
    first = (loaded.text.splitlines() or [""])[0]
    if first != SCHEMA_LINE:
        out.append(Finding(loaded.path, 1, 1, "", f"the first line must be exactly: {SCHEMA_LINE}"))
    kind = data["kind"]
    expected = "federal" if code.startswith("US-FED-") else None
    if expected and kind != expected:
        out.append(loaded.finding(("kind",), f"'{code}' is a federal regime; write kind: federal"))
    if code.startswith("US-") and not code.startswith("US-FED-") and code not in (data.get("residents") or []):
        out.append(loaded.finding(("residents",), f"a state or territory protects its own residents; "
                                  f"add {code} to residents"))
    pi = data.get("personal_information") or {}
    both = sorted(set(pi.get("alone") or []) & set(pi.get("with_name") or []))
    if both:
        out.append(loaded.finding(("personal_information", "alone"), f"{', '.join(both)} listed both alone and "
                                  "with_name; keep each element in one list (alone if it counts without a name)"))
    any_unverified = False
    by_id: dict[str, list[Duty]] = {}
    for duty in duties:
        by_id.setdefault(duty.id, []).append(duty)
        any_unverified |= not duty.verified
        if duty.effective_to and duty.effective_to < duty.effective_from:
            out.append(loaded.finding(("duties", duty.index, "effective_to"), f"{duty.effective_to} is before "
                                      f"effective_from ({duty.effective_from}); correct one of the two dates"))
        if duty.deadline.start == "consumer_notice" and duty.id == CONSUMERS:
            out.append(loaded.finding(("duties", duty.index, "deadline", "from"), "the consumer notice cannot be "
                                      "counted from itself; write from: discovery (or determination)"))
    for duty_id, versions in by_id.items():
        ordered = sorted(versions, key=lambda d: d.effective_from)
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                end = later.effective_from - dt.timedelta(days=1)
                out.append(loaded.finding(("duties", earlier.index, "effective_to"),
                                          f"two versions of '{duty_id}' are in force at once (the next starts "
                                          f"{later.effective_from}); give this one 'effective_to: \"{end}\"'",
                                          key=earlier.effective_to is None))
    for block in ("personal_information", "consumer_notice"):
        any_unverified |= isinstance(data.get(block), dict) and data[block].get("verified") is False
    if data["verified"] and any_unverified:
        out.append(loaded.finding(("verified",), "the file says verified: true but some entries are "
                                  "verified: false; write verified: false until every entry is checked"))
    return out


def load_jurisdiction(file: Path, display: str | None = None) -> tuple[Jurisdiction | None, list[Finding]]:
    """Load and check one jurisdiction file; None when it has errors."""
    loaded, problems = load_mapping(file, display or str(file), schema=SCHEMA,
                                    what="a jurisdiction file must be a mapping of fields (code:, name:, ...)")
    if loaded is None:
        return None, sorted({_friendlier(f) for f in problems})
    duties = [_duty(raw, i) for i, raw in enumerate(loaded.data["duties"])]
    problems = sorted(_semantic(loaded, file, duties))
    if any(f.is_error for f in problems):
        return None, problems
    return Jurisdiction(loaded.path, loaded.data, duties, loaded), problems


def jurisdiction_files(folder: Path) -> list[Path]:
    """The rule files of the project folder ``folder`` and breachdocs' packaged ones, a project file
    replacing the packaged file of the same name."""
    return list(layered_files(folder, "jurisdictions", pattern="*.yaml").values())


_CACHE: dict[tuple[Any, ...], tuple[dict[str, Jurisdiction], list[Finding]]] = {}


def load_jurisdictions(folder: Path, *, root: Path | None = None) -> tuple[dict[str, Jurisdiction], list[Finding]]:
    """Every jurisdiction file in ``folder`` by code, and the findings of all of them.

    Results are reused while no file in ``folder`` changes (size and modification time).
    """
    files = jurisdiction_files(folder)
    key = (str(folder.resolve()), str(root), tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files))
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = _load_all(files, root)
    found, findings = _CACHE[key]
    return dict(found), list(findings)


def _load_all(files: list[Path], root: Path | None) -> tuple[dict[str, Jurisdiction], list[Finding]]:
    found: dict[str, Jurisdiction] = {}
    findings: list[Finding] = []
    for file in files:
        shown = relative(file, root or Path.cwd())
        jurisdiction, problems = load_jurisdiction(file, shown)
        findings.extend(problems)
        if jurisdiction is None:
            continue
        other = found.get(jurisdiction.code)
        if other is not None:
            findings.append(jurisdiction.loaded.finding(("code",), f"the code '{jurisdiction.code}' is already "
                                                        f"used by {other.path}; one file per jurisdiction"))
            continue
        found[jurisdiction.code] = jurisdiction
    return dict(sorted(found.items())), sorted(findings)
