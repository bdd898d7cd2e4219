"""``project.validate``: the findings of ``check`` with incidents checked a batch at a time and let go
(what ``breachdocs validate`` runs, so its memory does not grow with the number of incidents)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from benchmarks.generate import write_project
from breachdocs.project import Project
from breachdocs.project_check import check, validate

CORPUS = ROOT / "tests" / "broken_incidents"


@pytest.mark.parametrize("batch", [1, 7, 250])
def test_the_broken_corpus_gets_the_findings_of_check(batch: int, today: dt.date) -> None:
    project = Project(ROOT)
    incidents, expected = check(project, [CORPUS], today=today)
    checked, found = validate(project, [CORPUS], today=today, batch=batch)
    assert found == expected and len(found) >= 45
    assert checked == len(incidents)


@pytest.mark.parametrize("batch", [1, 2, 3, 100])
def test_ids_shared_across_batches_are_reported_as_check_reports_them(tmp_path: Path, today: dt.date,
                                                                      batch: int) -> None:
    write_project(tmp_path / "p", 6, seed=3)
    folder = tmp_path / "p" / "incidents"
    files = sorted(f for f in folder.glob("*.yaml") if not f.name.startswith("_"))
    paths = [folder]
    for copy in ("zz-more-1", "zz-more-2"):  # the same incident twice more, in later folders (and batches)
        (tmp_path / "p" / copy).mkdir()
        shutil.copy(files[0], tmp_path / "p" / copy / files[0].name)
        paths.append(tmp_path / "p" / copy)
    project = Project(tmp_path / "p")
    incidents, expected = check(project, paths, today=today)
    shared = [f.message for f in expected if f.field == "id" and "already used" in f.message]
    assert shared == [
        f"the id '{files[0].stem}' is already used by incidents/{files[0].name}; give each incident its own id",
        f"the id '{files[0].stem}' is already used by zz-more-1/{files[0].name}; give each incident its own id"]
    assert validate(project, paths, today=today, batch=batch) == (len(incidents), expected)


def test_the_example_project_with_its_rule_files(today: dt.date) -> None:
    project = Project(ROOT)
    incidents, expected = check(project, today=today)
    assert validate(project, today=today, batch=2) == (len(incidents), expected)
    rules = [ROOT / "jurisdictions" / "us-nc.yaml", ROOT / "jurisdictions"]
    assert validate(project, rules, today=today)[1] == check(project, rules, today=today)[1]
