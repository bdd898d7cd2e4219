"""The law's checks on incidents, run by the whole-project check (``project_check``).

- Every field a regulator's filing needs (a duty's ``required_fields``) must be
  present in an incident that brings the jurisdiction into play.
- A consumer notice later than the law's deadline needs ``notice.delay_reason``.
- Each filing names a jurisdiction that has a rule file, and one of its duty ids as recipient.
- A fact an open duty depends on and the incident does not give (a risk-of-harm
  determination, the GDPR risk level, the time of awareness) is a warning that says
  where to record it.
- A law-enforcement request that does not delay a notice (oral where the law wants it in writing, from an
  authority the law does not let ask) is a warning.
- A project without a rule base is an error: no rule file means no duty could be found.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from ..findings import Finding
from ..records.codes import is_jurisdiction_code
from ..records.incident import Incident
from ..records.schema_check import packaged_schema
from .obligations import DELAY_REFUSED, NOT_WRITTEN, Obligation, possible_duty_ids
from .rules import CONSUMERS, Jurisdiction


def _present(data: Any, dotted: str) -> bool:
    value = data
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return False
        value = value[part]
    return value is not None and value != "" and value != []


def _example(dotted: str) -> str | None:
    """The incident schema's example for a field, to show what to write."""
    node: Any = packaged_schema("incident.schema.json")
    for part in dotted.split("."):
        props = node.get("properties") if isinstance(node, dict) else None
        if props and part in props:
            node = props[part]
        elif isinstance(node, dict) and isinstance(node.get("additionalProperties"), dict):
            node = node["additionalProperties"]
        else:
            return None
    examples = node.get("examples") if isinstance(node, dict) else None
    if not examples or isinstance(examples[0], (dict, list)):
        return None
    return str(examples[0]).lower() if isinstance(examples[0], bool) else str(examples[0])


def _path(dotted: str) -> tuple[str, ...]:
    return tuple(dotted.split("."))


def required_field_findings(incident: Incident, found: list[Obligation]) -> list[Finding]:
    """Fields a filing needs (a duty's ``required_fields``) that the incident lacks, for every duty
    that is triggered or was filed."""
    out: list[Finding] = []
    seen: set[str] = set()
    for o in found:
        if not (o.triggered or o.filings):
            continue
        what = f"the {o.form} form" if o.form else f"the notice to {o.recipient.get('name', o.duty)}"
        for name in o.required_fields:
            if name in seen or _present(incident.data, name):
                continue
            seen.add(name)
            example = _example(name)
            leaf = name.rsplit(".", 1)[-1]
            hint = f"add {name} (for example '{leaf}: {example}')" if example else f"add {name}"
            why = "it was filed" if not o.triggered else "the duty applies to this incident"
            message = f"{o.jurisdiction_name} requires this for {what} ({o.citation}), since {why}; {hint}"
            out.append(incident.finding(_path(name), message))
    return out


def delay_reason_findings(incident: Incident, found: list[Obligation]) -> list[Finding]:
    """A consumer notice later than a fixed legal deadline must say why."""
    notice = incident.data.get("notice") or {}
    if notice.get("delay_reason"):
        return []
    late = [o for o in found if o.duty == CONSUMERS and o.status == "done-late"]
    if not late:
        return []
    worst = max(late, key=lambda o: (o.late_days or 0, o.jurisdiction))
    laws = ", ".join(f"{o.jurisdiction} {o.citation}: due {o.due}" for o in late)
    message = (f"people were notified {incident.date('consumers_notified')}, {worst.late_days} day(s) after the "
               f"deadline ({laws}); add notice.delay_reason explaining the delay (for example 'delay_reason: "
               f"{_example('notice.delay_reason')}')")
    return [incident.finding(("dates", "consumers_notified"), message)]


def filing_findings(incident: Incident, jurisdictions: Mapping[str, Jurisdiction]) -> list[Finding]:
    """Each filing names a jurisdiction with a rule file and one of its duty ids (when there are rule files)."""
    out: list[Finding] = []
    if not jurisdictions:
        return out
    for i, filing in enumerate(incident.filings):
        code = filing.get("jurisdiction", "")
        jurisdiction = jurisdictions.get(code)
        if jurisdiction is None:
            if is_jurisdiction_code(code):
                out.append(incident.finding(("filings", i, "jurisdiction"), f"there is no rule file for {code} "
                                            f"(jurisdictions/{code.lower()}.yaml); check the code or add the file"))
            continue
        recipient = filing.get("recipient", "")
        duties = jurisdiction.duty_ids()
        if recipient not in possible_duty_ids(jurisdiction):
            guess = difflib.get_close_matches(recipient, duties, n=1)
            hint = f"did you mean '{guess[0]}'?" if guess else f"the duties of {code} are: {', '.join(duties)}"
            out.append(incident.finding(("filings", i, "recipient"), f"'{recipient}' is not a duty of {code}; {hint}"))
    return out


def missing_fact_findings(incident: Incident, found: list[Obligation]) -> list[Finding]:
    """A warning for each fact an open duty depends on that the incident does not give, located where
    it is recorded (or at its nearest part present)."""
    grouped: dict[tuple[str, str, str], list[str]] = {}  # one finding for the duties of a law a fact decides
    for o in found:
        for name, message in o.missing:
            match = _ONE_DUTY.match(message)
            code, duty, rest = match.groups() if match else ("", "", message)
            duties = grouped.setdefault((name, code, rest), [])
            if duty not in duties:
                duties.append(duty)
    out: list[Finding] = []
    for (name, code, rest), duties in grouped.items():
        if code:
            named = join_words(duties)
            message = (f"{code}: the {named} duty depends on {rest}" if len(duties) == 1
                       else f"{code}: the {named} duties depend on {rest}")
        else:
            message = rest
        severity = "error" if name.startswith("extensions") else "warning"
        out.append(incident.finding(_dotted_path(name), message, severity=severity))
    return out


_ONE_DUTY = re.compile(r"^(\S+): the (\S+) duty depends on (.*)$", re.S)


def join_words(words: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _dotted_path(name: str) -> tuple[str | int, ...]:
    """``risk_assessment[0].written`` -> ``("risk_assessment", 0, "written")``."""
    parts: list[str | int] = []
    for part in name.split("."):
        head, _, rest = part.partition("[")
        parts.append(head)
        if rest:
            parts.append(int(rest.rstrip("]")))
    return tuple(parts)


def delay_request_findings(incident: Incident, found: list[Obligation]) -> list[Finding]:
    """A law-enforcement request that does not delay a triggered notice: oral where the law wants it in
    writing, from an authority the law does not let ask (the SEC's delay: only the US Attorney General),
    or under a law without such a delay."""
    out = []
    for o in found:
        refused = next((r[len(DELAY_REFUSED):] for r in o.reasons if r.startswith(DELAY_REFUSED)), None)
        if not o.triggered or refused is None:
            continue
        if f" {NOT_WRITTEN};" in refused:
            law = refused.split(f" {NOT_WRITTEN};")[0]
            out.append(incident.finding(("notice", "law_enforcement_request", "written"), (
                f"{o.jurisdiction}: notice may be delayed only at a written request of law enforcement (or its "
                f"contemporaneous memorandum) ({law}); obtain it in writing and write 'written: true'"),
                severity="warning"))
        else:
            out.append(incident.finding(("notice", "law_enforcement_request", "agency"), (
                f"{o.jurisdiction}: this request does not delay the {o.duty} notice: {refused}; its deadline "
                "still runs"), severity="warning"))
    return out


def incident_law_findings(
    incident: Incident, jurisdictions: Mapping[str, Jurisdiction], found: list[Obligation]
) -> list[Finding]:
    """All law checks for one incident, given its obligations (``found``)."""
    return (filing_findings(incident, jurisdictions) + required_field_findings(incident, found)
            + delay_reason_findings(incident, found) + missing_fact_findings(incident, found)
            + delay_request_findings(incident, found))
