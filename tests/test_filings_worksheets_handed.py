"""The site hands the worksheets it made for the pages to the filings: the PDFs are the bytes of worksheets
answered afresh (cold and warm check cache), and handed worksheets serve only the incident object they were
made of."""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

import pytest

from benchmarks.generate import write_project
from breachdocs.filings.documents import WORKSHEET, FilingDocument, FormsRenderer
from breachdocs.project import Project
from breachdocs.project_check import check_project
from breachdocs.site import stages

TODAY = dt.date(2026, 11, 24)


def _bytes(docs: list[FilingDocument]) -> dict[tuple[str, str], bytes]:
    return {(d.form, d.variant): d.data for d in docs}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    return Project(write_project(tmp_path / "p", 8, seed=5))


def test_handed_worksheets_give_the_documents_of_worksheets_made_afresh(project: Project) -> None:
    afresh = FormsRenderer()
    reference = {}
    for run in ("cold", "warm"):  # the second check reads every incident's obligations from the check cache
        checked = check_project(project, as_of=TODAY)
        made = stages.incident_worksheets(project, checked.rules, checked.obligations, checked.incidents)
        handed = FormsRenderer({i.id: (i, made[i.id]) for i in checked.incidents})
        worksheets = 0
        for incident in checked.incidents:
            docs = _bytes(handed.render(project, incident))
            if run == "cold":
                reference[incident.id] = _bytes(afresh.render(project, incident))
            assert docs == reference[incident.id], (run, incident.id)
            worksheets += sum(1 for _, variant in docs if variant == WORKSHEET)
        assert worksheets >= 8


def test_handed_worksheets_serve_only_the_incident_they_were_made_of(project: Project) -> None:
    checked = check_project(project, as_of=TODAY)
    made = stages.incident_worksheets(project, checked.rules, checked.obligations, checked.incidents)
    incident = next(i for i in checked.incidents if made[i.id])
    wrong = FormsRenderer({incident.id: (incident, [])})  # as if made of another revision: none
    assert not [d for d in wrong.render(project, incident) if d.variant == WORKSHEET]
    reread = check_project(project, as_of=TODAY).incidents
    same = next(i for i in reread if i.id == incident.id)
    assert same is not incident
    ids = sorted(d.form for d in wrong.render(project, same) if d.variant == WORKSHEET)
    assert ids == sorted(ws.id for ws in made[incident.id])
    copy = pickle.loads(pickle.dumps(wrong))  # a worker process gets no worksheets: answered afresh there
    assert copy.token == wrong.token and sorted(d.form for d in copy.render(project, incident)
                                                if d.variant == WORKSHEET) == ids
