"""What the other stages give the site, as plain inputs of the page builders.

- law: every obligation of every incident (due date, status, the reason it
  triggered), the jurisdiction files, and the iCalendar file of open duties;
- letters: each incident's consumer letter as it will read;
- worksheets: each triggered regulator duty's questions, answered from the incident;
- filings: the filing PDFs, written into the built site (begun in the background while
  MkDocs renders the pages, when more than one process may run).

Each is a few lines over the stage's own functions, so the page builders only
ever see plain values.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..approval import Approval
from ..filings.cache import default_cache_dir
from ..filings.documents import WORKSHEET, FormsRenderer, planned_documents
from ..filings.documents import incident_worksheets as filing_worksheets
from ..filings.manifest import document_links, files_of, planned_rows
from ..filings.signing import SigningKey
from ..findings import FindingsError
from ..law import Jurisdiction, Obligation
from ..law.deadlines import ics, open_duties
from ..letters import PLACEHOLDER, LetterRenderer
from ..letters.letter_law import LetterLaw, load_letter_laws
from ..project import Project
from ..records import Incident
from ..resources import own_file_note
from ..submissions import Worksheet, load_submissions
from ..writer import source_date
from . import filings_job

#: The iCalendar file of open duties, at the top of the site.
CALENDAR = "deadlines.ics"


def law(rules: dict[str, Jurisdiction], judged: dict[str, list[Obligation]], today: dt.date
        ) -> tuple[list[Obligation], list[Jurisdiction], str]:
    """(duties, rule files, iCalendar text of the open duties with their state on ``today``), from the
    project check's rules and obligations."""
    found = [o for incident in judged.values() for o in incident]
    return found, list(rules.values()), ics(open_duties(found), source_date(), today)


def own_rules(rules: list[Jurisdiction], folder: Path) -> dict[str, str]:
    """The jurisdictions whose rule file is the project's own (in its rule ``folder``) and not breachdocs' packaged
    one, by code: ``replaces`` (a packaged file of that name) or ``adds`` (none)."""
    notes = {j.code: own_file_note(j.path, folder, "jurisdictions") for j in rules}
    return {code: note for code, note in notes.items() if note}


class Letters(Mapping[str, str]):
    """Each incident's consumer letter (placeholders for the person), as residents of the jurisdiction with the
    most affected people will read it, made when first asked for: a page kept from an earlier build needs none.
    An incident whose letter cannot be made has none here: the check reports why.

    Everything a letter is made of (the incident and its profile as read, the letter templates, the letter law
    of the rule base, our code, the days) is part of the incident's check key
    (:meth:`~breachdocs.check_cache.CheckCache.key`), so a page keyed by that need not hold its letter
    (:meth:`key_of`)."""

    def key_of(self, key: str) -> Any:
        """What an incident's letter is made of beside its check key: nothing."""
        return "in the check key"

    def __init__(self, project: Project, incidents: list[Incident]) -> None:
        self.project = project
        self.incidents = {i.id: i for i in incidents}
        self.made: dict[str, str | None] = {}
        self.laws: dict[str, LetterLaw] | None = None

    def __getitem__(self, key: str) -> str:
        if key not in self.made:
            self.made[key] = self._letter(self.incidents[key]) if key in self.incidents else None
        found = self.made[key]
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:
        return (key for key in self.incidents if key in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def _letter(self, incident: Incident) -> str | None:
        if self.laws is None:
            self.laws = load_letter_laws(self.project)
        residence = max(incident.residents.items(), key=lambda kv: (kv[1], kv[0]), default=("", 0))[0]
        try:
            return LetterRenderer(self.project, incident, laws=self.laws).body(PLACEHOLDER, residence=residence).text
        except FindingsError:
            return None


def letters(project: Project, incidents: list[Incident]) -> Letters:
    """Each incident's consumer letter by id (:class:`Letters`: each made when first asked for)."""
    return Letters(project, incidents)


def filings(project: Project, incidents: list[Incident], folder: str | None,
            approvals: dict[str, Approval] | None = None, *, signed: bool = False,
            made: dict[str, list[Worksheet]] | None = None) -> tuple[list[dict[str, Any]], set[str]]:
    """The filings the pages show, and the files they link (relative to the output folder, as the manifest
    names them).

    Each filing recorded in an incident, and each form an incident uses that no filing records yet
    ("not filed yet"), with links to every document of it (fillable, flattened, packet, the copy as filed
    after an amendment, and the approval-stamped copy of each) under the site's ``folder``, when the
    filings are published there. The links are the manifest's rows as the filings build will write them
    (:func:`~breachdocs.filings.manifest.planned_rows`); the plugin checks the built manifest against them.

    Each filing carries the approval of its incident's change (``approvals`` by incident path), and links
    the signed copies when approved filings are ``signed``. ``made``: each incident's regulator worksheets (by
    id, :func:`incident_worksheets`), when the caller has them.
    """
    out: list[dict[str, Any]] = []
    linked: set[str] = set()
    for incident in incidents:
        approval = (approvals or {}).get(incident.path)
        planned = planned_documents(project, incident, None if made is None else made.get(incident.id, [])
                                    ) if folder else []
        rows = planned_rows(incident.id, [(d.form, d.variant) for d in planned],
                            signed=signed and approval is not None and approval.approved)
        linked |= files_of(rows)
        links = {key: [{**link, "path": f"{folder}/{link['path'].removeprefix('filings/')}"} for link in found]
                 for key, found in document_links(rows).items()}
        recorded = {str(f["form"]) for f in incident.filings if f.get("form")}
        for filing in incident.filings:
            out.append({"incident": incident.id, **{k: v for k, v in filing.items() if v is not None},
                        "files": links.get((incident.id, str(filing["form"])), []) if filing.get("form") else [],
                        "approval": approval_input(approval)})
        for document in planned:
            if document.form not in recorded and not document.variant:
                out.append({"incident": incident.id, "jurisdiction": document.jurisdiction,
                            "recipient": document.recipient, "form": document.form, "kind": "not filed yet",
                            "files": links.get((incident.id, document.form), [])})
    return out, linked


def incident_worksheets(project: Project, rules: dict[str, Jurisdiction], judged: dict[str, list[Obligation]],
                        incidents: list[Incident]) -> dict[str, list[Worksheet]]:
    """Each incident's regulator worksheets (by id), from the project check's rules and obligations."""
    submissions, _findings = load_submissions(project.jurisdictions_dir, root=project.root)
    return {incident.id: filing_worksheets(project, incident, rules, judged.get(incident.id, []), submissions)
            for incident in incidents}


class WorksheetInputs(Mapping[str, list[dict[str, Any]]]):
    """Each incident's regulator worksheets (``made`` by :func:`incident_worksheets`), as plain values of the page
    builders, with the links to their PDFs (and approval-stamped and signed copies, as for :func:`filings`) under
    the site's ``folder`` when the filings are published there; made when first asked for (a page kept from an
    earlier build needs none).

    The worksheets are made of the incident, the rule base, its obligations and the submission files, all part of
    the incident's check key (:meth:`~breachdocs.check_cache.CheckCache.key`); their links, of the folder (a site
    option) and what :meth:`key_of` gives: a page keyed by those need not hold the worksheets."""

    def __init__(self, made: Mapping[str, Sequence[Worksheet]], incidents: list[Incident], folder: str | None,
                 approvals: Mapping[str, Approval] | None = None, *, signed: bool = False) -> None:
        self.made = made
        self.incidents = {i.id: i for i in incidents}
        self.folder = folder
        self.approvals = approvals or {}
        self.signed = signed
        self.done: dict[str, list[dict[str, Any]]] = {}

    def key_of(self, key: str) -> Any:
        """What an incident's worksheets as shown are made of beside its check key and the site's options."""
        incident = self.incidents.get(key)
        approval = self.approvals.get(incident.path) if incident is not None else None
        return {"worksheets": "in the check key", "signed": self.signed, "approval": approval_input(approval)}

    def __getitem__(self, key: str) -> list[dict[str, Any]]:
        if key not in self.done:
            self.done[key] = self._inputs(self.incidents[key])
        return self.done[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.incidents)

    def __len__(self) -> int:
        return len(self.incidents)

    def _inputs(self, incident: Incident) -> list[dict[str, Any]]:
        found = self.made.get(incident.id, [])
        approval = self.approvals.get(incident.path)
        rows = planned_rows(incident.id, [(w.id, WORKSHEET) for w in found],
                            signed=self.signed and approval is not None and approval.approved) if self.folder else []
        links = {key: [{**link, "path": f"{self.folder}/{link['path'].removeprefix('filings/')}"} for link in found_links]
                 for key, found_links in document_links(rows).items()}
        return [{**w.as_input(), "files": links.get((incident.id, w.id), [])} for w in found]


def worksheets(made: Mapping[str, Sequence[Worksheet]], incidents: list[Incident], folder: str | None,
               approvals: Mapping[str, Approval] | None = None, *, signed: bool = False) -> WorksheetInputs:
    """Each incident's regulator worksheets as the pages show them, by id (:class:`WorksheetInputs`: each made when
    first asked for)."""
    return WorksheetInputs(made, incidents, folder, approvals, signed=signed)


#: The folder of the filings cache where the site's filings are built, kept between builds.
SITE_FOLDER = "site"


def start_filings(project: Project, incidents: list[Incident], *, jobs: int = 1,
                  progress: Callable[[int, int], None] | None = None,
                  made: Mapping[str, Sequence[Worksheet]] | None = None) -> filings_job.FilingsJob:
    """Begin every filing PDF and the manifest (``jobs`` >= 2: in a background process, while MkDocs
    renders the pages); ``.wait(target)`` puts them into the site's filings folder, hard-linked from a folder
    of the filings cache kept between builds (only what changed is written there). ``made``: the incidents'
    worksheets (:func:`incident_worksheets`), made once for the pages and the PDFs."""
    renderer = FormsRenderer({i.id: (i, made[i.id]) for i in incidents if i.id in made}) if made else None
    return filings_job.start(project, incidents, jobs=jobs, signing=SigningKey.from_env(), renderer=renderer,
                              progress=progress, kept=default_cache_dir(project) / SITE_FOLDER)


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
        "history": [h.text() for h in approval.history],  # the earlier changes, oldest first
    }


#: The most processes used when not told: the output is the same for any number, and past four the
#: serial part (writing files and manifests in order) dominates while each process holds its own copy
#: of the forms and templates.
MAX_DEFAULT_JOBS = 4


def default_jobs() -> int:
    """The processes long work uses when not told (the build, filings, letters): the CPUs this process
    may run on, at most :data:`MAX_DEFAULT_JOBS`."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(MAX_DEFAULT_JOBS, cpus))
