"""The content itself: every incident in incidents/ passes every check.

One broken incident is one failed test carrying the same message that
``breachdocs validate`` prints.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from breachdocs.findings import format_findings
from breachdocs.project import Project
from breachdocs.project_check import check
from breachdocs.records import find_incident_files

ROOT = Path(__file__).resolve().parent.parent
FILES = find_incident_files([ROOT / "incidents"])


def test_there_are_example_incidents() -> None:
    assert len(FILES) >= 3


@pytest.mark.parametrize("file", FILES, ids=[f.stem for f in FILES])
def test_incident_is_valid(file: Path) -> None:
    incidents, findings = check(Project(ROOT), [file])
    assert not findings, "\n" + format_findings(findings)
    assert [i.id for i in incidents] == [file.stem]


@pytest.mark.parametrize("file", FILES, ids=[f.stem for f in FILES])
def test_incident_starts_with_schema_line(file: Path) -> None:
    first = file.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../mkdocs_plugins/breachdocs/records/incident.schema.json"
