"""The obligations engine: for one incident, every notice the law requires.

:func:`obligations` looks at each jurisdiction the incident brings into play
(affected residents there, the business regulated under it, or a filing made
under it) and, for each of its duties, takes the version in force on the
incident's discovery date and decides:

- whether it is triggered, with a readable reason trace
  ("195 US-NC residents >= 1; personal information: name + ssn");
- its due date, or "without unreasonable delay" with an internal target date;
- its status from the incident's ``filings`` (and ``dates.consumers_notified``
  for the notice to consumers): ``done-on-time``, ``done-late`` (by
  ``late_days``), ``done`` (made, with no fixed deadline to judge it by, or
  made although not required), ``due``, ``overdue`` or ``not-triggered``.

A duty not in force on the discovery date (it came into force later) is
listed as not triggered, says so, and still shows what was filed.

JSON form (:meth:`Obligation.to_dict`, ``breachdocs obligations --format json``):
``{"format": "breachdocs-obligations/1", "incident": ID, "as_of": DATE,
"internal_target_days": N, "obligations": [...]}``; each obligation has the keys
``jurisdiction, jurisdiction_name, duty, title, recipient, triggered, reason,
reasons, deadline, due, due_text, target, form, required_fields, status, done, late_days,
filings, citation, effective_from, effective_to, in_force, verified, source, due_at,
timezone, missing`` in that order; dates are ``YYYY-MM-DD`` strings or null; ``due_at`` is
the deadline counted in hours as ``YYYY-MM-DDTHH:MM:SS+HH:MM`` in the incident's time zone
``timezone`` (IANA name), else null; ``missing`` lists the facts the incident lacks that the
duty depends on, each ``{"field": dotted path where to record it, "message": ...}``.

Facts the law turns on, besides counts and data elements: the form of the records
(``data.format`` against the rule file's ``personal_information.record_forms``), what
the business is (``reporting_business.regulated_as`` against a duty's ``regulated_as``
and ``not_regulated_as``; a ``service-provider`` owes only the duties written for it,
such as ``data-owner``, where the law has one), a risk-of-harm determination
(``risk_assessment`` against ``risk_of_harm``, which may also create duties of its own:
``risk-determination-record``, ``risk-determination``), the GDPR risk level
(``gdpr.risk`` against a duty's ``min_risk``), the time of awareness for deadlines in
hours (``dates.aware_at`` in ``timezone``), extensions granted (``extensions``) and a
law-enforcement delay (``notice.law_enforcement_request`` against the law's
``law_enforcement_delay``: who may ask, in writing or not, for how long, and the further periods
the authority added).

The law is taken as it stood on the discovery date: the duty's version, the elements and forms of
record the definition covered then (``since``, ``record_forms_since``) and the version of the
risk-of-harm rule in force (``risk_of_harm`` as a list of versions). A deadline with other limits
(``deadline.or_earlier``: "whichever is sooner") is due by the earliest of them; a determination
the law sends only on request (``risk_of_harm.on_request``) is a kept record until the incident
records the request (``risk_assessment[].requested_on``), then a dated duty. A determination the law
sends to a business's own regulator (``risk_of_harm.send_to`` listing several duties) goes to the
recipient of the first listed duty written for the business (``regulated_as``, ``not_regulated_as``).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import zoneinfo
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..records.codes import REGIME_CODES, region_of
from ..records.incident import Incident
from .business_days import add_business_days
from .rules import (
    CONSUMERS,
    DELAY_AUTHORITIES,
    Deadline,
    Duty,
    Jurisdiction,
    LawEnforcementDelay,
    RiskOfHarm,
    Threshold,
)

DEFAULT_INTERNAL_TARGET_DAYS = 30
JSON_FORMAT = "breachdocs-obligations/1"
OPEN_STATUSES = ("due", "overdue")
#: Business kind of a business that maintains data it does not own (its duty: ``data-owner``).
SERVICE_PROVIDER = "service-provider"
#: Duties a risk-of-harm determination itself creates: the written record, and sending it.
RECORD_DUTY = "risk-determination-record"
SEND_DUTY = "risk-determination"
DERIVED_DUTIES = (RECORD_DUTY, SEND_DUTY)
#: A trace line saying a recorded law-enforcement delay does not delay the duty begins so; the reason
#: follows (an oral request where the law wants it in writing says NOT_WRITTEN).
DELAY_REFUSED = "the law-enforcement delay does not count: "
NOT_WRITTEN = "requires the request in writing (or a contemporaneous memorandum)"
#: GDPR risk levels, lowest first (incident ``gdpr.risk``, duty ``min_risk``).
RISK_LEVELS = ("unlikely", "risk", "high")


@dataclass(frozen=True)
class Obligation:
    """One duty of one jurisdiction, judged for one incident."""

    incident: str
    jurisdiction: str
    jurisdiction_name: str
    duty: str
    title: str
    recipient: Mapping[str, Any]
    triggered: bool
    reasons: tuple[str, ...]
    deadline: str
    due: dt.date | None
    target: dt.date | None
    form: str | None
    required_fields: tuple[str, ...]
    status: str
    done: dt.date | None
    late_days: int | None
    filings: tuple[Mapping[str, Any], ...]
    citation: str
    effective_from: dt.date
    effective_to: dt.date | None
    in_force: bool
    verified: bool
    source: str
    due_at: dt.datetime | None = None
    timezone: str | None = None
    missing: tuple[tuple[str, str], ...] = ()

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)

    @property
    def due_text(self) -> str:
        """The due date (with the time and zone for a deadline in hours), or the words of the law."""
        if self.due_at is not None:
            return f"{self.due_at:%Y-%m-%d %H:%M} {self.timezone or self.due_at.tzname()}"
        if self.due is not None:
            return self.due.isoformat()
        return self.deadline

    @property
    def is_open(self) -> bool:
        return self.triggered and self.status in OPEN_STATUSES

    @property
    def sort_date(self) -> dt.date | None:
        """The date an open duty should be done by: the legal due date, else the internal target."""
        return self.due or self.target

    def to_dict(self) -> dict[str, Any]:
        def iso(day: dt.date | None) -> str | None:
            return day.isoformat() if day else None

        return {
            "jurisdiction": self.jurisdiction,
            "jurisdiction_name": self.jurisdiction_name,
            "duty": self.duty,
            "title": self.title,
            "recipient": dict(self.recipient),
            "triggered": self.triggered,
            "reason": self.reason,
            "reasons": list(self.reasons),
            "deadline": self.deadline,
            "due": iso(self.due),
            "due_text": self.due_text,
            "target": iso(self.target),
            "form": self.form,
            "required_fields": list(self.required_fields),
            "status": self.status,
            "done": iso(self.done),
            "late_days": self.late_days,
            "filings": [dict(f) for f in self.filings],
            "citation": self.citation,
            "effective_from": iso(self.effective_from),
            "effective_to": iso(self.effective_to),
            "in_force": self.in_force,
            "verified": self.verified,
            "source": self.source,
            "due_at": self.due_at.isoformat() if self.due_at else None,
            "timezone": self.timezone,
            "missing": [{"field": name, "message": message} for name, message in self.missing],
        }

    @classmethod
    def from_dict(cls, incident: str, data: Mapping[str, Any]) -> Obligation:
        """The obligation :meth:`to_dict` wrote (of the incident with id ``incident``); raises ``KeyError``,
        ``TypeError`` or ``ValueError`` when ``data`` is not such a dictionary."""
        def day(value: Any) -> dt.date | None:
            return None if value is None else dt.date.fromisoformat(value)

        def texts(value: Any) -> tuple[str, ...]:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise TypeError("expected a list of texts")
            return tuple(value)

        due_at = None if data["due_at"] is None else dt.datetime.fromisoformat(data["due_at"])
        zone = data["timezone"]
        if due_at is not None:
            if due_at.tzinfo is None:
                raise ValueError("a due time without its offset")
            try:  # the zone itself, not only its offset at that moment (else a fixed offset, as judged)
                due_at = due_at.astimezone(zoneinfo.ZoneInfo(str(zone)))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                pass
        effective_from = day(data["effective_from"])
        if effective_from is None:
            raise ValueError("an obligation without the day its law took effect")
        late = data["late_days"]
        return cls(
            incident=incident, jurisdiction=str(data["jurisdiction"]), jurisdiction_name=str(data["jurisdiction_name"]),
            duty=str(data["duty"]), title=str(data["title"]), recipient=dict(data["recipient"]),
            triggered=bool(data["triggered"]), reasons=texts(data["reasons"]), deadline=str(data["deadline"]),
            due=day(data["due"]), target=day(data["target"]),
            form=None if data["form"] is None else str(data["form"]),
            required_fields=texts(data["required_fields"]), status=str(data["status"]), done=day(data["done"]),
            late_days=None if late is None else int(late), filings=tuple(dict(f) for f in data["filings"]),
            citation=str(data["citation"]), effective_from=effective_from, effective_to=day(data["effective_to"]),
            in_force=bool(data["in_force"]), verified=bool(data["verified"]), source=str(data["source"]),
            due_at=due_at, timezone=None if zone is None else str(zone),
            missing=tuple((str(m["field"]), str(m["message"])) for m in data["missing"]),
        )


def _jurisdiction_list(jurisdictions: Mapping[str, Jurisdiction] | Iterable[Jurisdiction]) -> list[Jurisdiction]:
    items = jurisdictions.values() if isinstance(jurisdictions, Mapping) else jurisdictions
    return sorted(items, key=lambda j: j.code)


def resident_count(incident: Incident, jurisdiction: Jurisdiction) -> int:
    """Affected residents the law protects: its codes, and the member states of a region it names (EU)."""
    covered = set(jurisdiction.residents)
    return sum(n for code, n in incident.residents.items() if code in covered or region_of(code) in covered)


def _regulated(incident: Incident) -> list[str]:
    return list(incident.business.get("regulated_as") or [])


def in_play(incident: Incident, jurisdiction: Jurisdiction) -> bool:
    """Whether the incident brings this jurisdiction's law into play (or was filed under it)."""
    return (
        resident_count(incident, jurisdiction) > 0
        or bool(set(jurisdiction.regulated_as) & set(_regulated(incident)))
        or any(f.get("jurisdiction") == jurisdiction.code for f in incident.filings)
    )


def _count(incident: Incident, jurisdiction: Jurisdiction, threshold: Threshold) -> tuple[int, str]:
    if threshold.of == "total":
        n = incident.total_affected
        return n, f"{n:,} affected in all"
    if threshold.of == "per_state":
        states = {k: v for k, v in incident.residents.items() if k.startswith("US-")}
        if not states:
            return 0, "0 residents of any one state"
        code = max(sorted(states), key=lambda k: states[k])
        return states[code], f"{states[code]:,} {code} residents (the most of any state)"
    n = resident_count(incident, jurisdiction)
    return n, f"{n:,} {'/'.join(jurisdiction.residents)} residents"


def _record_forms(incident: Incident, jurisdiction: Jurisdiction) -> str | None:
    """Why the law does not cover the incident's form of records (on its discovery date), or None when it does."""
    form = incident.data["data"]["format"]
    discovered = incident.discovered
    forms = jurisdiction.record_forms_on(discovered)
    if form == "both" or form in forms:
        return None
    citation = (jurisdiction.personal_information or {}).get("citation") or jurisdiction.data["statute"]["citation"]
    since = jurisdiction.record_forms_since.get(form)
    if since is not None and form in jurisdiction.record_forms:
        return (f"{form} records only: {citation} covers {form} records only from {since}; a breach discovered "
                f"{discovered} falls under the earlier text, on {' and '.join(forms)} records (data.format is {form})")
    return (f"{form} records only: {citation} covers {' and '.join(forms)} records only "
            f"(data.format is {form})")


def _personal_information(incident: Incident, jurisdiction: Jurisdiction) -> tuple[bool, str]:
    pi = jurisdiction.personal_information
    elements = incident.elements
    if not pi:
        return True, f"data elements: {' + '.join(elements)} (no definition recorded; assumed covered)"
    since = {e: dt.date.fromisoformat(d) for e, d in (pi.get("since") or {}).items()}
    later = [e for e in elements if e in since and since[e] > incident.discovered]
    counted = [e for e in elements if e not in later]
    alone = [e for e in counted if e in (pi.get("alone") or [])]
    paired = [e for e in counted if e in (pi.get("with_name") or [])] if "name" in counted else []
    note = "".join(f"; {e} counts only from {since[e]}" for e in later)
    if alone or paired:
        parts = (["name + " + " + ".join(paired)] if paired else []) + alone
        return True, "personal information: " + ", ".join(parts) + note
    return False, (f"no personal information under {pi['citation']}: the elements {', '.join(elements)} "
                   "do not meet its definition" + note)


def _safe_harbour(incident: Incident, jurisdiction: Jurisdiction, duty_id: str) -> tuple[bool, str | None]:
    """(exempt?, trace line) for encrypted data."""
    info = incident.data["data"]
    harbour = jurisdiction.safe_harbour
    if not info.get("protected") or not harbour:
        return False, None
    if harbour.get("duties") and duty_id not in harbour["duties"]:
        return False, f"data protected, but the encryption safe harbour does not cover this duty ({harbour.get('citation', '')})"
    where = f" ({harbour['citation']})" if harbour.get("citation") else ""
    if not harbour.get("applies"):
        return False, f"data protected, but this law has no encryption safe harbour{where}"
    if info.get("key_compromised") and harbour.get("key_compromise_voids"):
        return False, f"data encrypted but the key was compromised: no safe harbour{where}"
    return True, f"data encrypted and the key not compromised: encryption safe harbour{where}"


def _base_date(incident: Incident, start: str) -> tuple[dt.date | None, str]:
    if start == "discovery":
        return incident.discovered, "discovery"
    if start == "awareness":
        aware = incident.aware_at
        return (aware.date(), "awareness") if aware else (incident.discovered, "discovery (no time of awareness)")
    if start == "determination":
        day = incident.date("determined")
        return (day, "determination") if day else (incident.discovered, "discovery (no determination date)")
    if start == "consumer_notice":
        return incident.date("consumers_notified"), "the consumer notice"
    if start == "materiality_determination":
        return incident.date("materiality_determined"), "the materiality determination"
    return dt.date(incident.discovered.year, 12, 31), f"the end of {incident.discovered.year}"


@dataclass(frozen=True)
class _Due:
    due: dt.date | None = None
    target: dt.date | None = None
    line: str | None = None
    due_at: dt.datetime | None = None
    timezone: str | None = None


def _zone_name(incident: Incident, moment: dt.datetime) -> str:
    return str(incident.data.get("timezone") or moment.strftime("UTC%z"))


def _due_in_hours(duty: Duty, incident: Incident) -> _Due | None:
    """A deadline in hours counted from the time of awareness (``dates.aware_at``), when the incident gives it."""
    deadline = duty.deadline
    aware = incident.aware_at
    if deadline.hours is None or deadline.start not in ("discovery", "awareness") or aware is None:
        return None
    # elapsed hours, counted in UTC: across a change to or from summer time the local clock differs
    due_at = (aware.astimezone(dt.UTC) + dt.timedelta(hours=deadline.hours)).astimezone(aware.tzinfo)
    zone = _zone_name(incident, aware)
    line = (f"due {due_at:%Y-%m-%d %H:%M} {zone}: {deadline.hours} hours after awareness "
            f"({aware:%Y-%m-%d %H:%M} {zone})")
    target = due_at.date() if deadline.without_unreasonable_delay else None
    return _Due(due_at.date(), target, line, due_at, zone)


def _due(duty: Duty, incident: Incident, target_days: int) -> _Due:
    """The due date (and time), internal target and trace line of a duty; with other limits
    (``deadline.or_earlier``), the earliest of them."""
    return _earliest(duty, incident, _due_first(duty, incident, target_days))


def _due_first(duty: Duty, incident: Incident, target_days: int) -> _Due:
    """The due date (and time), internal target and trace line of a duty's first limit."""
    deadline = duty.deadline
    in_hours = _due_in_hours(duty, incident)
    if in_hours is not None:
        return in_hours
    base, event = _base_date(incident, deadline.start)
    if base is None:
        return _Due(line=f"counted from {event}, which has no date yet")
    counted = f"{event} on {base}"
    due = None
    if deadline.hours is not None:
        due = base + dt.timedelta(days=math.ceil(deadline.hours / 24))
        counted += ", counted in whole days: the incident gives no time of awareness"
    elif deadline.days is not None:
        due = _count_days(base, deadline.days, deadline.basis)
    target = None
    if deadline.without_unreasonable_delay:
        target = base if deadline.start == "consumer_notice" else base + dt.timedelta(days=target_days)
        if due is not None:
            target = min(target, due)
    if due is not None:
        return _Due(due, target, f"due {due}: {_first_limit(deadline)} ({counted})")
    return _Due(due, target)


def _count_days(base: dt.date, days: int, basis: str) -> dt.date:
    return add_business_days(base, days) if basis == "business" else base + dt.timedelta(days=days)


def _first_limit(deadline: Deadline) -> str:
    """The deadline's own limit in words, without its other limits."""
    return replace(deadline, or_earlier=()).describe()


def _earliest(duty: Duty, incident: Incident, first: _Due) -> _Due:
    """The deadline's first limit against its other limits (``or_earlier``): the notice is due by whichever
    comes first; a limit counted from an event not yet dated is named, and counts once it is (the first limit
    too: until its event is dated, the earliest dated other limit is the due date)."""
    others = duty.deadline.or_earlier
    if not others:
        return first
    when = first
    notes = []
    for other in others:
        base, event = _base_date(incident, other.start)
        if base is None:
            notes.append(f"or {other.describe()} if that is earlier: {event} has no date yet")
            continue
        due = _count_days(base, other.days, other.basis)
        if when.due is None or due < when.due:  # a first limit not yet dated: the dated limit is due meanwhile
            than = first.due if first.due is not None else "not yet dated"
            line = f"due {due}: {other.describe()} ({event} on {base}), earlier than {_first_limit(duty.deadline)} ({than})"
            target = min(when.target, due) if when.target else None
            when = _Due(due, target, line)
        else:
            notes.append(f"or {other.describe()}: {due}, not earlier")
    if notes:
        when = replace(when, line=f"{when.line}; " + "; ".join(notes))
    return when


def _extended(duty: Duty, incident: Incident, code: str, when: _Due) -> tuple[_Due, list[str], list[tuple[str, str]]]:
    """The deadline moved by an extension the incident records (as far as the law allows it)."""
    found = incident.extension(code, duty.id)
    if found is None:
        return when, [], []
    index, entry = found
    where = f"extensions[{index}]"
    allowed = duty.deadline.extension_days
    if allowed is None:
        return when, [f"{where} extends this deadline, but {duty.citation} provides no extension; not applied"], [
            (f"{where}.days", f"{code}: {duty.citation} provides no extension of the {duty.id} deadline; "
                              f"remove {where} or correct its duty")]
    if when.due is None:
        return when, [f"{where} extends this deadline, but it has no fixed date to extend"], []
    days = min(int(entry["days"]), allowed)
    shift = dt.timedelta(days=days)
    due_at = (when.due_at.astimezone(dt.UTC) + shift).astimezone(when.due_at.tzinfo) if when.due_at else None
    due = when.due + shift
    by = f" by {entry['granted_by']}" if entry.get("granted_by") else ""
    law = duty.deadline.extension_text or f"{duty.citation} allows up to {allowed} days"
    lines = [f"extended by {days} days to {due_at:%Y-%m-%d %H:%M} {when.timezone}" if due_at else
             f"extended by {days} days to {due}", f"extension granted {entry['granted_on']}{by} ({law})"]
    missing = []
    if int(entry["days"]) > allowed:
        lines.append(f"{where} asks for {entry['days']} days; the law allows {allowed}")
        missing.append((f"{where}.days", f"{code}: {duty.citation} allows an extension of at most {allowed} days "
                                         f"of the {duty.id} deadline; write 'days: {allowed}'"))
    target = min(when.target + shift, due) if when.target else None
    return _Due(due, target, when.line, due_at, when.timezone), lines, missing


def _delay_counts(rule: LawEnforcementDelay, request: Mapping[str, Any], citation: str) -> str | None:
    """Why a recorded law-enforcement request does not delay the notice under ``rule``, or None when it does."""
    law = rule.citation or citation
    if not rule.allowed:
        return f"{law} provides no delay at law enforcement's request"
    if rule.requested_by:
        fact = DELAY_AUTHORITIES[rule.requested_by][1]
        if not request.get(fact):
            return (f"only {rule.authority} may request it ({law}); the request came from {request['agency']} "
                    f"(notice.law_enforcement_request.{fact} is not true)")
    if rule.written_request and not request.get("written"):
        return f"{law} {NOT_WRITTEN}; notice.law_enforcement_request.written is false"
    return None


def _delayed(duty: Duty, incident: Incident, jurisdiction: Jurisdiction,
             when: _Due) -> tuple[_Due, list[str], list[tuple[str, str]]]:
    """The deadline moved by a law-enforcement delay the incident records, where the law lets that
    authority ask in that form (trace lines say why it does or does not count)."""
    notice = incident.data.get("notice") or {}
    request = notice.get("law_enforcement_request")
    rule = jurisdiction.delay_rule(duty)
    if not notice.get("law_enforcement_delay") or not request or rule is None:
        return when, [], []
    refused = _delay_counts(rule, request, duty.citation)
    if refused is not None:
        return when, [DELAY_REFUSED + refused], []
    law = rule.citation or duty.citation
    head = (f"delayed at the {'written ' if request.get('written') else ''}request of {request['agency']} of "
            f"{request['requested_on']} ({law})")
    until = dt.date.fromisoformat(request["until"]) if request.get("until") else None
    ask_until = ("notice.law_enforcement_request.until", f"{jurisdiction.code}: the {duty.id} duty depends on "
                 "the end of the law-enforcement delay; record it as notice.law_enforcement_request.until")
    if when.due is not None and rule.days is not None:
        limit = when.due + dt.timedelta(days=rule.days)
        due = max(when.due, min(until, limit)) if until else limit
        lines = [f"{head}: due {due}, at most {rule.days} days after the deadline of {when.due}"]
        if until is not None and until > limit:
            lines.append(f"notice.law_enforcement_request.until is {until}, beyond the {rule.days} days {law} allows")
        due = _further_delays(rule, request, law, due, lines)
        due_at = (when.due_at + (due - when.due)) if when.due_at else None
        return _Due(due, min(when.target, due) if when.target else None, when.line, due_at, when.timezone), lines, (
            [] if until else [ask_until])
    instead = f", not by {when.due}" if when.due else ""
    if until is None:
        return _Due(line=f"{head}: notice is owed once law enforcement says it no longer impedes the investigation"
                         f"{instead}; that date is not recorded"), [], [ask_until]
    target = max(until, when.target) if when.target and when.due is None else until
    return _Due(target=target, line=f"{head} until {until}: notice is owed without unreasonable delay after it"
                                    f"{instead} (internal target {target})"), [], []


def _further_delays(rule: LawEnforcementDelay, request: Mapping[str, Any], law: str, due: dt.date,
                    lines: list[str]) -> dt.date:
    """The due date moved by each further period the authority added (``notice.law_enforcement_request.further``),
    in the order the law allows them (``law_enforcement_delay.further``); trace lines added."""
    for i, entry in enumerate(request.get("further") or []):
        where = f"notice.law_enforcement_request.further[{i}]"
        if i >= len(rule.further):
            allowed = f"{len(rule.further)} further period{'s' if len(rule.further) != 1 else ''}"
            lines.append(f"{where} is not applied: {law} allows {allowed} at most" +
                         (f"; {rule.beyond}" if rule.beyond else ""))
            break
        period = rule.further[i]
        if rule.written_request and not entry.get("written"):
            lines.append(f"{where} is not applied: {law} {NOT_WRITTEN}; {where}.written is false")
            break
        if period.extraordinary and not entry.get("extraordinary"):
            lines.append(f"{where} is not applied: {law} allows this period only in extraordinary circumstances "
                         f"({where}.extraordinary is not true)")
            break
        limit = due + dt.timedelta(days=period.days)
        until = dt.date.fromisoformat(entry["until"]) if entry.get("until") else None
        extended = max(due, min(until, limit)) if until else limit
        lines.append(f"delay extended at the {'written ' if entry.get('written') else ''}request of "
                     f"{entry.get('agency') or request['agency']} of {entry['requested_on']}: due {extended}, at most "
                     f"{period.days} days after {due}" + (" (extraordinary circumstances)" if period.extraordinary else ""))
        if until is not None and until > limit:
            lines.append(f"{where}.until is {until}, beyond the {period.days} days {law} allows")
        due = extended
    return due


def _matching_filings(incident: Incident, jurisdiction: Jurisdiction, duty_id: str) -> list[dict[str, Any]]:
    return [
        f for f in incident.filings
        if f.get("jurisdiction") == jurisdiction.code and f.get("recipient") == duty_id
    ]


def _done(incident: Incident, duty_id: str, filings: list[dict[str, Any]]) -> tuple[dt.date | None, str | None]:
    """(date the duty was done, trace line)."""
    dates = sorted(dt.date.fromisoformat(f["submitted"]) for f in filings if f.get("kind", "initial") == "initial")
    if not dates:
        dates = sorted(dt.date.fromisoformat(f["submitted"]) for f in filings)
    if duty_id == CONSUMERS:
        notified = incident.date("consumers_notified")
        if notified and (incident.data.get("notice") or {}).get("planned"):
            return (dates[0] if dates else None), f"consumer notice scheduled for {notified}"
        if notified:
            return min([notified, *dates]), f"consumers notified {notified}"
    if dates:
        refs = [str(f["reference"]) for f in filings if f.get("reference")]
        return dates[0], f"filed {dates[0]}" + (f" (reference {', '.join(refs)})" if refs else "")
    return None, None


def _version(jurisdiction: Jurisdiction, duty_id: str, day: dt.date, kinds: list[str]) -> tuple[Duty, bool, str | None]:
    """(version to judge by, whether it is in force on ``day``, trace line when it is not); where the law has a
    version for each kind of business, the one written for the incident's."""
    current = jurisdiction.in_force(duty_id, day, kinds)
    versions = jurisdiction.versions(duty_id)
    later = sorted((v for v in versions if v.effective_from > day), key=lambda v: (not v.written_for(kinds), v.effective_from))
    if current is not None and (current.written_for(kinds) or not later or not later[0].written_for(kinds)
                                or not current.excludes(later[0])):
        return current, True, None
    if later:
        v = later[0]
        return v, False, (f"not in force when the breach was discovered ({day}): {v.citation} came into force "
                          f"on {v.effective_from}")
    v = versions[-1]
    return v, False, f"no longer in force when the breach was discovered ({day}): in force {v.period}"


def _comparison(threshold: Threshold, met: bool) -> str:
    return f"{threshold.comparison} {threshold.count:,}" if met else f"not {threshold.comparison} {threshold.count:,}"


def _judge(
    incident: Incident, jurisdiction: Jurisdiction, duty_id: str, as_of: dt.date, target_days: int
) -> Obligation:
    discovered = incident.discovered
    duty, in_force, version_note = _version(jurisdiction, duty_id, discovered, _regulated(incident))
    reasons: list[str] = []
    triggered = in_force
    if version_note:
        reasons.append(version_note)
    value, label = _count(incident, jurisdiction, duty.threshold)
    met = duty.threshold.met(value)
    reasons.append(f"{label} {_comparison(duty.threshold, met)}")
    triggered &= met
    # A duty's own regulated_as, else the regime's when it protects no residents (HIPAA, SEC, ...).
    missing: list[tuple[str, str]] = []
    triggered &= _business(incident, jurisdiction, duty, reasons)
    covered, pi_line = _personal_information(incident, jurisdiction)
    reasons.append(pi_line)
    triggered &= covered
    form_line = _record_forms(incident, jurisdiction)
    if form_line:
        reasons.append(form_line)
        triggered = False
    triggered &= _gdpr_risk(incident, jurisdiction, duty, reasons, missing)
    replaced = _risk_of_harm(incident, jurisdiction, duty_id, reasons, missing)
    triggered &= not replaced
    exempt, harbour_line = _safe_harbour(incident, jurisdiction, duty_id)
    if harbour_line:
        reasons.append(harbour_line)
    triggered &= not exempt
    if duty.condition:
        reasons.append(f"for review: {duty.condition}")
    if in_force:
        for later in (v for v in jurisdiction.versions(duty_id) if v.effective_from > discovered and not duty.excludes(v)):
            later_met = later.threshold.met(_count(incident, jurisdiction, later.threshold)[0])
            reasons.append(f"from {later.effective_from} {later.citation} applies instead "
                           f"(threshold {_comparison(later.threshold, later_met)}, {later.deadline.describe()}); "
                           f"not applied to a breach discovered {discovered}")
    when = _due(duty, incident, target_days)
    if (triggered and duty.deadline.hours is not None and when.due_at is None
            and duty.deadline.start == "awareness"):
        missing.append(("dates.aware_at", f"{jurisdiction.code}: the {duty_id} deadline is {duty.deadline.hours} "
                        "hours, counted from the time of awareness; record it as dates.aware_at (e.g. 'aware_at: "
                        "2025-04-01T09:30') with the incident's timezone (e.g. 'timezone: Europe/Berlin')"))
    when, extension_lines, extension_missing = _extended(duty, incident, jurisdiction.code, when)
    delayed, delay_lines, delay_missing = _delayed(duty, incident, jurisdiction, when)
    if triggered:
        when = delayed
    due, target, due_line = when.due, when.target, when.line
    if due_line and triggered:
        reasons.append(due_line)
    elif triggered and target is not None:
        basis = ("with the consumer notice" if duty.deadline.start == "consumer_notice"
                 else f"{target_days} days after {duty.deadline.start.replace('_', ' ')}")
        reasons.append(f"no fixed deadline; internal target {target} ({basis})")
    if triggered:
        reasons.extend(extension_lines)
        missing.extend(extension_missing)
        reasons.extend(delay_lines)
        missing.extend(delay_missing)
    filings = _matching_filings(incident, jurisdiction, duty_id)
    done, done_line = _done(incident, duty_id, filings)
    if done_line:
        reasons.append(done_line if triggered or done is None else f"{done_line}, although not required")
    late_days = None
    if done is not None:
        if triggered and due is not None:
            late_days = max(0, (done - due).days)
            status = "done-late" if late_days else "done-on-time"
            if late_days:
                reasons.append(f"{late_days} day(s) after the deadline of {due}")
        else:
            status = "done"
            if triggered and target is not None and done > target:
                reasons.append(f"{(done - target).days} day(s) after the internal target of {target}")
    elif not triggered:
        status = "not-triggered"
    elif due is not None:
        status = "overdue" if as_of > due else "due"
    else:
        status = "due"
        if target is not None and as_of > target:
            reasons.append(f"the internal target of {target} has passed")
    if not triggered:
        due = target = None
    if status not in OPEN_STATUSES:  # a fact missing for a duty already done (or not owed) changes nothing now
        missing = [m for m in missing if m[0].startswith("extensions")]
    return Obligation(
        incident=incident.id,
        jurisdiction=jurisdiction.code,
        jurisdiction_name=jurisdiction.name,
        duty=duty_id,
        title=duty.title,
        recipient=duty.recipient,
        triggered=triggered,
        reasons=tuple(reasons),
        deadline=duty.deadline.describe(),
        due=due,
        target=target,
        form=duty.form,
        required_fields=duty.required_fields,
        status=status,
        done=done,
        late_days=late_days,
        filings=tuple(filings),
        citation=duty.citation,
        effective_from=duty.effective_from,
        effective_to=duty.effective_to,
        in_force=in_force,
        verified=duty.verified,
        source=str(duty.source.get("url", "")),
        due_at=when.due_at if triggered else None,
        timezone=when.timezone if triggered else None,
        missing=tuple(dict.fromkeys(missing)),
    )


def _business(incident: Incident, jurisdiction: Jurisdiction, duty: Duty, reasons: list[str]) -> bool:
    """Whether the duty applies to a business of the incident's kinds (``regulated_as``); trace lines added."""
    kinds = set(_regulated(incident))
    # A duty's own regulated_as, else the regime's when it protects no residents (HIPAA, SEC, ...).
    required = duty.regulated_as or ([] if jurisdiction.residents else jurisdiction.regulated_as)
    applies = True
    if required:
        regulated = set(required) & kinds
        if regulated:
            reasons.append(f"business regulated as {', '.join(sorted(regulated))}")
        else:
            reasons.append(f"applies only to a business regulated as {' or '.join(required)}")
            applies = False
    excluded = sorted(set(duty.not_regulated_as) & kinds)
    if excluded:
        reasons.append(f"does not apply to a business regulated as {', '.join(excluded)} ({duty.citation})")
        applies = False
    if applies and SERVICE_PROVIDER in kinds and SERVICE_PROVIDER not in duty.regulated_as:
        own = [d for d in jurisdiction.duty_ids()
               if any(SERVICE_PROVIDER in v.regulated_as for v in jurisdiction.versions(d))]
        if own:
            reasons.append(f"the business maintains data it does not own (service-provider): it owes "
                           f"{', '.join(own)}; this notice is the owner's")
            applies = False
    return applies


def _gdpr_risk(incident: Incident, jurisdiction: Jurisdiction, duty: Duty, reasons: list[str],
               missing: list[tuple[str, str]]) -> bool:
    """Whether the incident's GDPR risk level (``gdpr.risk``) reaches the duty's ``min_risk``."""
    if duty.min_risk is None:
        return True
    risk = (incident.data.get("gdpr") or {}).get("risk")
    if risk is None:
        reasons.append(f"applies only at {'a high' if duty.min_risk == 'high' else 'a'} risk to people's rights "
                       "and freedoms; the incident gives no gdpr.risk, so it is judged to apply")
        missing.append(("gdpr.risk", f"{jurisdiction.code}: the {duty.id} duty depends on the risk to people's "
                        "rights and freedoms; record it under gdpr.risk (unlikely, risk or high)"))
        return True
    if RISK_LEVELS.index(risk) >= RISK_LEVELS.index(duty.min_risk):
        reasons.append(f"gdpr.risk is {risk}: at least {duty.min_risk}")
        return True
    reasons.append(f"gdpr.risk is {risk}: this duty applies only from {duty.min_risk} ({duty.citation})")
    return False


def _risk_of_harm(incident: Incident, jurisdiction: Jurisdiction, duty_id: str, reasons: list[str],
                  missing: list[tuple[str, str]]) -> bool:
    """Whether a risk-of-harm determination replaces this duty; trace lines and missing facts added."""
    rule = jurisdiction.risk_of_harm_on(incident.discovered)
    if rule is None:
        _no_rule_yet(incident, jurisdiction, duty_id, reasons)
        return False
    if not rule.applies or duty_id not in rule.duties:
        return False
    code = jurisdiction.code
    where = f" ({rule.citation})" if rule.citation else ""
    found = _determination(incident, code)
    if found is None:
        reasons.append(f"no risk-of-harm determination recorded: this notice is owed unless one finds harm is "
                       f"not likely{where}")
        missing.append(("risk_assessment", f"{code}: the {duty_id} duty depends on a risk-of-harm determination"
                        f"{where}; record it under risk_assessment (jurisdiction: {code}, decided_on, decided_by, "
                        "harm_likely" + (", law_enforcement_consulted_on" if rule.law_enforcement_consultation
                                         else "") + (", written" if rule.written else "") + ")"))
        return False
    index, entry = found
    head = f"risk-of-harm determination of {entry['decided_on']} by {entry['decided_by']}"
    if index == "gdpr":
        head = f"gdpr.risk {(incident.data.get('gdpr') or {}).get('risk')} ({head})"
    if entry["harm_likely"]:
        reasons.append(f"{head}: harm likely, so notice is owed")
        return False
    lacking = _determination_lacks(rule, entry)
    if lacking:
        reasons.append(f"{head}: {rule.standard or 'harm not likely'}, but it does not replace notice: "
                       f"{rule.citation or 'the law'} "
                       f"requires {' and '.join(w for w, _f in lacking)}")
        for words, name in lacking:
            field = f"risk_assessment[{index}].{name}" if index != "gdpr" else {"written": "gdpr.documented"}.get(
                name, f"risk_assessment (jurisdiction: {code}, {name})")
            missing.append((field.split(" ")[0], f"{code}: the determination replaces the {duty_id} notice only "
                            f"with {words}{where}; record {field}"))
        return False
    consulted = (f", after consulting {entry.get('law_enforcement_consulted_with') or 'law enforcement'} on "
                 f"{entry['law_enforcement_consulted_on']}" if entry.get("law_enforcement_consulted_on") else "")
    reasons.append(f"{head}{consulted}: {rule.standard or 'harm not likely'}, which replaces this notice{where}")
    return True


def _no_rule_yet(incident: Incident, jurisdiction: Jurisdiction, duty_id: str, reasons: list[str]) -> None:
    """A trace line when a determination is recorded but the law let none replace this notice on the
    discovery date (its risk-of-harm rule came later)."""
    found = _determination(incident, jurisdiction.code)
    later = [v for v in jurisdiction.risk_of_harm_versions
             if v.applies and duty_id in v.duties and v.effective_from and v.effective_from > incident.discovered]
    if found is not None and not found[1]["harm_likely"] and later:
        reasons.append(f"the risk-of-harm determination does not replace this notice: {later[0].citation or 'the law'} "
                       f"lets one replace it only for a breach discovered from {later[0].effective_from}")


def _determination(incident: Incident, code: str) -> tuple[int | str, Mapping[str, Any]] | None:
    """(where it is recorded, entry) of the risk-of-harm determination under one jurisdiction's law: its
    ``risk_assessment`` entry, else under a GDPR regime the incident's ``gdpr`` risk level."""
    found = incident.risk_assessment(code)
    if found is not None or code not in REGIME_CODES:
        return found
    gdpr = incident.data.get("gdpr") or {}
    if not gdpr.get("risk"):
        return None
    return "gdpr", {"decided_on": gdpr.get("assessed_on") or incident.discovered.isoformat(),
                    "decided_by": gdpr.get("assessed_by") or "the controller",
                    "harm_likely": gdpr["risk"] != "unlikely", "written": bool(gdpr.get("documented"))}


def _determination_lacks(rule: RiskOfHarm, entry: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(what the law requires, field) the recorded determination does not show."""
    lacking = []
    if rule.law_enforcement_consultation and not entry.get("law_enforcement_consulted_on"):
        lacking.append(("consulting law enforcement first", "law_enforcement_consulted_on"))
    if rule.written and not entry.get("written"):
        lacking.append(("a written determination", "written"))
    return lacking


def derived_duty_ids(jurisdiction: Jurisdiction) -> tuple[str, ...]:
    """The duties a determination that harm is not likely can create under this law (as
    :func:`_determination_duties` makes them): keep it in writing, send it to ``send_to``'s recipient."""
    found: set[str] = set()
    for rule in jurisdiction.risk_of_harm_versions:  # any version: each judges the breaches of its days
        if rule.applies and rule.creates_duties:
            found |= {RECORD_DUTY} if rule.written or rule.keep_years or rule.on_request else set()
            found |= {SEND_DUTY} if rule.send_to else set()
    return tuple(d for d in DERIVED_DUTIES if d in found)


def possible_duty_ids(jurisdiction: Jurisdiction) -> list[str]:
    """Every duty id the engine can judge under this law: the file's duties, then those a determination creates."""
    return jurisdiction.duty_ids() + list(derived_duty_ids(jurisdiction))


def _determination_duties(incident: Incident, jurisdiction: Jurisdiction, as_of: dt.date) -> list[Obligation]:
    """The duties a determination that harm is not likely creates: keep it in writing, send it (at once, or
    only when the recipient asks for it)."""
    rule = jurisdiction.risk_of_harm_on(incident.discovered)
    found = _determination(incident, jurisdiction.code)
    if rule is None or not rule.applies or not rule.creates_duties or found is None or found[1]["harm_likely"]:
        return []
    if _determination_lacks(rule, found[1]):  # it replaces no notice, so it creates no duty either
        return []
    index, entry = found
    decided = dt.date.fromisoformat(entry["decided_on"])
    head = f"risk-of-harm determination of {decided} by {entry['decided_by']}: {rule.standard or 'harm not likely'}"
    law = rule.citation or jurisdiction.data["statute"]["citation"]
    recipient, why = None, ""
    if rule.send_to:
        send, why = _determination_recipient(jurisdiction, rule, incident.discovered, _regulated(incident))
        recipient = send.recipient
    requested = entry.get("requested_on") if rule.on_request and index != "gdpr" else None
    unsent = None
    affected = resident_count(incident, jurisdiction)
    if recipient is not None and rule.send_over_residents is not None and affected <= rule.send_over_residents:
        unsent = (f"not sent to the {recipient['name']}: {affected:,} residents affected, and "
                  f"{law} sends it only when over {rule.send_over_residents:,} are")
        recipient = None
    out = []
    if rule.written or rule.keep_years or (rule.on_request and not requested) or unsent:
        out.append(_record_duty(incident, jurisdiction, rule, index, entry, head, law, recipient, as_of, unsent))
    if recipient is not None and (requested or not rule.on_request):
        out.append(_send_duty(incident, jurisdiction, rule, head, law, recipient, decided, requested, as_of, why))
    return out


def _determination_recipient(jurisdiction: Jurisdiction, rule: RiskOfHarm, day: dt.date,
                             kinds: list[str]) -> tuple[Duty, str]:
    """(the duty whose recipient gets the determination, why that one when ``send_to`` lists several): the first
    listed duty written for a business of these kinds (its version in force on ``day``, else its latest), else
    the first listed, as for a single id."""
    listed = [jurisdiction.in_force(d, day, kinds)
              or max(jurisdiction.versions(d), key=lambda v: (v.written_for(kinds), v.effective_from))
              for d in rule.send_to]
    chosen = next((v for v in listed if v.written_for(kinds)), None)
    if chosen is None:
        first = jurisdiction.in_force(rule.send_to[0], day) or jurisdiction.versions(rule.send_to[0])[-1]
        return first, ("the first recipient listed: none is written for a business of its kinds"
                       if len(listed) > 1 else "")
    matched = sorted(set(chosen.regulated_as) & set(kinds))
    why = [f"the business is regulated as {', '.join(matched)}"] if matched and len(listed) > 1 else []
    for skipped in listed[:listed.index(chosen)]:
        excluded = sorted(set(skipped.not_regulated_as) & set(kinds))
        why.append(f"not the {skipped.recipient['name']}: "
                   + (f"not for a business regulated as {', '.join(excluded)}" if excluded
                      else f"only for a business regulated as {' or '.join(skipped.regulated_as)}"))
    return chosen, "; ".join(why)


def _record_duty(incident: Incident, jurisdiction: Jurisdiction, rule: RiskOfHarm, index: int | str,
                 entry: Mapping[str, Any], head: str, law: str, recipient: Mapping[str, Any] | None,
                 as_of: dt.date, unsent: str | None = None) -> Obligation:
    """The written determination, kept: a record, not a notice with a date (a sending only on request is named,
    and ``unsent`` says why a law that sends it does not here)."""
    decided = dt.date.fromisoformat(entry["decided_on"])
    reasons = [head, f"{law} requires it in writing" + (f", kept {rule.keep_years} years" if rule.keep_years else "")]
    if rule.keep_years:
        start, event = (incident.discovered, "discovery") if rule.keep_from == "discovery" else (decided,
                                                                                                "the determination")
        reasons.append(f"keep it until {_years_after(start, rule.keep_years)} ({rule.keep_years} years from {event})")
    done = decided if entry.get("written") else None
    written = "gdpr.documented" if index == "gdpr" else f"risk_assessment[{index}].written"
    reasons.append("documented in writing" if done else f"not yet documented in writing ({written})")
    if unsent:
        reasons.append(unsent)
    title = "Written risk-of-harm determination" + (f", kept {rule.keep_years} years" if rule.keep_years else "")
    deadline = "in writing, with the determination"
    if rule.on_request and recipient is not None and not entry.get("requested_on"):
        name = recipient["name"]
        within = f", within {rule.send_within_days} days of the request" if rule.send_within_days is not None else ""
        title += f"; sent to the {name} on request"
        deadline += f"; sent on request{within}"
        reasons.append(f"sent to the {name} only when it asks for it{within}; no request recorded "
                       f"(risk_assessment[{index}].requested_on)")
    return _derived(incident, jurisdiction, RECORD_DUTY, title, {"name": "The business's own records"}, law, reasons,
                    deadline, None, decided, done, as_of)


def _send_duty(incident: Incident, jurisdiction: Jurisdiction, rule: RiskOfHarm, head: str, law: str,
               recipient: Mapping[str, Any], decided: dt.date, requested: str | None, as_of: dt.date,
               why: str = "") -> Obligation:
    """Sending the written determination: within N days of it, or of the recipient's request (``why``: why
    this recipient, of those ``send_to`` lists)."""
    name = recipient["name"]
    start, event = (dt.date.fromisoformat(requested), "the request") if requested else (decided, "the determination")
    due = start + dt.timedelta(days=rule.send_within_days) if rule.send_within_days is not None else None
    within = f" within {rule.send_within_days} days" if due else ""
    to = f"the {name}" + (f" ({why})" if why else "")
    sent = (f"{law}: the written determination is sent to {to} when it asks for it"
            + (f",{within} of the request; requested on {start}" if due else f"; requested on {start}")
            if requested else f"{law}: the written determination is sent to {to}{within}")
    reasons = [head, sent]
    if due:
        reasons.append(f"due {due}: {rule.send_within_days} days after {event} ({start})")
    filings = _matching_filings(incident, jurisdiction, SEND_DUTY)
    done, done_line = _done(incident, SEND_DUTY, filings)
    if done_line:
        reasons.append(done_line)
    title = f"Written risk-of-harm determination sent to the {name}" + (" on its request" if requested else "")
    deadline = f"{rule.send_within_days} days after {event}" if due else f"with {event}"
    return _derived(incident, jurisdiction, SEND_DUTY, title, recipient, law, reasons, deadline, due,
                    None if due else start, done, as_of, filings=tuple(filings))


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _derived(incident: Incident, jurisdiction: Jurisdiction, duty_id: str, title: str,
             recipient: Mapping[str, Any], citation: str, reasons: list[str], deadline: str, due: dt.date | None,
             target: dt.date | None, done: dt.date | None, as_of: dt.date,
             filings: tuple[Mapping[str, Any], ...] = ()) -> Obligation:
    late_days = None
    if done is not None:
        late_days = max(0, (done - due).days) if due else None
        status = ("done-late" if late_days else "done-on-time") if due else "done"
    else:
        status = "overdue" if (due and as_of > due) else "due"
    statute = jurisdiction.data["statute"]
    return Obligation(
        incident=incident.id, jurisdiction=jurisdiction.code, jurisdiction_name=jurisdiction.name, duty=duty_id,
        title=title, recipient=recipient, triggered=True, reasons=tuple(reasons),
        deadline=deadline, due=due,
        target=target, form=None, required_fields=(), status=status, done=done, late_days=late_days,
        filings=filings, citation=citation, effective_from=dt.date.fromisoformat(
            statute.get("effective_from") or str(min(d.effective_from for d in jurisdiction.duties))),
        effective_to=None, in_force=True, verified=bool(jurisdiction.data.get("verified")),
        source=str(statute.get("url", "")))


def obligations(
    incident: Incident,
    jurisdictions: Mapping[str, Jurisdiction] | Iterable[Jurisdiction],
    as_of: dt.date,
    *,
    internal_target_days: int = DEFAULT_INTERNAL_TARGET_DAYS,
) -> list[Obligation]:
    """Every duty of every jurisdiction the incident brings into play, judged as of ``as_of``.

    Ordered by jurisdiction code, then by the order of the duties in the file.
    """
    out: list[Obligation] = []
    for jurisdiction in _jurisdiction_list(jurisdictions):
        if not in_play(incident, jurisdiction):
            continue
        for duty_id in jurisdiction.duty_ids():
            out.append(_judge(incident, jurisdiction, duty_id, as_of, internal_target_days))
        out.extend(_determination_duties(incident, jurisdiction, as_of))
    return out


def obligations_json(
    incident: Incident, found: list[Obligation], as_of: dt.date, internal_target_days: int
) -> str:
    """The documented, stable JSON form (see the module docstring)."""
    document = {
        "format": JSON_FORMAT,
        "incident": incident.id,
        "as_of": as_of.isoformat(),
        "internal_target_days": internal_target_days,
        "obligations": [o.to_dict() for o in found],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def obligations_table(found: list[Obligation], today: dt.date | None = None) -> str:
    """A plain-text table for people: one block per duty; with ``today``, each duty's state on that day
    (:func:`~.duty_state.duty_state`), else the engine's status."""
    from .duty_state import state_of

    lines: list[str] = []
    for o in found:
        mark = "" if o.verified else " [unverified]"
        head = f"{o.jurisdiction} {o.duty}: {state_of(o, today).label if today else o.status}"
        if o.late_days:
            head += f" by {o.late_days} day(s)"
        lines.append(head + mark)
        lines.append(f"  to:       {o.recipient.get('name', o.duty)}")
        due = o.due_text if o.triggered else "-"
        if o.triggered and o.target and not o.due:
            due += f" (internal target {o.target})"
        lines.append(f"  due:      {due}")
        if o.triggered and o.target and o.due and o.target != o.due:
            lines.append(f"  target:   {o.target} (internal)")
        if o.done:
            lines.append(f"  done:     {o.done}")
        if o.form:
            lines.append(f"  form:     {o.form}")
        lines.append(f"  law:      {o.citation} ({'in force' if o.in_force else 'not in force'}: "
                     f"from {o.effective_from}" + (f" to {o.effective_to}" if o.effective_to else "") + ")")
        lines.append(f"  why:      {o.reason}")
        lines.extend(f"  missing:  {message}" for _field, message in o.missing)
    return "\n".join(lines) + ("\n" if lines else "")
