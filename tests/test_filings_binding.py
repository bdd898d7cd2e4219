"""The filing record is binding: a filed document may change only through an amendment, and a filing
recorded with its SHA-256 is identified by the hash: edits around it cannot detach the record."""

from __future__ import annotations

from pathlib import Path

import pytest
from publish_support import MASSMUTUAL, NC_FORM, FakeForms, edit, git, make_project

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


# --- the record cannot be detached: identity by hash, history from Git ---------------------------------

@pytest.fixture
def recorded(tmp_path: Path, fake: FakeForms) -> tuple[Project, Path, str]:
    """A repository whose incident records the flattened NC form's SHA-256, committed."""
    project = make_project(tmp_path / "repo")
    incidents, _ = check(project)
    doc = next(d for d in render_incident(project, incidents[0], FakeForms(), use_cache=False) if d.variant == "flat")
    digest = sha256_bytes(doc.data)
    file = project.incidents_dir / f"{MASSMUTUAL}.yaml"
    edit(file, "    kind: initial\n", f"    kind: initial\n    sha256: {digest}\n")
    git(project.root, "commit", "-qam", "Record the filing as sent")
    assert check(project)[1] == []
    return project, file, digest


def _messages(project: Project) -> list[str]:
    return [f"{f.field}: {f.message}" for f in check(project)[1]]


def test_changing_the_jurisdiction_and_a_fact_is_a_finding(recorded: tuple[Project, Path, str]) -> None:
    project, file, digest = recorded
    edit(file, "  - jurisdiction: US-NC", "  - jurisdiction: US-SC")
    edit(file, "  total: 5135", "  total: 5200")
    found = _messages(project)
    assert any(m.startswith("filings[0].jurisdiction: filing 1 (initial: form us-nc-ago-breach to US-SC "
                            f"attorney-general, submitted 2007-10-17) is identified by its SHA-256 {digest[:12]}, "
                            "recorded with different facts (jurisdiction: US-NC -> US-SC)") for m in found), found
    assert any(m.startswith("filings[0].sha256: ") and "is binding" in m for m in found), found


def test_deleting_the_form_line_and_changing_a_fact_is_a_finding(recorded: tuple[Project, Path, str]) -> None:
    project, file, digest = recorded
    edit(file, "    form: us-nc-ago-breach\n", "")
    edit(file, "  total: 5135", "  total: 5200")
    found = _messages(project)
    assert any("recorded with different facts (form: us-nc-ago-breach -> (removed))" in m for m in found), found
    assert any(m.startswith("filings[0].sha256: ") and f"the document sent has SHA-256 {digest[:12]}" in m
               for m in found), found


def test_deleting_the_form_line_without_history_still_fails_on_a_fact_change(tmp_path: Path, fake: FakeForms) -> None:
    project = make_project(tmp_path / "p", git_init=False)
    incidents, _ = check(project)
    doc = next(d for d in render_incident(project, incidents[0], FakeForms(), use_cache=False) if d.variant == "flat")
    file = project.incidents_dir / f"{MASSMUTUAL}.yaml"
    edit(file, "    kind: initial\n", f"    kind: initial\n    sha256: {sha256_bytes(doc.data)}\n")
    edit(file, "    form: us-nc-ago-breach\n", "")
    edit(file, "  total: 5135", "  total: 5200")
    found = _messages(project)
    assert found == ["filings[0].sha256: filing 1 (initial: form (none) to US-NC attorney-general, submitted "
                     "2007-10-17) records the SHA-256 of a filed document but not its form: write form: with the form "
                     "it was filed on, so the record can be checked"]


@pytest.mark.parametrize(("old", "new", "field"), [
    ("    recipient: attorney-general\n", "    recipient: consumer-protection\n", "recipient"),
    ('    submitted: "2007-10-17"\n', '    submitted: "2007-10-18"\n', "submitted"),
])
def test_changing_recipient_or_date_is_a_finding_even_with_the_same_document(
        recorded: tuple[Project, Path, str], old: str, new: str, field: str) -> None:
    project, file, _ = recorded
    edit(file, old, new)
    found = [m for m in _messages(project) if "SHA-256" in m]  # (another check may question the new value too)
    assert len(found) == 1 and found[0].startswith(f"filings[0].{field}: ") and "recorded with different facts" in found[0]


def test_removing_the_entry_is_a_finding(recorded: tuple[Project, Path, str]) -> None:
    project, file, digest = recorded
    text = file.read_text()
    start = text.index("filings:\n")
    file.write_text(text[:start] + "filings: []\n")
    found = _messages(project)
    assert found == [f"filings: the filing with SHA-256 {digest[:12]} ({NC_FORM} to US-NC attorney-general, submitted "
                     "2007-10-17) was recorded and is no longer in filings: a filed document's record cannot be "
                     f"removed. Restore the entry, or record what replaced it: add a filings entry with form: {NC_FORM}, "
                     "jurisdiction: US-NC, kind: amendment (or supplemental) and the date it is submitted"]


def test_an_amendment_entry_records_the_change(recorded: tuple[Project, Path, str]) -> None:
    project, file, _ = recorded
    edit(file, "  total: 5135", "  total: 5200")
    file.write_text(file.read_text() + AMENDMENT.lstrip("\n"))
    assert _messages(project) == []
