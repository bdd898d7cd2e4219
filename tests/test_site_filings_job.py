"""Filings made in a background process (``site.filings_job``): the same files as in-line, errors
brought back to the caller, and nothing left behind when a build is abandoned."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from publish_support import MASSMUTUAL, FakeForms, make_project

from benchmarks.generate import write_project
from breachdocs.filings.documents import FilingDocument
from breachdocs.findings import FindingsError
from breachdocs.project import Project
from breachdocs.project_check import check
from breachdocs.records import Incident
from breachdocs.site import filings_job


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
    in_line = filings_job.start(project, incidents, jobs=1)
    assert not in_line.in_background
    one = in_line.wait(tmp_path / "one")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    job = filings_job.start(project, incidents, jobs=jobs)
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
    job = filings_job.start(project, incidents, jobs=2, renderer=_Refuses())
    with pytest.raises(FindingsError) as raised:
        job.wait(tmp_path / "site" / "filings")
    (finding,) = raised.value.findings
    assert finding == incidents[0].finding(("filings",), "the form cannot be filled: a test says so")
    assert finding.path == f"incidents/{MASSMUTUAL}.yaml" and finding.line > 0
    assert not (tmp_path / "site").exists() and not job.work.exists()


def test_a_crash_in_the_background_is_an_error_with_its_traceback(tmp_path: Path) -> None:
    project = make_project(tmp_path / "repo", git_init=False)
    incidents, _ = check(project)
    job = filings_job.start(project, incidents, jobs=2, renderer=_Crashes())
    with pytest.raises(RuntimeError, match=r"building the filings failed:[\s\S]*ValueError: a bug in a renderer"):
        job.wait(tmp_path / "filings")
    assert not (tmp_path / "filings").exists()


def test_cancel_stops_the_process_and_removes_its_folder(tmp_path: Path) -> None:
    project = make_project(tmp_path / "repo", git_init=False)
    incidents, _ = check(project)
    job = filings_job.start(project, incidents, jobs=2, renderer=_Slow())
    assert job.process is not None and job.process.is_alive()
    started = time.monotonic()
    job.cancel()
    assert time.monotonic() - started < 30
    assert not job.process.is_alive() and job.process.exitcode not in (None, 0)
    assert not job.work.exists()


ABANDON = """
import sys, time
from pathlib import Path
sys.path[:0] = [{tests!r}, {root!r}]
from publish_support import make_project
from test_site_filings_job import _Slow
from breachdocs.project_check import check
from breachdocs.site import filings_job
project = make_project(Path({folder!r}), git_init=False)
incidents, _ = check(project)
job = filings_job.start(project, incidents, jobs=2, renderer=_Slow())
print(job.work, job.process.pid, flush=True)
"""


def test_a_program_that_never_waits_exits_and_leaves_nothing(tmp_path: Path) -> None:
    """A caller that starts the filings and exits without waiting (a tool that only wanted the pages)
    is not held up by the background process, which is stopped, and its folder removed."""
    tests = Path(__file__).resolve().parent
    script = ABANDON.format(tests=str(tests), root=str(tests.parent), folder=str(tmp_path / "repo"))
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=50,
                          env={**os.environ, "PYTHONPATH": str(tests.parent / "mkdocs_plugins")})
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 45  # the renderer would sleep 60 s
    work, pid = done.stdout.split()
    assert not Path(work).exists()
    assert not Path(f"/proc/{pid}").exists()
