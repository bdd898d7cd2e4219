"""The benchmark generator writes incidents that breachdocs accepts, the same ones for the same seed."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from pathlib import Path

from benchmarks.generate import ROOT, iter_recipients, link_shared, write_project, write_recipients
from benchmarks.population import ZIP_PREFIXES
from breachdocs.findings import format_findings
from breachdocs.project import Project
from breachdocs.project_check import check


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for file in sorted(folder.iterdir()):
        h.update(file.name.encode() + b"\0" + file.read_bytes())
    return h.hexdigest()


def test_generated_incidents_pass_every_check(tmp_path: Path, today: dt.date) -> None:
    write_project(tmp_path, 50, seed=7)
    incidents, findings = check(Project(tmp_path), today=today)
    assert not findings, "\n" + format_findings(findings)
    assert len(incidents) == 50
    assert len({i.id for i in incidents}) == 50
    assert any(i.profile is not None for i in incidents), "some incidents inherit an organisation profile"
    totals = [i.total_affected for i in incidents]
    assert min(totals) < 200 and max(totals) > 50_000, "sizes span tens to tens of thousands and more"
    assert len({i.status for i in incidents}) >= 4
    assert len({c for i in incidents for c in i.residents}) >= 25


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    a = write_project(tmp_path / "a", 30, seed=1)
    b = write_project(tmp_path / "b", 30, seed=1)
    c = write_project(tmp_path / "c", 30, seed=2)
    assert _digest(a / "incidents") == _digest(b / "incidents")
    assert _digest(a / "incidents") != _digest(c / "incidents")


def test_recipients_have_the_columns_and_zips_of_their_state(tmp_path: Path) -> None:
    path = write_recipients(tmp_path / "r.csv", 300, seed=3)
    assert path.stat().st_mode & 0o077 == 0
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 300
    assert {"name", "address1", "address2", "city", "state", "zip"} <= set(rows[0])
    for row in rows:
        prefix = int(row["zip"][:3])
        assert any(lo <= prefix <= hi for lo, hi in ZIP_PREFIXES[row["state"]]), row["state"] + " " + row["zip"]
    assert rows == [dict(r) for r in iter_recipients(300, seed=3)]
    only_nc = list(iter_recipients(50, seed=3, states={"NC": 1}))
    assert {r["state"] for r in only_nc} == {"NC"}


def test_shared_folders_are_copied_from_the_checkout_that_measures(tmp_path: Path) -> None:
    """Data generated from another checkout (an old worktree) must not keep its rules and templates; the
    folders are copies (breachdocs reads only files inside the project), never links."""
    other = tmp_path / "other"
    for name in ("jurisdictions", "templates", "site_src"):
        (other / name).mkdir(parents=True)
        (other / name / "old.txt").write_text("old")
    write_project(tmp_path / "p", 3, source=other)
    assert (tmp_path / "p" / "templates" / "old.txt").read_text() == "old"
    link_shared(tmp_path / "p")
    for name in ("jurisdictions", "templates", "site_src"):
        copy = tmp_path / "p" / name
        assert not copy.is_symlink() and not (copy / "old.txt").exists()
        assert sorted(p.name for p in copy.iterdir()) == sorted(p.name for p in (ROOT / name).iterdir())
