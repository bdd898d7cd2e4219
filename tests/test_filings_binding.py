"""The filing record is binding: a filed document may change only through an amendment."""

from __future__ import annotations

from pathlib import Path

import pytest
from publish_support import MASSMUTUAL, NC_FORM, FakeForms, edit, make_project

from breachdocs.filings import binding
from breachdocs.filings.cache import render_incident
from breachdocs.hashing import sha256_bytes
from breachdocs.project import Project
from breachdocs.project_check import check

AMENDMENT = """
  - jurisdiction: US-NC
    recipient: attorney-general
    form: us-nc-ago-breach
    submitted: "2007-11-02"
    kind: amendment
"""


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeForms:
    renderer = FakeForms()
    monkeypatch.setattr(binding, "FormsRenderer", lambda: renderer)
    return renderer


def _record_filed_sha(project: Project, variant: str = "flat") -> tuple[Path, str]:
    """Write into the incident the SHA-256 of the document as it renders now (as a filer would)."""
    incidents, _ = check(project)
    doc = next(d for d in render_incident(project, incidents[0], FakeForms()) if d.variant == variant)
    digest = sha256_bytes(doc.data)
    file = project.incidents_dir / f"{MASSMUTUAL}.yaml"
    edit(file, "    kind: initial\n", f"    kind: initial\n    sha256: {digest}\n")
    return file, digest


def test_unchanged_filing_is_valid(tmp_path: Path, fake: FakeForms) -> None:
    project = make_project(tmp_path / "p", git_init=False)
    _record_filed_sha(project)
    incidents, findings = check(project)
    assert findings == [] and fake.calls == [MASSMUTUAL]


def test_change_that_alters_the_filed_document_fails(tmp_path: Path, fake: FakeForms) -> None:
    project = make_project(tmp_path / "p", git_init=False)
    file, digest = _record_filed_sha(project)
    edit(file, "  total: 5135", "  total: 5200")
    _, findings = check(project)
    assert len(findings) == 1
    finding = findings[0]
    line = file.read_text().splitlines().index(f"    sha256: {digest}") + 1
    assert (finding.path, finding.line, finding.field) == (f"incidents/{MASSMUTUAL}.yaml", line, "filings[0].sha256")
    assert finding.message.startswith(
        f"filing 1 (initial: form {NC_FORM} to US-NC attorney-general, submitted 2007-10-17) is binding: "
        f"the document sent has SHA-256 {digest[:12]}, but the incident as it stands would now render a "
        "different document (fillable ")
    assert "kind: amendment (or supplemental)" in finding.message


def test_change_recorded_as_amendment_is_valid(tmp_path: Path, fake: FakeForms) -> None:
    project = make_project(tmp_path / "p", git_init=False)
    file, _ = _record_filed_sha(project)
    edit(file, "  total: 5135", "  total: 5200")
    file.write_text(file.read_text() + AMENDMENT.lstrip("\n"))
    _, findings = check(project)
    assert findings == []


def test_the_recorded_hash_may_be_of_the_packet(tmp_path: Path, fake: FakeForms) -> None:
    project = make_project(tmp_path / "p", git_init=False)
    _record_filed_sha(project, variant="packet")
    assert check(project)[1] == []


def test_no_check_without_the_form(tmp_path: Path, fake: FakeForms) -> None:
    project = make_project(tmp_path / "p", git_init=False)
    file, _ = _record_filed_sha(project)
    edit(file, "  total: 5135", "  total: 5200")
    for f in (project.templates_dir / "forms" / NC_FORM).iterdir():
        f.unlink()
    (project.templates_dir / "forms" / NC_FORM).rmdir()
    assert [f for f in check(project)[1] if f.field.endswith("sha256")] == []
    assert fake.calls == []
