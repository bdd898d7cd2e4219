"""The filing record is binding.

Once an incident records a filing as submitted with the SHA-256 of the
document sent (``filings[].sha256``), that document must stay exactly what was
sent. A later change to the incident, the form or its field map that would
render a different document is an error naming the filing, unless the change
is recorded as its own filing: a later ``filings[]`` entry for the same form
and jurisdiction with ``kind: amendment`` or ``kind: supplemental``.

Only filings whose form exists under ``templates/forms/`` (and that the forms
engine renders) are checked: without the form there is nothing to compare.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ..findings import Finding
from ..hashing import sha256_bytes
from ..project import Project
from ..records import Incident
from ..records.changes import field_changes
from . import as_filed
from .cache import RenderCache, default_cache_dir, render_cached, shared_inputs_key
from .documents import FilingDocument, FilingRenderer, FormsRenderer, form_exists, superseded

VARIANT_NAMES = {"": "fillable", "flat": "flattened", "packet": "packet"}


def _describe(filing: dict[str, Any], index: int) -> str:
    kind = filing.get("kind", "initial")
    return (f"filing {index + 1} ({kind}: form {filing['form']} to {filing['jurisdiction']} "
            f"{filing['recipient']}, submitted {filing['submitted']})")


def binding_findings(
    incident: Incident, documents: list[FilingDocument], *, has_form: Callable[[str], bool] | None = None,
    changed: Callable[[dict[str, Any]], str] | None = None,
) -> list[Finding]:
    """Findings for each recorded filing whose document would now render differently.

    ``changed(filing)`` may say what changed since the filing was recorded (see :func:`changes_since_recorded`).
    """
    out: list[Finding] = []
    filings = incident.filings
    for index, filing in enumerate(filings):
        recorded, form = filing.get("sha256"), filing.get("form")
        if not recorded or not form or (has_form is not None and not has_form(form)):
            continue
        now = [d for d in documents if d.form == form and d.jurisdiction in ("", filing["jurisdiction"])]
        if not now or any(_sha(d) == recorded for d in now):
            continue
        if superseded(filings, index):
            continue
        rendered = ", ".join(f"{VARIANT_NAMES.get(d.variant, d.variant)} {_sha(d)[:12]}" for d in now)
        reason = changed(filing) if changed else ""
        why = f" ({reason})" if reason else ""
        out.append(incident.finding(
            ("filings", index, "sha256"),
            f"{_describe(filing, index)} is binding: the document sent has SHA-256 {recorded[:12]}, but the incident "
            f"as it stands would now render a different document ({rendered}){why}. Revert the change that alters "
            f"the filed document, or record it as a new filing: add a filings entry with form: {form}, jurisdiction: "
            f"{filing['jurisdiction']}, kind: amendment (or supplemental) and the date it is submitted",
        ))
    return out


def _sha(doc: FilingDocument) -> str:
    return sha256_bytes(doc.data)


def record_findings(
    project: Project, incidents: list[Incident], renderer: FilingRenderer | None = None
) -> list[Finding]:
    """The binding-record check over ``incidents`` (renders only incidents with a recorded sha256)."""
    targets = [i for i in incidents if any(f.get("sha256") and f.get("form") for f in i.filings)]
    if not targets:
        return []
    renderer = renderer or FormsRenderer()
    cache = RenderCache(default_cache_dir(project))
    shared = shared_inputs_key(project, renderer)
    out: list[Finding] = []
    for incident in targets:
        if not any(form_exists(project, f.get("form", "")) for f in incident.filings if f.get("sha256")):
            continue
        documents, _ = render_cached(project, incident, renderer, cache, shared)
        out.extend(binding_findings(incident, documents, has_form=lambda form: form_exists(project, form),
                                    changed=functools.partial(changes_since_recorded, project, incident)))
    return out


def changes_since_recorded(project: Project, incident: Incident, filing: dict[str, Any]) -> str:
    """What changed in the incident since the commit that recorded ``filing`` (from Git), in words."""
    for _, then in as_filed.recorded_revisions(project, incident, filing["sha256"]):
        changes = [c for c in field_changes(then.data, incident.data) if not c.field.startswith("filings")]
        if not changes:
            return "the incident is as it was when the filing was recorded: its form or the form engine changed"
        shown = "; ".join(f"{c.field}: {_short(c.base)} -> {_short(c.head)}" for c in changes[:5])
        more = f" and {len(changes) - 5} more" if len(changes) > 5 else ""
        return f"changed since the filing was recorded: {shown}{more}"
    return ""


def _short(value: Any) -> str:
    text = "(none)" if value is None else str(value)
    return text if len(text) <= 40 else text[:39] + "…"
