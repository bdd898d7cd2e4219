"""The filings bundle: layout, manifest, reproducibility, cache."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from publish_support import MASSMUTUAL, NC_FORM, FakeForms, edit, git, make_project

from breachdocs.filings.bundle import build_filings
from breachdocs.hashing import sha256_file
from breachdocs.project_check import check


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def proj(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return make_project(tmp_path / "repo")


def test_layout_and_manifest(proj, tmp_path: Path) -> None:
    incidents, findings = check(proj)
    assert not findings
    out = tmp_path / "out"
    build_filings(proj, incidents, out, renderer=FakeForms())
    folder = out / "filings" / MASSMUTUAL
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{NC_FORM}{v}{s}" for v in ("", "-flat", "-packet") for s in (".pdf", ".stamped.pdf"))
    manifest = json.loads((out / "filings" / "manifest.json").read_text())
    assert manifest["source_commit"] == git(proj.root, "rev-parse", "HEAD")
    assert manifest["source_date"] == "2023-11-14T22:13:20+00:00"
    flat = next(r for r in manifest["filings"] if r["variant"] == "flat")
    assert flat["incident"] == MASSMUTUAL and flat["jurisdiction"] == "US-NC"
    assert flat["recipient"] == "attorney-general" and flat["form"] == NC_FORM
    assert flat["file"] == f"filings/{MASSMUTUAL}/{NC_FORM}-flat.pdf"
    assert flat["sha256"] == sha256_file(out / flat["file"])
    assert flat["size"] == (out / flat["file"]).stat().st_size
    assert flat["stamped"]["sha256"] == sha256_file(out / flat["stamped"]["file"])
    assert flat["stamped"]["sha256"] != flat["sha256"]


def test_two_builds_of_one_commit_are_byte_identical(proj, tmp_path: Path) -> None:
    incidents, _ = check(proj)
    build_filings(proj, incidents, tmp_path / "a", renderer=FakeForms(), cache_dir=tmp_path / "cache-a")
    build_filings(proj, incidents, tmp_path / "b", renderer=FakeForms(), use_cache=False)
    first, second = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert len(first) == 7
    assert first == second


def test_source_date_epoch_is_honoured(proj, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    incidents, _ = check(proj)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")
    manifest = build_filings(proj, incidents, tmp_path / "o", renderer=FakeForms()).manifest
    assert manifest["source_date"] == "2001-09-09T01:46:40+00:00"


def test_only_the_changed_incident_is_rendered_again(proj, tmp_path: Path) -> None:
    incident_file = proj.incidents_dir / f"{MASSMUTUAL}.yaml"
    other = proj.incidents_dir / "2007-08-11-massmutual-second.yaml"
    other.write_text(incident_file.read_text().replace(f"id: {MASSMUTUAL}", "id: 2007-08-11-massmutual-second"))
    incidents, findings = check(proj)
    assert not findings
    fake = FakeForms()
    first = build_filings(proj, incidents, tmp_path / "o", renderer=fake)
    assert sorted(first.rendered) == sorted(i.id for i in incidents)

    edit(other, "total: 5135", "total: 6000")
    incidents, _ = check(proj)
    fake.calls.clear()
    second = build_filings(proj, incidents, tmp_path / "o", renderer=fake)
    assert fake.calls == ["2007-08-11-massmutual-second"]
    assert second.reused == [MASSMUTUAL]
    rows = {(r["incident"], r["variant"]): r["sha256"] for r in second.manifest["filings"]}
    before = {(r["incident"], r["variant"]): r["sha256"] for r in first.manifest["filings"]}
    assert rows[(MASSMUTUAL, "flat")] == before[(MASSMUTUAL, "flat")]
    assert rows[("2007-08-11-massmutual-second", "flat")] != before[("2007-08-11-massmutual-second", "flat")]


def test_a_template_change_invalidates_the_cache(proj, tmp_path: Path) -> None:
    incidents, _ = check(proj)
    fake = FakeForms()
    build_filings(proj, incidents, tmp_path / "o", renderer=fake)
    (proj.templates_dir / "forms" / NC_FORM / "fields.yaml").write_text("# changed map\n")
    build_filings(proj, incidents, tmp_path / "o", renderer=fake)
    assert fake.calls == [MASSMUTUAL, MASSMUTUAL]


def test_files_of_a_removed_incident_are_removed(proj, tmp_path: Path) -> None:
    incidents, _ = check(proj)
    out = tmp_path / "o"
    build_filings(proj, incidents, out, renderer=FakeForms())
    assert (out / "filings" / MASSMUTUAL).is_dir()
    manifest = build_filings(proj, [], out, renderer=FakeForms()).manifest
    assert manifest["filings"] == []
    assert _tree(out / "filings").keys() == {"manifest.json"}


AMENDMENT = """  - jurisdiction: US-NC
    recipient: attorney-general
    form: us-nc-ago-breach
    submitted: "2007-11-02"
    kind: amendment
"""


def test_after_an_amendment_the_document_as_filed_is_still_published(proj, tmp_path: Path) -> None:
    from breachdocs.filings.cache import render_incident
    from breachdocs.hashing import sha256_bytes

    incidents, _ = check(proj)
    flat = next(d for d in render_incident(proj, incidents[0], FakeForms()) if d.variant == "flat")
    filed_sha = sha256_bytes(flat.data)
    file = proj.incidents_dir / f"{MASSMUTUAL}.yaml"
    edit(file, "    kind: initial\n", f"    kind: initial\n    sha256: {filed_sha}\n")
    git(proj.root, "commit", "-qam", "Record the NC filing as sent")
    edit(file, "  total: 5135", "  total: 5200")
    file.write_text(file.read_text() + AMENDMENT)
    git(proj.root, "commit", "-qam", "Amend the total")

    incidents, findings = check(proj)
    assert findings == []
    result = build_filings(proj, incidents, tmp_path / "a", renderer=FakeForms(), cache_dir=tmp_path / "cache")
    assert result.unrecovered == []
    name = f"filings/{MASSMUTUAL}/{NC_FORM}-filed-{filed_sha[:12]}.pdf"
    assert sha256_file(tmp_path / "a" / name) == filed_sha
    assert (tmp_path / "a" / name).read_bytes() == flat.data
    row = next(r for r in result.manifest["filings"] if r["file"] == name)
    assert row["record"] == {"submitted": "2007-10-17", "kind": "initial"}
    current = next(r for r in result.manifest["filings"] if r["variant"] == "flat")
    assert current["sha256"] != filed_sha and current["record"] is None
    # Anyone can check the original: it is the recorded filing, from the published manifest.
    from click.testing import CliRunner

    from breachdocs.cli import main

    checked = CliRunner().invoke(main, ["--root", str(proj.root), "verify", str(tmp_path / "a" / name)])
    assert checked.exit_code == 0, checked.stdout
    assert f"record: incidents/{MASSMUTUAL}.yaml filings[0] records this SHA-256 (initial, submitted 2007-10-17)" \
        in checked.stdout
    assert "approval: a document as filed before an amendment" in checked.stdout
    # From the cache, and without it: the same bytes.
    build_filings(proj, incidents, tmp_path / "b", renderer=FakeForms(), cache_dir=tmp_path / "cache")
    build_filings(proj, incidents, tmp_path / "c", renderer=FakeForms(), use_cache=False)
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b") == _tree(tmp_path / "c")


def test_an_unreproducible_filing_is_reported(proj, tmp_path: Path) -> None:
    file = proj.incidents_dir / f"{MASSMUTUAL}.yaml"
    edit(file, "    kind: initial\n", f"    kind: initial\n    sha256: {'ab' * 32}\n")
    file.write_text(file.read_text() + AMENDMENT)
    git(proj.root, "commit", "-qam", "Record a filing made outside breachdocs")
    incidents, _ = check(proj)
    result = build_filings(proj, incidents, tmp_path / "o", renderer=FakeForms())
    assert result.unrecovered == [f"incidents/{MASSMUTUAL}.yaml: filings: {NC_FORM} {'ab' * 6}"]


def test_document_links_list_every_document_of_each_filing(proj, tmp_path: Path) -> None:
    from breachdocs.filings.manifest import document_links

    incidents, _ = check(proj)
    manifest = build_filings(proj, incidents, tmp_path / "o", renderer=FakeForms()).manifest
    links = document_links(manifest["filings"])[(MASSMUTUAL, NC_FORM)]
    assert [link["label"] for link in links][:2] == ["Fillable copy (for review)",
                                                     "Fillable copy (for review), with approval stamp"]
    flat = next(link for link in links if link["label"] == "Flattened (as submitted)")
    assert flat["path"] == f"filings/{MASSMUTUAL}/{NC_FORM}-flat.pdf"
    assert flat["sha256"] == sha256_file(tmp_path / "o" / flat["path"])


def test_a_rebuild_restores_a_damaged_output(proj, tmp_path: Path) -> None:
    incidents, _ = check(proj)
    out = tmp_path / "o"
    first = build_filings(proj, incidents, out, renderer=FakeForms())
    flat = out / "filings" / MASSMUTUAL / f"{NC_FORM}-flat.pdf"
    good = flat.read_bytes()
    flat.write_bytes(b"%PDF-1.4 damaged")
    (out / "filings" / MASSMUTUAL / f"{NC_FORM}.pdf").unlink()
    second = build_filings(proj, incidents, out, renderer=FakeForms())
    assert flat.read_bytes() == good
    assert (out / "filings" / MASSMUTUAL / f"{NC_FORM}.pdf").is_file()
    assert second.manifest == first.manifest


def test_a_scratch_build_writes_the_same_files_without_flushing_each(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """``durable=False`` (the site build's scratch folder, copied into the site after) writes the same
    bytes without an fsync per file; a published bundle (the default) flushes every file."""
    project = make_project(tmp_path / "repo")
    incidents, _ = check(project)
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    build_filings(project, incidents, tmp_path / "scratch", renderer=FakeForms(), use_cache=False, durable=False)
    assert synced == []
    build_filings(project, incidents, tmp_path / "bundle", renderer=FakeForms(), use_cache=False)
    files = sorted(p.relative_to(tmp_path / "bundle") for p in (tmp_path / "bundle").rglob("*") if p.is_file())
    assert len(synced) == len(files) >= 7  # three documents, their stamped copies and the manifest
    assert files == sorted(p.relative_to(tmp_path / "scratch") for p in (tmp_path / "scratch").rglob("*") if p.is_file())
    assert all((tmp_path / "bundle" / f).read_bytes() == (tmp_path / "scratch" / f).read_bytes() for f in files)
