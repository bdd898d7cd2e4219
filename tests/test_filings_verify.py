"""``breachdocs verify`` and signed filings: published documents verify, a changed byte does not; a signed copy
validates with pyHanko's own validator."""

from __future__ import annotations

import html
import io
import json
from pathlib import Path

import pytest
from approval_support import INCIDENT, merged_pull_request
from click.testing import CliRunner
from publish_support import MASSMUTUAL, NC_FORM, FakeForms, edit, git
from signing_support import throwaway_certificate

from breachdocs.cli import main
from breachdocs.filings.bundle import build_filings
from breachdocs.filings.signing import SigningKey
from breachdocs.hashing import sha256_bytes
from breachdocs.project_check import check

LEE = "Approved-by: Lee Lawyer <lee@example.com>"
FOLDER = f"filings/{MASSMUTUAL}"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, dict[str, str]]:
    """A repository whose approved change records the flattened filing's SHA-256, published with signing."""
    tmp = tmp_path_factory.mktemp("verify")
    project, commits = merged_pull_request(tmp / "repo", trailer=LEE)
    incidents, _ = check(project)
    key, cert = throwaway_certificate(tmp / "keys")
    out = project.root / "public"
    build_filings(project, incidents, tmp / "first", renderer=FakeForms(), use_cache=False)
    flat = (tmp / "first" / FOLDER / f"{NC_FORM}-flat.pdf").read_bytes()
    edit(project.root / INCIDENT, "    kind: initial\n", f"    kind: initial\n    sha256: {sha256_bytes(flat)}\n")
    git(project.root, "checkout", "-qb", "record")
    git(project.root, "commit", "-qam", "Record the filing as sent")
    git(project.root, "checkout", "-q", "main")
    git(project.root, "merge", "-q", "--no-ff", "-m", f"Merge pull request #8 from acme/record\n\n{LEE}", "record")
    incidents, _ = check(project)
    build_filings(project, incidents, out, renderer=FakeForms(), signing=SigningKey(key, cert))
    return project.root, out, cert, commits


def _verify(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--root", str(root), "verify", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("name", [f"{NC_FORM}.pdf", f"{NC_FORM}-flat.pdf", f"{NC_FORM}-packet.pdf",
                                  f"{NC_FORM}-flat.stamped.pdf", f"{NC_FORM}-flat.signed.pdf",
                                  f"{NC_FORM}-packet.signed.pdf"])
def test_published_documents_verify(published: tuple[Path, Path, Path, dict[str, str]], name: str) -> None:
    root, out, cert, _ = published
    code, text, _ = _verify(root, str(out / FOLDER / name), "--trust", str(cert))
    assert code == 0, text
    assert text.startswith(f"{out / FOLDER / name}: VERIFIED\n")
    assert f"  filing: form {NC_FORM} of incident {MASSMUTUAL}, to US-NC attorney-general\n" in text
    assert f"  manifest: the bytes match {FOLDER}/{name} in {out}/filings/manifest.json" in text
    assert "  approved by: Lee Lawyer <lee@example.com>, code owner, approving commit " in text
    assert "  approval: Approved-by trailer on the merge commit, checked against .github/CODEOWNERS" in text
    if "flat" in name:
        assert f"  record: {INCIDENT} filings[0] records this SHA-256 (initial, submitted 2007-10-17)" in text
    if name.endswith(".signed.pdf"):
        assert "  signature: intact, by Organization: Acme Test, Common Name: Acme Legal Filings (test)" in text
        assert text.rstrip().endswith("trusted")


@pytest.mark.parametrize("name", [f"{NC_FORM}-flat.pdf", f"{NC_FORM}-flat.stamped.pdf", f"{NC_FORM}-flat.signed.pdf"])
def test_one_changed_byte_does_not_verify(published: tuple[Path, Path, Path, dict[str, str]], name: str,
                                          tmp_path: Path) -> None:
    root, out, _, _ = published
    data = bytearray((out / FOLDER / name).read_bytes())
    middle = len(data) // 2
    data[middle] = data[middle] ^ 0x01
    changed = tmp_path / name
    changed.write_bytes(bytes(data))
    code, text, err = _verify(root, str(changed), "--site", str(out))
    assert code == 1
    assert text.startswith(f"{changed}: DOES NOT VERIFY\n")
    assert "  PROBLEM: " in text and ("its bytes match no document of" in text or "it was changed after publishing" in text)
    assert f"breachdocs verify: {changed} DOES NOT VERIFY" in err


def test_the_signed_copy_validates_with_pyhankos_validator(published: tuple[Path, Path, Path, dict[str, str]]) -> None:
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    _, out, cert, _ = published
    stamped = (out / FOLDER / f"{NC_FORM}-flat.stamped.pdf").read_bytes()
    signed = (out / FOLDER / f"{NC_FORM}-flat.signed.pdf").read_bytes()
    assert signed[:len(stamped)] == stamped  # the signature is an update of the stamped copy
    (signature,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[load_cert_from_pemder(str(cert))]))
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.human_friendly == "Organization: Acme Test, Common Name: Acme Legal Filings (test)"
    manifest = json.loads((out / "filings" / "manifest.json").read_text())
    row = next(r for r in manifest["filings"] if r["variant"] == "flat")
    assert row["signed"]["file"] == f"{FOLDER}/{NC_FORM}-flat.signed.pdf"
    assert row["signed"]["sha256"] == sha256_bytes(signed)


def test_a_document_nobody_approved_does_not_verify_and_is_not_signed(tmp_path: Path) -> None:
    project, _ = merged_pull_request(tmp_path / "repo")  # merged without review or trailer
    incidents, _ = check(project)
    key, cert = throwaway_certificate(tmp_path / "keys")
    out = project.root / "public"
    build_filings(project, incidents, out, renderer=FakeForms(), signing=SigningKey(key, cert))
    assert not (out / FOLDER / f"{NC_FORM}-flat.signed.pdf").exists()
    code, text, _ = _verify(project.root, str(out / FOLDER / f"{NC_FORM}-flat.stamped.pdf"))
    assert code == 1
    assert "  PROBLEM: NOT APPROVED (Approved-by trailer on the merge commit, checked against .github/CODEOWNERS; " in text


def test_publish_signs_with_the_key_given_in_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project, _ = merged_pull_request(tmp_path / "repo", trailer=LEE)
    key, cert = throwaway_certificate(tmp_path / "keys")
    monkeypatch.setenv("BREACHDOCS_SIGN_KEY", str(key))
    monkeypatch.setenv("BREACHDOCS_SIGN_CERT", str(cert))
    result = CliRunner().invoke(main, ["--root", str(project.root), "filings", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    signed = tmp_path / "out" / FOLDER / f"{NC_FORM}-flat.signed.pdf"
    assert signed.is_file()
    code, text, _ = _verify(project.root, str(signed), "--trust", str(cert))
    assert code == 0 and "signature: intact" in text
    assert str(key) not in text and "PRIVATE" not in signed.read_bytes().decode("latin-1")


def test_publish_with_a_signing_key_links_and_makes_every_signed_copy(tmp_path: Path) -> None:
    """The whole release: the site's pages link the signed copies, the build makes exactly those, and each
    verifies against the published manifest."""
    from approval_support import APPROVERS, CODEOWNERS
    from site_fixtures import site_project

    (tmp_path / "repo").mkdir()
    root = site_project(tmp_path / "repo", filings=True)
    for other in (root / "incidents").glob("20[12]*.yaml"):
        other.unlink()
    (root / ".github").mkdir()
    (root / ".github" / "CODEOWNERS").write_text(CODEOWNERS)
    (root / ".github" / "approvers.yaml").write_text(APPROVERS)
    (root / ".gitignore").write_text(".cache/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", f"Add the MassMutual incident\n\n{LEE}")
    key, cert = throwaway_certificate(tmp_path / "keys")
    result = CliRunner().invoke(main, ["--root", str(root), "publish", "--out", str(root / "public"),
                                       "--sign-key", str(key), "--sign-cert", str(cert)])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr.lower(), result.stderr  # every linked file made, every made file linked
    page = (root / "public" / "incidents" / MASSMUTUAL / "index.html").read_text()
    for variant in ("", "-flat", "-packet"):
        name = f"{NC_FORM}{variant}.signed.pdf"
        assert f'href="../../filings/{MASSMUTUAL}/{name}"' in page
        code, text, _ = _verify(root, str(root / "public" / FOLDER / name), "--trust", str(cert))
        assert code == 0, text
    assert "approved by Lee Lawyer <lee@example.com> (code owner), approving commit" in html.unescape(page)
