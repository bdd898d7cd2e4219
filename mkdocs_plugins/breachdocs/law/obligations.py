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
filings, citation, effective_from, effective_to, in_force, verified, source``
in that order; dates are ``YYYY-MM-DD`` strings or null.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..records.incident import Incident
from .business_days import add_business_days
from .rules import CONSUMERS, Duty, Jurisdiction, Threshold

DEFAULT_INTERNAL_TARGET_DAYS = 30
JSON_FORMAT = "breachdocs-obligations/1"
OPEN_STATUSES = ("due", "overdue")


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

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)

    @property
    def due_text(self) -> str:
        """The due date, or the words of the law when it sets none."""
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
        }


def _jurisdiction_list(jurisdictions: Mapping[str, Jurisdiction] | Iterable[Jurisdiction]) -> list[Jurisdiction]:
    items = jurisdictions.values() if isinstance(jurisdictions, Mapping) else jurisdictions
    return sorted(items, key=lambda j: j.code)


def resident_count(incident: Incident, jurisdiction: Jurisdiction) -> int:
    residents = incident.residents
    return sum(residents.get(code, 0) for code in jurisdiction.residents)


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
    if start == "determination":
        day = incident.date("determined")
        return (day, "determination") if day else (incident.discovered, "discovery (no determination date)")
    if start == "consumer_notice":
        return incident.date("consumers_notified"), "the consumer notice"
    if start == "materiality_determination":
        return incident.date("materiality_determined"), "the materiality determination"
    return dt.date(incident.discovered.year, 12, 31), f"the end of {incident.discovered.year}"


def _due(duty: Duty, incident: Incident, target_days: int) -> tuple[dt.date | None, dt.date | None, str | None]:
    """(due date, internal target, trace line)."""
    deadline = duty.deadline
    base, event = _base_date(incident, deadline.start)
    if base is None:
        return None, None, f"counted from {event}, which has no date yet"
    counted = f"{event} on {base}"
    due = None
    if deadline.hours is not None:
        due = base + dt.timedelta(days=math.ceil(deadline.hours / 24))
    elif deadline.days is not None:
        if deadline.basis == "business":
            due = add_business_days(base, deadline.days)
        else:
            due = base + dt.timedelta(days=deadline.days)
    target = None
    if deadline.without_unreasonable_delay:
        target = base if deadline.start == "consumer_notice" else base + dt.timedelta(days=target_days)
        if due is not None:
            target = min(target, due)
    if due is not None:
        return due, target, f"due {due}: {deadline.describe()} ({counted})"
    return due, target, None


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


def _version(jurisdiction: Jurisdiction, duty_id: str, day: dt.date) -> tuple[Duty, bool, str | None]:
    """(version to judge by, whether it is in force on ``day``, trace line when it is not)."""
    current = jurisdiction.in_force(duty_id, day)
    if current is not None:
        return current, True, None
    versions = jurisdiction.versions(duty_id)
    later = [v for v in versions if v.effective_from > day]
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
    duty, in_force, version_note = _version(jurisdiction, duty_id, discovered)
    reasons: list[str] = []
    triggered = in_force
    if version_note:
        reasons.append(version_note)
    value, label = _count(incident, jurisdiction, duty.threshold)
    met = duty.threshold.met(value)
    reasons.append(f"{label} {_comparison(duty.threshold, met)}")
    triggered &= met
    # A duty's own regulated_as, else the regime's when it protects no residents (HIPAA, SEC, ...).
    required = duty.regulated_as or ([] if jurisdiction.residents else jurisdiction.regulated_as)
    if required:
        regulated = set(required) & set(_regulated(incident))
        if regulated:
            reasons.append(f"business regulated as {', '.join(sorted(regulated))}")
        else:
            reasons.append(f"applies only to a business regulated as {' or '.join(required)}")
            triggered = False
    covered, pi_line = _personal_information(incident, jurisdiction)
    reasons.append(pi_line)
    triggered &= covered
    exempt, harbour_line = _safe_harbour(incident, jurisdiction, duty_id)
    if harbour_line:
        reasons.append(harbour_line)
    triggered &= not exempt
    if duty.condition:
        reasons.append(f"for review: {duty.condition}")
    if in_force:
        for later in (v for v in jurisdiction.versions(duty_id) if v.effective_from > discovered):
            later_met = later.threshold.met(_count(incident, jurisdiction, later.threshold)[0])
            reasons.append(f"from {later.effective_from} {later.citation} applies instead "
                           f"(threshold {_comparison(later.threshold, later_met)}, {later.deadline.describe()}); "
                           f"not applied to a breach discovered {discovered}")
    due, target, due_line = _due(duty, incident, target_days)
    if due_line and triggered:
        reasons.append(due_line)
    elif triggered and target is not None:
        basis = ("with the consumer notice" if duty.deadline.start == "consumer_notice"
                 else f"{target_days} days after {duty.deadline.start.replace('_', ' ')}")
        reasons.append(f"no fixed deadline; internal target {target} ({basis})")
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
    )


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


def obligations_table(found: list[Obligation]) -> str:
    """A plain-text table for people: one block per duty."""
    lines: list[str] = []
    for o in found:
        mark = "" if o.verified else " [unverified]"
        head = f"{o.jurisdiction} {o.duty}: {o.status}"
        if o.late_days:
            head += f" by {o.late_days} day(s)"
        lines.append(head + mark)
        lines.append(f"  to:       {o.recipient.get('name', o.duty)}")
        due = o.due_text if o.triggered else "-"
        if o.triggered and o.target and not o.due:
            due += f" (internal target {o.target})"
        lines.append(f"  due:      {due}")
        if o.done:
            lines.append(f"  done:     {o.done}")
        if o.form:
            lines.append(f"  form:     {o.form}")
        lines.append(f"  law:      {o.citation} ({'in force' if o.in_force else 'not in force'}: "
                     f"from {o.effective_from}" + (f" to {o.effective_to}" if o.effective_to else "") + ")")
        lines.append(f"  why:      {o.reason}")
    return "\n".join(lines) + ("\n" if lines else "")
