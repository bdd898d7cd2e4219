"""Filings made in a background process (``publish.background``): the same files as in-line, errors
brought back to the caller, and nothing left behind when a build is abandoned."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from publish_support import MASSMUTUAL, FakeForms, make_project

from benchmarks.generate import write_project
from breachdocs.findings import FindingsError
from breachdocs.project import Project, check
from breachdocs.publish import background
from breachdocs.publish.documents import FilingDocument
from breachdocs.records import Incident


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("jobs", [2, 3])
def test_background_filings_are_those_made_in_line(tmp_path: Path, today: dt.date, monkeypatch: pytest.MonkeyPatch,
                                                   jobs: int) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    write_project(tmp_path / "p", 12, seed=5)
    project = Project(tmp_path / "p")
    incidents, findings = check(project, today=today)
    assert not findings
    in_line = background.start(project, incidents, jobs=1)
    assert not in_line.in_background
    one = in_line.wait(tmp_path / "one")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    job = background.start(project, incidents, jobs=jobs)
    assert job.in_background and job.process is not None and job.process.pid
    other = job.wait(tmp_path / "other")
    assert len(one.manifest["filings"]) >= 3
    assert other.manifest == one.manifest
    assert _tree(tmp_path / "other") == _tree(tmp_path / "one")
    assert not job.work.exists() and not in_line.work.exists()
    assert job.process.exitcode == 0


class _Refuses(FakeForms):
    token = "refuses-1"

    def render(self, project: Project, incident: Incident) -> list[FilingDocument]:
        raise FindingsError([incident.finding(("filings",), "the form cannot be filled: a test says so")])


class _Crashes(FakeForms):
    token = "crashes-1"

    def render(self, project: Project, incident: Incident) -> list[FilingDocument]:
        raise ValueError("a bug in a renderer")


class _Slow(FakeForms):
    token = "slow-1"

    def render(self, project: Project, incident: Incident) -> list[FilingDocument]:
        time.sleep(60)
        return []


def test_findings_of_the_background_process_reach_the_caller(tmp_path: Path) -> None:
    project = make_project(tmp_path / "repo", git_init=False)
    incidents, _ = check(project)
    job = background.start(project, incidents, jobs=2, renderer=_Refuses())
    with pytest.raises(FindingsError) as raised:
        job.wait(tmp_path / "site" / "filings")
    (finding,) = raised.value.findings
    assert finding == incidents[0].finding(("filings",), "the form cannot be filled: a test says so")
    assert finding.path == f"incidents/{MASSMUTUAL}.yaml" and finding.line > 0
    assert not (tmp_path / "site").exists() and not job.work.exists()


def test_a_crash_in_the_background_is_an_error_with_its_traceback(tmp_path: Path) -> None:
    project = make_project(tmp_path / "repo", git_init=False)
    incidents, _ = check(project)
    job = background.start(project, incidents, jobs=2, renderer=_Crashes())
    with pytest.raises(RuntimeError, match=r"building the filings failed:[\s\S]*ValueError: a bug in a renderer"):
        job.wait(tmp_path / "filings")
    assert not (tmp_path / "filings").exists()


def test_cancel_stops_the_process_and_removes_its_folder(tmp_path: Path) -> None:
    project = make_project(tmp_path / "repo", git_init=False)
    incidents, _ = check(project)
    job = background.start(project, incidents, jobs=2, renderer=_Slow())
    assert job.process is not None and job.process.is_alive()
    started = time.monotonic()
    job.cancel()
    assert time.monotonic() - started < 30
    assert not job.process.is_alive() and job.process.exitcode is not None and job.process.exitcode < 0
    assert not job.work.exists()
