"""Atomic publish: a failed build leaves the previous output untouched; an interrupted one can be re-run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from publish_support import MASSMUTUAL, NC_FORM, FakeForms, edit, make_project

from breachdocs.findings import FindingsError
from breachdocs.project import Project
from breachdocs.publish.release import PARTIAL, build_release, releases_dir, switch_atomically
from breachdocs.site.build import build_project_site


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _publish(project: Project, dest: Path, renderer: FakeForms | None = None) -> Path:
    return build_release(project, dest, renderer=renderer or FakeForms(), site_builder=lambda p, f: None)


@pytest.fixture
def published(tmp_path: Path) -> tuple[Project, Path, dict[str, bytes]]:
    project = make_project(tmp_path / "repo", git_init=False)
    dest = tmp_path / "public"
    release = _publish(project, dest)
    assert dest.is_symlink() and dest.resolve() == release.resolve()
    before = _snapshot(dest)
    assert f"filings/{MASSMUTUAL}/{NC_FORM}-flat.pdf" in before
    return project, dest, before


def test_invalid_incident_publishes_nothing(published, tmp_path: Path) -> None:
    project, dest, before = published
    target = os.readlink(dest)
    edit(project.incidents_dir / f"{MASSMUTUAL}.yaml", 'discovered: "2007-08-10"', 'discovered: "Aug 10"')
    with pytest.raises(FindingsError) as caught:
        _publish(project, dest)
    assert caught.value.findings[0].field == "dates.discovered"
    assert os.readlink(dest) == target and _snapshot(dest) == before
    assert not list(releases_dir(dest).glob(f"*{PARTIAL}"))


class _Crash(Exception):
    pass


class _CrashingForms(FakeForms):
    token = "crashing"

    def render(self, project, incident):  # type: ignore[no-untyped-def]
        raise _Crash("renderer failed half-way")


def test_build_failing_half_way_leaves_previous_output(published) -> None:
    project, dest, before = published
    target = os.readlink(dest)
    edit(project.incidents_dir / f"{MASSMUTUAL}.yaml", "total: 5135", "total: 5136")
    with pytest.raises(_Crash):
        build_release(project, dest, renderer=_CrashingForms(), site_builder=lambda p, f: None)
    assert os.readlink(dest) == target and _snapshot(dest) == before
    assert not list(releases_dir(dest).glob(f"*{PARTIAL}"))


def test_interrupted_publish_can_be_rerun(published) -> None:
    project, dest, before = published
    # What a kill -9 half-way leaves behind: a partial build and a stray link.
    partial = releases_dir(dest) / f"build-x{PARTIAL}"
    (partial / "filings").mkdir(parents=True)
    (partial / "filings" / "manifest.json").write_text("{")
    os.symlink("nowhere", dest.parent / f".{dest.name}.link-tmp")
    edit(project.incidents_dir / f"{MASSMUTUAL}.yaml", "total: 5135", "total: 5136")
    _publish(project, dest)
    after = _snapshot(dest)
    assert after.keys() == before.keys()
    assert after[f"filings/{MASSMUTUAL}/{NC_FORM}-flat.pdf"] != before[f"filings/{MASSMUTUAL}/{NC_FORM}-flat.pdf"]
    assert not partial.exists()


def test_same_content_reuses_its_release_and_old_ones_are_pruned(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    first = switch_atomically(dest, lambda f: (f / "a.txt").write_text("1"))
    assert switch_atomically(dest, lambda f: (f / "a.txt").write_text("1")) == first
    for n in range(2, 6):
        switch_atomically(dest, lambda f, n=n: (f / "a.txt").write_text(str(n)), keep=1)
    assert (dest / "a.txt").read_text() == "5"
    assert len([p for p in releases_dir(dest).iterdir()]) == 2  # current + one kept


def test_first_publish_over_a_plain_folder(tmp_path: Path) -> None:
    dest = tmp_path / "site"
    dest.mkdir()
    (dest / "old.html").write_text("old")
    switch_atomically(dest, lambda f: (f / "new.html").write_text("new"))
    assert dest.is_symlink() and _snapshot(dest) == {"new.html": b"new"}


def test_cli_publish_reports_and_keeps_previous(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from breachdocs.cli import main

    project = make_project(tmp_path / "repo", git_init=False)
    dest = tmp_path / "public"
    runner = CliRunner()
    ok = runner.invoke(main, ["--root", str(project.root), "publish", "--out", str(dest)])
    assert ok.exit_code == 0, ok.output
    assert (dest / "filings" / "manifest.json").is_file()
    before, target = _snapshot(dest), os.readlink(dest)
    edit(project.incidents_dir / f"{MASSMUTUAL}.yaml", "  total: 5135", "  total: many")
    failed = runner.invoke(main, ["--root", str(project.root), "publish", "--out", str(dest)])
    assert failed.exit_code == 1
    assert f"incidents/{MASSMUTUAL}.yaml:" in failed.output and "affected.total" in failed.output
    assert f"nothing published; {dest} is untouched" in failed.output
    assert os.readlink(dest) == target and _snapshot(dest) == before


def test_publish_of_the_project_builds_site_and_filings_reproducibly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from publish_support import ROOT

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    dest = tmp_path / "public"
    first = build_release(Project(ROOT), dest, site_builder=build_project_site)
    incident_page = (dest / "incidents" / MASSMUTUAL / "index.html").read_text(encoding="utf-8")
    assert f"filings/{MASSMUTUAL}/{NC_FORM}-flat.pdf" in incident_page
    assert (dest / "filings" / MASSMUTUAL / f"{NC_FORM}-flat.pdf").read_bytes().startswith(b"%PDF")
    assert (dest / "filings" / "manifest.json").is_file()
    # The same commit again: the same bytes everywhere, so the same release (named by its content digest).
    assert build_release(Project(ROOT), dest, site_builder=build_project_site) == first
