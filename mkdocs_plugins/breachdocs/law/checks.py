"""The law's checks on incidents, run by ``project.check``.

- Every field a regulator's filing needs (a duty's ``required_fields``) must be
  present in an incident that brings the jurisdiction into play.
- A consumer notice later than the law's deadline needs ``notice.delay_reason``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..findings import Finding
from ..records.incident import Incident
from ..records.schema_check import packaged_schema
from .obligations import obligations, resident_count
from .rules import CONSUMERS, Jurisdiction, load_jurisdictions


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


def required_field_findings(incident: Incident, jurisdiction: Jurisdiction) -> list[Finding]:
    """Fields the jurisdiction's filings need that the incident lacks (only if it has residents there)."""
    if resident_count(incident, jurisdiction) == 0 and not any(
        f.get("jurisdiction") == jurisdiction.code for f in incident.filings
    ):
        return []
    out: list[Finding] = []
    seen: set[str] = set()
    for duty_id in jurisdiction.duty_ids():
        duty = jurisdiction.in_force(duty_id, incident.discovered)
        if duty is None:
            continue
        what = f"the {duty.form} form" if duty.form else f"the notice to {duty.recipient.get('name', duty_id)}"
        for name in duty.required_fields:
            if name in seen or _present(incident.data, name):
                continue
            seen.add(name)
            example = _example(name)
            leaf = name.rsplit(".", 1)[-1]
            hint = f"add {name} (for example '{leaf}: {example}')" if example else f"add {name}"
            message = (f"{jurisdiction.name} requires this for {what} ({duty.citation}), "
                       f"since {resident_count(incident, jurisdiction):,} {jurisdiction.code} residents are "
                       f"affected; {hint}")
            out.append(incident.finding(_path(name), message))
    return out


def delay_reason_findings(incident: Incident, jurisdictions: Mapping[str, Jurisdiction], as_of: dt.date) -> list[Finding]:
    """A consumer notice later than a fixed legal deadline must say why."""
    notice = incident.data.get("notice") or {}
    if notice.get("delay_reason"):
        return []
    late = [
        o for o in obligations(incident, jurisdictions, as_of)
        if o.duty == CONSUMERS and o.status == "done-late"
    ]
    if not late:
        return []
    worst = max(late, key=lambda o: (o.late_days or 0, o.jurisdiction))
    laws = ", ".join(f"{o.jurisdiction} {o.citation}: due {o.due}" for o in late)
    message = (f"people were notified {incident.date('consumers_notified')}, {worst.late_days} day(s) after the "
               f"deadline ({laws}); add notice.delay_reason explaining the delay (for example 'delay_reason: "
               f"{_example('notice.delay_reason')}')")
    return [incident.finding(("dates", "consumers_notified"), message)]


def incident_law_findings(
    incident: Incident, jurisdictions: Mapping[str, Jurisdiction], as_of: dt.date
) -> list[Finding]:
    """All law checks for one incident."""
    out: list[Finding] = []
    for jurisdiction in jurisdictions.values():
        out.extend(required_field_findings(incident, jurisdiction))
    out.extend(delay_reason_findings(incident, jurisdictions, as_of))
    return out


def project_law_findings(
    jurisdictions_dir: Path,
    incidents: list[Incident],
    *,
    root: Path,
    today: dt.date,
    files: list[Path] | None = None,
    include_rules: bool = True,
) -> list[Finding]:
    """The law's part of the project check: the jurisdiction files themselves (all, or ``files``)
    when ``include_rules``, and the law's checks on each incident."""
    if not include_rules and not incidents:
        return []
    jurisdictions, rule_findings = load_jurisdictions(jurisdictions_dir, root=root)
    out: list[Finding] = []
    if include_rules:
        wanted = {f.resolve() for f in files or []}
        out.extend(f for f in rule_findings if not wanted or (root / f.path).resolve() in wanted)
    for incident in incidents:
        out.extend(incident_law_findings(incident, jurisdictions, today))
    return out
