"""What the other stages give the site, as plain inputs of the page builders.

- law: every obligation of every incident (due date, status, the reason it
  triggered), the jurisdiction files, and the iCalendar file of open duties;
- letters: each incident's consumer letter as it will read;
- filings: the filing PDFs, written into the built site (begun in the background while
  MkDocs renders the pages, when more than one process may run).

Each is a few lines over the stage's own functions, so the page builders only
ever see plain values.
"""

from __future__ import annotations

import os
from typing import Any

from ..approval import Approval
from ..filings.manifest import stamped_name
from ..filings.signing import signed_name
from ..findings import FindingsError
from ..law import Jurisdiction, Obligation
from ..law.deadlines import ics, open_duties
from ..letters import PLACEHOLDER, LetterRenderer
from ..letters.letter_law import load_letter_laws
from ..project import Project
from ..records import Incident
from ..writer import source_date
from . import filings_job

#: The iCalendar file of open duties, at the top of the site.
CALENDAR = "deadlines.ics"


def duty_input(o: Obligation) -> dict[str, Any]:
    """One obligation of the law engine as a plain duty of the page builders."""
    return {
        "incident": o.incident, "jurisdiction": o.jurisdiction, "title": o.title,
        "recipient": str(o.recipient.get("name") or o.duty), "due": o.due, "due_text": o.due_text,
        "target": o.target, "status": o.status, "open": o.is_open, "reason": o.reason, "form": o.form,
        "citation": o.citation, "verified": o.verified,
    }


def law(rules: dict[str, Jurisdiction], judged: dict[str, list[Obligation]]
        ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    """(duties, jurisdiction mappings, iCalendar text of the open duties), from the project check's
    rules and obligations."""
    found = [o for incident in judged.values() for o in incident]
    return [duty_input(o) for o in found], [dict(j.data) for j in rules.values()], ics(open_duties(found), source_date())


def letters(project: Project, incidents: list[Incident]) -> dict[str, str]:
    """Each incident's consumer letter (placeholders for the person), as residents of the jurisdiction
    with the most affected people will read it. An incident whose letter cannot be made has none here:
    the check reports why."""
    laws = load_letter_laws(project.jurisdictions_dir, root=project.root)
    out: dict[str, str] = {}
    for incident in incidents:
        residence = max(incident.residents.items(), key=lambda kv: (kv[1], kv[0]), default=("", 0))[0]
        try:
            out[incident.id] = LetterRenderer(project, incident, laws=laws).body(PLACEHOLDER, residence=residence).text
        except FindingsError:
            continue
    return out


def filing_links(incident_id: str, form: str, folder: str, *, signed: bool = False) -> list[dict[str, str]]:
    """Where the filings bundle puts a filing's PDFs: ``<folder>/<incident>/<form>.pdf`` (filled, for review),
    ``<form>-flat.pdf`` (flattened, as submitted), ``<form>-packet.pdf`` (form and notice), the flattened copy
    with its approval stamp and, when approved filings are signed, its signed copy."""
    base = f"{folder}/{incident_id}/{form}"
    links = [{"label": "filled", "path": f"{base}.pdf"},
             {"label": "flattened", "path": f"{base}-flat.pdf"},
             {"label": "packet", "path": f"{base}-packet.pdf"},
             {"label": "approval-stamped", "path": stamped_name(f"{base}-flat.pdf")}]
    if signed:
        links.append({"label": "signed", "path": signed_name(f"{base}-flat.pdf")})
    return links


def approval_input(approval: Approval | None) -> dict[str, Any] | None:
    """An incident change's approval as plain values a page shows (links only to https addresses)."""
    if approval is None:
        return None
    return {
        "approved": approval.approved, "source": approval.source_text(), "commit": approval.commit,
        "date": approval.date, "pull_request": approval.pull_request,
        "pull_url": approval.pull_url if approval.pull_url.startswith("https://") else "",
        "approvers": [{"label": a.label(), "commit": a.commit, "at": a.at, "code_owner": a.code_owner}
                      for a in approval.approved_by] if approval.approved else [],
        "problems": list(approval.problems),
    }


def start_filings(project: Project, incidents: list[Incident], *, jobs: int = 1) -> filings_job.FilingsJob:
    """Begin every filing PDF and the manifest (``jobs`` >= 2: in a background process, while MkDocs
    renders the pages); ``.wait(target)`` puts them into the site's filings folder."""
    return filings_job.start(project, incidents, jobs=jobs)


def default_jobs() -> int:
    """The processes a build may use when not told: the CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
