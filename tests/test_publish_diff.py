"""`breachdocs diff BASE HEAD` on a temporary Git repository with real commits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from publish_support import MASSMUTUAL, NC_FORM, FakeForms, edit, git, make_project

from breachdocs.cli import main
from breachdocs.filings import binding
from breachdocs.filings.cache import render_incident
from breachdocs.hashing import sha256_bytes
from breachdocs.project import Project
from breachdocs.project_check import check
from breachdocs.publish import diff as diff_module
from breachdocs.publish.diff import diff_revisions, to_markdown

SECOND = "2024-03-01-massmutual-lost-laptop"
AMENDMENT = """  - jurisdiction: US-NC
    recipient: attorney-general
    form: us-nc-ago-breach
    submitted: "2007-11-02"
    kind: amendment
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Commits: filed (sha256 recorded) -> incident added -> field changed -> filed doc altered -> amended."""
    fake = FakeForms()
    monkeypatch.setattr(binding, "FormsRenderer", lambda: fake)
    monkeypatch.setattr(diff_module, "FormsRenderer", lambda: fake)
    project = make_project(tmp_path / "repo")
    root = project.root
    first = root / "incidents" / f"{MASSMUTUAL}.yaml"
    incidents, _ = check(project)
    flat = next(d for d in render_incident(project, incidents[0], fake) if d.variant == "flat")
    edit(first, "    kind: initial\n", f"    kind: initial\n    sha256: {sha256_bytes(flat.data)}\n")
    git(root, "commit", "-qam", "Record the NC filing as sent")
    revs = {"filed": git(root, "rev-parse", "HEAD")}

    second = root / "incidents" / f"{SECOND}.yaml"
    text = first.read_text().replace(f"id: {MASSMUTUAL}", f"id: {SECOND}").replace("2007-", "2024-")
    text = text[: text.index("filings:")] + (
        'risk_assessment:\n  - {jurisdiction: US-NC, decided_on: "2024-08-12", decided_by: Dennis J. Miles, '
        "harm_likely: true}\n")
    second.write_text(text)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Add the lost-laptop incident")
    revs["added"] = git(root, "rev-parse", "HEAD")

    edit(second, "circumstances: An electronic file", "circumstances: A laptop holding a file")
    git(root, "commit", "-qam", "Describe what happened")
    revs["changed"] = git(root, "rev-parse", "HEAD")

    edit(first, "  total: 5135", "  total: 5200")
    git(root, "commit", "-qam", "Correct the total of the filed incident")
    revs["altered"] = git(root, "rev-parse", "HEAD")

    first.write_text(first.read_text() + AMENDMENT)
    git(root, "commit", "-qam", "Record the correction as an amendment")
    revs["amended"] = git(root, "rev-parse", "HEAD")
    revs["root"] = str(root)
    return revs


def _run(repo: dict[str, str], base: str, head: str, **kw):  # type: ignore[no-untyped-def]
    return diff_revisions(Path(repo["root"]), repo[base], repo[head], renderer=FakeForms(), **kw)


def test_incident_added(repo: dict[str, str]) -> None:
    found = _run(repo, "filed", "added")
    assert [(i.id, i.change) for i in found.changed] == [(SECOND, "added")]
    assert sorted((f.incident, f.variant, f.change) for f in found.filings) == [
        (SECOND, v, "new") for v in ("fillable", "flat", "packet")]
    assert all(f.base_sha256 is None and len(f.head_sha256 or "") == 64 for f in found.filings)
    assert found.findings == []


def test_field_changed(repo: dict[str, str]) -> None:
    found = _run(repo, "added", "changed")
    (incident,) = found.changed
    assert incident.id == SECOND and incident.change == "changed"
    assert [(c.field, c.base, c.head) for c in incident.fields] == [(
        "circumstances",
        "An electronic file containing a list of plan participants was emailed to the wrong recipient.",
        "A laptop holding a file containing a list of plan participants was emailed to the wrong recipient.",
    )]
    assert {(f.incident, f.change) for f in found.filings} == {(SECOND, "changed")}
    markdown = to_markdown(found)
    assert "### Changed: 2024-03-01-massmutual-lost-laptop" in markdown
    assert ("| `circumstances` | An electronic file containing a list of plan participants was emailed to the "
            "wrong recipient. | A laptop holding a file containing") in markdown
    assert "| us-nc-ago-breach flat (US-NC attorney-general) | changed |" in markdown


def test_filed_document_altered_without_amendment(repo: dict[str, str]) -> None:
    found = _run(repo, "changed", "altered")
    (incident,) = found.changed
    assert [(c.field, c.base, c.head) for c in incident.fields] == [("affected.total", 5135, 5200)]
    flat = next(f for f in found.filings if f.variant == "flat")
    assert (flat.incident, flat.change) == (MASSMUTUAL, "changed")
    assert flat.base_sha256 != flat.head_sha256
    (error,) = found.findings
    assert error.field == "filings[0].sha256"
    assert f"form {NC_FORM} to US-NC attorney-general, submitted 2007-10-17) is binding" in error.message
    # In a work tree (validate, pre-commit), Git also tells what changed since the filing was recorded.
    root = Path(repo["root"])
    git(root, "checkout", "-q", repo["altered"])
    (local,) = [f for f in check(Project(root))[1] if f.field == "filings[0].sha256"]
    assert "(changed since the filing was recorded: affected.total: 5135 -> 5200). Revert" in local.message
    markdown = to_markdown(found)
    assert "### ❌ 1 problem(s) to fix before merging" in markdown
    assert "| `affected.total` | `5135` | `5200` |" in markdown


def test_filed_document_altered_with_amendment(repo: dict[str, str]) -> None:
    found = _run(repo, "changed", "amended")
    assert found.findings == []
    (incident,) = found.changed
    assert [c.field for c in incident.fields] == [
        "affected.total", "filings[1].form", "filings[1].jurisdiction", "filings[1].kind",
        "filings[1].recipient", "filings[1].submitted"]
    assert {f.change for f in found.filings if f.incident == MASSMUTUAL} == {"changed"}
    assert "problem(s) to fix" not in to_markdown(found)


def test_previews_show_the_first_page(repo: dict[str, str], tmp_path: Path) -> None:
    found = _run(repo, "added", "changed", previews=tmp_path / "previews")
    flat = next(f for f in found.filings if f.variant == "flat")
    assert flat.preview == f"{SECOND}--{NC_FORM}-flat.png"
    png = (tmp_path / "previews" / flat.preview).read_bytes()
    assert png.startswith(b"\x89PNG")
    assert f"![first page of {NC_FORM} flat](previews/{flat.preview})" in to_markdown(found, preview_base="previews/")


def test_cli_diff_markdown_and_json(repo: dict[str, str]) -> None:
    runner = CliRunner()
    args = ["--root", repo["root"], "diff", repo["changed"], repo["altered"]]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"## breachdocs: `{repo['changed'][:12]}` → `{repo['altered'][:12]}`")
    result = runner.invoke(main, [*args, "--format", "json"])
    data = json.loads(result.output)
    assert data["head"] == repo["altered"]
    assert data["findings"][0]["field"] == "filings[0].sha256"
    result = runner.invoke(main, ["--root", repo["root"], "diff", "nonesuch", "HEAD"])
    assert result.exit_code == 2
    assert "'nonesuch' is not a commit in this repository" in result.output


def test_diff_leaves_the_work_tree_alone(repo: dict[str, str]) -> None:
    """Diffing never writes into the work tree."""
    before = git(Path(repo["root"]), "status", "--porcelain")
    _run(repo, "filed", "amended")
    assert git(Path(repo["root"]), "status", "--porcelain") == before == ""


def test_a_form_change_shows_the_incidents_whose_filings_change(repo: dict[str, str]) -> None:
    root = Path(repo["root"])
    field_map = next(p for p in (root / "templates" / "forms" / NC_FORM).iterdir() if p.suffix == ".yaml")
    field_map.write_text(field_map.read_text() + "# reviewed again\n")
    git(root, "commit", "-qam", "Touch the NC field map")
    found = diff_revisions(root, repo["amended"], "HEAD", renderer=FakeForms())
    assert [(i.id, i.change, i.fields) for i in found.changed] == [
        (MASSMUTUAL, "changed", []), (SECOND, "changed", [])]
    assert {f.change for f in found.filings} == {"changed"} and len(found.filings) == 6
    assert "No field of the incident changed; its law, forms or their engine did." in to_markdown(found)


def test_binding_message_names_a_form_change(repo: dict[str, str]) -> None:
    root = Path(repo["root"])
    git(root, "checkout", "-q", repo["filed"])
    field_map = next(p for p in (root / "templates" / "forms" / NC_FORM).iterdir() if p.suffix == ".yaml")
    field_map.write_text(field_map.read_text() + "# moved a box\n")
    (error,) = [f for f in check(Project(root))[1] if f.field == "filings[0].sha256"]
    assert ("(the incident is as it was when the filing was recorded: its form or the form engine changed)"
            in error.message)


def test_an_incident_broken_at_head_is_not_reported_as_removed(repo: dict[str, str]) -> None:
    root = Path(repo["root"])
    edit(root / "incidents" / f"{SECOND}.yaml", "  total: 5135", "  total: lots")
    git(root, "commit", "-qam", "Break the total")
    found = diff_revisions(root, repo["amended"], "HEAD", renderer=FakeForms())
    assert [(i.id, i.change) for i in found.changed] == [(SECOND, "invalid")]
    assert [f.field for f in found.findings] == ["affected.total"]
    markdown = to_markdown(found)
    assert "0 removed, 1 failing validation." in markdown and f"### Failing validation: {SECOND}" in markdown
