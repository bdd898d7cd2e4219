"""The law's checks on incidents, run by the whole-project check (``project_check``).

- Every field a regulator's filing needs (a duty's ``required_fields``) must be
  present in an incident that brings the jurisdiction into play.
- A consumer notice later than the law's deadline needs ``notice.delay_reason``.
- Each filing names a jurisdiction that has a rule file, and one of its duty ids as recipient.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from ..findings import Finding
from ..records.codes import RESIDENCE_CODES as _RESIDENCE_CODES
from ..records.incident import Incident
from ..records.schema_check import packaged_schema
from .obligations import Obligation
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
            if code.startswith("US-FED-") or code in _RESIDENCE_CODES:
                out.append(incident.finding(("filings", i, "jurisdiction"), f"there is no rule file for {code} "
                                            f"(jurisdictions/{code.lower()}.yaml); check the code or add the file"))
            continue
        recipient = filing.get("recipient", "")
        duties = jurisdiction.duty_ids()
        if recipient not in duties:
            guess = difflib.get_close_matches(recipient, duties, n=1)
            hint = f"did you mean '{guess[0]}'?" if guess else f"the duties of {code} are: {', '.join(duties)}"
            out.append(incident.finding(("filings", i, "recipient"), f"'{recipient}' is not a duty of {code}; {hint}"))
    return out


def incident_law_findings(
    incident: Incident, jurisdictions: Mapping[str, Jurisdiction], found: list[Obligation]
) -> list[Finding]:
    """All law checks for one incident, given its obligations (``found``)."""
    return (filing_findings(incident, jurisdictions) + required_field_findings(incident, found)
            + delay_reason_findings(incident, found))
