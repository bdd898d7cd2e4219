"""The site's filings built in a folder kept between builds (``filings_job.start(kept=...)``): the same files as a
build into a fresh folder, hard-linked into the site, and nothing stale: a changed incident, a file changed in
place, a file left over, a restart of the machine and a second build at the same time each give the files a fresh
build gives."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest
from publish_support import MASSMUTUAL, FakeForms, make_project

from breachdocs.filings.documents import FilingDocument
from breachdocs.filings.manifest import MANIFEST
from breachdocs.project import Project
from breachdocs.project_check import check
from breachdocs.records import Incident
from breachdocs.site import filings_job


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _fresh(project: Project, incidents: list[Incident], target: Path) -> dict[str, bytes]:
    """The filings of a build into a temporary folder (no kept folder), as the reference."""
    filings_job.start(project, incidents, jobs=1, renderer=FakeForms()).wait(target)
    return _tree(target)


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Project, Path]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return make_project(tmp_path / "repo", git_init=False), tmp_path / "kept"


def _build(project: Project, kept: Path, target: Path, jobs: int = 1) -> filings_job.FilingsJob:
    incidents, _ = check(project)
    job = filings_job.start(project, incidents, jobs=jobs, renderer=FakeForms(), kept=kept)
    job.wait(target)
    return job


def test_kept_folder_gives_the_files_of_a_fresh_build_as_hard_links(setup: tuple[Project, Path],
                                                                   tmp_path: Path) -> None:
    project, kept = setup
    incidents, _ = check(project)
    reference = _fresh(project, incidents, tmp_path / "fresh")
    assert len(reference) >= 7 and "manifest.json" in reference
    for n, jobs in enumerate((1, 2, 1)):
        target = tmp_path / f"site{n}" / "filings"
        job = _build(project, kept, target, jobs)
        assert job.kept and kept.is_dir()
        assert _tree(target) == reference
        for name in reference:  # linked, not written again
            assert (target / name).stat().st_ino == (kept / "filings" / name).stat().st_ino
    assert _tree(kept / "filings") == reference


def test_a_changed_incident_is_made_again(setup: tuple[Project, Path], tmp_path: Path) -> None:
    project, kept = setup
    before = _build(project, kept, tmp_path / "one" / "filings")
    assert before.kept
    file = project.incidents_dir / f"{MASSMUTUAL}.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("emailed to the wrong recipient", "mailed to the wrong address"), encoding="utf-8")
    _build(project, kept, tmp_path / "two" / "filings")
    incidents, _ = check(project)
    reference = _fresh(project, incidents, tmp_path / "fresh")
    assert _tree(tmp_path / "two" / "filings") == reference
    assert _tree(tmp_path / "two" / "filings") != _tree(tmp_path / "one" / "filings")


def test_a_file_changed_in_place_is_written_again(setup: tuple[Project, Path], tmp_path: Path) -> None:
    project, kept = setup
    _build(project, kept, tmp_path / "one" / "filings")
    incidents, _ = check(project)
    reference = _fresh(project, incidents, tmp_path / "fresh")
    name = next(n for n in reference if n.endswith("-flat.pdf"))
    site_copy = tmp_path / "one" / "filings" / name
    data = bytearray(site_copy.read_bytes())
    data[-20:-10] = b"X" * 10  # same size, edited through the link in the published site
    with site_copy.open("r+b") as handle:
        handle.write(data)
    assert (kept / "filings" / name).read_bytes() == bytes(data)
    _build(project, kept, tmp_path / "two" / "filings")
    assert _tree(tmp_path / "two" / "filings") == reference


def test_files_left_in_the_kept_folder_are_not_published(setup: tuple[Project, Path], tmp_path: Path) -> None:
    project, kept = setup
    _build(project, kept, tmp_path / "one" / "filings")
    (kept / "filings" / MASSMUTUAL / ".left-over.pdf.tmp").write_bytes(b"half")
    (kept / "filings" / "stray.pdf").write_bytes(b"not ours to publish")
    _build(project, kept, tmp_path / "two" / "filings")
    published = _tree(tmp_path / "two" / "filings")
    assert not any("left-over" in n or "stray" in n for n in published)
    assert MANIFEST.removeprefix("filings/") in published


def test_a_restart_of_the_machine_empties_the_kept_folder(setup: tuple[Project, Path], tmp_path: Path) -> None:
    project, kept = setup
    _build(project, kept, tmp_path / "one" / "filings")
    name = next(n for n in _tree(kept / "filings") if n.endswith("-flat.pdf"))
    (kept / "filings" / name).write_bytes(b"torn")
    (kept / filings_job.BOOT_NOTE).write_text("an earlier boot", encoding="ascii")
    incidents, _ = check(project)
    reference = _fresh(project, incidents, tmp_path / "fresh")
    _build(project, kept, tmp_path / "two" / "filings")
    assert _tree(tmp_path / "two" / "filings") == reference
    assert (kept / filings_job.BOOT_NOTE).read_text(encoding="ascii") == filings_job._boot_id()


def test_a_kept_folder_that_is_a_link_is_not_used(setup: tuple[Project, Path], tmp_path: Path) -> None:
    project, kept = setup
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "filings").mkdir(parents=True)
    (elsewhere / "filings" / "theirs.txt").write_text("not breachdocs'", encoding="utf-8")
    kept.symlink_to(elsewhere)
    job = _build(project, kept, tmp_path / "one" / "filings")
    assert not job.kept and not job.work.exists()
    assert (elsewhere / "filings" / "theirs.txt").read_text(encoding="utf-8") == "not breachdocs'"
    assert sorted(p.name for p in elsewhere.rglob("*")) == ["filings", "theirs.txt"]


def test_a_second_build_at_the_same_time_uses_a_folder_of_its_own(setup: tuple[Project, Path],
                                                                  tmp_path: Path) -> None:
    project, kept = setup
    _build(project, kept, tmp_path / "one" / "filings")
    kept_before = _tree(kept / "filings")
    fd = os.open(kept / ".lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another build holds the kept folder
        job = _build(project, kept, tmp_path / "two" / "filings")
    finally:
        os.close(fd)
    assert not job.kept and job.work != kept and not job.work.exists()
    assert _tree(tmp_path / "two" / "filings") == kept_before == _tree(tmp_path / "one" / "filings")


def test_a_failed_build_removes_the_kept_folder(setup: tuple[Project, Path], tmp_path: Path) -> None:
    project, kept = setup
    _build(project, kept, tmp_path / "one" / "filings")

    class Broken(FakeForms):
        token = "broken-1"

        def render(self, project: Project, incident: Incident) -> list[FilingDocument]:
            raise ValueError("a bug in a renderer")

    incidents, _ = check(project)
    job = filings_job.start(project, incidents, jobs=2, renderer=Broken(), kept=kept)
    assert job.kept
    with pytest.raises(RuntimeError, match="a bug in a renderer"):
        job.wait(tmp_path / "two" / "filings")
    assert not kept.exists() and not (tmp_path / "two").exists()
    assert _tree(tmp_path / "one" / "filings")  # the published site keeps its files (links, not the folder)
