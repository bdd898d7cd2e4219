"""The filing record is binding.

Once an incident records a filing as submitted with the SHA-256 of the
document sent (``filings[].sha256``), that document must stay exactly what was
sent. A later change to the incident, the form or its field map that would
render a different document is an error naming the filing, unless the change
is recorded as its own filing: a later ``filings[]`` entry for the same form
and jurisdiction with ``kind: amendment`` or ``kind: supplemental``.

A filing entry with a SHA-256 is identified by that hash: any document the
incident renders now with that hash satisfies it, whatever form, jurisdiction or
variant the entry names; and the entry as first recorded in Git (jurisdiction,
recipient, form, submission date) may not change, nor the entry disappear,
without an amendment entry (see :mod:`.filed_history`).

Only filings whose form exists under ``templates/forms/`` (and that the forms
engine renders) are compared with today's rendering: without the form there is
nothing to compare.
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
from . import as_filed, filed_history
from .cache import RenderCache, default_cache_dir, render_cached, shared_inputs_key
from .documents import FilingDocument, FilingRenderer, FormsRenderer, form_exists, superseded
from .filed_history import IDENTITY

VARIANT_NAMES = {"": "fillable", "flat": "flattened", "packet": "packet"}


def _describe(filing: dict[str, Any], index: int) -> str:
    kind = filing.get("kind", "initial")
    return (f"filing {index + 1} ({kind}: form {filing.get('form', '(none)')} to {filing.get('jurisdiction')} "
            f"{filing.get('recipient')}, submitted {filing.get('submitted')})")


def _amend_hint(identity: dict[str, Any]) -> str:
    return (f"add a filings entry with form: {identity.get('form')}, jurisdiction: {identity.get('jurisdiction')}, "
            "kind: amendment (or supplemental) and the date it is submitted")


def identity_findings(incident: Incident, recorded: dict[str, dict[str, Any]]) -> list[Finding]:
    """Findings for filings identified by their SHA-256 whose record an edit changed or removed.

    ``recorded`` maps each SHA-256 the incident ever recorded to the entry as first recorded (from Git).
    """
    out: list[Finding] = []
    filings = incident.filings
    present = {str(f.get("sha256")): i for i, f in enumerate(filings) if f.get("sha256")}
    for sha, first in recorded.items():
        index = present.get(sha)
        if index is None:
            if not superseded(filings, -1, first):
                out.append(incident.finding(
                    ("filings",),
                    f"the filing with SHA-256 {sha[:12]} ({first.get('form')} to {first.get('jurisdiction')} "
                    f"{first.get('recipient')}, submitted {first.get('submitted')}) was recorded and is no longer in "
                    f"filings: a filed document's record cannot be removed. Restore the entry, or record what "
                    f"replaced it: {_amend_hint(first)}"))
            continue
        entry = filings[index]
        changed = [k for k in IDENTITY if str(entry.get(k)) != str(first.get(k)) and first.get(k) is not None]
        if changed and not superseded(filings, index, first):
            field = changed[0] if changed[0] in entry else ""
            shown = "; ".join(f"{k}: {first.get(k)} -> {entry.get(k, '(removed)')}" for k in changed)
            out.append(incident.finding(
                ("filings", index, field) if field else ("filings", index, "sha256"),
                f"{_describe(entry, index)} is identified by its SHA-256 {sha[:12]}, recorded with different facts "
                f"({shown}): what was filed cannot change. Restore "
                + ", ".join(f"{k}: {first.get(k)}" for k in changed) + f", or {_amend_hint(first)}"))
    return out


def binding_findings(
    incident: Incident, documents: list[FilingDocument], *, has_form: Callable[[str], bool] | None = None,
    changed: Callable[[dict[str, Any]], str] | None = None, recorded: dict[str, dict[str, Any]] | None = None,
) -> list[Finding]:
    """Findings for each recorded filing whose document would now render differently.

    A recorded SHA-256 must be the hash of a document the incident renders now (of any form, jurisdiction
    or variant: the hash identifies it), unless an amendment of the filing, as first recorded, is recorded.
    ``changed(filing)`` may say what changed since the filing was recorded (see :func:`changes_since_recorded`);
    ``recorded`` is the incident's filings as first recorded (:mod:`.filed_history`).
    """
    out: list[Finding] = identity_findings(incident, recorded or {})
    filings = incident.filings
    rendered_shas = {_sha(d) for d in documents}
    for index, filing in enumerate(filings):
        sha = filing.get("sha256")
        if not sha:
            continue
        identity = (recorded or {}).get(str(sha)) or filing
        form = identity.get("form") or filing.get("form")
        if not form:
            out.append(incident.finding(
                ("filings", index, "sha256"),
                f"{_describe(filing, index)} records the SHA-256 of a filed document but not its form: write "
                "form: with the form it was filed on, so the record can be checked"))
            continue
        if has_form is not None and not has_form(str(form)):
            continue
        if sha in rendered_shas or superseded(filings, index, identity):
            continue
        now = [d for d in documents if d.form == form]
        rendered = ", ".join(f"{VARIANT_NAMES.get(d.variant, d.variant)} {_sha(d)[:12]}" for d in now) or "none"
        reason = changed(filing) if changed else ""
        why = f" ({reason})" if reason else ""
        out.append(incident.finding(
            ("filings", index, "sha256"),
            f"{_describe(filing, index)} is binding: the document sent has SHA-256 {sha[:12]}, but the incident "
            f"as it stands would now render a different document ({rendered}){why}. Revert the change that alters "
            f"the filed document, or record it as a new filing: {_amend_hint(identity)}",
        ))
    return out


def _sha(doc: FilingDocument) -> str:
    return sha256_bytes(doc.data)


def record_findings(
    project: Project, incidents: list[Incident], renderer: FilingRenderer | None = None
) -> list[Finding]:
    """The binding-record check over ``incidents`` (renders only incidents with a recorded sha256)."""
    history = filed_history.recorded_filings(project.root, [i.path for i in incidents])
    targets = [i for i in incidents if history.get(i.path) or any(f.get("sha256") for f in i.filings)]
    if not targets:
        return []
    renderer = renderer or FormsRenderer()
    cache = RenderCache(default_cache_dir(project))
    shared = shared_inputs_key(project, renderer)
    out: list[Finding] = []
    for incident in targets:
        recorded = history.get(incident.path, {})
        forms = {str(f.get("form")) for f in [*incident.filings, *recorded.values()] if f.get("sha256") and f.get("form")}
        documents: list[FilingDocument] = []
        if any(form_exists(project, form) for form in forms):
            documents, _ = render_cached(project, incident, renderer, cache, shared)
        out.extend(binding_findings(incident, documents, has_form=lambda form: form_exists(project, form),
                                    changed=functools.partial(changes_since_recorded, project, incident),
                                    recorded=recorded))
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
