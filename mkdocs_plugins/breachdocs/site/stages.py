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
from pathlib import Path
from typing import Any

from ..findings import FindingsError
from ..law import Jurisdiction, Obligation
from ..law.deadlines import ics, open_duties
from ..letters import PLACEHOLDER, LetterRenderer
from ..letters.letter_law import load_letter_laws
from ..project import Project
from ..records import Incident
from ..resources import own_file_note
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


def law(rules: dict[str, Jurisdiction], judged: dict[str, list[Obligation]], own_rules: Path | None = None
        ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    """(duties, jurisdiction mappings, iCalendar text of the open duties), from the project check's
    rules and obligations. With the project's rule folder ``own_rules``, a jurisdiction whose rule file
    is the project's own says so (``own_rule_file``: ``replaces`` or ``adds``; see
    :func:`~breachdocs.resources.own_file_note`) and names it (``rule_file``)."""
    found = [o for incident in judged.values() for o in incident]
    jurisdictions = [{**j.data, "rule_file": j.path,
                      "own_rule_file": own_file_note(j.path, own_rules, "jurisdictions") if own_rules else ""}
                     for j in rules.values()]
    return [duty_input(o) for o in found], jurisdictions, ics(open_duties(found), source_date())


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


def filing_links(incident_id: str, form: str, folder: str) -> list[dict[str, str]]:
    """Where the publish stage puts a filing's PDFs: ``<folder>/<incident>/<form>.pdf`` (filled, for review)
    and ``<form>-flat.pdf`` (flattened, as submitted)."""
    return [{"label": "filled", "path": f"{folder}/{incident_id}/{form}.pdf"},
            {"label": "flattened", "path": f"{folder}/{incident_id}/{form}-flat.pdf"}]


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
