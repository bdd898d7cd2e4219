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

import dataclasses
import datetime as dt
import difflib
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..findings import Finding
from ..project import Project, relative
from ..records.schema_check import load_mapping
from ..records.strict_yaml import Loaded
from ..resources import layers

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


#: Events a deadline may be counted from (``deadline.from``), in words.
EVENTS = {
    "discovery": "discovery",
    "awareness": "awareness",
    "determination": "the determination of the breach",
    "consumer_notice": "the consumer notice",
    "materiality_determination": "the materiality determination",
    "calendar_year_end": "the end of the calendar year",
}


def _limit_words(days: int, basis: str, start: str) -> str:
    """``14 business days after discovery``; ``no later than the consumer notice``; ``3 days before ...``."""
    if start == "consumer_notice" and days == 0:
        return "no later than the consumer notice"
    unit = "business day" if basis == "business" else "day"
    plural = "" if abs(days) == 1 else "s"
    if days < 0:
        return f"{-days} {unit}{plural} before {EVENTS[start]}"
    return f"{days} {unit}{plural} after {EVENTS[start]}"


@dataclass(frozen=True)
class Limit:
    """Another limit of a deadline (``deadline.or_earlier``): the notice is due by whichever comes first."""

    days: int
    basis: str = "calendar"
    start: str = "discovery"

    def describe(self) -> str:
        return _limit_words(self.days, self.basis, self.start)


@dataclass(frozen=True)
class Deadline:
    """When a notice is due; see the schema's ``deadline`` for the fields."""

    days: int | None = None
    hours: int | None = None
    basis: str = "calendar"
    start: str = "discovery"
    without_unreasonable_delay: bool = False
    text: str = ""
    extension_days: int | None = None
    extension_text: str = ""
    or_earlier: tuple[Limit, ...] = ()

    @property
    def fixed(self) -> bool:
        """True when the law gives a number of days or hours (a date can be computed)."""
        return self.days is not None or self.hours is not None

    def describe(self) -> str:
        """``30 calendar days from discovery``; ``without unreasonable delay``; ``72 hours from discovery``;
        with other limits, ``..., or no later than the consumer notice if that is earlier``."""
        event = EVENTS[self.start]
        if self.hours is not None:
            limit = f"{self.hours} hours after {event}"
        elif self.days is not None:
            limit = _limit_words(self.days, self.basis, self.start)
        else:
            limit = ""
        limit += "".join(f", or {other.describe()} if that is earlier" for other in self.or_earlier)
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
    not_regulated_as: tuple[str, ...] = ()
    min_risk: str | None = None
    required_fields: tuple[str, ...] = ()
    notes: str = ""
    law_enforcement_delay: LawEnforcementDelay | None = None

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def written_for(self, kinds: Collection[str]) -> bool:
        """Whether this version is written for a business of these kinds (``regulated_as``/``not_regulated_as``)."""
        wanted = not self.regulated_as or bool(set(self.regulated_as) & set(kinds))
        return wanted and not set(self.not_regulated_as) & set(kinds)

    def excludes(self, other: Duty) -> bool:
        """Whether no business can be one that both versions are written for (a law's text for one kind of
        business beside the text for all others, both in force at once)."""
        return bool((other.regulated_as and set(other.regulated_as) <= set(self.not_regulated_as))
                    or (self.regulated_as and set(self.regulated_as) <= set(other.not_regulated_as)))

    @property
    def period(self) -> str:
        """``from 2005-12-01 to 2009-09-30`` or ``from 2009-10-01``."""
        return f"from {self.effective_from}" + (f" to {self.effective_to}" if self.effective_to else "")


#: Authorities a law may reserve its law-enforcement delay to, in words, and the incident fact naming them.
DELAY_AUTHORITIES = {
    "us-attorney-general": ("the United States Attorney General", "attorney_general"),
}


@dataclass(frozen=True)
class FurtherDelay:
    """A further period the authority may add to a law-enforcement delay (``law_enforcement_delay.further``)."""

    days: int
    extraordinary: bool = False  # only in extraordinary circumstances (the incident says so)
    text: str = ""


@dataclass(frozen=True)
class LawEnforcementDelay:
    """A law's delay of a notice at law enforcement's request (a duty's ``law_enforcement_delay``, or for the
    notice to consumers ``consumer_notice.law_enforcement_delay``)."""

    allowed: bool
    written_request: bool = False
    requested_by: str | None = None  # only this authority may ask (DELAY_AUTHORITIES)
    days: int | None = None  # at most this many days after the deadline
    citation: str = ""
    further: tuple[FurtherDelay, ...] = ()  # further periods, in the order the law allows them
    beyond: str = ""  # what the law says of a delay longer than every period

    @property
    def authority(self) -> str:
        """The authority the delay is reserved to, in words ("" when any law-enforcement agency may ask)."""
        return DELAY_AUTHORITIES[self.requested_by][0] if self.requested_by else ""


def law_enforcement_delay(raw: Mapping[str, Any] | None) -> LawEnforcementDelay | None:
    """A ``law_enforcement_delay`` block of a rule file as a :class:`LawEnforcementDelay`."""
    if not raw:
        return None
    further = tuple(FurtherDelay(days=int(f["days"]), extraordinary=bool(f.get("extraordinary")),
                                 text=str(f.get("text") or "")) for f in raw.get("further") or ())
    return LawEnforcementDelay(allowed=bool(raw["allowed"]), written_request=bool(raw.get("written_request")),
                               requested_by=raw.get("requested_by"), days=raw.get("days"),
                               citation=str(raw.get("citation") or ""), further=further,
                               beyond=str(raw.get("beyond") or ""))


@dataclass(frozen=True)
class RiskOfHarm:
    """A law's risk-of-harm rule: notice may be skipped after a determination that harm is not likely.

    ``allowed`` is None for a rule written as plain text only: the engine shows it and applies nothing.
    """

    allowed: bool | None
    duties: tuple[str, ...] = (CONSUMERS,)
    law_enforcement_consultation: bool = False
    written: bool = False
    keep_years: int | None = None
    send_to: tuple[str, ...] = ()  # duty ids whose recipient gets it: the first written for the business
    send_within_days: int | None = None
    on_request: bool = False  # sent only when the recipient asks; send_within_days counts from the request
    send_over_residents: int | None = None  # sent only when more than this many of the law's residents are affected
    keep_from: str = "determination"  # the keep_years count from the determination or from discovery
    standard: str = ""  # what the determination must find, in the law's words
    citation: str = ""
    text: str = ""
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None

    def in_force(self, day: dt.date) -> bool:
        return ((self.effective_from is None or self.effective_from <= day)
                and (self.effective_to is None or day <= self.effective_to))

    @property
    def period(self) -> str:
        """``from 2009-09-23 to 2013-09-22``, ``from 2013-09-23``, or "" for a rule without dates."""
        start = f"from {self.effective_from}" if self.effective_from else ""
        return (start + (f" to {self.effective_to}" if self.effective_to else "")).strip()

    @property
    def applies(self) -> bool:
        """True when a determination that harm is not likely can replace notice."""
        return bool(self.allowed)

    @property
    def creates_duties(self) -> bool:
        """True when the determination itself must be written, kept or sent."""
        return self.written or self.keep_years is not None or bool(self.send_to)


def risk_of_harm_versions(raw: Any) -> tuple[RiskOfHarm, ...]:
    """The ``risk_of_harm`` field of a rule file: one rule (a mapping, or plain text with ``allowed`` None),
    or a list of versions with ``effective_from``/``effective_to``, oldest first."""
    if raw is None:
        return ()
    if isinstance(raw, str):
        return (RiskOfHarm(allowed=None, duties=(), text=raw),)
    if isinstance(raw, list):
        return tuple(sorted((risk_of_harm(v) for v in raw), key=lambda v: v.effective_from or dt.date.min))
    return (risk_of_harm(raw),)


def send_to_ids(raw: Any) -> tuple[str, ...]:
    """``risk_of_harm.send_to`` as duty ids: one id, or a list of them in the order the law names them."""
    if isinstance(raw, str):
        return (raw,) if raw else ()
    return tuple(str(d) for d in raw or ())


def risk_of_harm(raw: Mapping[str, Any]) -> RiskOfHarm:
    """One ``risk_of_harm`` mapping (a rule, or one version of it) as a :class:`RiskOfHarm`."""
    return RiskOfHarm(
        allowed=bool(raw["allowed"]),
        duties=tuple(raw.get("duties") or (CONSUMERS,)),
        law_enforcement_consultation=bool(raw.get("law_enforcement_consultation")),
        written=bool(raw.get("written")),
        keep_years=raw.get("keep_years"),
        send_to=send_to_ids(raw.get("send_to")),
        send_within_days=raw.get("send_within_days"),
        on_request=bool(raw.get("on_request")),
        send_over_residents=raw.get("send_over_residents"),
        keep_from=str(raw.get("keep_from") or "determination"),
        standard=str(raw.get("standard") or ""),
        citation=str(raw.get("citation") or ""),
        text=str(raw.get("text") or ""),
        effective_from=_date(raw.get("effective_from")),
        effective_to=_date(raw.get("effective_to")),
    )


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
    def record_forms(self) -> tuple[str, ...]:
        """Forms of record the law covers (``electronic``, ``paper``), whatever their dates; both when the file
        does not limit them."""
        return tuple((self.personal_information or {}).get("record_forms") or ("electronic", "paper"))

    @property
    def record_forms_since(self) -> dict[str, dt.date]:
        """Forms of record an amendment brought under the law, with the date they first count."""
        since = (self.personal_information or {}).get("record_forms_since") or {}
        return {form: dt.date.fromisoformat(day) for form, day in since.items()}

    def record_forms_on(self, day: dt.date) -> tuple[str, ...]:
        """Forms of record the law covers for a breach discovered on ``day``."""
        since = self.record_forms_since
        return tuple(f for f in self.record_forms if f not in since or since[f] <= day)

    @property
    def risk_of_harm_versions(self) -> tuple[RiskOfHarm, ...]:
        """Every version of the risk-of-harm rule, oldest first (one for a rule without dates)."""
        return risk_of_harm_versions(self.data.get("risk_of_harm"))

    @property
    def risk_of_harm(self) -> RiskOfHarm | None:
        """The risk-of-harm rule in force today (the latest version)."""
        versions = self.risk_of_harm_versions
        return versions[-1] if versions else None

    def risk_of_harm_on(self, day: dt.date) -> RiskOfHarm | None:
        """The version of the risk-of-harm rule in force for a breach discovered on ``day``; None when the law
        had no such rule then."""
        return next((v for v in self.risk_of_harm_versions if v.in_force(day)), None)

    @property
    def safe_harbour(self) -> dict[str, Any] | None:
        return self.data.get("encryption_safe_harbour")

    @property
    def consumer_notice(self) -> dict[str, Any]:
        return dict(self.data.get("consumer_notice") or {})

    @property
    def required_content(self) -> list[str]:
        """Content ids the consumer letter must contain today (for the letters stage)."""
        return list(self.consumer_notice.get("required_content") or [])

    @property
    def required_content_since(self) -> dict[str, dt.date]:
        """Content ids an amendment added, with the date they first count."""
        return {k: dt.date.fromisoformat(v) for k, v in (self.consumer_notice.get("required_content_since") or {}).items()}

    def required_content_on(self, day: dt.date) -> list[str]:
        """Content ids the letter must contain for a breach discovered on ``day``."""
        since = self.required_content_since
        return [c for c in self.required_content if c not in since or since[c] <= day]

    @property
    def letter_paragraphs(self) -> list[str]:
        """Every paragraph added to letters for residents of this jurisdiction, whatever its dates."""
        return [_paragraph_text(p) for p in self.consumer_notice.get("letter_paragraphs") or []]

    def letter_paragraphs_on(self, day: dt.date) -> list[str]:
        """The paragraphs in force for a breach discovered on ``day``: plain ones always, a dated one
        (``{text, from, to}``) from its ``from`` to its ``to`` day."""
        out = []
        for raw in self.consumer_notice.get("letter_paragraphs") or []:
            start = _date(raw.get("from")) if isinstance(raw, dict) else None
            end = _date(raw.get("to")) if isinstance(raw, dict) else None
            if (start is None or start <= day) and (end is None or day <= end):
                out.append(_paragraph_text(raw))
        return out

    def delay_rule(self, duty: Duty) -> LawEnforcementDelay | None:
        """The law-enforcement delay of a duty: its own, else for the notice to consumers the
        ``consumer_notice`` block's; None when the file says nothing of one."""
        if duty.law_enforcement_delay is not None:
            return duty.law_enforcement_delay
        return law_enforcement_delay(self.consumer_notice.get("law_enforcement_delay")) if duty.id == CONSUMERS else None

    def duty_ids(self) -> list[str]:
        """Duty ids in the order they first appear in the file."""
        return list(dict.fromkeys(d.id for d in self.duties))

    def versions(self, duty_id: str) -> list[Duty]:
        """Every version of one duty, oldest first."""
        return sorted((d for d in self.duties if d.id == duty_id), key=lambda d: d.effective_from)

    def in_force(self, duty_id: str, day: dt.date, kinds: Collection[str] | None = None) -> Duty | None:
        """The version of ``duty_id`` in force on ``day``, or None; with the business's ``kinds``, the version
        written for such a business where the law has one for each kind."""
        current = [d for d in self.versions(duty_id) if d.in_force(day)]
        if kinds is not None:
            current.sort(key=lambda d: not d.written_for(kinds))
        return current[0] if current else None


def _paragraph_text(raw: str | dict[str, Any]) -> str:
    return str(raw["text"]) if isinstance(raw, dict) else raw


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
            extension_days=d.get("extension_days"),
            extension_text=d.get("extension_text", ""),
            or_earlier=tuple(Limit(days=int(o["days"]), basis=o.get("basis", "calendar"),
                                   start=o.get("from", "discovery")) for o in d.get("or_earlier") or ()),
        ),
        effective_from=dt.date.fromisoformat(raw["effective_from"]),
        effective_to=_date(raw.get("effective_to")),
        citation=raw["citation"],
        verified=bool(raw["verified"]),
        source=dict(raw["source"]),
        condition=raw.get("condition", ""),
        regulated_as=tuple(raw.get("regulated_as") or ()),
        not_regulated_as=tuple(raw.get("not_regulated_as") or ()),
        min_risk=raw.get("min_risk"),
        required_fields=tuple(raw.get("required_fields") or ()),
        notes=raw.get("notes", ""),
        law_enforcement_delay=law_enforcement_delay(raw.get("law_enforcement_delay")),
    )


#: A ``risk_of_harm`` rule's ``send_to`` (a version's too), and one id of its list.
_SEND_TO = re.compile(r"risk_of_harm(\[\d+\])?\.send_to(\[\d+\])?")
SEND_TO_HINT = ("write the duty id whose recipient gets the determination (e.g. 'send_to: attorney-general'), or a "
                "list of them, the first one written for the business being used (e.g. 'send_to: [regulator, "
                "attorney-general]')")


def _send_to_message(finding: Finding) -> str | None:
    """What to write instead of a ``send_to`` that is no duty id, an empty list or a list holding something else."""
    match = _SEND_TO.fullmatch(finding.field)
    if match is None:
        return None
    found = re.match(r"expected [^,]+, found (.+?)(;|$)", finding.message)
    if finding.message.startswith("must list"):
        what = "an empty list names no recipient"
    elif found:
        what = f"{found.group(1)} is not a duty id"
    elif " is not in the expected form" in finding.message:
        what = finding.message.split(" is not in the expected form")[0] + " is not a duty id"
    else:
        return None
    if match.group(2):
        return f"{what}; write the id of a duty of this file, lowercase words joined by hyphens (e.g. 'regulator')"
    return f"{what}; {SEND_TO_HINT}"


def _friendlier(finding: Finding) -> Finding:
    """Rewrite the schema's anyOf messages (and those of a ``send_to`` of the wrong kind) into what to write."""
    send_to = _send_to_message(finding)
    if send_to is not None:
        return dataclasses.replace(finding, message=send_to)
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
        if duty.deadline.extension_text and duty.deadline.extension_days is None:
            out.append(loaded.finding(("duties", duty.index, "deadline", "extension_text"), "an extension needs its "
                                      "length: add extension_days (e.g. 'extension_days: 15')"))
        both_ways = sorted(set(duty.regulated_as) & set(duty.not_regulated_as))
        if both_ways:
            out.append(loaded.finding(("duties", duty.index, "not_regulated_as"), f"{', '.join(both_ways)} is both "
                                      "in regulated_as and not_regulated_as; keep it in one of the two"))
    out.extend(_risk_of_harm_findings(loaded, duties))
    out.extend(_record_forms_findings(loaded))
    consumer_delay = law_enforcement_delay((data.get("consumer_notice") or {}).get("law_enforcement_delay"))
    if consumer_delay is not None and consumer_delay.further and consumer_delay.days is None:
        out.append(_further_without_days(loaded, ("consumer_notice", "law_enforcement_delay", "further")))
    for duty in duties:
        out.extend(_deadline_findings(loaded, duty))
    out.extend(_content_since_findings(loaded))
    out.extend(_paragraph_date_findings(loaded))
    for duty_id, versions in by_id.items():
        ordered = sorted(versions, key=lambda d: d.effective_from)
        for at, earlier in enumerate(ordered):
            later = next((v for v in ordered[at + 1:] if not earlier.excludes(v)), None)
            if later is None:
                continue
            if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
                end = later.effective_from - dt.timedelta(days=1)
                out.append(loaded.finding(("duties", earlier.index, "effective_to"),
                                          f"two versions of '{duty_id}' are in force at once (the next starts "
                                          f"{later.effective_from}); give this one 'effective_to: \"{end}\"'",
                                          key=earlier.effective_to is None))
    for block in ("personal_information", "consumer_notice", "risk_of_harm", "encryption_safe_harbour"):
        any_unverified |= isinstance(data.get(block), dict) and data[block].get("verified") is False
    any_unverified |= any(isinstance(v, dict) and v.get("verified") is False for v in
                          (data.get("risk_of_harm") if isinstance(data.get("risk_of_harm"), list) else []))
    if data["verified"] and any_unverified:
        out.append(loaded.finding(("verified",), "the file says verified: true but some entries are "
                                  "verified: false; write verified: false until every entry is checked"))
    return out


def _unknown_duty(duty_id: str, known: list[str]) -> str:
    guess = difflib.get_close_matches(duty_id, known, n=1)
    hint = f"did you mean '{guess[0]}'?" if guess else f"the duties of this file are: {', '.join(known)}"
    return f"'{duty_id}' is not a duty of this file; {hint}"


def _risk_of_harm_findings(loaded: Loaded, duties: list[Duty]) -> list[Finding]:
    raw = loaded.data.get("risk_of_harm")
    if isinstance(raw, dict):
        return _risk_of_harm_rule_findings(loaded, duties, raw, ("risk_of_harm",))
    if not isinstance(raw, list):
        return []
    out: list[Finding] = []
    for i, version in enumerate(raw):
        out.extend(_risk_of_harm_rule_findings(loaded, duties, version, ("risk_of_harm", i)))
        if not version.get("effective_from"):
            out.append(loaded.finding(("risk_of_harm", i), "a version of the risk-of-harm rule needs the first day "
                                      "it is in force: add effective_from (e.g. 'effective_from: \"2013-09-23\"')"))
    dated = sorted((v["effective_from"], i, v.get("effective_to")) for i, v in enumerate(raw) if v.get("effective_from"))
    for (start, i, end), (later, _j, _end) in zip(dated, dated[1:], strict=False):
        if end is None or end >= later:
            day_before = dt.date.fromisoformat(later) - dt.timedelta(days=1)
            out.append(loaded.finding(("risk_of_harm", i, "effective_to"), f"two versions of the risk-of-harm rule "
                                      f"are in force at once (the next starts {later}); give this one "
                                      f"'effective_to: \"{day_before}\"'", key=end is None))
        elif end < start:
            out.append(loaded.finding(("risk_of_harm", i, "effective_to"), f"{end} is before effective_from "
                                      f"({start}); correct one of the two dates"))
    return out


def _risk_of_harm_rule_findings(loaded: Loaded, duties: list[Duty], raw: dict[str, Any],
                                where: tuple[str | int, ...]) -> list[Finding]:
    known = list(dict.fromkeys(d.id for d in duties))
    out = [loaded.finding((*where, "duties", i), _unknown_duty(duty_id, known))
           for i, duty_id in enumerate(raw.get("duties") or []) if duty_id not in known]
    send_to = raw.get("send_to")
    out += [loaded.finding((*where, "send_to") if isinstance(send_to, str) else (*where, "send_to", i),
                           _unknown_duty(duty_id, known))
            for i, duty_id in enumerate(send_to_ids(send_to)) if duty_id not in known]
    for name in ("send_within_days", "on_request", "send_over_residents"):
        if raw.get(name) not in (None, False) and not raw.get("send_to"):
            out.append(loaded.finding((*where, name), f"{name} needs send_to: the duty id whose recipient gets the "
                                      "determination (e.g. 'send_to: attorney-general')"))
    if raw.get("keep_from") and not raw.get("keep_years"):
        out.append(loaded.finding((*where, "keep_from"), "keep_from needs keep_years: how many years the written "
                                  "determination is kept (e.g. 'keep_years: 5')"))
    return out


def _record_forms_findings(loaded: Loaded) -> list[Finding]:
    pi = loaded.data.get("personal_information") or {}
    forms = pi.get("record_forms") or ["electronic", "paper"]
    return [loaded.finding(("personal_information", "record_forms_since", form), f"'{form}' is not in record_forms; "
                           f"add it there too, or remove it here", key=True)
            for form in pi.get("record_forms_since") or {} if form not in forms]


def _deadline_findings(loaded: Loaded, duty: Duty) -> list[Finding]:
    out = []
    deadline = duty.deadline
    if deadline.or_earlier and not deadline.fixed:
        out.append(loaded.finding(("duties", duty.index, "deadline", "or_earlier"), "or_earlier gives other limits "
                                  "of a deadline counted in days or hours: add days (e.g. 'days: 14') or hours"))
    for i, other in enumerate(deadline.or_earlier):
        if other.start == "consumer_notice" and duty.id == CONSUMERS:
            out.append(loaded.finding(("duties", duty.index, "deadline", "or_earlier", i, "from"), "the consumer "
                                      "notice cannot be counted from itself; write from: discovery (or determination)"))
    delay = duty.law_enforcement_delay
    if delay is not None and delay.further and delay.days is None:
        out.append(_further_without_days(loaded, ("duties", duty.index, "law_enforcement_delay", "further")))
    return out


def _further_without_days(loaded: Loaded, where: tuple[str | int, ...]) -> Finding:
    return loaded.finding(where, "further periods extend a delay of a fixed length: add days (e.g. 'days: 30')")


def _content_since_findings(loaded: Loaded) -> list[Finding]:
    notice = loaded.data.get("consumer_notice") or {}
    required = notice.get("required_content") or []
    return [loaded.finding(("consumer_notice", "required_content_since", content), f"'{content}' is not in "
                           f"required_content; add it there too, or remove it here", key=True)
            for content in notice.get("required_content_since") or {} if content not in required]


def _paragraph_date_findings(loaded: Loaded) -> list[Finding]:
    paragraphs = (loaded.data.get("consumer_notice") or {}).get("letter_paragraphs") or []
    return [loaded.finding(("consumer_notice", "letter_paragraphs", i, "to"), f"{raw['to']} is before from "
                           f"({raw['from']}); correct one of the two dates")
            for i, raw in enumerate(paragraphs) if isinstance(raw, dict) and raw.get("from") and raw.get("to")
            and raw["to"] < raw["from"]]


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
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def rule_base_dirs(project: Project) -> list[Path]:
    """The folders holding the rule base of ``project``, first one first: its own ``jurisdictions/``, then
    breachdocs' packaged rule base (:func:`breachdocs.resources.layers`), so a project's rule file replaces
    the packaged one of the same jurisdiction and any other adds to them."""
    return layers(project.jurisdictions_dir, "jurisdictions")


def no_rule_base_finding(project: Project) -> Finding | None:
    """An error when the project has no rule files at all: without law, no duty would ever be found."""
    if any(jurisdiction_files(folder) for folder in rule_base_dirs(project)):
        return None
    shown = project.relative(project.jurisdictions_dir) + "/"
    return Finding(shown, 0, 0, "", "there is no rule base: no jurisdiction file (*.yaml) here, so no duty to "
                   "notify anyone can be found; add the rule files (jurisdictions/us-nc.yaml, ...) to the project")


def load_rule_base(project: Project) -> tuple[dict[str, Jurisdiction], list[Finding]]:
    """Every jurisdiction of the project's rule base by code, and the findings of its files (an error when
    there is no rule base). A code found in an earlier folder of :func:`rule_base_dirs` wins."""
    missing = no_rule_base_finding(project)
    if missing is not None:
        return {}, [missing]
    found: dict[str, Jurisdiction] = {}
    findings: list[Finding] = []
    for folder in rule_base_dirs(project):
        here, problems = load_jurisdictions(folder, root=project.root)
        findings.extend(problems)
        for code, jurisdiction in here.items():
            found.setdefault(code, jurisdiction)
    return dict(sorted(found.items())), findings


_CACHE: dict[tuple[Any, ...], tuple[dict[str, Jurisdiction], list[Finding]]] = {}
#: Folders whose rule files are kept loaded at a time.
_CACHE_FOLDERS = 8


def load_jurisdictions(folder: Path, *, root: Path | None = None) -> tuple[dict[str, Jurisdiction], list[Finding]]:
    """Every jurisdiction file in ``folder`` by code, and the findings of all of them.

    Results are reused while no file in ``folder`` changes (size and modification time).
    """
    files = jurisdiction_files(folder)
    place = (str(folder.resolve()), str(root))
    key = (*place, tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files))
    if key not in _CACHE:
        # one entry per folder (a rule base has two: the project's own and the packaged one)
        for stale in [k for k in _CACHE if k[:2] == place or len(_CACHE) >= _CACHE_FOLDERS]:
            del _CACHE[stale]
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
