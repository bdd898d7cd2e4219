"""Publishing with the real forms engine: the North Carolina form of the MassMutual incident."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from publish_support import MASSMUTUAL, NC_FORM, ROOT, edit, make_project
from pypdf import PdfReader

from breachdocs.filings.bundle import build_filings
from breachdocs.filings.documents import FormsRenderer
from breachdocs.forms import build_outputs
from breachdocs.hashing import sha256_bytes
from breachdocs.project import Project
from breachdocs.project_check import check


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_of_the_project_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    project = Project(ROOT)
    incidents, _ = check(project)
    mine = [i for i in incidents if i.id == MASSMUTUAL]
    first = build_filings(project, mine, tmp_path / "a", cache_dir=tmp_path / "cache-a")
    build_filings(project, mine, tmp_path / "b", use_cache=False)
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")
    flat = next(r for r in first.manifest["filings"] if r["variant"] == "flat")
    # The published flattened form is exactly what `breachdocs fill --flatten` makes.
    outputs, _ = build_outputs(project.templates_dir, mine[0], [NC_FORM], flatten=True, root=project.root)
    assert flat["sha256"] == sha256_bytes(outputs[0].data)
    text = PdfReader(io.BytesIO((tmp_path / "a" / flat["file"]).read_bytes())).pages[0].extract_text()
    assert "MassMutual Life Insurance Company" in text and "5135" in text


def test_a_recorded_nc_filing_is_binding(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", git_init=False)
    incidents, findings = check(project)
    assert not findings
    docs = FormsRenderer().render(project, incidents[0])
    assert sorted(d.variant for d in docs) == ["", "flat", "packet"]
    flat = next(d for d in docs if d.variant == "flat")
    file = project.incidents_dir / f"{MASSMUTUAL}.yaml"
    edit(file, "    kind: initial\n", f"    kind: initial\n    sha256: {sha256_bytes(flat.data)}\n")
    assert check(project)[1] == []
    edit(file, "circumstances: An electronic file", "circumstances: A file")
    (finding,) = [f for f in check(project)[1] if f.field == "filings[0].sha256"]
    assert finding.message.startswith(f"filing 1 (initial: form {NC_FORM} to US-NC attorney-general, "
                                      "submitted 2007-10-17) is binding")


def test_cli_filings(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from breachdocs.cli import main

    project = make_project(tmp_path / "p", git_init=False)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["--root", str(project.root), "filings", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"3 filing document(s) in {out / 'filings'} (1 incident(s) rendered, 0 from cache)" in result.output
    assert (out / "filings" / MASSMUTUAL / f"{NC_FORM}-packet.pdf").is_file()
    edit(project.incidents_dir / f"{MASSMUTUAL}.yaml", "  total: 5135", "  total: -1")
    result = CliRunner().invoke(main, ["--root", str(project.root), "filings", "--out", str(out)])
    assert result.exit_code == 1 and "affected.total" in result.output
