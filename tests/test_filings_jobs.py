"""``build_filings(..., jobs=2)``: the same files, bytes and manifest as one process."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from benchmarks.generate import write_project
from breachdocs.cli import main
from breachdocs.filings.bundle import build_filings
from breachdocs.project import Project
from breachdocs.project_check import check


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_jobs_write_what_one_job_writes(tmp_path: Path, today: dt.date, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    write_project(tmp_path / "p", 30, seed=5)
    project = Project(tmp_path / "p")
    incidents, findings = check(project, today=today)
    assert not findings
    one = build_filings(project, incidents, tmp_path / "one", use_cache=False, source_commit="c")
    two = build_filings(project, incidents, tmp_path / "two", cache_dir=tmp_path / "cache", source_commit="c", jobs=2)
    assert len(one.rendered) >= 3, "the generated project should have several incidents with filings"
    assert one.rendered == two.rendered
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")
    assert one.manifest == two.manifest
    # The workers filled the cache: a second 2-job build into a fresh folder renders nothing and writes the same.
    again = build_filings(project, incidents, tmp_path / "three", cache_dir=tmp_path / "cache", source_commit="c",
                          jobs=2)
    assert again.rendered == [] and _tree(tmp_path / "three") == _tree(tmp_path / "one")


def test_cli_filings_jobs_gives_the_same_manifest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.chdir(tmp_path)
    for jobs in ("1", "2"):
        result = CliRunner().invoke(main, ["--root", str(ROOT), "filings", "--out", f"out{jobs}", "--jobs", jobs])
        assert result.exit_code == 0, result.output
    first, second = _tree(tmp_path / "out1"), _tree(tmp_path / "out2")
    assert "filings/manifest.json" in first and len(first) > 3
    assert first == second


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_counts_incidents_up_to_the_total(tmp_path: Path, today: dt.date, jobs: int) -> None:
    write_project(tmp_path / "p", 8, seed=5)
    project = Project(tmp_path / "p")
    incidents, _ = check(project, today=today)
    calls: list[tuple[int, int]] = []
    build_filings(project, incidents, tmp_path / "out", use_cache=False, source_commit="c", jobs=jobs,
                  progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (len(incidents), len(incidents))
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert all(0 < done <= total == len(incidents) for done, total in calls)
    calls.clear()  # a second build into the same folder reuses every incident: told at once
    build_filings(project, incidents, tmp_path / "out", use_cache=False, source_commit="c", jobs=jobs,
                  progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (len(incidents), len(incidents))
